//! Help: the list of keyboard shortcuts (F1), searchable by key or by what
//! it does, so a researcher can find "how do I code this" without a manual.

use super::commands;
use egui::RichText;

/// Every row of the list: the window's commands with keys, then the keys of
/// one place.
pub fn rows() -> Vec<(String, String, String)> {
    commands::all()
        .into_iter()
        .filter(|c| !c.keys().is_empty())
        .map(|c| (c.keys_text(), c.name(), "Anywhere".to_owned()))
        .chain(
            SHORTCUTS
                .iter()
                .map(|(k, w, p)| ((*k).to_owned(), (*w).to_owned(), (*p).to_owned())),
        )
        .collect()
}

/// Keys that belong to one place (the transcript, search): (keys, what
/// they do, where they work). The window's own commands come from
/// [`commands::all`], as in the menus and the palette.
pub const SHORTCUTS: &[(&str, &str, &str)] = &[
    (
        "C",
        "Code the selection (opens the code picker)",
        "Transcript",
    ),
    (
        "1 – 9",
        "Apply a recently used code to the selection",
        "Transcript",
    ),
    ("Ctrl+C", "Copy the selected text", "Transcript"),
    ("Esc", "Clear the selection", "Transcript"),
    (
        "Page Down / Page Up",
        "Scroll a screen down / up",
        "Transcript",
    ),
    ("Down / Up arrow", "Scroll a line down / up", "Transcript"),
    (
        "Home / End, Ctrl+Home / Ctrl+End",
        "Go to the start / end of the document",
        "Transcript",
    ),
    (
        "Ctrl+Down / Ctrl+Up",
        "Next / previous speaker turn",
        "Transcript",
    ),
    (
        "Left / Right arrow",
        "Move the caret a character (on a selection: to its start or end)",
        "Transcript",
    ),
    (
        "Ctrl+Left / Ctrl+Right",
        "Move the caret a word",
        "Transcript",
    ),
    (
        "Shift+Left / Shift+Right",
        "Select a character more or less",
        "Transcript",
    ),
    (
        "Ctrl+Shift+Left / Ctrl+Shift+Right",
        "Select a word more or less",
        "Transcript",
    ),
    (
        "Ctrl+Shift+Down / Ctrl+Shift+Up",
        "Select to the end of the sentence / back to its start",
        "Transcript",
    ),
    ("Double-click", "Select a word", "Transcript"),
    ("Triple-click", "Select a whole turn", "Transcript"),
    ("Shift+click", "Extend the selection", "Transcript"),
    (
        "Alt+drag",
        "Select exact characters (no snapping to whole words)",
        "Transcript",
    ),
    ("Enter", "Run the search", "Search"),
];

/// The shortcut list window and its filter.
#[derive(Debug, Default)]
pub struct Help {
    pub open: bool,
    pub filter: String,
    /// Put the keyboard in the filter when the window opens.
    focus: bool,
}

/// Does a shortcut row match the filter (case-insensitive, any column)?
pub fn matches(row: &(String, String, String), filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty()
        || [&row.0, &row.1, &row.2]
            .iter()
            .any(|s| s.to_lowercase().contains(&f))
}

impl Help {
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.focus = self.open;
    }

    pub fn ui(&mut self, ctx: &egui::Context) {
        if !self.open {
            return;
        }
        // Escape closes the list, as it does the palette.
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.open = false;
            return;
        }
        let mut open = self.open;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Find a shortcut");
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.filter)
                                .hint_text("a key or what it does, e.g. scroll, undo, code")
                                .desired_width(300.0),
                        )
                        .labelled_by(label.id);
                    if std::mem::take(&mut self.focus) {
                        r.request_focus();
                    }
                });
                ui.separator();
                let rows: Vec<_> = rows()
                    .into_iter()
                    .filter(|r| matches(r, &self.filter))
                    .collect();
                if rows.is_empty() {
                    ui.label(RichText::new("No shortcut matches.").weak());
                }
                egui::ScrollArea::vertical()
                    .max_height(420.0)
                    .show(ui, |ui| {
                        egui::Grid::new("shortcuts-grid")
                            .striped(true)
                            .num_columns(3)
                            .spacing([16.0, 6.0])
                            .show(ui, |ui| {
                                for (keys, what, place) in rows {
                                    ui.label(RichText::new(keys).monospace().strong());
                                    ui.label(what);
                                    ui.label(RichText::new(place).weak());
                                    ui.end_row();
                                }
                            });
                    });
            });
        self.open = open && self.open;
    }
}
