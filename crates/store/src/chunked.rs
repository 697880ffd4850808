//! Long changes (a REFI-QDA import of 100,000 codes) that let other writers
//! in, while staying one change for the user.
//!
//! [`Store::change_chunked`] works like [`Store::change`], but its work may
//! call [`Tx::breathe`] between items. Once the change has held the write
//! lock for its chunk time, `breathe` commits what is written so far and
//! takes the lock again after a short pause, in which a waiting writer (whose
//! busy handler polls at least every 100 ms) gets its turn. A small change
//! by another process therefore waits seconds, not the whole import.
//!
//! All or nothing, by a marker and the rows it lists:
//! - The first `breathe` that commits writes a marker in `meta`
//!   (`pending_change`: process, computer, who, what) and, with every chunk,
//!   the rows that chunk wrote, as captured for undo (`pending_rows:N`).
//!   Both commit with the chunk they describe, so they are never behind.
//! - The last chunk appends the one history entry (all the rows, so one undo
//!   takes back everything), removes the marker and bumps the change counter.
//!   Until then no history entry names the change, so no undo can pick it.
//! - If the work fails, the change takes its committed chunks back at once
//!   (the rows listed, newest first) and removes the marker.
//! - If the process dies, the next open (by any process on the same
//!   computer, once the marker's process is gone) takes them back the same
//!   way before anything else can write. Should someone have changed those
//!   rows in between, they cannot be taken back safely: they are kept and
//!   recorded as an interrupted change in the history, with the reason.
//!
//! Between chunks other processes can *see* the rows written so far (SQLite
//! has no uncommitted reads across processes); the change is not done, and
//! not in the history, until its last chunk commits.

use super::capture::{self, Direction, RowChange};
use super::{ChangeRecord, Error, Result, Store, Tx, bump_counter, history};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// How long one chunk may hold the write lock.
pub const CHUNK_HOLD: Duration = Duration::from_secs(2);
/// How long the lock is let go between chunks.
const PAUSE: Duration = Duration::from_millis(150);
const MARKER: &str = "pending_change";
const ROWS: &str = "pending_rows:";

/// Who is in the middle of a chunked change.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    pid: u32,
    machine: String,
    actor: String,
    what: String,
    since: String,
}

/// The chunking state of a change's transaction.
pub(crate) struct Chunks {
    hold: Duration,
    started: Cell<Instant>,
    committed: Cell<u32>,
    /// The capture log is kept (in memory) up to this id.
    persisted: Cell<i64>,
    marker: String,
}

impl Tx<'_> {
    /// In a change made with [`Store::change_chunked`]: after holding the
    /// write lock for the chunk time, commits the work so far (listed for
    /// taking back) and takes the lock again after a pause. Elsewhere, and
    /// before the chunk time, it does nothing.
    pub fn breathe(&self) -> Result<()> {
        let Some(c) = &self.chunks else {
            return Ok(());
        };
        if c.started.get().elapsed() < c.hold {
            return Ok(());
        }
        let conn = self.sql();
        let n = c.committed.get() + 1;
        if n == 1 {
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (MARKER, &c.marker),
            )?;
        }
        let last = persist_rows(conn, c.persisted.get(), n)?;
        conn.execute_batch("COMMIT")?;
        c.committed.set(n);
        c.persisted.set(last);
        // Fold the chunk into the file and give waiting writers their turn.
        let paused = Instant::now();
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        if let Some(rest) = PAUSE.checked_sub(paused.elapsed()) {
            std::thread::sleep(rest);
        }
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    crate::busy::busy_between_chunks(conn)
                }
                _ => Error::from(e),
            })?;
        c.started.set(Instant::now());
        Ok(())
    }
}

/// Writes the capture log's rows after `after` as `pending_rows:N`; returns
/// the last id written.
fn persist_rows(conn: &Connection, after: i64, n: u32) -> Result<i64> {
    let last: i64 = conn.query_row(
        "SELECT coalesce(max(id), ?1) FROM temp.capture_log",
        [after],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO meta(key, value)
         SELECT ?1, json_group_array(json_object('t', t, 'op', op, 'r', r, 'o', json(o), 'n', json(n)))
         FROM (SELECT * FROM temp.capture_log WHERE id > ?2 AND id <= ?3 ORDER BY id) WHERE true
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (format!("{ROWS}{n:06}"), after, last),
    )?;
    Ok(last)
}

/// The rows of every committed chunk, oldest first.
fn pending_rows(conn: &Connection) -> Result<Vec<RowChange>> {
    let mut stmt = conn.prepare("SELECT value FROM meta WHERE key LIKE ?1 ORDER BY key")?;
    let chunks = stmt
        .query_map([format!("{ROWS}%")], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for c in chunks {
        let rows: Vec<RowChange> = serde_json::from_str(&c).map_err(|e| {
            Error::Invalid(format!("unreadable record of an unfinished change: {e}"))
        })?;
        out.extend(rows);
    }
    Ok(out)
}

fn clear_marker(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM meta WHERE key = ?1 OR key LIKE ?2",
        (MARKER, format!("{ROWS}%")),
    )?;
    Ok(())
}

impl Store {
    /// Sets how long a chunked change holds the write lock at a time
    /// (tests and benchmarks; the default is [`CHUNK_HOLD`]).
    pub fn set_chunk_hold(&mut self, hold: Duration) {
        self.chunk_hold = hold;
    }

    /// [`Store::change`] for long work that calls [`Tx::breathe`] between
    /// items: one change and one history entry for the user, written in
    /// chunks of the write lock (see the module notes). `what` says what is
    /// running, for the marker.
    pub fn change_chunked<T, E: From<Error>>(
        &mut self,
        actor: &str,
        what: &str,
        record: impl FnOnce(&T) -> ChangeRecord,
        work: impl FnOnce(&Tx) -> Result<T, E>,
    ) -> Result<T, E> {
        let marker = serde_json::to_string(&Marker {
            pid: std::process::id(),
            machine: history::machine().to_owned(),
            actor: actor.to_owned(),
            what: what.to_owned(),
            since: super::now(),
        })
        .map_err(|e| Error::Invalid(e.to_string()))?;
        let hold = self.chunk_hold;
        let intent = self.intent.clone();
        let mut tx = Tx::new(self.begin()?);
        tx.chunks = Some(Chunks {
            hold,
            started: Cell::new(Instant::now()),
            committed: Cell::new(0),
            persisted: Cell::new(0),
            marker,
        });
        capture::start(tx.sql())?;
        let outcome = work(&tx).and_then(|out| {
            // Inside SQLite: the rows of a big import never sit in memory twice.
            capture::finish_in_log(tx.sql())?;
            let rec = record(&out);
            history::append_from_log(tx.sql(), &rec, intent.as_deref())?;
            clear_marker(tx.sql())?;
            bump_counter(tx.sql())?;
            Ok(out)
        });
        let committed = tx.chunks.as_ref().map_or(0, |c| c.committed.get());
        match outcome {
            Ok(out) => {
                tx.commit().map_err(Error::from)?;
                self.checkpoint();
                Ok(out)
            }
            Err(e) => {
                // The open part rolls back; committed chunks are taken back.
                drop(tx);
                let _ = self.conn.execute_batch(
                    "UPDATE temp.capture_on SET flag = 0; DELETE FROM temp.capture_log;",
                );
                if committed > 0 {
                    self.take_back_pending()?;
                }
                Err(e)
            }
        }
    }

    /// Takes back the committed chunks of an unfinished change (newest row
    /// first) and removes its marker, in one transaction. Rows someone
    /// changed since are kept, recorded as an interrupted change.
    fn take_back_pending(&mut self) -> Result<Option<String>> {
        let tx = self.begin()?;
        let Some(marker) = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [MARKER], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
        else {
            return Ok(None);
        };
        let m: Option<Marker> = serde_json::from_str(&marker).ok();
        let what = m.as_ref().map_or_else(
            || "a change".to_owned(),
            |m| format!("{} ({})", m.what, m.actor),
        );
        let rows = pending_rows(&tx)?;
        tx.execute_batch("SAVEPOINT take_back")?;
        let said = match capture::apply(&tx, &rows, Direction::Undo) {
            Ok(()) => {
                tx.execute_batch("RELEASE take_back")?;
                format!(
                    "an unfinished change was taken back: {what}, {} rows",
                    rows.len()
                )
            }
            Err(e) => {
                tx.execute_batch("ROLLBACK TO take_back; RELEASE take_back")?;
                let summary = format!(
                    "interrupted: {what}; its {} rows were kept because they could not be taken back ({e})",
                    rows.len()
                );
                history::append(
                    &tx,
                    &ChangeRecord {
                        actor: m.as_ref().map_or_else(String::new, |m| m.actor.clone()),
                        command: "interrupted",
                        summary: summary.clone(),
                        forward: serde_json::json!({}),
                    },
                    &rows,
                    None,
                )?;
                summary
            }
        };
        clear_marker(&tx)?;
        bump_counter(&tx)?;
        tx.commit()?;
        self.checkpoint();
        Ok(Some(said))
    }

    /// On opening: an unfinished chunked change whose process is gone (a
    /// crash, a kill) is taken back before anything else writes. Returns
    /// what was done, if anything.
    pub(crate) fn recover_unfinished(&mut self) -> Result<Option<String>> {
        let marker: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [MARKER], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(marker) = marker else {
            return Ok(None);
        };
        let abandoned = match serde_json::from_str::<Marker>(&marker) {
            Ok(m) => {
                m.machine == history::machine()
                    && m.pid != std::process::id()
                    && !crate::busy::process_may_run(m.pid)
            }
            Err(_) => true,
        };
        if !abandoned {
            return Ok(None);
        }
        self.take_back_pending()
    }
}

#[cfg(test)]
#[path = "chunked_tests.rs"]
mod tests;
