//! The pseudonym map: its entries, the record of a key kept apart from the
//! project, and the names a suggestion looks through.

use super::{Store, Tx, new_uuid, now};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use storyloom_text::story::{Pseudonym, PseudonymKind};

/// Speaker labels, participants' (name, pseudonym), and (attribute, value) pairs.
pub type NameSources = (
    Vec<String>,
    Vec<(String, Option<String>)>,
    Vec<(String, String)>,
);

/// The meta key under which a detached pseudonym key is recorded.
const KEY_META: &str = "pseudonym_key";

/// What the project knows of a pseudonym key kept apart from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DetachedKey {
    pub fingerprint: String,
    pub entries: usize,
    pub file: String,
    pub at: String,
}

impl Store {
    pub fn pseudonyms(&self) -> Result<Vec<Pseudonym>> {
        let mut stmt = self.conn().prepare(
            "SELECT original, replacement, kind, confirmed FROM pseudonyms ORDER BY original COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Pseudonym {
                original: r.get(0)?,
                replacement: r.get(1)?,
                kind: PseudonymKind::parse(&r.get::<_, String>(2)?).unwrap_or(PseudonymKind::Other),
                confirmed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Adds or updates an entry (matched on the original, case-insensitively).
    pub fn upsert_pseudonym(tx: &Tx, p: &Pseudonym) -> Result<()> {
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM pseudonyms WHERE original = ?1 COLLATE NOCASE",
                [&p.original],
                |r| r.get(0),
            )
            .optional()?;
        match existing {
            Some(id) => tx.execute(
                "UPDATE pseudonyms SET original = ?2, replacement = ?3, kind = ?4, confirmed = ?5 WHERE id = ?1",
                params![id, p.original, p.replacement, p.kind.as_str(), p.confirmed],
            )?,
            None => tx.execute(
                "INSERT INTO pseudonyms(uuid, original, replacement, kind, confirmed, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new_uuid(), p.original, p.replacement, p.kind.as_str(), p.confirmed, now()],
            )?,
        };
        Ok(())
    }

    pub fn delete_pseudonym(tx: &Tx, original: &str) -> Result<bool> {
        Ok(tx.execute(
            "DELETE FROM pseudonyms WHERE original = ?1 COLLATE NOCASE",
            [original],
        )? > 0)
    }

    pub fn clear_pseudonyms(tx: &Tx) -> Result<()> {
        tx.execute("DELETE FROM pseudonyms", [])?;
        Ok(())
    }

    /// The record of a key kept apart from the project, if any.
    pub fn detached_key(&self) -> Result<Option<DetachedKey>> {
        let v: Option<String> = self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY_META], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok()))
    }

    pub fn set_detached_key(tx: &Tx, key: Option<&DetachedKey>) -> Result<()> {
        match key {
            Some(k) => {
                let v = serde_json::to_string(k).map_err(|e| Error::Invalid(e.to_string()))?;
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [KEY_META, &v],
                )?;
            }
            None => {
                tx.execute("DELETE FROM meta WHERE key = ?1", [KEY_META])?;
            }
        }
        Ok(())
    }

    /// Labels of participant-role speakers, and participants' names, for suggestions.
    pub fn name_sources(&self) -> Result<NameSources> {
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT s.label FROM speakers s JOIN documents d ON d.id = s.document_id WHERE d.deleted = 0",
        )?;
        let labels = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT name, pseudonym FROM participants WHERE name IS NOT NULL")?;
        let names = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT a.name, v.value FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id WHERE a.kind = 'text'",
        )?;
        let values = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok((labels, names, values))
    }

    /// The current texts of live documents (for name suggestions).
    pub fn current_texts_all(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT v.text FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version WHERE d.deleted = 0",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// A participant's own names, for the entries every map starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantNames {
    /// The study's id (`P01`).
    pub ident: String,
    pub name: Option<String>,
    pub pseudonym: Option<String>,
    /// The name they go by, if recorded.
    pub known_as: Option<String>,
    /// Labels of speakers linked to them in live documents.
    pub labels: Vec<String>,
}

impl Store {
    /// Every participant's names and speaker labels.
    pub fn participant_names(&self) -> Result<Vec<ParticipantNames>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, ident, name, pseudonym, known_as FROM participants ORDER BY ident",
        )?;
        let rows: Vec<(i64, ParticipantNames)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    ParticipantNames {
                        ident: r.get(1)?,
                        name: r.get(2)?,
                        pseudonym: r.get(3)?,
                        known_as: r.get(4)?,
                        labels: Vec::new(),
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT DISTINCT s.label FROM speakers s JOIN documents d ON d.id = s.document_id WHERE d.deleted = 0 AND s.participant_id = ?1",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut p) in rows {
            p.labels = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            out.push(p);
        }
        Ok(out)
    }
}
