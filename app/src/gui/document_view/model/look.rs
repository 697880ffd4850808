//! How each block looks: its coded spans (with margin lanes), its marks,
//! the background where codes overlap, and the `LayoutJob` built from that.

use super::Block;
use super::blocks::byte_offsets;
use egui::text::LayoutJob;
use egui::{Color32, FontId, TextFormat};
use std::collections::HashMap;
use storyloom_project::{Coding, Mark, Role};

/// A coding's part inside one block (char offsets local to the block).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Index into [`Model::codings`].
    pub coding: usize,
    pub start: usize,
    pub end: usize,
    /// The margin lane: one per code in the block, in order of first use.
    pub lane: usize,
    pub color: Color32,
}

/// A stretch of a block's text with one look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub background: Color32,
    pub codes: u16,
    pub mark: bool,
}

/// How a block should look: enough to tell whether its job must be rebuilt.
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub role: Role,
    pub segments: Vec<Segment>,
}

/// What the text is drawn with; a change rebuilds every job.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub font: FontId,
    pub text: Color32,
    pub quiet: Color32,
    pub mark: Color32,
    pub dark: bool,
}

impl Style {
    pub fn from_ui(ui: &egui::Ui) -> Style {
        let v = ui.visuals();
        let font: FontId = crate::gui::theme::reading_font(ui.style());
        Style {
            font,
            text: v.text_color(),
            quiet: if crate::gui::theme::is_high_contrast(v) {
                v.text_color()
            } else if v.dark_mode {
                Color32::from_gray(150)
            } else {
                Color32::from_gray(95)
            },
            mark: if v.dark_mode {
                Color32::from_gray(125)
            } else {
                Color32::from_gray(130)
            },
            dark: v.dark_mode,
        }
    }
}

/// The background of text carrying these code colours: their mean, more
/// opaque the more codes overlap, so overlaps show as deeper tints.
pub fn blend(colors: &[Color32], dark: bool) -> Color32 {
    if colors.is_empty() {
        return Color32::TRANSPARENT;
    }
    let n = colors.len() as u32;
    let (mut r, mut g, mut b) = (0u32, 0u32, 0u32);
    for c in colors {
        r += c.r() as u32;
        g += c.g() as u32;
        b += c.b() as u32;
    }
    let base = if dark { 70 } else { 55 };
    let alpha = (base + 40 * (n - 1)).min(170) as u8;
    Color32::from_rgba_unmultiplied((r / n) as u8, (g / n) as u8, (b / n) as u8, alpha)
}

/// The coded spans of every block, with margin lanes.
pub fn spans(
    blocks: &[Block],
    codings: &[Coding],
    colors: &HashMap<String, Color32>,
) -> Vec<Vec<Span>> {
    let mut out: Vec<Vec<Span>> = vec![Vec::new(); blocks.len()];
    let mut order: Vec<usize> = (0..codings.len()).collect();
    order.sort_by_key(|&i| (codings[i].start, codings[i].end));
    for i in order {
        let c = &codings[i];
        if c.end <= c.start {
            continue;
        }
        let color = colors
            .get(&c.code)
            .copied()
            .unwrap_or(Color32::from_gray(128));
        let mut b = blocks.partition_point(|b| b.end <= c.start);
        while b < blocks.len() && blocks[b].start < c.end {
            let bl = &blocks[b];
            let s = c.start.max(bl.start);
            let e = c.end.min(bl.end);
            if s < e {
                out[b].push(Span {
                    coding: i,
                    start: s - bl.start,
                    end: e - bl.start,
                    lane: 0,
                    color,
                });
            }
            b += 1;
        }
    }
    for list in &mut out {
        let mut lanes: Vec<&str> = Vec::new();
        for s in list.iter_mut() {
            let code = codings[s.coding].code.as_str();
            s.lane = match lanes.iter().position(|l| *l == code) {
                Some(p) => p,
                None => {
                    lanes.push(code);
                    lanes.len() - 1
                }
            };
        }
    }
    out
}

/// Marks clipped to each block (local char ranges).
pub fn block_marks(blocks: &[Block], marks: &[Mark]) -> Vec<Vec<(usize, usize)>> {
    let mut out = vec![Vec::new(); blocks.len()];
    for m in marks {
        let mut b = blocks.partition_point(|b| b.end <= m.start);
        while b < blocks.len() && blocks[b].start < m.end {
            let bl = &blocks[b];
            let s = m.start.max(bl.start);
            let e = m.end.min(bl.end);
            if s < e {
                out[b].push((s - bl.start, e - bl.start));
            }
            b += 1;
        }
    }
    out
}

/// The look of one block: a sweep over the boundaries of its spans and marks.
pub fn look(block: &Block, spans: &[Span], marks: &[(usize, usize)], dark: bool) -> Look {
    let n = block.chars();
    let mut cuts: Vec<usize> = vec![0, n];
    for s in spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    for m in marks {
        cuts.push(m.0);
        cuts.push(m.1);
    }
    cuts.retain(|&c| c <= n);
    cuts.sort_unstable();
    cuts.dedup();
    let mut segments: Vec<Segment> = Vec::with_capacity(cuts.len());
    let mut colors = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        colors.clear();
        for s in spans {
            if s.start <= a && b <= s.end {
                colors.push(s.color);
            }
        }
        let mark = marks.iter().any(|m| m.0 <= a && b <= m.1);
        let seg = Segment {
            start: a,
            end: b,
            background: blend(&colors, dark),
            codes: colors.len() as u16,
            mark,
        };
        match segments.last_mut() {
            Some(last)
                if last.background == seg.background
                    && last.mark == seg.mark
                    && last.codes == seg.codes =>
            {
                last.end = b;
            }
            _ => segments.push(seg),
        }
    }
    Look {
        role: block.role,
        segments,
    }
}

/// The layout job of one block (no wrap width: set it when laying out).
pub fn job(text: &str, look: &Look, style: &Style) -> LayoutJob {
    let mut job = LayoutJob::default();
    let base = if look.role == Role::Interviewer {
        style.quiet
    } else {
        style.text
    };
    let cuts: Vec<usize> = look
        .segments
        .iter()
        .flat_map(|s| [s.start, s.end])
        .collect();
    let bytes = byte_offsets(text, &cuts);
    for (k, seg) in look.segments.iter().enumerate() {
        let (a, b) = (bytes[2 * k], bytes[2 * k + 1]);
        let format = TextFormat {
            font_id: style.font.clone(),
            color: if seg.mark { style.mark } else { base },
            italics: seg.mark,
            background: seg.background,
            ..Default::default()
        };
        job.append(&text[a..b], 0.0, format);
    }
    if job.sections.is_empty() {
        job.append(
            "",
            0.0,
            TextFormat {
                font_id: style.font.clone(),
                color: base,
                ..Default::default()
            },
        );
    }
    job
}
