//! A story block's text as it will read, selectable: a read-only text field
//! (so words can be selected with the mouse or Shift+arrows) painted with the
//! block's runs: the storyteller's words plain, ellipses quiet, bracketed
//! researcher words blue, framing in italics.

use egui::{Color32, text::LayoutJob};
use storyloom_project::stories::render::{Paragraph, ParagraphKind, RunKind};

/// What the block's text field reports this frame.
pub(super) struct BlockText {
    /// The field has the keyboard.
    pub focused: bool,
    /// Selected chars of the paragraph's text, when the field has the keyboard
    /// and the selection is not empty.
    pub selection: Option<(usize, usize)>,
}

/// The accessible name of block `i`'s text (0-based `i`, shown 1-based).
pub(super) fn block_text_name(i: usize) -> String {
    format!("Block {} text", i + 1)
}

/// Shows paragraph `i` as selectable text.
pub(super) fn block_text_ui(ui: &mut egui::Ui, para: &Paragraph, i: usize) -> BlockText {
    let job = paragraph_job(ui, para);
    let text = para.text();
    let mut shown: &str = &text;
    let mut layouter = |ui: &egui::Ui, _buf: &dyn egui::TextBuffer, wrap: f32| {
        let mut job = job.clone();
        job.wrap.max_width = wrap;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let out = egui::TextEdit::multiline(&mut shown)
        .id_salt(("story-block-text", &para.block_uuid))
        .frame(egui::Frame::NONE)
        .desired_width(f32::INFINITY)
        .desired_rows(1)
        .layouter(&mut layouter)
        .show(ui);
    let focused = out.response.has_focus();
    let selection = out
        .cursor_range
        .filter(|r| focused && !r.is_empty())
        .map(|r| {
            let r = r.as_sorted_char_range();
            (r.start.0, r.end.0)
        });
    out.response
        .response
        .accessible_name(block_text_name(i))
        .on_hover_text("Select words here to cut, clarify or replace them");
    BlockText { focused, selection }
}

/// The paragraph's runs as one layout: each kind of run with its look.
fn paragraph_job(ui: &egui::Ui, para: &Paragraph) -> LayoutJob {
    let mut job = LayoutJob::default();
    let body = ui.visuals().text_color();
    let quiet = ui.visuals().weak_text_color();
    let edit = Color32::from_rgb(0x2a, 0x6f, 0xb0);
    let font = crate::gui::theme::reading_font(ui.style());
    for r in &para.runs {
        let (color, italics) = match r.kind {
            RunKind::Source => (body, r.italic),
            RunKind::Elision => (quiet, false),
            RunKind::Insertion | RunKind::Replacement => (edit, r.italic),
        };
        job.append(
            &r.text,
            0.0,
            egui::TextFormat {
                color,
                italics: italics || para.kind == ParagraphKind::Framing,
                font_id: font.clone(),
                ..Default::default()
            },
        );
    }
    job
}
