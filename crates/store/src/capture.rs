//! Row-level change capture: the ground for undo and redo.
//!
//! Every connection installs TEMP triggers on the project's tables. While a
//! [`super::Store::change`] runs, they log each inserted, updated or deleted
//! row (as JSON images) into a TEMP table; the change then stores the compact
//! list of [`RowChange`]s with its history entry. Undo applies the list
//! backwards with the old images, redo forwards with the new ones, each after
//! checking that the rows still hold what the change left there.
//!
//! Hand-written because rusqlite's session extension needs bindgen and
//! libclang at build time; triggers need nothing and work on every SQLite.

use crate::error::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// Tables that are not captured: bookkeeping (the sync's too), and the imported files' bytes
/// (an import is undone by hiding its document, not by deleting the bytes).
const UNTRACKED: &[&str] = &[
    "meta",
    "history",
    "document_files",
    "sync_server",
    "sync_base",
    "sync_extra",
];

/// One row's change inside one action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowChange {
    /// Table name.
    pub t: String,
    /// `I`nsert, `U`pdate or `D`elete.
    pub op: char,
    /// The row's rowid.
    pub r: i64,
    /// Column values before (deletes: the whole row; updates: changed columns only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub o: Option<Map<String, Json>>,
    /// Column values after (inserts: the whole row; updates: changed columns only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<Map<String, Json>>,
}

impl RowChange {
    /// A synthetic update of some columns (used where an action is undone by
    /// a flag, such as hiding an imported document).
    pub fn update(table: &str, rowid: i64, old: Json, new: Json) -> RowChange {
        RowChange {
            t: table.to_owned(),
            op: 'U',
            r: rowid,
            o: old.as_object().cloned(),
            n: new.as_object().cloned(),
        }
    }
}

/// Installs the capture table, the on/off flag and the triggers on this connection.
pub(super) fn install(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS capture_on(flag INTEGER NOT NULL);
         DELETE FROM temp.capture_on;
         INSERT INTO temp.capture_on VALUES (0);
         CREATE TEMP TABLE IF NOT EXISTS capture_log(
             id INTEGER PRIMARY KEY, t TEXT NOT NULL, op TEXT NOT NULL, r INTEGER NOT NULL, o TEXT, n TEXT);",
    )?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut sql = String::new();
    for table in tables.iter().filter(|t| !UNTRACKED.contains(&t.as_str())) {
        let cols = columns(conn, table)?;
        let image = |prefix: &str| {
            let pairs: Vec<String> = cols
                .iter()
                .map(|c| format!("'{c}', {prefix}.\"{c}\""))
                .collect();
            format!("json_object({})", pairs.join(", "))
        };
        let when = "WHEN (SELECT flag FROM temp.capture_on) = 1";
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS capture_{table}_i AFTER INSERT ON main.\"{table}\" {when} BEGIN
               INSERT INTO capture_log(t, op, r, n) VALUES ('{table}', 'I', NEW.rowid, {new}); END;
             CREATE TEMP TRIGGER IF NOT EXISTS capture_{table}_u AFTER UPDATE ON main.\"{table}\" {when} BEGIN
               INSERT INTO capture_log(t, op, r, o, n) VALUES ('{table}', 'U', OLD.rowid, {old}, {new}); END;
             CREATE TEMP TRIGGER IF NOT EXISTS capture_{table}_d AFTER DELETE ON main.\"{table}\" {when} BEGIN
               INSERT INTO capture_log(t, op, r, o) VALUES ('{table}', 'D', OLD.rowid, {old}); END;\n",
            new = image("NEW"),
            old = image("OLD"),
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let cols: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(cols)
}

/// Starts capturing inside the current transaction (rolled back with it).
pub(super) fn start(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM temp.capture_log; UPDATE temp.capture_on SET flag = 1;")?;
    Ok(())
}

/// Stops capturing and returns what was captured, updates reduced to the
/// columns that changed (and no-op updates dropped).
pub(super) fn finish(conn: &Connection) -> Result<Vec<RowChange>> {
    conn.execute_batch("UPDATE temp.capture_on SET flag = 0;")?;
    let mut stmt = conn.prepare("SELECT t, op, r, o, n FROM temp.capture_log ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (t, op, r, o, n) = row?;
        let parse = |s: Option<String>| -> Result<Option<Map<String, Json>>> {
            match s {
                None => Ok(None),
                Some(s) => match serde_json::from_str(&s) {
                    Ok(Json::Object(m)) => Ok(Some(m)),
                    _ => Err(Error::Invalid(format!("unreadable change record for {t}"))),
                },
            }
        };
        let (mut o, mut n) = (parse(o)?, parse(n)?);
        let op = op.chars().next().unwrap_or('U');
        if op == 'U'
            && let (Some(old), Some(new)) = (&mut o, &mut n)
        {
            old.retain(|k, v| new.get(k) != Some(v));
            new.retain(|k, _| old.contains_key(k));
            if old.is_empty() {
                continue;
            }
        }
        out.push(RowChange { t, op, r, o, n });
    }
    conn.execute_batch("DELETE FROM temp.capture_log;")?;
    Ok(out)
}

/// [`finish`] for a change too big to hold as [`RowChange`]s in memory (a
/// REFI-QDA import of 200,000 codings and 10 million words): stops
/// capturing and reduces the logged updates in place, as `finish` does
/// (changed columns only, no-op updates dropped). The log then goes into the
/// history entry inside SQLite ([`super::history::append_from_log`]), where
/// it is written as the same JSON `finish` and `append` would write.
pub(super) fn finish_in_log(conn: &Connection) -> Result<()> {
    conn.execute_batch("UPDATE temp.capture_on SET flag = 0;")?;
    let updates: Vec<(i64, String, Option<String>, Option<String>)> = conn
        .prepare("SELECT id, t, o, n FROM temp.capture_log WHERE op = 'U' ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (id, t, o, n) in updates {
        let parse = |s: Option<String>| -> Result<Map<String, Json>> {
            match s.map(|s| serde_json::from_str(&s)) {
                Some(Ok(Json::Object(m))) => Ok(m),
                _ => Err(Error::Invalid(format!("unreadable change record for {t}"))),
            }
        };
        let (mut old, mut new) = (parse(o)?, parse(n)?);
        old.retain(|k, v| new.get(k) != Some(v));
        new.retain(|k, _| old.contains_key(k));
        if old.is_empty() {
            conn.execute("DELETE FROM temp.capture_log WHERE id = ?1", [id])?;
        } else {
            conn.execute(
                "UPDATE temp.capture_log SET o = ?2, n = ?3 WHERE id = ?1",
                (
                    id,
                    Json::Object(old).to_string(),
                    Json::Object(new).to_string(),
                ),
            )?;
        }
    }
    Ok(())
}

/// Which way to apply a list of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Undo,
    Redo,
}

/// Applies changes backwards (undo) or forwards (redo). Each row is checked
/// first: if it no longer holds what the change left (or, for redo, what the
/// undo restored), nothing is applied and the caller's transaction rolls back.
pub(super) fn apply(conn: &Connection, changes: &[RowChange], dir: Direction) -> Result<()> {
    conn.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    let ordered: Box<dyn Iterator<Item = &RowChange>> = match dir {
        Direction::Undo => Box::new(changes.iter().rev()),
        Direction::Redo => Box::new(changes.iter()),
    };
    for ch in ordered {
        check_table(&ch.t)?;
        // What the row holds now, and what it must become.
        let (expect, target, op) = match (dir, ch.op) {
            (Direction::Undo, 'I') => (ch.n.as_ref(), None, 'D'),
            (Direction::Undo, 'D') => (None, ch.o.as_ref(), 'I'),
            (Direction::Undo, _) => (ch.n.as_ref(), ch.o.as_ref(), 'U'),
            (Direction::Redo, 'I') => (None, ch.n.as_ref(), 'I'),
            (Direction::Redo, 'D') => (ch.o.as_ref(), None, 'D'),
            (Direction::Redo, _) => (ch.o.as_ref(), ch.n.as_ref(), 'U'),
        };
        if let Some(expect) = expect {
            check_row(conn, ch, expect)?;
        }
        match (op, target) {
            ('D', _) => {
                conn.execute(
                    &format!("DELETE FROM main.\"{}\" WHERE rowid = ?1", ch.t),
                    [ch.r],
                )?;
            }
            ('I', Some(row)) => {
                let cols: Vec<&String> = row.keys().collect();
                let names: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
                let marks: Vec<String> = (0..=cols.len()).map(|i| format!("?{}", i + 1)).collect();
                let mut values = vec![Value::Integer(ch.r)];
                values.extend(cols.iter().map(|c| to_sql(&row[*c])));
                conn.execute(
                    &format!(
                        "INSERT INTO main.\"{}\"(rowid, {}) VALUES ({})",
                        ch.t,
                        names.join(", "),
                        marks.join(", ")
                    ),
                    params_from_iter(values),
                )?;
            }
            ('U', Some(row)) if !row.is_empty() => {
                let cols: Vec<&String> = row.keys().collect();
                let sets: Vec<String> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("\"{c}\" = ?{}", i + 2))
                    .collect();
                let mut values = vec![Value::Integer(ch.r)];
                values.extend(cols.iter().map(|c| to_sql(&row[*c])));
                conn.execute(
                    &format!(
                        "UPDATE main.\"{}\" SET {} WHERE rowid = ?1",
                        ch.t,
                        sets.join(", ")
                    ),
                    params_from_iter(values),
                )?;
            }
            _ => {
                return Err(Error::Invalid(format!(
                    "malformed change record for {}",
                    ch.t
                )));
            }
        }
    }
    Ok(())
}

/// Table names come from the history; only plain identifiers are accepted.
fn check_table(t: &str) -> Result<()> {
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Invalid(format!("malformed change record for '{t}'")));
    }
    Ok(())
}

/// Does the row still hold these column values?
fn check_row(conn: &Connection, ch: &RowChange, expect: &Map<String, Json>) -> Result<()> {
    let cols: Vec<&String> = expect.keys().collect();
    let select: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let sql = if select.is_empty() {
        format!(
            "SELECT json_array() FROM main.\"{}\" WHERE rowid = ?1",
            ch.t
        )
    } else {
        format!(
            "SELECT json_array({}) FROM main.\"{}\" WHERE rowid = ?1",
            select.join(", "),
            ch.t
        )
    };
    let found: Option<String> = {
        use rusqlite::OptionalExtension;
        conn.query_row(&sql, [ch.r], |r| r.get(0)).optional()?
    };
    let matches = found
        .and_then(|s| serde_json::from_str::<Vec<Json>>(&s).ok())
        .is_some_and(|vals| cols.iter().zip(&vals).all(|(c, v)| &expect[*c] == v));
    if !matches {
        return Err(Error::Conflict(format!(
            "the project has changed since ({} row {} differs), so this step cannot be undone or redone",
            ch.t, ch.r
        )));
    }
    Ok(())
}

fn to_sql(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(*b as i64),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}
