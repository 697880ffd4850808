//! The reads full-text search needs: live versions and their turns to index,
//! the rows behind hits, and the id sets that filters resolve to at query time.

use super::{CodeId, DocumentId, ParticipantId, RowExt, RowId, Store};
use crate::error::Result;
use crate::model::Role;
use rusqlite::params;

/// The live version of a live document, as the search index stamps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveVersion {
    pub doc_id: DocumentId,
    pub version_id: i64,
    /// Changes when the version, or any of its turns' ids, speakers or bounds, changes.
    pub fingerprint: u64,
}

/// A turn to index or scan.
#[derive(Debug, Clone)]
pub struct SearchTurn {
    pub turn_id: i64,
    pub speaker_id: i64,
    pub seq: i64,
    pub start: usize,
    pub end: usize,
}

/// What a hit shows about its turn.
#[derive(Debug, Clone)]
pub struct HitRow {
    pub turn_id: i64,
    pub turn_uuid: String,
    pub seq: usize,
    pub start: usize,
    pub end: usize,
    pub start_ms: Option<i64>,
    pub speaker: String,
    pub role: Role,
    pub participant: Option<String>,
    pub doc_uuid: String,
    pub doc_name: String,
    /// The turn's speech.
    pub text: String,
}

/// FNV-1a: a stable hash (unlike `DefaultHasher`), since stamps are kept on disk.
fn fnv(bytes: impl IntoIterator<Item = u8>, mut h: u64) -> u64 {
    for b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// `IN (...)` for row ids (integers, so formatting them is safe).
fn id_list<T: RowId>(ids: &[T]) -> String {
    ids.iter()
        .map(|i| i.get().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

const LIVE: &str = "FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version WHERE d.deleted = 0";

impl Store {
    pub fn project_uuid(&self) -> Result<String> {
        Ok(self.conn().query_row(
            "SELECT value FROM meta WHERE key = 'project_uuid'",
            [],
            |r| r.get(0),
        )?)
    }

    /// Live documents and their current versions, in import order. The
    /// fingerprint is computed only when asked (it reads every turn).
    pub fn search_live_versions(&self, fingerprint: bool) -> Result<Vec<LiveVersion>> {
        if !fingerprint {
            let mut stmt = self
                .conn()
                .prepare(&format!("SELECT d.id, v.id {LIVE} ORDER BY d.id"))?;
            let rows = stmt.query_map([], |r| {
                Ok(LiveVersion {
                    doc_id: r.id(0)?,
                    version_id: r.get(1)?,
                    fingerprint: 0,
                })
            })?;
            return Ok(rows.collect::<Result<_, _>>()?);
        }
        // Products, not sums of terms, so that swapping speakers between turns changes the sum.
        let mut stmt = self.conn().prepare(&format!(
            "SELECT d.id, v.id, v.uuid, count(t.id),
                    ifnull(sum((t.id * (t.speaker_id + 1) + (t.seq + 1) * (t.start_char + 1) * 3 + t.id * (t.end_char + 7)) % 1000000007), 0)
             {LIVE_WITH_TURNS} GROUP BY d.id, v.id ORDER BY d.id",
            LIVE_WITH_TURNS = "FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
                               LEFT JOIN turns t ON t.version_id = v.id WHERE d.deleted = 0"
        ))?;
        let rows = stmt.query_map([], |r| {
            let uuid: String = r.get(2)?;
            let count: i64 = r.get(3)?;
            let sum: i64 = r.get(4)?;
            let h = fnv(uuid.bytes(), 0xcbf2_9ce4_8422_2325);
            let h = fnv(count.to_le_bytes(), h);
            Ok(LiveVersion {
                doc_id: r.id(0)?,
                version_id: r.get(1)?,
                fingerprint: fnv(sum.to_le_bytes(), h),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A version's text and its turns in order.
    pub fn search_version_turns(&self, version_id: i64) -> Result<(String, Vec<SearchTurn>)> {
        let text: String = self.conn().query_row(
            "SELECT text FROM document_versions WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, speaker_id, seq, start_char, end_char FROM turns WHERE version_id = ?1 ORDER BY seq",
        )?;
        let turns = stmt
            .query_map([version_id], |r| {
                Ok(SearchTurn {
                    turn_id: r.get(0)?,
                    speaker_id: r.get(1)?,
                    seq: r.get(2)?,
                    start: r.get::<_, i64>(3)? as usize,
                    end: r.get::<_, i64>(4)? as usize,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok((text, turns))
    }

    /// The rows behind hits, in no particular order. With `with_text`, each
    /// row carries the turn's speech (SQLite's `substr` counts chars).
    pub fn search_hit_rows(&self, turn_ids: &[i64], with_text: bool) -> Result<Vec<HitRow>> {
        if turn_ids.is_empty() {
            return Ok(vec![]);
        }
        let text = if with_text {
            "substr(v.text, t.start_char + 1, t.end_char - t.start_char)"
        } else {
            "''"
        };
        let mut stmt = self.conn().prepare(&format!(
            "SELECT t.id, t.uuid, t.seq, t.start_char, t.end_char, t.start_ms, s.label, s.role, p.ident, d.uuid, d.name, {text}
             FROM turns t JOIN speakers s ON s.id = t.speaker_id
             JOIN document_versions v ON v.id = t.version_id JOIN documents d ON d.id = v.document_id
             LEFT JOIN participants p ON p.id = s.participant_id
             WHERE t.id IN ({})",
            id_list(turn_ids)
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(HitRow {
                turn_id: r.get(0)?,
                turn_uuid: r.get(1)?,
                seq: r.get::<_, i64>(2)? as usize,
                start: r.get::<_, i64>(3)? as usize,
                end: r.get::<_, i64>(4)? as usize,
                start_ms: r.get(5)?,
                speaker: r.get(6)?,
                role: Role::parse(&r.get::<_, String>(7)?).unwrap_or(Role::Other),
                participant: r.get(8)?,
                doc_uuid: r.get(9)?,
                doc_name: r.get(10)?,
                text: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Speakers of live documents with a role.
    pub fn search_speakers_by_role(&self, role: Role) -> Result<Vec<i64>> {
        self.ids(
            "SELECT s.id FROM speakers s JOIN documents d ON d.id = s.document_id WHERE d.deleted = 0 AND s.role = ?1",
            params![role.as_str()],
        )
    }

    /// Speakers of live documents with a label, case-insensitively.
    pub fn search_speakers_by_label(&self, label: &str) -> Result<Vec<i64>> {
        self.ids(
            "SELECT s.id FROM speakers s JOIN documents d ON d.id = s.document_id WHERE d.deleted = 0 AND s.label = ?1 COLLATE NOCASE",
            params![label.trim()],
        )
    }

    /// Participants whose id, name or pseudonym is `key`, case-insensitively.
    pub fn search_participants_matching(&self, key: &str) -> Result<Vec<ParticipantId>> {
        self.typed_ids(
            "SELECT id FROM participants WHERE ident = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE OR pseudonym = ?1 COLLATE NOCASE",
            params![key.trim()],
        )
    }

    /// Speakers linked to any of these participants.
    pub fn search_speakers_of_participants(
        &self,
        participants: &[ParticipantId],
    ) -> Result<Vec<i64>> {
        self.ids(
            &format!(
                "SELECT id FROM speakers WHERE participant_id IN ({})",
                id_list(participants)
            ),
            [],
        )
    }

    /// Attribute definitions as (id, name), in column order.
    pub fn search_attributes(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, name FROM attributes ORDER BY sort, id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Speakers linked to participants whose attribute has this value (trimmed, case-insensitive).
    pub fn search_speakers_by_attribute(&self, attribute: i64, value: &str) -> Result<Vec<i64>> {
        self.ids(
            "SELECT s.id FROM speakers s JOIN attribute_values a ON a.participant_id = s.participant_id
             WHERE a.attribute_id = ?1 AND trim(a.value) = ?2 COLLATE NOCASE",
            params![attribute, value.trim()],
        )
    }

    /// Live documents as (id, uuid, name).
    pub fn search_documents(&self) -> Result<Vec<(DocumentId, String, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, uuid, name FROM documents WHERE deleted = 0 ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.id(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Live codes as (id, parent, name).
    pub fn search_codes(&self) -> Result<Vec<(CodeId, Option<CodeId>, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, parent_id, name FROM codes WHERE deleted = 0 ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.id(0)?, r.opt_id(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Turns overlapping a live coding of any of these codes (in the coding's
    /// version), by one coder when `coder` is given.
    pub fn search_coded_turns(&self, codes: &[CodeId], coder: Option<&str>) -> Result<Vec<i64>> {
        self.ids(
            &format!(
                "SELECT DISTINCT t.id FROM codings c
                 JOIN turns t ON t.version_id = c.version_id AND t.start_char < c.end_char AND c.start_char < t.end_char
                 WHERE c.deleted = 0 AND c.code_id IN ({}) AND (?1 IS NULL OR c.coder = ?1)",
                id_list(codes)
            ),
            [coder],
        )
    }

    fn ids(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map(params, |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn typed_ids<T: RowId>(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<T>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map(params, |r| r.id(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
