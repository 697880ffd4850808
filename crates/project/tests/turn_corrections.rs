//! A person corrects who spoke, from the `Project` API the CLI and window
//! share: split, assign, merge, not speech, rename, confirm. Each is one
//! undoable change and the text never moves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

/// Unlabelled answers after bold-free questions: the interviewer's second
/// question sits inside Rosa's turn, as a bad transcript would have it.
const SRC: &str = "Ann: How did you come to the group?\n\nRosa: My daughter found it. I was lonely. And what changed for you? I sleep better now.\n\nAnn: Thank you.\n\nAnn: Thanks again.\n";

fn project() -> (tempfile::TempDir, Project, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    let ImportOutcome::Imported { document, .. } =
        p.import_bytes("rosa.txt", SRC.as_bytes()).unwrap()
    else {
        panic!()
    };
    (dir, p, document)
}

fn at(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

#[test]
fn split_assign_merge_non_speech_rename_and_confirm_each_undo() {
    let (_d, mut p, doc) = project();
    let before = p.document(&doc).unwrap();
    assert_eq!(before.turns.len(), 4);
    let uuids: Vec<String> = before.turns.iter().map(|t| t.uuid.clone()).collect();

    // Split Rosa's turn where the interviewer's question starts.
    let q = at(&before.text, "And what changed");
    p.edit_turns(&doc, &TurnEdit::Split { turn: 1, at: q })
        .unwrap();
    let d = p.document(&doc).unwrap();
    assert_eq!(d.turns.len(), 5);
    assert_eq!(d.turns[1].text, "My daughter found it. I was lonely.");
    assert_eq!(
        d.turns[2].text,
        "And what changed for you? I sleep better now."
    );
    assert_eq!(
        d.turns[1].uuid, uuids[1],
        "the first part keeps the turn's id"
    );
    // Split again after the question, and give the question to Ann.
    let a = at(&d.text, "I sleep better");
    p.edit_turns(&doc, &TurnEdit::Split { turn: 2, at: a })
        .unwrap();
    p.edit_turns(
        &doc,
        &TurnEdit::Assign {
            turn: 2,
            speaker: "Ann".into(),
        },
    )
    .unwrap();
    let d = p.document(&doc).unwrap();
    let who: Vec<(&str, &str)> = d
        .turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(who[2], ("Ann", "And what changed for you?"));
    assert_eq!(who[3], ("Rosa", "I sleep better now."));
    assert_eq!(d.turns[2].role, Role::Interviewer);
    // Merge Ann's two closing turns; mark the last as not speech instead, after undoing.
    p.edit_turns(&doc, &TurnEdit::Merge { turn: 5 }).unwrap();
    assert_eq!(p.document(&doc).unwrap().turns.len(), 5);
    p.undo().unwrap();
    assert_eq!(p.document(&doc).unwrap().turns.len(), 6);
    p.edit_turns(&doc, &TurnEdit::NonSpeech { turn: 5 })
        .unwrap();
    let d = p.document(&doc).unwrap();
    assert!(d.turns[5].non_speech);
    assert_eq!(
        p.speakers(&doc).unwrap().len(),
        2,
        "the non-speech pseudo-speaker is not listed"
    );
    // The text never changed.
    assert_eq!(d.text, before.text);
    // Rename, then confirm.
    p.rename_speaker(&doc, "Rosa", "Rosa Mendes").unwrap();
    assert!(
        p.document(&doc)
            .unwrap()
            .turns
            .iter()
            .any(|t| t.speaker == "Rosa Mendes")
    );
    assert!(p.rename_speaker(&doc, "Ann", "Rosa Mendes").is_err());
    assert!(p.speakers_confirmed(&doc).unwrap().is_none());
    p.confirm_speakers(&doc, true).unwrap();
    assert!(p.speakers_confirmed(&doc).unwrap().is_some());
    // Each was one change: undo them all, back to the import.
    for _ in 0..6 {
        p.undo().unwrap();
    }
    let d = p.document(&doc).unwrap();
    assert_eq!(d.turns.len(), 4);
    assert_eq!(
        d.turns.iter().map(|t| t.uuid.clone()).collect::<Vec<_>>(),
        uuids
    );
    assert_eq!(d.turns[1].speaker, "Rosa");
    assert!(p.speakers_confirmed(&doc).unwrap().is_none());
}

#[test]
fn bad_corrections_are_refused_with_a_reason() {
    let (_d, mut p, doc) = project();
    let e = p
        .edit_turns(&doc, &TurnEdit::Merge { turn: 0 })
        .unwrap_err();
    assert!(e.to_string().contains("first"), "{e}");
    let e = p
        .edit_turns(&doc, &TurnEdit::Split { turn: 0, at: 0 })
        .unwrap_err();
    assert!(e.to_string().contains("no words"), "{e}");
    let e = p
        .edit_turns(&doc, &TurnEdit::NonSpeech { turn: 40 })
        .unwrap_err();
    assert!(e.to_string().contains("#40"), "{e}");
}

#[test]
fn a_merged_caption_turn_keeps_its_parts_times() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>How was it?\n\n00:00:02.000 --> 00:00:05.000\n<v Rosa>Hard at first.\n\n00:00:06.000 --> 00:00:09.000\n<v Ann>And now?\n\n00:00:09.000 --> 00:00:12.000\n<v Rosa>Better.\n";
    let ImportOutcome::Imported { document, .. } = p.import_bytes("c.vtt", vtt.as_bytes()).unwrap()
    else {
        panic!()
    };
    // A wrong split: merge Rosa's answer into Ann's question, then split it back.
    p.edit_turns(&document, &TurnEdit::Merge { turn: 1 })
        .unwrap();
    let d = p.document(&document).unwrap();
    assert_eq!(
        (d.turns[0].start_ms, d.turns[0].end_ms),
        (Some(1000), Some(5000))
    );
    let a = at(&d.text, "Hard at");
    p.edit_turns(&document, &TurnEdit::Split { turn: 0, at: a })
        .unwrap();
    let d = p.document(&document).unwrap();
    assert_eq!(
        (d.turns[0].start_ms, d.turns[0].end_ms),
        (Some(1000), Some(2000))
    );
    assert_eq!(
        (d.turns[1].start_ms, d.turns[1].end_ms),
        (Some(2000), Some(5000))
    );
}

/// The checker's verdict on a story drawn from a wrongly detected document:
/// before anyone checked it, an error naming it; after the person's
/// correction and confirmation, the interviewer's words are no longer the
/// storyteller's, and the story passes rule 1.
#[test]
fn the_checker_knows_who_confirmed_the_speakers() {
    let (_d, mut p, doc) = project();
    p.create_participant("P01", Some("Rosa Diaz"), None)
        .unwrap();
    p.link_speaker(&doc, "Rosa", Some("P01")).unwrap();
    let story = p.create_story("P01", "I sleep better").unwrap();
    let text = p.document(&doc).unwrap().text;
    let s = at(&text, "My daughter");
    let e = at(&text, "better now.") + "better now.".len();
    p.add_excerpt(&story, &doc, s, e, None).unwrap();
    let rule1 = |p: &Project, severity: stories::Severity| {
        p.check_story(&story, None)
            .unwrap()
            .findings
            .into_iter()
            .filter(|f| f.rule == 1 && f.severity == severity)
            .map(|f| f.message)
            .collect::<Vec<_>>()
    };
    // Before: nobody checked rosa.txt.
    let errors = rule1(&p, stories::Severity::Error);
    assert!(
        errors
            .iter()
            .any(|m| m.contains("rosa.txt") && m.contains("--confirm")),
        "{errors:?}"
    );
    // Confirmed as it is: the interviewer's question inside Rosa's turn is flagged.
    p.confirm_speakers(&doc, true).unwrap();
    assert!(rule1(&p, stories::Severity::Error).is_empty());
    let warnings = rule1(&p, stories::Severity::Warning);
    assert!(
        warnings.is_empty(),
        "one question among statements is not enough: {warnings:?}"
    );
    // The person corrects: the question was Ann's.
    let q = at(&text, "And what changed");
    p.edit_turns(&doc, &TurnEdit::Split { turn: 1, at: q })
        .unwrap();
    let a = at(&text, "I sleep better");
    p.edit_turns(&doc, &TurnEdit::Split { turn: 2, at: a })
        .unwrap();
    p.edit_turns(
        &doc,
        &TurnEdit::Assign {
            turn: 2,
            speaker: "Ann".into(),
        },
    )
    .unwrap();
    // Now the excerpt takes in the interviewer's words: rule 1 says so.
    let errors = rule1(&p, stories::Severity::Error);
    assert!(
        !errors.is_empty(),
        "the excerpt spans the interviewer's question"
    );
}

/// Confirmed, but the labels were swapped: the participant's turn is all
/// questions, and the checker warns.
#[test]
fn a_confirmed_participant_turn_of_questions_warns() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    let src = "Interviewer: I nursed for thirty years. I loved it.\n\nParticipant: How did it start? Was it hard? Why?\n\nInterviewer: It was hard at first.\n\nParticipant: And now?\n";
    let ImportOutcome::Imported { document, .. } =
        p.import_bytes("swap.txt", src.as_bytes()).unwrap()
    else {
        panic!()
    };
    p.create_participant("P02", Some("Pat Lee"), None).unwrap();
    p.link_speaker(&document, "Participant", Some("P02"))
        .unwrap();
    p.confirm_speakers(&document, true).unwrap();
    let story = p.create_story("P02", "Why").unwrap();
    let text = p.document(&document).unwrap().text;
    let s = at(&text, "How did");
    p.add_excerpt(
        &story,
        &document,
        s,
        s + "How did it start? Was it hard? Why?".len(),
        None,
    )
    .unwrap();
    let report = p.check_story(&story, None).unwrap();
    assert!(
        report.findings.iter().any(|f| f.rule == 1
            && f.severity == stories::Severity::Warning
            && f.message.contains("reads like the interviewer's")),
        "{report:?}"
    );
}

/// The paragraph under a selection goes to another speaker, cut from the
/// turn around it; selected words become non-speech; each is one undo.
#[test]
fn paragraphs_and_words_under_a_selection_are_reassigned_in_one_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    // Kofi's turn runs over three paragraphs; the middle one is Bea's question.
    let src = "Bea: Where did you grow up?\n\nKofi: In Kumasi, near the market.\nSo what brought you to Leeds?\nWork, in the end. [laughs] It always is.\n\nBea: And your family?\n\nKofi: My sister came later.\n";
    let ImportOutcome::Imported { document: doc, .. } =
        p.import_bytes("kofi.txt", src.as_bytes()).unwrap()
    else {
        panic!()
    };
    let before = p.document(&doc).unwrap();
    assert_eq!(before.turns.len(), 4, "{:?}", before.turns);
    // A few words of the middle line are enough: the whole line goes.
    let s = at(&before.text, "brought");
    p.edit_turns(
        &doc,
        &TurnEdit::AssignParagraphs {
            start: s,
            end: s + 7,
            speaker: "Bea".into(),
        },
    )
    .unwrap();
    let d = p.document(&doc).unwrap();
    let who: Vec<(&str, &str)> = d
        .turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(
        who[..4],
        [
            ("Bea", "Where did you grow up?"),
            ("Kofi", "In Kumasi, near the market."),
            ("Bea", "So what brought you to Leeds?"),
            ("Kofi", "Work, in the end. [laughs] It always is."),
        ]
    );
    assert_eq!(d.text, before.text);
    // "[laughs]" is not speech.
    let l = at(&d.text, "[laughs]");
    p.edit_turns(
        &doc,
        &TurnEdit::NonSpeechText {
            start: l - 1,
            end: l + 9,
        },
    )
    .unwrap();
    let d = p.document(&doc).unwrap();
    let tail: Vec<(&str, bool)> = d.turns[3..6]
        .iter()
        .map(|t| (t.text.as_str(), t.non_speech))
        .collect();
    assert_eq!(
        tail,
        [
            ("Work, in the end.", false),
            ("[laughs]", true),
            ("It always is.", false)
        ]
    );
    // To a new speaker: made on the way, gone again on undo.
    p.edit_turns(
        &doc,
        &TurnEdit::AssignParagraphs {
            start: l + 10,
            end: l + 10,
            speaker: "Kofi's brother".into(),
        },
    )
    .unwrap();
    assert_eq!(p.speakers(&doc).unwrap().len(), 3);
    assert_eq!(p.document(&doc).unwrap().turns[5].speaker, "Kofi's brother");
    p.undo().unwrap();
    assert_eq!(p.speakers(&doc).unwrap().len(), 2);
    p.undo().unwrap();
    p.undo().unwrap();
    let d = p.document(&doc).unwrap();
    assert_eq!(
        d.turns.iter().map(|t| t.uuid.clone()).collect::<Vec<_>>(),
        before
            .turns
            .iter()
            .map(|t| t.uuid.clone())
            .collect::<Vec<_>>()
    );
    let e = p
        .edit_turns(&doc, &TurnEdit::NonSpeechText { start: 0, end: 0 })
        .unwrap_err();
    assert!(e.to_string().contains("select"), "{e}");
}

/// A file that names no speakers: from the second paragraph on, turns
/// alternate between the speaker there and a new one, who asks the
/// questions and so is taken for the interviewer.
#[test]
fn alternating_speakers_from_a_turn_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    let src = "Interview with M., March.\n\nHow long have you lived here?\n\nForty years, near enough.\n\nAnd the neighbours?\n\nGood people. Most of them.\n\nDid that change?\n\nIt did, after the mill shut.\n";
    let ImportOutcome::Imported { document: doc, .. } =
        p.import_bytes("m.txt", src.as_bytes()).unwrap()
    else {
        panic!()
    };
    let before = p.document(&doc).unwrap();
    let from_here = at(&before.text, "lived here");
    let speakers_before = p.speakers(&doc).unwrap();
    let existing = speakers_before[0].label.clone();
    p.edit_turns(
        &doc,
        &TurnEdit::Alternate {
            from: from_here,
            first: "Asker".into(),
            second: existing.clone(),
        },
    )
    .unwrap();
    let d = p.document(&doc).unwrap();
    let from = d
        .turns
        .iter()
        .position(|t| t.text == "How long have you lived here?")
        .expect("the first question is a turn of its own");
    let who: Vec<(&str, &str)> = d.turns[from..]
        .iter()
        .map(|t| (t.speaker.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            ("Asker", "How long have you lived here?"),
            (existing.as_str(), "Forty years, near enough."),
            ("Asker", "And the neighbours?"),
            (existing.as_str(), "Good people. Most of them."),
            ("Asker", "Did that change?"),
            (existing.as_str(), "It did, after the mill shut."),
        ]
    );
    assert_eq!(d.turns[from].role, Role::Interviewer);
    assert_eq!(d.text, before.text);
    p.undo().unwrap();
    let d = p.document(&doc).unwrap();
    assert_eq!(d.turns.len(), before.turns.len());
    assert_eq!(p.speakers(&doc).unwrap().len(), speakers_before.len());
    let e = p
        .edit_turns(
            &doc,
            &TurnEdit::Alternate {
                from: from_here,
                first: "Asker".into(),
                second: " asker ".into(),
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("two different"), "{e}");
}
