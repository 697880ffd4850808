//! The storyteller's consent in the editor: record a sending (which
//! revision, how, when), their comments and requested changes (listed, each
//! change marked made when done), the approval of the revision sent, what
//! they agreed the story may be used for, and the name they go by. Every
//! button calls the same `Project` API as the command line.

use super::StoryEditor;
use crate::gui::shared::Shared;
use egui::{Color32, RichText};
use storyloom_project::Command;
use storyloom_project::stories::consent::{ConsentScope, FeedbackKind, SendMethod};

/// What the researcher is typing in the consent part of the editor.
pub(super) struct ConsentForm {
    send_how: SendMethod,
    /// YYYY-MM-DD, or empty for today (sending, approval, feedback alike).
    date: String,
    approved_how: String,
    feedback: String,
    scopes: Vec<ConsentScope>,
    /// The story whose recorded scope `scopes` was loaded from.
    scopes_of: Option<(String, Option<Vec<ConsentScope>>)>,
    known_as: String,
}

impl Default for ConsentForm {
    fn default() -> Self {
        ConsentForm {
            send_how: SendMethod::Post,
            date: String::new(),
            approved_how: String::new(),
            feedback: String::new(),
            scopes: Vec::new(),
            scopes_of: None,
            known_as: String::new(),
        }
    }
}

fn date(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

impl StoryEditor {
    pub(super) fn consent_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &str) {
        let Some(l) = &self.loaded else { return };
        let consent = l.consent.clone();
        let revision = l.story.revision;
        let participant = l.story.participant.clone();
        let f = &mut self.consent;
        // The recorded scope, loaded into the checkboxes when it changes.
        let key = (story.to_owned(), consent.scopes.clone());
        if f.scopes_of.as_ref() != Some(&key) {
            f.scopes = consent.scopes.clone().unwrap_or_default();
            f.scopes_of = Some(key);
        }
        ui.label(RichText::new("The storyteller's consent").strong());
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Date (YYYY-MM-DD, empty = today):");
            ui.add(egui::TextEdit::singleline(&mut f.date).desired_width(90.0))
                .labelled_by(label.id);
        });
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_label("sent by")
                .selected_text(f.send_how.as_str())
                .show_ui(ui, |ui| {
                    for m in SendMethod::ALL {
                        ui.selectable_value(&mut f.send_how, m, m.as_str());
                    }
                });
            if ui
                .button(format!("Record revision {revision} sent"))
                .clicked()
            {
                let (how, d) = (f.send_how, f.date.clone());
                sh.push(Command::RecordStorySent {
                    story: story.to_owned(),
                    how,
                    date: date(&d).map(str::to_owned),
                    revision: None,
                });
            }
        });
        for s in &consent.sendings {
            ui.label(
                RichText::new(format!(
                    "Sent {}: {}, {}",
                    s.date,
                    s.revision
                        .map(|r| format!("revision {r}"))
                        .unwrap_or_else(|| "revision not recorded".into()),
                    s.how.map(|h| h.as_str()).unwrap_or("how not recorded")
                ))
                .weak(),
            );
        }
        if let Some(last) = consent.last_sending()
            && last.revision.is_some_and(|r| r != revision)
        {
            ui.label(
                RichText::new(format!(
                    "Edited since it was sent: revision {revision} must be sent before it can be approved."
                ))
                .color(Color32::from_rgb(0xa0, 0x70, 0x10)),
            );
        }
        // Comments and requested changes.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Storyteller said:");
            ui.add(egui::TextEdit::singleline(&mut f.feedback).desired_width(220.0))
                .labelled_by(label.id);
            for (kind, text) in [
                (FeedbackKind::Comment, "Record comment"),
                (FeedbackKind::Change, "Record requested change"),
            ] {
                if ui
                    .add_enabled(!f.feedback.trim().is_empty(), egui::Button::new(text))
                    .clicked()
                    && sh
                        .apply(Command::RecordStoryFeedback {
                            story: story.to_owned(),
                            kind,
                            text: f.feedback.to_owned(),
                            date: date(&f.date).map(str::to_owned),
                        })
                        .and_then(|a| a.id().ok())
                        .is_some()
                {
                    f.feedback.clear();
                }
            }
        });
        for fb in &consent.feedback {
            ui.horizontal_wrapped(|ui| match fb.kind {
                FeedbackKind::Comment => {
                    ui.label(format!("{} comment: {}", fb.date, fb.text));
                }
                FeedbackKind::Change => {
                    let mut done = fb.done;
                    let text = format!("{} asked to change: {}", fb.date, fb.text);
                    if ui.checkbox(&mut done, text).on_hover_text("Made").changed() {
                        sh.push(Command::SetStoryFeedbackDone {
                            story: story.to_owned(),
                            feedback: fb.uuid.to_owned(),
                            done,
                        });
                    }
                }
            });
        }
        // What they agreed to.
        ui.horizontal_wrapped(|ui| {
            ui.label("May be used for:");
            for c in ConsentScope::ALL {
                let mut on = f.scopes.contains(&c);
                if ui.checkbox(&mut on, c.describe()).changed() {
                    if on {
                        f.scopes.push(c);
                    } else {
                        f.scopes.retain(|x| *x != c);
                    }
                }
            }
            if ui.button("Record consent").clicked() {
                let (sc, d) = (f.scopes.clone(), f.date.clone());
                sh.push(Command::SetStoryConsent {
                    story: story.to_owned(),
                    scopes: sc.to_vec(),
                    date: date(&d).map(str::to_owned),
                });
            }
        });
        if consent.scopes.is_none() {
            ui.label(
                RichText::new("Consent scope not recorded: no export will include this story.")
                    .weak(),
            );
        }
        // The approval of the revision sent.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Approved how:");
            ui.add(egui::TextEdit::singleline(&mut f.approved_how).desired_width(100.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    !f.approved_how.trim().is_empty(),
                    egui::Button::new("Record approval"),
                )
                .clicked()
                && sh
                    .apply(Command::ApproveStory {
                        story: story.to_owned(),
                        how: f.approved_how.clone(),
                        date: date(&f.date).map(str::to_owned),
                        revision: None,
                        scopes: Some(f.scopes.clone()),
                        key_file: None,
                    })
                    .is_some()
            {
                f.approved_how.clear();
            }
        });
        if let Some(pid) = participant {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("Goes by (for the covering note):");
                ui.add(egui::TextEdit::singleline(&mut f.known_as).desired_width(120.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !f.known_as.trim().is_empty(),
                        egui::Button::new("Save name"),
                    )
                    .clicked()
                    && sh
                        .apply(Command::SetParticipantKnownAs {
                            participant: pid.to_owned(),
                            name: f.known_as.to_owned(),
                        })
                        .is_some()
                {
                    f.known_as.clear();
                }
            });
        }
    }
}
