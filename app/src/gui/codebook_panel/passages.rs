//! A code's passages, opened by double-clicking a code in the codebook (or
//! "Open passages" in its menu): every passage coded with it or a code under
//! it, in full, with its document and coder. Each passage can be jumped to
//! (the transcript opens with it selected), uncoded, or moved to another
//! code; "Export CSV…" saves the list. Changes go through [`Command`]s.

use crate::gui::queries_panel::csv_save::{CsvNames, CsvSaver};
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_project::{Code, Coding, Command};

const CSV_NAMES: CsvNames = CsvNames {
    button: "Save code passages as CSV",
    field: "Code passages CSV path",
};

/// The window's state: which code, and what was read for it.
pub(in crate::gui) struct CodePassages {
    /// The code's uuid.
    pub code: String,
    name: String,
    /// (revision, coder shown) the passages were read at.
    loaded: Option<(u64, Option<String>)>,
    codings: Vec<Coding>,
    codes: Vec<Code>,
    /// The CSV path field, once "Export CSV…" was pressed.
    csv: Option<CsvSaver>,
    /// How many passages are drawn (a code with thousands shows them a page
    /// at a time; the CSV has them all).
    pub(super) shown: usize,
}

/// Passages drawn at first, and added by "Show more".
pub(super) const PAGE: usize = 100;

/// What a passage's buttons asked for.
enum Action {
    Jump(usize),
    Uncode(usize),
    Recode(usize, String),
}

impl CodePassages {
    pub fn new(code: &str) -> CodePassages {
        CodePassages {
            code: code.to_owned(),
            name: String::new(),
            loaded: None,
            codings: Vec::new(),
            codes: Vec::new(),
            csv: None,
            shown: PAGE,
        }
    }

    /// The passages' title: "Passages: <code name>".
    pub fn title(&self) -> String {
        format!("Passages: {}", self.name)
    }

    /// Reads the code and its passages again after a change; false when the code is gone.
    fn reload(&mut self, sh: &mut Shared) -> bool {
        let key = (sh.revision, sh.shown_coder());
        if self.loaded.as_ref() == Some(&key) {
            return true;
        }
        self.codes = sh.read(|p| p.codes()).unwrap_or_default();
        let Some(code) = self.codes.iter().find(|c| c.uuid == self.code) else {
            return false;
        };
        self.name = code.name().to_owned();
        let code = self.code.clone();
        self.codings = sh
            .read(|p| p.codings(Some(&code), None, key.1.as_deref()))
            .unwrap_or_default();
        self.loaded = Some(key);
        true
    }

    /// CSV rows (header first): document, coder, start, end, code, text.
    pub fn csv_rows(codings: &[Coding]) -> Vec<Vec<String>> {
        let mut rows = vec![
            ["document", "coder", "start", "end", "code", "text"]
                .map(String::from)
                .to_vec(),
        ];
        for c in codings {
            rows.push(vec![
                c.document_name.clone(),
                c.coder.clone(),
                c.start.to_string(),
                c.end.to_string(),
                c.code_path.clone(),
                c.quote.clone(),
            ]);
        }
        rows
    }

    /// Draws the window; false when it was closed (or its code deleted).
    pub fn ui(&mut self, ctx: &egui::Context, sh: &mut Shared) -> bool {
        if !self.reload(sh) {
            return false;
        }
        let mut open = true;
        let mut action = None;
        let title = self.title();
        egui::Window::new(&title)
            .id(egui::Id::unique("code-passages"))
            .open(&mut open)
            .default_size([560.0, 520.0])
            .default_pos(ctx.content_rect().left_top() + egui::vec2(300.0, 60.0))
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                self.header_ui(ui, sh);
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("code-passages-list")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        action = self.list_ui(ui);
                        let left = self.codings.len().saturating_sub(self.shown);
                        if left > 0
                            && ui
                                .button(format!("Show {} more ({left} not shown)", left.min(PAGE)))
                                .clicked()
                        {
                            self.shown += PAGE;
                        }
                    });
            });
        match action {
            Some(Action::Jump(i)) => {
                if let Some(c) = self.codings.get(i) {
                    sh.jump_to(&c.document, c.start, c.end);
                    sh.selected_coding = Some(c.uuid.clone());
                }
            }
            Some(Action::Uncode(i)) => {
                if let Some(c) = self.codings.get(i) {
                    sh.push(Command::RemoveCoding {
                        coding: c.uuid.clone(),
                    });
                }
            }
            Some(Action::Recode(i, code)) => {
                if let Some(c) = self.codings.get(i) {
                    sh.push(Command::RecodeCoding {
                        coding: c.uuid.clone(),
                        code,
                    });
                }
            }
            None => {}
        }
        open
    }

    fn header_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.horizontal_wrapped(|ui| {
            let n = self.codings.len();
            ui.label(format!("{n} passage{}", if n == 1 { "" } else { "s" }));
            if let Some(coder) = sh.shown_coder() {
                ui.label(RichText::new(format!("coded by {coder}")).weak());
            }
            if n > 0 && ui.button("Export CSV…").clicked() {
                self.csv.get_or_insert_with(CsvSaver::default);
            }
        });
        if let Some(csv) = &mut self.csv {
            let file = format!("{}.csv", file_stem(&self.name));
            let codings = &self.codings;
            ui.horizontal_wrapped(|ui| {
                csv.ui(ui, sh, &CSV_NAMES, &file, || Self::csv_rows(codings));
            });
        }
    }

    fn list_ui(&self, ui: &mut egui::Ui) -> Option<Action> {
        if self.codings.is_empty() {
            ui.label("Nothing is coded with this code yet.");
            return None;
        }
        let mut action = None;
        for (i, c) in self.codings.iter().enumerate().take(self.shown) {
            let n = i + 1;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.strong(&c.document_name);
                    ui.label(
                        RichText::new(format!("· {} · {}–{}", c.coder, c.start, c.end)).weak(),
                    );
                    if c.code != self.code {
                        ui.label(RichText::new(&c.code_path).italics().weak());
                    }
                });
                // The whole passage, wrapped: never cut to one line.
                ui.add(egui::Label::new(&c.quote).wrap());
                ui.horizontal(|ui| {
                    if ui
                        .button("Jump")
                        .on_hover_text("Open the transcript at this passage")
                        .accessible_name(format!("Jump to passage {n}"))
                        .clicked()
                    {
                        action = Some(Action::Jump(i));
                    }
                    if ui
                        .button("Uncode")
                        .on_hover_text("Remove this coding (undo brings it back)")
                        .accessible_name(format!("Uncode passage {n}"))
                        .clicked()
                    {
                        action = Some(Action::Uncode(i));
                    }
                    let menu = egui::containers::menu::MenuButton::new("Recode…");
                    let (r, _) = menu.ui(ui, |ui| {
                        ui.label(RichText::new("Move this coding to").weak());
                        egui::ScrollArea::vertical()
                            .max_height(300.0)
                            .show(ui, |ui| {
                                for code in
                                    self.codes.iter().filter(|k| k.codable && k.uuid != c.code)
                                {
                                    if ui.button(code.path_string()).clicked() {
                                        action = Some(Action::Recode(i, code.uuid.clone()));
                                        ui.close();
                                    }
                                }
                            });
                    });
                    r.on_hover_text("Move this coding to another code")
                        .accessible_name(format!("Recode passage {n}"));
                });
            });
        }
        action
    }
}

/// A code name made safe for a file name.
fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_lowercase();
    if s.is_empty() {
        "code-passages".into()
    } else {
        s
    }
}
