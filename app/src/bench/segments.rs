//! `storyloom-bench segments`: a generated project with 200,000 codings
//! (or a kept `bench engine` project), then the coded segments to XLSX and
//! CSV, timed.

use super::engine::random_codings;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::time::Instant;
use storyloom_exports::reports::{self, ReportOptions};
use storyloom_project::{Project, synth};

pub struct SegmentsBench {
    pub files: usize,
    pub words: usize,
    pub codings: usize,
    pub codes: usize,
    /// Use (or keep) the project at this path.
    pub project: Option<PathBuf>,
}

pub fn run(b: SegmentsBench) -> Result<()> {
    if b.files == 0 || b.words == 0 || b.codes == 0 || b.codings == 0 {
        bail!("--files, --words, --codings and --codes must be positive");
    }
    let tmp = std::env::temp_dir().join(format!("storyloom-bench-segments-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let path = b
        .project
        .clone()
        .unwrap_or_else(|| tmp.join("segments.storyloom"));
    reuse_or_build(&b, &path, &tmp)?;
    let mut p = Project::open(&path)?;
    // The exports are stakeholder forms: the privacy gate refuses names
    // found in the text until they are reviewed. The generated text's names
    // are settled here, untimed; the gate itself is in the figures.
    let names: Vec<String> = p
        .unreviewed_names(None)?
        .into_iter()
        .map(|n| n.name)
        .collect();
    if !names.is_empty() {
        p.review_names(
            &names,
            storyloom_project::store::pseudonyms::Verdict::NotIdentifying,
            "bench: generated text",
        )?;
    }
    let o = ReportOptions::default();
    let xlsx = tmp.join("segments.xlsx");
    let t = Instant::now();
    let n = reports::export_segments_xlsx(&p, &xlsx, &o)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "coded segments to xlsx: {n} rows in {secs:.2} s ({:.1} MB)",
        std::fs::metadata(&xlsx)?.len() as f64 / 1e6
    );
    let t = Instant::now();
    let loaded = storyloom_exports::segments::Segments::load(&p)?;
    println!(
        "  of which reading {} codings with their turns: {:.2} s",
        loaded.rows.len(),
        t.elapsed().as_secs_f64()
    );
    drop(loaded);
    let csv = tmp.join("segments.csv");
    let t = Instant::now();
    let n = reports::export_segments_csv(&p, &csv, &o)?;
    println!(
        "coded segments to csv: {n} rows in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(p);
    if b.project.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        let _ = std::fs::remove_file(&xlsx);
        let _ = std::fs::remove_file(&csv);
        let _ = std::fs::remove_dir(&tmp);
    }
    Ok(())
}

/// The generated project at `path`: reused when a kept one is there (the
/// benches' `--keep`), built otherwise.
pub(super) fn reuse_or_build(b: &SegmentsBench, path: &Path, tmp: &Path) -> Result<()> {
    if path.exists() {
        println!("reusing {}", path.display());
        Ok(())
    } else {
        build(b, path, tmp)
    }
}

fn build(b: &SegmentsBench, path: &Path, tmp: &Path) -> Result<()> {
    let t = Instant::now();
    let (mut p, _) = super::engine::generated_project(path, tmp, b.files, b.words)?;
    for c in 0..b.codes {
        p.create_code(&format!("Code {c:03}"), None, None)?;
    }
    let docs = p.documents()?;
    let per_doc = b.codings.div_ceil(docs.len().max(1));
    let mut rng = synth::Rng::new(0x5e9);
    let mut total = 0;
    for d in &docs {
        let text = p.document(&d.uuid)?;
        let turns: Vec<_> = text.turns.iter().filter(|t| t.end > t.start + 40).collect();
        if turns.is_empty() {
            continue;
        }
        let names: Vec<String> = (0..per_doc.min(b.codings - total))
            .map(|_| format!("Code {:03}", rng.below(b.codes)))
            .collect();
        let reqs = random_codings(&mut rng, &turns, &names, &d.uuid);
        total += reqs.len();
        p.add_codings(&reqs, "benchmark")?;
    }
    // The same code on the same range twice is one coding: top up to the count asked.
    for _ in 0..10 {
        let have = p.codings(None, None, None)?.len();
        if have >= b.codings {
            break;
        }
        let d = &docs[rng.below(docs.len())];
        let text = p.document(&d.uuid)?;
        let turns: Vec<_> = text.turns.iter().filter(|t| t.end > t.start + 40).collect();
        if turns.is_empty() {
            continue;
        }
        let names: Vec<String> = (0..b.codings - have)
            .map(|_| format!("Code {:03}", rng.below(b.codes)))
            .collect();
        // Turns over 40 chars: every stretch is non-empty, so each name gets one.
        let reqs = random_codings(&mut rng, &turns, &names, &d.uuid);
        p.add_codings(&reqs, "benchmark")?;
    }
    let total = p.codings(None, None, None)?.len();
    println!(
        "generated {} documents x {} words with {total} codings: {:.1} s",
        docs.len(),
        b.words,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
