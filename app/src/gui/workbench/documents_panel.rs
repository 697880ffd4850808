//! The navigator on the left: the documents list, grouped by the
//! participants' role and then by participant, and the codebook: both at
//! once (documents above, codes below) or either alone.

use super::{NavTab, Workbench};
use crate::gui::widgets::LazyHover;
use crate::text::capitalised;
use egui::RichText;
use std::collections::BTreeMap;
use storyloom_project::DocumentSummary;

impl Workbench {
    pub(super) fn navigator_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.nav, NavTab::Both, "Both")
                .on_hover_text("Documents above, codes below");
            ui.selectable_value(&mut self.nav, NavTab::Documents, "Documents");
            ui.selectable_value(&mut self.nav, NavTab::Codes, "Codes");
        });
        ui.separator();
        match self.nav {
            NavTab::Both => {
                // The split can be dragged; each part scrolls by itself.
                let height = ui.available_height();
                egui::Panel::top("nav-documents")
                    .resizable(true)
                    .default_size(height * 0.4)
                    .min_size(60.0)
                    .max_size((height - 120.0).max(60.0))
                    .show(ui, |ui| self.documents_ui(ui));
                ui.label(RichText::new("Codebook").strong());
                self.codebook.ui(ui, &mut self.shared);
            }
            NavTab::Documents => self.documents_ui(ui),
            NavTab::Codes => self.codebook.ui(ui, &mut self.shared),
        }
    }

    /// Reads the documents and the participants' roles again after a change.
    pub(super) fn refresh_documents(&mut self) {
        if self.documents_rev != Some(self.shared.revision) {
            self.documents_rev = Some(self.shared.revision);
            self.documents = self.shared.read(|p| p.documents()).unwrap_or_default();
            self.unchecked = self
                .shared
                .read(|p| p.unconfirmed_documents())
                .unwrap_or_default()
                .into_iter()
                .collect();
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
    }

    fn documents_ui(&mut self, ui: &mut egui::Ui) {
        self.refresh_documents();
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
                    let unchecked = self.unchecked.contains(&d.uuid);
                    ui.horizontal(|ui| {
                        let r = ui
                            .selectable_label(selected, &d.name)
                            .on_hover_text_lazy(|| format!(
                                "{} · {} words · {} turns · version {}{}",
                                d.format,
                                d.words,
                                d.turns,
                                d.version,
                                if unchecked {
                                    " · speakers not checked by a person"
                                } else {
                                    ""
                                }
                            ));
                        if r.clicked() {
                            clicked = Some(d.uuid.clone());
                        }
                        if unchecked {
                            ui.label(
                                RichText::new("speakers unchecked")
                                    .small()
                                    .color(ui.visuals().warn_fg_color),
                            )
                            .on_hover_text("Nobody has checked who speaks in this document: open it, correct the turns, then press “Speakers checked”. Until then its stories cannot be approved.");
                        }
                    });
                }
            }
        });
        if let Some(uuid) = clicked {
            self.shared.open(&uuid);
        }
    }
}
