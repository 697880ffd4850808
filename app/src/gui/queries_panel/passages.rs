//! Retrieved passages: a clickable table (each row opens its document with
//! the passage selected), its CSV rows, and drill-downs (the passages behind
//! a number in a heatmap, matrix or frequency table).

use super::csv_save::{CsvNames, CsvSaver};
use super::{Shared, capitalised};
use egui::{RichText, Sense};
use egui_extras::{Column, TableBuilder};
use storyloom_project::Scope;
use storyloom_project::project::QueryHit;

/// The accessible name of a passage row.
pub(in crate::gui) fn passage_label(i: usize, hit: &QueryHit) -> String {
    format!("Passage {}: {}", i + 1, hit.document_name)
}

pub(super) fn speaker(hit: &QueryHit) -> String {
    match (&hit.speaker, &hit.participant) {
        (Some(s), Some(p)) => format!("{s} ({p})"),
        (Some(s), None) => s.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => "—".into(),
    }
}

/// Shows passages as a table; returns the (document, start, end) of a clicked row.
/// `scroll`: the table scrolls by itself (else it grows inside an outer scroll area).
pub(super) fn passages_table(
    ui: &mut egui::Ui,
    id: &str,
    hits: &[QueryHit],
    scroll: bool,
) -> Option<(String, usize, usize)> {
    if hits.is_empty() {
        ui.label("No coded text matches.");
        return None;
    }
    let mut clicked = None;
    ui.scope(|ui| {
        ui.style_mut().interaction.selectable_labels = false;
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .id_salt(id)
            .striped(true)
            .resizable(true)
            .vscroll(scroll)
            .auto_shrink([false, true])
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(170.0).at_least(60.0).clip(true))
            .column(Column::initial(130.0).at_least(50.0).clip(true))
            .column(Column::initial(220.0).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(120.0).clip(true))
            .header(row_h, |mut h| {
                for t in ["Document", "Speaker", "Codes", "Text"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(row_h, hits.len(), |mut row| {
                    let i = row.index();
                    let hit = &hits[i];
                    row.col(|ui| {
                        ui.add(egui::Label::new(&hit.document_name).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(speaker(hit)).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(hit.codes.join("; ")).truncate());
                    });
                    row.col(|ui| {
                        let one_line = hit.text.split_whitespace().collect::<Vec<_>>().join(" ");
                        ui.add(
                            egui::Label::new(one_line)
                                .truncate()
                                .show_tooltip_when_elided(false),
                        );
                    });
                    let r = row.response();
                    let label = passage_label(i, hit);
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    let r = r
                        .on_hover_cursor(egui::CursorIcon::PointingHand)
                        .on_hover_ui(|ui| {
                            ui.set_max_width(480.0);
                            ui.label(RichText::new(hit.codes.join("; ")).weak());
                            let t: String = hit.text.chars().take(800).collect();
                            ui.label(t);
                            ui.label(RichText::new("Click to open in the document").weak());
                        });
                    if r.clicked() {
                        clicked = Some((hit.document.clone(), hit.start, hit.end));
                    }
                });
            });
    });
    clicked
}

/// Passages as CSV rows, header first.
pub(super) fn passages_csv(hits: &[QueryHit]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "document",
            "start",
            "end",
            "speaker",
            "participant",
            "role",
            "codes",
            "coders",
            "text",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for h in hits {
        rows.push(vec![
            h.document_name.clone(),
            h.start.to_string(),
            h.end.to_string(),
            h.speaker.clone().unwrap_or_default(),
            h.participant.clone().unwrap_or_default(),
            h.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            h.codes.join("; "),
            h.coders.join("; "),
            h.text.clone(),
        ]);
    }
    rows
}

/// The passages behind one number, shown below a heatmap, matrix or table.
pub(super) struct Drill {
    pub title: String,
    pub expression: String,
    pub scope: Scope,
    pub hits: Result<Vec<QueryHit>, String>,
    /// Shown when there is nothing: why a non-zero count can retrieve no text.
    pub empty_note: Option<String>,
    pub(super) revision: u64,
    pub(super) csv: CsvSaver,
}

impl Drill {
    pub fn new(sh: &Shared, title: String, expression: String, scope: Scope) -> Drill {
        let mut d = Drill {
            title,
            expression,
            scope,
            hits: Ok(Vec::new()),
            empty_note: None,
            revision: sh.revision,
            csv: CsvSaver::default(),
        };
        d.run(sh);
        d
    }

    pub(super) fn run(&mut self, sh: &Shared) {
        self.revision = sh.revision;
        self.scope.coders = sh.shown_coder().into_iter().collect();
        self.hits = match sh.project.as_ref() {
            Some(p) => p
                .query_codings(&self.expression, &self.scope, false)
                .map_err(|e| capitalised(&e.to_string())),
            None => Ok(Vec::new()),
        };
    }

    /// Shows the passages; false when closed.
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) -> bool {
        if self.revision != sh.revision {
            self.run(sh);
        }
        let mut open = true;
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&self.title).strong());
            ui.label(RichText::new(&self.expression).monospace().weak());
            if ui.button("Close passages").clicked() {
                open = false;
            }
        });
        match &self.hits {
            Err(e) => {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            Ok(hits) => {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "{} passage{}",
                        hits.len(),
                        if hits.len() == 1 { "" } else { "s" }
                    ));
                    if !hits.is_empty() {
                        ui.separator();
                        self.csv
                            .ui(ui, sh, &CsvNames::PASSAGES, "passages.csv", || {
                                passages_csv(hits)
                            });
                    }
                });
                if hits.is_empty()
                    && let Some(note) = &self.empty_note
                {
                    ui.label(RichText::new(note).weak());
                }
                if let Some((doc, start, end)) = passages_table(ui, "drill-table", hits, false) {
                    sh.jump_to(&doc, start, end);
                }
            }
        }
        open
    }
}
