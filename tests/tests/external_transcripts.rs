//! Every transcript in ../shared/external/transcripts imports with the
//! speakers ../shared/external/SOURCES.md lists.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;
use storyloom_e2e::*;
use storyloom_project::{ImportOutcome, Role};

fn import(p: &mut storyloom_project::Project, path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    match p.import_bytes(&name, &bytes).expect("import") {
        ImportOutcome::Imported { document, .. } => document,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn sheffield_interviews_have_exactly_two_speakers_and_no_header_turn() {
    let Some(ext) = external_dir() else { return };
    let dir = ext.join("transcripts/sheffield-orda-open-qual");
    let names = [
        "Ana", "David", "Jessica", "Kelly", "Lisa", "Pauline", "Penni", "Sam",
    ];
    let (_d, mut p) = temp_project();
    for name in names {
        for ext in ["docx", "txt"] {
            let id = import(&mut p, &dir.join(format!("{name}.{ext}")));
            let doc = p.document(&id).unwrap();
            let labels = speaker_labels(&doc);
            assert_eq!(labels.len(), 2, "{name}.{ext}: {labels:?}");
            assert!(
                labels.contains(&"Researcher 1".to_string()),
                "{name}.{ext}: {labels:?}"
            );
            assert!(
                labels.contains(&name.to_string()),
                "{name}.{ext}: {labels:?}"
            );
            for t in doc.turns.iter().filter(|t| !t.non_speech) {
                let expected = if t.speaker == "Researcher 1" {
                    Role::Interviewer
                } else {
                    Role::Participant
                };
                assert_eq!(t.role, expected, "{name}.{ext}");
            }
            let header_end = doc.text.chars().position(|c| c == '\n').unwrap();
            let first_speech = doc.turns.iter().find(|t| !t.non_speech).unwrap();
            assert!(
                first_speech.start > header_end,
                "{name}.{ext}: the header became a speaker turn"
            );
            // The header is kept, as non-speech.
            assert!(
                doc.turns[0].non_speech && doc.turns[0].start == 0,
                "{name}.{ext}"
            );
            // Nearly all the text is inside turns.
            let covered: usize = doc.turns.iter().map(|t| t.end - t.start).sum();
            assert!(
                covered * 100 / doc.text.chars().count() > 90,
                "{name}.{ext}"
            );
        }
    }
}

#[test]
fn iriss_homecare_carries_each_speaker_across_unlabelled_paragraphs() {
    let Some(ext) = external_dir() else { return };
    let (_d, mut p) = temp_project();
    let id = import(
        &mut p,
        &ext.join("transcripts/iriss-fm-social-services/changing-how-homecare-is-commissioned-and-delivered.md.txt"),
    );
    let doc = p.document(&id).unwrap();
    assert_eq!(speaker_labels(&doc), vec!["Meylis", "Alison"]);
    let spoken: Vec<_> = doc.turns.iter().filter(|t| !t.non_speech).collect();
    assert_eq!(spoken.len(), 2);
    // Each turn spans many paragraphs.
    assert!(spoken.iter().all(|t| t.text.matches("\n\n").count() >= 5));
    assert!(!doc.text.contains("title:"), "front matter must be skipped");
}

#[test]
fn kinections_label_mismatch_is_resolved_and_reported() {
    let Some(ext) = external_dir() else { return };
    let (_d, mut p) = temp_project();
    let id = import(
        &mut p,
        &ext.join("transcripts/iriss-fm-social-services/kinections-what-community-means-for-care-homes.md.txt"),
    );
    let doc = p.document(&id).unwrap();
    let labels = speaker_labels(&doc);
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels.contains(&"Dr Anna Jack-Waugh".to_string()));
    let notes = p.import_notes(&id).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("'AW'") && n.contains("'AJ'")),
        "{notes:?}"
    );
    let interviewer: Vec<_> = doc
        .turns
        .iter()
        .filter(|t| t.role == Role::Interviewer)
        .map(|t| t.speaker.clone())
        .collect();
    assert!(
        interviewer.iter().all(|s| s == "Michelle Drumm"),
        "{interviewer:?}"
    );
}

#[test]
fn every_iriss_transcript_has_its_listed_speakers() {
    let Some(ext) = external_dir() else { return };
    let dir = ext.join("transcripts/iriss-fm-social-services");
    let expected = [
        ("rashielee-care-home-covid-19-response", 2),
        ("celia-sweeney-a-carers-story", 2),
        ("experiences-of-unpaid-carers-during-covid-19", 4),
        (
            "acumen-giving-mental-health-service-users-and-carers-a-voice",
            2,
        ),
        ("enrich-scotland-supporting-research-in-care-homes", 3),
        ("coronavirus-and-people-with-learning-disabilities", 3),
    ];
    let (_d, mut p) = temp_project();
    for (name, speakers) in expected {
        let id = import(&mut p, &dir.join(format!("{name}.md.txt")));
        let doc = p.document(&id).unwrap();
        let labels = speaker_labels(&doc);
        assert_eq!(labels.len(), speakers, "{name}: {labels:?}");
        assert_eq!(
            doc.turns
                .iter()
                .filter(|t| t.role == Role::Interviewer)
                .map(|t| &t.speaker)
                .collect::<std::collections::HashSet<_>>()
                .len(),
            1,
            "{name}: one interviewer"
        );
    }
}

#[test]
fn qualcoder_examples_import() {
    let Some(ext) = external_dir() else { return };
    let dir = ext.join("transcripts/qualcoder-examples");
    let (_d, mut p) = temp_project();
    let id = import(&mut p, &dir.join("transcript.txt"));
    let doc = p.document(&id).unwrap();
    assert_eq!(speaker_labels(&doc), vec!["id1", "id2", "id3"]);
    let id = import(&mut p, &dir.join("ID1.docx"));
    let doc = p.document(&id).unwrap();
    assert_eq!(
        speaker_labels(&doc),
        vec!["Speaker"],
        "one voice, no labels"
    );
    assert!(doc.text.contains('€'));
}

/// Every word has a place: each real transcript reports the share of its
/// words in speaker turns, keeps the rest as non-speech, and says how sure
/// it is of its speakers.
#[test]
fn every_transcript_reports_its_coverage_and_confidence() {
    let Some(ext) = external_dir() else { return };
    let (_d, mut p) = temp_project();
    for sub in ["sheffield-orda-open-qual", "iriss-fm-social-services"] {
        let mut files: Vec<_> = std::fs::read_dir(ext.join("transcripts").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|f| !f.to_string_lossy().contains("Readme"))
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let out = p.import_bytes(&name, &std::fs::read(&f).unwrap()).unwrap();
            let ImportOutcome::Imported {
                speech_percent,
                non_speech_words,
                confidence,
                document,
                ..
            } = out
            else {
                panic!("{name}: {out:?}")
            };
            assert!(speech_percent >= 90, "{name}: {speech_percent}%");
            if sub.starts_with("sheffield") {
                assert!(non_speech_words > 0, "{name}: the header is kept");
            }
            // (The Gwynedd file is two talks, nobody asks: its roles are a weak guess.)
            assert!(confidence.score >= 50, "{name}: {confidence:?}");
            assert!(!confidence.guessed, "{name}");
            // Nothing outside a turn but labels and white space.
            let doc = p.document(&document).unwrap();
            let mut covered = vec![false; doc.text.chars().count()];
            for t in &doc.turns {
                for c in &mut covered[t.label_start.unwrap_or(t.start).min(t.start)..t.end] {
                    *c = true;
                }
            }
            let lost: String = doc
                .text
                .chars()
                .zip(&covered)
                .filter(|(ch, c)| !**c && !ch.is_whitespace())
                .map(|(ch, _)| ch)
                .collect();
            assert!(lost.is_empty(), "{name}: outside every turn: {lost:?}");
        }
    }
}
