//! The code picker: a small window with a filter field and the matching
//! code paths. Enter applies the highlighted (first) match, arrows move the
//! highlight, Escape closes.

use egui::{Color32, Id, Pos2, RichText};
use std::collections::HashMap;
use storyloom_project::Code;

/// Most matches listed.
const MAX_SHOWN: usize = 60;

#[derive(Default)]
pub struct Picker {
    pub filter: String,
    pub highlight: usize,
    /// Frames shown (focus goes to the filter on the first).
    frames: u32,
}

pub enum PickerOutcome {
    Open,
    Close,
    /// Apply this code (uuid).
    Apply(String),
}

/// Codes matching a filter, best first: names starting with it, then names
/// containing it, then paths containing it. Case does not matter.
pub fn matches<'a>(codes: &'a [Code], filter: &str) -> Vec<&'a Code> {
    let f = filter.trim().to_lowercase();
    if f.is_empty() {
        return codes.iter().collect();
    }
    let mut scored: Vec<(u8, usize, &Code)> = codes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let name = c.name().to_lowercase();
            let score = if name.starts_with(&f) {
                0
            } else if name.contains(&f) {
                1
            } else if c.path_string().to_lowercase().contains(&f) {
                2
            } else {
                return None;
            };
            Some((score, i, c))
        })
        .collect();
    scored.sort_by_key(|(s, i, _)| (*s, *i));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

impl Picker {
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        codes: &[Code],
        colors: &HashMap<String, Color32>,
        pos: Pos2,
    ) -> PickerOutcome {
        let mut outcome = PickerOutcome::Open;
        let mut open = true;
        let edit_id = Id::unique("code-picker-filter");
        let first = self.frames == 0;
        self.frames += 1;
        let mut window = egui::Window::new("Apply a code")
            .id(Id::unique("code-picker"))
            .collapsible(false)
            .resizable(false)
            .open(&mut open);
        if first {
            // Next to the selection each time it opens (not where it was last).
            window = window.current_pos(pos);
        }
        window.show(ctx, |ui| {
            let found = matches(codes, &self.filter);
            let focused = ui.memory(|m| m.has_focus(edit_id));
            if focused {
                ui.input_mut(|i| {
                    if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown) {
                        self.highlight = (self.highlight + 1).min(found.len().saturating_sub(1));
                    }
                    if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp) {
                        self.highlight = self.highlight.saturating_sub(1);
                    }
                });
            }
            let label = ui.label("Filter codes");
            let before = self.filter.clone();
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .id(edit_id)
                        .hint_text("Type part of a code name")
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
            if first {
                r.request_focus();
            }
            if self.filter != before {
                self.highlight = 0;
            }
            let found = matches(codes, &self.filter);
            self.highlight = self.highlight.min(found.len().saturating_sub(1));
            let (enter, escape) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::Enter),
                    i.key_pressed(egui::Key::Escape),
                )
            });
            if r.lost_focus() && enter {
                if let Some(c) = found.get(self.highlight) {
                    outcome = PickerOutcome::Apply(c.uuid.clone());
                }
            } else if escape {
                outcome = PickerOutcome::Close;
            }
            if found.is_empty() {
                ui.label(RichText::new("No code matches.").weak());
            }
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| {
                    for (i, c) in found.iter().take(MAX_SHOWN).enumerate() {
                        let color = colors.get(&c.uuid).copied().unwrap_or(Color32::GRAY);
                        ui.horizontal(|ui| {
                            let (rect, _) = ui
                                .allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                            ui.painter().rect_filled(rect, 2.0, color);
                            let b = ui.selectable_label(i == self.highlight, c.path_string());
                            if i == self.highlight && self.filter != before {
                                b.scroll_to_me(None);
                            }
                            if b.clicked() {
                                outcome = PickerOutcome::Apply(c.uuid.clone());
                            }
                        });
                    }
                    if found.len() > MAX_SHOWN {
                        ui.label(
                            RichText::new(format!("… {} more", found.len() - MAX_SHOWN)).weak(),
                        );
                    }
                });
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button("Cancel").clicked() {
                    outcome = PickerOutcome::Close;
                }
                ui.label(
                    RichText::new("Enter applies the highlighted code")
                        .small()
                        .weak(),
                );
            });
        });
        if !open {
            outcome = PickerOutcome::Close;
        }
        outcome
    }
}
