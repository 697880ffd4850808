//! The open story's words behind the transcript (story editor only): the
//! storyteller's words the story keeps get a soft green ground, the words of
//! their turns it leaves out a faint underline, so the researcher sees what
//! the story left out. The story editor fills [`StoryWords`]; this module
//! only paints it, behind the text of the turns laid out this frame.

use super::model::Model;
use super::paint::range_rects;
use super::turns::Placed;
use egui::{Color32, Stroke, pos2};

/// Char ranges of one document (its current text) to show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryWords {
    pub document: String,
    /// Words in the story.
    pub kept: Vec<(usize, usize)>,
    /// The storyteller's words the story leaves out.
    pub cut: Vec<(usize, usize)>,
}

/// The ground of kept words: quiet on light and dark themes.
pub const KEPT: Color32 = Color32::from_rgba_premultiplied(40, 120, 60, 46);
/// The underline of cut words.
pub const CUT: Color32 = Color32::from_rgba_premultiplied(150, 60, 60, 120);

/// Paints the ranges behind the turns in `placed` (call before the text).
pub(super) fn paint(ui: &egui::Ui, model: &Model, placed: &[Placed], words: &StoryWords) {
    if model.uuid != words.document {
        return;
    }
    let painter = ui.painter();
    for p in placed {
        let b = &model.blocks[p.block];
        let local = |&(s, e): &(usize, usize)| {
            let a = s.clamp(b.start, b.end) - b.start;
            let z = e.clamp(b.start, b.end) - b.start;
            (a < z).then_some((a, z))
        };
        let offset = p.galley_pos.to_vec2();
        for (a, z) in words.kept.iter().filter_map(local) {
            for r in range_rects(&p.galley, a, z) {
                painter.rect_filled(r.translate(offset), 2.0, KEPT);
            }
        }
        for (a, z) in words.cut.iter().filter_map(local) {
            for r in range_rects(&p.galley, a, z) {
                let r = r.translate(offset);
                let y = r.bottom() - 1.0;
                painter.line_segment(
                    [pos2(r.left(), y), pos2(r.right(), y)],
                    Stroke::new(1.0, CUT),
                );
            }
        }
    }
}
