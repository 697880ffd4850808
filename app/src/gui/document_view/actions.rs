//! Applying codes to the selection: number keys for recent codes, the
//! toolbar, the code picker (C) and a code dropped from the codebook.

use super::picker::{Picker, PickerOutcome};
use super::{DocumentView, Shared};
use crate::gui::widgets::LazyHover;
use egui::{Color32, Rect, RichText, Stroke, vec2};
use storyloom_project::CodingSpec;
use storyloom_project::Command;

impl DocumentView {
    /// Applies a code (uuid) to the selection.
    pub(super) fn apply_code(&mut self, sh: &mut Shared, code: &str) {
        let Some(model) = &self.model else { return };
        let Some((start, end)) = self.selected_range() else {
            sh.info("Select some text first, then apply a code.");
            return;
        };
        let req = CodingSpec {
            code: code.to_owned(),
            document: model.uuid.clone(),
            start,
            end,
            version: Some(model.version),
        };
        if let Some(uuid) = sh.apply(Command::AddCoding(req)).and_then(|a| a.id().ok()) {
            sh.used_code(code);
            sh.selected_coding = Some(uuid);
        }
    }

    pub(super) fn in_vivo(&mut self, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let Some((start, end)) = self.selected_range() else {
            return;
        };
        let doc = model.uuid.clone();
        if let Some((code, coding)) = sh
            .apply(Command::CodeInVivo {
                document: doc.to_owned(),
                start,
                end,
                parent: None,
            })
            .and_then(|a| a.in_vivo().ok())
        {
            sh.used_code(&code);
            sh.selected_code = Some(code);
            sh.selected_coding = Some(coding);
        }
    }

    pub(super) fn keys(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let ctx = ui.ctx().clone();
        if ctx.egui_wants_keyboard_input() || self.picker.is_some() {
            return;
        }
        let has_sel = self.selected_range().is_some();
        let number_keys = [
            egui::Key::Num1,
            egui::Key::Num2,
            egui::Key::Num3,
            egui::Key::Num4,
            egui::Key::Num5,
            egui::Key::Num6,
            egui::Key::Num7,
            egui::Key::Num8,
            egui::Key::Num9,
        ];
        let mut caret = None;
        let (open_picker, number, escape, copy) = ctx.input_mut(|i| {
            let open = has_sel && i.consume_key(egui::Modifiers::NONE, egui::Key::C);
            let number = if has_sel {
                number_keys
                    .iter()
                    .position(|k| i.consume_key(egui::Modifiers::NONE, *k))
            } else {
                None
            };
            if open || number.is_some() {
                // The same key press also arrives as typed text: not for the filter field.
                i.events.retain(|e| !matches!(e, egui::Event::Text(_)));
            }
            // Before the scrolling keys: Ctrl+Shift+Down is a sentence, not a turn.
            caret = super::caret::caret_key(i);
            if let Some(s) = super::keyboard::scroll_key(i) {
                self.scroll = Some(s);
            }
            let escape = has_sel && i.consume_key(egui::Modifiers::NONE, egui::Key::Escape);
            let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
            (open, number, escape, copy)
        });
        if let Some((motion, extend)) = caret {
            self.move_caret(motion, extend);
        }
        if open_picker {
            self.picker = Some(Picker::default());
        }
        if let Some(n) = number {
            match sh.recent_codes.get(n).cloned() {
                Some(code) => self.apply_code(sh, &code),
                None => sh.info(format!("No recent code {}: apply a code first.", n + 1)),
            }
        }
        if escape {
            self.anchor = self.head;
        }
        if copy && let (Some((a, b)), Some(m)) = (self.selected_range(), &self.model) {
            ctx.copy_text(m.slice(a, b));
        }
    }

    pub(super) fn toolbar(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(model) = &self.model else { return };
        let name = model.name.clone();
        let sel = self.selected_range();
        let mut open_picker = false;
        let mut vivo = false;
        let mut apply = None;
        ui.horizontal_wrapped(|ui| {
            ui.heading(&name);
            ui.separator();
            let r = ui
                .add_enabled(sel.is_some(), egui::Button::new("Code selection…"))
                .on_hover_text("Apply a code to the selected text (C)");
            open_picker = r.clicked();
            vivo = ui
                .add_enabled(sel.is_some(), egui::Button::new("In-vivo code"))
                .on_hover_text("Make a code named after the selected words and apply it")
                .clicked();
            match sel {
                Some((a, b)) => ui.label(
                    RichText::new(format!("{} characters selected ({a}–{b})", b - a)).weak(),
                ),
                None => ui.label(RichText::new("Select text to code it").weak()),
            };
        });
        if !sh.recent_codes.is_empty()
            && let Some(model) = self.model.as_ref()
        {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Recent codes:").weak());
                for (i, code) in sh.recent_codes.iter().enumerate() {
                    let Some(c) = model.codes.iter().find(|c| &c.uuid == code) else {
                        continue;
                    };
                    let color = model.colors.get(code).copied().unwrap_or(Color32::GRAY);
                    // Cut: a long name would widen the view and move the text.
                    let text =
                        RichText::new(format!("{} {}", i + 1, crate::text::one_line(c.name(), 32)));
                    let r = ui
                        .add_enabled(
                            sel.is_some(),
                            egui::Button::new(text).stroke(Stroke::new(2.0, color)),
                        )
                        .on_hover_text_lazy(|| {
                            format!("Apply {} (key {})", c.path_string(), i + 1)
                        });
                    if r.clicked() {
                        apply = Some(code.clone());
                    }
                }
            });
        }
        if open_picker {
            self.picker = Some(Picker::default());
        }
        if vivo {
            self.in_vivo(sh);
        }
        if let Some(code) = apply {
            self.apply_code(sh, &code);
        }
    }

    pub(super) fn picker_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(picker) = &mut self.picker else {
            return;
        };
        let Some(model) = &self.model else { return };
        let pos = self
            .selection_pos
            .unwrap_or_else(|| ui.max_rect().center_top() + vec2(-150.0, 60.0));
        match picker.ui(ui.ctx(), &model.codes, &model.colors, pos) {
            PickerOutcome::Open => {}
            PickerOutcome::Close => self.picker = None,
            PickerOutcome::Apply(code) => {
                self.picker = None;
                self.apply_code(sh, &code);
            }
        }
    }

    /// A code dragged from the codebook and released over the view goes on the selection.
    pub(super) fn drop_ui(&mut self, ui: &mut egui::Ui, view: Rect, sh: &mut Shared) {
        let Some(code) = sh.dragged_code.clone() else {
            return;
        };
        let (released, pos) = ui.input(|i| (i.pointer.any_released(), i.pointer.latest_pos()));
        let over = pos.is_some_and(|p| view.contains(p));
        if over {
            let color = if self.selected_range().is_some() {
                ui.visuals().selection.stroke.color
            } else {
                ui.visuals().weak_text_color()
            };
            ui.painter().rect_stroke(
                view.shrink(1.0),
                4.0,
                Stroke::new(2.0, color),
                egui::StrokeKind::Inside,
            );
        }
        if released && over {
            sh.dragged_code = None;
            self.apply_code(sh, &code);
        }
    }
}
