//! Typed row ids, defined in `storyloom-text` (the plain rows carry them).
//!
//! They bind as plain integers with `.get()` and read back with `From<i64>`
//! (`r.id(0)?`, [`RowExt`]); the text crate has no SQL, so they
//! do not implement rusqlite's traits themselves.

pub use storyloom_text::ids::{CodeId, DocumentId, MemoId, ParticipantId, RowId, StoryId, ThemeId};

/// Reads a typed id from a row: `r.id(0)?` where `r.get(0)?` read an `i64`.
pub(crate) trait RowExt {
    fn id<T: RowId>(&self, idx: usize) -> rusqlite::Result<T>;
    fn opt_id<T: RowId>(&self, idx: usize) -> rusqlite::Result<Option<T>>;
}

impl RowExt for rusqlite::Row<'_> {
    fn id<T: RowId>(&self, idx: usize) -> rusqlite::Result<T> {
        self.get::<_, i64>(idx).map(T::from)
    }

    fn opt_id<T: RowId>(&self, idx: usize) -> rusqlite::Result<Option<T>> {
        Ok(self.get::<_, Option<i64>>(idx)?.map(T::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_bind_and_read_as_integers() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let back: StoryId = c
            .query_row("SELECT ?1 + 0", [StoryId(42).get()], |r| r.id(0))
            .unwrap();
        assert_eq!(back, StoryId(42));
    }
}
