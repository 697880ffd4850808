//! Stories, their blocks, spans, revisions and themes; the pseudonym map.
//! A block's edits are JSON in `story_blocks.content`; its spans are rows of
//! `story_spans` (so corrections re-anchor them like codings). Span rows
//! keep their ids across edits, so review items pointing at them stay valid.

use super::{ParticipantId, RowExt, Store, StoryId, ThemeId, Tx, new_uuid, now};
use crate::error::{Error, Result};
use crate::model::Role;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use storyloom_text::story::{
    Approval, Block, BlockContent, Gap, Piece, SourceSpan, Story, StoryRevision, StoryStatus,
    StorySummary,
};
use storyloom_text::story::{SourceDoc, SourceTurn, Sources};

/// How a piece is kept in a block's JSON (its span is the `story_spans` row with this seq).
#[derive(Serialize, Deserialize)]
struct StoredPiece {
    seq: usize,
    #[serde(default)]
    gap: Gap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clarification: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StoredBlock {
    Excerpt { pieces: Vec<StoredPiece> },
    Framing { text: String },
}

/// A coding as the draft weighs it: (version row id, start, end, key quote, code in a theme).
pub type DraftCodingRow = (i64, usize, usize, bool, bool);

const SUMMARY_SQL: &str =
    "SELECT s.uuid, p.ident, s.title, s.pseudonym, s.status, s.revision, s.approved_revision,
        (SELECT count(*) FROM story_blocks b WHERE b.story_id = s.id), s.updated_at, s.id
     FROM stories s LEFT JOIN participants p ON p.id = s.participant_id WHERE s.deleted = 0";

fn status_of(s: &str) -> StoryStatus {
    StoryStatus::parse(s).unwrap_or(StoryStatus::Draft)
}

impl Store {
    /// Every live story, by participant then creation.
    pub fn story_summaries(&self) -> Result<Vec<StorySummary>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{SUMMARY_SQL} ORDER BY p.ident, s.id"))?;
        let rows = stmt.query_map([], |r| {
            Ok(StorySummary {
                uuid: r.get(0)?,
                participant: r.get(1)?,
                title: r.get(2)?,
                pseudonym: r.get(3)?,
                status: status_of(&r.get::<_, String>(4)?),
                revision: r.get(5)?,
                approved_revision: r.get(6)?,
                blocks: r.get::<_, i64>(7)? as usize,
                updated_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Finds a live story by uuid (or a prefix of 4+ characters), by its
    /// participant's id when that participant has one story, or by title.
    pub fn find_story(&self, key: &str) -> Result<StoryId> {
        let key = key.trim();
        let mut stmt = self
            .conn()
            .prepare(&format!("{SUMMARY_SQL} ORDER BY s.id"))?;
        let all: Vec<(String, Option<String>, String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(9)?)))?
            .collect::<Result<_, _>>()?;
        let lower = key.to_lowercase();
        type Row = (String, Option<String>, String, i64);
        let tests: [&dyn Fn(&Row) -> bool; 4] = [
            &|s| s.0 == key,
            &|s| key.len() >= 4 && s.0.starts_with(&lower),
            &|s| s.1.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(key)),
            &|s| !key.is_empty() && s.2.to_lowercase() == lower,
        ];
        for test in tests {
            let found: Vec<&Row> = all.iter().filter(|s| test(s)).collect();
            match found.as_slice() {
                [one] => return Ok(StoryId(one.3)),
                [] => {}
                _ => {
                    return Err(Error::Ambiguous(format!(
                        "'{key}' matches {} stories; give the story's id",
                        found.len()
                    )));
                }
            }
        }
        Err(Error::Invalid(format!("no story matches '{key}'")))
    }

    /// A story with its blocks, spans and themes.
    pub fn load_story(&self, id: StoryId) -> Result<Story> {
        load_story(self.conn(), id)
    }

    /// [`Store::load_story`] inside a change: an edit reads the story it
    /// changes under the write lock, so no other process's edit is lost.
    pub fn load_story_in(tx: &Tx, id: StoryId) -> Result<Story> {
        load_story(tx.sql(), id)
    }

    pub fn insert_story(
        tx: &Tx,
        participant_id: ParticipantId,
        title: &str,
        pseudonym: &str,
    ) -> Result<(StoryId, String)> {
        let uuid = new_uuid();
        let at = now();
        tx.execute(
            "INSERT INTO stories(uuid, participant_id, title, pseudonym, revision, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)",
            params![uuid, participant_id.get(), title, pseudonym, at],
        )?;
        Ok((StoryId(tx.last_insert_rowid()), uuid))
    }

    /// Writes a story's fields, blocks and spans (keeping span rows), and
    /// keeps the snapshot of its revision. Fills in the ids of new spans.
    pub fn write_story(
        tx: &Tx,
        id: StoryId,
        story: &mut Story,
        author: &str,
        snapshot: &serde_json::Value,
    ) -> Result<()> {
        let at = now();
        tx.execute(
            "UPDATE stories SET title = ?2, pseudonym = ?3, role_line = ?4, status = ?5, revision = ?6, updated_at = ?7 WHERE id = ?1",
            params![id.get(), story.title, story.pseudonym, story.role_line, story.status.as_str(), story.revision, at],
        )?;
        let existing: HashMap<String, i64> = {
            let mut stmt = tx.prepare("SELECT uuid, id FROM story_blocks WHERE story_id = ?1")?;
            stmt.query_map([id.get()], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut kept_blocks = HashSet::new();
        let mut kept_spans = HashSet::new();
        for (seq, block) in story.blocks.iter_mut().enumerate() {
            let (kind, stored) = match &block.content {
                BlockContent::Framing { text } => {
                    ("framing", StoredBlock::Framing { text: text.clone() })
                }
                BlockContent::Excerpt { pieces } => (
                    "excerpt",
                    StoredBlock::Excerpt {
                        pieces: pieces
                            .iter()
                            .enumerate()
                            .map(|(i, p)| StoredPiece {
                                seq: i,
                                gap: p.gap,
                                replace: p.replace.clone(),
                                clarification: p.clarification.clone(),
                            })
                            .collect(),
                    },
                ),
            };
            let content = serde_json::to_string(&stored)
                .map_err(|e| Error::Invalid(format!("story block: {e}")))?;
            let block_id = match existing.get(&block.uuid) {
                Some(bid) => {
                    tx.execute(
                        "UPDATE story_blocks SET seq = ?2, kind = ?3, content = ?4 WHERE id = ?1",
                        params![bid, seq as i64, kind, content],
                    )?;
                    *bid
                }
                None => {
                    tx.execute(
                        "INSERT INTO story_blocks(uuid, story_id, seq, kind, content) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![block.uuid, id.get(), seq as i64, kind, content],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            kept_blocks.insert(block_id);
            if let BlockContent::Excerpt { pieces } = &mut block.content {
                for (i, p) in pieces.iter_mut().enumerate() {
                    let s = &mut p.span;
                    // A span row stands for one piece: a second piece with the same id gets a row of its own.
                    if s.id.is_some_and(|sid| kept_spans.contains(&sid)) {
                        s.id = None;
                    }
                    let updated = match s.id {
                        Some(sid) => tx.execute(
                            "UPDATE story_spans SET block_id = ?2, seq = ?3, version_id = ?4, start_char = ?5, end_char = ?6, quote = ?7
                             WHERE id = ?1 AND block_id IN (SELECT id FROM story_blocks WHERE story_id = ?8)",
                            params![sid, block_id, i as i64, s.version_id, s.start as i64, s.end as i64, s.quote, id.get()],
                        )? == 1,
                        None => false,
                    };
                    if !updated {
                        tx.execute(
                            "INSERT INTO story_spans(block_id, seq, version_id, start_char, end_char, quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![block_id, i as i64, s.version_id, s.start as i64, s.end as i64, s.quote],
                        )?;
                        s.id = Some(tx.last_insert_rowid());
                    }
                    if let Some(sid) = s.id {
                        kept_spans.insert(sid);
                    }
                }
            }
        }
        // Spans and blocks that are gone.
        let all_spans: Vec<i64> = {
            let mut stmt = tx.prepare(
                "SELECT sp.id FROM story_spans sp JOIN story_blocks b ON b.id = sp.block_id WHERE b.story_id = ?1",
            )?;
            stmt.query_map([id.get()], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for sid in all_spans.into_iter().filter(|s| !kept_spans.contains(s)) {
            tx.execute("DELETE FROM story_spans WHERE id = ?1", [sid])?;
        }
        for bid in existing.values().filter(|b| !kept_blocks.contains(b)) {
            tx.execute("DELETE FROM story_blocks WHERE id = ?1", [bid])?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO story_revisions(story_id, revision, snapshot, created_at, author) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id.get(), story.revision, snapshot.to_string(), at, author],
        )?;
        Ok(())
    }

    /// Sets the status fields (sent, approval) without a new revision.
    pub fn set_story_state(
        tx: &Tx,
        id: StoryId,
        status: StoryStatus,
        sent_on: Option<&str>,
        approval: Option<&Approval>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE stories SET status = ?2, sent_on = ?3, approved_revision = ?4, approved_on = ?5, approved_how = ?6, updated_at = ?7 WHERE id = ?1",
            params![
                id.get(),
                status.as_str(),
                sent_on,
                approval.map(|a| a.revision),
                approval.map(|a| a.date.as_str()),
                approval.map(|a| a.how.as_str()),
                now()
            ],
        )?;
        Ok(())
    }

    /// Deletes one span row (a correction removed its text).
    pub fn delete_story_span(tx: &Tx, id: i64) -> Result<()> {
        tx.execute("DELETE FROM story_spans WHERE id = ?1", [id])?;
        Ok(())
    }

    pub fn delete_story(tx: &Tx, id: StoryId) -> Result<()> {
        tx.execute("UPDATE stories SET deleted = 1 WHERE id = ?1", [id.get()])?;
        Ok(())
    }

    pub fn link_story_theme(tx: &Tx, story: StoryId, theme: ThemeId, on: bool) -> Result<bool> {
        let n = if on {
            tx.execute(
                "INSERT OR IGNORE INTO story_themes(story_id, theme_id) VALUES (?1, ?2)",
                params![story.get(), theme.get()],
            )?
        } else {
            tx.execute(
                "DELETE FROM story_themes WHERE story_id = ?1 AND theme_id = ?2",
                params![story.get(), theme.get()],
            )?
        };
        Ok(n > 0)
    }

    /// The saved revisions of a story, oldest first.
    pub fn story_revisions(&self, id: StoryId) -> Result<Vec<StoryRevision>> {
        let mut stmt = self.conn().prepare(
            "SELECT revision, created_at, author, snapshot FROM story_revisions WHERE story_id = ?1 ORDER BY revision",
        )?;
        let rows = stmt.query_map([id.get()], |r| {
            let snap: String = r.get(3)?;
            Ok(StoryRevision {
                revision: r.get(0)?,
                created_at: r.get(1)?,
                author: r.get(2)?,
                snapshot: serde_json::from_str(&snap).unwrap_or(serde_json::Value::Null),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The snapshot of one revision, if kept.
    pub fn story_revision_snapshot(
        &self,
        id: StoryId,
        revision: i64,
    ) -> Result<Option<serde_json::Value>> {
        let s: Option<String> = self
            .conn()
            .query_row(
                "SELECT snapshot FROM story_revisions WHERE story_id = ?1 AND revision = ?2",
                params![id.get(), revision],
                |r| r.get(0),
            )
            .optional()?;
        Ok(s.and_then(|s| serde_json::from_str(&s).ok()))
    }

    /// Text versions with their turns, for rendering and checking.
    pub fn story_sources(&self, version_ids: &[i64]) -> Result<Sources> {
        let mut out = Sources::new();
        for &vid in version_ids {
            if out.contains_key(&vid) {
                continue;
            }
            let Some((document, name, version, current, text)) = self
                .conn()
                .query_row(
                    "SELECT d.uuid, d.name, v.version, v.version = d.current_version, v.text
                     FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE v.id = ?1",
                    [vid],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, bool>(3)?, r.get::<_, String>(4)?)),
                )
                .optional()?
            else {
                continue;
            };
            let mut stmt = self.conn().prepare(
                "SELECT t.seq, t.start_char, t.end_char, s.role, s.label, s.participant_id
                 FROM turns t JOIN speakers s ON s.id = t.speaker_id WHERE t.version_id = ?1 ORDER BY t.start_char",
            )?;
            let turns = stmt
                .query_map([vid], |r| {
                    Ok(SourceTurn {
                        seq: r.get::<_, i64>(0)? as usize,
                        start: r.get::<_, i64>(1)? as usize,
                        end: r.get::<_, i64>(2)? as usize,
                        role: Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Other),
                        speaker: r.get(4)?,
                        participant_id: r.opt_id(5)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            out.insert(
                vid,
                SourceDoc {
                    document,
                    name,
                    version,
                    current,
                    text,
                    turns,
                    index: Default::default(),
                },
            );
        }
        Ok(out)
    }

    /// Current versions of the live documents where a participant speaks, in import order.
    pub fn participant_versions(&self, participant_id: ParticipantId) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT v.id FROM speakers s JOIN documents d ON d.id = s.document_id
             JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
             WHERE s.participant_id = ?1 AND d.deleted = 0 ORDER BY d.id",
        )?;
        let rows = stmt.query_map([participant_id.get()], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Codings on these versions: (version row id, start, end, key quote, code in a theme).
    pub fn draft_codings(&self, version_ids: &[i64]) -> Result<Vec<DraftCodingRow>> {
        let mut out = Vec::new();
        let mut stmt = self.conn().prepare(
            "SELECT g.version_id, g.start_char, g.end_char, g.key_quote,
                    EXISTS (SELECT 1 FROM theme_codes tc JOIN themes t ON t.id = tc.theme_id WHERE tc.code_id = g.code_id AND t.deleted = 0)
             FROM codings g JOIN codes c ON c.id = g.code_id WHERE g.version_id = ?1 AND g.deleted = 0 AND c.deleted = 0",
        )?;
        for vid in version_ids {
            let rows = stmt.query_map([vid], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                    r.get::<_, bool>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// A participant's (ident, name, pseudonym).
    pub fn participant_brief(
        &self,
        id: ParticipantId,
    ) -> Result<(String, Option<String>, Option<String>)> {
        Ok(self.conn().query_row(
            "SELECT ident, name, pseudonym FROM participants WHERE id = ?1",
            [id.get()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }
}

/// A story with its blocks, spans and themes, read through `conn` (the
/// store's connection, or a change's transaction).
fn load_story(conn: &Connection, id: StoryId) -> Result<Story> {
    let mut story = conn.query_row(
        "SELECT s.uuid, p.ident, s.participant_id, s.title, s.pseudonym, s.role_line, s.status, s.revision,
                s.approved_revision, s.approved_on, s.approved_how, s.sent_on, s.created_at, s.updated_at
         FROM stories s LEFT JOIN participants p ON p.id = s.participant_id WHERE s.id = ?1 AND s.deleted = 0",
        [id.get()],
        |r| {
            let approved: Option<i64> = r.get(8)?;
            let on: Option<String> = r.get(9)?;
            let how: Option<String> = r.get(10)?;
            Ok(Story {
                uuid: r.get(0)?,
                participant: r.get(1)?,
                participant_id: r.opt_id(2)?,
                title: r.get(3)?,
                pseudonym: r.get(4)?,
                role_line: r.get(5)?,
                status: status_of(&r.get::<_, String>(6)?),
                revision: r.get(7)?,
                approval: approved.map(|revision| Approval {
                    date: on.unwrap_or_default(),
                    how: how.unwrap_or_default(),
                    revision,
                }),
                sent_on: r.get(11)?,
                blocks: vec![],
                themes: vec![],
                created_at: r.get(12)?,
                updated_at: r.get(13)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::Invalid(format!("story {id} is gone")))?;
    let mut spans: HashMap<(i64, usize), SourceSpan> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT sp.block_id, sp.seq, sp.id, d.uuid, sp.version_id, sp.start_char, sp.end_char, sp.quote
             FROM story_spans sp JOIN story_blocks b ON b.id = sp.block_id
             JOIN document_versions v ON v.id = sp.version_id JOIN documents d ON d.id = v.document_id
             WHERE b.story_id = ?1",
        )?;
        let rows = stmt.query_map([id.get()], |r| {
            Ok((
                (r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as usize),
                SourceSpan {
                    id: Some(r.get(2)?),
                    document: r.get(3)?,
                    version_id: r.get(4)?,
                    start: r.get::<_, i64>(5)? as usize,
                    end: r.get::<_, i64>(6)? as usize,
                    quote: r.get(7)?,
                },
            ))
        })?;
        for row in rows {
            let (k, v) = row?;
            spans.insert(k, v);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT id, uuid, kind, content FROM story_blocks WHERE story_id = ?1 ORDER BY seq, id",
    )?;
    let rows: Vec<(i64, String, String, String)> = stmt
        .query_map([id.get()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    for (block_id, uuid, kind, content) in rows {
        let stored: StoredBlock = serde_json::from_str(&content)
            .map_err(|e| Error::Invalid(format!("story block {uuid} is unreadable: {e}")))?;
        let (content, lost) = match (kind.as_str(), stored) {
            ("framing", StoredBlock::Framing { text }) => (BlockContent::Framing { text }, 0),
            (_, StoredBlock::Excerpt { pieces }) => {
                let mut out = Vec::with_capacity(pieces.len());
                let mut lost = 0;
                for p in pieces {
                    match spans.remove(&(block_id, p.seq)) {
                        Some(span) => out.push(Piece {
                            span,
                            gap: p.gap,
                            replace: p.replace,
                            clarification: p.clarification,
                        }),
                        None => lost += 1,
                    }
                }
                (BlockContent::Excerpt { pieces: out }, lost)
            }
            (_, StoredBlock::Framing { text }) => (BlockContent::Framing { text }, 0),
        };
        story.blocks.push(Block {
            uuid,
            content,
            lost_pieces: lost,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT t.name FROM story_themes st JOIN themes t ON t.id = st.theme_id
         WHERE st.story_id = ?1 AND t.deleted = 0 ORDER BY t.sort, t.name",
    )?;
    story.themes = stmt
        .query_map([id.get()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(story)
}
