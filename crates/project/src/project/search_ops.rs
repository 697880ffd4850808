//! Full-text search on [`Project`]: the facade owns the index state
//! (`storyloom-search`) and lends it the store for each call.

use super::Project;
use crate::error::Result;
use crate::search::{IndexStatus, SearchOptions, SearchResults};

impl Project {
    /// Searches the live turns. Parses the query first (a malformed query
    /// never touches the index), brings the index up to date, then runs.
    pub fn search(&mut self, query: &str, options: &SearchOptions) -> Result<SearchResults> {
        let started = std::time::Instant::now();
        let mut state = std::mem::take(&mut self.search);
        let out = state.search(self.store(), query, options);
        self.search = state;
        let mut results = out?;
        results.took_ms = started.elapsed().as_millis() as u64;
        Ok(results)
    }

    /// Deletes the index and builds it again from the project.
    pub fn reindex(&mut self) -> Result<IndexStatus> {
        let mut state = std::mem::take(&mut self.search);
        let out = state.rebuild(self.store());
        self.search = state;
        Ok(out?)
    }

    /// The filter fields a query may use: the built-in ones, then one per
    /// participant attribute (spaces written as `_`).
    pub fn search_fields(&self) -> Result<Vec<String>> {
        Ok(crate::search::fields(self.store())?)
    }
}
