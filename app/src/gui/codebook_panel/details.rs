//! The selected code's details: rename, colour, what it means, move,
//! merge, and delete with a confirmation window.

use super::{CodebookPanel, PendingDelete};
use crate::gui::color::{hex_of, rgb_of};
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::{Code, CodeDescription};

/// The details being edited for the selected code.
pub(super) struct CodeEdit {
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
    pub(super) fn new(code: &Code) -> CodeEdit {
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
    pub(super) fn follow(&mut self, code: &Code) {
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

impl CodebookPanel {
    pub(super) fn ask_delete(&mut self, uuid: &str) {
        self.pending_delete = Some(PendingDelete {
            uuid: uuid.to_owned(),
            name: self.name_of(uuid),
            sub_codes: self.subtree(uuid).len() - 1,
        });
    }

    pub(super) fn details_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
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

    pub(super) fn delete_window(&mut self, ui: &egui::Ui, sh: &mut Shared) {
        let Some(pending) = &self.pending_delete else {
            return;
        };
        let question = match pending.sub_codes {
            0 => format!("Delete code {}?", pending.name),
            1 => format!("Delete code {} and its sub-code?", pending.name),
            n => format!("Delete code {} and its {n} sub-codes?", pending.name),
        };
        let choice = crate::gui::widgets::confirm_delete(
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
