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
            "SELECT original, replacement, kind, confirmed, scope FROM pseudonyms ORDER BY original COLLATE NOCASE, scope",
        )?;
        let rows = stmt.query_map([], |r| {
            let scope: String = r.get(4)?;
            Ok(Pseudonym {
                original: r.get(0)?,
                replacement: r.get(1)?,
                kind: PseudonymKind::parse(&r.get::<_, String>(2)?).unwrap_or(PseudonymKind::Other),
                confirmed: r.get(3)?,
                scope: (!scope.is_empty()).then_some(scope),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Adds or updates an entry (matched on the original, case-insensitively,
    /// within its scope).
    pub fn upsert_pseudonym(tx: &Tx, p: &Pseudonym) -> Result<()> {
        let scope = p.scope.as_deref().unwrap_or("");
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM pseudonyms WHERE original = ?1 COLLATE NOCASE AND scope = ?2",
                params![p.original, scope],
                |r| r.get(0),
            )
            .optional()?;
        match existing {
            Some(id) => tx.execute(
                "UPDATE pseudonyms SET original = ?2, replacement = ?3, kind = ?4, confirmed = ?5 WHERE id = ?1",
                params![id, p.original, p.replacement, p.kind.as_str(), p.confirmed],
            )?,
            None => tx.execute(
                "INSERT INTO pseudonyms(uuid, original, replacement, kind, confirmed, created_at, scope) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![new_uuid(), p.original, p.replacement, p.kind.as_str(), p.confirmed, now(), scope],
            )?,
        };
        Ok(())
    }

    /// Deletes the entry for `original` in `scope` (`None`: project-wide).
    pub fn delete_pseudonym(tx: &Tx, original: &str, scope: Option<&str>) -> Result<bool> {
        Ok(tx.execute(
            "DELETE FROM pseudonyms WHERE original = ?1 COLLATE NOCASE AND scope = ?2",
            params![original, scope.unwrap_or("")],
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

/// How a researcher settled a name found in the text (other than replacing it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    NotIdentifying,
    KeptWithConsent,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NotIdentifying => "not-identifying",
            Verdict::KeptWithConsent => "kept-with-consent",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s.trim().to_lowercase().replace([' ', '_'], "-").as_str() {
            "not-identifying" => Some(Verdict::NotIdentifying),
            "kept-with-consent" | "kept" | "consent" => Some(Verdict::KeptWithConsent),
            _ => None,
        }
    }
}

/// A name found in the text and settled as not identifying or kept with consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameReview {
    /// The name folded (storyloom-privacy's fold): what reviews match on.
    pub key: String,
    /// The name as the researcher saw it.
    pub name: String,
    pub verdict: Verdict,
    /// The participant (study id) whose documents it is settled for; `None`: everywhere.
    pub scope: Option<String>,
    pub note: String,
    pub by: String,
    pub at: String,
}

impl Store {
    pub fn name_reviews(&self) -> Result<Vec<NameReview>> {
        let mut stmt = self.conn().prepare(
            "SELECT key, name, verdict, scope, note, reviewed_by, reviewed_at FROM name_reviews ORDER BY key, scope",
        )?;
        let rows = stmt.query_map([], |r| {
            let scope: String = r.get(3)?;
            let verdict: String = r.get(2)?;
            Ok(NameReview {
                key: r.get(0)?,
                name: r.get(1)?,
                verdict: Verdict::parse(&verdict).unwrap_or(Verdict::NotIdentifying),
                scope: (!scope.is_empty()).then_some(scope),
                note: r.get(4)?,
                by: r.get(5)?,
                at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Records (or changes) a review of a name in a scope.
    pub fn set_name_review(tx: &Tx, review: &NameReview) -> Result<()> {
        tx.execute(
            "INSERT INTO name_reviews(uuid, key, name, verdict, scope, note, reviewed_by, reviewed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(key, scope) DO UPDATE SET name = excluded.name, verdict = excluded.verdict, note = excluded.note, reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at",
            params![
                new_uuid(),
                review.key,
                review.name,
                review.verdict.as_str(),
                review.scope.as_deref().unwrap_or(""),
                review.note,
                review.by,
                review.at
            ],
        )?;
        Ok(())
    }

    /// Removes the review of a name in a scope (it is unreviewed again).
    pub fn delete_name_review(tx: &Tx, key: &str, scope: Option<&str>) -> Result<bool> {
        Ok(tx.execute(
            "DELETE FROM name_reviews WHERE key = ?1 AND scope = ?2",
            params![key, scope.unwrap_or("")],
        )? > 0)
    }
}

/// A live document's current text and whose it is, for the name finder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedText {
    pub document: String,
    /// The study id of the participant the document's participant speaker is linked to.
    pub participant: Option<String>,
    pub text: String,
}

impl Store {
    /// Every live document's current text, with its participant.
    pub fn named_texts(&self) -> Result<Vec<NamedText>> {
        let mut stmt = self.conn().prepare(
            "SELECT d.name, v.text,
                    (SELECT p.ident FROM speakers s JOIN participants p ON p.id = s.participant_id
                      WHERE s.document_id = d.id AND s.role = 'participant' ORDER BY s.id LIMIT 1)
               FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
              WHERE d.deleted = 0 ORDER BY d.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(NamedText {
                document: r.get(0)?,
                text: r.get(1)?,
                participant: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::{ChangeRecord, Store, schema};

    /// A version 3 project's map survives the rebuild with scopes, and two
    /// entries for one original can then live in two scopes.
    #[test]
    fn upgrades_a_version_3_map_and_keeps_entries_per_scope() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v3.storyloom");
        let c = schema::old_project(&p, 3);
        c.execute_batch(
            "INSERT INTO meta(key, value) VALUES ('project_uuid', 'x'), ('created_at', '2026-01-01'), ('change_counter', '1');
             INSERT INTO participants(uuid, ident, name, created_at) VALUES ('p1', 'P09', 'Lily Chen', '2026-01-01');
             INSERT INTO pseudonyms(uuid, original, replacement, kind, confirmed, created_at)
               VALUES ('u1', 'Hallbrook', 'the town', 'place', 1, '2026-01-01');",
        )
        .unwrap();
        drop(c);
        let mut s = Store::open(&p).unwrap();
        let map = s.pseudonyms().unwrap();
        assert_eq!(map.len(), 1);
        assert_eq!(
            (map[0].original.as_str(), map[0].scope.as_deref()),
            ("Hallbrook", None)
        );
        let lily = |scope: Option<&str>, r: &str| storyloom_text::story::Pseudonym {
            original: "Lily".into(),
            replacement: r.into(),
            kind: storyloom_text::story::PseudonymKind::Person,
            confirmed: true,
            scope: scope.map(str::to_owned),
        };
        s.change(
            |_| ChangeRecord {
                actor: "ana".into(),
                command: "pseudonym",
                summary: "two Lilys".into(),
                forward: serde_json::json!({}),
            },
            |tx| {
                Store::upsert_pseudonym(tx, &lily(Some("P09"), "Mei"))?;
                Store::upsert_pseudonym(tx, &lily(Some("P07"), "Rosie"))
            },
        )
        .unwrap();
        assert_eq!(s.pseudonyms().unwrap().len(), 3);
    }
}
