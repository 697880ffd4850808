//! Running the window's commands ([`UiCommand`]): whether one can run now
//! (and why not), running it, its keyboard shortcut, and its menu item.
//! The menus, the shortcut list and the palette all come through here.

use super::Workbench;
use crate::gui::commands::{self, Menu, UiCommand};
use crate::gui::shared::CenterTab;
use crate::gui::workbench::PathPrompt;

/// The smallest and largest transcript and story text (points).
pub const TEXT_SIZES: std::ops::RangeInclusive<f32> = 11.0..=28.0;

impl Workbench {
    /// Why `cmd` cannot run now (None: it can).
    pub fn why_not(&self, cmd: &UiCommand) -> Option<String> {
        use UiCommand as C;
        let project = self.shared.project.as_ref();
        let needs_project = matches!(
            cmd,
            C::SaveCopy
                | C::ShareProject
                | C::ImportTranscripts
                | C::ImportParticipants
                | C::ImportRefi
                | C::ImportWorkshop
                | C::MergeCopy
                | C::PackSettings
                | C::Export(_)
                | C::Find
                | C::Go(_)
        );
        if needs_project && project.is_none() {
            return Some("Open or create a project first (File → Open project…).".into());
        }
        match cmd {
            C::Export(PathPrompt::ExportStory) if self.stories.story.is_none() => {
                Some("Open a story in the Stories tab first.".into())
            }
            C::ShareProject => match project.map(|p| p.shared_server()) {
                Some(Ok(Some(s))) => {
                    Some(format!("This project is shared already, at {}.", s.locator))
                }
                _ if project.is_some_and(|p| p.read_only().is_some()) => Some(
                    "This project is read-only here; share a copy (File, then Save a copy…)."
                        .into(),
                ),
                _ => None,
            },
            C::Undo => match project.map(|p| p.can_undo()) {
                Some(Ok(Some(r))) => r
                    .blocked_by
                    .map(|other| format!("Blocked: {other} has changed it since.")),
                _ => Some("Nothing of yours to undo.".into()),
            },
            C::Redo => match project.map(|p| p.can_redo()) {
                Some(Ok(Some(r))) => r
                    .blocked_by
                    .map(|other| format!("Blocked: {other} has changed it since.")),
                _ => Some("Nothing to redo.".into()),
            },
            C::NextCoding | C::PreviousCoding if self.shared.open_document.is_none() => {
                Some("Open a transcript first (Documents, on the left).".into())
            }
            _ => None,
        }
    }

    /// Whether a toggle command is on (None: not a toggle).
    pub fn is_on(&self, cmd: &UiCommand) -> Option<bool> {
        match cmd {
            UiCommand::DarkTheme => Some(self.prefs.dark),
            UiCommand::HighContrast => Some(self.prefs.high_contrast),
            UiCommand::MarginNames => Some(self.prefs.margin_names),
            _ => None,
        }
    }

    /// Runs a command (the caller has checked [`Workbench::why_not`]).
    pub fn run_command(&mut self, cmd: UiCommand, ctx: &egui::Context) {
        use UiCommand as C;
        match cmd {
            C::NewProject => self.ask_path(PathPrompt::NewProject),
            C::OpenProject => self.ask_path(PathPrompt::OpenProject),
            C::OpenShared => self.ask_open_shared(),
            C::ShareProject => self.ask_share_project(),
            C::SaveCopy => self.ask_path(PathPrompt::SaveCopy),
            C::ImportTranscripts => self.ask_path(PathPrompt::ImportFiles),
            C::ImportParticipants => self.ask_path(PathPrompt::ImportParticipants),
            C::ImportRefi => self.ask_path(PathPrompt::ImportRefi),
            C::ImportWorkshop => self.ask_path(PathPrompt::ImportWorkshop),
            C::MergeCopy => self.ask_path(PathPrompt::MergeCopy),
            C::Quit => self.quit(ctx),
            C::PackSettings => self.pack_settings.show_for(&mut self.shared),
            C::Export(what) => self.ask_path(what),
            C::Undo => self.undo(),
            C::Redo => self.redo(),
            C::DarkTheme => self.prefs.dark = !self.prefs.dark,
            C::HighContrast => self.prefs.high_contrast = !self.prefs.high_contrast,
            C::MarginNames => self.prefs.margin_names = !self.prefs.margin_names,
            C::ZoomIn => self.prefs.zoom = (self.prefs.zoom + 0.1).min(3.0),
            C::ZoomOut => self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.5),
            C::ResetZoom => self.prefs.zoom = 1.0,
            C::TextLarger => self.set_text_size(self.prefs.text_size + 1.0),
            C::TextSmaller => self.set_text_size(self.prefs.text_size - 1.0),
            C::TextReset => self.set_text_size(super::Prefs::default().text_size),
            C::Welcome => {
                self.shared.open_document = None;
                self.shared.center = CenterTab::Document;
            }
            C::Shortcuts => self.help.toggle(),
            C::Palette => self.palette.toggle(),
            C::Find => self.find(),
            C::NextCoding | C::PreviousCoding => {
                self.shared.center = CenterTab::Document;
                let forward = cmd == C::NextCoding;
                self.document.step_coding(&mut self.shared, forward);
            }
            C::Go(tab) => self.shared.center = tab,
        }
    }

    fn set_text_size(&mut self, size: f32) {
        self.prefs.text_size = size.clamp(*TEXT_SIZES.start(), *TEXT_SIZES.end());
    }

    /// Runs the commands whose keys were pressed. Keys with more modifiers
    /// are tried first (egui ignores an extra Shift when matching, so
    /// Ctrl+Z would also take Ctrl+Shift+Z).
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let mut keyed: Vec<(egui::KeyboardShortcut, UiCommand)> = commands::all()
            .into_iter()
            .filter(|c| !typing || c.in_text_fields())
            .flat_map(|c| c.keys().iter().map(move |k| (*k, c.clone())))
            .collect();
        keyed.sort_by_key(|(k, _)| {
            std::cmp::Reverse(
                u8::from(k.modifiers.shift)
                    + u8::from(k.modifiers.alt)
                    + u8::from(k.modifiers.command || k.modifiers.ctrl),
            )
        });
        let mut pressed = Vec::new();
        ctx.input_mut(|i| {
            for (k, c) in keyed {
                if i.consume_shortcut(&k) && !pressed.contains(&c) {
                    pressed.push(c);
                }
            }
        });
        for c in pressed {
            // Undo and redo say themselves why nothing happened.
            if matches!(c, UiCommand::Undo | UiCommand::Redo) || self.why_not(&c).is_none() {
                self.run_command(c, ctx);
            }
        }
    }

    /// The items of one menu, from the command list.
    pub(super) fn menu_items(&mut self, ui: &mut egui::Ui, menu: Menu) {
        for cmd in commands::all().into_iter().filter(|c| c.menu() == menu) {
            if cmd.separated() {
                ui.separator();
            }
            let recent = cmd == UiCommand::OpenProject;
            self.menu_item(ui, cmd);
            if recent {
                self.recent_menu(ui);
            }
        }
    }

    /// One menu item: its name (with the action for undo and redo), its
    /// key, a tick for a toggle, greyed with the reason when it cannot run.
    pub(super) fn menu_item(&mut self, ui: &mut egui::Ui, cmd: UiCommand) {
        let why = self.why_not(&cmd);
        let name = match cmd {
            UiCommand::Undo | UiCommand::Redo => self.undo_label(&cmd),
            _ => cmd.name(),
        };
        let mut button = egui::Button::new(name);
        if !cmd.keys().is_empty() {
            button = button.shortcut_text(cmd.key_text());
        }
        if let Some(on) = self.is_on(&cmd) {
            button = button.selected(on);
        }
        let r = ui.add_enabled(why.is_none(), button);
        let r = match &why {
            Some(w) => r.on_disabled_hover_text(w.as_str()),
            None => r,
        };
        if r.clicked() {
            ui.close();
            self.run_command(cmd, ui.ctx());
        }
    }

    /// "Undo create code (by alice)", or why there is nothing to undo.
    fn undo_label(&self, cmd: &UiCommand) -> String {
        let p = self.shared.project.as_ref();
        let (verb, r) = match cmd {
            UiCommand::Undo => ("Undo", p.and_then(|p| p.can_undo().ok().flatten())),
            _ => ("Redo", p.and_then(|p| p.can_redo().ok().flatten())),
        };
        match r {
            Some(r) => {
                let what = format!("{verb} {} (by {})", r.command.replace('_', " "), r.actor);
                match r.blocked_by {
                    Some(other) => format!("{what}: blocked, {other} changed it since"),
                    None => what,
                }
            }
            None if verb == "Undo" => "Undo (nothing of yours)".into(),
            None => "Redo".into(),
        }
    }
}
