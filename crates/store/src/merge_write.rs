//! Writing a merge's decisions: rows added, columns set, rows removed (all
//! by key, foreign keys given as uuids), and the conflicts the merge leaves
//! for a person. A write the schema refuses (a name already taken, a row
//! pointing at one that is not here) comes back as [`Written::Refused`] so
//! that the merge lists it instead of failing or dropping it.

use super::merge_read::FileBytes;
use super::merge_specs::{CURRENT_VERSION, Record, Spec};
use super::{Store, Tx, now};
use crate::error::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params, params_from_iter};
use serde_json::Value as Json;

/// How a write went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Done,
    /// The schema refused it; why, in words.
    Refused(String),
}

/// A conflict the merge leaves for a person.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConflictRow {
    pub uuid: String,
    /// `field`, `deleted-used`, `deleted-changed`, `both-corrected`, `refused`.
    pub kind: String,
    pub entity: String,
    pub entity_uuid: String,
    pub field: String,
    pub label: String,
    /// The version now in the project (JSON), and who made it.
    pub kept: Option<String>,
    pub kept_by: String,
    /// The version set aside, and who made it.
    pub other: Option<String>,
    pub other_by: String,
    pub resolved: bool,
}

impl Store {
    /// Adds a row the colleague has.
    pub fn merge_insert(tx: &Tx, spec: &Spec, record: &Record) -> Result<Written> {
        let mut cols = Vec::new();
        let mut values = Vec::new();
        for (c, v) in record {
            // A new document names its current version once its versions are in.
            if (spec.table, c.as_str()) == CURRENT_VERSION {
                continue;
            }
            match local_value(tx, spec, c, v)? {
                Ok(value) => {
                    cols.push(format!("\"{c}\""));
                    values.push(value);
                }
                Err(why) => return Ok(Written::Refused(why)),
            }
        }
        let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO \"{}\"({}) VALUES ({})",
            spec.table,
            cols.join(", "),
            marks.join(", ")
        );
        refused_or(tx.execute(&sql, params_from_iter(values)))
    }

    /// Sets columns of a row (found by key).
    pub fn merge_update(tx: &Tx, spec: &Spec, key: &str, fields: &Record) -> Result<Written> {
        let Some(rowid) = rowid_of(tx, spec, key)? else {
            return Ok(Written::Refused(format!(
                "{} {key} is not here",
                spec.table
            )));
        };
        let mut sets = Vec::new();
        let mut values = vec![Value::Integer(rowid)];
        for (c, v) in fields {
            match local_value(tx, spec, c, v)? {
                Ok(value) => {
                    values.push(value);
                    sets.push(format!("\"{c}\" = ?{}", values.len()));
                }
                Err(why) => return Ok(Written::Refused(why)),
            }
        }
        if sets.is_empty() {
            return Ok(Written::Done);
        }
        let sql = format!(
            "UPDATE \"{}\" SET {} WHERE rowid = ?1",
            spec.table,
            sets.join(", ")
        );
        refused_or(tx.execute(&sql, params_from_iter(values)))
    }

    /// Removes a row (found by key; one already gone is refused).
    pub fn merge_delete(tx: &Tx, spec: &Spec, key: &str) -> Result<Written> {
        let Some(rowid) = rowid_of(tx, spec, key)? else {
            return Ok(Written::Refused(format!(
                "{} {key} is not here",
                spec.table
            )));
        };
        refused_or(tx.execute(
            &format!("DELETE FROM \"{}\" WHERE rowid = ?1", spec.table),
            [rowid],
        ))
    }

    /// Gives a document version another number (the document's current
    /// version follows it), when both copies corrected the same transcript.
    pub fn renumber_version(tx: &Tx, version_uuid: &str, number: i64) -> Result<()> {
        let (doc, old): (i64, i64) = tx.query_row(
            "SELECT document_id, version FROM document_versions WHERE uuid = ?1",
            [version_uuid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.execute(
            "UPDATE document_versions SET version = ?2 WHERE uuid = ?1",
            params![version_uuid, number],
        )?;
        tx.execute(
            "UPDATE documents SET current_version = ?3 WHERE id = ?1 AND current_version = ?2",
            params![doc, old, number],
        )?;
        Ok(())
    }

    /// The version numbers of a document here (uuid → number).
    pub fn version_numbers(tx: &Tx, document_uuid: &str) -> Result<Vec<(String, i64)>> {
        let mut stmt = tx.prepare(
            "SELECT v.uuid, v.version FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.uuid = ?1",
        )?;
        let rows = stmt.query_map([document_uuid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores the imported file of a document the merge added.
    pub fn merge_insert_file(tx: &Tx, document_uuid: &str, file: &FileBytes) -> Result<Written> {
        refused_or(tx.execute(
            "INSERT INTO document_files(document_id, sha256, size, bytes)
             SELECT id, ?2, ?3, ?4 FROM documents WHERE uuid = ?1",
            params![document_uuid, file.sha256, file.size, file.bytes],
        ))
    }

    /// Lists a conflict; `false` if it is listed already (same uuid).
    pub fn insert_merge_conflict(tx: &Tx, c: &ConflictRow) -> Result<bool> {
        let n = tx.execute(
            "INSERT OR IGNORE INTO merge_conflicts(uuid, kind, entity, entity_uuid, field, label, kept, kept_by, other, other_by, resolved, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                c.uuid, c.kind, c.entity, c.entity_uuid, c.field, c.label, c.kept, c.kept_by,
                c.other, c.other_by, c.resolved, now()
            ],
        )?;
        Ok(n == 1)
    }

    /// Marks a listed conflict settled.
    pub fn resolve_merge_conflict(tx: &Tx, uuid: &str) -> Result<bool> {
        Ok(tx.execute(
            "UPDATE merge_conflicts SET resolved = 1 WHERE uuid = ?1 AND resolved = 0",
            [uuid],
        )? == 1)
    }

    /// Conflicts left by merges (open ones unless `all`), oldest first.
    pub fn merge_conflicts(&self, all: bool) -> Result<Vec<ConflictRow>> {
        read_conflicts(self.conn(), all)
    }

    /// Conflicts as the merge's transaction sees them.
    pub fn merge_conflicts_in(tx: &Tx, all: bool) -> Result<Vec<ConflictRow>> {
        read_conflicts(tx.sql(), all)
    }

    /// Deleted codes that still have live codings, with those codings'
    /// uuids (code uuid → coding uuids), as the merge's transaction sees them.
    pub fn deleted_codes_in_use(tx: &Tx) -> Result<Vec<(String, Vec<String>)>> {
        deleted_with_live_codings(
            tx,
            "SELECT c.uuid, json_group_array(g.uuid) FROM codes c JOIN codings g ON g.code_id = c.id
             WHERE c.deleted = 1 AND g.deleted = 0 GROUP BY c.id ORDER BY c.uuid",
        )
    }

    /// Deleted documents that still have live codings (document uuid →
    /// coding uuids): a document taken out on one side and coded on the other.
    pub fn deleted_documents_in_use(tx: &Tx) -> Result<Vec<(String, Vec<String>)>> {
        deleted_with_live_codings(
            tx,
            "SELECT d.uuid, json_group_array(g.uuid) FROM documents d
             JOIN document_versions v ON v.document_id = d.id
             JOIN codings g ON g.version_id = v.id
             WHERE d.deleted = 1 AND g.deleted = 0 GROUP BY d.id ORDER BY d.uuid",
        )
    }
}

/// Rows of `sql`: a uuid and a JSON array of coding uuids.
fn deleted_with_live_codings(tx: &Tx, sql: &str) -> Result<Vec<(String, Vec<String>)>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (uuid, list) = row?;
        let codings: Vec<String> = serde_json::from_str(&list)
            .map_err(|e| Error::Invalid(format!("unreadable coding list: {e}")))?;
        out.push((uuid, codings));
    }
    Ok(out)
}

impl Store {
    /// The live codings that go when a row goes (a code's codings, a
    /// document's, a coding itself), by coder: (coder, how many).
    pub fn codings_going_with(&self, table: &str, uuid: &str) -> Result<Vec<(String, usize)>> {
        let sql = match table {
            "codes" => {
                "SELECT g.coder, count(*) FROM codings g JOIN codes c ON c.id = g.code_id
                 WHERE c.uuid = ?1 AND g.deleted = 0 GROUP BY g.coder ORDER BY g.coder"
            }
            "documents" => {
                "SELECT g.coder, count(*) FROM codings g JOIN document_versions v ON v.id = g.version_id
                 JOIN documents d ON d.id = v.document_id
                 WHERE d.uuid = ?1 AND g.deleted = 0 GROUP BY g.coder ORDER BY g.coder"
            }
            "codings" => {
                "SELECT coder, count(*) FROM codings WHERE uuid = ?1 AND deleted = 0 GROUP BY coder"
            }
            _ => return Ok(Vec::new()),
        };
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([uuid], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets aside (the deleted flag) the live codings of a code; how many.
    pub fn delete_codings_of_code(tx: &Tx, code_uuid: &str) -> Result<usize> {
        Ok(tx.execute(
            "UPDATE codings SET deleted = 1
             WHERE deleted = 0 AND code_id = (SELECT id FROM codes WHERE uuid = ?1)",
            [code_uuid],
        )?)
    }
}

fn read_conflicts(conn: &rusqlite::Connection, all: bool) -> Result<Vec<ConflictRow>> {
    let mut stmt = conn.prepare(
        "SELECT uuid, kind, entity, entity_uuid, field, label, kept, kept_by, other, other_by, resolved
         FROM merge_conflicts WHERE ?1 OR resolved = 0 ORDER BY id",
    )?;
    let rows = stmt.query_map([all], |r| {
        Ok(ConflictRow {
            uuid: r.get(0)?,
            kind: r.get(1)?,
            entity: r.get(2)?,
            entity_uuid: r.get(3)?,
            field: r.get(4)?,
            label: r.get(5)?,
            kept: r.get(6)?,
            kept_by: r.get(7)?,
            other: r.get(8)?,
            other_by: r.get(9)?,
            resolved: r.get::<_, i64>(10)? != 0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The local row id of a row named by key.
fn rowid_of(tx: &Tx, spec: &Spec, key: &str) -> Result<Option<i64>> {
    if spec.by_uuid() {
        return Ok(tx
            .query_row(
                &format!("SELECT rowid FROM \"{}\" WHERE uuid = ?1", spec.table),
                [key],
                |r| r.get(0),
            )
            .optional()?);
    }
    // Link rows: the key is their key columns' values (uuids for foreign keys) joined by '/'.
    let parts: Vec<&str> = key.split('/').collect();
    if parts.len() != spec.key.len() {
        return Ok(None);
    }
    let mut conds = Vec::new();
    let mut values = Vec::new();
    for (c, part) in spec.key.iter().zip(parts) {
        values.push(Value::Text(part.to_owned()));
        let i = values.len();
        match spec.fk(c) {
            Some(target) => conds.push(format!(
                "\"{c}\" = (SELECT id FROM \"{target}\" WHERE uuid = ?{i})"
            )),
            None => conds.push(format!("CAST(\"{c}\" AS TEXT) = ?{i}")),
        }
    }
    Ok(tx
        .query_row(
            &format!(
                "SELECT rowid FROM \"{}\" WHERE {}",
                spec.table,
                conds.join(" AND ")
            ),
            params_from_iter(values),
            |r| r.get(0),
        )
        .optional()?)
}

/// A record's value as this copy stores it: uuids of other rows become
/// this copy's row ids. `Err(why)` when the row pointed at is not here.
fn local_value(
    tx: &Tx,
    spec: &Spec,
    column: &str,
    v: &Json,
) -> Result<std::result::Result<Value, String>> {
    let lookup = |sql: &str, uuid: &str| -> Result<Option<i64>> {
        Ok(tx.query_row(sql, [uuid], |r| r.get(0)).optional()?)
    };
    if let (Some(target), Json::String(uuid)) = (spec.fk(column), v) {
        return Ok(
            match lookup(
                &format!("SELECT id FROM \"{target}\" WHERE uuid = ?1"),
                uuid,
            )? {
                Some(id) => Ok(Value::Integer(id)),
                None => Err(format!(
                    "it refers to a {target} row ({uuid}) that is not here"
                )),
            },
        );
    }
    if (spec.table, column) == CURRENT_VERSION
        && let Json::String(uuid) = v
    {
        return Ok(
            match lookup(
                "SELECT version FROM document_versions WHERE uuid = ?1",
                uuid,
            )? {
                Some(n) => Ok(Value::Integer(n)),
                None => Err(format!("its current version ({uuid}) is not here")),
            },
        );
    }
    Ok(Ok(match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(*b as i64),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }))
}

/// A constraint the schema enforces becomes a refusal in words; anything
/// else is an error.
fn refused_or(r: rusqlite::Result<usize>) -> Result<Written> {
    match r {
        Ok(_) => Ok(Written::Done),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Ok(Written::Refused(constraint_words(&e.to_string())))
        }
        Err(e) => Err(e.into()),
    }
}

fn constraint_words(msg: &str) -> String {
    if msg.contains("UNIQUE") {
        format!("the name or key is already taken here ({msg})")
    } else if msg.contains("FOREIGN KEY") {
        "it refers to a row that is not here".into()
    } else {
        msg.to_owned()
    }
}

/// A live coding on a version of its document that is not the current one
/// (and not already waiting on the review list).
#[derive(Debug, Clone)]
pub struct Stranded {
    pub id: i64,
    pub uuid: String,
    pub document_id: i64,
    pub version_id: i64,
    pub current_version_id: i64,
    /// The current version's uuid (the same in every copy, unlike its row id).
    pub current_version_uuid: String,
    /// When the current version was made (the review item's date, the same both ways round).
    pub current_since: String,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub context_before: String,
    pub context_after: String,
}

impl Store {
    /// Live codings on a text version that is not their document's current one,
    /// with no open review item: what a merge must carry onto the current text.
    pub fn stranded_codings(tx: &Tx) -> Result<Vec<Stranded>> {
        let mut stmt = tx.prepare(
            "SELECT g.id, g.uuid, d.id, g.version_id, cv.id, g.start_char, g.end_char, g.quote, g.context_before, g.context_after, cv.created_at, cv.uuid
             FROM codings g
             JOIN document_versions v ON v.id = g.version_id
             JOIN documents d ON d.id = v.document_id
             JOIN document_versions cv ON cv.document_id = d.id AND cv.version = d.current_version
             WHERE g.deleted = 0 AND d.deleted = 0 AND g.version_id <> cv.id
               AND NOT EXISTS (SELECT 1 FROM review_items r WHERE r.item_uuid = g.uuid AND r.resolved = 0)
             ORDER BY g.uuid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Stranded {
                id: r.get(0)?,
                uuid: r.get(1)?,
                document_id: r.get(2)?,
                version_id: r.get(3)?,
                current_version_id: r.get(4)?,
                start: r.get::<_, i64>(5)? as usize,
                end: r.get::<_, i64>(6)? as usize,
                quote: r.get(7)?,
                context_before: r.get(8)?,
                context_after: r.get(9)?,
                current_since: r.get(10)?,
                current_version_uuid: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A version's text, as the merge's transaction sees it.
    pub fn version_text_in(tx: &Tx, version_id: i64) -> Result<String> {
        Ok(tx.query_row(
            "SELECT text FROM document_versions WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )?)
    }

    /// A review item with a uuid the caller derived (so that merging either
    /// way round lists the same item); nothing if it is there already.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_review_item_as(
        tx: &Tx,
        uuid: &str,
        document_id: i64,
        kind: &str,
        item_uuid: &str,
        reason: &str,
        proposal: Option<(usize, usize)>,
        at: &str,
    ) -> Result<()> {
        tx.execute(
            "INSERT OR IGNORE INTO review_items(uuid, document_id, item_kind, item_uuid, reason, proposal, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                uuid,
                document_id,
                kind,
                item_uuid,
                reason,
                proposal.map(|p| serde_json::json!([p.0, p.1]).to_string()),
                at
            ],
        )?;
        Ok(())
    }
}
