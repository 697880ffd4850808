//! The selection as anchor and head (document char offsets): set by the
//! pointer in [`super::turns`], shared with the other panels through
//! `Shared::selection`, and taken from them when they set it.

use super::model::{Model, block_at};
use super::turns::Placed;
use super::{DocumentView, Selection, Shared};
use egui::Pos2;

impl DocumentView {
    /// The current selection (start < end), document char offsets.
    pub fn selected_range(&self) -> Option<(usize, usize)> {
        let (a, b) = (self.anchor.min(self.head), self.anchor.max(self.head));
        (a < b).then_some((a, b))
    }

    pub(super) fn pending_selection(&mut self, start: usize, end: usize) {
        self.anchor = start;
        self.head = end;
        self.has_cursor = true;
        self.dragging = false;
        self.force_publish = true;
    }

    /// Someone else set `Shared::selection` (a test, another panel): take it.
    pub(super) fn adopt_outside_selection(&mut self, sh: &Shared) {
        if sh.selection == self.published || self.force_publish {
            return;
        }
        let Some(model) = &self.model else { return };
        match &sh.selection {
            Some(s) if s.document == model.uuid => {
                self.anchor = s.start.min(model.chars);
                self.head = s.end.min(model.chars);
                self.has_cursor = true;
            }
            _ => self.anchor = self.head,
        }
        self.published = sh.selection.clone();
    }

    pub(super) fn publish(&mut self, ctx: &egui::Context, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let new = self.selected_range().map(|(start, end)| Selection {
            document: model.uuid.clone(),
            version: model.version,
            start,
            end,
        });
        let mut changed = false;
        if new != self.published || self.force_publish {
            self.force_publish = false;
            sh.selection = new.clone();
            self.published = new;
            changed = true;
        }
        let cursor = self.has_cursor.then_some(self.head);
        if sh.cursor != cursor {
            sh.cursor = cursor;
            changed = true;
        }
        if changed {
            // The inspector drew before us this frame.
            ctx.request_repaint();
        }
    }
}

/// The document offset under a screen position, over the turns laid out.
pub(super) fn offset_at(placed: &[Placed], model: &Model, pos: Pos2) -> Option<usize> {
    let first = placed.first()?;
    if pos.y < first.top {
        return Some(model.blocks[first.block].start);
    }
    for p in placed {
        if pos.y < p.bottom {
            let b = &model.blocks[p.block];
            if pos.y < p.galley_pos.y {
                return Some(b.start);
            }
            let local = p.galley.cursor_from_pos(pos - p.galley_pos).index.0;
            return Some(b.start + local.min(b.chars()));
        }
    }
    placed.last().map(|p| model.blocks[p.block].end)
}

/// Letters, digits and apostrophes make words ("didn't", "Doreen’s").
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// Widens a selection (char offsets in `text`) to whole words: an edge
/// inside a word moves out to the word's edge; spaces at either end are
/// dropped. A selection of nothing but spaces is left as it is.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (snap_start(&chars, start), snap_end(&chars, end));
    if s < e { (s, e) } else { (start, end) }
}

fn snap_start(chars: &[char], at: usize) -> usize {
    let mut s = at.min(chars.len());
    while s < chars.len() && chars[s].is_whitespace() {
        s += 1;
    }
    if s < chars.len() && is_word(chars[s]) {
        while s > 0 && is_word(chars[s - 1]) {
            s -= 1;
        }
    }
    s
}

fn snap_end(chars: &[char], at: usize) -> usize {
    let mut e = at.min(chars.len());
    while e > 0 && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e > 0 && is_word(chars[e - 1]) {
        while e < chars.len() && is_word(chars[e]) {
            e += 1;
        }
    }
    e
}

/// [`snap_to_words`] over a document selection that may cross turns: each
/// edge snaps within its own turn.
pub(super) fn snap_selection(model: &Model, start: usize, end: usize) -> (usize, usize) {
    let (Some(i), Some(j)) = (
        block_at(&model.blocks, start),
        block_at(&model.blocks, end.saturating_sub(1).max(start)),
    ) else {
        return (start, end);
    };
    let (bi, bj) = (&model.blocks[i], &model.blocks[j]);
    // Local offsets; an edge between turns counts as the turn's edge.
    let (la, lb) = (
        start.clamp(bi.start, bi.end) - bi.start,
        end.clamp(bj.start, bj.end) - bj.start,
    );
    let (a, b) = if i == j {
        let (a, b) = snap_to_words(bi.text(&model.text), la, lb);
        (bi.start + a, bi.start + b)
    } else {
        let ci: Vec<char> = bi.text(&model.text).chars().collect();
        let cj: Vec<char> = bj.text(&model.text).chars().collect();
        (bi.start + snap_start(&ci, la), bj.start + snap_end(&cj, lb))
    };
    if a < b { (a, b) } else { (start, end) }
}

/// The word around a local char offset (letters, digits, apostrophes).
pub(super) fn word_at(text: &str, at: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let at = at.min(chars.len());
    let mut a = at;
    while a > 0 && is_word(chars[a - 1]) {
        a -= 1;
    }
    let mut e = at;
    while e < chars.len() && is_word(chars[e]) {
        e += 1;
    }
    if a == e && e < chars.len() {
        e += 1;
    }
    (a, e)
}
