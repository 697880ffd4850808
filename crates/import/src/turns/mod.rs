//! From lines or cues to speakers and turns, the same way for every format.
//!
//! The document's convention is chosen by counting which recogniser opens the
//! most turns with recurring labels; then lines are walked once. Unlabelled
//! lines continue the previous speaker; lines before the first label (a date
//! header, a key block) belong to no turn.

pub mod labels;
pub mod roles;

use crate::captions::Cue;
use crate::model::{Format, Role};
use crate::parsed::{Line, ParsedDocument, ParsedSpeaker, ParsedTurn};
use labels::{Convention, Hit};
use roles::SpeakerStats;
use std::collections::HashMap;

/// Label used when a file has no speaker labels at all.
pub const UNLABELLED_SPEAKER: &str = "Speaker";

/// Builds a document from lines (text, Markdown, docx, odt).
pub fn from_lines(format: Format, lines: Vec<Line>, mut notes: Vec<String>) -> ParsedDocument {
    let lines = split_soft_breaks(lines);
    let detection = detect(&lines, &mut notes);
    let mut builder = Builder::default();
    let mut offset = 0usize; // chars
    let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    let mut pending_otter: Option<(usize, Hit, usize)> = None; // (speaker, hit, label char start)
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
                builder.close();
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
                        pending_otter = Some((*speaker, hit.clone(), to_chars(hit.label_start)))
                    }
                }
            }
            // Otter's export footer is not speech: it ends the last turn.
            None if is_export_footer(&line.text) => builder.close(),
            None if !line.text.trim().is_empty() => {
                let lead = line.text.len() - line.text.trim_start().len();
                let start = to_chars(lead);
                if let Some((speaker, hit, label_start)) = pending_otter.take() {
                    builder.open(speaker, Some(label_start), start, trimmed_end, hit.start_ms);
                } else if let Some(speaker) = detection.bold_paragraph_speaker(line) {
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
                } else {
                    builder.extend(trimmed_end);
                }
            }
            None => {}
        }
        offset += len;
    }
    builder.close();
    finish(format, text, detection.speakers, builder.turns, notes)
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
        let speech: Vec<&str> = group.iter().map(|c| c.text.as_str()).collect();
        let speech = crate::text::normalize(&speech.join(" "));
        let start = offset;
        offset += speech.chars().count();
        text.push_str(&speech);
        turns.push(ParsedTurn {
            speaker: speaker.unwrap_or(unlabelled_id),
            label_start: speaker.map(|_| label_start),
            start,
            end: offset,
            start_ms: group.first().map(|c| c.start_ms),
            end_ms: group.last().map(|c| c.end_ms),
        });
    }
    finish(format, text, speakers, turns, notes)
}

/// Guesses roles, finds marks and assembles the document.
fn finish(
    format: Format,
    text: String,
    speaker_labels: Vec<String>,
    turns: Vec<ParsedTurn>,
    notes: Vec<String>,
) -> ParsedDocument {
    let ix = crate::text::CharIndex::new(&text);
    let mut stats = vec![SpeakerStats::default(); speaker_labels.len()];
    for t in &turns {
        let speech = ix.slice(t.start, t.end).unwrap_or("");
        let s = &mut stats[t.speaker];
        s.turns += 1;
        s.words += crate::text::word_count(speech);
        s.questions += speech.matches('?').count();
    }
    let roles = roles::guess(&speaker_labels, &stats);
    // A speaker that never got a turn (a key entry nobody used) is dropped.
    let used: Vec<bool> = stats.iter().map(|s| s.turns > 0).collect();
    let mut remap = vec![usize::MAX; speaker_labels.len()];
    let mut speakers = Vec::new();
    for (i, (label, role)) in speaker_labels.into_iter().zip(roles).enumerate() {
        if used[i] {
            remap[i] = speakers.len();
            speakers.push(ParsedSpeaker { label, role });
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
    let marks = crate::marks::find(&text);
    ParsedDocument {
        format,
        text,
        speakers,
        turns,
        marks,
        notes,
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
        });
    }

    fn extend(&mut self, end: usize) {
        if let Some(t) = &mut self.open {
            t.end = t.end.max(end);
        }
    }

    fn current_speaker(&self) -> Option<usize> {
        self.open.as_ref().map(|t| t.speaker)
    }

    fn close(&mut self) {
        if let Some(t) = self.open.take()
            && t.end > t.start
        {
            self.turns.push(t);
        }
    }
}

/// The chosen convention's verdict on every line.
struct Detection {
    speakers: Vec<String>,
    /// Line index → (speaker index, hit).
    hits: HashMap<usize, (usize, Hit)>,
    /// BoldParagraphs: speaker indices for bold and plain paragraphs.
    bold_paragraphs: Option<(usize, usize)>,
    /// No labels at all: the whole text is one speaker's.
    monologue: bool,
}

impl Detection {
    fn bold_paragraph_speaker(&self, line: &Line) -> Option<usize> {
        self.bold_paragraphs
            .map(|(bold, plain)| if line.all_bold { bold } else { plain })
    }
}

/// Runs every recogniser, keeps the convention with the most recurring labels.
fn detect(lines: &[Line], notes: &mut Vec<String>) -> Detection {
    let has_bold = lines.iter().any(|l| l.bold_prefix_chars > 0);
    let mut candidates: Vec<(Convention, Vec<(usize, Hit)>)> = Vec::new();
    type Recogniser = fn(&str) -> Option<Hit>;
    let plain: [(Convention, Recogniser); 5] = [
        (Convention::MarkdownBold, labels::markdown_bold),
        (Convention::Timestamped, labels::timestamped),
        (Convention::Otter, labels::otter),
        (Convention::Colon, labels::colon),
        (Convention::Bracket, labels::bracket),
    ];
    if has_bold {
        let hits = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| labels::bold_label(l).map(|h| (i, h)))
            .collect();
        candidates.push((Convention::BoldLabel, hits));
    }
    for (conv, f) in plain {
        let hits = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| f(&l.text).map(|h| (i, h)))
            .collect();
        // Only bare `Name:` is ambiguous enough to need a label to recur.
        let hits = if conv == Convention::Colon {
            recurring(hits)
        } else {
            hits
        };
        candidates.push((conv, hits));
    }
    candidates.push((Convention::Initials, initials_hits(lines, notes)));
    // Most hits wins; on a tie, the more specific convention (earlier in the list).
    let best = candidates
        .into_iter()
        .enumerate()
        .filter(|(_, (_, h))| h.len() >= 2)
        .max_by_key(|(order, (_, h))| (h.len(), std::cmp::Reverse(*order)))
        .map(|(_, c)| c);
    // Interviewer paragraphs all bold, answers plain, no labels. Bold lines that
    // are labels themselves (`Lisa:` alone in bold) do not count for it.
    let label_lines: std::collections::HashSet<usize> = best
        .as_ref()
        .map(|(_, h)| h.iter().map(|(i, _)| *i).collect())
        .unwrap_or_default();
    let nonblank = || {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.text.trim().is_empty())
    };
    let bold_unlabelled = nonblank()
        .filter(|(i, l)| l.all_bold && !label_lines.contains(i))
        .count();
    let plain_count = nonblank().filter(|(_, l)| !l.all_bold).count();
    let bold_paragraphs = bold_unlabelled >= 2 && plain_count >= 2;
    let labels_win = best
        .as_ref()
        .is_some_and(|(_, h)| h.len() >= bold_unlabelled || !bold_paragraphs);
    if let (Some((conv, hits)), true) = (best, labels_win) {
        notes.push(format!("speakers found by {}", conv.describe()));
        let mut speakers: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut by_line = HashMap::new();
        for (line, hit) in hits {
            let id = *index.entry(hit.label.to_lowercase()).or_insert_with(|| {
                speakers.push(hit.label.clone());
                speakers.len() - 1
            });
            by_line.insert(line, (id, hit));
        }
        return Detection {
            speakers,
            hits: by_line,
            bold_paragraphs: None,
            monologue: false,
        };
    }
    if bold_paragraphs {
        notes.push(format!(
            "speakers found by {}",
            Convention::BoldParagraphs.describe()
        ));
        return Detection {
            speakers: vec!["Interviewer".into(), "Participant".into()],
            hits: HashMap::new(),
            bold_paragraphs: Some((0, 1)),
            monologue: false,
        };
    }
    notes.push("no speaker labels found: the text is read as one speaker's".into());
    Detection {
        speakers: vec![UNLABELLED_SPEAKER.into()],
        hits: HashMap::new(),
        bold_paragraphs: None,
        monologue: true,
    }
}

/// Keeps hits whose label opens at least two turns, so a stray `Date:` or
/// `Anyway:` inside speech is not taken for a speaker. A label seen once is
/// kept when it follows the first recurring label, or sits beside an
/// interviewer's label, and does not read as a header field: a speaker who
/// says one thing (`Jean: Can I add something?`) is still a speaker.
fn recurring(hits: Vec<(usize, Hit)>) -> Vec<(usize, Hit)> {
    const HEADER_WORDS: &[&str] = &[
        "date",
        "time",
        "location",
        "place",
        "venue",
        "note",
        "notes",
        "duration",
        "length",
        "interview",
        "transcript",
        "transcribed",
        "present",
        "attendees",
        "project",
        "study",
        "file",
        "recording",
        "audio",
        "subject",
        "title",
        "version",
        "anyway",
        "so",
        "well",
        "ok",
        "okay",
        "yes",
        "no",
        "and",
        "but",
        "then",
        "now",
        "also",
        "like",
        "because",
    ];
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, h) in &hits {
        *counts.entry(h.label.to_lowercase()).or_default() += 1;
    }
    let recurs = |h: &Hit| counts.get(&h.label.to_lowercase()).copied().unwrap_or(0) >= 2;
    let first_recurring = hits.iter().find(|(_, h)| recurs(h)).map(|(i, _)| *i);
    let interviewer_label = hits
        .iter()
        .any(|(_, h)| roles::label_role(&h.label) == Some(Role::Interviewer));
    let one_off_speaker = |line: usize, h: &Hit| {
        let lower = h.label.to_lowercase();
        let header = lower
            .split_whitespace()
            .next()
            .is_some_and(|w| HEADER_WORDS.contains(&w));
        !header
            && labels::plausible_name(&h.label)
            && h.label.chars().next().is_some_and(char::is_uppercase)
            && (first_recurring.is_some_and(|f| line > f) || interviewer_label)
    };
    hits.into_iter()
        .filter(|(line, h)| recurs(h) || one_off_speaker(*line, h))
        .collect()
}

/// Initials after a key block (`MD - Michelle Drumm`). A body label missing
/// from the key is matched to the one key name whose capitals contain it
/// (`AW` → `AJ - Dr Anna Jack-Waugh`) and reported; otherwise it is reported
/// and read as speech, never made into a stray speaker.
fn initials_hits(lines: &[Line], notes: &mut Vec<String>) -> Vec<(usize, Hit)> {
    let mut key: Vec<(String, String)> = Vec::new();
    let mut key_lines = Vec::new();
    for (i, l) in lines.iter().enumerate().take(40) {
        if let Some(entry) = labels::key_line(&l.text) {
            key.push(entry);
            key_lines.push(i);
        }
    }
    if key.len() < 2 {
        return Vec::new();
    }
    let last_key_line = key_lines.last().copied().unwrap_or(0);
    let mut unknown: HashMap<String, usize> = HashMap::new();
    let mut raw = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(last_key_line + 1) {
        if let Some((ini, start, speech)) = labels::initials(&l.text) {
            raw.push((i, ini.clone(), start, speech));
            if !key.iter().any(|(k, _)| *k == ini) {
                *unknown.entry(ini).or_default() += 1;
            }
        }
    }
    let mut resolved: HashMap<String, String> = HashMap::new();
    let mut unknown: Vec<(String, usize)> = unknown.into_iter().collect();
    unknown.sort();
    for (ini, count) in unknown {
        let candidates: Vec<&(String, String)> = key
            .iter()
            .filter(|(k, name)| {
                ini.len() >= 2
                    && k.chars().next() == ini.chars().next()
                    && is_subsequence(&ini, &labels::name_capitals(name))
            })
            .collect();
        if let [(k, name)] = candidates.as_slice()
            && count >= 2
        {
            notes.push(format!(
                "label '{ini}' ({count} turns) is not in the key; read as '{k}' ({name})"
            ));
            resolved.insert(ini, k.clone());
        } else if count >= 2 {
            notes.push(format!(
                "label '{ini}' opens {count} paragraphs but is not in the key; those paragraphs were read as speech of the previous speaker"
            ));
        }
    }
    raw.into_iter()
        .filter_map(|(i, ini, start, speech)| {
            let k = if key.iter().any(|(k, _)| *k == ini) {
                ini
            } else {
                resolved.get(&ini)?.clone()
            };
            let name = key
                .iter()
                .find(|(kk, _)| *kk == k)
                .map(|(_, n)| n.clone())?;
            Some((
                i,
                Hit {
                    label: name,
                    label_start: start,
                    speech_start: Some(speech),
                    start_ms: None,
                },
            ))
        })
        .collect()
}

/// `Transcribed by https://otter.ai`, which Otter appends to every export.
fn is_export_footer(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l.starts_with("transcribed by") && l.contains("otter.ai")
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

#[cfg(test)]
mod tests;
