//! Applying a change pulled from a shared project's server as one local
//! change: one transaction, one history entry in the colleague's name
//! (actor, machine, time, command, summary) carrying the server's sequence
//! number, so it is never pushed back and the undo of this replica's user
//! never takes it.

use super::sync::ActionMeta;
use super::{Store, Tx, capture};
use crate::error::{Error, Result};

impl Store {
    /// Runs `work` (the pulled rows written through the merge's writes) as
    /// one change recorded as `meta`'s; the replica's pulled sequence number
    /// becomes `meta.seq`.
    pub fn change_pulled<T, E: From<Error>>(
        &mut self,
        meta: &ActionMeta,
        work: impl FnOnce(&Tx) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.pulled(meta, true, work)
    }

    /// The first download of a replica, as one change without row images:
    /// nothing undoes it (undo passes over `open_shared`), and the images of
    /// a whole project would double the file and hold it all in memory.
    pub fn download_replica<T, E: From<Error>>(
        &mut self,
        meta: &ActionMeta,
        work: impl FnOnce(&Tx) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.pulled(meta, false, work)
    }

    fn pulled<T, E: From<Error>>(
        &mut self,
        meta: &ActionMeta,
        capture_rows: bool,
        work: impl FnOnce(&Tx) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = Tx::new(self.begin()?);
        if capture_rows {
            capture::start(tx.sql())?;
        }
        let out = work(&tx)?;
        let changes = if capture_rows {
            capture::finish(tx.sql())?
        } else {
            Vec::new()
        };
        let changes = serde_json::to_string(&changes)
            .map_err(|e| Error::Invalid(format!("could not record the change: {e}")))?;
        // The server's entry names the action; a replica that pulls the
        // same action twice (it cannot, the pulled number moves on) would
        // write it once only.
        tx.execute(
            "INSERT INTO history(at, actor, command, summary, forward, kind, changes, machine, uuid, shared_seq)
             SELECT ?1, ?2, ?3, ?4, '{}', 'action', ?5, ?6, ?7, ?8
             WHERE NOT EXISTS (SELECT 1 FROM history WHERE uuid = ?7)",
            rusqlite::params![
                meta.at,
                meta.actor,
                meta.command,
                meta.summary,
                changes,
                meta.machine,
                meta.uuid,
                meta.seq
            ],
        )
        .map_err(Error::from)?;
        set_pulled(tx.sql(), meta.seq)?;
        super::bump_counter(tx.sql())?;
        tx.commit().map_err(Error::from)?;
        self.checkpoint();
        Ok(out)
    }

    /// Moves the pulled sequence number on without a change (entries that
    /// touched nothing here, or this replica's own entries found on the server).
    pub fn set_pulled_seq(&mut self, seq: i64) -> Result<()> {
        let tx = self.begin()?;
        set_pulled(&tx, seq)?;
        tx.commit()?;
        Ok(())
    }
}

fn set_pulled(conn: &rusqlite::Connection, seq: i64) -> Result<()> {
    conn.execute(
        "UPDATE sync_server SET pulled_seq = max(pulled_seq, ?1)",
        [seq],
    )?;
    Ok(())
}
