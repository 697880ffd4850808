//! Queries.

use super::shared::Shared;

#[derive(Default)]
pub struct QueriesPanel {}

impl QueriesPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Queries");
    }
}
