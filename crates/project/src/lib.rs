//! The Storyloom domain: one [`Project`] handle over a single SQLite file.
//!
//! The window and the command line both call this API; nothing outside
//! `storyloom-store` writes SQL. This crate knows nothing of egui.
//!
//! **Rule:** the facade. It resolves names to rows, loads what the pure
//! crates need, calls them, and applies the results through the store, one
//! change per user action. It may depend on every domain crate below it and
//! on nothing above (`storyloom-exports`, the app). The lower crates are
//! re-exported under their old module names so that callers need only this
//! crate.

pub mod command;
pub mod error;
pub mod merge;
pub mod project;

#[cfg(test)]
mod consent_tests;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod stories_tests;

pub use storyloom_analysis as analysis;
pub use storyloom_import as import;
pub use storyloom_import::{codebook, participants, turns};
pub use storyloom_privacy as privacy;
pub use storyloom_refi as refi;
pub use storyloom_search as search;
pub use storyloom_share as share;
pub use storyloom_store as store;
pub use storyloom_stories as stories;
pub use storyloom_text::ids::{CodeId, DocumentId, MemoId, ParticipantId, StoryId, ThemeId};
pub use storyloom_text::{anchor, ids, marks, model, synth, text};

pub use command::{Applied, CodingSpec, Command};
pub use error::{Error, ImportError, Result};
pub use model::*;
pub use project::{
    CodingRequest, ImportOptions, ImportOutcome, ImportReport, MergeReport, ParticipantImport,
    Project,
};
pub use project::{CorrectionReport, CutToSentenceEnd, Resolution, Scope, TurnEdit};
pub use store::Reversal;
pub use store::codings::CodingCount;
