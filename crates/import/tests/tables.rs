//! Transcripts kept as tables (CSV, XLSX) and whisper JSON, through the
//! public `parse`: speakers, roles, turns, per-row times, tags, and the
//! errors that name what was expected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use storyloom_import::{ParsedDocument, parse};
use storyloom_text::model::{Format, Role};

fn slice(d: &ParsedDocument, start: usize, end: usize) -> String {
    d.text.chars().skip(start).take(end - start).collect()
}

const ORAL_HISTORY: &str = "timestamp,speaker,words,tags
00:00:04,Ann,\"Thank you for coming in. Can you tell me where you grew up?\",
00:00:09,Rosa,\"In Leith, by the docks. My father worked the cranes.\",\"Place; Family\"
00:00:31,,\"We had one room and a shared toilet on the landing, and I thought we were rich.\",Family
00:01:02,Ann,What did you do after school?,
00:01:05,Rosa,\"I went into the mill, like everyone, at fifteen.\",Work
";

#[test]
fn oral_history_csv_with_tags() {
    let d = parse("rosa.csv", ORAL_HISTORY.as_bytes()).expect("parse");
    assert_eq!(d.format, Format::Csv);
    let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, vec!["Ann", "Rosa"]);
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.speakers[1].role, Role::Participant);
    assert_eq!(d.turns.len(), 4);
    let rosa = &d.turns[1];
    assert_eq!((rosa.start_ms, rosa.end_ms), (Some(9_000), Some(62_000)));
    assert_eq!(rosa.cues.len(), 2);
    assert_eq!(rosa.cues[1].start_ms, 31_000);
    assert_eq!(
        slice(&d, rosa.cues[1].at, rosa.end),
        "We had one room and a shared toilet on the landing, and I thought we were rich."
    );
    // The tags: one per tagged row, on that row's words only.
    assert_eq!(d.tags.len(), 3);
    assert_eq!(d.tags[0].codes, vec!["Place", "Family"]);
    assert_eq!(
        slice(&d, d.tags[0].start, d.tags[0].end),
        "In Leith, by the docks. My father worked the cranes."
    );
    assert_eq!(d.tags[2].codes, vec!["Work"]);
    // Labels are outside the speech; every word is in a speaker turn.
    assert!(d.text.starts_with("Ann: Thank you"));
    assert_eq!(d.coverage().speech_percent(), 100);
    assert!(d.confidence.score >= 80, "{:?}", d.confidence);
    assert!(
        d.notes.iter().any(|n| n.contains("codes from 'tags'")),
        "{:?}",
        d.notes
    );
}

#[test]
fn semicolon_csv_in_utf16_with_other_names() {
    let text = "Start Time;End Time;Who;Utterance\r\n0:03;0:07;Interviewer;Wie geht es Ihnen?\r\n0:08;0:15;Frau Weber;Gut, danke. Ich singe jeden Dienstag.\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let d = parse("weber.csv", &bytes).expect("parse");
    assert_eq!(d.speakers[0].label, "Interviewer");
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.turns[1].start_ms, Some(8_000));
    assert_eq!(d.turns[1].end_ms, Some(15_000));
    assert!(d.tags.is_empty());
}

#[test]
fn a_csv_without_the_columns_names_them() {
    let e = parse("codes.csv", b"id,colour,definition\n1,red,x\n").expect_err("refused");
    let msg = e.to_string();
    assert!(msg.contains("id, colour, definition"), "{msg}");
    assert!(
        msg.contains("text column") && msg.contains("speaker"),
        "{msg}"
    );
}

/// A workbook whose first sheet holds `rows` (strings inline, numbers as numbers).
fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let reference = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if v.parse::<f64>().is_ok() {
                sheet.push_str(&format!(r#"<c r="{reference}" s="1"><v>{v}</v></c>"#));
            } else if !v.is_empty() {
                sheet.push_str(&format!(
                    r#"<c r="{reference}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    v.replace('&', "&amp;")
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let workbook = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("[Content_Types].xml", "<Types/>"),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", sheet.as_str()),
    ] {
        w.start_file(name, opts).expect("entry");
        w.write_all(data.as_bytes()).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

#[test]
fn xlsx_with_excel_times_and_codes() {
    // Excel keeps 00:00:04 as 4/86400 of a day.
    let book = xlsx(&[
        vec!["In", "Speaker", "Transcript", "Codes"],
        vec![
            "0.0000462962962962963",
            "Ann",
            "How did the choir start?",
            "",
        ],
        vec![
            "0.000104166666666667",
            "Rosa",
            "In the church hall, with twelve of us.",
            "Belonging | Growth",
        ],
        vec!["0.000208333333333333", "Ann", "And now?", ""],
    ]);
    let d = parse("choir.xlsx", &book).expect("parse");
    assert_eq!(d.format, Format::Xlsx);
    assert_eq!(d.turns.len(), 3);
    assert_eq!(d.turns[0].start_ms, Some(4_000));
    assert_eq!(d.turns[1].start_ms, Some(9_000));
    assert_eq!(d.tags[0].codes, vec!["Belonging", "Growth"]);
    assert!(
        d.notes.iter().any(|n| n.contains("Excel times")),
        "{:?}",
        d.notes
    );
    let e = parse("x.xlsx", &xlsx(&[vec!["A", "B"], vec!["1", "2"]])).expect_err("no columns");
    assert!(e.to_string().contains("A, B"), "{e}");
    assert!(parse("x.xlsx", b"PK not a zip").is_err());
}

#[test]
fn whisperx_json_through_parse() {
    let json = br#"{"segments": [
      {"start": 0.0, "end": 2.0, "text": " How did it start?", "speaker": "SPEAKER_00"},
      {"start": 2.5, "end": 6.0, "text": " In the hall, with twelve of us.", "speaker": "SPEAKER_01"},
      {"start": 6.2, "end": 8.0, "text": " Now we are forty.", "speaker": "SPEAKER_01"}]}"#;
    let d = parse("choir.json", json).expect("parse");
    assert_eq!(d.format, Format::Json);
    assert_eq!(d.turns.len(), 2);
    assert_eq!(d.turns[1].cues.len(), 2);
    assert_eq!(d.speakers[0].role, Role::Interviewer);
    assert_eq!(d.coverage().speech_percent(), 100);
}
