//! Error types of the domain. Every error names what went wrong in words a
//! researcher can act on; file errors always carry the file name.

use std::path::PathBuf;

/// Result alias for the domain.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why one file could not be imported. Always reported with the file name.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is {size} bytes; files over {limit} bytes are refused (a ten-hour transcript is about 1 MB)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "unsupported file type '{0}' (Storyloom imports .txt, .md, .docx, .odt, .vtt and .srt)"
    )]
    UnsupportedFormat(String),
    #[error("this does not look like text: it contains binary data")]
    Binary,
    #[error("the text is not valid UTF-8 (at byte {0}); save it as UTF-8 and import again")]
    InvalidUtf8(usize),
    #[error("not a valid {format} file: {reason}")]
    Corrupt {
        format: &'static str,
        reason: String,
    },
    #[error(
        "the archive entry '{entry}' would inflate past {limit} bytes; refused as a possible zip bomb"
    )]
    ZipBomb { entry: String, limit: u64 },
    #[error(
        "the XML declares a DOCTYPE (entities); refused for safety: Word and LibreOffice never write one"
    )]
    XmlDoctype,
    #[error("line {line}: {reason}")]
    Caption { line: usize, reason: String },
    #[error("no transcript text was found in the file")]
    NoText,
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Every error the domain returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not a Storyloom project ({reason})")]
    NotAProject { path: PathBuf, reason: String },
    #[error(
        "{path}: made by a newer Storyloom (project format {found}; this build reads up to {supported}). Update Storyloom to open it; the file was left untouched."
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{0}: a file already exists there")]
    AlreadyExists(PathBuf),
    #[error("{0}: no such project file")]
    NoSuchProject(PathBuf),
    #[error("{file}: {problem}")]
    Import {
        file: String,
        // Not a `source`: the message already says it, and error chains
        // (`{e:#}`) would print it twice.
        problem: ImportError,
    },
    #[error("no document matches '{0}'")]
    UnknownDocument(String),
    #[error("no speaker '{label}' in document '{document}'")]
    UnknownSpeaker { document: String, label: String },
    #[error("no participant matches '{0}'")]
    UnknownParticipant(String),
    #[error("no code matches '{0}'")]
    UnknownCode(String),
    #[error("no theme matches '{0}'")]
    UnknownTheme(String),
    #[error("no coding matches '{0}'")]
    UnknownCoding(String),
    #[error("no memo matches '{0}'")]
    UnknownMemo(String),
    #[error("no review item matches '{0}'")]
    UnknownReviewItem(String),
    #[error("{document}: the range {start}..{end} is outside the text ({chars} characters)")]
    OutOfRange {
        document: String,
        start: usize,
        end: usize,
        chars: usize,
    },
    #[error(
        "{document}: the text was corrected since (you gave version {given}, the current version is {current}); reload and try again"
    )]
    StaleVersion {
        document: String,
        given: i64,
        current: i64,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("project database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{path}: {reason}")]
    Csv { path: String, reason: String },
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}
