//! Why the store refused or failed. The facade (`storyloom-project`) wraps
//! each variant in its own `Error` with the same message.

use std::path::PathBuf;

/// Result alias for the store.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error the store returns.
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
    #[error("no document matches '{0}'")]
    UnknownDocument(String),
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
    #[error("{0}")]
    Invalid(String),
    #[error("project database: {0}")]
    Sql(DatabaseError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A failure of SQLite itself, opaque outside the store (no other crate
/// depends on rusqlite). Its message is SQLite's.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DatabaseError(#[from] rusqlite::Error);

impl DatabaseError {
    /// SQLite's error code, for the store's own messages.
    pub(crate) fn code(&self) -> Option<rusqlite::ErrorCode> {
        self.0.sqlite_error_code()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Sql(DatabaseError(e))
    }
}
