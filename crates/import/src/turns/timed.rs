//! Timed text pasted into a plain file: caption cues (`00:01:14.000 -->
//! 00:01:20.000` then the words, with or without `Name:`) and Zoom's web-view
//! copy (a name line, an `HH:MM:SS` line, then the words). The time lines are
//! labels, not speech; each cue is a turn with its own times (merging would
//! put the time lines between cues inside the speech).

use super::labels::{self, Hit};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static CUE_TIMING: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(
        r"^\s*(\d{1,2}:\d{1,2}(?::\d{1,2})?[.,]\d{1,3})\s*-->\s*(\d{1,2}:\d{1,2}(?::\d{1,2})?[.,]\d{1,3})",
    )
});
static CLOCK_ONLY: LazyLock<Regex> =
    LazyLock::new(|| storyloom_text::pattern::compiled(r"^\s*(\d{1,2}:\d{2}(?::\d{2})?)\s*$"));

/// Label of proposed speakers when cues name nobody.
pub const ASKER: &str = "Speaker 1";
pub const ANSWERER: &str = "Speaker 2";

/// What a time line says beyond its [`Hit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimedHit {
    pub end_ms: Option<u64>,
    /// The speech line starts with the speaker's `Name:`, which is label, not speech.
    pub name_prefix: bool,
    /// A clock line follows the name line (Zoom) and is skipped.
    pub clock_line: bool,
    /// Consecutive cues of one speaker merge into one turn. Never for cues in
    /// a text file: the time lines between them would become speech.
    pub merge: bool,
    /// The name stands alone on the line after the cue time (Teams/Stream
    /// `.docx`), and is label, not speech.
    pub name_line: bool,
}

/// The hits of one timed convention.
#[derive(Default)]
pub struct Timed {
    pub hits: Vec<(usize, Hit)>,
    pub extra: HashMap<usize, TimedHit>,
    /// Speakers were proposed from question shape: nobody is named.
    pub guessed: bool,
}

pub fn is_clock_line(text: &str) -> bool {
    CLOCK_ONLY.is_match(text)
}

/// Caption cues inside a text file.
pub fn cue_hits(lines: &[crate::parsed::Line], annotation: &[bool]) -> Timed {
    struct Cue {
        line: usize,
        lead: usize,
        start: u64,
        end: u64,
        name: Option<String>,
        name_line: bool,
        question: bool,
    }
    let mut cues = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(c) = CUE_TIMING.captures(&l.text) else {
            continue;
        };
        let (Some(a), Some(b)) = (
            c.get(1).and_then(|m| labels::clock_ms(m.as_str())),
            c.get(2).and_then(|m| labels::clock_ms(m.as_str())),
        ) else {
            continue;
        };
        let mut words = String::new();
        let mut name = None;
        let mut name_line = false;
        let mut cue_lines = 0;
        for (j, next) in lines.iter().enumerate().skip(i + 1) {
            let t = next.text.trim();
            if t.is_empty() || annotation[j] || CUE_TIMING.is_match(t) {
                break;
            }
            cue_lines += 1;
            if words.is_empty()
                && let Some(h) = labels::colon(t)
                && !labels::not_a_speaker(&h.label)
            {
                name = Some(h.label);
            }
            // A name alone on the first line, the words on the next (Stream).
            if cue_lines == 1
                && name.is_none()
                && !t.contains(':')
                && !t.ends_with(['.', '?', '!', ','])
                && labels::plausible_name(t)
                && !labels::not_a_speaker(t)
                && lines
                    .get(j + 1)
                    .is_some_and(|n| !n.text.trim().is_empty() && !CUE_TIMING.is_match(&n.text))
            {
                name = Some(t.to_owned());
                name_line = true;
                continue;
            }
            words.push_str(t);
            words.push(' ');
        }
        let question = words.trim_end().ends_with('?');
        let lead = l.text.len() - l.text.trim_start().len();
        cues.push(Cue {
            line: i,
            lead,
            start: a,
            end: b,
            name,
            name_line,
            question,
        });
    }
    if cues.len() < 2 {
        return Timed::default();
    }
    // A name counts when it recurs; a cue without one continues the last name.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for c in &cues {
        if let Some(n) = &c.name {
            *counts.entry(n.to_lowercase()).or_default() += 1;
        }
    }
    for c in &mut cues {
        if c.name
            .as_ref()
            .is_some_and(|n| counts[&n.to_lowercase()] < 2)
        {
            c.name = None;
            c.name_line = false;
        }
    }
    let named = cues.iter().any(|c| c.name.is_some());
    let asks = cues.iter().any(|c| c.question);
    let mut out = Timed {
        guessed: !named,
        ..Timed::default()
    };
    let mut last: Option<String> = None;
    for c in cues {
        let name_prefix = c.name.is_some() && !c.name_line;
        let name_line = c.name_line;
        let label = match (c.name, named) {
            (Some(n), _) => {
                last = Some(n.clone());
                n
            }
            (None, true) => last
                .clone()
                .unwrap_or_else(|| super::UNLABELLED_SPEAKER.into()),
            (None, false) if asks && c.question => ASKER.into(),
            (None, false) if asks => ANSWERER.into(),
            (None, false) => super::UNLABELLED_SPEAKER.into(),
        };
        out.extra.insert(
            c.line,
            TimedHit {
                end_ms: Some(c.end),
                name_prefix,
                clock_line: false,
                merge: false,
                name_line,
            },
        );
        out.hits.push((
            c.line,
            Hit {
                label,
                label_start: c.lead,
                speech_start: None,
                start_ms: Some(c.start),
            },
        ));
    }
    out
}

/// Zoom's web-view copy (and Teams' .docx): a name alone on a line, then a
/// clock line (in a .docx with an empty line between, one per paragraph).
pub fn zoom_hits(lines: &[crate::parsed::Line]) -> Timed {
    let mut out = Timed::default();
    for (i, line) in lines.iter().enumerate() {
        let name = line.text.trim();
        if name.is_empty() {
            continue;
        }
        let next = lines[i + 1..]
            .iter()
            .take(2)
            .find(|l| !l.text.trim().is_empty());
        let Some(c) = next.and_then(|l| CLOCK_ONLY.captures(&l.text)) else {
            continue;
        };
        if name.contains(':')
            || !labels::plausible_name(name)
            || labels::not_a_speaker(name)
            || is_clock_line(name)
        {
            continue;
        }
        out.extra.insert(
            i,
            TimedHit {
                clock_line: true,
                ..TimedHit::default()
            },
        );
        out.hits.push((
            i,
            Hit {
                label: name.to_owned(),
                label_start: line.text.len() - line.text.trim_start().len(),
                speech_start: None,
                start_ms: c.get(1).and_then(|m| labels::clock_ms(m.as_str())),
            },
        ));
    }
    out
}
