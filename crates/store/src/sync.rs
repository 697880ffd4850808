//! A replica of a shared project (issue 16): what the project file keeps
//! for the sync in `storyloom-share`, and the rows a push carries.
//!
//! - `sync_server`: the server (locator without password, schema), the
//!   project's uuid, the last server sequence number pulled, this replica's uuid;
//! - `sync_base`: the shared state as of that pull, as merge [`Record`]s.
//!   A push sends the rows a local entry touched whose record now differs
//!   from the base; a pull compares its rows with the base to see what this
//!   replica changed and has not pushed yet;
//! - `history.shared_seq`: NULL for a local entry not pushed yet.
//!
//! The server's rows are [`SyncRow`]s: a table, a key ([`Spec::key_of`])
//! and the row's full record (`None`: deleted). An imported document's file
//! travels as a row of the pseudo-table [`FILE_TABLE`] keyed by the
//! document's uuid (`{sha256, size}`; the bytes are stored on the server once).

use super::merge_read::{FileBytes, read_records};
use super::merge_specs::{Record, SPECS, Spec, record_columns, record_sql, spec_of};
use super::{Store, Tx};
use crate::capture::RowChange;
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

/// The pseudo-table of imported files in [`SyncRow`]s.
pub const FILE_TABLE: &str = "document_files";

/// A replica's link to its server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncServer {
    /// `postgres://user@host:port/db/schema`, never with a password.
    pub locator: String,
    pub schema: String,
    pub project_uuid: String,
    /// The server's last log sequence number this replica has applied.
    pub pulled_seq: i64,
    /// This replica's own uuid.
    pub replica: String,
}

/// One row as the server keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRow {
    pub t: String,
    pub k: String,
    pub rec: Option<Record>,
}

/// A local history entry not pushed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingEntry {
    pub seq: i64,
    pub uuid: String,
    pub at: String,
    pub actor: String,
    pub machine: String,
    pub command: String,
    pub summary: String,
}

/// Who made a change pulled from the server, for its history entry here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionMeta {
    pub seq: i64,
    pub uuid: String,
    pub at: String,
    pub actor: String,
    pub machine: String,
    pub command: String,
    pub summary: String,
}

impl Store {
    /// The server this project is a replica of, if it is one.
    pub fn sync_server(&self) -> Result<Option<SyncServer>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT locator, schema_name, project_uuid, pulled_seq, replica FROM sync_server",
                [],
                |r| {
                    Ok(SyncServer {
                        locator: r.get(0)?,
                        schema: r.get(1)?,
                        project_uuid: r.get(2)?,
                        pulled_seq: r.get(3)?,
                        replica: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Makes this project a replica of `server` whose shared state is this
    /// project as it is now (after sharing it, or after a fresh replica
    /// downloaded the state): the base is every row, and every history
    /// entry counts as shared. Bookkeeping, not an undoable change.
    pub fn begin_replica(&mut self, server: &SyncServer) -> Result<()> {
        let tx = self.begin()?;
        tx.execute("DELETE FROM sync_server", [])?;
        tx.execute(
            "INSERT INTO sync_server(id, locator, schema_name, project_uuid, pulled_seq, replica) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![server.locator, server.schema, server.project_uuid, server.pulled_seq, server.replica],
        )?;
        tx.execute(
            "UPDATE history SET shared_seq = 0 WHERE shared_seq IS NULL",
            [],
        )?;
        tx.execute("DELETE FROM sync_base", [])?;
        tx.execute("DELETE FROM sync_extra", [])?;
        for row in all_rows(&tx)? {
            set_base(&tx, &row.t, &row.k, row.rec.as_ref())?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Gives a new, empty project the uuid of the project it will replicate.
    pub fn set_project_uuid(&mut self, uuid: &str) -> Result<()> {
        let tx = self.begin()?;
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'project_uuid'",
            [uuid],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every row of the project as the server keeps it (to share it).
    pub fn sync_rows(&self) -> Result<Vec<SyncRow>> {
        all_rows(self.conn())
    }

    /// The local history entries not pushed yet, oldest first.
    pub fn pending_entries(&self) -> Result<Vec<PendingEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT seq, coalesce(uuid, ''), at, actor, coalesce(machine, ''), command, summary
             FROM history WHERE shared_seq IS NULL ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PendingEntry {
                seq: r.get(0)?,
                uuid: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                machine: r.get(4)?,
                command: r.get(5)?,
                summary: r.get(6)?,
            })
        })?;
        let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        // Entries made before this build gave every entry a uuid.
        for e in out.iter_mut().filter(|e| e.uuid.is_empty()) {
            e.uuid = crate::new_uuid();
            self.conn().execute(
                "UPDATE history SET uuid = ?2 WHERE seq = ?1",
                params![e.seq, e.uuid],
            )?;
        }
        Ok(out)
    }

    /// The rows a push of `entry` carries: every row it touched (and the
    /// rows set aside for the next push) whose record now differs from the
    /// shared base, as they are now (`None`: gone).
    pub fn push_rows(&self, entry: &PendingEntry) -> Result<Vec<SyncRow>> {
        let conn = self.conn();
        let changes = entry_changes(conn, entry.seq)?;
        let extras: Vec<(String, String)> = conn
            .prepare("SELECT tbl, key FROM sync_extra")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut whole: BTreeSet<&'static str> = BTreeSet::new();
        if extras.iter().any(|(t, _)| t == "*") {
            whole.extend(SPECS.iter().map(|s| s.table));
        }
        let mut candidates: BTreeMap<(String, String), Option<Record>> = BTreeMap::new();
        for ch in &changes {
            let Some(spec) = spec_of(&ch.t) else { continue };
            if whole.contains(spec.table) {
                continue;
            }
            match record_by_rowid(conn, spec, ch.r)? {
                Some(rec) => {
                    if let Some(k) = spec.key_of(&rec) {
                        candidates.insert((spec.table.to_owned(), k), Some(rec));
                    }
                }
                None if spec.by_uuid() => {
                    let image = ch.o.as_ref().or(ch.n.as_ref());
                    if let Some(Json::String(k)) = image.and_then(|m| m.get("uuid")) {
                        candidates.insert((spec.table.to_owned(), k.clone()), None);
                    }
                }
                None => {
                    whole.insert(spec.table);
                }
            }
        }
        for (t, k) in extras.into_iter().filter(|(t, _)| t != "*") {
            let Some(spec) = spec_of(&t) else { continue };
            let rec = record_by_key(conn, spec, &k)?;
            candidates.insert((t, k), rec);
        }
        let mut out = Vec::new();
        for ((t, k), rec) in candidates {
            if whole.contains(t.as_str()) {
                continue;
            }
            if base(conn, &t, &k)? != rec {
                out.push(SyncRow { t, k, rec });
            }
        }
        for spec in SPECS.iter().filter(|s| whole.contains(s.table)) {
            out.extend(table_diff(conn, spec)?);
        }
        // Files of the documents this push adds.
        let mut files = Vec::new();
        for row in out.iter().filter(|r| r.t == "documents" && r.rec.is_some()) {
            if base(conn, FILE_TABLE, &row.k)?.is_none()
                && let Some(rec) = file_record(conn, &row.k)?
            {
                files.push(SyncRow {
                    t: FILE_TABLE.to_owned(),
                    k: row.k.clone(),
                    rec: Some(rec),
                });
            }
        }
        out.extend(files);
        Ok(out)
    }

    /// The imported file of a document, by its uuid.
    pub fn document_file(&self, document_uuid: &str) -> Result<Option<FileBytes>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT f.sha256, f.size, f.bytes FROM document_files f JOIN documents d ON d.id = f.document_id WHERE d.uuid = ?1",
                [document_uuid],
                |r| {
                    Ok(FileBytes {
                        sha256: r.get(0)?,
                        size: r.get(1)?,
                        bytes: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that the server took `entry` (its log number `seq`) with
    /// these rows: they are the shared base now. `seq` becomes the pulled
    /// sequence number (a push happens only with nothing left to pull).
    /// `all_sent`: the push carried every row set aside (see [`Store::push_rows`]);
    /// false for an entry of ours found on the server after a crash.
    pub fn mark_pushed(
        &mut self,
        entry: &str,
        seq: i64,
        rows: &[SyncRow],
        all_sent: bool,
    ) -> Result<()> {
        let tx = self.begin()?;
        tx.execute(
            "UPDATE history SET shared_seq = ?2 WHERE uuid = ?1",
            params![entry, seq],
        )?;
        for row in rows {
            set_base(&tx, &row.t, &row.k, row.rec.as_ref())?;
        }
        if all_sent {
            // Every row set aside went with this push, or is as shared already.
            tx.execute("DELETE FROM sync_extra", [])?;
        }
        tx.execute(
            "UPDATE sync_server SET pulled_seq = max(pulled_seq, ?1)",
            [seq],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Is `uuid` one of this replica's entries not marked pushed yet?
    pub fn is_pending(&self, uuid: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM history WHERE uuid = ?1 AND shared_seq IS NULL",
                [uuid],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Has this replica anything to push?
    pub fn has_pending(tx: &Tx) -> Result<bool> {
        Ok(tx
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM history WHERE shared_seq IS NULL) OR EXISTS(SELECT 1 FROM sync_extra)",
                [],
                |r| r.get(0),
            )?)
    }

    /// The shared base of a row.
    pub fn sync_base_of(tx: &Tx, table: &str, key: &str) -> Result<Option<Record>> {
        base(tx.sql(), table, key)
    }

    /// Sets (or, with `None`, removes) the shared base of a row.
    pub fn set_sync_base(tx: &Tx, table: &str, key: &str, rec: Option<&Record>) -> Result<()> {
        set_base(tx.sql(), table, key, rec)
    }

    /// Puts a row on the next push (kept against a colleague's delete).
    pub fn add_sync_extra(tx: &Tx, table: &str, key: &str) -> Result<()> {
        tx.execute(
            "INSERT OR IGNORE INTO sync_extra(tbl, key) VALUES (?1, ?2)",
            params![table, key],
        )?;
        Ok(())
    }

    /// A row's record by its key (link tables too).
    pub fn record_by_key(tx: &Tx, spec: &Spec, key: &str) -> Result<Option<Record>> {
        record_by_key(tx.sql(), spec, key)
    }

    /// The rows that point at a row (its children, by foreign key).
    pub fn rows_pointing_at(tx: &Tx, spec: &Spec, key: &str) -> Result<Vec<(Spec, Record)>> {
        let mut out = Vec::new();
        if !spec.by_uuid() {
            return Ok(out);
        }
        let Some(id) = tx
            .query_row(
                &format!("SELECT id FROM \"{}\" WHERE uuid = ?1", spec.table),
                [key],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
        else {
            return Ok(out);
        };
        for child in SPECS {
            for (col, target) in child.fks {
                if *target != spec.table {
                    continue;
                }
                let columns = record_columns(tx.sql(), "main", child.table)?;
                let sql = format!(
                    "SELECT {} FROM main.\"{}\" t WHERE t.\"{col}\" = ?1",
                    record_sql("main", child, &columns),
                    child.table
                );
                let texts: Vec<String> = tx
                    .prepare(&sql)?
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for t in texts {
                    out.push((*child, parse(&t)?));
                }
            }
        }
        Ok(out)
    }

    /// Does the document (by uuid) have its imported file here?
    pub fn has_document_file(tx: &Tx, document_uuid: &str) -> Result<bool> {
        Ok(tx
            .query_row(
                "SELECT 1 FROM document_files f JOIN documents d ON d.id = f.document_id WHERE d.uuid = ?1",
                [document_uuid],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

/// After a bulk change (rows not captured) in a replica: the next push
/// compares every table with the base.
pub(crate) fn note_bulk(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO sync_extra(tbl, key) SELECT '*', '*' WHERE EXISTS (SELECT 1 FROM sync_server)",
        [],
    )?;
    Ok(())
}

fn parse(text: &str) -> Result<Record> {
    serde_json::from_str(text).map_err(|e| Error::Invalid(format!("unreadable row: {e}")))
}

fn base(conn: &Connection, table: &str, key: &str) -> Result<Option<Record>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT rec FROM sync_base WHERE tbl = ?1 AND key = ?2",
            params![table, key],
            |r| r.get(0),
        )
        .optional()?;
    text.map(|t| parse(&t)).transpose()
}

fn set_base(conn: &Connection, table: &str, key: &str, rec: Option<&Record>) -> Result<()> {
    match rec {
        Some(rec) => {
            let text = serde_json::to_string(rec)
                .map_err(|e| Error::Invalid(format!("could not record a row: {e}")))?;
            conn.execute(
                "INSERT INTO sync_base(tbl, key, rec) VALUES (?1, ?2, ?3) ON CONFLICT(tbl, key) DO UPDATE SET rec = excluded.rec",
                params![table, key, text],
            )?;
        }
        None => {
            conn.execute(
                "DELETE FROM sync_base WHERE tbl = ?1 AND key = ?2",
                params![table, key],
            )?;
        }
    }
    Ok(())
}

/// The row changes of a history entry (of the entry it reversed, for an
/// undo or redo).
fn entry_changes(conn: &Connection, seq: i64) -> Result<Vec<RowChange>> {
    let text: Option<String> = conn.query_row(
        "SELECT CASE WHEN h.kind = 'action' THEN h.changes ELSE (SELECT t.changes FROM history t WHERE t.seq = h.target) END
         FROM history h WHERE h.seq = ?1",
        [seq],
        |r| r.get(0),
    )?;
    match text {
        None => Ok(Vec::new()),
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| Error::Invalid(format!("unreadable history entry {seq}: {e}"))),
    }
}

fn record_by_rowid(conn: &Connection, spec: &Spec, rowid: i64) -> Result<Option<Record>> {
    let columns = record_columns(conn, "main", spec.table)?;
    let sql = format!(
        "SELECT {} FROM main.\"{}\" t WHERE t.rowid = ?1",
        record_sql("main", spec, &columns),
        spec.table
    );
    let text: Option<String> = conn.query_row(&sql, [rowid], |r| r.get(0)).optional()?;
    text.map(|t| parse(&t)).transpose()
}

fn record_by_key(conn: &Connection, spec: &Spec, key: &str) -> Result<Option<Record>> {
    if spec.by_uuid() {
        let list = Json::Array(vec![Json::String(key.to_owned())]).to_string();
        return Ok(read_records(conn, "main", spec, Some(&list))?
            .into_iter()
            .next());
    }
    Ok(read_records(conn, "main", spec, None)?
        .into_iter()
        .find(|r| spec.key_of(r).as_deref() == Some(key)))
}

fn file_record(conn: &Connection, document_uuid: &str) -> Result<Option<Record>> {
    let found: Option<(String, i64)> = conn
        .query_row(
            "SELECT f.sha256, f.size FROM document_files f JOIN documents d ON d.id = f.document_id WHERE d.uuid = ?1",
            [document_uuid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.map(|(sha, size)| {
        let mut rec = Record::new();
        rec.insert("sha256".into(), Json::String(sha));
        rec.insert("size".into(), Json::from(size));
        rec
    }))
}

/// Rows of one table that differ from the base (changed, added, gone).
fn table_diff(conn: &Connection, spec: &Spec) -> Result<Vec<SyncRow>> {
    let mut base_rows: BTreeMap<String, Record> = BTreeMap::new();
    {
        let mut stmt = conn.prepare("SELECT key, rec FROM sync_base WHERE tbl = ?1")?;
        let rows = stmt.query_map([spec.table], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (k, text) = row?;
            base_rows.insert(k, parse(&text)?);
        }
    }
    let mut out = Vec::new();
    for rec in read_records(conn, "main", spec, None)? {
        let Some(k) = spec.key_of(&rec) else { continue };
        if base_rows.remove(&k).as_ref() != Some(&rec) {
            out.push(SyncRow {
                t: spec.table.to_owned(),
                k,
                rec: Some(rec),
            });
        }
    }
    out.extend(base_rows.into_keys().map(|k| SyncRow {
        t: spec.table.to_owned(),
        k,
        rec: None,
    }));
    Ok(out)
}

/// Every row and file record of the project.
fn all_rows(conn: &Connection) -> Result<Vec<SyncRow>> {
    let mut out = Vec::new();
    for spec in SPECS {
        for rec in read_records(conn, "main", spec, None)? {
            if let Some(k) = spec.key_of(&rec) {
                out.push(SyncRow {
                    t: spec.table.to_owned(),
                    k,
                    rec: Some(rec),
                });
            }
        }
    }
    let docs: Vec<String> = conn
        .prepare("SELECT d.uuid FROM documents d JOIN document_files f ON f.document_id = d.id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for d in docs {
        if let Some(rec) = file_record(conn, &d)? {
            out.push(SyncRow {
                t: FILE_TABLE.to_owned(),
                k: d,
                rec: Some(rec),
            });
        }
    }
    Ok(out)
}
