//! The found names: a list on the left (unreviewed ones, or all; filtered
//! by what is typed), the chosen name on the right with where it is said
//! (a click opens the document at that place) and the ways to settle it.

use super::{PseudonymsPanel, Show};
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::Command;
use storyloom_project::project::names_ops::{FoundName, NameState};
use storyloom_project::store::pseudonyms::Verdict;
use storyloom_project::stories::PseudonymKind;

const KINDS: [PseudonymKind; 5] = [
    PseudonymKind::Person,
    PseudonymKind::Place,
    PseudonymKind::Organisation,
    PseudonymKind::Date,
    PseudonymKind::Other,
];

/// What a click asked for (done after the frame's drawing).
enum Todo {
    Replace,
    Review(Verdict),
    Unreview(Option<String>),
    Jump {
        document: String,
        start: usize,
        end: usize,
    },
}

impl PseudonymsPanel {
    pub(super) fn candidates_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.horizontal(|ui| {
            ui.label("Show");
            ui.radio_value(&mut self.show, Show::Unreviewed, "Unreviewed");
            ui.radio_value(&mut self.show, Show::All, "All names");
            ui.add_space(12.0);
            let l = ui.label("Find a name");
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(180.0))
                .labelled_by(l.id);
        });
        let width = ui.available_width();
        let mut todo = None;
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2((width * 0.38).max(240.0), 420.0),
                egui::Layout::top_down(egui::Align::LEFT),
                |ui| self.list_ui(ui),
            );
            ui.separator();
            ui.allocate_ui_with_layout(
                egui::vec2(ui.available_width(), 420.0),
                egui::Layout::top_down(egui::Align::LEFT),
                |ui| todo = self.details_ui(ui),
            );
        });
        if let Some(t) = todo {
            self.run(t, sh);
        }
    }

    fn list_ui(&mut self, ui: &mut egui::Ui) {
        let visible: Vec<(String, String, String)> = self
            .visible()
            .iter()
            .map(|n| {
                let state = match &n.state {
                    NameState::Unreviewed => String::new(),
                    s => format!(" · {}", short_state(s)),
                };
                (
                    n.key.clone(),
                    n.name.clone(),
                    format!("{} ×{}{state}", n.kind.as_str(), n.count),
                )
            })
            .collect();
        if visible.is_empty() {
            ui.label(
                RichText::new(match self.show {
                    Show::Unreviewed if self.filter.trim().is_empty() => {
                        "Every name found is settled."
                    }
                    _ => "No name matches.",
                })
                .weak(),
            );
            return;
        }
        let row = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .id_salt("found-names")
            .auto_shrink([false, false])
            .max_height(400.0)
            .show_rows(ui, row, visible.len(), |ui, range| {
                for i in range {
                    let (key, name, info) = &visible[i];
                    ui.horizontal(|ui| {
                        let on = self.selected.as_ref() == Some(key);
                        if ui.selectable_label(on, name).clicked() {
                            chosen = Some((i, key.clone()));
                        }
                        ui.label(RichText::new(info).weak());
                    });
                }
            });
        if let Some((i, key)) = chosen {
            self.selected_row = i;
            self.choose(&key);
        }
    }

    fn details_ui(&mut self, ui: &mut egui::Ui) -> Option<Todo> {
        let Some(n) = self
            .selected
            .as_ref()
            .and_then(|k| self.names.iter().find(|n| &n.key == k))
            .cloned()
        else {
            ui.label(RichText::new("Choose a name on the left.").weak());
            return None;
        };
        let mut todo = None;
        ui.label(RichText::new(format!("“{}”", n.name)).heading());
        ui.label(format!(
            "{}, said {} time{} in {}",
            n.kind.as_str(),
            n.count,
            if n.count == 1 { "" } else { "s" },
            n.documents.join(", ")
        ));
        ui.label(RichText::new(state_sentence(&n.state)).strong());
        if n.core != n.name {
            ui.label(
                RichText::new(format!("A replacement covers “{}”.", n.core))
                    .weak()
                    .small(),
            );
        }
        ui.add_space(4.0);
        ui.label(RichText::new("Where it is said (click to open the place)").weak());
        for c in &n.contexts {
            let text = format!("{}: …{}…", c.document, c.snippet);
            if ui
                .link(&text)
                .on_hover_text("Open the document at this place")
                .clicked()
            {
                todo = Some(Todo::Jump {
                    document: c.document.clone(),
                    start: c.start,
                    end: c.end,
                });
            }
        }
        if n.count > n.contexts.len() {
            ui.label(
                RichText::new(format!(
                    "and {} more place{}",
                    n.count - n.contexts.len(),
                    if n.count - n.contexts.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ))
                .weak(),
            );
        }
        ui.add_space(6.0);
        let scopes = self.scope_choices(&n);
        egui::Grid::new("settle-name")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                let l = ui.label("Replace with");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.replacement)
                            .hint_text("a pseudonym, e.g. Ruth")
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                if r.lost_focus()
                    && ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && !self.replacement.trim().is_empty()
                {
                    todo = Some(Todo::Replace);
                }
                ui.end_row();

                let l = ui.label("Kind");
                let mut kind = self.kind.unwrap_or(PseudonymKind::Other);
                egui::ComboBox::from_id_salt("name-kind")
                    .selected_text(kind.as_str())
                    .show_ui(ui, |ui| {
                        for k in KINDS {
                            ui.selectable_value(&mut kind, k, k.as_str());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                self.kind = Some(kind);
                ui.end_row();

                let l = ui.label("Applies to");
                let mut scope = self.scope.clone();
                egui::ComboBox::from_id_salt("name-scope")
                    .selected_text(scope_label(scope.as_deref()))
                    .width(220.0)
                    .show_ui(ui, |ui| {
                        for s in &scopes {
                            ui.selectable_value(&mut scope, s.clone(), scope_label(s.as_deref()));
                        }
                    })
                    .response
                    .labelled_by(l.id);
                self.scope = scope;
                ui.end_row();

                let l = ui.label("Note");
                ui.add(
                    egui::TextEdit::singleline(&mut self.note)
                        .hint_text("why (kept with a review)")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            });
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !self.replacement.trim().is_empty(),
                    egui::Button::new("Replace"),
                )
                .on_hover_text("Add the replacement to the pseudonym map")
                .on_disabled_hover_text("Type a replacement first")
                .clicked()
            {
                todo = Some(Todo::Replace);
            }
            if ui
                .button("Not identifying")
                .on_hover_text("It identifies no one (a common word, a public place)")
                .clicked()
            {
                todo = Some(Todo::Review(Verdict::NotIdentifying));
            }
            if ui
                .button("Kept with consent")
                .on_hover_text("Those concerned agreed that it stays")
                .clicked()
            {
                todo = Some(Todo::Review(Verdict::KeptWithConsent));
            }
        });
        for r in self.reviews.iter().filter(|r| r.key == n.key) {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "Reviewed {}: {} by {} on {}",
                        scope_label(r.scope.as_deref()),
                        r.verdict.as_str().replace('-', " "),
                        r.by,
                        r.at.get(..10).unwrap_or(&r.at)
                    ))
                    .weak(),
                );
                if ui.small_button("Take back").clicked() {
                    todo = Some(Todo::Unreview(r.scope.clone()));
                }
            });
        }
        todo
    }

    /// The whole project, then each participant who says the name, then the others.
    fn scope_choices(&self, n: &FoundName) -> Vec<Option<String>> {
        let mut out: Vec<Option<String>> = vec![None];
        out.extend(n.participants.iter().cloned().map(Some));
        out.extend(
            self.participants
                .iter()
                .filter(|p| !n.participants.contains(p))
                .cloned()
                .map(Some),
        );
        out
    }

    fn run(&mut self, todo: Todo, sh: &mut Shared) {
        let Some(n) = self
            .selected
            .as_ref()
            .and_then(|k| self.names.iter().find(|n| &n.key == k))
            .cloned()
        else {
            return;
        };
        let scope = self.scope.clone();
        match todo {
            Todo::Jump {
                document,
                start,
                end,
            } => {
                if let Some(d) = sh.read(|p| p.document(&document)) {
                    sh.jump_to(&d.uuid, start, end);
                }
            }
            Todo::Replace => {
                let replacement = self.replacement.trim().to_owned();
                let kind = self.kind.unwrap_or(PseudonymKind::Other);
                let done = sh.apply(Command::SetPseudonym {
                    original: n.core.clone(),
                    replacement: replacement.clone(),
                    kind,
                    confirmed: true,
                    scope: scope.clone(),
                });
                if done.is_some() {
                    sh.info(format!(
                        "“{}” is replaced by [{replacement}] {}",
                        n.core,
                        scope_label(scope.as_deref())
                    ));
                    self.replacement.clear();
                }
            }
            Todo::Review(verdict) => {
                let note = self.note.trim().to_owned();
                if sh
                    .apply(Command::ReviewName {
                        name: n.name.to_owned(),
                        verdict,
                        scope: scope.clone(),
                        note: note.to_owned(),
                    })
                    .is_some()
                {
                    sh.info(format!(
                        "“{}”: {} {}",
                        n.name,
                        verdict.as_str().replace('-', " "),
                        scope_label(scope.as_deref())
                    ));
                }
            }
            Todo::Unreview(scope) => {
                sh.push(Command::UnreviewName {
                    name: n.name.to_owned(),
                    scope: scope.clone(),
                });
            }
        }
    }
}

/// How a scope reads in the panel.
pub(super) fn scope_label(scope: Option<&str>) -> String {
    match scope {
        None => "in the whole project".into(),
        Some(p) => format!("in {p}'s documents only"),
    }
}

fn short_state(s: &NameState) -> String {
    match s {
        NameState::Replaced { replacement } => format!("[{replacement}]"),
        NameState::NotIdentifying { .. } => "not identifying".into(),
        NameState::KeptWithConsent { .. } => "kept with consent".into(),
        NameState::Unreviewed => "unreviewed".into(),
    }
}

/// The chosen name's state as a sentence ("Unreviewed: …").
fn state_sentence(state: &NameState) -> String {
    match state {
        NameState::Unreviewed => {
            "Unreviewed: a stakeholder export that carries it is refused.".to_owned()
        }
        s => {
            let l = s.label();
            let mut c = l.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}
