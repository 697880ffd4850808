use super::*;
use storyloom_text::text::CharIndex;

/// A turn of `speaker` over the first `speech` after char `from`, its label at `label`.
fn turn(text: &str, speaker: &str, role: Role, label: Option<&str>, speech: &str) -> Turn {
    let b = text.find(speech).expect("speech in text");
    let start = text[..b].chars().count();
    let label_start = label.map(|l| {
        let lb = text[..b].rfind(l).expect("label before speech");
        text[..lb].chars().count()
    });
    Turn {
        uuid: String::new(),
        seq: 0,
        speaker: speaker.into(),
        role,
        label_start,
        start,
        end: start + speech.chars().count(),
        start_ms: None,
        end_ms: None,
        text: speech.into(),
        non_speech: false,
    }
}

fn slice(text: &str, a: usize, b: usize) -> String {
    CharIndex::new(text)
        .slice(a, b)
        .expect("in text")
        .to_owned()
}

/// Bold interviewer paragraphs: no labels in the stored text.
const BOLD: &str = "Interview 3, May\n\nHow did the choir 🎶 start?\n\nWe met in the café x\u{302}, Zoë and me.\n\nAnd then?\n\nWe sang.";

fn bold_turns() -> Vec<Turn> {
    let mut head = turn(
        BOLD,
        NON_SPEECH_LABEL,
        Role::Other,
        None,
        "Interview 3, May",
    );
    head.non_speech = true;
    vec![
        head,
        turn(
            BOLD,
            "Interviewer",
            Role::Interviewer,
            None,
            "How did the choir 🎶 start?",
        ),
        turn(
            BOLD,
            "Participant",
            Role::Participant,
            None,
            "We met in the café x\u{302}, Zoë and me.",
        ),
        turn(BOLD, "Interviewer", Role::Interviewer, None, "And then?"),
        turn(BOLD, "Participant", Role::Participant, None, "We sang."),
    ]
}

#[test]
fn turns_without_labels_get_them_and_positions_follow_the_words() {
    let turns = bold_turns();
    let l = label_turns(BOLD, &turns);
    assert_eq!(
        l.text,
        "Interview 3, May\n\nInterviewer: How did the choir 🎶 start?\n\nParticipant: We met in the café x\u{302}, Zoë and me.\n\nInterviewer: And then?\n\nParticipant: We sang."
    );
    assert_eq!(l.labelled, 4);
    // Every turn, and words with an emoji and a combining accent, land on the same chars.
    for t in &turns {
        let (a, b) = (l.to_exported(t.start, false), l.to_exported(t.end, true));
        assert_eq!(slice(&l.text, a, b), t.text);
        assert_eq!(
            (l.to_stored(a, false), l.to_stored(b, true)),
            (t.start, t.end)
        );
    }
    for words in ["choir 🎶 start", "café x\u{302}, Zoë", "We sang."] {
        let b = BOLD.find(words).unwrap();
        let s = BOLD[..b].chars().count();
        let e = s + words.chars().count();
        let (a, z) = (l.to_exported(s, false), l.to_exported(e, true));
        assert_eq!(slice(&l.text, a, z), words);
        assert_eq!((l.to_stored(a, false), l.to_stored(z, true)), (s, e));
    }
    // A range over two turns keeps the label written between them.
    let (a, z) = (
        l.to_exported(turns[3].start, false),
        l.to_exported(turns[4].end, true),
    );
    assert_eq!(slice(&l.text, a, z), "And then?\n\nParticipant: We sang.");
    // The speakers, listed in the order they first speak.
    let d = speakers_description(&turns);
    assert_eq!(
        d,
        format!("{SPEAKERS_HEADER}\nInterviewer (interviewer)\nParticipant (participant)")
    );
    assert_eq!(
        listed_speakers(&format!("Something first\n{d}")).unwrap(),
        vec![
            ("Interviewer".to_owned(), Role::Interviewer),
            ("Participant".to_owned(), Role::Participant)
        ]
    );
    assert_eq!(listed_speakers("A plain description"), None);
}

#[test]
fn labels_already_in_the_text_are_kept_and_other_forms_rewritten() {
    let text = "Ann: Hello there.\n\nBo: Hi.";
    let turns = vec![
        turn(text, "Ann", Role::Interviewer, Some("Ann:"), "Hello there."),
        turn(text, "Bo", Role::Participant, Some("Bo:"), "Hi."),
    ];
    let l = label_turns(text, &turns);
    assert!(!l.changed());
    assert_eq!(l.text, text);

    // Markdown labels, a renamed speaker, a turn split mid-line.
    let text = "**Ann:** Hello there. Yes.\n\nSPEAKER_01: Hi.";
    let mut split = turn(text, "Ann", Role::Interviewer, None, "Yes.");
    split.speaker = "Cy".into();
    let mut first = turn(
        text,
        "Ann",
        Role::Interviewer,
        Some("**Ann:**"),
        "Hello there.",
    );
    first.end = split.start - 1;
    let turns = vec![
        first,
        split,
        turn(text, "Bo", Role::Participant, Some("SPEAKER_01:"), "Hi."),
    ];
    let l = label_turns(text, &turns);
    assert_eq!(l.text, "Ann: Hello there. \nCy: Yes.\n\nBo: Hi.");
    for t in &turns {
        let (a, b) = (l.to_exported(t.start, false), l.to_exported(t.end, true));
        assert_eq!(slice(&l.text, a, b), slice(text, t.start, t.end));
    }
}

#[test]
fn the_listed_speakers_give_back_the_same_turns() {
    let mut turns = bold_turns();
    // A speaker who speaks once, with a label no detector would take, and
    // non-speech text between turns.
    let text = format!("{BOLD}\n\n[Tape turned over]\n\nThe caretaker: Closing now!");
    let mut note = turn(
        &text,
        NON_SPEECH_LABEL,
        Role::Other,
        None,
        "[Tape turned over]",
    );
    note.non_speech = true;
    turns.push(note);
    turns.push(turn(
        &text,
        "The caretaker",
        Role::Other,
        Some("The caretaker:"),
        "Closing now!",
    ));
    let l = label_turns(&text, &turns);
    assert!(
        l.text
            .contains("\n\n(not speech): [Tape turned over]\n\nThe caretaker: Closing now!")
    );
    let mut parsed = storyloom_import::parse("source.txt", l.text.as_bytes()).expect("parse");
    let listed = listed_speakers(&speakers_description(&turns)).expect("listed");
    assert!(apply_listed_speakers(&mut parsed, &listed));
    let got: Vec<(String, Role, bool, String)> = parsed
        .turns
        .iter()
        .map(|t| {
            let s = &parsed.speakers[t.speaker];
            (
                s.label.clone(),
                s.role,
                s.non_speech,
                slice(&parsed.text, t.start, t.end),
            )
        })
        .collect();
    let want: Vec<(String, Role, bool, String)> = turns
        .iter()
        .map(|t| (t.speaker.clone(), t.role, t.non_speech, t.text.clone()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        parsed.speakers.len(),
        4,
        "three speakers and the non-speech one"
    );

    // A text without any listed label keeps what the importer found.
    let mut plain = storyloom_import::parse("x.txt", b"Just some words.").expect("parse");
    let before = plain.clone();
    assert!(!apply_listed_speakers(&mut plain, &listed));
    assert_eq!(plain, before);
}
