//! The pseudonym key kept apart from the project (UK Data Service guidance:
//! pseudonymised data is still personal data). While the map is inside, it
//! can be exported and removed from the project; while it is apart, the
//! window asks for the key file where the command line takes `--key`, uses
//! it for this session only (the names' states, stakeholder exports) and
//! never writes it into the project, unless the researcher loads it back.

use super::PseudonymsPanel;
use crate::gui::shared::{KeyFile, Shared};
use egui::RichText;
use std::path::PathBuf;
use storyloom_project::Command;
use storyloom_project::stories::{KeyState, PseudonymMap};

enum Todo {
    Use,
    Forget,
    Export { detach: bool },
    LoadBack,
}

impl PseudonymsPanel {
    pub(super) fn key_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.label(RichText::new("The key file").heading());
        let apart = matches!(self.key_state, Some(KeyState::Apart { .. }));
        match &self.key_state {
            Some(KeyState::Apart { file, entries, .. }) => {
                ui.label(format!(
                    "The key is kept apart from the project ({entries} entries, exported to {file})."
                ));
            }
            Some(KeyState::Inside { entries }) => {
                ui.label(format!(
                    "The map is kept in the project ({entries} entries of your own). You can \
                     export it to a key file and remove it from the project: stakeholder \
                     exports then need the file."
                ));
            }
            None => {}
        }
        if let Some(k) = &sh.key_file {
            ui.label(
                RichText::new(format!(
                    "Using the key file {} for this session ({} entries); it is not stored in the project.",
                    k.path.display(),
                    k.map.entries().len()
                ))
                .strong(),
            );
        } else if apart {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Give the key file to see which names it replaces and to export for stakeholders.",
            );
        }
        let mut todo = None;
        ui.horizontal(|ui| {
            let l = ui.label("Key file");
            ui.add(
                egui::TextEdit::singleline(&mut self.key_path)
                    .hint_text("path to the key (.json or .csv)")
                    .desired_width(320.0),
            )
            .labelled_by(l.id);
        });
        let has_path = !self.key_path.trim().is_empty();
        ui.horizontal(|ui| {
            if apart {
                if ui
                    .add_enabled(has_path, egui::Button::new("Use this key file"))
                    .clicked()
                {
                    todo = Some(Todo::Use);
                }
                if ui
                    .add_enabled(
                        has_path,
                        egui::Button::new("Load the key back into the project"),
                    )
                    .clicked()
                {
                    todo = Some(Todo::LoadBack);
                }
            } else {
                if ui
                    .add_enabled(
                        has_path,
                        egui::Button::new("Export the key and keep it apart"),
                    )
                    .on_hover_text("Writes the key file, then removes the map from the project")
                    .clicked()
                {
                    todo = Some(Todo::Export { detach: true });
                }
                if ui
                    .add_enabled(has_path, egui::Button::new("Write a copy of the key"))
                    .clicked()
                {
                    todo = Some(Todo::Export { detach: false });
                }
            }
            if sh.key_file.is_some() && ui.button("Forget the key file").clicked() {
                todo = Some(Todo::Forget);
            }
        });
        if let Some(t) = todo {
            self.run_key(t, sh);
        }
    }

    fn run_key(&mut self, todo: Todo, sh: &mut Shared) {
        let path = PathBuf::from(self.key_path.trim());
        match todo {
            Todo::Use => {
                let map = match PseudonymMap::read_file(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        sh.error(format!("Could not read the key file: {e}"));
                        return;
                    }
                };
                // The project says whether this is its key (by fingerprint).
                if sh.read(|p| p.pseudonym_map(Some(&map))).is_none() {
                    return;
                }
                sh.info(format!(
                    "Using the key file {} ({} entries) for this session",
                    path.display(),
                    map.entries().len()
                ));
                sh.key_file = Some(KeyFile { path, map });
                sh.revision += 1;
            }
            Todo::Forget => {
                sh.key_file = None;
                sh.revision += 1;
            }
            Todo::Export { detach } => {
                if let Some(n) = sh
                    .apply(Command::ExportPseudonymKey {
                        path: path.clone(),
                        detach,
                        bom: true,
                    })
                    .and_then(|a| a.count().ok())
                {
                    sh.info(format!(
                        "{n} entries written to {}{}",
                        path.display(),
                        if detach {
                            "; removed from the project (keep the file safe: stakeholder exports need it)"
                        } else {
                            ""
                        }
                    ));
                }
            }
            Todo::LoadBack => {
                if let Some(n) = sh
                    .apply(Command::ImportPseudonymKey {
                        path: path.to_path_buf(),
                    })
                    .and_then(|a| a.count().ok())
                {
                    sh.key_file = None;
                    sh.info(format!("{n} entries loaded from {}", path.display()));
                }
            }
        }
    }
}
