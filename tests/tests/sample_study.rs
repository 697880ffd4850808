//! The bundled sample study imports cleanly, with the right speakers, roles,
//! participant links, times and marks for every format and convention.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::sync::atomic::AtomicBool;
use storyloom_e2e::*;
use storyloom_project::{ImportOptions, MarkKind, Project, Role};

fn build() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let (p, report) = Project::create_from_folder(
        &dir.path().join("s.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!(report.failed(), 0, "{:?}", report.outcomes);
    (dir, p)
}

#[test]
fn every_interview_imports_with_one_interviewer_and_its_participant() {
    let (_d, p) = build();
    let docs = p.documents().unwrap();
    assert_eq!(docs.len(), 12);
    let formats: std::collections::BTreeSet<_> = docs.iter().map(|d| d.format.as_str()).collect();
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        vec!["docx", "md", "odt", "srt", "txt", "vtt"]
    );
    for d in &docs {
        assert!(
            (3000..=6000).contains(&d.words),
            "{}: {} words",
            d.name,
            d.words
        );
        let speakers = p.speakers(&d.uuid).unwrap();
        assert_eq!(speakers.len(), 2, "{}", d.name);
        let roles: Vec<Role> = speakers.iter().map(|s| s.role).collect();
        assert!(
            roles.contains(&Role::Interviewer) && roles.contains(&Role::Participant),
            "{}: {roles:?}",
            d.name
        );
        let id = d.name.split('-').next().unwrap();
        assert_eq!(d.participants, vec![id.to_string()], "{}", d.name);
        let participant = speakers
            .iter()
            .find(|s| s.role == Role::Participant)
            .unwrap();
        assert_eq!(participant.participant.as_deref(), Some(id), "{}", d.name);
        assert!(
            participant.words
                > speakers
                    .iter()
                    .find(|s| s.role == Role::Interviewer)
                    .unwrap()
                    .words,
            "{}",
            d.name
        );
        let doc = p.document(&d.uuid).unwrap();
        assert!(
            doc.marks.iter().any(|m| m.kind == MarkKind::Laughter),
            "{}: no [laughs]",
            d.name
        );
        assert!(
            doc.turns.len() >= 20,
            "{}: {} turns",
            d.name,
            doc.turns.len()
        );
    }
}

#[test]
fn times_encodings_and_conventions_are_kept() {
    let (_d, p) = build();
    for name in [
        "P02-harjit-bhamra.vtt",
        "P04-nasreen-akhtar.srt",
        "LW2-gareth-evans.srt",
        "P05-bernie-kowalski.txt",
        "P07-grace-adeyemi.txt",
    ] {
        let mut doc = p.document(name).unwrap();
        // Headers and notes are kept as non-speech turns, which have no time.
        doc.turns.retain(|t| !t.non_speech);
        assert!(
            doc.turns.iter().all(|t| t.start_ms.is_some()),
            "{name}: every speaker turn has a time"
        );
        assert!(
            doc.turns.windows(2).all(|w| w[0].start_ms <= w[1].start_ms),
            "{name}: times increase"
        );
    }
    let vtt = p.document("P02-harjit-bhamra").unwrap();
    assert!(vtt.turns.iter().all(|t| t.end_ms.is_some()));
    assert!(vtt.text.starts_with("Sarah Kendall: "));
    // Windows-1252 decoded: typographic apostrophes, no replacement characters.
    let winston = p.document("P03-winston-clarke").unwrap();
    assert!(
        winston.text.contains('’')
            && !winston.text.contains('\u{FFFD}')
            && !winston.text.contains('\r')
    );
    let first_speech = winston.turns.iter().find(|t| !t.non_speech).unwrap();
    assert!(
        first_speech.start > winston.text.chars().position(|c| c == '\n').unwrap(),
        "the header is not a speaker turn"
    );
    assert!(
        winston.turns[0].non_speech,
        "the header is kept as non-speech"
    );
    // UTF-16 with a key block of initials.
    let amina = p.document("LW3-amina-yusuf").unwrap();
    assert_eq!(speaker_labels(&amina), vec!["Sarah Kendall", "Amina Yusuf"]);
    // Tracked changes: the insertion is kept, the deletion dropped.
    let doreen = p.document("P01-doreen-walsh").unwrap();
    assert!(!doreen.text.contains("Thrusday"));
    assert!(doreen.text.contains("at St Aidan's"));
    // Bold interviewer paragraphs without labels.
    let lily = p.document("P09-lily-chen").unwrap();
    assert_eq!(speaker_labels(&lily), vec!["Interviewer", "Participant"]);
    // Uncertain words and inaudible stretches are recorded with their values.
    let all_marks: Vec<_> = p
        .documents()
        .unwrap()
        .iter()
        .flat_map(|d| p.document(&d.uuid).unwrap().marks)
        .collect();
    assert!(
        all_marks
            .iter()
            .any(|m| m.kind == MarkKind::Uncertain && m.value.is_some())
    );
    assert!(
        all_marks
            .iter()
            .any(|m| m.kind == MarkKind::Inaudible && m.value.is_some())
    );
}

#[test]
fn reimporting_the_same_bytes_is_reported_not_duplicated() {
    let (_d, mut p) = build();
    let before = p.documents().unwrap().len();
    let files = vec![sample_dir().join("interviews/P01-doreen-walsh.docx")];
    let report = p
        .import_files(
            &files,
            &ImportOptions::default(),
            &AtomicBool::new(false),
            &mut |_, _, _| {},
        )
        .unwrap();
    assert_eq!(report.duplicates(), 1);
    assert_eq!(p.documents().unwrap().len(), before);
}

#[test]
fn participants_codebook_and_history_are_there() {
    let (_d, p) = build();
    let people = p.participants().unwrap();
    assert_eq!(people.len(), 12);
    let doreen = people.iter().find(|x| x.id == "P01").unwrap();
    assert_eq!(doreen.pseudonym.as_deref(), Some("Dot"));
    assert!(
        doreen
            .attributes
            .contains(&("activity".to_string(), "Choir".to_string()))
    );
    let attrs = p.attributes().unwrap();
    assert!(
        attrs
            .iter()
            .any(|a| a.name == "age_band" && a.kind == storyloom_project::AttributeKind::Choice)
    );
    let codes = p.codes().unwrap();
    assert!(
        codes
            .iter()
            .any(|c| c.path == vec!["Why it matters".to_string(), "Belonging".to_string()])
    );
    let history = p.history().unwrap();
    assert_eq!(history.iter().filter(|h| h.command == "import").count(), 12);
}

#[test]
fn the_sample_coding_applies_in_full_and_two_coders_can_be_compared() {
    let (dir, mut p) = build();
    let codings = p.codings(None, None, None).unwrap();
    assert_eq!(codings.iter().filter(|c| c.coder == "ana").count(), 118);
    assert_eq!(codings.iter().filter(|c| c.coder == "ben").count(), 28);
    assert!(codings.iter().filter(|c| c.key_quote).count() >= 24);
    // Every row of codings.csv fits: applying it again to a copy reports nothing rejected.
    let copy = dir.path().join("copy.storyloom");
    let (mut q, _) = Project::create_from_folder(&copy, &sample_dir(), &mut |_, _, _| {}).unwrap();
    let again = q
        .import_codings_csv(&sample_dir().join("codings.csv"))
        .unwrap();
    assert!(again.rejected.is_empty(), "{:?}", again.rejected);
    let a = p.agreement("ana", "ben", &[]).unwrap();
    assert_eq!(a.documents.len(), 3);
    assert!(a.codes.iter().any(|c| c.pooled.kappa > 0.5));
    assert!(!a.disagreements.is_empty());
    // Queries work on it: every code is used, and co-occurrence finds overlaps.
    assert!(p.code_frequencies().unwrap().iter().all(|f| f.codings > 0));
    p.set_actor("ana");
    let hits = p
        .query_codings(
            "Loss and loneliness",
            &storyloom_project::Scope::default(),
            true,
        )
        .unwrap();
    assert!(hits.len() >= 2);
}
