//! What importing a REFI-QDA file did: the report the import dialog and the
//! command line show.

use serde::Serialize;

/// What importing a REFI-QDA file did, for the import dialog and the command line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefiImportReport {
    pub file: String,
    /// The producer, as the file says (`NVivo for Windows 12.6`).
    pub origin: String,
    pub project_name: String,
    /// How selection positions were read.
    pub units: String,
    pub codes_created: usize,
    /// Codes whose path was already in the project (kept as they were).
    pub codes_existing: usize,
    pub documents_created: Vec<String>,
    /// Sources whose file is already in the project: their codings go there.
    pub documents_existing: Vec<String>,
    /// Text sources that could not be imported, with the reason.
    pub sources_skipped: Vec<String>,
    pub selections_total: usize,
    pub selections_imported: usize,
    pub codings_imported: usize,
    /// Selections and codings left out, with the reason.
    pub skipped: Vec<String>,
    /// Selections whose `name` holds their text (ATLAS.ti) and were compared.
    pub names_checked: usize,
    /// Selections the producer counted in UTF-16 units though it was taken
    /// to count code points (their names told).
    pub selections_utf16: usize,
    pub name_mismatches: Vec<String>,
    pub participants_created: Vec<String>,
    pub participants_updated: Vec<String>,
    pub attributes: Vec<String>,
    pub speakers_linked: Vec<String>,
    pub memos: usize,
    pub themes: Vec<String>,
    pub coders: Vec<String>,
    /// Everything else worth telling: what the standard carries that Storyloom does not keep.
    pub notes: Vec<String>,
    /// Every text selection and what became of it.
    pub selections: Vec<SelectionOutcome>,
}

/// One `PlainTextSelection` and where it landed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SelectionOutcome {
    pub guid: String,
    /// The source's name.
    pub source: String,
    /// The selection's `name` attribute.
    pub name: String,
    pub start: Option<i64>,
    pub end: Option<i64>,
    /// The document (uuid) and char range it landed on.
    pub document: Option<String>,
    pub range: Option<(usize, usize)>,
    pub quote: Option<String>,
    pub codings: usize,
    pub skipped: Option<String>,
}
