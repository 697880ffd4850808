//! Participants.

use super::shared::Shared;

#[derive(Default)]
pub struct ParticipantsPanel {}

impl ParticipantsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, _sh: &mut Shared) {
        ui.heading("Participants");
    }
}
