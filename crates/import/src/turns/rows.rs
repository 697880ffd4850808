//! From rows that already say who spoke (a transcript table's rows, whisper
//! segments) to a document. Consecutive rows of one speaker are one turn;
//! each row keeps its own time as a part of the turn, so an excerpt can point
//! at the exact second. The text reads `Name: words`, the label written once
//! per turn and outside the speech.

use super::finish;
use crate::model::Format;
use crate::parsed::{Confidence, CueTime, ParsedDocument, ParsedTurn, Tag};
use std::collections::HashMap;

/// One row of a table or one segment of a recognised recording.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Empty: the previous row's speaker goes on (or nobody is named at all).
    pub speaker: Option<String>,
    pub text: String,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    /// Code names this row is tagged with.
    pub tags: Vec<String>,
}

/// How a speaker's consecutive rows are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// A table row is a paragraph of its own.
    Paragraphs,
    /// Recognised segments are pieces of sentences: joined with a space.
    Sentences,
}

/// Where the rows come from, for the confidence reason ("the table names the
/// speaker of 40 of 40 rows").
pub struct Source {
    pub what: &'static str,
    pub rows: &'static str,
}

/// Builds the document. When no row names a speaker, the rows are read as one
/// unnamed speaker's and the confidence says plainly that this is a guess.
pub fn from_rows(
    format: Format,
    rows: Vec<Row>,
    join: Join,
    mut notes: Vec<String>,
    source: Source,
) -> ParsedDocument {
    let total = rows.len();
    let named = rows.iter().filter(|r| r.speaker.is_some()).count();
    let mut labels: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut text = String::new();
    let mut offset = 0usize;
    let mut turns: Vec<ParsedTurn> = Vec::new();
    let mut tags = Vec::new();
    let mut current: Option<usize> = None;
    let mut last_end: Option<u64> = None;
    for row in rows {
        let speech = crate::text::normalize(row.text.trim());
        let speech = match join {
            Join::Paragraphs => speech,
            Join::Sentences => speech.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        if speech.is_empty() {
            continue;
        }
        let speaker = match &row.speaker {
            Some(label) => {
                let label = crate::text::normalize(label.trim());
                Some(*index.entry(label.to_lowercase()).or_insert_with(|| {
                    labels.push(label.clone());
                    labels.len() - 1
                }))
            }
            None => current,
        };
        let same = !turns.is_empty() && speaker == current;
        let start;
        if same {
            // Recognised speech runs on, but a pause of 3 s starts a paragraph.
            let paused = match (last_end, row.start_ms) {
                (Some(a), Some(b)) => b >= a + 3_000,
                _ => false,
            };
            let sep = match join {
                Join::Sentences if !paused => " ",
                _ => "\n\n",
            };
            text.push_str(sep);
            offset += sep.chars().count();
            start = offset;
        } else {
            if !text.is_empty() {
                text.push_str("\n\n");
                offset += 2;
            }
            let label_start = offset;
            if let Some(s) = speaker {
                let label = format!("{}: ", labels[s]);
                offset += label.chars().count();
                text.push_str(&label);
            }
            start = offset;
            turns.push(ParsedTurn {
                speaker: speaker.unwrap_or(usize::MAX),
                label_start: speaker.map(|_| label_start),
                start,
                end: start,
                start_ms: None,
                end_ms: None,
                cues: Vec::new(),
            });
        }
        current = speaker;
        last_end = row.end_ms.or(row.start_ms).or(last_end);
        let len = speech.chars().count();
        text.push_str(&speech);
        offset += len;
        if let Some(t) = turns.last_mut() {
            t.end = offset;
            if let Some(ms) = row.start_ms {
                t.start_ms = t.start_ms.or(Some(ms));
                t.cues.push(CueTime {
                    at: start,
                    start_ms: ms,
                    end_ms: row.end_ms,
                });
            }
            if row.end_ms.is_some() {
                t.end_ms = row.end_ms;
            }
        }
        if !row.tags.is_empty() {
            tags.push(Tag {
                start,
                end: offset,
                codes: row.tags,
            });
        }
    }
    // Rows before the first named one, and every row when none is named,
    // belong to one speaker nobody named.
    if turns.iter().any(|t| t.speaker == usize::MAX) {
        labels.push(super::UNLABELLED_SPEAKER.into());
        let unnamed = labels.len() - 1;
        for t in &mut turns {
            if t.speaker == usize::MAX {
                t.speaker = unnamed;
            }
        }
    }
    for t in &mut turns {
        // One part's time is the turn's own.
        if t.cues.len() < 2 {
            t.cues.clear();
        }
    }
    let confidence = if named == 0 {
        notes.push(format!(
            "the {} names no speaker: all of it is read as one unnamed speaker's (a guess); assign the turns",
            source.what
        ));
        Confidence {
            score: 25,
            reason: format!(
                "no {} names a speaker: one unnamed speaker proposed (a guess)",
                source.rows.trim_end_matches('s')
            ),
            guessed: true,
        }
    } else {
        let speakers = labels.len();
        let mut score: i32 = if speakers > 1 { 95 } else { 60 };
        if named * 2 < total {
            score -= 20;
        }
        Confidence {
            score: score.clamp(0, 100) as u8,
            reason: format!(
                "the {} names the speaker of {named} of {total} {} ({speakers} speakers)",
                source.what, source.rows
            ),
            guessed: false,
        }
    };
    let mut doc = finish(format, text, labels, turns, notes, confidence);
    doc.tags = tags;
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(speaker: Option<&str>, text: &str, start: Option<u64>, tags: &[&str]) -> Row {
        Row {
            speaker: speaker.map(String::from),
            text: text.into(),
            start_ms: start,
            end_ms: None,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    const TABLE: Source = Source {
        what: "table",
        rows: "rows",
    };

    #[test]
    fn speaker_runs_are_turns_and_rows_keep_their_times() {
        let rows = vec![
            row(
                Some("Ann"),
                "Welcome. How did the choir start?",
                Some(1_000),
                &[],
            ),
            row(
                Some("Rosa"),
                "It started in the church hall.",
                Some(4_000),
                &["Belonging"],
            ),
            row(
                None,
                "We were twelve at first.",
                Some(9_000),
                &["Belonging", "Growth"],
            ),
            row(Some("Rosa"), "Now we are forty.", Some(15_000), &[]),
            row(Some("Ann"), "And what changed for you?", Some(20_000), &[]),
        ];
        let d = from_rows(Format::Csv, rows, Join::Paragraphs, vec![], TABLE);
        let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec!["Ann", "Rosa"]);
        assert_eq!(d.turns.len(), 3);
        let rosa = &d.turns[1];
        let ix = crate::text::CharIndex::new(&d.text);
        assert_eq!(
            ix.slice(rosa.start, rosa.end),
            Some("It started in the church hall.\n\nWe were twelve at first.\n\nNow we are forty.")
        );
        assert_eq!((rosa.start_ms, rosa.end_ms), (Some(4_000), Some(20_000)));
        assert_eq!(rosa.cues.len(), 3);
        assert_eq!(rosa.cues[1].start_ms, 9_000);
        assert_eq!(ix.slice(rosa.cues[1].at, rosa.cues[1].at + 3), Some("We "));
        assert_eq!(d.speakers[0].role, crate::model::Role::Interviewer);
        // Tags sit on their rows' words.
        assert_eq!(d.tags.len(), 2);
        assert_eq!(
            ix.slice(d.tags[1].start, d.tags[1].end),
            Some("We were twelve at first.")
        );
        assert_eq!(d.coverage().speech_percent(), 100);
        assert!(!d.confidence.guessed);
        assert!(
            d.confidence.reason.contains("4 of 5 rows"),
            "{}",
            d.confidence.reason
        );
    }

    #[test]
    fn rows_naming_nobody_are_one_guessed_speaker() {
        let rows = vec![
            row(None, "so we began", Some(0), &[]),
            row(None, "in the  hall", Some(1_500), &[]),
        ];
        let d = from_rows(
            Format::Json,
            rows,
            Join::Sentences,
            vec![],
            Source {
                what: "recognised speech",
                rows: "segments",
            },
        );
        assert_eq!(d.text, "so we began in the hall");
        assert_eq!(d.speakers.len(), 1);
        assert_eq!(d.turns.len(), 1);
        assert_eq!(d.turns[0].cues.len(), 2);
        assert!(d.confidence.guessed);
        assert!(d.confidence.reason.contains("a guess"));
        assert!(d.notes.iter().any(|n| n.contains("a guess")));
    }
}
