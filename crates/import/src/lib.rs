//! Import: bytes of one file in, a [`ParsedDocument`] out (text, speakers,
//! turns, marks). Parsing is pure and runs in parallel; storing is the
//! project's job, one transaction per file.
//!
//! Each format has its own module and produces [`Line`]s (text formats and
//! office documents) or [`captions::Cue`]s (subtitles). [`crate::turns`] then
//! finds the speakers and builds the turns the same way for every format;
//! both speak the types of [`parsed`], so neither depends on the other.
//! Transcript tables (CSV, XLSX) and whisper JSON already say who spoke each
//! row: [`turns::rows`] builds their turns. [`codebook`] and [`participants`]
//! read the starting CSV files of a study.
//!
//! **Rule:** bytes in, plain data out. No SQL, no project, no file writes;
//! depends only on `storyloom-text`. A new importer is a module here plus its
//! arm in [`parse`] and [`detect_format`].

pub mod captions;
pub mod codebook;
pub mod csv_transcript;
pub mod decode;
pub mod docx;
pub mod markdown;
pub mod odt;
pub mod parsed;
pub mod participants;
pub mod srt;
pub mod table;
pub mod turns;
pub mod txt;
pub mod vtt;
pub mod whisper;
pub mod xlsx;
pub mod xlsx_styles;
pub mod xml;
pub mod zipread;

mod error;

pub use error::ImportError;
pub use parsed::{Line, ParsedDocument, ParsedSpeaker, ParsedTurn, Tag};

use std::path::Path;
use storyloom_text::model::Format;
use storyloom_text::{marks, model, text};

/// Largest file Storyloom will import. A ten-hour interview is about 1 MB of
/// text; anything this big is a mistake or an attack, refused before reading.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest uncompressed XML part read from a .docx or .odt.
pub const MAX_XML_BYTES: u64 = 128 * 1024 * 1024;

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
        "csv" | "tsv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        "json" => Format::Json,
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
        Format::Csv => csv_transcript::parse(&decode::decode_text(bytes, &mut notes)?, notes)?,
        Format::Xlsx => {
            let (header, records) = xlsx::records(bytes)?;
            table::document(format, &header, &records, notes)?
        }
        Format::Json => whisper::parse(&decode::decode_text(bytes, &mut notes)?, notes)?,
    };
    if doc.text.trim().is_empty() {
        return Err(ImportError::NoText);
    }
    Ok(doc)
}
