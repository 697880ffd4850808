//! The workbench: menus, the navigator on the left (documents, codebook),
//! the centre tabs (document, themes, search, queries, memos, participants,
//! review), the inspector on the right, the notification area. Panels live in
//! their own modules and change the project only through [`Shared::act`].

use super::codebook_panel::CodebookPanel;
use super::document_view::DocumentView;
use super::inspector::Inspector;
use super::jobs::Jobs;
use super::memos_panel::MemosPanel;
use super::pack_settings::PackSettingsWindow;
use super::participants_panel::ParticipantsPanel;
use super::queries_panel::QueriesPanel;
use super::review_panel::ReviewPanel;
use super::search_panel::SearchPanel;
use super::shared::{CenterTab, Shared};
use super::story_editor::StoryEditor;
use super::themes_board::ThemesBoard;
use egui::{Color32, RichText};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use storyloom_coding::{DocumentSummary, Project};

/// UI preferences kept between runs (project data lives only in the project file).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: bool,
    pub zoom: f32,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    pub center: CenterTab,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            dark: false,
            zoom: 1.0,
            recent: vec![],
            center: CenterTab::Document,
        }
    }
}

/// Which list the navigator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NavTab {
    #[default]
    Documents,
    Codes,
}

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
        }
    }
}

#[derive(Default)]
pub struct Workbench {
    pub shared: Shared,
    pub prefs: Prefs,
    pub nav: NavTab,
    documents: Vec<DocumentSummary>,
    /// Participant id → their `role` attribute (participant, link worker, ...), for grouping.
    participant_roles: std::collections::HashMap<String, String>,
    documents_rev: Option<u64>,
    pub document: DocumentView,
    pub stories: StoryEditor,
    pub codebook: CodebookPanel,
    pub themes: ThemesBoard,
    pub search: SearchPanel,
    pub queries: QueriesPanel,
    pub memos: MemosPanel,
    pub participants: ParticipantsPanel,
    pub review: ReviewPanel,
    pub inspector: Inspector,
    pub jobs: Jobs,
    pub pack_settings: PackSettingsWindow,
    /// An open path prompt and what has been typed in it.
    pub prompt: Option<(PathPrompt, String)>,
    /// Set when native file dialogs are unavailable (tests, no desktop portal).
    pub no_native_dialogs: bool,
}

impl Workbench {
    pub fn set_project(&mut self, project: Project) {
        let path = project.path().to_owned();
        self.shared.project = Some(project);
        self.shared.open_document = None;
        self.shared.selection = None;
        self.shared.selected_coding = None;
        self.shared.revision += 1;
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(8);
    }

    pub fn report(&mut self, message: String) {
        self.shared.error(message);
    }

    /// Imports files in the background with progress and cancel.
    pub fn import(&mut self, files: Vec<PathBuf>) {
        self.jobs.start_import(&mut self.shared, files);
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
        if let Some(r) = self.shared.act(|p| p.import_participants_csv(path)) {
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
        match what {
            PathPrompt::ImportRefi => {
                if let Some(r) = self.shared.act(|p| p.import_refi(path)) {
                    self.shared.info(format!(
                        "Imported {} ({}): {} documents, {} codes, {} codings; {} selections skipped",
                        r.file,
                        r.origin,
                        r.documents_created.len(),
                        r.codes_created,
                        r.codings_imported,
                        r.skipped.len()
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
                            storyloom_exports::refi::export_qdpx(p, out)
                        } else {
                            storyloom_exports::refi::export_qdc(p, out)
                        };
                        r.map(|r| {
                            format!(
                                "Wrote {}: {} codes, {} sources, {} codings",
                                out.display(),
                                r.codes,
                                r.sources,
                                r.codings
                            )
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
                        storyloom_exports::story_check::export_story_check(p, &story, out, None)
                            .map(|()| format!("Wrote {}", out.display()))
                            .map_err(|e| e.to_string())
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
                        storyloom_exports::pack::export_pack(p, out, variant, None)
                            .map(|r| {
                                format!(
                                    "Wrote {} ({} stories) and {}",
                                    r.docx.display(),
                                    r.stories.len(),
                                    r.csv.display()
                                )
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
                        let o = ReportOptions::default();
                        let done = match what {
                            PathPrompt::ExportThemeReport => {
                                r::theme_report::export_theme_report(p, out, &o)
                                    .map(|_| String::new())
                            }
                            PathPrompt::ExportCodebook { csv: true } => {
                                r::codebook::export_codebook_csv(p, out, &o)
                                    .map(|n| format!(" ({n} codes)"))
                            }
                            PathPrompt::ExportCodebook { csv: false } => {
                                r::codebook::export_codebook_docx(p, out, &o)
                                    .map(|n| format!(" ({n} codes)"))
                            }
                            PathPrompt::ExportSegments { xlsx: true } => {
                                storyloom_exports::segments::export_segments_xlsx(p, out, &o)
                                    .map(|n| format!(" ({n} coded segments)"))
                            }
                            _ => storyloom_exports::segments::export_segments_csv(p, out, &o)
                                .map(|n| format!(" ({n} coded segments)")),
                        };
                        done.map(|extra| format!("Wrote {}{extra}", out.display()))
                            .map_err(|e| e.to_string())
                    },
                );
            }
            PathPrompt::ImportWorkshop => {
                if let Some(r) = self.shared.act(|p| p.import_workshop_notes(path)) {
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

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_zoom_factor(self.prefs.zoom.clamp(0.5, 3.0));
        ctx.set_visuals(if self.prefs.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        self.jobs.poll(&mut self.shared);
        if self.jobs.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.handle_drops(&ctx);
        self.shortcuts(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        if !self.shared.notices.is_empty() || self.jobs.busy() {
            egui::Panel::bottom("notices").show(ui, |ui| self.status_ui(ui));
        }
        egui::Panel::left("navigator")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| self.navigator_ui(ui));
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| self.inspector.ui(ui, &mut self.shared));
        egui::CentralPanel::default().show(ui, |ui| self.center_ui(ui));
        self.prompt_ui(&ctx);
        self.pack_settings.ui(&ctx, &mut self.shared);
        self.prefs.center = self.shared.center;
    }

    fn handle_drops(&mut self, ctx: &egui::Context) {
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
        } else if files
            .iter()
            .all(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        {
            for f in files {
                self.import_participants(&f);
            }
        } else {
            self.import(files);
        }
    }

    /// Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo project changes, unless a
    /// text field has the keyboard (it has its own undo).
    fn shortcuts(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let (undo, redo, zoom_in, zoom_out) = ctx.input_mut(|i| {
            let redo = i.consume_key(
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                egui::Key::Z,
            ) || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y);
            let undo = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z);
            let zoom_in = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Plus)
                || i.consume_key(egui::Modifiers::COMMAND, egui::Key::Equals);
            let zoom_out = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Minus);
            (undo, redo, zoom_in, zoom_out)
        });
        if undo {
            self.undo();
        }
        if redo {
            self.redo();
        }
        if zoom_in {
            self.prefs.zoom = (self.prefs.zoom + 0.1).min(3.0);
        }
        if zoom_out {
            self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.5);
        }
    }

    pub fn undo(&mut self) {
        match self.shared.act(|p| p.undo()) {
            Some(Some(r)) => self.shared.info(format!("Undone: {}", r.summary)),
            Some(None) => self.shared.info("Nothing to undo"),
            None => {}
        }
    }

    pub fn redo(&mut self) {
        match self.shared.act(|p| p.redo()) {
            Some(Some(r)) => self.shared.info(format!("Redone: {}", r.summary)),
            Some(None) => self.shared.info("Nothing to redo"),
            None => {}
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New project…").clicked() {
                    self.ask_path(PathPrompt::NewProject);
                    ui.close();
                }
                if ui.button("Open project…").clicked() {
                    self.ask_path(PathPrompt::OpenProject);
                    ui.close();
                }
                ui.menu_button("Open recent", |ui| {
                    let recent = self.prefs.recent.clone();
                    if recent.is_empty() {
                        ui.label("No recent projects");
                    }
                    for p in recent {
                        if ui.button(p.display().to_string()).clicked() {
                            self.open_project(&p);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                if ui.button("Import transcripts…").clicked() {
                    self.ask_path(PathPrompt::ImportFiles);
                    ui.close();
                }
                if ui.button("Import participants CSV…").clicked() {
                    self.ask_path(PathPrompt::ImportParticipants);
                    ui.close();
                }
                if ui.button("Import project (.qdpx, .qdc)…").clicked() {
                    self.ask_path(PathPrompt::ImportRefi);
                    ui.close();
                }
                if ui.button("Import workshop notes…").clicked() {
                    self.ask_path(PathPrompt::ImportWorkshop);
                    ui.close();
                }
            });
            ui.menu_button("Export", |ui| {
                if ui.button("Discussion pack settings…").clicked() {
                    self.pack_settings.show_for(&mut self.shared);
                    ui.close();
                }
                for (label, what) in [
                    (
                        "Discussion pack (stakeholders)…",
                        PathPrompt::ExportPack { research: false },
                    ),
                    (
                        "Discussion pack (research team)…",
                        PathPrompt::ExportPack { research: true },
                    ),
                    ("Theme report (.docx)…", PathPrompt::ExportThemeReport),
                    (
                        "Codebook (.docx)…",
                        PathPrompt::ExportCodebook { csv: false },
                    ),
                    ("Codebook (.csv)…", PathPrompt::ExportCodebook { csv: true }),
                    (
                        "Coded segments (.xlsx)…",
                        PathPrompt::ExportSegments { xlsx: true },
                    ),
                    (
                        "Coded segments (.csv)…",
                        PathPrompt::ExportSegments { xlsx: false },
                    ),
                ] {
                    if ui.button(label).clicked() {
                        self.ask_path(what);
                        ui.close();
                    }
                }
                ui.separator();
                if ui.button("REFI-QDA project (.qdpx)…").clicked() {
                    self.ask_path(PathPrompt::ExportQdpx);
                    ui.close();
                }
                if ui.button("REFI-QDA codebook (.qdc)…").clicked() {
                    self.ask_path(PathPrompt::ExportQdc);
                    ui.close();
                }
                if ui
                    .add_enabled(
                        self.stories.story.is_some(),
                        egui::Button::new("Story for checking (.docx)…"),
                    )
                    .on_disabled_hover_text("Open a story in the Stories tab first")
                    .clicked()
                {
                    self.ask_path(PathPrompt::ExportStory);
                    ui.close();
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo_label = self
                    .shared
                    .project
                    .as_ref()
                    .and_then(|p| p.can_undo().ok().flatten())
                    .map(|r| format!("Undo {}", r.command.replace('_', " ")));
                let redo_label = self
                    .shared
                    .project
                    .as_ref()
                    .and_then(|p| p.can_redo().ok().flatten())
                    .map(|r| format!("Redo {}", r.command.replace('_', " ")));
                if ui
                    .add_enabled(
                        undo_label.is_some(),
                        egui::Button::new(undo_label.unwrap_or_else(|| "Undo".into()))
                            .shortcut_text("Ctrl+Z"),
                    )
                    .clicked()
                {
                    self.undo();
                    ui.close();
                }
                if ui
                    .add_enabled(
                        redo_label.is_some(),
                        egui::Button::new(redo_label.unwrap_or_else(|| "Redo".into()))
                            .shortcut_text("Ctrl+Shift+Z"),
                    )
                    .clicked()
                {
                    self.redo();
                    ui.close();
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut self.prefs.dark, "Dark theme");
                ui.horizontal(|ui| {
                    if ui.button("Zoom out").clicked() {
                        self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.5);
                    }
                    if ui.button("Zoom in").clicked() {
                        self.prefs.zoom = (self.prefs.zoom + 0.1).min(3.0);
                    }
                    if ui.button("Reset zoom").clicked() {
                        self.prefs.zoom = 1.0;
                    }
                });
            });
            ui.separator();
            for tab in CenterTab::ALL {
                ui.selectable_value(&mut self.shared.center, tab, tab.label());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(p) = &self.shared.project {
                    ui.label(
                        RichText::new(
                            p.path()
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default(),
                        )
                        .weak(),
                    )
                    .on_hover_text(p.path().display().to_string());
                }
            });
        });
    }

    /// Opens the native file dialog, or the path prompt when there is none.
    fn ask_path(&mut self, what: PathPrompt) {
        if !self.no_native_dialogs
            && let Some(result) = native_dialog(&what)
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
        self.prompt = Some((what, String::new()));
    }

    fn prompt_ui(&mut self, ctx: &egui::Context) {
        let Some((what, mut text)) = self.prompt.take() else {
            return;
        };
        let mut open = true;
        let mut done = false;
        egui::Window::new(what.title())
            .collapsible(false)
            .open(&mut open)
            .show(ctx, |ui| {
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
                .map(PathBuf::from)
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

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some((title, done, total, file)) = self.jobs.progress() {
                ui.label(format!("{title}: {done}/{total} {file}"));
                ui.add(
                    egui::ProgressBar::new(if total == 0 {
                        0.0
                    } else {
                        done as f32 / total as f32
                    })
                    .desired_width(200.0),
                );
                if ui.button("Cancel").clicked() {
                    self.jobs.cancel();
                }
                ui.separator();
            }
            if !self.shared.notices.is_empty() && ui.button("Dismiss").clicked() {
                self.shared.notices.clear();
            }
            if let Some(last) = self.shared.notices.last() {
                let text = RichText::new(&last.text);
                ui.label(if last.error {
                    text.color(Color32::from_rgb(0xc0, 0x30, 0x30))
                } else {
                    text
                });
            }
            if self.shared.notices.len() > 1 {
                ui.label(
                    RichText::new(format!("(+{} earlier)", self.shared.notices.len() - 1)).weak(),
                )
                .on_hover_ui(|ui| {
                    for n in self.shared.notices.iter().rev().skip(1).take(10) {
                        ui.label(&n.text);
                    }
                });
            }
        });
    }

    fn navigator_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.nav, NavTab::Documents, "Documents");
            ui.selectable_value(&mut self.nav, NavTab::Codes, "Codes");
        });
        ui.separator();
        match self.nav {
            NavTab::Documents => self.documents_ui(ui),
            NavTab::Codes => self.codebook.ui(ui, &mut self.shared),
        }
    }

    fn documents_ui(&mut self, ui: &mut egui::Ui) {
        if self.documents_rev != Some(self.shared.revision) {
            self.documents_rev = Some(self.shared.revision);
            self.documents = self.shared.read(|p| p.documents()).unwrap_or_default();
            self.participant_roles = self
                .shared
                .read(|p| p.participants())
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| {
                    let role = p
                        .attributes
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("role"))?
                        .1
                        .clone();
                    Some((p.id, role))
                })
                .collect();
        }
        if self.shared.project.is_none() {
            ui.label("No project open. Use File, then New project or Open project.");
            return;
        }
        if self.documents.is_empty() {
            ui.label(
                "No documents yet: drop transcripts on the window, or use File, then Import transcripts.",
            );
        }
        // Grouped by the participants' role (participant, link worker, ...),
        // then by participant; documents nobody is linked to come last.
        // (not linked, not the study's participants, role, participant ids)
        type GroupKey = (bool, bool, String, String);
        let mut groups: BTreeMap<GroupKey, Vec<&DocumentSummary>> = BTreeMap::new();
        for d in &self.documents {
            let key = if d.participants.is_empty() {
                (
                    true,
                    true,
                    String::new(),
                    "Not linked to a participant".to_owned(),
                )
            } else {
                let role = d
                    .participants
                    .iter()
                    .find_map(|p| self.participant_roles.get(p))
                    .cloned()
                    .unwrap_or_default();
                let others = !role.is_empty() && !role.eq_ignore_ascii_case("participant");
                (false, others, role, d.participants.join(", "))
            };
            groups.entry(key).or_default().push(d);
        }
        let mut clicked = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            let mut last_role: Option<String> = None;
            for ((_, _, role, group), docs) in groups {
                if !role.is_empty() && last_role.as_deref() != Some(role.as_str()) {
                    ui.add_space(4.0);
                    ui.label(
                        RichText::new(format!("{} interviews", capitalised(&role)))
                            .heading()
                            .size(15.0),
                    );
                    last_role = Some(role.clone());
                }
                ui.label(RichText::new(group).strong());
                for d in docs {
                    let selected = self.shared.open_document.as_deref() == Some(d.uuid.as_str());
                    let r = ui
                        .selectable_label(selected, &d.name)
                        .on_hover_text(format!(
                            "{} · {} words · {} turns · version {}",
                            d.format, d.words, d.turns, d.version
                        ));
                    if r.clicked() {
                        clicked = Some(d.uuid.clone());
                    }
                }
            }
        });
        if let Some(uuid) = clicked {
            self.shared.open(&uuid);
        }
    }

    fn center_ui(&mut self, ui: &mut egui::Ui) {
        match self.shared.center {
            CenterTab::Document => self.document.ui(ui, &mut self.shared),
            CenterTab::Stories => self.stories.ui(ui, &mut self.shared),
            CenterTab::Themes => self.themes.ui(ui, &mut self.shared),
            CenterTab::Search => self.search.ui(ui, &mut self.shared),
            CenterTab::Queries => self.queries.ui(ui, &mut self.shared),
            CenterTab::Memos => self.memos.ui(ui, &mut self.shared),
            CenterTab::Participants => self.participants.ui(ui, &mut self.shared),
            CenterTab::Review => self.review.ui(ui, &mut self.shared),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The desktop's file dialog. `None` when there is no desktop portal to ask.
fn native_dialog(what: &PathPrompt) -> Option<Vec<PathBuf>> {
    if std::env::var_os("STORYLOOM_NO_NATIVE_DIALOGS").is_some()
        || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
    {
        return None;
    }
    let project = ("Storyloom project", &["storyloom"][..]);
    let d = rfd::FileDialog::new();
    Some(match what {
        PathPrompt::NewProject => d
            .add_filter(project.0, project.1)
            .set_file_name("study.storyloom")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::OpenProject => d
            .add_filter(project.0, project.1)
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::ImportFiles => d
            .add_filter("Transcripts", &["docx", "odt", "txt", "md", "vtt", "srt"])
            .pick_files()
            .unwrap_or_default(),
        PathPrompt::ImportParticipants => d
            .add_filter("CSV", &["csv"])
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::ImportRefi => d
            .add_filter("REFI-QDA", &["qdpx", "qdc"])
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportQdpx => d
            .add_filter("REFI-QDA project", &["qdpx"])
            .set_file_name("project.qdpx")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportQdc => d
            .add_filter("REFI-QDA codebook", &["qdc"])
            .set_file_name("codebook.qdc")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportStory
        | PathPrompt::ExportPack { .. }
        | PathPrompt::ExportThemeReport
        | PathPrompt::ExportCodebook { csv: false } => d
            .add_filter("Word", &["docx"])
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportCodebook { csv: true } | PathPrompt::ExportSegments { xlsx: false } => d
            .add_filter("CSV", &["csv"])
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportSegments { xlsx: true } => d
            .add_filter("Excel", &["xlsx"])
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ImportWorkshop => d
            .add_filter("Recording sheet", &["docx", "csv"])
            .pick_file()
            .into_iter()
            .collect(),
    })
}
