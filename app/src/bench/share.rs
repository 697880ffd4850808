//! `storyloom-bench share URL`: a shared project on a PostgreSQL server
//! (issue 16). Two figures:
//! - change-to-visible: 4 replicas of a small project, each with its own
//!   sync running (`SyncHandle`: own thread and connections, as the window
//!   runs it); one replica renames a code and the time until every other
//!   replica's file shows the new name is taken; the writer rotates.
//!   p50 and p95 printed (target p95 < 2 s);
//! - initial replica of the generated project (by default 10M words and
//!   200,000 codings, `reuse_or_build`): sharing it, then `open` of a fresh
//!   replica (target < 60 s).
//!
//! URL: `postgres://user@host:port/database` (the bench adds its own
//! project names and drops nothing; use a throwaway database).

use super::segments::reuse_or_build;
use anyhow::{Result, bail};
use std::path::Path;
use std::time::{Duration, Instant};
use storyloom_project::Project;

#[derive(clap::Args)]
pub struct ShareBench {
    /// postgres://user@host:port/database (a throwaway one).
    pub url: String,
    /// Replicas syncing in the change-to-visible figure.
    #[arg(long, default_value_t = 4)]
    pub replicas: usize,
    /// Changes made in the change-to-visible figure.
    #[arg(long, default_value_t = 40)]
    pub changes: usize,
    #[command(flatten)]
    pub project: super::Generated,
    /// Only the change-to-visible figure.
    #[arg(long)]
    pub skip_initial: bool,
}

pub fn run(b: ShareBench) -> Result<()> {
    if b.replicas < 2 || b.changes == 0 {
        bail!("--replicas at least 2 and --changes positive");
    }
    let tmp = super::tempfile_dir()?;
    let tag = format!("bench_{}", std::process::id());
    let url = |name: &str| format!("{}/{tag}_{name}", b.url.trim_end_matches('/'));
    latency(&b, &tmp, &url("live"))?;
    if !b.skip_initial {
        initial(&b, &tmp, &url("big"))?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

fn latency(b: &ShareBench, tmp: &Path, url: &str) -> Result<()> {
    let base = tmp.join("live.storyloom");
    let _ = std::fs::remove_file(&base);
    let mut p = Project::create(&base)?;
    p.set_actor("lead");
    let code = p.create_code("Belonging", None, None)?;
    for i in 0..20 {
        p.create_code(&format!("Code {i}"), None, None)?;
    }
    p.share(url)?;
    drop(p);
    let mut replicas = Vec::new();
    let mut handles = Vec::new();
    for i in 0..b.replicas {
        let path = tmp.join(format!("live-{i}.storyloom"));
        let _ = std::fs::remove_file(&path);
        Project::open_shared(url, Some(&path), &format!("coder{i}"))?;
        let mut r = Project::open(&path)?;
        r.set_actor(&format!("coder{i}"));
        handles.push(r.start_sync(None, |_| {})?);
        replicas.push(r);
    }
    let mut times = Vec::with_capacity(b.changes);
    for n in 0..b.changes {
        let writer = n % b.replicas;
        let name = format!("Belonging {n}");
        let t = Instant::now();
        replicas[writer].rename_code(&code, &name)?;
        handles[writer].poke();
        let deadline = t + Duration::from_secs(30);
        loop {
            let mut all = true;
            for (i, r) in replicas.iter().enumerate() {
                if i != writer && r.code(&code).map(|c| c.name() != name).unwrap_or(true) {
                    all = false;
                    break;
                }
            }
            if all {
                break;
            }
            if Instant::now() > deadline {
                bail!("change {n} not visible everywhere after 30 s");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        times.push(t.elapsed());
    }
    drop(handles);
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "change-to-visible with {} replicas over {} changes: p50 {} ms, p95 {} ms, max {} ms (target p95 < 2000 ms)",
        b.replicas,
        times.len(),
        pick(0.5).as_millis(),
        pick(0.95).as_millis(),
        pick(1.0).as_millis()
    );
    Ok(())
}

fn initial(b: &ShareBench, tmp: &Path, url: &str) -> Result<()> {
    let base = b
        .project
        .keep
        .clone()
        .unwrap_or_else(|| tmp.join("big.storyloom"));
    reuse_or_build(&b.project.segments(), &base, tmp)?;
    // Share a copy: sharing makes the file a replica.
    let shared = tmp.join("big-shared.storyloom");
    let _ = std::fs::remove_file(&shared);
    Project::open(&base)?.backup_to(&shared)?;
    let t = Instant::now();
    Project::open(&shared)?.share(url)?;
    let share = t.elapsed();
    let fresh = tmp.join("big-fresh.storyloom");
    let _ = std::fs::remove_file(&fresh);
    let t = Instant::now();
    Project::open_shared(url, Some(&fresh), "bench")?;
    let open = t.elapsed();
    let size = std::fs::metadata(&fresh).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated project ({} files x {} words, {} codings): share {:.1} s; initial replica {:.1} s, {} MB (target < 60 s)",
        b.project.files,
        b.project.words,
        b.project.codings,
        share.as_secs_f64(),
        open.as_secs_f64(),
        size / 1_000_000
    );
    Ok(())
}
