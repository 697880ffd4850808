//! Codings: a code applied by one coder to a char range of a text version.
//! Each keeps its quote and context so a correction can re-anchor and verify it.

use super::{CodeId, DocumentId, RowExt, Store, Tx, new_uuid, now};
use crate::codebook::codes_from_rows;
use crate::error::{Error, Result};
use crate::model::Coding;
use rusqlite::{Connection, OptionalExtension, params};

/// The live text version of a document.
#[derive(Debug, Clone)]
pub struct CurrentVersion {
    pub document_id: DocumentId,
    pub document_uuid: String,
    pub document_name: String,
    pub version_id: i64,
    pub version: i64,
    pub text: String,
}

/// A coding row to insert.
pub struct NewCoding<'a> {
    pub code_id: CodeId,
    pub version_id: i64,
    pub start: usize,
    pub end: usize,
    pub coder: &'a str,
    pub quote: &'a str,
    pub context_before: &'a str,
    pub context_after: &'a str,
    pub key_quote: bool,
}

/// Which codings to list.
#[derive(Debug, Clone, Default)]
pub struct CodingFilter {
    pub code_ids: Option<Vec<CodeId>>,
    pub document_id: Option<DocumentId>,
    pub coder: Option<String>,
}

/// How often a code is used: its live codings on the current text of live
/// documents, and in how many documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingCount {
    /// The code's uuid.
    pub code: String,
    pub codings: usize,
    pub documents: usize,
}

/// A coding's stored anchor, as re-anchoring needs it.
#[derive(Debug, Clone)]
pub struct CodingAnchor {
    pub id: i64,
    pub uuid: String,
    pub code_id: CodeId,
    pub start: usize,
    pub end: usize,
    pub coder: String,
    pub quote: String,
    pub context_before: String,
    pub context_after: String,
}

const CODING_COLUMNS: &str = "g.uuid, c.uuid, g.code_id, d.uuid, d.name, v.version, g.start_char, g.end_char, g.quote, g.coder, g.created_at, g.key_quote";

impl Store {
    /// A document's current version with its text.
    pub fn current_version(&self, document_id: DocumentId) -> Result<CurrentVersion> {
        current_version(self.conn(), document_id)
    }

    /// [`Store::current_version`] inside a change.
    pub fn current_version_in(tx: &Tx, document_id: DocumentId) -> Result<CurrentVersion> {
        current_version(tx.sql(), document_id)
    }

    /// Inserts a coding unless the same coder already has this code on this
    /// range; returns its id, uuid and whether it is new.
    pub fn insert_coding(tx: &Tx, c: &NewCoding) -> Result<(i64, String, bool)> {
        // Cached statements: a bulk import inserts hundreds of thousands.
        let existing: Option<(i64, String)> = tx
            .sql()
            .prepare_cached(
                "SELECT id, uuid FROM codings WHERE code_id = ?1 AND version_id = ?2 AND start_char = ?3
                   AND end_char = ?4 AND coder = ?5 AND deleted = 0",
            )?
            .query_row(
                params![c.code_id.get(), c.version_id, c.start as i64, c.end as i64, c.coder],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, uuid)) = existing {
            return Ok((id, uuid, false));
        }
        let uuid = new_uuid();
        tx.sql().prepare_cached(
            "INSERT INTO codings(uuid, code_id, version_id, start_char, end_char, coder, created_at, key_quote, quote, context_before, context_after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
                uuid,
                c.code_id.get(),
                c.version_id,
                c.start as i64,
                c.end as i64,
                c.coder,
                now(),
                c.key_quote as i64,
                c.quote,
                c.context_before,
                c.context_after
            ],
        )?;
        Ok((tx.last_insert_rowid(), uuid, true))
    }

    /// The uuid of a live coding this one would duplicate (same code, coder and range).
    pub fn duplicate_of(&self, c: &NewCoding) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT uuid FROM codings WHERE code_id = ?1 AND version_id = ?2 AND start_char = ?3
                   AND end_char = ?4 AND coder = ?5 AND deleted = 0",
                params![c.code_id.get(), c.version_id, c.start as i64, c.end as i64, c.coder],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Finds a live coding by uuid (or an 8+ character prefix): (id, version id).
    pub fn find_coding(&self, key: &str) -> Result<(i64, i64)> {
        let key = key.trim();
        let found: Vec<(i64, i64)> = self
            .conn()
            .prepare(
                "SELECT id, version_id FROM codings WHERE deleted = 0 AND (uuid = ?1 OR (length(?1) >= 8 AND uuid LIKE ?1 || '%')) LIMIT 2",
            )?
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::UnknownCoding(key.to_owned())),
            _ => Err(Error::Ambiguous(format!(
                "'{key}' matches several codings; give more of its id"
            ))),
        }
    }

    /// One coding by row id.
    pub fn coding(&self, id: i64) -> Result<Coding> {
        let sql = format!(
            "SELECT {CODING_COLUMNS} FROM codings g JOIN codes c ON c.id = g.code_id
             JOIN document_versions v ON v.id = g.version_id JOIN documents d ON d.id = v.document_id WHERE g.id = ?1"
        );
        let mut coding = self.conn().query_row(&sql, [id], coding_from_row)?;
        self.fill_code_paths(std::slice::from_mut(&mut coding))?;
        Ok(coding)
    }

    /// Live codings on the current text of live documents, in document order.
    pub fn codings(&self, filter: &CodingFilter) -> Result<Vec<Coding>> {
        if let Some(doc) = filter.document_id {
            return self.document_codings(doc, filter);
        }
        let mut sql = format!(
            "SELECT {CODING_COLUMNS} FROM codings g JOIN codes c ON c.id = g.code_id AND c.deleted = 0
             JOIN document_versions v ON v.id = g.version_id JOIN documents d ON d.id = v.document_id
             WHERE g.deleted = 0 AND d.deleted = 0 AND v.version = d.current_version"
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(doc) = filter.document_id {
            args.push(doc.get().into());
            sql.push_str(&format!(" AND d.id = ?{}", args.len()));
        }
        if let Some(coder) = &filter.coder {
            args.push(coder.clone().into());
            sql.push_str(&format!(" AND g.coder = ?{}", args.len()));
        }
        if let Some(ids) = &filter.code_ids {
            let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
            sql.push_str(&format!(" AND g.code_id IN ({})", list.join(",")));
        }
        sql.push_str(" ORDER BY d.id, g.start_char, g.end_char, g.id");
        let mut stmt = self.conn().prepare(&sql)?;
        let mut out: Vec<Coding> = stmt
            .query_map(rusqlite::params_from_iter(args), coding_from_row)?
            .collect::<Result<_, _>>()?;
        self.fill_code_paths(&mut out)?;
        Ok(out)
    }

    /// [`Store::codings`] of one document: the window reads them again
    /// after every coding, so they come straight off the version's index
    /// (no joins, no sort in SQL: the index gives them by start already),
    /// with the code's uuid and path from the codebook. Same rows, same order.
    fn document_codings(&self, doc: DocumentId, filter: &CodingFilter) -> Result<Vec<Coding>> {
        let head = self
            .conn()
            .query_row(
                "SELECT d.uuid, d.name, v.id, v.version FROM documents d
                 JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
                 WHERE d.id = ?1 AND d.deleted = 0",
                [doc.get()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((document, document_name, version_id, version)) = head else {
            return Ok(Vec::new());
        };
        let codes: std::collections::HashMap<CodeId, (String, String)> =
            codes_from_rows(&crate::codebook::code_rows(self.conn())?)
                .into_iter()
                .map(|(id, c)| {
                    let path = c.path_string();
                    (id, (c.uuid, path))
                })
                .collect();
        let wanted: Option<std::collections::HashSet<CodeId>> = filter
            .code_ids
            .as_ref()
            .map(|ids| ids.iter().copied().collect());
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, uuid, code_id, start_char, end_char, quote, coder, created_at, key_quote
             FROM codings WHERE version_id = ?1 AND deleted = 0",
        )?;
        let mut rows = stmt.query([version_id])?;
        let mut out: Vec<(i64, Coding)> = Vec::new();
        while let Some(r) = rows.next()? {
            let code_id: CodeId = r.id(2)?;
            // Codings of deleted codes are not live.
            let Some((code, code_path)) = codes.get(&code_id) else {
                continue;
            };
            if wanted.as_ref().is_some_and(|w| !w.contains(&code_id)) {
                continue;
            }
            let coder: String = r.get(6)?;
            if filter.coder.as_ref().is_some_and(|c| *c != coder) {
                continue;
            }
            out.push((
                r.get(0)?,
                Coding {
                    uuid: r.get(1)?,
                    code: code.clone(),
                    code_path: code_path.clone(),
                    document: document.clone(),
                    document_name: document_name.clone(),
                    version,
                    start: r.get::<_, i64>(3)? as usize,
                    end: r.get::<_, i64>(4)? as usize,
                    quote: r.get(5)?,
                    coder,
                    created_at: r.get(7)?,
                    key_quote: r.get::<_, i64>(8)? != 0,
                },
            ));
        }
        out.sort_by_key(|(id, c)| (c.start, c.end, *id));
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }

    fn fill_code_paths(&self, codings: &mut [Coding]) -> Result<()> {
        let codes = self.codes()?;
        let paths: std::collections::HashMap<&str, String> = codes
            .iter()
            .map(|c| (c.uuid.as_str(), c.path_string()))
            .collect();
        for c in codings {
            if let Some(p) = paths.get(c.code.as_str()) {
                c.code_path = p.clone();
            }
        }
        Ok(())
    }

    /// Codings of one text version (live ones), with their stored anchors.
    pub fn coding_anchors(&self, version_id: i64) -> Result<Vec<CodingAnchor>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, uuid, code_id, start_char, end_char, coder, quote, context_before, context_after
             FROM codings WHERE version_id = ?1 AND deleted = 0 ORDER BY start_char",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok(CodingAnchor {
                id: r.get(0)?,
                uuid: r.get(1)?,
                code_id: r.id(2)?,
                start: r.get::<_, i64>(3)? as usize,
                end: r.get::<_, i64>(4)? as usize,
                coder: r.get(5)?,
                quote: r.get(6)?,
                context_before: r.get(7)?,
                context_after: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn delete_coding(tx: &Tx, id: i64) -> Result<()> {
        tx.execute("UPDATE codings SET deleted = 1 WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Moves a coding to a range (of the same or a newer version), with its new quote and context.
    pub fn place_coding(
        tx: &Tx,
        id: i64,
        version_id: i64,
        start: usize,
        end: usize,
        quote: &str,
        context: (&str, &str),
    ) -> Result<()> {
        tx.execute(
            "UPDATE codings SET version_id = ?2, start_char = ?3, end_char = ?4, quote = ?5,
                context_before = ?6, context_after = ?7 WHERE id = ?1",
            params![
                id,
                version_id,
                start as i64,
                end as i64,
                quote,
                context.0,
                context.1
            ],
        )?;
        Ok(())
    }

    /// Puts a coding under another code (same text, range and coder).
    pub fn set_coding_code(tx: &Tx, id: i64, code_id: CodeId) -> Result<()> {
        tx.execute(
            "UPDATE codings SET code_id = ?2 WHERE id = ?1",
            params![id, code_id.get()],
        )?;
        Ok(())
    }

    pub fn set_key_quote(tx: &Tx, id: i64, key_quote: bool) -> Result<()> {
        tx.execute(
            "UPDATE codings SET key_quote = ?2 WHERE id = ?1",
            params![id, key_quote as i64],
        )?;
        Ok(())
    }

    /// Would this range duplicate another live coding of the same code and coder?
    pub fn coding_duplicate(
        &self,
        except: i64,
        version_id: i64,
        start: usize,
        end: usize,
    ) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM codings a JOIN codings b ON b.code_id = a.code_id AND b.coder = a.coder
                 WHERE a.id = ?1 AND b.id != a.id AND b.deleted = 0 AND b.version_id = ?2
                   AND b.start_char = ?3 AND b.end_char = ?4",
                params![except, version_id, start as i64, end as i64],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Codings and documents of every code that has live codings (of one
    /// document when given), counted by the database: one grouped query,
    /// cheap enough to run after every change.
    pub fn coding_counts(
        &self,
        document_id: Option<DocumentId>,
        coder: Option<&str>,
    ) -> Result<Vec<CodingCount>> {
        let sql = "SELECT c.uuid, COUNT(*), COUNT(DISTINCT d.id) FROM codings g
             JOIN codes c ON c.id = g.code_id AND c.deleted = 0
             JOIN document_versions v ON v.id = g.version_id JOIN documents d ON d.id = v.document_id
             WHERE g.deleted = 0 AND d.deleted = 0 AND v.version = d.current_version
               AND (?1 IS NULL OR d.id = ?1) AND (?2 IS NULL OR g.coder = ?2)
             GROUP BY c.id";
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map(
            rusqlite::params![document_id.map(|d| d.get()), coder],
            |r| {
                Ok(CodingCount {
                    code: r.get(0)?,
                    codings: r.get::<_, i64>(1)? as usize,
                    documents: r.get::<_, i64>(2)? as usize,
                })
            },
        )?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The coders who have codings in the project.
    pub fn coders(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT DISTINCT coder FROM codings WHERE deleted = 0 ORDER BY coder")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

pub(crate) fn current_version(
    conn: &Connection,
    document_id: DocumentId,
) -> Result<CurrentVersion> {
    conn.query_row(
        "SELECT d.id, d.uuid, d.name, v.id, v.version, v.text FROM documents d
         JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version
         WHERE d.id = ?1",
        [document_id.get()],
        |r| {
            Ok(CurrentVersion {
                document_id: r.id(0)?,
                document_uuid: r.get(1)?,
                document_name: r.get(2)?,
                version_id: r.get(3)?,
                version: r.get(4)?,
                text: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::UnknownDocument(document_id.to_string()))
}

fn coding_from_row(r: &rusqlite::Row) -> rusqlite::Result<Coding> {
    Ok(Coding {
        uuid: r.get(0)?,
        code: r.get(1)?,
        code_path: String::new(),
        document: r.get(3)?,
        document_name: r.get(4)?,
        version: r.get(5)?,
        start: r.get::<_, i64>(6)? as usize,
        end: r.get::<_, i64>(7)? as usize,
        quote: r.get(8)?,
        coder: r.get(9)?,
        created_at: r.get(10)?,
        key_quote: r.get::<_, i64>(11)? != 0,
    })
}
