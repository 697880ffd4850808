//! The transcript side: the participant's documents, and the selection in
//! them made into an excerpt. (Cut, clarify and replace act on the latest
//! selection, here or in the story: see `word_edits`.)

use super::StoryEditor;
use crate::gui::shared::Shared;
use storyloom_project::Command;

impl StoryEditor {
    pub(super) fn transcript_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(l) = &self.loaded else { return };
        let story = l.story.uuid.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Transcript:");
            let current = sh.open_document.clone();
            let shown = l
                .documents
                .iter()
                .find(|(u, _)| Some(u) == current.as_ref())
                .map(|d| d.1.clone())
                .unwrap_or_else(|| "(none linked)".into());
            let mut chosen = current.clone();
            egui::ComboBox::from_id_salt("story-transcript")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (u, n) in &l.documents {
                        ui.selectable_value(&mut chosen, Some(u.clone()), n);
                    }
                })
                .response
                .labelled_by(label.id);
            if chosen != current {
                sh.open_document = chosen;
            }
        });
        let selection = sh
            .selection
            .clone()
            .filter(|s| Some(&s.document) == sh.open_document.as_ref());
        if ui
            .add_enabled(
                selection.is_some(),
                egui::Button::new("Add selection as excerpt"),
            )
            .clicked()
            && let Some(s) = &selection
        {
            sh.push(Command::AddExcerpt {
                story: story.to_owned(),
                document: s.document.to_owned(),
                start: s.start,
                end: s.end,
                position: None,
            });
        }
        self.kept.ui(ui, sh, &story, &mut self.transcript);
        ui.separator();
        self.transcript.compact = true;
        self.transcript.ui(ui, sh);
    }
}
