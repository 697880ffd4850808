//! The names found in the transcripts that this story would carry
//! unreviewed into a stakeholder export (the gate would refuse it): a short
//! list beside the story, each with a button that opens the Pseudonyms
//! panel at that name.

use super::StoryEditor;
use crate::gui::shared::Shared;
use egui::RichText;
use storyloom_exports::gate::{NameLeft, names::unreviewed_in_story};

/// The list for one story at one revision (and key file).
pub(super) struct StoryNames {
    at: (String, u64, Option<String>),
    names: Result<Vec<NameLeft>, String>,
}

impl StoryEditor {
    pub(super) fn names_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(story) = self.story.clone() else {
            return;
        };
        let at = (
            story.clone(),
            sh.revision,
            sh.key_map()
                .map(storyloom_project::stories::PseudonymMap::fingerprint),
        );
        if self.names.as_ref().is_none_or(|n| n.at != at) {
            let names = match &sh.project {
                Some(p) => unreviewed_in_story(p, &story, sh.key_map()).map_err(|e| e.to_string()),
                None => Ok(Vec::new()),
            };
            self.names = Some(StoryNames { at, names });
        }
        let Some(n) = &self.names else { return };
        let mut open = None;
        match &n.names {
            Err(e) => {
                ui.label(
                    RichText::new(format!("Names not checked: {e}"))
                        .color(ui.visuals().warn_fg_color),
                );
            }
            Ok(names) if names.is_empty() => {
                ui.label(RichText::new("No unreviewed names in this story.").weak());
            }
            Ok(names) => {
                ui.label(
                    RichText::new(format!(
                        "Unreviewed names in this story: {} (settle them before a stakeholder export)",
                        names.len()
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                // One wrapped row of names (the words around each on hover),
                // so that the story below stays in view.
                ui.horizontal_wrapped(|ui| {
                    for name in names.iter().take(12) {
                        if ui
                            .small_button(&name.name)
                            .on_hover_text(format!(
                                "…{}…\nOpen the Pseudonyms panel at this name",
                                name.context
                            ))
                            .clicked()
                        {
                            open = Some(name.key.clone());
                        }
                    }
                });
                if names.len() > 12 {
                    ui.label(
                        RichText::new(format!("and {} more", names.len() - 12))
                            .weak()
                            .small(),
                    );
                }
            }
        }
        if let Some(key) = open {
            sh.show_found_name(&key);
        }
    }
}
