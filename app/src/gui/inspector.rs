//! The inspector on the right: the open document's speakers.

use super::shared::Shared;
use egui::RichText;
use storyloom_coding::{Role, Speaker};

#[derive(Default)]
pub struct Inspector {
    speakers: Vec<Speaker>,
    loaded: Option<(String, u64)>,
}

impl Inspector {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(doc) = sh.open_document.clone() else {
            ui.label("No document open.");
            return;
        };
        if self.loaded != Some((doc.clone(), sh.revision)) {
            self.speakers = sh.read(|p| p.speakers(&doc)).unwrap_or_default();
            self.loaded = Some((doc.clone(), sh.revision));
        }
        ui.heading("Speakers");
        let mut change = None;
        for s in &self.speakers {
            ui.group(|ui| {
                ui.label(RichText::new(&s.label).strong());
                ui.label(format!("{} turns, {} words", s.turns, s.words));
                if let Some(p) = &s.participant {
                    ui.label(format!("Participant {p}"));
                }
                let mut role = s.role;
                let label = ui.label("Role:");
                egui::ComboBox::from_id_salt(("role", &s.uuid))
                    .selected_text(role.as_str())
                    .show_ui(ui, |ui| {
                        for r in [Role::Interviewer, Role::Participant, Role::Other] {
                            ui.selectable_value(&mut role, r, r.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if role != s.role {
                    change = Some((s.label.clone(), role));
                }
            });
        }
        if let Some((label, role)) = change {
            sh.act(|p| p.set_speaker_role(&doc, &label, role));
        }
    }
}
