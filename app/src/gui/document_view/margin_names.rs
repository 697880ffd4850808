//! Code names in a column right of the text ("Code names in the margin",
//! View, Alt+M): each code beside the line where its coding starts, with a
//! bar in the code's colour; one name per code per turn, pushed down so
//! names never overlap. Hover a name for the code's path and the coder.

use super::model::Model;
use super::paint::range_y;
use super::turns::Placed;
use crate::gui::widgets::LazyHover;
use egui::text::{LayoutJob, TextWrapping};
use egui::{Color32, Rect, Sense, pos2, vec2};
use std::collections::HashSet;
use storyloom_project::Coding;

/// Width of the names column, with its gap to the text.
pub(super) const WIDTH: f32 = 150.0;
/// Space between the text and the names.
pub(super) const GAP: f32 = 12.0;

/// Where labels `height` tall go, asked for at `wanted` (in order, top
/// first): each where it was asked or just below the one before.
pub(super) fn stack(wanted: &[f32], height: f32) -> Vec<f32> {
    let mut free = f32::NEG_INFINITY;
    wanted
        .iter()
        .map(|&y| {
            let top = y.max(free);
            free = top + height + 1.0;
            top
        })
        .collect()
}

/// The code's own name: the last part of its path.
fn own_name(path: &str) -> &str {
    path.rsplit(" > ").next().unwrap_or(path)
}

/// Draws the names for the turns laid out this frame, from `x`; returns
/// how many it drew.
pub(super) fn draw(ui: &egui::Ui, model: &Model, placed: &[Placed], x: f32) -> usize {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let row = ui.fonts_mut(|f| f.row_height(&font));
    let mut labels: Vec<(f32, Color32, &Coding)> = Vec::new();
    for (n, p) in placed.iter().enumerate() {
        let b = &model.blocks[p.block];
        let mut seen: HashSet<&str> = HashSet::new();
        for s in &model.spans[p.block] {
            let c = &model.codings[s.coding];
            // Where the coding starts; the first turn in view also names
            // the codings that run into it from above.
            if c.start < b.start && n > 0 {
                continue;
            }
            if !seen.insert(c.code.as_str()) {
                continue;
            }
            if let Some((top, _)) = range_y(&p.galley, s.start, s.end) {
                labels.push((p.galley_pos.y + top, s.color, c));
            }
        }
    }
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let wanted: Vec<f32> = labels.iter().map(|l| l.0).collect();
    let clip = ui.clip_rect();
    let text = ui.visuals().text_color();
    let mut drawn = 0;
    for ((_, color, c), top) in labels.iter().zip(stack(&wanted, row)) {
        let rect = Rect::from_min_size(pos2(x, top), vec2(WIDTH - GAP, row));
        if !clip.intersects(rect) {
            continue;
        }
        let name = own_name(&c.code_path);
        ui.painter()
            .rect_filled(Rect::from_min_size(rect.min, vec2(3.0, row)), 1.0, *color);
        let mut job = LayoutJob::simple_singleline(name.to_owned(), font.clone(), text);
        job.wrap = TextWrapping {
            max_width: rect.width() - 7.0,
            max_rows: 1,
            break_anywhere: true,
            overflow_character: Some('…'),
        };
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        ui.painter().galley(rect.min + vec2(7.0, 0.0), galley, text);
        ui.interact(
            rect,
            ui.scope_id().with(("margin-name", &c.uuid)),
            Sense::hover(),
        )
        .on_hover_text_lazy(|| format!("{} · {}", c.code_path, c.coder))
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Label, true, format!("In the margin: {name}"))
        });
        drawn += 1;
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_place_unless_the_one_above_is_in_the_way() {
        assert_eq!(stack(&[0.0, 40.0], 14.0), [0.0, 40.0]);
        // Three codings starting on one line go one under the other.
        assert_eq!(stack(&[10.0, 10.0, 10.0], 14.0), [10.0, 25.0, 40.0]);
        assert_eq!(stack(&[10.0, 12.0, 100.0], 14.0), [10.0, 25.0, 100.0]);
    }

    #[test]
    fn a_sub_code_is_named_by_its_own_name() {
        assert_eq!(own_name("What changed > Confidence"), "Confidence");
        assert_eq!(own_name("Belonging"), "Belonging");
    }
}
