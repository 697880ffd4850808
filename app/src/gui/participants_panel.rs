//! Participants (a centre tab): a table of the study's participants with id,
//! name, pseudonym, one column per attribute and their documents. Cells are
//! edited in place and saved as you type (after a pause, on Enter, or when
//! they lose focus: one change per edit session); attribute values are typed
//! and checked by the project, so a bad value (a word in a number column) is
//! refused with a notice once and stays in the cell until it is fixed. Forms below add a participant and define an attribute.

use super::debounce::TextField;
use super::shared::Shared;
use egui::RichText;
use storyloom_project::Command;
use storyloom_project::{Attribute, AttributeKind, Participant};

#[cfg(test)]
mod tests;

const KINDS: [AttributeKind; 4] = [
    AttributeKind::Text,
    AttributeKind::Number,
    AttributeKind::Date,
    AttributeKind::Choice,
];

/// An editable column of the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Column {
    Name,
    Pseudonym,
    Attribute(String),
}

impl Column {
    fn title(&self) -> &str {
        match self {
            Column::Name => "name",
            Column::Pseudonym => "pseudonym",
            Column::Attribute(a) => a,
        }
    }
}

fn stored(p: &Participant, c: &Column) -> String {
    match c {
        Column::Name => p.name.clone().unwrap_or_default(),
        Column::Pseudonym => p.pseudonym.clone().unwrap_or_default(),
        Column::Attribute(a) => p
            .attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(a))
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    }
}

#[derive(Default)]
pub struct ParticipantsPanel {
    loaded: Option<u64>,
    participants: Vec<Participant>,
    attributes: Vec<Attribute>,
    pub new_id: String,
    pub new_name: String,
    pub new_pseudonym: String,
    pub attribute_name: String,
    pub attribute_kind: Option<AttributeKind>,
    pub attribute_choices: String,
}

impl ParticipantsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        ui.heading("Participants and attributes");
        ui.label(
            RichText::new(
                "Edit a cell and press Enter (or click elsewhere) to save it. \
                 File > Import participants CSV adds or updates many at once.",
            )
            .weak(),
        );
        ui.separator();
        let table_height = (ui.available_height() - 170.0).max(150.0);
        // Up and down together; sideways only the columns after the id,
        // which stays in view (see `table_ui`).
        egui::ScrollArea::vertical()
            .id_salt("participants-table")
            .max_height(table_height)
            .auto_shrink([false, true])
            .show(ui, |ui| self.table_ui(ui, sh));
        ui.separator();
        self.add_participant_ui(ui, sh);
        ui.separator();
        self.define_attribute_ui(ui, sh);
    }

    fn reload(&mut self, sh: &mut Shared) {
        if self.loaded == Some(sh.revision) {
            return;
        }
        self.loaded = Some(sh.revision);
        self.participants = sh.read(|p| p.participants()).unwrap_or_default();
        self.attributes = sh.read(|p| p.attributes()).unwrap_or_default();
    }

    fn columns(&self) -> Vec<Column> {
        let mut cols = vec![Column::Name, Column::Pseudonym];
        cols.extend(
            self.attributes
                .iter()
                .map(|a| Column::Attribute(a.name.clone())),
        );
        cols
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if self.participants.is_empty() {
            ui.label("No participants yet: add one below, or import a CSV from the File menu.");
            return;
        }
        let columns = self.columns();
        let mut commits: Vec<(String, String, String)> = Vec::new();
        // Two grids with the same row height: the ids, fixed, and the other
        // columns, scrolling sideways beside them.
        let row = ui
            .spacing()
            .interact_size
            .y
            .max(ui.text_style_height(&egui::TextStyle::Body) + 8.0);
        ui.horizontal_top(|ui| {
            egui::Grid::new("participants-ids")
                .striped(true)
                .spacing([8.0, 4.0])
                .min_row_height(row)
                .show(ui, |ui| {
                    ui.label(RichText::new("id").strong());
                    ui.end_row();
                    for p in &self.participants {
                        ui.label(&p.id);
                        ui.end_row();
                    }
                });
            egui::ScrollArea::horizontal()
                .id_salt("participants-columns")
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    self.columns_ui(ui, sh, &columns, row, &mut commits)
                });
        });
        for (id, attribute, value) in commits {
            sh.push(Command::SetAttribute {
                participant: id.to_owned(),
                attribute: attribute.to_owned(),
                value: value.to_owned(),
            });
        }
    }

    /// Every column after the id: a header row, then one row per participant.
    fn columns_ui(
        &self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        columns: &[Column],
        row: f32,
        commits: &mut Vec<(String, String, String)>,
    ) {
        egui::Grid::new("participants-grid")
            .striped(true)
            .spacing([8.0, 4.0])
            // A column is as wide as it was last frame: without a minimum a
            // text cell stays as narrow as its header.
            .min_col_width(110.0)
            .min_row_height(row)
            .show(ui, |ui| {
                for c in columns {
                    let header = ui.label(RichText::new(c.title()).strong());
                    if let Column::Attribute(a) = c
                        && let Some(attr) = self.attributes.iter().find(|x| &x.name == a)
                    {
                        let mut hover = format!("a {} attribute", attr.kind.as_str());
                        if !attr.choices.is_empty() {
                            hover.push_str(&format!(": {}", attr.choices.join(", ")));
                        }
                        header.on_hover_text(hover);
                    }
                }
                ui.label(RichText::new("documents").strong());
                ui.end_row();

                for p in &self.participants {
                    for c in columns {
                        let was = stored(p, c);
                        let choices = match c {
                            Column::Attribute(a) => self
                                .attributes
                                .iter()
                                .find(|x| &x.name == a)
                                .filter(|x| x.kind == AttributeKind::Choice)
                                .map(|x| x.choices.clone()),
                            _ => None,
                        };
                        let name = format!("{} of {}", c.title(), p.id);
                        if let Some(choices) = choices {
                            let mut value = was.clone();
                            egui::ComboBox::from_id_salt(("participant-cell", &p.id, c.title()))
                                .selected_text(if value.is_empty() {
                                    "-"
                                } else {
                                    value.as_str()
                                })
                                .width(110.0)
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(&mut value, String::new(), "(none)");
                                    for ch in &choices {
                                        ui.selectable_value(&mut value, ch.clone(), ch);
                                    }
                                })
                                .response
                                .accessible_name(name);
                            if value != was {
                                commits.push((p.id.clone(), c.title().to_owned(), value));
                            }
                        } else {
                            // Saved as typed (one change per edit session),
                            // on Enter and on leaving the cell; a refused
                            // value stays in the cell to be fixed.
                            let (id, col) = (p.id.clone(), c.clone());
                            TextField::singleline(("participant-cell", &p.uuid, c.title()))
                                .desired_width(110.0)
                                .show(ui, sh, &was, move |_, text| {
                                    let text = text.to_owned();
                                    let participant = id.clone();
                                    Ok(match &col {
                                        Column::Name => Command::EditParticipantFields {
                                            participant,
                                            name: Some(text),
                                            pseudonym: None,
                                        },
                                        Column::Pseudonym => Command::EditParticipantFields {
                                            participant,
                                            name: None,
                                            pseudonym: Some(text),
                                        },
                                        Column::Attribute(a) => Command::SetAttribute {
                                            participant,
                                            attribute: a.clone(),
                                            value: text,
                                        },
                                    })
                                })
                                .accessible_name(name);
                        }
                    }
                    let docs = if p.documents.is_empty() {
                        "-".to_owned()
                    } else {
                        p.documents.join(", ")
                    };
                    ui.label(RichText::new(docs).weak());
                    ui.end_row();
                }
            });
    }

    fn add_participant_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.label(RichText::new("New participant").strong());
        ui.horizontal(|ui| {
            for (title, buf, width) in [
                ("Id", &mut self.new_id, 60.0),
                ("Name", &mut self.new_name, 140.0),
                ("Pseudonym", &mut self.new_pseudonym, 110.0),
            ] {
                ui.label(title);
                // Named for what it is, not just "Name": the table has names too.
                ui.add(egui::TextEdit::singleline(buf).desired_width(width))
                    .accessible_name(format!("New participant {}", title.to_lowercase()));
            }
            if ui
                .add_enabled(
                    !self.new_id.trim().is_empty(),
                    egui::Button::new("Add participant"),
                )
                .clicked()
            {
                let (i, n, ps) = (
                    self.new_id.clone(),
                    self.new_name.clone(),
                    self.new_pseudonym.clone(),
                );
                if sh
                    .apply(Command::CreateParticipant {
                        ident: i.to_owned(),
                        name: Some(n.to_owned()),
                        pseudonym: Some(ps.to_owned()),
                    })
                    .and_then(|a| a.id().ok())
                    .is_some()
                {
                    self.new_id.clear();
                    self.new_name.clear();
                    self.new_pseudonym.clear();
                }
            }
        });
    }

    fn define_attribute_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.label(RichText::new("Define an attribute").strong())
            .on_hover_text(
                "Giving an existing attribute's name changes its type, if every value fits.",
            );
        ui.horizontal(|ui| {
            let l = ui.label("Attribute name");
            ui.add(egui::TextEdit::singleline(&mut self.attribute_name).desired_width(120.0))
                .labelled_by(l.id);
            let kind = self.attribute_kind.unwrap_or(AttributeKind::Text);
            let mut chosen = kind;
            let l = ui.label("Kind");
            egui::ComboBox::from_id_salt("attribute-kind")
                .selected_text(kind.as_str())
                .show_ui(ui, |ui| {
                    for k in KINDS {
                        ui.selectable_value(&mut chosen, k, k.as_str());
                    }
                })
                .response
                .labelled_by(l.id);
            self.attribute_kind = Some(chosen);
            ui.add_enabled_ui(chosen == AttributeKind::Choice, |ui| {
                let l = ui.label("Choices");
                ui.add(
                    egui::TextEdit::singleline(&mut self.attribute_choices)
                        .hint_text("comma-separated")
                        .desired_width(160.0),
                )
                .labelled_by(l.id);
            });
            if ui
                .add_enabled(
                    !self.attribute_name.trim().is_empty(),
                    egui::Button::new("Define attribute"),
                )
                .clicked()
            {
                let name = self.attribute_name.clone();
                let choices: Vec<String> = if chosen == AttributeKind::Choice {
                    self.attribute_choices
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                } else {
                    vec![]
                };
                if sh
                    .apply(Command::DefineAttribute {
                        name: name.to_owned(),
                        kind: chosen,
                        choices: choices.to_vec(),
                    })
                    .is_some()
                {
                    self.attribute_name.clear();
                    self.attribute_choices.clear();
                }
            }
        });
    }
}
