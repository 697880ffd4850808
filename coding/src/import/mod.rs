//! Import: bytes of one file in, a [`ParsedDocument`] out (text, speakers,
//! turns, marks). Parsing is pure and runs in parallel; storing is the
//! project's job, one transaction per file.
//!
//! Each format has its own module and produces [`Line`]s (text formats and
//! office documents) or [`captions::Cue`]s (subtitles). [`crate::turns`] then
//! finds the speakers and builds the turns the same way for every format.

pub mod captions;
pub mod decode;
pub mod docx;
pub mod markdown;
pub mod odt;
pub mod srt;
pub mod txt;
pub mod vtt;
pub mod xml;
pub mod zipread;

use crate::error::ImportError;
use crate::model::{Format, Mark, Role};
use std::path::Path;

/// Largest file Storyloom will import. A ten-hour interview is about 1 MB of
/// text; anything this big is a mistake or an attack, refused before reading.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest uncompressed XML part read from a .docx or .odt.
pub const MAX_XML_BYTES: u64 = 128 * 1024 * 1024;

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

/// Picks the format from the file name.
pub fn detect_format(name: &str) -> Result<Format, ImportError> {
    let lower = name.to_ascii_lowercase();
    let ext = Path::new(&lower)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    Ok(match ext {
        "txt" | "text" => {
            if lower.ends_with(".md.txt") {
                Format::Markdown
            } else {
                Format::Txt
            }
        }
        "md" | "markdown" => Format::Markdown,
        "docx" => Format::Docx,
        "odt" => Format::Odt,
        "vtt" => Format::Vtt,
        "srt" => Format::Srt,
        other => return Err(ImportError::UnsupportedFormat(format!(".{other}"))),
    })
}

/// Parses one file's bytes. Pure: no I/O, safe to run in parallel.
pub fn parse(name: &str, bytes: &[u8]) -> Result<ParsedDocument, ImportError> {
    let format = detect_format(name)?;
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    let mut notes = Vec::new();
    let doc = match format {
        Format::Txt => {
            let text = decode::decode_text(bytes, &mut notes)?;
            crate::turns::from_lines(format, txt::lines(&text), notes)
        }
        Format::Markdown => {
            let text = decode::decode_text(bytes, &mut notes)?;
            crate::turns::from_lines(format, markdown::lines(&text, &mut notes), notes)
        }
        Format::Docx => crate::turns::from_lines(format, docx::lines(bytes)?, notes),
        Format::Odt => crate::turns::from_lines(format, odt::lines(bytes)?, notes),
        Format::Vtt => {
            let text = decode::decode_utf8_strict(bytes)?;
            crate::turns::from_cues(format, vtt::cues(&text)?, notes)
        }
        Format::Srt => {
            let text = decode::decode_text(bytes, &mut notes)?;
            crate::turns::from_cues(format, srt::cues(&text)?, notes)
        }
    };
    if doc.text.trim().is_empty() {
        return Err(ImportError::NoText);
    }
    Ok(doc)
}
