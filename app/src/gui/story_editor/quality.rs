//! Does the story read as a story? The story-quality report (the same as
//! `storyloom story quality`) beside the checker: blocks that end
//! mid-sentence, gaps a reader cannot see, openings that lean on words cut
//! (with a suggested fix), and words addressed to the interviewer.

use super::StoryEditor;
use egui::{Color32, RichText};
use storyloom_project::stories::quality::Spot;

impl StoryEditor {
    pub(super) fn quality_ui(&self, ui: &mut egui::Ui) {
        let Some(q) = self.loaded.as_ref().and_then(|l| l.quality.as_ref()) else {
            return;
        };
        let lists: [(&str, &Vec<Spot>); 4] = [
            ("ends mid-sentence", &q.mid_sentence_endings),
            ("gap not marked", &q.unmarked_gaps),
            ("opens on words that were cut", &q.unresolved_starts),
            ("words to the interviewer", &q.vocatives),
        ];
        let n: usize = lists.iter().map(|(_, l)| l.len()).sum();
        if n == 0 {
            ui.label(
                RichText::new(format!(
                    "Reads as a story: {} blocks, no opening, ending or gap to fix",
                    q.blocks
                ))
                .weak(),
            );
            return;
        }
        let amber = Color32::from_rgb(0xa0, 0x70, 0x10);
        ui.label(RichText::new(format!("Reads as a story? {n} place(s) to look at")).color(amber));
        for (what, list) in lists {
            for s in list {
                let fix = s
                    .fix
                    .as_ref()
                    .map(|f| format!(" – {f}"))
                    .unwrap_or_default();
                ui.label(
                    RichText::new(format!("Block {}: {what}: “{}”{fix}", s.block + 1, s.text))
                        .color(amber),
                );
            }
        }
    }
}
