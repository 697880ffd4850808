//! Search: full-text search over the speaker turns of every live document.
//!
//! A labelled query box (Enter runs), regex mode, relevance or document
//! order, a collapsible syntax help, and optional role, participant and
//! document filters that go to the search as `field:value` filters (through
//! [`SearchOptions::filter`], so error columns still point into what was
//! typed). Each hit is a card (document, turn, speaker, time, highlighted
//! snippet); clicking it opens the document with the first match selected.
//! Results stay when switching tabs and are refreshed when the project changes.

use super::shared::Shared;
use super::widgets::{combo, participant_filter, role_filter};
use egui::text::LayoutJob;
use egui::{Color32, RichText, Sense, TextFormat, UiBuilder};
use std::path::PathBuf;
use storyloom_coding::Role;
use storyloom_coding::search::{
    IndexAction, SearchError, SearchHit, SearchOptions, SearchOrder, SearchResults,
};

/// How many hits a search shows at first, and how many more each "Show more" adds.
const PAGE: usize = 100;

/// Lists read from the project for the filter controls and the help.
#[derive(Default)]
struct Catalog {
    revision: Option<u64>,
    fields: Vec<String>,
    /// Participant ids (`P01`).
    participants: Vec<String>,
    /// Documents as (uuid, name).
    documents: Vec<(String, String)>,
}

/// What a search was run with, kept to run it again when the project changes.
#[derive(Debug, Clone, PartialEq)]
struct Ran {
    query: String,
    options: SearchOptions,
    revision: u64,
}

#[derive(Default)]
pub struct SearchPanel {
    pub query: String,
    pub regex: bool,
    pub order: SearchOrder,
    /// Filters appended to the search: role, participant id, document uuid.
    pub role: Option<Role>,
    pub participant: Option<String>,
    pub document: Option<String>,
    limit: Option<usize>,
    pub results: Option<SearchResults>,
    /// Why the last search could not run (shown in red under the box).
    pub error: Option<String>,
    ran: Option<Ran>,
    catalog: Catalog,
    project_path: Option<PathBuf>,
}

impl SearchPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        self.follow_project(sh);
        if sh.project.is_none() {
            ui.label("Open or create a project to search its transcripts.");
            return;
        }
        self.query_ui(ui, sh);
        ui.separator();
        self.results_ui(ui, sh);
    }

    /// Clears everything when another project is opened, reloads the lists
    /// when the project changed, and refreshes the results.
    fn follow_project(&mut self, sh: &mut Shared) {
        let path = sh.project.as_ref().map(|p| p.path().to_owned());
        if path != self.project_path {
            *self = SearchPanel {
                query: std::mem::take(&mut self.query),
                regex: self.regex,
                order: self.order,
                project_path: path,
                ..Default::default()
            };
        }
        if self.catalog.revision != Some(sh.revision) {
            self.catalog = Catalog {
                revision: Some(sh.revision),
                fields: sh.read(|p| p.search_fields()).unwrap_or_default(),
                participants: sh
                    .read(|p| p.participants())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| p.id)
                    .collect(),
                documents: sh
                    .read(|p| p.documents())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|d| (d.uuid, d.name))
                    .collect(),
            };
            // A filter on something that no longer exists is dropped.
            if let Some(p) = &self.participant
                && !self.catalog.participants.contains(p)
            {
                self.participant = None;
            }
            if let Some(d) = &self.document
                && !self.catalog.documents.iter().any(|(u, _)| u == d)
            {
                self.document = None;
            }
        }
        if let Some(ran) = &self.ran
            && ran.revision != sh.revision
        {
            let ran = ran.clone();
            self.execute(sh, ran.query, ran.options);
        }
    }

    /// The role, participant and document filters in the query syntax.
    pub fn filter(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(r) = self.role {
            parts.push(format!("role:{}", r.as_str()));
        }
        if let Some(p) = &self.participant {
            parts.push(format!("participant:{}", quoted(p)));
        }
        if let Some(d) = &self.document {
            parts.push(format!("doc:{}", quoted(d)));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    fn options(&self) -> SearchOptions {
        SearchOptions {
            limit: self.limit.unwrap_or(PAGE),
            regex: self.regex,
            order: self.order,
            filter: self.filter(),
        }
    }

    /// Runs the query as it stands in the box.
    pub fn run(&mut self, sh: &mut Shared) {
        self.limit = None;
        let options = self.options();
        self.execute(sh, self.query.clone(), options);
    }

    fn execute(&mut self, sh: &mut Shared, query: String, options: SearchOptions) {
        self.ran = Some(Ran {
            query: query.clone(),
            options: options.clone(),
            revision: sh.revision,
        });
        let Some(p) = sh.project.as_mut() else {
            self.error = Some("Open or create a project first (File menu).".into());
            self.results = None;
            return;
        };
        match p.search(&query, &options) {
            Ok(r) => {
                self.results = Some(r);
                self.error = None;
            }
            Err(e) => {
                let text = e.to_string();
                // A broken index is not the query's fault: say so in the notices too.
                if matches!(
                    e,
                    storyloom_coding::Error::Search(SearchError::Index(_))
                        | storyloom_coding::Error::Sql(_)
                        | storyloom_coding::Error::Io(_)
                ) {
                    sh.error(format!("Search failed: {text}"));
                }
                self.error = Some(capitalised(&text));
                self.results = None;
            }
        }
    }

    fn query_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
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

    fn results_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(results) = &self.results else {
            if self.error.is_none() {
                ui.label("Type a query and press Enter.");
            }
            return;
        };
        let mut more = false;
        ui.horizontal(|ui| {
            let turns = if results.total == 1 { "turn" } else { "turns" };
            ui.label(RichText::new(format!("{} {turns} match", results.total)).strong());
            ui.label(format!("· {} ms", results.took_ms));
            if results.hits.len() < results.total {
                ui.label(format!("· showing the first {}", results.hits.len()));
                more = ui.button("Show more").clicked();
            }
            if let Some(status) = &results.index_status
                && let IndexAction::Built { .. } = status.action
            {
                ui.label(RichText::new(format!("· index built ({} turns)", status.turns)).weak());
            }
        });
        let mut jump = None;
        egui::ScrollArea::vertical()
            .id_salt("search-results")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, hit) in results.hits.iter().enumerate() {
                    if hit_card(ui, i, hit) {
                        jump = Some(hit_range(hit));
                    }
                    ui.add_space(4.0);
                }
            });
        if let Some((doc, start, end)) = jump {
            sh.jump_to(&doc, start, end);
        }
        if more && let Some(ran) = self.ran.clone() {
            let mut options = ran.options;
            options.limit += PAGE;
            self.limit = Some(options.limit);
            self.execute(sh, ran.query, options);
        }
    }
}

/// The accessible name of a hit's card (what tests and screen readers click).
pub fn hit_label(i: usize, hit: &SearchHit) -> String {
    format!(
        "Hit {}: {}, turn {}",
        i + 1,
        hit.document_name,
        hit.turn_seq
    )
}

/// Where a hit jumps to: its first match, or the whole turn for a filter-only search.
fn hit_range(hit: &SearchHit) -> (String, usize, usize) {
    let (start, end) = hit
        .matches
        .first()
        .copied()
        .unwrap_or((hit.turn_start, hit.turn_end));
    (hit.document.clone(), start, end)
}

/// Shows one hit as a clickable card; true when it was clicked.
fn hit_card(ui: &mut egui::Ui, i: usize, hit: &SearchHit) -> bool {
    let response = ui
        .scope_builder(
            UiBuilder::new()
                .id_salt(("search-hit", i))
                .sense(Sense::click()),
            |ui| {
                ui.style_mut().interaction.selectable_labels = false;
                let hovered = ui.response().hovered();
                let visuals = ui.visuals();
                let frame = egui::Frame::group(ui.style())
                    .inner_margin(8.0)
                    .fill(if hovered {
                        visuals.widgets.hovered.weak_bg_fill
                    } else {
                        visuals.faint_bg_color
                    })
                    .stroke(if hovered {
                        visuals.widgets.hovered.bg_stroke
                    } else {
                        visuals.widgets.noninteractive.bg_stroke
                    });
                frame.show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&hit.document_name).strong());
                        ui.label(format!("turn {}", hit.turn_seq));
                        let who = match &hit.participant {
                            Some(p) => format!("{} ({p})", hit.speaker),
                            None => hit.speaker.clone(),
                        };
                        ui.label(RichText::new(who).italics());
                        if let Some(ms) = hit.start_ms {
                            ui.label(RichText::new(timestamp(ms)).monospace().weak());
                        }
                    });
                    ui.label(snippet_job(ui, &hit.snippet, &hit.snippet_matches));
                });
            },
        )
        .response;
    let label = hit_label(i, hit);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text("Open in the document")
        .clicked()
}

/// The snippet with its matches on a highlight background.
pub fn snippet_job(ui: &egui::Ui, snippet: &str, matches: &[(usize, usize)]) -> LayoutJob {
    let font_id = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let highlight = if ui.visuals().dark_mode {
        Color32::from_rgb(120, 95, 20)
    } else {
        Color32::from_rgb(255, 226, 120)
    };
    let strong = ui.visuals().strong_text_color();
    // Char offsets to byte offsets (one past the end included).
    let bytes: Vec<usize> = snippet
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(snippet.len()))
        .collect();
    let at = |c: usize| bytes[c.min(bytes.len() - 1)];
    let mut ranges: Vec<(usize, usize)> = matches.iter().copied().filter(|(s, e)| s < e).collect();
    ranges.sort_unstable();
    let mut job = LayoutJob::default();
    let plain = TextFormat {
        font_id: font_id.clone(),
        color,
        ..Default::default()
    };
    let marked = TextFormat {
        font_id,
        color: strong,
        background: highlight,
        ..Default::default()
    };
    let mut pos = 0;
    for (s, e) in ranges {
        let s = s.max(pos);
        if s >= e {
            continue;
        }
        if s > pos {
            job.append(&snippet[at(pos)..at(s)], 0.0, plain.clone());
        }
        job.append(&snippet[at(s)..at(e)], 0.0, marked.clone());
        pos = e;
    }
    if at(pos) < snippet.len() {
        job.append(&snippet[at(pos)..], 0.0, plain);
    }
    job
}

/// `83_000` → `1:23`; `3_723_000` → `1:02:03`.
pub fn timestamp(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('"', ""))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::shared::CenterTab;
    use crate::gui::tests::{bench_on_sample, harness};
    use egui_kittest::kittest::Queryable as _;

    fn search_tab() -> (
        tempfile::TempDir,
        egui_kittest::Harness<'static, crate::gui::Workbench>,
    ) {
        let (dir, mut bench) = bench_on_sample();
        bench.shared.center = CenterTab::Search;
        (dir, harness(bench))
    }

    fn type_query(h: &mut egui_kittest::Harness<'static, crate::gui::Workbench>, q: &str) {
        h.get_by_label("Search query").focus();
        h.run();
        h.get_by_label("Search query").type_text(q);
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
    }

    #[test]
    fn typing_a_query_and_enter_shows_hits_and_a_click_jumps_to_the_match() {
        let (_dir, mut h) = search_tab();
        type_query(&mut h, "choir");
        let results = h.state().search.results.clone().expect("results");
        assert!(results.total > 0, "choir is in the sample");
        assert!(h.state().search.error.is_none());
        assert!(
            h.query_by_label_contains(&format!("{} turn", results.total))
                .is_some()
        );
        let hit = results.hits[0].clone();
        let label = hit_label(0, &hit);
        h.get_by_label(&label).click();
        h.run();
        let sh = &h.state().shared;
        assert_eq!(sh.center, CenterTab::Document);
        assert_eq!(sh.open_document.as_deref(), Some(hit.document.as_str()));
        // The document view takes the request and selects the range.
        let (start, end) = match &sh.jump {
            Some(j) => (j.start, j.end),
            None => {
                let sel = sh.selection.clone().expect("the match is selected");
                assert_eq!(sel.document, hit.document);
                (sel.start, sel.end)
            }
        };
        assert_eq!((start, end), hit.matches[0]);
        // The selected text is the word searched for.
        let doc = sh
            .project
            .as_ref()
            .unwrap()
            .document(&hit.document)
            .unwrap();
        let found: String = doc.text.chars().skip(start).take(end - start).collect();
        assert!(found.to_lowercase().starts_with("choir"), "{found}");
    }

    #[test]
    fn a_malformed_query_shows_the_error_under_the_box() {
        let (_dir, mut h) = search_tab();
        type_query(&mut h, "\"bus pass");
        let err = h.state().search.error.clone().expect("an error");
        assert!(err.starts_with("Unclosed quote"), "{err}");
        assert!(h.query_by_label(&err).is_some(), "shown inline");
        assert!(h.state().search.results.is_none());
        // An unknown field names the valid ones.
        h.state_mut().search.query.clear();
        h.run();
        h.get_by_label("Search query").focus();
        h.run();
        h.get_by_label("Search query").type_text("colour:red");
        h.run();
        h.get_by_label("Run search").click();
        h.run();
        let err = h.state().search.error.clone().expect("an error");
        assert!(err.starts_with("Unknown field 'colour'"), "{err}");
        assert!(err.contains("participant"), "{err}");
        assert!(
            h.query_by_label_contains("Unknown field 'colour'")
                .is_some()
        );
        // Errors in the query are not notices.
        assert!(h.state().shared.notices.is_empty());
    }

    #[test]
    fn regex_mode_finds_patterns_and_the_role_filter_narrows() {
        let (_dir, mut h) = search_tab();
        h.get_by_label("Regex").click();
        h.run();
        type_query(&mut h, "lonel(y|iness)");
        let r = h.state().search.results.clone().expect("results");
        assert!(h.state().search.error.is_none());
        assert!(r.total > 0);
        assert!(
            r.index_status.is_none(),
            "regex mode does not use the index"
        );
        let doc = h
            .state()
            .shared
            .project
            .as_ref()
            .unwrap()
            .document(&r.hits[0].document)
            .unwrap();
        let (s, e) = r.hits[0].matches[0];
        let m: String = doc.text.chars().skip(s).take(e - s).collect();
        assert!(m.to_lowercase().starts_with("lonel"), "{m}");
        // Only interviewers: fewer (or as many) hits, all of them interviewers.
        h.get_by_label("Role").click();
        h.run();
        h.get_by_label("Interviewers").click();
        h.run();
        assert_eq!(
            h.state().search.filter().as_deref(),
            Some("role:interviewer")
        );
        h.get_by_label("Run search").click();
        h.run();
        let narrowed = h.state().search.results.clone().expect("results");
        assert!(narrowed.total <= r.total);
        assert!(narrowed.hits.iter().all(|x| x.role == Role::Interviewer));
    }

    #[test]
    fn results_stay_when_switching_tabs_and_document_order_sorts() {
        let (_dir, mut h) = search_tab();
        h.get_by_label("Order").click();
        h.run();
        h.get_by_label("Document order").click();
        h.run();
        type_query(&mut h, "bus OR lift*");
        let r = h.state().search.results.clone().expect("results");
        assert!(r.hits.len() > 1);
        h.get_by_label("Queries").click();
        h.run();
        h.get_by_label("Search").click();
        h.run();
        assert_eq!(h.state().search.results.as_ref(), Some(&r));
        assert!(h.query_by_label(&hit_label(0, &r.hits[0])).is_some());
    }

    #[test]
    fn snippets_highlight_matches_by_char_offsets() {
        let ctx = egui::Context::default();
        let mut job = None;
        let mut out = ctx.run_ui(Default::default(), |ui| {
            job = Some(snippet_job(ui, "Café choir, choir!", &[(5, 10), (12, 17)]));
        });
        out.textures_delta.clear();
        let job = job.unwrap();
        let texts: Vec<&str> = job
            .sections
            .iter()
            .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
            .collect();
        assert_eq!(texts, ["Café ", "choir", ", ", "choir", "!"]);
        assert_ne!(job.sections[1].format.background, Color32::TRANSPARENT);
        assert_eq!(job.sections[0].format.background, Color32::TRANSPARENT);
        assert_eq!(timestamp(83_000), "1:23");
        assert_eq!(timestamp(3_723_000), "1:02:03");
    }
}
