//! The codebook (the navigator's "Codes" tab): a collapsible tree of codes
//! with colour, name and how often each is used; a "New code" field; and,
//! below the tree, the details of the selected code: rename, colour, what it
//! means, move, merge, delete (with a confirmation).
//!
//! Drag a code onto another code to put it under that one, onto "top level"
//! to take it out, onto a selection in the document view to apply it, or onto
//! a theme card on the themes board. While a code is dragged its uuid is in
//! [`Shared::dragged_code`] and is the drag-and-drop payload (a `String`).

use super::color::{hex_of, parse_color, rgb_of, swatch};
use super::shared::Shared;
use egui::{Id, RichText};
use std::collections::{HashMap, HashSet};
use storyloom_coding::project::CodeFrequencyRow;
use storyloom_coding::{Code, CodeDescription};

#[cfg(test)]
mod tests;

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

/// The details being edited for the selected code.
struct CodeEdit {
    /// The code as stored when the fields were last synchronised.
    base: Code,
    name: String,
    color: [u8; 3],
    hex: String,
    definition: String,
    when_to_use: String,
    when_not: String,
    merge_into: Option<String>,
}

impl CodeEdit {
    fn new(code: &Code) -> CodeEdit {
        let color = rgb_of(&code.color).unwrap_or([128, 128, 128]);
        CodeEdit {
            base: code.clone(),
            name: code.name().to_owned(),
            color,
            hex: hex_of(color),
            definition: code.definition.clone(),
            when_to_use: code.when_to_use.clone(),
            when_not: code.when_not.clone(),
            merge_into: None,
        }
    }

    /// Follows changes made elsewhere (undo, another panel) in the fields the
    /// user has not touched; what they typed stays.
    fn follow(&mut self, code: &Code) {
        if self.base == *code {
            return;
        }
        fn keep(buf: &mut String, old: &str, new: &str) {
            if buf == old {
                *buf = new.to_owned();
            }
        }
        keep(&mut self.name, self.base.name(), code.name());
        keep(
            &mut self.definition,
            &self.base.definition,
            &code.definition,
        );
        keep(
            &mut self.when_to_use,
            &self.base.when_to_use,
            &code.when_to_use,
        );
        keep(&mut self.when_not, &self.base.when_not, &code.when_not);
        if rgb_of(&self.base.color) == Some(self.color) {
            self.color = rgb_of(&code.color).unwrap_or(self.color);
            self.hex = hex_of(self.color);
        }
        self.base = code.clone();
    }

    fn description(&self) -> CodeDescription {
        CodeDescription {
            definition: self.definition.clone(),
            when_to_use: self.when_to_use.clone(),
            when_not: self.when_not.clone(),
        }
    }
}

/// A code waiting for "Delete" in the confirmation window.
struct PendingDelete {
    uuid: String,
    name: String,
    sub_codes: usize,
}

/// Something the tree asked for, done after drawing it.
enum TreeAction {
    Select(String),
    Move(String, Option<String>),
    Delete(String),
    AddUnder(String),
    Rename(String),
}

#[derive(Default)]
pub struct CodebookPanel {
    loaded: Option<u64>,
    codes: Vec<Code>,
    freq: HashMap<String, CodeFrequencyRow>,
    /// Children (indices into `codes`) by parent uuid; `None` for the top level.
    children: HashMap<Option<String>, Vec<usize>>,
    /// Codes whose sub-codes are hidden.
    collapsed: HashSet<String>,
    /// What is typed in "New code".
    pub new_name: String,
    /// Create the new code under the selected one.
    pub as_sub_code: bool,
    edit: Option<CodeEdit>,
    pending_delete: Option<PendingDelete>,
    /// True while this panel has put a dragged code in `Shared::dragged_code`.
    dragging: bool,
    focus_new: bool,
    focus_rename: bool,
}

impl CodebookPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        self.new_code_ui(ui, sh);
        ui.separator();

        let mut actions = Vec::new();
        // The tree shares the panel with the details of a selected code.
        let tree_height = if sh.selected_code.is_some() {
            (ui.available_height() * 0.5).max(120.0)
        } else {
            ui.available_height() - 40.0
        };
        egui::ScrollArea::vertical()
            .id_salt("code-tree")
            .max_height(tree_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.codes.is_empty() {
                    ui.label(RichText::new("No codes yet: add one above.").weak());
                }
                let top = self.children.get(&None).cloned().unwrap_or_default();
                for i in top {
                    self.code_row(ui, sh, i, 0, &mut actions);
                }
                self.top_level_drop_zone(ui, &mut actions);
            });
        self.track_drag(ui, sh);
        for a in actions {
            self.apply(a, sh);
        }

        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("code-details")
            .auto_shrink([false, true])
            .show(ui, |ui| self.details_ui(ui, sh));
        self.delete_window(ui, sh);
    }

    /// Reloads the codebook and its counts when the project changed.
    fn reload(&mut self, sh: &mut Shared) {
        if self.loaded == Some(sh.revision) {
            return;
        }
        self.loaded = Some(sh.revision);
        self.codes = sh.read(|p| p.codes()).unwrap_or_default();
        self.freq = sh
            .read(|p| p.code_counts())
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect();
        self.children.clear();
        for (i, c) in self.codes.iter().enumerate() {
            self.children.entry(c.parent.clone()).or_default().push(i);
        }
        if let Some(sel) = &sh.selected_code
            && !self.codes.iter().any(|c| &c.uuid == sel)
        {
            sh.selected_code = None;
        }
    }

    fn new_code_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let label = ui.label("New code");
        let mut add = false;
        ui.horizontal(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.new_name)
                        .hint_text("name")
                        .desired_width(ui.available_width() - 50.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus_new) {
                r.request_focus();
            }
            add |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            add |= ui.button("Add").clicked();
        });
        let selected = sh
            .selected_code
            .as_ref()
            .and_then(|s| self.codes.iter().find(|c| &c.uuid == s))
            .map(|c| c.name().to_owned());
        ui.add_enabled_ui(selected.is_some(), |ui| {
            let text = match &selected {
                Some(name) => format!("as sub-code of {name}"),
                None => "as sub-code (select a code first)".to_owned(),
            };
            ui.checkbox(&mut self.as_sub_code, text);
        });
        if add && !self.new_name.trim().is_empty() {
            let parent = if self.as_sub_code && selected.is_some() {
                sh.selected_code.clone()
            } else {
                None
            };
            let name = self.new_name.clone();
            if sh
                .act(|p| p.create_code(&name, parent.as_deref(), None))
                .is_some()
            {
                self.new_name.clear();
                if let Some(p) = parent {
                    self.collapsed.remove(&p);
                }
                self.focus_new = true;
            }
        }
    }

    fn code_row(
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
            let name = ui
                .selectable_label(selected, code.name())
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
            if name.clicked() {
                actions.push(TreeAction::Select(code.uuid.clone()));
            }
            name.context_menu(|ui| {
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
    fn top_level_drop_zone(&self, ui: &mut egui::Ui, actions: &mut Vec<TreeAction>) {
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
    fn track_drag(&mut self, ui: &egui::Ui, sh: &mut Shared) {
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

    fn is_code(&self, uuid: &str) -> bool {
        self.codes.iter().any(|c| c.uuid == uuid)
    }

    fn name_of(&self, uuid: &str) -> String {
        self.codes
            .iter()
            .find(|c| c.uuid == uuid)
            .map(|c| c.name().to_owned())
            .unwrap_or_default()
    }

    /// The code and every code under it.
    fn subtree(&self, uuid: &str) -> Vec<String> {
        let mut out = vec![uuid.to_owned()];
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = self.children.get(&Some(out[i].clone())) {
                out.extend(kids.iter().map(|&k| self.codes[k].uuid.clone()));
            }
            i += 1;
        }
        out
    }

    fn apply(&mut self, action: TreeAction, sh: &mut Shared) {
        match action {
            TreeAction::Select(u) => sh.selected_code = Some(u),
            TreeAction::Rename(u) => {
                sh.selected_code = Some(u);
                self.focus_rename = true;
            }
            TreeAction::AddUnder(u) => {
                sh.selected_code = Some(u);
                self.as_sub_code = true;
                self.focus_new = true;
            }
            TreeAction::Move(code, parent) => {
                if sh.act(|p| p.move_code(&code, parent.as_deref())).is_some()
                    && let Some(p) = parent
                {
                    self.collapsed.remove(&p);
                }
            }
            TreeAction::Delete(u) => self.ask_delete(&u),
        }
    }

    fn ask_delete(&mut self, uuid: &str) {
        self.pending_delete = Some(PendingDelete {
            uuid: uuid.to_owned(),
            name: self.name_of(uuid),
            sub_codes: self.subtree(uuid).len() - 1,
        });
    }

    fn details_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(code) = sh
            .selected_code
            .as_ref()
            .and_then(|s| self.codes.iter().find(|c| &c.uuid == s))
            .cloned()
        else {
            self.edit = None;
            ui.label(RichText::new("Click a code to see and edit its details.").weak());
            return;
        };
        match &mut self.edit {
            Some(e) if e.base.uuid == code.uuid => e.follow(&code),
            _ => self.edit = Some(CodeEdit::new(&code)),
        }
        let others: Vec<(String, String)> = {
            let sub = self.subtree(&code.uuid);
            self.codes
                .iter()
                .filter(|c| !sub.contains(&c.uuid))
                .map(|c| (c.uuid.clone(), c.path_string()))
                .collect()
        };
        let Some(e) = self.edit.as_mut() else { return };
        ui.label(RichText::new(format!("Details: {}", code.path_string())).strong());
        if let Some(f) = self.freq.get(&code.uuid) {
            ui.label(
                RichText::new(format!(
                    "{} codings in {} documents, {} participants (words: Queries, Frequencies)",
                    f.codings, f.documents, f.participants
                ))
                .weak(),
            );
        }

        // Name: committed on Enter or when the field loses focus.
        let label = ui.label("Code name");
        let r = ui
            .add(egui::TextEdit::singleline(&mut e.name).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus_rename) {
            r.request_focus();
        }
        if r.lost_focus() && e.name.trim() != code.name() && !e.name.trim().is_empty() {
            let name = e.name.clone();
            sh.act(|p| p.rename_code(&code.uuid, &name));
        }

        // Colour: the picker is committed once it closes; the hex field on Enter.
        ui.horizontal(|ui| {
            let label = ui.label("Colour");
            let popup_id = ui.auto_id_with("popup");
            let picked = ui
                .color_edit_button_srgb(&mut e.color)
                .labelled_by(label.id);
            if picked.changed() {
                e.hex = hex_of(e.color);
            }
            let picker_open = egui::Popup::is_id_open(ui.ctx(), popup_id);
            if !picker_open && rgb_of(&code.color) != Some(e.color) && e.hex == hex_of(e.color) {
                let hex = e.hex.clone();
                if sh.act(|p| p.set_code_color(&code.uuid, &hex)).is_none() {
                    e.color = rgb_of(&code.color).unwrap_or(e.color);
                    e.hex = hex_of(e.color);
                }
            }
            let hex_label = ui.label("Hex colour");
            let r = ui
                .add(egui::TextEdit::singleline(&mut e.hex).desired_width(70.0))
                .labelled_by(hex_label.id);
            if r.lost_focus() && rgb_of(&e.hex) != rgb_of(&code.color) {
                let hex = e.hex.clone();
                if sh.act(|p| p.set_code_color(&code.uuid, &hex)).is_some() {
                    e.color = rgb_of(&hex).unwrap_or(e.color);
                    e.hex = hex_of(e.color);
                }
            }
        });

        // What the code means.
        for (title, buf) in [
            ("Definition", &mut e.definition),
            ("When to use", &mut e.when_to_use),
            ("When not to use", &mut e.when_not),
        ] {
            let label = ui.label(title);
            ui.add(
                egui::TextEdit::multiline(buf)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        }
        let described = e.description();
        let unchanged = described.definition == code.definition
            && described.when_to_use == code.when_to_use
            && described.when_not == code.when_not;
        if ui
            .add_enabled(!unchanged, egui::Button::new("Save description"))
            .clicked()
        {
            sh.act(|p| p.describe_code(&code.uuid, &described));
        }

        ui.separator();
        let (mut to_top, mut delete) = (false, false);
        ui.horizontal(|ui| {
            to_top = ui
                .add_enabled(
                    code.parent.is_some(),
                    egui::Button::new("Move to top level"),
                )
                .on_hover_text("Or drag the code onto another code to put it under that one.")
                .clicked();
            delete = ui.button("Delete code…").clicked();
        });
        if to_top {
            sh.act(|p| p.move_code(&code.uuid, None));
        }
        let mut merge = false;
        let label = ui.label("Merge into");
        ui.horizontal(|ui| {
            let shown = e
                .merge_into
                .as_ref()
                .and_then(|m| others.iter().find(|(u, _)| u == m))
                .map_or("choose a code", |(_, path)| path.as_str())
                .to_owned();
            egui::ComboBox::from_id_salt("merge-into")
                .selected_text(shown)
                .width((ui.available_width() - 80.0).max(80.0))
                .truncate()
                .show_ui(ui, |ui| {
                    for (uuid, path) in &others {
                        ui.selectable_value(&mut e.merge_into, Some(uuid.clone()), path);
                    }
                })
                .response
                .labelled_by(label.id);
            merge = ui
                .add_enabled(e.merge_into.is_some(), egui::Button::new("Merge"))
                .on_hover_text("Its codings move to the chosen code; the code goes away.")
                .clicked();
        });
        if merge
            && let Some(target) = e.merge_into.clone()
            && let Some(r) = sh.act(|p| p.merge_codes(&code.uuid, &target))
        {
            sh.info(format!(
                "Merged '{}' into '{}': {} codings moved, {} duplicates dropped",
                r.source, r.target, r.codings_moved, r.duplicates_dropped
            ));
            sh.selected_code = Some(target);
        }
        if delete {
            self.ask_delete(&code.uuid);
        }
    }

    fn delete_window(&mut self, ui: &egui::Ui, sh: &mut Shared) {
        let Some(pending) = &self.pending_delete else {
            return;
        };
        let question = match pending.sub_codes {
            0 => format!("Delete code {}?", pending.name),
            1 => format!("Delete code {} and its sub-code?", pending.name),
            n => format!("Delete code {} and its {n} sub-codes?", pending.name),
        };
        let choice = super::widgets::confirm_delete(
            ui,
            "delete-code",
            question,
            "Its codings are kept and come back with Undo.",
        );
        if let Some(confirmed) = choice {
            let pending = self.pending_delete.take().expect("pending delete");
            if confirmed && sh.act(|p| p.delete_code(&pending.uuid)).is_some() {
                sh.info(format!(
                    "Deleted code {} (Undo, Ctrl+Z, brings it back with its codings)",
                    pending.name
                ));
                if sh
                    .selected_code
                    .as_ref()
                    .is_some_and(|s| self.subtree(&pending.uuid).contains(s))
                {
                    sh.selected_code = None;
                }
            }
        }
    }
}
