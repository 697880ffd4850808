//! The editor's top row: choose a story, draft one for a participant, and
//! edit the title, role line and pseudonym of the open one.

use super::StoryEditor;
use super::status::status_label;
use crate::gui::shared::Shared;
use storyloom_project::Command;
use storyloom_project::stories::model::StorySummary;

impl StoryEditor {
    pub(super) fn header_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Story:");
            let shown = self
                .story
                .as_ref()
                .and_then(|u| self.list.iter().find(|s| &s.uuid == u))
                .map(summary_label)
                .unwrap_or_else(|| "(none)".into());
            let mut chosen = self.story.clone();
            egui::ComboBox::from_id_salt("story-choice")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for s in &self.list {
                        ui.selectable_value(&mut chosen, Some(s.uuid.clone()), summary_label(s));
                    }
                })
                .response
                .labelled_by(label.id);
            if chosen != self.story {
                self.story = chosen;
                self.loaded_at = None;
            }
            ui.separator();
            let label = ui.label("Participant:");
            let shown = self
                .new_for
                .as_ref()
                .and_then(|id| self.participants.iter().find(|p| &p.0 == id))
                .map(|p| p.1.clone())
                .unwrap_or_else(|| "choose".into());
            egui::ComboBox::from_id_salt("story-participant")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (id, label) in &self.participants {
                        ui.selectable_value(&mut self.new_for, Some(id.clone()), label);
                    }
                })
                .response
                .labelled_by(label.id);
            let who = self.new_for.clone();
            if ui
                .add_enabled(who.is_some(), egui::Button::new("Auto-draft story"))
                .on_hover_text(
                    "A first draft from the participant's own words, fitted to two pages",
                )
                .clicked()
                && let Some(who) = &who
                && let Some(uuid) = sh
                    .apply(Command::DraftStory {
                        participant: who.to_owned(),
                    })
                    .and_then(|a| a.id().ok())
            {
                self.open(uuid);
            }
            if ui
                .add_enabled(who.is_some(), egui::Button::new("Empty story"))
                .clicked()
                && let Some(who) = &who
                && let Some(uuid) = sh
                    .apply(Command::CreateStory {
                        participant: who.to_owned(),
                        title: ("").to_owned(),
                    })
                    .and_then(|a| a.id().ok())
            {
                self.open(uuid);
            }
        });
    }
}

fn summary_label(s: &StorySummary) -> String {
    let title = if s.title.is_empty() {
        "(untitled)"
    } else {
        &s.title
    };
    format!(
        "{} – {title} [{}]",
        s.participant.as_deref().unwrap_or("?"),
        status_label(s.status)
    )
}
