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
}
