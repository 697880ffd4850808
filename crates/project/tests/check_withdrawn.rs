//! A correction of who spoke after "Speakers checked" withdraws the check:
//! a correction means the person is still checking. The correction's undo
//! brings the check back; confirming again clears the reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

const SRC: &str = "Ann: How did you come to the group?\n\nRosa: My daughter found it. And what changed for you? I sleep better now.\n\nAnn: Thank you.\n";

fn project() -> (tempfile::TempDir, Project, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    p.set_actor("ann");
    let ImportOutcome::Imported { document, .. } =
        p.import_bytes("rosa.txt", SRC.as_bytes()).unwrap()
    else {
        panic!()
    };
    (dir, p, document)
}

/// One correction of who spoke, returning what it did.
type Correction<'a> = Box<dyn Fn(&mut Project) -> String + 'a>;

fn at(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

#[test]
fn every_kind_of_correction_withdraws_the_check_and_its_undo_restores_it() {
    let (_d, mut p, doc) = project();
    let text = p.document(&doc).unwrap().text;
    let q = at(&text, "And what changed");
    let corrections: Vec<(&str, Correction)> = vec![
        (
            "split",
            Box::new(|p: &mut Project| {
                p.edit_turns(&doc, &TurnEdit::Split { turn: 1, at: q })
                    .unwrap()
            }),
        ),
        (
            "assign",
            Box::new(|p: &mut Project| {
                p.edit_turns(
                    &doc,
                    &TurnEdit::Assign {
                        turn: 2,
                        speaker: "Ann".into(),
                    },
                )
                .unwrap()
            }),
        ),
        (
            "paragraphs",
            Box::new(|p: &mut Project| {
                p.edit_turns(
                    &doc,
                    &TurnEdit::AssignParagraphs {
                        start: q,
                        end: q + 3,
                        speaker: "Rosa".into(),
                    },
                )
                .unwrap()
            }),
        ),
        (
            "not speech",
            Box::new(|p: &mut Project| {
                p.edit_turns(&doc, &TurnEdit::NonSpeech { turn: 2 })
                    .unwrap()
            }),
        ),
        (
            "rename",
            Box::new(|p: &mut Project| p.rename_speaker(&doc, "Rosa", "Rosa Mendes").unwrap()),
        ),
        (
            "role",
            Box::new(|p: &mut Project| p.set_speaker_role(&doc, "Ann", Role::Interviewer).unwrap()),
        ),
    ];
    for (what, correct) in &corrections {
        p.confirm_speakers(&doc, true).unwrap();
        assert!(p.speakers_check_withdrawn(&doc).unwrap().is_none());
        p.set_actor("ben");
        let done = correct(&mut p);
        assert!(
            done.contains("the speakers check by ann is withdrawn"),
            "{what}: {done}"
        );
        assert!(
            p.speakers_confirmed(&doc).unwrap().is_none(),
            "{what}: still checked"
        );
        let w = p
            .speakers_check_withdrawn(&doc)
            .unwrap()
            .unwrap_or_else(|| panic!("{what}: no reason recorded"));
        assert_eq!((w.checked_by.as_str(), w.actor.as_str()), ("ann", "ben"));
        assert!(!w.summary.contains("withdrawn"), "{what}: {}", w.summary);
        assert!(w.summary.contains("rosa.txt"), "{what}: {}", w.summary);
        // Undo takes the correction back and the check with it.
        let r = p.undo().unwrap().expect("undo");
        assert!(r.summary.contains("withdrawn"), "{what}: {}", r.summary);
        let c = p.speakers_confirmed(&doc).unwrap().expect("check back");
        assert_eq!(c.by, "ann");
        assert!(p.speakers_check_withdrawn(&doc).unwrap().is_none());
        // Redo withdraws it again; then keep the correction for the next round.
        p.redo().unwrap().expect("redo");
        assert!(p.speakers_confirmed(&doc).unwrap().is_none(), "{what}");
        assert!(
            p.speakers_check_withdrawn(&doc).unwrap().is_some(),
            "{what}"
        );
        p.set_actor("ann");
    }
    // Confirming again clears the reason; a correction before any check says nothing.
    p.confirm_speakers(&doc, true).unwrap();
    assert!(p.speakers_check_withdrawn(&doc).unwrap().is_none());
    p.confirm_speakers(&doc, false).unwrap();
    assert!(
        p.speakers_check_withdrawn(&doc).unwrap().is_none(),
        "an explicit withdrawal is no correction's doing"
    );
    let done = p.rename_speaker(&doc, "Rosa Mendes", "Rosa").unwrap();
    assert!(!done.contains("withdrawn"), "{done}");
    assert!(p.speakers_check_withdrawn(&doc).unwrap().is_none());
}

#[test]
fn a_story_from_a_corrected_document_cannot_be_approved_until_checked_again() {
    let (_d, mut p, doc) = project();
    p.create_participant("P01", Some("Rosa"), None).unwrap();
    p.link_speaker(&doc, "Rosa", Some("P01")).unwrap();
    p.set_speaker_role(&doc, "Rosa", Role::Participant).unwrap();
    p.confirm_speakers(&doc, true).unwrap();
    let text = p.document(&doc).unwrap().text;
    let s = at(&text, "My daughter found it.");
    let story = p.create_story("P01", "Later").unwrap();
    p.add_excerpt(&story, &doc, s, s + "My daughter found it.".len(), None)
        .unwrap();
    let unchecked = |p: &Project| {
        p.check_story(&story, None).unwrap().errors().any(|f| {
            f.message
                .contains("nobody has checked who speaks in “rosa.txt”")
        })
    };
    assert!(!unchecked(&p));
    let q = at(&text, "And what changed");
    p.edit_turns(&doc, &TurnEdit::Split { turn: 1, at: q })
        .unwrap();
    assert!(unchecked(&p), "the withdrawn check shows in the checker");
    p.confirm_speakers(&doc, true).unwrap();
    assert!(!unchecked(&p));
}
