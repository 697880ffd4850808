//! The document view: a transcript by turns.

use super::shared::Shared;
use egui::RichText;
use storyloom_coding::{DocumentText, Role};

#[derive(Default)]
pub struct DocumentView {
    doc: Option<DocumentText>,
    loaded: Option<(String, u64)>,
}

impl DocumentView {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(uuid) = sh.open_document.clone() else {
            ui.centered_and_justified(|ui| ui.label("Choose a document on the left."));
            return;
        };
        if self.loaded != Some((uuid.clone(), sh.revision)) {
            self.doc = sh.read(|p| p.document(&uuid));
            self.loaded = Some((uuid, sh.revision));
        }
        let Some(doc) = &self.doc else { return };
        ui.heading(&doc.name);
        let weak = ui.visuals().weak_text_color();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                for t in &doc.turns {
                    ui.label(RichText::new(&t.speaker).strong());
                    let text = RichText::new(&t.text);
                    ui.add(egui::Label::new(if t.role == Role::Interviewer {
                        text.color(weak)
                    } else {
                        text
                    }));
                }
            });
    }
}
