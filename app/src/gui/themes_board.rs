//! The themes board: one card per theme with its name, status, definition
//! and codes. Codes come onto a card by dragging them from the codebook tree
//! (the drag-and-drop payload, or [`Shared::dragged_code`]) or through the
//! card's "Add code" list; the × on a chip takes a code out again.

use super::color::{parse_color, swatch};
use super::debounce::TextField;
use super::shared::Shared;
use egui::RichText;
use std::collections::HashMap;
use storyloom_project::Command;
use storyloom_project::{Code, Theme, ThemeStatus};

#[cfg(test)]
mod tests;

const STATUSES: [ThemeStatus; 3] = [
    ThemeStatus::Candidate,
    ThemeStatus::Reviewed,
    ThemeStatus::Defined,
];

fn status_label(s: ThemeStatus) -> &'static str {
    match s {
        ThemeStatus::Candidate => "Candidate",
        ThemeStatus::Reviewed => "Reviewed",
        ThemeStatus::Defined => "Defined",
    }
}

/// A change asked for on a card, made after the board is drawn.
enum CardAction {
    Status(String, ThemeStatus),
    AddCode(String, String),
    RemoveCode(String, String),
    Delete(String, String),
}

#[derive(Default)]
pub struct ThemesBoard {
    loaded: Option<u64>,
    themes: Vec<Theme>,
    codes: Vec<Code>,
    /// Codings per code uuid.
    codings: HashMap<String, usize>,
    /// Workshop notes by theme uuid: (workshop, column → answer).
    notes: HashMap<String, Vec<storyloom_project::project::workshop_ops::ThemeNote>>,
    /// What is typed in "New theme".
    pub new_name: String,
    /// A theme waiting for "Delete" in the confirmation window: (uuid, name).
    pending_delete: Option<(String, String)>,
}

impl ThemesBoard {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        ui.heading("Themes board");
        ui.horizontal(|ui| {
            let label = ui.label("New theme");
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.new_name).hint_text("name"))
                .labelled_by(label.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add theme").clicked() || enter) && !self.new_name.trim().is_empty() {
                let name = self.new_name.clone();
                if sh
                    .apply(Command::CreateTheme {
                        name: name.to_owned(),
                        definition: ("").to_owned(),
                    })
                    .and_then(|a| a.id().ok())
                    .is_some()
                {
                    self.new_name.clear();
                    // Ready for the next one.
                    r.request_focus();
                }
            }
        });
        ui.label(
            RichText::new(
                "Drag codes from the Codes tab onto a theme, or use its \"Add code\" list.",
            )
            .weak(),
        );
        ui.separator();
        if self.themes.is_empty() {
            ui.label("No themes yet: name a candidate theme above.");
        }
        let mut actions = Vec::new();
        egui::ScrollArea::both()
            .id_salt("themes-board")
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    for i in 0..self.themes.len() {
                        self.card(ui, sh, i, &mut actions);
                    }
                });
            });
        for a in actions {
            self.apply(a, sh);
        }
        self.delete_window(ui, sh);
    }

    fn reload(&mut self, sh: &mut Shared) {
        if self.loaded == Some(sh.revision) {
            return;
        }
        self.loaded = Some(sh.revision);
        self.themes = sh.read(|p| p.themes()).unwrap_or_default();
        self.codes = sh.read(|p| p.codes()).unwrap_or_default();
        self.codings = sh
            .read(|p| p.coding_counts(None))
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.code, r.codings))
            .collect();
        self.notes = self
            .themes
            .iter()
            .filter_map(|t| {
                let n = sh.read(|p| p.theme_workshop_notes(&t.uuid))?;
                (!n.is_empty()).then(|| (t.uuid.clone(), n))
            })
            .collect();
    }

    fn card(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        i: usize,
        actions: &mut Vec<CardAction>,
    ) {
        let theme = self.themes[i].clone();
        let codes = &self.codes;
        let codings = &self.codings;
        let frame = egui::Frame::group(ui.style()).inner_margin(8.0);
        let (zone, dropped) = ui.dnd_drop_zone::<String, _>(frame, |ui| {
            ui.set_width(260.0);
            ui.vertical(|ui| {
                // The name is saved on Enter or on leaving the field (a
                // half-typed name would mislead); the definition as typed.
                let key = theme.uuid.clone();
                TextField::singleline(("theme-name", &theme.uuid))
                    .font(egui::TextStyle::Heading)
                    .desired_width(f32::INFINITY)
                    .no_idle_save()
                    .show(ui, sh, &theme.name, move |_, name| {
                        Ok(Command::RenameTheme {
                            theme: key.clone(),
                            new_name: name.to_owned(),
                        })
                    })
                    .accessible_name(format!("Name of theme {}", theme.name));
                ui.horizontal(|ui| {
                    ui.label("Status");
                    let mut status = theme.status;
                    egui::ComboBox::from_id_salt(("theme-status", &theme.uuid))
                        .selected_text(status_label(status))
                        .show_ui(ui, |ui| {
                            for s in STATUSES {
                                ui.selectable_value(&mut status, s, status_label(s));
                            }
                        })
                        .response
                        .accessible_name(format!("Status of theme {}", theme.name));
                    if status != theme.status {
                        actions.push(CardAction::Status(theme.uuid.clone(), status));
                    }
                });
                let n: usize = theme
                    .codes
                    .iter()
                    .map(|c| codings.get(c).copied().unwrap_or(0))
                    .sum();
                let k = theme.codes.len();
                ui.label(
                    RichText::new(format!(
                        "{k} code{} · {n} coding{}",
                        if k == 1 { "" } else { "s" },
                        if n == 1 { "" } else { "s" }
                    ))
                    .weak(),
                );
                if let Some(notes) = self.notes.get(&theme.uuid) {
                    ui.collapsing(format!("Workshop notes ({})", notes.len()), |ui| {
                        for (workshop, fields) in notes {
                            ui.label(RichText::new(workshop).italics());
                            for (field, answer) in fields {
                                ui.label(format!("{field}: {answer}"));
                            }
                        }
                    });
                }

                ui.label("Definition");
                let key = theme.uuid.clone();
                let field = TextField::multiline(("theme-definition", &theme.uuid));
                let id = field.id();
                field
                    .desired_rows(3)
                    .show(ui, sh, &theme.definition, move |_, text| {
                        Ok(Command::DefineTheme {
                            theme: key.clone(),
                            definition: text.to_owned(),
                        })
                    })
                    .accessible_name(format!("Definition of theme {}", theme.name));
                if sh.edits.unsaved(id) {
                    ui.label(RichText::new("saving…").small().weak());
                }

                ui.separator();
                if theme.codes.is_empty() {
                    ui.label(RichText::new("Drop codes here").weak());
                }
                ui.horizontal_wrapped(|ui| {
                    for uuid in &theme.codes {
                        let Some(code) = codes.iter().find(|c| &c.uuid == uuid) else {
                            continue;
                        };
                        chip(ui, code, |ui| {
                            if ui
                                .add(egui::Button::new("×").small().frame(false))
                                .accessible_name(format!(
                                    "Remove {} from theme {}",
                                    code.name(),
                                    theme.name
                                ))
                                .on_hover_text("Take this code out of the theme")
                                .clicked()
                            {
                                actions
                                    .push(CardAction::RemoveCode(theme.uuid.clone(), uuid.clone()));
                            }
                        });
                    }
                });
                let mut add: Option<String> = None;
                egui::ComboBox::from_id_salt(("theme-add-code", &theme.uuid))
                    .selected_text("Add code…")
                    .width(200.0)
                    .show_ui(ui, |ui| {
                        for c in codes.iter().filter(|c| !theme.codes.contains(&c.uuid)) {
                            ui.selectable_value(&mut add, Some(c.uuid.clone()), c.path_string());
                        }
                    })
                    .response
                    .accessible_name(format!("Add code to theme {}", theme.name));
                if let Some(code) = add {
                    actions.push(CardAction::AddCode(theme.uuid.clone(), code));
                }
                ui.add_space(4.0);
                if ui
                    .button("Delete theme…")
                    .accessible_name(format!("Delete theme {}", theme.name))
                    .clicked()
                {
                    actions.push(CardAction::Delete(theme.uuid.clone(), theme.name.clone()));
                }
            });
        });
        // A code dropped on the card: the drag payload, or a code another
        // panel put in `dragged_code`.
        let released = ui.input(|i| i.pointer.any_released());
        let dropped = dropped.map(|d| (*d).clone()).or_else(|| {
            (released && zone.response.contains_pointer())
                .then(|| sh.dragged_code.clone())
                .flatten()
        });
        if let Some(code) = dropped.filter(|d| self.codes.iter().any(|c| &c.uuid == d)) {
            sh.dragged_code = None;
            actions.push(CardAction::AddCode(theme.uuid.clone(), code));
        }
    }

    fn apply(&mut self, action: CardAction, sh: &mut Shared) {
        match action {
            CardAction::Status(t, s) => {
                sh.push(Command::SetThemeStatus {
                    theme: t.to_owned(),
                    status: s,
                });
            }
            CardAction::AddCode(t, c) => {
                if sh
                    .apply(Command::AddCodeToTheme {
                        theme: t.to_owned(),
                        code: c.to_owned(),
                    })
                    .and_then(|a| a.flag().ok())
                    == Some(false)
                {
                    sh.info("That code is already in the theme");
                }
            }
            CardAction::RemoveCode(t, c) => {
                sh.push(Command::RemoveCodeFromTheme {
                    theme: t.to_owned(),
                    code: c.to_owned(),
                });
            }
            CardAction::Delete(t, name) => self.pending_delete = Some((t, name)),
        }
    }

    fn delete_window(&mut self, ui: &egui::Ui, sh: &mut Shared) {
        let Some((_, name)) = &self.pending_delete else {
            return;
        };
        let question = format!("Delete theme {name}?");
        let choice = super::widgets::confirm_delete(
            ui,
            "delete-theme",
            question,
            "Its codes stay in the codebook. Undo brings the theme back.",
        );
        // Either answer clears the question; only "delete" deletes.
        if let Some(confirmed) = choice
            && let Some((uuid, name)) = self.pending_delete.take()
            && confirmed
            && sh
                .apply(Command::DeleteTheme {
                    theme: uuid.to_owned(),
                })
                .is_some()
        {
            sh.info(format!(
                "Deleted theme {name} (Undo, Ctrl+Z, brings it back)"
            ));
        }
    }
}

/// A code on a card: swatch, name (path on hover), and what `extra` adds.
fn chip(ui: &mut egui::Ui, code: &Code, extra: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                swatch(ui, parse_color(&code.color));
                ui.label(code.name()).on_hover_text(code.path_string());
                extra(ui);
            });
        });
}
