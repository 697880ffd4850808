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

impl crate::Store {
    /// Like [`Store::change`], for a change whose deciding reads go through
    /// the store's ordinary read functions: the write lock is taken first,
    /// and `work` gets the store (shared) beside the transaction, so every
    /// read it makes is inside the change and no other process can write
    /// between the reads and the write. As with [`Store::change_if`],
    /// `Ok(None)` from the work (it found nothing to do) rolls back and
    /// writes no history entry.
    pub fn change_reading<T, E: From<crate::Error>>(
        &self,
        record: impl FnOnce(&T) -> crate::ChangeRecord,
        work: impl FnOnce(&Tx, &crate::Store) -> std::result::Result<Option<T>, E>,
    ) -> std::result::Result<Option<T>, E> {
        let tx = Tx::new(self.begin_shared()?);
        crate::capture::start(tx.sql())?;
        let Some(out) = work(&tx, self)? else {
            return Ok(None);
        };
        let changes = crate::capture::finish(tx.sql())?;
        let rec = record(&out);
        crate::history::append(tx.sql(), &rec, &changes, self.intent.as_deref())?;
        crate::bump_counter(tx.sql())?;
        tx.commit().map_err(crate::Error::from)?;
        self.checkpoint();
        Ok(Some(out))
    }

    /// [`Store::begin`] on a shared borrow, so reads through `&self` can
    /// run inside the transaction (a change inside it fails: SQLite refuses
    /// a nested BEGIN).
    fn begin_shared(&self) -> crate::Result<rusqlite::Transaction<'_>> {
        self.refuse_if_read_only()?;
        rusqlite::Transaction::new_unchecked(&self.conn, rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| crate::busy_or(&self.path, e))
    }
}
