//! Codebook.

use super::shared::Shared;

#[derive(Default)]
pub struct CodebookPanel {}

impl CodebookPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Codebook");
    }
}
