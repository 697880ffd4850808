//! Codes: the codebook tree (themes that group codes are in `themes`).
//! Deleting is soft (a flag), so undo and the audit trail keep everything.

use super::{CodeId, RowExt, Store, Tx, now};
use crate::error::{Error, Result};
use crate::model::{Code, CodeDescription};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// A live code row.
#[derive(Debug, Clone)]
pub struct CodeRow {
    pub id: CodeId,
    pub uuid: String,
    pub parent_id: Option<CodeId>,
    pub name: String,
    pub color: String,
    pub description: CodeDescription,
    /// False for a category that takes no coding (`isCodable="false"`).
    pub codable: bool,
}

/// Reads every live code, in codebook order.
pub(crate) fn code_rows(conn: &Connection) -> Result<Vec<CodeRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, uuid, parent_id, name, color, definition, when_to_use, when_not, codable
         FROM codes WHERE deleted = 0 ORDER BY sort, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CodeRow {
            id: r.id(0)?,
            uuid: r.get(1)?,
            parent_id: r.opt_id(2)?,
            name: r.get(3)?,
            color: r.get(4)?,
            description: CodeDescription {
                definition: r.get(5)?,
                when_to_use: r.get(6)?,
                when_not: r.get(7)?,
            },
            codable: r.get::<_, i64>(8)? != 0,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The codebook with each code's path, parents before children.
pub fn codes_from_rows(rows: &[CodeRow]) -> Vec<(CodeId, Code)> {
    let by_id: HashMap<CodeId, &CodeRow> = rows.iter().map(|r| (r.id, r)).collect();
    let path_of = |row: &CodeRow| {
        let mut path = vec![row.name.clone()];
        let mut p = row.parent_id;
        let mut guard = 0;
        while let Some(id) = p {
            let Some(parent) = by_id.get(&id) else { break };
            path.insert(0, parent.name.clone());
            p = parent.parent_id;
            guard += 1;
            if guard > 64 {
                break;
            }
        }
        path
    };
    let mut out: Vec<(CodeId, Code)> = rows
        .iter()
        .map(|r| {
            (
                r.id,
                Code {
                    uuid: r.uuid.clone(),
                    path: path_of(r),
                    parent: r
                        .parent_id
                        .and_then(|p| by_id.get(&p).map(|p| p.uuid.clone())),
                    color: r.color.clone(),
                    definition: r.description.definition.clone(),
                    when_to_use: r.description.when_to_use.clone(),
                    when_not: r.description.when_not.clone(),
                    codable: r.codable,
                },
            )
        })
        .collect();
    // Depth-first order: each parent followed by its children in sort order.
    let order: HashMap<CodeId, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    out.sort_by_cached_key(|(_, c)| {
        let mut key = Vec::new();
        let mut cur = rows.iter().find(|r| r.uuid == c.uuid);
        while let Some(r) = cur {
            key.insert(0, order[&r.id]);
            cur = r.parent_id.and_then(|p| by_id.get(&p).copied());
        }
        key
    });
    out
}

impl Store {
    /// Every live code, in codebook order.
    pub fn code_rows(&self) -> Result<Vec<CodeRow>> {
        code_rows(self.conn())
    }

    /// [`Store::code_rows`] inside a change.
    pub fn code_rows_in(tx: &Tx) -> Result<Vec<CodeRow>> {
        code_rows(tx.sql())
    }

    /// The codebook, parents before children.
    pub fn codes(&self) -> Result<Vec<Code>> {
        Ok(codes_from_rows(&code_rows(self.conn())?)
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// Finds a live code by uuid (or an 8+ character prefix), by path
    /// (`Belonging > Being known by name`) or by a name no other code has.
    pub fn find_code(&self, key: &str) -> Result<CodeId> {
        let rows = code_rows(self.conn())?;
        find_code_in(&rows, key)
    }

    /// The code and all codes under it.
    pub fn code_and_descendants(&self, id: CodeId) -> Result<Vec<CodeId>> {
        Ok(descendants(&code_rows(self.conn())?, id))
    }

    pub fn code_row(&self, id: CodeId) -> Result<CodeRow> {
        code_rows(self.conn())?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::UnknownCode(id.to_string()))
    }

    /// A new code under `parent`. Names are unique among siblings.
    pub fn insert_code(
        tx: &Tx,
        parent: Option<CodeId>,
        name: &str,
        color: &str,
    ) -> Result<(CodeId, String)> {
        let sort = Store::next_code_sort(tx)?;
        Store::insert_code_at(tx, parent, name, color, sort)
    }

    /// The sort number after every code's (read once by a bulk import that
    /// then counts on, instead of scanning the codes for each new one).
    pub fn next_code_sort(tx: &Tx) -> Result<i64> {
        Ok(
            tx.query_row("SELECT ifnull(max(sort), 0) + 1 FROM codes", [], |r| {
                r.get(0)
            })?,
        )
    }

    /// Marks a code as a category that takes no coding (or codable again).
    pub fn set_code_codable(tx: &Tx, id: CodeId, codable: bool) -> Result<()> {
        tx.execute(
            "UPDATE codes SET codable = ?2 WHERE id = ?1",
            params![id.get(), codable as i64],
        )?;
        Ok(())
    }

    /// How many live codings a code has (read inside a change, so a coding
    /// made meanwhile by another process is counted).
    pub fn live_codings_of_code(tx: &Tx, id: CodeId) -> Result<usize> {
        Ok(tx.query_row(
            "SELECT count(*) FROM codings WHERE code_id = ?1 AND deleted = 0",
            [id.get()],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }

    /// Can this code take codings? (False for a category imported as
    /// `isCodable="false"`.)
    pub fn code_codable(&self, id: CodeId) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT codable FROM codes WHERE id = ?1", [id.get()], |r| {
                r.get::<_, i64>(0)
            })?
            != 0)
    }

    /// The uuids of the codes that take no coding.
    pub fn non_codable_codes(&self) -> Result<std::collections::HashSet<String>> {
        let mut st = self
            .conn()
            .prepare("SELECT uuid FROM codes WHERE codable = 0")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// [`Store::insert_code`] with the sort number given.
    pub fn insert_code_at(
        tx: &Tx,
        parent: Option<CodeId>,
        name: &str,
        color: &str,
        sort: i64,
    ) -> Result<(CodeId, String)> {
        Store::insert_code_as(tx, None, parent, name, color, sort)
    }

    /// [`Store::insert_code_at`] keeping another tool's GUID as the uuid
    /// where it is a free, well-formed UUID.
    pub fn insert_code_as(
        tx: &Tx,
        guid: Option<&str>,
        parent: Option<CodeId>,
        name: &str,
        color: &str,
        sort: i64,
    ) -> Result<(CodeId, String)> {
        check_sibling_name(tx.sql(), parent, name, None)?;
        let uuid = crate::kept_or_new_uuid(tx, "codes", guid)?;
        tx.execute(
            "INSERT INTO codes(uuid, parent_id, name, color, sort, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![uuid, parent.map(CodeId::get), name, color, sort, now()],
        )?;
        Ok((CodeId(tx.last_insert_rowid()), uuid))
    }

    pub fn rename_code(tx: &Tx, id: CodeId, name: &str) -> Result<()> {
        let parent: Option<CodeId> = tx.query_row(
            "SELECT parent_id FROM codes WHERE id = ?1",
            [id.get()],
            |r| r.opt_id(0),
        )?;
        check_sibling_name(tx.sql(), parent, name, Some(id))?;
        tx.execute(
            "UPDATE codes SET name = ?2 WHERE id = ?1",
            params![id.get(), name],
        )?;
        Ok(())
    }

    pub fn set_code_color(tx: &Tx, id: CodeId, color: &str) -> Result<()> {
        tx.execute(
            "UPDATE codes SET color = ?2 WHERE id = ?1",
            params![id.get(), color],
        )?;
        Ok(())
    }

    pub fn describe_code(tx: &Tx, id: CodeId, d: &CodeDescription) -> Result<()> {
        tx.execute(
            "UPDATE codes SET definition = ?2, when_to_use = ?3, when_not = ?4 WHERE id = ?1",
            params![id.get(), d.definition, d.when_to_use, d.when_not],
        )?;
        Ok(())
    }

    /// Sets only the given parts of a code's description, in one statement
    /// inside the change: a field another process set meanwhile is kept.
    pub fn describe_code_fields(
        tx: &Tx,
        id: CodeId,
        definition: Option<&str>,
        when_to_use: Option<&str>,
        when_not: Option<&str>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE codes SET definition = COALESCE(?2, definition),
                 when_to_use = COALESCE(?3, when_to_use), when_not = COALESCE(?4, when_not)
             WHERE id = ?1",
            params![id.get(), definition, when_to_use, when_not],
        )?;
        Ok(())
    }

    /// Moves a code under a new parent (or to the top). Refuses cycles.
    pub fn move_code(tx: &Tx, id: CodeId, parent: Option<CodeId>) -> Result<()> {
        let rows = code_rows(tx.sql())?;
        if let Some(p) = parent
            && descendants(&rows, id).contains(&p)
        {
            return Err(Error::Refused(
                "a code cannot move under itself or one of its own sub-codes".into(),
            ));
        }
        let name = rows
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        check_sibling_name(tx.sql(), parent, &name, Some(id))?;
        tx.execute(
            "UPDATE codes SET parent_id = ?2 WHERE id = ?1",
            params![id.get(), parent.map(CodeId::get)],
        )?;
        Ok(())
    }

    /// Soft-deletes codes (undo brings them back with their codings).
    pub fn delete_codes(tx: &Tx, ids: &[CodeId]) -> Result<()> {
        let mut stmt = tx.prepare("UPDATE codes SET deleted = 1 WHERE id = ?1")?;
        for id in ids {
            stmt.execute([id.get()])?;
        }
        Ok(())
    }

    /// Merges `source` into `target`: codings move (an identical coding the
    /// target already has is dropped as a duplicate), sub-codes move under
    /// the target, themes and memos follow; then the source is deleted.
    /// Returns (codings moved, duplicates dropped).
    pub fn merge_codes(tx: &Tx, source: CodeId, target: CodeId) -> Result<(usize, usize)> {
        let (source, target) = (source.get(), target.get());
        let (source_uuid, target_uuid): (String, String) = tx.query_row(
            "SELECT (SELECT uuid FROM codes WHERE id = ?1), (SELECT uuid FROM codes WHERE id = ?2)",
            [source, target],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let dropped = tx.execute(
            "UPDATE codings SET deleted = 1 WHERE code_id = ?1 AND deleted = 0 AND EXISTS (
                SELECT 1 FROM codings t WHERE t.code_id = ?2 AND t.deleted = 0 AND t.version_id = codings.version_id
                  AND t.start_char = codings.start_char AND t.end_char = codings.end_char AND t.coder = codings.coder)",
            [source, target],
        )?;
        let moved = tx.execute(
            "UPDATE codings SET code_id = ?2 WHERE code_id = ?1 AND deleted = 0",
            [source, target],
        )?;
        // Codings already set aside (deleted) follow too, so undoing their removal finds the right code.
        tx.execute(
            "UPDATE codings SET code_id = ?2 WHERE code_id = ?1",
            [source, target],
        )?;
        let children: Vec<(CodeId, String)> = tx
            .prepare("SELECT id, name FROM codes WHERE parent_id = ?1 AND deleted = 0")?
            .query_map([source], |r| Ok((r.id(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (child, name) in children {
            let mut new_name = name.clone();
            let mut n = 2;
            while sibling_exists(tx.sql(), Some(CodeId(target)), &new_name, Some(child))? {
                new_name = format!("{name} ({n})");
                n += 1;
            }
            tx.execute(
                "UPDATE codes SET parent_id = ?2, name = ?3 WHERE id = ?1",
                params![child.get(), target, new_name],
            )?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO theme_codes(theme_id, code_id) SELECT theme_id, ?2 FROM theme_codes WHERE code_id = ?1",
            [source, target],
        )?;
        tx.execute("DELETE FROM theme_codes WHERE code_id = ?1", [source])?;
        tx.execute(
            "UPDATE memos SET target_uuid = ?2 WHERE target_kind = 'code' AND target_uuid = ?1",
            [&source_uuid, &target_uuid],
        )?;
        tx.execute("UPDATE codes SET deleted = 1 WHERE id = ?1", [source])?;
        Ok((moved, dropped))
    }
}

/// The code ids under `id`, itself included.
pub fn descendants(rows: &[CodeRow], id: CodeId) -> Vec<CodeId> {
    let mut children: HashMap<CodeId, Vec<CodeId>> = HashMap::new();
    for r in rows {
        if let Some(p) = r.parent_id {
            children.entry(p).or_default().push(r.id);
        }
    }
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        if let Some(c) = children.get(&out[i]) {
            for &c in c {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        i += 1;
    }
    out
}

/// Resolves what a user typed to one code.
pub fn find_code_in(rows: &[CodeRow], key: &str) -> Result<CodeId> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::UnknownCode(String::new()));
    }
    if let Some(r) = rows.iter().find(|r| r.uuid == key) {
        return Ok(r.id);
    }
    let codes = codes_from_rows(rows);
    let wanted: Vec<String> = key
        .split('>')
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    let by_path: Vec<&(CodeId, Code)> = codes
        .iter()
        .filter(|(_, c)| {
            c.path.len() >= wanted.len()
                && c.path[c.path.len() - wanted.len()..]
                    .iter()
                    .zip(&wanted)
                    .all(|(a, b)| a.to_lowercase() == *b)
        })
        .collect();
    // An exact full path wins over a path suffix.
    if let Some((id, _)) = by_path.iter().find(|(_, c)| c.path.len() == wanted.len())
        && by_path
            .iter()
            .filter(|(_, c)| c.path.len() == wanted.len())
            .count()
            == 1
    {
        return Ok(*id);
    }
    match by_path.as_slice() {
        [one] => return Ok(one.0),
        [] => {}
        many => {
            let paths: Vec<String> = many.iter().map(|(_, c)| c.path_string()).collect();
            return Err(Error::Ambiguous(format!(
                "'{key}' could be any of: {}; write the full path",
                paths.join("; ")
            )));
        }
    }
    if key.len() >= 8 {
        let by_prefix: Vec<&CodeRow> = rows.iter().filter(|r| r.uuid.starts_with(key)).collect();
        if let [one] = by_prefix.as_slice() {
            return Ok(one.id);
        }
    }
    Err(Error::UnknownCode(key.to_owned()))
}

fn sibling_exists(
    conn: &Connection,
    parent: Option<CodeId>,
    name: &str,
    except: Option<CodeId>,
) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM codes WHERE ifnull(parent_id, 0) = ifnull(?1, 0) AND name = ?2 COLLATE NOCASE
               AND deleted = 0 AND id != ifnull(?3, -1)",
            params![parent.map(CodeId::get), name, except.map(CodeId::get)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn check_sibling_name(
    conn: &Connection,
    parent: Option<CodeId>,
    name: &str,
    except: Option<CodeId>,
) -> Result<()> {
    if sibling_exists(conn, parent, name, except)? {
        return Err(Error::NameTaken {
            kind: "code",
            name: name.to_owned(),
            place: " at that place in the codebook",
        });
    }
    Ok(())
}
