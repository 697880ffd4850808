//! `storyloom-bench first-window`: how long the window takes to show its
//! first frame. Starts the `storyloom` binary built beside this one on the
//! sample study (with a document open) with `--first-frame-ms`, which
//! prints the time from its `main` to the first frame shown and closes the
//! window; this side times from spawning the process to that line, which
//! adds loading the binary. Needs a display (run under `xvfb-run -a` on a
//! machine without one; Xvfb draws with a software renderer).

use anyhow::{Context as _, Result, bail};
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

pub struct FirstWindowBench {
    /// Windows opened (the median is printed).
    pub runs: usize,
}

pub fn run(b: FirstWindowBench) -> Result<()> {
    if b.runs == 0 {
        bail!("--runs must be positive");
    }
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if !has_display {
        bail!("no display: run it as `xvfb-run -a storyloom-bench first-window`");
    }
    let exe = std::env::current_exe()?;
    let storyloom = exe
        .parent()
        .context("the benchmark's folder")?
        .join(format!("storyloom{}", std::env::consts::EXE_SUFFIX));
    if !storyloom.is_file() {
        bail!(
            "{} is missing: build it too (cargo build --release --bin storyloom)",
            storyloom.display()
        );
    }
    if cfg!(debug_assertions) {
        println!("(debug build: figures are slower than release)");
    }
    let dir = super::tempfile_dir()?;
    let project = dir.join("sample.storyloom");
    drop(crate::sample::build(&project, &mut |_, _, _| {})?);
    let mut inside = Vec::new();
    let mut outside = Vec::new();
    for _ in 0..b.runs {
        let t = Instant::now();
        // A home of its own: the preferences and reading place of the
        // person running it are neither read nor changed.
        let mut child = Command::new(&storyloom)
            .args(["--first-frame-ms", "--document", "P01", "--project"])
            .arg(&project)
            .env("HOME", &dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_DATA_HOME", dir.join("data"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", storyloom.display()))?;
        let out = child.stdout.take().context("the window's output")?;
        let mut shown = None;
        for line in BufReader::new(out).lines() {
            let line = line?;
            if let Some(ms) = line
                .strip_prefix("first frame shown after ")
                .and_then(|r| r.strip_suffix(" ms"))
            {
                outside.push(t.elapsed().as_secs_f64() * 1000.0);
                shown = Some(ms.parse::<f64>()?);
                break;
            }
        }
        let status = child.wait()?;
        let Some(ms) = shown else {
            bail!("the window printed no first-frame time ({status})");
        };
        inside.push(ms);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "first window on the sample study (document P01 open), {} runs:",
        b.runs
    );
    println!(
        "  spawn to first frame shown   median {:>7.1} ms   (min {:.1}, max {:.1})",
        median(&mut outside),
        outside[0],
        outside[outside.len() - 1]
    );
    println!(
        "  main() to first frame shown  median {:>7.1} ms   (min {:.1}, max {:.1})",
        median(&mut inside),
        inside[0],
        inside[inside.len() - 1]
    );
    println!("target: < 500 ms");
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
