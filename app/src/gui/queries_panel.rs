//! Queries over codings, in five sub-tabs: coding retrieval by code
//! expression, a co-occurrence heatmap, code × participant and code ×
//! attribute matrices, and code frequencies with a bar chart.
//!
//! Retrieval, co-occurrence and the matrices share one scope (role,
//! participant, attribute conditions) and the matrices share one code subset.
//! Clicking a heatmap cell, a matrix cell or a frequency row retrieves the
//! passages behind the number and lists them below; every passage row opens
//! its document with the passage selected. Every table can be saved as CSV.
//! Results are computed when a tab is shown and again when the project changes.

pub(in crate::gui) mod csv_save;
mod frequencies;
mod heatmap;
mod matrix;
mod passages;
mod scope;
mod side_passages;
#[cfg(test)]
mod tests;

use super::shared::Shared;
use csv_save::{CsvNames, CsvSaver};
use egui::RichText;
use frequencies::FrequenciesView;
use heatmap::CooccurrenceView;
use matrix::MatrixView;
use passages::{passages_csv, passages_table};
use scope::ScopeEditor;
use std::collections::BTreeSet;
use std::path::PathBuf;
use storyloom_project::Code;
use storyloom_project::project::QueryHit;

/// The sub-tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryTab {
    #[default]
    Retrieval,
    Cooccurrence,
    ByParticipant,
    ByAttribute,
    Frequencies,
}

impl QueryTab {
    pub const ALL: [QueryTab; 5] = [
        QueryTab::Retrieval,
        QueryTab::Cooccurrence,
        QueryTab::ByParticipant,
        QueryTab::ByAttribute,
        QueryTab::Frequencies,
    ];

    pub fn label(self) -> &'static str {
        match self {
            QueryTab::Retrieval => "Coding retrieval",
            QueryTab::Cooccurrence => "Co-occurrence",
            QueryTab::ByParticipant => "Code × participant",
            QueryTab::ByAttribute => "Code × attribute",
            QueryTab::Frequencies => "Frequencies",
        }
    }
}

/// Codes, attributes and participants read from the project for the controls.
#[derive(Default)]
pub(super) struct Catalog {
    revision: Option<u64>,
    /// The codebook in tree order.
    pub codes: Vec<Code>,
    /// Attribute names with the values participants have, sorted.
    pub attributes: Vec<(String, Vec<String>)>,
    /// Participant ids.
    pub participants: Vec<String>,
}

impl Catalog {
    fn load(sh: &mut Shared) -> Catalog {
        let codes = sh.read(|p| p.codes()).unwrap_or_default();
        let people = sh.read(|p| p.participants()).unwrap_or_default();
        let attributes = sh
            .read(|p| p.attributes())
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let key = a.name.to_lowercase();
                let values: BTreeSet<String> = people
                    .iter()
                    .flat_map(|p| &p.attributes)
                    .filter(|(n, v)| n.to_lowercase() == key && !v.trim().is_empty())
                    .map(|(_, v)| v.clone())
                    .chain(a.choices.iter().cloned())
                    .collect();
                (a.name, values.into_iter().collect())
            })
            .collect();
        Catalog {
            revision: Some(sh.revision),
            codes,
            attributes,
            participants: people.into_iter().map(|p| p.id).collect(),
        }
    }

    pub fn values_of(&self, attribute: &str) -> &[String] {
        self.attributes
            .iter()
            .find(|(n, _)| n == attribute)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// Which codes the co-occurrence and the matrices cover: all, or a chosen few.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CodeSubset {
    /// Code paths; `None` means every code.
    pub chosen: Option<BTreeSet<String>>,
}

impl CodeSubset {
    /// The codes to pass to the API (empty = all).
    pub fn codes(&self, cat: &Catalog) -> Vec<String> {
        match &self.chosen {
            None => Vec::new(),
            // Keep codebook order.
            Some(set) => cat
                .codes
                .iter()
                .map(|c| c.path_string())
                .filter(|p| set.contains(p))
                .collect(),
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, cat: &Catalog) {
        let title = match &self.chosen {
            None => "Codes: all".to_owned(),
            Some(s) => format!("Codes: {} of {}", s.len(), cat.codes.len()),
        };
        egui::CollapsingHeader::new(title)
            .id_salt("query-code-subset")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("All codes").clicked() {
                        self.chosen = None;
                    }
                    if ui.button("No codes").clicked() {
                        self.chosen = Some(BTreeSet::new());
                    }
                });
                egui::ScrollArea::vertical()
                    .id_salt("query-code-subset-list")
                    .max_height(200.0)
                    .show(ui, |ui| {
                        for c in &cat.codes {
                            let path = c.path_string();
                            let mut on = self.chosen.as_ref().is_none_or(|s| s.contains(&path));
                            let indent = (c.path.len().saturating_sub(1)) as f32 * 16.0;
                            ui.horizontal(|ui| {
                                ui.add_space(indent);
                                if ui.checkbox(&mut on, &path).changed() {
                                    let set = self.chosen.get_or_insert_with(|| {
                                        cat.codes.iter().map(|c| c.path_string()).collect()
                                    });
                                    if on {
                                        set.insert(path.clone());
                                    } else {
                                        set.remove(&path);
                                    }
                                }
                            });
                        }
                    });
            });
    }
}

/// Coding retrieval: a code expression, "each coding", the scope, and the passages.
#[derive(Default)]
pub(super) struct Retrieval {
    pub expression: String,
    pub each_coding: bool,
    pub hits: Option<Vec<QueryHit>>,
    pub error: Option<String>,
    /// What the shown passages were retrieved with, to run again after a change.
    ran: Option<(String, bool, ScopeEditor, u64)>,
    csv: CsvSaver,
}

impl Retrieval {
    fn run(&mut self, sh: &mut Shared, scope: &ScopeEditor) {
        self.ran = Some((
            self.expression.clone(),
            self.each_coding,
            scope.clone(),
            sh.revision,
        ));
        let Some(p) = sh.project.as_ref() else {
            return;
        };
        let mut scope = scope.scope();
        scope.coders = sh.shown_coder().into_iter().collect();
        match p.query_codings(&self.expression, &scope, self.each_coding) {
            Ok(h) => {
                self.hits = Some(h);
                self.error = None;
            }
            Err(e) => {
                self.hits = None;
                self.error = Some(capitalised(&e.to_string()));
            }
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, cat: &Catalog, scope: &mut ScopeEditor) {
        if let Some((expr, each, sc, rev)) = &self.ran
            && *rev != sh.revision
        {
            let (expr, each, sc) = (expr.clone(), *each, sc.clone());
            let (typed, typed_each) = (
                std::mem::replace(&mut self.expression, expr),
                self.each_coding,
            );
            self.each_coding = each;
            self.run(sh, &sc);
            self.expression = typed;
            self.each_coding = typed_each;
        }
        let mut run = false;
        ui.horizontal(|ui| {
            let label = ui.label("Code expression");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.expression)
                        .hint_text("Belonging AND \"Loss and loneliness\"")
                        .desired_width((ui.available_width() - 260.0).max(200.0)),
                )
                .labelled_by(label.id);
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                run = true;
            }
            let l = ui.label("Insert code");
            egui::ComboBox::from_id_salt("retrieval-insert-code")
                .selected_text("…")
                .height(400.0)
                .show_ui(ui, |ui| {
                    for c in &cat.codes {
                        if ui.selectable_label(false, c.path_string()).clicked() {
                            let e = self.expression.trim_end();
                            let op = if e.is_empty() || e.ends_with('(') || ends_with_operator(e) {
                                ""
                            } else {
                                " AND"
                            };
                            self.expression = format!("{e}{op} {}", code_expr(&c.path_string()))
                                .trim_start()
                                .to_owned();
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if let Some(err) = &self.error {
            ui.label(RichText::new(err).color(ui.visuals().error_fg_color));
        }
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.each_coding, "Each coding")
                .on_hover_text(
                    "List every coding whole instead of merging overlapping text into passages",
                );
            ui.separator();
            scope.ui(ui, cat);
            ui.separator();
            if ui.button("Run").clicked() {
                run = true;
            }
        });
        ui.label(
            RichText::new(
                "AND = text coded with both, OR = either, NOT = the first without the second; \
                 parentheses group. A code includes its subcodes.",
            )
            .weak(),
        );
        if run {
            self.run(sh, scope);
        }
        ui.separator();
        let Some(hits) = &self.hits else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            let n = hits.len();
            let what = match (self.each_coding, n == 1) {
                (true, true) => "coding",
                (true, false) => "codings",
                (false, true) => "passage",
                (false, false) => "passages",
            };
            ui.label(RichText::new(format!("{n} {what}")).strong());
            ui.separator();
            self.csv
                .ui(ui, sh, &CsvNames::MAIN, "coding-retrieval.csv", || {
                    passages_csv(hits)
                });
        });
        if let Some((doc, start, end)) = passages_table(ui, "retrieval-table", hits, true) {
            sh.jump_to(&doc, start, end);
        }
    }
}

#[derive(Default)]
pub struct QueriesPanel {
    pub tab: QueryTab,
    catalog: Catalog,
    project_path: Option<PathBuf>,
    scope: ScopeEditor,
    subset: CodeSubset,
    pub(super) retrieval: Retrieval,
    cooccurrence: CooccurrenceView,
    by_participant: MatrixView,
    by_attribute: MatrixView,
    frequencies: FrequenciesView,
}

impl QueriesPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let path = sh.project.as_ref().map(|p| p.path().to_owned());
        if path != self.project_path {
            *self = QueriesPanel {
                tab: self.tab,
                project_path: path,
                ..Default::default()
            };
        }
        if sh.project.is_none() {
            ui.label("Open or create a project to query its codings.");
            return;
        }
        if self.catalog.revision != Some(sh.revision) {
            self.catalog = Catalog::load(sh);
            self.scope.keep_known(&self.catalog);
        }
        ui.horizontal(|ui| {
            for t in QueryTab::ALL {
                ui.selectable_value(&mut self.tab, t, t.label());
            }
        });
        ui.separator();
        let cat = &self.catalog;
        match self.tab {
            QueryTab::Retrieval => self.retrieval.ui(ui, sh, cat, &mut self.scope),
            QueryTab::Cooccurrence => {
                self.cooccurrence
                    .ui(ui, sh, cat, &mut self.scope, &mut self.subset)
            }
            QueryTab::ByParticipant => {
                self.by_participant
                    .ui(ui, sh, cat, &mut self.scope, &mut self.subset, false)
            }
            QueryTab::ByAttribute => {
                self.by_attribute
                    .ui(ui, sh, cat, &mut self.scope, &mut self.subset, true)
            }
            QueryTab::Frequencies => self.frequencies.ui(ui, sh),
        }
    }
}

#[cfg(test)]
impl QueriesPanel {
    /// Types a path into the frequencies table's CSV field.
    fn frequencies_csv_path(&mut self, path: &std::path::Path) {
        self.frequencies.csv_path(path);
    }
}

/// A code path as a term of a code expression: each part quoted, so names
/// with AND, OR, NOT, parentheses or hyphens stay one name.
pub(super) fn code_expr(path: &str) -> String {
    path.split(" > ")
        .map(|part| format!("\"{}\"", part.replace('"', "”")))
        .collect::<Vec<_>>()
        .join(" > ")
}

fn ends_with_operator(e: &str) -> bool {
    ["AND", "OR", "NOT", "&", "|", "-"]
        .iter()
        .any(|op| e.ends_with(op))
}

pub(super) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
