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
    /// Selections whose `name` holds their text (ATLAS.ti, QualCoder,
    /// Storyloom) and were compared with it.
    pub names_checked: usize,
    /// Selections counted in another way than the producer's (their names
    /// fitted the text there and nowhere else).
    pub selections_recounted: usize,
    /// Of those, the ones counted in UTF-16 units.
    pub selections_utf16: usize,
    /// Selections whose name reads as their text but fits it in no way of
    /// counting (each is marked in its outcome).
    pub names_mismatched: usize,
    /// The first few of those, described ([`crate::read::MISMATCH_EXAMPLES`]).
    pub name_mismatches: Vec<String>,
    /// Selections whose name reads as a label, not as their text.
    pub names_not_compared: usize,
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
    /// What comparing its name with the text found (`None`: the name is
    /// empty or a position label such as `line:3`).
    pub name_check: Option<NameCheck>,
}

/// What comparing a selection's name with the text at its place found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameCheck {
    /// The name is the text at the producer's place.
    Fits,
    /// The name is the text at the place counted in these units instead.
    Recounted(crate::offsets::Units),
    /// The name reads as a quote but is the text in no way of counting.
    Differs,
    /// The name reads as a label; not compared.
    Label,
}
