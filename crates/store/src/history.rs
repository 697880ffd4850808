//! The append-only history table: the audit trail and the ground for undo.
//!
//! Undo is linear, as in an editor: it reverses the newest action not yet
//! undone; redo repeats the oldest undone action after the newest live one,
//! so a new action after an undo ends what can be redone. Undo and redo are
//! history entries themselves, so the audit trail shows them too.

use super::capture::{self, Direction, RowChange};
use super::{ChangeRecord, Store, now};
use crate::error::{Error, Result};
use crate::model::HistoryEntry;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

pub(super) fn append(tx: &Connection, rec: &ChangeRecord, changes: &[RowChange]) -> Result<i64> {
    let changes = serde_json::to_string(changes)
        .map_err(|e| Error::Invalid(format!("could not record the change: {e}")))?;
    tx.execute(
        "INSERT INTO history(at, actor, command, summary, forward, inverse, kind, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'action', ?7)",
        (
            now(),
            &rec.actor,
            rec.command,
            &rec.summary,
            rec.forward.to_string(),
            rec.inverse.to_string(),
            changes,
        ),
    )?;
    Ok(tx.last_insert_rowid())
}

/// What an undo or redo did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reversal {
    /// The history entry that was undone or redone.
    pub seq: i64,
    pub command: String,
    pub summary: String,
}

impl Store {
    /// The history, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        read_history(self.conn())
    }

    /// The action undo would reverse, if any.
    pub fn undoable(&self) -> Result<Option<Reversal>> {
        undo_target(self.conn())
    }

    /// The action redo would repeat, if any.
    pub fn redoable(&self) -> Result<Option<Reversal>> {
        redo_target(self.conn())
    }

    /// Reverses the newest live action, in one transaction. `None` when there is nothing to undo.
    pub fn undo(&mut self, actor: &str) -> Result<Option<Reversal>> {
        self.reverse(actor, Direction::Undo)
    }

    /// Repeats the oldest undone action. `None` when there is nothing to redo.
    pub fn redo(&mut self, actor: &str) -> Result<Option<Reversal>> {
        self.reverse(actor, Direction::Redo)
    }

    fn reverse(&mut self, actor: &str, dir: Direction) -> Result<Option<Reversal>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let target = match dir {
            Direction::Undo => undo_target(&tx)?,
            Direction::Redo => redo_target(&tx)?,
        };
        let Some(target) = target else {
            return Ok(None);
        };
        let changes: Option<String> = tx.query_row(
            "SELECT changes FROM history WHERE seq = ?1",
            [target.seq],
            |r| r.get(0),
        )?;
        let changes: Vec<RowChange> = match changes {
            Some(c) => serde_json::from_str(&c).map_err(|e| {
                Error::Invalid(format!(
                    "history entry {} cannot be reversed: {e}",
                    target.seq
                ))
            })?,
            None => {
                return Err(Error::Invalid(format!(
                    "'{}' was recorded before undo existed and cannot be undone",
                    target.summary
                )));
            }
        };
        capture::apply(&tx, &changes, dir)?;
        let (kind, verb, undone) = match dir {
            Direction::Undo => ("undo", "undo", 1),
            Direction::Redo => ("redo", "redo", 0),
        };
        tx.execute(
            "UPDATE history SET undone = ?2 WHERE seq = ?1",
            (target.seq, undone),
        )?;
        tx.execute(
            "INSERT INTO history(at, actor, command, summary, forward, inverse, kind, target) VALUES (?1, ?2, ?3, ?4, '{}', '{}', ?5, ?6)",
            (
                now(),
                actor,
                format!("{verb} {}", target.command),
                format!("{verb}: {}", target.summary),
                kind,
                target.seq,
            ),
        )?;
        super::bump_counter(&tx)?;
        tx.commit()?;
        Ok(Some(target))
    }
}

fn undo_target(conn: &Connection) -> Result<Option<Reversal>> {
    Ok(conn
        .query_row(
            "SELECT seq, command, summary FROM history WHERE kind = 'action' AND undone = 0 ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok(Reversal { seq: r.get(0)?, command: r.get(1)?, summary: r.get(2)? }),
        )
        .optional()?)
}

fn redo_target(conn: &Connection) -> Result<Option<Reversal>> {
    Ok(conn
        .query_row(
            "SELECT seq, command, summary FROM history
             WHERE kind = 'action' AND undone = 1
               AND seq > ifnull((SELECT max(seq) FROM history WHERE kind = 'action' AND undone = 0), 0)
             ORDER BY seq LIMIT 1",
            [],
            |r| Ok(Reversal { seq: r.get(0)?, command: r.get(1)?, summary: r.get(2)? }),
        )
        .optional()?)
}

fn read_history(conn: &Connection) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, command, summary, undone, kind, target FROM history ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(HistoryEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            command: r.get(3)?,
            summary: r.get(4)?,
            undone: r.get::<_, i64>(5)? != 0,
            kind: r.get(6)?,
            target: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
