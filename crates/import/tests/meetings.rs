//! Transcripts from meeting tools, written here by hand in the shapes Teams,
//! Zoom and Stream produce: speakers, roles, turn count, per-turn times and
//! the share of words in speaker turns.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use storyloom_import::{ParsedDocument, parse};
use storyloom_text::model::Role;

/// A .docx whose paragraphs are `paragraphs`; `\n` inside one is a soft break.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let body: String = paragraphs
        .iter()
        .map(|p| {
            let runs: Vec<String> = p
                .split('\n')
                .map(|part| format!(r#"<w:t xml:space="preserve">{}</w:t>"#, esc(part)))
                .collect();
            format!("<w:p><w:r>{}</w:r></w:p>", runs.join("<w:br/>"))
        })
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", xml.as_bytes()),
    ] {
        w.start_file(name, opts).expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

fn labels(d: &ParsedDocument) -> Vec<&str> {
    d.speakers
        .iter()
        .filter(|s| !s.non_speech)
        .map(|s| s.label.as_str())
        .collect()
}

fn speech(d: &ParsedDocument, turn: usize) -> String {
    let t = &d.turns[turn];
    d.text.chars().skip(t.start).take(t.end - t.start).collect()
}

fn spoken_turns(d: &ParsedDocument) -> Vec<usize> {
    (0..d.turns.len())
        .filter(|&i| !d.speakers[d.turns[i].speaker].non_speech)
        .collect()
}

#[test]
fn teams_docx_name_and_time_headings() {
    // Teams' "Download as .docx": title, date and length, then `Name   0:03`
    // with the words after a soft break; "started transcription" lines.
    let file = docx(&[
        "Choir study interview 4",
        "5 December 2026, 14:02\n23m 10s",
        "Ann Baxter started transcription",
        "Ann Baxter   0:03\nThanks for joining. How did you come to the choir?",
        "Rosa Lind   0:11\nMy neighbour took me along after my husband died. I sat at the back and cried.",
        "Ann Baxter   0:25\nWhat kept you going back?",
        "Rosa Lind   0:29\nThe people. We would walk home together and it gave the week a shape.",
        "Rosa Lind   1:02\nAnd the singing, of course.",
        "Ann Baxter stopped transcription",
    ]);
    let d = parse("interview.docx", &file).expect("parse");
    assert_eq!(labels(&d), vec!["Ann Baxter", "Rosa Lind"], "{}", d.text);
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.speakers[1].role, Role::Participant);
    let spoken = spoken_turns(&d);
    assert_eq!(spoken.len(), 5, "{:?}", d.turns);
    assert_eq!(
        speech(&d, spoken[0]),
        "Thanks for joining. How did you come to the choir?"
    );
    let times: Vec<Option<u64>> = spoken.iter().map(|&i| d.turns[i].start_ms).collect();
    assert_eq!(
        times,
        vec![
            Some(3_000),
            Some(11_000),
            Some(25_000),
            Some(29_000),
            Some(62_000)
        ]
    );
    // The header and the transcription notices are kept, but not as speech.
    assert!(d.coverage().non_speech_words > 0);
    assert_eq!(d.coverage().non_speech_words, 19, "{:?}", d.coverage());
    assert!(!d.confidence.guessed);
    assert!(!speech(&d, spoken[4]).contains("stopped transcription"));
}

#[test]
fn teams_docx_name_line_then_time_line() {
    let file = docx(&[
        "Ann Baxter",
        "0:03",
        "Thanks for joining. How did you come to the choir?",
        "Rosa Lind",
        "0:11",
        "My neighbour took me along after my husband died.",
        "Ann Baxter",
        "0:25",
        "What kept you going back?",
        "Rosa Lind",
        "0:29",
        "The people, really.",
    ]);
    let d = parse("t.docx", &file).expect("parse");
    assert_eq!(labels(&d), vec!["Ann Baxter", "Rosa Lind"]);
    let spoken = spoken_turns(&d);
    assert_eq!(spoken.len(), 4);
    assert_eq!(d.turns[spoken[3]].start_ms, Some(29_000));
    assert_eq!(speech(&d, spoken[3]), "The people, really.");
    assert_eq!(d.coverage().speech_percent(), 100);
}

#[test]
fn stream_docx_cue_then_name_line() {
    // Older Teams/Stream .docx: a cue time, the name alone, then the words.
    let file = docx(&[
        "0:0:0.0 --> 0:0:4.520\nAnn Baxter\nThanks for joining. How did you come to the choir?",
        "0:0:5.100 --> 0:0:12.80\nRosa Lind\nMy neighbour took me along after my husband died.",
        "0:0:13.0 --> 0:0:15.0\nAnn Baxter\nWhat kept you going back?",
        "0:0:15.500 --> 0:0:20.0\nRosa Lind\nThe people, really.",
    ]);
    let d = parse("stream.docx", &file).expect("parse");
    assert_eq!(labels(&d), vec!["Ann Baxter", "Rosa Lind"], "{}", d.text);
    let spoken = spoken_turns(&d);
    assert_eq!(spoken.len(), 4);
    assert_eq!(
        (d.turns[spoken[1]].start_ms, d.turns[spoken[1]].end_ms),
        (Some(5_100), Some(12_800))
    );
    assert_eq!(
        speech(&d, spoken[1]),
        "My neighbour took me along after my husband died."
    );
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert!(!d.confidence.guessed);
}

#[test]
fn teams_vtt_voice_tags_with_cue_ids() {
    let vtt = "WEBVTT\n\n\
        6f1c2a3e-1b2c-4d5e-8f90-123456789abc/12-0\n00:00:03.120 --> 00:00:06.500\n<v Ann Baxter>Thanks for joining.</v>\n\n\
        6f1c2a3e-1b2c-4d5e-8f90-123456789abc/12-1\n00:00:06.500 --> 00:00:08.000\n<v Ann Baxter>How did you come to the choir?</v>\n\n\
        6f1c2a3e-1b2c-4d5e-8f90-123456789abc/20-0\n00:00:09.000 --> 00:00:14.000\n<v Rosa Lind>My neighbour took me along.</v>\n";
    let d = parse("meeting.vtt", vtt.as_bytes()).expect("parse");
    assert_eq!(labels(&d), vec!["Ann Baxter", "Rosa Lind"]);
    assert_eq!(d.turns.len(), 2);
    assert_eq!(d.turns[0].cues.len(), 2);
    assert_eq!(d.turns[0].cues[1].start_ms, 6_500);
    assert_eq!(
        speech(&d, 0),
        "Thanks for joining. How did you come to the choir?"
    );
    assert!(!d.text.contains("6f1c2a3e"));
}

#[test]
fn zoom_vtt_name_prefixes() {
    let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAnn Baxter: Thanks for joining. How did you start?\n\n\
        2\n00:00:04.500 --> 00:00:09.000\nRosa Lind: My neighbour took me along.\n\n\
        3\n00:00:09.500 --> 00:00:12.000\nRosa Lind: I sat at the back.\n\n\
        4\n00:00:12.500 --> 00:00:14.000\nAnn Baxter: And then?\n";
    let d = parse("zoom.vtt", vtt.as_bytes()).expect("parse");
    assert_eq!(labels(&d), vec!["Ann Baxter", "Rosa Lind"]);
    assert_eq!(d.turns.len(), 3);
    assert_eq!(
        speech(&d, 1),
        "My neighbour took me along. I sat at the back."
    );
    assert_eq!(d.turns[1].cues.len(), 2);
    assert_eq!(d.speakers[0].role, Role::Interviewer);
}

#[test]
fn zoom_transcript_docx_with_timestamps_and_names() {
    // Zoom's transcript saved into Word: `[Name] hh:mm:ss` lines then words.
    let file = docx(&[
        "[Ann Baxter] 14:02:03",
        "Thanks for joining. How did you come to the choir?",
        "[Rosa Lind] 14:02:11",
        "My neighbour took me along after my husband died.",
        "[Ann Baxter] 14:02:25",
        "What kept you going back?",
        "[Rosa Lind] 14:02:29",
        "The people, really.",
    ]);
    let d = parse("zoom.docx", &file).expect("parse");
    assert_eq!(labels(&d), vec!["Ann Baxter", "Rosa Lind"], "{}", d.text);
    let spoken = spoken_turns(&d);
    assert_eq!(spoken.len(), 4);
    assert_eq!(
        speech(&d, spoken[1]),
        "My neighbour took me along after my husband died."
    );
    assert_eq!(d.coverage().speech_percent(), 100);
}
