//! What a search can fail with: the query or the index ([`SearchError`]), or
//! reading the project. The facade maps both into its own `Error`.

use crate::SearchError;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error this crate returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] storyloom_store::Error),
}
