//! The story-quality targets of issue 13, on the auto-drafts of every
//! participant of the sample study and of the main participant of every
//! external transcript: no block ends mid-sentence, every gap is marked, no
//! words addressed to the interviewer, key quotes at least 90% whole, a
//! median of at most 12 blocks per story, and a usable title.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;
use storyloom_e2e::*;
use storyloom_project::stories::quality::{QualityReport, median_blocks};
use storyloom_project::{ImportOutcome, Project, Role};

fn assert_targets(label: &str, reports: &[QualityReport]) {
    let mut keys = 0;
    let mut whole = 0;
    for r in reports {
        let who = format!("{label} {}", r.participant.as_deref().unwrap_or("-"));
        assert!(
            r.mid_sentence_endings.is_empty(),
            "{who}: {:?}",
            r.mid_sentence_endings
        );
        assert!(r.unmarked_gaps.is_empty(), "{who}: {:?}", r.unmarked_gaps);
        assert!(r.vocatives.is_empty(), "{who}: {:?}", r.vocatives);
        assert!(
            r.title_flags.is_empty(),
            "{who}: “{}” {:?}",
            r.title,
            r.title_flags
        );
        keys += r.key_quotes.len();
        whole += r.key_quotes.iter().filter(|k| k.whole).count();
        eprintln!(
            "{who}: {} words, {} blocks {:?}, key quotes {}/{}, unresolved starts {}, arc {:?}, “{}”",
            r.words,
            r.blocks,
            r.block_words,
            r.key_quotes.iter().filter(|k| k.whole).count(),
            r.key_quotes.len(),
            r.unresolved_starts.len(),
            r.arc,
            r.title
        );
    }
    assert!(
        whole * 10 >= keys * 9,
        "{label}: only {whole} of {keys} key quotes whole"
    );
    let median = median_blocks(reports);
    assert!(median <= 12.0, "{label}: median {median} blocks");
}

#[test]
fn the_sample_drafts_meet_the_story_quality_targets() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, _) = Project::create_from_folder(
        &dir.path().join("s.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .unwrap();
    let mut n = 0;
    for x in p.participants().unwrap() {
        if x.documents.is_empty() {
            continue;
        }
        if p.draft_story(&x.id).is_ok() {
            n += 1;
        }
    }
    assert!(n >= 9, "{n} drafts");
    let reports = p.stories_quality(None).unwrap();
    assert_eq!(reports.len(), n);
    assert_targets("sample", &reports);
    // The role line is drafted from the participants table.
    let dot = p.story("P01").unwrap();
    assert_eq!(dot.role_line, "a woman in her seventies who joined a choir");
    // One participant's stories only.
    assert_eq!(p.stories_quality(Some("P01")).unwrap().len(), 1);
}

fn import(p: &mut Project, path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    match p.import_bytes(&name, &bytes).ok()? {
        ImportOutcome::Imported { document, .. } => Some(document),
        _ => None,
    }
}

#[test]
fn the_external_drafts_meet_the_story_quality_targets() {
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
            let name = e.file_name().to_string_lossy().to_string();
            if !name.starts_with("Readme") && name != "NOTES.txt" {
                files.push(e.path());
            }
        }
    }
    files.sort();
    let mut reports = Vec::new();
    for path in &files {
        let (_d, mut p) = temp_project();
        let Some(doc) = import(&mut p, path) else {
            continue;
        };
        let speakers = p.speakers(&doc).unwrap();
        let Some(main) = speakers
            .iter()
            .filter(|s| s.role == Role::Participant)
            .max_by_key(|s| (s.words, std::cmp::Reverse(s.label.clone())))
        else {
            continue;
        };
        p.create_participant("X1", Some(&main.label), None).unwrap();
        p.link_speaker(&doc, &main.label, Some("X1")).unwrap();
        if p.draft_story("X1").is_err() {
            continue;
        }
        let mut r = p.stories_quality(Some("X1")).unwrap();
        if let Some(q) = r.first_mut() {
            q.participant = Some(path.file_name().unwrap().to_string_lossy().to_string());
        }
        reports.extend(r);
    }
    assert!(reports.len() >= 18, "{} drafts", reports.len());
    assert_targets("external", &reports);
}
