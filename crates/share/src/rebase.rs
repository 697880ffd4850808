//! Applying a colleague's change pulled from the server on top of this
//! replica's changes not pushed yet, with the merge's rules. For each row
//! the change carries, `base` is the shared state before it (what this
//! replica last pulled), `ours` the row here now and `theirs` the change's image:
//!
//! - a row this replica did not change (`ours == base`): theirs is taken;
//! - both changed it: the columns changed here keep ours, the others take
//!   theirs; a column both changed to different values is a `field`
//!   conflict on the review list (kept: ours). The next push carries ours,
//!   so every replica ends with the same value;
//! - they deleted a row changed here, or one a row made or changed here
//!   points at (a code coded with): it stays (`deleted-changed`,
//!   `deleted-used`) and goes on the next push, which restores it for everyone;
//! - they changed a row deleted here: it comes back with theirs (`deleted-changed`);
//! - a row the project's rules refuse (a name both gave to different
//!   codes at once): not brought in, a `refused` conflict.
//!
//! Conflicts made here go on the next push too, so everyone's review list has them.

use crate::error::{Error, Result};
use crate::server::LogEntry;
use serde_json::Value as Json;
use std::collections::HashMap;
use storyloom_store::sync::FILE_TABLE;
use storyloom_store::{ConflictRow, FileBytes, Record, SPECS, Spec, Store, Tx, Written, spec_of};

/// Applies one pulled change as one local change in the colleague's name.
/// `files`: bytes of the documents it adds, by document uuid. Returns the
/// number of conflicts it listed.
pub fn apply_entry(
    store: &mut Store,
    entry: &LogEntry,
    files: &HashMap<String, FileBytes>,
) -> Result<usize> {
    let meta = entry.meta.clone();
    let by = format!("{} on {} ({})", meta.actor, meta.machine, meta.at);
    store.change_pulled(&meta, |tx| {
        let mut conflicts = Vec::new();
        let order = |t: &str| {
            SPECS
                .iter()
                .position(|s| s.table == t)
                .unwrap_or(usize::MAX)
        };
        let mut deletes: Vec<_> = entry.rows.iter().filter(|r| r.rec.is_none()).collect();
        deletes.sort_by_key(|r| std::cmp::Reverse(order(&r.t)));
        let mut upserts: Vec<_> = entry.rows.iter().filter(|r| r.rec.is_some()).collect();
        upserts.sort_by_key(|r| order(&r.t));
        for row in deletes {
            if let Some(spec) = spec_of(&row.t) {
                delete_row(tx, spec, &row.k, &by, &mut conflicts)?;
            }
            Store::set_sync_base(tx, &row.t, &row.k, None)?;
        }
        let mut current = Vec::new();
        let mut retry = Vec::new();
        for row in upserts {
            let Some(theirs) = &row.rec else { continue };
            if row.t == FILE_TABLE {
                if !Store::has_document_file(tx, &row.k)?
                    && let Some(f) = files.get(&row.k)
                {
                    Store::merge_insert_file(tx, &row.k, f)?;
                }
                Store::set_sync_base(tx, &row.t, &row.k, Some(theirs))?;
                continue;
            }
            let Some(spec) = spec_of(&row.t) else {
                continue;
            };
            if spec.table == "documents"
                && let Some(cv) = theirs.get("current_version")
            {
                current.push((row.k.clone(), cv.clone()));
            }
            restore_parents(tx, spec, theirs, &by, &mut conflicts, 0)?;
            if !upsert_row(tx, spec, &row.k, theirs, &by, &mut conflicts)? {
                retry.push((spec, row));
            }
            Store::set_sync_base(tx, &row.t, &row.k, Some(theirs))?;
        }
        // Rows pointing at rows of their own table that came after them (sub-codes).
        loop {
            let before = retry.len();
            let mut left = Vec::new();
            for (spec, row) in retry {
                let Some(theirs) = &row.rec else { continue };
                match Store::merge_insert(tx, spec, theirs)? {
                    Written::Done => {}
                    Written::Refused(why) => left.push((spec, row, why)),
                }
            }
            if left.is_empty() || left.len() == before {
                for (spec, row, why) in left {
                    let theirs = row.rec.clone().unwrap_or_default();
                    if let Some((column, name)) = renamed_in(tx, spec, &theirs, &meta.actor)? {
                        // Two people made the same name at once (a code, a
                        // participant): theirs comes in renamed, and the next
                        // push carries the new name so every replica agrees.
                        Store::add_sync_extra(tx, spec.table, &row.k)?;
                        conflicts.push(conflict(
                            "field",
                            spec,
                            &row.k,
                            &column,
                            &theirs,
                            (Some(Json::String(name).to_string()), "this replica"),
                            (theirs.get(&column).map(json_text), &by),
                            Some(&why),
                        ));
                        continue;
                    }
                    conflicts.push(conflict(
                        "refused",
                        spec,
                        &row.k,
                        "",
                        &theirs,
                        (None, "this replica"),
                        (Some(record_text(&theirs)), &by),
                        Some(&why),
                    ));
                }
                break;
            }
            retry = left.into_iter().map(|(s, r, _)| (s, r)).collect();
        }
        if let Some(documents) = spec_of("documents") {
            for (key, cv) in current {
                if cv.is_null() {
                    continue;
                }
                let mut set = Record::new();
                set.insert("current_version".into(), cv);
                Store::merge_update(tx, documents, &key, &set)?;
            }
        }
        let codes = Store::deleted_codes_in_use(tx)?;
        restore_used(tx, entry, &by, &mut conflicts, "codes", codes)?;
        let documents = Store::deleted_documents_in_use(tx)?;
        restore_used(tx, entry, &by, &mut conflicts, "documents", documents)?;
        let listed = conflicts.len();
        for c in conflicts {
            if Store::insert_merge_conflict(tx, &c)? {
                Store::add_sync_extra(tx, "merge_conflicts", &c.uuid)?;
            }
        }
        Ok::<_, Error>(listed)
    })
}

/// Brings their image of a row in; `false` when it must wait for a row of
/// its own table (inserted later in the same change).
fn upsert_row(
    tx: &Tx,
    spec: &Spec,
    key: &str,
    theirs: &Record,
    by: &str,
    conflicts: &mut Vec<ConflictRow>,
) -> Result<bool> {
    let base = Store::sync_base_of(tx, spec.table, key)?;
    let ours = Store::record_by_key(tx, spec, key)?;
    let untouched = ours == base;
    match (ours, untouched) {
        (None, true) => {
            let mut rec = theirs.clone();
            if spec.table == "documents" {
                rec.remove("current_version");
            }
            Ok(Store::merge_insert(tx, spec, &rec)? == Written::Done)
        }
        (None, false) => {
            // Deleted here, changed there: it comes back with theirs.
            conflicts.push(conflict(
                "deleted-changed",
                spec,
                key,
                "",
                theirs,
                (Some(record_text(theirs)), by),
                (Some("deleted".into()), "this replica"),
                None,
            ));
            let mut rec = theirs.clone();
            if spec.table == "documents" {
                rec.remove("current_version");
            }
            Ok(Store::merge_insert(tx, spec, &rec)? == Written::Done)
        }
        (Some(ours), untouched) => {
            let mut set = Record::new();
            for (c, t) in theirs {
                if (spec.table, c.as_str()) == ("documents", "current_version") {
                    continue;
                }
                let o = ours.get(c);
                if o == Some(t) {
                    continue;
                }
                let b = base.as_ref().and_then(|b| b.get(c));
                let mine = !untouched && o != b;
                if !mine {
                    set.insert(c.clone(), t.clone());
                } else if b != Some(t) {
                    conflicts.push(conflict(
                        "field",
                        spec,
                        key,
                        c,
                        &ours,
                        (o.map(json_text), "this replica"),
                        (Some(json_text(t)), by),
                        None,
                    ));
                }
            }
            if !untouched {
                Store::add_sync_extra(tx, spec.table, key)?;
            }
            if !set.is_empty()
                && let Written::Refused(why) = Store::merge_update(tx, spec, key, &set)?
            {
                conflicts.push(conflict(
                    "refused",
                    spec,
                    key,
                    "",
                    &ours,
                    (Some(record_text(&ours)), "this replica"),
                    (Some(record_text(theirs)), by),
                    Some(&why),
                ));
                Store::add_sync_extra(tx, spec.table, key)?;
            }
            Ok(true)
        }
    }
}

/// Codes and documents are deleted by a flag: one deleted on one side and
/// coded on the other (live codings on a deleted code or document, after
/// this change) comes back, as the merge does for codes; the next push
/// restores it for everyone. `in_use`: the deleted rows of `table` with
/// live codings (uuid → coding uuids).
fn restore_used(
    tx: &Tx,
    entry: &LogEntry,
    by: &str,
    conflicts: &mut Vec<ConflictRow>,
    table: &str,
    in_use: Vec<(String, Vec<String>)>,
) -> Result<()> {
    let Some(spec) = spec_of(table) else {
        return Ok(());
    };
    let touched = |t: &str, k: &str| entry.rows.iter().any(|r| r.t == t && r.k == k);
    for (row_key, codings) in in_use {
        let Some(coding_spec) = spec_of("codings") else {
            continue;
        };
        // Codings made or changed on either side since the last pull: theirs
        // in this change, ours not pushed yet (not as the shared base has them).
        let mut used = 0;
        for g in &codings {
            let ours_new =
                Store::record_by_key(tx, coding_spec, g)? != Store::sync_base_of(tx, "codings", g)?;
            if (touched(table, &row_key) && ours_new) || touched("codings", g) {
                used += 1;
            }
        }
        if used == 0 {
            continue;
        }
        let mut fields = Record::new();
        fields.insert("deleted".into(), Json::from(0));
        if Store::merge_update(tx, spec, &row_key, &fields)? != Written::Done {
            continue;
        }
        let row = Store::record_by_key(tx, spec, &row_key)?.unwrap_or_default();
        conflicts.push(conflict(
            "deleted-used",
            spec,
            &row_key,
            "deleted",
            &row,
            (
                Some(format!("kept, with the {used} codings made on it")),
                by,
            ),
            (Some("deleted".into()), "a replica"),
            None,
        ));
        Store::add_sync_extra(tx, table, &row_key)?;
    }
    Ok(())
}

/// Rows deleted here that their row points at (a code deleted here that
/// they coded with) come back from the base: a `deleted-used` conflict,
/// and the next push restores them for everyone.
fn restore_parents(
    tx: &Tx,
    spec: &Spec,
    rec: &Record,
    by: &str,
    conflicts: &mut Vec<ConflictRow>,
    depth: usize,
) -> Result<()> {
    if depth > 16 {
        return Ok(());
    }
    for (col, target) in spec.fks {
        let Some(uuid) = rec.get(*col).and_then(Json::as_str) else {
            continue;
        };
        let Some(parent) = spec_of(target).filter(|p| p.by_uuid()) else {
            continue;
        };
        if Store::record_by_key(tx, parent, uuid)?.is_some() {
            continue;
        }
        let Some(mut base) = Store::sync_base_of(tx, parent.table, uuid)? else {
            continue;
        };
        restore_parents(tx, parent, &base, by, conflicts, depth + 1)?;
        if parent.table == "documents" {
            base.remove("current_version");
        }
        if Store::merge_insert(tx, parent, &base)? == Written::Done {
            conflicts.push(conflict(
                "deleted-used",
                parent,
                uuid,
                "",
                &base,
                (Some("kept: a colleague's change uses it".into()), by),
                (Some("deleted".into()), "this replica"),
                None,
            ));
            Store::add_sync_extra(tx, parent.table, uuid)?;
        }
    }
    Ok(())
}

fn delete_row(
    tx: &Tx,
    spec: &Spec,
    key: &str,
    by: &str,
    conflicts: &mut Vec<ConflictRow>,
) -> Result<()> {
    let base = Store::sync_base_of(tx, spec.table, key)?;
    let Some(ours) = Store::record_by_key(tx, spec, key)? else {
        return Ok(());
    };
    let kind = if Some(&ours) != base.as_ref() {
        Some("deleted-changed")
    } else {
        let mut used = false;
        for (child, rec) in Store::rows_pointing_at(tx, spec, key)? {
            let Some(k) = child.key_of(&rec) else {
                continue;
            };
            if Store::sync_base_of(tx, child.table, &k)?.as_ref() != Some(&rec) {
                used = true;
                break;
            }
        }
        used.then_some("deleted-used")
    };
    if let Some(kind) = kind {
        conflicts.push(conflict(
            kind,
            spec,
            key,
            "",
            &ours,
            (
                Some("kept, with what was done to it here".into()),
                "this replica",
            ),
            (Some("deleted".into()), by),
            None,
        ));
        Store::add_sync_extra(tx, spec.table, key)?;
        return Ok(());
    }
    // Refused: gone with its parent already, or held by the schema; it stays then.
    Store::merge_delete(tx, spec, key)?;
    Ok(())
}

#[allow(
    clippy::too_many_arguments,
    reason = "a conflict row's fields, named at each call"
)]
fn conflict(
    kind: &str,
    spec: &Spec,
    key: &str,
    field: &str,
    row: &Record,
    kept: (Option<String>, &str),
    other: (Option<String>, &str),
    why: Option<&str>,
) -> ConflictRow {
    let name = ["name", "title", "pseudonym", "label"]
        .iter()
        .find_map(|c| row.get(*c).and_then(Json::as_str))
        .unwrap_or(key);
    let mut label = format!("{} '{name}'", spec.table.trim_end_matches('s'));
    if !field.is_empty() {
        label.push_str(&format!(": {field}"));
    }
    if let Some(why) = why {
        label.push_str(&format!(": not brought in, {why}"));
    }
    ConflictRow {
        uuid: storyloom_store::new_uuid(),
        kind: kind.to_owned(),
        entity: spec.table.to_owned(),
        entity_uuid: key.to_owned(),
        field: field.to_owned(),
        label,
        kept: kept.0,
        kept_by: kept.1.to_owned(),
        other: other.0,
        other_by: other.1.to_owned(),
        resolved: false,
    }
}

/// Inserts their row under another name when its name is taken here:
/// `NAME (ACTOR)`, then numbered. The column and the name it got.
fn renamed_in(
    tx: &Tx,
    spec: &Spec,
    theirs: &Record,
    actor: &str,
) -> Result<Option<(String, String)>> {
    let Some((column, name)) = ["name", "label", "code", "title"].iter().find_map(|c| {
        theirs
            .get(*c)
            .and_then(Json::as_str)
            .map(|n| (*c, n.to_owned()))
    }) else {
        return Ok(None);
    };
    for n in 1..=5 {
        let candidate = if n == 1 {
            format!("{name} ({actor})")
        } else {
            format!("{name} ({actor} {n})")
        };
        let mut rec = theirs.clone();
        rec.insert(column.to_owned(), Json::String(candidate.clone()));
        if spec.table == "documents" {
            rec.remove("current_version");
        }
        if Store::merge_insert(tx, spec, &rec)? == Written::Done {
            return Ok(Some((column.to_owned(), candidate)));
        }
    }
    Ok(None)
}

fn json_text(v: &Json) -> String {
    v.to_string()
}

fn record_text(r: &Record) -> String {
    serde_json::to_string(r).unwrap_or_default()
}
