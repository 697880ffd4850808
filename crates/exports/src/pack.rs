//! The stakeholder discussion pack (DESIGN §6): cover, purpose, how to
//! read the stories, ground rules, questions, each story on a new page with
//! a notes box, optionally the emerging themes, and a recording sheet. Also
//! writes the recording sheet as a CSV template beside the docx. The
//! stakeholder variant passes the pseudonymisation gate ([`crate::gate`]).

use crate::ExportError;
use crate::gate::{self, GateError};
use crate::story_docx::{SetParagraph, layout, set_paragraphs};
use docx_rs::{
    DocGrid, Docx, HeightRule, LineSpacing, PageMargin, Paragraph, Run, Table, TableCell, TableRow,
    WidthType,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use storyloom_project::project::pack_ops::PackSettings;
use storyloom_project::stories::{ParagraphKind, PseudonymMap, RenderedStory, StoryStatus};
use storyloom_project::{Project, ThemeStatus};

/// Who the pack is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackVariant {
    /// Pseudonymised, no sources; checked by the gate.
    Stakeholder,
    /// Pseudonymised, with each excerpt's source under it.
    Research,
}

/// The recording sheet's columns (the CSV template's header).
pub const RECORDING_COLUMNS: [&str; 5] = [
    "Story",
    "What stood out",
    "What we learn",
    "Reasons",
    "Priority",
];

/// A story that keeps the pack from being made, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub story: String,
    pub reasons: Vec<String>,
}

/// Why a pack (or a story for checking) was not written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("the pack has no stories: approve stories or choose them in the pack settings")]
    NoStories,
    #[error("these stories are not ready for the pack:\n{}", blockers(.0))]
    Blocked(Vec<Blocker>),
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl From<storyloom_project::Error> for PackError {
    fn from(e: storyloom_project::Error) -> Self {
        PackError::Export(ExportError::Domain(e))
    }
}

impl From<std::io::Error> for PackError {
    fn from(e: std::io::Error) -> Self {
        PackError::Export(ExportError::Io(e))
    }
}

fn blockers(list: &[Blocker]) -> String {
    list.iter()
        .map(|b| format!("  - {}: {}", b.story, b.reasons.join("; ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What was written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PackReport {
    pub docx: PathBuf,
    pub csv: PathBuf,
    pub stories: Vec<String>,
    pub themes: usize,
}

/// The recording sheet template's path beside `docx`: `<name>-recording-sheet.csv`.
pub fn csv_path(docx: &Path) -> PathBuf {
    let stem = docx
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pack".into());
    docx.with_file_name(format!("{stem}-recording-sheet.csv"))
}

// ---- layout ----

use crate::story_docx::{docx_paragraph as set_paragraph, fonts, spacing};

fn text(style: layout::Style, s: &str) -> Paragraph {
    set_paragraph(&SetParagraph {
        style,
        runs: vec![(clean(s), false)],
        block: None,
    })
}

fn heading(s: &str) -> Paragraph {
    text(layout::TITLE, s)
}

fn subheading(s: &str) -> Paragraph {
    text(
        layout::Style {
            half_points: 24,
            bold: true,
            line: 320,
            after: 80,
            ..layout::BODY
        },
        s,
    )
}

fn body(s: &str) -> Paragraph {
    text(layout::BODY, s)
}

fn small(s: &str) -> Paragraph {
    text(
        layout::Style {
            half_points: 18,
            line: 240,
            after: 120,
            italic: true,
            ..layout::BODY
        },
        s,
    )
}

fn bullet(n: Option<usize>, s: &str) -> Paragraph {
    let mark = match n {
        Some(n) => format!("{n}.  "),
        None => "•  ".into(),
    };
    body(&format!("{mark}{s}")).indent(
        Some(360),
        Some(docx_rs::SpecialIndentType::Hanging(360)),
        None,
        None,
    )
}

fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page))
}

/// A bordered box with a label and room to write.
fn notes_box(label: &str, height_twips: f32) -> Table {
    let cell = TableCell::new()
        .add_paragraph(small(label))
        .width(layout::TEXT_WIDTH as usize, WidthType::Dxa);
    Table::new(vec![
        TableRow::new(vec![cell])
            .row_height(height_twips)
            .height_rule(HeightRule::AtLeast)
            .cant_split(),
    ])
    .set_grid(vec![layout::TEXT_WIDTH as usize])
    .width(layout::TEXT_WIDTH as usize, WidthType::Dxa)
}

fn recording_sheet(titles: &[String]) -> Table {
    let widths = [2226usize, 1900, 1900, 1900, 1100];
    debug_assert_eq!(widths.iter().sum::<usize>(), layout::TEXT_WIDTH as usize);
    let cell = |s: &str, w: usize, bold: bool| {
        let mut run = Run::new().add_text(clean(s)).fonts(fonts()).size(20);
        if bold {
            run = run.bold();
        }
        TableCell::new()
            .add_paragraph(Paragraph::new().add_run(run))
            .width(w, WidthType::Dxa)
    };
    let mut rows = vec![
        TableRow::new(
            RECORDING_COLUMNS
                .iter()
                .zip(widths)
                .map(|(c, w)| cell(c, w, true))
                .collect(),
        )
        .cant_split(),
    ];
    for t in titles {
        rows.push(
            TableRow::new(
                std::iter::once(cell(t, widths[0], false))
                    .chain(widths[1..].iter().map(|w| cell("", *w, false)))
                    .collect(),
            )
            .row_height(1700.0)
            .height_rule(HeightRule::AtLeast)
            .cant_split(),
        );
    }
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
}

fn document() -> Docx {
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
        .default_fonts(fonts())
        .default_size(layout::BODY.half_points as usize)
        .default_line_spacing(spacing(&layout::BODY));
    docx.document = docx.document.doc_grid(DocGrid::with_empty());
    docx
}

pub const HOW_TO_READ: [&str; 5] = [
    "The words are the storyteller's own, taken from what they said in an interview and put in order so that they read as a story.",
    "… marks a place where words were cut.",
    "[ ] marks words added for clarity, or changed to protect someone's identity.",
    "Names and places have been changed.",
    "Each storyteller has read and approved their story.",
];

fn pack_stories(project: &Project, settings: &PackSettings) -> Result<Vec<String>, PackError> {
    let all = project.stories()?;
    let keys: Vec<String> = if settings.stories.is_empty() {
        all.iter()
            .filter(|s| s.status == StoryStatus::Approved)
            .map(|s| s.uuid.clone())
            .collect()
    } else {
        settings.stories.clone()
    };
    if keys.is_empty() {
        return Err(PackError::NoStories);
    }
    Ok(keys)
}

/// Where an excerpt came from, for the research-team variant.
fn source_line(
    project: &Project,
    docs: &mut HashMap<String, Option<storyloom_project::DocumentText>>,
    p: &storyloom_project::stories::Paragraph,
) -> Option<String> {
    let mut src = p.runs.iter().find_map(|r| r.source.clone())?;
    // The whole range the paragraph quotes from that document.
    for r in p.runs.iter().filter_map(|r| r.source.as_ref()) {
        if r.document == src.document {
            src.start = src.start.min(r.start);
            src.end = src.end.max(r.end);
        }
    }
    let doc = docs
        .entry(src.document.clone())
        .or_insert_with(|| project.document(&src.document).ok());
    let Some(doc) = doc else {
        return Some(format!("Source: {}", src.document));
    };
    let mut line = format!("Source: {}", doc.name);
    let turn_at = |at: usize| {
        doc.turns
            .iter()
            .find(|t| t.start <= at && at < t.end.max(t.start + 1))
    };
    if let Some(t) = turn_at(src.start) {
        match turn_at(src.end.saturating_sub(1)) {
            Some(last) if last.seq != t.seq => {
                line.push_str(&format!(", turns {}–{}", t.seq, last.seq))
            }
            _ => line.push_str(&format!(", turn {}", t.seq)),
        }
        if let Some(ms) = t.start_ms {
            let s = ms / 1000;
            line.push_str(&format!(
                ", {:02}:{:02}:{:02}",
                s / 3600,
                s / 60 % 60,
                s % 60
            ));
        }
    }
    line.push_str(&format!(", characters {}–{}", src.start, src.end));
    Some(line)
}

/// Writes the discussion pack to `path` and the recording sheet template
/// beside it. Refuses, writing nothing, when a chosen story is not approved
/// or not checker-clean. A stakeholder pack that would carry an original
/// name is deleted and the export fails.
pub fn export_pack(
    project: &Project,
    path: &Path,
    variant: PackVariant,
    key_file: Option<&PseudonymMap>,
) -> Result<PackReport, PackError> {
    let settings = project.pack_settings()?;
    export_pack_with(project, &settings, path, variant, key_file)
}

/// [`export_pack`] with the given settings (not necessarily saved).
pub fn export_pack_with(
    project: &Project,
    settings: &PackSettings,
    path: &Path,
    variant: PackVariant,
    key_file: Option<&PseudonymMap>,
) -> Result<PackReport, PackError> {
    let keys = pack_stories(project, settings)?;
    let map = project.pseudonym_map(key_file)?;
    let mut blocked = Vec::new();
    let mut stories: Vec<RenderedStory> = Vec::new();
    for key in &keys {
        let report = project.check_story_for_export(key, key_file)?;
        let rendered = project.render_story(key, key_file)?;
        if report.has_errors() {
            blocked.push(Blocker {
                story: if rendered.title.trim().is_empty() {
                    rendered.pseudonym.clone()
                } else {
                    rendered.title.clone()
                },
                reasons: report.errors().map(|f| f.message.clone()).collect(),
            });
        } else {
            stories.push(rendered);
        }
    }
    if !blocked.is_empty() {
        return Err(PackError::Blocked(blocked));
    }
    let themes: Vec<_> = if settings.include_themes {
        project
            .themes()?
            .into_iter()
            .filter(|t| matches!(t.status, ThemeStatus::Defined | ThemeStatus::Reviewed))
            .collect()
    } else {
        Vec::new()
    };

    let mut docx = document();
    // Cover.
    docx = docx
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(2400)))
        .add_paragraph(text(
            layout::Style {
                half_points: 44,
                line: 560,
                after: 360,
                ..layout::TITLE
            },
            &settings.title,
        ))
        .add_paragraph(subheading(&settings.workshop));
    if !settings.date.trim().is_empty() {
        let date = chrono::NaiveDate::parse_from_str(settings.date.trim(), "%Y-%m-%d")
            .map(|d| d.format("%-d %B %Y").to_string())
            .unwrap_or_else(|_| settings.date.clone());
        docx = docx.add_paragraph(body(&date));
    }
    if variant == PackVariant::Research {
        docx = docx.add_paragraph(body("Research team copy: with the source of each excerpt."));
    }
    docx = docx.add_paragraph(
        text(
            layout::Style {
                bold: true,
                ..layout::BODY
            },
            "Confidential — for workshop use only",
        )
        .line_spacing(spacing(&layout::BODY).before(1200)),
    );
    // Introduction.
    docx = docx
        .add_paragraph(page_break())
        .add_paragraph(heading("Purpose of the workshop"))
        .add_paragraph(body(&settings.purpose))
        .add_paragraph(subheading("How to read the stories"));
    for line in HOW_TO_READ {
        docx = docx.add_paragraph(bullet(None, line));
    }
    if !settings.ground_rules.is_empty() {
        docx = docx.add_paragraph(subheading("Ground rules"));
        for r in &settings.ground_rules {
            docx = docx.add_paragraph(bullet(None, r));
        }
    }
    if !settings.questions.is_empty() {
        docx = docx
            .add_paragraph(subheading("Questions for discussion"))
            .add_paragraph(body("Read each story, then talk about it together:"));
        for (i, q) in settings.questions.iter().enumerate() {
            docx = docx.add_paragraph(bullet(Some(i + 1), q));
        }
    }
    // Stories.
    let mut docs = HashMap::new();
    for story in &stories {
        let set = set_paragraphs(story);
        for (i, p) in set.iter().enumerate() {
            let mut para = set_paragraph(p);
            if i == 0 {
                para = para.page_break_before(true);
            }
            // Keep the title with the role line and the first paragraph.
            if p.block.is_none() {
                para = para.keep_next(true);
            }
            docx = docx.add_paragraph(para);
            if variant == PackVariant::Research
                && let Some(b) = p.block
                && let Some(sp) = story
                    .paragraphs
                    .iter()
                    .find(|sp| sp.block == b && sp.kind == ParagraphKind::Excerpt)
                && let Some(line) = source_line(project, &mut docs, sp)
            {
                docx = docx.add_paragraph(small(&line));
            }
        }
        docx = docx
            .add_paragraph(small(""))
            .add_table(notes_box("Notes", 2600.0));
    }
    // Themes, after the stories so they do not steer the reading.
    if !themes.is_empty() {
        docx = docx
            .add_paragraph(heading("The researchers' emerging themes").page_break_before(true))
            .add_paragraph(body(
                "These are the themes the research team sees so far. They are not conclusions: tell us what they miss.",
            ));
        for t in &themes {
            docx = docx
                .add_paragraph(subheading(&t.name))
                .add_paragraph(body(&t.definition));
        }
    }
    // Recording sheet.
    let mut titles: Vec<String> = stories
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {}", i + 1, story_name(s)))
        .collect();
    // The themes shown after the stories get rows too; notes on them come back as theme notes.
    titles.extend(themes.iter().map(|t| format!("Theme: {}", t.name)));
    docx = docx
        .add_paragraph(heading("Recording sheet").page_break_before(true))
        .add_paragraph(body(
            "One row per story. Priority: how much this story matters for what we do next (high, medium, low).",
        ))
        .add_table(recording_sheet(&titles));

    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    docx.build()
        .pack(&mut file)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    file.flush()?;
    drop(file);

    let csv = csv_path(path);
    if let Err(e) = write_recording_csv(&csv, &titles) {
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    if variant == PackVariant::Stakeholder {
        if let Err(e) = gate::check_file(path, &map) {
            let _ = std::fs::remove_file(&csv);
            return Err(e.into());
        }
        if let Err(e) = gate::check_file(&csv, &map) {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
    }
    Ok(PackReport {
        docx: path.to_owned(),
        csv,
        stories: stories.iter().map(story_name).collect(),
        themes: themes.len(),
    })
}

fn story_name(s: &RenderedStory) -> String {
    if s.title.trim().is_empty() {
        s.pseudonym.clone()
    } else {
        s.title.clone()
    }
}

fn write_recording_csv(path: &Path, titles: &[String]) -> Result<(), PackError> {
    let mut w = csv::Writer::from_path(path).map_err(ExportError::Csv)?;
    w.write_record(RECORDING_COLUMNS)
        .map_err(ExportError::Csv)?;
    for t in titles {
        w.write_record([t.as_str(), "", "", "", ""])
            .map_err(ExportError::Csv)?;
    }
    w.flush()?;
    Ok(())
}
