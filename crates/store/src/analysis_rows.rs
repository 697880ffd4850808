//! The rows queries and agreement work on, loaded in bulk: codings as
//! segments, turns as spans, speakers and participant attributes.

use super::{CodeId, DocumentId, ParticipantId, RowExt, RowId, Store};
use crate::error::Result;
use crate::model::Role;
use crate::model::{DocLen, Segment, TurnSpan};
use std::collections::HashMap;

/// A speaker as filters and hits need it.
#[derive(Debug, Clone)]
pub struct SpeakerInfo {
    pub label: String,
    pub role: Role,
    pub participant_id: Option<ParticipantId>,
}

/// Participants by row id: (study id, attribute name in lower case → value).
pub type ParticipantValues = HashMap<ParticipantId, (String, HashMap<String, String>)>;

impl Store {
    /// Live text versions: version row id → document row id, of some
    /// documents (all live ones when `None`).
    fn live_versions(&self, documents: Option<&[DocumentId]>) -> Result<HashMap<i64, DocumentId>> {
        let sql = current_versions_sql("v.id, d.id", documents);
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.id(1)?)))?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }

    /// Live codings on current texts, of some codes (all live codes when
    /// `None`) and some documents (all when `None`), sorted by document and
    /// start. Read through the covering index of live codings and joined
    /// here, which is several times faster than a SQL join on 200,000 rows.
    pub fn segments(
        &self,
        codes: Option<&[CodeId]>,
        documents: Option<&[DocumentId]>,
    ) -> Result<Vec<Segment>> {
        let versions = self.live_versions(documents)?;
        let live_codes: std::collections::HashSet<CodeId> = {
            let mut stmt = self
                .conn()
                .prepare("SELECT id FROM codes WHERE deleted = 0")?;
            let rows = stmt.query_map([], |r| r.id(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut sql = "SELECT id, code_id, version_id, start_char, end_char, coder FROM codings
             INDEXED BY codings_no_duplicates WHERE deleted = 0"
            .to_owned();
        if let Some(codes) = codes {
            sql.push_str(&format!(" AND code_id IN ({})", id_list(codes)));
        }
        let mut stmt = self.conn().prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let code_id: CodeId = r.id(1)?;
            let version: i64 = r.get(2)?;
            let Some(doc_id) = versions.get(&version) else {
                continue;
            };
            if !live_codes.contains(&code_id) {
                continue;
            }
            out.push(Segment {
                coding_id: r.get(0)?,
                code_id,
                doc_id: *doc_id,
                start: r.get::<_, i64>(3)? as usize,
                end: r.get::<_, i64>(4)? as usize,
                coder: r.get(5)?,
            });
        }
        out.sort_unstable_by_key(|s| (s.doc_id, s.start, s.end, s.coding_id));
        Ok(out)
    }

    /// The stored quotes of some codings, by coding row id.
    pub fn coding_quotes(&self, codings: &[i64]) -> Result<HashMap<i64, String>> {
        let mut out = HashMap::with_capacity(codings.len());
        for chunk in codings.chunks(5000) {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT id, quote FROM codings WHERE id IN ({})",
                id_list(chunk)
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                let (id, q) = row?;
                out.insert(id, q);
            }
        }
        Ok(out)
    }

    /// Chars `start..end` of a document's current text, cut by SQLite
    /// (whose `substr` counts characters), without loading the whole text.
    pub fn current_text_slice(
        &self,
        document_id: DocumentId,
        start: usize,
        end: usize,
    ) -> Result<String> {
        Ok(self.conn().query_row(
            "SELECT substr(v.text, ?2 + 1, ?3) FROM documents d
             JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
             WHERE d.id = ?1",
            rusqlite::params![
                document_id.get(),
                start as i64,
                end.saturating_sub(start) as i64
            ],
            |r| r.get(0),
        )?)
    }

    /// Turns of the current texts (of some documents, or all), in order.
    pub fn turn_spans(&self, documents: Option<&[DocumentId]>) -> Result<Vec<TurnSpan>> {
        let versions = self.live_versions(documents)?;
        let participant_of: HashMap<i64, Option<ParticipantId>> = {
            let mut stmt = self
                .conn()
                .prepare("SELECT id, participant_id FROM speakers")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.opt_id(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut sql =
            "SELECT id, version_id, start_char, end_char, speaker_id FROM turns".to_owned();
        if documents.is_some() {
            let ids: Vec<i64> = versions.keys().copied().collect();
            sql.push_str(&format!(" WHERE version_id IN ({})", id_list(&ids)));
        }
        let mut stmt = self.conn().prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let version: i64 = r.get(1)?;
            let Some(doc_id) = versions.get(&version) else {
                continue;
            };
            let speaker_id: i64 = r.get(4)?;
            out.push(TurnSpan {
                turn_id: r.get(0)?,
                doc_id: *doc_id,
                start: r.get::<_, i64>(2)? as usize,
                end: r.get::<_, i64>(3)? as usize,
                speaker_id,
                participant_id: participant_of.get(&speaker_id).copied().flatten(),
            });
        }
        out.sort_unstable_by_key(|t| (t.doc_id, t.start));
        Ok(out)
    }

    /// Current texts of some documents (all live ones when `None`).
    pub fn current_texts(
        &self,
        documents: Option<&[DocumentId]>,
    ) -> Result<HashMap<DocumentId, String>> {
        let sql = current_versions_sql("d.id, v.text", documents);
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.id(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }

    /// Char lengths of current texts: the units of char agreement.
    pub fn document_lengths(&self, documents: Option<&[DocumentId]>) -> Result<Vec<DocLen>> {
        let mut sql = current_versions_sql("d.id, v.chars", documents);
        sql.push_str(" ORDER BY d.id");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(DocLen {
                doc_id: r.id(0)?,
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
                    participant_id: r.opt_id(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }

    /// Participants by row id: (study id, attribute name → value).
    pub fn participant_values(&self) -> Result<ParticipantValues> {
        let mut out: ParticipantValues = HashMap::new();
        let mut stmt = self.conn().prepare("SELECT id, ident FROM participants")?;
        for row in stmt.query_map([], |r| Ok((r.id(0)?, r.get::<_, String>(1)?)))? {
            let (id, ident) = row?;
            out.insert(id, (ident, HashMap::new()));
        }
        let mut stmt = self.conn().prepare(
            "SELECT v.participant_id, a.name, v.value FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id",
        )?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.id::<ParticipantId>(0)?,
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
    pub fn document_names(&self) -> Result<HashMap<DocumentId, (String, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, uuid, name FROM documents WHERE deleted = 0")?;
        let rows = stmt.query_map([], |r| Ok((r.id(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }
}

/// `SELECT columns` over live documents joined to their current versions
/// (`d` and `v`), of some documents (all when `None`).
fn current_versions_sql(columns: &str, documents: Option<&[DocumentId]>) -> String {
    let mut sql = format!(
        "SELECT {columns} FROM documents d
         JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
         WHERE d.deleted = 0"
    );
    if let Some(docs) = documents {
        sql.push_str(&format!(" AND d.id IN ({})", id_list(docs)));
    }
    sql
}

/// Row ids as an SQL list (ids are integers, never user text).
fn id_list<T: RowId>(ids: &[T]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(|i| i.get().to_string())
        .collect::<Vec<_>>()
        .join(",")
}
