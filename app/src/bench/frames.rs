//! `storyloom-bench frames`: renders the workbench headless on a generated
//! project (one long transcript with many codings) and prints frame times on
//! the CPU: `Context::run_ui` + `tessellate`, what eframe does before it
//! hands triangles to the GPU.
//!
//! Figures: the first frame (everything laid out), the steady frame (nothing
//! changes), frames while scrolling, and the frame where a code is applied
//! with the 1 key (it writes the coding, reloads, re-lays out the changed
//! turn) plus the frame after it (the panels that drew before the document
//! view catch up). Then the same on a 300,000-char document.

use anyhow::{Context as _, Result, bail};
use std::time::{Duration, Instant};
use storyloom_project::{CodingRequest, Project, synth};

use crate::gui::Workbench;

pub struct FramesBench {
    /// Words in the first transcript.
    pub words: usize,
    /// Chars in the second (large) document.
    pub big_chars: usize,
    pub codings: usize,
    /// Frames measured for the steady and scrolling figures.
    pub frames: usize,
    /// Codes applied for the after-coding figure.
    pub adds: usize,
    /// The navigator shows only the documents (not documents and codes).
    pub documents_only: bool,
    /// Codes in the codebook.
    pub codes: usize,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median and 95th percentile, in ms.
fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort();
    let median = ms(v[v.len() / 2]);
    let p95 = ms(v[((v.len() as f64 * 0.95).ceil() as usize).clamp(1, v.len()) - 1]);
    (median, p95)
}

/// A headless window around a workbench.
struct Screen {
    ctx: egui::Context,
    bench: Workbench,
    time: f64,
    /// Triangles tessellated in the last frame.
    triangles: usize,
    /// The last frame's parts: `run_ui` and `tessellate` times, shapes
    /// painted (nested lists counted by their members), meshes handed on.
    last: FrameParts,
}

/// Where one frame's time went, and what it painted.
#[derive(Clone, Copy, Default)]
struct FrameParts {
    ui: Duration,
    tessellate: Duration,
    shapes: usize,
    text_shapes: usize,
    meshes: usize,
}

/// Shapes in a list, nested `Shape::Vec`s counted by their members; and how
/// many of them are text.
fn count_shapes(shapes: &[egui::epaint::ClippedShape]) -> (usize, usize) {
    fn walk(s: &egui::Shape, n: &mut (usize, usize)) {
        match s {
            egui::Shape::Vec(v) => v.iter().for_each(|s| walk(s, n)),
            egui::Shape::Text(_) => {
                n.0 += 1;
                n.1 += 1;
            }
            _ => n.0 += 1,
        }
    }
    let mut n = (0, 0);
    shapes.iter().for_each(|c| walk(&c.shape, &mut n));
    n
}

impl Screen {
    fn new(bench: Workbench) -> Screen {
        Screen {
            ctx: egui::Context::default(),
            bench,
            time: 0.0,
            triangles: 0,
            last: FrameParts::default(),
        }
    }

    /// One frame with these events; returns its CPU time.
    fn frame(&mut self, events: Vec<egui::Event>) -> Duration {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1400.0, 900.0),
            )),
            time: Some(self.time),
            events,
            ..Default::default()
        };
        let t = Instant::now();
        let bench = &mut self.bench;
        let mut out = self.ctx.run_ui(input, |ui| bench.ui(ui));
        let ui = t.elapsed();
        let shapes = std::mem::take(&mut out.shapes);
        let (shape_count, text_shapes) = count_shapes(&shapes);
        let t2 = Instant::now();
        let prims = self.ctx.tessellate(shapes, out.pixels_per_point);
        let tessellate = t2.elapsed();
        let d = ui + tessellate;
        self.last = FrameParts {
            ui,
            tessellate,
            shapes: shape_count,
            text_shapes,
            meshes: prims.len(),
        };
        self.triangles = prims
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => m.indices.len() / 3,
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        // No GPU to upload font atlas changes to.
        out.drop_without_applying_deltas();
        d
    }

    fn frames(&mut self, n: usize, events: impl Fn(usize) -> Vec<egui::Event>) -> Vec<Duration> {
        (0..n).map(|i| self.frame(events(i))).collect()
    }
}

fn key(key: egui::Key, pressed: bool) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    }
}

/// Imports one generated transcript and codes it; returns its uuid.
fn build(
    p: &mut Project,
    name: &str,
    text: &str,
    codes: &[String],
    codings: usize,
    rng: &mut storyloom_project::synth::Rng,
) -> Result<String> {
    p.import_bytes(name, text.as_bytes())
        .with_context(|| format!("importing {name}"))?;
    let doc = p
        .documents()?
        .into_iter()
        .find(|d| d.name == name)
        .context("the imported document")?;
    let dt = p.document(&doc.uuid)?;
    let turns: Vec<_> = dt.turns.iter().filter(|t| t.end > t.start + 20).collect();
    let mut ranges = Vec::with_capacity(codings);
    for _ in 0..codings {
        let t = turns[rng.below(turns.len())];
        let len = t.end - t.start;
        let a = t.start + rng.below(len - 10);
        let b = (a + 10 + rng.below(400)).min(t.end);
        ranges.push((rng.below(codes.len()), a, b));
    }
    let requests: Vec<CodingRequest> = ranges
        .iter()
        .map(|&(c, start, end)| CodingRequest {
            code: &codes[c],
            document: &doc.uuid,
            start,
            end,
            version: None,
        })
        .collect();
    p.add_codings(&requests, "benchmark")?;
    Ok(doc.uuid)
}

/// The measured figures for one document.
struct Figures {
    measure_frames: usize,
    measuring: (f64, f64),
    reads: String,
    triangles: usize,
    chars: usize,
    first: Duration,
    steady: (f64, f64),
    /// Medians of the steady frame's `run_ui` and `tessellate`.
    steady_parts: (f64, f64),
    painted: FrameParts,
    scrolling: (f64, f64),
    add: (f64, f64),
    after: (f64, f64),
    max_add: f64,
}

fn measure(
    path: &std::path::Path,
    doc: &str,
    frames: usize,
    adds: usize,
    documents_only: bool,
    rng: &mut storyloom_project::synth::Rng,
) -> Result<Figures> {
    let project = Project::open(path)?;
    let code = project.codes()?.first().context("a code")?.uuid.clone();
    let text = project.document(doc)?;
    let chars = text.text.chars().count();
    let mut bench = Workbench::default();
    bench.no_native_dialogs = true;
    if documents_only {
        bench.nav = crate::gui::NavTab::Documents;
    }
    bench.set_project(project);
    bench.shared.open(doc);
    let mut s = Screen::new(bench);
    let first = s.frame(vec![]);
    // Large documents measure their turns a few milliseconds a frame.
    let mut measuring = Vec::new();
    while s.bench.document.measuring() && measuring.len() < 10_000 {
        measuring.push(s.frame(vec![]));
    }
    let measure_frames = measuring.len();
    let measuring = stats(measuring);
    // Let any animation settle.
    s.frames(10, |_| vec![]);
    let (mut total, mut ui, mut tessellate) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..frames {
        total.push(s.frame(vec![]));
        ui.push(s.last.ui);
        tessellate.push(s.last.tessellate);
    }
    let steady = stats(total);
    let steady_parts = (stats(ui).0, stats(tessellate).0);
    let painted = s.last;
    let triangles = s.triangles;

    // Scrolling with the wheel: new turns come into view every frame.
    let centre = egui::pos2(700.0, 450.0);
    s.frame(vec![egui::Event::PointerMoved(centre)]);
    let scroll = |_| {
        vec![egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -90.0),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        }]
    };
    let scrolling = stats(s.frames(frames, scroll));
    s.frames(30, |_| vec![]);

    // Apply a code with the 1 key to a selection in view.
    s.bench.shared.used_code(&code);
    let turns = &text.turns;
    let mut add_times = Vec::new();
    let mut after_times = Vec::new();
    let mut max_add = 0.0f64;
    for i in 0..adds {
        let t = &turns[(turns.len() / 2 + i * 3) % turns.len()];
        if t.end < t.start + 30 {
            continue;
        }
        let a = t.start + rng.below(t.end - t.start - 20);
        let b = (a + 15 + rng.below(200)).min(t.end);
        s.bench.shared.jump_to(doc, a, b);
        s.frames(4, |_| vec![]);
        let before = s.bench.shared.revision;
        let d = s.frame(vec![key(egui::Key::Num1, true)]);
        if s.bench.shared.revision == before {
            bail!(
                "the 1 key did not apply a code: {:?}",
                s.bench.shared.notices.last()
            );
        }
        let d2 = s.frame(vec![key(egui::Key::Num1, false)]);
        max_add = max_add.max(ms(d));
        add_times.push(d);
        after_times.push(d2);
    }
    // What a change costs in reads, for the record.
    let p = s.bench.shared.project.as_ref().context("project")?;
    let time = |f: &dyn Fn() -> storyloom_project::Result<usize>| -> Result<String> {
        let t = Instant::now();
        let n = f()?;
        Ok(format!("{:.2} ms ({n})", ms(t.elapsed())))
    };
    let reads = format!(
        "document {}, codings {}, codes {}, coding counts {}, full code counts {}, speakers {}, documents {}",
        time(&|| p.document(doc).map(|d| d.turns.len()))?,
        time(&|| p.codings(None, Some(doc), None).map(|c| c.len()))?,
        time(&|| p.codes().map(|c| c.len()))?,
        time(&|| p.coding_counts(None).map(|c| c.len()))?,
        time(&|| p.code_counts().map(|c| c.len()))?,
        time(&|| p.speakers(doc).map(|c| c.len()))?,
        time(&|| p.documents().map(|c| c.len()))?,
    );
    Ok(Figures {
        measure_frames,
        measuring,
        reads,
        triangles,
        chars,
        first,
        steady,
        steady_parts,
        painted,
        scrolling,
        add: stats(add_times),
        after: stats(after_times),
        max_add,
    })
}

fn report(label: &str, f: &Figures, codings: usize, codes: usize) {
    println!(
        "{label}: {} chars, {codings} codings of {codes} codes",
        f.chars
    );
    println!(
        "  first frame (reads, lays out the turns in view)  {:>6.2} ms",
        ms(f.first)
    );
    if f.measure_frames > 0 {
        println!(
            "  then {} frames measuring the other turns: median {:>6.2} ms   p95 {:>6.2} ms",
            f.measure_frames, f.measuring.0, f.measuring.1
        );
    }
    println!(
        "  steady frame                 median {:>6.2} ms   p95 {:>6.2} ms   ({} triangles)",
        f.steady.0, f.steady.1, f.triangles
    );
    println!(
        "    of which ui {:.2} ms, tessellation {:.2} ms; {} shapes ({} text) in {} meshes",
        f.steady_parts.0,
        f.steady_parts.1,
        f.painted.shapes,
        f.painted.text_shapes,
        f.painted.meshes
    );
    println!(
        "  scrolling (wheel, 90 pt)     median {:>6.2} ms   p95 {:>6.2} ms",
        f.scrolling.0, f.scrolling.1
    );
    println!(
        "  frame applying a code (key 1: write, reload, re-layout)  median {:>6.2} ms   p95 {:>6.2} ms   max {:>6.2} ms",
        f.add.0, f.add.1, f.max_add
    );
    println!(
        "  frame after it (other panels catch up)                  median {:>6.2} ms   p95 {:>6.2} ms",
        f.after.0, f.after.1
    );
    println!("  reads behind a reload: {}", f.reads);
}

pub fn run(b: FramesBench) -> Result<()> {
    if b.words == 0 || b.codings == 0 || b.frames == 0 {
        bail!("--words, --codings and --frames must be positive");
    }
    if cfg!(debug_assertions) {
        println!("(debug build: figures are several times slower than release)");
    }
    let dir = super::tempfile_dir()?;
    let mut rng = storyloom_project::synth::Rng::new(0x5eed_f00d);
    let path = dir.join("frames.storyloom");
    let _ = std::fs::remove_file(&path);
    let mut p = Project::create(&path)?;
    let codes: Vec<String> = (0..b.codes.max(1))
        .map(|i| p.create_code(&format!("Code {i:02}"), None, None))
        .collect::<storyloom_project::Result<_>>()?;
    let t = Instant::now();
    let words = synth::transcript_txt(11, b.words);
    let doc = build(&mut p, "interview.txt", &words, &codes, b.codings, &mut rng)?;
    // The large document: generated until it holds big_chars chars.
    let mut n = b.big_chars / 6;
    let big = loop {
        let t = synth::transcript_txt(12, n);
        let c = t.chars().count();
        if c >= b.big_chars {
            break t.chars().take(b.big_chars).collect::<String>();
        }
        n = n * b.big_chars / c.max(1) + 100;
    };
    let big_doc = build(&mut p, "large.txt", &big, &codes, b.codings, &mut rng)?;
    drop(p);
    println!(
        "built the project in {:.1} s ({})",
        t.elapsed().as_secs_f64(),
        path.display()
    );
    let f = measure(&path, &doc, b.frames, b.adds, b.documents_only, &mut rng)?;
    report(
        &format!("{}-word transcript", b.words),
        &f,
        b.codings,
        b.codes,
    );
    let g = measure(
        &path,
        &big_doc,
        b.frames,
        b.adds,
        b.documents_only,
        &mut rng,
    )?;
    report("large document", &g, b.codings, b.codes);
    println!(
        "targets: steady < 8 ms, after a coding < 16 ms, {} chars < 16 ms",
        g.chars
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
