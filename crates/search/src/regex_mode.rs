//! Regex mode: the whole query is a pattern, run over the live turns in
//! parallel, without the index. Filters come through [`SearchOptions::filter`].

use super::filters::Resolver;
use super::highlight;
use super::query::Expr;
use super::{SearchError, SearchOptions, SearchOrder, SearchResults};
use crate::error::Result;
use rayon::prelude::*;
use storyloom_store::Store;
use storyloom_text::text::CharIndex;

/// Compiled-program and lazy-DFA limits: a pattern that needs more is refused, not run.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
const REGEX_DFA_LIMIT: usize = 8 * 1024 * 1024;

/// Compiles a user's pattern: case-insensitive unless it says `(?-i)`, size-limited.
pub(crate) fn compile(pattern: &str) -> Result<regex::Regex, SearchError> {
    if pattern.trim().is_empty() {
        return Err(SearchError::Empty);
    }
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .build()
        .map_err(|e| SearchError::BadRegex(e.to_string()))
}

/// One matching turn: which document (index into the scanned list), its turn id, match char ranges in the speech.
struct Found {
    turn_id: i64,
    speech: String,
    matches: Vec<(usize, usize)>,
}

pub(crate) fn search(
    store: &Store,
    pattern: &str,
    filter: Option<&Expr>,
    options: &SearchOptions,
) -> Result<SearchResults> {
    let re = compile(pattern)?;
    let cond = match filter {
        Some(f) => Some(Resolver::new(store, options.coder.as_deref()).condition(f)?),
        None => None,
    };
    let mut documents = Vec::new();
    for v in store.search_live_versions(false)? {
        let (text, mut turns) = store.search_version_turns(v.version_id)?;
        if let Some(c) = &cond {
            turns.retain(|t| c.matches(t.turn_id, v.doc_id.get(), t.speaker_id));
        }
        if !turns.is_empty() {
            documents.push((text, turns));
        }
    }
    let mut found: Vec<Found> = documents
        .par_iter()
        .flat_map_iter(|(text, turns)| {
            let ix = CharIndex::new(text);
            let re = &re;
            turns.iter().filter_map(move |t| {
                let (from, to) = (ix.byte(t.start)?, ix.byte(t.end)?);
                let speech = &text[from..to];
                let matches: Vec<(usize, usize)> = re
                    .find_iter(speech)
                    .filter(|m| !m.is_empty())
                    .map(|m| {
                        (
                            ix.char_of_byte(from + m.start()) - t.start,
                            ix.char_of_byte(from + m.end()) - t.start,
                        )
                    })
                    .collect();
                (!matches.is_empty()).then(|| Found {
                    turn_id: t.turn_id,
                    speech: speech.to_owned(),
                    matches,
                })
            })
        })
        .collect();
    let total = found.len();
    if options.order == SearchOrder::Score {
        // Stable: equal counts stay in document order.
        found.sort_by_key(|f| std::cmp::Reverse(f.matches.len()));
    }
    found.truncate(options.limit);
    let ids: Vec<i64> = found.iter().map(|f| f.turn_id).collect();
    let mut rows: std::collections::HashMap<i64, _> = store
        .search_hit_rows(&ids, false)?
        .into_iter()
        .map(|r| (r.turn_id, r))
        .collect();
    let hits = found
        .into_iter()
        .filter_map(|f| {
            let mut row = rows.remove(&f.turn_id)?;
            row.text = f.speech;
            Some(highlight::hit(row, &f.matches, f.matches.len() as f32))
        })
        .collect();
    Ok(SearchResults {
        hits,
        total,
        took_ms: 0,
        index_status: None,
    })
}
