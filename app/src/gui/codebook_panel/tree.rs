//! The code tree: a row per code (colour, name, how often used) that can be
//! dragged onto another code, the top-level drop zone, and the drag itself.

use super::{CodebookPanel, TreeAction};
use crate::gui::color::{parse_color, swatch};
use crate::gui::shared::Shared;
use egui::{Id, RichText};
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
    pub(super) fn code_row(
        &mut self,
        ui: &mut egui::Ui,
        sh: &Shared,
        i: usize,
        depth: usize,
        actions: &mut Vec<TreeAction>,
    ) {
        let code = self.codes[i].clone();
        let kids = self
            .children
            .get(&Some(code.uuid.clone()))
            .cloned()
            .unwrap_or_default();
        let open = !self.collapsed.contains(&code.uuid);
        let selected = sh.selected_code.as_deref() == Some(code.uuid.as_str());
        let row = ui.horizontal(|ui| {
            ui.add_space(depth as f32 * 14.0);
            const SLOT: f32 = 14.0;
            if kids.is_empty() {
                ui.add_space(SLOT + ui.spacing().item_spacing.x);
            } else {
                let (sign, verb) = if open {
                    ("−", "Collapse")
                } else {
                    ("+", "Expand")
                };
                let t = ui
                    .add_sized([SLOT, SLOT], egui::Button::new(sign).frame(false))
                    .accessible_name(format!("{verb} {}", code.name()));
                if t.clicked() {
                    if open {
                        self.collapsed.insert(code.uuid.clone());
                    } else {
                        self.collapsed.remove(&code.uuid);
                    }
                }
            }
            swatch(ui, parse_color(&code.color));
            // Clicks select; a drag carries the code's uuid as the payload.
            let shown = if code.codable {
                RichText::new(code.name())
            } else {
                RichText::new(code.name()).italics()
            };
            let name = ui
                .selectable_label(selected, shown)
                .interact(egui::Sense::click_and_drag());
            name.dnd_set_drag_payload(code.uuid.clone());
            if name.dragged() {
                drag_ghost(ui.ctx(), &code);
            }
            let f = self.freq.get(&code.uuid);
            let n = f.map_or(0, |f| f.codings);
            let count = ui.label(RichText::new(n.to_string()).weak());
            let hover = match f {
                Some(f) => format!(
                    "{} codings · {} documents · {} participants",
                    f.codings, f.documents, f.participants
                ),
                None => "not used yet".to_owned(),
            };
            count.on_hover_text(hover);
            if !code.codable {
                ui.label(RichText::new("category").small().weak())
                    .on_hover_text("Groups codes; takes no coding itself");
            }
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
        });
        // Dropping a code on this row puts it under this code.
        let r = &row.response;
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
        if open {
            for k in kids {
                self.code_row(ui, sh, k, depth + 1, actions);
            }
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
