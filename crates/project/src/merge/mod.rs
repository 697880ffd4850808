//! Merging a colleague's copy of the project (both descend from one
//! project, so every row has the same uuid in both).
//!
//! For every row the copies hold differently ([`crate::store::MergeInput`]):
//! - only the colleague has it: added here, unless this copy deleted it
//!   since the copies diverged (then it stays deleted, or comes back if the
//!   colleague changed it meanwhile: a `deleted-changed` conflict);
//! - only this copy has it: kept, unless the colleague deleted it (then it
//!   goes, or stays with a conflict if it was changed here);
//! - both have it: merged column by column ([`fields`]).
//!
//! Then: both copies' corrections of one transcript are kept side by side
//! ([`versions`]), and codes deleted in one copy and used in the other come
//! back ([`in_use`]). Every conflict goes on the review list
//! (`merge_conflicts`) with both versions and who made them. The result does
//! not depend on which copy merges which; merging the same copy again finds
//! nothing to do.

mod conflicts;
mod fields;
mod in_use;
mod reanchor;
mod versions;

pub use conflicts::derived_uuid;
pub(crate) use reanchor::carry_stranded;

use crate::error::Result;
use crate::store::merge_trace::RowTrace;
use crate::store::{ConflictRow, MergeInput, Record, Spec, Store, Tx, Written};
use conflicts::{Conflict, Side, by_words};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What a merge did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CopyMergeReport {
    /// The colleague's file.
    pub other: String,
    pub dry_run: bool,
    /// The last history entry both copies share.
    pub common_history: i64,
    /// How many changes the colleague made since, and who made them.
    pub their_actions: usize,
    pub their_people: Vec<String>,
    /// Rows added, changed and removed here, by table.
    pub added: BTreeMap<String, usize>,
    pub changed: BTreeMap<String, usize>,
    pub removed: BTreeMap<String, usize>,
    /// Codings made on a text the other copy corrected, carried onto the
    /// current text, and those that went to the review list instead.
    pub codings_carried: usize,
    pub codings_to_review: usize,
    /// Conflicts newly put on the review list.
    pub conflicts: Vec<ConflictRow>,
    /// Conflicts found again that were already listed.
    pub already_listed: usize,
}

impl CopyMergeReport {
    pub fn new(input: &MergeInput, dry_run: bool) -> CopyMergeReport {
        let people: BTreeSet<String> = input
            .their_actions
            .iter()
            .map(|a| match &a.author.machine {
                Some(m) => format!("{} on {m}", a.author.actor),
                None => a.author.actor.clone(),
            })
            .collect();
        CopyMergeReport {
            other: input.other.display().to_string(),
            dry_run,
            common_history: input.fork,
            their_actions: input.their_actions.len(),
            their_people: people.into_iter().collect(),
            ..Default::default()
        }
    }

    /// Nothing to bring in and nothing new to review.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && self.conflicts.is_empty()
            && self.codings_carried + self.codings_to_review == 0
    }

    pub fn total(map: &BTreeMap<String, usize>) -> usize {
        map.values().sum()
    }

    fn count(map: &mut BTreeMap<String, usize>, table: &str) {
        *map.entry(table.to_owned()).or_default() += 1;
    }
}

/// Applies the merge inside the caller's transaction.
pub(crate) fn apply(tx: &Tx, input: &MergeInput, report: &mut CopyMergeReport) -> Result<()> {
    let numbers = versions::renumber(tx, input)?;
    let mut conflicts: Vec<Conflict> = Vec::new();
    let mut deletes: Vec<(&Spec, &str, &Record)> = Vec::new();
    let mut current: Vec<(&str, Json, bool)> = Vec::new();
    let mut new_documents: Vec<&str> = Vec::new();
    // Rows kept or brought back against a deletion: their children follow them.
    let mut saved: HashSet<(String, String)> = HashSet::new();
    // The current version of every document the copies hold differently, as merged.
    let mut current_versions: HashSet<String> = HashSet::new();
    // The colleague's versions earlier merges set aside (not decided again).
    let seen: fields::SetAside = Store::merge_conflicts_in(tx, true)?
        .into_iter()
        .filter_map(|c| Some((c.entity, c.entity_uuid, c.field, c.other?)))
        .collect();
    for table in &input.tables {
        let spec = &table.spec;
        let mut retry: Vec<(&str, Record)> = Vec::new();
        // Changes pointing at a row of this table the merge adds later (a
        // sub-code moved under a code the colleague created): tried again
        // once the additions are in, so the order of keys does not matter.
        let mut later: Vec<(&str, Record, &Record, &Record)> = Vec::new();
        for pair in &table.rows {
            let id = (spec.table.to_owned(), pair.key.clone());
            let (to, tt) = (input.ours.get(&id), input.theirs.get(&id));
            match (&pair.ours, &pair.theirs) {
                (None, None) => {}
                (None, Some(t)) => {
                    if to.is_some_and(RowTrace::removed) {
                        if !fields::edited(tt, t) && !follows(spec, t, &saved) {
                            continue;
                        }
                        conflicts.push(deletion_conflict(spec, &pair.key, t, tt, to));
                        saved.insert(id);
                    }
                    let mut rec = t.clone();
                    if let Some(n) = numbers.get(&pair.key) {
                        rec.insert("version".into(), Json::from(*n));
                    }
                    if spec.table == "documents" {
                        if let Some(cv) = t.get("current_version") {
                            current.push((&pair.key, cv.clone(), true));
                        }
                        new_documents.push(&pair.key);
                    }
                    match Store::merge_insert(tx, spec, &rec)? {
                        Written::Done => CopyMergeReport::count(&mut report.added, spec.table),
                        Written::Refused(_) => retry.push((&pair.key, rec)),
                    }
                }
                (Some(o), None) => {
                    if tt.is_some_and(RowTrace::removed) {
                        if fields::edited(to, o) || follows(spec, o, &saved) {
                            conflicts.push(deletion_conflict(spec, &pair.key, o, to, tt));
                            saved.insert(id);
                        } else {
                            deletes.push((spec, &pair.key, o));
                        }
                    }
                }
                (Some(o), Some(t)) => {
                    let mut plan =
                        fields::merge_row(spec, &pair.key, o, t, to, tt, &current_versions, &seen);
                    if spec.table == "documents" {
                        let cv = plan.set.get("current_version").or(o.get("current_version"));
                        if let Some(Json::String(v)) = cv {
                            current_versions.insert(v.clone());
                        }
                        if let Some(cv) = plan.set.remove("current_version") {
                            current.push((&pair.key, cv, false));
                        }
                    }
                    if !plan.set.is_empty() {
                        match Store::merge_update(tx, spec, &pair.key, &plan.set)? {
                            Written::Done => {
                                CopyMergeReport::count(&mut report.changed, spec.table)
                            }
                            Written::Refused(_) => later.push((&pair.key, plan.set, o, t)),
                        }
                    }
                    conflicts.extend(plan.conflicts);
                }
            }
        }
        // Rows pointing at rows of their own table added after them (sub-codes).
        loop {
            let before = retry.len();
            let mut left = Vec::new();
            for (key, rec) in retry {
                match Store::merge_insert(tx, spec, &rec)? {
                    Written::Done => CopyMergeReport::count(&mut report.added, spec.table),
                    Written::Refused(why) => left.push((key, rec, why)),
                }
            }
            let progress = left.len() < before;
            if !progress || left.is_empty() {
                for (key, rec, why) in left {
                    let id = (spec.table.to_owned(), key.to_owned());
                    let ours = Record::new();
                    conflicts.push(refused(
                        spec,
                        key,
                        &ours,
                        &rec,
                        &why,
                        None,
                        input.theirs.get(&id),
                    ));
                }
                break;
            }
            retry = left.into_iter().map(|(k, r, _)| (k, r)).collect();
        }
        for (key, set, o, t) in later {
            match Store::merge_update(tx, spec, key, &set)? {
                Written::Done => CopyMergeReport::count(&mut report.changed, spec.table),
                Written::Refused(why) => {
                    let id = (spec.table.to_owned(), key.to_owned());
                    let (to, tt) = (input.ours.get(&id), input.theirs.get(&id));
                    conflicts.push(refused(spec, key, o, t, &why, to, tt));
                }
            }
        }
    }
    let documents = crate::store::spec_of("documents");
    for (key, cv, new) in current {
        let (Some(spec), false) = (documents, cv.is_null()) else {
            continue;
        };
        let mut set = Record::new();
        set.insert("current_version".into(), cv);
        if Store::merge_update(tx, spec, key, &set)? == Written::Done && !new {
            CopyMergeReport::count(&mut report.changed, "documents");
        }
    }
    for doc in new_documents {
        if let Some(file) = input.files.get(doc) {
            Store::merge_insert_file(tx, doc, file)?;
        }
    }
    for (spec, key, rec) in deletes.into_iter().rev() {
        match Store::merge_delete(tx, spec, key)? {
            Written::Done => CopyMergeReport::count(&mut report.removed, spec.table),
            // Gone with its parent already.
            Written::Refused(_) if !exists(tx, spec, key)? => {}
            Written::Refused(why) => {
                let id = (spec.table.to_owned(), key.to_owned());
                let mut c = refused(
                    spec,
                    key,
                    rec,
                    rec,
                    &why,
                    input.ours.get(&id),
                    input.theirs.get(&id),
                );
                c.0.label = format!("{}: the colleague deleted it; {why}", c.0.label);
                conflicts.push(c);
            }
        }
    }
    conflicts.extend(in_use::restore_used(tx, input)?);
    let (carried, to_review) = reanchor::carry_stranded(tx)?;
    report.codings_carried = carried;
    report.codings_to_review = to_review;
    for c in conflicts {
        if Store::insert_merge_conflict(tx, &c.0)? {
            report.conflicts.push(c.0);
        } else {
            report.already_listed += 1;
        }
    }
    Ok(())
}

fn exists(tx: &Tx, spec: &Spec, key: &str) -> Result<bool> {
    Ok(spec.by_uuid() && Store::merge_records_of(tx, spec, key)?.is_some())
}

/// Does the row belong to (point at) a row kept against a deletion?
fn follows(spec: &Spec, rec: &Record, saved: &HashSet<(String, String)>) -> bool {
    spec.fks.iter().any(|(c, target)| {
        rec.get(*c)
            .and_then(Json::as_str)
            .is_some_and(|u| saved.contains(&((*target).to_owned(), u.to_owned())))
    })
}

/// A row deleted in one copy and changed in the other: it stays.
fn deletion_conflict(
    spec: &Spec,
    key: &str,
    row: &Record,
    editor: Option<&RowTrace>,
    deleter: Option<&RowTrace>,
) -> Conflict {
    Conflict::new(
        "deleted-changed",
        spec,
        key,
        "",
        row,
        Side {
            value: Some(Json::String("kept, with the changes made to it".into())),
            by: by_words(editor.and_then(RowTrace::last_author)),
        },
        Side {
            value: Some(Json::String("deleted".into())),
            by: by_words(deleter.and_then(|t| t.deleted.as_ref())),
        },
    )
}

/// A row (or change) the project's rules would not take, such as a name
/// both copies gave to different codes.
fn refused(
    spec: &Spec,
    key: &str,
    ours: &Record,
    theirs: &Record,
    why: &str,
    to: Option<&RowTrace>,
    tt: Option<&RowTrace>,
) -> Conflict {
    let row = if ours.is_empty() { theirs } else { ours };
    let mut c = Conflict::new(
        "refused",
        spec,
        key,
        "",
        row,
        Side {
            value: (!ours.is_empty()).then(|| Json::Object(ours.clone().into_iter().collect())),
            by: by_words(to.and_then(RowTrace::last_author)),
        },
        Side {
            value: Some(Json::Object(theirs.clone().into_iter().collect())),
            by: by_words(tt.and_then(RowTrace::last_author)),
        },
    );
    c.0.label = format!("{}: not brought in, {why}", c.0.label);
    c
}
