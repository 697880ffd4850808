//! The transcript side: the participant's documents, and the selection in
//! them made into an excerpt, a cut, a clarification or a pseudonym.

use super::StoryEditor;
use crate::gui::shared::Shared;
use storyloom_project::stories::model::{BlockContent, Story};

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
        let block = selection
            .as_ref()
            .and_then(|s| block_holding(&l.story, &s.document, s.start, s.end));
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    selection.is_some(),
                    egui::Button::new("Add selection as excerpt"),
                )
                .clicked()
                && let Some(s) = &selection
            {
                sh.act(|p| p.add_excerpt(&story, &s.document, s.start, s.end, None));
            }
            if ui
                .add_enabled(block.is_some(), egui::Button::new("Cut selected words"))
                .on_hover_text(
                    "Within an excerpt: the words become … ; at its edge, the excerpt is shortened",
                )
                .clicked()
                && let (Some(s), Some(b)) = (&selection, &block)
            {
                sh.act(|p| p.cut_words(&story, b, s.start, s.end));
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Clarification:");
            ui.add(egui::TextEdit::singleline(&mut self.clarification).desired_width(160.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    block.is_some() && !self.clarification.trim().is_empty(),
                    egui::Button::new("Insert after selection"),
                )
                .clicked()
                && let (Some(s), Some(b)) = (&selection, &block)
                && sh
                    .act(|p| p.add_clarification(&story, b, s.end, &self.clarification))
                    .is_some()
            {
                self.clarification.clear();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Replace with:");
            ui.add(egui::TextEdit::singleline(&mut self.replacement).desired_width(160.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    block.is_some() && !self.replacement.trim().is_empty(),
                    egui::Button::new("Replace selection"),
                )
                .clicked()
                && let (Some(s), Some(b)) = (&selection, &block)
                && sh
                    .act(|p| p.replace_with_pseudonym(&story, b, s.start, s.end, &self.replacement))
                    .is_some()
            {
                self.replacement.clear();
            }
        });
        ui.separator();
        self.transcript.ui(ui, sh);
    }
}

/// The excerpt block whose spans hold a selection (document uuid, chars).
fn block_holding(story: &Story, document: &str, start: usize, end: usize) -> Option<String> {
    story.blocks.iter().find_map(|b| match &b.content {
        BlockContent::Excerpt { pieces } => {
            let first = pieces.first()?;
            let last = pieces.last()?;
            (first.span.document == document && first.span.start <= start && end <= last.span.end)
                .then(|| b.uuid.clone())
        }
        BlockContent::Framing { .. } => None,
    })
}
