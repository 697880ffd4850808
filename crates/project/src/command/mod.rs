//! [`Command`]: every change a user can make, as data.
//!
//! The window and the command line build a `Command` and hand it to
//! [`Project::apply`](crate::Project::apply); nothing else changes a project.
//! Each command is one transaction and one history entry (an import of many
//! files is one entry per file), and the history records the command itself
//! (its intent, see [`Command::intent`]) beside the rows it changed.
//!
//! Commands name things the way the user does (a code's path or uuid, a
//! document's name, a story's uuid or participant); the project resolves them
//! once, inside the change.
//!
//! [`Passage`]: crate::project::Passage

mod apply;
#[cfg(test)]
mod tests;

pub use apply::Applied;

use crate::model::{AttributeKind, CodeDescription, MemoTarget, Role, ThemeStatus};
use crate::project::pack_ops::{PackSettings, StoryCheckSettings};
use crate::project::{Resolution, Settle, TurnEdit};
use crate::store::pseudonyms::Verdict;
use crate::stories::consent::{ConsentScope, FeedbackKind, SendMethod};
use crate::stories::{PseudonymKind, StoryStatus};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One range to code, owned (see [`crate::CodingRequest`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodingSpec {
    /// Code uuid, path or unique name.
    pub code: String,
    /// Document uuid, name or stem.
    pub document: String,
    /// Char range in the document's current text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// The text version the range was taken from; a newer text refuses it.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Every change a user can make to a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    // ---- codebook ----
    /// Creates the codes of a starting codebook CSV (existing codes are kept).
    ImportCodebookCsv {
        path: PathBuf,
    },
    CreateCode {
        name: String,
        parent: Option<String>,
        color: Option<String>,
    },
    RenameCode {
        code: String,
        new_name: String,
    },
    SetCodeColor {
        code: String,
        color: String,
    },
    DescribeCode {
        code: String,
        description: CodeDescription,
    },
    /// Changes only the description fields given.
    DescribeCodeFields {
        code: String,
        definition: Option<String>,
        when_to_use: Option<String>,
        when_not: Option<String>,
    },
    MoveCode {
        code: String,
        parent: Option<String>,
    },
    MergeCodes {
        source: String,
        target: String,
    },
    SetCodeCategory {
        code: String,
        category: bool,
    },
    DeleteCode {
        code: String,
    },

    // ---- themes ----
    CreateTheme {
        name: String,
        definition: String,
    },
    RenameTheme {
        theme: String,
        new_name: String,
    },
    DefineTheme {
        theme: String,
        definition: String,
    },
    SetThemeStatus {
        theme: String,
        status: ThemeStatus,
    },
    DeleteTheme {
        theme: String,
    },
    AddCodeToTheme {
        theme: String,
        code: String,
    },
    RemoveCodeFromTheme {
        theme: String,
        code: String,
    },

    // ---- codings ----
    AddCoding(CodingSpec),
    /// Many codings in one change (`why` is its history summary).
    AddCodings {
        codings: Vec<CodingSpec>,
        why: String,
    },
    /// A new code named after the selected words, applied to them.
    CodeInVivo {
        document: String,
        start: usize,
        end: usize,
        parent: Option<String>,
    },
    RemoveCoding {
        coding: String,
    },
    /// Moves a coding to another code (same text, range and coder).
    RecodeCoding {
        coding: String,
        /// Code uuid, path or unique name.
        code: String,
    },
    ResizeCoding {
        coding: String,
        start: usize,
        end: usize,
    },
    SetKeyQuote {
        coding: String,
        key_quote: bool,
    },
    ImportCodingsCsv {
        path: PathBuf,
        create_codes: bool,
    },
    /// Settles two coders' disagreement over a passage (see [`Passage`]).
    SettleDisagreement {
        document: String,
        code: String,
        start: usize,
        end: usize,
        coder_a: String,
        coder_b: String,
        settle: Settle,
    },
    /// A CSV of codes, codings or participants (told from its header).
    ImportCsv {
        path: PathBuf,
        create_codes: bool,
    },

    // ---- documents and transcripts ----
    /// Imports files, each in its own change.
    ImportFiles {
        paths: Vec<PathBuf>,
        threads: usize,
    },
    /// Imports one file's bytes under `name`.
    ImportBytes {
        name: String,
        bytes: Vec<u8>,
    },
    ImportRefi {
        path: PathBuf,
    },
    CorrectDocument {
        document: String,
        file: PathBuf,
    },
    CorrectDocumentBytes {
        document: String,
        name: String,
        bytes: Vec<u8>,
    },
    CorrectDocumentText {
        document: String,
        text: String,
    },
    ResolveReview {
        item: String,
        resolution: Resolution,
    },

    // ---- speakers and turns ----
    EditTurns {
        document: String,
        edit: TurnEdit,
    },
    RenameSpeaker {
        document: String,
        label: String,
        new_label: String,
    },
    SetSpeakerRole {
        document: String,
        label: String,
        role: Role,
    },
    LinkSpeaker {
        document: String,
        label: String,
        participant: Option<String>,
    },
    ConfirmSpeakers {
        document: String,
        confirmed: bool,
    },

    // ---- participants ----
    ImportParticipantsCsv {
        path: PathBuf,
    },
    CreateParticipant {
        ident: String,
        name: Option<String>,
        pseudonym: Option<String>,
    },
    EditParticipant {
        participant: String,
        name: Option<String>,
        pseudonym: Option<String>,
    },
    /// Changes only the fields given (`Some("")` clears one).
    EditParticipantFields {
        participant: String,
        name: Option<String>,
        pseudonym: Option<String>,
    },
    DefineAttribute {
        name: String,
        kind: AttributeKind,
        choices: Vec<String>,
    },
    SetAttribute {
        participant: String,
        attribute: String,
        value: String,
    },
    SetParticipantKnownAs {
        participant: String,
        name: String,
    },

    // ---- memos ----
    AddMemo {
        target: MemoTarget,
        title: String,
        body: String,
    },
    AddJournalEntry {
        date: Option<String>,
        title: String,
        body: String,
    },
    EditMemo {
        memo: String,
        title: String,
        body: String,
    },
    EditMemoFields {
        memo: String,
        title: Option<String>,
        body: Option<String>,
    },
    /// Writes the memo of `target`, making it when missing.
    SetMemoText {
        target: MemoTarget,
        title: String,
        body: String,
    },
    DeleteMemo {
        memo: String,
    },

    // ---- names and pseudonyms ----
    ReviewName {
        name: String,
        verdict: Verdict,
        scope: Option<String>,
        note: String,
    },
    ReviewNames {
        names: Vec<String>,
        verdict: Verdict,
        note: String,
    },
    UnreviewName {
        name: String,
        scope: Option<String>,
    },
    SetPseudonym {
        original: String,
        replacement: String,
        kind: PseudonymKind,
        confirmed: bool,
        scope: Option<String>,
    },
    ConfirmPseudonym {
        original: String,
    },
    RemovePseudonym {
        original: String,
        scope: Option<String>,
    },
    ImportPseudonymKey {
        path: PathBuf,
    },
    /// Writes the key file; with `detach` the project keeps no originals.
    ExportPseudonymKey {
        path: PathBuf,
        detach: bool,
        bom: bool,
    },

    // ---- stories ----
    CreateStory {
        participant: String,
        title: String,
    },
    DraftStory {
        participant: String,
    },
    SetStoryTitle {
        story: String,
        title: String,
    },
    SetStoryPseudonym {
        story: String,
        pseudonym: String,
    },
    SetStoryRoleLine {
        story: String,
        role_line: String,
    },
    SetStoryFields {
        story: String,
        title: Option<String>,
        pseudonym: Option<String>,
        role_line: Option<String>,
    },
    SetStoryStatus {
        story: String,
        status: StoryStatus,
    },
    LinkStoryTheme {
        story: String,
        theme: String,
        linked: bool,
    },
    DeleteStory {
        story: String,
    },

    // ---- story blocks ----
    AddExcerpt {
        story: String,
        document: String,
        start: usize,
        end: usize,
        position: Option<usize>,
    },
    AddFraming {
        story: String,
        text: String,
        position: Option<usize>,
    },
    EditFraming {
        story: String,
        block: String,
        text: String,
    },
    MoveBlock {
        story: String,
        block: String,
        to: usize,
    },
    DeleteBlock {
        story: String,
        block: String,
    },
    SplitBlock {
        story: String,
        block: String,
        at_char: usize,
    },
    MergeWithNext {
        story: String,
        block: String,
    },
    CutWords {
        story: String,
        block: String,
        start: usize,
        end: usize,
    },
    DropFiller {
        story: String,
        block: String,
        start: usize,
        end: usize,
    },
    AddClarification {
        story: String,
        block: String,
        at: usize,
        text: String,
    },
    RemoveClarification {
        story: String,
        block: String,
        at: usize,
    },
    ReplaceWithPseudonym {
        story: String,
        block: String,
        start: usize,
        end: usize,
        replacement: String,
    },

    // ---- consent ----
    RecordStorySent {
        story: String,
        how: SendMethod,
        date: Option<String>,
        revision: Option<i64>,
    },
    /// The storyteller approved; `key_file` is the pseudonym key kept apart, if any.
    ApproveStory {
        story: String,
        how: String,
        date: Option<String>,
        revision: Option<i64>,
        scopes: Option<Vec<ConsentScope>>,
        key_file: Option<PathBuf>,
    },
    RecordStoryFeedback {
        story: String,
        kind: FeedbackKind,
        text: String,
        date: Option<String>,
    },
    SetStoryFeedbackDone {
        story: String,
        feedback: String,
        done: bool,
    },
    SetStoryConsent {
        story: String,
        scopes: Vec<ConsentScope>,
        date: Option<String>,
    },

    // ---- packs and workshops ----
    SavePackSettings {
        settings: Box<PackSettings>,
    },
    /// Saves only the fields that differ between `base` and `edited`.
    UpdatePackSettings {
        base: Box<PackSettings>,
        edited: Box<PackSettings>,
    },
    SaveStoryCheckSettings {
        settings: Box<StoryCheckSettings>,
    },
    UpdateStoryCheckSettings {
        base: Box<StoryCheckSettings>,
        edited: Box<StoryCheckSettings>,
    },
    ImportWorkshopNotes {
        path: PathBuf,
    },

    // ---- team ----
    MergeCopy {
        other: PathBuf,
        dry_run: bool,
    },
    SettleMergeConflict {
        conflict: String,
    },
    /// Settles a merge conflict of any kind by taking the other person's
    /// version (a deletion stands, their correction becomes current, ...).
    TakeOtherVersion {
        conflict: String,
    },

    // ---- history ----
    Undo,
    Redo,
}

/// Payloads longer than this are recorded in the history by length and
/// digest instead of in full (a corrected transcript, an imported file).
const INTENT_PAYLOAD_MAX: usize = 2_000;

impl Command {
    /// Whether the command changes codings and nothing a document's text,
    /// turns or speakers show (an in-vivo coding also makes its code): the
    /// window then reads the codings again, not the transcript.
    pub fn changes_only_codings(&self) -> bool {
        matches!(
            self,
            Command::AddCoding(_)
                | Command::AddCodings { .. }
                | Command::CodeInVivo { .. }
                | Command::RemoveCoding { .. }
                | Command::RecodeCoding { .. }
                | Command::ResizeCoding { .. }
                | Command::SetKeyQuote { .. }
        )
    }

    /// The command's name as the history and the JSON show it (`rename_code`).
    pub fn name(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(o)) => o
                .get("command")
                .and_then(|c| c.as_str())
                .unwrap_or_default()
                .to_owned(),
            _ => String::new(),
        }
    }

    /// What the history records as this command's intent: the command as
    /// JSON, with a large payload (file bytes, a whole transcript) given by
    /// its length and SHA-256 instead.
    pub fn intent(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let serde_json::Value::Object(o) = &mut value {
            for field in ["bytes", "text"] {
                let size = match o.get(field) {
                    Some(serde_json::Value::String(s)) => Some((s.len(), s.as_bytes().to_vec())),
                    Some(serde_json::Value::Array(a)) => Some((a.len(), Vec::new())),
                    _ => None,
                };
                if let Some((len, text)) = size
                    && len > INTENT_PAYLOAD_MAX
                {
                    let digest = match self {
                        Command::ImportBytes { bytes, .. }
                        | Command::CorrectDocumentBytes { bytes, .. } => {
                            crate::project::sha256_hex(bytes)
                        }
                        _ => crate::project::sha256_hex(&text),
                    };
                    o.insert(
                        field.to_owned(),
                        serde_json::json!({ "len": len, "sha256": digest }),
                    );
                }
            }
        }
        value.to_string()
    }
}
