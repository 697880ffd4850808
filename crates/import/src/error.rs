//! Why one file could not be imported.

/// Why one file could not be imported. Always reported with the file name.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is {size} bytes; files over {limit} bytes are refused (a ten-hour transcript is about 1 MB)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "unsupported file type '{0}' (Storyloom imports .txt, .md, .docx, .odt, .vtt, .srt, transcript tables as .csv or .xlsx, and whisper .json)"
    )]
    UnsupportedFormat(String),
    #[error("this does not look like text: it contains binary data")]
    Binary,
    #[error("the text is not valid UTF-8 (at byte {0}); save it as UTF-8 and import again")]
    InvalidUtf8(usize),
    #[error("not a valid {format} file: {reason}")]
    Corrupt {
        format: &'static str,
        reason: String,
    },
    #[error(
        "the archive entry '{entry}' would inflate past {limit} bytes; refused as a possible zip bomb"
    )]
    ZipBomb { entry: String, limit: u64 },
    #[error(
        "the XML declares a DOCTYPE (entities); refused for safety: Word and LibreOffice never write one"
    )]
    XmlDoctype,
    #[error("line {line}: {reason}")]
    Caption { line: usize, reason: String },
    #[error("not a transcript table: its header has {found}; expected {expected}")]
    Columns {
        found: String,
        expected: &'static str,
    },
    #[error(
        "no sheet of the workbook is a transcript table: {found}; expected a header row with {expected}"
    )]
    Sheets {
        found: String,
        expected: &'static str,
    },
    #[error("not a whisper/WhisperX transcript: {0}")]
    Json(String),
    #[error("no transcript text was found in the file")]
    NoText,
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}
