//! The codebook (the navigator's "Codes" tab): a collapsible tree of codes
//! with colour, name and how often each is used; a "New code" field; and,
//! below the tree, the details of the selected code: rename, colour, what it
//! means, move, merge, delete (with a confirmation).
//!
//! Drag a code onto another code to put it under that one, onto "top level"
//! to take it out, onto a selection in the document view to apply it, or onto
//! a theme card on the themes board. While a code is dragged its uuid is in
//! [`Shared::dragged_code`] and is the drag-and-drop payload (a `String`).
//!
//! This file keeps the panel's state and applies what the tree asks for;
//! [`tree`] draws the tree and handles dragging, [`details`] edits the
//! selected code. Double-click a code (or "Open passages" in its menu) for
//! its passages in a window ([`passages`]).

mod details;
mod passages;
mod tree;

use super::shared::Shared;
use details::CodeEdit;
use egui::RichText;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use storyloom_project::Command;
use storyloom_project::project::CodeFrequencyRow;
use storyloom_project::{Code, CodingCount};

#[cfg(test)]
mod passages_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tree_tests;

/// A code waiting for "Delete" in the confirmation window.
struct PendingDelete {
    uuid: String,
    name: String,
    sub_codes: usize,
}

/// Something the tree asked for, done after drawing it.
enum TreeAction {
    Select(String),
    Move(String, Option<String>),
    Delete(String),
    AddUnder(String),
    Rename(String),
    OpenPassages(String),
}

#[derive(Default)]
pub struct CodebookPanel {
    loaded: Option<u64>,
    codes: Vec<Code>,
    /// Codings and documents of each used code.
    freq: HashMap<String, CodingCount>,
    /// Codings, documents and participants of each code as of a revision,
    /// read when a count is hovered (it reads every turn).
    detail: RefCell<Option<(u64, HashMap<String, CodeFrequencyRow>)>>,
    /// Show only the codes used in the open document, with its counts.
    pub coded_here: bool,
    /// The open document's counts, for `coded_here`: (document, counts).
    here: Option<(Option<String>, HashMap<String, usize>)>,
    /// Children (indices into `codes`) by parent uuid; `None` for the top level.
    children: HashMap<Option<String>, Vec<usize>>,
    /// The codes (indices into `codes`) that have sub-codes.
    has_kids: HashSet<usize>,
    /// Codes whose sub-codes are hidden.
    collapsed: HashSet<String>,
    /// The rows the tree shows, in order: (index into `codes`, depth).
    /// Rebuilt when the codebook is reloaded or a code is (un)folded.
    rows: Vec<(usize, usize)>,
    rows_stale: bool,
    /// Height of one tree row as last drawn (rows are drawn only in view).
    row_height: Option<f32>,
    /// A code to bring into view in the tree on the next frame.
    scroll_to: Option<String>,
    scroll_tries: u8,
    /// How far the tree could scroll when last drawn.
    tree_max_offset: f32,
    /// What is typed in "New code".
    pub new_name: String,
    /// Create the new code under the selected one.
    pub as_sub_code: bool,
    edit: Option<CodeEdit>,
    pending_delete: Option<PendingDelete>,
    /// True while this panel has put a dragged code in `Shared::dragged_code`.
    dragging: bool,
    focus_new: bool,
    focus_rename: bool,
    /// The open passages window, if any.
    pub(in crate::gui) passages: Option<passages::CodePassages>,
}

impl CodebookPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        self.new_code_ui(ui, sh);
        ui.separator();

        let mut actions = Vec::new();
        // The tree shares the panel with the details of a selected code, at
        // one height whether or not a code is selected: a click that selects
        // a code never moves the rows (the second click of a double-click
        // lands on the same code).
        let tree_height = (ui.available_height() * 0.5).max(120.0);
        self.coded_here_ui(ui, sh);
        if self.codes.is_empty() {
            ui.label(RichText::new("No codes yet: add one above.").weak());
        }
        self.tree_ui(ui, sh, tree_height, &mut actions);
        self.top_level_drop_zone(ui, &mut actions);
        self.track_drag(ui, sh);
        for a in actions {
            self.apply(a, sh);
        }

        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("code-details")
            .auto_shrink([false, true])
            .show(ui, |ui| self.details_ui(ui, sh));
        self.delete_window(ui, sh);
    }

    /// The open code's passages window (drawn whatever the navigator shows).
    pub fn passages_ui(&mut self, ctx: &egui::Context, sh: &mut Shared) {
        if let Some(w) = &mut self.passages
            && !w.ui(ctx, sh)
        {
            self.passages = None;
        }
    }

    /// Reloads the codebook and its counts when the project changed, and
    /// the open document's counts when "coded here" is on and it changed.
    fn reload(&mut self, sh: &mut Shared) {
        self.reload_codes(sh);
        let doc = sh.open_document.clone().filter(|_| self.coded_here);
        if self.here.as_ref().map(|(d, _)| d) != Some(&doc) {
            let counts = match &doc {
                Some(d) => {
                    let coder = sh.shown_coder();
                    sh.read(|p| p.coding_counts_by(Some(d), coder.as_deref()))
                        .unwrap_or_default()
                }
                None => Vec::new(),
            };
            let counts = counts.into_iter().map(|c| (c.code, c.codings)).collect();
            self.here = Some((doc, counts));
            self.rows_stale = true;
        }
    }

    /// The count the tree shows beside a code (tests).
    #[cfg(test)]
    pub fn count_of(&self, code: &str) -> usize {
        self.freq.get(code).map_or(0, |f| f.codings)
    }

    fn reload_codes(&mut self, sh: &mut Shared) {
        if self.loaded == Some(sh.revision) {
            return;
        }
        self.loaded = Some(sh.revision);
        self.codes = sh.read(|p| p.codes()).unwrap_or_default();
        // One grouped count in the database (not the whole frequencies
        // table, which reads every turn): this runs after every coding. In
        // blind mode (or filtered to one coder) only that coder's codings count.
        let coder = sh.shown_coder();
        self.freq = sh
            .read(|p| p.coding_counts_by(None, coder.as_deref()))
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect();
        self.here = None;
        self.rows_stale = true;
        self.children.clear();
        for (i, c) in self.codes.iter().enumerate() {
            self.children.entry(c.parent.clone()).or_default().push(i);
        }
        let index: HashMap<&str, usize> = self
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.uuid.as_str(), i))
            .collect();
        self.has_kids = self
            .codes
            .iter()
            .filter_map(|c| index.get(c.parent.as_deref()?).copied())
            .collect();
        if let Some(sel) = &sh.selected_code
            && !self.codes.iter().any(|c| &c.uuid == sel)
        {
            sh.selected_code = None;
        }
    }

    fn new_code_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let label = ui.label("New code");
        let mut add = false;
        ui.horizontal(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.new_name)
                        .hint_text("name")
                        .desired_width(ui.available_width() - 50.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus_new) {
                r.request_focus();
            }
            add |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            add |= ui.button("Add").clicked();
        });
        let selected = sh
            .selected_code
            .as_ref()
            .and_then(|s| self.codes.iter().find(|c| &c.uuid == s))
            .map(|c| c.name().to_owned());
        ui.add_enabled_ui(selected.is_some(), |ui| {
            let text = match &selected {
                Some(name) => format!("as sub-code of {name}"),
                None => "as sub-code (select a code first)".to_owned(),
            };
            ui.checkbox(&mut self.as_sub_code, text);
        });
        if add && !self.new_name.trim().is_empty() {
            let parent = if self.as_sub_code && selected.is_some() {
                sh.selected_code.clone()
            } else {
                None
            };
            let name = self.new_name.clone();
            if sh
                .apply(Command::CreateCode {
                    name: name.to_owned(),
                    parent: parent.clone(),
                    color: None,
                })
                .and_then(|a| a.id().ok())
                .map(|uuid| self.scroll_to = Some(uuid))
                .is_some()
            {
                self.new_name.clear();
                if let Some(p) = parent {
                    self.unfold(&p);
                }
                self.focus_new = true;
            }
        }
    }

    fn is_code(&self, uuid: &str) -> bool {
        self.codes.iter().any(|c| c.uuid == uuid)
    }

    fn name_of(&self, uuid: &str) -> String {
        self.codes
            .iter()
            .find(|c| c.uuid == uuid)
            .map(|c| c.name().to_owned())
            .unwrap_or_default()
    }

    /// The code and every code under it.
    fn subtree(&self, uuid: &str) -> Vec<String> {
        let mut out = vec![uuid.to_owned()];
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = self.children.get(&Some(out[i].clone())) {
                out.extend(kids.iter().map(|&k| self.codes[k].uuid.clone()));
            }
            i += 1;
        }
        out
    }

    fn apply(&mut self, action: TreeAction, sh: &mut Shared) {
        match action {
            TreeAction::Select(u) => sh.selected_code = Some(u),
            TreeAction::Rename(u) => {
                sh.selected_code = Some(u);
                self.focus_rename = true;
            }
            TreeAction::AddUnder(u) => {
                sh.selected_code = Some(u);
                self.as_sub_code = true;
                self.focus_new = true;
            }
            TreeAction::Move(code, parent) => {
                if sh
                    .apply(Command::MoveCode {
                        code: code.to_owned(),
                        parent: parent.clone(),
                    })
                    .is_some()
                    && let Some(p) = parent
                {
                    self.unfold(&p);
                }
            }
            TreeAction::Delete(u) => self.ask_delete(&u),
            TreeAction::OpenPassages(u) => {
                sh.selected_code = Some(u.clone());
                self.passages = Some(passages::CodePassages::new(&u));
            }
        }
    }
}
