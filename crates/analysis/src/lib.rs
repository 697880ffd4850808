//! Queries over codings: code expressions, matrices and inter-coder agreement.
//! Pure computations over rows the store loads; no SQL here.
//!
//! **Rule:** pure functions over plain rows; depends only on `storyloom-text`
//! (where its rows are defined, so that the store can load them without
//! knowing this crate). The facade loads the rows and calls in.
//!
//! Everything in this module works on plain rows ([`Segment`], [`TurnSpan`],
//! [`DocLen`], [`WordIndex`]) so that it can be tested by hand, benchmarked
//! without a database and reused by the window and the command line alike.
//!
//! Conventions shared by every function here:
//!
//! * Offsets are char indices into a document's current text, end exclusive,
//!   as everywhere in Storyloom (see [`storyloom_text::text`]).
//! * Two ranges *overlap* only when they share at least one char: `[0, 5)` and
//!   `[5, 9)` touch but do not overlap. Codings that merely touch are adjacent
//!   text, not co-coded text.
//! * A coding with `start == end` (its text was deleted by an edit) has no
//!   text: it is ignored everywhere. A coding with `start > end` is corrupt and
//!   is reported as [`AnalysisError::InvalidSegment`] instead of being guessed
//!   at.
//! * A segment belongs to every turn it overlaps; when one turn must be chosen
//!   (attribution to a participant, filters) it is the turn containing the
//!   segment's start, or else the first turn the segment overlaps (a segment
//!   may start on a speaker label, between turns). See [`TurnIndex`].
//! * Results are sorted (by document, then position) so that output is
//!   deterministic and diffs between runs mean something.
//!
//! Words are counted with [`WordIndex`]: the caller builds it once from the
//! texts it loaded (`doc_id -> text`), and every function that reports words
//! takes it. This keeps the text out of every row and lets a word be counted
//! once even when several codings cut through it.

use storyloom_text::ids::{CodeId, DocumentId};

pub mod agreement;
pub mod cooccurrence;
pub mod expr;
pub mod intervals;
pub mod matrix;
pub mod retrieval;
mod turn_index;
mod words;

pub use agreement::{
    AgreementReport, CharAgreement, CodeAgreement, CodeAlpha, Disagreement, DocAgreement,
    KrippendorffAlpha, TurnAlphaReport, char_agreement, compare_coders, disagreements,
    krippendorff_alpha_nominal, turn_alpha,
};
pub use cooccurrence::{CooccurrenceMatrix, CooccurrenceMode, cooccurrence};
pub use expr::{CodeRef, Expr, parse};
pub use matrix::{
    Cell, CodeFrequency, ColumnKey, Matrix, code_by_attribute, code_by_participant,
    code_frequencies,
};
pub use retrieval::{Passage, TurnFilter, retrieve, retrieve_codings};
pub use turn_index::TurnIndex;
pub use words::WordIndex;

/// The plain rows every function here reads (defined with the model, where
/// the store that loads them can see them too).
pub use storyloom_text::model::{DocLen, Segment, TurnSpan};

/// Why an analysis could not be computed. Messages say what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    #[error("the query is empty: type one or more code names, e.g. Loneliness AND Trust")]
    EmptyQuery,
    #[error(
        "the parenthesis opened at column {column} is never closed: add a ')' or remove the '('"
    )]
    UnclosedParen { column: usize },
    #[error("the ')' at column {column} has no matching '(': remove it or add a '(' before it")]
    UnopenedParen { column: usize },
    #[error(
        "the quote opened at column {column} is never closed: end the code name with a matching quote"
    )]
    UnclosedQuote { column: usize },
    #[error("empty quotes at column {column}: put a code name between them")]
    EmptyName { column: usize },
    #[error("empty parentheses at column {column}: put codes between them or remove them")]
    EmptyParens { column: usize },
    #[error("'{operator}' at column {column} needs a code on its {side}")]
    DanglingOperator {
        operator: String,
        column: usize,
        side: &'static str,
    },
    #[error(
        "expected AND, OR or NOT before column {column}; a code name containing AND, OR, NOT or parentheses must be put in quotes"
    )]
    MissingOperator { column: usize },
    #[error(
        "NOT at column {column} has nothing to subtract from: write e.g. Loneliness NOT Family (Storyloom does not retrieve all text not coded with a code)"
    )]
    NothingToSubtractFrom { column: usize },
    #[error("two NOTs in a row at column {column}: remove one")]
    DoubleNot { column: usize },
    #[error("unknown code \"{name}\" at column {column}: {reason}")]
    UnknownCode {
        name: String,
        column: usize,
        reason: String,
    },
    #[error(
        "coding {coding_id} in document {doc_id} has its end ({end}) before its start ({start}); the project needs repair (run the integrity check)"
    )]
    InvalidSegment {
        coding_id: i64,
        doc_id: DocumentId,
        start: usize,
        end: usize,
    },
    #[error(
        "coding {coding_id} ends at char {end} but document {doc_id} has only {len} chars: the text changed since it was coded; re-anchor the codings and run the query again"
    )]
    SegmentOutOfRange {
        coding_id: i64,
        doc_id: DocumentId,
        end: usize,
        len: usize,
    },
    #[error("the text of document {doc_id} was not loaded, so its words cannot be counted")]
    MissingText { doc_id: DocumentId },
    #[error("code {code_id} is listed twice; list each code once")]
    DuplicateCode { code_id: CodeId },
    #[error("coder A and coder B are both \"{0}\"; choose two different coders to compare")]
    SameCoder(String),
    #[error(
        "the reliability data is ragged: coder {coder} has {found} values but coder 1 has {expected}; give every coder one value (or none) per unit"
    )]
    RaggedReliabilityData {
        coder: usize,
        expected: usize,
        found: usize,
    },
}

/// Result alias for this module.
pub type Result<T, E = AnalysisError> = std::result::Result<T, E>;

/// Checks a segment is usable and says whether it has any text.
///
/// Returns `Ok(false)` for an empty coding (to be skipped) and an error for a
/// reversed one, so that no function silently reinterprets corrupt rows.
pub(crate) fn check_segment(s: &Segment) -> Result<bool> {
    if s.start > s.end {
        return Err(AnalysisError::InvalidSegment {
            coding_id: s.coding_id,
            doc_id: s.doc_id,
            start: s.start,
            end: s.end,
        });
    }
    Ok(s.start < s.end)
}

/// Code ids from plain numbers, for tests.
#[cfg(test)]
pub(crate) fn code_ids(ids: &[i64]) -> Vec<CodeId> {
    ids.iter().copied().map(CodeId).collect()
}

/// A segment from plain numbers, for tests.
#[cfg(test)]
pub(crate) fn test_segment(
    coding_id: i64,
    code_id: i64,
    doc_id: i64,
    span: (usize, usize),
    coder: &str,
) -> Segment {
    Segment {
        coding_id,
        code_id: CodeId(code_id),
        doc_id: DocumentId(doc_id),
        start: span.0,
        end: span.1,
        coder: coder.into(),
    }
}
