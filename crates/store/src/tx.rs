//! [`Tx`]: the transaction one change runs in, as a type of the store's own.
//!
//! Other crates receive a `&Tx` in the work of [`Store::change`](crate::Store::change)
//! and hand it back to the store's typed operations (`Store::insert_code(tx, …)`);
//! they cannot run SQL on it, since everything that reaches SQLite is private
//! to this crate. That is what keeps every SQL string inside `storyloom-store`.

use rusqlite::{Connection, Params, Row, Statement, Transaction};

/// An open transaction. Commits only through the change that opened it.
pub struct Tx<'c> {
    inner: Transaction<'c>,
    /// Set for a change made with [`crate::Store::change_chunked`].
    pub(crate) chunks: Option<crate::chunked::Chunks>,
}

impl<'c> Tx<'c> {
    pub(crate) fn new(inner: Transaction<'c>) -> Tx<'c> {
        Tx {
            inner,
            chunks: None,
        }
    }

    pub(crate) fn commit(self) -> rusqlite::Result<()> {
        self.inner.commit()
    }

    /// The connection, for the store's functions that read with or without a change.
    pub(crate) fn sql(&self) -> &Connection {
        &self.inner
    }

    pub(crate) fn execute<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.inner.execute(sql, params)
    }

    pub(crate) fn prepare(&self, sql: &str) -> rusqlite::Result<Statement<'_>> {
        self.inner.prepare(sql)
    }

    pub(crate) fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.inner.query_row(sql, params, f)
    }

    pub(crate) fn last_insert_rowid(&self) -> i64 {
        self.inner.last_insert_rowid()
    }
}
