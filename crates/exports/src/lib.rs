//! What leaves Storyloom. Reads the domain through `Project`, never the UI.
//!
//! Today: the speaker turns of documents as CSV, for analysis in a
//! spreadsheet or R. Discussion packs, REFI-QDA and XLSX follow.

pub mod docx;
pub mod gate;
pub mod pack;
pub mod page_gauge;
pub mod refi;
pub mod reports;
pub mod segments;
pub mod segments_xlsx;
pub mod sheet_csv;
pub mod story_check;
pub mod story_docx;
pub mod turns_csv;

pub use page_gauge::{PageEstimate, pages};
pub use sheet_csv::{CsvStyle, SheetCsv};
pub use story_docx::{save_story_docx, write_story_docx};
pub use storyloom_atomic::{AtomicFile, clean_stale_temps, write_atomic};
pub use turns_csv::write_turns_csv;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Domain(#[from] storyloom_project::Error),
    #[error("writing the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the docx: {0}")]
    Docx(String),
    #[error("writing the xlsx: {0}")]
    Xlsx(String),
    /// The privacy gate refused the file (an original or an unreviewed name in it).
    #[error(transparent)]
    Gate(#[from] gate::GateError),
    /// A stakeholder export was asked to write a research-team-only format.
    #[error("{0}")]
    ResearchOnly(String),
}

/// The file name of a research-team-only export: `path` with
/// `-research-team-only` before the extension, unless its name says so
/// already (in any case, with spaces or underscores).
pub fn research_team_path(path: &std::path::Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let said = stem.to_lowercase().replace([' ', '_'], "-");
    if said.contains("research-team-only") {
        return path.to_owned();
    }
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!("{stem}-research-team-only{ext}"))
}

/// Refuses a REFI-QDA target for a stakeholder export (`what`: "the
/// discussion pack"). A `.qdpx` carries the transcripts as said, with real
/// names, and is for the research team only; a stakeholder command never
/// writes one, nor a `.qdc` (the REFI-QDA codebook has its own command).
pub fn stakeholder_target(path: &std::path::Path, what: &str) -> Result<(), ExportError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "qdpx" => Err(ExportError::ResearchOnly(format!(
            "{} was not written: a REFI-QDA project (.qdpx) holds the transcripts as said, with real names, so it is for the research team only and never made by a stakeholder export. Write {what} as the file type it offers (.docx, .csv or .xlsx), or make the research team's copy with `storyloom export qdpx PROJECT OUT.qdpx`",
            path.display()
        ))),
        "qdc" => Err(ExportError::ResearchOnly(format!(
            "{} was not written: a .qdc is a REFI-QDA codebook, made by `storyloom export qdc PROJECT OUT.qdc`; write {what} as the file type it offers (.docx, .csv or .xlsx)",
            path.display()
        ))),
        _ => Ok(()),
    }
}
