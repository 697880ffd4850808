//! The story editor: the participant's transcript on the left (their turns
//! emphasised, interviewer turns quiet), the story on the right. Selections
//! in the transcript become excerpts, cuts (an ellipsis), clarifications and
//! pseudonym replacements; the fidelity checker and the page gauge are live.
//!
//! The parts: the [`toolbar`] (choose, draft, title and pseudonym), the
//! [`transcript`] side (selections become excerpts), the [`blocks`] of the
//! story with its fields (each block's text selectable, [`block_text`]), the
//! [`word_edits`] bar (cut, clarify, replace the selected words) and the
//! story's [`status`] (approval, fidelity findings, workshop notes).

mod block_text;
mod blocks;
mod consent;
mod kept_words;
mod names;
mod quality;
mod status;
mod toolbar;
mod transcript;
mod word_edits;

#[cfg(test)]
mod block_tests;
#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod names_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod word_edit_tests;

use super::document_view::DocumentView;
use super::shared::Shared;
use storyloom_exports::page_gauge::{self, PageEstimate};
use storyloom_project::stories::check::CheckReport;
use storyloom_project::stories::model::{Story, StorySummary};
use storyloom_project::stories::render::RenderedStory;

/// The editor's width (points) from which transcript and story sit side
/// by side, each at least about 440 points wide (some 60 characters of
/// transcript a line); narrower, they are tabs. A 1280-point window with
/// the navigator open still has them side by side.
pub const SIDE_BY_SIDE: f32 = 900.0;

/// Which side a narrow editor shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Side {
    Transcript,
    #[default]
    Story,
}

/// What the editor shows of the open story, read once per revision.
struct Loaded {
    story: Story,
    rendered: RenderedStory,
    check: CheckReport,
    gauge: PageEstimate,
    /// The participant's documents: (uuid, name).
    documents: Vec<(String, String)>,
    /// What workshops said about the story (imported recording sheets).
    notes: Vec<storyloom_project::store::pack::WorkshopNote>,
    /// Sendings, the storyteller's feedback and consent scope.
    consent: storyloom_project::stories::consent::ConsentRecord,
    /// Does it read as a story (openings, endings, gaps)? `None` when it could not be measured.
    quality: Option<storyloom_project::stories::quality::QualityReport>,
}

#[derive(Default)]
pub struct StoryEditor {
    /// The open story (uuid).
    pub story: Option<String>,
    list: Vec<StorySummary>,
    participants: Vec<(String, String)>,
    loaded: Option<Loaded>,
    loaded_at: Option<(String, u64)>,
    list_at: Option<u64>,
    transcript: DocumentView,
    /// Participant chosen for a new story.
    new_for: Option<String>,
    /// The story's kept and cut words in the transcript (a toggle).
    kept: kept_words::KeptWords,
    /// Cut, clarify and replace selected words.
    words: word_edits::WordEdits,
    framing: String,
    consent: consent::ConsentForm,
    /// The unreviewed names the story carries (see [`names`]).
    names: Option<names::StoryNames>,
    /// The side shown when the editor is too narrow for both.
    pub side: Side,
}

impl StoryEditor {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        self.reload(sh);
        self.header_ui(ui, sh);
        ui.separator();
        if self.loaded.is_none() {
            ui.label("Choose a story above, or draft one for a participant.");
            return;
        }
        let width = ui.available_width();
        if width < SIDE_BY_SIDE {
            // Too narrow for two usable columns: one at a time, full width.
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.side, Side::Transcript, "Transcript");
                ui.selectable_value(&mut self.side, Side::Story, "Story");
            });
            ui.separator();
            match self.side {
                Side::Transcript => self.transcript_ui(ui, sh),
                Side::Story => self.story_side_ui(ui, sh),
            }
            return;
        }
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2(width * 0.5 - 8.0, ui.available_height()),
                egui::Layout::top_down(egui::Align::LEFT),
                |ui| self.transcript_ui(ui, sh),
            );
            ui.separator();
            ui.allocate_ui_with_layout(
                egui::vec2(ui.available_width(), ui.available_height()),
                egui::Layout::top_down(egui::Align::LEFT),
                |ui| self.story_side_ui(ui, sh),
            );
        });
    }

    /// The story side: the word-edit bar, then the story, scrolling.
    fn story_side_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if let Some(l) = &self.loaded {
            self.words.bar_ui(ui, sh, &l.story);
            ui.separator();
        }
        egui::ScrollArea::vertical()
            .id_salt("story-side")
            .auto_shrink(false)
            .show(ui, |ui| self.story_ui(ui, sh));
    }

    fn reload(&mut self, sh: &mut Shared) {
        if self.list_at != Some(sh.revision) {
            self.list_at = Some(sh.revision);
            self.list = sh.read(|p| p.stories()).unwrap_or_default();
            self.participants = sh
                .read(|p| p.participants())
                .unwrap_or_default()
                .into_iter()
                .map(|p| {
                    let label = match &p.pseudonym {
                        Some(ps) => format!("{} ({ps})", p.id),
                        None => p.id.clone(),
                    };
                    (p.id, label)
                })
                .collect();
            if let Some(s) = &self.story
                && !self.list.iter().any(|x| &x.uuid == s)
            {
                self.story = None;
            }
        }
        let Some(uuid) = self.story.clone() else {
            self.loaded = None;
            return;
        };
        if self.loaded_at == Some((uuid.clone(), sh.revision)) {
            return;
        }
        self.loaded_at = Some((uuid.clone(), sh.revision));
        let loaded = sh.read(|p| {
            let story = p.story(&uuid)?;
            // The research view: the original words, so the editor shows what
            // the storyteller said; pseudonyms show as [Replacement] edits.
            let rendered = p.render_story_research(&uuid)?;
            let check = p.check_story(&uuid, None)?;
            let documents = match &story.participant {
                Some(id) => p
                    .documents()?
                    .into_iter()
                    .filter(|d| d.participants.iter().any(|x| x == id))
                    .map(|d| (d.uuid, d.name))
                    .collect(),
                None => vec![],
            };
            let notes = p.workshop_notes(&uuid)?;
            let consent = p.story_consent(&uuid)?;
            let quality = p.story_quality(&uuid).ok();
            Ok((story, rendered, check, documents, (notes, consent, quality)))
        });
        self.loaded = loaded.map(
            |(story, rendered, check, documents, (notes, consent, quality))| Loaded {
                gauge: page_gauge::pages(&rendered),
                story,
                rendered,
                check,
                documents,
                notes,
                consent,
                quality,
            },
        );
        // Show the story's first source document on the left.
        if let Some(l) = &self.loaded {
            let current = sh.open_document.clone();
            let belongs = current
                .as_ref()
                .is_some_and(|c| l.documents.iter().any(|(u, _)| u == c));
            if !belongs && let Some((u, _)) = l.documents.first() {
                sh.open_document = Some(u.clone());
            }
        }
    }

    fn open(&mut self, uuid: String) {
        self.story = Some(uuid);
        self.loaded_at = None;
    }
}
