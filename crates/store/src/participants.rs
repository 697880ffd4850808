//! Participants (cases), their typed attributes and codes of the codebook.

use super::{ParticipantId, RowExt, Store, Tx, new_uuid, now};
use crate::error::Result;
use crate::model::{Attribute, AttributeKind, Participant};
use rusqlite::{OptionalExtension, params};
use storyloom_import::codebook::CodeSpec;
use storyloom_import::participants::ParticipantTable;

/// A participant as (row id, study id, name, pseudonym): what speaker linking matches on.
pub type ParticipantKey = (ParticipantId, String, Option<String>, Option<String>);

/// What storing a participants table changed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ParticipantsWritten {
    pub created: Vec<String>,
    pub updated: Vec<String>,
}

impl Store {
    /// Creates or updates participants and attributes from a table.
    pub fn write_participants(tx: &Tx, table: &ParticipantTable) -> Result<ParticipantsWritten> {
        let mut attr_ids = Vec::new();
        for (sort, (name, kind, choices)) in table.attributes.iter().enumerate() {
            let existing: Option<(i64, String, String)> = tx
                .query_row(
                    "SELECT id, kind, choices FROM attributes WHERE name = ?1",
                    [name],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let id = match existing {
                Some((id, old_kind, old_choices)) => {
                    // Widen rather than narrow: new values must still fit.
                    let kind = if old_kind == kind.as_str() {
                        *kind
                    } else {
                        AttributeKind::Text
                    };
                    let mut all: Vec<String> =
                        serde_json::from_str(&old_choices).unwrap_or_default();
                    all.extend(choices.iter().cloned());
                    all.sort();
                    all.dedup();
                    let all = if kind == AttributeKind::Choice {
                        all
                    } else {
                        vec![]
                    };
                    tx.execute(
                        "UPDATE attributes SET kind = ?2, choices = ?3 WHERE id = ?1",
                        params![
                            id,
                            kind.as_str(),
                            serde_json::to_string(&all).unwrap_or_default()
                        ],
                    )?;
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO attributes(uuid, name, kind, choices, sort) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![new_uuid(), name, kind.as_str(), serde_json::to_string(choices).unwrap_or_default(), sort as i64],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            attr_ids.push(id);
        }
        let mut out = ParticipantsWritten::default();
        for row in &table.rows {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM participants WHERE ident = ?1",
                    [&row.id],
                    |r| r.get(0),
                )
                .optional()?;
            let pid = match existing {
                Some(id) => {
                    tx.execute(
                        "UPDATE participants SET name = coalesce(?2, name), pseudonym = coalesce(?3, pseudonym) WHERE id = ?1",
                        params![id, row.name, row.pseudonym],
                    )?;
                    out.updated.push(row.id.clone());
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO participants(uuid, ident, name, pseudonym, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![new_uuid(), row.id, row.name, row.pseudonym, now()],
                    )?;
                    out.created.push(row.id.clone());
                    tx.last_insert_rowid()
                }
            };
            for (value, attr) in row.values.iter().zip(&attr_ids) {
                if value.is_empty() {
                    continue;
                }
                tx.execute(
                    "INSERT INTO attribute_values(participant_id, attribute_id, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT(participant_id, attribute_id) DO UPDATE SET value = excluded.value",
                    params![pid, attr, value],
                )?;
            }
        }
        Ok(out)
    }

    /// Finds a participant by id (`P01`), name or pseudonym, case-insensitively.
    pub fn find_participant(&self, key: &str) -> Result<Option<(ParticipantId, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, ident FROM participants WHERE ident = ?1 COLLATE NOCASE
                   OR name = ?1 COLLATE NOCASE OR pseudonym = ?1 COLLATE NOCASE ORDER BY ident = ?1 COLLATE NOCASE DESC LIMIT 1",
                [key.trim()],
                |r| Ok((r.id(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Participants as (row id, id, name, pseudonym), for linking speakers to them.
    pub fn participant_keys(&self) -> Result<Vec<ParticipantKey>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, ident, name, pseudonym FROM participants ORDER BY ident")?;
        let rows = stmt.query_map([], |r| Ok((r.id(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Every participant with attribute values and linked documents.
    pub fn participants(&self) -> Result<Vec<Participant>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, uuid, ident, name, pseudonym FROM participants ORDER BY ident")?;
        let rows: Vec<(i64, Participant)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Participant {
                        uuid: r.get(1)?,
                        id: r.get(2)?,
                        name: r.get(3)?,
                        pseudonym: r.get(4)?,
                        attributes: vec![],
                        documents: vec![],
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut values = self.conn().prepare(
            "SELECT a.name, v.value FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id
             WHERE v.participant_id = ?1 ORDER BY a.sort, a.id",
        )?;
        let mut docs = self.conn().prepare(
            "SELECT DISTINCT d.name FROM speakers s JOIN documents d ON d.id = s.document_id
             WHERE s.participant_id = ?1 AND d.deleted = 0 ORDER BY d.id",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut p) in rows {
            p.attributes = values
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            p.documents = docs
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            out.push(p);
        }
        Ok(out)
    }

    /// Attribute definitions, in column order.
    pub fn attributes(&self) -> Result<Vec<Attribute>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT name, kind, choices FROM attributes ORDER BY sort, id")?;
        let rows = stmt.query_map([], |r| {
            let choices: String = r.get(2)?;
            Ok(Attribute {
                name: r.get(0)?,
                kind: AttributeKind::parse(&r.get::<_, String>(1)?).unwrap_or(AttributeKind::Text),
                choices: serde_json::from_str(&choices).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Creates the codes of a starting codebook (and the parents their paths
    /// name). Existing codes are left as they are. Returns the paths created.
    pub fn write_codes(tx: &Tx, specs: &[CodeSpec], palette: &[&str]) -> Result<Vec<String>> {
        let mut created = Vec::new();
        for spec in specs {
            let mut parent: Option<i64> = None;
            for (depth, name) in spec.path.iter().enumerate() {
                let leaf = depth + 1 == spec.path.len();
                let found: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM codes WHERE ifnull(parent_id, 0) = ifnull(?1, 0) AND name = ?2 COLLATE NOCASE AND deleted = 0",
                        params![parent, name],
                        |r| r.get(0),
                    )
                    .optional()?;
                let id = match found {
                    Some(id) => id,
                    None => {
                        let n: i64 =
                            tx.query_row("SELECT count(*) FROM codes", [], |r| r.get(0))?;
                        let colour = spec
                            .color
                            .clone()
                            .filter(|_| leaf)
                            .unwrap_or_else(|| palette[n as usize % palette.len()].to_owned());
                        let (def, use_, not) = if leaf {
                            (
                                spec.definition.as_str(),
                                spec.when_to_use.as_str(),
                                spec.when_not.as_str(),
                            )
                        } else {
                            ("", "", "")
                        };
                        tx.execute(
                            "INSERT INTO codes(uuid, parent_id, name, color, definition, when_to_use, when_not, sort, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            params![new_uuid(), parent, name, colour, def, use_, not, n, now()],
                        )?;
                        created.push(spec.path[..=depth].join(" > "));
                        tx.last_insert_rowid()
                    }
                };
                parent = Some(id);
            }
        }
        Ok(created)
    }
}

impl Store {
    pub fn insert_participant(
        tx: &Tx,
        ident: &str,
        name: Option<&str>,
        pseudonym: Option<&str>,
    ) -> Result<(ParticipantId, String)> {
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM participants WHERE ident = ?1",
                [ident],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(crate::error::Error::NameTaken {
                kind: "participant",
                name: ident.to_owned(),
                place: "",
            });
        }
        let uuid = new_uuid();
        tx.execute(
            "INSERT INTO participants(uuid, ident, name, pseudonym, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![uuid, ident, name, pseudonym, now()],
        )?;
        Ok((ParticipantId(tx.last_insert_rowid()), uuid))
    }

    pub fn update_participant(
        tx: &Tx,
        id: ParticipantId,
        name: Option<&str>,
        pseudonym: Option<&str>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE participants SET name = ?2, pseudonym = ?3 WHERE id = ?1",
            params![id.get(), name, pseudonym],
        )?;
        Ok(())
    }

    /// Sets only the given fields (`Some(None)` clears one), in one
    /// statement inside the change: a field another process set meanwhile is kept.
    pub fn update_participant_fields(
        tx: &Tx,
        id: ParticipantId,
        name: Option<Option<&str>>,
        pseudonym: Option<Option<&str>>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE participants SET name = CASE WHEN ?2 THEN ?3 ELSE name END,
                 pseudonym = CASE WHEN ?4 THEN ?5 ELSE pseudonym END WHERE id = ?1",
            params![
                id.get(),
                name.is_some(),
                name.flatten(),
                pseudonym.is_some(),
                pseudonym.flatten()
            ],
        )?;
        Ok(())
    }

    /// An attribute definition by name: (id, kind, choices).
    pub fn find_attribute(&self, name: &str) -> Result<Option<(i64, AttributeKind, Vec<String>)>> {
        let row: Option<(i64, String, String)> = self
            .conn()
            .query_row(
                "SELECT id, kind, choices FROM attributes WHERE name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.map(|(id, kind, choices)| {
            (
                id,
                AttributeKind::parse(&kind).unwrap_or(AttributeKind::Text),
                serde_json::from_str(&choices).unwrap_or_default(),
            )
        }))
    }

    /// Creates or redefines an attribute; returns its row id.
    pub fn define_attribute(
        tx: &Tx,
        name: &str,
        kind: AttributeKind,
        choices: &[String],
    ) -> Result<i64> {
        let sort: i64 =
            tx.query_row("SELECT ifnull(max(sort), 0) + 1 FROM attributes", [], |r| {
                r.get(0)
            })?;
        tx.execute(
            "INSERT INTO attributes(uuid, name, kind, choices, sort) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, choices = excluded.choices",
            params![
                new_uuid(),
                name,
                kind.as_str(),
                serde_json::to_string(choices).unwrap_or_default(),
                sort
            ],
        )?;
        Ok(
            tx.query_row("SELECT id FROM attributes WHERE name = ?1", [name], |r| {
                r.get(0)
            })?,
        )
    }

    /// Sets (or with `None` clears) one attribute value of a participant.
    pub fn set_attribute_value(
        tx: &Tx,
        participant: ParticipantId,
        attribute: i64,
        value: Option<&str>,
    ) -> Result<()> {
        match value {
            Some(v) => tx.execute(
                "INSERT INTO attribute_values(participant_id, attribute_id, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT(participant_id, attribute_id) DO UPDATE SET value = excluded.value",
                params![participant.get(), attribute, v],
            )?,
            None => tx.execute(
                "DELETE FROM attribute_values WHERE participant_id = ?1 AND attribute_id = ?2",
                params![participant.get(), attribute],
            )?,
        };
        Ok(())
    }
}
