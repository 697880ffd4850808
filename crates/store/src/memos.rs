//! Memos on the project, a document, a participant, a code, a theme, a coding
//! or a story, and the dated entries of the reflexive journal.

use super::{MemoId, RowExt, Store, Tx, new_uuid, now};
use crate::error::{Error, Result};
use crate::model::{Memo, MemoTarget};
use rusqlite::{OptionalExtension, params};

impl Store {
    pub fn insert_memo(
        tx: &Tx,
        target: &MemoTarget,
        title: &str,
        body: &str,
        author: &str,
        date: Option<&str>,
    ) -> Result<(MemoId, String)> {
        let uuid = new_uuid();
        let at = now();
        tx.execute(
            "INSERT INTO memos(uuid, target_kind, target_uuid, title, body, author, journal_date, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![uuid, target.kind(), target.uuid(), title, body, author, date, at],
        )?;
        Ok((MemoId(tx.last_insert_rowid()), uuid))
    }

    pub fn update_memo(tx: &Tx, id: MemoId, title: &str, body: &str) -> Result<()> {
        tx.execute(
            "UPDATE memos SET title = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
            params![id.get(), title, body, now()],
        )?;
        Ok(())
    }

    /// Sets only the given fields, in one statement inside the change.
    pub fn update_memo_fields(
        tx: &Tx,
        id: MemoId,
        title: Option<&str>,
        body: Option<&str>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE memos SET title = COALESCE(?2, title), body = COALESCE(?3, body), updated_at = ?4 WHERE id = ?1",
            params![id.get(), title, body, now()],
        )?;
        Ok(())
    }

    /// The newest live memo about `target`, read inside the change: (id, uuid, body).
    pub fn memo_on(tx: &Tx, target: &MemoTarget) -> Result<Option<(MemoId, String, String)>> {
        Ok(tx
            .query_row(
                "SELECT id, uuid, body FROM memos WHERE deleted = 0 AND target_kind = ?1
                 AND target_uuid IS ?2 ORDER BY created_at DESC, id DESC LIMIT 1",
                params![target.kind(), target.uuid()],
                |r| Ok((r.id(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    pub fn delete_memo(tx: &Tx, id: MemoId) -> Result<()> {
        tx.execute("UPDATE memos SET deleted = 1 WHERE id = ?1", [id.get()])?;
        Ok(())
    }

    /// Finds a live memo by uuid or an 8+ character prefix.
    pub fn find_memo(&self, key: &str) -> Result<(MemoId, Memo)> {
        let key = key.trim();
        let found: Vec<(MemoId, Memo)> = self
            .conn()
            .prepare(&format!(
                "SELECT id, {MEMO_COLUMNS} FROM memos WHERE deleted = 0 AND (uuid = ?1 OR (length(?1) >= 8 AND uuid LIKE ?1 || '%')) LIMIT 2"
            ))?
            .query_map([key], |r| Ok((r.id(0)?, memo_from_row(r, 1)?)))?
            .collect::<Result<_, _>>()?;
        let mut found = found;
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(Error::UnknownMemo(key.to_owned())),
            _ => Err(Error::Ambiguous(format!(
                "'{key}' matches several memos; give more of its id"
            ))),
        }
    }

    /// Live memos, newest first; of one target when given. Journal entries
    /// are ordered by their date, newest first.
    pub fn memos(&self, target: Option<&MemoTarget>) -> Result<Vec<Memo>> {
        let mut sql = format!("SELECT {MEMO_COLUMNS} FROM memos WHERE deleted = 0");
        let mut args: Vec<Option<String>> = Vec::new();
        if let Some(t) = target {
            args.push(Some(t.kind().to_owned()));
            sql.push_str(" AND target_kind = ?1");
            if let Some(u) = t.uuid() {
                args.push(Some(u.to_owned()));
                sql.push_str(" AND target_uuid = ?2");
            }
        }
        sql.push_str(" ORDER BY ifnull(journal_date, '') DESC, created_at DESC, id DESC");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| memo_from_row(r, 0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Does this target exist (and is it live)? Used before attaching a memo.
    pub fn target_exists(&self, target: &MemoTarget) -> Result<bool> {
        let table = match target {
            MemoTarget::Project | MemoTarget::Journal => return Ok(true),
            MemoTarget::Document(_) => "documents WHERE deleted = 0 AND",
            MemoTarget::Participant(_) => "participants WHERE",
            MemoTarget::Code(_) => "codes WHERE deleted = 0 AND",
            MemoTarget::Theme(_) => "themes WHERE deleted = 0 AND",
            MemoTarget::Coding(_) => "codings WHERE deleted = 0 AND",
            MemoTarget::Story(_) => "stories WHERE deleted = 0 AND",
        };
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT 1 FROM {table} uuid = ?1"),
                [target.uuid().unwrap_or_default()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

const MEMO_COLUMNS: &str =
    "uuid, target_kind, target_uuid, title, body, author, journal_date, created_at, updated_at";

fn memo_from_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Memo> {
    let kind: String = r.get(at + 1)?;
    let target_uuid: Option<String> = r.get(at + 2)?;
    Ok(Memo {
        uuid: r.get(at)?,
        target: MemoTarget::from_parts(&kind, target_uuid).unwrap_or(MemoTarget::Project),
        title: r.get(at + 3)?,
        body: r.get(at + 4)?,
        author: r.get(at + 5)?,
        date: r.get(at + 6)?,
        created_at: r.get(at + 7)?,
        updated_at: r.get(at + 8)?,
    })
}
