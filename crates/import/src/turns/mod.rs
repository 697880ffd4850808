//! From lines or cues to speakers and turns, the same way for every format.
//!
//! The document's convention is chosen by counting which recogniser opens the
//! most turns with recurring labels ([`detect`]); then lines are walked once.
//! Unlabelled lines continue the previous speaker; an annotation line
//! (`Observer:`), a heading or a stage direction interrupts the turn and the
//! speaker resumes after it. Whatever no speaker said (a date header, a key
//! block, a consent paragraph, those annotations) becomes a non-speech turn
//! ([`nonspeech`]), so every word has a place.

pub mod detect;
pub mod labels;
pub mod nonspeech;
pub mod propose;
pub mod roles;
pub mod rows;
pub mod timed;

use crate::captions::Cue;
use crate::model::{Format, Role};
use crate::parsed::{
    Confidence, Line, NON_SPEECH_LABEL, ParsedDocument, ParsedSpeaker, ParsedTurn,
};
use labels::Hit;
use roles::SpeakerStats;
use std::collections::HashMap;

pub use detect::UNLABELLED_SPEAKER;

/// Builds a document from lines (text, Markdown, docx, odt).
pub fn from_lines(format: Format, lines: Vec<Line>, mut notes: Vec<String>) -> ParsedDocument {
    // Zoom's web view puts a `user avatar` line before each name: page furniture, dropped.
    let lines: Vec<Line> = split_soft_breaks(lines)
        .into_iter()
        .filter(|l| !l.text.trim().eq_ignore_ascii_case("user avatar"))
        .collect();
    let detection = detect::detect(&lines, &mut notes);
    let mut builder = Builder::default();
    // The speaker an annotation line interrupted: unlabelled lines after it are theirs.
    let mut resume: Option<usize> = None;
    let mut offset = 0usize; // chars
    let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    // (speaker, hit, label char start, label line): the speech starts on a later line.
    let mut pending_otter: Option<(usize, Hit, usize, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
            offset += 1;
        }
        text.push_str(&line.text);
        let len = line.text.chars().count();
        let trimmed_end = offset + line.text.trim_end().chars().count();
        let to_chars = |b: usize| offset + line.text[..b].chars().count();
        match detection.hits.get(&i) {
            Some((speaker, hit)) => {
                let merge = detection.timed.get(&i).is_some_and(|t| t.merge);
                if !(merge && builder.current_speaker() == Some(*speaker)) {
                    builder.close();
                }
                resume = None;
                // A label alone on its line: the speech starts on the next one.
                let speech_start = hit
                    .speech_start
                    .filter(|s| !line.text[*s..].trim().is_empty());
                match speech_start {
                    Some(s) => builder.open(
                        *speaker,
                        Some(to_chars(hit.label_start)),
                        to_chars(s),
                        trimmed_end,
                        hit.start_ms,
                    ),
                    None => {
                        pending_otter = Some((*speaker, hit.clone(), to_chars(hit.label_start), i))
                    }
                }
            }
            // Otter's export footer is not speech: it ends the last turn.
            None if is_export_footer(&line.text) => {
                builder.close();
                resume = None;
            }
            // Stream: the name alone after the cue time is label, not speech.
            None if pending_otter.as_ref().is_some_and(|p| {
                detection.timed.get(&p.3).is_some_and(|t| t.name_line)
                    && line.text.trim() == p.1.label
            }) => {}
            // Zoom: the clock line after the name is label, not speech.
            None if pending_otter
                .as_ref()
                .is_some_and(|p| detection.timed.get(&p.3).is_some_and(|t| t.clock_line))
                && timed::is_clock_line(&line.text) => {}
            None if nonspeech::is_non_speech_line(&line.text) => {
                resume = builder.current_speaker().or(resume);
                builder.close();
            }
            None if !line.text.trim().is_empty() => {
                let lead = line.text.len() - line.text.trim_start().len();
                let start = to_chars(lead);
                if let Some((speaker, hit, label_start, at)) = pending_otter.take() {
                    let t = detection.timed.get(&at).copied().unwrap_or_default();
                    // `Name: words` after a cue time: the name is label.
                    let start = match labels::colon(&line.text).and_then(|h| h.speech_start) {
                        Some(s) if t.name_prefix => to_chars(s),
                        _ => start,
                    };
                    if t.merge && builder.current_speaker() == Some(speaker) {
                        builder.extend(trimmed_end);
                    } else {
                        builder.open(speaker, Some(label_start), start, trimmed_end, hit.start_ms);
                    }
                    if let Some(a) = hit.start_ms {
                        builder.add_cue(start, a, t.end_ms);
                    }
                } else if let Some(speaker) = detection.paragraph_speaker(i, line) {
                    if builder.current_speaker() != Some(speaker) {
                        builder.close();
                        builder.open(speaker, None, start, trimmed_end, None);
                    } else {
                        builder.extend(trimmed_end);
                    }
                } else if detection.monologue {
                    if builder.current_speaker().is_none() {
                        builder.open(0, None, start, trimmed_end, None);
                    } else {
                        builder.extend(trimmed_end);
                    }
                } else if builder.current_speaker().is_none()
                    && let Some(speaker) = resume.take()
                {
                    builder.open(speaker, None, start, trimmed_end, None);
                } else {
                    builder.extend(trimmed_end);
                }
            }
            None => {}
        }
        offset += len;
    }
    builder.close();
    finish(
        format,
        text,
        detection.speakers,
        builder.turns,
        notes,
        detection.confidence,
    )
}

/// Normalises each line and splits soft breaks (`\n` inside a paragraph)
/// into lines of their own, so a label after a soft break is still seen.
fn split_soft_breaks(lines: Vec<Line>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let text = crate::text::normalize(&l.text);
        let mut bold_left = l.bold_prefix_chars;
        for part in text.split('\n') {
            let len = part.chars().count();
            let bold = if l.all_bold { len } else { bold_left.min(len) };
            bold_left = bold_left.saturating_sub(len + 1);
            out.push(Line {
                text: part.to_owned(),
                bold_prefix_chars: bold,
                all_bold: l.all_bold,
            });
        }
    }
    out
}

/// Builds a document from caption cues: consecutive cues of one speaker merge
/// into one turn that keeps the first start and the last end time. The text
/// reads `Name: speech`, one paragraph per turn.
pub fn from_cues(format: Format, cues: Vec<Cue>, notes: Vec<String>) -> ParsedDocument {
    let mut speakers: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(Option<usize>, Vec<Cue>)> = Vec::new();
    let mut last_speaker: Option<usize> = None;
    for cue in cues {
        let speaker = match &cue.speaker {
            Some(label) => {
                let label = label.trim().to_owned();
                let id = *index.entry(label.to_lowercase()).or_insert_with(|| {
                    speakers.push(label.clone());
                    speakers.len() - 1
                });
                Some(id)
            }
            None => last_speaker,
        };
        last_speaker = speaker;
        match groups.last_mut() {
            Some((s, g)) if *s == speaker && speaker.is_some() => g.push(cue),
            // Unlabelled cues merge too, but a pause of 3 s or more starts a new paragraph.
            Some((None, g))
                if speaker.is_none()
                    && g.last().is_some_and(|c| cue.start_ms < c.end_ms + 3000) =>
            {
                g.push(cue)
            }
            _ => groups.push((speaker, vec![cue])),
        }
    }
    let unlabelled = groups.iter().any(|(s, _)| s.is_none());
    if unlabelled {
        speakers.push(UNLABELLED_SPEAKER.to_owned());
    }
    let unlabelled_id = speakers.len().saturating_sub(1);
    let mut text = String::new();
    let mut offset = 0;
    let mut turns = Vec::new();
    for (speaker, group) in groups {
        if !text.is_empty() {
            text.push_str("\n\n");
            offset += 2;
        }
        let label_start = offset;
        if let Some(s) = speaker {
            let label = format!("{}: ", speakers[s]);
            offset += label.chars().count();
            text.push_str(&label);
        }
        let start = offset;
        // Each cue's time, at the char where its words start in the merged speech.
        let mut cues = Vec::with_capacity(group.len());
        let mut at = start;
        for c in &group {
            cues.push(crate::parsed::CueTime {
                at,
                start_ms: c.start_ms,
                end_ms: Some(c.end_ms),
            });
            at += c.text.chars().count() + 1;
        }
        if cues.len() < 2 {
            cues.clear();
        }
        let speech: Vec<&str> = group.iter().map(|c| c.text.as_str()).collect();
        let speech = crate::text::normalize(&speech.join(" "));
        offset += speech.chars().count();
        text.push_str(&speech);
        turns.push(ParsedTurn {
            speaker: speaker.unwrap_or(unlabelled_id),
            label_start: speaker.map(|_| label_start),
            start,
            end: offset,
            start_ms: group.first().map(|c| c.start_ms),
            end_ms: group.last().map(|c| c.end_ms),
            cues,
        });
    }
    let confidence = if unlabelled {
        Confidence {
            score: if speakers.len() > 1 { 50 } else { 30 },
            reason: "some cues name no speaker: they are read as one unnamed speaker's (a guess)"
                .into(),
            guessed: true,
        }
    } else {
        Confidence {
            score: if speakers.len() > 1 { 95 } else { 60 },
            reason: format!("every cue names its speaker ({} speakers)", speakers.len()),
            guessed: false,
        }
    };
    finish(format, text, speakers, turns, notes, confidence)
}

/// Guesses roles, keeps the rest of the text as non-speech turns, finds
/// marks and assembles the document.
fn finish(
    format: Format,
    text: String,
    speaker_labels: Vec<String>,
    turns: Vec<ParsedTurn>,
    mut notes: Vec<String>,
    mut confidence: Confidence,
) -> ParsedDocument {
    let ix = crate::text::CharIndex::new(&text);
    let mut stats = vec![SpeakerStats::default(); speaker_labels.len()];
    for t in &turns {
        stats[t.speaker].add_turn(ix.slice(t.start, t.end).unwrap_or(""));
    }
    if let Some(first) = turns.first() {
        stats[first.speaker].opens = true;
    }
    if let Some(last) = turns.last() {
        stats[last.speaker].closes = true;
    }
    let guess = roles::guess(&speaker_labels, &stats);
    if !guess.reason.is_empty() {
        confidence.reason = format!("{}; {}", confidence.reason, guess.reason);
        if guess.weak {
            confidence.score = confidence.score.saturating_sub(25);
            notes.push(format!("roles are a weak guess: {}", guess.reason));
        }
    }
    // A speaker that never got a turn (a key entry nobody used) is dropped.
    let used: Vec<bool> = stats.iter().map(|s| s.turns > 0).collect();
    let mut remap = vec![usize::MAX; speaker_labels.len()];
    let mut speakers = Vec::new();
    for (i, (label, role)) in speaker_labels.into_iter().zip(guess.roles).enumerate() {
        if used[i] {
            remap[i] = speakers.len();
            speakers.push(ParsedSpeaker {
                label,
                role,
                non_speech: false,
            });
        }
    }
    let mut turns = turns;
    for t in &mut turns {
        t.speaker = remap[t.speaker];
    }
    // A turn lasts until the next one starts, when the file gives only start times.
    for i in 0..turns.len() {
        if turns[i].end_ms.is_none() && turns[i].start_ms.is_some() {
            turns[i].end_ms = turns.get(i + 1).and_then(|n| n.start_ms);
        }
    }
    let speech_turns = turns.len();
    let turns = nonspeech::fill_gaps(&ix, turns, speakers.len());
    if turns.len() > speech_turns {
        speakers.push(ParsedSpeaker {
            label: NON_SPEECH_LABEL.into(),
            role: Role::Other,
            non_speech: true,
        });
    }
    let marks = crate::marks::find(&text);
    ParsedDocument {
        format,
        text,
        speakers,
        turns,
        marks,
        notes,
        confidence,
        tags: Vec::new(),
    }
}

/// Accumulates turns while lines are walked.
#[derive(Default)]
struct Builder {
    turns: Vec<ParsedTurn>,
    open: Option<ParsedTurn>,
}

impl Builder {
    fn open(
        &mut self,
        speaker: usize,
        label_start: Option<usize>,
        start: usize,
        end: usize,
        start_ms: Option<u64>,
    ) {
        self.close();
        self.open = Some(ParsedTurn {
            speaker,
            label_start,
            start,
            end: end.max(start),
            start_ms,
            end_ms: None,
            cues: Vec::new(),
        });
    }

    fn extend(&mut self, end: usize) {
        if let Some(t) = &mut self.open {
            t.end = t.end.max(end);
        }
    }

    /// Records one cue's time on the open turn; the turn ends when its last cue does.
    fn add_cue(&mut self, at: usize, start_ms: u64, end_ms: Option<u64>) {
        if let Some(t) = &mut self.open {
            t.cues.push(crate::parsed::CueTime {
                at,
                start_ms,
                end_ms,
            });
            t.end_ms = end_ms.or(t.end_ms);
        }
    }

    fn current_speaker(&self) -> Option<usize> {
        self.open.as_ref().map(|t| t.speaker)
    }

    fn close(&mut self) {
        if let Some(mut t) = self.open.take()
            && t.end > t.start
        {
            // One part's time is the turn's own.
            if t.cues.len() < 2 {
                t.cues.clear();
            }
            self.turns.push(t);
        }
    }
}

/// `Transcribed by https://otter.ai`, which Otter appends to every export.
fn is_export_footer(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l.starts_with("transcribed by") && l.contains("otter.ai")
}

#[cfg(test)]
mod tests;
