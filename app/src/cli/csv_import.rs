//! The CSV side of `storyloom import`: participants, codebook and codings
//! spreadsheets, told apart by their headers (`Project::import_csv`).
//! Participants and codebooks go in before the transcripts named in the
//! same command, codings after them, so `storyloom import P *.csv
//! interviews/*` builds a study in one go.

use super::{open, print_json};
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use storyloom_project::Command as Cmd;
use storyloom_project::project::{CsvImport, CsvKind, csv_header, csv_kind};

/// Is this a CSV file?
pub fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// The study spreadsheets in the order they must go in: participants and
/// codebooks first, codings last (after the transcripts they point into).
/// Transcript tables are left among the transcripts.
pub fn split_by_kind(files: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let (mut before, mut after) = (vec![], vec![]);
    for f in files.iter().filter(|f| is_csv(f)) {
        let header = csv_header(f)?;
        match csv_kind(&header) {
            Some(CsvKind::Codings) => after.push(f.clone()),
            Some(CsvKind::Participants) => before.insert(0, f.clone()),
            Some(CsvKind::Codebook) => before.push(f.clone()),
            Some(CsvKind::Transcript) => {}
            None => anyhow::bail!(
                "{}: not a codebook, codings, participants or transcript CSV (header: {}); a transcript table needs {}",
                f.display(),
                header.join(", "),
                storyloom_project::import::table::EXPECTED
            ),
        }
    }
    Ok((before, after))
}

/// Is this CSV a transcript table (imported with the transcripts)?
fn is_transcript_csv(path: &Path) -> bool {
    csv_header(path).is_ok_and(|h| csv_kind(&h) == Some(CsvKind::Transcript))
}

/// Imports CSV files in order; prints what each did and every row that did
/// not fit. Returns the reports.
pub fn import_csvs(
    project: &Path,
    files: &[PathBuf],
    create_codes: bool,
    json: bool,
) -> Result<Vec<CsvImport>> {
    let mut p = open(project)?;
    let mut out = Vec::new();
    for f in files {
        let r = p
            .apply(Cmd::ImportCsv {
                path: f.to_path_buf(),
                create_codes,
            })
            .and_then(|a| a.csv_imported())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if !json {
            println!("imported  {} ({}): {}", r.file, r.kind.as_str(), r.summary);
            for x in &r.problems {
                println!(
                    "          not imported: {} row {}: {}",
                    x.file, x.row, x.reason
                );
            }
        }
        out.push(r);
    }
    Ok(out)
}

/// `storyloom import PROJECT` with CSV files among the files.
pub fn run(
    project: &Path,
    files: &[PathBuf],
    threads: usize,
    create_codes: bool,
    json: bool,
) -> Result<ExitCode> {
    let (before, after) = split_by_kind(files)?;
    let mut reports = import_csvs(project, &before, create_codes, json)?;
    let transcripts: Vec<PathBuf> = files
        .iter()
        .filter(|f| !is_csv(f) || is_transcript_csv(f))
        .cloned()
        .collect();
    let mut code = ExitCode::SUCCESS;
    if !transcripts.is_empty() {
        code = super::documents::import_transcripts(project, &transcripts, threads, json)?;
    }
    reports.extend(import_csvs(project, &after, create_codes, json)?);
    if json {
        print_json(&reports)?;
    }
    let problems: usize = reports.iter().map(|r| r.problems.len()).sum();
    if problems > 0 {
        if !json {
            println!("{problems} rows did not fit (listed above); the rest were imported");
        }
        return Ok(ExitCode::from(2));
    }
    Ok(code)
}
