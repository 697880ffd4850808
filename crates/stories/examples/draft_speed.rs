//! How long the auto-draft and the quality report take on a 10,000-word
//! interview, without the project store (the pure functions only): the
//! sample study's P03 transcript repeated to length, and a synthetic one.
//! `cargo run --release -p storyloom-stories --example draft_speed`
//! (the full figure, with loading from a project, is `storyloom-bench stories`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::time::{Duration, Instant};
use storyloom_stories::model::{Block, Story, StoryRules, StoryStatus};
use storyloom_stories::quality::{QualityInput, quality};
use storyloom_stories::{DraftCoding, DraftInput, SourceDoc, SourceTurn, Sources, draft, render};
use storyloom_text::model::Role;

fn doc_of(turns: &[(bool, String)]) -> SourceDoc {
    let mut text = String::new();
    let mut out = Vec::new();
    for (seq, (asks, words)) in turns.iter().enumerate() {
        text.push_str(if *asks { "I: " } else { "R: " });
        let start = text.chars().count();
        text.push_str(words);
        let end = text.chars().count();
        text.push_str("\n\n");
        out.push(SourceTurn {
            seq,
            start,
            end,
            role: if *asks {
                Role::Interviewer
            } else {
                Role::Participant
            },
            speaker: if *asks { "Sarah Kendall" } else { "R" }.into(),
            participant_id: if *asks {
                None
            } else {
                Some(storyloom_text::ids::ParticipantId(1))
            },
        });
    }
    SourceDoc {
        document: "d".into(),
        name: "d.txt".into(),
        version: 1,
        current: true,
        text,
        turns: out,
        index: Default::default(),
    }
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn time(label: &str, turns: Vec<(bool, String)>) {
    let doc = doc_of(&turns);
    // A coding on every third answer, a key quote on every ninth.
    let codings: Vec<DraftCoding> = doc
        .turns
        .iter()
        .filter(|t| t.role == Role::Participant && t.end > t.start + 40)
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .map(|(i, t)| DraftCoding {
            version_id: 1,
            start: t.start,
            end: t.start + 40,
            key_quote: i % 9 == 0,
            themed: true,
        })
        .collect();
    let idx: Vec<(i64, usize)> = doc
        .turns
        .iter()
        .enumerate()
        .filter(|(_, t)| t.role == Role::Participant)
        .map(|(i, _)| (1, i))
        .collect();
    let mut sources = Sources::new();
    sources.insert(1, doc);
    let rules = StoryRules::default();
    let mut times = Vec::new();
    let mut d = None;
    for _ in 0..21 {
        let t = Instant::now();
        d = Some(draft(&DraftInput {
            sources: &sources,
            turns: idx.clone(),
            codings: codings.clone(),
            rules: &rules,
        }));
        times.push(t.elapsed());
    }
    let d = d.expect("drafted");
    let story = Story {
        uuid: "s".into(),
        participant: Some("B1".into()),
        participant_id: Some(storyloom_text::ids::ParticipantId(1)),
        title: d.title.clone(),
        pseudonym: String::new(),
        role_line: String::new(),
        status: StoryStatus::Draft,
        revision: 1,
        approval: None,
        sent_on: None,
        blocks: d
            .blocks
            .iter()
            .enumerate()
            .map(|(i, c)| Block {
                uuid: format!("b{i}"),
                content: c.clone(),
                lost_pieces: 0,
            })
            .collect(),
        themes: vec![],
        created_at: String::new(),
        updated_at: String::new(),
    };
    let keys: Vec<_> = codings
        .iter()
        .filter(|c| c.key_quote)
        .map(|c| storyloom_stories::quality::KeyRange {
            version_id: 1,
            start: c.start,
            end: c.end,
        })
        .collect();
    let mut qtimes = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let rendered = render(&story, &sources, None);
        let _ = quality(&QualityInput {
            story: &story,
            sources: &sources,
            rendered: &rendered,
            key_quotes: &keys,
            rules: &rules,
        });
        qtimes.push(t.elapsed());
    }
    println!(
        "{label}: auto-draft median {:.1} ms [target < 50 ms]; render + quality report median {:.1} ms [target < 20 ms]; {} words in {} blocks",
        median(times),
        median(qtimes),
        d.words,
        d.blocks.len()
    );
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../sample-data/interviews/P03-winston-clarke.txt"
    );
    // The sample file is not all UTF-8: read it lossily (the speed is what matters here).
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).replace('\r', "");
    let mut turns = Vec::new();
    let mut words = 0;
    while words < 10_000 && !text.is_empty() {
        for para in text.split("\n\n") {
            let (asks, body) = match para.split_once(": ") {
                Some(("I", b)) => (true, b),
                Some(("R", b)) => (false, b),
                _ => continue,
            };
            words += body.split_whitespace().count();
            turns.push((asks, body.to_owned()));
            if words >= 10_000 {
                break;
            }
        }
    }
    if !turns.is_empty() {
        time(&format!("sample P03 repeated to {words} words"), turns);
    }
    time(
        "synthetic 10,000-word interview",
        storyloom_text::synth::turns(7, 10_000),
    );
}
