//! Rows the store reads for search (defined here, filled in `store::search_rows`).

use crate::model::Role;

/// The live version of a live document, as the search index stamps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveVersion {
    pub doc_id: i64,
    pub version_id: i64,
    /// Changes when the version, or any of its turns' ids, speakers or bounds, changes.
    pub fingerprint: u64,
}

/// A turn to index or scan.
#[derive(Debug, Clone)]
pub(crate) struct SearchTurn {
    pub turn_id: i64,
    pub speaker_id: i64,
    pub seq: i64,
    pub start: usize,
    pub end: usize,
}

/// What a hit shows about its turn.
#[derive(Debug, Clone)]
pub(crate) struct HitRow {
    pub turn_id: i64,
    pub turn_uuid: String,
    pub seq: usize,
    pub start: usize,
    pub end: usize,
    pub start_ms: Option<i64>,
    pub speaker: String,
    pub role: Role,
    pub participant: Option<String>,
    pub doc_uuid: String,
    pub doc_name: String,
    /// The turn's speech.
    pub text: String,
}
