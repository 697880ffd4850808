//! The keyboard in a transcript: Page Up/Down, the arrows, Home/End (with
//! or without Ctrl) scroll; Ctrl+Down/Up go to the next or previous speaker
//! turn and put the caret at its start. Keys are read in
//! `DocumentView::keys` and carried out in the next
//! layout, where the viewport and the turn heights are known.

use super::model::Model;
use egui::{Align, Key, Modifiers, Rect, pos2, vec2};

/// A scroll the keyboard asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Scroll {
    /// Lines down (positive) or up.
    Lines(f32),
    /// Screens down (positive) or up.
    Pages(f32),
    Top,
    Bottom,
    /// Speaker turns forward (positive) or back.
    Turns(i32),
}

/// Takes a scrolling key from this frame's input.
pub(super) fn scroll_key(i: &mut egui::InputState) -> Option<Scroll> {
    let c = Modifiers::COMMAND;
    let n = Modifiers::NONE;
    // Ctrl first: a plain match would also take the Ctrl+ version.
    if i.consume_key(c, Key::Home) || i.consume_key(n, Key::Home) {
        Some(Scroll::Top)
    } else if i.consume_key(c, Key::End) || i.consume_key(n, Key::End) {
        Some(Scroll::Bottom)
    } else if i.consume_key(c, Key::ArrowDown) {
        Some(Scroll::Turns(1))
    } else if i.consume_key(c, Key::ArrowUp) {
        Some(Scroll::Turns(-1))
    } else if i.consume_key(n, Key::PageDown) {
        Some(Scroll::Pages(1.0))
    } else if i.consume_key(n, Key::PageUp) {
        Some(Scroll::Pages(-1.0))
    } else if i.consume_key(n, Key::ArrowDown) {
        Some(Scroll::Lines(1.0))
    } else if i.consume_key(n, Key::ArrowUp) {
        Some(Scroll::Lines(-1.0))
    } else {
        None
    }
}

/// The speaker turn `steps` away from the top of the view (non-speech
/// blocks such as headings are passed over when a turn lies beyond them).
fn turn_from(model: &Model, top: usize, above_view: bool, steps: i32) -> usize {
    let n = model.blocks.len();
    let speech = |k: usize| model.blocks[k].speaker.is_some();
    let mut k = top;
    if steps > 0 {
        for _ in 0..steps {
            match (k + 1..n)
                .find(|&j| speech(j))
                .or((k + 1 < n).then_some(k + 1))
            {
                Some(j) => k = j,
                None => break,
            }
        }
    } else {
        // A turn partly scrolled past counts as the previous one.
        let mut left = -steps;
        if above_view {
            left -= 1;
        }
        for _ in 0..left {
            match (0..k).rev().find(|&j| speech(j)).or(k.checked_sub(1)) {
                Some(j) => k = j,
                None => break,
            }
        }
    }
    k
}

/// Carries out a scroll asked for by the keyboard, in the text's layout
/// (`origin`: top-left of the content; `prefix`: turn tops; `row`: line
/// height; `top`: the turn at the top). Returns the start of a turn to go to
/// (Ctrl+Down/Up), which the caller reveals and puts the caret at.
pub(super) fn keyboard_scroll(
    scroll: Scroll,
    ui: &egui::Ui,
    model: &Model,
    (viewport, origin): (Rect, egui::Pos2),
    prefix: &[f32],
    (row, top): (f32, usize),
) -> Option<usize> {
    let none = egui::style::ScrollAnimation::none();
    let width = viewport.width();
    let total = prefix.last().copied().unwrap_or(0.0);
    ui.ctx().request_repaint();
    match scroll {
        Scroll::Lines(n) => {
            ui.scroll_with_delta_animation(vec2(0.0, -n * 2.0 * row), none);
        }
        Scroll::Pages(n) => {
            let page = (viewport.height() - 3.0 * row).max(row);
            ui.scroll_with_delta_animation(vec2(0.0, -n * page), none);
        }
        Scroll::Top => {
            let rect = Rect::from_min_size(origin, vec2(width, 1.0));
            ui.scroll_to_rect_animation(rect, Some(Align::Min), none);
        }
        Scroll::Bottom => {
            let rect =
                Rect::from_min_size(pos2(origin.x, origin.y + total - 1.0), vec2(width, 1.0));
            ui.scroll_to_rect_animation(rect, Some(Align::Max), none);
        }
        Scroll::Turns(steps) => {
            if model.blocks.is_empty() {
                return None;
            }
            let top = top.min(model.blocks.len() - 1);
            let above = prefix.get(top).is_some_and(|&y| y < viewport.min.y - 1.0);
            let k = turn_from(model, top, above, steps);
            return Some(model.blocks[k].start);
        }
    }
    None
}
