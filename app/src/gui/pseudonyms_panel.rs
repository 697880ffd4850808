//! Pseudonyms (a centre tab): the names the finder found in the
//! transcripts, each with its kind, how often it is said and where; the
//! researcher settles each one (replace it, in the whole project or in one
//! participant's documents; mark it not identifying; keep it with consent),
//! sees and edits the pseudonym map, and gives the key file when the map is
//! kept apart from the project. Every step is the `Project` call that
//! `storyloom names` and `storyloom pseudonym …` make; the panel only shows
//! and asks.
//!
//! The parts: the [`candidates`] (the list and the chosen name's details),
//! the [`map`] of replacements, and the [`key`] file.

mod candidates;
mod details;
mod key;
mod map;

#[cfg(test)]
mod tests;

use super::shared::Shared;
use egui::RichText;
use storyloom_project::project::names_ops::{FoundName, NamesSummary};
use storyloom_project::store::pseudonyms::NameReview;
use storyloom_project::stories::{KeyState, Pseudonym};

/// Which found names the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    #[default]
    Unreviewed,
    All,
}

/// The Pseudonyms panel.
#[derive(Default)]
pub struct PseudonymsPanel {
    /// The revision and key file fingerprint the lists were read at.
    loaded: Option<(u64, Option<String>)>,
    names: Vec<FoundName>,
    summary: NamesSummary,
    /// Why the names could not be listed (the key is kept apart and not given).
    names_error: Option<String>,
    reviews: Vec<NameReview>,
    entries: Vec<Pseudonym>,
    /// Identifying details said in the transcripts (warnings).
    details: Vec<storyloom_project::project::details_ops::FoundDetail>,
    own: Vec<Pseudonym>,
    key_state: Option<KeyState>,
    /// Study ids, for the scope of an entry.
    participants: Vec<String>,
    pub show: Show,
    /// Only names containing this.
    pub filter: String,
    /// The chosen found name (its key) and its place in the list last frame.
    pub selected: Option<String>,
    selected_row: usize,
    /// The replacement typed for the chosen name, its kind and scope.
    pub replacement: String,
    pub kind: Option<storyloom_project::stories::PseudonymKind>,
    pub scope: Option<String>,
    /// A note kept with a review.
    pub note: String,
    /// The key file path typed.
    pub key_path: String,
}

impl PseudonymsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        if let Some(key) = sh.show_name.take() {
            self.choose(&key);
            if !self.visible().iter().any(|n| n.key == key) {
                self.show = Show::All;
                self.filter.clear();
            }
        }
        ui.heading("Pseudonyms");
        ui.label(
            RichText::new(
                "Names found in the transcripts. Each must be settled before a stakeholder \
                 export can carry it: replaced, not identifying, or kept with consent. \
                 These lines show real names: keep them private.",
            )
            .weak(),
        );
        match &self.names_error {
            Some(e) => {
                ui.colored_label(ui.visuals().warn_fg_color, e);
            }
            None => {
                ui.label(RichText::new(self.summary.to_string()).strong());
            }
        }
        ui.separator();
        let height = ui.available_height();
        egui::ScrollArea::vertical()
            .id_salt("pseudonyms-panel")
            .auto_shrink(false)
            .max_height(height)
            .show(ui, |ui| {
                self.candidates_ui(ui, sh);
                ui.separator();
                self.identifying_details_ui(ui, sh);
                ui.separator();
                self.map_ui(ui, sh);
                ui.separator();
                self.key_ui(ui, sh);
            });
    }

    fn reload(&mut self, sh: &mut Shared) {
        let at = (
            sh.revision,
            sh.key_map()
                .map(storyloom_project::stories::PseudonymMap::fingerprint),
        );
        if self.loaded.as_ref() == Some(&at) {
            return;
        }
        self.loaded = Some(at);
        let Some(p) = sh.project.as_ref() else {
            return;
        };
        match p.found_names(sh.key_map()) {
            Ok(names) => {
                self.summary = NamesSummary::of(&names);
                self.names = names;
                self.names_error = None;
            }
            Err(e) => {
                self.names.clear();
                self.summary = NamesSummary::default();
                self.names_error = Some(e.to_string());
            }
        }
        self.reviews = sh.read(|p| p.name_reviews()).unwrap_or_default();
        self.details = sh.read(|p| p.identifying_details()).unwrap_or_default();
        self.entries = sh.read(|p| p.pseudonyms()).unwrap_or_default();
        self.own = sh
            .read(|p| p.own_names_map())
            .map(|m| m.entries().to_vec())
            .unwrap_or_default();
        self.key_state = sh.read(|p| p.pseudonym_key_state());
        self.participants = sh
            .read(|p| p.participants())
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.id)
            .collect();
        // A settled name leaves the list of unreviewed ones: the next one
        // in its place is chosen, so names can be settled one after another.
        if let Some(k) = &self.selected
            && !self.visible().iter().any(|n| &n.key == k)
        {
            let visible = self.visible();
            let next = visible
                .get(self.selected_row)
                .or(visible.last())
                .map(|n| n.key.clone());
            match next {
                Some(k) => self.choose(&k),
                None => self.selected = None,
            }
        }
    }

    /// The found names the list shows (state and filter).
    fn visible(&self) -> Vec<&FoundName> {
        let filter = storyloom_project::privacy::fold(self.filter.trim());
        self.names
            .iter()
            .filter(|n| self.show == Show::All || !n.state.is_reviewed())
            .filter(|n| filter.is_empty() || n.key.contains(filter.trim()))
            .collect()
    }

    /// Chooses a found name: its replacement, kind and scope start afresh.
    fn choose(&mut self, key: &str) {
        if self.selected.as_deref() == Some(key) {
            return;
        }
        self.selected = Some(key.to_owned());
        self.replacement.clear();
        self.note.clear();
        let found = self.names.iter().find(|n| n.key == key);
        self.kind = found.map(FoundName::pseudonym_kind);
        // The whole project, as on the command line; the researcher
        // narrows it to one participant when two people share the name.
        self.scope = None;
    }
}
