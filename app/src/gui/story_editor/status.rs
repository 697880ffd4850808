//! The story's way to approval (ready, sent, approved, withdrawn), the
//! fidelity checker's findings, and what workshops said about it.

use super::StoryEditor;
use crate::gui::shared::{Jump, Shared};
use egui::{Color32, RichText};
use storyloom_project::Command;
use storyloom_project::stories::check::Severity;
use storyloom_project::stories::model::StoryStatus;

impl StoryEditor {
    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &str) {
        let Some(l) = &self.loaded else { return };
        let status = l.story.status;
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    status == StoryStatus::Draft || status == StoryStatus::Changes,
                    egui::Button::new("Ready for check"),
                )
                .clicked()
            {
                sh.push(Command::SetStoryStatus {
                    story: story.to_owned(),
                    status: StoryStatus::Ready,
                });
            }
            if ui
                .add_enabled(
                    status != StoryStatus::Withdrawn,
                    egui::Button::new("Withdraw"),
                )
                .clicked()
            {
                sh.push(Command::SetStoryStatus {
                    story: story.to_owned(),
                    status: StoryStatus::Withdrawn,
                });
            }
        });
        if let Some(a) = &l.story.approval {
            ui.label(
                RichText::new(format!(
                    "Approved {} ({}), revision {}",
                    a.date, a.how, a.revision
                ))
                .weak(),
            );
        }
    }

    /// What workshop groups recorded about this story, beside it.
    pub(super) fn workshop_notes_ui(&self, ui: &mut egui::Ui) {
        let Some(l) = &self.loaded else { return };
        if l.notes.is_empty() {
            return;
        }
        ui.separator();
        ui.label(RichText::new("Workshop notes").strong());
        for n in &l.notes {
            ui.group(|ui| {
                ui.label(RichText::new(&n.workshop).italics());
                for (field, answer) in &n.fields {
                    if !answer.trim().is_empty() {
                        ui.label(format!("{field}: {answer}"));
                    }
                }
            });
        }
    }

    pub(super) fn findings_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(l) = &self.loaded else { return };
        let errors = l.check.errors().count();
        let warnings = l.check.warnings().count();
        ui.label(if errors == 0 {
            RichText::new(format!("Checker: no errors, {warnings} warning(s)"))
        } else {
            RichText::new(format!("Checker: {errors} error(s), {warnings} warning(s)"))
                .color(Color32::from_rgb(0xc0, 0x30, 0x30))
        });
        let mut jump = None;
        for f in &l.check.findings {
            let text = format!(
                "{} (rule {}){}: {}",
                match f.severity {
                    Severity::Error => "Error",
                    Severity::Warning => "Warning",
                },
                f.rule,
                f.block
                    .map(|b| format!(", block {}", b + 1))
                    .unwrap_or_default(),
                f.message
            );
            let color = match f.severity {
                Severity::Error => Color32::from_rgb(0xc0, 0x30, 0x30),
                Severity::Warning => Color32::from_rgb(0xa0, 0x70, 0x10),
            };
            if ui
                .add(egui::Label::new(RichText::new(text).color(color)).sense(egui::Sense::click()))
                .on_hover_text("Show the place in the transcript")
                .clicked()
                && let Some(b) = f.block
                && let Some(p) = l.rendered.paragraphs.get(b)
                && let Some(src) = p.runs.iter().find_map(|r| r.source.clone())
            {
                jump = Some(Jump {
                    document: src.document,
                    start: src.start,
                    end: src.end,
                });
            }
        }
        if let Some(j) = jump {
            sh.open_document = Some(j.document.clone());
            sh.jump = Some(j);
        }
    }
}

pub(super) fn status_label(s: StoryStatus) -> &'static str {
    match s {
        StoryStatus::Draft => "draft",
        StoryStatus::Ready => "ready for check",
        StoryStatus::Sent => "sent to storyteller",
        StoryStatus::Changes => "changes requested",
        StoryStatus::Approved => "approved",
        StoryStatus::Withdrawn => "withdrawn",
    }
}
