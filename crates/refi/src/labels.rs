//! Speaker labels in the plain text of an exported transcript.
//!
//! REFI-QDA has no place for speakers and turns, and a transcript whose
//! speakers came from bold paragraphs, caption voices or corrections has no
//! labels in its text. So the export writes `Label: ` at the start of every
//! turn (the label the project shows), and lists the speakers with their
//! roles in the source's description. Selections are counted in that
//! labelled text ([`LabelledText::to_exported`]), so they still hold exactly
//! the coded characters.
//!
//! On import the listed labels give back the same speakers and turns
//! ([`apply_listed_speakers`]), whatever the plain-text detector would make of
//! them (a speaker who speaks once, a label that is not a plausible name). A
//! file imported back into the project it came from is mapped back to the
//! stored text without labels ([`LabelledText::to_stored`]).
//!
//! Non-speech text before the first turn is written as it is; non-speech text
//! after a turn gets the label `(not speech)`, so it does not join the turn
//! before it.

use storyloom_import::ParsedDocument;
use storyloom_import::parsed::{Confidence, NON_SPEECH_LABEL, ParsedSpeaker, ParsedTurn};
use storyloom_text::model::{Role, Turn};

/// First line of a source description that lists its speakers; one
/// `Label (role)` per line follows.
pub const SPEAKERS_HEADER: &str = "Speakers (each turn begins with its label and a colon):";

/// One place where the exported text differs from the stored text: the
/// stored chars `at .. at + old` became `new` chars at `out` in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    at: usize,
    old: usize,
    out: usize,
    new: usize,
}

/// A stored text with a label at the start of every turn, and the map
/// between positions in both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledText {
    pub text: String,
    edits: Vec<Edit>,
    /// Turns that got a label (inserted or rewritten).
    pub labelled: usize,
}

impl LabelledText {
    /// Did labelling change the text at all?
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }

    /// The exported position of a stored position; `end` for the end of a
    /// range (a label inserted right at it stays outside the range).
    pub fn to_exported(&self, p: usize, end: bool) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            let after = e.at + e.old;
            let before_p = after < p || (after == p && !(end && e.old == 0));
            if before_p {
                shift += e.new as isize - e.old as isize;
            } else if e.at < p {
                // Inside a rewritten label.
                return e.out + (p - e.at).min(e.new);
            } else {
                break;
            }
        }
        (p as isize + shift).max(0) as usize
    }

    /// The stored position of an exported position (a position inside a
    /// written label goes to the turn's speech for a start, before the
    /// label for an end).
    pub fn to_stored(&self, q: usize, end: bool) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            let after = e.out + e.new;
            if after <= q {
                shift += e.old as isize - e.new as isize;
            } else if e.out < q || (e.out == q && !end) {
                return if end { e.at } else { e.at + e.old };
            } else {
                break;
            }
        }
        (q as isize + shift).max(0) as usize
    }
}

/// The label a turn is written with, or `None` for non-speech text before
/// the first turn of speech.
fn label_of(t: &Turn, after_speech: bool) -> Option<&str> {
    if t.non_speech {
        after_speech.then_some(NON_SPEECH_LABEL)
    } else {
        Some(t.speaker.as_str())
    }
}

/// Is `region` (the text between a turn's label start and its speech)
/// already `label:` followed by whitespace only?
fn holds_label(region: &str, label: &str) -> bool {
    region
        .strip_prefix(label)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|r| !r.is_empty() && r.chars().all(char::is_whitespace) && !r.contains('\n'))
}

/// `text` with `Label: ` at the start of every turn, on a line of its own
/// start. A label already there in that form is kept; another form (a
/// timestamped line, a Markdown label, a renamed speaker) is rewritten.
pub fn label_turns(text: &str, turns: &[Turn]) -> LabelledText {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |c: usize| chars.get(c).map_or(text.len(), |(b, _)| *b);
    let mut sorted: Vec<&Turn> = turns.iter().filter(|t| t.start < t.end).collect();
    sorted.sort_by_key(|t| t.start);
    let mut out = String::with_capacity(text.len() + turns.len() * 12);
    let mut out_chars = 0usize;
    let mut cursor = 0usize; // stored chars copied so far
    let mut edits = Vec::new();
    let mut after_speech = false;
    let mut labelled = 0;
    for t in sorted {
        let Some(label) = label_of(t, after_speech) else {
            continue;
        };
        after_speech |= !t.non_speech;
        let start = t.start.min(n);
        let region_start = t.label_start.unwrap_or(start).min(start).max(cursor);
        if region_start > start {
            continue;
        }
        let region = &text[byte_at(region_start)..byte_at(start)];
        let line_start = region_start == 0 || chars[region_start - 1].1 == '\n';
        if line_start && holds_label(region, label) {
            continue;
        }
        // Copy up to the region, then write the label in its place.
        let copied = &text[byte_at(cursor)..byte_at(region_start)];
        out.push_str(copied);
        out_chars += region_start - cursor;
        let written = if line_start {
            format!("{label}: ")
        } else {
            format!("\n{label}: ")
        };
        let new = written.chars().count();
        edits.push(Edit {
            at: region_start,
            old: start - region_start,
            out: out_chars,
            new,
        });
        out.push_str(&written);
        out_chars += new;
        cursor = start;
        labelled += 1;
    }
    out.push_str(&text[byte_at(cursor)..]);
    LabelledText {
        text: out,
        edits,
        labelled,
    }
}

/// The source description that lists a document's speakers with their
/// roles, in the order they first speak; empty when it has no turns.
pub fn speakers_description(turns: &[Turn]) -> String {
    let mut seen: Vec<(&str, Role)> = Vec::new();
    for t in turns.iter().filter(|t| !t.non_speech) {
        if !seen.iter().any(|(l, _)| *l == t.speaker) {
            seen.push((&t.speaker, t.role));
        }
    }
    if seen.is_empty() {
        return String::new();
    }
    let mut d = String::from(SPEAKERS_HEADER);
    for (label, role) in seen {
        d.push('\n');
        d.push_str(&format!("{label} ({})", role.as_str()));
    }
    d
}

/// The speakers a description lists, or `None` when it lists none.
pub fn listed_speakers(description: &str) -> Option<Vec<(String, Role)>> {
    let mut lines = description.lines().map(str::trim);
    lines.find(|l| *l == SPEAKERS_HEADER)?;
    let mut out = Vec::new();
    for l in lines {
        let Some((label, role)) = l
            .strip_suffix(')')
            .and_then(|l| l.rsplit_once(" ("))
            .and_then(|(label, r)| Role::parse(r).map(|r| (label, r)))
        else {
            break;
        };
        if !label.trim().is_empty() && !out.iter().any(|(x, _): &(String, Role)| x == label) {
            out.push((label.to_owned(), role));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Replaces the detected speakers and turns of `parsed` with those the
/// listed labels give: a line that starts with `Label:` starts a turn of
/// that speaker, running to the next such line. Text before the first is
/// non-speech, a paragraph a turn, as the importer makes it. Returns false
/// (and leaves `parsed` alone) when no listed label opens a line.
pub fn apply_listed_speakers(parsed: &mut ParsedDocument, listed: &[(String, Role)]) -> bool {
    let text = &parsed.text;
    // Longest first, so `Ann Baxter` wins over `Ann`.
    let mut labels: Vec<(usize, &str)> = listed
        .iter()
        .enumerate()
        .map(|(i, (l, _))| (i, l.as_str()))
        .collect();
    labels.push((listed.len(), NON_SPEECH_LABEL));
    labels.sort_by_key(|(_, l)| std::cmp::Reverse(l.len()));
    // (speaker, label start, speech start) in chars.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let mut at = 0usize; // chars
    let mut byte = 0usize;
    for line in text.split_inclusive('\n') {
        let hit = labels.iter().find_map(|(i, l)| {
            let rest = line.strip_prefix(l)?.strip_prefix(':')?;
            let gap = rest.chars().take_while(|c| *c == ' ' || *c == '\t').count();
            let speech = &rest[gap..];
            (gap > 0 && !speech.trim().is_empty()).then(|| (*i, at + l.chars().count() + 1 + gap))
        });
        if let Some((i, speech)) = hit {
            found.push((i, at, speech));
        }
        at += line.chars().count();
        byte += line.len();
    }
    debug_assert_eq!(byte, text.len());
    if !found.iter().any(|(i, _, _)| *i < listed.len()) {
        return false;
    }
    let total = at;
    let chars: Vec<char> = text.chars().collect();
    let trim_end = |mut e: usize, s: usize| {
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        e
    };
    let non_speech = listed.len();
    let mut turns: Vec<ParsedTurn> = Vec::new();
    let turn = |speaker, label_start, start, end| ParsedTurn {
        speaker,
        label_start,
        start,
        end,
        start_ms: None,
        end_ms: None,
        cues: Vec::new(),
    };
    // Non-speech text before the first label: a turn per paragraph.
    let first = found.first().map_or(total, |f| f.1);
    let mut para: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < first {
        let line_end = (i..first).find(|&k| chars[k] == '\n').unwrap_or(first);
        let body_start = (i..line_end)
            .find(|&k| !chars[k].is_whitespace())
            .unwrap_or(line_end);
        if body_start == line_end {
            if let Some((s, e)) = para.take() {
                turns.push(turn(non_speech, None, s, e));
            }
        } else {
            let e = trim_end(line_end, body_start);
            para = Some((para.map_or(body_start, |(s, _)| s), e));
        }
        i = line_end + 1;
    }
    if let Some((s, e)) = para {
        turns.push(turn(non_speech, None, s, e));
    }
    for (k, &(speaker, label_start, start)) in found.iter().enumerate() {
        let next = found.get(k + 1).map_or(total, |f| f.1);
        let end = trim_end(next, start);
        if end > start {
            turns.push(turn(speaker, Some(label_start), start, end));
        }
    }
    // Speakers that have turns, in the listed order; non-speech last.
    let mut index: Vec<Option<usize>> = vec![None; listed.len() + 1];
    let mut speakers: Vec<ParsedSpeaker> = Vec::new();
    for (i, (label, role)) in listed.iter().enumerate() {
        if turns.iter().any(|t| t.speaker == i) {
            index[i] = Some(speakers.len());
            speakers.push(ParsedSpeaker {
                label: label.clone(),
                role: *role,
                non_speech: false,
            });
        }
    }
    if turns.iter().any(|t| t.speaker == non_speech) {
        index[non_speech] = Some(speakers.len());
        speakers.push(ParsedSpeaker {
            label: NON_SPEECH_LABEL.into(),
            role: Role::Other,
            non_speech: true,
        });
    }
    for t in &mut turns {
        t.speaker = index[t.speaker].unwrap_or(0);
    }
    let speech = turns
        .iter()
        .filter(|t| !speakers[t.speaker].non_speech)
        .count();
    parsed.notes.push(format!(
        "speakers from the labels the exporting Storyloom listed: {} speakers, {speech} turns",
        speakers.iter().filter(|s| !s.non_speech).count()
    ));
    parsed.confidence = Confidence {
        score: 95,
        reason: format!(
            "labels written by Storyloom's REFI-QDA export on {speech} turns, the speakers listed in the source's description"
        ),
        guessed: false,
    };
    parsed.speakers = speakers;
    parsed.turns = turns;
    true
}

#[cfg(test)]
mod tests;
