//! Typed row ids: a story's id cannot be passed where a code's is wanted.
//!
//! Each is the row id of its table. They live here, at the bottom, because
//! the plain rows of [`crate::model`] carry them (a segment names its code
//! and its document) and the analyses read those rows. The store binds them
//! as plain integers with [`RowId::get`] and reads them with `From<i64>`.
//!
//! Names and uuids the user types are resolved to one of these once, by the
//! store's `find_*` functions; past that edge the domain passes ids. Ids are
//! local to one project file (a colleague's copy numbers its rows its own
//! way): what travels between copies and into exports is the uuid.

use serde::{Deserialize, Serialize};

/// What every row id is: an integer the store binds and reads.
pub trait RowId: Copy + From<i64> {
    /// The row id as SQLite holds it.
    fn get(self) -> i64;
}

/// Row ids not typed yet (versions, turns, codings, speakers) are plain integers.
impl RowId for i64 {
    fn get(self) -> i64 {
        self
    }
}

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

        impl RowId for $name {
            fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
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
    fn ids_serialise_as_bare_numbers() {
        assert_eq!(serde_json::to_string(&CodeId(7)).unwrap(), "7");
        let back: StoryId = serde_json::from_str("42").unwrap();
        assert_eq!(back, StoryId(42));
        assert_eq!(StoryId(3).to_string(), "3");
        assert_eq!(ParticipantId::from(5).get(), 5);
    }
}
