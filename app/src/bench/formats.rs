//! The synthetic interview written out in every import format, so parse
//! throughput can be measured per format on the same words: turns of the
//! parsed `.txt` become VTT/SRT cues, CSV and XLSX rows, whisper segments.

use anyhow::Result;
use std::io::Write;
use storyloom_project::import::ParsedDocument;

/// One speaker turn: label, speech, start in seconds.
struct Turn {
    label: String,
    speech: String,
    start: u64,
}

fn turns(doc: &ParsedDocument) -> Vec<Turn> {
    let ix = storyloom_project::text::CharIndex::new(&doc.text);
    doc.turns
        .iter()
        .filter(|t| !doc.speakers[t.speaker].non_speech)
        .enumerate()
        .map(|(i, t)| Turn {
            label: doc.speakers[t.speaker].label.clone(),
            speech: ix
                .slice(t.start, t.end)
                .unwrap_or("")
                .replace('\n', " ")
                .trim()
                .to_owned(),
            start: i as u64 * 7,
        })
        .collect()
}

fn clock(s: u64, sep: char) -> String {
    format!("{:02}:{:02}:{:02}{sep}000", s / 3600, s / 60 % 60, s % 60)
}

/// `(file name, bytes)` for each format besides txt and docx.
pub fn all(doc: &ParsedDocument, txt: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let turns = turns(doc);
    let mut vtt = String::from("WEBVTT\n\n");
    let mut srt = String::new();
    for (i, t) in turns.iter().enumerate() {
        let (a, b) = (t.start, t.start + 6);
        vtt.push_str(&format!(
            "{} --> {}\n<v {}>{}</v>\n\n",
            clock(a, '.'),
            clock(b, '.'),
            t.label,
            t.speech
        ));
        srt.push_str(&format!(
            "{}\n{} --> {}\n{}: {}\n\n",
            i + 1,
            clock(a, ','),
            clock(b, ','),
            t.label,
            t.speech
        ));
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["timestamp", "speaker", "words", "tags"])?;
    for (i, t) in turns.iter().enumerate() {
        let tag = if i % 5 == 0 { "Belonging" } else { "" };
        csv.write_record([clock(t.start, '.').as_str(), &t.label, &t.speech, tag])?;
    }
    let csv = csv.into_inner()?;
    let segments: Vec<serde_json::Value> = turns
        .iter()
        .map(|t| {
            serde_json::json!({"start": t.start as f64, "end": t.start as f64 + 6.0,
                "text": format!(" {}", t.speech), "speaker": t.label})
        })
        .collect();
    let json = serde_json::to_vec(&serde_json::json!({ "segments": segments }))?;
    Ok(vec![
        ("bench.md".into(), txt.as_bytes().to_vec()),
        ("bench.vtt".into(), vtt.into_bytes()),
        ("bench.srt".into(), srt.into_bytes()),
        ("bench.csv".into(), csv),
        ("bench.xlsx".into(), xlsx(&turns)?),
        ("bench.json".into(), json),
    ])
}

/// A workbook of the turns, strings inline.
fn xlsx(turns: &[Turn]) -> Result<Vec<u8>> {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let cell = |r: usize, c: char, v: &str| {
        format!(
            r#"<c r="{c}{r}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
            esc(v)
        )
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#,
    );
    sheet.push_str(&cell(1, 'A', "Start"));
    sheet.push_str(&cell(1, 'B', "Speaker"));
    sheet.push_str(&cell(1, 'C', "Text"));
    sheet.push_str("</row>");
    for (i, t) in turns.iter().enumerate() {
        let r = i + 2;
        sheet.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}"><v>{}</v></c>{}{}</row>"#,
            t.start as f64 / 86_400.0,
            cell(r, 'B', &t.label),
            cell(r, 'C', &t.speech)
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("[Content_Types].xml", "<Types/>"),
        (
            "xl/workbook.xml",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="T" sheetId="1"/></sheets></workbook>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet.as_str()),
    ] {
        w.start_file(name, opts)?;
        w.write_all(data.as_bytes())?;
    }
    Ok(w.finish()?.into_inner())
}
