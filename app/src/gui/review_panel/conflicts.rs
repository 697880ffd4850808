//! Merge conflicts on the review list: what both people made of one thing,
//! who made each version, and settling it (keep the version kept, or take
//! the other person's: their value, their deletion, their correction, their
//! row). Taking a deletion that would drop codings says so and asks first.
//! Each is one undoable change.

use crate::gui::merge_window::value;
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::command::Command;
use storyloom_project::store::ConflictRow;

#[derive(Default)]
pub struct ConflictsView {
    loaded: Option<u64>,
    rows: Vec<ConflictRow>,
    /// What taking the other version would do, by row.
    previews: Vec<String>,
    /// A conflict whose other version would drop codings: (uuid, what goes).
    asking: Option<(String, String)>,
}

enum Todo {
    Keep(String),
    /// Take the other version; `true` once the person agreed to lose codings.
    TakeOther(String, bool),
    Cancel,
}

impl ConflictsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if self.loaded != Some(sh.revision) {
            self.loaded = Some(sh.revision);
            self.rows = sh.read(|p| p.merge_conflicts(false)).unwrap_or_default();
            let rows = &self.rows;
            self.previews = sh
                .read(|p| {
                    Ok(rows
                        .iter()
                        .map(|c| {
                            p.take_other_preview(&c.uuid)
                                .map(|x| x.words)
                                .unwrap_or_else(|e| e.to_string())
                        })
                        .collect())
                })
                .unwrap_or_default();
        }
        if self.rows.is_empty() {
            return;
        }
        ui.heading(format!("Merge conflicts: {}", self.rows.len()));
        ui.label(
            RichText::new(
                "Both of you changed these differently. The project holds the version kept \
                 until you settle each one.",
            )
            .weak(),
        );
        let mut todo = None;
        for (i, c) in self.rows.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(&c.label).strong());
                ui.label(format!(
                    "Kept: {} (by {})",
                    value(c.kept.as_deref()),
                    c.kept_by
                ));
                ui.label(format!(
                    "Other: {} (by {})",
                    value(c.other.as_deref()),
                    c.other_by
                ));
                ui.horizontal(|ui| {
                    if ui
                        .button("Keep the version kept")
                        .on_hover_text(format!("Settle '{}' as it is now", c.label))
                        .clicked()
                    {
                        todo = Some(Todo::Keep(c.uuid.clone()));
                    }
                    if ui
                        .button(format!("Take {}'s version", short_by(&c.other_by)))
                        .on_hover_text(self.previews.get(i).cloned().unwrap_or_default())
                        .clicked()
                    {
                        todo = Some(Todo::TakeOther(c.uuid.clone(), false));
                    }
                });
                if let Some((_, words)) = self.asking.as_ref().filter(|(u, _)| *u == c.uuid) {
                    ui.label(RichText::new(words).color(ui.visuals().warn_fg_color));
                    ui.horizontal(|ui| {
                        if ui.button("Delete it and its codings").clicked() {
                            todo = Some(Todo::TakeOther(c.uuid.clone(), true));
                        }
                        if ui.button("Cancel").clicked() {
                            todo = Some(Todo::Cancel);
                        }
                    });
                }
            });
        }
        if let Some(Todo::TakeOther(u, false)) = &todo {
            // Ask first when codings would go with it.
            match sh.read(|p| p.take_other_preview(u)) {
                Some(preview) if preview.codings_lost_total() > 0 => {
                    self.asking = Some((
                        u.clone(),
                        format!("{}. Undo brings them back.", preview.words),
                    ));
                    todo = None;
                    ui.ctx().request_repaint();
                }
                Some(_) => {}
                None => todo = None,
            }
        }
        let done = match &todo {
            Some(Todo::Keep(u)) => sh
                .apply(Command::SettleMergeConflict {
                    conflict: u.clone(),
                })
                .map(|_| "Settled: the version kept stays (Undo reopens it)."),
            Some(Todo::TakeOther(u, _)) => sh
                .apply(Command::TakeOtherVersion {
                    conflict: u.clone(),
                })
                .map(|_| "Settled: the other version is taken (Undo reverses it)."),
            Some(Todo::Cancel) | None => None,
        };
        if todo.is_some() {
            self.asking = None;
        }
        if let Some(message) = done {
            sh.info(message);
        }
        ui.separator();
    }
}

/// "bob on bob-laptop, 2026-12-06 ..." → "bob".
fn short_by(by: &str) -> &str {
    by.split([' ', ',']).next().unwrap_or(by)
}
