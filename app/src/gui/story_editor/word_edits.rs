//! Cut, clarify and replace the words selected in the story itself (or, when
//! nothing is selected there, in the transcript beside it), and split a block
//! before them.
//!
//! Which words an edit acts on is always shown ("Words: “I did.” in block
//! 3"), and the most recent selection wins: selecting in a story block
//! replaces a transcript selection, a new transcript selection replaces the
//! story one. (The bug this fixes: "Cut selected words" used to act on the
//! transcript selection while the researcher had selected words in the story.)
//!
//! Every edit goes through the same `Project` calls as `storyloom story
//! cut | clarify | replace`, so each is one undoable change with the same
//! guards (a replacement stands for a pseudonym entry or at most 3 words).
//! A cut that would leave the tail of a sentence without its start offers
//! to cut to the sentence end instead.

use super::block_text::BlockText;
use crate::gui::shared::{Selection, Shared};
use storyloom_project::Command;
use storyloom_project::CutToSentenceEnd;
use storyloom_project::stories::model::{BlockContent, Story};
use storyloom_project::stories::render::Paragraph;
use storyloom_project::stories::words::selected_source;

/// Words chosen for an edit.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    block: String,
    /// 0-based place of the block.
    block_no: usize,
    /// Chars of the transcript version.
    start: usize,
    end: usize,
    /// The words as selected, for the label.
    shown: String,
}

/// Words selected in a story block, valid for one revision of the story.
#[derive(Debug, Clone)]
struct Picked {
    story: String,
    revision: i64,
    target: Target,
}

/// A cut waiting for the researcher's answer: it would leave a fragment.
struct Offer {
    story: String,
    revision: i64,
    target: Target,
    extended: CutToSentenceEnd,
}

#[derive(Default)]
pub(super) struct WordEdits {
    picked: Option<Picked>,
    /// The transcript selection last seen (a new one replaces `picked`).
    seen_transcript: Option<Selection>,
    /// Selected words in a block that are not the storyteller's (an ellipsis, a clarification).
    no_words: bool,
    offer: Option<Offer>,
    clarification: String,
    replacement: String,
}

impl WordEdits {
    /// Records what block `i`'s text field reports this frame.
    pub(super) fn note_block(&mut self, story: &Story, para: &Paragraph, i: usize, bt: &BlockText) {
        if !bt.focused {
            return;
        }
        let Some((a, b)) = bt.selection else {
            // A click in the block without a selection drops the old one.
            if self
                .picked
                .as_ref()
                .is_some_and(|p| p.target.block == para.block_uuid)
            {
                self.picked = None;
            }
            self.no_words = false;
            return;
        };
        let shown: String = para.text().chars().skip(a).take(b - a).collect();
        match selected_source(para, a, b) {
            Some(w) => {
                self.no_words = false;
                self.picked = Some(Picked {
                    story: story.uuid.clone(),
                    revision: story.revision,
                    target: Target {
                        block: para.block_uuid.clone(),
                        block_no: i,
                        start: w.start,
                        end: w.end,
                        shown: flat(&shown),
                    },
                });
            }
            None => {
                self.picked = None;
                self.no_words = true;
            }
        }
    }

    /// The words an edit would act on: the story selection, or the transcript
    /// selection when it lies inside an excerpt.
    fn target(&mut self, story: &Story, sh: &Shared) -> Option<(Target, bool)> {
        let transcript = sh
            .selection
            .clone()
            .filter(|s| Some(&s.document) == sh.open_document.as_ref());
        if transcript != self.seen_transcript {
            self.seen_transcript = transcript.clone();
            if transcript.is_some() {
                self.picked = None;
                self.no_words = false;
            }
        }
        if let Some(p) = &self.picked {
            if p.story == story.uuid && p.revision == story.revision {
                return Some((p.target.clone(), true));
            }
            self.picked = None;
        }
        let s = transcript?;
        let (block, block_no) = block_holding(story, &s.document, s.start, s.end)?;
        let shown: String = sh
            .project
            .as_ref()
            .and_then(|p| p.document(&s.document).ok())
            .map(|d| d.text.chars().skip(s.start).take(s.end - s.start).collect())
            .unwrap_or_default();
        Some((
            Target {
                block,
                block_no,
                start: s.start,
                end: s.end,
                shown: flat(&shown),
            },
            false,
        ))
    }

    /// The edit bar: what is selected, and cut / clarify / replace.
    pub(super) fn bar_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &Story) {
        if self.offer_ui(ui, sh, story) {
            return;
        }
        let target = self.target(story, sh);
        // One line whatever is selected, so that the story below never moves
        // under the pointer while words are being selected with the mouse.
        let line = match &target {
            Some((t, in_story)) => {
                let place = if *in_story {
                    "in the story"
                } else {
                    "in the transcript"
                };
                egui::RichText::new(format!(
                    "Words: “{}” (block {}, selected {place})",
                    short(&t.shown),
                    t.block_no + 1
                ))
            }
            None if self.no_words => egui::RichText::new(
                "The selection holds none of the storyteller's words (only … or [ ]).",
            ),
            None => egui::RichText::new(
                "Select words in a story block (or in the transcript) to cut, clarify, replace or split there.",
            )
            .weak(),
        };
        ui.add(egui::Label::new(line).truncate());
        let t = target.map(|(t, _)| t);
        // One row at 1280x800: cut and split as buttons; clarifying and
        // replacing (rarer, each with its own words to type) under menus.
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(t.is_some(), egui::Button::new("Cut selected words"))
                .on_hover_text(
                    "Inside an excerpt the words become … ; at its edge, the excerpt is shortened",
                )
                .clicked()
                && let Some(t) = &t
            {
                self.cut(sh, story, t);
            }
            if ui
                .add_enabled(t.is_some(), egui::Button::new("Split block"))
                .on_hover_text(
                    "Two paragraphs: the block's words up to the selected words, and from them on",
                )
                .clicked()
                && let Some(t) = &t
                && sh
                    .apply(Command::SplitBlock {
                        story: story.uuid.to_owned(),
                        block: t.block.to_owned(),
                        at_char: t.start,
                    })
                    .and_then(|a| a.id().ok())
                    .is_some()
            {
                self.picked = None;
            }
            ui.add_enabled_ui(t.is_some(), |ui| {
                ui.menu_button("Clarify…", |ui| {
                    self.clarify_ui(ui, sh, story, t.as_ref())
                })
                .response
                .on_hover_text("Add [your words] after the selected words");
                ui.menu_button("Replace…", |ui| {
                    self.replace_ui(ui, sh, story, t.as_ref())
                })
                .response
                .on_hover_text("Show the selected words as [a pseudonym or a short detail]");
            });
        });
    }

    /// The clarification menu: the words to add and "Insert after selection".
    fn clarify_ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        story: &Story,
        t: Option<&Target>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label("Clarification:");
            ui.add(egui::TextEdit::singleline(&mut self.clarification).desired_width(180.0))
                .labelled_by(label.id);
        });
        if ui
            .add_enabled(
                t.is_some() && !self.clarification.trim().is_empty(),
                egui::Button::new("Insert after selection"),
            )
            .on_hover_text("Adds [your words] after the selected words")
            .clicked()
            && let Some(t) = t
            && sh
                .apply(Command::AddClarification {
                    story: story.uuid.to_owned(),
                    block: t.block.to_owned(),
                    at: t.end,
                    text: self.clarification.to_owned(),
                })
                .is_some()
        {
            self.clarification.clear();
            self.picked = None;
            ui.close();
        }
    }

    /// The replacement menu: the words to show and "Replace selection".
    fn replace_ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        story: &Story,
        t: Option<&Target>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label("Replace with:");
            ui.add(egui::TextEdit::singleline(&mut self.replacement).desired_width(180.0))
                .labelled_by(label.id);
        });
        if ui
            .add_enabled(
                t.is_some() && !self.replacement.trim().is_empty(),
                egui::Button::new("Replace selection"),
            )
            .on_hover_text(
                "Shows the words as [replacement]: for a name or identifying detail (a pseudonym entry, or at most 3 words)",
            )
            .clicked()
            && let Some(t) = t
            && sh
                .apply(Command::ReplaceWithPseudonym {
                    story: story.uuid.clone(),
                    block: t.block.clone(),
                    start: t.start,
                    end: t.end,
                    replacement: self.replacement.clone(),
                })
                .is_some()
        {
            self.replacement.clear();
            self.picked = None;
            ui.close();
        }
    }

    /// Cuts the words, or first offers to cut to the sentence end when the
    /// cut would leave a fragment.
    fn cut(&mut self, sh: &mut Shared, story: &Story, t: &Target) {
        let offer = sh.read(|p| p.cut_leaves_fragment(&story.uuid, &t.block, t.start, t.end));
        match offer {
            Some(Some(extended)) => {
                self.offer = Some(Offer {
                    story: story.uuid.clone(),
                    revision: story.revision,
                    target: t.clone(),
                    extended,
                });
            }
            Some(None)
                if sh
                    .apply(Command::CutWords {
                        story: story.uuid.to_owned(),
                        block: t.block.to_owned(),
                        start: t.start,
                        end: t.end,
                    })
                    .is_some() =>
            {
                self.picked = None;
            }
            _ => {}
        }
    }

    /// The pending offer, if any (shown instead of the bar). True while it is shown.
    fn offer_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &Story) -> bool {
        let Some(o) = &self.offer else { return false };
        if o.story != story.uuid || o.revision != story.revision {
            self.offer = None;
            return false;
        }
        ui.label(format!(
            "Cutting “{}” would leave “{}” without the start of its sentence.",
            short(&o.target.shown),
            short(&o.extended.tail)
        ));
        let mut answer: Option<Option<(usize, usize)>> = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button("Cut to the sentence end").clicked() {
                answer = Some(Some((o.extended.start, o.extended.end)));
            }
            if ui.button("Cut only the selected words").clicked() {
                answer = Some(Some((o.target.start, o.target.end)));
            }
            if ui.button("Keep the words").clicked() {
                answer = Some(None);
            }
        });
        match answer {
            Some(Some((a, b))) => {
                let block = o.target.block.clone();
                self.offer = None;
                if sh
                    .apply(Command::CutWords {
                        story: story.uuid.to_owned(),
                        block: block.to_owned(),
                        start: a,
                        end: b,
                    })
                    .is_some()
                {
                    self.picked = None;
                }
                false
            }
            Some(None) => {
                self.offer = None;
                false
            }
            None => true,
        }
    }
}

/// The excerpt block whose spans hold a selection (document uuid, chars):
/// its uuid and 0-based place.
fn block_holding(
    story: &Story,
    document: &str,
    start: usize,
    end: usize,
) -> Option<(String, usize)> {
    story
        .blocks
        .iter()
        .enumerate()
        .find_map(|(i, b)| match &b.content {
            BlockContent::Excerpt { pieces } => {
                let first = pieces.first()?;
                let last = pieces.last()?;
                (first.span.document == document
                    && first.span.start <= start
                    && end <= last.span.end)
                    .then(|| (b.uuid.clone(), i))
            }
            BlockContent::Framing { .. } => None,
        })
}

/// Whitespace runs as one space.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words for a label: at most 60 chars.
fn short(s: &str) -> String {
    crate::text::one_line(s, 57)
}
