//! The inspector on the right: the codings at the cursor or selection in
//! the open document (colour, coder, key quote, remove, extend to the
//! selection, a memo on the coding), then the document's speakers.

use super::color::{parse_color, swatch};
use super::debounce::TextField;
use super::document_view::stashed_codings;
use super::shared::Shared;
use crate::text::one_line;
use egui::{Color32, RichText, Stroke};
use std::sync::Arc;
use storyloom_project::Command;
use storyloom_project::{Coding, MemoTarget, Role, Speaker};

#[derive(Default)]
pub struct Inspector {
    speakers: Vec<Speaker>,
    loaded: Option<(String, u64)>,
    /// The open document's codings and code colours, per revision.
    codings: Arc<Vec<Coding>>,
    colors: std::collections::HashMap<String, Color32>,
    /// The selected coding when it is not in the open document.
    other: Option<Coding>,
    /// The selected coding's memo text, per revision: (coding, revision, text).
    memo: Option<(String, u64, String)>,
}

impl Inspector {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(doc) = sh.open_document.clone() else {
            ui.label("No document open.");
            return;
        };
        if self.loaded.as_ref().is_some_and(|(d, _)| *d != doc) {
            // Another document: a coding of the document left is no longer
            // shown (its memo field is saved as it goes, see below).
            sh.selected_coding = None;
        }
        if self.loaded != Some((doc.clone(), sh.revision)) {
            // Codings added since do not change the speakers.
            let same_speakers = self
                .loaded
                .as_ref()
                .is_some_and(|(d, r)| *d == doc && sh.codings_only_since(*r));
            if !same_speakers {
                self.speakers = sh.read(|p| p.speakers(&doc)).unwrap_or_default();
            }
            // The document view leaves what it read for us (it draws after us).
            let coder = sh.shown_coder();
            let (codings, codes) = match stashed_codings(ui.ctx(), &doc, sh.revision) {
                Some(s) => (s.codings.clone(), s.codes.clone()),
                None => sh
                    .read(|p| {
                        Ok((
                            Arc::new(p.codings(None, Some(&doc), coder.as_deref())?),
                            Arc::new(p.codes()?),
                        ))
                    })
                    .unwrap_or_default(),
            };
            self.codings = codings;
            self.colors = codes
                .iter()
                .map(|c| (c.uuid.clone(), parse_color(&c.color)))
                .collect();
            self.other = None;
            self.loaded = Some((doc.clone(), sh.revision));
        }
        egui::ScrollArea::vertical()
            .id_salt("inspector")
            .auto_shrink(false)
            .show(ui, |ui| {
                // Blind mode and the coder filter, where the codings are.
                super::coder_filter::ui(ui, sh);
                ui.add_space(4.0);
                self.codings_ui(ui, sh);
                ui.add_space(8.0);
                self.speakers_ui(ui, sh, &doc);
            });
    }

    /// Codings of the open document overlapping the selection, or covering the cursor.
    fn here(&self, sh: &Shared) -> Vec<usize> {
        let range = match (&sh.selection, sh.cursor) {
            (Some(s), _) if Some(&s.document) == sh.open_document.as_ref() => {
                Some((s.start, s.end))
            }
            (_, Some(c)) => Some((c, c + 1)),
            _ => None,
        };
        let Some((a, b)) = range else {
            return Vec::new();
        };
        let mut out: Vec<usize> = (0..self.codings.len())
            .filter(|&i| self.codings[i].start < b && a < self.codings[i].end)
            .collect();
        out.sort_by_key(|&i| (self.codings[i].start, self.codings[i].end));
        out
    }

    fn codings_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.heading("Codings here");
        let here = self.here(sh);
        if here.is_empty() {
            ui.label(
                RichText::new(if sh.selection.is_some() {
                    "No codings overlap the selection."
                } else {
                    "Click in the text (or on a stripe in the margin) to see its codings."
                })
                .weak(),
            );
        }
        let mut pick = None;
        for &i in &here {
            let c = &self.codings[i];
            let color = self.colors.get(&c.code).copied().unwrap_or(Color32::GRAY);
            // Long code names wrap: the inspector keeps its width.
            ui.horizontal_top(|ui| {
                swatch(ui, color);
                ui.vertical(|ui| {
                    let selected = sh.selected_coding.as_deref() == Some(c.uuid.as_str());
                    let star = if c.key_quote { " (key quote)" } else { "" };
                    let name = format!("{}{star}", c.code_path);
                    if ui
                        .add(egui::Button::selectable(selected, name).wrap())
                        .on_hover_text(one_line(&c.quote, 200))
                        .clicked()
                    {
                        pick = Some(c.uuid.clone());
                    }
                    ui.label(RichText::new(&c.coder).small().weak());
                });
            });
        }
        if let Some(u) = pick {
            sh.selected_coding = Some(u);
        }
        let Some(uuid) = sh.selected_coding.clone() else {
            return;
        };
        let coding = match self.codings.iter().find(|c| c.uuid == uuid) {
            Some(c) => c.clone(),
            None => {
                if self.other.as_ref().is_none_or(|c| c.uuid != uuid) {
                    self.other = sh.project.as_ref().and_then(|p| p.coding(&uuid).ok());
                }
                match &self.other {
                    Some(c) => c.clone(),
                    None => {
                        // Removed or undone.
                        sh.selected_coding = None;
                        return;
                    }
                }
            }
        };
        ui.add_space(6.0);
        self.coding_ui(ui, sh, &coding);
    }

    fn coding_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, c: &Coding) {
        let color = self.colors.get(&c.code).copied().unwrap_or(Color32::GRAY);
        let mut key_quote = c.key_quote;
        let mut remove = false;
        let mut extend = None;
        let mut go = false;
        let sel = sh
            .selection
            .clone()
            .filter(|s| s.document == c.document && (s.start, s.end) != (c.start, c.end));
        egui::Frame::group(ui.style())
            .stroke(Stroke::new(1.5, color))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    swatch(ui, color);
                    ui.add(egui::Label::new(RichText::new(&c.code_path).strong()).wrap());
                });
                ui.label(
                    RichText::new(format!(
                        "{} · {} · chars {}–{}",
                        c.coder, c.document_name, c.start, c.end
                    ))
                    .small()
                    .weak(),
                );
                ui.label(RichText::new(format!("“{}”", one_line(&c.quote, 240))).italics());
                ui.checkbox(&mut key_quote, "Key quote");
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .add_enabled(sel.is_some(), egui::Button::new("Extend to selection"))
                        .on_hover_text("Set this coding's range to the selected text")
                        .on_disabled_hover_text("Select text in the same document first")
                        .clicked()
                    {
                        extend = sel.clone();
                    }
                    if ui.button("Show in text").clicked() {
                        go = true;
                    }
                    if ui.button("Remove").clicked() {
                        remove = true;
                    }
                });
                self.memo_ui(ui, sh, c);
            });
        if key_quote != c.key_quote {
            sh.push(Command::SetKeyQuote {
                coding: c.uuid.to_owned(),
                key_quote,
            });
        }
        if let Some(s) = extend {
            sh.push(Command::ResizeCoding {
                coding: c.uuid.to_owned(),
                start: s.start,
                end: s.end,
            });
        }
        if go {
            sh.jump_to(&c.document, c.start, c.end);
        }
        if remove
            && sh
                .apply(Command::RemoveCoding {
                    coding: c.uuid.to_owned(),
                })
                .is_some()
        {
            sh.selected_coding = None;
            sh.info(format!("Removed '{}' (Ctrl+Z brings it back)", c.code_path));
        }
    }

    /// The coding's memo, saved as typed (one change per edit session) and
    /// when the field is left: another coding picked, another document,
    /// another panel or the window closed (see [`super::debounce`]).
    fn memo_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, c: &Coding) {
        if self
            .memo
            .as_ref()
            .is_none_or(|(u, r, _)| *u != c.uuid || *r != sh.revision)
        {
            let target = MemoTarget::Coding(c.uuid.clone());
            let body = sh
                .read(|p| p.memos(Some(&target)))
                .and_then(|m| m.into_iter().next())
                .map(|m| m.body)
                .unwrap_or_default();
            self.memo = Some((c.uuid.clone(), sh.revision, body));
        }
        let stored = self
            .memo
            .as_ref()
            .map(|(_, _, b)| b.clone())
            .unwrap_or_default();
        let label = ui.label("Coding memo");
        let target = MemoTarget::Coding(c.uuid.clone());
        // A new memo is titled with the code and the start of the quote.
        let title = format!("{}: “{}”", c.code_path, one_line(&c.quote, 40));
        let field = TextField::multiline(("coding-memo", &c.uuid));
        let id = field.id();
        field
            .desired_rows(3)
            .hint_text("Why this passage, what it makes you think")
            .show(ui, sh, &stored, move |_, body| {
                Ok(Command::SetMemoText {
                    target: target.clone(),
                    title: title.clone(),
                    body: body.to_owned(),
                })
            })
            .labelled_by(label.id);
        if sh.edits.unsaved(id) {
            ui.label(RichText::new("saving…").small().weak());
        }
    }

    fn speakers_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, doc: &str) {
        ui.heading("Speakers");
        let mut change = None;
        for s in &self.speakers {
            ui.group(|ui| {
                ui.label(RichText::new(&s.label).strong());
                ui.label(format!("{} turns, {} words", s.turns, s.words));
                if let Some(p) = &s.participant {
                    ui.label(format!("Participant {p}"));
                }
                let mut role = s.role;
                let label = ui.label("Role:");
                egui::ComboBox::from_id_salt(("role", &s.uuid))
                    .selected_text(role.as_str())
                    .show_ui(ui, |ui| {
                        for r in [Role::Interviewer, Role::Participant, Role::Other] {
                            ui.selectable_value(&mut role, r, r.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if role != s.role {
                    change = Some((s.label.clone(), role));
                }
            });
        }
        if let Some((label, role)) = change
            && let Some(done) = sh
                .apply(Command::SetSpeakerRole {
                    document: doc.to_owned(),
                    label: label.to_owned(),
                    role,
                })
                .and_then(|a| a.said().ok())
        {
            sh.info(format!("{done} (Ctrl+Z undoes it)"));
        }
    }
}
