//! The shared project on the server: one PostgreSQL schema per project.
//!
//! - `project(key, value)`: the project's uuid, format, who shared it and when;
//! - `files(sha256, size, bytes)`: imported documents' bytes, once each;
//! - `state(tbl, key, rec, seq)`: the current shared project, one merge
//!   record per row (what a new replica downloads);
//! - `log(seq, action, at, actor, machine, command, summary, rows)`: one row
//!   per change, `rows` the full post-image of every row it touched
//!   (`rec` null: deleted). Replicas apply the log in `seq` order.
//!
//! A push is one transaction under the project's advisory lock, and only
//! when the replica has pulled everything (compare-and-swap on max(seq)),
//! so every pushed image already includes all changes before it.

use crate::error::{Error, Result};
use crate::locator::Locator;
use postgres::Client;
use serde_json::Value as Json;
use storyloom_store::FileBytes;
use storyloom_store::sync::{ActionMeta, SyncRow};

/// The format of the server's tables this build writes.
pub const FORMAT: &str = "1";

/// A connection to one shared project.
pub struct Server {
    pub(crate) client: Client,
    pub(crate) locator: Locator,
}

/// A change as the server's log holds it.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub meta: ActionMeta,
    pub rows: Vec<SyncRow>,
}

/// How a push went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// Taken as log number `seq`.
    At(i64),
    /// Others pushed since the last pull: pull first.
    Behind,
}

impl Server {
    /// Connects, with TLS as the locator's `sslmode` says ([`crate::tls`]).
    pub fn connect(locator: &Locator) -> Result<Server> {
        let client = crate::tls::connect(locator)?;
        Ok(Server {
            client,
            locator: locator.clone(),
        })
    }

    /// Is this connection encrypted (TLS)? The server's own answer.
    pub fn encrypted(&mut self) -> Result<bool> {
        let row = self.client.query_one(
            "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
            &[],
        )?;
        Ok(row.get(0))
    }

    fn schema(&self) -> &str {
        &self.locator.schema
    }

    /// The project's uuid on the server (`None`: nothing shared under this name).
    pub fn project_uuid(&mut self) -> Result<Option<String>> {
        let exists: bool = self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'project')",
                &[&self.locator.schema],
            )?
            .get(0);
        if !exists {
            return Ok(None);
        }
        let sql = format!(
            "SELECT value FROM \"{}\".project WHERE key = 'uuid'",
            self.schema()
        );
        Ok(self.client.query_opt(&sql, &[])?.map(|r| r.get(0)))
    }

    /// Creates the project's schema and uploads `rows` and `files` as its
    /// state, in one transaction. Refuses a name already in use.
    pub fn create(
        &mut self,
        project_uuid: &str,
        by: &str,
        rows: &[SyncRow],
        mut file_of: impl FnMut(&str) -> Result<Option<FileBytes>>,
    ) -> Result<()> {
        if let Some(there) = self.project_uuid()? {
            return Err(Error::Shared(if there == project_uuid {
                format!(
                    "{}: this project is shared there already; open it with `storyloom open`",
                    self.locator.display()
                )
            } else {
                format!(
                    "{}: another project is shared under that name; choose another name",
                    self.locator.display()
                )
            }));
        }
        let s = self.schema().to_owned();
        let mut tx = self.client.transaction()?;
        tx.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS \"{s}\";
             CREATE TABLE \"{s}\".project (key text PRIMARY KEY, value text NOT NULL);
             CREATE TABLE \"{s}\".files (sha256 text PRIMARY KEY, size bigint NOT NULL, bytes bytea NOT NULL);
             CREATE TABLE \"{s}\".state (tbl text NOT NULL, key text NOT NULL, rec jsonb NOT NULL, seq bigint NOT NULL, PRIMARY KEY (tbl, key));
             CREATE TABLE \"{s}\".log (seq bigserial PRIMARY KEY, action text UNIQUE NOT NULL, at text NOT NULL,
                 actor text NOT NULL, machine text NOT NULL, command text NOT NULL, summary text NOT NULL, rows jsonb NOT NULL);"
        ))?;
        let meta = [
            ("uuid", project_uuid.to_owned()),
            ("format", FORMAT.to_owned()),
            ("shared_at", storyloom_store::now()),
            ("shared_by", by.to_owned()),
        ];
        let insert_meta = format!("INSERT INTO \"{s}\".project(key, value) VALUES ($1, $2)");
        for (k, v) in &meta {
            tx.execute(&insert_meta, &[k, v])?;
        }
        let insert = tx.prepare(&format!(
            "INSERT INTO \"{s}\".state(tbl, key, rec, seq) VALUES ($1, $2, $3, 0)"
        ))?;
        let insert_file = tx.prepare(&format!(
            "INSERT INTO \"{s}\".files(sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING"
        ))?;
        for row in rows {
            let Some(rec) = &row.rec else { continue };
            let rec = record_json(rec);
            tx.execute(&insert, &[&row.t, &row.k, &rec])?;
            if row.t == storyloom_store::sync::FILE_TABLE
                && let Some(f) = file_of(&row.k)?
            {
                tx.execute(&insert_file, &[&f.sha256, &f.size, &f.bytes])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Checks the server holds `project_uuid` in a format this build reads.
    pub fn check(&mut self, project_uuid: Option<&str>) -> Result<String> {
        let Some(there) = self.project_uuid()? else {
            return Err(Error::Shared(format!(
                "{}: no project is shared under that name that {} may read (if a colleague shared it, they grant access: GRANT USAGE ON SCHEMA {schema} and SELECT, INSERT, UPDATE, DELETE ON ALL TABLES and USAGE ON ALL SEQUENCES IN SCHEMA {schema} to your role or your team's)",
                self.locator.display(),
                self.locator.user,
                schema = self.locator.schema
            )));
        };
        if project_uuid.is_some_and(|p| p != there) {
            return Err(Error::Shared(format!(
                "{}: another project is shared there now (not the one this file replicates)",
                self.locator.display()
            )));
        }
        let sql = format!(
            "SELECT value FROM \"{}\".project WHERE key = 'format'",
            self.schema()
        );
        let format: Option<String> = self.client.query_opt(&sql, &[])?.map(|r| r.get(0));
        if format.as_deref() != Some(FORMAT) {
            return Err(Error::Shared(format!(
                "{}: shared by a newer Storyloom (server format {}); update Storyloom",
                self.locator.display(),
                format.unwrap_or_default()
            )));
        }
        Ok(there)
    }

    /// A read-only snapshot of the shared state, to read table by table in
    /// batches (a fresh replica of a large project never holds it all).
    pub fn snapshot(&mut self) -> Result<Snapshot<'_>> {
        let schema = self.schema().to_owned();
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let seq: i64 = tx
            .query_one(
                &format!("SELECT coalesce(max(seq), 0) FROM \"{schema}\".log"),
                &[],
            )?
            .get(0);
        Ok(Snapshot { tx, schema, seq })
    }

    /// An imported file's bytes.
    pub fn file(&mut self, sha256: &str) -> Result<Option<FileBytes>> {
        let sql = format!(
            "SELECT sha256, size, bytes FROM \"{}\".files WHERE sha256 = $1",
            self.schema()
        );
        Ok(self.client.query_opt(&sql, &[&sha256])?.map(|r| FileBytes {
            sha256: r.get(0),
            size: r.get(1),
            bytes: r.get(2),
        }))
    }

    /// Log entries after `seq`, oldest first (at most `limit`).
    pub fn log_after(&mut self, seq: i64, limit: i64) -> Result<Vec<LogEntry>> {
        let sql = format!(
            "SELECT seq, action, at, actor, machine, command, summary, rows FROM \"{}\".log WHERE seq > $1 ORDER BY seq LIMIT $2",
            self.schema()
        );
        let mut out = Vec::new();
        for r in self.client.query(&sql, &[&seq, &limit])? {
            let rows: Json = r.get(7);
            let rows: Vec<SyncRow> = serde_json::from_value(rows)
                .map_err(|e| Error::Shared(format!("unreadable log entry: {e}")))?;
            out.push(LogEntry {
                meta: ActionMeta {
                    seq: r.get(0),
                    uuid: r.get(1),
                    at: r.get(2),
                    actor: r.get(3),
                    machine: r.get(4),
                    command: r.get(5),
                    summary: r.get(6),
                },
                rows,
            });
        }
        Ok(out)
    }

    /// Pushes one change made on top of log number `pulled` (see the module).
    /// An action already in the log (pushed before a crash) is found, not added again.
    pub fn push(
        &mut self,
        pulled: i64,
        meta: &ActionMeta,
        rows: &[SyncRow],
        mut file_of: impl FnMut(&str) -> Result<Option<FileBytes>>,
    ) -> Result<Pushed> {
        let s = self.schema().to_owned();
        let channel = self.locator.channel();
        let mut tx = self.client.transaction()?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            &[&format!("storyloom.{s}")],
        )?;
        let existing = tx.query_opt(
            &format!("SELECT seq FROM \"{s}\".log WHERE action = $1"),
            &[&meta.uuid],
        )?;
        if let Some(r) = existing {
            return Ok(Pushed::At(r.get(0)));
        }
        let last: i64 = tx
            .query_one(
                &format!("SELECT coalesce(max(seq), 0) FROM \"{s}\".log"),
                &[],
            )?
            .get(0);
        if last > pulled {
            return Ok(Pushed::Behind);
        }
        let rows_json = serde_json::to_value(rows)
            .map_err(|e| Error::Shared(format!("could not encode a change: {e}")))?;
        let seq: i64 = tx
            .query_one(
                &format!(
                    "INSERT INTO \"{s}\".log(action, at, actor, machine, command, summary, rows) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq"
                ),
                &[&meta.uuid, &meta.at, &meta.actor, &meta.machine, &meta.command, &meta.summary, &rows_json],
            )?
            .get(0);
        let upsert = tx.prepare(&format!(
            "INSERT INTO \"{s}\".state(tbl, key, rec, seq) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tbl, key) DO UPDATE SET rec = excluded.rec, seq = excluded.seq"
        ))?;
        let delete = tx.prepare(&format!(
            "DELETE FROM \"{s}\".state WHERE tbl = $1 AND key = $2"
        ))?;
        let insert_file = tx.prepare(&format!(
            "INSERT INTO \"{s}\".files(sha256, size, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING"
        ))?;
        for row in rows {
            match &row.rec {
                Some(rec) => {
                    tx.execute(&upsert, &[&row.t, &row.k, &record_json(rec), &seq])?;
                    if row.t == storyloom_store::sync::FILE_TABLE
                        && let Some(f) = file_of(&row.k)?
                    {
                        tx.execute(&insert_file, &[&f.sha256, &f.size, &f.bytes])?;
                    }
                }
                None => {
                    tx.execute(&delete, &[&row.t, &row.k])?;
                }
            }
        }
        tx.execute("SELECT pg_notify($1, $2)", &[&channel, &seq.to_string()])?;
        tx.commit()?;
        Ok(Pushed::At(seq))
    }

    /// The newest log number.
    pub fn last_seq(&mut self) -> Result<i64> {
        let sql = format!(
            "SELECT coalesce(max(seq), 0) FROM \"{}\".log",
            self.schema()
        );
        Ok(self.client.query_one(&sql, &[])?.get(0))
    }

    /// Starts listening for the project's pushes on this connection.
    pub fn listen(&mut self) -> Result<()> {
        self.client
            .batch_execute(&format!("LISTEN \"{}\"", self.locator.channel()))?;
        Ok(())
    }

    /// Waits up to `timeout` for a push notification; `true` if one came.
    pub fn wait(&mut self, timeout: std::time::Duration) -> Result<bool> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut notes = self.client.notifications();
        let got = notes.timeout_iter(timeout).next()?.is_some();
        // Take whatever else arrived meanwhile: one pull covers them all.
        let mut rest = notes.iter();
        while rest.next()?.is_some() {}
        Ok(got)
    }

    /// Is the connection still usable?
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

fn record_json(rec: &storyloom_store::Record) -> Json {
    Json::Object(rec.clone().into_iter().collect())
}

fn json_record(v: Json) -> Option<storyloom_store::Record> {
    match v {
        Json::Object(m) => Some(m.into_iter().collect()),
        _ => None,
    }
}

/// The shared state as of one moment ([`Server::snapshot`]).
pub struct Snapshot<'a> {
    tx: postgres::Transaction<'a>,
    schema: String,
    /// The log number the state is at.
    pub seq: i64,
}

impl Snapshot<'_> {
    /// Every row of `table`, `batch` rows at a time.
    pub fn table(
        &mut self,
        table: &str,
        batch: i32,
        mut each: impl FnMut(Vec<SyncRow>) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT tbl, key, rec FROM \"{}\".state WHERE tbl = $1",
            self.schema
        );
        let portal = self.tx.bind(&sql, &[&table])?;
        loop {
            let rows = self.tx.query_portal(&portal, batch)?;
            if rows.is_empty() {
                return Ok(());
            }
            each(
                rows.iter()
                    .map(|r| SyncRow {
                        t: r.get(0),
                        k: r.get(1),
                        rec: json_record(r.get(2)),
                    })
                    .collect(),
            )?;
        }
    }

    /// An imported file's bytes.
    pub fn file(&mut self, sha256: &str) -> Result<Option<FileBytes>> {
        let sql = format!(
            "SELECT sha256, size, bytes FROM \"{}\".files WHERE sha256 = $1",
            self.schema
        );
        Ok(self.tx.query_opt(&sql, &[&sha256])?.map(|r| FileBytes {
            sha256: r.get(0),
            size: r.get(1),
            bytes: r.get(2),
        }))
    }

    /// Ends the snapshot.
    pub fn finish(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}
