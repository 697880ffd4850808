//! The rows queries and agreement work on, loaded in bulk: codings as
//! segments, turns as spans, speakers and participant attributes.

use super::Store;
use crate::analysis::{DocLen, Segment, TurnSpan};
use crate::error::Result;
use crate::model::Role;
use std::collections::HashMap;

/// A speaker as filters and hits need it.
#[derive(Debug, Clone)]
pub struct SpeakerInfo {
    pub label: String,
    pub role: Role,
    pub participant_id: Option<i64>,
}

/// Participants by row id: (study id, attribute name in lower case → value).
pub type ParticipantValues = HashMap<i64, (String, HashMap<String, String>)>;

/// Live codings on current texts, of some codes (all when `None`) and some
/// documents (all when `None`), sorted by document and start.
const LIVE_CODINGS: &str = "FROM codings g JOIN document_versions v ON v.id = g.version_id
     JOIN documents d ON d.id = v.document_id AND v.version = d.current_version AND d.deleted = 0
     JOIN codes c ON c.id = g.code_id AND c.deleted = 0
     WHERE g.deleted = 0";

impl Store {
    pub fn segments(
        &self,
        codes: Option<&[i64]>,
        documents: Option<&[i64]>,
    ) -> Result<Vec<Segment>> {
        let mut sql = format!(
            "SELECT g.id, g.code_id, d.id, g.start_char, g.end_char, g.coder {LIVE_CODINGS}"
        );
        if let Some(codes) = codes {
            sql.push_str(&format!(" AND g.code_id IN ({})", id_list(codes)));
        }
        if let Some(docs) = documents {
            sql.push_str(&format!(" AND d.id IN ({})", id_list(docs)));
        }
        sql.push_str(" ORDER BY d.id, g.start_char, g.end_char");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(Segment {
                coding_id: r.get(0)?,
                code_id: r.get(1)?,
                doc_id: r.get(2)?,
                start: r.get::<_, i64>(3)? as usize,
                end: r.get::<_, i64>(4)? as usize,
                coder: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Turns of the current texts (of some documents, or all), in order.
    pub fn turn_spans(&self, documents: Option<&[i64]>) -> Result<Vec<TurnSpan>> {
        let mut sql = "SELECT t.id, d.id, t.start_char, t.end_char, t.speaker_id, s.participant_id
             FROM turns t JOIN document_versions v ON v.id = t.version_id
             JOIN documents d ON d.id = v.document_id AND v.version = d.current_version AND d.deleted = 0
             JOIN speakers s ON s.id = t.speaker_id"
            .to_owned();
        if let Some(docs) = documents {
            sql.push_str(&format!(" WHERE d.id IN ({})", id_list(docs)));
        }
        sql.push_str(" ORDER BY d.id, t.start_char");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(TurnSpan {
                turn_id: r.get(0)?,
                doc_id: r.get(1)?,
                start: r.get::<_, i64>(2)? as usize,
                end: r.get::<_, i64>(3)? as usize,
                speaker_id: r.get(4)?,
                participant_id: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Current texts of some documents (all live ones when `None`).
    pub fn current_texts(&self, documents: Option<&[i64]>) -> Result<HashMap<i64, String>> {
        let mut sql = "SELECT d.id, v.text FROM documents d
             JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
             WHERE d.deleted = 0"
            .to_owned();
        if let Some(docs) = documents {
            sql.push_str(&format!(" AND d.id IN ({})", id_list(docs)));
        }
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }

    /// Char lengths of current texts: the units of char agreement.
    pub fn document_lengths(&self, documents: Option<&[i64]>) -> Result<Vec<DocLen>> {
        let mut sql = "SELECT d.id, v.chars FROM documents d
             JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
             WHERE d.deleted = 0"
            .to_owned();
        if let Some(docs) = documents {
            sql.push_str(&format!(" AND d.id IN ({})", id_list(docs)));
        }
        sql.push_str(" ORDER BY d.id");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(DocLen {
                doc_id: r.get(0)?,
                chars: r.get::<_, i64>(1)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Every speaker by row id.
    pub fn speaker_infos(&self) -> Result<HashMap<i64, SpeakerInfo>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, label, role, participant_id FROM speakers")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                SpeakerInfo {
                    label: r.get(1)?,
                    role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Other),
                    participant_id: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }

    /// Participants by row id: (study id, attribute name → value).
    pub fn participant_values(&self) -> Result<ParticipantValues> {
        let mut out: ParticipantValues = HashMap::new();
        let mut stmt = self.conn().prepare("SELECT id, ident FROM participants")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, ident) = row?;
            out.insert(id, (ident, HashMap::new()));
        }
        let mut stmt = self.conn().prepare(
            "SELECT v.participant_id, a.name, v.value FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })? {
            let (pid, name, value) = row?;
            if let Some(p) = out.get_mut(&pid) {
                p.1.insert(name.to_lowercase(), value);
            }
        }
        Ok(out)
    }

    /// Live documents as id → (uuid, name).
    pub fn document_names(&self) -> Result<HashMap<i64, (String, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, uuid, name FROM documents WHERE deleted = 0")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }
}

/// Row ids as an SQL list (ids are integers, never user text).
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
