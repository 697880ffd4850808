//! Merging a colleague's copy and settling what it leaves on the review
//! list; the rules are in [`crate::merge`].

use super::Project;
use crate::error::{Error, Result};
use crate::merge::{self, CopyMergeReport};
use crate::store::{ChangeRecord, ConflictRow, Record, Store};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

impl Project {
    /// Merges `other` (a copy of this project a colleague worked on) into
    /// this one as one undoable change. With `dry_run` nothing is written:
    /// the report says what the merge would do. Merging a copy that brings
    /// nothing new writes nothing (not even a history entry).
    pub fn merge_copy(&mut self, other: &Path, dry_run: bool) -> Result<CopyMergeReport> {
        let input = self.store.merge_input(other)?;
        let mut report = CopyMergeReport::new(&input, dry_run);
        let actor = self.actor.clone();
        let file = other
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| other.display().to_string());
        let actions: Vec<_> = input
            .their_actions
            .iter()
            .map(|a| {
                json!({"seq": a.seq, "at": a.author.at, "actor": a.author.actor,
                       "machine": a.author.machine, "command": a.command, "summary": a.summary})
            })
            .collect();
        let fork = input.fork;
        self.store.change_if(
            |r: &CopyMergeReport| ChangeRecord {
                actor,
                command: "merge",
                summary: format!(
                    "merged {file} ({}; {} added, {} changed, {} removed; {} conflicts for review)",
                    if r.their_people.is_empty() {
                        "no new changes of theirs".to_owned()
                    } else {
                        format!("changes by {}", r.their_people.join(", "))
                    },
                    CopyMergeReport::total(&r.added),
                    CopyMergeReport::total(&r.changed),
                    CopyMergeReport::total(&r.removed),
                    r.conflicts.len()
                ),
                forward: json!({ "merge": other.display().to_string(), "common_history": fork, "their_actions": actions }),
            },
            |tx| {
                merge::apply(tx, &input, &mut report)?;
                Ok::<_, Error>(if dry_run || report.is_empty() {
                    None
                } else {
                    Some(report.clone())
                })
            },
        )?;
        Ok(report)
    }

    /// Every row a merge carries, by table and key, foreign keys as uuids:
    /// two projects with the same content give the same dump whatever
    /// their row ids (for checking that merges agree).
    pub fn merge_dump(&self) -> Result<BTreeMap<String, BTreeMap<String, Record>>> {
        Ok(self.store.merge_records()?)
    }

    /// The colleague's changes each merge brought in, by the merge's history
    /// entry: who made each and on which computer.
    pub fn merged_actions(
        &self,
    ) -> Result<BTreeMap<i64, Vec<crate::store::merge_trace::MergedAction>>> {
        Ok(self.store.merged_actions()?)
    }

    /// Conflicts merges left (open ones unless `all`).
    pub fn merge_conflicts(&self, all: bool) -> Result<Vec<ConflictRow>> {
        Ok(self.store.merge_conflicts(all)?)
    }

    /// Marks a merge conflict (uuid or an 8+ character prefix) settled: the
    /// version kept stays.
    pub fn settle_merge_conflict(&mut self, key: &str) -> Result<()> {
        let c = self.open_conflict(key)?;
        let (uuid, label) = (c.uuid.clone(), c.label.clone());
        self.simple_change(
            "settle_merge_conflict",
            format!("settled merge conflict: {label}"),
            json!({ "conflict": uuid }),
            |tx| {
                Store::resolve_merge_conflict(tx, &uuid)?;
                Ok(())
            },
        )
    }

    pub(super) fn open_conflict(&self, key: &str) -> Result<ConflictRow> {
        let key = key.trim();
        let mut found: Vec<ConflictRow> = self
            .store
            .merge_conflicts(false)?
            .into_iter()
            .filter(|c| c.uuid == key || (key.len() >= 8 && c.uuid.starts_with(key)))
            .collect();
        match found.len() {
            1 => Ok(found.remove(0)),
            _ => Err(Error::Invalid(format!(
                "no single open merge conflict matches '{key}'"
            ))),
        }
    }
}
