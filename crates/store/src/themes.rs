//! Themes: named groups of codes, with a definition and a status.
//! Deleting is soft (a flag), so undo and the audit trail keep everything.

use super::{CodeId, RowExt, Store, ThemeId, Tx, new_uuid, now};
use crate::error::{Error, Result};
use crate::model::{Theme, ThemeStatus};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

impl Store {
    pub fn themes(&self) -> Result<Vec<Theme>> {
        let conn = self.conn();
        let code_order: HashMap<String, usize> = self
            .codes()?
            .into_iter()
            .enumerate()
            .map(|(i, c)| (c.uuid, i))
            .collect();
        let mut stmt = conn.prepare(
            "SELECT id, uuid, name, definition, status FROM themes WHERE deleted = 0 ORDER BY sort, id",
        )?;
        let rows: Vec<(i64, String, String, String, String)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut codes_stmt = conn.prepare(
            "SELECT c.uuid FROM theme_codes tc JOIN codes c ON c.id = tc.code_id WHERE tc.theme_id = ?1 AND c.deleted = 0",
        )?;
        let mut out = Vec::new();
        for (id, uuid, name, definition, status) in rows {
            let mut codes: Vec<String> = codes_stmt
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            codes.sort_by_key(|u| code_order.get(u).copied().unwrap_or(usize::MAX));
            out.push(Theme {
                uuid,
                name,
                definition,
                status: ThemeStatus::parse(&status).unwrap_or(ThemeStatus::Candidate),
                codes,
            });
        }
        Ok(out)
    }

    /// Finds a live theme by uuid (or 8+ character prefix) or name.
    pub fn find_theme(&self, key: &str) -> Result<(ThemeId, String)> {
        let key = key.trim();
        let found: Vec<(ThemeId, String)> = self
            .conn()
            .prepare(
                "SELECT id, name FROM themes WHERE deleted = 0 AND (uuid = ?1 OR name = ?1 COLLATE NOCASE
                   OR (length(?1) >= 8 AND uuid LIKE ?1 || '%'))",
            )?
            .query_map([key], |r| Ok((r.id(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        match found.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::UnknownTheme(key.to_owned())),
            _ => Err(Error::Ambiguous(format!(
                "'{key}' matches {} themes; use the theme's id",
                found.len()
            ))),
        }
    }

    pub fn insert_theme(tx: &Tx, name: &str, definition: &str) -> Result<(ThemeId, String)> {
        if theme_name_taken(tx.sql(), name, None)? {
            return Err(Error::NameTaken {
                kind: "theme",
                name: name.to_owned(),
                place: "",
            });
        }
        let sort: i64 = tx.query_row("SELECT ifnull(max(sort), 0) + 1 FROM themes", [], |r| {
            r.get(0)
        })?;
        let uuid = new_uuid();
        tx.execute(
            "INSERT INTO themes(uuid, name, definition, sort, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![uuid, name, definition, sort, now()],
        )?;
        Ok((ThemeId(tx.last_insert_rowid()), uuid))
    }

    pub fn rename_theme(tx: &Tx, id: ThemeId, name: &str) -> Result<()> {
        if theme_name_taken(tx.sql(), name, Some(id))? {
            return Err(Error::NameTaken {
                kind: "theme",
                name: name.to_owned(),
                place: "",
            });
        }
        tx.execute(
            "UPDATE themes SET name = ?2 WHERE id = ?1",
            params![id.get(), name],
        )?;
        Ok(())
    }

    pub fn set_theme_definition(tx: &Tx, id: ThemeId, definition: &str) -> Result<()> {
        tx.execute(
            "UPDATE themes SET definition = ?2 WHERE id = ?1",
            params![id.get(), definition],
        )?;
        Ok(())
    }

    pub fn set_theme_status(tx: &Tx, id: ThemeId, status: ThemeStatus) -> Result<()> {
        tx.execute(
            "UPDATE themes SET status = ?2 WHERE id = ?1",
            params![id.get(), status.as_str()],
        )?;
        Ok(())
    }

    pub fn delete_theme(tx: &Tx, id: ThemeId) -> Result<()> {
        tx.execute("UPDATE themes SET deleted = 1 WHERE id = ?1", [id.get()])?;
        Ok(())
    }

    /// Puts a code in a theme; false when it was there already.
    pub fn add_theme_code(tx: &Tx, theme: ThemeId, code: CodeId) -> Result<bool> {
        Ok(tx.execute(
            "INSERT OR IGNORE INTO theme_codes(theme_id, code_id) VALUES (?1, ?2)",
            params![theme.get(), code.get()],
        )? > 0)
    }

    /// Takes a code out of a theme; false when it was not in it.
    pub fn remove_theme_code(tx: &Tx, theme: ThemeId, code: CodeId) -> Result<bool> {
        Ok(tx.execute(
            "DELETE FROM theme_codes WHERE theme_id = ?1 AND code_id = ?2",
            params![theme.get(), code.get()],
        )? > 0)
    }
}

fn theme_name_taken(conn: &Connection, name: &str, except: Option<ThemeId>) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM themes WHERE name = ?1 COLLATE NOCASE AND deleted = 0 AND id != ifnull(?2, -1)",
            params![name, except.map(ThemeId::get)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
