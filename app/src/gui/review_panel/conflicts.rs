//! Merge conflicts on the review list: what both people made of one thing,
//! who made each version, and settling it (keep the version kept, or take
//! the other person's for a changed field). Each is one undoable change.

use crate::gui::merge_window::value;
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::command::Command;
use storyloom_project::store::ConflictRow;

#[derive(Default)]
pub struct ConflictsView {
    loaded: Option<u64>,
    rows: Vec<ConflictRow>,
}

enum Todo {
    Keep(String),
    TakeOther(String),
}

impl ConflictsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if self.loaded != Some(sh.revision) {
            self.loaded = Some(sh.revision);
            self.rows = sh.read(|p| p.merge_conflicts(false)).unwrap_or_default();
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
        for c in &self.rows {
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
                    if c.kind == "field"
                        && ui
                            .button(format!("Take {}'s version", short_by(&c.other_by)))
                            .clicked()
                    {
                        todo = Some(Todo::TakeOther(c.uuid.clone()));
                    }
                });
            });
        }
        let done = match &todo {
            Some(Todo::Keep(u)) => sh
                .apply(Command::SettleMergeConflict {
                    conflict: u.clone(),
                })
                .map(|_| "Settled: the version kept stays (Undo reopens it)."),
            Some(Todo::TakeOther(u)) => sh
                .apply(Command::TakeOtherVersion {
                    conflict: u.clone(),
                })
                .map(|_| "Settled: the other version is taken (Undo reverses it)."),
            None => None,
        };
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
