//! The bottom layer of Storyloom: plain data and the conventions every other
//! crate shares.
//!
//! - [`model`]: the rows the API hands out (documents, turns, codes, codings…)
//!   and the plain rows the analyses read; [`story`]: a story and the source
//!   texts its spans point into.
//! - [`ids`]: typed row ids (`DocumentId`, `CodeId`…) the rows carry.
//! - [`text`]: NFC, `\n`, offsets in chars; [`marks`]: transcription marks.
//! - [`anchor`]: re-anchoring char ranges from one version of a text to the next.
//! - [`synth`]: synthetic transcripts for benchmarks.
//!
//! **Rule:** no SQL, no files, no other Storyloom crate. Everything here is a
//! pure function or a plain type, so every layer above may use it.

pub mod anchor;
pub mod consent;
pub mod ids;
pub mod marks;
pub mod model;
pub mod pattern;
pub mod story;
pub mod synth;
pub mod text;
