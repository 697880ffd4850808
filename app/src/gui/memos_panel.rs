//! Memos.

use super::shared::Shared;

#[derive(Default)]
pub struct MemosPanel {}

impl MemosPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Memos");
    }
}
