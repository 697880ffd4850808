//! `storyloom-bench merge`: one generated project (by default the issue's
//! 10M words with 200,000 codings), copied twice; each copy gets its own
//! coder's 20,000 new codings, code renames and recolours and memos; then
//! `storyloom merge` brings the second copy into the first in its own
//! process, timed with its peak memory (target < 30 s), and merging the
//! same copy again (which must find nothing to do).

use super::engine::random_codings;
use super::reliability::storyloom_binary;
use super::segments::reuse_or_build;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::time::Instant;
use storyloom_project::{MemoTarget, Project, synth};

#[derive(clap::Args)]
pub struct MergeBench {
    /// The common project both copies start from (kept at --keep and reused).
    #[command(flatten)]
    pub project: super::Generated,
    /// Codings each copy adds.
    #[arg(long, default_value_t = 20_000)]
    pub added: usize,
}

pub fn run(b: MergeBench) -> Result<()> {
    if b.project.files == 0
        || b.project.words == 0
        || b.project.codes < 20
        || b.project.codings == 0
    {
        bail!("--files, --words and --codings must be positive, --codes at least 20");
    }
    let tmp = super::tempfile_dir()?;
    let base = b
        .project
        .keep
        .clone()
        .unwrap_or_else(|| tmp.join("common.storyloom"));
    reuse_or_build(&b.project.segments(), &base, &tmp)?;
    // With --keep the two copies stay beside the common project (for profiling the merge).
    let beside = |name: &str| match &b.project.keep {
        Some(k) => k.with_extension(format!("{name}.storyloom")),
        None => tmp.join(format!("{name}.storyloom")),
    };
    let (ours, theirs) = (beside("alice"), beside("bob"));
    for (path, coder, seed) in [(&ours, "alice", 0xa11ce), (&theirs, "bob", 0xb0b)] {
        let _ = std::fs::remove_file(path);
        Project::open(&base)?.backup_to(path)?;
        let t = Instant::now();
        let n = diverge(path, coder, seed, &b)?;
        println!(
            "{coder}'s copy: {n} codings added, {} renames, {} recolours, {} memos: {:.1} s",
            b.project.codes / 10,
            b.project.codes / 10,
            b.project.codes / 10,
            t.elapsed().as_secs_f64()
        );
    }
    let before = Project::open(&ours)?.codings(None, None, None)?.len();
    let bin = storyloom_binary()?;
    for round in ["merge", "merge again"] {
        let t = Instant::now();
        let child = std::process::Command::new(&bin)
            .arg("merge")
            .arg(&ours)
            .arg(&theirs)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .context("starting storyloom merge")?;
        let (ok, peak_kb, cpu) = wait_peak_cpu(child)?;
        let secs = t.elapsed().as_secs_f64();
        if !ok {
            bail!("storyloom merge failed");
        }
        let p = Project::open(&ours)?;
        let after = p.codings(None, None, None)?.len();
        let conflicts = p.merge_conflicts(false)?.len();
        println!(
            "{round:<11}: {secs:>6.2} s ({cpu:.2} s of CPU), peak {:>5} MB RSS ({before} codings before, {after} after, {conflicts} open conflicts)",
            peak_kb / 1024
        );
    }
    drop(tmp_cleanup(&tmp, b.project.keep.is_some(), &base));
    Ok(())
}

/// One coder's work on a copy: `added` codings on random documents, a tenth
/// of the codes renamed (alice) or recoloured (bob) plus some renamed by
/// both (a conflict), and a memo on a tenth of the codes.
fn diverge(path: &Path, coder: &str, seed: u64, b: &MergeBench) -> Result<usize> {
    let mut p = Project::open(path)?;
    p.set_actor(coder);
    let mut rng = synth::Rng::new(seed);
    let docs = p.documents()?;
    let mut added = 0;
    // Batches of 200 codings on one document each, as a coder works.
    while added < b.added {
        let d = &docs[rng.below(docs.len())];
        let text = p.document(&d.uuid)?;
        let turns: Vec<_> = text.turns.iter().filter(|t| t.end > t.start + 40).collect();
        if turns.is_empty() {
            continue;
        }
        let names: Vec<String> = (0..200.min(b.added - added))
            .map(|_| format!("Code {:03}", rng.below(b.project.codes)))
            .collect();
        let reqs = random_codings(&mut rng, &turns, &names, &d.uuid);
        added += p.add_codings(&reqs, coder)?.len().max(1);
    }
    let tenth = b.project.codes / 10;
    let codes = p.codes()?;
    for i in 0..tenth {
        let code = format!("Code {i:03}");
        if coder == "alice" {
            p.rename_code(&code, &format!("{code} ({coder})"))?;
        } else {
            p.set_code_color(&code, "#3366cc")?;
        }
        let memo_code = format!("Code {:03}", tenth + i);
        let uuid = codes
            .iter()
            .find(|c| c.path.last() == Some(&memo_code))
            .map(|c| c.uuid.clone())
            .context("generated code missing")?;
        p.add_memo(
            &MemoTarget::Code(uuid),
            &format!("{coder} on {memo_code}"),
            &format!("What {coder} thinks {memo_code} means."),
        )?;
    }
    // Both rename the same few codes differently: conflicts for review.
    for i in 0..5 {
        let code = format!("Code {:03}", 2 * tenth + i);
        p.rename_code(&code, &format!("{code} by {coder}"))?;
    }
    Ok(added)
}

fn tmp_cleanup(tmp: &Path, keep: bool, base: &Path) -> std::io::Result<()> {
    for f in std::fs::read_dir(tmp)? {
        let f = f?.path();
        if !(keep && f == base) {
            let _ = std::fs::remove_file(f);
        }
    }
    std::fs::remove_dir(tmp)
}

/// Waits for the child and returns (success, its peak resident set in KB,
/// the CPU seconds it used): the CPU time says what the merge costs when
/// the machine is shared (wall time on a loaded machine is mostly waiting).
/// Both are read from /proc until it exits (`utime` + `stime` in clock
/// ticks of 1/100 s, Linux's USER_HZ).
fn wait_peak_cpu(mut child: std::process::Child) -> Result<(bool, u64, f64)> {
    let pid = child.id();
    let (mut peak, mut ticks) = (0u64, 0u64);
    loop {
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            && let Some(rest) = s.rsplit_once(')').map(|(_, r)| r)
        {
            // After the command name: state is field 3, utime 14, stime 15.
            let f: Vec<&str> = rest.split_whitespace().collect();
            let t = |i: usize| {
                f.get(i - 3)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            ticks = ticks.max(t(14) + t(15));
        }
        if let Some(status) = child.try_wait()? {
            return Ok((status.success(), peak, ticks as f64 / 100.0));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
