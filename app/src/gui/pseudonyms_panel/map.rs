//! The pseudonym map: the researcher's entries (the replacement edited in
//! place and saved as you type, after a pause, on Enter or when the field
//! loses focus: one change per edit session, not one per key), confirmed or
//! removed; and the entries every
//! map starts with, from the participants' own names (changed in the
//! Participants tab).

use super::PseudonymsPanel;
use super::candidates::scope_label;
use crate::gui::debounce::TextField;
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::Command;

enum Todo {
    Confirm(String),
    Remove(String, Option<String>),
}

impl PseudonymsPanel {
    pub(super) fn map_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.label(
            RichText::new(format!(
                "The pseudonym map ({} entries)",
                self.entries.len()
            ))
            .heading(),
        );
        let mut todo = None;
        if self.entries.is_empty() {
            ui.label(
                RichText::new(
                    "No entries of your own yet: replace a name above to add one. \
                     The participants' own names are in the map from the start (below).",
                )
                .weak(),
            );
        } else {
            egui::Grid::new("pseudonym-map")
                .striped(true)
                .num_columns(5)
                .spacing([10.0, 4.0])
                .show(ui, |ui| {
                    for h in ["original", "replacement", "kind", "applies", ""] {
                        ui.label(RichText::new(h).strong());
                    }
                    ui.end_row();
                    for e in &self.entries {
                        ui.label(&e.original);
                        // Saved as typed (one change per edit session) and
                        // on Enter or leaving the field; a refused
                        // replacement stays in the field, marked, to be fixed.
                        let entry = e.clone();
                        TextField::singleline(("pseudonym-replacement", &e.original, &e.scope))
                            .desired_width(140.0)
                            .show(ui, sh, &e.replacement, move |_, text| {
                                Ok(Command::SetPseudonym {
                                    original: entry.original.clone(),
                                    replacement: text.to_owned(),
                                    kind: entry.kind,
                                    confirmed: entry.confirmed,
                                    scope: entry.scope.clone(),
                                })
                            })
                            .accessible_name(format!(
                                "Replacement for {}{}",
                                e.original,
                                e.scope
                                    .as_deref()
                                    .map(|s| format!(" in {s}"))
                                    .unwrap_or_default()
                            ));
                        ui.label(e.kind.as_str());
                        ui.label(scope_label(e.scope.as_deref()));
                        ui.horizontal(|ui| {
                            if !e.confirmed
                                && ui
                                    .small_button("Confirm")
                                    .on_hover_text("Not applied until confirmed")
                                    .clicked()
                            {
                                todo = Some(Todo::Confirm(e.original.clone()));
                            }
                            if ui
                                .small_button("Remove")
                                .on_hover_text(format!("Remove “{}” from the map", e.original))
                                .clicked()
                            {
                                todo = Some(Todo::Remove(e.original.clone(), e.scope.clone()));
                            }
                        });
                        ui.end_row();
                    }
                });
        }
        egui::CollapsingHeader::new(format!("From the participants' names ({})", self.own.len()))
            .id_salt("own-names")
            .show(ui, |ui| {
                egui::Grid::new("own-names-grid")
                    .striped(true)
                    .num_columns(3)
                    .show(ui, |ui| {
                        for e in &self.own {
                            ui.label(&e.original);
                            ui.label(format!("[{}]", e.replacement));
                            ui.label(scope_label(e.scope.as_deref()));
                            ui.end_row();
                        }
                    });
            });
        match todo {
            Some(Todo::Confirm(o)) => {
                sh.push(Command::ConfirmPseudonym {
                    original: o.to_owned(),
                });
            }
            Some(Todo::Remove(o, scope)) => {
                let removed = sh
                    .apply(Command::RemovePseudonym {
                        original: o.to_owned(),
                        scope: scope.clone(),
                    })
                    .is_some();
                removed.then(|| {
                    sh.info(format!(
                        "Removed “{o}” from the map {} (Undo brings it back)",
                        scope_label(scope.as_deref())
                    ))
                });
            }
            None => {}
        }
    }
}
