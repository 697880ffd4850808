//! `storyloom export theme-report|codebook|segments`: the theme report, the
//! codebook and the coded segments, through `storyloom_exports::reports`.

use anyhow::{Context, Result};
use clap::ValueEnum;
use std::path::Path;
use storyloom_exports::reports::{self, ReportOptions};
use storyloom_project::stories::PseudonymMap;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CodebookFormat {
    Docx,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SegmentsFormat {
    Csv,
    Xlsx,
}

fn options(key: Option<&Path>) -> Result<ReportOptions> {
    let mut o = ReportOptions::default();
    if let Some(k) = key {
        o.key_file = Some(
            PseudonymMap::read_file(k)
                .with_context(|| format!("reading the key file {}", k.display()))?,
        );
    }
    Ok(o)
}

/// `storyloom export theme-report PROJECT OUT.docx`.
pub fn theme_report(
    project: &Path,
    out: &Path,
    group_by: Option<String>,
    quotes: Option<usize>,
    key: Option<&Path>,
) -> Result<()> {
    let p = super::open(project)?;
    let mut o = options(key)?;
    if let Some(g) = group_by {
        o.group_by = g;
    }
    if let Some(q) = quotes {
        o.quotes_per_theme = q;
    }
    let s = reports::export_theme_report(&p, out, &o)
        .with_context(|| format!("exporting {}", out.display()))?;
    println!(
        "wrote {}: {} themes, {} quotes",
        out.display(),
        s.themes,
        s.quotes
    );
    for (who, why) in &s.left_out {
        println!("  left out the quotes of {who}: they {why}");
    }
    if let Some(c) = &s.checked {
        println!("  checked every part of the file: {c}");
    }
    Ok(())
}

/// `storyloom export codebook PROJECT OUT --format docx|csv`.
pub fn codebook(project: &Path, out: &Path, format: CodebookFormat, no_bom: bool) -> Result<()> {
    let p = super::open(project)?;
    let mut o = ReportOptions::default();
    o.csv.bom = !no_bom;
    let (n, checked) = match format {
        CodebookFormat::Docx => reports::codebook::export_codebook_docx_checked(&p, out, &o),
        CodebookFormat::Csv => reports::codebook::export_codebook_csv_checked(&p, out, &o),
    }
    .with_context(|| format!("exporting {}", out.display()))?;
    println!("wrote {}: {n} codes", out.display());
    println!("  checked every part of the file: {checked}");
    Ok(())
}

/// `storyloom export segments PROJECT OUT --format csv|xlsx`.
pub fn segments(
    project: &Path,
    out: &Path,
    format: SegmentsFormat,
    key: Option<&Path>,
    no_bom: bool,
) -> Result<()> {
    let p = super::open(project)?;
    let mut o = options(key)?;
    o.csv.bom = !no_bom;
    let (n, checked) = match format {
        SegmentsFormat::Csv => {
            storyloom_exports::segments::export_segments_csv_checked(&p, out, &o)
        }
        SegmentsFormat::Xlsx => {
            storyloom_exports::segments_xlsx::export_segments_xlsx_checked(&p, out, &o)
        }
    }
    .with_context(|| format!("exporting {}", out.display()))?;
    println!("wrote {}: {n} coded segments", out.display());
    println!("  checked every part of the file: {checked}");
    Ok(())
}
