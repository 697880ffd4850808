//! Co-occurrence: a heatmap of painted cells, one row and column per code,
//! coloured by count or by the normalised overlap (Jaccard), with a legend
//! of the colour scale and its values. Hovering a cell names the pair in
//! full with its figures; clicking it retrieves `A AND B` and lists the
//! passages, whole, in a panel beside the heatmap.

use super::csv_save::{CsvNames, CsvSaver};
use super::passages::Drill;
use super::scope::ScopeEditor;
use super::{Catalog, CodeSubset, Shared, capitalised, code_expr};
use crate::gui::widgets::combo;
use egui::{Color32, FontId, Pos2, Rect, RichText, Sense, Vec2, pos2, vec2};

/// What the off-diagonal cells show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Measure {
    /// How many regions (or turns) carry both codes.
    #[default]
    Counts,
    /// Both / either: the count over the union of the two codes' counts.
    Jaccard,
}

fn measure_label(m: Measure) -> &'static str {
    match m {
        Measure::Counts => "Counts",
        Measure::Jaccard => "Normalised (Jaccard)",
    }
}

/// The Jaccard index of codes `i` and `j`: regions (or turns) with both over
/// those with either, from the diagonal counts; 0 when neither occurs.
pub(in crate::gui) fn jaccard(m: &Cooccurrence, i: usize, j: usize) -> f32 {
    let both = m.cells[i][j];
    let either = (m.cells[i][i] + m.cells[j][j])
        .saturating_sub(both)
        .max(both);
    if either == 0 {
        0.0
    } else {
        both as f32 / either as f32
    }
}

/// The accessible name of a cell in the normalised view.
pub(in crate::gui) fn jaccard_label(a: &str, b: &str, j: f32, n: usize) -> String {
    format!("{a} × {b}: Jaccard {j:.2} ({n})")
}
use storyloom_project::analysis::CooccurrenceMode;
use storyloom_project::project::Cooccurrence;

/// What a result was computed from.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    revision: u64,
    mode: CooccurrenceMode,
    codes: Vec<String>,
    scope: ScopeEditor,
}

pub(super) struct CooccurrenceView {
    pub mode: CooccurrenceMode,
    pub measure: Measure,
    /// Leave out codes that co-occur with nothing and have no codings.
    pub hide_unused: bool,
    pub result: Option<Result<Cooccurrence, String>>,
    key: Option<Key>,
    pub drill: Option<Drill>,
    csv: CsvSaver,
}

impl Default for CooccurrenceView {
    fn default() -> Self {
        CooccurrenceView {
            mode: CooccurrenceMode::Overlap,
            measure: Measure::Counts,
            hide_unused: true,
            result: None,
            key: None,
            drill: None,
            csv: CsvSaver::default(),
        }
    }
}

/// The accessible name of a cell.
pub(in crate::gui) fn cell_label(a: &str, b: &str, n: usize) -> String {
    format!("{a} × {b}: {n}")
}

fn mode_label(m: CooccurrenceMode) -> &'static str {
    match m {
        CooccurrenceMode::Overlap => "Overlapping text",
        CooccurrenceMode::SameTurn => "Same turn",
    }
}

impl CooccurrenceView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        cat: &Catalog,
        scope: &mut ScopeEditor,
        subset: &mut CodeSubset,
    ) {
        ui.horizontal_wrapped(|ui| {
            combo(
                ui,
                "cooccurrence-mode",
                "Mode",
                mode_label(self.mode),
                |ui| {
                    for m in [CooccurrenceMode::Overlap, CooccurrenceMode::SameTurn] {
                        ui.selectable_value(&mut self.mode, m, mode_label(m));
                    }
                },
            );
            combo(
                ui,
                "cooccurrence-measure",
                "Show",
                measure_label(self.measure),
                |ui| {
                    for m in [Measure::Counts, Measure::Jaccard] {
                        ui.selectable_value(&mut self.measure, m, measure_label(m));
                    }
                },
            );
            ui.checkbox(&mut self.hide_unused, "Hide unused codes");
            ui.separator();
            scope.ui(ui, cat);
        });
        subset.ui(ui, cat);
        let key = Key {
            revision: sh.revision,
            mode: self.mode,
            codes: subset.codes(cat),
            scope: scope.clone(),
        };
        if self.key.as_ref() != Some(&key) {
            self.result = sh.project.as_ref().map(|p| {
                p.cooccurrence(&key.codes, key.mode, &key.scope.scope())
                    .map_err(|e| capitalised(&e.to_string()))
            });
            self.key = Some(key);
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
        let shown: Vec<usize> = (0..m.codes.len())
            .filter(|&i| !self.hide_unused || m.cells[i].iter().any(|&n| n > 0))
            .collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(match self.mode {
                CooccurrenceMode::Overlap => {
                    "Cells: regions of text coded with both codes; diagonal: codings of the code."
                }
                CooccurrenceMode::SameTurn => {
                    "Cells: speaker turns coded with both codes; diagonal: turns coded with the code."
                }
            });
            ui.separator();
            self.csv
                .ui(ui, sh, &CsvNames::MAIN, "cooccurrence.csv", || {
                    let mut rows = vec![
                        std::iter::once("code".to_owned())
                            .chain(shown.iter().map(|&j| m.codes[j].clone()))
                            .collect::<Vec<_>>(),
                    ];
                    for &i in &shown {
                        rows.push(
                            std::iter::once(m.codes[i].clone())
                                .chain(shown.iter().map(|&j| m.cells[i][j].to_string()))
                                .collect(),
                        );
                    }
                    rows
                });
        });
        if self.measure == Measure::Jaccard {
            ui.label(
                RichText::new(
                    "Normalised: both codes over either code (1.00: always together; 0.00: never). Diagonal: counts.",
                )
                .weak(),
            );
        }
        let mut clicked = None;
        let avail = ui.available_size();
        let side_w = (avail.x * 0.4).clamp(320.0, 560.0);
        let map_w = if self.drill.is_some() {
            (avail.x - side_w - 16.0).max(200.0)
        } else {
            avail.x
        };
        let jaccard = self.measure == Measure::Jaccard;
        let mut close = false;
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                vec2(map_w, avail.y),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    egui::ScrollArea::both()
                        .id_salt("cooccurrence-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            if shown.is_empty() {
                                ui.label(
                                    "No codings yet in this scope: code some text, then come back.",
                                );
                            } else {
                                clicked = heatmap(ui, m, &shown, jaccard);
                            }
                        });
                },
            );
            // The passages of the cell clicked, beside the heatmap.
            if let Some(d) = &mut self.drill {
                ui.separator();
                ui.allocate_ui_with_layout(
                    vec2(ui.available_width(), avail.y),
                    egui::Layout::top_down(egui::Align::Min),
                    |ui| close = !d.side_ui(ui, sh),
                );
            }
        });
        if close {
            self.drill = None;
        }
        if let Some((i, j)) = clicked {
            let (a, b) = (&m.codes[i], &m.codes[j]);
            let (title, expression) = if i == j {
                (format!("Passages coded {a}"), code_expr(a))
            } else {
                (
                    format!("Passages coded {a} and {b}"),
                    format!("{} AND {}", code_expr(a), code_expr(b)),
                )
            };
            let title = match scope.describe() {
                Some(d) => format!("{title} · {d}"),
                None => title,
            };
            let mut d = Drill::new(sh, title, expression, scope.scope());
            if self.mode == CooccurrenceMode::SameTurn && i != j {
                d.empty_note = Some(
                    "The two codes share turns but their codings do not overlap, so no text is coded with both."
                        .into(),
                );
            }
            self.drill = Some(d);
        }
    }
}

/// Shortens a label to `max` chars with a leading or trailing ellipsis.
fn shorten(s: &str, max: usize, keep_end: bool) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_owned();
    }
    if keep_end {
        let tail: String = s.chars().skip(n - (max - 1)).collect();
        format!("…{tail}")
    } else {
        let head: String = s.chars().take(max - 1).collect();
        format!("{head}…")
    }
}

/// Paints the heatmap of the `shown` codes; returns a clicked cell (row, column).
fn heatmap(
    ui: &mut egui::Ui,
    m: &Cooccurrence,
    shown: &[usize],
    jaccard_view: bool,
) -> Option<(usize, usize)> {
    const CELL: f32 = 30.0;
    let font = FontId::proportional(13.0);
    let text_color = ui.visuals().text_color();
    let row_labels: Vec<_> = shown
        .iter()
        .map(|&i| {
            ui.painter()
                .layout_no_wrap(shorten(&m.codes[i], 44, true), font.clone(), text_color)
        })
        .collect();
    let col_labels: Vec<_> = shown
        .iter()
        .map(|&j| {
            let name = m.codes[j].rsplit(" > ").next().unwrap_or(&m.codes[j]);
            ui.painter()
                .layout_no_wrap(shorten(name, 26, false), font.clone(), text_color)
        })
        .collect();
    let label_w = row_labels.iter().map(|g| g.size().x).fold(0.0, f32::max) + 10.0;
    let header_h = col_labels.iter().map(|g| g.size().x).fold(0.0, f32::max) + 10.0;
    let n = shown.len() as f32;
    let (rect, _) = ui.allocate_exact_size(
        vec2(label_w + n * CELL, header_h + n * CELL),
        Sense::hover(),
    );
    let painter = ui.painter_at(rect.expand(2.0));
    let origin = rect.min + vec2(label_w, header_h);
    // Column labels, written upwards.
    for (k, g) in col_labels.into_iter().enumerate() {
        let x = origin.x + k as f32 * CELL + (CELL - g.size().y) / 2.0;
        let pos = pos2(x, origin.y - 5.0);
        painter.add(
            egui::epaint::TextShape::new(pos, g, text_color)
                .with_angle(-std::f32::consts::FRAC_PI_2),
        );
    }
    let max_off = shown
        .iter()
        .flat_map(|&i| {
            shown
                .iter()
                .filter(move |&&j| j != i)
                .map(move |&j| m.cells[i][j])
        })
        .max()
        .unwrap_or(0)
        .max(1);
    // The normalised scale runs to the largest index shown (at least 0.01).
    let max_j = shown
        .iter()
        .flat_map(|&i| {
            shown
                .iter()
                .filter(move |&&j| j != i)
                .map(move |&j| jaccard(m, i, j))
        })
        .fold(0.0f32, f32::max)
        .max(0.01);
    let max_diag = shown
        .iter()
        .map(|&i| m.cells[i][i])
        .max()
        .unwrap_or(0)
        .max(1);
    let base = ui.visuals().extreme_bg_color;
    let hot = if ui.visuals().dark_mode {
        Color32::from_rgb(230, 110, 50)
    } else {
        Color32::from_rgb(200, 60, 30)
    };
    let diag_hot = Color32::from_rgb(90, 120, 170);
    let grid = ui.visuals().widgets.noninteractive.bg_stroke;
    let mut clicked = None;
    for (r, (&i, g)) in shown.iter().zip(row_labels).enumerate() {
        let y = origin.y + r as f32 * CELL;
        painter.galley(
            Pos2::new(origin.x - 6.0 - g.size().x, y + (CELL - g.size().y) / 2.0),
            g,
            text_color,
        );
        for (c, &j) in shown.iter().enumerate() {
            let cell = Rect::from_min_size(pos2(origin.x + c as f32 * CELL, y), Vec2::splat(CELL));
            let count = m.cells[i][j];
            let normalised = jaccard_view && i != j;
            let jac = jaccard(m, i, j);
            let t = if i == j {
                count as f32 / max_diag as f32
            } else if normalised {
                jac / max_j
            } else {
                count as f32 / max_off as f32
            };
            let fill = shade(count, t, base, if i == j { diag_hot } else { hot });
            let id = ui.make_persistent_id(("cooc-cell", i, j));
            let resp = ui.interact(cell.shrink(0.5), id, Sense::click());
            let label = if normalised {
                jaccard_label(&m.codes[i], &m.codes[j], jac, count)
            } else {
                cell_label(&m.codes[i], &m.codes[j], count)
            };
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            painter.rect_filled(cell.shrink(1.0), 2.0, fill);
            if resp.hovered() {
                painter.rect_stroke(
                    cell.shrink(1.0),
                    2.0,
                    ui.visuals().widgets.hovered.fg_stroke,
                    egui::StrokeKind::Inside,
                );
            } else {
                painter.rect_stroke(cell.shrink(1.0), 2.0, grid, egui::StrokeKind::Inside);
            }
            if count > 0 {
                let strong = t > 0.55;
                let (text, size) = if normalised {
                    (format!("{jac:.2}"), 11.0)
                } else {
                    (count.to_string(), 12.0)
                };
                painter.text(
                    cell.center(),
                    egui::Align2::CENTER_CENTER,
                    text,
                    FontId::proportional(size),
                    if strong { Color32::WHITE } else { text_color },
                );
            }
            let what = match (i == j, m.mode) {
                (true, CooccurrenceMode::Overlap) => format!("{count} codings of {}", m.codes[i]),
                (true, CooccurrenceMode::SameTurn) => {
                    format!("{count} turns coded {}", m.codes[i])
                }
                (false, CooccurrenceMode::Overlap) => format!(
                    "{}\n× {}\n{count} overlapping region{}",
                    m.codes[i],
                    m.codes[j],
                    if count == 1 { "" } else { "s" }
                ),
                (false, CooccurrenceMode::SameTurn) => format!(
                    "{}\n× {}\n{count} turn{} with both",
                    m.codes[i],
                    m.codes[j],
                    if count == 1 { "" } else { "s" }
                ),
            };
            let what = if i == j {
                what
            } else {
                format!("{what}\nJaccard {jac:.2} (both over either)")
            };
            let resp = resp
                .on_hover_cursor(egui::CursorIcon::PointingHand)
                .on_hover_text(format!("{what}\nClick to list the passages"));
            if resp.clicked() {
                clicked = Some((i, j));
            }
        }
    }
    ui.add_space(8.0);
    if jaccard_view {
        ui.horizontal(|ui| {
            ui.label("Codes together (Jaccard):");
            for v in jaccard_legend_values(max_j) {
                let (r, _) = ui.allocate_exact_size(Vec2::splat(16.0), Sense::hover());
                let t = v / max_j;
                let count = usize::from(v > 0.0);
                ui.painter().rect_filled(r, 2.0, shade(count, t, base, hot));
                ui.painter()
                    .rect_stroke(r, 2.0, grid, egui::StrokeKind::Inside);
                ui.label(format!("{v:.2}"));
            }
        });
    }
    let scales: &[(&str, usize, Color32)] = if jaccard_view {
        &[("A code alone (diagonal):", max_diag, diag_hot)]
    } else {
        &[
            ("Codes together:", max_off, hot),
            ("A code alone (diagonal):", max_diag, diag_hot),
        ]
    };
    for &(what, max, color) in scales {
        ui.horizontal(|ui| {
            ui.label(what);
            for v in legend_values(max) {
                let (r, _) = ui.allocate_exact_size(Vec2::splat(16.0), Sense::hover());
                let t = v as f32 / max as f32;
                ui.painter().rect_filled(r, 2.0, shade(v, t, base, color));
                ui.painter()
                    .rect_stroke(r, 2.0, grid, egui::StrokeKind::Inside);
                ui.label(v.to_string());
            }
        });
    }
    clicked
}

/// A cell's colour: the empty colour for 0, else from light to `hot` by `t` (count / max).
fn shade(count: usize, t: f32, base: Color32, hot: Color32) -> Color32 {
    if count == 0 {
        base
    } else {
        base.lerp_to_gamma(hot, 0.2 + 0.8 * t)
    }
}

/// The values the legend shows for a scale up to `max`: 0, then up to
/// four evenly spaced whole numbers ending at `max`.
pub(in crate::gui) fn legend_values(max: usize) -> Vec<usize> {
    let mut v = vec![0];
    for k in 1..=4 {
        let x = (max * k).div_ceil(4);
        if x > *v.last().unwrap_or(&0) {
            v.push(x);
        }
    }
    v
}

/// The values the normalised legend shows: 0, then four steps to `max`
/// (rounded to hundredths, as the cells show them).
pub(in crate::gui) fn jaccard_legend_values(max: f32) -> Vec<f32> {
    let mut v = vec![0.0];
    for k in 1..=4 {
        let x = (max * k as f32 / 4.0 * 100.0).round() / 100.0;
        if x > *v.last().unwrap_or(&0.0) {
            v.push(x);
        }
    }
    v
}
