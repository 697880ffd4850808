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
}
