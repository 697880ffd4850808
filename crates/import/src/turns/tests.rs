use super::*;
use crate::model::Role;

fn parse_txt(s: &str) -> ParsedDocument {
    from_lines(Format::Txt, crate::txt::lines(s), vec![])
}

/// The document without its non-speech turns (and their pseudo-speaker).
fn spoken(mut d: ParsedDocument) -> ParsedDocument {
    let ns: Vec<usize> = (0..d.speakers.len())
        .filter(|i| d.speakers[*i].non_speech)
        .collect();
    d.turns.retain(|t| !ns.contains(&t.speaker));
    d.speakers.retain(|s| !s.non_speech);
    d
}

fn non_speech_texts(d: &ParsedDocument) -> Vec<String> {
    d.turns
        .iter()
        .filter(|t| d.speakers[t.speaker].non_speech)
        .map(|t| d.text.chars().skip(t.start).take(t.end - t.start).collect())
        .collect()
}

fn speech(d: &ParsedDocument, i: usize) -> String {
    d.text
        .chars()
        .skip(d.turns[i].start)
        .take(d.turns[i].end - d.turns[i].start)
        .collect()
}

fn label_of(d: &ParsedDocument, i: usize) -> &str {
    &d.speakers[d.turns[i].speaker].label
}

#[test]
fn colon_labels_skip_a_date_header() {
    let full = parse_txt(
        "12-May-2023 - 10:36 - 1h09m31s – Ana\nResearcher 1: Perfect. So, your field?\nAna: Yes, I am doing my PhD.\nResearcher 1: The methods?\nAna: …but I don't like to call it that.\n",
    );
    assert_eq!(
        non_speech_texts(&full),
        vec!["12-May-2023 - 10:36 - 1h09m31s – Ana"]
    );
    let d = spoken(full);
    assert_eq!(d.speakers.len(), 2);
    assert_eq!(d.turns.len(), 4);
    let char_at = |needle: &str| d.text[..d.text.find(needle).unwrap()].chars().count();
    assert_eq!(d.turns[0].start, char_at("Perfect"));
    assert_eq!(speech(&d, 1), "Yes, I am doing my PhD.");
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.speakers[1].role, Role::Participant);
    assert_eq!(
        d.turns[0].label_start,
        Some(d.text[..d.text.find("Researcher").unwrap()].chars().count())
    );
}

#[test]
fn unlabelled_paragraphs_continue_the_speaker() {
    let d = parse_txt(
        "**Meylis**: First part.\n\nMore from Meylis.\n\n**Alison**: Hello.\n\nAnd more.\n",
    );
    assert_eq!(d.turns.len(), 2);
    assert_eq!(speech(&d, 0), "First part.\n\nMore from Meylis.");
    assert_eq!(label_of(&d, 1), "Alison");
}

#[test]
fn otter_lines_give_times() {
    let d = parse_txt(
        "Sarah Kendall  0:02\nOkay, recording. How are you?\n\nBernie Kowalski  0:15\nYes, yes. Is fine.\n\nBernie Kowalski  1:02:15\nAnd then.\n",
    );
    assert_eq!(d.turns.len(), 3);
    assert_eq!(speech(&d, 1), "Yes, yes. Is fine.");
    assert_eq!(d.turns[0].start_ms, Some(2000));
    assert_eq!(d.turns[0].end_ms, Some(15000));
    assert_eq!(d.turns[2].start_ms, Some(3_735_000));
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    let d = parse_txt("A B  0:01\nHello?\n\nC D  0:05\nHi.\n\nTranscribed by https://otter.ai\n");
    assert_eq!(speech(&d, 1), "Hi.");
}

#[test]
fn timestamped_labels() {
    let d = parse_txt(
        "00:00:04 Sarah Kendall: Okay, we're recording?\n\n00:00:09 Grace Adeyemi: Good, good.\n\n00:00:12 Sarah Kendall: Right?\n",
    );
    assert_eq!(d.turns.len(), 3);
    assert_eq!(speech(&d, 1), "Good, good.");
    assert_eq!(d.turns[1].start_ms, Some(9000));
}

#[test]
fn initials_with_a_mismatched_key_are_resolved_and_reported() {
    let src = "MD - Michelle Drumm  \nER - Edel Roddy  \nAJ - Dr Anna Jack-Waugh\n\nMD Welcome. Where did it start?\n\nAW Edel, I'll hand that to you.\n\nER Thanks Anna.\n\nAW What was exciting was the partnership.\n\nMD And then?\n\nAJ Well.\n";
    let d = spoken(parse_txt(src));
    let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        vec!["Michelle Drumm", "Dr Anna Jack-Waugh", "Edel Roddy"]
    );
    assert_eq!(d.turns.len(), 6);
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("'AW'") && n.contains("'AJ'")),
        "{:?}",
        d.notes
    );
    assert_eq!(d.speakers[0].role, Role::Interviewer);
}

#[test]
fn qa_and_ir_labels() {
    let d = parse_txt(
        "Q: How did you hear about it?\n\nA: From the doctor.\n\nQ: And?\n\nA: I went.\n",
    );
    assert_eq!(d.speakers.len(), 2);
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    let d = spoken(parse_txt(
        "Connected Lives – P03 – 02/04/2025 – 48:12\n\nI: Hello?\n\nR: Hello.\n\nI: So?\n\nR: Well: it was like this.\n",
    ));
    assert_eq!(d.turns.len(), 4);
    assert_eq!(speech(&d, 3), "Well: it was like this.");
    assert_eq!(d.speakers[1].role, Role::Participant);
}

#[test]
fn bracket_labels() {
    let d = parse_txt(
        "[id1] hello, I like the course.\n\n[id2] I am struggling.\n\n[id1] yes\n\n[id2] no\n",
    );
    assert_eq!(d.speakers.len(), 2);
    assert_eq!(speech(&d, 0), "hello, I like the course.");
}

#[test]
fn no_labels_is_one_speaker() {
    let d = parse_txt("I went to the museum.\n\nIt was lovely.\n");
    assert_eq!(d.speakers.len(), 1);
    assert_eq!(d.turns.len(), 1);
    assert_eq!(d.speakers[0].role, Role::Participant);
    assert_eq!(speech(&d, 0), "I went to the museum.\n\nIt was lovely.");
}

#[test]
fn bold_labels_and_bold_paragraphs_in_office_files() {
    let l = |t: &str, b: usize, all: bool| Line {
        text: t.into(),
        bold_prefix_chars: b,
        all_bold: all,
    };
    let lines = vec![
        l("Interview P01 – 14 March 2025", 0, false),
        l("", 0, false),
        l("Interviewer: How did it start?", 12, false),
        l("", 0, false),
        l("Doreen: Well, Dr Hussain said: go.", 7, false),
        l("", 0, false),
        l("And I went.", 0, false),
        l("", 0, false),
        l("Interviewer: And then?", 12, false),
        l("", 0, false),
        l("Doreen: Singing.", 7, false),
    ];
    let d = spoken(from_lines(Format::Docx, lines, vec![]));
    assert_eq!(d.turns.len(), 4);
    assert_eq!(speech(&d, 1), "Well, Dr Hussain said: go.\n\nAnd I went.");
    assert_eq!(d.speakers[0].role, Role::Interviewer);

    let lines = vec![
        l("How did you come to the group?", 30, true),
        l("My daughter found it.", 0, false),
        l("It was hard at first.", 0, false),
        l("And now?", 8, true),
        l("Now I love it.", 0, false),
    ];
    let d = from_lines(Format::Docx, lines, vec![]);
    assert_eq!(d.turns.len(), 4);
    assert_eq!(label_of(&d, 0), "Interviewer");
    assert_eq!(
        speech(&d, 1),
        "My daughter found it.\nIt was hard at first."
    );
}

#[test]
fn cues_merge_by_speaker_and_keep_times() {
    let cue = |s: Option<&str>, t: &str, a: u64, b: u64| Cue {
        speaker: s.map(Into::into),
        text: t.into(),
        start_ms: a,
        end_ms: b,
    };
    let d = from_cues(
        Format::Vtt,
        vec![
            cue(Some("Sarah Kendall"), "Thanks for coming.", 1000, 2000),
            cue(Some("Sarah Kendall"), "How did it start?", 2000, 3000),
            cue(
                Some("Harjit Singh Bhamra"),
                "Dr Hussain sent me.",
                3000,
                6000,
            ),
            cue(
                Some("Harjit Singh Bhamra"),
                "I was nervous [laughs].",
                6000,
                9000,
            ),
        ],
        vec![],
    );
    assert_eq!(d.turns.len(), 2);
    assert_eq!(speech(&d, 0), "Thanks for coming. How did it start?");
    assert_eq!(
        (d.turns[1].start_ms, d.turns[1].end_ms),
        (Some(3000), Some(9000))
    );
    assert!(d.text.starts_with("Sarah Kendall: Thanks"));
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.marks.len(), 1);
}

#[test]
fn every_word_has_a_place() {
    let src = "Interview with Ann, 3 May.\nConsent was read and agreed.\n\n## Part one\n\nInterviewer: How did it start?\n\nAnn: With a letter.\n\nObserver: Ann shows the letter.\n\nIt came on a Tuesday.\n\n[Break in recording]\n\nInterviewer: And then?\n\nAnn: I went.\n";
    let d = parse_txt(src);
    assert_eq!(
        non_speech_texts(&d),
        vec![
            "Interview with Ann, 3 May.\nConsent was read and agreed.",
            "## Part one",
            "Observer: Ann shows the letter.",
            "[Break in recording]",
        ]
    );
    let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        vec!["Interviewer", "Ann", crate::parsed::NON_SPEECH_LABEL]
    );
    let s = spoken(d.clone());
    // After the observer's note Ann goes on speaking.
    assert_eq!(speech(&s, 1), "With a letter.");
    assert_eq!(speech(&s, 2), "It came on a Tuesday.");
    assert_eq!(label_of(&s, 2), "Ann");
    let c = d.coverage();
    assert_eq!((c.speech_words, c.non_speech_words), (16, 20));
    assert_eq!(c.speech_percent(), 44);
}

#[test]
fn one_off_words_before_a_colon_are_not_speakers() {
    // A Zoom-like copy: names on their own lines, stray `Edit:` / `I'm:`.
    let d = parse_txt("Edit: transcript\n\nI'm: not sure what this is\n\nSo, welcome everyone.\n");
    assert!(
        d.speakers
            .iter()
            .all(|s| s.label != "Edit" && s.label != "I'm")
    );
    assert!(d.confidence.guessed);
}

#[test]
fn first_name_key_block() {
    let src = "Ann - Ann Baxter\nRosa - Rosa Mendes\n\nAnn Welcome to the podcast. What brought you here?\n\nRosa Well, my mother was ill for a long time and I cared for her.\n\nAnn: How was that?\n\nRosa It was hard, but the group helped.\n";
    let d = spoken(parse_txt(src));
    let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, vec!["Ann Baxter", "Rosa Mendes"]);
    assert_eq!(d.turns.len(), 4);
    assert_eq!(speech(&d, 2), "How was that?");
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.speakers[1].role, Role::Participant);
}

#[test]
fn confidence_says_why() {
    let d = parse_txt("Researcher 1: Hello?\n\nAna: Hi.\n\nResearcher 1: Why?\n\nAna: Because.\n");
    assert!(d.confidence.score >= 80, "{:?}", d.confidence);
    assert!(
        d.confidence.reason.contains("'Researcher 1' / 'Ana'"),
        "{:?}",
        d.confidence
    );
    assert!(d.confidence.reason.contains("100%"), "{:?}", d.confidence);
}

#[test]
fn timed_cues_in_a_text_file_without_names() {
    let src = "# Focus notes\n\nConsent was read out and everyone agreed.\n\n00:00:01.000 --> 00:00:04.000\nCan you tell me how you came to the group?\n\n00:00:04.500 --> 00:00:09.000\nMy daughter found it for me.\n\nObserver: she smiles\n\n## Part two\n\n00:01:14.000 --> 00:01:20.000\nAnd what changed?\n\n00:01:21.000 --> 00:01:30.000\nI sleep better now.\n";
    let d = parse_txt(src);
    assert!(d.confidence.guessed, "{:?}", d.confidence);
    assert_eq!(
        non_speech_texts(&d),
        vec![
            "# Focus notes",
            "Consent was read out and everyone agreed.",
            "Observer: she smiles",
            "## Part two"
        ]
    );
    let s = spoken(d);
    assert_eq!(s.turns.len(), 4);
    assert_eq!(speech(&s, 0), "Can you tell me how you came to the group?");
    assert_eq!(label_of(&s, 0), timed::ASKER);
    assert_eq!(label_of(&s, 1), timed::ANSWERER);
    assert_eq!(s.speakers[0].role, Role::Interviewer);
    assert_eq!(
        (s.turns[2].start_ms, s.turns[2].end_ms),
        (Some(74_000), Some(80_000))
    );
    // No time line is inside any speech.
    assert!(
        s.turns
            .iter()
            .all(|t| !speech(&s, s.turns.iter().position(|x| x == t).unwrap()).contains("-->"))
    );
}

#[test]
fn timed_cues_with_names() {
    let src = "00:00:01.000 --> 00:00:04.000\nRosa: How are you?\n\n00:00:04.000 --> 00:00:06.000\nAnn: Fine, thanks.\n\n00:00:06.000 --> 00:00:08.000\nRosa: Good?\n\n00:00:08.000 --> 00:00:12.000\nAnn: Yes.\n";
    let d = parse_txt(src);
    assert!(!d.confidence.guessed);
    let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, vec!["Rosa", "Ann"]);
    assert_eq!(speech(&d, 1), "Fine, thanks.");
    assert_eq!(d.turns[3].end_ms, Some(12_000));
    assert_eq!(d.speakers[0].role, Role::Interviewer);
}

#[test]
fn zoom_web_view_copy() {
    let src = "Edit: Meeting transcript\n\nuser avatar\nSarah Kendall\n00:00:02\nHello, thanks for joining. How did you hear about us?\nuser avatar\nUnknown Speaker\n00:00:09\nI'm not sure, a friend I think.\nuser avatar\nSarah Kendall\n00:00:15\nAnd what happened next?\nuser avatar\nUnknown Speaker\n00:00:20\nWe went along and I loved it.\n";
    let d = parse_txt(src);
    let s = spoken(d.clone());
    let labels: Vec<&str> = s.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, vec!["Sarah Kendall", "Unknown Speaker"]);
    assert_eq!(s.turns.len(), 4);
    assert_eq!(speech(&s, 1), "I'm not sure, a friend I think.");
    assert_eq!(s.turns[1].start_ms, Some(9000));
    assert_eq!(s.speakers[0].role, Role::Interviewer);
    assert!(!d.text.contains("user avatar"));
    assert_eq!(non_speech_texts(&d), vec!["Edit: Meeting transcript"]);
}

#[test]
fn markdown_bold_question_lines() {
    let src = "**Can you tell me about the choir?**\n\nIt started in 2019.\n\nWe met on Tuesdays.\n\n**What changed for you?**\n\nI felt less alone.\n";
    let d = from_lines(
        Format::Markdown,
        crate::markdown::lines(src, &mut vec![]),
        vec![],
    );
    assert_eq!(d.turns.len(), 4);
    assert_eq!(label_of(&d, 0), "Interviewer");
    assert_eq!(d.speakers[d.turns[1].speaker].role, Role::Participant);
    assert_eq!(speech(&d, 1), "It started in 2019.\n\nWe met on Tuesdays.");
}

#[test]
fn merged_caption_cues_keep_each_part_time() {
    let cue = |s: &str, t: &str, a: u64, b: u64| Cue {
        speaker: Some(s.into()),
        text: t.into(),
        start_ms: a,
        end_ms: b,
    };
    let d = from_cues(
        Format::Vtt,
        vec![
            cue("Ann", "Hello?", 0, 1000),
            cue("Rosa", "I came in May.", 1000, 2000),
            cue("Rosa", "It rained.", 2500, 4000),
        ],
        vec![],
    );
    let t = &d.turns[1];
    assert_eq!(t.cues.len(), 2);
    let at: String = d.text.chars().skip(t.cues[1].at).take(10).collect();
    assert_eq!(at, "It rained.");
    assert_eq!((t.cues[1].start_ms, t.cues[1].end_ms), (2500, Some(4000)));
}

#[test]
fn a_comment_dump_gets_no_made_up_speakers() {
    // Comments scraped from a page: a few open with a topic word and a colon.
    let mut text = String::new();
    for i in 0..60 {
        text.push_str(&format!(
            "comment_{i}\n2021-10-{:02}T08:45:00Z\nI read about this in the paper and I do not believe it, number {i}.\n\n",
            i % 28 + 1
        ));
        if i % 10 == 0 {
            let topic = [
                "Vaccine",
                "Pfizer",
                "Covid",
                "Experts",
                "Government",
                "Romania",
            ][i / 10];
            text.push_str(&format!(
                "{topic}: what they do not tell you, again and again.\n\n"
            ));
            text.push_str(&format!(
                "{topic}: second time the same word opens a line here.\n\n"
            ));
        }
    }
    let d = parse_txt(&text);
    let speaking: Vec<&str> = d
        .speakers
        .iter()
        .filter(|s| !s.non_speech)
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(speaking, vec![UNLABELLED_SPEAKER], "{:?}", d.notes);
    assert!(d.confidence.guessed);
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("does not look like an interview")),
        "{:?}",
        d.notes
    );
    // An interview whose labels open most paragraphs is untouched.
    let d =
        parse_txt("Ann: How did it start?\nRosa: In the hall.\nAnn: And then?\nRosa: We grew.\n");
    assert_eq!(d.speakers.len(), 2);
}
