//! Speech recognised by whisper, WhisperX or whisper.cpp, saved as JSON:
//! timed segments (`start`, `end` in seconds, `text`), with a `speaker` per
//! segment and per word when WhisperX diarised the recording. A segment whose
//! words change speaker is split where they do; a segment without a speaker
//! takes its words' speaker, else the previous one. When nothing names a
//! speaker, everything is one unnamed speaker's, said to be a guess.

use crate::ParsedDocument;
use crate::error::ImportError;
use crate::model::Format;
use crate::turns::rows::{self, Join, Row, Source};
use serde_json::Value;

/// Parses the JSON text of a whisper-family transcript.
pub fn parse(text: &str, mut notes: Vec<String>) -> Result<ParsedDocument, ImportError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ImportError::Json(format!("the JSON does not parse ({e})")))?;
    let rows = if let Some(list) = value.get("transcription").and_then(Value::as_array) {
        notes.push("read as whisper.cpp output".into());
        cpp_rows(list)
    } else {
        let segments = value
            .get("segments")
            .and_then(Value::as_array)
            .or_else(|| value.as_array())
            .ok_or_else(|| {
                ImportError::Json(
                    "no 'segments' list (each with start, end and text) was found".into(),
                )
            })?;
        let mut out = Vec::new();
        for s in segments {
            segment_rows(s, &mut out);
        }
        out
    };
    if rows.is_empty() {
        return Err(ImportError::Json(
            "no segment has both a start time and text".into(),
        ));
    }
    if let Some(lang) = value.get("language").and_then(Value::as_str) {
        notes.push(format!("recognised language: {lang}"));
    }
    Ok(rows::from_rows(
        Format::Json,
        rows,
        Join::Sentences,
        notes,
        Source {
            what: "recognised speech",
            rows: "segments",
        },
    ))
}

fn seconds(v: Option<&Value>) -> Option<u64> {
    let s = v?.as_f64()?;
    (s.is_finite() && s >= 0.0).then(|| (s * 1000.0).round() as u64)
}

fn speaker(v: &Value) -> Option<String> {
    let s = v.get("speaker")?;
    let s = match s {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => format!("Speaker {n}"),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// One segment as rows: one, or one per run of a speaker among its words.
fn segment_rows(segment: &Value, out: &mut Vec<Row>) {
    let text = segment
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_owned();
    let start = seconds(segment.get("start"));
    let end = seconds(segment.get("end"));
    let words: Vec<&Value> = segment
        .get("words")
        .and_then(Value::as_array)
        .map(|w| w.iter().collect())
        .unwrap_or_default();
    let word_speakers: Vec<Option<String>> = words.iter().map(|w| speaker(w)).collect();
    let mut distinct: Vec<&String> = word_speakers.iter().flatten().collect();
    distinct.dedup();
    if distinct.len() > 1 {
        // The words change speaker inside the segment: split there.
        let spaced = text.contains(' ');
        let mut current: Option<Row> = None;
        let mut last_speaker: Option<String> = None;
        for (w, who) in words.iter().zip(word_speakers) {
            let word = w.get("word").and_then(Value::as_str).unwrap_or("");
            let who = who.or_else(|| last_speaker.clone());
            if current.as_ref().is_some_and(|r| r.speaker != who) {
                out.extend(current.take());
            }
            let row = current.get_or_insert_with(|| Row {
                speaker: who.clone(),
                start_ms: seconds(w.get("start")).or(start),
                ..Row::default()
            });
            if spaced && !row.text.is_empty() && !word.starts_with(char::is_whitespace) {
                row.text.push(' ');
            }
            row.text.push_str(word);
            row.end_ms = seconds(w.get("end")).or(row.end_ms);
            last_speaker = who;
        }
        out.extend(current);
        return;
    }
    if text.is_empty() {
        return;
    }
    out.push(Row {
        speaker: speaker(segment).or_else(|| distinct.first().map(|s| (*s).clone())),
        text,
        start_ms: start.or_else(|| words.first().and_then(|w| seconds(w.get("start")))),
        end_ms: end,
        tags: Vec::new(),
    });
}

/// whisper.cpp: `transcription` items with `offsets` in milliseconds.
fn cpp_rows(list: &[Value]) -> Vec<Row> {
    list.iter()
        .filter_map(|item| {
            let text = item.get("text")?.as_str()?.trim().to_owned();
            let offsets = item.get("offsets");
            let ms = |k: &str| offsets.and_then(|o| o.get(k)).and_then(Value::as_u64);
            (!text.is_empty()).then(|| Row {
                speaker: speaker(item),
                text,
                start_ms: ms("from"),
                end_ms: ms("to"),
                tags: Vec::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[test]
    fn whisperx_speakers_segments_and_words() {
        let json = r#"{"segments": [
          {"start": 0.5, "end": 3.0, "text": " Welcome. How did the choir start?", "speaker": "SPEAKER_00",
           "words": [{"word": "Welcome.", "start": 0.5, "end": 1.0, "speaker": "SPEAKER_00"}]},
          {"start": 3.2, "end": 6.0, "text": " It started in the hall.", "speaker": "SPEAKER_01"},
          {"start": 6.1, "end": 8.0, "text": " We were twelve.",
           "words": [{"word": "We", "start": 6.1, "speaker": "SPEAKER_01"}, {"word": "were", "start": 6.4}, {"word": "twelve.", "start": 6.8}]},
          {"start": 8.5, "end": 11.0, "text": " Twelve? And now? Now forty.",
           "words": [{"word": "Twelve?", "start": 8.5, "end": 9.0, "speaker": "SPEAKER_00"},
                     {"word": "And", "start": 9.1, "speaker": "SPEAKER_00"},
                     {"word": "now?", "start": 9.3, "end": 9.8, "speaker": "SPEAKER_00"},
                     {"word": "Now", "start": 10.0, "speaker": "SPEAKER_01"},
                     {"word": "forty.", "start": 10.4, "end": 11.0, "speaker": "SPEAKER_01"}]}
        ], "language": "en"}"#;
        let d = parse(json, vec![]).expect("parse");
        let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec!["SPEAKER_00", "SPEAKER_01"]);
        assert_eq!(d.speakers[0].role, Role::Interviewer);
        assert_eq!(d.turns.len(), 4, "{}", d.text);
        let ix = crate::text::CharIndex::new(&d.text);
        let t1 = &d.turns[1];
        assert_eq!(
            ix.slice(t1.start, t1.end),
            Some("It started in the hall. We were twelve.")
        );
        assert_eq!((t1.start_ms, t1.end_ms), (Some(3_200), Some(8_000)));
        assert_eq!(
            t1.cues.iter().map(|c| c.start_ms).collect::<Vec<_>>(),
            vec![3_200, 6_100]
        );
        let t2 = &d.turns[2];
        assert_eq!(ix.slice(t2.start, t2.end), Some("Twelve? And now?"));
        assert_eq!(d.turns[3].start_ms, Some(10_000));
        assert!(!d.confidence.guessed);
        assert!(d.notes.iter().any(|n| n.contains("language: en")));
    }

    #[test]
    fn plain_whisper_names_nobody_and_says_so() {
        let json = r#"{"text": "x", "segments": [
          {"id": 0, "start": 0.0, "end": 2.0, "text": " So how did it start?"},
          {"id": 1, "start": 2.0, "end": 5.0, "text": " In the hall."},
          {"id": 2, "start": 9.0, "end": 12.0, "text": " Later it grew."}]}"#;
        let d = parse(json, vec![]).expect("parse");
        assert_eq!(d.speakers.len(), 1);
        assert!(d.confidence.guessed);
        assert!(d.confidence.reason.contains("a guess"));
        // The four-second pause starts a paragraph.
        assert_eq!(
            d.text,
            "So how did it start? In the hall.\n\nLater it grew."
        );
        assert_eq!(d.turns[0].cues.len(), 3);
    }

    #[test]
    fn whisper_cpp_and_errors() {
        let json = r#"{"transcription": [{"timestamps": {"from": "00:00:00,000"}, "offsets": {"from": 0, "to": 2500}, "text": " Hello there."},
            {"offsets": {"from": 2500, "to": 4000}, "text": " Hi."}]}"#;
        let d = parse(json, vec![]).expect("parse");
        assert_eq!(d.text, "Hello there. Hi.");
        assert_eq!(d.turns[0].end_ms, Some(4_000));
        let e = parse(r#"{"results": []}"#, vec![]).expect_err("no segments");
        assert!(e.to_string().contains("segments"), "{e}");
        assert!(parse("{not json", vec![]).is_err());
        assert!(parse(r#"{"segments": [{"start": 1}]}"#, vec![]).is_err());
    }
}
