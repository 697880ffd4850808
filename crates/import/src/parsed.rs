//! What every format's reader produces and [`crate::turns`] consumes: lines
//! in, a parsed document out.

use crate::model::{Format, Mark, Role};

/// One line of a source, with what the format tells about it. Text formats
/// give one per physical line; office formats one per paragraph, with an empty
/// line between paragraphs. The document text is the lines joined by `\n`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub text: String,
    /// Chars at the start of the line that are bold (office formats), e.g. a
    /// bold `Doreen:` label.
    pub bold_prefix_chars: usize,
    /// Every non-blank char of the line is bold (office formats).
    pub all_bold: bool,
}

impl Line {
    pub fn plain(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            ..Line::default()
        }
    }
}

/// A speaker found in a document, with the guessed role and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSpeaker {
    pub label: String,
    pub role: Role,
    /// The document's one pseudo-speaker whose turns are not speech
    /// (introductions, headings, observer notes): kept, searchable, never in a story.
    pub non_speech: bool,
}

/// Label of the pseudo-speaker that holds a document's non-speech turns.
/// Not a plausible name (it starts with a bracket), so no file can clash with it.
pub const NON_SPEECH_LABEL: &str = "(not speech)";

/// One timed part of a turn (a caption cue), kept when parts merge, so an
/// excerpt can point at the exact second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CueTime {
    /// Char offset in the document text where the part starts.
    pub at: usize,
    pub start_ms: u64,
    pub end_ms: Option<u64>,
}

/// How sure the importer is of the speakers it found, and why, shown in the
/// import report and stored with the document.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Confidence {
    /// 0–100.
    pub score: u8,
    /// One line a person can check, e.g. "labels 'Researcher 1:' / 'Ana:' on 98% of paragraphs".
    pub reason: String,
    /// The file names no speakers: they were proposed (alternation, question shape).
    pub guessed: bool,
}

impl Confidence {
    pub fn level(&self) -> &'static str {
        match self.score {
            80.. => "high",
            50..80 => "medium",
            _ => "low",
        }
    }
}

/// A turn: speaker index, char range of the speech, optional label start and times.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedTurn {
    pub speaker: usize,
    pub label_start: Option<usize>,
    pub start: usize,
    pub end: usize,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    /// The timed parts of a merged turn (empty when the file has one time or none).
    pub cues: Vec<CueTime>,
}

/// Everything the importer found in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    pub format: Format,
    /// NFC, `\n` line endings. Offsets below are chars into it.
    pub text: String,
    pub speakers: Vec<ParsedSpeaker>,
    pub turns: Vec<ParsedTurn>,
    pub marks: Vec<Mark>,
    /// What the importer decided on the user's behalf (encoding, label
    /// conventions, mismatched labels), shown in the import report.
    pub notes: Vec<String>,
    pub confidence: Confidence,
    /// Codes the file itself put on passages (a transcript table's tags
    /// column), applied as codings in the document's import transaction.
    pub tags: Vec<Tag>,
}

/// Code names a file gives one passage (a row of a transcript table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Char range of the passage in the document text.
    pub start: usize,
    pub end: usize,
    /// Code names or paths (`Parent > Child`), as written in the file.
    pub codes: Vec<String>,
}

/// How a document's words split between speech and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    pub speech_words: usize,
    pub non_speech_words: usize,
}

impl Coverage {
    /// Percent of the words (labels aside) that are in speaker turns.
    pub fn speech_percent(&self) -> u8 {
        let all = self.speech_words + self.non_speech_words;
        if all == 0 {
            return 0;
        }
        ((self.speech_words * 100 + all / 2) / all).min(100) as u8
    }
}

impl ParsedDocument {
    /// Words in speaker turns and words kept as non-speech.
    pub fn coverage(&self) -> Coverage {
        let ix = crate::text::CharIndex::new(&self.text);
        let mut c = Coverage::default();
        for t in &self.turns {
            let words = crate::text::word_count(ix.slice(t.start, t.end).unwrap_or(""));
            if self.speakers.get(t.speaker).is_some_and(|s| s.non_speech) {
                c.non_speech_words += words;
            } else {
                c.speech_words += words;
            }
        }
        c
    }
}
