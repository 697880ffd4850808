//! Reports for the research team and readers of findings: the theme
//! report (a findings chapter with quotes) and the codebook. Both read the
//! domain through `Project` only and pseudonymise every quote.

pub mod codebook;
pub mod theme_report;

pub use crate::segments::{export_segments_csv, export_segments_xlsx};
pub use codebook::{export_codebook_csv, export_codebook_docx};
pub use theme_report::export_theme_report;

use crate::story_docx::layout;
use docx_rs::{
    AlignmentType, DocGrid, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
};
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
        }
    }
}

/// A4, 2.54 cm margins, Arial 11 pt: the story docx's page.
pub(crate) fn document() -> Docx {
    let fonts = fonts();
    let mut docx = Docx::new()
        .page_size(layout::PAGE_WIDTH, layout::PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(layout::MARGIN as i32)
                .bottom(layout::MARGIN as i32)
                .left(layout::MARGIN as i32)
                .right(layout::MARGIN as i32)
                .header(708)
                .footer(708)
                .gutter(0),
        )
        .default_fonts(fonts)
        .default_size(layout::BODY.half_points as usize);
    docx.document = docx.document.doc_grid(DocGrid::with_empty());
    docx
}

pub(crate) use crate::story_docx::{clean, fonts};

/// A paragraph of one run: size in half-points, bold, italic, space after (twips).
pub(crate) fn para(
    text: &str,
    half_points: usize,
    bold: bool,
    italic: bool,
    after: u32,
) -> Paragraph {
    let mut run = Run::new()
        .add_text(clean(text))
        .fonts(fonts())
        .size(half_points);
    if bold {
        run = run.bold();
    }
    if italic {
        run = run.italic();
    }
    Paragraph::new()
        .align(AlignmentType::Left)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(264)
                .before(0)
                .after(after),
        )
        .add_run(run)
}

pub(crate) fn heading(text: &str, half_points: usize) -> Paragraph {
    para(text, half_points, true, false, 120).keep_next(true)
}

pub(crate) fn body(text: &str) -> Paragraph {
    para(text, 22, false, false, 120)
}

/// Packs a docx to `path`.
pub(crate) fn save(docx: Docx, path: &std::path::Path) -> Result<(), crate::ExportError> {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    docx.build()
        .pack(&mut file)
        .map_err(|e| crate::ExportError::Docx(e.to_string()))?;
    file.flush()?;
    Ok(())
}
