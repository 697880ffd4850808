//! The workbench: menus, the navigator on the left (documents, codebook),
//! the centre tabs (document, themes, search, queries, memos, participants,
//! review), the inspector on the right, the notification area. Panels live in
//! their own modules and change the project only through [`Shared::act`].
//!
//! This file holds the workbench's state and its frame; the menus and
//! shortcuts, the file actions (dialogs, imports, exports), the documents
//! list and the status bar each have their own module.

#[cfg(test)]
mod command_tests;
mod commands;
mod documents_panel;
mod file_actions;
mod file_browser;
mod menus;
mod share_dialog;
mod shared_project;
#[cfg(test)]
mod shared_project_tests;
mod status_bar;
#[cfg(test)]
mod tests;
mod welcome;

pub use file_actions::PathPrompt;

use super::agreement_panel::AgreementPanel;
use super::codebook_panel::CodebookPanel;
use super::document_view::DocumentView;
use super::help::Help;
use super::history_panel::HistoryPanel;
use super::inspector::Inspector;
use super::jobs::Jobs;
use super::memos_panel::MemosPanel;
use super::pack_settings::PackSettingsWindow;
use super::participants_panel::ParticipantsPanel;
use super::pseudonyms_panel::PseudonymsPanel;
use super::queries_panel::QueriesPanel;
use super::reading_state::ReadingState;
use super::review_panel::ReviewPanel;
use super::search_panel::SearchPanel;
use super::shared::{CenterTab, Shared};
use super::story_editor::StoryEditor;
use super::themes_board::ThemesBoard;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use storyloom_project::{DocumentSummary, Project};

/// The inspector's width (points).
pub const INSPECTOR_WIDTH: f32 = 320.0;

/// UI preferences kept between runs (project data lives only in the project file).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: bool,
    pub zoom: f32,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    pub center: CenterTab,
    /// Black on white (or white on black), strong outlines.
    pub high_contrast: bool,
    /// Transcript and story text size (points), apart from the window's.
    pub text_size: f32,
    /// Code names beside the coding stripes (View, Alt+M).
    pub margin_names: bool,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            dark: false,
            zoom: 1.0,
            recent: vec![],
            center: CenterTab::Document,
            high_contrast: false,
            text_size: crate::gui::theme::DEFAULT_READING_SIZE,
            margin_names: false,
        }
    }
}

/// Which lists the navigator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NavTab {
    /// Documents above, codes below, both visible (so a code can be dragged
    /// onto the text without losing the documents list).
    #[default]
    Both,
    Documents,
    Codes,
}

#[derive(Default)]
pub struct Workbench {
    pub shared: Shared,
    pub prefs: Prefs,
    pub nav: NavTab,
    documents: Vec<DocumentSummary>,
    /// Participant id → their `role` attribute (participant, link worker, ...), for grouping.
    participant_roles: std::collections::HashMap<String, String>,
    /// Documents (uuids) whose speakers no person has checked yet.
    unchecked: std::collections::HashSet<String>,
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
    pub pseudonyms: PseudonymsPanel,
    pub agreement: AgreementPanel,
    pub history: HistoryPanel,
    pub merge: super::merge_window::MergeWindow,
    pub inspector: Inspector,
    pub jobs: Jobs,
    pub pack_settings: PackSettingsWindow,
    /// An open path prompt and what has been typed in it.
    pub prompt: Option<(PathPrompt, String)>,
    /// The built-in file browser's folder (where there is no desktop dialog).
    pub browse: file_browser::Browse,
    /// Set when native file dialogs are unavailable (tests, no desktop portal).
    pub no_native_dialogs: bool,
    /// The keyboard shortcut list (F1).
    pub help: Help,
    /// The command palette (Ctrl+Shift+P).
    pub palette: super::palette::Palette,
    /// Finished jobs' toasts and the refusal dialog.
    pub toasts: super::toasts::Toasts,
    /// Where the researcher was reading in each project (per user).
    pub reading: ReadingState,
    /// The open project is the working copy of the sample study.
    pub on_sample: bool,
    /// Where "Open the sample study" keeps its working copy (default: the
    /// user's data folder).
    pub sample_copy: Option<PathBuf>,
    /// The document whose place was last written to the reading state.
    place_written: Option<String>,
    /// File → Open shared project….
    pub open_shared: shared_project::OpenShared,
    /// The sync beside an open shared project.
    pub sync: shared_project::Sync,
    /// File → Share this project….
    pub share_project: share_dialog::ShareProject,
}

impl Workbench {
    pub fn set_project(&mut self, project: Project) {
        // What was typed belongs to the project being left.
        self.flush_edits();
        self.shared.edits = Default::default();
        self.save_reading_place();
        let path = project.path().to_owned();
        if let Some(what) = project.recovered() {
            self.shared.info(format!("On opening: {what}."));
        }
        self.shared.project = Some(project);
        self.shared.open_document = None;
        self.shared.selection = None;
        self.shared.selected_coding = None;
        // A key file belongs to the project it was given for.
        self.shared.key_file = None;
        self.shared.revision += 1;
        self.on_sample = crate::sample::working_copy_path().is_ok_and(|p| p == path);
        // Back to the document (and the turn) last read in this project.
        let place = self.reading.place(&path).cloned();
        if let Some(place) = place
            && self
                .shared
                .project
                .as_ref()
                .is_some_and(|p| p.document(&place.document).is_ok())
        {
            self.shared.open_document = Some(place.document.clone());
            self.document.restore_place(place.offset);
            self.place_written = Some(place.document);
        }
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(8);
    }

    /// Notes the document and turn being read; writes the state file when
    /// the document changed (the scroll position is written on
    /// [`Workbench::save_reading_place`], at exit and every half minute).
    fn note_reading_place(&mut self) {
        let (Some(project), Some(open)) = (&self.shared.project, &self.shared.open_document) else {
            return;
        };
        let offset = match self.document.top_offset() {
            Some((doc, offset)) if doc == open => offset,
            _ => return,
        };
        self.reading.remember(project.path(), open, offset);
        if self.place_written.as_ref() != Some(open) {
            self.place_written = Some(open.clone());
            self.save_reading_place();
        }
    }

    /// Writes the reading state file (if anything changed).
    pub fn save_reading_place(&mut self) {
        if let Err(e) = self.reading.save() {
            self.shared
                .error(format!("Could not remember where you were reading: {e}"));
        }
    }

    /// Saves the text typed in every field that saves as you type (window
    /// closing, project switched, before undo and redo).
    pub fn flush_edits(&mut self) {
        super::debounce::flush(&mut self.shared);
    }

    pub fn report(&mut self, message: String) {
        self.shared.error(message);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_zoom_factor(self.prefs.zoom.clamp(0.5, 3.0));
        super::theme::apply(
            &ctx,
            self.prefs.dark,
            self.prefs.high_contrast,
            self.prefs.text_size,
        );
        self.shared.margin_names = self.prefs.margin_names;
        self.jobs.poll(&mut self.shared);
        self.sync_tick(&ctx);
        if self.jobs.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        // While the project goes up to a server, nothing may change it.
        if !self.share_project.working() {
            self.handle_drops(&ctx);
            self.shortcuts(&ctx);
        }
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        // A project that cannot be written says so, and what to do, all the time.
        if let Some(why) = self.shared.project.as_ref().and_then(|p| p.read_only()) {
            let banner = format!(
                "Read-only: {why}. Nothing you change can be saved; use Save a copy in the File menu to work on a copy."
            );
            egui::Panel::top("read-only").show(ui, |ui| {
                ui.colored_label(ui.visuals().warn_fg_color, banner);
            });
        }
        if !self.shared.notices.is_empty() || self.jobs.busy() || self.sync.active() {
            egui::Panel::bottom("notices").show(ui, |ui| self.status_ui(ui));
        }
        egui::Panel::left("navigator")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| self.navigator_ui(ui));
        // The inspector only beside an open transcript, and at one width:
        // coding never widens it, so the text under the cursor stays put.
        if self.shared.center == CenterTab::Document && self.shared.open_document.is_some() {
            egui::Panel::right("inspector")
                .resizable(false)
                .exact_size(INSPECTOR_WIDTH)
                .show(ui, |ui| self.inspector.ui(ui, &mut self.shared));
        }
        egui::CentralPanel::default().show(ui, |ui| self.center_ui(ui));
        self.codebook.passages_ui(&ctx, &mut self.shared);
        self.prompt_ui(&ctx);
        self.pack_settings.ui(&ctx, &mut self.shared);
        self.open_shared_ui(&ctx);
        self.share_project_ui(&ctx);
        self.merge.ui(&ctx, &mut self.shared);
        self.help.ui(&ctx);
        let mut palette = std::mem::take(&mut self.palette);
        let chosen = palette.ui(&ctx, &|c| self.why_not(c));
        self.palette = palette;
        if let Some(cmd) = chosen {
            self.run_command(cmd, &ctx);
        }
        let toasts = self.toasts.ui(&ctx, &self.shared.notices);
        if let Some(e) = toasts.failed {
            self.shared.error(e);
        }
        match toasts.remedy {
            Some(super::refusal::Remedy::Tab(tab)) => self.shared.center = tab,
            Some(super::refusal::Remedy::Command(cmd)) if self.why_not(&cmd).is_none() => {
                self.run_command(cmd, &ctx);
            }
            _ => {}
        }
        self.prefs.center = self.shared.center;
        self.note_reading_place();
        // The changes the panels asked for while drawing, in order.
        self.shared.drain(&ctx);
        // Last: fields drawn in this pass are known, the rest have been left.
        super::debounce::end_pass(&ctx, &mut self.shared);
    }

    fn center_ui(&mut self, ui: &mut egui::Ui) {
        match self.shared.center {
            CenterTab::Document
                if self.shared.open_document.is_none() && self.shared.jump.is_none() =>
            {
                self.refresh_documents();
                self.welcome_ui(ui)
            }
            CenterTab::Document => self.document.ui(ui, &mut self.shared),
            CenterTab::Stories => self.stories.ui(ui, &mut self.shared),
            CenterTab::Themes => self.themes.ui(ui, &mut self.shared),
            CenterTab::Search => self.search.ui(ui, &mut self.shared),
            CenterTab::Queries => self.queries.ui(ui, &mut self.shared),
            CenterTab::Memos => self.memos.ui(ui, &mut self.shared),
            CenterTab::Participants => self.participants.ui(ui, &mut self.shared),
            CenterTab::Review => self.review.ui(ui, &mut self.shared),
            CenterTab::Pseudonyms => self.pseudonyms.ui(ui, &mut self.shared),
            CenterTab::Agreement => self.agreement.ui(ui, &mut self.shared),
            CenterTab::History => self.history.ui(ui, &mut self.shared),
        }
    }
}
