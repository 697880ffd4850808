//! The recording sheet: one row per story (and per theme shown), each with
//! the id the workshop's notes come back by, as a landscape table in the
//! pack (its header row repeated on every page) and as a CSV template.

use super::{PackError, PackStory, story_name};
use crate::ExportError;
use crate::docx::{Cell, Para, Row, StyleId, Table};
use std::path::Path;
use storyloom_project::Theme;

/// The recording sheet's columns (the CSV template's header).
pub const RECORDING_COLUMNS: [&str; 6] = [
    "Story id",
    "Story",
    "What stood out",
    "What we learn",
    "Reasons",
    "Priority",
];

/// A story's id on paper: the first 8 characters of its uuid, which every
/// command that takes a story accepts.
pub fn story_ref(uuid: &str) -> String {
    uuid.chars().take(8).collect()
}

/// A theme's id on the sheet.
pub fn theme_ref(uuid: &str) -> String {
    format!("theme-{}", story_ref(uuid))
}

/// One row of the sheet: (id, what the row is about).
pub type SheetRow = (String, String);

pub(crate) fn rows(stories: &[PackStory], themes: &[Theme]) -> Vec<SheetRow> {
    let mut out: Vec<SheetRow> = stories
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let r = &s.rendered;
            let who = r.pseudonym.trim();
            let name = story_name(r);
            let label = if who.is_empty() || name == who {
                format!("{}. {name}", i + 1)
            } else {
                format!("{}. {name} ({who})", i + 1)
            };
            (story_ref(&r.uuid), label)
        })
        .collect();
    out.extend(
        themes
            .iter()
            .map(|t| (theme_ref(&t.uuid), format!("Theme: {}", t.name))),
    );
    out
}

/// Column widths on a landscape A4 page (13,958 twips between the margins):
/// the writing columns about 4.7 cm each.
pub(crate) fn widths(text_width: u32) -> Vec<u32> {
    let id = 1250;
    let story = 2900;
    let priority = 1400;
    let rest = text_width - id - story - priority;
    let each = rest / 3;
    vec![id, story, each, each, rest - 2 * each, priority]
}

pub(crate) fn table(rows: &[SheetRow], text_width: u32) -> Table {
    let cell = |s: &str, bold: bool| {
        let mut p = Para::styled(StyleId::Normal, s);
        if bold {
            p.runs[0].props.bold = true;
        }
        Cell::new(vec![p])
    };
    let mut out = vec![Row {
        header: true,
        cant_split: true,
        min_height: None,
        cells: RECORDING_COLUMNS
            .iter()
            .map(|c| {
                let mut c = cell(c, true);
                c.shade = Some("E7E6E6");
                c
            })
            .collect(),
    }];
    for (id, label) in rows {
        let mut cells = vec![cell(id, false), cell(label, false)];
        cells.extend(
            (2..RECORDING_COLUMNS.len()).map(|_| Cell::new(vec![Para::empty(StyleId::Normal)])),
        );
        out.push(Row {
            header: false,
            cant_split: true,
            min_height: Some(1900),
            cells,
        });
    }
    Table {
        widths: widths(text_width),
        rows: out,
        caption: "Recording sheet".into(),
        description: "One row per story, with its id: what stood out, what we learn, the reasons, and its priority.".into(),
    }
}

/// Writes the recording sheet to a temporary file beside `path`, handed back
/// uncommitted so the pack commits its files together after the gate.
pub(crate) fn write_csv(
    path: &Path,
    rows: &[SheetRow],
) -> Result<storyloom_atomic::AtomicFile, PackError> {
    let mut w = crate::SheetCsv::new(
        storyloom_atomic::AtomicFile::create(path)?,
        crate::CsvStyle::default(),
    )
    .map_err(ExportError::Io)?;
    w.write_row(RECORDING_COLUMNS).map_err(ExportError::Io)?;
    for (id, label) in rows {
        w.write_row([id.as_str(), label.as_str(), "", "", "", ""])
            .map_err(ExportError::Io)?;
    }
    let file = w.into_inner().map_err(ExportError::Io)?;
    Ok(file)
}
