//! Which tables a merge of two copies carries, how their rows are known in
//! both copies, and how a row is read as a [`Record`]: its columns as JSON,
//! with every row id that points at another row replaced by that row's uuid
//! (row ids differ between copies once they diverge; uuids do not).

use serde_json::Value as Json;
use std::collections::BTreeMap;

/// A row as both copies can compare it: column → value, foreign keys as uuids.
pub type Record = BTreeMap<String, Json>;

/// How a table's rows are merged.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub table: &'static str,
    /// Columns naming the row in every copy: `["uuid"]`, or for link rows
    /// their foreign keys (as uuids) and numbers.
    pub key: &'static [&'static str],
    /// Foreign-key columns and the table they point at.
    pub fks: &'static [(&'static str, &'static str)],
}

impl Spec {
    pub fn by_uuid(&self) -> bool {
        self.key == ["uuid"]
    }

    /// The table a column points at, if it is a foreign key.
    pub fn fk(&self, column: &str) -> Option<&'static str> {
        self.fks.iter().find(|(c, _)| *c == column).map(|(_, t)| *t)
    }

    /// The row's key in a record (`None` when a key column is missing).
    pub fn key_of(&self, r: &Record) -> Option<String> {
        let mut parts = Vec::with_capacity(self.key.len());
        for c in self.key {
            match r.get(*c)? {
                Json::String(s) => parts.push(s.clone()),
                Json::Null => return None,
                other => parts.push(other.to_string()),
            }
        }
        Some(parts.join("/"))
    }
}

/// Every merged table, parents before children (the order rows are added in).
pub const SPECS: &[Spec] = &[
    spec("documents", &[]),
    spec("document_versions", &[("document_id", "documents")]),
    spec("participants", &[]),
    spec("attributes", &[]),
    link(
        "attribute_values",
        &["participant_id", "attribute_id"],
        &[
            ("participant_id", "participants"),
            ("attribute_id", "attributes"),
        ],
    ),
    spec(
        "speakers",
        &[
            ("document_id", "documents"),
            ("participant_id", "participants"),
        ],
    ),
    spec(
        "turns",
        &[
            ("version_id", "document_versions"),
            ("speaker_id", "speakers"),
        ],
    ),
    spec("marks", &[("version_id", "document_versions")]),
    spec("codes", &[("parent_id", "codes")]),
    spec("themes", &[]),
    link(
        "theme_codes",
        &["theme_id", "code_id"],
        &[("theme_id", "themes"), ("code_id", "codes")],
    ),
    spec(
        "codings",
        &[("code_id", "codes"), ("version_id", "document_versions")],
    ),
    spec("memos", &[]),
    spec("stories", &[("participant_id", "participants")]),
    spec("story_blocks", &[("story_id", "stories")]),
    link(
        "story_spans",
        &["block_id", "seq"],
        &[
            ("block_id", "story_blocks"),
            ("version_id", "document_versions"),
        ],
    ),
    link(
        "story_revisions",
        &["story_id", "revision"],
        &[("story_id", "stories")],
    ),
    link(
        "story_themes",
        &["story_id", "theme_id"],
        &[("story_id", "stories"), ("theme_id", "themes")],
    ),
    spec("story_sendings", &[("story_id", "stories")]),
    spec("story_feedback", &[("story_id", "stories")]),
    spec("pseudonyms", &[]),
    spec("name_reviews", &[]),
    spec("review_items", &[("document_id", "documents")]),
    spec("pack_settings", &[]),
    spec(
        "workshop_notes",
        &[("story_id", "stories"), ("theme_id", "themes")],
    ),
    spec("merge_conflicts", &[]),
];

/// Tables a merge does not carry as rows, and why.
pub const NOT_MERGED: &[(&str, &str)] = &[
    (
        "meta",
        "the project's own bookkeeping (its uuid must match; the change counter is local)",
    ),
    (
        "history",
        "each copy's own audit trail; the merge is one entry that lists the colleague's actions",
    ),
    (
        "document_files",
        "an imported file's bytes come with their document, whole",
    ),
    ("sync_server", "a replica's own link to its server"),
    (
        "sync_base",
        "a replica's copy of the shared state it last pulled",
    ),
    ("sync_extra", "rows a replica's next push carries"),
];

const fn spec(table: &'static str, fks: &'static [(&'static str, &'static str)]) -> Spec {
    Spec {
        table,
        key: &["uuid"],
        fks,
    }
}

const fn link(
    table: &'static str,
    key: &'static [&'static str],
    fks: &'static [(&'static str, &'static str)],
) -> Spec {
    Spec { table, key, fks }
}

pub fn spec_of(table: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.table == table)
}

/// `documents.current_version` is a number within the document; a merge
/// compares the uuid of the version it names instead.
pub(crate) const CURRENT_VERSION: (&str, &str) = ("documents", "current_version");

/// The SQL expression for a row's record in database `db` (`main` or
/// `other`), the row aliased `t`.
pub(crate) fn record_sql(db: &str, spec: &Spec, columns: &[String]) -> String {
    let pairs: Vec<String> = columns
        .iter()
        .map(|c| {
            let value = if let Some(target) = spec.fk(c) {
                format!("(SELECT uuid FROM {db}.\"{target}\" WHERE id = t.\"{c}\")")
            } else if (spec.table, c.as_str()) == CURRENT_VERSION {
                format!(
                    "(SELECT uuid FROM {db}.document_versions v WHERE v.document_id = t.id AND v.version = t.current_version)"
                )
            } else {
                format!("t.\"{c}\"")
            };
            format!("'{c}', {value}")
        })
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// The columns a record holds: all but the local row id.
pub(crate) fn record_columns(
    conn: &rusqlite::Connection,
    db: &str,
    table: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name FROM pragma_table_info('{table}', '{db}') WHERE name <> 'id' ORDER BY cid"
    ))?;
    let cols = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table added later must be merged or named, with its reason, in `NOT_MERGED`.
    #[test]
    fn every_table_is_merged_or_left_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let s = crate::Store::create(&dir.path().join("t.storyloom")).unwrap();
        let tables: Vec<String> = s
            .conn()
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for t in &tables {
            let merged = SPECS.iter().any(|s| s.table == t);
            let left = NOT_MERGED.iter().any(|(n, _)| n == t);
            assert!(merged != left, "{t}: merged or left, exactly one");
        }
        for s in SPECS {
            assert!(
                tables.iter().any(|t| t == s.table),
                "{} is not a table",
                s.table
            );
        }
    }
}
