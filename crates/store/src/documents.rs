//! Documents, their versions, speakers, turns and marks.

use super::{DocumentId, ParticipantId, RowExt, Store, Tx, new_uuid, now};
use crate::error::{Error, Result};
use crate::model::{DocumentSummary, DocumentText, Mark, MarkKind, Role, Speaker, Turn};
use rusqlite::{OptionalExtension, params};
use storyloom_import::ParsedDocument;

/// A parsed file and where it came from, ready to insert.
pub struct NewDocument<'a> {
    pub name: &'a str,
    pub source_path: Option<&'a str>,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub parsed: &'a ParsedDocument,
}

/// Ids of an inserted document.
pub struct InsertedDocument {
    pub id: DocumentId,
    pub uuid: String,
    pub speaker_ids: Vec<i64>,
}

impl Store {
    /// Is a file with these bytes already in the project? Gives its id, name
    /// and whether it is hidden (its import was undone).
    pub fn document_with_sha(&self, sha256: &str) -> Result<Option<(DocumentId, String, bool)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT d.id, d.name, d.deleted FROM document_files f JOIN documents d ON d.id = f.document_id WHERE f.sha256 = ?1",
                [sha256],
                |r| Ok((r.id(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)),
            )
            .optional()?)
    }

    pub fn document_uuid_name(&self, id: DocumentId) -> Result<(String, String)> {
        Ok(self.conn().query_row(
            "SELECT uuid, name FROM documents WHERE id = ?1",
            [id.get()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Hides a document from every list and query, or shows it again.
    pub fn set_document_hidden(tx: &Tx, id: DocumentId, hidden: bool) -> Result<()> {
        tx.execute(
            "UPDATE documents SET deleted = ?2 WHERE id = ?1",
            params![id.get(), hidden as i64],
        )?;
        Ok(())
    }

    /// Inserts a document with version 1, its speakers, turns and marks.
    pub fn insert_document(tx: &Tx, doc: &NewDocument) -> Result<InsertedDocument> {
        Store::insert_document_as(tx, doc, None)
    }

    /// [`Store::insert_document`] keeping another tool's GUID as the uuid
    /// where it is a free, well-formed UUID.
    pub fn insert_document_as(
        tx: &Tx,
        doc: &NewDocument,
        guid: Option<&str>,
    ) -> Result<InsertedDocument> {
        let p = doc.parsed;
        let uuid = crate::kept_or_new_uuid(tx, "documents", guid)?;
        let at = now();
        tx.execute(
            "INSERT INTO documents(uuid, name, format, source_path, imported_at, import_notes, detection) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![uuid, doc.name, p.format.as_str(), doc.source_path, at, serde_json::to_string(&p.notes).unwrap_or_default(), serde_json::to_string(&p.confidence).ok()],
        )?;
        let id = DocumentId(tx.last_insert_rowid());
        tx.execute(
            "INSERT INTO document_files(document_id, sha256, size, bytes) VALUES (?1, ?2, ?3, ?4)",
            params![id.get(), doc.sha256, doc.bytes.len() as i64, doc.bytes],
        )?;
        let mut speaker_ids = Vec::with_capacity(p.speakers.len());
        {
            let mut stmt = tx.prepare(
                "INSERT INTO speakers(uuid, document_id, label, role, non_speech) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for s in &p.speakers {
                stmt.execute(params![
                    new_uuid(),
                    id.get(),
                    s.label,
                    s.role.as_str(),
                    s.non_speech as i64
                ])?;
                speaker_ids.push(tx.last_insert_rowid());
            }
        }
        Store::insert_version(tx, id, 1, "imported", p, &speaker_ids)?;
        Ok(InsertedDocument {
            id,
            uuid,
            speaker_ids,
        })
    }

    /// Stores a text version with its turns (spoken by `speaker_ids[turn.speaker]`)
    /// and marks; returns the version's row id.
    pub fn insert_version(
        tx: &Tx,
        document_id: DocumentId,
        version: i64,
        note: &str,
        p: &ParsedDocument,
        speaker_ids: &[i64],
    ) -> Result<i64> {
        tx.execute(
            "INSERT INTO document_versions(uuid, document_id, version, text, chars, words, created_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new_uuid(),
                document_id.get(),
                version,
                p.text,
                crate::text::char_len(&p.text) as i64,
                crate::text::word_count(&p.text) as i64,
                now(),
                note
            ],
        )?;
        let version_id = tx.last_insert_rowid();
        {
            let mut stmt = tx.prepare(
                "INSERT INTO turns(uuid, version_id, seq, speaker_id, label_start, start_char, end_char, start_ms, end_ms, cues) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for (seq, t) in p.turns.iter().enumerate() {
                let speaker = speaker_ids.get(t.speaker).ok_or_else(|| {
                    Error::Invalid(format!("turn {seq} names an unknown speaker"))
                })?;
                stmt.execute(params![
                    new_uuid(),
                    version_id,
                    seq as i64,
                    speaker,
                    t.label_start.map(|v| v as i64),
                    t.start as i64,
                    t.end as i64,
                    t.start_ms.map(|v| v as i64),
                    t.end_ms.map(|v| v as i64),
                    (!t.cues.is_empty())
                        .then(|| serde_json::to_string(&t.cues).ok())
                        .flatten()
                ])?;
            }
        }
        {
            let mut stmt = tx.prepare(
                "INSERT INTO marks(uuid, version_id, kind, start_char, end_char, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for m in &p.marks {
                stmt.execute(params![
                    new_uuid(),
                    version_id,
                    m.kind.as_str(),
                    m.start as i64,
                    m.end as i64,
                    m.value
                ])?;
            }
        }
        Ok(version_id)
    }

    /// The document's speakers as (row id, label): a correction keeps them by label.
    pub fn speaker_ids(tx: &Tx, document_id: DocumentId) -> Result<Vec<(i64, String)>> {
        let mut stmt = tx.prepare("SELECT id, label FROM speakers WHERE document_id = ?1")?;
        let rows = stmt.query_map([document_id.get()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Adds a speaker; the reserved non-speech label makes the non-speech pseudo-speaker.
    pub fn insert_speaker(
        tx: &Tx,
        document_id: DocumentId,
        label: &str,
        role: Role,
    ) -> Result<i64> {
        let non_speech = label == storyloom_import::parsed::NON_SPEECH_LABEL;
        tx.execute(
            "INSERT INTO speakers(uuid, document_id, label, role, non_speech) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![new_uuid(), document_id.get(), label, role.as_str(), non_speech as i64],
        )?;
        Ok(tx.last_insert_rowid())
    }

    pub fn set_current_version(tx: &Tx, document_id: DocumentId, version: i64) -> Result<()> {
        tx.execute(
            "UPDATE documents SET current_version = ?2 WHERE id = ?1",
            params![document_id.get(), version],
        )?;
        Ok(())
    }

    /// The text of any version, by row id.
    pub fn version_text(&self, version_id: i64) -> Result<String> {
        Ok(self.conn().query_row(
            "SELECT text FROM document_versions WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )?)
    }

    /// All live documents, in import order.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        let mut stmt = self.conn().prepare(
            "SELECT d.id, d.uuid, d.name, d.format, v.version, v.chars, v.words, d.imported_at,
                    (SELECT count(*) FROM speakers s WHERE s.document_id = d.id AND s.non_speech = 0),
                    (SELECT count(*) FROM turns t WHERE t.version_id = v.id),
                    (SELECT group_concat(p.ident, ',') FROM (SELECT DISTINCT p.ident FROM speakers s JOIN participants p ON p.id = s.participant_id WHERE s.document_id = d.id ORDER BY p.ident) p)
             FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
             WHERE d.deleted = 0 ORDER BY d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let parts: Option<String> = r.get(10)?;
            Ok(DocumentSummary {
                uuid: r.get(1)?,
                name: r.get(2)?,
                format: r.get(3)?,
                version: r.get(4)?,
                chars: r.get::<_, i64>(5)? as usize,
                words: r.get::<_, i64>(6)? as usize,
                imported_at: r.get(7)?,
                speakers: r.get::<_, i64>(8)? as usize,
                turns: r.get::<_, i64>(9)? as usize,
                participants: parts
                    .map(|p| p.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Finds a live document by UUID (or a unique prefix of it), or by name
    /// (exact, then case-insensitive, then without extension).
    pub fn find_document(&self, key: &str) -> Result<(DocumentId, String, String)> {
        let key = key.trim();
        let mut stmt = self
            .conn()
            .prepare("SELECT id, uuid, name FROM documents WHERE deleted = 0 ORDER BY id")?;
        let all: Vec<(DocumentId, String, String)> = stmt
            .query_map([], |r| Ok((r.id(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let stem = |n: &str| {
            std::path::Path::new(n)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(n)
                .to_lowercase()
        };
        type DocRow = (DocumentId, String, String);
        let lower = key.to_lowercase();
        // A study id such as `P01` names `P01-doreen-walsh.docx`: a prefix ending at a word edge.
        let id_prefix = |d: &DocRow| {
            let n = d.2.to_lowercase();
            !lower.is_empty()
                && n.starts_with(&lower)
                && n[lower.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_alphanumeric())
        };
        let tests: [&dyn Fn(&DocRow) -> bool; 5] = [
            &|d| d.1 == key || d.2 == key,
            &|d| d.2.eq_ignore_ascii_case(key),
            &|d| stem(&d.2) == lower,
            &|d| key.len() >= 4 && d.1.starts_with(&lower),
            &id_prefix,
        ];
        for test in tests {
            let found: Vec<&DocRow> = all.iter().filter(|d| test(d)).collect();
            match found.as_slice() {
                [one] => return Ok((*one).clone()),
                [] => continue,
                _ => {
                    let names: Vec<&str> = found.iter().map(|d| d.2.as_str()).collect();
                    return Err(Error::Ambiguous(format!(
                        "'{key}' matches {} documents ({}); give more of the name",
                        found.len(),
                        names.join(", ")
                    )));
                }
            }
        }
        Err(Error::UnknownDocument(key.to_owned()))
    }

    /// The current text of a document with its turns and marks.
    pub fn document_text(&self, document_id: DocumentId) -> Result<DocumentText> {
        let (uuid, name, version, version_id, text): (String, String, i64, i64, String) =
            self.conn().query_row(
                "SELECT d.uuid, d.name, v.version, v.id, v.text FROM documents d
                 JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
                 WHERE d.id = ?1",
                [document_id.get()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        let ix = crate::text::CharIndex::new(&text);
        let mut stmt = self.conn().prepare(
            "SELECT t.uuid, t.seq, s.label, s.role, t.label_start, t.start_char, t.end_char, t.start_ms, t.end_ms, s.non_speech
             FROM turns t JOIN speakers s ON s.id = t.speaker_id WHERE t.version_id = ?1 ORDER BY t.seq",
        )?;
        let turns = stmt
            .query_map([version_id], |r| {
                let start = r.get::<_, i64>(5)? as usize;
                let end = r.get::<_, i64>(6)? as usize;
                Ok(Turn {
                    uuid: r.get(0)?,
                    seq: r.get::<_, i64>(1)? as usize,
                    speaker: r.get(2)?,
                    role: Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Other),
                    label_start: r.get::<_, Option<i64>>(4)?.map(|v| v as usize),
                    start,
                    end,
                    start_ms: r.get::<_, Option<i64>>(7)?.map(|v| v as u64),
                    end_ms: r.get::<_, Option<i64>>(8)?.map(|v| v as u64),
                    text: ix.slice(start, end).unwrap_or("").to_owned(),
                    non_speech: r.get::<_, i64>(9)? != 0,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT kind, start_char, end_char, value FROM marks WHERE version_id = ?1 ORDER BY start_char",
        )?;
        let marks = stmt
            .query_map([version_id], |r| {
                Ok(Mark {
                    kind: MarkKind::parse(&r.get::<_, String>(0)?).unwrap_or(MarkKind::Nonverbal),
                    start: r.get::<_, i64>(1)? as usize,
                    end: r.get::<_, i64>(2)? as usize,
                    value: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DocumentText {
            uuid,
            name,
            version,
            text,
            turns,
            marks,
        })
    }

    /// Import notes stored with a document.
    pub fn import_notes(&self, document_id: DocumentId) -> Result<Vec<String>> {
        let json: String = self.conn().query_row(
            "SELECT import_notes FROM documents WHERE id = ?1",
            [document_id.get()],
            |r| r.get(0),
        )?;
        Ok(serde_json::from_str(&json).unwrap_or_default())
    }

    /// The speakers of a document with their turn and word counts.
    pub fn speakers(&self, document_id: DocumentId) -> Result<Vec<Speaker>> {
        let doc = self.document_text(document_id)?;
        let mut stmt = self.conn().prepare(
            "SELECT s.uuid, s.label, s.role, s.role_confirmed, p.ident FROM speakers s
             LEFT JOIN participants p ON p.id = s.participant_id WHERE s.document_id = ?1 AND s.non_speech = 0 ORDER BY s.id",
        )?;
        let mut speakers = stmt
            .query_map([document_id.get()], |r| {
                Ok(Speaker {
                    uuid: r.get(0)?,
                    label: r.get(1)?,
                    role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Other),
                    role_confirmed: r.get::<_, i64>(3)? != 0,
                    participant: r.get(4)?,
                    turns: 0,
                    words: 0,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for t in &doc.turns {
            if let Some(s) = speakers.iter_mut().find(|s| s.label == t.speaker) {
                s.turns += 1;
                s.words += crate::text::word_count(&t.text);
            }
        }
        Ok(speakers)
    }

    /// A speaker's row id, current role and participant link.
    pub fn find_speaker(
        &self,
        document_id: DocumentId,
        label: &str,
    ) -> Result<Option<(i64, Role, Option<i64>)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, role, participant_id FROM speakers WHERE document_id = ?1 AND label = ?2 COLLATE NOCASE",
                params![document_id.get(), label.trim()],
                |r| {
                    Ok((
                        r.get(0)?,
                        Role::parse(&r.get::<_, String>(1)?).unwrap_or(Role::Other),
                        r.get(2)?,
                    ))
                },
            )
            .optional()?)
    }

    pub fn set_speaker_role(tx: &Tx, speaker_id: i64, role: Role, confirmed: bool) -> Result<()> {
        tx.execute(
            "UPDATE speakers SET role = ?2, role_confirmed = ?3 WHERE id = ?1",
            params![speaker_id, role.as_str(), confirmed as i64],
        )?;
        Ok(())
    }

    pub fn set_speaker_participant(
        tx: &Tx,
        speaker_id: i64,
        participant_id: Option<ParticipantId>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE speakers SET participant_id = ?2 WHERE id = ?1",
            params![speaker_id, participant_id.map(ParticipantId::get)],
        )?;
        Ok(())
    }

    /// Speakers not linked to any participant, with their document's name and role.
    pub fn unlinked_speakers(&self) -> Result<Vec<(i64, String, String, Role)>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.id, s.label, d.name, s.role FROM speakers s JOIN documents d ON d.id = s.document_id
             WHERE s.participant_id IS NULL AND s.non_speech = 0 AND d.deleted = 0",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Other),
            ))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
