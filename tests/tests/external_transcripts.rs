//! Every transcript in ../shared/external/transcripts imports with the
//! speakers ../shared/external/SOURCES.md lists.

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
            for t in &doc.turns {
                let expected = if t.speaker == "Researcher 1" {
                    Role::Interviewer
                } else {
                    Role::Participant
                };
                assert_eq!(t.role, expected, "{name}.{ext}");
            }
            let header_end = doc.text.chars().position(|c| c == '\n').unwrap();
            assert!(
                doc.turns[0].start > header_end,
                "{name}.{ext}: the header became a turn"
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
    assert_eq!(doc.turns.len(), 2);
    // Each turn spans many paragraphs.
    assert!(
        doc.turns
            .iter()
            .all(|t| t.text.matches("\n\n").count() >= 5)
    );
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
    assert_eq!(doc.turns.len(), 1, "one voice, no labels");
    assert!(doc.text.contains('€'));
}
