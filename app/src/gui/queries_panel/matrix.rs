//! Code × participant and code × attribute: a table of coded segments (or
//! words) per code and column, with totals. Clicking a number lists the
//! passages behind it below.

use super::csv_save::{CsvNames, CsvSaver};
use super::passages::Drill;
use super::scope::ScopeEditor;
use super::{Catalog, CodeSubset, Shared, capitalised, code_expr};
use crate::gui::widgets::combo;
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use storyloom_project::project::CodeMatrix;

#[derive(Debug, Clone, PartialEq)]
struct Key {
    revision: u64,
    attribute: Option<String>,
    codes: Vec<String>,
    scope: ScopeEditor,
}

#[derive(Default)]
pub(super) struct MatrixView {
    /// Code × attribute: the attribute whose values are the columns.
    pub attribute: Option<String>,
    /// Show words instead of coded segments.
    pub words: bool,
    pub hide_unused: bool,
    pub result: Option<Result<CodeMatrix, String>>,
    key: Option<Key>,
    pub drill: Option<Drill>,
    csv: CsvSaver,
}

/// Column labels that are not a participant or a value and cannot be scoped to.
const SPECIAL: [&str; 2] = ["(no participant)", "(no value)"];

/// The accessible name of a matrix cell.
pub(in crate::gui) fn matrix_cell_label(code: &str, column: &str, n: usize) -> String {
    format!("{code} · {column}: {n}")
}

impl MatrixView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        cat: &Catalog,
        scope: &mut ScopeEditor,
        subset: &mut CodeSubset,
        by_attribute: bool,
    ) {
        if by_attribute
            && self
                .attribute
                .as_ref()
                .is_none_or(|a| !cat.attributes.iter().any(|(n, _)| n == a))
        {
            self.attribute = cat.attributes.first().map(|(n, _)| n.clone());
        }
        ui.horizontal_wrapped(|ui| {
            if by_attribute {
                let shown = self.attribute.clone().unwrap_or_else(|| "none".into());
                combo(ui, "matrix-attribute", "Attribute", shown, |ui| {
                    for (a, _) in &cat.attributes {
                        ui.selectable_value(&mut self.attribute, Some(a.clone()), a);
                    }
                });
                ui.separator();
            }
            ui.label("Count:");
            ui.selectable_value(&mut self.words, false, "Segments");
            ui.selectable_value(&mut self.words, true, "Words");
            ui.checkbox(&mut self.hide_unused, "Hide unused codes");
            ui.separator();
            scope.ui(ui, cat);
        });
        subset.ui(ui, cat);
        if by_attribute && self.attribute.is_none() {
            ui.label("The project has no participant attributes yet.");
            return;
        }
        let key = Key {
            revision: sh.revision,
            attribute: self.attribute.clone().filter(|_| by_attribute),
            codes: subset.codes(cat),
            scope: scope.clone(),
        };
        if self.key.as_ref() != Some(&key) {
            self.result = sh.project.as_ref().map(|p| {
                let s = key.scope.scope();
                match &key.attribute {
                    Some(a) => p.code_by_attribute(a, &key.codes, &s),
                    None => p.code_by_participant(&key.codes, &s),
                }
                .map_err(|e| capitalised(&e.to_string()))
            });
            self.key = Some(key);
            self.drill = None;
        }
        let Some(result) = &self.result else {
            return;
        };
        let m = match result {
            Ok(m) => m,
            Err(e) => {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                return;
            }
        };
        let pick = |c: (usize, usize)| if self.words { c.1 } else { c.0 };
        let rows: Vec<usize> = (0..m.rows.len())
            .filter(|&i| !self.hide_unused || m.row_totals[i].0 > 0)
            .collect();
        let file = if by_attribute {
            "code-by-attribute.csv"
        } else {
            "code-by-participant.csv"
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(if self.words {
                "Words of coded text per code and column."
            } else {
                "Coded segments per code and column."
            });
            ui.separator();
            self.csv.ui(ui, sh, &CsvNames::MAIN, file, || {
                matrix_csv(m, &rows, self.words)
            });
        });
        let mut clicked: Option<(usize, Option<usize>)> = None;
        // Up and down together; sideways only the counts, so the code
        // column stays in view.
        egui::ScrollArea::vertical()
            .id_salt(("matrix-scroll", by_attribute))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.scope(|ui| {
                    ui.style_mut().interaction.selectable_labels = false;
                    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
                    ui.horizontal_top(|ui| {
                        ui.vertical(|ui| {
                            TableBuilder::new(ui)
                                .id_salt(("matrix-codes", by_attribute))
                                .striped(true)
                                .vscroll(false)
                                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                                .column(Column::exact(240.0).clip(true))
                                .header(row_h, |mut h| {
                                    h.col(|ui| {
                                        ui.strong("Code");
                                    });
                                })
                                .body(|mut body| {
                                    for &i in &rows {
                                        body.row(row_h, |mut row| {
                                            row.col(|ui| {
                                                ui.add(egui::Label::new(&m.rows[i]).truncate());
                                            });
                                        });
                                    }
                                    body.row(row_h, |mut row| {
                                        row.col(|ui| {
                                            ui.strong("Total");
                                        });
                                    });
                                });
                        });
                        egui::ScrollArea::horizontal()
                            .id_salt(("matrix-columns", by_attribute))
                            .auto_shrink([false, true])
                            .show(ui, |ui| {
                                ui.vertical(|ui| {
                                    clicked =
                                        counts_table(ui, m, &rows, row_h, by_attribute, &pick);
                                });
                            });
                    });
                });
                if let Some(d) = &mut self.drill
                    && !d.ui(ui, sh)
                {
                    self.drill = None;
                }
            });
        if let Some((i, j)) = clicked {
            let code = &m.rows[i];
            let mut s = scope.scope();
            let title = match j {
                None => format!("Passages coded {code}"),
                Some(j) => {
                    let col = &m.columns[j];
                    match (&self.attribute, by_attribute) {
                        (Some(a), true) => {
                            s.attributes.push((a.clone(), col.clone()));
                            format!("Passages coded {code} · {a} = {col}")
                        }
                        _ => {
                            s.participants = vec![col.clone()];
                            format!("Passages coded {code} · {col}")
                        }
                    }
                }
            };
            // The matrix counts each code's own codings; retrieval includes subcodes.
            let prefix = format!("{code} > ");
            let title = if cat
                .codes
                .iter()
                .any(|c| c.path_string().starts_with(&prefix))
            {
                format!("{title} (and its subcodes)")
            } else {
                title
            };
            self.drill = Some(Drill::new(sh, title, code_expr(code), s));
        }
    }
}

/// The counts of the matrix (every column after the code), with their
/// totals; returns the clicked cell: (row, column), column None for a total.
fn counts_table(
    ui: &mut egui::Ui,
    m: &CodeMatrix,
    rows: &[usize],
    row_h: f32,
    by_attribute: bool,
    pick: &dyn Fn((usize, usize)) -> usize,
) -> Option<(usize, Option<usize>)> {
    let mut clicked = None;
    let mut t = TableBuilder::new(ui)
        .id_salt(("matrix", by_attribute))
        .striped(true)
        .resizable(true)
        .vscroll(false)
        .cell_layout(egui::Layout::right_to_left(egui::Align::Center));
    for _ in 0..=m.columns.len() {
        t = t.column(Column::auto().at_least(48.0));
    }
    t.header(row_h, |mut h| {
        for c in m.columns.iter().map(String::as_str).chain(["Total"]) {
            h.col(|ui| {
                ui.strong(c);
            });
        }
    })
    .body(|mut body| {
        for &i in rows {
            body.row(row_h, |mut row| {
                for (j, col) in m.columns.iter().enumerate() {
                    let n = pick(m.cells[i][j]);
                    row.col(|ui| {
                        let clickable = n > 0 && !SPECIAL.contains(&col.as_str());
                        if number(ui, n, clickable, &matrix_cell_label(&m.rows[i], col, n)) {
                            clicked = Some((i, Some(j)));
                        }
                    });
                }
                let n = pick(m.row_totals[i]);
                row.col(|ui| {
                    if number(ui, n, n > 0, &matrix_cell_label(&m.rows[i], "Total", n)) {
                        clicked = Some((i, None));
                    }
                });
            });
        }
        body.row(row_h, |mut row| {
            for c in &m.column_totals {
                row.col(|ui| {
                    ui.strong(pick(*c).to_string());
                });
            }
            let all: usize = m.column_totals.iter().map(|c| pick(*c)).sum();
            row.col(|ui| {
                ui.strong(all.to_string());
            });
        });
    });
    clicked
}

/// A number in a cell, a link when it can be drilled into; true when clicked.
fn number(ui: &mut egui::Ui, n: usize, clickable: bool, label: &str) -> bool {
    if n == 0 {
        ui.weak("0");
        return false;
    }
    if !clickable {
        ui.label(n.to_string());
        return false;
    }
    let r = ui.add(egui::Link::new(n.to_string()));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, label));
    r.on_hover_text("List the passages").clicked()
}

fn matrix_csv(m: &CodeMatrix, rows: &[usize], words: bool) -> Vec<Vec<String>> {
    let pick = |c: (usize, usize)| if words { c.1 } else { c.0 };
    let mut out = vec![
        std::iter::once(
            if words {
                "code (words)"
            } else {
                "code (segments)"
            }
            .to_owned(),
        )
        .chain(m.columns.iter().cloned())
        .chain(["Total".to_owned()])
        .collect::<Vec<_>>(),
    ];
    for &i in rows {
        out.push(
            std::iter::once(m.rows[i].clone())
                .chain(m.cells[i].iter().map(|c| pick(*c).to_string()))
                .chain([pick(m.row_totals[i]).to_string()])
                .collect(),
        );
    }
    out.push(
        std::iter::once("Total".to_owned())
            .chain(m.column_totals.iter().map(|c| pick(*c).to_string()))
            .chain([m
                .column_totals
                .iter()
                .map(|c| pick(*c))
                .sum::<usize>()
                .to_string()])
            .collect(),
    );
    out
}
