//! Themes.

use super::shared::Shared;

#[derive(Default)]
pub struct ThemesBoard {}

impl ThemesBoard {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Themes");
    }
}
