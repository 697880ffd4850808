//! `storyloom-bench stories`: auto-draft and fidelity-check times for one
//! long interview (a draft under 50 ms, a check and a quality report under
//! 20 ms each).
//! The interview is the sample study's P03 transcript, repeated to the
//! requested length, with codings on its answers; a synthetic interview
//! (long one-sentence answers, the splitter's worst case) is timed too.

use anyhow::{Context, Result, bail};
use std::time::{Duration, Instant};
use storyloom_project::stories::{self, PseudonymMap, StoryRules};
use storyloom_project::{CodingRequest, ImportOutcome, Project, Role, synth};

pub struct StoriesBench {
    pub words: usize,
    pub runs: usize,
}

/// A fresh folder under the system temp dir for this process.
fn bench_dir(name: &str) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir()
        .join(format!("storyloom-bench-stories-{}", std::process::id()))
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A ~`words`-word interview in `I:`/`R:` lines, from the sample study's P03.
fn long_interview(words: usize) -> Result<String> {
    let dir = crate::sample::sample_dir()?;
    let tmp = bench_dir("p03")?;
    let mut p = Project::create(&tmp.join("p03.storyloom"))?;
    let path = dir.join("interviews/P03-winston-clarke.txt");
    let bytes = std::fs::read(&path).with_context(|| path.display().to_string())?;
    let ImportOutcome::Imported { document, .. } = p.import_bytes("P03.txt", &bytes)? else {
        bail!("the sample transcript did not import");
    };
    let doc = p.document(&document)?;
    let mut out = String::new();
    let mut total = 0;
    while total < words {
        for t in &doc.turns {
            let label = if t.role == Role::Interviewer {
                "I"
            } else {
                "R"
            };
            out.push_str(&format!(
                "{label}: {}\n\n",
                t.text.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
            total += storyloom_project::text::word_count(&t.text);
            if total >= words {
                break;
            }
        }
    }
    Ok(out)
}

/// A project holding `text` with participant B1 linked to its answers, and some codings.
fn project_with(text: &str, dir: &std::path::Path, name: &str) -> Result<(Project, usize)> {
    let mut p = Project::create(&dir.join(format!("{name}.storyloom")))?;
    let ImportOutcome::Imported { document, .. } =
        p.import_bytes(&format!("{name}.txt"), text.as_bytes())?
    else {
        bail!("the generated interview did not import");
    };
    p.create_participant("B1", Some("Bench"), Some("Ben"))?;
    let speakers = p.speakers(&document)?;
    let main = speakers
        .iter()
        .filter(|s| s.role == Role::Participant)
        .max_by_key(|s| s.words)
        .context("no participant speaker")?;
    p.link_speaker(&document, &main.label, Some("B1"))?;
    let words = main.words;
    // Codings on every third answer (a key quote on every ninth), in a theme.
    let code = p.create_code("Bench code", None, None)?;
    let theme = p.create_theme("Bench theme", "")?;
    p.add_code_to_theme(&theme, &code)?;
    let doc = p.document(&document)?;
    let requests: Vec<CodingRequest> = doc
        .turns
        .iter()
        .filter(|t| t.role == Role::Participant)
        .enumerate()
        .filter(|(i, t)| i % 3 == 0 && t.end > t.start + 40)
        .map(|(_, t)| CodingRequest {
            code: &code,
            document: &document,
            start: t.start,
            end: t.start + 40,
            version: None,
        })
        .collect();
    let uuids = p.add_codings(&requests, "bench")?;
    for u in uuids.iter().step_by(3) {
        p.set_key_quote(u, true)?;
    }
    Ok((p, words))
}

fn time(label: &str, p: &mut Project, runs: usize) -> Result<()> {
    let rules = StoryRules::default();
    let mut draft_times = Vec::new();
    let mut words = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (d, _) = p.draft_preview("B1")?;
        draft_times.push(t.elapsed());
        words = d.words;
    }
    let t = Instant::now();
    let id = p.draft_story("B1")?;
    let stored = t.elapsed();
    let story = p.story(&id)?;
    let sources = p.story_sources(&story)?;
    let map = PseudonymMap::default();
    let mut check_times = Vec::new();
    let mut full_times = Vec::new();
    let mut errors = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let rendered = stories::render(&story, &sources, Some(&map));
        let r = stories::check(&story, &sources, &rendered, &map, &rules);
        check_times.push(t.elapsed());
        errors = r.errors().count();
        let t = Instant::now();
        p.check_story(&id, None)?;
        full_times.push(t.elapsed());
    }
    // The story-quality report, measured alone and with loading.
    let mut quality_times = Vec::new();
    let mut quality = None;
    for _ in 0..runs {
        let t = Instant::now();
        quality = Some(p.story_quality(&id)?);
        quality_times.push(t.elapsed());
    }
    println!("{label}:");
    println!(
        "  auto-draft (read turns and codings, score, pick): median {} over {runs} runs  [target < 50 ms]",
        ms(median(draft_times))
    );
    println!(
        "  auto-draft stored as a story (one change): {}",
        ms(stored)
    );
    println!(
        "  render + check: median {}  [target < 20 ms]; with loading the story from the project: {}",
        ms(median(check_times)),
        ms(median(full_times))
    );
    println!(
        "  quality report (with loading the story and transcripts): median {}  [target < 20 ms]",
        ms(median(quality_times))
    );
    println!(
        "  the draft: {words} words, {} blocks, {errors} checker errors",
        story.blocks.len()
    );
    if let Some(q) = quality {
        println!(
            "  its quality: {} mid-sentence endings, {} unmarked gaps, {} unresolved openings, {} words to the interviewer, key quotes {:.0}% whole, title “{}” {:?}",
            q.mid_sentence_endings.len(),
            q.unmarked_gaps.len(),
            q.unresolved_starts.len(),
            q.vocatives.len(),
            q.key_quote_share() * 100.0,
            q.title,
            q.title_flags
        );
    }
    Ok(())
}

pub fn run(b: StoriesBench) -> Result<()> {
    if b.words == 0 || b.runs == 0 {
        bail!("--words and --runs must be positive");
    }
    let tmp = bench_dir("run")?;
    let text = long_interview(b.words)?;
    let (mut p, words) = project_with(&text, &tmp, "sample")?;
    time(
        &format!(
            "sample P03 interview repeated to {} words ({words} the storyteller's)",
            storyloom_project::text::word_count(&text)
        ),
        &mut p,
        b.runs,
    )?;
    let synthetic = synth::transcript_txt(7, b.words);
    let (mut p, words) = project_with(&synthetic, &tmp, "synthetic")?;
    time(
        &format!(
            "synthetic interview of {} words ({words} the storyteller's)",
            b.words
        ),
        &mut p,
        b.runs,
    )?;
    drop(p);
    let _ = std::fs::remove_dir_all(tmp.parent().unwrap_or(&tmp));
    Ok(())
}
