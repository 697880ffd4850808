//! Error types of the domain. Every error names what went wrong in words a
//! researcher can act on; file errors always carry the file name.
//!
//! Each lower crate has its own error type; [`Error`] takes each of their
//! variants over with the same message, so callers branch on one enum.

use std::path::PathBuf;
pub use storyloom_import::ImportError;
use storyloom_store::DatabaseError;

/// Result alias for the domain.
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
    /// A name that must be unique is taken (`kind` is "code", "theme"…;
    /// `place` says where, or is empty).
    #[error("there is already a {kind} '{name}'{place}")]
    NameTaken {
        kind: &'static str,
        name: String,
        place: &'static str,
    },
    /// What the user typed matches more than one row; the message says how
    /// to be precise.
    #[error("{0}")]
    Ambiguous(String),
    /// Another process holds the project's write lock; nothing was changed
    /// and trying again later may work.
    #[error("{0}")]
    Busy(String),
    /// Someone else changed the same rows since, so undo or redo cannot run.
    #[error("{0}")]
    Conflict(String),
    /// A rule of the project refuses the change (a cycle, a category, the
    /// project itself as a copy…); the message says which.
    #[error("{0}")]
    Refused(String),
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
    Sql(DatabaseError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{path}: {reason}")]
    Csv { path: String, reason: String },
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// Sharing or syncing with the PostgreSQL server (see `storyloom-share`).
    #[error("{0}")]
    Share(String),
}

impl From<storyloom_share::Error> for Error {
    fn from(e: storyloom_share::Error) -> Error {
        match e {
            storyloom_share::Error::Store(e) => e.into(),
            other => Error::Share(other.to_string()),
        }
    }
}

impl From<storyloom_store::Error> for Error {
    fn from(e: storyloom_store::Error) -> Error {
        use storyloom_store::Error as S;
        match e {
            S::NotAProject { path, reason } => Error::NotAProject { path, reason },
            S::NewerVersion {
                path,
                found,
                supported,
            } => Error::NewerVersion {
                path,
                found,
                supported,
            },
            S::AlreadyExists(p) => Error::AlreadyExists(p),
            S::NoSuchProject(p) => Error::NoSuchProject(p),
            S::UnknownDocument(k) => Error::UnknownDocument(k),
            S::UnknownCode(k) => Error::UnknownCode(k),
            S::UnknownTheme(k) => Error::UnknownTheme(k),
            S::UnknownCoding(k) => Error::UnknownCoding(k),
            S::UnknownMemo(k) => Error::UnknownMemo(k),
            S::UnknownReviewItem(k) => Error::UnknownReviewItem(k),
            S::NameTaken { kind, name, place } => Error::NameTaken { kind, name, place },
            S::Ambiguous(m) => Error::Ambiguous(m),
            S::Busy(m) => Error::Busy(m),
            S::Conflict(m) => Error::Conflict(m),
            S::Refused(m) => Error::Refused(m),
            S::Invalid(m) => Error::Invalid(m),
            S::Sql(e) => Error::Sql(e),
            S::Io(e) => Error::Io(e),
        }
    }
}

impl From<storyloom_search::Error> for Error {
    fn from(e: storyloom_search::Error) -> Error {
        match e {
            storyloom_search::Error::Search(e) => Error::Search(e),
            storyloom_search::Error::Store(e) => e.into(),
        }
    }
}

impl From<storyloom_stories::Error> for Error {
    fn from(e: storyloom_stories::Error) -> Error {
        use storyloom_stories::Error as S;
        match e {
            S::Csv { path, reason } => Error::Csv { path, reason },
            S::Invalid(m) => Error::Invalid(m),
            S::Io(e) => Error::Io(e),
        }
    }
}
