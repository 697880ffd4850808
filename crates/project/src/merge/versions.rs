//! A transcript corrected in both copies: each copy made its own new
//! version(s) of the document with the same numbers. Both are kept: the new
//! versions of both sides are numbered after the last common one in the
//! order they were made (time, then uuid), the same whichever way round the
//! merge runs. Which version is current is decided like any other column
//! (the later correction, listed for review as `both-corrected`).

use crate::error::Result;
use crate::store::merge_trace::Traces;
use crate::store::{MergeInput, Store, Tx};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Numbers for the colleague's new versions (uuid → number) after ours
/// have been renumbered here.
pub fn renumber(tx: &Tx, input: &MergeInput) -> Result<HashMap<String, i64>> {
    let Some(table) = input
        .tables
        .iter()
        .find(|t| t.spec.table == "document_versions")
    else {
        return Ok(HashMap::new());
    };
    // Per document: new versions (created_at, uuid, ours?).
    let mut new: BTreeMap<String, Vec<(String, String, bool)>> = BTreeMap::new();
    let added = |traces: &Traces, key: &str| {
        traces
            .get(&("document_versions".to_owned(), key.to_owned()))
            .is_none_or(|t| t.inserted.is_some())
    };
    for pair in &table.rows {
        let (rec, ours) = match (&pair.ours, &pair.theirs) {
            (Some(o), None) if added(&input.ours, &pair.key) => (o, true),
            (None, Some(t)) if added(&input.theirs, &pair.key) => (t, false),
            _ => continue,
        };
        let (Some(Json::String(doc)), Some(Json::String(at))) =
            (rec.get("document_id"), rec.get("created_at"))
        else {
            continue;
        };
        new.entry(doc.clone())
            .or_default()
            .push((at.clone(), pair.key.clone(), ours));
    }
    let mut theirs_numbers = HashMap::new();
    for (doc, mut versions) in new {
        if versions.iter().all(|v| v.2) || versions.iter().all(|v| !v.2) {
            continue;
        }
        versions.sort();
        let ours_new: HashSet<&str> = versions
            .iter()
            .filter(|v| v.2)
            .map(|v| v.1.as_str())
            .collect();
        let here = Store::version_numbers(tx, &doc)?;
        let common = here
            .iter()
            .filter(|(u, _)| !ours_new.contains(u.as_str()))
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0);
        // Out of the way first, so that no two rows hold one number.
        for (i, (_, uuid, _)) in versions.iter().enumerate().filter(|(_, v)| v.2) {
            Store::renumber_version(tx, uuid, -(i as i64) - 1)?;
        }
        for (i, (_, uuid, ours)) in versions.iter().enumerate() {
            let n = common + i as i64 + 1;
            if *ours {
                Store::renumber_version(tx, uuid, n)?;
            } else {
                theirs_numbers.insert(uuid.clone(), n);
            }
        }
    }
    Ok(theirs_numbers)
}
