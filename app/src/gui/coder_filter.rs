//! Whose codings the window shows: everyone's, one coder's (to see who did
//! what), or, in blind mode, only your own while you code, so the other
//! coders' choices cannot sway yours. The filter applies to the document
//! view's stripes (and the story editor's transcript, which is one), the
//! inspector, the codebook tree's counts, `code:` in search, retrieval and
//! the memos list; the history panel filters by the same coder.

#[cfg(test)]
mod tests;

use super::shared::Shared;
use crate::gui::widgets::LazyHover;
use egui::RichText;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoderFilter {
    /// Only your own codings (the project's actor).
    pub blind: bool,
    /// Only this coder's codings (when not blind).
    pub coder: Option<String>,
}

impl Shared {
    /// The one coder whose codings are shown, or `None` for everyone's.
    pub fn shown_coder(&self) -> Option<String> {
        if self.coders.blind {
            return self.project.as_ref().map(|p| p.actor().to_owned());
        }
        self.coders.coder.clone()
    }
}

/// The blind-mode toggle and the coder filter (drawn at the top of the inspector).
pub fn ui(ui: &mut egui::Ui, sh: &mut Shared) {
    let before = sh.coders.clone();
    let me = sh
        .project
        .as_ref()
        .map(|p| p.actor().to_owned())
        .unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut sh.coders.blind, "Blind coding")
            .on_hover_text_lazy(|| {
                format!(
                    "Show only your own codings ({me}) while you code: the other coders' \
                     stripes, inspector entries, codebook counts, search matches on codes \
                     and retrieved passages are hidden"
                )
            });
        if !sh.coders.blind {
            let all = "All coders".to_owned();
            let l = ui.label("Codings by");
            egui::ComboBox::from_id_salt("coder-filter")
                .selected_text(sh.coders.coder.as_ref().unwrap_or(&all).as_str())
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut sh.coders.coder, None, all.as_str());
                    // Read only while the list is open.
                    for c in sh.read(|p| p.coders()).unwrap_or_default() {
                        let label = c.clone();
                        ui.selectable_value(&mut sh.coders.coder, Some(c), label);
                    }
                })
                .response
                .labelled_by(l.id);
        }
    });
    if sh.coders.blind {
        ui.label(RichText::new(format!("Blind: only {me}'s codings are shown.")).weak());
    }
    if sh.coders != before {
        // Every panel reads its codings again.
        sh.revision += 1;
    }
}
