//! The command palette (Ctrl+Shift+P, Help → Command palette): type a few
//! letters of any command, Up/Down to choose, Enter to run. It lists the
//! same [`UiCommand`]s as the menus, with their keys, and says why a
//! command cannot run now instead of hiding it.

use super::commands::{self, UiCommand};
use egui::RichText;

#[derive(Debug, Default)]
pub struct Palette {
    pub open: bool,
    pub filter: String,
    /// The highlighted row among the matches.
    selected: usize,
    /// Put the keyboard in the filter on the next frame.
    focus: bool,
    /// The row last scrolled into view.
    shown: Option<usize>,
}

/// The palette window's id (tests measure it).
pub fn window_id() -> egui::Id {
    egui::Id::unique("command-palette")
}

impl Palette {
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.filter.clear();
        self.selected = 0;
        self.shown = None;
        self.focus = self.open;
    }

    /// Draws the palette; returns the command chosen to run (the palette
    /// closes). `why_not` says why a command cannot run now.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        why_not: &dyn Fn(&UiCommand) -> Option<String>,
    ) -> Option<UiCommand> {
        if !self.open {
            return None;
        }
        let hits = commands::search(&self.filter);
        let (down, up, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
            )
        });
        if escape {
            self.open = false;
            return None;
        }
        if down && self.selected + 1 < hits.len() {
            self.selected += 1;
        }
        if up {
            self.selected = self.selected.saturating_sub(1);
        }
        self.selected = self.selected.min(hits.len().saturating_sub(1));
        let mut chosen = None;
        let mut open = self.open;
        egui::Window::new("Command palette")
            .id(window_id())
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .title_bar(true)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .min_width(560.0)
            .max_width(560.0)
            .show(ctx, |ui| {
                let label = ui.label("Type a command");
                let before = self.filter.clone();
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.filter)
                            .hint_text("e.g. export, zoom, undo, themes")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus) {
                    r.request_focus();
                }
                if self.filter != before {
                    self.selected = 0;
                }
                ui.separator();
                if hits.is_empty() {
                    ui.label(RichText::new("No command matches.").weak());
                }
                egui::ScrollArea::vertical()
                    .max_height(380.0)
                    .show(ui, |ui| {
                        for (k, cmd) in hits.iter().enumerate() {
                            let blocked = why_not(cmd);
                            let here = k == self.selected;
                            let row = ui.horizontal(|ui| {
                                let mut name = RichText::new(cmd.palette_name());
                                if blocked.is_some() {
                                    name = name.weak();
                                }
                                let r = ui.selectable_label(here, name);
                                if here && self.shown != Some(k) {
                                    self.shown = Some(k);
                                    r.scroll_to_me(None);
                                }
                                ui.with_layout(
                                    egui::Layout::right_to_left(egui::Align::Center),
                                    |ui| {
                                        ui.label(RichText::new(cmd.keys_text()).monospace().weak());
                                    },
                                );
                                r
                            });
                            let r = match &blocked {
                                Some(why) => row.inner.on_hover_text(why.as_str()),
                                None => row.inner,
                            };
                            if here && let Some(why) = &blocked {
                                ui.label(RichText::new(why).weak().italics());
                            }
                            if r.clicked() {
                                self.selected = k;
                                if blocked.is_none() {
                                    chosen = Some(cmd.clone());
                                }
                            }
                        }
                    });
            });
        if enter
            && let Some(cmd) = hits.get(self.selected)
            && why_not(cmd).is_none()
        {
            chosen = Some(cmd.clone());
        }
        self.open = open && chosen.is_none();
        chosen
    }
}
