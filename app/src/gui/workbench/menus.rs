//! The menu bar (File, Export, Edit, View, Help, the centre tabs), built
//! from the command list (see `commands.rs`), and the actions behind a few
//! of its commands.

use super::Workbench;
use crate::gui::commands::Menu;
use crate::gui::shared::CenterTab;
use egui::{RichText, Sense, TextStyle, WidgetInfo};
use storyloom_project::Command;

impl Workbench {
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
        match self
            .shared
            .apply(Command::Undo)
            .and_then(|a| a.reversed().ok())
        {
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
        match self
            .shared
            .apply(Command::Redo)
            .and_then(|a| a.reversed().ok())
        {
            Some(Some(r)) => self.shared.info(format!("Redone: {}", r.summary)),
            Some(None) => self.shared.info("Nothing to redo"),
            None => {}
        }
    }

    /// File → Open recent.
    pub(super) fn recent_menu(&mut self, ui: &mut egui::Ui) {
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
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            for (title, menu) in [
                ("File", Menu::File),
                ("Export", Menu::Export),
                ("Edit", Menu::Edit),
                ("View", Menu::View),
                ("Help", Menu::Help),
            ] {
                ui.menu_button(title, |ui| {
                    self.menu_items(ui, menu);
                    if menu == Menu::View {
                        ui.label(
                            RichText::new(format!(
                                "Zoom {:.0}% · text {:.0} pt",
                                self.prefs.zoom * 100.0,
                                self.prefs.text_size
                            ))
                            .weak(),
                        );
                    }
                });
            }
            ui.separator();
            center_tabs(ui, &mut self.shared.center);
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

/// The centre tabs, painted: they are on screen in every frame, and eleven
/// painted tabs cost the frame a fraction of what eleven selectable buttons
/// do. Each keeps a button's behaviour for the keyboard and for screen
/// readers (focusable, labelled, selected or not).
fn center_tabs(ui: &mut egui::Ui, current: &mut CenterTab) {
    let font = TextStyle::Button.resolve(ui.style());
    let pad = ui.spacing().button_padding;
    let height = ui.spacing().interact_size.y;
    for tab in CenterTab::ALL {
        let label = tab.label();
        let galley =
            ui.painter()
                .layout_no_wrap(label.to_owned(), font.clone(), egui::Color32::PLACEHOLDER);
        let size = egui::vec2(
            galley.size().x + 2.0 * pad.x,
            height.max(galley.size().y + 2.0 * pad.y),
        );
        let (rect, response) = ui.allocate_exact_size(size, Sense::click());
        let selected = *current == tab;
        if response.clicked() {
            *current = tab;
        }
        let visuals = ui.style().interact_selectable(&response, selected);
        if selected || response.hovered() || response.has_focus() {
            ui.painter().rect(
                rect,
                visuals.corner_radius,
                visuals.weak_bg_fill,
                visuals.bg_stroke,
                egui::StrokeKind::Inside,
            );
        }
        let text_pos = rect.center() - galley.size() / 2.0;
        ui.painter().galley(text_pos, galley, visuals.text_color());
        response.widget_info(|| WidgetInfo::selected(egui::Role::Button, true, selected, label));
    }
}
