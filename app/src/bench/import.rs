//! `storyloom-bench import`: parse throughput per format on one core (txt,
//! docx, md, vtt, srt, csv, xlsx, whisper json: the same interview in each),
//! then a batch import of generated transcripts and the time to open the result.

use anyhow::{Result, bail};
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use storyloom_project::{ImportOptions, Project, synth};

/// Parse throughput per format and a batch import of generated transcripts.
pub fn run(files: usize, words: usize) -> Result<()> {
    if files == 0 || words == 0 {
        bail!("--files and --words must be positive");
    }
    let sample_words = 200_000;
    let txt = synth::transcript_txt(1, sample_words);
    let docx = synth::transcript_docx(1, sample_words);
    let parsed = storyloom_project::import::parse("bench.txt", txt.as_bytes())
        .map_err(|e| anyhow::anyhow!("bench.txt: {e}"))?;
    let mut inputs = vec![
        ("bench.txt".to_owned(), txt.as_bytes().to_vec()),
        ("bench.docx".to_owned(), docx),
    ];
    inputs.extend(super::formats::all(&parsed, &txt)?);
    println!(
        "({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for (name, bytes) in inputs {
        let reps = 5;
        let t = Instant::now();
        let cpu = thread_cpu_secs();
        let mut w = 0;
        for _ in 0..reps {
            let d = storyloom_project::import::parse(&name, &bytes)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            w += storyloom_project::text::word_count(&d.text);
        }
        let secs = t.elapsed().as_secs_f64();
        // The thread's own CPU time: what one core does, whatever else the machine runs.
        let cpu = match (cpu, thread_cpu_secs()) {
            (Some(a), Some(b)) if b > a => format!(
                "; {:.2} M words/s of its CPU time",
                w as f64 / (b - a) / 1e6
            ),
            _ => String::new(),
        };
        println!(
            "parse {name:<11} {:>6.2} M words/s on one core ({} words x {reps} in {secs:.2} s{cpu})",
            w as f64 / secs / 1e6,
            w / reps
        );
    }
    let dir = super::tempfile_dir()?;
    let t = Instant::now();
    let mut paths = Vec::with_capacity(files);
    for i in 0..files {
        let p = dir.join(format!("T{i:05}.txt"));
        std::fs::write(&p, synth::transcript_txt(i as u64 + 10, words))?;
        paths.push(p);
    }
    println!(
        "generated {files} transcripts of {words} words in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let project = dir.join("bench.storyloom");
    let mut p = Project::create(&project)?;
    let t = Instant::now();
    let report = p.import_files(
        &paths,
        &ImportOptions::default(),
        &AtomicBool::new(false),
        &mut |_, _, _| {},
    )?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "batch import: {} files, {:.1} M words in {secs:.1} s ({:.2} M words/s, {:.0} files/s); project file {} MB",
        report.imported(),
        (files * words) as f64 / 1e6,
        (files * words) as f64 / secs / 1e6,
        files as f64 / secs,
        std::fs::metadata(&project)?.len() / 1_000_000
    );
    let t = Instant::now();
    let p = Project::open(&project)?;
    let n = p.documents()?.len();
    println!(
        "open + list {n} documents: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(p);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// Seconds this thread has run on a CPU (Linux: `/proc/thread-self/schedstat`),
/// so a figure per core can be told apart from a loaded machine's wall time.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
