//! The rows of `pack_settings`: one JSON document per named pack.

use super::{Store, new_uuid};
use crate::error::Result;
use rusqlite::{OptionalExtension, Transaction, params};

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

    /// Inserts or replaces the settings of the pack called `name`.
    pub fn write_pack_settings(tx: &Transaction, name: &str, settings: &str) -> Result<()> {
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
