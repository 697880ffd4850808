//! The query box: the text field (Enter runs), regex mode, the order, the
//! role, participant and document filters, and the collapsible syntax help.

use super::SearchPanel;
use crate::gui::shared::Shared;
use crate::gui::widgets::{combo, participant_filter, role_filter};
use egui::RichText;
use storyloom_project::search::SearchOrder;

impl SearchPanel {
    pub(super) fn query_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let mut run = false;
        ui.horizontal(|ui| {
            let label = ui.label("Search query");
            let hint = if self.regex {
                "a regular expression, e.g. lonel(y|iness)"
            } else {
                "e.g. \"bus pass\" OR lift* -taxi role:participant"
            };
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text(hint)
                        .desired_width((ui.available_width() - 80.0).max(200.0)),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus_query) {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                run = true;
                r.request_focus();
            }
            if ui.button("Run search").clicked() {
                run = true;
            }
        });
        if let Some(err) = &self.error {
            ui.label(RichText::new(err).color(ui.visuals().error_fg_color));
        }
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.regex, "Regex")
                .on_hover_text("Treat the whole query as a regular expression (case-insensitive unless it starts with (?-i)). Filters come from the controls here.");
            combo(
                ui,
                "search-order",
                "Order",
                order_label(self.order),
                |ui| {
                    for o in [SearchOrder::Score, SearchOrder::Document] {
                        ui.selectable_value(&mut self.order, o, order_label(o));
                    }
                },
            );
            ui.separator();
            role_filter(ui, "search-role", &mut self.role);
            participant_filter(
                ui,
                "search-participant",
                &mut self.participant,
                &self.catalog.participants,
            );
            let doc_name = self
                .document
                .as_ref()
                .and_then(|d| self.catalog.documents.iter().find(|(u, _)| u == d))
                .map_or("Any document".to_owned(), |(_, n)| n.clone());
            combo(ui, "search-document", "Document", doc_name, |ui| {
                ui.selectable_value(&mut self.document, None, "Any document");
                for (uuid, name) in &self.catalog.documents {
                    ui.selectable_value(&mut self.document, Some(uuid.clone()), name);
                }
            });
        });
        self.help_ui(ui);
        if run {
            self.run(sh);
        }
    }

    fn help_ui(&mut self, ui: &mut egui::Ui) {
        egui::CollapsingHeader::new("Search syntax")
            .id_salt("search-syntax")
            .show(ui, |ui| {
                egui::Grid::new("search-syntax-grid")
                    .num_columns(2)
                    .spacing([16.0, 2.0])
                    .show(ui, |ui| {
                        for (example, meaning) in SYNTAX {
                            ui.label(RichText::new(*example).monospace());
                            ui.label(*meaning);
                            ui.end_row();
                        }
                    });
                ui.add_space(4.0);
                ui.label("Filter fields (click one to add it to the query):");
                ui.horizontal_wrapped(|ui| {
                    for f in &self.catalog.fields {
                        if ui
                            .button(RichText::new(format!("{f}:")).monospace())
                            .on_hover_text(field_help(f))
                            .clicked()
                        {
                            if !self.query.is_empty() && !self.query.ends_with(' ') {
                                self.query.push(' ');
                            }
                            self.query.push_str(f);
                            self.query.push(':');
                        }
                    }
                });
                ui.label(
                    "AND, OR and NOT are operators only in capitals. In regex mode the whole \
                     query is the pattern; use the Role, Participant and Document controls to filter.",
                );
            });
    }
}

fn order_label(o: SearchOrder) -> &'static str {
    match o {
        SearchOrder::Score => "Relevance",
        SearchOrder::Document => "Document order",
    }
}

const SYNTAX: &[(&str, &str)] = &[
    (
        "volunteer",
        "a word, matched by its stem (finds volunteering, volunteered)",
    ),
    (
        "\"bus pass\"",
        "an exact phrase: these words in this order, any case",
    ),
    ("lone*", "words starting with lone (lonely, loneliness)"),
    (
        "choir singing",
        "both words in the turn (AND is the default)",
    ),
    ("choir AND singing", "both"),
    ("choir OR singing", "either"),
    ("NOT choir   -choir", "without the word"),
    ("(bus OR lift) cost", "grouping"),
    (
        "field:value   field:\"two words\"",
        "a filter, such as role:participant or code:Belonging",
    ),
];

fn field_help(field: &str) -> String {
    match field {
        "code" => "Turns overlapping a coding of the code or its subcodes: code:Belonging".into(),
        "doc" => "One document, by name or name without extension: doc:P01-doreen-walsh".into(),
        "participant" => "A participant's turns, by id, name or pseudonym: participant:P01".into(),
        "role" => "role:participant, role:interviewer or role:other".into(),
        "speaker" => "A speaker label as in the transcript: speaker:Doreen".into(),
        other => format!("A participant attribute: {other}:value"),
    }
}
