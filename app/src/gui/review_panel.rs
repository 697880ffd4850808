//! Review.

use super::shared::Shared;

#[derive(Default)]
pub struct ReviewPanel {}

impl ReviewPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Review");
    }
}
