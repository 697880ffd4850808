//! Full-text search over turns: a tantivy index kept as derived data beside
//! the project file, plus a regex mode over the texts.

/// The search index of an open project, opened lazily on the first search.
#[derive(Default)]
pub struct SearchState {}
