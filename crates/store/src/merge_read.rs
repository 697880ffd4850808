//! Reading a colleague's copy of the project beside this one, for a merge:
//! the rows that differ between the copies (as [`Record`]s both can
//! compare), each copy's changes since they diverged ([`super::merge_trace`])
//! and the bytes of documents only the colleague has. Nothing is written to
//! either project here; the colleague's file is read through a copy in a
//! temporary folder (brought to this build's schema if it is older).

use super::merge_specs::{NOT_MERGED, Record, SPECS, Spec, record_columns, record_sql};
use super::merge_trace::{self, Action, Traces};
use super::{Store, schema};
use crate::error::{Error, Result};
use rusqlite::Connection;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A row as each copy holds it (`None`: not there).
#[derive(Debug, Clone)]
pub struct RowPair {
    pub key: String,
    pub ours: Option<Record>,
    pub theirs: Option<Record>,
}

/// The rows of one table that differ between the copies.
#[derive(Debug, Clone)]
pub struct TableDiff {
    pub spec: Spec,
    pub rows: Vec<RowPair>,
}

/// An imported file's bytes, for a document only the colleague has.
#[derive(Debug, Clone)]
pub struct FileBytes {
    pub sha256: String,
    pub size: i64,
    pub bytes: Vec<u8>,
}

/// Everything a merge decides from.
#[derive(Debug)]
pub struct MergeInput {
    pub other: PathBuf,
    /// The last history entry both copies share.
    pub fork: i64,
    pub tables: Vec<TableDiff>,
    pub ours: Traces,
    pub theirs: Traces,
    /// The colleague's history entries since the divergence.
    pub their_actions: Vec<Action>,
    /// Files of documents only the colleague has, by document uuid.
    pub files: HashMap<String, FileBytes>,
}

/// Removes the temporary copy however the read ends.
struct TempCopy(PathBuf);

impl Drop for TempCopy {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

impl Store {
    /// Reads `other` (a copy of this project) against this one.
    pub fn merge_input(&self, other: &Path) -> Result<MergeInput> {
        let same = std::fs::canonicalize(other)
            .ok()
            .zip(std::fs::canonicalize(self.path()).ok())
            .is_some_and(|(a, b)| a == b);
        if same {
            return Err(Error::Refused(format!(
                "{}: that is this project itself; choose the colleague's copy",
                other.display()
            )));
        }
        if !other.is_file() {
            return Err(Error::NoSuchProject(other.to_owned()));
        }
        let temp = TempCopy(
            std::env::temp_dir().join(format!("storyloom-merge-{}.storyloom", super::new_uuid())),
        );
        copy_project(other, &temp.0)?;
        // Opening the copy checks it is a project and brings it to this schema.
        drop(Store::open(&temp.0).map_err(|e| match e {
            Error::NotAProject { reason, .. } => Error::NotAProject {
                path: other.to_owned(),
                reason,
            },
            Error::NewerVersion {
                found, supported, ..
            } => Error::NewerVersion {
                path: other.to_owned(),
                found,
                supported,
            },
            e => e,
        })?);
        let conn = self.conn();
        conn.execute(
            "ATTACH DATABASE ?1 AS other",
            [temp.0.to_string_lossy().as_ref()],
        )?;
        let out = read_attached(conn, other);
        let detached = conn.execute_batch("DETACH DATABASE other");
        let input = out?;
        detached?;
        Ok(input)
    }

    /// Every merged row of this project by table and key, for comparing two
    /// projects whatever their row ids (the merge tests' canonical dump).
    pub fn merge_records(&self) -> Result<BTreeMap<String, BTreeMap<String, Record>>> {
        let mut out = BTreeMap::new();
        for spec in SPECS {
            let rows = read_records(self.conn(), "main", spec, None)?;
            out.insert(
                spec.table.to_owned(),
                rows.into_iter()
                    .filter_map(|r| spec.key_of(&r).map(|k| (k, r)))
                    .collect(),
            );
        }
        Ok(out)
    }
}

impl Store {
    /// One row's record as the merge's transaction sees it (uuid-keyed tables).
    pub fn merge_records_of(tx: &super::Tx, spec: &Spec, key: &str) -> Result<Option<Record>> {
        let list = Json::Array(vec![Json::String(key.to_owned())]).to_string();
        Ok(read_records(tx.sql(), "main", spec, Some(&list))?
            .into_iter()
            .next())
    }
}

/// The tables of a project a merge leaves alone, with the reason (for the
/// check that every table is either merged or named here).
pub fn unmerged_tables() -> &'static [(&'static str, &'static str)] {
    NOT_MERGED
}

fn copy_project(from: &Path, to: &Path) -> Result<()> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // With no journal beside it nobody has the copy open (an open project
    // always has its -shm), so it is read as a file that does not change:
    // a read-only connection would otherwise leave an empty -wal and a
    // -shm beside the colleague's copy. With a journal there, it is read
    // through it (the journal may hold committed changes).
    let alone = ["-wal", "-shm"]
        .iter()
        .all(|s| !super::file::sidecar(from, s).exists());
    let src = if alone {
        Connection::open_with_flags(immutable_uri(from), flags | OpenFlags::SQLITE_OPEN_URI)
    } else {
        Connection::open_with_flags(from, flags)
    }
    .map_err(|e| Error::NotAProject {
        path: from.to_owned(),
        reason: e.to_string(),
    })?;
    let app_id: i64 = src
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| Error::NotAProject {
            path: from.to_owned(),
            reason: e.to_string(),
        })?;
    if app_id != schema::APPLICATION_ID {
        return Err(Error::NotAProject {
            path: from.to_owned(),
            reason: "it is not a Storyloom project".into(),
        });
    }
    let mut dst = Connection::open(to)?;
    let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
    backup.run_to_completion(4096, std::time::Duration::from_millis(2), None)?;
    Ok(())
}

/// `file:PATH?immutable=1`, with the characters a URI gives meaning to escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn read_attached(conn: &Connection, other: &Path) -> Result<MergeInput> {
    let (ours_id, theirs_id): (Option<String>, Option<String>) = conn.query_row(
        "SELECT (SELECT value FROM main.meta WHERE key = 'project_uuid'), (SELECT value FROM other.meta WHERE key = 'project_uuid')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if ours_id != theirs_id {
        return Err(Error::Refused(format!(
            "{}: not a copy of this project (it was created separately), so there is no common ground to merge on",
            other.display()
        )));
    }
    let fork = merge_trace::fork_point(conn)?;
    let (ours, _) = merge_trace::read(conn, "main", fork)?;
    let (theirs, their_actions) = merge_trace::read(conn, "other", fork)?;
    let mut tables = Vec::new();
    for spec in SPECS {
        tables.push(diff_table(conn, spec)?);
    }
    let files = their_files(conn)?;
    Ok(MergeInput {
        other: other.to_owned(),
        fork,
        tables,
        ours,
        theirs,
        their_actions,
        files,
    })
}

/// Rows of one table that are not the same in both copies.
fn diff_table(conn: &Connection, spec: &Spec) -> Result<TableDiff> {
    let columns = record_columns(conn, "main", spec.table)?;
    let (ours, theirs) = if spec.by_uuid() {
        let mut keys = differing_uuids(conn, spec, &columns, "main", "other")?;
        keys.extend(differing_uuids(conn, spec, &columns, "other", "main")?);
        let list = Json::Array(keys.into_iter().map(Json::String).collect()).to_string();
        (
            read_records(conn, "main", spec, Some(&list))?,
            read_records(conn, "other", spec, Some(&list))?,
        )
    } else {
        (
            read_records(conn, "main", spec, None)?,
            read_records(conn, "other", spec, None)?,
        )
    };
    let mut pairs: BTreeMap<String, RowPair> = BTreeMap::new();
    for (side, rows) in [(0, ours), (1, theirs)] {
        for r in rows {
            let Some(key) = spec.key_of(&r) else { continue };
            let pair = pairs.entry(key.clone()).or_insert(RowPair {
                key,
                ours: None,
                theirs: None,
            });
            if side == 0 {
                pair.ours = Some(r);
            } else {
                pair.theirs = Some(r);
            }
        }
    }
    let rows = pairs.into_values().filter(|p| p.ours != p.theirs).collect();
    Ok(TableDiff { spec: *spec, rows })
}

/// Uuids of rows in `a` that `b` does not hold identically (same row id,
/// same values, foreign keys naming the same rows).
fn differing_uuids(
    conn: &Connection,
    spec: &Spec,
    columns: &[String],
    a: &str,
    b: &str,
) -> Result<BTreeSet<String>> {
    let mut same: Vec<String> = vec!["o.rowid = t.rowid".into()];
    for c in columns {
        same.push(format!("o.\"{c}\" IS t.\"{c}\""));
        if let Some(target) = spec.fk(c) {
            same.push(format!(
                "(SELECT uuid FROM {b}.\"{target}\" WHERE id = o.\"{c}\") IS (SELECT uuid FROM {a}.\"{target}\" WHERE id = t.\"{c}\")"
            ));
        }
    }
    if spec.table == "documents" {
        same.push(format!(
            "(SELECT uuid FROM {b}.document_versions v WHERE v.document_id = o.id AND v.version = o.current_version)
             IS (SELECT uuid FROM {a}.document_versions v WHERE v.document_id = t.id AND v.version = t.current_version)"
        ));
    }
    let sql = format!(
        "SELECT t.uuid FROM {a}.\"{table}\" t WHERE NOT EXISTS (SELECT 1 FROM {b}.\"{table}\" o WHERE {cond})",
        table = spec.table,
        cond = same.join(" AND ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let keys = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<BTreeSet<String>>>()?;
    Ok(keys)
}

/// Records of copy `db`, all of them or those whose uuid is in the JSON list.
pub(crate) fn read_records(
    conn: &Connection,
    db: &str,
    spec: &Spec,
    uuids: Option<&str>,
) -> Result<Vec<Record>> {
    let columns = record_columns(conn, db, spec.table)?;
    let filter = if uuids.is_some() {
        "WHERE t.uuid IN (SELECT value FROM json_each(?1))"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {} FROM {db}.\"{}\" t {filter}",
        record_sql(db, spec, &columns),
        spec.table
    );
    let mut stmt = conn.prepare(&sql)?;
    let parse = |s: String| -> Result<Record> {
        serde_json::from_str(&s).map_err(|e| Error::Invalid(format!("unreadable row: {e}")))
    };
    let texts: Vec<String> = match uuids {
        Some(list) => stmt
            .query_map([list], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
        None => stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    };
    texts.into_iter().map(parse).collect()
}

/// The bytes of documents the colleague has and this copy does not.
fn their_files(conn: &Connection) -> Result<HashMap<String, super::merge_read::FileBytes>> {
    let mut stmt = conn.prepare(
        "SELECT d.uuid, f.sha256, f.size, f.bytes FROM other.documents d JOIN other.document_files f ON f.document_id = d.id
         WHERE d.uuid NOT IN (SELECT uuid FROM main.documents)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            FileBytes {
                sha256: r.get(1)?,
                size: r.get(2)?,
                bytes: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
