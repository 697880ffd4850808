//! The soak throughput figure of `storyloom-bench reliability`: several
//! `storyloom` processes (each a different user) add codes, memos and
//! codings to one project at the same time for a while; the figure is the
//! confirmed actions per second, then each one is looked for in the project
//! (every confirmed action there once, the file sound).

use super::reliability::storyloom_binary;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use storyloom_project::{MemoTarget, Project};

/// Runs `workers` command-line workers on a copy of the sample study for
/// `secs` seconds and prints the throughput.
pub fn soak_throughput(dir: &Path, workers: usize, secs: u64) -> Result<()> {
    let path = dir.join("soak.storyloom");
    let _ = std::fs::remove_file(&path);
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let (p, _) = Project::create_from_folder(&path, &sample, &mut |_, _, _| {})?;
    let doc = p
        .documents()?
        .first()
        .context("sample study has no document")?
        .uuid
        .clone();
    let codings_before = p.codings(None, None, None)?.len();
    drop(p);
    let bin = storyloom_binary()?;
    let until = Instant::now() + Duration::from_secs(secs);
    let t = Instant::now();
    let logs: Vec<Result<(Vec<String>, usize)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (bin, path, doc) = (&bin, &path, &doc);
                s.spawn(move || worker(bin, path, doc, w, until))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker panicked")))
            })
            .collect()
    });
    let elapsed = t.elapsed().as_secs_f64();
    let (mut tags, mut codings) = (Vec::new(), 0);
    for l in logs {
        let (t, c) = l?;
        tags.extend(t);
        codings += c;
    }
    let p = Project::open(&path)?;
    let codes: Vec<String> = p
        .codes()?
        .into_iter()
        .filter_map(|c| c.path.last().cloned())
        .collect();
    let memos: Vec<String> = p
        .memos(Some(&MemoTarget::Project))?
        .into_iter()
        .map(|m| m.title)
        .collect();
    let missing = tags
        .iter()
        .filter(|t| {
            let n = codes.iter().chain(&memos).filter(|x| x == t).count();
            n != 1
        })
        .count();
    let codings_added = p.codings(None, None, None)?.len() - codings_before;
    let problems = p.integrity_problems()?;
    let actions = tags.len() + codings;
    println!(
        "soak: {actions} actions by {workers} processes in {elapsed:.1} s: {:.1} actions/s; {missing} codes or memos not there exactly once, {codings_added} of {codings} codings there; integrity {}",
        actions as f64 / elapsed,
        if problems.is_empty() {
            "ok".to_owned()
        } else {
            problems.join("; ")
        }
    );
    if missing > 0 || codings_added != codings || !problems.is_empty() {
        bail!("the soak lost or doubled actions");
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// One user's loop: a code, a memo or a coding of the last code each turn.
/// Returns the names of the codes and memos it saw committed and how many
/// codings.
fn worker(
    bin: &Path,
    path: &Path,
    doc: &str,
    w: usize,
    until: Instant,
) -> Result<(Vec<String>, usize)> {
    let user = format!("soak{w}");
    let p = path.display().to_string();
    let (mut done, mut codings) = (Vec::new(), 0);
    let mut n = 0usize;
    while Instant::now() < until {
        n += 1;
        let tag = format!("soak-{w}-{n}");
        let args: Vec<String> = match n % 3 {
            1 => vec!["code".into(), "add".into(), p.clone(), tag.clone()],
            2 => vec![
                "memo".into(),
                "add".into(),
                p.clone(),
                "project".into(),
                "--title".into(),
                tag.clone(),
                "--body".into(),
                "soak".into(),
            ],
            _ => {
                let code = format!("soak-{w}-{}", n - 2);
                let start = n % 500;
                vec![
                    "coding".into(),
                    "add".into(),
                    p.clone(),
                    code,
                    doc.to_owned(),
                    start.to_string(),
                    (start + 5).to_string(),
                ]
            }
        };
        let out = std::process::Command::new(bin)
            .args(&args)
            .args(["--user", &user])
            .output()?;
        if !out.status.success() {
            bail!("{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        if n.is_multiple_of(3) {
            codings += 1;
        } else {
            done.push(tag);
        }
    }
    Ok((done, codings))
}
