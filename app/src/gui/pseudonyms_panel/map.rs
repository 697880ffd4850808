//! The pseudonym map: the researcher's entries (the replacement edited in
//! place and saved on Enter or when the field loses focus, so typing makes
//! one change, not one per key), confirmed or removed; and the entries every
//! map starts with, from the participants' own names (changed in the
//! Participants tab).

use super::PseudonymsPanel;
use super::candidates::scope_label;
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::stories::Pseudonym;

enum Todo {
    Set(Pseudonym, String),
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
                        let key = (e.original.clone(), e.scope.clone());
                        let buf = self
                            .edits
                            .entry(key)
                            .or_insert_with(|| e.replacement.clone());
                        let r = ui
                            .add(egui::TextEdit::singleline(buf).desired_width(140.0))
                            .accessible_name(format!(
                                "Replacement for {}{}",
                                e.original,
                                e.scope
                                    .as_deref()
                                    .map(|s| format!(" in {s}"))
                                    .unwrap_or_default()
                            ));
                        // One change when the typing is done, not one per key.
                        if r.lost_focus() && buf.trim() != e.replacement && !buf.trim().is_empty() {
                            todo = Some(Todo::Set(e.clone(), buf.trim().to_owned()));
                        }
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
            Some(Todo::Set(e, replacement)) => {
                let saved = sh
                    .act(|p| {
                        p.set_pseudonym_scoped(
                            &e.original,
                            &replacement,
                            e.kind,
                            e.confirmed,
                            e.scope.as_deref(),
                        )
                    })
                    .is_some();
                // Refused: the field shows the stored replacement again.
                (!saved).then(|| self.edits.remove(&(e.original, e.scope)));
            }
            Some(Todo::Confirm(o)) => {
                sh.act(|p| p.confirm_pseudonym(&o));
            }
            Some(Todo::Remove(o, scope)) => {
                let removed = sh
                    .act(|p| p.remove_pseudonym_scoped(&o, scope.as_deref()))
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
