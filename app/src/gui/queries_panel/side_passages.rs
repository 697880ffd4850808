//! A drill-down's passages in a side panel beside the heatmap: each passage
//! whole (wrapped, not cut to a line), with its document, speaker and codes;
//! a click opens the document with the passage selected.

use super::Shared;
use super::csv_save::CsvNames;
use super::passages::{Drill, passage_label, speaker};
use egui::{RichText, Sense};

impl Drill {
    /// Shows the passages in a column of cards; false when closed.
    pub fn side_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) -> bool {
        if self.revision != sh.revision {
            self.run(sh);
        }
        let mut open = true;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&self.title).strong());
            if ui.button("Close passages").clicked() {
                open = false;
            }
        });
        ui.label(RichText::new(&self.expression).monospace().weak());
        let hits = match &self.hits {
            Err(e) => {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
                return open;
            }
            Ok(hits) => hits,
        };
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} passage{}",
                hits.len(),
                if hits.len() == 1 { "" } else { "s" }
            ));
            if !hits.is_empty() {
                ui.separator();
                self.csv
                    .ui(ui, sh, &CsvNames::PASSAGES, "passages.csv", || {
                        super::passages::passages_csv(hits)
                    });
            }
        });
        if hits.is_empty() {
            ui.label(
                RichText::new(
                    self.empty_note
                        .as_deref()
                        .unwrap_or("No coded text matches."),
                )
                .weak(),
            );
        }
        let mut jump = None;
        egui::ScrollArea::vertical()
            .id_salt("drill-side")
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.style_mut().interaction.selectable_labels = false;
                for (i, hit) in hits.iter().enumerate() {
                    let card = egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new(format!("{} · {}", hit.document_name, speaker(hit)))
                                .strong(),
                        );
                        ui.label(RichText::new(hit.codes.join("; ")).small().weak());
                        ui.label(&hit.text);
                    });
                    let r = ui.interact(
                        card.response.rect,
                        ui.scope_id().with(("drill-passage", i)),
                        Sense::click(),
                    );
                    let label = passage_label(i, hit);
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    if r.on_hover_cursor(egui::CursorIcon::PointingHand)
                        .on_hover_text("Open in the document, the passage selected")
                        .clicked()
                    {
                        jump = Some((hit.document.clone(), hit.start, hit.end));
                    }
                }
            });
        if let Some((doc, start, end)) = jump {
            sh.jump_to(&doc, start, end);
        }
        open
    }
}
