//! The review list: anchors a correction could not place with certainty,
//! and the story excerpt spans that are re-anchored like codings.

use super::{DocumentId, RowExt, Store, Tx, new_uuid, now};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};

/// A review item row.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub id: i64,
    pub uuid: String,
    pub document_id: DocumentId,
    pub kind: String,
    pub item_uuid: String,
    pub reason: String,
    pub proposal: Option<(usize, usize)>,
    pub resolved: bool,
}

/// A story excerpt's source span, as re-anchoring needs it.
#[derive(Debug, Clone)]
pub struct SpanAnchor {
    pub id: i64,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

impl Store {
    pub fn insert_review_item(
        tx: &Tx,
        document_id: DocumentId,
        kind: &str,
        item_uuid: &str,
        reason: &str,
        proposal: Option<(usize, usize)>,
    ) -> Result<()> {
        tx.execute(
            "INSERT INTO review_items(uuid, document_id, item_kind, item_uuid, reason, proposal, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                new_uuid(),
                document_id.get(),
                kind,
                item_uuid,
                reason,
                proposal.map(|p| serde_json::json!([p.0, p.1]).to_string()),
                now()
            ],
        )?;
        Ok(())
    }

    pub fn update_review_item(
        tx: &Tx,
        id: i64,
        reason: &str,
        proposal: Option<(usize, usize)>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE review_items SET reason = ?2, proposal = ?3 WHERE id = ?1",
            params![
                id,
                reason,
                proposal.map(|p| serde_json::json!([p.0, p.1]).to_string())
            ],
        )?;
        Ok(())
    }

    pub fn resolve_review_item(tx: &Tx, id: i64) -> Result<()> {
        tx.execute("UPDATE review_items SET resolved = 1 WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Review items of live documents (open ones only unless `all`), oldest first.
    pub fn review_rows(
        &self,
        document_id: Option<DocumentId>,
        all: bool,
    ) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT r.id, r.uuid, r.document_id, r.item_kind, r.item_uuid, r.reason, r.proposal, r.resolved
             FROM review_items r JOIN documents d ON d.id = r.document_id
             WHERE d.deleted = 0 AND (?1 OR r.resolved = 0) AND (?2 IS NULL OR r.document_id = ?2)
             ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![all, document_id.map(DocumentId::get)], |r| {
            let proposal: Option<String> = r.get(6)?;
            Ok(ReviewRow {
                id: r.get(0)?,
                uuid: r.get(1)?,
                document_id: r.id(2)?,
                kind: r.get(3)?,
                item_uuid: r.get(4)?,
                reason: r.get(5)?,
                proposal: proposal.and_then(|p| serde_json::from_str::<(usize, usize)>(&p).ok()),
                resolved: r.get::<_, i64>(7)? != 0,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// An open review item by uuid or an 8+ character prefix.
    pub fn find_review_item(&self, key: &str) -> Result<ReviewRow> {
        let key = key.trim();
        let id: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM review_items WHERE resolved = 0 AND (uuid = ?1 OR (length(?1) >= 8 AND uuid LIKE ?1 || '%')) LIMIT 1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        let id = id.ok_or_else(|| Error::UnknownReviewItem(key.to_owned()))?;
        self.review_rows(None, true)?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::UnknownReviewItem(key.to_owned()))
    }

    /// A coding row's code path, quote and version, whatever its state.
    pub fn coding_brief(&self, uuid: &str) -> Result<Option<(i64, i64, String, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT g.id, g.version_id, c.name, g.quote FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.uuid = ?1",
                [uuid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?)
    }

    /// Story excerpt spans anchored in a text version.
    pub fn span_anchors(&self, version_id: i64) -> Result<Vec<SpanAnchor>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, start_char, end_char, quote FROM story_spans WHERE version_id = ?1 ORDER BY start_char",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok(SpanAnchor {
                id: r.get(0)?,
                start: r.get::<_, i64>(1)? as usize,
                end: r.get::<_, i64>(2)? as usize,
                quote: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// A span's version and quote, by row id.
    pub fn span_brief(&self, id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT version_id, quote FROM story_spans WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    pub fn place_span(
        tx: &Tx,
        id: i64,
        version_id: i64,
        start: usize,
        end: usize,
        quote: &str,
    ) -> Result<()> {
        tx.execute(
            "UPDATE story_spans SET version_id = ?2, start_char = ?3, end_char = ?4, quote = ?5 WHERE id = ?1",
            params![id, version_id, start as i64, end as i64, quote],
        )?;
        Ok(())
    }
}
