//! One frame of the text: lay out the turns in view (all of them for a
//! short document), draw their headers, handle the pointer on them
//! (selection, clicks on coding stripes, scrolling while dragging), bring
//! a jump target into view, then paint.

use super::heights::{Metrics, measure_more};
use super::keyboard::keyboard_scroll;
use super::model::{self, Style, block_at};
use super::paint::{clock, range_rects, range_y};
use super::selection::{offset_at, snap_selection, word_at};
use super::speakers::{Fix, SelectionMenu, TurnMenu};
use super::{DocumentView, GAP, MARGIN, REVEAL_TRIES, Reveal, Shared, VIRTUAL_CHARS};

/// The characters a transcript line holds at most (a readable measure).
pub(super) const READ_CHARS: usize = 90;
use crate::gui::widgets::LazyHover;
use egui::{Align, Pos2, Rect, RichText, Sense, UiBuilder, pos2, vec2};
use std::sync::Arc;
use storyloom_project::Role;

/// A turn laid out this frame.
pub(super) struct Placed {
    pub(super) block: usize,
    pub(super) top: f32,
    pub(super) bottom: f32,
    pub(super) galley_pos: Pos2,
    pub(super) galley: Arc<egui::Galley>,
    /// (span index in the block, stripe rect).
    pub(super) stripes: Vec<(usize, Rect)>,
}

impl DocumentView {
    pub(super) fn text_ui(&mut self, ui: &mut egui::Ui, viewport: Rect, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let Some(style) = model.style.clone() else {
            return;
        };
        let width = ui.available_width();
        // A readable measure: lines of about 90 characters, centred.
        let measure = crate::gui::theme::measure(ui.ctx(), &style.font, READ_CHARS);
        // Code names take a column right of the text (not beside a story:
        // that column is narrow already).
        let names_w = if sh.margin_names && !self.compact {
            super::margin_names::WIDTH
        } else {
            0.0
        };
        // Two coders' codings side by side, when a disagreement in this
        // document was opened from the agreement panel.
        let compare = sh
            .compare
            .clone()
            .filter(|c| c.document == model.uuid && !self.compact);
        let compare_w = if compare.is_some() {
            super::compare_margin::WIDTH
        } else {
            0.0
        };
        let room = width - MARGIN - 8.0 - names_w - compare_w;
        let text_width = room.min(measure).max(80.0);
        let pad = ((room - text_width) / 2.0).max(0.0).floor();
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
        let origin = ui.max_rect().min + vec2(pad, 0.0);
        let n = model.blocks.len();
        let virtual_ = model.chars > VIRTUAL_CHARS;
        let (first, top) = {
            let prefix = self.heights.prefix();
            let at = |y: f32| {
                prefix[1..]
                    .partition_point(|&p| p <= y)
                    .min(n.saturating_sub(1))
            };
            // A turn showing only its last few points does not count as the top.
            (at(viewport.min.y), at(viewport.min.y + 2.0 * GAP))
        };
        // While a place is being restored, the top is where it aims.
        if self.reveal.is_none_or(|r| !r.top) {
            self.top_block = top;
        }
        let (first, stop_y) = if virtual_ {
            (first, viewport.max.y + 200.0)
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
        self.scroll_y = viewport.min.y;
        let mut reveal_block = reveal_block;
        if let Some(scroll) = self.scroll.take() {
            let prefix = self.heights.prefix();
            let turn = keyboard_scroll(
                scroll,
                ui,
                model,
                (viewport, origin),
                prefix,
                (row, self.top_block),
            );
            if let Some(start) = turn {
                self.anchor = start;
                self.head = start;
                self.has_cursor = true;
                self.reveal = Some(Reveal {
                    start,
                    end: start,
                    tries: REVEAL_TRIES,
                    top: true,
                });
                reveal_block = block_at(&model.blocks, start);
            }
        }

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
        let (pressed, down, shift, alt, pointer) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.modifiers.shift,
                i.modifiers.alt,
                i.pointer.interact_pos(),
            )
        });
        let mut clicked_coding = None;
        let names = self.speakers.names();
        let selection = self.selected_range();
        // Where a split would fall: the selection's start, or the cursor.
        let split_at = selection
            .map(|r| r.0)
            .or(self.has_cursor.then_some(self.head));
        let mut fix = None;
        for p in &placed {
            let b = &model.blocks[p.block];
            let inside = split_at.filter(|&at| b.start < at && at < b.end);
            if let (Some(speaker), Some(turn)) = (&b.speaker, b.turn) {
                let rect = Rect::from_min_max(
                    pos2(origin.x + MARGIN, p.top),
                    pos2(origin.x + MARGIN + text_width, p.galley_pos.y),
                );
                let menu = TurnMenu {
                    turn,
                    start: b.start,
                    speaker,
                    non_speech: b.non_speech,
                    has_previous: turn > 0,
                    cursor: inside,
                    names: &names,
                };
                let new_name = &mut self.speakers.new_name;
                let r = ui.scope_builder(
                    UiBuilder::new()
                        .max_rect(rect)
                        .layout(egui::Layout::left_to_right(Align::Center)),
                    |ui| header_ui(ui, b, &style, &menu, new_name),
                );
                if let Some(f) = r.inner {
                    fix = Some(f);
                }
                r.response.container_context_menu(|ui| {
                    if let Some(f) = menu.ui(ui, new_name) {
                        fix = Some(f);
                    }
                });
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
            if resp.secondary_clicked()
                && let Some(pos) = pointer
            {
                // Without a selection, a right-click puts the cursor there
                // (the paragraph the menu acts on); a selection stays.
                let at = b.start
                    + p.galley
                        .cursor_from_pos(pos - p.galley_pos)
                        .index
                        .0
                        .min(b.chars());
                if selection.is_none() {
                    self.anchor = at;
                    self.head = at;
                    self.has_cursor = true;
                }
            }
            if let Some(turn) = b.turn {
                let range = selection.unwrap_or((self.head, self.head));
                let menu = SelectionMenu {
                    range,
                    turn: block_at(&model.blocks, range.0)
                        .map(|k| &model.blocks[k])
                        .and_then(|k| Some((k.turn?, k.speaker.as_deref()?, k.non_speech)))
                        .or(Some((
                            turn,
                            b.speaker.as_deref().unwrap_or(""),
                            b.non_speech,
                        ))),
                    split: block_at(&model.blocks, range.0)
                        .map(|k| &model.blocks[k])
                        .filter(|k| k.start < range.0 && range.0 < k.end)
                        .and_then(|k| Some((k.turn?, range.0))),
                    names: &names,
                };
                let new_name = &mut self.speakers.new_name;
                resp.context_menu(|ui| {
                    if let Some(f) = menu.ui(ui, new_name) {
                        fix = Some(f);
                    }
                });
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
                    .on_hover_text_lazy(|| format!("{} · {}", c.code_path, c.coder));
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Coding {}", c.code_path),
                    )
                });
                if r.clicked() {
                    clicked_coding = Some(c.uuid.clone());
                }
            }
        }
        if fix.is_some() {
            self.fix = fix;
            ui.ctx().request_repaint();
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
                // Whole words, so a coding never ends "…I didn't do very w";
                // Alt keeps the exact characters.
                if !alt && let Some((a, b)) = self.selected_range() {
                    let (a, b) = snap_selection(model, a, b);
                    let forward = self.anchor <= self.head;
                    (self.anchor, self.head) = if forward { (a, b) } else { (b, a) };
                }
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
            if r.top {
                // Keep aiming at the turn's top until its height is measured.
                let prefix = self.heights.prefix();
                let rect = Rect::from_min_max(
                    pos2(origin.x, origin.y + prefix[k]),
                    pos2(origin.x + width, origin.y + prefix[k] + 1.0),
                );
                if !first_try && (rect.top() - ui.clip_rect().top()).abs() < 2.0 * GAP {
                    done = true;
                } else {
                    ui.scroll_to_rect_animation(rect, Some(Align::Min), none);
                }
                self.top_block = k;
            } else if let Some(p) = placed.iter().find(|p| p.block == k) {
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

        // Pass 2: paint (the story's words behind the text first).
        if let Some(w) = &self.story_words {
            super::story_words::paint(ui, model, &placed, w);
        }
        self.selection_pos = super::paint::paint(
            ui,
            model,
            &placed,
            &style,
            self.selected_range(),
            self.has_cursor.then_some(self.head),
            sh.selected_coding.as_deref(),
        );
        self.margin_labels = if names_w > 0.0 {
            let x = origin.x + MARGIN + text_width + super::margin_names::GAP;
            super::margin_names::draw(ui, model, &placed, x)
        } else {
            0
        };
        self.compared = match &compare {
            Some(c) => {
                let x = origin.x + MARGIN + text_width + names_w + super::compare_margin::GAP;
                super::compare_margin::draw(ui, model, &placed, x, c)
            }
            None => Default::default(),
        };
        if self.compared.close {
            sh.compare = None;
            ui.ctx().request_repaint();
        }
    }
}

/// The header of a turn: speaker (a button opening the turn's corrections),
/// role, time.
fn header_ui(
    ui: &mut egui::Ui,
    b: &model::Block,
    style: &Style,
    menu: &TurnMenu<'_>,
    new_name: &mut String,
) -> Option<Fix> {
    let color = if b.role == Role::Interviewer || b.non_speech {
        style.quiet
    } else {
        style.text
    };
    let mut text = RichText::new(menu.speaker).strong().color(color);
    if b.non_speech {
        text = text.italics();
    }
    let r = ui.menu_button(text, |ui| menu.ui(ui, new_name));
    r.response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("Turn {}: {}", menu.turn, menu.speaker),
        )
    });
    r.response.on_hover_text_lazy(|| {
        "Who said this turn: click to give it to another speaker, split it, merge it or mark it as not speech".to_owned()
    });
    if !b.non_speech {
        crate::gui::widgets::role_chip(ui, b.role);
    }
    if let Some(ms) = b.start_ms {
        let t = match b.end_ms {
            Some(e) => format!("{} – {}", clock(ms), clock(e)),
            None => clock(ms),
        };
        ui.label(RichText::new(t).small().weak());
    }
    r.inner.flatten()
}
