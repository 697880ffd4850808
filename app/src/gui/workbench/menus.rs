//! The menu bar (File, Export, Edit, View, Help, the centre tabs) and the
//! keyboard shortcuts for undo, redo, zoom, help, search and quit.

use super::{PathPrompt, Workbench};
use crate::gui::shared::CenterTab;
use egui::RichText;

impl Workbench {
    /// Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo project changes, unless a
    /// text field has the keyboard (it has its own undo).
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        // These work even with the keyboard in a text field.
        let (help, find, reset_zoom, quit) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::F1),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Num0),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Q),
            )
        });
        if help {
            self.help.toggle();
        }
        if find {
            self.find();
        }
        if reset_zoom {
            self.prefs.zoom = 1.0;
        }
        if quit {
            self.quit(ctx);
        }
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

    /// Ctrl+F: the Search tab with the keyboard in its query box.
    pub fn find(&mut self) {
        self.shared.center = CenterTab::Search;
        self.search.focus_query = true;
    }

    /// Closes the window (File → Quit, Ctrl+Q); the app saves on the way out.
    pub fn quit(&mut self, ctx: &egui::Context) {
        self.save_reading_place();
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    pub fn undo(&mut self) {
        // Typed text is saved first, so undo takes back what the user sees.
        self.flush_edits();
        match self.shared.act(|p| p.undo()) {
            Some(Some(r)) => self
                .shared
                .info(format!("Undone your action: {}", r.summary)),
            Some(None) => self
                .shared
                .info("Nothing of yours to undo (undo reverses only your own actions)"),
            None => {}
        }
    }

    pub fn redo(&mut self) {
        self.flush_edits();
        match self.shared.act(|p| p.redo()) {
            Some(Some(r)) => self.shared.info(format!("Redone: {}", r.summary)),
            Some(None) => self.shared.info("Nothing to redo"),
            None => {}
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
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
                if ui.button("Save a copy…").clicked() {
                    self.ask_path(PathPrompt::SaveCopy);
                    ui.close();
                }
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
                ui.separator();
                if ui
                    .add(egui::Button::new("Quit").shortcut_text("Ctrl+Q"))
                    .clicked()
                {
                    ui.close();
                    self.quit(ui.ctx());
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
                // Undo is per user: the label says whose action it reverses,
                // and why not when another user has changed the same rows since.
                let label = |verb: &str, r: storyloom_project::Reversal| {
                    let what = format!("{verb} {} (by {})", r.command.replace('_', " "), r.actor);
                    match r.blocked_by {
                        Some(other) => {
                            (format!("{what}: blocked, {other} changed it since"), false)
                        }
                        None => (what, true),
                    }
                };
                let (undo_label, undo_ok) = self
                    .shared
                    .project
                    .as_ref()
                    .and_then(|p| p.can_undo().ok().flatten())
                    .map(|r| label("Undo", r))
                    .unwrap_or_else(|| ("Undo (nothing of yours)".into(), false));
                let (redo_label, redo_ok) = self
                    .shared
                    .project
                    .as_ref()
                    .and_then(|p| p.can_redo().ok().flatten())
                    .map(|r| label("Redo", r))
                    .unwrap_or_else(|| ("Redo".into(), false));
                if ui
                    .add_enabled(
                        undo_ok,
                        egui::Button::new(undo_label).shortcut_text("Ctrl+Z"),
                    )
                    .clicked()
                {
                    self.undo();
                    ui.close();
                }
                if ui
                    .add_enabled(
                        redo_ok,
                        egui::Button::new(redo_label).shortcut_text("Ctrl+Shift+Z"),
                    )
                    .clicked()
                {
                    self.redo();
                    ui.close();
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut self.prefs.dark, "Dark theme");
                ui.separator();
                if ui
                    .add(egui::Button::new("Zoom in").shortcut_text("Ctrl++"))
                    .clicked()
                {
                    self.prefs.zoom = (self.prefs.zoom + 0.1).min(3.0);
                }
                if ui
                    .add(egui::Button::new("Zoom out").shortcut_text("Ctrl+-"))
                    .clicked()
                {
                    self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.5);
                }
                if ui
                    .add(egui::Button::new("Reset zoom").shortcut_text("Ctrl+0"))
                    .clicked()
                {
                    self.prefs.zoom = 1.0;
                }
                ui.label(RichText::new(format!("Zoom {:.0}%", self.prefs.zoom * 100.0)).weak());
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Welcome").clicked() {
                    self.shared.open_document = None;
                    self.shared.center = CenterTab::Document;
                    ui.close();
                }
                if ui
                    .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                    .clicked()
                {
                    self.help.toggle();
                    ui.close();
                }
                if ui
                    .add(egui::Button::new("Search the transcripts").shortcut_text("Ctrl+F"))
                    .clicked()
                {
                    self.find();
                    ui.close();
                }
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
}
