//! Auto-drafted stories pass the fidelity checker by construction: for every
//! participant of the sample study and for the main participant of every
//! transcript in ../shared/external/transcripts, the draft has zero checker
//! errors, holds only that participant's words and fits the word budget.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::HashMap;
use std::path::Path;
use storyloom_e2e::*;
use storyloom_project::stories::{BlockContent, StoryRules};
use storyloom_project::{ImportOutcome, Project, Role};

/// Drafts, checks and verifies a story for `participant`; returns its word count.
fn draft_and_verify(p: &mut Project, participant: &str, label: &str) -> usize {
    let rules = StoryRules::default();
    let t0 = std::time::Instant::now();
    let id = p
        .draft_story(participant)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let drafted = t0.elapsed();
    let t1 = std::time::Instant::now();
    let report = p.check_story(&id, None).unwrap();
    let checked = t1.elapsed();
    let errors: Vec<String> = report
        .errors()
        .map(|f| format!("rule {} block {:?}: {}", f.rule, f.block, f.message))
        .collect();
    assert!(errors.is_empty(), "{label}: {errors:#?}");
    // Participant words only: every span lies in a turn of this participant's speaker.
    let story = p.story(&id).unwrap();
    let mut docs: HashMap<String, storyloom_project::DocumentText> = HashMap::new();
    let mut own_words = 0;
    for (i, b) in story.blocks.iter().enumerate() {
        let pieces = match &b.content {
            BlockContent::Excerpt { pieces } => pieces,
            // Drafted framing: only first, in the researcher's voice, short.
            BlockContent::Framing { text } => {
                assert_eq!(i, 0, "{label}: framing drafted inside the story");
                assert!(
                    storyloom_project::text::word_count(text) <= 60,
                    "{label}: long framing {text}"
                );
                continue;
            }
        };
        for piece in pieces {
            let doc = docs
                .entry(piece.span.document.clone())
                .or_insert_with(|| p.document(&piece.span.document).unwrap());
            let speakers = p.speakers(&doc.uuid).unwrap();
            let turn = doc
                .turns
                .iter()
                .find(|t| t.start <= piece.span.start && piece.span.end <= t.end)
                .unwrap_or_else(|| panic!("{label}: a span outside every turn"));
            let sp = speakers.iter().find(|s| s.label == turn.speaker).unwrap();
            assert_eq!(turn.role, Role::Participant, "{label}");
            assert_eq!(sp.participant.as_deref(), Some(participant), "{label}");
        }
    }
    for d in docs.values() {
        let speakers = p.speakers(&d.uuid).unwrap();
        own_words += speakers
            .iter()
            .filter(|s| {
                s.participant.as_deref() == Some(participant) && s.role == Role::Participant
            })
            .map(|s| s.words)
            .sum::<usize>();
    }
    let words = p.render_story_research(&id).unwrap().words;
    assert!(words <= rules.draft_max_words, "{label}: {words} words");
    if own_words > rules.draft_max_words + 200 {
        assert!(
            words >= rules.draft_min_words,
            "{label}: only {words} words drafted from {own_words}"
        );
    }
    eprintln!(
        "{label}: {words} words in {} blocks (from {own_words}); draft {drafted:?}, check {checked:?}",
        story.blocks.len()
    );
    words
}

#[test]
fn every_sample_participant_gets_a_clean_draft_within_budget() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, _) = Project::create_from_folder(
        &dir.path().join("s.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .unwrap();
    let participants: Vec<String> = p
        .participants()
        .unwrap()
        .into_iter()
        .filter(|x| !x.documents.is_empty())
        .map(|x| x.id)
        .collect();
    assert!(participants.len() >= 9, "{participants:?}");
    let mut drafted = 0;
    for id in &participants {
        // Link workers are interviewed too: any participant with turns of their own.
        let has_turns = p.documents().unwrap().iter().any(|d| {
            d.participants.contains(id)
                && p.speakers(&d.uuid).unwrap().iter().any(|s| {
                    s.participant.as_deref() == Some(id.as_str()) && s.role == Role::Participant
                })
        });
        if !has_turns {
            eprintln!("{id}: no participant-role turns; skipped");
            continue;
        }
        draft_and_verify(&mut p, id, id);
        drafted += 1;
    }
    assert!(drafted >= 9);
    // Deterministic: the same draft twice.
    let a = p.draft_story(&participants[0]).unwrap();
    let b = p.draft_story(&participants[0]).unwrap();
    assert_eq!(
        p.render_story_research(&a).unwrap().plain_text(),
        p.render_story_research(&b).unwrap().plain_text()
    );
}

fn import(p: &mut Project, path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    match p.import_bytes(&name, &bytes).ok()? {
        ImportOutcome::Imported { document, .. } => {
            // The speakers of these transcripts are checked against SOURCES.md
            // by external_transcripts.rs; a person's confirmation stands for that.
            p.confirm_speakers(&document, true).ok()?;
            Some(document)
        }
        _ => None,
    }
}

#[test]
fn the_main_participant_of_every_external_transcript_gets_a_clean_draft() {
    let Some(ext) = external_dir() else { return };
    let mut files = Vec::new();
    for sub in [
        "sheffield-orda-open-qual",
        "iriss-fm-social-services",
        "qualcoder-examples",
    ] {
        let Ok(rd) = std::fs::read_dir(ext.join("transcripts").join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            let path = e.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("Readme") || name == "NOTES.txt" {
                continue;
            }
            files.push(path);
        }
    }
    files.sort();
    assert!(files.len() >= 20, "{files:?}");
    let mut drafted = 0;
    for path in &files {
        let label = path.file_name().unwrap().to_string_lossy().to_string();
        let (_d, mut p) = temp_project();
        let Some(doc) = import(&mut p, path) else {
            eprintln!("{label}: did not import; skipped");
            continue;
        };
        // The main participant: the participant-role speaker with the most words.
        let speakers = p.speakers(&doc).unwrap();
        let Some(main) = speakers
            .iter()
            .filter(|s| s.role == Role::Participant)
            .max_by_key(|s| (s.words, std::cmp::Reverse(s.label.clone())))
        else {
            eprintln!("{label}: no participant-role speaker; skipped");
            continue;
        };
        p.create_participant("X1", Some(&main.label), None).unwrap();
        p.link_speaker(&doc, &main.label, Some("X1")).unwrap();
        draft_and_verify(&mut p, "X1", &label);
        drafted += 1;
    }
    assert!(drafted >= 18, "only {drafted} transcripts drafted");
}
