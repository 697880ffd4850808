//! `storyloom import PROJECT FILE.csv`: which of the three study
//! spreadsheets a CSV is, told by its header, and its import with one report
//! listing the rows that did not fit (file, row, reason).
//!
//! - codings: `document`, `code` and `quote` (the sample's `codings.csv`) or
//!   `text` (our coded-segments export);
//! - codebook: `code` or `path` with a codebook column (`colour`,
//!   `definition`, `when to use`, `level`, …) and no `document`;
//! - participants: a participant id column (`id`, `participant`, `case`, …);
//! - a transcript table: a text column beside a speaker or time column
//!   (`timestamp,speaker,words,tags`), imported as a transcript like any
//!   other file (see `storyloom_import::table`).
//!
//! Each kind is imported in one transaction; on an error nothing is kept.

use super::Project;
use super::codings_csv::CodingsCsvOptions;
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::Path;

/// What a CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CsvKind {
    Codebook,
    Codings,
    Participants,
    /// A transcript kept as a table, one row per paragraph.
    Transcript,
}

impl CsvKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CsvKind::Codebook => "codebook",
            CsvKind::Codings => "codings",
            CsvKind::Participants => "participants",
            CsvKind::Transcript => "transcript",
        }
    }
}

const CODEBOOK_COLUMNS: &[&str] = &[
    "colour",
    "color",
    "definition",
    "description",
    "when to use",
    "when_to_use",
    "inclusion",
    "when not to use",
    "when_not",
    "exclusion",
    "level",
];
const PARTICIPANT_ID_COLUMNS: &[&str] = &[
    "id",
    "participant",
    "participant id",
    "participant_id",
    "case",
];

/// The kind of a CSV from its header cells; `None` when it is none of them.
pub fn csv_kind(header: &[String]) -> Option<CsvKind> {
    let h: Vec<String> = header
        .iter()
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let has = |names: &[&str]| h.iter().any(|c| names.contains(&c.as_str()));
    if has(&["document"]) && has(&["code", "path"]) && has(&["quote", "text"]) {
        return Some(CsvKind::Codings);
    }
    // Before the participants: a transcript's speaker column may be `participant`.
    if crate::import::table::Columns::fits(header) {
        return Some(CsvKind::Transcript);
    }
    if !has(&["document"])
        && has(&["code", "path"])
        && (has(CODEBOOK_COLUMNS) || h.iter().all(|c| c == "code" || c == "path"))
    {
        return Some(CsvKind::Codebook);
    }
    if has(PARTICIPANT_ID_COLUMNS) && !has(&["document"]) {
        return Some(CsvKind::Participants);
    }
    None
}

/// A row that did not fit.
#[derive(Debug, Clone, Serialize)]
pub struct RowProblem {
    pub file: String,
    /// The row in the file, the header being row 1 (0: the file as a whole).
    pub row: usize,
    pub reason: String,
}

/// What importing one CSV did.
#[derive(Debug, Clone, Serialize)]
pub struct CsvImport {
    pub file: String,
    pub kind: CsvKind,
    /// One line saying what went in.
    pub summary: String,
    pub problems: Vec<RowProblem>,
}

/// `row 7: the reason` as a [`RowProblem`].
fn problem(file: &str, line: &str) -> RowProblem {
    let parsed = line.strip_prefix("row ").and_then(|rest| {
        let (n, reason) = rest.split_once(':')?;
        Some((n.trim().parse().ok()?, reason.trim().to_owned()))
    });
    let (row, reason) = parsed.unwrap_or((0, line.to_owned()));
    RowProblem {
        file: file.to_owned(),
        row,
        reason,
    }
}

/// A CSV file's text, decoded whatever its encoding (BOM, UTF-16, 8-bit),
/// with errors that name the file.
pub(crate) fn read_csv_text(path: &Path) -> Result<String> {
    let csv_err = |reason: String| Error::Csv {
        path: path.display().to_string(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| csv_err(e.to_string()))?;
    let mut notes = vec![];
    crate::import::decode::decode_text(&bytes, &mut notes).map_err(|e| csv_err(e.to_string()))
}

/// The header row of a CSV file.
pub fn csv_header(path: &Path) -> Result<Vec<String>> {
    let csv_err = |reason: String| Error::Csv {
        path: path.display().to_string(),
        reason,
    };
    let text = read_csv_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    Ok(reader
        .headers()
        .map_err(|e| csv_err(format!("cannot read the header row: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect())
}

impl Project {
    /// Imports a codebook, codings or participants CSV, told apart by its
    /// header. `create_codes`: codings naming a code the codebook lacks create it.
    pub fn import_csv(&mut self, path: &Path, create_codes: bool) -> Result<CsvImport> {
        let header = csv_header(path)?;
        let kind = csv_kind(&header).ok_or_else(|| Error::Csv {
            path: path.display().to_string(),
            reason: format!(
                "not a codebook, codings, participants or transcript CSV: its header ({}) has no \
                 document+code+quote columns (codings), no code column with colour or \
                 definition (codebook), no id column (participants), and not {} (transcript)",
                header.join(", "),
                crate::import::table::EXPECTED
            ),
        })?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (summary, rejected) = match kind {
            CsvKind::Codebook => {
                let created = self.import_codebook_csv(path)?;
                (format!("{} codes created", created.len()), vec![])
            }
            CsvKind::Codings => {
                let r = self.import_codings_csv_with(path, CodingsCsvOptions { create_codes })?;
                let mut s = format!("{} codings applied", r.applied);
                if r.already > 0 {
                    s.push_str(&format!(", {} already there", r.already));
                }
                if !r.codes_created.is_empty() {
                    s.push_str(&format!(", {} codes created", r.codes_created.len()));
                }
                (s, r.rejected)
            }
            CsvKind::Transcript => (self.import_csv_transcript(path)?, vec![]),
            CsvKind::Participants => {
                let r = self.import_participants_csv(path)?;
                (
                    format!(
                        "{} participants new, {} updated, {} attributes, {} speakers linked",
                        r.created.len(),
                        r.updated.len(),
                        r.attributes.len(),
                        r.linked.len()
                    ),
                    r.rejected,
                )
            }
        };
        Ok(CsvImport {
            problems: rejected.iter().map(|l| problem(&file, l)).collect(),
            file,
            kind,
            summary,
        })
    }
}

impl Project {
    /// A transcript table, imported as any transcript file is; the summary
    /// says what went in, a file that does not read is an error naming it.
    fn import_csv_transcript(&mut self, path: &Path) -> Result<String> {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let report = self.import_files(
            &[path.to_path_buf()],
            &super::ImportOptions::default(),
            &cancel,
            &mut |_, _, _| {},
        )?;
        match report.outcomes.into_iter().next() {
            Some(super::ImportOutcome::Imported {
                speakers,
                turns,
                words,
                notes,
                ..
            }) => {
                let mut s =
                    format!("transcript: {speakers} speakers, {turns} turns, {words} words");
                if let Some(tags) = notes.iter().find(|n| n.contains("from the file's tags")) {
                    s.push_str(&format!("; {tags}"));
                }
                Ok(s)
            }
            Some(super::ImportOutcome::Duplicate { existing, .. }) => {
                Ok(format!("already imported as {existing}"))
            }
            Some(super::ImportOutcome::Failed { error, .. }) => Err(Error::Csv {
                path: path.display().to_string(),
                reason: error,
            }),
            Some(super::ImportOutcome::Cancelled { .. }) | None => Err(Error::Csv {
                path: path.display().to_string(),
                reason: "the import was cancelled".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(h: &str) -> Option<CsvKind> {
        csv_kind(&h.split(',').map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn the_three_kinds_are_told_apart_by_their_headers() {
        // The sample study's files.
        assert_eq!(
            kind("code,colour,definition,when to use,when not to use"),
            Some(CsvKind::Codebook)
        );
        assert_eq!(
            kind("document,code,quote,coder,key_quote"),
            Some(CsvKind::Codings)
        );
        assert_eq!(
            kind("id,name,pseudonym,role,gender"),
            Some(CsvKind::Participants)
        );
        // Our own exports.
        assert_eq!(
            kind("\u{feff}path,level,colour,definition,when_to_use,when_not,codings"),
            Some(CsvKind::Codebook)
        );
        assert_eq!(
            kind(
                "document,participant,role,code,text,start,end,timestamp,coder,coding_date,key_quote,coding"
            ),
            Some(CsvKind::Codings)
        );
        // A transcript table is a transcript, even with a `participant` column.
        assert_eq!(kind("speaker,time,text"), Some(CsvKind::Transcript));
        assert_eq!(
            kind("timestamp,participant,words,tags"),
            Some(CsvKind::Transcript)
        );
        assert_eq!(kind("document,turn,speaker,role,participant,text"), None);
        assert_eq!(kind("name,notes"), None);
    }

    #[test]
    fn row_problems_keep_their_row_numbers() {
        let p = problem("c.csv", "row 7: the quote is not in P03");
        assert_eq!((p.row, p.reason.as_str()), (7, "the quote is not in P03"));
        assert_eq!(problem("c.csv", "odd").row, 0);
    }
}
