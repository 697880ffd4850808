//! Reports for the research team and readers of findings: the theme
//! report (a findings chapter with quotes) and the codebook. Both read the
//! domain through `Project` only and pseudonymise every quote.

pub mod codebook;
pub mod theme_report;

pub use crate::segments::export_segments_csv;
pub use crate::segments_xlsx::export_segments_xlsx;
pub use codebook::{export_codebook_csv, export_codebook_docx};
pub use theme_report::export_theme_report;

use crate::docx::{self, Document, Para, Run, Spacing, StyleId, Table};
use crate::story_docx::layout;
use storyloom_project::stories::PseudonymMap;

/// Choices for the reports and tables.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The report's title.
    pub title: String,
    /// The participant attribute the theme report counts by.
    pub group_by: String,
    /// At most this many quotes per theme (key quotes first).
    pub quotes_per_theme: usize,
    /// The attributes shown after a quote's pseudonym.
    pub summary_attributes: Vec<String>,
    /// The pseudonym key file, when the map is kept apart from the project.
    pub key_file: Option<PseudonymMap>,
    /// How CSV files are written (the byte order mark on or off).
    pub csv: crate::CsvStyle,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "Findings".into(),
            group_by: "role".into(),
            quotes_per_theme: 6,
            summary_attributes: ["role", "gender", "age_band", "activity"]
                .map(String::from)
                .to_vec(),
            key_file: None,
            csv: crate::CsvStyle::default(),
        }
    }
}

/// A report being built: A4, 2.54 cm margins, Arial 11 pt, the story
/// docx's page and styles.
pub struct Docx(pub Document);

impl Docx {
    pub fn add_paragraph(mut self, p: Para) -> Self {
        self.0.current().push(p);
        self
    }

    pub fn add_table(mut self, t: Table) -> Self {
        self.0.current().push(t);
        self
    }
}

pub(crate) fn document() -> Docx {
    let mut d = Document::new("en-GB", layout::STANDARD);
    d.current().footer = Some(vec![
        docx::FooterPiece::Text("Page ".into()),
        docx::FooterPiece::Page,
    ]);
    Docx(d)
}

pub(crate) use crate::story_docx::clean;

/// A paragraph of one run: size in half-points, bold, italic, space after (twips).
pub(crate) fn para(text: &str, half_points: u32, bold: bool, italic: bool, after: u32) -> Para {
    let mut run = Run::text(&clean(text));
    run.props.bold = bold;
    run.props.italic = italic;
    if half_points != layout::BODY.half_points {
        run.props.size = Some(half_points);
    }
    Para {
        style: Some(StyleId::Normal),
        spacing: Some(Spacing {
            before: 0,
            after,
            line: (half_points * 12).max(240),
            exact: false,
        }),
        runs: vec![run],
        ..Default::default()
    }
}

/// The report's title (the Title style).
pub(crate) fn title(text: &str) -> Para {
    Para::styled(StyleId::Title, &clean(text))
}

/// A heading: level 1 or 2, in the heading styles the navigation pane reads.
pub(crate) fn heading(text: &str, level: u8) -> Para {
    Para::styled(
        if level <= 1 {
            StyleId::Heading1
        } else {
            StyleId::Heading2
        },
        &clean(text),
    )
}

pub(crate) fn body(text: &str) -> Para {
    para(text, 22, false, false, 120)
}

/// A table of cells with a header row.
pub(crate) fn grid(widths: Vec<u32>, rows: Vec<Vec<(String, bool)>>, caption: &str) -> Table {
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| docx::Row {
            header: i == 0,
            cant_split: true,
            min_height: None,
            cells: cells
                .into_iter()
                .map(|(t, bold)| docx::Cell::new(vec![para(&t, 20, bold, false, 0)]))
                .collect(),
        })
        .collect();
    Table {
        widths,
        rows,
        caption: caption.to_owned(),
        description: String::new(),
    }
}

/// Packs a docx to `path`.
/// Writes a stakeholder report to a temporary file beside `path`, has the
/// privacy gate read it back, and only then puts it in place.
pub(crate) fn save_gated(
    docx: Docx,
    path: &std::path::Path,
    project: &storyloom_project::Project,
    options: &ReportOptions,
) -> Result<crate::gate::GateReport, crate::ExportError> {
    let gate = crate::gate::Gate::for_project(project, options.key_file.as_ref())?;
    let file = docx::package::write_temp(&docx.0, path)?;
    let report = gate.check(file.path())?;
    file.commit()?;
    Ok(report)
}

/// Has the privacy gate read a written temporary file back (CSV, XLSX).
pub(crate) fn gate_temp(
    file: &storyloom_atomic::AtomicFile,
    project: &storyloom_project::Project,
    options: &ReportOptions,
) -> Result<crate::gate::GateReport, crate::ExportError> {
    let gate = crate::gate::Gate::for_project(project, options.key_file.as_ref())?;
    Ok(gate.check(file.path())?)
}
