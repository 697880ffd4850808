//! Settling a disagreement between two coders: one passage of one code in
//! one document that one coder coded and the other did not. The codings
//! involved are both coders' codings of that code that overlap the passage,
//! or overlap those (whole codings: a coding is never cut in two).
//!
//! * Keep one coder's version: the other coder's codings there are removed
//!   and the kept coder's are copied to the other coder, so both now agree.
//! * Keep both: each coder gets a copy of the other's codings there.
//! * Consensus: both coders' codings there are replaced by one coding over
//!   every word either coded, made by the coder [`CONSENSUS_CODER`], so a
//!   coder can later be compared against the consensus.
//!
//! Each is one change with one history entry (undo brings everything back).

use super::Project;
use crate::anchor::context_of;
use crate::error::{Error, Result};
use crate::model::Coding;
use crate::store::Store;
use crate::store::codings::NewCoding;
use crate::text::CharIndex;
use serde_json::json;

/// The coder name consensus codings are made under.
pub const CONSENSUS_CODER: &str = "consensus";

/// A passage two coders disagree on (as [`super::DisagreementRow`] gives it).
#[derive(Debug, Clone, PartialEq)]
pub struct Passage<'a> {
    /// Document uuid or name.
    pub document: &'a str,
    /// Code uuid or path.
    pub code: &'a str,
    pub start: usize,
    pub end: usize,
    pub coder_a: &'a str,
    pub coder_b: &'a str,
}

/// How to settle a disagreement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settle {
    /// Keep this coder's version (one of the two).
    Keep(String),
    KeepBoth,
    Consensus,
}

/// Both coders' codings of the code that overlap a passage.
#[derive(Debug, Clone, Default)]
pub struct PassageCodings {
    pub a: Vec<Coding>,
    pub b: Vec<Coding>,
}

impl PassageCodings {
    /// From the first char either coder coded here to the last.
    pub fn span(&self) -> Option<(usize, usize)> {
        let all = self.a.iter().chain(&self.b);
        let start = all.clone().map(|c| c.start).min()?;
        let end = all.map(|c| c.end).max()?;
        Some((start, end))
    }
}

impl Project {
    /// Both coders' codings of the passage's code that overlap it, or
    /// overlap those (so a coding of the same words by the other coder,
    /// with other edges, is shown and settled with it), on the current text.
    pub fn passage_codings(&self, p: &Passage) -> Result<PassageCodings> {
        let code = self.store.code_row(self.store.find_code(p.code)?)?.uuid;
        let of = |coder: &str| -> Result<Vec<Coding>> {
            Ok(self
                .codings(Some(&code), Some(p.document), Some(coder))?
                .into_iter()
                // Exactly this code (its sub-codes are compared on their own).
                .filter(|c| c.code == code)
                .collect())
        };
        let (all_a, all_b) = (of(p.coder_a)?, of(p.coder_b)?);
        let (mut start, mut end) = (p.start, p.end);
        loop {
            let near = |c: &&Coding| c.start < end && start < c.end;
            let found = PassageCodings {
                a: all_a.iter().filter(near).cloned().collect(),
                b: all_b.iter().filter(near).cloned().collect(),
            };
            match found.span() {
                Some((s, e)) if s < start || e > end => {
                    start = start.min(s);
                    end = end.max(e);
                }
                _ => return Ok(found),
            }
        }
    }

    /// Settles a disagreement as one change. Returns how many codings were
    /// added and removed.
    pub fn settle_disagreement(&mut self, p: &Passage, how: &Settle) -> Result<(usize, usize)> {
        if p.coder_a == p.coder_b {
            return Err(Error::Invalid("pick two different coders".into()));
        }
        let found = self.passage_codings(p)?;
        if found.a.is_empty() && found.b.is_empty() {
            return Err(Error::Invalid(format!(
                "neither {} nor {} has a coding there any more",
                p.coder_a, p.coder_b
            )));
        }
        let code_id = self.store.find_code(p.code)?;
        let code_name = self.store.code_row(code_id)?.name;
        let (doc_id, _, doc_name) = self.store.find_document(p.document)?;
        let cv = self.store.current_version(doc_id)?;
        // (coder, start, end) to add; codings (uuid) to remove.
        let mut add: Vec<(String, usize, usize)> = Vec::new();
        let mut remove: Vec<&Coding> = Vec::new();
        let copy = |from: &[Coding], to: &str, add: &mut Vec<(String, usize, usize)>| {
            for c in from {
                add.push((to.to_owned(), c.start, c.end));
            }
        };
        let what = match how {
            Settle::Keep(coder) => {
                let (kept, other, other_name) = if coder == p.coder_a {
                    (&found.a, &found.b, p.coder_b)
                } else if coder == p.coder_b {
                    (&found.b, &found.a, p.coder_a)
                } else {
                    return Err(Error::Invalid(format!(
                        "'{coder}' is neither {} nor {}",
                        p.coder_a, p.coder_b
                    )));
                };
                remove.extend(other.iter());
                copy(kept, other_name, &mut add);
                format!("kept {coder}'s version")
            }
            Settle::KeepBoth => {
                copy(&found.a, p.coder_b, &mut add);
                copy(&found.b, p.coder_a, &mut add);
                "kept both versions".to_owned()
            }
            Settle::Consensus => {
                remove.extend(found.a.iter().chain(&found.b));
                if let Some((s, e)) = found.span() {
                    add.push((CONSENSUS_CODER.to_owned(), s, e));
                }
                "merged into a consensus coding".to_owned()
            }
        };
        let removed_ids: Vec<i64> = remove
            .iter()
            .map(|c| self.store.find_coding(&c.uuid).map(|(id, _)| id))
            .collect::<std::result::Result<_, _>>()?;
        let removed_uuids: Vec<&str> = remove.iter().map(|c| c.uuid.as_str()).collect();
        // A copy the coder already has (same range) is not made twice.
        add.sort();
        add.dedup();
        let ix = CharIndex::new(&cv.text);
        let summary = format!(
            "settled a disagreement of {} and {} on '{code_name}' in {doc_name} ({}..{}): {what}",
            p.coder_a, p.coder_b, p.start, p.end
        );
        let (added, removed) = (add.len(), removed_ids.len());
        self.simple_change(
            "settle_disagreement",
            summary,
            json!({ "code": code_id, "document": cv.document_uuid, "start": p.start, "end": p.end,
                    "coders": [p.coder_a, p.coder_b], "remove_codings": removed_uuids,
                    "add": add.iter().map(|(c, s, e)| json!([c, s, e])).collect::<Vec<_>>() }),
            |tx| {
                for id in &removed_ids {
                    Store::delete_coding(tx, *id)?;
                }
                for (coder, start, end) in &add {
                    let quote = ix.slice(*start, *end).unwrap_or_default();
                    let (before, after) = context_of(&cv.text, *start, *end);
                    let new = NewCoding {
                        code_id,
                        version_id: cv.version_id,
                        start: *start,
                        end: *end,
                        coder,
                        quote,
                        context_before: &before,
                        context_after: &after,
                        key_quote: false,
                    };
                    // The same coder's coding of exactly this range is kept, not doubled.
                    Store::insert_coding(tx, &new)?;
                }
                Ok(())
            },
        )?;
        Ok((added, removed))
    }
}
