//! The codebook as a Word file (hierarchy by indentation, colour swatch and
//! hex, definition, when to use, when not, counts) and as CSV.

use super::{ReportOptions, body, document, para};
use crate::ExportError;
use crate::docx::{Para, Run, Spacing, StyleId};
use crate::gate::GateReport;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use storyloom_project::project::CodeFrequencyRow;
use storyloom_project::{Code, Project};

pub const CSV_HEADER: [&str; 10] = [
    "path",
    "level",
    "colour",
    "definition",
    "when_to_use",
    "when_not",
    "codings",
    "documents",
    "participants",
    "words",
];

fn codes_and_counts(
    project: &Project,
) -> Result<(Vec<Code>, HashMap<String, CodeFrequencyRow>), ExportError> {
    let codes = project.codes()?;
    let counts = project
        .code_frequencies()?
        .into_iter()
        .map(|f| (f.code.clone(), f))
        .collect();
    Ok((codes, counts))
}

/// Writes the codebook as CSV, one row per code. Returns the number of codes.
pub fn write_codebook_csv(
    project: &Project,
    style: crate::CsvStyle,
    out: impl Write,
) -> Result<usize, ExportError> {
    let (codes, counts) = codes_and_counts(project)?;
    let mut w = crate::SheetCsv::new(out, style)?;
    w.write_row(CSV_HEADER)?;
    for c in &codes {
        let f = counts.get(&c.uuid);
        let n = |g: fn(&CodeFrequencyRow) -> usize| f.map(g).unwrap_or(0).to_string();
        w.write_row([
            c.path_string(),
            (c.path.len().saturating_sub(1)).to_string(),
            c.color.clone(),
            c.definition.clone(),
            c.when_to_use.clone(),
            c.when_not.clone(),
            n(|f| f.codings),
            n(|f| f.documents),
            n(|f| f.participants),
            n(|f| f.words),
        ])?;
    }
    w.flush()?;
    Ok(codes.len())
}

/// Saves the codebook as CSV at `path`. Returns the number of codes.
pub fn export_codebook_csv(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<usize, ExportError> {
    Ok(export_codebook_csv_checked(project, path, options)?.0)
}

/// [`export_codebook_csv`] with what the privacy gate checked the file against.
pub fn export_codebook_csv_checked(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<(usize, GateReport), ExportError> {
    crate::stakeholder_target(path, "the codebook")?;
    let mut file = storyloom_atomic::AtomicFile::create(path)?;
    let mut buffered = std::io::BufWriter::new(&mut file);
    let n = write_codebook_csv(project, options.csv, &mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    let checked = super::gate_temp(&file, project, options)?;
    file.commit()?;
    Ok((n, checked))
}

fn hex(color: &str) -> String {
    storyloom_project::text::hex_colour(color).map_or_else(|| "808080".into(), str::to_uppercase)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The codebook as a docx document (not yet packed).
pub fn codebook_document(
    project: &Project,
    options: &ReportOptions,
) -> Result<super::Docx, ExportError> {
    let (codes, counts) = codes_and_counts(project)?;
    let title = if options.title.trim().is_empty() || options.title == "Findings" {
        "Codebook".to_owned()
    } else {
        format!("{}: codebook", options.title.trim())
    };
    let mut docx = document()
        .add_paragraph(super::title(&title))
        .add_paragraph(body(&format!(
            "{} in a hierarchy; sub-codes are indented under their parent. Counts are codings, \
             documents and participants.",
            plural(codes.len(), "code", "codes")
        )));
    for c in &codes {
        let level = c.path.len().saturating_sub(1) as u32;
        let indent = 420 * level;
        let color = hex(&c.color);
        let size = if level == 0 { 26 } else { 22 };
        // Codes are headings (level 1 at the top of the tree), so the
        // navigation pane shows the codebook's outline.
        let mut square = Run::text("\u{25A0} ");
        square.props.size = Some(size);
        square.props.color = Some(color.clone());
        let mut label = Run::text(&super::clean(c.name()));
        label.props.size = Some(size);
        let mut code = Run::text(&format!("  #{color}"));
        code.props.size = Some(16);
        code.props.color = Some("595959".into());
        let name = Para {
            style: Some(if level == 0 {
                StyleId::Heading1
            } else {
                StyleId::Heading2
            }),
            spacing: Some(Spacing {
                before: if level == 0 { 200 } else { 80 },
                after: 40,
                line: 360,
                exact: false,
            }),
            indent: (indent > 0).then_some((indent, 0)),
            runs: vec![square, label, code],
            ..Default::default()
        };
        docx = docx.add_paragraph(name);
        let detail = |label: &str, text: &str| {
            para(&format!("{label}: {}", text.trim()), 20, false, false, 40).indent(indent + 280, 0)
        };
        if !c.definition.trim().is_empty() {
            docx = docx.add_paragraph(detail("Definition", &c.definition));
        }
        if !c.when_to_use.trim().is_empty() {
            docx = docx.add_paragraph(detail("When to use", &c.when_to_use));
        }
        if !c.when_not.trim().is_empty() {
            docx = docx.add_paragraph(detail("When not to use", &c.when_not));
        }
        let f = counts.get(&c.uuid);
        let n = |g: fn(&CodeFrequencyRow) -> usize| f.map(g).unwrap_or(0);
        docx = docx.add_paragraph(
            para(
                &format!(
                    "{} · {} · {}",
                    plural(n(|f| f.codings), "coding", "codings"),
                    plural(n(|f| f.documents), "document", "documents"),
                    plural(n(|f| f.participants), "participant", "participants"),
                ),
                18,
                false,
                true,
                60,
            )
            .indent(indent + 280, 0),
        );
    }
    Ok(docx)
}

/// Saves the codebook as a Word file at `path`. Returns the number of codes.
pub fn export_codebook_docx(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<usize, ExportError> {
    Ok(export_codebook_docx_checked(project, path, options)?.0)
}

/// [`export_codebook_docx`] with what the privacy gate checked the file against.
pub fn export_codebook_docx_checked(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<(usize, GateReport), ExportError> {
    crate::stakeholder_target(path, "the codebook")?;
    let n = project.codes()?.len();
    let checked = super::save_gated(codebook_document(project, options)?, path, project, options)?;
    Ok((n, checked))
}
