//! The toggle that shows, in the transcript beside the story, which of the
//! storyteller's words the story keeps (soft green) and which it leaves out
//! (faint underline). Read from `Project::story_coverage` once per story
//! revision and document; painted by the document view.

use crate::gui::document_view::{DocumentView, STORY_KEPT, StoryWords};
use crate::gui::shared::Shared;

pub(super) struct KeptWords {
    /// Show the highlight (on by default).
    pub show: bool,
    /// (story, document, project revision) the words were read at.
    at: Option<(String, String, u64)>,
}

impl Default for KeptWords {
    fn default() -> Self {
        Self {
            show: true,
            at: None,
        }
    }
}

impl KeptWords {
    /// The toggle and its legend; hands the words to the transcript view.
    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        story: &str,
        view: &mut DocumentView,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.show, "Show kept and cut words")
                .on_hover_text("In the transcript: the storyteller's words in the story, and those the story leaves out");
            if self.show {
                ui.label(egui::RichText::new(" in the story ").background_color(STORY_KEPT));
                ui.label(
                    egui::RichText::new("cut")
                        .underline()
                        .color(ui.visuals().weak_text_color()),
                );
                if let Some(w) = &view.story_words {
                    let kept: usize = w.kept.iter().map(|(s, e)| e - s).sum();
                    let cut: usize = w.cut.iter().map(|(s, e)| e - s).sum();
                    if let Some(pct) = (kept * 100 + (kept + cut) / 2).checked_div(kept + cut) {
                        ui.weak(format!("{pct}% of their words here kept"));
                    }
                }
            }
        });
        if !self.show {
            view.story_words = None;
            self.at = None;
            return;
        }
        let Some(document) = sh.open_document.clone() else {
            view.story_words = None;
            return;
        };
        let key = (story.to_owned(), document.clone(), sh.revision);
        if self.at.as_ref() != Some(&key) {
            self.at = Some(key);
            view.story_words =
                sh.read(|p| p.story_coverage(story, &document))
                    .map(|c| StoryWords {
                        document,
                        kept: c.kept,
                        cut: c.cut,
                    });
        }
    }
}
