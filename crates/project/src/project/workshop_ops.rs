//! Workshop notes back in: the filled recording sheet of a discussion pack
//! (the table in the pack's .docx, or its CSV template) imported as notes
//! linked to stories. One change, undoable.

use super::Project;
use crate::error::{Error, ImportError, Result};
use crate::import::{xml, zipread};
use crate::store::pack::WorkshopNote;
use crate::store::{ChangeRecord, Store};
use quick_xml::events::Event;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// What an import of workshop notes did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorkshopImport {
    pub workshop: String,
    /// Rows stored as notes.
    pub imported: usize,
    /// Rows left blank (nothing written beside the story).
    pub blank: usize,
    /// The story cells of rows that matched no story.
    pub unmatched: Vec<String>,
}

/// The recording sheet's rows: header → cell, from a .docx table whose
/// first header cell is "Story", or from a CSV with a "Story" column.
pub fn read_recording_sheet(path: &Path) -> Result<Vec<BTreeMap<String, String>>> {
    let bytes = std::fs::read(path)?;
    let table: Vec<Vec<String>> = if bytes.starts_with(b"PK") {
        let doc = zipread::read_entry(&bytes, "word/document.xml", "docx")
            .map_err(|e| import_err(path, e))?;
        docx_tables(&doc)
            .map_err(|e| import_err(path, e))?
            .into_iter()
            // The sheet is the pack's last such table (the overview of the
            // stories before it also starts with their ids).
            .rfind(|t| t.first().is_some_and(|h| is_sheet_header(h)))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{} has no recording sheet (a table whose first column is 'Story id' or 'Story')",
                    path.display()
                ))
            })?
    } else {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
            rows.push(rec.iter().map(str::to_owned).collect());
        }
        rows
    };
    let Some((header, rows)) = table.split_first() else {
        return Ok(Vec::new());
    };
    if !is_sheet_header(header) {
        return Err(Error::Invalid(format!(
            "{}: the first column must be 'Story id' or 'Story'",
            path.display()
        )));
    }
    Ok(rows
        .iter()
        .map(|row| {
            header
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    (
                        h.trim().to_owned(),
                        row.get(i).map(|c| c.trim().to_owned()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect())
}

/// A recording sheet's header: its first column is the story id (or, in
/// sheets from before ids, the story).
fn is_sheet_header(row: &[String]) -> bool {
    row.first().is_some_and(|c| {
        let c = c.trim();
        c.eq_ignore_ascii_case("story id") || c.eq_ignore_ascii_case("story")
    })
}

fn import_err(path: &Path, e: ImportError) -> Error {
    Error::Invalid(format!("{}: {e}", path.display()))
}

/// Every table of a document.xml as rows of cell texts (paragraphs in a
/// cell joined by line breaks).
fn docx_tables(doc: &[u8]) -> std::result::Result<Vec<Vec<Vec<String>>>, ImportError> {
    let mut reader = xml::reader(doc);
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut depth = 0usize;
    let mut cell: Option<String> = None;
    let mut in_text = false;
    loop {
        match xml::next(&mut reader, "docx")? {
            Event::Start(e) => match e.name().as_ref() {
                b"w:tbl" => {
                    depth += 1;
                    if depth == 1 {
                        tables.push(Vec::new());
                    }
                }
                b"w:tr" if depth == 1 => {
                    if let Some(t) = tables.last_mut() {
                        t.push(Vec::new());
                    }
                }
                b"w:tc" if depth == 1 => cell = Some(String::new()),
                b"w:p" => {
                    if let Some(c) = cell.as_mut()
                        && !c.is_empty()
                    {
                        c.push('\n');
                    }
                }
                b"w:t" => in_text = true,
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:tbl" => depth = depth.saturating_sub(1),
                b"w:tc" if depth == 1 => {
                    if let (Some(c), Some(row)) =
                        (cell.take(), tables.last_mut().and_then(|t| t.last_mut()))
                    {
                        row.push(c.trim().to_owned());
                    }
                }
                b"w:t" => in_text = false,
                _ => {}
            },
            Event::Empty(e) => {
                if matches!(e.name().as_ref(), b"w:br" | b"w:tab")
                    && let Some(c) = cell.as_mut()
                {
                    c.push(' ');
                }
            }
            Event::Text(t) if in_text => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&xml::text(&reader, &t, "docx")?);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(tables)
}

/// "3. The title" → "the title": the pack numbers its rows.
fn normalise(s: &str) -> String {
    let s = s.trim();
    let s = match s.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => s,
    };
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A workshop's answers about a theme: (workshop, column → answer).
pub type ThemeNote = (String, BTreeMap<String, String>);

impl Project {
    /// Imports a filled recording sheet (.docx pack or CSV template) as
    /// workshop notes, matched to stories by title or pseudonym. One change,
    /// undoable. Blank rows are skipped; rows matching no story are reported.
    pub fn import_workshop_notes(&mut self, path: &Path) -> Result<WorkshopImport> {
        let rows = read_recording_sheet(path)?;
        let settings = self.pack_settings()?;
        let workshop = [settings.workshop.trim(), settings.date.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let mut names: Vec<(String, String)> = Vec::new();
        let stories_by_id: Vec<String> = self.stories()?.into_iter().map(|s| s.uuid).collect();
        let themes_by_id: Vec<String> = self.themes()?.into_iter().map(|t| t.uuid).collect();
        for s in self.stories()? {
            names.push((normalise(&s.title), s.uuid.clone()));
            names.push((normalise(&s.pseudonym), s.uuid.clone()));
            if let Ok(r) = self.render_story(&s.uuid, None) {
                names.push((normalise(&r.title), s.uuid.clone()));
            }
        }
        let mut report = WorkshopImport {
            workshop: workshop.clone(),
            ..Default::default()
        };
        let themes: Vec<(String, String)> = self
            .themes()?
            .into_iter()
            .map(|t| (normalise(&t.name), t.uuid))
            .collect();
        // (story, theme, fields)
        let mut notes: Vec<(
            Option<crate::store::StoryId>,
            Option<crate::store::ThemeId>,
            String,
        )> = Vec::new();
        for row in rows {
            let cell = |name: &str| {
                row.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_owned())
                    .unwrap_or_default()
            };
            let story_cell = cell("story");
            let id_cell = cell("story id");
            let answers: BTreeMap<String, String> = row
                .into_iter()
                .filter(|(k, v)| {
                    !k.eq_ignore_ascii_case("story")
                        && !k.eq_ignore_ascii_case("story id")
                        && !v.is_empty()
                })
                .collect();
            if answers.is_empty() {
                report.blank += 1;
                continue;
            }
            let key = normalise(&story_cell);
            let fields = serde_json::to_string(&answers)
                .map_err(|e| Error::Invalid(format!("could not store the notes: {e}")))?;
            // The id the pack printed: a story's uuid prefix, or "theme-" and a theme's.
            let id = id_cell.to_lowercase();
            if let Some(t) = id.strip_prefix("theme-") {
                match themes_by_id
                    .iter()
                    .find(|u| t.len() >= 4 && u.starts_with(t))
                {
                    Some(uuid) => {
                        let (tid, _) = self.store.find_theme(uuid)?;
                        notes.push((None, Some(tid), fields));
                    }
                    None => report.unmatched.push(id_cell),
                }
                continue;
            }
            if id.len() >= 4 {
                match stories_by_id.iter().find(|u| u.starts_with(&id)) {
                    Some(uuid) => {
                        let sid = self.store.find_story(uuid)?;
                        notes.push((Some(sid), None, fields));
                    }
                    None => report.unmatched.push(id_cell),
                }
                continue;
            }
            // A "Theme: …" row of the sheet is a note on that theme.
            if let Some(theme) = key.strip_prefix("theme:") {
                let theme = theme.trim();
                match themes.iter().find(|(n, _)| n == theme) {
                    Some((_, uuid)) => {
                        let (id, _) = self.store.find_theme(uuid)?;
                        notes.push((None, Some(id), fields));
                    }
                    None => report.unmatched.push(story_cell),
                }
                continue;
            }
            // "2. The title (Doreen)": the pack adds the pseudonym after the title.
            let bare = match key.rfind(" (") {
                Some(i) if key.ends_with(')') => key[..i].to_owned(),
                _ => key.clone(),
            };
            let Some((_, uuid)) = names
                .iter()
                .find(|(n, _)| !n.is_empty() && (*n == key || *n == bare))
            else {
                report.unmatched.push(story_cell);
                continue;
            };
            let id = self.store.find_story(uuid)?;
            notes.push((Some(id), None, fields));
        }
        report.imported = notes.len();
        if notes.is_empty() {
            return Ok(report);
        }
        let actor = self.actor.clone();
        let summary = format!(
            "imported {} workshop notes from {}",
            notes.len(),
            path.display()
        );
        let w = workshop.clone();
        self.store.change(
            |_| ChangeRecord {
                actor,
                command: "import_workshop_notes",
                summary,
                forward: json!({ "file": path.display().to_string(), "rows": notes.len() }),
            },
            |tx| {
                for (story, theme, fields) in &notes {
                    Store::insert_workshop_note(tx, *story, *theme, &w, fields)?;
                }
                Ok::<_, crate::Error>(())
            },
        )?;
        Ok(report)
    }

    /// What workshops recorded about a theme: (workshop, column → answer).
    pub fn theme_workshop_notes(
        &self,
        theme: &str,
    ) -> Result<Vec<(String, BTreeMap<String, String>)>> {
        let (id, _) = self.store.find_theme(theme)?;
        Ok(self
            .store
            .theme_workshop_notes(id)?
            .into_iter()
            .map(|(w, f)| (w, serde_json::from_str(&f).unwrap_or_default()))
            .collect())
    }

    /// The workshop notes of a story (by id, participant or title).
    pub fn workshop_notes(&self, story: &str) -> Result<Vec<WorkshopNote>> {
        let id = self.store.find_story(story)?;
        Ok(self.store.workshop_notes(id)?)
    }
}
