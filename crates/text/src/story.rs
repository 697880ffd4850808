//! Plain data of a story: what the store keeps, what the editor edits and
//! what the renderer and the checker read. Offsets are chars into the NFC
//! text of the span's document version (DESIGN §3).

use crate::ids::ParticipantId;
use crate::model::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where a story is in its life (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryStatus {
    Draft,
    /// Ready for the fidelity check.
    Ready,
    /// Sent to the storyteller.
    Sent,
    /// The storyteller asked for changes, or the story changed after approval.
    Changes,
    Approved,
    Withdrawn,
}

impl StoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryStatus::Draft => "draft",
            StoryStatus::Ready => "ready",
            StoryStatus::Sent => "sent",
            StoryStatus::Changes => "changes",
            StoryStatus::Approved => "approved",
            StoryStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<StoryStatus> {
        Some(match s.trim().to_lowercase().as_str() {
            "draft" => StoryStatus::Draft,
            "ready" | "ready for check" => StoryStatus::Ready,
            "sent" | "sent to storyteller" => StoryStatus::Sent,
            "changes" | "changes requested" => StoryStatus::Changes,
            "approved" => StoryStatus::Approved,
            "withdrawn" => StoryStatus::Withdrawn,
            _ => return None,
        })
    }
}

/// What lies between two pieces of an excerpt, as the researcher claims it.
/// The checker verifies the claim against the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Gap {
    /// Nothing is cut: the pieces touch (or only spaces lie between).
    #[default]
    Join,
    /// Words are cut and shown as ` … `.
    Elision,
    /// Only listed fillers or an immediate repeat are dropped, unmarked.
    Unmarked,
}

/// A source span: a char range of one document version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceSpan {
    /// The `story_spans` row, once stored (kept across edits so that review items stay valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Document uuid.
    pub document: String,
    /// The `document_versions` row the offsets belong to.
    pub version_id: i64,
    pub start: usize,
    pub end: usize,
    /// The text of the range when it was stored.
    pub quote: String,
}

/// One piece of an excerpt: a span plus the visible edits around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    pub span: SourceSpan,
    /// What lies between the previous piece and this one (ignored on the first).
    pub gap: Gap,
    /// Shown as `[text]` instead of the span's words (a pseudonym or a description).
    pub replace: Option<String>,
    /// A clarification shown as `[text]` after the piece.
    pub clarification: Option<String>,
}

/// A block of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum BlockContent {
    /// The storyteller's words: pieces in transcript order, all from one document version.
    Excerpt { pieces: Vec<Piece> },
    /// Short researcher text, shown in italics, never inside an excerpt.
    Framing { text: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub uuid: String,
    pub content: BlockContent,
    /// Pieces whose span was removed from the review list since (a checker warning).
    #[serde(default)]
    pub lost_pieces: usize,
}

/// How the storyteller approved the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// "by phone", "email", "in person"...
    pub how: String,
    pub revision: i64,
}

/// A story with its blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub uuid: String,
    /// The participant's study id (`P01`).
    pub participant: Option<String>,
    /// The participant's row id, for the store and the facade.
    pub participant_id: Option<ParticipantId>,
    pub title: String,
    pub pseudonym: String,
    pub role_line: String,
    pub status: StoryStatus,
    /// Bumped by every edit; each revision's snapshot is kept.
    pub revision: i64,
    pub approval: Option<Approval>,
    pub sent_on: Option<String>,
    pub blocks: Vec<Block>,
    /// Linked themes by name.
    pub themes: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A line of the story list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorySummary {
    pub uuid: String,
    pub participant: Option<String>,
    pub title: String,
    pub pseudonym: String,
    pub status: StoryStatus,
    pub revision: i64,
    pub approved_revision: Option<i64>,
    pub blocks: usize,
    pub updated_at: String,
}

/// One saved revision of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRevision {
    pub revision: i64,
    pub created_at: String,
    pub author: String,
    /// The snapshot (see `storyloom_stories::snapshot`).
    pub snapshot: serde_json::Value,
}

/// The editing rules a project's stories follow. Defaults follow DESIGN §5
/// and the storytelling notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRules {
    /// Fillers that may be dropped without a mark (lower case).
    pub fillers: Vec<String>,
    pub allow_unmarked_fillers: bool,
    /// May an immediate repeat ("I I") drop without a mark?
    pub allow_unmarked_repeats: bool,
    /// Warn above this many words.
    pub target_words: usize,
    /// Error above this many words.
    pub cap_words: usize,
    /// The auto-draft aims between these.
    pub draft_min_words: usize,
    pub draft_max_words: usize,
    /// Warn when a clarification is longer.
    pub clarification_max_words: usize,
    /// Warn when framing (per block and in total) is longer.
    pub framing_max_words: usize,
}

impl Default for StoryRules {
    fn default() -> Self {
        StoryRules {
            fillers: ["um", "uh", "er", "erm"].map(String::from).to_vec(),
            allow_unmarked_fillers: true,
            allow_unmarked_repeats: true,
            target_words: 1000,
            cap_words: 1100,
            draft_min_words: 850,
            draft_max_words: 1000,
            clarification_max_words: 6,
            framing_max_words: 60,
        }
    }
}

impl StoryRules {
    pub fn is_filler(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        self.fillers.contains(&w)
    }
}

/// The kind of thing a pseudonym replaces (DESIGN §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PseudonymKind {
    Person,
    Place,
    Organisation,
    Date,
    Other,
}

impl PseudonymKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PseudonymKind::Person => "person",
            PseudonymKind::Place => "place",
            PseudonymKind::Organisation => "organisation",
            PseudonymKind::Date => "date",
            PseudonymKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PseudonymKind> {
        Some(match s.trim().to_lowercase().as_str() {
            "person" | "name" => PseudonymKind::Person,
            "place" => PseudonymKind::Place,
            "organisation" | "organization" | "org" => PseudonymKind::Organisation,
            "date" => PseudonymKind::Date,
            "other" => PseudonymKind::Other,
            _ => return None,
        })
    }
}

/// One entry of the pseudonym map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pseudonym {
    pub original: String,
    pub replacement: String,
    pub kind: PseudonymKind,
    /// Confirmed by a person: only confirmed entries are applied when rendering.
    pub confirmed: bool,
    /// The participant (study id) whose documents alone it applies to;
    /// `None` applies everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// A name the researcher may want to pseudonymise, and why it was suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PseudonymSuggestion {
    pub original: String,
    pub kind: PseudonymKind,
    /// A proposed replacement (the participant's pseudonym when known).
    pub replacement: Option<String>,
    pub reason: String,
    /// How often it occurs in the transcripts.
    pub occurrences: usize,
}

/// Where the project's pseudonym map is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum KeyState {
    /// The map is stored in the project.
    Inside { entries: usize },
    /// The map was exported to a key file and removed from the project.
    Apart {
        file: String,
        fingerprint: String,
        entries: usize,
    },
}

// ---- the source texts spans point into (loaded by the store, read by the renderer) ----

/// One turn of a source version, as the renderer and checker need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceTurn {
    pub seq: usize,
    pub start: usize,
    pub end: usize,
    pub role: Role,
    pub speaker: String,
    /// The participant row the speaker is linked to.
    pub participant_id: Option<ParticipantId>,
}

/// A document version that spans point into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceDoc {
    pub document: String,
    pub name: String,
    pub version: i64,
    /// Is this the document's current version? (If not, the span waits in the review list.)
    pub current: bool,
    pub text: String,
    pub turns: Vec<SourceTurn>,
    /// Byte offset of every char (plus the length), built on first use;
    /// `None` for ASCII text. Makes [`SourceDoc::slice`] O(1).
    #[serde(skip)]
    pub index: std::sync::OnceLock<Option<Vec<usize>>>,
}

impl SourceDoc {
    fn byte(&self, char_offset: usize) -> Option<usize> {
        let index = self.index.get_or_init(|| {
            if self.text.is_ascii() {
                None
            } else {
                Some(
                    self.text
                        .char_indices()
                        .map(|(b, _)| b)
                        .chain(std::iter::once(self.text.len()))
                        .collect(),
                )
            }
        });
        match index {
            None => (char_offset <= self.text.len()).then_some(char_offset),
            Some(v) => v.get(char_offset).copied(),
        }
    }

    /// Number of chars in the text.
    pub fn len_chars(&self) -> usize {
        self.byte(0);
        match self.index.get() {
            Some(Some(v)) => v.len() - 1,
            _ => self.text.len(),
        }
    }

    /// The text between two char offsets ("" when out of range).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        if start > end {
            return "";
        }
        match (self.byte(start), self.byte(end)) {
            (Some(s), Some(e)) => &self.text[s..e],
            _ => "",
        }
    }

    /// The turn whose content holds `[start, end)`, if one does.
    pub fn turn_holding(&self, start: usize, end: usize) -> Option<&SourceTurn> {
        let i = self.turns.partition_point(|t| t.end < end.max(start + 1));
        self.turns
            .get(i)
            .filter(|t| t.start <= start && end <= t.end)
            .or_else(|| self.turns.iter().find(|t| t.start <= start && end <= t.end))
    }

    /// The turn at a char position.
    pub fn turn_at(&self, pos: usize) -> Option<&SourceTurn> {
        self.turns.iter().find(|t| t.start <= pos && pos < t.end)
    }
}

/// Source versions by `document_versions` row id.
pub type Sources = HashMap<i64, SourceDoc>;
