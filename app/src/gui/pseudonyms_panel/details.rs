//! Identifying details said in the transcripts (exact dates, ages with
//! places, ward numbers, employers, jobs with places): warnings for the
//! researcher, with where each is said. A detail that identifies someone is
//! replaced like a name (the map above); nothing here refuses an export.

use super::PseudonymsPanel;
use crate::gui::shared::Shared;
use egui::RichText;

impl PseudonymsPanel {
    pub(super) fn identifying_details_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let mut jump = None;
        egui::CollapsingHeader::new(format!(
            "Identifying details to review ({}): warnings, not refusals",
            self.details.len()
        ))
        .id_salt("identifying-details")
        .show(ui, |ui| {
            if self.details.is_empty() {
                ui.label(RichText::new("None found.").weak());
            }
            for d in &self.details {
                ui.label(format!("{} · {} ×{}", d.text, d.kind.label(), d.count));
                for c in d.contexts.iter().take(3) {
                    if ui
                        .link(RichText::new(format!("{}: …{}…", c.document, c.snippet)).small())
                        .on_hover_text("Open the document at this place")
                        .clicked()
                    {
                        jump = Some((c.document.clone(), c.start, c.end));
                    }
                }
            }
        });
        if let Some((doc, start, end)) = jump
            && let Some(d) = sh.read(|p| p.document(&doc))
        {
            sh.jump_to(&d.uuid, start, end);
        }
    }
}
