//! Plain data the API hands out. Rows are identified by their UUID outside the
//! store; rowids stay inside it.

use crate::ids::{CodeId, DocumentId, ParticipantId};
use serde::{Deserialize, Serialize};

/// Who a speaker is in the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Interviewer,
    Participant,
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Interviewer => "interviewer",
            Role::Participant => "participant",
            Role::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "interviewer" | "i" | "researcher" => Some(Role::Interviewer),
            "participant" | "p" | "respondent" => Some(Role::Participant),
            "other" => Some(Role::Other),
            _ => None,
        }
    }
}

/// The kind of a transcription mark found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkKind {
    Inaudible,
    Crosstalk,
    Laughter,
    Pause,
    /// `word[?]`: the transcriber was unsure of the word.
    Uncertain,
    /// `--`: speech broken off or interrupted.
    Interruption,
    /// Another non-verbal note in square brackets, such as `[coughs]`.
    Nonverbal,
}

impl MarkKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            MarkKind::Inaudible => "inaudible",
            MarkKind::Crosstalk => "crosstalk",
            MarkKind::Laughter => "laughter",
            MarkKind::Pause => "pause",
            MarkKind::Uncertain => "uncertain",
            MarkKind::Interruption => "interruption",
            MarkKind::Nonverbal => "nonverbal",
        }
    }

    pub fn parse(s: &str) -> Option<MarkKind> {
        Some(match s {
            "inaudible" => MarkKind::Inaudible,
            "crosstalk" => MarkKind::Crosstalk,
            "laughter" => MarkKind::Laughter,
            "pause" => MarkKind::Pause,
            "uncertain" => MarkKind::Uncertain,
            "interruption" => MarkKind::Interruption,
            "nonverbal" => MarkKind::Nonverbal,
            _ => return None,
        })
    }
}

/// A transcription mark: kind, char range in the text, optional value
/// (the timestamp of an `[inaudible 00:12:03]`, the uncertain word).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub kind: MarkKind,
    pub start: usize,
    pub end: usize,
    pub value: Option<String>,
}

/// The source formats Storyloom reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Markdown,
    Docx,
    Odt,
    Vtt,
    Srt,
    /// A table of rows (speaker, time, text, tags) in a CSV file.
    Csv,
    /// The same table in an Excel workbook's first sheet.
    Xlsx,
    /// whisper / WhisperX JSON: timed segments, maybe speakers and word times.
    Json,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Markdown => "md",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "txt" => Format::Txt,
            "md" => Format::Markdown,
            "docx" => Format::Docx,
            "odt" => Format::Odt,
            "vtt" => Format::Vtt,
            "srt" => Format::Srt,
            "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// One document as listed in the project.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub uuid: String,
    pub name: String,
    pub format: String,
    pub version: i64,
    pub chars: usize,
    pub words: usize,
    pub speakers: usize,
    pub turns: usize,
    pub imported_at: String,
    /// Participants linked to the document's speakers, by their id.
    pub participants: Vec<String>,
}

/// A speaker of one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Speaker {
    pub uuid: String,
    pub label: String,
    pub role: Role,
    /// Was the role set by a person (true) or guessed at import (false)?
    pub role_confirmed: bool,
    /// Participant id this speaker is linked to, if any.
    pub participant: Option<String>,
    pub turns: usize,
    pub words: usize,
}

/// One speaker turn: its content's char range in the current text version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Turn {
    pub uuid: String,
    pub seq: usize,
    pub speaker: String,
    pub role: Role,
    /// Char offset where the label (e.g. `Doreen:`) starts, when the text has one.
    pub label_start: Option<usize>,
    pub start: usize,
    pub end: usize,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub text: String,
    /// Text kept from the file that no speaker said (an introduction, a
    /// heading, an observer's note): searchable and visible, never in a story.
    #[serde(default)]
    pub non_speech: bool,
}

/// A document's current text with its turns and marks, for reading and coding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentText {
    pub uuid: String,
    pub name: String,
    pub version: i64,
    pub text: String,
    pub turns: Vec<Turn>,
    pub marks: Vec<Mark>,
}

/// The type of a participant attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeKind {
    Text,
    Number,
    Date,
    Choice,
}

impl AttributeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::Text => "text",
            AttributeKind::Number => "number",
            AttributeKind::Date => "date",
            AttributeKind::Choice => "choice",
        }
    }

    pub fn parse(s: &str) -> Option<AttributeKind> {
        Some(match s {
            "text" => AttributeKind::Text,
            "number" => AttributeKind::Number,
            "date" => AttributeKind::Date,
            "choice" => AttributeKind::Choice,
            _ => return None,
        })
    }
}

/// A participant (a case) with its attribute values.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Participant {
    pub uuid: String,
    /// The study's identifier, such as `P01`.
    pub id: String,
    pub name: Option<String>,
    pub pseudonym: Option<String>,
    pub attributes: Vec<(String, String)>,
    /// Documents where a speaker is linked to this participant.
    pub documents: Vec<String>,
}

/// A participant attribute definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub kind: AttributeKind,
    pub choices: Vec<String>,
}

/// One entry of the project's history (audit trail).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub command: String,
    pub summary: String,
    pub undone: bool,
    /// `action`, `undo` or `redo`.
    pub kind: String,
    /// For undo and redo: the entry they reversed or repeated.
    pub target: Option<i64>,
    /// The computer the change was made on (`None` before schema version 6).
    #[serde(default)]
    pub machine: Option<String>,
    /// The command the entry carried out, as JSON (`{"command":"rename_code",…}`),
    /// when it came through `Project::apply`; `None` for older entries.
    #[serde(default)]
    pub intent: Option<String>,
}

/// A code in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Code {
    pub uuid: String,
    /// Names from the root to this code, e.g. `["Belonging", "Being known by name"]`.
    pub path: Vec<String>,
    /// The parent code's uuid.
    pub parent: Option<String>,
    pub color: String,
    pub definition: String,
    pub when_to_use: String,
    pub when_not: String,
    /// False for a category that groups codes and takes no coding itself
    /// (REFI-QDA `isCodable="false"`).
    #[serde(default = "codable_default")]
    pub codable: bool,
}

fn codable_default() -> bool {
    true
}

impl Code {
    pub fn name(&self) -> &str {
        self.path.last().map_or("", |s| s.as_str())
    }

    /// The path as users write it: `Belonging > Being known by name`.
    pub fn path_string(&self) -> String {
        self.path.join(" > ")
    }
}

/// What a code means: its definition and when (not) to apply it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeDescription {
    pub definition: String,
    pub when_to_use: String,
    pub when_not: String,
}

/// How far a theme has come in reflexive thematic analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeStatus {
    Candidate,
    Reviewed,
    Defined,
}

impl ThemeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeStatus::Candidate => "candidate",
            ThemeStatus::Reviewed => "reviewed",
            ThemeStatus::Defined => "defined",
        }
    }

    pub fn parse(s: &str) -> Option<ThemeStatus> {
        Some(match s.trim().to_lowercase().as_str() {
            "candidate" => ThemeStatus::Candidate,
            "reviewed" => ThemeStatus::Reviewed,
            "defined" => ThemeStatus::Defined,
            _ => return None,
        })
    }
}

/// A theme: a pattern of shared meaning that groups codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub uuid: String,
    pub name: String,
    pub definition: String,
    pub status: ThemeStatus,
    /// The uuids of its codes, in codebook order.
    pub codes: Vec<String>,
}

/// One coding: a code applied by one coder to a char range of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    pub uuid: String,
    pub code: String,
    pub code_path: String,
    pub document: String,
    pub document_name: String,
    /// The text version the range belongs to.
    pub version: i64,
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub coder: String,
    pub created_at: String,
    pub key_quote: bool,
}

/// What a memo is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "uuid", rename_all = "lowercase")]
pub enum MemoTarget {
    Project,
    Document(String),
    Participant(String),
    Code(String),
    Theme(String),
    Coding(String),
    Story(String),
    /// A dated entry of the reflexive journal.
    Journal,
}

impl MemoTarget {
    pub fn kind(&self) -> &'static str {
        match self {
            MemoTarget::Project => "project",
            MemoTarget::Document(_) => "document",
            MemoTarget::Participant(_) => "participant",
            MemoTarget::Code(_) => "code",
            MemoTarget::Theme(_) => "theme",
            MemoTarget::Coding(_) => "coding",
            MemoTarget::Story(_) => "story",
            MemoTarget::Journal => "journal",
        }
    }

    pub fn uuid(&self) -> Option<&str> {
        match self {
            MemoTarget::Project | MemoTarget::Journal => None,
            MemoTarget::Document(u)
            | MemoTarget::Participant(u)
            | MemoTarget::Code(u)
            | MemoTarget::Theme(u)
            | MemoTarget::Coding(u)
            | MemoTarget::Story(u) => Some(u),
        }
    }

    pub fn from_parts(kind: &str, uuid: Option<String>) -> Option<MemoTarget> {
        let u = || uuid.clone();
        Some(match kind {
            "project" => MemoTarget::Project,
            "journal" => MemoTarget::Journal,
            "document" => MemoTarget::Document(u()?),
            "participant" => MemoTarget::Participant(u()?),
            "code" => MemoTarget::Code(u()?),
            "theme" => MemoTarget::Theme(u()?),
            "coding" => MemoTarget::Coding(u()?),
            "story" => MemoTarget::Story(u()?),
            _ => return None,
        })
    }
}

/// A memo, or an entry of the reflexive journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Memo {
    pub uuid: String,
    pub target: MemoTarget,
    pub title: String,
    pub body: String,
    pub author: String,
    /// The journal entry's date (YYYY-MM-DD); `None` for other memos.
    pub date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// An anchor a correction could not place with certainty, waiting for a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub uuid: String,
    pub document: String,
    pub document_name: String,
    /// `coding` or `story_span`.
    pub kind: String,
    /// The coding's (or span's) uuid.
    pub item: String,
    /// What it says: the code and the quote.
    pub label: String,
    pub quote: String,
    pub reason: String,
    /// Where it probably belongs in the current text, if anywhere.
    pub proposal: Option<(usize, usize)>,
    pub proposal_text: Option<String>,
    pub resolved: bool,
}

// ---- rows of the analyses (`storyloom-analysis`), loaded by the store ----

/// One coding: a code applied by one coder to a char range of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub coding_id: i64,
    pub code_id: CodeId,
    pub doc_id: DocumentId,
    pub start: usize,
    pub end: usize,
    pub coder: String,
}

/// One speaker turn of a document: the char range of its content.
///
/// Turns of one document must not overlap (they never do: each is a run of
/// text). Slices of turns may come in any order; functions sort what they
/// need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnSpan {
    pub turn_id: i64,
    pub doc_id: DocumentId,
    pub start: usize,
    pub end: usize,
    pub speaker_id: i64,
    /// The participant the speaker is linked to; `None` for interviewers and
    /// speakers nobody linked yet.
    pub participant_id: Option<ParticipantId>,
}

/// A document's length in chars: the unit count of char-level agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLen {
    pub doc_id: DocumentId,
    pub chars: usize,
}
