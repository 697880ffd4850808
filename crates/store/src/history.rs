//! The append-only history table: the audit trail and the ground for undo.
//!
//! Undo is per user and linear, as in an editor: it reverses *your* newest
//! action not yet undone; redo repeats your oldest undone action after your
//! newest live one, so a new action of yours after an undo ends what you can
//! redo. Another user's actions are never reversed by your undo: if someone
//! else changed the same rows after your action, undo and redo refuse and
//! name them. Undo and redo are history entries themselves, so the audit
//! trail shows them too.

use super::capture::{self, Direction, RowChange};
use super::{ChangeRecord, Store, now};
use crate::error::{Error, Result};
use crate::model::HistoryEntry;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashSet;

/// The computer this process runs on, as history records it: its host name
/// (`STORYLOOM_MACHINE` overrides it, for tests and shared accounts).
pub fn machine() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| {
        std::env::var("STORYLOOM_MACHINE")
            .ok()
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| gethostname::gethostname().to_string_lossy().into_owned())
    })
}

/// Appends an action's entry: who, what, the command it carried out
/// (`intent`, the serialised `Command` when it came through
/// `Project::apply`) and the rows it changed, which undo replays backwards.
pub(super) fn append(
    tx: &Connection,
    rec: &ChangeRecord,
    changes: &[RowChange],
    intent: Option<&str>,
) -> Result<i64> {
    let changes = serde_json::to_string(changes)
        .map_err(|e| Error::Invalid(format!("could not record the change: {e}")))?;
    tx.execute(
        "INSERT INTO history(at, actor, command, summary, forward, intent, kind, changes, machine, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'action', ?7, ?8, ?9)",
        (
            now(),
            &rec.actor,
            rec.command,
            &rec.summary,
            rec.forward.to_string(),
            intent,
            changes,
            machine(),
            super::new_uuid(),
        ),
    )?;
    Ok(tx.last_insert_rowid())
}

/// [`append`] with the changes taken from the capture log inside SQLite
/// (see [`capture::finish_in_log`]), so a change of millions of rows is never
/// parsed into memory and written out again. The JSON is the same: one
/// object per row change, in capture order, `o` and `n` null when absent.
pub(super) fn append_from_log(
    tx: &Connection,
    rec: &ChangeRecord,
    intent: Option<&str>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO history(at, actor, command, summary, forward, intent, kind, changes, machine, uuid)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'action',
           (SELECT json_group_array(json_object('t', t, 'op', op, 'r', r, 'o', json(o), 'n', json(n)))
            FROM (SELECT * FROM temp.capture_log ORDER BY id) WHERE true),
           ?7, ?8",
        (
            now(),
            &rec.actor,
            rec.command,
            &rec.summary,
            rec.forward.to_string(),
            intent,
            machine(),
            super::new_uuid(),
        ),
    )?;
    let id = tx.last_insert_rowid();
    tx.execute_batch("DELETE FROM temp.capture_log;")?;
    Ok(id)
}

/// What an undo or redo did (or would do).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reversal {
    /// The history entry that was undone or redone.
    pub seq: i64,
    pub command: String,
    pub summary: String,
    /// Whose action it is (always the user asking: undo is per user).
    pub actor: String,
    /// Set when it cannot be reversed because another user changed the same
    /// rows since: who, and what they did.
    pub blocked_by: Option<String>,
}

impl Store {
    /// The history, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        read_history(self.conn())
    }

    /// `actor`'s action undo would reverse, if any (with `blocked_by` set
    /// when another user's later change to the same rows stands in the way).
    pub fn undoable(&self, actor: &str) -> Result<Option<Reversal>> {
        with_blocker(self.conn(), undo_target(self.conn(), actor)?)
    }

    /// `actor`'s action redo would repeat, if any.
    pub fn redoable(&self, actor: &str) -> Result<Option<Reversal>> {
        with_blocker(self.conn(), redo_target(self.conn(), actor)?)
    }

    /// Reverses `actor`'s newest live action, in one transaction. `None`
    /// when they have nothing to undo; an error naming the other user when
    /// someone else changed the same rows since.
    pub fn undo(&mut self, actor: &str) -> Result<Option<Reversal>> {
        self.reverse(actor, Direction::Undo)
    }

    /// Repeats `actor`'s oldest undone action. `None` when there is nothing to redo.
    pub fn redo(&mut self, actor: &str) -> Result<Option<Reversal>> {
        self.reverse(actor, Direction::Redo)
    }

    fn reverse(&mut self, actor: &str, dir: Direction) -> Result<Option<Reversal>> {
        let intent = self.intent.clone();
        let tx = self.begin()?;
        // Chosen inside the write transaction: an undo that waited for the
        // lock never picks up what another process just committed.
        let target = match dir {
            Direction::Undo => undo_target(&tx, actor)?,
            Direction::Redo => redo_target(&tx, actor)?,
        };
        let Some(target) = with_blocker(&tx, target)? else {
            return Ok(None);
        };
        if let Some(other) = &target.blocked_by {
            let verb = match dir {
                Direction::Undo => "undo",
                Direction::Redo => "redo",
            };
            return Err(Error::Conflict(format!(
                "cannot {verb} your '{}': {other} changed the same rows since. Nothing was changed; ask them, or make the change by hand.",
                target.summary
            )));
        }
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
                return Err(Error::Refused(format!(
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
            "INSERT INTO history(at, actor, command, summary, forward, intent, kind, target, machine, uuid) VALUES (?1, ?2, ?3, ?4, '{}', ?5, ?6, ?7, ?8, ?9)",
            (
                now(),
                actor,
                format!("{verb} {}", target.command),
                format!("{verb}: {}", target.summary),
                intent,
                kind,
                target.seq,
                machine(),
                super::new_uuid(),
            ),
        )?;
        super::bump_counter(&tx)?;
        tx.commit()?;
        self.checkpoint();
        Ok(Some(target))
    }
}

fn reversal(r: &rusqlite::Row) -> rusqlite::Result<Reversal> {
    Ok(Reversal {
        seq: r.get(0)?,
        command: r.get(1)?,
        summary: r.get(2)?,
        actor: r.get(3)?,
        blocked_by: None,
    })
}

fn undo_target(conn: &Connection, actor: &str) -> Result<Option<Reversal>> {
    Ok(conn
        .query_row(
            "SELECT seq, command, summary, actor FROM history
             WHERE kind = 'action' AND undone = 0 AND actor = ?1 AND command <> 'open_shared'
             ORDER BY seq DESC LIMIT 1",
            [actor],
            reversal,
        )
        .optional()?)
}

fn redo_target(conn: &Connection, actor: &str) -> Result<Option<Reversal>> {
    Ok(conn
        .query_row(
            "SELECT seq, command, summary, actor FROM history
             WHERE kind = 'action' AND undone = 1 AND actor = ?1
               AND seq > ifnull((SELECT max(seq) FROM history WHERE kind = 'action' AND undone = 0 AND actor = ?1), 0)
             ORDER BY seq LIMIT 1",
            [actor],
            reversal,
        )
        .optional()?)
}

/// The rows (table, rowid) a history entry's action changed.
fn rows_of(conn: &Connection, seq: i64) -> Result<HashSet<(String, i64)>> {
    let changes: Option<String> = conn
        .query_row("SELECT changes FROM history WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    let changes: Vec<RowChange> = match changes {
        Some(c) => serde_json::from_str(&c).unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(changes.into_iter().map(|c| (c.t, c.r)).collect())
}

/// Sets `blocked_by` when another user, after the target, changed a row the
/// target changed by an action of theirs that still stands (one they undid
/// themselves no longer counts; one they redid stands again).
fn with_blocker(conn: &Connection, target: Option<Reversal>) -> Result<Option<Reversal>> {
    let Some(mut target) = target else {
        return Ok(None);
    };
    let mine = rows_of(conn, target.seq)?;
    if mine.is_empty() {
        return Ok(Some(target));
    }
    let later: Vec<(i64, String, String, String)> = conn
        .prepare(
            "SELECT seq, actor, summary, at FROM history
             WHERE seq > ?1 AND actor <> ?2 AND kind = 'action' AND undone = 0
             ORDER BY seq DESC",
        )?
        .query_map((target.seq, &target.actor), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    for (seq, actor, summary, at) in later {
        if !rows_of(conn, seq)?.is_disjoint(&mine) {
            let when = at.get(..16).unwrap_or(&at).replace('T', " ");
            target.blocked_by = Some(format!("{actor} ('{summary}', {when} UTC)"));
            break;
        }
    }
    Ok(Some(target))
}

fn read_history(conn: &Connection) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, command, summary, undone, kind, target, machine, intent FROM history ORDER BY seq",
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
            machine: r.get(8)?,
            intent: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use crate::{ChangeRecord, Error, Store, schema};

    /// A version 7 project keeps its history through migration 8 (the
    /// `inverse` column goes, `intent` comes), its old action can still be
    /// undone, and a new change records the intent it was given.
    #[test]
    fn upgrades_a_version_7_history_and_records_intents() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v7.storyloom");
        let c = schema::old_project(&p, 7);
        c.execute_batch(
            r#"INSERT INTO meta(key, value) VALUES ('project_uuid', 'x'), ('created_at', '2026-01-01'), ('change_counter', '1');
             INSERT INTO codes(id, uuid, name, created_at) VALUES (1, 'c1', 'Isolation', '2026-01-01');
             INSERT INTO history(at, actor, command, summary, forward, inverse, kind, changes)
               VALUES ('2026-01-01', 'ana', 'rename_code', 'renamed', '{}', '{"rename":"back"}', 'action',
                 '[{"t":"codes","op":"u","r":1,"o":{"name":"Loneliness"},"n":{"name":"Isolation"}}]');"#,
        )
        .unwrap();
        drop(c);
        let mut s = Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), schema::CURRENT_VERSION);
        let h = s.history().unwrap();
        assert_eq!((h.len(), h[0].intent.as_deref()), (1, None));
        let columns: Vec<String> = s
            .conn()
            .prepare("SELECT name FROM pragma_table_info('history')")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(columns.contains(&"intent".to_owned()), "{columns:?}");
        assert!(!columns.contains(&"inverse".to_owned()), "{columns:?}");

        s.set_intent(Some(r#"{"command":"rename_code"}"#.to_owned()));
        s.change(
            |_| ChangeRecord {
                actor: "ana".into(),
                command: "rename_code",
                summary: "renamed again".into(),
                forward: serde_json::json!({}),
            },
            |tx| {
                tx.execute("UPDATE codes SET name = 'Solitude'", [])?;
                Ok::<_, Error>(())
            },
        )
        .unwrap();
        s.set_intent(None);
        let h = s.history().unwrap();
        assert_eq!(h[1].intent.as_deref(), Some(r#"{"command":"rename_code"}"#));
        s.undo("ana").unwrap().unwrap();
        s.undo("ana").unwrap().unwrap();
        assert_eq!(s.codes().unwrap()[0].name(), "Loneliness");
    }
}
