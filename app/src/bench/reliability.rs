//! `storyloom-bench reliability`: REFI-QDA import of a generated project
//! with many codes and codings at three sizes (it must grow linearly; target
//! 100,000 codes and 200,000 codings under 30 s), then the peak memory of a
//! batch import of 30 MB transcripts for 1, 12 and 48 files (target under
//! 300 MB whatever the batch) and of one 60 MB transcript (under 600 MB),
//! each measured on a real `storyloom import` process; then the soak
//! throughput: actions per second of several `storyloom` processes on one
//! project, each action checked to be there once.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use storyloom_project::{Project, synth};

pub struct ReliabilityBench {
    pub codes: usize,
    pub codings: usize,
    /// Batch lengths for the memory figure.
    pub batches: Vec<usize>,
    /// Megabytes per generated transcript in the batches.
    pub file_mb: usize,
    /// Skip the memory figures (they write 1.5 GB of transcripts).
    pub no_memory: bool,
    /// Seconds of the soak throughput figure (0: skip it).
    pub soak_secs: u64,
    /// Processes in the soak.
    pub soak_workers: usize,
}

pub fn run(b: ReliabilityBench) -> Result<()> {
    if b.codes < 10 || b.codings == 0 {
        bail!("--codes must be at least 10 and --codings positive");
    }
    let dir = super::tempfile_dir()?;
    for (codes, codings) in [
        (b.codes / 100, b.codings / 100),
        (b.codes * 8 / 100, b.codings * 8 / 100),
        (b.codes, b.codings),
    ] {
        refi_import(&dir, codes.max(10), codings.max(1))?;
    }
    if !b.no_memory {
        for &n in &b.batches {
            batch_memory(&dir, n, b.file_mb)?;
        }
        batch_memory(&dir, 1, b.file_mb * 2)?;
    }
    if b.soak_secs > 0 {
        super::soak::soak_throughput(&dir, b.soak_workers.max(1), b.soak_secs)?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn guid(kind: u32, n: usize) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// A `.qdpx` with `codes` codes (parents of 99 children each), 20 sources and
/// `codings` selections spread over them (also used by the tests of imports
/// that other writers get into).
pub fn qdpx(codes: usize, codings: usize) -> Result<Vec<u8>> {
    let sources: Vec<String> = (0..20).map(|i| synth::transcript_txt(i, 4_000)).collect();
    let mut xml = String::with_capacity(codes * 120 + codings * 220);
    xml.push_str(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="bench" origin="storyloom-bench"><CodeBook><Codes>"#,
    );
    let mut n = 0;
    while n < codes {
        xml.push_str(&format!(
            r#"<Code guid="{}" name="Theme {n}" isCodable="true">"#,
            guid(1, n)
        ));
        n += 1;
        for _ in 0..99 {
            if n >= codes {
                break;
            }
            xml.push_str(&format!(
                r#"<Code guid="{}" name="Code {n}" isCodable="true"/>"#,
                guid(1, n)
            ));
            n += 1;
        }
        xml.push_str("</Code>");
    }
    xml.push_str("</Codes></CodeBook><Sources>");
    let per_source = codings.div_ceil(sources.len());
    let mut k = 0;
    for (si, text) in sources.iter().enumerate() {
        let len = text.chars().count();
        xml.push_str(&format!(
            r#"<TextSource guid="{g}" name="T{si:02}.txt" plainTextPath="internal://{g}.txt">"#,
            g = guid(2, si)
        ));
        for j in 0..per_source {
            if k >= codings {
                break;
            }
            let start = (j * 7) % (len - 200);
            let end = start + 20 + (j % 150);
            xml.push_str(&format!(
                r#"<PlainTextSelection guid="{}" startPosition="{start}" endPosition="{end}"><Coding guid="{}"><CodeRef targetGUID="{}"/></Coding></PlainTextSelection>"#,
                guid(3, k),
                guid(4, k),
                guid(1, k % codes)
            ));
            k += 1;
        }
        xml.push_str("</TextSource>");
    }
    xml.push_str("</Sources></Project>");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("project.qde", opts)?;
    w.write_all(xml.as_bytes())?;
    for (si, text) in sources.iter().enumerate() {
        w.start_file(format!("sources/{}.txt", guid(2, si)), opts)?;
        w.write_all(text.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}

fn refi_import(dir: &Path, codes: usize, codings: usize) -> Result<()> {
    let file = dir.join(format!("bench-{codes}.qdpx"));
    std::fs::write(&file, qdpx(codes, codings)?)?;
    let project = dir.join(format!("refi-{codes}.storyloom"));
    let _ = std::fs::remove_file(&project);
    let mut p = Project::create(&project)?;
    let t = Instant::now();
    let r = p.import_refi(&file)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "REFI import {codes:>7} codes {:>7} codings: {secs:>7.2} s ({:.1} µs per code+coding; {} codes, {} codings stored)",
        codings,
        secs * 1e6 / (codes + codings) as f64,
        r.codes_created,
        r.codings_imported
    );
    Ok(())
}

/// The `storyloom` binary beside this one.
pub(super) fn storyloom_binary() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .with_file_name("storyloom")
        .with_extension(std::env::consts::EXE_EXTENSION);
    if !bin.is_file() {
        bail!(
            "{} is missing: build it first (cargo build --bin storyloom)",
            bin.display()
        );
    }
    Ok(bin)
}

/// Imports `n` transcripts of `mb` MB in one `storyloom import` and prints its peak RSS.
fn batch_memory(dir: &Path, n: usize, mb: usize) -> Result<()> {
    let words = mb * 1_000_000 / 6;
    let base = synth::transcript_txt(7, words);
    let mut files = Vec::with_capacity(n);
    for i in 0..n {
        let f = dir.join(format!("big-{mb}-{i:03}.txt"));
        // A different first line: different bytes, so no file is a duplicate.
        std::fs::write(&f, format!("Batch file {i}\n{base}"))?;
        files.push(f);
    }
    drop(base);
    let project = dir.join(format!("mem-{n}-{mb}.storyloom"));
    let _ = std::fs::remove_file(&project);
    drop(Project::create(&project)?);
    let t = Instant::now();
    let child = std::process::Command::new(storyloom_binary()?)
        .arg("import")
        .arg(&project)
        .args(&files)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting storyloom import")?;
    let (ok, peak_kb) = wait_peak(child)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "batch import {n:>2} x {mb} MB: peak {:>5} MB RSS, {secs:.1} s{}",
        peak_kb / 1024,
        if ok { "" } else { " (the import FAILED)" }
    );
    for f in files {
        let _ = std::fs::remove_file(f);
    }
    let _ = std::fs::remove_file(&project);
    Ok(())
}

/// Waits for the child and returns (success, its peak resident set in KB),
/// read from its own high-water mark (`VmHWM`, which counts only what the
/// child used after it started) until it exits.
pub(super) fn wait_peak(mut child: std::process::Child) -> Result<(bool, u64)> {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait()? {
            return Ok((status.success(), peak));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
