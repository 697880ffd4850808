//! Who spoke, as a person confirms and corrects it in the document view.
//!
//! The import only proposes speakers. This strip above the text says how
//! sure it was and why, whether anyone has checked the speakers yet (a
//! story from an unchecked document cannot be approved), lets a person
//! rename a speaker, and offers "Speakers checked". The corrections of
//! turns (give a turn or the paragraphs under a selection to another
//! speaker, split, merge, not speech, alternate) are menus on a turn's
//! header and on the selected text ([`menus`]).
//!
//! Every correction is one `Project` call, so one history entry that Ctrl+Z
//! undoes, and none changes the text: codings and excerpts stay where they are.

mod menus;
#[cfg(test)]
mod tests;

pub(super) use menus::{SelectionMenu, TurnMenu};

use super::Shared;
use crate::gui::widgets::LazyHover;
use egui::{Color32, RichText};
use std::collections::HashMap;
use storyloom_project::Command;
use storyloom_project::import::parsed::Confidence;
use storyloom_project::store::{Confirmation, Withdrawal};
use storyloom_project::{Role, Speaker, TurnEdit};

/// A correction asked for in the view, applied after the frame's layout.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fix {
    Turns(TurnEdit),
    Rename { from: String, to: String },
    Confirm(bool),
}

/// What the strip shows of the open document's speakers.
#[derive(Default)]
pub(super) struct SpeakersBar {
    /// (document, revision) read at.
    loaded: Option<(String, u64)>,
    pub(super) speakers: Vec<Speaker>,
    detection: Option<Confidence>,
    confirmed: Option<Confirmation>,
    /// The correction that withdrew the check, while unchecked because of it.
    withdrawn: Option<Withdrawal>,
    /// Names being typed, by speaker uuid (committed on Enter or focus loss).
    editing: HashMap<String, String>,
    /// The name typed for a new speaker in a menu.
    pub(super) new_name: String,
}

impl SpeakersBar {
    fn load(&mut self, sh: &mut Shared, doc: &str) {
        let key = (doc.to_owned(), sh.revision);
        if self.loaded.as_ref() == Some(&key) {
            return;
        }
        // Codings added since do not change the speakers.
        if self
            .loaded
            .as_ref()
            .is_some_and(|(d, r)| d == doc && sh.codings_only_since(*r))
        {
            self.loaded = Some(key);
            return;
        }
        self.loaded = Some(key);
        let read = sh.read(|p| {
            Ok((
                p.speakers(doc)?,
                p.speaker_detection(doc)?,
                p.speakers_confirmed(doc)?,
                p.speakers_check_withdrawn(doc)?,
            ))
        });
        (
            self.speakers,
            self.detection,
            self.confirmed,
            self.withdrawn,
        ) = read.unwrap_or_default();
    }

    /// The names of the document's speakers (not the non-speech one).
    pub(super) fn names(&self) -> Vec<String> {
        self.speakers.iter().map(|s| s.label.clone()).collect()
    }

    /// The strip: checked or not, the detection's confidence and reason,
    /// "Speakers checked", and a name field per speaker.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, doc: &str) -> Option<Fix> {
        self.load(sh, doc);
        let mut fix = None;
        let warn = ui.visuals().warn_fg_color;
        ui.horizontal_wrapped(|ui| {
            match &self.confirmed {
                Some(c) => {
                    ui.label(
                        RichText::new(format!(
                            "Speakers checked by {} on {}",
                            c.by,
                            c.at.get(..10).unwrap_or(&c.at)
                        ))
                        .color(ok_color(ui)),
                    );
                    if ui
                        .small_button("Withdraw check")
                        .on_hover_text("Say the speakers need checking again (stories from this document then cannot be approved)")
                        .clicked()
                    {
                        fix = Some(Fix::Confirm(false));
                    }
                }
                None => {
                    ui.label(
                        RichText::new("Speakers not checked")
                            .strong()
                            .color(warn),
                    )
                    .on_hover_text(
                        "The import only proposed who speaks. Until a person checks the turns, stories from this document cannot be approved.",
                    );

                    if ui
                        .button("Speakers checked")
                        .on_hover_text(
                            "I have read the turns and corrected who speaks: record it in my name",
                        )
                        .clicked()
                    {
                        fix = Some(Fix::Confirm(true));
                    }
                }
            }
            ui.separator();
            match &self.detection {
                Some(d) => {
                    let text = format!(
                        "Detection: {} confidence ({}){}: {}",
                        d.level(),
                        d.score,
                        if d.guessed { ", speakers guessed" } else { "" },
                        d.reason
                    );
                    let color = if d.score < 50 || d.guessed {
                        warn
                    } else {
                        ui.visuals().weak_text_color()
                    };
                    ui.label(RichText::new(text).color(color));
                }
                None => {
                    ui.label(RichText::new("Detection: not recorded for this document").weak());
                }
            }
        });
        // Why the check is gone, on a line of its own under the status.
        if self.confirmed.is_none()
            && let Some(w) = &self.withdrawn
        {
            ui.label(RichText::new(withdrawn_text(w)).color(warn))
                .on_hover_text(
                    "A correction of who spoke means the speakers are still being checked. Ctrl+Z undoes the correction and brings the check back; or press Speakers checked when you are done.",
                );
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("Speakers:");
            let mut rename = None;
            let speakers = std::mem::take(&mut self.speakers);
            for s in &speakers {
                if let Some(r) = self.name_field(ui, s) {
                    rename = Some(r);
                }
                let seen = self.confirmed.is_some() || self.withdrawn.is_some();
                ui.label(RichText::new(role_text(s, seen)).weak());
                ui.add_space(10.0);
            }
            if speakers.is_empty() {
                ui.label(RichText::new("none: every turn is marked not speech").weak());
            }
            self.speakers = speakers;
            ui.label(
                RichText::new(
                    "(right-click a turn's speaker, or selected text, to correct who spoke)",
                )
                .weak(),
            );
            if rename.is_some() {
                fix = rename;
            }
        });
        fix
    }

    /// A speaker's name, editable; Enter or leaving the field renames.
    fn name_field(&mut self, ui: &mut egui::Ui, s: &Speaker) -> Option<Fix> {
        let mut text = self
            .editing
            .get(&s.uuid)
            .cloned()
            .unwrap_or_else(|| s.label.clone());
        let width = (text.chars().count() as f32 * 8.0 + 16.0).clamp(60.0, 180.0);
        let resp = ui.add(egui::TextEdit::singleline(&mut text).desired_width(width));
        resp.widget_info(|| {
            let mut info = egui::WidgetInfo::text_edit(true, s.label.as_str(), text.as_str(), "");
            info.label = Some(format!("Name of speaker {}", s.label));
            info
        });
        let resp = resp.on_hover_text_lazy(|| format!(
            "{} turns, {} words{}. Type a new name and press Enter to rename (the transcript keeps its labels).",
            s.turns,
            s.words,
            s.participant
                .as_ref()
                .map(|p| format!(", participant {p}"))
                .unwrap_or_default()
        ));
        if resp.lost_focus() {
            self.editing.remove(&s.uuid);
            let to = text.trim();
            if !to.is_empty() && to != s.label {
                return Some(Fix::Rename {
                    from: s.label.clone(),
                    to: to.to_owned(),
                });
            }
        } else if resp.has_focus() {
            self.editing.insert(s.uuid.clone(), text);
        } else {
            self.editing.remove(&s.uuid);
        }
        None
    }
}

/// Why the check is gone: "Checked by Ann, then withdrawn by a correction
/// (Ben, 2026-12-06): turn #3 of … given to Rosa. Check the rest, then …".
pub(super) fn withdrawn_text(w: &Withdrawal) -> String {
    format!(
        "Checked by {}, then withdrawn by a correction ({}, {}): {}. Check the rest, then press Speakers checked again.",
        w.checked_by,
        w.actor,
        w.at.get(..10).unwrap_or(&w.at),
        w.summary
    )
}

/// A speaker's role, marked "(guessed)" while only the import has said it:
/// not once a person set it, or checked the document's speakers (roles too).
fn role_text(s: &Speaker, checked_by_a_person: bool) -> String {
    let role = s.role.as_str();
    match (s.role, s.role_confirmed || checked_by_a_person) {
        (Role::Other, _) | (_, true) => role.to_owned(),
        _ => format!("{role} (guessed)"),
    }
}

fn ok_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(120, 200, 130)
    } else {
        Color32::from_rgb(30, 120, 50)
    }
}

/// Applies a correction and says what was done (Ctrl+Z undoes it).
pub(super) fn apply(sh: &mut Shared, doc: &str, fix: Fix) {
    let done = match fix {
        Fix::Turns(edit) => sh
            .apply(Command::EditTurns {
                document: doc.to_owned(),
                edit: edit.clone(),
            })
            .and_then(|a| a.said().ok()),
        Fix::Rename { from, to } => sh
            .apply(Command::RenameSpeaker {
                document: doc.to_owned(),
                label: from.to_owned(),
                new_label: to.to_owned(),
            })
            .and_then(|a| a.said().ok()),
        Fix::Confirm(true) => sh
            .apply(Command::ConfirmSpeakers {
                document: doc.to_owned(),
                confirmed: true,
            })
            .map(|_| "Speakers marked checked in your name".to_owned()),
        Fix::Confirm(false) => sh
            .apply(Command::ConfirmSpeakers {
                document: doc.to_owned(),
                confirmed: false,
            })
            .map(|_| "Speakers no longer marked checked".to_owned()),
    };
    if let Some(done) = done {
        sh.info(format!("{done} (Ctrl+Z undoes it)"));
    }
}
