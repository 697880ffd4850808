//! File → Merge a colleague's project…: the chosen copy is first merged as
//! a dry run, whose report (who changed what since the copies parted, what
//! comes in, which conflicts go to the review list) is shown for the
//! researcher to confirm; then the merge runs as one undoable change and the
//! Review tab opens on its conflicts.

#[cfg(test)]
mod tests;

use super::shared::{CenterTab, Shared};
use egui::RichText;
use std::collections::BTreeMap;
use std::path::PathBuf;
use storyloom_project::command::{Applied, Command};
use storyloom_project::merge::CopyMergeReport;

/// A dry run waiting for the researcher's answer.
#[derive(Default)]
pub struct MergeWindow {
    pub pending: Option<(PathBuf, CopyMergeReport)>,
}

impl MergeWindow {
    /// Runs the dry run on `other` and shows its report.
    pub fn start(&mut self, sh: &mut Shared, other: PathBuf) {
        let dry_run = Command::MergeCopy {
            other: other.clone(),
            dry_run: true,
        };
        if let Some(Applied::CopyMerged(report)) = sh.apply(dry_run) {
            self.pending = Some((other, *report));
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, sh: &mut Shared) {
        let Some((path, r)) = &self.pending else {
            return;
        };
        let mut answer = None;
        egui::Window::new("What merging would change")
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            .show(ctx, |ui| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string());
                ui.label(RichText::new(format!("Merging {name} into this project")).strong());
                if r.is_empty() {
                    ui.label(format!(
                        "Nothing new in {name}: merging it would change nothing."
                    ));
                } else {
                    report_ui(ui, r);
                }
                ui.horizontal(|ui| {
                    if !r.is_empty() && ui.button("Merge").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(false);
                    }
                });
            });
        match answer {
            Some(true) => {
                let Some((path, _)) = self.pending.take() else {
                    return;
                };
                let merge = Command::MergeCopy {
                    other: path,
                    dry_run: false,
                };
                if let Some(Applied::CopyMerged(done)) = sh.apply(merge) {
                    sh.info(format!(
                        "Merged: {} added, {} changed, {} removed; {} conflicts on the review list (Undo reverses the whole merge).",
                        CopyMergeReport::total(&done.added),
                        CopyMergeReport::total(&done.changed),
                        CopyMergeReport::total(&done.removed),
                        done.conflicts.len()
                    ));
                    if !done.conflicts.is_empty() {
                        sh.center = CenterTab::Review;
                    }
                }
            }
            Some(false) => self.pending = None,
            None => {}
        }
    }
}

fn report_ui(ui: &mut egui::Ui, r: &CopyMergeReport) {
    ui.label(format!(
        "Since the copies parted: {} change(s) by {}.",
        r.their_actions,
        if r.their_people.is_empty() {
            "no one".to_owned()
        } else {
            r.their_people.join(", ")
        }
    ));
    for (what, counts) in [
        ("Comes in", &r.added),
        ("Changes", &r.changed),
        ("Goes", &r.removed),
    ] {
        if CopyMergeReport::total(counts) > 0 {
            ui.label(format!("{what}: {}", counts_text(counts)));
        }
    }
    if r.codings_carried > 0 || r.codings_to_review > 0 {
        ui.label(format!(
            "Codings on a corrected transcript: {} carried over, {} to place by hand.",
            r.codings_carried, r.codings_to_review
        ));
    }
    if r.conflicts.is_empty() {
        ui.label("No conflicts: everything both of you changed fits together.");
    } else {
        ui.label(
            RichText::new(format!(
                "{} conflict(s) will wait on the review list, with both versions (nothing is lost):",
                r.conflicts.len()
            ))
            .strong(),
        );
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for c in &r.conflicts {
                    ui.label(format!("{} [{}]", c.label, c.kind));
                    ui.label(
                        RichText::new(format!(
                            "  kept: {} ({})   other: {} ({})",
                            value(c.kept.as_deref()),
                            c.kept_by,
                            value(c.other.as_deref()),
                            c.other_by
                        ))
                        .weak(),
                    );
                }
            });
    }
    if r.already_listed > 0 {
        ui.label(format!(
            "{} conflict(s) found again are already on the review list.",
            r.already_listed
        ));
    }
}

fn counts_text(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| format!("{n} {}", t.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A conflict's version as a short line (the JSON value, unquoted when a string).
pub fn value(v: Option<&str>) -> String {
    let Some(v) = v else {
        return "(none)".into();
    };
    let text = match serde_json::from_str::<serde_json::Value>(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => v.to_owned(),
    };
    crate::text::one_line(&text, 80)
}
