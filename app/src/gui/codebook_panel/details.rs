//! The selected code's details: rename, colour, what it means, move,
//! merge, and delete with a confirmation window.

use super::{CodebookPanel, PendingDelete};
use crate::gui::color::{hex_of, rgb_of};
use crate::gui::debounce::TextField;
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::Code;
use storyloom_project::Command;

/// The label of the toggle that makes a code a category (not codable).
pub(super) const CATEGORY_LABEL: &str = "Category (not codable)";

/// One part of a code's description, saved on its own so that two people
/// (or two fields) changing different parts keep both.
#[derive(Clone, Copy)]
enum DescField {
    Definition,
    WhenToUse,
    WhenNot,
}

impl DescField {
    fn save(self, code: &str, text: &str) -> Command {
        let text = Some(text.to_owned());
        let (definition, when_to_use, when_not) = match self {
            DescField::Definition => (text, None, None),
            DescField::WhenToUse => (None, text, None),
            DescField::WhenNot => (None, None, text),
        };
        Command::DescribeCodeFields {
            code: code.to_owned(),
            definition,
            when_to_use,
            when_not,
        }
    }
}

/// The details being edited for the selected code (the text fields keep
/// their typed text in edit sessions, see [`crate::gui::debounce`]).
pub(super) struct CodeEdit {
    /// The code as stored when the fields were last synchronised.
    base: Code,
    color: [u8; 3],
    hex: String,
    merge_into: Option<String>,
}

impl CodeEdit {
    pub(super) fn new(code: &Code) -> CodeEdit {
        let color = rgb_of(&code.color).unwrap_or([128, 128, 128]);
        CodeEdit {
            base: code.clone(),
            color,
            hex: hex_of(color),
            merge_into: None,
        }
    }

    /// Follows a colour changed elsewhere (undo, another panel) unless the
    /// user is picking one.
    pub(super) fn follow(&mut self, code: &Code) {
        if self.base == *code {
            return;
        }
        if rgb_of(&self.base.color) == Some(self.color) {
            self.color = rgb_of(&code.color).unwrap_or(self.color);
            self.hex = hex_of(self.color);
        }
        self.base = code.clone();
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
        if self.edit.is_none() {
            return;
        }
        ui.label(RichText::new(format!("Details: {}", code.path_string())).strong());
        if let Some(f) = self.freq.get(&code.uuid) {
            // Participants need every turn read: on hover only.
            ui.label(
                RichText::new(format!(
                    "{} codings in {} documents (hover for participants; words: Queries, Frequencies)",
                    f.codings, f.documents
                ))
                .weak(),
            )
            .on_hover_ui(|ui| {
                ui.label(self.count_detail(sh, &code.uuid));
            });
        }
        let Some(e) = self.edit.as_mut() else { return };

        // Name: committed on Enter, on leaving the field or the panel (not
        // after a pause: a half-typed name would clash or mislead).
        let label = ui.label("Code name");
        let key = code.uuid.clone();
        let r = TextField::singleline(("code-name", &code.uuid))
            .desired_width(f32::INFINITY)
            .no_idle_save()
            .show(ui, sh, code.name(), move |_, name| {
                Ok(Command::RenameCode {
                    code: key.clone(),
                    new_name: name.to_owned(),
                })
            })
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus_rename) {
            r.request_focus();
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
                if sh
                    .apply(Command::SetCodeColor {
                        code: code.uuid.to_owned(),
                        color: hex.to_owned(),
                    })
                    .is_none()
                {
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
                if sh
                    .apply(Command::SetCodeColor {
                        code: code.uuid.to_owned(),
                        color: hex.to_owned(),
                    })
                    .is_some()
                {
                    e.color = rgb_of(&hex).unwrap_or(e.color);
                    e.hex = hex_of(e.color);
                }
            }
        });

        // A category groups codes and takes no coding itself (REFI-QDA's
        // isCodable="false"); refused, with the count, while it has codings.
        let mut category = !code.codable;
        let r = ui.checkbox(&mut category, CATEGORY_LABEL).on_hover_text(
            "A category groups codes and takes no coding itself; code with the codes under it. \
                 A code that has codings cannot become one.",
        );
        if r.changed()
            && sh
                .apply(Command::SetCodeCategory {
                    code: code.uuid.to_owned(),
                    category,
                })
                .and_then(|a| a.flag().ok())
                .is_some()
        {
            sh.info(if category {
                format!("'{}' is now a category (not codable)", code.name())
            } else {
                format!("'{}' is codable again", code.name())
            });
        }

        // What the code means: each field saved as you type (one change
        // per edit session), so nothing typed is lost on moving away.
        for (title, field, stored) in [
            ("Definition", DescField::Definition, &code.definition),
            ("When to use", DescField::WhenToUse, &code.when_to_use),
            ("When not to use", DescField::WhenNot, &code.when_not),
        ] {
            let label = ui.label(title);
            let key = code.uuid.clone();
            TextField::multiline((title, &code.uuid))
                .desired_rows(2)
                .show(ui, sh, stored, move |_, text| Ok(field.save(&key, text)))
                .labelled_by(label.id);
        }
        let ids = ["Definition", "When to use", "When not to use"]
            .map(|t| TextField::multiline((t, &code.uuid)).id());
        if ids.iter().any(|id| sh.edits.unsaved(*id)) {
            ui.label(RichText::new("saving…").small().weak());
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
            sh.push(Command::MoveCode {
                code: code.uuid.to_owned(),
                parent: None,
            });
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
            && let Some(r) = sh
                .apply(Command::MergeCodes {
                    source: code.uuid.to_owned(),
                    target: target.to_owned(),
                })
                .and_then(|a| a.merged().ok())
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
        // Either answer clears the question; only "delete" deletes.
        if let Some(confirmed) = choice
            && let Some(pending) = self.pending_delete.take()
            && confirmed
            && sh
                .apply(Command::DeleteCode {
                    code: pending.uuid.to_owned(),
                })
                .and_then(|a| a.count().ok())
                .is_some()
        {
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
