//! Sharing a project, making a replica of a shared one, and one round of
//! sync (pull everything new, then push every local entry not pushed yet).

use crate::error::{Error, Result};
use crate::locator::Locator;
use crate::rebase;
use crate::server::{LogEntry, Pushed, Server};
use std::collections::HashMap;
use std::path::Path;
use storyloom_store::sync::{ActionMeta, FILE_TABLE, SyncServer};
use storyloom_store::{Record, SPECS, Store, Written, spec_of};

/// What one round of sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// Colleagues' changes applied here.
    pub pulled: usize,
    /// Local changes the server took.
    pub pushed: usize,
    /// Conflicts the pulled changes put on the review list.
    pub conflicts: usize,
    /// The server's log number this replica is at.
    pub seq: i64,
    /// Uuids of the local history entries pushed in this round.
    pub pushed_actions: Vec<String>,
}

/// Shares the project open in `store` at `locator` (a new project name on
/// the server): uploads its rows and files, and makes the file a replica.
pub fn share(store: &mut Store, locator: &Locator, actor: &str) -> Result<SyncServer> {
    if let Some(s) = store.sync_server()? {
        return Err(Error::Shared(format!(
            "this project is shared already at {}",
            s.locator
        )));
    }
    let project_uuid = store.project_uuid()?;
    let rows = store.sync_rows()?;
    let mut server = Server::connect(locator)?;
    server.create(&project_uuid, actor, &rows, |doc| {
        Ok(store.document_file(doc)?)
    })?;
    let link = SyncServer {
        locator: locator.display(),
        schema: locator.schema.clone(),
        project_uuid,
        pulled_seq: 0,
        replica: storyloom_store::new_uuid(),
    };
    store.begin_replica(&link)?;
    Ok(link)
}

/// Rows read from the server at a time when a replica is made.
const BATCH: i32 = 5_000;

/// Makes a new replica of the shared project at `locator` in the file
/// `into` (which must not exist): downloads the shared state as one change,
/// table by table in batches from one snapshot of the server.
pub fn open(locator: &Locator, into: &Path, actor: &str) -> Result<Store> {
    let mut server = Server::connect(locator)?;
    let project_uuid = server.check(None)?;
    let mut snap = server.snapshot()?;
    let seq = snap.seq;
    let mut file_rows = Vec::new();
    snap.table(FILE_TABLE, BATCH, |rows| {
        file_rows.extend(rows);
        Ok(())
    })?;
    let mut files = HashMap::new();
    for row in file_rows {
        if let Some(sha) = row
            .rec
            .as_ref()
            .and_then(|r| r.get("sha256"))
            .and_then(|v| v.as_str())
            && let Some(f) = snap.file(sha)?
        {
            files.insert(row.k, f);
        }
    }
    let mut store = Store::create(into)?;
    store.set_project_uuid(&project_uuid)?;
    let meta = ActionMeta {
        seq,
        uuid: storyloom_store::new_uuid(),
        at: storyloom_store::now(),
        actor: actor.to_owned(),
        machine: storyloom_store::machine().to_owned(),
        command: "open_shared".into(),
        summary: format!("made this replica of {}", locator.display()),
    };
    store.download_replica(&meta, |tx| {
        let mut current = Vec::new();
        for spec in SPECS {
            // Rows pointing at rows of their own table not written yet
            // (a sub-code before its parent) wait for the rest of the table.
            let mut todo: Vec<Record> = Vec::new();
            snap.table(spec.table, BATCH, |rows| {
                for row in rows {
                    let Some(mut rec) = row.rec else { continue };
                    if spec.table == "documents"
                        && let (Some(cv), Some(k)) =
                            (rec.remove("current_version"), spec.key_of(&rec))
                    {
                        current.push((k, cv));
                    }
                    if let Written::Refused(_) = Store::merge_insert(tx, spec, &rec)? {
                        todo.push(rec);
                    }
                }
                Ok(())
            })?;
            while !todo.is_empty() {
                let before = todo.len();
                let mut left = Vec::new();
                for rec in todo {
                    if let Written::Refused(_) = Store::merge_insert(tx, spec, &rec)? {
                        left.push(rec);
                    }
                }
                if left.len() == before {
                    return Err(Error::Shared(format!(
                        "the shared state has {} {} row(s) this project refuses",
                        left.len(),
                        spec.table
                    )));
                }
                todo = left;
            }
        }
        if let Some(documents) = spec_of("documents") {
            for (key, cv) in current {
                let mut set = Record::new();
                set.insert("current_version".into(), cv);
                Store::merge_update(tx, documents, &key, &set)?;
            }
        }
        for (doc, f) in &files {
            Store::merge_insert_file(tx, doc, f)?;
        }
        Ok::<_, Error>(())
    })?;
    snap.finish()?;
    store.begin_replica(&SyncServer {
        locator: locator.display(),
        schema: locator.schema.clone(),
        project_uuid,
        pulled_seq: seq,
        replica: storyloom_store::new_uuid(),
    })?;
    Ok(store)
}

/// The replica's locator, with the password from `PGPASSWORD` or `~/.pgpass`
/// (or the one given).
pub fn locator_of(store: &Store, password: Option<String>) -> Result<Locator> {
    let Some(link) = store.sync_server()? else {
        return Err(Error::Shared(
            "this project is not shared (storyloom share PROJECT postgres://…)".into(),
        ));
    };
    let l = Locator::parse(&link.locator)?;
    Ok(match password {
        Some(p) => l.with_password(Some(p)),
        None => l,
    })
}

/// One round: pull every new change, then push the local ones in order
/// (pulling again whenever someone pushed in between).
pub fn sync_once(store: &mut Store, server: &mut Server) -> Result<SyncReport> {
    let Some(link) = store.sync_server()? else {
        return Err(Error::Shared("this project is not shared".into()));
    };
    server.check(Some(&link.project_uuid))?;
    let mut report = SyncReport::default();
    for _round in 0..100 {
        pull(store, server, &mut report)?;
        let pending = store.pending_entries()?;
        if pending.is_empty() {
            break;
        }
        let mut behind = false;
        for entry in pending {
            let Some(link) = store.sync_server()? else {
                break;
            };
            let rows = store.push_rows(&entry)?;
            let meta = ActionMeta {
                seq: 0,
                uuid: entry.uuid.clone(),
                at: entry.at.clone(),
                actor: entry.actor.clone(),
                machine: entry.machine.clone(),
                command: entry.command.clone(),
                summary: entry.summary.clone(),
            };
            let pushed = server.push(link.pulled_seq, &meta, &rows, |doc| {
                Ok(store.document_file(doc)?)
            })?;
            match pushed {
                Pushed::At(seq) => {
                    store.mark_pushed(&entry.uuid, seq, &rows, true)?;
                    report.pushed += 1;
                    report.pushed_actions.push(entry.uuid.clone());
                }
                Pushed::Behind => {
                    behind = true;
                    break;
                }
            }
        }
        if !behind {
            break;
        }
    }
    report.seq = store.sync_server()?.map_or(0, |s| s.pulled_seq);
    Ok(report)
}

/// Applies every log entry after the replica's pulled number.
fn pull(store: &mut Store, server: &mut Server, report: &mut SyncReport) -> Result<()> {
    loop {
        let Some(link) = store.sync_server()? else {
            return Ok(());
        };
        let entries = server.log_after(link.pulled_seq, 200)?;
        if entries.is_empty() {
            return Ok(());
        }
        for entry in &entries {
            apply_pulled(store, server, entry, report)?;
        }
    }
}

fn apply_pulled(
    store: &mut Store,
    server: &mut Server,
    entry: &LogEntry,
    report: &mut SyncReport,
) -> Result<()> {
    if store.is_pending(&entry.meta.uuid)? {
        // Our own change, pushed before this process stopped short of noting it.
        store.mark_pushed(&entry.meta.uuid, entry.meta.seq, &entry.rows, false)?;
        return Ok(());
    }
    let mut files = HashMap::new();
    for row in entry.rows.iter().filter(|r| r.t == FILE_TABLE) {
        if let Some(sha) = row
            .rec
            .as_ref()
            .and_then(|r| r.get("sha256"))
            .and_then(|v| v.as_str())
            && let Some(f) = server.file(sha)?
        {
            files.insert(row.k.clone(), f);
        }
    }
    report.conflicts += rebase::apply_entry(store, entry, &files)?;
    report.pulled += 1;
    Ok(())
}
