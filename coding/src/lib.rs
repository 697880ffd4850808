//! The Storyloom domain: one [`Project`] handle over a single SQLite file.
//!
//! The window and the command line both call this API; nothing outside
//! [`store`] writes SQL. This crate knows nothing of egui.

pub mod analysis;
pub mod anchor;
pub mod codebook;
pub mod error;
pub mod import;
pub mod marks;
pub mod model;
pub mod participants;
pub mod project;
pub mod refi;
pub mod search;
pub mod store;
pub mod stories;
pub mod synth;
pub mod text;
pub mod turns;

pub use error::{Error, ImportError, Result};
pub use model::*;
pub use project::{
    CodingRequest, ImportOptions, ImportOutcome, ImportReport, MergeReport, ParticipantImport,
    Project,
};
pub use project::{CorrectionReport, Resolution, Scope};
pub use store::Reversal;
