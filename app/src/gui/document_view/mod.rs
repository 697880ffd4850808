//! The document view: a transcript by speaker turns, with coded ranges in
//! code colours, coding stripes in the left margin, transcription marks in
//! grey italics, and char-precise selection across turns.
//!
//! How it stays fast: the document becomes [`model::Model`] once per project
//! revision (a `LayoutJob` per turn, rebuilt only for turns that look
//! different); each frame lays out (through epaint's galley cache) and paints
//! only the turns in the viewport once the document is larger than
//! [`VIRTUAL_CHARS`], using measured turn heights and estimates for the rest.
//!
//! Selection is ours, not a `TextEdit`'s: a press on a turn's text sets the
//! anchor (`Galley::cursor_from_pos`, chars), dragging moves the head across
//! turns, shift-click extends, double-click takes a word, triple-click the
//! turn. Document offset = turn start + char offset in the turn's text.
//!
//! The parts: [`model`] (what the document looks like), [`heights`] (turn
//! heights for virtualisation), [`turns`] (a frame's layout and pointer
//! handling), [`paint`], [`selection`] (anchor and head, shared with the
//! other panels) and [`actions`] (applying codes: keys, toolbar, picker,
//! drag and drop).

mod actions;
mod caret;
#[cfg(test)]
mod caret_tests;
#[cfg(test)]
mod coding_step_tests;
mod coding_steps;
mod compare_margin;
mod heights;
mod keyboard;
#[cfg(test)]
mod keyboard_tests;
#[cfg(test)]
mod layout_tests;
mod margin_names;
mod model;
mod paint;
mod picker;
mod selection;
mod speakers;
mod story_words;
#[cfg(test)]
mod tests;
mod turns;

pub use story_words::{KEPT as STORY_KEPT, StoryWords};

use super::shared::{Selection, Shared};
use egui::Pos2;
use heights::Heights;
use model::{Model, Style};
use picker::Picker;
use std::sync::Arc;
use storyloom_project::{Code, Coding};

/// Documents longer than this (chars) are laid out turn by turn as they
/// scroll into view; shorter ones are laid out whole every frame (cheap,
/// thanks to the galley cache, and complete for screen readers).
pub const VIRTUAL_CHARS: usize = 60_000;
/// Width of the coding-stripe margin left of the text.
const MARGIN: f32 = 46.0;
/// Space below each turn.
const GAP: f32 = 10.0;
/// Frames a jump may take to settle on its target.
const REVEAL_TRIES: u8 = 8;

/// The open document's codings and the codes as the view last read them,
/// left in egui's temporary data for the inspector (which draws before the
/// view in a frame): after a change it takes them from here instead of
/// reading the same rows again.
pub struct CodingsStash {
    pub document: String,
    pub revision: u64,
    pub codings: Arc<Vec<Coding>>,
    pub codes: Arc<Vec<Code>>,
}

fn stash_id() -> egui::Id {
    egui::Id::unique("storyloom-document-codings")
}

/// The codings of `document` read at `revision`, if the view has them.
pub fn stashed_codings(
    ctx: &egui::Context,
    document: &str,
    revision: u64,
) -> Option<Arc<CodingsStash>> {
    ctx.data(|d| d.get_temp::<Arc<CodingsStash>>(stash_id()))
        .filter(|s| s.document == document && s.revision == revision)
}

/// Leaves what the view read for the inspector (see [`CodingsStash`]).
fn stash(
    ctx: &egui::Context,
    document: &str,
    revision: u64,
    codings: &Arc<Vec<Coding>>,
    codes: &Arc<Vec<Code>>,
) {
    ctx.data_mut(|d| {
        d.insert_temp(
            stash_id(),
            Arc::new(CodingsStash {
                document: document.to_owned(),
                revision,
                codings: codings.clone(),
                codes: codes.clone(),
            }),
        )
    });
}

/// A range to bring into view (after a jump request).
#[derive(Debug, Clone, Copy)]
struct Reveal {
    start: usize,
    end: usize,
    /// Frames left to get there (the turn's height may be an estimate at first).
    tries: u8,
    /// Put the range's turn at the top of the view (a place reopened), not
    /// the range in the middle (a jump).
    top: bool,
}

#[derive(Default)]
pub struct DocumentView {
    model: Option<Model>,
    /// (document, revision) the model was read at.
    loaded: Option<(String, u64)>,
    /// Texts and turns read from the project (tests look at it).
    text_reads: usize,
    /// Selection as anchor and head (document char offsets).
    anchor: usize,
    head: usize,
    has_cursor: bool,
    dragging: bool,
    /// What we last wrote to `Shared::selection` (to notice changes from outside).
    published: Option<Selection>,
    /// Publish the selection even if it looks unchanged (after a jump).
    force_publish: bool,
    picker: Option<Picker>,
    reveal: Option<Reveal>,
    heights: Heights,
    /// Where the selection ends on screen (the picker opens there).
    selection_pos: Option<Pos2>,
    /// The first block laid out in the last frame (tests look at it).
    first_shown: usize,
    /// Blocks laid out in the last frame.
    shown: usize,
    /// The block at the top of the viewport in the last frame.
    top_block: usize,
    /// A scroll asked for by the keyboard, carried out in the next layout.
    scroll: Option<keyboard::Scroll>,
    /// How far the text is scrolled (points from its top), last frame.
    pub scroll_y: f32,
    /// The open story's kept and cut words, shown behind the text (story editor).
    pub story_words: Option<StoryWords>,
    /// The open document's speakers: checked or not, names, corrections.
    speakers: speakers::SpeakersBar,
    /// A correction of the turns asked for this frame, applied after layout.
    fix: Option<speakers::Fix>,
    /// Beside a story: no speakers bar (checked or not, names, detection),
    /// so the turns start near the top of a narrow column. Turns' own
    /// speaker menus still correct them.
    pub compact: bool,
    /// Code names drawn in the margin last frame (tests look at it).
    margin_labels: usize,
    /// The two coders' bars drawn in the comparison margin last frame.
    compared: compare_margin::Drawn,
}

impl DocumentView {
    /// Bars drawn last frame in the comparison margin: coder A's, coder B's.
    #[cfg(test)]
    pub fn compared(&self) -> (usize, usize) {
        (self.compared.a, self.compared.b)
    }
}

impl DocumentView {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if let Some(j) = sh.jump.take() {
            if sh.open_document.as_deref() != Some(j.document.as_str()) {
                sh.open_document = Some(j.document.clone());
            }
            self.reveal = Some(Reveal {
                start: j.start,
                end: j.end,
                tries: REVEAL_TRIES,
                top: false,
            });
            // Selected once the document is loaded, below.
            self.pending_selection(j.start, j.end);
        }
        let Some(uuid) = sh.open_document.clone() else {
            self.model = None;
            self.loaded = None;
            ui.centered_and_justified(|ui| ui.label("Choose a document on the left."));
            return;
        };
        self.load(ui.ctx(), &uuid, sh);
        let Some(model) = &mut self.model else {
            ui.label("This document could not be read.");
            return;
        };
        model.set_style(Style::from_ui(ui));
        self.adopt_outside_selection(sh);
        self.keys(ui, sh);
        self.toolbar(ui, sh);
        if !self.compact
            && let Some(fix) = self.speakers.ui(ui, sh, &uuid)
        {
            self.fix = Some(fix);
        }
        // A code applied just now shows in this very frame.
        self.load(ui.ctx(), &uuid, sh);
        if let Some(model) = &mut self.model {
            model.set_style(Style::from_ui(ui));
        } else {
            return;
        }
        ui.separator();
        let out = egui::ScrollArea::vertical()
            .id_salt("document-text")
            .auto_shrink(false)
            // Every scroll here is meant to be instant (jumps, keys, and the
            // shift that keeps the view still while heights are measured):
            // applied this frame, so the next frame's layout and offset agree.
            .animated(false)
            .show_viewport(ui, |ui, viewport| self.text_ui(ui, viewport, sh));
        self.picker_ui(ui, sh);
        self.drop_ui(ui, out.inner_rect, sh);
        if let Some(fix) = self.fix.take() {
            speakers::apply(sh, &uuid, fix);
            ui.ctx().request_repaint();
        }
        self.publish(ui.ctx(), sh);
    }

    fn load(&mut self, ctx: &egui::Context, uuid: &str, sh: &mut Shared) {
        if self.loaded.as_ref() == Some(&(uuid.to_owned(), sh.revision)) {
            return;
        }
        // After changes to codings only, the text and turns are as they were.
        let codings_only = self
            .loaded
            .as_ref()
            .is_some_and(|(d, r)| d == uuid && sh.codings_only_since(*r));
        self.loaded = Some((uuid.to_owned(), sh.revision));
        // Blind mode and the coder filter show one coder's codings.
        let coder = sh.shown_coder();
        if codings_only && let Some(m) = &mut self.model {
            let read =
                sh.read(|p| Ok((p.codings(None, Some(uuid), coder.as_deref())?, p.codes()?)));
            match read {
                Some((codings, codes)) => {
                    let (codings, codes) = (Arc::new(codings), Arc::new(codes));
                    stash(ctx, uuid, sh.revision, &codings, &codes);
                    m.set_codings(codings, codes);
                }
                None => self.model = None,
            }
            return;
        }
        self.text_reads += 1;
        let read = sh.read(|p| {
            Ok((
                p.document(uuid)?,
                p.codings(None, Some(uuid), coder.as_deref())?,
                p.codes()?,
            ))
        });
        let Some((doc, codings, codes)) = read else {
            self.model = None;
            return;
        };
        let (codings, codes) = (Arc::new(codings), Arc::new(codes));
        stash(ctx, uuid, sh.revision, &codings, &codes);
        match &mut self.model {
            Some(m) if m.same_text(&doc) => {
                if m.refresh(doc, codings, codes) {
                    self.heights.reset();
                }
            }
            _ => {
                self.model = Some(Model::new(doc, codings, codes));
                self.heights.reset();
                self.dragging = false;
                if self.reveal.is_none() {
                    // Another document or a new text version: offsets no longer hold.
                    self.anchor = 0;
                    self.head = 0;
                    self.has_cursor = false;
                }
            }
        }
        if let Some(m) = &self.model {
            let n = m.chars;
            self.anchor = self.anchor.min(n);
            self.head = self.head.min(n);
        }
    }
}

impl DocumentView {
    /// Scrolls to the turn holding `offset` (top of the view) once the
    /// document is shown: reopening where the researcher was reading.
    pub fn restore_place(&mut self, offset: usize) {
        self.reveal = Some(Reveal {
            start: offset,
            end: offset,
            tries: REVEAL_TRIES,
            top: true,
        });
    }

    /// The document shown and the start of the turn at the top of the view.
    pub fn top_offset(&self) -> Option<(&str, usize)> {
        let m = self.model.as_ref()?;
        let b = m.blocks.get(self.top_block)?;
        Some((m.uuid.as_str(), b.start))
    }

    /// Measure at most `n` turns out of view per frame (tests: what a frame
    /// does must not depend on how fast the machine is).
    #[cfg(test)]
    pub(crate) fn cap_measuring(&mut self, n: usize) {
        self.heights.per_frame_cap = Some(n);
    }

    /// Are turn heights still being measured (large documents, just opened)?
    pub fn measuring(&self) -> bool {
        self.model.as_ref().is_some_and(|m| m.chars > VIRTUAL_CHARS)
            && self.heights.measured.iter().any(Option::is_none)
    }
}
