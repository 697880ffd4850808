//! A journal (`-wal`) beside the project that SQLite accepts but that
//! belongs to another copy of it.
//!
//! SQLite checks a journal's own checksums, not which file it was written
//! for: a `-wal` left by another copy of the same project (same page size)
//! is replayed over this file without any error, and the next checkpoint
//! would fold the other copy's pages into it, mixing two projects and losing
//! this one's latest work. So when a journal with content lies beside the
//! project before we open it, the file is read twice *before anything can
//! write*: alone (SQLite's `immutable` mode ignores the journal) and with
//! the journal, and the two must tell one story:
//! - the same project (`meta.project_uuid`);
//! - the file's newest history entry is in the journal's view unchanged
//!   (history is append-only: a journal only ever adds to it);
//! - the journal's history has no gap (pages of the other copy's history
//!   mixed with this file's leave rows missing);
//! - the change counter does not go back.
//!
//! A journal that fails any of these is refused by name, with what to do;
//! the project file is left byte for byte as it was. Reading the file alone
//! while another Storyloom checkpoints into it can only show an older
//! state, which these checks accept, so a live project is never blamed.

use super::file::{sidecar, uri_path};
use super::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// The newest history entry as a journal cannot rewrite it.
#[derive(Debug, PartialEq)]
struct LastEntry {
    seq: i64,
    at: String,
    actor: String,
    command: String,
    summary: String,
}

/// What one reading of the project says about its identity and history.
#[derive(Debug)]
struct Reading {
    project: Option<String>,
    counter: i64,
    last: Option<LastEntry>,
    /// (rows, lowest seq, highest seq) of the history table.
    span: (i64, i64, i64),
}

fn read(conn: &Connection) -> rusqlite::Result<Reading> {
    let meta = |key: &str| -> rusqlite::Result<Option<String>> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    };
    let project = meta("project_uuid")?;
    let counter = meta("change_counter")?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let last = conn
        .query_row(
            "SELECT seq, at, actor, command, summary FROM history ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(LastEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    command: r.get(3)?,
                    summary: r.get(4)?,
                })
            },
        )
        .optional()?;
    let span = conn.query_row(
        "SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM history",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(Reading {
        project,
        counter,
        last,
        span,
    })
}

fn entry_in(conn: &Connection, seq: i64) -> rusqlite::Result<Option<LastEntry>> {
    conn.query_row(
        "SELECT seq, at, actor, command, summary FROM history WHERE seq = ?1",
        [seq],
        |r| {
            Ok(LastEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                command: r.get(3)?,
                summary: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Checks that the journal beside `path` belongs to this copy of the
/// project; `with_journal` is a read-only connection that sees the file
/// with its journal. Call only when a journal with content was there
/// before opening, and only on a project (application id checked).
pub(crate) fn check_journal_belongs(path: &Path, with_journal: &Connection) -> Result<()> {
    let uri = format!("file:{}?immutable=1", uri_path(path));
    let alone = match Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .and_then(|c| read(&c))
    {
        Ok(r) => r,
        // The file alone may not read (it needs its journal to be whole):
        // nothing to compare, and SQLite's own check decides.
        Err(_) => return Ok(()),
    };
    let joined = read(with_journal)?;
    let mut why = Vec::new();
    if alone.project.is_some() && joined.project != alone.project {
        why.push("it was written for another project".to_owned());
    }
    if let Some(last) = &alone.last {
        match entry_in(with_journal, last.seq)? {
            Some(e) if e == *last => {}
            Some(e) => why.push(format!(
                "the file's latest change ({} by {} at {}: {}) reads as a different change with it ({} by {} at {}: {})",
                last.command, last.actor, last.at, last.summary, e.command, e.actor, e.at, e.summary
            )),
            None => why.push(format!(
                "the file's latest change ({} by {} at {}) is missing when it is read with the journal",
                last.command, last.actor, last.at
            )),
        }
    }
    let (rows, lo, hi) = joined.span;
    if rows > 0 && rows != hi - lo + 1 {
        why.push(format!(
            "with it the history has gaps ({rows} entries numbered {lo} to {hi})"
        ));
    }
    if joined.counter < alone.counter {
        why.push(format!(
            "with it the project would go back from change {} to change {}",
            alone.counter, joined.counter
        ));
    }
    if why.is_empty() {
        return Ok(());
    }
    let (wal, shm) = (sidecar(path, "-wal"), sidecar(path, "-shm"));
    Err(Error::Invalid(format!(
        "{}: the journal {} beside the project does not belong to this copy of it: {}. It usually comes \
         from another copy of the project (a backup restored, or files copied between folders). Nothing was \
         opened or changed. Close every Storyloom, move {} and {} out of the folder and open the project \
         again: it opens as this file last saved it. If the changes in that journal matter, put it back \
         beside the copy it came from and open that copy.",
        path.display(),
        wal.display(),
        why.join("; "),
        wal.display(),
        shm.display(),
    )))
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;
