//! Full-text search over turns: a tantivy index kept as derived data beside
//! the project file, plus a regex mode over the texts.
//!
//! # The index
//!
//! For `/x/study.storyloom` the index lives in `/x/study.storyloom-cache/search/`.
//! It is never trusted: SQLite is the source of truth and the index can be
//! deleted at any time. One tantivy document per turn of each live document
//! version (the `current_version` of each document with `deleted = 0`):
//!
//! | field        | type                         | use                                    |
//! |--------------|------------------------------|----------------------------------------|
//! | `turn_id`    | u64, indexed, fast, stored   | `turns.id`; code filters               |
//! | `doc_id`     | u64, indexed, fast, stored   | `documents.id`; `doc:` filter, deletes |
//! | `version_id` | u64, indexed, fast, stored   | `document_versions.id`                 |
//! | `speaker_id` | u64, indexed, fast, stored   | role, speaker, participant, attributes |
//! | `start_char` | u64, fast, stored            | the turn's start char in the document  |
//! | `order`      | u64, fast                    | `(doc_id << 32) + seq`: document order |
//! | `text`       | text, `en_stem`, positions, stored | words (stemmed)                  |
//! | `exact`      | text, lowercase only, positions    | phrases and prefixes             |
//!
//! **Stamp.** Every commit carries a JSON payload (tantivy's commit payload, so
//! the stamp and the data it describes commit atomically): the schema version,
//! the project's UUID, the project's change counter, and for each indexed
//! document its version id plus a fingerprint of that version's turns (ids,
//! speakers, bounds), so that turn corrections made in place are seen too.
//!
//! **Sync.** Before each search, if the stamp's counter differs from
//! [`Store::change_counter`](storyloom_store::Store::change_counter), the live
//! documents are compared with the stamp: documents that are new, deleted, or
//! whose version or fingerprint changed are deleted from the index (by
//! `doc_id`) and re-added, in one writer session (64 MB heap) and one commit.
//! When nothing indexed changed (a coding was added, say) only the in-memory
//! stamp moves; the next commit persists it.
//!
//! **Rebuild.** A missing, unreadable or checksum-failing index, one of another
//! schema version or of another project is deleted and rebuilt silently; how it
//! was rebuilt is reported in [`IndexStatus`]. If the cache folder cannot be
//! created or written (read-only folder, another window holding the index),
//! the index is built in memory and the status says so.
//!
//! # Filters are resolved at query time
//!
//! Roles, speaker links, participants, attributes and codings change often
//! without the text changing. The index holds only ids; each filter is turned
//! into a set of ids from SQLite when the query runs and applied as a tantivy
//! `TermSetQuery` on an indexed u64 field:
//!
//! - `role:`, `speaker:`, `participant:` and attribute filters → `speaker_id`s;
//! - `doc:` → `doc_id`s;
//! - `code:` → `turn_id`s of turns overlapping a live coding of the code or of
//!   its descendants.
//!
//! So applying a code, linking a speaker or editing an attribute never makes
//! the index stale.
//!
//! # Regex mode
//!
//! With [`SearchOptions::regex`] the whole query string is the pattern (case-
//! insensitive unless it says `(?-i)`), run over the live turns in parallel;
//! the index is not used. Filters then come through [`SearchOptions::filter`],
//! written in the same `field:value` syntax (with AND/OR/NOT, no words).
//! `filter` also applies, ANDed, to ordinary searches.
//!
//! # Rule
//!
//! Reads the project only through the store's search reads (`storyloom-store`)
//! and knows nothing of `Project`: the facade owns a [`SearchState`] and calls
//! [`SearchState::search`] with its store. Depends on `storyloom-text` and
//! `storyloom-store`.

pub mod error;
mod filters;
mod highlight;
mod index;
mod plan;
pub mod query;
mod regex_mode;

pub use error::{Error, Result};
pub use filters::fields;
pub use highlight::SNIPPET_CHARS;
pub use index::SearchState;

use serde::Serialize;
use std::path::{Path, PathBuf};
use storyloom_text::model::Role;

/// How search results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchOrder {
    /// Best matches first (BM25); ties and filter-only queries in document order.
    #[default]
    Score,
    /// Document import order, then turn order.
    Document,
}

/// Options of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// How many hits to return (`total` counts them all).
    pub limit: usize,
    /// The query is a regular expression (see the module docs).
    pub regex: bool,
    pub order: SearchOrder,
    /// Filters in the query syntax, ANDed with the query: `role:participant site:Leeds`.
    /// The only way to filter in regex mode, where it may not contain words.
    /// Error positions for it count from the start of this string.
    pub filter: Option<String>,
    /// Whose codings `code:` filters count: only this coder's (blind mode,
    /// where the other coders' codings must not show as coded), or everyone's.
    pub coder: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 100,
            regex: false,
            order: SearchOrder::Score,
            filter: None,
            coder: None,
        }
    }
}

/// One matching turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The document's UUID.
    pub document: String,
    pub document_name: String,
    pub turn_seq: usize,
    pub turn_uuid: String,
    /// The speaker's label.
    pub speaker: String,
    pub role: Role,
    /// The linked participant's id (`P01`).
    pub participant: Option<String>,
    pub start_ms: Option<i64>,
    /// The turn's speech as a char range of the document text.
    pub turn_start: usize,
    pub turn_end: usize,
    /// Char ranges in the document text of each matched word, phrase or prefix.
    pub matches: Vec<(usize, usize)>,
    /// About 200 chars around the first match, cut at word boundaries, `…` where cut.
    pub snippet: String,
    /// Char ranges of the matches within `snippet`.
    pub snippet_matches: Vec<(usize, usize)>,
    /// BM25 score (regex mode: the number of matches in the turn).
    pub score: f32,
}

/// The hits of a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Every matching turn, not only those returned.
    pub total: usize,
    pub took_ms: u64,
    /// What the index had to do before answering; `None` in regex mode, which does not use it.
    pub index_status: Option<IndexStatus>,
}

/// Where the index is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum IndexLocation {
    Disk {
        path: PathBuf,
    },
    /// In memory only, rebuilt each session, because the folder could not be used.
    Memory {
        reason: String,
    },
}

/// Why the index was built from scratch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum BuildReason {
    /// There was no index yet.
    Missing,
    /// The index could not be read; it was deleted.
    Corrupt { detail: String },
    /// Made by another version of Storyloom's index layout.
    SchemaChanged,
    /// Its stamp names another project (the file was replaced or copied).
    OtherProject,
    /// `reindex` was called.
    Requested,
    /// The index lives in memory (see [`IndexLocation::Memory`]).
    InMemory,
}

/// What bringing the index up to date did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum IndexAction {
    UpToDate,
    /// Documents added (new or changed) and removed (deleted or changed).
    Synced {
        added: usize,
        removed: usize,
    },
    Built {
        reason: BuildReason,
    },
}

/// The state of the index after a search or a reindex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexStatus {
    pub location: IndexLocation,
    pub action: IndexAction,
    /// Documents and turns in the index.
    pub documents: usize,
    pub turns: u64,
    pub took_ms: u64,
}

/// Why a search could not run. Positions are 0-based char offsets into the
/// query; messages show them as 1-based columns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("the search is empty: type a word, a \"phrase\" or a filter such as role:participant")]
    Empty,
    #[error("unclosed quote: the \" at column {} has no closing \"", .position + 1)]
    UnclosedQuote { position: usize },
    #[error("unclosed parenthesis: the ( at column {} has no closing )", .position + 1)]
    UnclosedParen { position: usize },
    #[error("the ) at column {} closes nothing", .position + 1)]
    UnexpectedParen { position: usize },
    #[error("empty parentheses at column {}", .position + 1)]
    EmptyGroup { position: usize },
    #[error("empty phrase \"\" at column {}", .position + 1)]
    EmptyPhrase { position: usize },
    #[error("{operator} at column {} needs something to search on each side", .position + 1)]
    DanglingOperator { operator: String, position: usize },
    #[error("{operator} at column {} must be followed by a word, a \"phrase\", a filter or a (group)", .position + 1)]
    MissingOperand { operator: String, position: usize },
    #[error("the filter {field}: at column {} has no value", .position + 1)]
    EmptyFilter { field: String, position: usize },
    #[error("'{text}' at column {} has no letters or digits to search for", .position + 1)]
    NothingToSearch { text: String, position: usize },
    #[error("unknown field '{field}' at column {}; the fields are: {}", .position + 1, .valid.join(", "))]
    UnknownField {
        field: String,
        position: usize,
        valid: Vec<String>,
    },
    #[error("{field}:{value} at column {}: {reason}", .position + 1)]
    UnknownValue {
        field: String,
        value: String,
        position: usize,
        reason: String,
    },
    #[error("a regex filter may only contain field:value filters, but '{text}' at column {} is a search term", .position + 1)]
    TermInFilter { text: String, position: usize },
    #[error("invalid regular expression: {0}")]
    BadRegex(String),
    #[error("search index: {0}")]
    Index(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

/// The index folder of a project file: `/x/study.storyloom` → `/x/study.storyloom-cache/search`.
pub fn index_dir(project_path: &Path) -> PathBuf {
    let mut name = project_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "project".into());
    name.push("-cache");
    project_path.with_file_name(name).join("search")
}
