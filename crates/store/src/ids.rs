//! Typed row ids: a story's id cannot be passed where a code's is wanted.
//!
//! Each is the row id of its table, as the store reads and writes it (they
//! bind and read as plain integers). Names and uuids the user types are
//! resolved to one of these once, by the store's `find_*` functions; past
//! that edge the domain passes ids. Ids are local to one project file (a
//! colleague's copy numbers its rows its own way): what travels between
//! copies and into exports is the uuid.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

macro_rules! row_ids {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The row id as SQLite holds it.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )+};
}

row_ids! {
    /// A row of `documents`.
    DocumentId,
    /// A row of `codes`.
    CodeId,
    /// A row of `stories`.
    StoryId,
    /// A row of `memos`.
    MemoId,
    /// A row of `themes`.
    ThemeId,
    /// A row of `participants`.
    ParticipantId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_bind_and_read_as_integers_and_serialise_bare() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let back: StoryId = c
            .query_row("SELECT ?1 + 0", [StoryId(42)], |r| r.get(0))
            .unwrap();
        assert_eq!(back, StoryId(42));
        assert_eq!(serde_json::to_string(&CodeId(7)).unwrap(), "7");
        assert_eq!(StoryId(3).to_string(), "3");
    }
}
