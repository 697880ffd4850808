//! A code or a document deleted (a code deleted or merged away, a
//! document's import undone) in one copy and used in the other: the
//! colleague's codings on it must not vanish with it. It comes back and the
//! deletion goes on the review list, naming who deleted it and who coded
//! with it, so a person decides (delete it again, or merge the code into the
//! one that replaced it).

use super::conflicts::{Conflict, Side, by_words};
use crate::error::Result;
use crate::store::merge_trace::{RowTrace, Traces};
use crate::store::{MergeInput, Record, Store, Tx, Written, spec_of};
use serde_json::Value as Json;

/// Restores deleted codes and documents the other copy coded in; returns
/// the conflicts.
pub fn restore_used(tx: &Tx, input: &MergeInput) -> Result<Vec<Conflict>> {
    let mut out = restore_used_rows(tx, input, "codes", Store::deleted_codes_in_use(tx)?)?;
    out.extend(restore_used_rows(
        tx,
        input,
        "documents",
        Store::deleted_documents_in_use(tx)?,
    )?);
    Ok(out)
}

/// `in_use`: the deleted rows of `table` with live codings (uuid → coding uuids).
fn restore_used_rows(
    tx: &Tx,
    input: &MergeInput,
    table: &str,
    in_use: Vec<(String, Vec<String>)>,
) -> Result<Vec<Conflict>> {
    let Some(spec) = spec_of(table) else {
        return Ok(Vec::new());
    };
    // The coding column that points at the row (through a version, for a document).
    let pointer = if table == "codes" {
        "code_id"
    } else {
        "version_id"
    };
    let mut out = Vec::new();
    for (key, codings) in in_use {
        // Exactly one side deleted it since the copies diverged.
        let Some(pair) = input
            .tables
            .iter()
            .filter(|t| t.spec.table == table)
            .flat_map(|t| &t.rows)
            .find(|p| p.key == key)
        else {
            continue;
        };
        let deleted_by = |rec: &Option<Record>, traces: &Traces| {
            let now = rec.as_ref()?.get("deleted")?;
            let t = traces.get(&(table.to_owned(), key.clone()))?;
            (now == &Json::from(1) && t.changed("deleted", Some(now)))
                .then(|| t.fields.get("deleted").map(|f| f.by.clone()))
        };
        let (deleter, user_traces) = match (
            deleted_by(&pair.ours, &input.ours),
            deleted_by(&pair.theirs, &input.theirs),
        ) {
            (Some(by), None) => (by, &input.theirs),
            (None, Some(by)) => (by, &input.ours),
            _ => continue,
        };
        let used: Vec<&String> = codings
            .iter()
            .filter(|g| {
                user_traces
                    .get(&("codings".to_owned(), (*g).clone()))
                    .is_some_and(|t| {
                        t.inserted.is_some()
                            || t.fields.contains_key(pointer)
                            || t.changed("deleted", Some(&Json::from(0)))
                    })
            })
            .collect();
        if used.is_empty() {
            continue;
        }
        let user = used
            .iter()
            .filter_map(|g| user_traces.get(&("codings".to_owned(), (*g).clone())))
            .filter_map(RowTrace::last_author)
            .max()
            .cloned();
        let mut fields = Record::new();
        fields.insert("deleted".into(), Json::from(0));
        let restored = Store::merge_update(tx, spec, &key, &fields)? == Written::Done;
        let row = Store::merge_records_of(tx, spec, &key)?.unwrap_or_default();
        let kept = if restored {
            format!("kept, with the {} codings made on it", used.len())
        } else {
            let why = if table == "codes" {
                "its name is taken by another code"
            } else {
                "it could not be put back"
            };
            format!(
                "still deleted: {why}; {} codings on it are hidden",
                used.len()
            )
        };
        out.push(Conflict::new(
            "deleted-used",
            spec,
            &key,
            "deleted",
            &row,
            Side {
                value: Some(Json::String(kept)),
                by: by_words(user.as_ref()),
            },
            Side {
                value: Some(Json::String("deleted".into())),
                by: by_words(deleter.as_ref()),
            },
        ));
    }
    Ok(out)
}
