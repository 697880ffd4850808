//! Code frequencies: a horizontal bar chart of codings per code (egui_plot)
//! and the table below (codings, documents, participants, words, coders).
//! Clicking a row lists that code's passages.

use super::csv_save::{CsvNames, CsvSaver};
use super::passages::Drill;
use super::{Shared, capitalised, code_expr};
use egui::{RichText, Sense};
use egui_extras::{Column, TableBuilder};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Plot};
use storyloom_project::project::CodeFrequencyRow;

#[derive(Default)]
pub(super) struct FrequenciesView {
    pub rows: Option<Result<Vec<CodeFrequencyRow>, String>>,
    revision: Option<u64>,
    pub hide_unused: bool,
    pub drill: Option<Drill>,
    csv: CsvSaver,
}

/// The accessible name of a frequency row.
pub(in crate::gui) fn frequency_label(row: &CodeFrequencyRow) -> String {
    format!("Code {}: {} codings", row.path, row.codings)
}

impl FrequenciesView {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if self.revision != Some(sh.revision) {
            self.revision = Some(sh.revision);
            self.rows = sh.project.as_ref().map(|p| {
                p.code_frequencies()
                    .map_err(|e| capitalised(&e.to_string()))
            });
        }
        let rows = match &self.rows {
            None => return,
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                return;
            }
            Some(Ok(r)) => r,
        };
        let shown: Vec<&CodeFrequencyRow> = rows
            .iter()
            .filter(|r| !self.hide_unused || r.codings > 0)
            .collect();
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.hide_unused, "Hide unused codes");
            ui.separator();
            self.csv
                .ui(ui, sh, &CsvNames::MAIN, "code-frequencies.csv", || {
                    frequencies_csv(&shown)
                });
        });
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("frequencies-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if shown.is_empty() {
                    ui.label("The codebook is empty.");
                    return;
                }
                chart(ui, &shown);
                ui.add_space(8.0);
                clicked = table(ui, &shown);
                if let Some(d) = &mut self.drill
                    && !d.ui(ui, sh)
                {
                    self.drill = None;
                }
            });
        if let Some(path) = clicked {
            self.drill = Some(Drill::new(
                sh,
                format!("Passages coded {path}"),
                code_expr(&path),
                Default::default(),
            ));
        }
    }
}

#[cfg(test)]
impl FrequenciesView {
    pub fn csv_path(&mut self, path: &std::path::Path) {
        self.csv.path = path.display().to_string();
    }
}

/// Codings per code as horizontal bars, the first code at the top.
fn chart(ui: &mut egui::Ui, rows: &[&CodeFrequencyRow]) {
    const MAX_LABEL: usize = 48;
    let n = rows.len();
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            let k = r.path.chars().count();
            if k > MAX_LABEL {
                let tail: String = r.path.chars().skip(k - (MAX_LABEL - 1)).collect();
                format!("…{tail}")
            } else {
                r.path.clone()
            }
        })
        .collect();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let label_w = names
        .iter()
        .map(|s| {
            ui.painter()
                .layout_no_wrap(s.clone(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
        .fold(40.0, f32::max)
        + 12.0;
    let color = ui.visuals().selection.bg_fill;
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Bar::new((n - 1 - i) as f64, r.codings as f64)
                .name(&r.path)
                .width(0.7)
                .fill(color)
        })
        .collect();
    let chart = BarChart::new("Codings", bars)
        .horizontal()
        .element_formatter(Box::new(|bar, _| {
            format!("{}\n{} codings", bar.name, bar.value)
        }));
    let max = rows.iter().map(|r| r.codings).max().unwrap_or(0).max(1);
    // Whole-number ticks about every 60 points: 1, 2, 5, 10, 20, 50…
    let step = nice_step(max as f64 / 8.0);
    let y_axis = AxisHints::new_y()
        .label("Code")
        .min_thickness(label_w)
        .label_spacing(8.0..=10.0)
        .formatter(move |mark: GridMark, _| {
            let v = mark.value;
            let k = v.round();
            if k < 0.0 || (v - k).abs() > 1e-6 || k as usize >= n {
                return String::new();
            }
            names[n - 1 - k as usize].clone()
        });
    let x_axis = AxisHints::new_x()
        .label("Codings")
        .label_spacing(16.0..=24.0)
        .formatter(|mark: GridMark, _| {
            let v = mark.value;
            if v < 0.0 || (v - v.round()).abs() > 1e-6 {
                String::new()
            } else {
                format!("{}", v.round() as i64)
            }
        });
    Plot::new("code-frequencies-chart")
        .height(60.0 + 22.0 * n as f32)
        .custom_x_axes(vec![x_axis])
        .custom_y_axes(vec![y_axis])
        .y_grid_spacer(move |input| {
            let (lo, hi) = input.bounds;
            (lo.ceil().max(0.0) as i64..=hi.floor() as i64)
                .map(|v| GridMark {
                    value: v as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_grid_spacer(move |input| {
            let (lo, hi) = input.bounds;
            let first = (lo.max(0.0) / step).ceil() as i64;
            let last = (hi / step).floor() as i64;
            (first..=last)
                .map(|k| GridMark {
                    value: k as f64 * step,
                    step_size: step,
                })
                .collect()
        })
        .include_x(0.0)
        .include_x(max as f64 * 1.05)
        .include_y(-0.6)
        .include_y(n as f64 - 0.4)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([true, false])
        .show(ui, |p| p.bar_chart(chart));
}

/// The smallest of 1, 2, 5, 10, 20, 50… at least `x`.
fn nice_step(x: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if step * m >= x {
                return step * m;
            }
        }
        step *= 10.0;
    }
}

/// The table; returns the path of a clicked row.
fn table(ui: &mut egui::Ui, rows: &[&CodeFrequencyRow]) -> Option<String> {
    let mut clicked = None;
    ui.scope(|ui| {
        ui.style_mut().interaction.selectable_labels = false;
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .id_salt("frequencies-table")
            .striped(true)
            .resizable(true)
            .vscroll(false)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(260.0).at_least(80.0).clip(true))
            .columns(Column::auto().at_least(70.0), 4)
            .column(Column::remainder().at_least(80.0).clip(true))
            .header(row_h, |mut h| {
                for t in [
                    "Code",
                    "Codings",
                    "Documents",
                    "Participants",
                    "Words",
                    "Coders",
                ] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|mut body| {
                for r in rows {
                    body.row(row_h, |mut row| {
                        row.col(|ui| {
                            ui.add(egui::Label::new(&r.path).truncate());
                        });
                        for n in [r.codings, r.documents, r.participants, r.words] {
                            row.col(|ui| {
                                ui.label(n.to_string());
                            });
                        }
                        row.col(|ui| {
                            ui.add(egui::Label::new(r.coders.join(", ")).truncate());
                        });
                        let resp = row.response();
                        let label = frequency_label(r);
                        resp.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                        });
                        if resp
                            .on_hover_cursor(egui::CursorIcon::PointingHand)
                            .on_hover_text("List this code's passages")
                            .clicked()
                        {
                            clicked = Some(r.path.clone());
                        }
                    });
                }
            });
    });
    clicked
}

fn frequencies_csv(rows: &[&CodeFrequencyRow]) -> Vec<Vec<String>> {
    let mut out = vec![
        [
            "code",
            "codings",
            "documents",
            "participants",
            "words",
            "coders",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        out.push(vec![
            r.path.clone(),
            r.codings.to_string(),
            r.documents.to_string(),
            r.participants.to_string(),
            r.words.to_string(),
            r.coders.join("; "),
        ]);
    }
    out
}
