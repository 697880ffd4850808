//! The rows of `pack_settings`: one JSON document per named pack.

use super::{Store, StoryId, ThemeId, Tx, new_uuid};
use crate::error::Result;
use rusqlite::{OptionalExtension, params};

impl Store {
    /// The settings JSON of the pack called `name`, if saved.
    pub fn pack_settings_json(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT settings FROM pack_settings WHERE name = ?1 ORDER BY id LIMIT 1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// [`Store::pack_settings_json`] inside a change, so a partial update
    /// reads what it merges into under the write lock.
    pub fn pack_settings_json_in(tx: &Tx, name: &str) -> Result<Option<String>> {
        Ok(tx
            .query_row(
                "SELECT settings FROM pack_settings WHERE name = ?1 ORDER BY id LIMIT 1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Inserts or replaces the settings of the pack called `name`.
    pub fn write_pack_settings(tx: &Tx, name: &str, settings: &str) -> Result<()> {
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM pack_settings WHERE name = ?1 ORDER BY id LIMIT 1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => {
                tx.execute(
                    "UPDATE pack_settings SET settings = ?2 WHERE id = ?1",
                    params![id, settings],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO pack_settings(uuid, name, settings) VALUES (?1, ?2, ?3)",
                    params![new_uuid(), name, settings],
                )?;
            }
        }
        Ok(())
    }
}

/// One imported row of a workshop's recording sheet.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorkshopNote {
    pub uuid: String,
    /// The story's uuid (none if the story was deleted since).
    pub story: Option<String>,
    pub workshop: String,
    /// Column → answer, as on the recording sheet.
    pub fields: std::collections::BTreeMap<String, String>,
    pub imported_at: String,
}

impl Store {
    /// A note on a story, or on a theme (the pack's "Theme: …" rows).
    pub fn insert_workshop_note(
        tx: &Tx,
        story_id: Option<StoryId>,
        theme_id: Option<ThemeId>,
        workshop: &str,
        fields: &str,
    ) -> Result<()> {
        tx.execute(
            "INSERT INTO workshop_notes(uuid, story_id, theme_id, workshop, fields, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                new_uuid(),
                story_id.map(StoryId::get),
                theme_id.map(ThemeId::get),
                workshop,
                fields,
                super::now()
            ],
        )?;
        Ok(())
    }

    /// How many workshop notes a theme has had.
    pub fn theme_workshop_notes(&self, theme_id: ThemeId) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn().prepare(
            "SELECT workshop, fields FROM workshop_notes WHERE theme_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([theme_id.get()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// The workshop notes of a story, oldest first.
    pub fn workshop_notes(&self, story_id: StoryId) -> Result<Vec<WorkshopNote>> {
        let mut stmt = self.conn().prepare(
            "SELECT w.uuid, s.uuid, w.workshop, w.fields, w.imported_at
             FROM workshop_notes w LEFT JOIN stories s ON s.id = w.story_id
             WHERE w.story_id = ?1 ORDER BY w.id",
        )?;
        let rows = stmt.query_map([story_id.get()], |r| {
            let fields: String = r.get(3)?;
            Ok(WorkshopNote {
                uuid: r.get(0)?,
                story: r.get(1)?,
                workshop: r.get(2)?,
                fields: serde_json::from_str(&fields).unwrap_or_default(),
                imported_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
