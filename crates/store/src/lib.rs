//! The one place that speaks SQL. A project is one SQLite file in WAL mode with
//! foreign keys on; every change runs in one transaction that also bumps the
//! change counter and appends a history entry.
//!
//! **Rule:** the only crate that depends on rusqlite, and no SQL string lives
//! outside it. Transactions never leave it: a change's work receives a
//! [`Tx`] and passes it back to typed operations here. It reads and writes
//! plain rows (its own, or the plain types of `storyloom-text`); it knows
//! nothing of search, analysis or stories beyond those rows. Depends on
//! `storyloom-text` and `storyloom-import` (the parsed document it stores).

pub mod analysis_rows;
mod busy;
mod capture;
mod chunked;
pub mod codebook;
pub mod codings;
mod consent;
mod documents;
mod file;
mod history;
pub mod ids;
mod journal;
mod memos;
pub mod merge_read;
pub mod merge_specs;
pub mod merge_trace;
mod merge_write;
pub mod pack;
mod participants;
pub mod pseudonyms;
pub mod review;
pub mod schema;
mod search_rows;
pub mod stories;
pub mod sync;
mod sync_apply;
mod themes;
mod turn_rows;
mod tx;

pub mod error;

pub use busy::who_writes;
pub use capture::RowChange;
pub use documents::NewDocument;
pub use error::{DatabaseError, Error, Result};
pub use history::{Reversal, machine};
use ids::RowExt;
pub use ids::{CodeId, DocumentId, MemoId, ParticipantId, RowId, StoryId, ThemeId};
pub use merge_read::{FileBytes, MergeInput, RowPair, TableDiff, unmerged_tables};
pub use merge_specs::{NOT_MERGED, Record, SPECS, Spec, spec_of};
pub use merge_write::{ConflictRow, Stranded, Written};
pub use participants::{ParticipantKey, ParticipantsWritten};
pub use search_rows::{HitRow, LiveVersion, SearchTurn};
pub use turn_rows::{Confirmation, TurnRow, Withdrawal};
pub use tx::Tx;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use storyloom_text::{model, text};

/// How long a writer waits for another process holding the file.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An open project file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why the project is open read-only (file or folder permissions).
    read_only: Option<String>,
    /// How long a chunked change holds the write lock at a time.
    chunk_hold: std::time::Duration,
    /// What opening did to an unfinished change left by a dead process.
    recovered: Option<String>,
    /// The command being carried out (JSON), recorded with each history
    /// entry written while it is set (see [`Store::set_intent`]).
    intent: Option<String>,
}

/// What one change records in the history table.
///
/// Undo needs nothing here: it replays the rows the change captured. The
/// command that asked for the change is recorded beside them as its intent
/// (see [`Store::set_intent`]).
pub struct ChangeRecord {
    pub actor: String,
    pub command: &'static str,
    pub summary: String,
    /// The change's arguments as the method saw them (names resolved).
    pub forward: serde_json::Value,
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The uuid a row imported from another tool gets: the tool's own GUID when
/// it is a well-formed UUID not yet used in `table` (so NVivo → Storyloom →
/// NVivo keeps the identity of codes and sources), else a new one.
/// `table` is one of this crate's table names, never user input.
pub(crate) fn kept_or_new_uuid(
    tx: &Tx,
    table: &'static str,
    wanted: Option<&str>,
) -> Result<String> {
    let Some(guid) = wanted
        .map(|g| g.trim().trim_matches(['{', '}']))
        .filter(|g| g.len() == 36 && uuid::Uuid::parse_str(g).is_ok())
    else {
        return Ok(new_uuid());
    };
    // Found through the uuid index, as written, in lower and in upper case
    // (`uuid = ?1 COLLATE NOCASE` cannot use the index: it read every row
    // for every code, which made a REFI import of 100,000 codes quadratic).
    let taken: Option<i64> = rusqlite::OptionalExtension::optional(tx.sql().query_row(
        &format!("SELECT 1 FROM {table} WHERE uuid IN (?1, ?2, ?3) LIMIT 1"),
        [
            guid.to_owned(),
            guid.to_ascii_lowercase(),
            guid.to_ascii_uppercase(),
        ],
        |r| r.get(0),
    ))?;
    Ok(if taken.is_some() {
        new_uuid()
    } else {
        guid.to_owned()
    })
}

impl Store {
    /// Creates a new, empty project file. Refuses to overwrite anything.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(Error::AlreadyExists(path.to_owned()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            read_only: None,
            chunk_hold: chunked::CHUNK_HOLD,
            recovered: None,
            intent: None,
        };
        store.configure()?;
        store
            .conn
            .pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        store.migrate(0)?;
        capture::install(&store.conn)?;
        let tx = store.conn.transaction()?;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('project_uuid', ?1), ('created_at', ?2), ('change_counter', '0')",
            (new_uuid(), now()),
        )?;
        tx.commit()?;
        Ok(store)
    }

    /// Opens an existing project. A file that is not a Storyloom project, or
    /// that a newer build wrote, is refused before anything is written to it.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(Error::NoSuchProject(path.to_owned()));
        }
        check_header(path)?;
        let not_a_project = |reason: String| Error::NotAProject {
            path: path.to_owned(),
            reason,
        };
        // A file or folder that cannot be written is opened read-only, in a
        // way that creates nothing beside it.
        let blocker = file::write_blocker(path);
        let journal_before = file::journal_was_there(path);
        let damaged = |e: Error| file::explain_damage(path, e, journal_before);
        let refused = |e: rusqlite::Error| {
            let e = Error::from(e);
            if file::is_damaged(&e) {
                damaged(e)
            } else {
                not_a_project(e.to_string())
            }
        };
        // Read-only first: nothing about a foreign file is changed by looking at it.
        let (app_id, version) = {
            let ro = match &blocker {
                Some(why) => file::open_read_only(path, why)?,
                None => Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(refused)?,
            };
            let app_id: i64 = ro
                .pragma_query_value(None, "application_id", |r| r.get(0))
                .map_err(refused)?;
            let version: i64 = ro
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(refused)?;
            // Reading the schema catches a journal that does not belong to the file.
            ro.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(|e| damaged(e.into()))?;
            // A journal SQLite accepts may still be another copy's: compared
            // with the file alone before anything can fold it in.
            if journal_before && app_id == schema::APPLICATION_ID && version >= 1 {
                journal::check_journal_belongs(path, &ro)?;
            }
            (app_id, version)
        };
        if app_id != schema::APPLICATION_ID {
            return Err(not_a_project(
                "it is an SQLite database made by another program".into(),
            ));
        }
        if version > schema::CURRENT_VERSION {
            return Err(Error::NewerVersion {
                path: path.to_owned(),
                found: version,
                supported: schema::CURRENT_VERSION,
            });
        }
        if let Some(why) = blocker {
            if version < schema::CURRENT_VERSION {
                return Err(Error::Invalid(format!(
                    "{why}, and the project was made by an older Storyloom: it must be updated \
                     (written) before this build can open it. Make it writable and open it again."
                )));
            }
            let conn = file::open_read_only(path, &why)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            capture::install(&conn)?;
            return Ok(Store {
                conn,
                path: path.to_owned(),
                read_only: Some(why),
                chunk_hold: chunked::CHUNK_HOLD,
                recovered: None,
                intent: None,
            });
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            read_only: None,
            chunk_hold: chunked::CHUNK_HOLD,
            recovered: None,
            intent: None,
        };
        store.configure().map_err(damaged)?;
        store.migrate(version).map_err(damaged)?;
        capture::install(&store.conn)?;
        // A long change a crash cut short is taken back before anything else.
        store.recovered = store.recover_unfinished()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What opening did about an unfinished long change left by a process
    /// that died (taken back, or kept and recorded), if there was one.
    pub fn recovered(&self) -> Option<&str> {
        self.recovered.as_deref()
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        Ok(())
    }

    /// Applies the migrations from `from` to the current version, each in its own transaction.
    fn migrate(&mut self, from: i64) -> Result<()> {
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// SQLite's full integrity check plus the foreign-key check: the
    /// problems it finds, none when the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        problems.retain(|p| p != "ok");
        let fk = self
            .conn
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                Ok(format!(
                    "table {} row {} refers to a missing row of {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                    r.get::<_, String>(2)?
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        problems.extend(fk);
        Ok(problems)
    }

    /// The change counter: bumped by every change, stamps derived data such as the search index.
    pub fn change_counter(&self) -> Result<i64> {
        let v: String = self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'change_counter'",
            [],
            |r| r.get(0),
        )?;
        v.parse()
            .map_err(|_| Error::Invalid(format!("corrupt change counter '{v}'")))
    }

    /// Runs one user action as one transaction: the work, the change counter
    /// and the history entry (with the rows it changed, for undo) commit
    /// together or not at all. The work may fail with the caller's own error
    /// type; nothing is written then.
    pub fn change<T, E: From<Error>>(
        &mut self,
        record: impl FnOnce(&T) -> ChangeRecord,
        work: impl FnOnce(&Tx) -> Result<T, E>,
    ) -> Result<T, E> {
        let intent = self.intent.clone();
        let tx = Tx::new(self.begin()?);
        capture::start(tx.sql())?;
        let out = work(&tx)?;
        let changes = capture::finish(tx.sql())?;
        let rec = record(&out);
        history::append(tx.sql(), &rec, &changes, intent.as_deref())?;
        bump_counter(tx.sql())?;
        tx.commit().map_err(Error::from)?;
        self.checkpoint();
        Ok(out)
    }

    /// Like [`Store::change`] for an edit that reads what it changes inside
    /// the transaction and may find nothing to do: `Ok(None)` from the work
    /// rolls back, and no history entry is written.
    pub fn change_if<T, E: From<Error>>(
        &mut self,
        record: impl FnOnce(&T) -> ChangeRecord,
        work: impl FnOnce(&Tx) -> Result<Option<T>, E>,
    ) -> Result<Option<T>, E> {
        let intent = self.intent.clone();
        let tx = Tx::new(self.begin()?);
        capture::start(tx.sql())?;
        let Some(out) = work(&tx)? else {
            return Ok(None);
        };
        let changes = capture::finish(tx.sql())?;
        let rec = record(&out);
        history::append(tx.sql(), &rec, &changes, intent.as_deref())?;
        bump_counter(tx.sql())?;
        tx.commit().map_err(Error::from)?;
        self.checkpoint();
        Ok(Some(out))
    }

    /// Like [`Store::change`] for bulk work whose rows are not captured (an
    /// import writes thousands of turns); `undo_as` says how to undo it
    /// instead, e.g. by hiding the imported document.
    pub fn change_bulk<T, E: From<Error>>(
        &mut self,
        record: impl FnOnce(&T) -> ChangeRecord,
        work: impl FnOnce(&Tx) -> Result<T, E>,
        undo_as: impl FnOnce(&T) -> Vec<RowChange>,
    ) -> Result<T, E> {
        let intent = self.intent.clone();
        let tx = Tx::new(self.begin()?);
        let out = work(&tx)?;
        let rec = record(&out);
        sync::note_bulk(tx.sql())?;
        history::append(tx.sql(), &rec, &undo_as(&out), intent.as_deref())?;
        bump_counter(tx.sql())?;
        tx.commit().map_err(Error::from)?;
        self.checkpoint();
        Ok(out)
    }

    /// Sets the command being carried out (its JSON), recorded as the
    /// intent of every history entry written until it is cleared with `None`.
    pub fn set_intent(&mut self, intent: Option<String>) {
        self.intent = intent;
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Starts a write transaction, taking the write lock now. A read-only
    /// project refuses; a lock held past the busy timeout gives a message
    /// naming the other Storyloom when it can.
    pub(crate) fn begin(&mut self) -> Result<rusqlite::Transaction<'_>> {
        self.refuse_if_read_only()?;
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy_or(&path, e))
    }
}

pub(crate) fn busy_or(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            busy::busy_error(path)
        }
        _ => Error::from(e),
    }
}

fn bump_counter(tx: &Connection) -> Result<()> {
    tx.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'change_counter'",
        [],
    )?;
    Ok(())
}

/// Checks the 16-byte SQLite header so that a text file or a zip gets a clear "not a project".
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)?;
    let n = f.read(&mut head)?;
    if n < 16 || &head != b"SQLite format 3\0" {
        return Err(Error::NotAProject {
            path: path.to_owned(),
            reason: "it is not an SQLite file".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "lib_tests.rs"]
mod tests;
