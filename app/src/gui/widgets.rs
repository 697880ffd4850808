//! Small widgets several panels share: labelled combo boxes, the role and
//! participant filters, and the delete confirmation.

use egui::{Id, RichText};
use storyloom_project::Role;

/// Tooltips whose text is made only when they could show. `on_hover_text`
/// builds its tooltip (and the caller its `format!`) on every frame for
/// every widget; on a transcript's coding stripes and the codebook's rows
/// that cost more than drawing them.
pub trait LazyHover: Sized {
    /// `on_hover_text`, calling `text` only while the pointer is on the
    /// widget or its tooltip is open.
    fn on_hover_text_lazy(self, text: impl FnOnce() -> String) -> Self;
    /// `on_hover_ui`, drawing only while it could show.
    fn on_hover_ui_lazy(self, add: impl FnOnce(&mut egui::Ui)) -> Self;
}

impl LazyHover for egui::Response {
    fn on_hover_text_lazy(self, text: impl FnOnce() -> String) -> Self {
        if self.contains_pointer() || self.is_tooltip_open() {
            self.on_hover_text(text())
        } else {
            self
        }
    }

    fn on_hover_ui_lazy(self, add: impl FnOnce(&mut egui::Ui)) -> Self {
        if self.contains_pointer() || self.is_tooltip_open() {
            self.on_hover_ui(add)
        } else {
            self
        }
    }
}

/// A ComboBox with a label that names it (screen readers and tests find it by the label).
pub fn combo(
    ui: &mut egui::Ui,
    id: impl egui::AsIdSalt,
    label: &str,
    selected: impl Into<egui::WidgetText>,
    add: impl FnOnce(&mut egui::Ui),
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .show_ui(ui, add)
        .response
        .labelled_by(l.id);
}

/// Space left and right of a role chip's text (points).
pub const ROLE_CHIP_MARGIN: f32 = 6.0;

/// A speaker's role as a chip beside the name in a transcript: body-size
/// text on a tinted fill with enough contrast in every theme
/// ([`super::theme::role_chip_colors`]).
pub fn role_chip(ui: &mut egui::Ui, r: Role) -> egui::Response {
    let (fg, bg) = super::theme::role_chip_colors(ui.visuals(), r == Role::Interviewer);
    // Painted, not a frame around a label: one chip per turn in view.
    let text = RichText::new(r.as_str())
        .text_style(egui::TextStyle::Body)
        .color(fg);
    let galley = egui::WidgetText::from(text).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let margin = egui::vec2(ROLE_CHIP_MARGIN, 0.0);
    let (rect, response) =
        ui.allocate_exact_size(galley.size() + 2.0 * margin, egui::Sense::hover());
    let radius = f32::from(super::theme::WIDGET_RADIUS);
    ui.painter().rect_filled(rect, radius, bg);
    if super::theme::is_high_contrast(ui.visuals()) {
        ui.painter().rect_stroke(
            rect,
            radius,
            egui::Stroke::new(1.0, fg),
            egui::StrokeKind::Inside,
        );
    }
    ui.painter().galley(rect.min + margin, galley, fg);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, r.as_str()));
    response
}

/// How a speaker role reads in a filter.
pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Interviewer => "Interviewers",
        Role::Participant => "Participants",
        Role::Other => "Other speakers",
    }
}

/// "Role": any, or one speaker role.
pub fn role_filter(ui: &mut egui::Ui, id: &str, role: &mut Option<Role>) {
    let shown = role.map_or("Any role", role_label);
    combo(ui, id, "Role", shown, |ui| {
        ui.selectable_value(role, None, "Any role");
        for r in [Role::Participant, Role::Interviewer, Role::Other] {
            ui.selectable_value(role, Some(r), role_label(r));
        }
    });
}

/// "Participant": any, or one of `participants` (their study ids).
pub fn participant_filter(
    ui: &mut egui::Ui,
    id: &str,
    participant: &mut Option<String>,
    participants: &[String],
) {
    let shown = participant
        .clone()
        .unwrap_or_else(|| "Any participant".to_owned());
    combo(ui, id, "Participant", shown, |ui| {
        ui.selectable_value(participant, None, "Any participant");
        for p in participants {
            ui.selectable_value(participant, Some(p.clone()), p);
        }
    });
}

/// A modal asking to confirm a deletion: `Some(true)` Delete, `Some(false)`
/// Cancel (or closed), `None` while it waits.
pub fn confirm_delete(ui: &egui::Ui, id: &str, question: String, detail: &str) -> Option<bool> {
    let mut choice = None;
    let modal = egui::Modal::new(Id::unique(id)).show(ui.ctx(), |ui| {
        ui.label(RichText::new(question).strong());
        ui.label(detail);
        ui.horizontal(|ui| {
            if ui.button("Delete").clicked() {
                choice = Some(true);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(false);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(false);
    }
    choice
}
