//! `storyloom share`, `storyloom open` and `storyloom sync`: a shared
//! project on PostgreSQL (issue 16). Addresses are
//! `postgres://user@host:port/database/project`; the password comes from
//! the address typed here, `PGPASSWORD` or `~/.pgpass` and is never stored.
//!
//! A change made with any other command on a replica is pushed at the end
//! of that command (one sync round; when the server cannot be reached the
//! change stays local and the next sync pushes it). `storyloom sync
//! PROJECT --watch` keeps a replica in step until stopped. With
//! `STORYLOOM_OFFLINE=1` a command leaves its change local.

use super::{open, print_json};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use storyloom_project::Project;
use storyloom_project::share::SyncReport;

#[derive(Args)]
pub struct ShareArgs {
    project: PathBuf,
    /// Where: postgres://user@host:port/database/NAME (NAME: lower-case letters, digits, _).
    url: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct OpenArgs {
    /// The shared project: postgres://user@host:port/database/NAME.
    url: String,
    /// The replica file to make (default NAME.storyloom here); an existing
    /// replica of the same project is brought up to date.
    #[arg(long)]
    into: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SyncArgs {
    project: PathBuf,
    /// One round: pull, push, done (the default).
    #[arg(long, conflicts_with = "watch")]
    once: bool,
    /// Keep syncing until stopped: pulls colleagues' changes within about a
    /// second, pushes this replica's as they are made.
    #[arg(long)]
    watch: bool,
    /// Print each round as a line of JSON.
    #[arg(long)]
    json: bool,
}

/// `storyloom share PROJECT URL`.
pub fn run_share(a: ShareArgs) -> Result<()> {
    let mut p = open(&a.project)?;
    let link = p.share(&a.url)?;
    if a.json {
        return print_json(&link);
    }
    println!(
        "shared {} at {}; this file is now a replica (storyloom sync {} --watch keeps it in step)",
        a.project.display(),
        link.locator,
        a.project.display()
    );
    Ok(())
}

/// `storyloom open URL [--into FILE]`.
pub fn run_open(a: OpenArgs) -> Result<()> {
    let actor = super::USER
        .get()
        .cloned()
        .unwrap_or_else(Project::default_actor_name);
    let path = Project::open_shared(&a.url, a.into.as_deref(), &actor)?;
    if a.json {
        return print_json(&serde_json::json!({ "replica": path }));
    }
    println!("replica at {}", path.display());
    Ok(())
}

/// `storyloom sync PROJECT [--once | --watch]`.
pub fn run_sync(a: SyncArgs) -> Result<()> {
    let mut p = open(&a.project)?;
    if !a.watch {
        let r = p.sync(None)?;
        return report(&r, a.json);
    }
    let json = a.json;
    let handle = p.start_sync(None, move |r| {
        let _ = report(r, json);
    })?;
    let mut last_error = None;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let s = handle.status();
        if s.last_error != last_error {
            if let Some(e) = &s.last_error {
                eprintln!("offline: {e} (changes stay here and go when the server is back)");
            } else {
                eprintln!("online again");
            }
            last_error = s.last_error;
        }
    }
}

fn report(r: &SyncReport, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(r)?);
    } else {
        println!(
            "pulled {}, pushed {}, conflicts for review {}; at server change {}",
            r.pulled, r.pushed, r.conflicts, r.seq
        );
    }
    Ok(())
}

/// After a command that changed a replica: push what it did (one round).
/// `STORYLOOM_OFFLINE=1` keeps the change local (the next sync sends it).
pub fn push_after(path: &std::path::Path) {
    if std::env::var("STORYLOOM_OFFLINE").is_ok_and(|v| v == "1") {
        return;
    }
    let Ok(mut p) = Project::open(path) else {
        return;
    };
    if !matches!(p.shared_server(), Ok(Some(_))) || p.pending_changes().unwrap_or(0) == 0 {
        return;
    }
    if let Err(e) = p.sync(None) {
        eprintln!(
            "note: not sent to the shared project yet ({e}); `storyloom sync {}` sends it",
            path.display()
        );
    }
}
