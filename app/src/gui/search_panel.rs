//! Search.

use super::shared::Shared;

#[derive(Default)]
pub struct SearchPanel {}

impl SearchPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Search");
    }
}
