//! What one copy changed since the copies diverged, read from its history:
//! for every row it touched, the value each column had before its first
//! change (the common ancestor's value), who changed it last, and whether
//! the row was added or removed. Row ids in the history are this copy's
//! own; they are turned into uuids here, as in [`super::merge_specs`].
//!
//! The copies diverge after the longest run of history entries they share
//! (same number, time, user, command and summary). Undo and redo entries
//! count as the row changes they made (their target's, reversed or
//! repeated), also when the target is older than the divergence.

use super::capture::RowChange;
use super::merge_specs::{CURRENT_VERSION, Record, Spec, spec_of};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// Who made a change: the user, their computer, when.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Author {
    pub at: String,
    pub actor: String,
    pub machine: Option<String>,
}

/// One column's change since the divergence.
#[derive(Debug, Clone)]
pub struct Touch {
    /// The value at the divergence (`None`: the row did not exist then).
    pub base: Option<Json>,
    /// The last change to the column.
    pub by: Author,
}

/// One row's changes since the divergence, in one copy.
#[derive(Debug, Clone, Default)]
pub struct RowTrace {
    /// Added since the divergence (by whom).
    pub inserted: Option<Author>,
    /// Removed (and not put back) since the divergence.
    pub deleted: Option<Author>,
    pub fields: std::collections::BTreeMap<String, Touch>,
}

impl RowTrace {
    /// Did this copy change the column away from the common ancestor's value?
    pub fn changed(&self, column: &str, now: Option<&Json>) -> bool {
        match self.fields.get(column) {
            None => false,
            Some(t) => t.base.as_ref() != now,
        }
    }

    /// The row existed at the divergence and this copy removed it.
    pub fn removed(&self) -> bool {
        self.deleted.is_some() && self.inserted.is_none()
    }

    /// The last author of any change to the row.
    pub fn last_author(&self) -> Option<&Author> {
        self.fields
            .values()
            .map(|t| &t.by)
            .chain(self.deleted.iter())
            .chain(self.inserted.iter())
            .max()
    }
}

/// Changes of one copy since the divergence, by (table, key).
pub type Traces = HashMap<(String, String), RowTrace>;

/// One entry of a copy's history since the divergence, for the record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Action {
    pub seq: i64,
    pub author: Author,
    pub command: String,
    pub summary: String,
}

/// The last history entry both copies share (0: none).
pub(crate) fn fork_point(conn: &Connection) -> Result<i64> {
    let first_diff: Option<i64> = conn.query_row(
        "SELECT min(m.seq) FROM main.history m LEFT JOIN other.history o ON o.seq = m.seq
         WHERE o.seq IS NULL OR o.at IS NOT m.at OR o.actor IS NOT m.actor OR o.command IS NOT m.command
            OR o.summary IS NOT m.summary OR o.kind IS NOT m.kind OR o.target IS NOT m.target",
        [],
        |r| r.get(0),
    )?;
    let (ours, theirs): (i64, i64) = conn.query_row(
        "SELECT ifnull((SELECT max(seq) FROM main.history), 0), ifnull((SELECT max(seq) FROM other.history), 0)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(match first_diff {
        Some(s) => s - 1,
        None => ours.min(theirs),
    })
}

/// Reads copy `db`'s changes since `fork`.
pub(crate) fn read(conn: &Connection, db: &str, fork: i64) -> Result<(Traces, Vec<Action>)> {
    let mut ops: Vec<(usize, RowChange)> = Vec::new();
    let mut authors: Vec<Author> = Vec::new();
    let mut actions = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT seq, at, actor, machine, command, summary, kind, target, changes FROM {db}.history WHERE seq > ?1 ORDER BY seq"
        ))?;
        let mut target_changes =
            conn.prepare(&format!("SELECT changes FROM {db}.history WHERE seq = ?1"))?;
        let mut rows = stmt.query([fork])?;
        while let Some(r) = rows.next()? {
            let author = Author {
                at: r.get(1)?,
                actor: r.get(2)?,
                machine: r.get(3)?,
            };
            let kind: String = r.get(6)?;
            let (changes, reverse) = match kind.as_str() {
                "action" => (r.get::<_, Option<String>>(8)?, false),
                other => {
                    let target: Option<i64> = r.get(7)?;
                    let changes = match target {
                        Some(t) => target_changes
                            .query_row([t], |x| x.get::<_, Option<String>>(0))
                            .optional()?
                            .flatten(),
                        None => None,
                    };
                    (changes, other == "undo")
                }
            };
            actions.push(Action {
                seq: r.get(0)?,
                author: author.clone(),
                command: r.get(4)?,
                summary: r.get(5)?,
            });
            let Some(changes) = changes else { continue };
            let list: Vec<RowChange> = serde_json::from_str(&changes)
                .map_err(|e| Error::Invalid(format!("{db} history entry is unreadable: {e}")))?;
            authors.push(author);
            let who = authors.len() - 1;
            if reverse {
                for ch in list.into_iter().rev() {
                    let op = match ch.op {
                        'I' => 'D',
                        'D' => 'I',
                        o => o,
                    };
                    let flipped = RowChange {
                        t: ch.t,
                        op,
                        r: ch.r,
                        o: ch.n,
                        n: ch.o,
                    };
                    ops.push((who, flipped));
                }
            } else {
                ops.extend(list.into_iter().map(|c| (who, c)));
            }
        }
    }
    let mut ids = Ids::new(conn, db, &ops);
    let keys = row_keys(&mut ids, &ops)?;
    let mut traces: Traces = HashMap::new();
    for ((who, ch), key) in ops.iter().zip(keys) {
        let Some(key) = key else { continue };
        let Some(spec) = spec_of(&ch.t) else { continue };
        let author = &authors[*who];
        let trace = traces.entry((ch.t.clone(), key)).or_default();
        match ch.op {
            'I' => {
                if trace.fields.is_empty() && trace.deleted.is_none() {
                    trace.inserted = Some(author.clone());
                }
                trace.deleted = None;
                for c in ch.n.iter().flat_map(|n| n.keys()) {
                    touch(trace, c, None, author, true);
                }
            }
            'D' => {
                let old = ids.translate(spec, ch.r, ch.o.as_ref())?;
                for (c, v) in old {
                    touch(trace, &c, Some(v), author, false);
                }
                trace.deleted = Some(author.clone());
            }
            _ => {
                let old = ids.translate(spec, ch.r, ch.o.as_ref())?;
                for (c, v) in old {
                    touch(trace, &c, Some(v), author, false);
                }
            }
        }
    }
    for trace in traces.values_mut() {
        trace.fields.remove("id");
    }
    Ok((traces, actions))
}

/// Records the column's first value (its base) and its last author.
fn touch(trace: &mut RowTrace, column: &str, before: Option<Json>, by: &Author, fresh: bool) {
    match trace.fields.get_mut(column) {
        Some(t) => t.by = by.clone(),
        None => {
            let base = if fresh { None } else { before };
            trace.fields.insert(
                column.to_owned(),
                Touch {
                    base,
                    by: by.clone(),
                },
            );
        }
    }
}

/// The key of the row each change touched: from the row image where the
/// change has a whole one (insert, delete), else from the insert before it,
/// the delete after it, or the row as it is now.
fn row_keys(ids: &mut Ids, ops: &[(usize, RowChange)]) -> Result<Vec<Option<String>>> {
    let mut keys: Vec<Option<String>> = vec![None; ops.len()];
    let mut alive: HashMap<(&str, i64), String> = HashMap::new();
    let mut pending: HashMap<(&str, i64), Vec<usize>> = HashMap::new();
    for (i, (_, ch)) in ops.iter().enumerate() {
        let Some(spec) = spec_of(&ch.t) else { continue };
        let id = (ch.t.as_str(), ch.r);
        match ch.op {
            'I' | 'D' => {
                let image = if ch.op == 'I' { &ch.n } else { &ch.o };
                let key = spec.key_of(&ids.translate(spec, ch.r, image.as_ref())?);
                if let Some(waiting) = pending.remove(&id) {
                    for w in waiting {
                        keys[w] = key.clone();
                    }
                }
                if ch.op == 'I' {
                    if let Some(k) = &key {
                        alive.insert(id, k.clone());
                    }
                } else {
                    alive.remove(&id);
                }
                keys[i] = key;
            }
            _ => match alive.get(&id) {
                Some(k) => keys[i] = Some(k.clone()),
                None => pending.entry(id).or_default().push(i),
            },
        }
    }
    for ((table, rowid), waiting) in pending {
        let Some(spec) = spec_of(table) else { continue };
        let key = ids.current_key(spec, rowid)?;
        for w in waiting {
            keys[w] = key.clone();
        }
    }
    Ok(keys)
}

/// Row id → uuid in one copy: rows as they are now, and rows the history
/// saw whole (deleted ones included).
struct Ids<'c> {
    conn: &'c Connection,
    db: String,
    seen: HashMap<(String, i64), String>,
    /// (document row id, version number) → version uuid, from the history.
    versions: HashMap<(i64, i64), String>,
}

impl<'c> Ids<'c> {
    fn new(conn: &'c Connection, db: &str, ops: &[(usize, RowChange)]) -> Ids<'c> {
        let mut seen = HashMap::new();
        let mut versions = HashMap::new();
        for (_, ch) in ops {
            for image in [&ch.o, &ch.n].into_iter().flatten() {
                if ch.op == 'U' {
                    continue;
                }
                if let Some(Json::String(u)) = image.get("uuid") {
                    seen.insert((ch.t.clone(), ch.r), u.clone());
                    if ch.t == "document_versions"
                        && let (Some(d), Some(v)) = (
                            image.get("document_id").and_then(Json::as_i64),
                            image.get("version").and_then(Json::as_i64),
                        )
                    {
                        versions.insert((d, v), u.clone());
                    }
                }
            }
        }
        Ids {
            conn,
            db: db.to_owned(),
            seen,
            versions,
        }
    }

    fn uuid(&mut self, table: &str, id: i64) -> Result<Option<String>> {
        if let Some(u) = self.seen.get(&(table.to_owned(), id)) {
            return Ok(Some(u.clone()));
        }
        let found: Option<String> = self
            .conn
            .query_row(
                &format!("SELECT uuid FROM {}.\"{table}\" WHERE id = ?1", self.db),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(u) = &found {
            self.seen.insert((table.to_owned(), id), u.clone());
        }
        Ok(found)
    }

    fn version_uuid(&mut self, document: i64, version: i64) -> Result<Option<String>> {
        if let Some(u) = self.versions.get(&(document, version)) {
            return Ok(Some(u.clone()));
        }
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT uuid FROM {}.document_versions WHERE document_id = ?1 AND version = ?2",
                    self.db
                ),
                [document, version],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A row image (this copy's ids) as a record (uuids).
    fn translate(
        &mut self,
        spec: &Spec,
        rowid: i64,
        image: Option<&Map<String, Json>>,
    ) -> Result<Record> {
        let mut out = Record::new();
        for (c, v) in image.into_iter().flatten() {
            let value = if let (Some(target), Some(id)) = (spec.fk(c), v.as_i64()) {
                self.uuid(target, id)?
                    .map(Json::String)
                    .unwrap_or(Json::Null)
            } else if (spec.table, c.as_str()) == CURRENT_VERSION
                && let Some(n) = v.as_i64()
            {
                self.version_uuid(rowid, n)?
                    .map(Json::String)
                    .unwrap_or(Json::Null)
            } else {
                v.clone()
            };
            out.insert(c.clone(), value);
        }
        Ok(out)
    }

    /// The key of the row with this row id now, if it exists.
    fn current_key(&mut self, spec: &Spec, rowid: i64) -> Result<Option<String>> {
        let cols: Vec<String> = spec.key.iter().map(|c| format!("\"{c}\"")).collect();
        let sql = format!(
            "SELECT json_object({}) FROM {}.\"{}\" WHERE rowid = ?1",
            spec.key
                .iter()
                .zip(&cols)
                .map(|(k, c)| format!("'{k}', {c}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.db,
            spec.table
        );
        let image: Option<String> = self
            .conn
            .query_row(&sql, [rowid], |r| r.get(0))
            .optional()?;
        let Some(image) = image else { return Ok(None) };
        let image: Map<String, Json> = serde_json::from_str(&image)
            .map_err(|e| Error::Invalid(format!("unreadable row: {e}")))?;
        Ok(spec.key_of(&self.translate(spec, rowid, Some(&image))?))
    }
}

/// A colleague's change that a merge brought in, as the merge's history
/// entry records it (the merge itself is one entry by whoever merged).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MergedAction {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub machine: Option<String>,
    pub command: String,
    pub summary: String,
}

impl crate::Store {
    /// The colleague's changes each merge brought in, by the merge's
    /// history entry (merges without any are left out).
    pub fn merged_actions(&self) -> Result<std::collections::BTreeMap<i64, Vec<MergedAction>>> {
        let mut stmt = self.conn().prepare(
            "SELECT seq, json_extract(forward, '$.their_actions') FROM history
             WHERE command = 'merge' AND kind = 'action' ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut out = std::collections::BTreeMap::new();
        for row in rows {
            let (seq, list) = row?;
            let Some(list): Option<String> = list else {
                continue;
            };
            let actions: Vec<MergedAction> = serde_json::from_str(&list)
                .map_err(|e| Error::Invalid(format!("unreadable merge record {seq}: {e}")))?;
            if !actions.is_empty() {
                out.insert(seq, actions);
            }
        }
        Ok(out)
    }
}
