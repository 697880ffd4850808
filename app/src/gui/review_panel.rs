//! Review (a centre tab): correct a transcript from a corrected file, then
//! settle what the correction could not place with certainty. Each review
//! item shows the document, what it is (the code and quote), the old quote,
//! why it needs a person and the proposed place; "Show" opens the proposal in
//! the document view, "Accept" takes it, "Place at selection" uses the text
//! selected in the document view, "Remove" drops the coding (Undo restores).

use super::shared::Shared;
use egui::RichText;
use std::path::PathBuf;
use storyloom_project::Command;
use storyloom_project::{CorrectionReport, Resolution, ReviewItem};

mod conflicts;
#[cfg(test)]
mod tests;

/// Whether the desktop can show a file dialog (as the File menu decides).
fn has_file_dialog() -> bool {
    std::env::var_os("STORYLOOM_NO_NATIVE_DIALOGS").is_none()
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
}

#[derive(Default)]
pub struct ReviewPanel {
    loaded: Option<(u64, bool)>,
    items: Vec<ReviewItem>,
    /// Documents as (uuid, name).
    documents: Vec<(String, String)>,
    /// The document to correct (uuid); the open document until one is chosen.
    pub document: Option<String>,
    /// Path of the corrected file.
    pub file: String,
    /// What the last correction did.
    pub report: Option<CorrectionReport>,
    pub show_resolved: bool,
    conflicts: conflicts::ConflictsView,
}

impl ReviewPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        egui::ScrollArea::vertical()
            .id_salt("review")
            .auto_shrink(false)
            .show(ui, |ui| {
                self.conflicts.ui(ui, sh);
                self.correction_ui(ui, sh);
                ui.separator();
                self.items_ui(ui, sh);
            });
    }

    fn reload(&mut self, sh: &mut Shared) {
        let key = (sh.revision, self.show_resolved);
        if self.loaded == Some(key) {
            return;
        }
        self.loaded = Some(key);
        let all = self.show_resolved;
        self.items = sh.read(|p| p.review_items(all)).unwrap_or_default();
        self.documents = sh
            .read(|p| p.documents())
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.uuid, d.name))
            .collect();
        if let Some(d) = &self.document
            && !self.documents.iter().any(|(u, _)| u == d)
        {
            self.document = None;
        }
    }

    fn correction_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.heading("Correct a transcript");
        ui.label(
            RichText::new(
                "Give the corrected file (any format Storyloom imports). Codings are carried \
                 over to the new text; what cannot be placed with certainty waits below.",
            )
            .weak(),
        );
        let chosen = self.document.clone().or_else(|| sh.open_document.clone());
        let name_of = |u: &str| {
            self.documents
                .iter()
                .find(|(d, _)| d == u)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let shown = chosen
            .as_deref()
            .map_or_else(|| "choose a document".to_owned(), name_of);
        let mut pick = chosen.clone();
        ui.horizontal(|ui| {
            let l = ui.label("Document to correct");
            egui::ComboBox::from_id_salt("correct-document")
                .selected_text(shown)
                .width(260.0)
                .show_ui(ui, |ui| {
                    for (uuid, name) in &self.documents {
                        ui.selectable_value(&mut pick, Some(uuid.clone()), name);
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if pick != chosen {
            self.document = pick.clone();
        }
        ui.horizontal(|ui| {
            let l = ui.label("Corrected file");
            ui.add(
                egui::TextEdit::singleline(&mut self.file)
                    .hint_text("path to the corrected transcript")
                    .desired_width(380.0),
            )
            .labelled_by(l.id);
            if has_file_dialog()
                && ui.button("Browse…").clicked()
                && let Some(f) = rfd::FileDialog::new()
                    .add_filter(
                        "Transcripts",
                        &[
                            "docx", "odt", "txt", "md", "vtt", "srt", "csv", "xlsx", "json",
                        ],
                    )
                    .pick_file()
            {
                self.file = f.display().to_string();
            }
        });
        let ready = pick.is_some() && !self.file.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Apply correction"))
            .clicked()
            && let Some(doc) = pick
        {
            let file = PathBuf::from(self.file.trim());
            if let Some(r) = sh
                .apply(Command::CorrectDocument {
                    document: doc.to_owned(),
                    file: file.to_path_buf(),
                })
                .and_then(|a| a.corrected().ok())
            {
                sh.info(format!(
                    "Corrected {}: {} codings placed, {} to review",
                    r.document, r.codings_placed, r.codings_to_review
                ));
                self.report = Some(r);
            }
        }
        if let Some(r) = &self.report {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{}: version {} replaced by version {}",
                        r.document, r.old_version, r.new_version
                    ))
                    .strong(),
                );
                ui.label(format!(
                    "Codings: {} placed, {} to review",
                    r.codings_placed, r.codings_to_review
                ));
                if r.spans_placed + r.spans_to_review > 0 {
                    ui.label(format!(
                        "Story excerpts: {} placed, {} to review",
                        r.spans_placed, r.spans_to_review
                    ));
                }
                if r.earlier_items_placed > 0 {
                    ui.label(format!(
                        "Waiting items from earlier corrections now placed: {}",
                        r.earlier_items_placed
                    ));
                }
                ui.label(format!("Turns: {}", r.turns));
                if !r.new_speakers.is_empty() {
                    ui.label(format!("New speakers: {}", r.new_speakers.join(", ")));
                }
                ui.label(RichText::new(&r.diff).weak());
            });
        }
    }

    fn items_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let open = self.items.iter().filter(|i| !i.resolved).count();
        ui.horizontal(|ui| {
            ui.heading(format!("Waiting for review: {open}"));
            ui.checkbox(&mut self.show_resolved, "Show resolved");
        });
        if self.items.is_empty() {
            ui.label(RichText::new("Nothing waits for review.").weak());
            return;
        }
        let mut todo: Option<(String, Resolution)> = None;
        for item in &self.items {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&item.document_name).strong());
                    ui.label(&item.label);
                    if item.resolved {
                        ui.label(RichText::new("(resolved)").weak());
                    }
                });
                ui.label(format!("Was: “{}”", item.quote));
                ui.label(RichText::new(format!("Why: {}", item.reason)).weak());
                match (&item.proposal_text, item.proposal) {
                    (Some(t), Some(_)) => ui.label(format!("Proposed: “{t}”")),
                    _ => ui.label(RichText::new("No proposed place").italics()),
                };
                if item.resolved {
                    return;
                }
                let what = format!("{} in {}", item.label, item.document_name);
                let selection = sh
                    .selection
                    .as_ref()
                    .filter(|s| s.document == item.document && s.end > s.start)
                    .map(|s| (s.start, s.end));
                ui.horizontal(|ui| {
                    if ui
                        .button("Show")
                        .accessible_name(format!("Show {what}"))
                        .on_hover_text("Open the document at the proposed place")
                        .clicked()
                    {
                        match item.proposal {
                            Some((s, e)) => sh.jump_to(&item.document, s, e),
                            None => sh.open(&item.document),
                        }
                    }
                    if ui
                        .add_enabled(item.proposal.is_some(), egui::Button::new("Accept"))
                        .accessible_name(format!("Accept {what}"))
                        .clicked()
                    {
                        todo = Some((item.uuid.clone(), Resolution::Accept));
                    }
                    if ui
                        .add_enabled(selection.is_some(), egui::Button::new("Place at selection"))
                        .accessible_name(format!("Place {what} at the selection"))
                        .on_disabled_hover_text("Select the right words in this document first")
                        .clicked()
                        && let Some((start, end)) = selection
                    {
                        todo = Some((item.uuid.clone(), Resolution::Place { start, end }));
                    }
                    if ui
                        .button("Remove")
                        .accessible_name(format!("Remove {what}"))
                        .on_hover_text("Remove the coding; Undo brings it back")
                        .clicked()
                    {
                        todo = Some((item.uuid.clone(), Resolution::Remove));
                    }
                });
            });
        }
        if let Some((uuid, resolution)) = todo {
            sh.push(Command::ResolveReview {
                item: uuid.to_owned(),
                resolution,
            });
        }
    }
}
