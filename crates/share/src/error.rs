//! Why sharing or syncing failed.

/// Result alias for the share crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error of the share crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The project file (the local replica).
    #[error(transparent)]
    Store(#[from] storyloom_store::Error),
    /// A shared-project address that cannot be used.
    #[error("{0}")]
    Locator(String),
    /// The server could not be reached or refused (the connection is lost:
    /// the sync goes offline and retries).
    #[error("PostgreSQL server: {0}")]
    Server(String),
    /// The server holds something else than expected (another project, a
    /// newer format, nothing shared there).
    #[error("{0}")]
    Shared(String),
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        // The message never holds the password: the client does not echo it.
        let detail = e
            .as_db_error()
            .map(|d| d.message().to_owned())
            .unwrap_or_else(|| with_causes(&e));
        Error::Server(detail)
    }
}

impl Error {
    /// A lost or refused connection (retry later), not a wrong request.
    pub fn is_offline(&self) -> bool {
        matches!(self, Error::Server(_))
    }
}

/// An error's message followed by its causes ("error performing TLS
/// handshake: invalid peer certificate: ..."), so the reason reaches the user.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}
