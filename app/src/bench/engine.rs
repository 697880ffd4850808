//! `storyloom-bench engine`: builds a large generated project (default 10 M
//! words, 200,000 codings over 200 codes) and prints the figures the coding
//! engine is held to: open, search p95, retrieval, co-occurrence, undo.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use storyloom_project::{
    CodingRequest, ImportOptions, Project, Turn, analysis::CooccurrenceMode, project::Scope,
    search::SearchOptions, synth,
};

/// The generated project the engine figures are taken on.
pub type EngineBench = super::Generated;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn run(b: EngineBench) -> Result<()> {
    if b.files == 0 || b.words == 0 || b.codes == 0 {
        bail!("--files, --words and --codes must be positive");
    }
    let tmp = tempfile_dir()?;
    let path = match &b.keep {
        Some(p) => p.clone(),
        None => tmp.join("engine.storyloom"),
    };
    if !path.exists() {
        build(&b, &path, &tmp)?;
    } else {
        println!("reusing {}", path.display());
    }

    // Open: the project file and the document list, as the window does.
    let t = Instant::now();
    let mut p = Project::open(&path)?;
    let docs = p.documents()?;
    println!("open + list {} documents: {}", docs.len(), ms(t.elapsed()));

    // The first search syncs the index (or builds it after a fresh import).
    let t = Instant::now();
    let first = p.search("lonely", &SearchOptions::default())?;
    println!(
        "first search (index {:?}): {} ({} turns match)",
        first.index_status,
        ms(t.elapsed()),
        first.total
    );
    let queries = [
        "lonely",
        "\"link worker\"",
        "choir OR museum",
        "biryani -canal",
        "confid*",
        "\"waiting list\" doctor",
        "singing AND friends",
        "role:participant garden",
        "code:\"Code 001\" tea",
        "(walking OR canal) community",
        "neighbour",
        "\"after Ron died\"",
    ];
    let mut times = Vec::new();
    for round in 0..10 {
        for q in queries {
            let t = Instant::now();
            let r = p.search(q, &SearchOptions::default())?;
            times.push(t.elapsed());
            if round == 0 {
                println!("  {q:<32} {:>7} turns, {}", r.total, ms(t.elapsed()));
            }
        }
    }
    times.sort();
    let p50 = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    println!(
        "search over {} queries: p50 {}, p95 {}",
        times.len(),
        ms(p50),
        ms(p95)
    );

    // Retrieval of the code that has 10,000 segments.
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = p.query_codings("Code 000", &Scope::default(), true)?.len();
        best = best.min(t.elapsed());
    }
    println!("retrieve 'Code 000' ({n} segments with text): {}", ms(best));

    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        p.cooccurrence(&[], CooccurrenceMode::Overlap, &Scope::default())?;
        best = best.min(t.elapsed());
    }
    println!("co-occurrence of {} codes (overlap): {}", b.codes, ms(best));

    // Undo of one action: a coding, then a rename.
    let doc = docs[0].uuid.clone();
    p.add_coding(&CodingRequest {
        code: "Code 002",
        document: &doc,
        start: 3,
        end: 40,
        version: None,
    })?;
    let t = Instant::now();
    p.undo()?;
    println!("undo one coding: {}", ms(t.elapsed()));
    p.rename_code("Code 003", "Code three")?;
    let t = Instant::now();
    p.undo()?;
    println!("undo a rename: {}", ms(t.elapsed()));
    let size = std::fs::metadata(&path)?.len();
    println!("project file: {:.0} MB", size as f64 / 1e6);
    if b.keep.is_none() {
        drop(p);
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

/// A project of `files` generated transcripts of `words` words each, made
/// through the normal import (the files are written to `tmp` and removed).
pub(crate) fn generated_project(
    path: &Path,
    tmp: &Path,
    files: usize,
    words: usize,
) -> Result<(Project, storyloom_project::ImportReport)> {
    let folder = tmp.join("corpus");
    std::fs::create_dir_all(&folder)?;
    let mut paths = Vec::new();
    for i in 0..files {
        let f = folder.join(format!("interview-{i:04}.txt"));
        std::fs::write(&f, synth::transcript_txt(i as u64 + 1, words))?;
        paths.push(f);
    }
    let mut p = Project::create(path)?;
    p.set_actor("bench");
    let report = p.import_files(
        &paths,
        &ImportOptions::default(),
        &AtomicBool::new(false),
        &mut |_, _, _| {},
    )?;
    let _ = std::fs::remove_dir_all(&folder);
    Ok((p, report))
}

fn build(b: &EngineBench, path: &Path, tmp: &Path) -> Result<()> {
    let t = Instant::now();
    let (mut p, report) = generated_project(path, tmp, b.files, b.words)?;
    println!(
        "imported {} files x {} words: {:.1} s",
        report.imported(),
        b.words,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    for c in 0..b.codes {
        p.create_code(&format!("Code {c:03}"), None, None)?;
    }
    // Code 000 gets 10,000 segments; the rest are spread over the others.
    let docs = p.documents()?;
    let per_doc = b.codings / docs.len().max(1);
    let fixed = (10_000 / docs.len().max(1)).min(per_doc);
    let mut rng = storyloom_project::synth::Rng::new(0x5eed);
    for d in &docs {
        let text = p.document(&d.uuid)?;
        let turns: Vec<_> = text.turns.iter().filter(|t| t.end > t.start + 2).collect();
        if turns.is_empty() {
            continue;
        }
        let names: Vec<String> = (0..per_doc)
            .map(|i| {
                let c = if i < fixed {
                    0
                } else {
                    1 + rng.below(b.codes - 1)
                };
                format!("Code {:03}", c.min(b.codes - 1))
            })
            .collect();
        let reqs = random_codings(&mut rng, &turns, &names, &d.uuid);
        p.add_codings(&reqs, "benchmark")?;
    }
    println!(
        "created {} codes and about {} codings: {:.1} s",
        b.codes,
        per_doc * docs.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A coding for each code name on a random stretch (20 to 300 chars, from
/// the first half of a random turn) of the document; empty stretches are
/// left out.
pub(super) fn random_codings<'a>(
    rng: &mut synth::Rng,
    turns: &[&Turn],
    names: &'a [String],
    document: &'a str,
) -> Vec<CodingRequest<'a>> {
    let mut reqs = Vec::with_capacity(names.len());
    for name in names {
        let turn = turns[rng.below(turns.len())];
        let len = turn.end - turn.start;
        let start = turn.start + rng.below(len / 2);
        let end = (start + 20 + rng.below(280)).min(turn.end);
        if end > start {
            reqs.push(CodingRequest {
                code: name,
                document,
                start,
                end,
                version: None,
            });
        }
    }
    reqs
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("storyloom-bench-engine-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
