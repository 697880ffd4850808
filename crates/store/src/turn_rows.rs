//! Turn corrections and speaker confirmation: the rows a person changes when
//! the import got the speakers wrong. The text never changes here, so no
//! coding or excerpt moves; only which speaker a char range belongs to.

use super::{DocumentId, RowExt, Store, Tx, new_uuid, now};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};
use storyloom_import::parsed::Confidence;

/// One turn row of a document's current version, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnRow {
    pub id: i64,
    pub seq: i64,
    pub speaker_id: i64,
    pub label_start: Option<i64>,
    pub start: i64,
    pub end: i64,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub cues: Option<String>,
}

/// Who confirmed a document's speakers, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub at: String,
    pub by: String,
}

/// The correction that withdrew a document's "Speakers checked".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The correction, as history says it (without the withdrawal).
    pub summary: String,
    /// Who made the correction, and when.
    pub actor: String,
    pub at: String,
    /// Who had checked the speakers.
    pub checked_by: String,
}

impl Store {
    /// The current version's id and turns of a document.
    pub fn turn_rows(tx: &Tx, document_id: DocumentId) -> Result<(i64, Vec<TurnRow>)> {
        let version_id: i64 = tx.sql().query_row(
            "SELECT v.id FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version WHERE d.id = ?1",
            [document_id.get()],
            |r| r.get(0),
        )?;
        let mut stmt = tx.sql().prepare(
            "SELECT id, seq, speaker_id, label_start, start_char, end_char, start_ms, end_ms, cues
             FROM turns WHERE version_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([version_id], |r| {
                Ok(TurnRow {
                    id: r.get(0)?,
                    seq: r.get(1)?,
                    speaker_id: r.get(2)?,
                    label_start: r.get(3)?,
                    start: r.get(4)?,
                    end: r.get(5)?,
                    start_ms: r.get(6)?,
                    end_ms: r.get(7)?,
                    cues: r.get(8)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok((version_id, rows))
    }

    /// Replaces a version's turns with `turns` (renumbered in order). Rows
    /// whose id is kept are updated in place, so their UUIDs survive; rows with
    /// id 0 are new; rows no longer listed are deleted.
    pub fn rewrite_turns(tx: &Tx, version_id: i64, turns: &[TurnRow]) -> Result<()> {
        let (_, before) = {
            let doc: DocumentId = tx.sql().query_row(
                "SELECT document_id FROM document_versions WHERE id = ?1",
                [version_id],
                |r| r.id(0),
            )?;
            Store::turn_rows(tx, doc)?
        };
        for old in &before {
            if !turns.iter().any(|t| t.id == old.id) {
                tx.execute("DELETE FROM turns WHERE id = ?1", [old.id])?;
            }
        }
        // Move every kept row out of the way first: (version_id, seq) is unique.
        tx.execute(
            "UPDATE turns SET seq = -1 - seq WHERE version_id = ?1",
            [version_id],
        )?;
        for (seq, t) in turns.iter().enumerate() {
            if t.start > t.end {
                return Err(Error::Invalid(format!(
                    "a turn would end before it starts ({}..{})",
                    t.start, t.end
                )));
            }
            if t.id == 0 {
                tx.execute(
                    "INSERT INTO turns(uuid, version_id, seq, speaker_id, label_start, start_char, end_char, start_ms, end_ms, cues)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![new_uuid(), version_id, seq as i64, t.speaker_id, t.label_start, t.start, t.end, t.start_ms, t.end_ms, t.cues],
                )?;
            } else {
                tx.execute(
                    "UPDATE turns SET seq = ?2, speaker_id = ?3, label_start = ?4, start_char = ?5, end_char = ?6,
                            start_ms = ?7, end_ms = ?8, cues = ?9 WHERE id = ?1",
                    params![t.id, seq as i64, t.speaker_id, t.label_start, t.start, t.end, t.start_ms, t.end_ms, t.cues],
                )?;
            }
        }
        Ok(())
    }

    /// The document's non-speech pseudo-speaker, if it has one.
    pub fn find_non_speech_speaker(tx: &Tx, document_id: DocumentId) -> Result<Option<i64>> {
        Ok(tx
            .sql()
            .query_row(
                "SELECT id FROM speakers WHERE document_id = ?1 AND non_speech = 1",
                [document_id.get()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A speaker's role as it stands inside a change.
    pub fn speaker_role(tx: &Tx, speaker_id: i64) -> Result<crate::model::Role> {
        let role: String = tx.sql().query_row(
            "SELECT role FROM speakers WHERE id = ?1",
            [speaker_id],
            |r| r.get(0),
        )?;
        Ok(crate::model::Role::parse(&role).unwrap_or(crate::model::Role::Other))
    }

    /// The document's non-speech pseudo-speaker, made when first needed.
    pub fn non_speech_speaker(tx: &Tx, document_id: DocumentId) -> Result<i64> {
        match Store::find_non_speech_speaker(tx, document_id)? {
            Some(id) => Ok(id),
            None => Store::insert_speaker(
                tx,
                document_id,
                storyloom_import::parsed::NON_SPEECH_LABEL,
                crate::model::Role::Other,
            ),
        }
    }

    /// Renames a speaker's display label.
    pub fn rename_speaker(tx: &Tx, speaker_id: i64, label: &str) -> Result<()> {
        tx.execute(
            "UPDATE speakers SET label = ?2 WHERE id = ?1",
            params![speaker_id, label],
        )?;
        Ok(())
    }

    /// Records that a person checked the document's speakers (or clears it).
    pub fn set_speakers_confirmed(
        tx: &Tx,
        document_id: DocumentId,
        by: Option<&str>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE documents SET speakers_confirmed_at = ?2, speakers_confirmed_by = ?3 WHERE id = ?1",
            params![document_id.get(), by.map(|_| now()), by],
        )?;
        Ok(())
    }

    /// A correction of who spoke withdraws an earlier confirmation, inside
    /// the correction's own change (so its undo brings the check back): the
    /// person is still checking. Returns the confirmation it withdrew.
    pub fn withdraw_speakers_confirmation(
        tx: &Tx,
        document_id: DocumentId,
    ) -> Result<Option<Confirmation>> {
        let found = tx
            .query_row(
                "SELECT speakers_confirmed_at, speakers_confirmed_by FROM documents WHERE id = ?1",
                [document_id.get()],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(at, by)| Some(Confirmation { at: at?, by: by? }));
        if found.is_some() {
            Store::set_speakers_confirmed(tx, document_id, None)?;
        }
        Ok(found)
    }

    /// Why the document's speakers are unchecked when a correction withdrew
    /// the check: the newest live action on the document's confirmation is
    /// that correction (not a later "Speakers checked" or an explicit
    /// withdrawal). Corrections record `withdrew_check` in their forward data.
    pub fn check_withdrawn_by(&self, document_uuid: &str) -> Result<Option<Withdrawal>> {
        let row = self
            .conn()
            .query_row(
                "SELECT command, json_extract(forward, '$.withdrew_check.correction'), actor, at,
                        json_extract(forward, '$.withdrew_check.by')
                 FROM history
                 WHERE kind = 'action' AND undone = 0
                   AND json_valid(forward)
                   AND json_extract(forward, '$.document') = ?1
                   AND (command = 'confirm_speakers'
                        OR json_extract(forward, '$.withdrew_check') IS NOT NULL)
                 ORDER BY seq DESC LIMIT 1",
                [document_uuid],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.and_then(|(command, summary, actor, at, checked_by)| {
            (command != "confirm_speakers").then_some(Withdrawal {
                summary: summary.unwrap_or_default(),
                actor,
                at,
                checked_by: checked_by.unwrap_or_default(),
            })
        }))
    }

    /// Who confirmed the document's speakers, if anyone.
    pub fn speakers_confirmed(&self, document_id: DocumentId) -> Result<Option<Confirmation>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT speakers_confirmed_at, speakers_confirmed_by FROM documents WHERE id = ?1",
                [document_id.get()],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(at, by)| Some(Confirmation { at: at?, by: by? })))
    }

    /// The documents (id, uuid, name) whose speakers nobody confirmed, among those of these versions.
    pub fn unconfirmed_documents_of_versions(
        &self,
        version_ids: &[i64],
    ) -> Result<Vec<(i64, String, String)>> {
        let mut out: Vec<(i64, String, String)> = Vec::new();
        let mut stmt = self.conn().prepare(
            "SELECT d.id, d.uuid, d.name FROM document_versions v JOIN documents d ON d.id = v.document_id
             WHERE v.id = ?1 AND d.speakers_confirmed_at IS NULL",
        )?;
        for vid in version_ids {
            if let Some(row) = stmt
                .query_row([vid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?
                && !out.iter().any(|o: &(i64, String, String)| o.0 == row.0)
            {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The uuids of the documents whose speakers nobody has confirmed.
    pub fn unconfirmed_documents(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT uuid FROM documents WHERE speakers_confirmed_at IS NULL")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<Vec<String>, _>>()?;
        Ok(rows)
    }

    /// How sure the import was of the document's speakers.
    pub fn detection(&self, document_id: DocumentId) -> Result<Option<Confidence>> {
        let json: Option<String> = self
            .conn()
            .query_row(
                "SELECT detection FROM documents WHERE id = ?1",
                [document_id.get()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    /// A project written by version 3 opens and upgrades: its documents keep
    /// their turns, none is a non-speech turn, and nobody has confirmed them.
    #[test]
    fn upgrades_a_version_3_project_with_a_transcript() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v3.storyloom");
        let c = schema::old_project(&p, 3);
        c.execute_batch(
            "INSERT INTO meta(key, value) VALUES ('project_uuid', 'x'), ('created_at', '2026-01-01'), ('change_counter', '1');
             INSERT INTO documents(uuid, name, format, imported_at) VALUES ('d1', 'a.txt', 'txt', '2026-01-01');
             INSERT INTO document_versions(uuid, document_id, version, text, chars, words, created_at) VALUES ('v1', 1, 1, 'A: Hi.', 6, 2, '2026-01-01');
             INSERT INTO speakers(uuid, document_id, label, role) VALUES ('s1', 1, 'A', 'participant');
             INSERT INTO turns(uuid, version_id, seq, speaker_id, label_start, start_char, end_char) VALUES ('t1', 1, 0, 1, 0, 3, 6);",
        )
        .unwrap();
        drop(c);
        let s = Store::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), schema::CURRENT_VERSION);
        let doc = s.document_text(DocumentId(1)).unwrap();
        assert_eq!(doc.turns.len(), 1);
        assert!(!doc.turns[0].non_speech);
        assert_eq!(s.speakers_confirmed(DocumentId(1)).unwrap(), None);
        assert_eq!(s.detection(DocumentId(1)).unwrap(), None);
        assert_eq!(s.speakers(DocumentId(1)).unwrap().len(), 1);
    }
}
