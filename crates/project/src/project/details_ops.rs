//! Identifying details said in the transcripts (issue 11, item 8): exact
//! dates, ages with places, ward numbers, employers, jobs with places.
//! Warnings for the researcher, listed with `storyloom names`, in the
//! Pseudonyms panel and in the message of a stakeholder export that
//! carries one; never a reason to refuse an export.

use super::Project;
use super::names_ops::{KEPT_CONTEXTS, NameContext};
use crate::error::Result;
use crate::store::pseudonyms::NamedText;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use storyloom_privacy::{DetailKind, context_in, find_details, fold};

/// A detail that could identify someone, as said in the transcripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundDetail {
    pub kind: DetailKind,
    /// The words, as first said.
    pub text: String,
    /// Their fold: one detail however it is written.
    pub key: String,
    pub count: usize,
    pub documents: Vec<String>,
    /// The first few places it is said.
    pub contexts: Vec<NameContext>,
}

impl FoundDetail {
    /// "an exact date “12 March 1941”".
    pub fn describe(&self) -> String {
        format!("{} “{}”", self.kind.label(), self.text)
    }
}

impl Project {
    /// The identifying details said in the live transcripts, most often
    /// said first.
    pub fn identifying_details(&self) -> Result<Vec<FoundDetail>> {
        Ok(self.identifying_details_shared()?.as_ref().clone())
    }

    /// [`Project::identifying_details`] without copying: the cached results
    /// while the project has not changed since they were made (stamped with
    /// the change counter, which every change in any process bumps), so the
    /// gate of several exports in a row reads the transcripts once.
    pub fn identifying_details_shared(&self) -> Result<Arc<Vec<FoundDetail>>> {
        // Read first: a change landing meanwhile leaves the results stamped
        // older than they are, never newer.
        let counter = self.store.change_counter()?;
        if let Ok(cache) = self.names_cache.details.lock()
            && let Some((c, details)) = cache.as_ref()
            && *c == counter
        {
            return Ok(details.clone());
        }
        let details = Arc::new(details_in(&self.store.named_texts()?));
        if let Ok(mut cache) = self.names_cache.details.lock() {
            *cache = Some((counter, details.clone()));
        }
        Ok(details)
    }
}

/// The details said in `texts`, grouped by their words.
pub fn details_in(texts: &[NamedText]) -> Vec<FoundDetail> {
    let mut found: HashMap<(DetailKind, String), FoundDetail> = HashMap::new();
    for t in texts {
        let details = find_details(&t.text);
        if details.is_empty() {
            continue;
        }
        let chars: Vec<char> = t.text.chars().collect();
        for d in details {
            let key = fold(&d.text).trim().to_owned();
            let e = found
                .entry((d.kind, key.clone()))
                .or_insert_with(|| FoundDetail {
                    kind: d.kind,
                    text: d.text.clone(),
                    key,
                    count: 0,
                    documents: Vec::new(),
                    contexts: Vec::new(),
                });
            e.count += 1;
            if !e.documents.contains(&t.document) {
                e.documents.push(t.document.clone());
            }
            if e.contexts.len() < KEPT_CONTEXTS {
                e.contexts.push(NameContext {
                    document: t.document.clone(),
                    participant: t.participant.clone(),
                    start: d.start,
                    end: d.end,
                    snippet: context_in(&chars, d.start, d.end, 5),
                });
            }
        }
    }
    let mut out: Vec<FoundDetail> = found.into_values().collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}
