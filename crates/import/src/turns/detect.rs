//! Choosing a document's speaker-label convention, and saying how sure we are.
//!
//! Every recogniser proposes the lines it would take for labels; the
//! convention with the most hits wins. A bare `Word:` label counts only when
//! it recurs or a key block names it, so a one-off `Edit:` or `I'm:` never
//! makes a speaker. Lines that annotate the interview (`Observer:`, headings)
//! are never labels.

use super::labels::{self, Convention, Hit};
use super::nonspeech;
use super::timed::{self, TimedHit};
use crate::parsed::{Confidence, Line};
use std::collections::HashMap;

/// Label used when a file has no speaker labels at all.
pub const UNLABELLED_SPEAKER: &str = "Speaker";

/// The chosen convention's verdict on every line.
pub struct Detection {
    pub speakers: Vec<String>,
    /// Line index → (speaker index, hit).
    pub hits: HashMap<usize, (usize, Hit)>,
    /// BoldParagraphs: speaker indices for bold and plain paragraphs.
    pub bold_paragraphs: Option<(usize, usize)>,
    /// No labels at all: the whole text is one speaker's.
    pub monologue: bool,
    /// No labels, but an interview's shape: speaker proposed per line.
    pub proposed: HashMap<usize, usize>,
    /// How sure, before roles are looked at (they may lower it).
    pub confidence: Confidence,
    /// Time lines of the timed conventions, by line.
    pub timed: HashMap<usize, TimedHit>,
}

impl Detection {
    /// The speaker a paragraph's look or place gives it, in files without
    /// labels: bold interviewer paragraphs, or a proposal by alternation.
    pub fn paragraph_speaker(&self, i: usize, line: &Line) -> Option<usize> {
        self.bold_paragraphs
            .map(|(bold, plain)| if line.all_bold { bold } else { plain })
            .or_else(|| self.proposed.get(&i).copied())
    }
}

/// Runs every recogniser, keeps the convention with the most hits.
pub fn detect(lines: &[Line], notes: &mut Vec<String>) -> Detection {
    let annotation: Vec<bool> = lines
        .iter()
        .map(|l| nonspeech::is_non_speech_line(&l.text))
        .collect();
    let has_bold = lines.iter().any(|l| l.bold_prefix_chars > 0);
    let mut candidates: Vec<(Convention, Vec<(usize, Hit)>)> = Vec::new();
    let cues = timed::cue_hits(lines, &annotation);
    let zoom = timed::zoom_hits(lines);
    candidates.push((Convention::TimedCues, cues.hits.clone()));
    candidates.push((Convention::ZoomWeb, zoom.hits.clone()));
    type Recogniser = fn(&str) -> Option<Hit>;
    let plain: [(Convention, Recogniser); 5] = [
        (Convention::MarkdownBold, labels::markdown_bold),
        (Convention::Timestamped, labels::timestamped),
        (Convention::Otter, labels::otter),
        (Convention::Colon, labels::colon),
        (Convention::Bracket, labels::bracket),
    ];
    let usable = |i: &usize, h: &Hit| !annotation[*i] && !labels::not_a_speaker(&h.label);
    if has_bold {
        let hits = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| labels::bold_label(l).map(|h| (i, h)))
            .filter(|(i, h)| usable(i, h))
            .collect();
        candidates.push((Convention::BoldLabel, hits));
    }
    for (conv, f) in plain {
        let hits = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| f(&l.text).map(|h| (i, h)))
            .filter(|(i, h)| usable(i, h))
            .collect();
        // Only bare `Name:` is ambiguous enough to need a label to recur.
        let hits = if conv == Convention::Colon {
            recurring(hits)
        } else {
            hits
        };
        candidates.push((conv, hits));
    }
    candidates.push((
        Convention::Initials,
        key_block_hits(lines, &annotation, notes),
    ));
    // Most hits wins; on a tie, the more specific convention (earlier in the list).
    let best = candidates
        .into_iter()
        .enumerate()
        .filter(|(_, (_, h))| h.len() >= 2)
        .max_by_key(|(order, (_, h))| (h.len(), std::cmp::Reverse(*order)))
        .map(|(_, c)| c);
    let best = best.filter(|(conv, hits)| !scattered_words(*conv, hits, lines, &annotation, notes));
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
            .filter(|(i, l)| !l.text.trim().is_empty() && !annotation[*i])
    };
    let paragraphs = nonblank().count().max(1);
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
        let (timed, guessed) = match conv {
            Convention::TimedCues => (cues.extra, cues.guessed),
            Convention::ZoomWeb => (zoom.extra, false),
            _ => (HashMap::new(), false),
        };
        let confidence = if guessed {
            notes.push("the cues name no speaker: speakers were proposed from question shape (a guess); check them".into());
            Confidence {
                score: 25,
                reason: format!(
                    "{} cues name no speaker: '{}' asks, '{}' answers, proposed from question shape (a guess)",
                    by_line.len(),
                    timed::ASKER,
                    timed::ANSWERER
                ),
                guessed: true,
            }
        } else {
            // A timed convention's paragraphs are its cues.
            let paragraphs = if timed.is_empty() {
                paragraphs
            } else {
                by_line.len()
            };
            label_confidence(conv, &speakers, by_line.len(), paragraphs)
        };
        return Detection {
            speakers,
            hits: by_line,
            bold_paragraphs: None,
            monologue: false,
            proposed: HashMap::new(),
            confidence,
            timed,
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
            proposed: HashMap::new(),
            confidence: Confidence {
                score: 70,
                reason: format!(
                    "no labels; {bold_unlabelled} bold paragraphs read as the interviewer's"
                ),
                guessed: false,
            },
            timed: HashMap::new(),
        };
    }
    if let Some(p) = super::propose::propose(lines, &annotation) {
        notes.push(
            "no speaker labels: who asks and who answers was proposed from the paragraphs' \
             alternation and question shape (a guess); check and correct the turns"
                .into(),
        );
        return Detection {
            speakers: super::propose::LABELS.map(String::from).to_vec(),
            hits: HashMap::new(),
            bold_paragraphs: None,
            monologue: false,
            proposed: p.by_line,
            confidence: p.confidence,
            timed: HashMap::new(),
        };
    }
    notes.push("no speaker labels found: the text is read as one speaker's".into());
    Detection {
        speakers: vec![UNLABELLED_SPEAKER.into()],
        hits: HashMap::new(),
        bold_paragraphs: None,
        monologue: true,
        proposed: HashMap::new(),
        confidence: Confidence {
            score: 30,
            reason: "no speaker labels: all the text is read as one speaker's (a guess)".into(),
            guessed: true,
        },
        timed: HashMap::new(),
    }
}

/// Confidence from how much of the text the labels explain.
fn label_confidence(
    conv: Convention,
    speakers: &[String],
    labelled: usize,
    paragraphs: usize,
) -> Confidence {
    let pct = (labelled * 100 / paragraphs).min(100);
    let shown: Vec<String> = speakers.iter().take(3).map(|s| format!("'{s}'")).collect();
    let more = if speakers.len() > 3 {
        format!(" and {} more", speakers.len() - 3)
    } else {
        String::new()
    };
    let mut score: i32 = 92;
    if speakers.len() < 2 {
        score -= 40;
    }
    if pct < 50 && conv != Convention::Otter {
        score -= 12;
    }
    if conv == Convention::Initials {
        score -= 4;
    }
    Confidence {
        score: score.clamp(0, 100) as u8,
        reason: format!(
            "{} {}{more} open {pct}% of paragraphs",
            conv.describe(),
            shown.join(" / ")
        ),
        guessed: false,
    }
}

/// Words that open a line with a colon but do not name a speaker.
const HEADER_WORDS: &[&str] = &[
    "date",
    "time",
    "location",
    "place",
    "venue",
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
    "edit",
    "edited",
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

/// Keeps hits whose label opens at least two turns, so a stray `Date:`,
/// `Edit:` or `Anyway:` inside speech is not taken for a speaker. A label seen
/// once is kept only after the first recurring label or beside an
/// interviewer's role label, when it reads as a name and not a header field: a third person who says one thing
/// (`Jean: Can I add something?`) must not be read as the previous speaker.
fn recurring(hits: Vec<(usize, Hit)>) -> Vec<(usize, Hit)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (_, h) in &hits {
        *counts.entry(h.label.to_lowercase()).or_default() += 1;
    }
    let recurs = |h: &Hit| counts.get(&h.label.to_lowercase()).copied().unwrap_or(0) >= 2;
    let first_recurring = hits.iter().find(|(_, h)| recurs(h)).map(|(i, _)| *i);
    // A role word (`Interviewer:`, `Researcher:`) vouches for the labels beside it.
    let role_label = hits
        .iter()
        .any(|(_, h)| super::roles::label_role(&h.label) == Some(crate::model::Role::Interviewer));
    let one_off_speaker = |line: usize, h: &Hit| {
        let lower = h.label.to_lowercase();
        let header = lower
            .split_whitespace()
            .next()
            .is_some_and(|w| HEADER_WORDS.contains(&w));
        !header
            && labels::plausible_name(&h.label)
            && h.label.chars().next().is_some_and(char::is_uppercase)
            && (first_recurring.is_some_and(|f| line > f) || role_label)
    };
    hits.into_iter()
        .filter(|(line, h)| recurs(h) || one_off_speaker(*line, h))
        .collect()
}

/// Turns opened by the keys of a key block: initials (`MD - Michelle Drumm`,
/// then `MD On 22 April…`) or first names (`Ann - Ann Baxter`, then `Ann:` or
/// `Ann Hello`). A body label missing from an initials key is matched to the
/// one key name whose capitals contain it (`AW` → `AJ - Dr Anna Jack-Waugh`)
/// and reported; otherwise it is reported and read as speech.
fn key_block_hits(
    lines: &[Line],
    annotation: &[bool],
    notes: &mut Vec<String>,
) -> Vec<(usize, Hit)> {
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
        if annotation[i] {
            continue;
        }
        if let Some((word, start, speech)) = labels::key_opening(&l.text) {
            let known = key.iter().any(|(k, _)| *k == word);
            if !known
                && word.chars().all(|c| c.is_ascii_uppercase())
                && (2..=4).contains(&word.len())
            {
                *unknown.entry(word.clone()).or_default() += 1;
            }
            raw.push((i, word, start, speech));
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
        .filter_map(|(i, word, start, speech)| {
            let k = if key.iter().any(|(k, _)| *k == word) {
                word
            } else {
                resolved.get(&word)?.clone()
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

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

/// `Word:` openings that explain almost none of the text, under many
/// different words (a comment dump, notes with `Topic:` lines, a glossary):
/// not an interview's speakers. Read as text, and said so, rather than
/// making up a speaker for every word before a colon.
fn scattered_words(
    conv: Convention,
    hits: &[(usize, Hit)],
    lines: &[Line],
    annotation: &[bool],
    notes: &mut Vec<String>,
) -> bool {
    if conv != Convention::Colon {
        return false;
    }
    let paragraphs = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !l.text.trim().is_empty() && !annotation[*i])
        .count()
        .max(1);
    let mut distinct: Vec<String> = hits.iter().map(|(_, h)| h.label.to_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    let scattered = distinct.len() >= 4 && hits.len() * 10 < paragraphs;
    if scattered {
        notes.push(format!(
            "{} different 'Word:' openings start only {} of {paragraphs} paragraphs: read as text, \
             not as speakers (this does not look like an interview transcript)",
            distinct.len(),
            hits.len()
        ));
    }
    scattered
}
