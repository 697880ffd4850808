//! History (a centre tab): every change to the project, newest first, with
//! who made it and on which computer, what it was, and whether it was
//! undone; filtered by coder with the same filter as the codings and memos
//! (the inspector's "Codings by", or yourself in blind mode).

#[cfg(test)]
mod tests;

use super::shared::Shared;
use egui::RichText;
use std::collections::BTreeMap;
use storyloom_project::HistoryEntry;
use storyloom_project::store::merge_trace::MergedAction;

/// Rows drawn at most (the newest); the command line lists them all.
const SHOWN: usize = 500;

#[derive(Default)]
pub struct HistoryPanel {
    loaded: Option<(u64, Option<String>)>,
    entries: Vec<HistoryEntry>,
    /// A merge's entry → the colleague's changes it brought in (filtered).
    merged: BTreeMap<i64, Vec<MergedAction>>,
    /// Everyone who made a change, for the filter.
    actors: Vec<String>,
    /// Changes before the filter.
    total: usize,
}

impl HistoryPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        let coder = sh.shown_coder();
        if self.loaded != Some((sh.revision, coder.clone())) {
            self.loaded = Some((sh.revision, coder.clone()));
            let all = sh.read(|p| p.history()).unwrap_or_default();
            let mut merged = sh.read(|p| p.merged_actions()).unwrap_or_default();
            self.total = all.len();
            let mut actors: Vec<String> = all.iter().map(|e| e.actor.clone()).collect();
            actors.extend(merged.values().flatten().map(|a| a.actor.clone()));
            actors.sort();
            actors.dedup();
            self.actors = actors;
            let by = |who: &str| coder.as_ref().is_none_or(|c| who == c);
            for list in merged.values_mut() {
                list.retain(|a| by(&a.actor));
            }
            // A merge shows with the changes it brought in by the one chosen.
            self.entries = all
                .into_iter()
                .rev()
                .filter(|e| by(&e.actor) || merged.get(&e.seq).is_some_and(|m| !m.is_empty()))
                .collect();
            self.merged = merged;
        }
        ui.heading("Changes to this project");
        ui.horizontal(|ui| {
            if sh.coders.blind {
                ui.label("Blind coding is on: only your own changes are shown.");
                return;
            }
            let before = sh.coders.coder.clone();
            let all = "Everyone".to_owned();
            let l = ui.label("Changes by");
            egui::ComboBox::from_id_salt("history-by")
                .selected_text(sh.coders.coder.as_ref().unwrap_or(&all).as_str())
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut sh.coders.coder, None, all.as_str());
                    for a in &self.actors {
                        ui.selectable_value(&mut sh.coders.coder, Some(a.clone()), a);
                    }
                })
                .response
                .labelled_by(l.id);
            if sh.coders.coder != before {
                // The codings and memos shown follow the same filter.
                sh.revision += 1;
            }
        });
        ui.label(
            RichText::new(format!(
                "{} of {} changes. Each names who made it and on which computer.",
                self.entries.len(),
                self.total
            ))
            .weak(),
        );
        egui::ScrollArea::both()
            .id_salt("history")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Grid::new("history-rows")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        for h in ["When", "Who", "Computer", "What", ""] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for e in self.entries.iter().take(SHOWN) {
                            ui.label(e.at.get(..16).unwrap_or(&e.at).replace('T', " "));
                            ui.label(&e.actor);
                            ui.label(e.machine.as_deref().unwrap_or("(not recorded)"));
                            ui.label(&e.summary).on_hover_text(&e.command);
                            ui.label(match (e.kind.as_str(), e.undone) {
                                ("undo", _) => "undo",
                                ("redo", _) => "redo",
                                (_, true) => "undone",
                                _ => "",
                            });
                            ui.end_row();
                            // The colleague's changes a merge brought in, each with its author.
                            for a in self.merged.get(&e.seq).into_iter().flatten() {
                                ui.label(
                                    RichText::new(
                                        a.at.get(..16).unwrap_or(&a.at).replace('T', " "),
                                    )
                                    .weak(),
                                );
                                ui.label(&a.actor);
                                ui.label(a.machine.as_deref().unwrap_or("(not recorded)"));
                                ui.label(format!("   {} (brought in by the merge)", a.summary))
                                    .on_hover_text(&a.command);
                                ui.label("");
                                ui.end_row();
                            }
                        }
                    });
                if self.entries.len() > SHOWN {
                    ui.label(format!(
                        "and {} older (storyloom history PROJECT lists them all)",
                        self.entries.len() - SHOWN
                    ));
                }
            });
    }
}
