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

mod model;
mod picker;
#[cfg(test)]
mod tests;

use super::shared::{Selection, Shared};
use egui::epaint::text::cursor::CCursor;
use egui::text_selection::CCursorRange;
use egui::{Align, Color32, Pos2, Rect, RichText, Sense, Stroke, UiBuilder, pos2, vec2};
use model::{Model, Style, block_at};
use picker::{Picker, PickerOutcome};
use std::sync::Arc;
use storyloom_coding::{Code, Coding, CodingRequest, Role};

/// Documents longer than this (chars) are laid out turn by turn as they
/// scroll into view; shorter ones are laid out whole every frame (cheap,
/// thanks to the galley cache, and complete for screen readers).
pub const VIRTUAL_CHARS: usize = 60_000;
/// Width of the coding-stripe margin left of the text.
const MARGIN: f32 = 46.0;
/// Space below each turn.
const GAP: f32 = 10.0;
/// Time a frame may spend measuring turns out of view.
const MEASURE_BUDGET: std::time::Duration = std::time::Duration::from_millis(3);
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

/// A range to bring into view (after a jump request).
#[derive(Debug, Clone, Copy)]
struct Reveal {
    start: usize,
    end: usize,
    /// Frames left to get there (the turn's height may be an estimate at first).
    tries: u8,
}

/// Per-turn heights: measured when laid out, estimated otherwise.
#[derive(Default)]
struct Heights {
    /// (text width, pixels per point, font size) the measurements hold for.
    key: Option<(i32, u32, u32)>,
    measured: Vec<Option<f32>>,
    estimate: Vec<f32>,
    /// `prefix[i]` = top of block i; `prefix[n]` = total height.
    prefix: Vec<f32>,
    dirty: bool,
}

impl Heights {
    fn reset(&mut self) {
        self.key = None;
    }

    fn height(&self, i: usize) -> f32 {
        self.measured[i].unwrap_or(self.estimate[i])
    }

    fn ensure(&mut self, model: &Model, key: (i32, u32, u32), metrics: Metrics) {
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

    fn set(&mut self, i: usize, h: f32) {
        if self.measured[i] != Some(h) {
            self.measured[i] = Some(h);
            self.dirty = true;
        }
    }

    fn prefix(&mut self) -> &[f32] {
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
struct Metrics {
    text_width: f32,
    char_width: f32,
    row: f32,
    header: f32,
}

/// A turn laid out this frame.
struct Placed {
    block: usize,
    top: f32,
    bottom: f32,
    galley_pos: Pos2,
    galley: Arc<egui::Galley>,
    /// (span index in the block, stripe rect).
    stripes: Vec<(usize, Rect)>,
}

#[derive(Default)]
pub struct DocumentView {
    model: Option<Model>,
    /// (document, revision) the model was read at.
    loaded: Option<(String, u64)>,
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
            .show_viewport(ui, |ui, viewport| self.text_ui(ui, viewport, sh));
        self.picker_ui(ui, sh);
        self.drop_ui(ui, out.inner_rect, sh);
        self.publish(ui.ctx(), sh);
    }

    /// The current selection (start < end), document char offsets.
    pub fn selected_range(&self) -> Option<(usize, usize)> {
        let (a, b) = (self.anchor.min(self.head), self.anchor.max(self.head));
        (a < b).then_some((a, b))
    }

    fn pending_selection(&mut self, start: usize, end: usize) {
        self.anchor = start;
        self.head = end;
        self.has_cursor = true;
        self.dragging = false;
        self.force_publish = true;
    }

    fn load(&mut self, ctx: &egui::Context, uuid: &str, sh: &mut Shared) {
        if self.loaded.as_ref() == Some(&(uuid.to_owned(), sh.revision)) {
            return;
        }
        self.loaded = Some((uuid.to_owned(), sh.revision));
        let read = sh.read(|p| {
            Ok((
                p.document(uuid)?,
                p.codings(None, Some(uuid), None)?,
                p.codes()?,
            ))
        });
        let Some((doc, codings, codes)) = read else {
            self.model = None;
            return;
        };
        let (codings, codes) = (Arc::new(codings), Arc::new(codes));
        ctx.data_mut(|d| {
            d.insert_temp(
                stash_id(),
                Arc::new(CodingsStash {
                    document: uuid.to_owned(),
                    revision: sh.revision,
                    codings: codings.clone(),
                    codes: codes.clone(),
                }),
            )
        });
        match &mut self.model {
            Some(m) if m.same_text(&doc) => m.refresh(doc, codings, codes),
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

    /// Someone else set `Shared::selection` (a test, another panel): take it.
    fn adopt_outside_selection(&mut self, sh: &Shared) {
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

    fn publish(&mut self, ctx: &egui::Context, sh: &mut Shared) {
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

    /// Applies a code (uuid) to the selection.
    fn apply_code(&mut self, sh: &mut Shared, code: &str) {
        let Some(model) = &self.model else { return };
        let Some((start, end)) = self.selected_range() else {
            sh.info("Select some text first, then apply a code.");
            return;
        };
        let req = CodingRequest {
            code,
            document: &model.uuid,
            start,
            end,
            version: Some(model.version),
        };
        if let Some(uuid) = sh.act(|p| p.add_coding(&req)) {
            sh.used_code(code);
            sh.selected_coding = Some(uuid);
        }
    }

    fn in_vivo(&mut self, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let Some((start, end)) = self.selected_range() else {
            return;
        };
        let doc = model.uuid.clone();
        if let Some((code, coding)) = sh.act(|p| p.code_in_vivo(&doc, start, end, None)) {
            sh.used_code(&code);
            sh.selected_code = Some(code);
            sh.selected_coding = Some(coding);
        }
    }

    fn keys(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let ctx = ui.ctx().clone();
        if ctx.egui_wants_keyboard_input() || self.picker.is_some() {
            return;
        }
        let has_sel = self.selected_range().is_some();
        let number_keys = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
            egui::Key::Num7,
            egui::Key::Num8,
            egui::Key::Num9,
        ];
        let (open_picker, number, escape, copy) = ctx.input_mut(|i| {
            let open = has_sel && i.consume_key(egui::Modifiers::NONE, egui::Key::C);
            let number = if has_sel {
                number_keys
                    .iter()
                    .position(|k| i.consume_key(egui::Modifiers::NONE, *k))
            } else {
                None
            };
            if open || number.is_some() {
                // The same key press also arrives as typed text: not for the filter field.
                i.events.retain(|e| !matches!(e, egui::Event::Text(_)));
            }
            let escape = has_sel && i.consume_key(egui::Modifiers::NONE, egui::Key::Escape);
            let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
            (open, number, escape, copy)
        });
        if open_picker {
            self.picker = Some(Picker::default());
        }
        if let Some(n) = number {
            match sh.recent_codes.get(n).cloned() {
                Some(code) => self.apply_code(sh, &code),
                None => sh.info(format!("No recent code {}: apply a code first.", n + 1)),
            }
        }
        if escape {
            self.anchor = self.head;
        }
        if copy && let (Some((a, b)), Some(m)) = (self.selected_range(), &self.model) {
            ctx.copy_text(m.slice(a, b));
        }
    }

    fn toolbar(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let name = model.name.clone();
        let sel = self.selected_range();
        let mut open_picker = false;
        let mut vivo = false;
        let mut apply = None;
        ui.horizontal_wrapped(|ui| {
            ui.heading(&name);
            ui.separator();
            let r = ui
                .add_enabled(sel.is_some(), egui::Button::new("Code selection…"))
                .on_hover_text("Apply a code to the selected text (C)");
            open_picker = r.clicked();
            vivo = ui
                .add_enabled(sel.is_some(), egui::Button::new("In-vivo code"))
                .on_hover_text("Make a code named after the selected words and apply it")
                .clicked();
            match sel {
                Some((a, b)) => ui.label(
                    RichText::new(format!("{} characters selected ({a}–{b})", b - a)).weak(),
                ),
                None => ui.label(RichText::new("Select text to code it").weak()),
            };
        });
        if !sh.recent_codes.is_empty() {
            let model = self.model.as_ref().expect("model");
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Recent codes:").weak());
                for (i, code) in sh.recent_codes.iter().enumerate() {
                    let Some(c) = model.codes.iter().find(|c| &c.uuid == code) else {
                        continue;
                    };
                    let color = model.colors.get(code).copied().unwrap_or(Color32::GRAY);
                    let text = RichText::new(format!("{} {}", i + 1, c.name()));
                    let r = ui
                        .add_enabled(
                            sel.is_some(),
                            egui::Button::new(text).stroke(Stroke::new(2.0, color)),
                        )
                        .on_hover_text(format!("Apply {} (key {})", c.path_string(), i + 1));
                    if r.clicked() {
                        apply = Some(code.clone());
                    }
                }
            });
        }
        if open_picker {
            self.picker = Some(Picker::default());
        }
        if vivo {
            self.in_vivo(sh);
        }
        if let Some(code) = apply {
            self.apply_code(sh, &code);
        }
    }

    fn picker_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(picker) = &mut self.picker else {
            return;
        };
        let Some(model) = &self.model else { return };
        let pos = self
            .selection_pos
            .unwrap_or_else(|| ui.max_rect().center_top() + vec2(-150.0, 60.0));
        match picker.ui(ui.ctx(), &model.codes, &model.colors, pos) {
            PickerOutcome::Open => {}
            PickerOutcome::Close => self.picker = None,
            PickerOutcome::Apply(code) => {
                self.picker = None;
                self.apply_code(sh, &code);
            }
        }
    }

    /// A code dragged from the codebook and released over the view goes on the selection.
    fn drop_ui(&mut self, ui: &mut egui::Ui, view: Rect, sh: &mut Shared) {
        let Some(code) = sh.dragged_code.clone() else {
            return;
        };
        let (released, pos) = ui.input(|i| (i.pointer.any_released(), i.pointer.latest_pos()));
        let over = pos.is_some_and(|p| view.contains(p));
        if over {
            let color = if self.selected_range().is_some() {
                ui.visuals().selection.stroke.color
            } else {
                ui.visuals().weak_text_color()
            };
            ui.painter().rect_stroke(
                view.shrink(1.0),
                4.0,
                Stroke::new(2.0, color),
                egui::StrokeKind::Inside,
            );
        }
        if released && over {
            sh.dragged_code = None;
            self.apply_code(sh, &code);
        }
    }

    fn text_ui(&mut self, ui: &mut egui::Ui, viewport: Rect, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let style = model.style.clone().expect("style is set before layout");
        let width = ui.available_width();
        let text_width = (width - MARGIN - 8.0).max(80.0);
        let ppp = ui.ctx().pixels_per_point();
        let (row, char_width) = ui.fonts_mut(|f| {
            (
                f.row_height(&style.font),
                f.glyph_width(&style.font, 'n').max(1.0),
            )
        });
        let header = ui.spacing().interact_size.y;
        self.heights.ensure(
            model,
            (
                text_width.round() as i32,
                ppp.to_bits(),
                style.font.size.to_bits(),
            ),
            Metrics {
                text_width,
                char_width,
                row,
                header,
            },
        );
        let origin = ui.max_rect().min;
        let n = model.blocks.len();
        let virtual_ = model.chars > VIRTUAL_CHARS;
        let (first, stop_y) = if virtual_ {
            let prefix = self.heights.prefix();
            let first = prefix[1..].partition_point(|&p| p <= viewport.min.y);
            (first.min(n.saturating_sub(1)), viewport.max.y + 200.0)
        } else {
            (0, f32::INFINITY)
        };
        // The jump target must be laid out to be placed exactly.
        let reveal_block = self.reveal.and_then(|r| block_at(&model.blocks, r.start));

        // Pass 1: lay out the visible turns.
        let mut placed: Vec<Placed> = Vec::new();
        let mut y = self.heights.prefix().get(first).copied().unwrap_or(0.0);
        let mut i = first;
        while i < n && y < stop_y {
            let b = &model.blocks[i];
            let head_h = if b.speaker.is_some() { header } else { 0.0 };
            let mut job = (*model.jobs[i]).clone();
            job.wrap.max_width = text_width;
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            let h = head_h + galley.size().y + GAP;
            self.heights.set(i, h);
            let galley_pos = origin + vec2(MARGIN, y + head_h);
            placed.push(Placed {
                block: i,
                top: origin.y + y,
                bottom: origin.y + y + h,
                galley_pos,
                galley,
                stripes: Vec::new(),
            });
            y += h;
            i += 1;
        }
        self.first_shown = first;
        self.shown = placed.len();
        if virtual_ && self.reveal.is_none() {
            // Not while a jump is on its way: it aims by the heights as they are.
            measure_more(
                &mut self.heights,
                ui,
                model,
                (first, i),
                (text_width, header),
            );
        }
        let total = *self.heights.prefix().last().unwrap_or(&0.0);
        ui.set_min_size(vec2(width, total.max(y)));

        // Stripes: one lane per code in the turn.
        for p in &mut placed {
            let spans = &model.spans[p.block];
            if spans.is_empty() {
                continue;
            }
            let lanes = spans.iter().map(|s| s.lane).max().unwrap_or(0) + 1;
            let lane_w = ((MARGIN - 10.0) / lanes as f32).clamp(2.0, 7.0);
            for (k, s) in spans.iter().enumerate() {
                let Some((top, bottom)) = range_y(&p.galley, s.start, s.end) else {
                    continue;
                };
                let x = origin.x + 4.0 + s.lane as f32 * lane_w;
                let rect = Rect::from_min_max(
                    pos2(x, p.galley_pos.y + top),
                    pos2(x + (lane_w - 1.0).max(1.5), p.galley_pos.y + bottom),
                );
                p.stripes.push((k, rect));
            }
        }

        // Interaction.
        let id = ui.scope_id().with("doc-view");
        let (pressed, down, shift, pointer) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.modifiers.shift,
                i.pointer.interact_pos(),
            )
        });
        let mut clicked_coding = None;
        for p in &placed {
            let b = &model.blocks[p.block];
            if let Some(speaker) = &b.speaker {
                let rect = Rect::from_min_max(
                    pos2(origin.x + MARGIN, p.top),
                    pos2(origin.x + MARGIN + text_width, p.galley_pos.y),
                );
                ui.scope_builder(
                    UiBuilder::new()
                        .max_rect(rect)
                        .layout(egui::Layout::left_to_right(Align::Center)),
                    |ui| header_ui(ui, speaker, b, &style),
                );
            }
            let text_rect =
                Rect::from_min_size(p.galley_pos, vec2(text_width, p.galley.size().y.max(row)));
            let resp = ui.interact(
                text_rect,
                id.with(("turn", p.block)),
                Sense::CLICK | Sense::DRAG,
            );
            let text = b.text(&model.text);
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
            if pressed
                && resp.contains_pointer()
                && let Some(pos) = pointer
            {
                let at = b.start
                    + p.galley
                        .cursor_from_pos(pos - p.galley_pos)
                        .index
                        .0
                        .min(b.chars());
                if !(shift && self.has_cursor) {
                    self.anchor = at;
                }
                self.head = at;
                self.has_cursor = true;
                self.dragging = true;
            }
            if resp.triple_clicked() {
                self.anchor = b.start;
                self.head = b.end;
                self.dragging = false;
            } else if resp.double_clicked() {
                let (a, e) = word_at(text, self.head.saturating_sub(b.start));
                self.anchor = b.start + a;
                self.head = b.start + e;
                self.dragging = false;
            }
            if resp.hovered()
                && !self.dragging
                && let Some(pos) = pointer
            {
                let local = p.galley.cursor_from_pos(pos - p.galley_pos).index.0;
                let names: Vec<&str> = model.spans[p.block]
                    .iter()
                    .filter(|s| s.start <= local && local < s.end)
                    .map(|s| model.codings[s.coding].code_path.as_str())
                    .collect();
                if !names.is_empty() {
                    resp.on_hover_text_at_pointer(names.join("\n"));
                }
            }
            for (k, rect) in &p.stripes {
                let s = &model.spans[p.block][*k];
                let c = &model.codings[s.coding];
                let r = ui
                    .interact(
                        rect.expand2(vec2(0.5, 0.0)),
                        id.with(("stripe", p.block, *k)),
                        Sense::CLICK,
                    )
                    .on_hover_text(format!("{} · {}", c.code_path, c.coder));
                let label = format!("Coding {}", c.code_path);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                if r.clicked() {
                    clicked_coding = Some(c.uuid.clone());
                }
            }
        }
        if let Some(c) = clicked_coding {
            sh.selected_coding = Some(c);
            ui.ctx().request_repaint();
        }
        if self.dragging {
            if let Some(pos) = pointer
                && let Some(at) = offset_at(&placed, model, pos)
                && !pressed
            {
                self.head = at;
            }
            if !down {
                self.dragging = false;
            } else if let Some(pos) = pointer {
                // Scroll while dragging past the edges.
                let clip = ui.clip_rect();
                let dy = if pos.y < clip.top() + 12.0 {
                    (clip.top() + 12.0 - pos.y).min(40.0)
                } else if pos.y > clip.bottom() - 12.0 {
                    -(pos.y - clip.bottom() + 12.0).min(40.0)
                } else {
                    0.0
                };
                if dy != 0.0 {
                    ui.scroll_with_delta_animation(
                        vec2(0.0, dy),
                        egui::style::ScrollAnimation::none(),
                    );
                    ui.ctx().request_repaint();
                }
            }
        }

        // Bring a jump target into view.
        if let (Some(mut r), Some(k)) = (self.reveal, reveal_block) {
            let none = egui::style::ScrollAnimation::none();
            let first_try = r.tries == REVEAL_TRIES;
            r.tries = r.tries.saturating_sub(1);
            let mut done = r.tries == 0;
            if let Some(p) = placed.iter().find(|p| p.block == k) {
                let b = &model.blocks[k];
                let a = r.start.clamp(b.start, b.end) - b.start;
                let e = r.end.clamp(b.start, b.end) - b.start;
                let row = range_rects(&p.galley, a, e.max(a + 1).min(b.chars()))
                    .first()
                    .copied()
                    .unwrap_or(Rect::from_min_size(Pos2::ZERO, vec2(text_width, row)));
                let rect = row.translate(p.galley_pos.to_vec2());
                if first_try || !ui.clip_rect().contains_rect(rect) {
                    ui.scroll_to_rect_animation(rect, Some(Align::Center), none);
                } else {
                    done = true;
                }
            } else {
                let prefix = self.heights.prefix();
                let rect = Rect::from_min_max(
                    pos2(origin.x, origin.y + prefix[k]),
                    pos2(origin.x + width, origin.y + prefix[k + 1]),
                );
                ui.scroll_to_rect_animation(rect, Some(Align::Center), none);
            }
            self.reveal = (!done).then_some(r);
            if !done {
                ui.ctx().request_repaint();
            }
        } else if reveal_block.is_none() {
            self.reveal = None;
        }

        // Pass 2: paint.
        let painter = ui.painter();
        let visuals = ui.visuals().clone();
        let sel = self.selected_range();
        self.selection_pos = None;
        for p in &placed {
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
                    self.selection_pos = Some(p.galley_pos + r.max.to_vec2() + vec2(8.0, 4.0));
                }
            }
            painter.galley(p.galley_pos, galley, style.text);
            for (k, rect) in &p.stripes {
                let s = &model.spans[p.block][*k];
                let selected =
                    sh.selected_coding.as_deref() == Some(model.codings[s.coding].uuid.as_str());
                painter.rect_filled(*rect, 1.0, s.color);
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
            if sel.is_none() && self.has_cursor && (b.start..=b.end).contains(&self.head) {
                let r = p.galley.pos_from_cursor(CCursor::new(self.head - b.start));
                let r = r.translate(p.galley_pos.to_vec2());
                painter.line_segment(
                    [r.center_top(), r.center_bottom()],
                    Stroke::new(1.5, visuals.text_cursor.stroke.color),
                );
            }
        }
    }
}

/// Measures turns out of view, nearest first, for a few milliseconds a
/// frame, so scrolling and jumps work with true heights (no content
/// jumping as estimates are replaced). Turns measured above the view move
/// the scroll offset by as much as they grew, so what is shown stays put.
fn measure_more(
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
    let measure = |i: usize, heights: &mut Heights| -> f32 {
        if heights.measured[i].is_some() {
            return 0.0;
        }
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
    while start.elapsed() < MEASURE_BUDGET && (lo > 0 || hi < n) {
        if lo > 0 {
            lo -= 1;
            grew += measure(lo, heights);
        }
        if hi < n {
            measure(hi, heights);
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

impl DocumentView {
    /// Are turn heights still being measured (large documents, just opened)?
    pub fn measuring(&self) -> bool {
        self.model.as_ref().is_some_and(|m| m.chars > VIRTUAL_CHARS)
            && self.heights.measured.iter().any(Option::is_none)
    }
}

/// The header of a turn: speaker, role, time.
fn header_ui(ui: &mut egui::Ui, speaker: &str, b: &model::Block, style: &Style) {
    let color = if b.role == Role::Interviewer {
        style.quiet
    } else {
        style.text
    };
    ui.label(RichText::new(speaker).strong().color(color));
    ui.label(RichText::new(b.role.as_str()).small().weak());
    if let Some(ms) = b.start_ms {
        let t = match b.end_ms {
            Some(e) => format!("{} – {}", clock(ms), clock(e)),
            None => clock(ms),
        };
        ui.label(RichText::new(t).small().weak());
    }
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
fn range_rects(galley: &egui::Galley, a: usize, b: usize) -> Vec<Rect> {
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
fn range_y(galley: &egui::Galley, a: usize, b: usize) -> Option<(f32, f32)> {
    let rects = range_rects(galley, a, b);
    Some((rects.first()?.top(), rects.last()?.bottom()))
}

/// The document offset under a screen position, over the turns laid out.
fn offset_at(placed: &[Placed], model: &Model, pos: Pos2) -> Option<usize> {
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

/// The word around a local char offset (letters, digits, apostrophes).
fn word_at(text: &str, at: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’';
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
