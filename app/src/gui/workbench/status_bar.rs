//! The status bar: progress of a background job with its cancel button, and
//! the latest notification (errors in red) with the earlier ones on hover.

use super::Workbench;
use egui::{Color32, RichText};

impl Workbench {
    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some((title, done, total, file)) = self.jobs.progress() {
                ui.label(format!("{title}: {done}/{total} {file}"));
                ui.add(
                    egui::ProgressBar::new(if total == 0 {
                        0.0
                    } else {
                        done as f32 / total as f32
                    })
                    .desired_width(200.0),
                );
                if ui.button("Cancel").clicked() {
                    self.jobs.cancel();
                }
                ui.separator();
            }
            if let Some(sync) = self.sync_status_text() {
                let online = self.sync.status().is_some_and(|s| s.online);
                let text = if online {
                    RichText::new(&sync)
                } else {
                    RichText::new(&sync).color(ui.visuals().warn_fg_color)
                };
                ui.add(egui::Label::new(text).truncate())
                    .on_hover_text(&sync);
                ui.separator();
            }
            if !self.shared.notices.is_empty() && ui.button("Dismiss").clicked() {
                self.shared.notices.clear();
            }
            if self.shared.notices.len() > 1 {
                ui.label(
                    RichText::new(format!("(+{} earlier)", self.shared.notices.len() - 1)).weak(),
                )
                .on_hover_ui(|ui| {
                    for n in self.shared.notices.iter().rev().skip(1).take(10) {
                        ui.label(&n.text);
                    }
                });
            }
            if let Some(last) = self.shared.notices.last() {
                let text = RichText::new(&last.text);
                let text = if last.error {
                    text.color(Color32::from_rgb(0xc0, 0x30, 0x30))
                } else {
                    text
                };
                // One line, cut at the window's edge (a long line would
                // widen the window's panels); all of it on hover.
                ui.add(egui::Label::new(text).truncate())
                    .on_hover_text(&last.text);
            }
        });
    }
}
