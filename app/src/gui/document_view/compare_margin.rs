//! Two coders' codings of a passage side by side, right of the text: a
//! disagreement opened from the agreement panel ("Show in transcript")
//! draws coder A's codings of the code as bars in one column and coder B's
//! in the next, each headed by the coder's name, beside the lines they
//! cover. Drawn whatever the coder filter shows (the comparison asked for
//! both); "Close" puts the margin away.

use super::model::Model;
use super::paint::range_y;
use super::turns::Placed;
use crate::gui::shared::Compare;
use egui::{Rect, RichText, pos2, vec2};

/// Width of the comparison column, with its gap to the text.
pub(super) const WIDTH: f32 = 130.0;
/// Space between the text (or the code names) and the columns.
pub(super) const GAP: f32 = 12.0;
/// Width of one coder's bar.
const BAR: f32 = 6.0;

/// What was drawn: bars of coder A and of coder B; whether Close was clicked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    pub a: usize,
    pub b: usize,
    pub close: bool,
}

/// Draws both coders' bars for the turns laid out this frame, from `x`.
pub(super) fn draw(
    ui: &mut egui::Ui,
    model: &Model,
    placed: &[Placed],
    x: f32,
    cmp: &Compare,
) -> Drawn {
    let column = (WIDTH - GAP) / 2.0;
    let mut drawn = Drawn::default();
    let mut top = f32::INFINITY;
    for (side, ranges) in cmp.ranges.iter().enumerate() {
        let cx = x + side as f32 * column;
        for &(s, e) in ranges {
            for p in placed {
                let b = &model.blocks[p.block];
                let (a, z) = (s.max(b.start), e.min(b.end));
                if a >= z {
                    continue;
                }
                let Some((t, bottom)) = range_y(&p.galley, a - b.start, z - b.start) else {
                    continue;
                };
                let rect = Rect::from_min_max(
                    pos2(cx, p.galley_pos.y + t),
                    pos2(cx + BAR, p.galley_pos.y + bottom),
                );
                ui.painter().rect_filled(rect, 1.0, cmp.color);
                top = top.min(rect.top());
                if side == 0 {
                    drawn.a += 1;
                } else {
                    drawn.b += 1;
                }
            }
        }
    }
    if !top.is_finite() {
        return drawn;
    }
    // The names head the columns, just above the passage (kept in view).
    let row = ui.spacing().interact_size.y;
    let y = (top - 2.0 * row - 4.0).max(ui.clip_rect().top());
    for (side, coder) in cmp.coders.iter().enumerate() {
        let cx = x + side as f32 * column;
        let rect = Rect::from_min_size(pos2(cx, y + row), vec2(column - 4.0, row));
        let who = if side == 0 { "A" } else { "B" };
        ui.put(
            rect,
            egui::Label::new(RichText::new(format!("{who}: {coder}")).small().strong()).truncate(),
        )
        .on_hover_text(format!(
            "{coder}'s codings of '{}' here, beside the lines they cover",
            cmp.code
        ));
    }
    let close = Rect::from_min_size(pos2(x, y), vec2(WIDTH - GAP, row));
    drawn.close = ui
        .put(
            close,
            egui::Button::new(RichText::new("Close comparison").small()),
        )
        .on_hover_text("Put the two coders' columns away")
        .clicked();
    drawn
}
