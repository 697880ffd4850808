//! The append-only history table: the audit trail and the ground for undo.

use super::{ChangeRecord, now};
use crate::error::Result;
use crate::model::HistoryEntry;
use rusqlite::{Connection, Transaction};

pub(super) fn append(tx: &Transaction, rec: &ChangeRecord) -> Result<()> {
    tx.execute(
        "INSERT INTO history(at, actor, command, summary, forward, inverse) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (
            now(),
            &rec.actor,
            rec.command,
            &rec.summary,
            rec.forward.to_string(),
            rec.inverse.to_string(),
        ),
    )?;
    Ok(())
}

impl super::Store {
    /// The history, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        read_history(self.conn())
    }
}

fn read_history(conn: &Connection) -> Result<Vec<HistoryEntry>> {
    let mut stmt =
        conn.prepare("SELECT seq, at, actor, command, summary, undone FROM history ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok(HistoryEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            command: r.get(3)?,
            summary: r.get(4)?,
            undone: r.get::<_, i64>(5)? != 0,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
