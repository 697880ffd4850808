//! File actions: the native file dialog or the path prompt, opening and
//! creating projects, and the imports and exports that take one path.

use super::Workbench;
use std::path::{Path, PathBuf};
use storyloom_project::Command;
use storyloom_project::Project;

/// A small window asking for a file path (when the desktop has no file dialog).
#[derive(Debug, Clone, PartialEq)]
pub enum PathPrompt {
    NewProject,
    OpenProject,
    ImportFiles,
    ImportParticipants,
    ImportRefi,
    ExportQdpx,
    ExportQdc,
    /// The story open in the editor, as a Word file for the storyteller to check.
    ExportStory,
    /// The discussion pack: for stakeholders, or for the research team (with sources).
    ExportPack {
        research: bool,
    },
    ExportThemeReport,
    ExportCodebook {
        csv: bool,
    },
    ExportSegments {
        xlsx: bool,
    },
    ImportWorkshop,
    /// A colleague's copy to merge (a dry run first, see `merge_window`).
    MergeCopy,
    /// A copy of the whole project in one file (SQLite's online backup).
    SaveCopy,
}

impl PathPrompt {
    fn title(&self) -> &'static str {
        match self {
            PathPrompt::NewProject => "New project",
            PathPrompt::OpenProject => "Open project",
            PathPrompt::ImportFiles => "Import transcripts",
            PathPrompt::ImportParticipants => "Import participants CSV",
            PathPrompt::ImportRefi => "Import a REFI-QDA project or codebook",
            PathPrompt::ExportQdpx => "Export a REFI-QDA project",
            PathPrompt::ExportQdc => "Export a REFI-QDA codebook",
            PathPrompt::ExportStory => "Export the story for checking",
            PathPrompt::ExportPack { .. } => "Export the discussion pack",
            PathPrompt::ExportThemeReport => "Export the theme report",
            PathPrompt::ExportCodebook { .. } => "Export the codebook",
            PathPrompt::ExportSegments { .. } => "Export the coded segments",
            PathPrompt::ImportWorkshop => "Import workshop notes",
            PathPrompt::MergeCopy => "Merge a colleague's project",
            PathPrompt::SaveCopy => "Save a copy of the project",
        }
    }
}

impl Workbench {
    /// Imports files in the background with progress and cancel. Study
    /// spreadsheets (participants, codebook, codings CSV, told apart by
    /// their headers as `storyloom import` does) go through
    /// `Project::import_csv`: participants and codebooks first, codings
    /// after the transcripts chosen with them.
    pub fn import(&mut self, files: Vec<PathBuf>) {
        use storyloom_project::project::{CsvKind, csv_header, csv_kind};
        let mut study: Vec<(u8, PathBuf)> = Vec::new();
        let mut rest = Vec::new();
        for f in files {
            let csv = f
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let kind = csv
                .then(|| csv_header(&f).ok())
                .flatten()
                .and_then(|h| csv_kind(&h));
            match kind {
                Some(CsvKind::Participants) => study.push((0, f)),
                Some(CsvKind::Codebook) => study.push((1, f)),
                Some(CsvKind::Codings) => study.push((2, f)),
                // Transcript tables and files that are no study CSV go to
                // the transcript import, which names what it cannot read.
                Some(CsvKind::Transcript) | None => rest.push(f),
            }
        }
        study.sort_by_key(|(order, _)| *order);
        for (order, f) in study {
            if order == 2 && !rest.is_empty() {
                self.jobs.after_import.push(f);
            } else {
                super::super::jobs::import_study_csv(&mut self.shared, &f);
            }
        }
        if !rest.is_empty() {
            self.jobs.start_import(&mut self.shared, rest);
        }
    }

    /// Imports files on this thread (tests).
    #[cfg(test)]
    pub fn import_now(&mut self, files: Vec<PathBuf>) {
        self.jobs.import_blocking(&mut self.shared, files);
    }

    pub fn open_project(&mut self, path: &Path) {
        match Project::open(path) {
            Ok(p) => self.set_project(p),
            Err(e) => self.shared.error(e.to_string()),
        }
    }

    pub fn new_project(&mut self, path: &Path) {
        let path = if path.extension().is_none() {
            path.with_extension("storyloom")
        } else {
            path.to_owned()
        };
        match Project::create(&path) {
            Ok(p) => {
                self.set_project(p);
                self.shared.info(format!("Created {}", path.display()));
            }
            Err(e) => self.shared.error(e.to_string()),
        }
    }

    pub fn import_participants(&mut self, path: &Path) {
        if let Some(r) = self
            .shared
            .apply(Command::ImportParticipantsCsv {
                path: path.to_path_buf(),
            })
            .and_then(|a| a.participants_imported().ok())
        {
            self.shared.info(format!(
                "Participants: {} new, {} updated{}",
                r.created.len(),
                r.updated.len(),
                if r.rejected.is_empty() {
                    String::new()
                } else {
                    format!("; rows not imported: {}", r.rejected.join("; "))
                }
            ));
        }
    }

    /// Imports and exports that take one path.
    pub fn file_action(&mut self, what: PathPrompt, path: &Path) {
        // The key file given in the Pseudonyms panel, when the map is kept
        // apart (the command line's `--key`).
        let key = self.shared.key_map().cloned();
        match what {
            PathPrompt::SaveCopy => {
                if self.shared.read(|p| p.backup_to(path)).is_some() {
                    self.shared.info(format!(
                        "Saved a copy of the project as {} (one file, checked)",
                        path.display()
                    ));
                }
            }
            PathPrompt::ImportRefi => {
                if let Some(r) = self
                    .shared
                    .apply(Command::ImportRefi {
                        path: path.to_path_buf(),
                    })
                    .and_then(|a| a.refi_imported().ok())
                {
                    self.shared.info(format!(
                        "Imported {} ({}): {} documents, {} codes, {} codings; {} selections skipped{}",
                        r.file,
                        r.origin,
                        r.documents_created.len(),
                        r.codes_created,
                        r.codings_imported,
                        r.skipped.len(),
                        if r.names_mismatched > 0 {
                            format!(
                                "; {} selections hold other text than their names say (e.g. {})",
                                r.names_mismatched,
                                r.name_mismatches.first().map_or("", |m| m.as_str())
                            )
                        } else {
                            String::new()
                        }
                    ));
                }
            }
            PathPrompt::ExportQdpx | PathPrompt::ExportQdc => {
                let qdpx = what == PathPrompt::ExportQdpx;
                self.jobs.start_export(
                    &mut self.shared,
                    "Exporting REFI-QDA",
                    path.to_owned(),
                    move |p, out| {
                        let r = if qdpx {
                            // Research team only: so named and so marked inside.
                            storyloom_exports::refi::export_research_qdpx(p, out)
                        } else {
                            storyloom_exports::refi::export_qdc(p, out).map(|r| (out.into(), r))
                        };
                        r.map(|(written, r)| {
                            let mut m = format!(
                                "Wrote {}: {} codes, {} sources, {} codings",
                                written.display(),
                                r.codes,
                                r.sources,
                                r.codings
                            );
                            if qdpx {
                                m.push_str(&format!(
                                    "; {}",
                                    storyloom_exports::refi::RESEARCH_TEAM_REMARK
                                ));
                            }
                            m
                        })
                        .map_err(|e| e.to_string())
                    },
                );
            }
            PathPrompt::ExportStory => {
                let Some(story) = self.stories.story.clone() else {
                    return;
                };
                self.jobs.start_export(
                    &mut self.shared,
                    "Exporting the story for checking",
                    path.to_owned(),
                    move |p, out| {
                        // The standard copy and a large-print one beside it.
                        let large = storyloom_exports::pack::large_print_path(out);
                        let d = storyloom_exports::story_check::export_story_check(
                            p,
                            &story,
                            out,
                            key.as_ref(),
                        )
                        .map_err(|e| e.to_string())?;
                        storyloom_exports::story_check::export_story_check_with(
                            p,
                            &story,
                            &large,
                            key.as_ref(),
                            &storyloom_exports::story_docx::layout::LARGE_PRINT,
                        )
                        .map_err(|e| {
                            format!(
                                "{} was written; the large-print copy was not: {e}",
                                out.display()
                            )
                        })?;
                        Ok(format!(
                            "Wrote {} and the large-print {} (revision {}, reply by {}); checked every part: {}",
                            out.display(),
                            large.display(),
                            d.revision,
                            d.reply_by,
                            d.checked
                        ))
                    },
                );
            }
            PathPrompt::ExportPack { research } => {
                let variant = if research {
                    storyloom_exports::pack::PackVariant::Research
                } else {
                    storyloom_exports::pack::PackVariant::Stakeholder
                };
                self.jobs.start_export(
                    &mut self.shared,
                    "Exporting the discussion pack",
                    path.to_owned(),
                    move |p, out| {
                        let settings = p.pack_settings().map_err(|e| e.to_string())?;
                        storyloom_exports::pack::export_pack_options(
                            p,
                            &settings,
                            out,
                            storyloom_exports::pack::PackOptions {
                                variant,
                                large_print: true,
                            },
                            key.as_ref(),
                        )
                        .map(|r| {
                            let mut m = format!(
                                "Wrote {} ({} stories), its large-print copy and {}",
                                r.docx.display(),
                                r.stories.len(),
                                r.csv.display()
                            );
                            for l in &r.left_out {
                                m.push_str(&format!("; left out '{}': {}", l.story, l.reason));
                            }
                            match &r.checked {
                                Some(c) => m.push_str(&format!("; checked every part: {c}")),
                                None => m.push_str(
                                    "; research team only (so marked): not checked by the privacy gate",
                                ),
                            }
                            m.push_str(&format!(". The pack says: {}", r.names_statement));
                            m
                        })
                        .map_err(|e| e.to_string())
                    },
                );
            }
            PathPrompt::ExportThemeReport
            | PathPrompt::ExportCodebook { .. }
            | PathPrompt::ExportSegments { .. } => {
                self.jobs.start_export(
                    &mut self.shared,
                    "Exporting",
                    path.to_owned(),
                    move |p, out| {
                        use storyloom_exports::reports::{self as r, ReportOptions};
                        let o = ReportOptions {
                            key_file: key,
                            ..ReportOptions::default()
                        };
                        let done = match what {
                            PathPrompt::ExportThemeReport => {
                                r::theme_report::export_theme_report(p, out, &o).map(|s| {
                                    s.checked
                                        .map(|c| format!("; checked every part: {c}"))
                                        .unwrap_or_default()
                                })
                            }
                            PathPrompt::ExportCodebook { csv: true } => {
                                r::codebook::export_codebook_csv_checked(p, out, &o)
                                    .map(|(n, c)| format!(" ({n} codes); checked every part: {c}"))
                            }
                            PathPrompt::ExportCodebook { csv: false } => {
                                r::codebook::export_codebook_docx_checked(p, out, &o)
                                    .map(|(n, c)| format!(" ({n} codes); checked every part: {c}"))
                            }
                            PathPrompt::ExportSegments { xlsx: true } => {
                                storyloom_exports::segments_xlsx::export_segments_xlsx_checked(
                                    p, out, &o,
                                )
                                .map(|(n, c)| {
                                    format!(" ({n} coded segments); checked every part: {c}")
                                })
                            }
                            _ => {
                                storyloom_exports::segments::export_segments_csv_checked(p, out, &o)
                                    .map(|(n, c)| {
                                        format!(" ({n} coded segments); checked every part: {c}")
                                    })
                            }
                        };
                        done.map(|extra| format!("Wrote {}{extra}", out.display()))
                            .map_err(|e| e.to_string())
                    },
                );
            }
            PathPrompt::MergeCopy => self.merge.start(&mut self.shared, path.to_owned()),
            PathPrompt::ImportWorkshop => {
                if let Some(r) = self
                    .shared
                    .apply(Command::ImportWorkshopNotes {
                        path: path.to_path_buf(),
                    })
                    .and_then(|a| a.workshop_imported().ok())
                {
                    self.shared.info(format!(
                        "Workshop notes from {}: {} notes imported, {} rows blank{}",
                        r.workshop,
                        r.imported,
                        r.blank,
                        if r.unmatched.is_empty() {
                            String::new()
                        } else {
                            format!("; no story matches: {}", r.unmatched.join(", "))
                        }
                    ));
                }
            }
            PathPrompt::NewProject => self.new_project(path),
            PathPrompt::OpenProject => self.open_project(path),
            PathPrompt::ImportFiles => self.import(vec![path.to_owned()]),
            PathPrompt::ImportParticipants => self.import_participants(path),
        }
    }

    pub(super) fn handle_drops(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (projects, files): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e == "storyloom"));
        if let Some(p) = projects.first() {
            self.open_project(p);
        } else if files.iter().all(|f| {
            f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) && !is_transcript_table(f)
        }) {
            for f in files {
                self.import_participants(&f);
            }
        } else {
            self.import(files);
        }
    }

    /// Opens the native file dialog, or the path prompt when there is none.
    pub(super) fn ask_path(&mut self, what: PathPrompt) {
        if !self.no_native_dialogs
            && let Some(result) = super::file_browser::native_dialog(&what)
        {
            match (what, result) {
                (PathPrompt::NewProject, mut files) => {
                    if let Some(f) = files.pop() {
                        self.new_project(&f);
                    }
                }
                (PathPrompt::OpenProject, mut files) => {
                    if let Some(f) = files.pop() {
                        self.open_project(&f);
                    }
                }
                (PathPrompt::ImportFiles, files) => {
                    if !files.is_empty() {
                        self.import(files);
                    }
                }
                (PathPrompt::ImportParticipants, files) => {
                    for f in files {
                        self.import_participants(&f);
                    }
                }
                (other, mut files) => {
                    if let Some(f) = files.pop() {
                        self.file_action(other, &f);
                    }
                }
            }
            return;
        }
        if !self.browse.dir.is_dir() {
            self.browse.dir = self.start_folder();
        }
        let name = super::file_browser::default_name(&what).to_owned();
        self.prompt = Some((what, name));
    }

    pub(super) fn prompt_ui(&mut self, ctx: &egui::Context) {
        let Some((what, mut text)) = self.prompt.take() else {
            return;
        };
        let mut open = true;
        let mut done = false;
        egui::Window::new(what.title())
            .collapsible(false)
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                self.browser_ui(ui, &what, &mut text);
                ui.separator();
                let hint = match what {
                    PathPrompt::ImportFiles => "File paths (separate several with ;)",
                    _ => "File path",
                };
                let label = ui.label(hint);
                let r = ui
                    .add(egui::TextEdit::singleline(&mut text).desired_width(420.0))
                    .labelled_by(label.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("OK").clicked() || enter {
                    done = true;
                }
            });
        if done {
            let paths: Vec<PathBuf> = text
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| self.typed_path(s))
                .collect();
            match what {
                PathPrompt::NewProject => {
                    if let Some(p) = paths.first() {
                        self.new_project(p);
                    }
                }
                PathPrompt::OpenProject => {
                    if let Some(p) = paths.first() {
                        self.open_project(p);
                    }
                }
                PathPrompt::ImportFiles => self.import(paths),
                PathPrompt::ImportParticipants => {
                    for p in paths {
                        self.import_participants(&p);
                    }
                }
                other => {
                    if let Some(p) = paths.first() {
                        self.file_action(other, p);
                    }
                }
            }
        } else if open {
            self.prompt = Some((what, text));
        }
    }
}

/// A CSV whose header is a transcript table's (speaker/time and text
/// columns): imported as a transcript, not as participants.
fn is_transcript_table(path: &Path) -> bool {
    storyloom_project::project::csv_header(path).is_ok_and(|h| {
        storyloom_project::project::csv_kind(&h)
            == Some(storyloom_project::project::CsvKind::Transcript)
    })
}
