//! Turn heights for virtualisation: measured when a turn is laid out,
//! estimated from its length otherwise, and measured a little more each
//! frame so scrolling and jumps land where they aim.

use super::GAP;
use super::model::Model;
use egui::vec2;

/// Time a frame may spend measuring turns out of view.
const MEASURE_BUDGET: std::time::Duration = std::time::Duration::from_millis(3);

/// Per-turn heights: measured when laid out, estimated otherwise.
#[derive(Default)]
pub(super) struct Heights {
    /// (text width, pixels per point, font size) the measurements hold for.
    key: Option<(i32, u32, u32)>,
    pub(super) measured: Vec<Option<f32>>,
    estimate: Vec<f32>,
    /// `prefix[i]` = top of block i; `prefix[n]` = total height.
    prefix: Vec<f32>,
    dirty: bool,
    /// At most this many turns measured out of view per frame (tests set it
    /// so that what a frame does does not depend on the machine's speed).
    pub(super) per_frame_cap: Option<usize>,
}

impl Heights {
    pub(super) fn reset(&mut self) {
        self.key = None;
    }

    fn height(&self, i: usize) -> f32 {
        self.measured[i].unwrap_or(self.estimate[i])
    }

    pub(super) fn ensure(&mut self, model: &Model, key: (i32, u32, u32), metrics: Metrics) {
        if self.key == Some(key) && self.measured.len() == model.blocks.len() {
            return;
        }
        self.key = Some(key);
        self.measured = vec![None; model.blocks.len()];
        let per_row = (metrics.text_width / metrics.char_width).max(10.0);
        self.estimate = model
            .blocks
            .iter()
            .map(|b| {
                let rows = (b.chars() as f32 / per_row).ceil().max(1.0);
                let header = if b.speaker.is_some() {
                    metrics.header
                } else {
                    0.0
                };
                header + rows * metrics.row + GAP
            })
            .collect();
        self.dirty = true;
    }

    pub(super) fn set(&mut self, i: usize, h: f32) {
        if self.measured[i] != Some(h) {
            self.measured[i] = Some(h);
            self.dirty = true;
        }
    }

    pub(super) fn prefix(&mut self) -> &[f32] {
        if self.dirty || self.prefix.len() != self.measured.len() + 1 {
            self.prefix.clear();
            let mut y = 0.0;
            self.prefix.push(0.0);
            for i in 0..self.measured.len() {
                y += self.height(i);
                self.prefix.push(y);
            }
            self.dirty = false;
        }
        &self.prefix
    }
}

#[derive(Clone, Copy)]
pub(super) struct Metrics {
    pub(super) text_width: f32,
    pub(super) char_width: f32,
    pub(super) row: f32,
    pub(super) header: f32,
}

/// Measures turns out of view, nearest first, for a few milliseconds a
/// frame, so scrolling and jumps work with true heights (no content
/// jumping as estimates are replaced). Turns measured above the view move
/// the scroll offset by as much as they grew, so what is shown stays put.
pub(super) fn measure_more(
    heights: &mut Heights,
    ui: &mut egui::Ui,
    model: &Model,
    (first, after): (usize, usize),
    (text_width, header): (f32, f32),
) {
    if !heights.measured.iter().any(Option::is_none) {
        return;
    }
    let start = std::time::Instant::now();
    let n = model.blocks.len();
    let (mut lo, mut hi) = (first, after);
    let mut grew = 0.0;
    // A cap (tests) replaces the time budget, so a frame's work is fixed.
    let timed = heights.per_frame_cap.is_none();
    let mut left = heights.per_frame_cap.unwrap_or(usize::MAX);
    let measure = |i: usize, heights: &mut Heights, left: &mut usize| -> f32 {
        if heights.measured[i].is_some() || *left == 0 {
            return 0.0;
        }
        *left -= 1;
        let b = &model.blocks[i];
        let mut job = (*model.jobs[i]).clone();
        job.wrap.max_width = text_width;
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        let head_h = if b.speaker.is_some() { header } else { 0.0 };
        let h = head_h + galley.size().y + GAP;
        let before = heights.height(i);
        heights.set(i, h);
        h - before
    };
    while (!timed || start.elapsed() < MEASURE_BUDGET) && (lo > 0 || hi < n) && left > 0 {
        if lo > 0 {
            lo -= 1;
            grew += measure(lo, heights, &mut left);
        }
        if hi < n {
            measure(hi, heights, &mut left);
            hi += 1;
        }
    }
    if grew != 0.0 {
        ui.scroll_with_delta_animation(vec2(0.0, -grew), egui::style::ScrollAnimation::none());
    }
    // Carry on soon, also when nothing else asks for a frame.
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(30));
}
