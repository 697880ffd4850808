//! Painting a frame's turns: the text with its selection, the coding
//! stripes (the selected coding outlined in the text too) and the cursor.

use super::model::{Model, Style};
use super::turns::Placed;
use egui::epaint::text::cursor::CCursor;
use egui::text_selection::CCursorRange;
use egui::{Pos2, Rect, Stroke, pos2, vec2};

/// Paints the turns laid out this frame; returns where the selection ends
/// on screen (the picker opens there).
pub(super) fn paint(
    ui: &egui::Ui,
    model: &Model,
    placed: &[Placed],
    style: &Style,
    sel: Option<(usize, usize)>,
    cursor: Option<usize>,
    selected_coding: Option<&str>,
) -> Option<Pos2> {
    let painter = ui.painter();
    let visuals = ui.visuals().clone();
    let mut selection_pos = None;
    for p in placed {
        let b = &model.blocks[p.block];
        let mut galley = p.galley.clone();
        if let Some((s, e)) = sel {
            let a = s.clamp(b.start, b.end) - b.start;
            let z = e.clamp(b.start, b.end) - b.start;
            if a < z {
                egui::text_selection::visuals::paint_text_selection(
                    &mut galley,
                    &visuals,
                    &CCursorRange::two(CCursor::new(a), CCursor::new(z)),
                    None,
                );
            }
            if (b.start..=b.end).contains(&e) {
                let r = p.galley.pos_from_cursor(CCursor::new(e - b.start));
                selection_pos = Some(p.galley_pos + r.max.to_vec2() + vec2(8.0, 4.0));
            }
        }
        if b.role == storyloom_project::Role::Interviewer && !b.non_speech {
            // Interviewer turns: a tint and a rule at the left, not only a greyer text.
            let r = Rect::from_min_size(p.galley_pos, p.galley.size()).expand2(vec2(6.0, 2.0));
            let (tint, rule) = interviewer_tint(style.dark);
            painter.rect_filled(r, 3.0, tint);
            painter.rect_filled(
                Rect::from_min_max(r.min, pos2(r.min.x + 2.5, r.max.y)),
                0.0,
                rule,
            );
        }
        painter.galley(p.galley_pos, galley, style.text);
        for (k, rect) in &p.stripes {
            let s = &model.spans[p.block][*k];
            let selected = selected_coding == Some(model.codings[s.coding].uuid.as_str());
            painter.rect_filled(*rect, 0.0, s.color);
            if selected {
                painter.rect_stroke(
                    rect.expand(1.5),
                    1.0,
                    Stroke::new(1.5, visuals.strong_text_color()),
                    egui::StrokeKind::Outside,
                );
                for row in range_rects(&p.galley, s.start, s.end) {
                    painter.rect_stroke(
                        row.translate(p.galley_pos.to_vec2()),
                        2.0,
                        Stroke::new(1.5, s.color),
                        egui::StrokeKind::Outside,
                    );
                }
            }
        }
        if sel.is_none()
            && let Some(head) = cursor
            && (b.start..=b.end).contains(&head)
        {
            let r = p.galley.pos_from_cursor(CCursor::new(head - b.start));
            let r = r.translate(p.galley_pos.to_vec2());
            painter.line_segment(
                [r.center_top(), r.center_bottom()],
                Stroke::new(1.5, visuals.text_cursor.stroke.color),
            );
        }
    }
    selection_pos
}

/// `h:mm:ss` (or `m:ss` under an hour).
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The rects (galley-relative) covering a local char range, one per row.
pub(super) fn range_rects(galley: &egui::Galley, a: usize, b: usize) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut idx = 0usize;
    for row in &galley.rows {
        let n = row.char_count_excluding_newline().0;
        let s = a.max(idx);
        let e = b.min(idx + n);
        if s < e {
            let x0 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(s - idx));
            let x1 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(e - idx));
            out.push(Rect::from_min_max(
                pos2(x0, row.min_y()),
                pos2(x1, row.max_y()),
            ));
        }
        idx += row.char_count_including_newline().0;
        if idx >= b {
            break;
        }
    }
    out
}

/// Top and bottom (galley-relative) of the rows a local char range covers.
pub(super) fn range_y(galley: &egui::Galley, a: usize, b: usize) -> Option<(f32, f32)> {
    let rects = range_rects(galley, a, b);
    Some((rects.first()?.top(), rects.last()?.bottom()))
}

/// The background and the left rule of an interviewer's turn.
pub(super) fn interviewer_tint(dark: bool) -> (egui::Color32, egui::Color32) {
    if dark {
        (
            egui::Color32::from_rgba_unmultiplied(120, 160, 220, 26),
            egui::Color32::from_rgb(110, 150, 210),
        )
    } else {
        (
            egui::Color32::from_rgba_unmultiplied(70, 110, 170, 22),
            egui::Color32::from_rgb(90, 130, 190),
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn interviewer_turns_are_tinted_in_both_themes() {
        for dark in [false, true] {
            let (tint, rule) = super::interviewer_tint(dark);
            assert!(
                tint.a() > 0 && tint.a() < 64,
                "a light tint, text stays readable"
            );
            assert_eq!(rule.a(), 255);
        }
    }
}
