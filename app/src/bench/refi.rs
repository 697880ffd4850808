//! `storyloom-bench refi`: a generated project (by default 1,000 transcripts
//! of 10,000 words with 200,000 codings, the 10M-word project)
//! exported as REFI-QDA and imported into a new project, each by the
//! `storyloom` binary in its own process, timed with its peak memory.

use super::reliability::{storyloom_binary, wait_peak};
use super::segments::reuse_or_build;
use anyhow::{Context, Result, bail};
use std::time::Instant;
use storyloom_project::Project;

/// The generated project exported and imported.
pub type RefiBench = super::Generated;

pub fn run(b: RefiBench) -> Result<()> {
    if b.files == 0 || b.words == 0 || b.codes == 0 || b.codings == 0 {
        bail!("--files, --words, --codings and --codes must be positive");
    }
    let tmp = super::tempfile_dir()?;
    let path = b.keep.clone().unwrap_or_else(|| tmp.join("refi.storyloom"));
    reuse_or_build(&b.segments(), &path, &tmp)?;
    let codings = Project::open(&path)?.codings(None, None, None)?.len();
    let bin = storyloom_binary()?;
    // Named as research-team-only already, so the export keeps the name.
    let qdpx = tmp.join("refi-research-team-only.qdpx");
    let _ = std::fs::remove_file(&qdpx);
    let t = Instant::now();
    let child = std::process::Command::new(&bin)
        .args(["export", "qdpx"])
        .arg(&path)
        .arg(&qdpx)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .context("starting storyloom export qdpx")?;
    let (ok, peak_kb) = wait_peak(child)?;
    if !ok {
        bail!("storyloom export qdpx failed");
    }
    println!(
        "REFI-QDA export of {codings} codings: {:.1} s, peak {} MB RSS, {:.1} MB file",
        t.elapsed().as_secs_f64(),
        peak_kb / 1024,
        std::fs::metadata(&qdpx)?.len() as f64 / 1e6
    );
    let into = tmp.join("refi-imported.storyloom");
    let _ = std::fs::remove_file(&into);
    let t = Instant::now();
    let child = std::process::Command::new(&bin)
        .arg("import")
        .arg(&into)
        .arg(&qdpx)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .context("starting storyloom import")?;
    let (ok, peak_kb) = wait_peak(child)?;
    let secs = t.elapsed().as_secs_f64();
    if !ok {
        bail!("storyloom import of the .qdpx failed");
    }
    let back = Project::open(&into)?.codings(None, None, None)?.len();
    println!(
        "REFI-QDA import into a new project: {secs:.1} s (target < 60 s), peak {} MB RSS; {back} of {codings} codings back",
        peak_kb / 1024
    );
    if b.keep.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        let _ = std::fs::remove_file(&qdpx);
        let _ = std::fs::remove_file(&into);
    }
    Ok(())
}
