//! Search: full-text search over the speaker turns of every live document.
//!
//! A labelled query box (Enter runs), regex mode, relevance or document
//! order, a collapsible syntax help, and optional role, participant and
//! document filters that go to the search as `field:value` filters (through
//! [`SearchOptions::filter`], so error columns still point into what was
//! typed). Each hit is a card (document, turn, speaker, time, highlighted
//! snippet); clicking it opens the document with the first match selected.
//! Results stay when switching tabs and are refreshed when the project changes.
//! In blind mode (or with the coder filter) `code:` counts only the shown
//! coder's codings: the other coders' are not found as coded.
//!
//! This file runs searches and keeps their results; [`query`] draws the
//! query box, its controls and help, [`results`] the hit cards.

mod query;
mod results;
#[cfg(test)]
mod tests;

use super::shared::Shared;
use crate::text::capitalised;
use std::path::PathBuf;
use storyloom_project::Role;
use storyloom_project::search::{SearchError, SearchOptions, SearchOrder, SearchResults};

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
    /// Put the keyboard in the query box on the next frame (Ctrl+F).
    pub focus_query: bool,
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
                focus_query: self.focus_query,
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
            let mut ran = ran.clone();
            // Blind mode (or the coder filter) may have changed meanwhile.
            ran.options.coder = sh.shown_coder();
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
            coder: None,
        }
    }

    /// Runs the query as it stands in the box.
    pub fn run(&mut self, sh: &mut Shared) {
        self.limit = None;
        let mut options = self.options();
        // In blind mode `code:` finds only your own codings.
        options.coder = sh.shown_coder();
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
                    storyloom_project::Error::Search(SearchError::Index(_))
                        | storyloom_project::Error::Sql(_)
                        | storyloom_project::Error::Io(_)
                ) {
                    sh.error(format!("Search failed: {text}"));
                }
                self.error = Some(capitalised(&text));
                self.results = None;
            }
        }
    }
}

fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('"', ""))
}
