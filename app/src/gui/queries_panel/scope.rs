//! The scope of a query: one role, one participant, and attribute conditions
//! (NAME = VALUE, all of which must hold).

use super::Catalog;
use crate::gui::widgets::{participant_filter, role_filter};
use storyloom_project::{Role, Scope};

#[derive(Debug, Clone, Default, PartialEq)]
pub(in crate::gui) struct ScopeEditor {
    pub role: Option<Role>,
    /// A participant id.
    pub participant: Option<String>,
    /// (attribute name, value); an empty value is not applied yet.
    pub conditions: Vec<(String, String)>,
}

impl ScopeEditor {
    /// The scope for the API.
    pub fn scope(&self) -> Scope {
        Scope {
            role: self.role,
            attributes: self
                .conditions
                .iter()
                .filter(|(n, v)| !n.is_empty() && !v.is_empty())
                .cloned()
                .collect(),
            participants: self.participant.iter().cloned().collect(),
            documents: Vec::new(),
            coders: Vec::new(),
        }
    }

    /// Drops what no longer exists in the project.
    pub fn keep_known(&mut self, cat: &Catalog) {
        if let Some(p) = &self.participant
            && !cat.participants.contains(p)
        {
            self.participant = None;
        }
        self.conditions
            .retain(|(n, _)| cat.attributes.iter().any(|(a, _)| a == n));
    }

    /// A one-line description for titles: "participants, site = Leeds".
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(r) = self.role {
            parts.push(format!("{}s", r.as_str()));
        }
        if let Some(p) = &self.participant {
            parts.push(p.clone());
        }
        for (n, v) in &self.conditions {
            if !v.is_empty() {
                parts.push(format!("{n} = {v}"));
            }
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cat: &Catalog) {
        ui.label("Scope:");
        role_filter(ui, "scope-role", &mut self.role);
        participant_filter(
            ui,
            "scope-participant",
            &mut self.participant,
            &cat.participants,
        );
        let mut remove = None;
        for (i, (name, value)) in self.conditions.iter_mut().enumerate() {
            ui.group(|ui| {
                let before = name.clone();
                egui::ComboBox::new(("scope-attr", i), format!("Attribute {}", i + 1))
                    .selected_text(if name.is_empty() {
                        "choose…".to_owned()
                    } else {
                        name.clone()
                    })
                    .show_ui(ui, |ui| {
                        for (a, _) in &cat.attributes {
                            ui.selectable_value(name, a.clone(), a);
                        }
                    });
                if *name != before {
                    value.clear();
                }
                egui::ComboBox::new(("scope-value", i), format!("Value {}", i + 1))
                    .selected_text(if value.is_empty() {
                        "choose…".to_owned()
                    } else {
                        value.clone()
                    })
                    .show_ui(ui, |ui| {
                        for v in cat.values_of(name) {
                            ui.selectable_value(value, v.clone(), v);
                        }
                    });
                if ui.button(format!("Remove condition {}", i + 1)).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.conditions.remove(i);
        }
        if ui
            .add_enabled(
                !cat.attributes.is_empty(),
                egui::Button::new("Add attribute condition"),
            )
            .on_hover_text("Only text of participants with an attribute value (NAME = VALUE)")
            .clicked()
        {
            self.conditions.push((String::new(), String::new()));
        }
    }
}
