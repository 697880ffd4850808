//! `storyloom-bench names`: the name finder and the export gate (issue 11).
//! Generated interviews with people, places, organisations and identifying
//! details planted in them (about one word in twelve is part of a name), so
//! the finder has real work: over the whole generated project on one
//! thread (target < 10 s for 10 M words), over one 10,000-word interview
//! (target < 100 ms), and the gate of a 30-story stakeholder pack (target
//! < 200 ms), first with nothing cached (a project just opened, or just
//! changed) and then again.

use super::pack::pack_project;
use anyhow::{Result, bail};
use std::time::{Duration, Instant};
use storyloom_exports::gate::Gate;
use storyloom_exports::pack::{self, PackVariant};
use storyloom_project::project::details_ops::details_in;
use storyloom_project::project::names_ops::found_in;
use storyloom_project::store::pseudonyms::NamedText;
use storyloom_project::stories::PseudonymMap;
use storyloom_project::synth::{self, Rng};
use storyloom_project::{Project, privacy};

pub struct NamesBench {
    pub files: usize,
    pub words: usize,
    pub runs: usize,
    pub stories: usize,
    pub story_words: usize,
}

const FIRST: &[&str] = &[
    "Doreen",
    "Margaret",
    "Priya",
    "Lily",
    "Frank",
    "Jean",
    "Ayo",
    "Mei",
    "Zoë",
    "José",
    "Siân",
    "Ngozi",
    "Kev",
    "Bernadette",
    "Tomasz",
    "Aisha",
    "Gwen",
    "Hamid",
    "Oluwaseun",
    "Eileen",
    "Rashida",
    "Declan",
    "Agnieszka",
    "Winston",
    "Mohammed",
    "Kath",
    "Bilal",
    "Fatima",
    "Dot",
    "Ruairí",
    "李伟",
    "Алексей",
    "Σοφία",
    "Yusuf",
    "Noreen",
    "Clive",
    "Mavis",
    "Sunil",
];
const SURNAMES: &[&str] = &[
    "Chen",
    "Adeyemi",
    "Okafor",
    "Hussain",
    "Kowalski",
    "O'Neill",
    "Patel",
    "Brennan",
    "Nowak",
    "Achebe",
    "Thornton",
    "Mahmood",
    "Fairbairn",
    "Llewellyn",
    "Mensah",
    "Haworth",
    "Szabó",
];
const TITLES: &[&str] = &["Mrs", "Dr", "Sister", "Father", "Mr", "Nurse"];
const PLACES: &[&str] = &[
    "Moss Lane",
    "Bridge Street",
    "Hallbrook",
    "St Aidan's",
    "Riverside Medical Centre",
    "Age Concern Calder",
    "Ashton",
    "Calderbridge",
    "Jubilee Park",
    "Millfield Road",
];
const DETAILS: &[&str] = &[
    "on 12 March 1941",
    "on Ward 7",
    "in February 2020",
    "worked at Boots",
];

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from[rng.below(from.len())]
}

/// A phrase naming someone or somewhere, as people say them.
fn phrase(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => format!("{} {}", pick(rng, FIRST), pick(rng, SURNAMES)),
        1 => format!("{} {}", pick(rng, TITLES), pick(rng, SURNAMES)),
        2 | 3 => format!("down {}", pick(rng, PLACES)),
        4 => format!("{}'s", pick(rng, FIRST)),
        5 => format!("a dog called {}", pick(rng, FIRST).to_lowercase()),
        6 => pick(rng, DETAILS).to_owned(),
        _ => format!("with {}", pick(rng, FIRST)),
    }
}

/// A `Name: text` interview of about `words` words with names planted.
pub(crate) fn planted_transcript(seed: u64, words: usize) -> String {
    let mut rng = Rng::new(seed ^ 0x6e61_6d65);
    let mut s = String::from("Interview – 12 March 2025 – 01:02:03\n\n");
    for (interviewer, text) in synth::turns(seed, words) {
        s.push_str(if interviewer {
            "Interviewer: "
        } else {
            "Participant: "
        });
        let n = text.split(' ').count();
        for (i, w) in text.split(' ').enumerate() {
            if i > 0 {
                s.push(' ');
            }
            // A name between two words, never glued to the turn's end.
            if !interviewer && i > 0 && i + 1 < n && rng.below(6) == 0 {
                s.push_str(&phrase(&mut rng));
                s.push(' ');
            }
            s.push_str(w);
        }
        s.push_str("\n\n");
    }
    s
}

/// CPU time this thread has used: on a loaded machine (the bench shares
/// two cores with other work) wall time overstates what the code costs.
#[cfg(unix)]
fn cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into `t`, which outlives the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu() -> Duration {
    Duration::ZERO
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn run(b: NamesBench) -> Result<()> {
    if b.files == 0 || b.words == 0 || b.runs == 0 {
        bail!("--files, --words and --runs must be positive");
    }
    // The whole generated project, in memory (as `Store::named_texts` gives
    // it to the finder), read on one thread.
    let t = Instant::now();
    let texts: Vec<NamedText> = (0..b.files)
        .map(|i| NamedText {
            document: format!("interview-{i:04}"),
            participant: Some(format!("P{i:04}")),
            text: planted_transcript(i as u64 + 1, b.words),
        })
        .collect();
    let total_words: usize = texts
        .iter()
        .map(|t| t.text.split_whitespace().count())
        .sum();
    println!(
        "generated {} interviews, {:.1} M words with names planted: {:.1} s",
        texts.len(),
        total_words as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let (t, c0) = (Instant::now(), cpu());
    let mut finder = privacy::NameFinder::new();
    for (i, x) in texts.iter().enumerate() {
        finder.add(i, &x.text);
    }
    let candidates = finder.finish();
    let (finder_took, finder_cpu) = (t.elapsed(), cpu() - c0);
    println!(
        "name finder over the project (one thread): {:.2} s wall, {:.2} s CPU, {} candidates  [target < 10 s]",
        finder_took.as_secs_f64(),
        finder_cpu.as_secs_f64(),
        candidates.len()
    );
    let t = Instant::now();
    let found = found_in(&texts, &PseudonymMap::default(), &[]);
    println!(
        "found names with their states and contexts (as `storyloom names`): {:.2} s, {} names",
        t.elapsed().as_secs_f64(),
        found.len()
    );
    let t = Instant::now();
    let details = details_in(&texts);
    println!(
        "identifying details over the project (one thread): {:.2} s, {} details",
        t.elapsed().as_secs_f64(),
        details.len()
    );

    // One 10,000-word interview.
    let one = planted_transcript(7, 10_000);
    let mut finds = Vec::new();
    let mut finds_cpu = Vec::new();
    let mut all = Vec::new();
    for _ in 0..b.runs {
        let (t, c0) = (Instant::now(), cpu());
        let c = privacy::find_names(&[one.as_str()]);
        finds.push(t.elapsed());
        finds_cpu.push(cpu() - c0);
        let single = [NamedText {
            document: "one".into(),
            participant: Some("P1".into()),
            text: one.clone(),
        }];
        let t = Instant::now();
        let f = found_in(&single, &PseudonymMap::default(), &[]);
        let d = details_in(&single);
        all.push(t.elapsed());
        std::hint::black_box((c, f, d));
    }
    println!(
        "one 10,000-word interview, median of {}: finder {} wall ({} CPU), finder + states + details {}  [target < 100 ms]",
        b.runs,
        ms(median(finds)),
        ms(median(finds_cpu)),
        ms(median(all))
    );

    // The gate of a 30-story stakeholder pack.
    let dir = std::env::temp_dir().join(format!("storyloom-bench-names-{}", std::process::id()));
    let t = Instant::now();
    let (p, reviewed) = pack_project(&dir, b.stories, b.story_words, true)?;
    let out = dir.join("pack.docx");
    let settings = p.pack_settings()?;
    let report = pack::export_pack_with(&p, &settings, &out, PackVariant::Stakeholder, None)?;
    println!(
        "set-up: {} interviews of {} words with names planted, drafted, approved, {} names reviewed, pack of {} stories written: {:.1} s",
        b.stories,
        b.story_words,
        reviewed,
        report.stories.len(),
        t.elapsed().as_secs_f64()
    );
    let csv = pack::csv_path(&out);
    let path = p.path().to_owned();
    drop(p);
    let (mut cold, mut warm, mut cold_cpu, mut warm_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..b.runs.min(10) {
        // Just opened: nothing cached, the transcripts read and searched.
        let p = Project::open(&path)?;
        for (times, cpus) in [(&mut cold, &mut cold_cpu), (&mut warm, &mut warm_cpu)] {
            let (t, c0) = (Instant::now(), cpu());
            let gate = Gate::for_project(&p, None)?;
            let r = gate.check(&out)?;
            gate.check(&csv)?;
            times.push(t.elapsed());
            cpus.push(cpu() - c0);
            std::hint::black_box(r);
        }
    }
    let p = Project::open(&path)?;
    let gate = Gate::for_project(&p, None)?;
    println!(
        "gate on the {}-story pack and its recording sheet (names found and reviewed, map, details, every part read back): {} wall ({} CPU) with nothing cached, {} wall ({} CPU) cached  [target < 200 ms]",
        report.stories.len(),
        ms(median(cold)),
        ms(median(cold_cpu)),
        ms(median(warm)),
        ms(median(warm_cpu))
    );
    println!("  it checked: {}", gate.report());
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
