//! The code tree: a row per code (colour, name, how often used) that can be
//! dragged onto another code, the top-level drop zone, and the drag itself.
//! Only the rows in view are drawn.

use super::{CodebookPanel, TreeAction};
use crate::gui::color::{parse_color, swatch};
use crate::gui::shared::Shared;
use crate::gui::widgets::LazyHover;
use egui::{Align2, Id, Rect, RichText, Sense, TextStyle, WidgetInfo, WidgetText, pos2};
use std::collections::{HashMap, HashSet};
use storyloom_project::Code;

/// The code's name beside the pointer while it is dragged.
fn drag_ghost(ctx: &egui::Context, code: &Code) {
    let Some(pos) = ctx.pointer_interact_pos() else {
        return;
    };
    egui::Area::new(Id::unique("code-drag-ghost"))
        .order(egui::Order::Tooltip)
        .fixed_pos(pos + egui::vec2(12.0, 4.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    swatch(ui, parse_color(&code.color));
                    ui.label(code.name());
                });
            });
        });
}

impl CodebookPanel {
    /// Hides a code's sub-codes in the tree.
    pub(super) fn fold(&mut self, uuid: &str) {
        self.collapsed.insert(uuid.to_owned());
        self.rows_stale = true;
    }

    /// Shows a code's sub-codes in the tree.
    pub(super) fn unfold(&mut self, uuid: &str) {
        if self.collapsed.remove(uuid) {
            self.rows_stale = true;
        }
    }

    /// The open document's counts while "coded here" is on and a document is open.
    pub(super) fn here_counts(&self) -> Option<&HashMap<String, usize>> {
        match &self.here {
            Some((Some(_), counts)) if self.coded_here => Some(counts),
            _ => None,
        }
    }

    /// The "Coded here" switch: only the codes used in the open document.
    pub(super) fn coded_here_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let changed = ui
            .add_enabled(
                sh.open_document.is_some(),
                egui::Checkbox::new(&mut self.coded_here, "Coded here"),
            )
            .on_hover_text("Only the codes used in the open document, with their counts there")
            .on_disabled_hover_text("Open a document to see the codes used in it")
            .changed();
        if changed {
            self.reload(sh);
            self.rows_stale = true;
        }
        if let Some(here) = self.here_counts()
            && here.is_empty()
        {
            ui.label(RichText::new("Nothing is coded in this document yet.").weak());
        }
    }

    /// The codes to keep under "coded here": those used in the document
    /// and the codes above them (so the tree keeps its shape).
    fn kept_here(&self, here: &HashMap<String, usize>) -> HashSet<String> {
        let parents: HashMap<&str, Option<&str>> = self
            .codes
            .iter()
            .map(|c| (c.uuid.as_str(), c.parent.as_deref()))
            .collect();
        let mut keep = HashSet::new();
        for code in here.keys() {
            let mut at = Some(code.as_str());
            while let Some(u) = at
                && keep.insert(u.to_owned())
            {
                at = parents.get(u).copied().flatten();
            }
        }
        keep
    }

    /// The tree's rows in order, leaving out the sub-codes of folded codes
    /// (and, under "coded here", the codes the document does not use).
    fn rebuild_rows(&mut self) {
        self.rows.clear();
        let keep = self.here_counts().map(|h| self.kept_here(h));
        let mut stack: Vec<(usize, usize)> = self
            .children
            .get(&None)
            .map(|top| top.iter().rev().map(|&i| (i, 0)).collect())
            .unwrap_or_default();
        while let Some((i, depth)) = stack.pop() {
            let uuid = &self.codes[i].uuid;
            if keep.as_ref().is_some_and(|k| !k.contains(uuid)) {
                continue;
            }
            self.rows.push((i, depth));
            if self.collapsed.contains(uuid) {
                continue;
            }
            if let Some(kids) = self.children.get(&Some(uuid.clone())) {
                stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
            }
        }
        self.rows_stale = false;
    }

    /// Unfolds the code's parents so it has a row; returns that row.
    fn reveal(&mut self, uuid: &str) -> Option<usize> {
        let mut parent = self
            .codes
            .iter()
            .find(|c| c.uuid == uuid)
            .and_then(|c| c.parent.clone());
        let mut steps = 0;
        while let Some(p) = parent
            && steps < self.codes.len()
        {
            self.unfold(&p);
            parent = self
                .codes
                .iter()
                .find(|c| c.uuid == p)
                .and_then(|c| c.parent.clone());
            steps += 1;
        }
        if self.rows_stale {
            self.rebuild_rows();
        }
        self.rows
            .iter()
            .position(|&(i, _)| self.codes[i].uuid == uuid)
    }

    /// The tree in a scroll area of at most `max_height`. Only the rows in
    /// view are laid out (a codebook of hundreds of codes costs the frame
    /// what a screenful does); every row has the height of the last drawn.
    pub(super) fn tree_ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &Shared,
        max_height: f32,
        actions: &mut Vec<TreeAction>,
    ) {
        if self.rows_stale {
            self.rebuild_rows();
        }
        let row_height = self.row_height.unwrap_or_else(|| {
            let text = ui.text_style_height(&egui::TextStyle::Button);
            ui.spacing()
                .interact_size
                .y
                .max(text + 2.0 * ui.spacing().button_padding.y)
        });
        let mut area = egui::ScrollArea::vertical()
            .id_salt("code-tree")
            .max_height(max_height)
            .auto_shrink([false, true]);
        // A code made this frame is in the tree from the next one.
        let current = self.loaded == Some(sh.revision);
        if current
            && let Some(target) = self.scroll_to.take()
            && let Some(row) = self.reveal(&target)
        {
            // The row a third of the way down the tree, never past the end
            // as last drawn (egui would spring it back over frames); when
            // rows were just added, the rest of the way on the next frame.
            let step = row_height + ui.spacing().item_spacing.y;
            let want = (row as f32 * step - max_height / 3.0).max(0.0);
            if want > self.tree_max_offset + 0.5 && self.scroll_tries < 2 {
                self.scroll_tries += 1;
                self.scroll_to = Some(target);
            } else {
                self.scroll_tries = 0;
            }
            area = area.vertical_scroll_offset(want.min(self.tree_max_offset));
        }
        let mut tallest = 0.0f32;
        let mut toggles = Vec::new();
        let out = area.show_rows(ui, row_height, self.rows.len(), |ui, range| {
            for r in range {
                let (i, depth) = self.rows[r];
                let (height, toggled) = self.code_row(ui, sh, i, depth, row_height, actions);
                tallest = tallest.max(height);
                if toggled {
                    toggles.push(i);
                }
            }
        });
        self.tree_max_offset = (out.content_size.y - out.inner_rect.height()).max(0.0);
        for i in toggles {
            let uuid = self.codes[i].uuid.clone();
            if self.collapsed.contains(&uuid) {
                self.unfold(&uuid);
            } else {
                self.fold(&uuid);
            }
        }
        if tallest > row_height + 0.5 {
            self.row_height = Some(tallest);
            ui.ctx().request_repaint();
        }
    }

    /// One row of the tree; returns its height and whether its fold
    /// button was clicked.
    fn code_row(
        &self,
        ui: &mut egui::Ui,
        sh: &Shared,
        i: usize,
        depth: usize,
        row_height: f32,
        actions: &mut Vec<TreeAction>,
    ) -> (f32, bool) {
        let code = &self.codes[i];
        let has_kids = self.has_kids.contains(&i);
        let open = !self.collapsed.contains(&code.uuid);
        let selected = sh.selected_code.as_deref() == Some(code.uuid.as_str());
        let mut toggled = false;
        // Every row the same height. The row is painted, not built of
        // buttons and labels: the tree is on screen beside every transcript,
        // and widgets cost the steady frame several times what painting does.
        let width = ui.available_width();
        let (rect, row) = ui.allocate_exact_size(egui::vec2(width, row_height), Sense::hover());
        let id = ui.scope_id().with(("code-row", &code.uuid));
        let gap = ui.spacing().item_spacing.x;
        let visuals = ui.visuals();
        let text_color = visuals.text_color();
        let weak = visuals.weak_text_color();
        let centre_y = rect.center().y;
        let mut x = rect.left() + depth as f32 * 14.0;
        const SLOT: f32 = 14.0;
        if has_kids {
            let (sign, verb) = if open {
                ("−", "Collapse")
            } else {
                ("+", "Expand")
            };
            let slot = Rect::from_min_max(pos2(x, rect.top()), pos2(x + SLOT, rect.bottom()));
            let t = ui.interact(slot, id.with("fold"), Sense::click());
            let color = if t.hovered() {
                visuals.strong_text_color()
            } else {
                text_color
            };
            ui.painter().text(
                slot.center(),
                Align2::CENTER_CENTER,
                sign,
                TextStyle::Button.resolve(ui.style()),
                color,
            );
            t.widget_info(|| {
                WidgetInfo::labeled(egui::Role::Button, true, format!("{verb} {}", code.name()))
            });
            toggled = t.clicked();
        }
        x += SLOT + gap;
        let swatch = Rect::from_center_size(pos2(x + 6.0, centre_y), egui::vec2(12.0, 12.0));
        ui.painter()
            .rect_filled(swatch, 0.0, parse_color(&code.color));
        x += 12.0 + gap;
        // The name: clicks select; a drag carries the code's uuid as the payload.
        let shown = if code.codable {
            RichText::new(code.name())
        } else {
            RichText::new(code.name()).italics()
        };
        let galley = WidgetText::from(shown).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            TextStyle::Button,
        );
        let pad = ui.spacing().button_padding;
        let name_rect = Rect::from_min_size(
            pos2(x, rect.top()),
            egui::vec2(galley.size().x + 2.0 * pad.x, row_height),
        );
        let name = ui.interact(name_rect, id, Sense::click_and_drag());
        if selected || name.hovered() || name.has_focus() {
            let fill = if selected {
                visuals.selection.bg_fill
            } else {
                visuals.widgets.hovered.weak_bg_fill
            };
            let bg = name_rect.shrink2(egui::vec2(0.0, 1.0));
            ui.painter()
                .rect_filled(bg, visuals.widgets.hovered.corner_radius, fill);
            if name.has_focus() {
                ui.painter().rect_stroke(
                    bg,
                    visuals.widgets.hovered.corner_radius,
                    visuals.selection.stroke,
                    egui::StrokeKind::Inside,
                );
            }
        }
        let name_color = if selected {
            visuals.selection.stroke.color
        } else {
            text_color
        };
        let name_pos = pos2(x + pad.x, centre_y - galley.size().y / 2.0);
        ui.painter().galley(name_pos, galley, name_color);
        name.widget_info(|| WidgetInfo::selected(egui::Role::Button, true, selected, code.name()));
        name.dnd_set_drag_payload(code.uuid.clone());
        if name.dragged() {
            drag_ghost(ui.ctx(), code);
        }
        x = name_rect.right() + gap;
        // How often used: the count, with more on hover.
        let f = self.freq.get(&code.uuid);
        let total = f.map_or(0, |f| f.codings);
        let body = TextStyle::Body.resolve(ui.style());
        let here = self
            .here_counts()
            .map(|h| h.get(&code.uuid).copied().unwrap_or(0));
        let count = here.unwrap_or(total).to_string();
        let count_rect = ui.painter().text(
            pos2(x, centre_y),
            Align2::LEFT_CENTER,
            &count,
            body.clone(),
            weak,
        );
        let hover = ui.interact(count_rect, id.with("count"), Sense::hover());
        hover.widget_info(|| WidgetInfo::labeled(egui::Role::Label, true, &count));
        match here {
            Some(n) => {
                hover.on_hover_text_lazy(|| {
                    format!("{n} codings in this document · {total} in the project")
                });
            }
            None => {
                hover.on_hover_ui_lazy(|ui| {
                    ui.label(self.count_detail(sh, &code.uuid));
                });
            }
        }
        x = count_rect.right() + gap;
        if !code.codable {
            let small = TextStyle::Small.resolve(ui.style());
            let r = ui.painter().text(
                pos2(x, centre_y),
                Align2::LEFT_CENTER,
                "category",
                small,
                weak,
            );
            ui.interact(r, id.with("category"), Sense::hover())
                .on_hover_text_lazy(|| "Groups codes; takes no coding itself".to_owned())
                .widget_info(|| WidgetInfo::labeled(egui::Role::Label, true, "category"));
        }
        {
            if name.double_clicked() {
                actions.push(TreeAction::OpenPassages(code.uuid.clone()));
            } else if name.clicked() {
                actions.push(TreeAction::Select(code.uuid.clone()));
            }
            name.context_menu(|ui| {
                if ui.button("Open passages").clicked() {
                    actions.push(TreeAction::OpenPassages(code.uuid.clone()));
                    ui.close();
                }
                if ui.button("Rename…").clicked() {
                    actions.push(TreeAction::Rename(code.uuid.clone()));
                    ui.close();
                }
                if ui.button("Add sub-code…").clicked() {
                    actions.push(TreeAction::AddUnder(code.uuid.clone()));
                    ui.close();
                }
                if ui
                    .add_enabled(
                        code.parent.is_some(),
                        egui::Button::new("Move to top level"),
                    )
                    .clicked()
                {
                    actions.push(TreeAction::Move(code.uuid.clone(), None));
                    ui.close();
                }
                if ui.button("Delete…").clicked() {
                    actions.push(TreeAction::Delete(code.uuid.clone()));
                    ui.close();
                }
            });
        }
        // Dropping a code on this row puts it under this code.
        let r = &row;
        if let Some(dragged) = r.dnd_hover_payload::<String>()
            && *dragged != code.uuid
            && self.is_code(&dragged)
        {
            ui.painter().rect_stroke(
                r.rect,
                2.0,
                ui.visuals().selection.stroke,
                egui::StrokeKind::Inside,
            );
        }
        if let Some(dragged) = r.dnd_release_payload::<String>()
            && *dragged != code.uuid
            && self.is_code(&dragged)
        {
            actions.push(TreeAction::Move(
                (*dragged).clone(),
                Some(code.uuid.clone()),
            ));
        }
        (rect.height(), toggled)
    }

    /// "12 codings · 3 documents · 2 participants": the participants need
    /// every turn, so the whole table is read only when a count is hovered,
    /// once per revision.
    pub(super) fn count_detail(&self, sh: &Shared, uuid: &str) -> String {
        let mut detail = self.detail.borrow_mut();
        if detail.as_ref().map(|(rev, _)| *rev) != Some(sh.revision) {
            let rows = sh
                .project
                .as_ref()
                .and_then(|p| p.code_counts().ok())
                .unwrap_or_default();
            let rows = rows.into_iter().map(|r| (r.code.clone(), r)).collect();
            *detail = Some((sh.revision, rows));
        }
        match detail.as_ref().and_then(|(_, rows)| rows.get(uuid)) {
            Some(f) if f.codings > 0 => format!(
                "{} codings · {} documents · {} participants",
                f.codings, f.documents, f.participants
            ),
            _ => "not used yet".to_owned(),
        }
    }

    /// While a code is dragged: a place to drop it to take it to the top level.
    pub(super) fn top_level_drop_zone(&self, ui: &mut egui::Ui, actions: &mut Vec<TreeAction>) {
        let dragged = egui::DragAndDrop::payload::<String>(ui.ctx());
        let Some(dragged) = dragged.filter(|d| self.is_code(d)) else {
            return;
        };
        let is_sub = self
            .codes
            .iter()
            .any(|c| c.uuid == *dragged && c.parent.is_some());
        if !is_sub {
            return;
        }
        ui.add_space(4.0);
        let (_, dropped) =
            ui.dnd_drop_zone::<String, _>(egui::Frame::default().inner_margin(4.0), |ui| {
                ui.label("Drop here for the top level");
            });
        if let Some(d) = dropped {
            actions.push(TreeAction::Move((*d).clone(), None));
        }
    }

    /// Keeps `Shared::dragged_code` in step with a drag started in the tree.
    /// It stays set through the frame the mouse is released in (panels drawn
    /// after this one see it), and is cleared on the next.
    pub(super) fn track_drag(&mut self, ui: &egui::Ui, sh: &mut Shared) {
        let payload = egui::DragAndDrop::payload::<String>(ui.ctx());
        match payload.filter(|p| self.is_code(p)) {
            Some(p) => {
                sh.dragged_code = Some((*p).clone());
                self.dragging = true;
            }
            None if self.dragging => {
                sh.dragged_code = None;
                self.dragging = false;
            }
            None => {}
        }
    }
}
