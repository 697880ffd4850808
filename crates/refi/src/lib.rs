//! REFI-QDA interchange: reading `.qdpx` projects and `.qdc` codebooks
//! written by NVivo, ATLAS.ti, MAXQDA, QualCoder, qc and Storyloom itself
//! ([`read`]), and writing them ([`write`]; `storyloom-exports` puts the
//! result into files).
//!
//! **Rule:** reads and writes the exchange format over plain data; knows
//! nothing of the store or of `Project`. The facade (`storyloom-project`,
//! `project/refi_import.rs`) feeds it and applies what it read in one change.
//! Depends on `storyloom-text` and `storyloom-import`.
//!
//! The archive is read in memory with the importer's safe zip reader (size
//! caps checked before inflating, entry names matched case-insensitively,
//! climbing names refused); nothing from it is ever written to disk. The
//! XML reader refuses any DOCTYPE. Text sources go through the normal `.txt`
//! importer, so speakers and turns are detected as for any transcript, and
//! every selection is mapped from the producer's way of counting to chars of
//! the stored (NFC, `\n`) text. The whole import is one transaction with one
//! history entry: it lands completely or not at all.

pub mod dom;
pub mod labels;
mod names;
pub mod offsets;
pub mod qde;
pub mod read;
mod report;
pub mod write;

pub use offsets::{OffsetMap, Units};
pub use report::{NameCheck, RefiImportReport, SelectionOutcome};

/// A speaker of a document linked to a participant: what a REFI case's
/// `SourceRef` points at, with the label so the link survives a round trip.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParticipantSource {
    /// Participant id (`P01`).
    pub participant: String,
    pub document_uuid: String,
    pub document_name: String,
    pub speaker: String,
}

/// The largest `.qdpx` read. The archive is read in memory; media files
/// stored inside it (video) are the usual reason for a big one.
pub const MAX_ARCHIVE_BYTES: u64 = 1024 * 1024 * 1024;

/// `origin` written on Storyloom's own exports.
pub const ORIGIN: &str = concat!("Storyloom ", env!("CARGO_PKG_VERSION"));

/// Markers Storyloom writes into REFI descriptions so that what the standard
/// has no field for survives a round trip; read back on import.
pub mod markers {
    /// Code description: definition, then these paragraphs.
    pub const WHEN_TO_USE: &str = "When to use: ";
    pub const WHEN_NOT: &str = "When not to use: ";
    /// Variable description of a choice attribute: `Choices: a | b | c`.
    pub const CHOICES: &str = "Choices: ";
    /// Set description of a theme past candidate: `Status: reviewed`.
    pub const THEME_STATUS: &str = "Status: ";
    /// Note description of a journal entry: `Journal entry 2026-05-01`.
    pub const JOURNAL: &str = "Journal entry ";
    /// Case description lines.
    pub const PSEUDONYM: &str = "Pseudonym: ";
    pub const SPEAKS_AS: &str = "Speaks as “";
    /// A participant who withdrew (issue 11): `Withdrawn: withdrew their story …`.
    pub const WITHDRAWN: &str = "Withdrawn: ";
    /// A Link from a Note to what it is about (participants have no NoteRef).
    pub const MEMO_LINK: &str = "Memo";
    /// Code description: the code's memos follow this paragraph (QualCoder
    /// and NVivo show a code's memo from its description). The memos also
    /// travel as Notes, so the importer drops this part of the description.
    pub const CODE_MEMOS: &str = "Memos:";

    /// Splits a code description into definition, when to use, when not to use.
    pub fn split_code_description(d: &str) -> (String, String, String) {
        let mut def = Vec::new();
        let (mut use_, mut not) = (String::new(), String::new());
        for para in d.split("\n\n") {
            if para.trim() == CODE_MEMOS {
                break;
            }
            if let Some(rest) = para.strip_prefix(WHEN_TO_USE) {
                use_ = rest.trim().to_owned();
            } else if let Some(rest) = para.strip_prefix(WHEN_NOT) {
                not = rest.trim().to_owned();
            } else {
                def.push(para);
            }
        }
        (def.join("\n\n").trim().to_owned(), use_, not)
    }

    /// The description Storyloom writes for a code.
    pub fn code_description(definition: &str, when_to_use: &str, when_not: &str) -> String {
        let mut parts = Vec::new();
        if !definition.trim().is_empty() {
            parts.push(definition.trim().to_owned());
        }
        if !when_to_use.trim().is_empty() {
            parts.push(format!("{WHEN_TO_USE}{}", when_to_use.trim()));
        }
        if !when_not.trim().is_empty() {
            parts.push(format!("{WHEN_NOT}{}", when_not.trim()));
        }
        parts.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::markers::*;

    #[test]
    fn code_memos_in_descriptions_are_left_out_on_import() {
        let d = format!(
            "{}\n\n{CODE_MEMOS}\n\nFirst memo\n\nWhen to use: not this",
            code_description("Def", "Use", "")
        );
        assert_eq!(
            split_code_description(&d),
            ("Def".into(), "Use".into(), String::new())
        );
    }

    #[test]
    fn code_descriptions_round_trip() {
        let d = code_description("Feeling part of it.", "Belonging talk", "Mere attendance");
        assert_eq!(
            split_code_description(&d),
            (
                "Feeling part of it.".into(),
                "Belonging talk".into(),
                "Mere attendance".into()
            )
        );
        assert_eq!(
            split_code_description("Just a definition\n\nin two paragraphs"),
            (
                "Just a definition\n\nin two paragraphs".into(),
                String::new(),
                String::new()
            )
        );
    }
}
