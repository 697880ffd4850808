//! Stories (DESIGN §5): one participant's account condensed to two pages in
//! their own words. The model ([`model`]), the rendering every reader of a
//! story uses ([`render`]), the pseudonym map ([`pseudonyms`]), the fidelity
//! checker ([`check`]) and the auto-draft ([`draft`]). None of these touch
//! the store: `Project` loads what they need (see `project/stories_ops.rs`),
//! so each is a pure function that tests and benchmarks can call directly.
//!
//! **Rule:** pure functions over the story model, which lives in
//! `storyloom-text` (re-exported here as [`model`]) so that the store can keep
//! stories without knowing this crate. Depends only on `storyloom-text`; the
//! one file access is the pseudonym key file the user names.

pub mod approval;
pub mod check;
pub mod draft;
pub mod edit;
pub mod error;
pub mod pseudonyms;
pub mod quality;
pub mod render;
pub mod tokens;
pub mod words;

/// The storyteller's consent on record (plain data, kept by the store).
pub use storyloom_text::consent;
/// The story model (plain data, kept by the store).
pub use storyloom_text::story as model;

pub use error::{Error, Result};

pub use approval::check_for_export;
pub use check::{CheckReport, Finding, Severity, check};
pub use draft::{
    Draft, DraftCoding, DraftInput, RoleAttributes, STAGE_NAMES, draft, framing, role_line,
    sentences, title_flags,
};
pub use model::*;
pub use pseudonyms::PseudonymMap;
pub use render::{
    ELLIPSIS, Paragraph, ParagraphKind, RenderedStory, Run, RunKind, RunSource, SourceDoc,
    SourceTurn, Sources, render,
};

use serde_json::json;
use sha2::{Digest, Sha256};

/// What a revision keeps: the words and edits a storyteller approves,
/// independent of where the spans sit in the text (so a correction that
/// leaves an excerpt's words alone keeps the approval valid).
pub fn snapshot(story: &Story) -> serde_json::Value {
    let blocks: Vec<serde_json::Value> = story
        .blocks
        .iter()
        .map(|b| match &b.content {
            BlockContent::Framing { text } => json!({ "framing": text }),
            BlockContent::Excerpt { pieces } => json!({
                "excerpt": pieces.iter().map(|p| json!({
                    "document": p.span.document,
                    "quote": p.span.quote,
                    "gap": p.gap,
                    "replace": p.replace,
                    "clarification": p.clarification,
                })).collect::<Vec<_>>()
            }),
        })
        .collect();
    json!({
        "title": story.title,
        "pseudonym": story.pseudonym,
        "role_line": story.role_line,
        "themes": story.themes,
        "blocks": blocks,
    })
}

/// A short hash of a snapshot, to compare revisions.
pub fn snapshot_hash(snapshot: &serde_json::Value) -> String {
    let digest = Sha256::digest(snapshot.to_string().as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
