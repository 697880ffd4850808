//! The passages two coders disagree on, one chosen shown side by side
//! (which coder coded which words), and settling it.

use super::AgreementPanel;
use crate::gui::shared::{Compare, Shared};
use crate::text::one_line;
use egui::text::LayoutJob;
use egui::{Color32, RichText, TextFormat};
use storyloom_project::Command;
use storyloom_project::project::{AgreementSummary, Passage, PassageCodings, Settle};

/// Chars of context shown either side of the codings.
const CONTEXT: usize = 80;

/// A chosen disagreement with both coders' codings and the text around them.
pub struct PassageView {
    codings: PassageCodings,
    /// The shown stretch of text and where it starts.
    text: String,
    offset: usize,
    /// The document's uuid and the code's colour (for the transcript's margin).
    document: String,
    color: egui::Color32,
}

impl AgreementPanel {
    /// Reads the chosen disagreement's codings and text.
    pub(super) fn load_passage(&mut self, sh: &mut Shared, s: &AgreementSummary) {
        self.passage = None;
        let Some(i) = self.selected else {
            return;
        };
        let Some(d) = s.disagreements.get(i) else {
            return;
        };
        let passage = Passage {
            document: &d.document,
            code: &d.code,
            start: d.start,
            end: d.end,
            coder_a: &s.coder_a,
            coder_b: &s.coder_b,
        };
        let Some((codings, doc, color)) = sh.read(|p| {
            Ok((
                p.passage_codings(&passage)?,
                p.document(&d.document)?,
                p.code(&d.code)?.color,
            ))
        }) else {
            return;
        };
        let (start, end) = codings.span().unwrap_or((d.start, d.end));
        let from = start.saturating_sub(CONTEXT);
        let text: String = doc
            .text
            .chars()
            .skip(from)
            .take(end + CONTEXT - from)
            .collect();
        self.passage = Some(PassageView {
            codings,
            text,
            offset: from,
            document: doc.uuid,
            color: crate::gui::color::parse_color(&color),
        });
    }

    pub(super) fn disagreements_ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        s: &AgreementSummary,
    ) {
        let shown: Vec<usize> = (0..s.disagreements.len())
            .filter(|i| {
                self.document
                    .as_ref()
                    .is_none_or(|d| &s.disagreements[*i].document_name == d)
            })
            .collect();
        if shown.is_empty() {
            ui.label(format!(
                "{} and {} coded the same words with the same codes here.",
                s.coder_a, s.coder_b
            ));
            return;
        }
        ui.heading(format!("Where they differ ({})", shown.len()));
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .id_salt("disagreements")
            .max_height(220.0)
            .show(ui, |ui| {
                for i in &shown {
                    let d = &s.disagreements[*i];
                    let text = format!(
                        "{} {}..{} '{}' only by {}: “{}”",
                        d.document_name,
                        d.start,
                        d.end,
                        d.code,
                        d.coded_by,
                        one_line(&d.text, 90)
                    );
                    if ui
                        .selectable_label(self.selected == Some(*i), text)
                        .clicked()
                    {
                        chosen = Some(*i);
                    }
                }
            });
        if let Some(i) = chosen {
            self.selected = Some(i);
            self.load_passage(sh, s);
        }
        let Some(d) = self.selected.and_then(|i| s.disagreements.get(i)) else {
            return;
        };
        let Some(view) = &self.passage else {
            return;
        };
        ui.separator();
        let head = ui.label(
            RichText::new(format!(
                "'{}' in {}: {} coded these words, the other did not.",
                d.code, d.document_name, d.coded_by
            ))
            .strong(),
        );
        if chosen.is_some() {
            head.scroll_to_me(Some(egui::Align::Min));
        }
        ui.columns(2, |cols| {
            for (ui, (coder, codings)) in cols
                .iter_mut()
                .zip([(&s.coder_a, &view.codings.a), (&s.coder_b, &view.codings.b)])
            {
                ui.label(RichText::new(format!("{coder} coded")).strong());
                let coded: Vec<(usize, usize)> = codings.iter().map(|c| (c.start, c.end)).collect();
                ui.label(highlighted(ui, &view.text, view.offset, &coded));
                if codings.is_empty() {
                    ui.label(RichText::new("nothing here").weak());
                }
                for c in codings {
                    ui.label(format!(
                        "{}..{}: “{}”",
                        c.start,
                        c.end,
                        one_line(&c.quote, 80)
                    ));
                }
            }
        });
        let mut settle = None;
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Show in transcript")
                .on_hover_text(format!(
                    "Opens the transcript here, with {}'s and {}'s codings side by side in the margin",
                    s.coder_a, s.coder_b
                ))
                .clicked()
            {
                let ranges = |cs: &[storyloom_project::Coding]| {
                    cs.iter().map(|c| (c.start, c.end)).collect::<Vec<_>>()
                };
                sh.compare = Some(Compare {
                    document: view.document.clone(),
                    code: d.code.clone(),
                    color: view.color,
                    coders: [s.coder_a.clone(), s.coder_b.clone()],
                    ranges: [ranges(&view.codings.a), ranges(&view.codings.b)],
                });
                sh.jump_to(&view.document, d.start, d.end);
            }
            for coder in [&s.coder_a, &s.coder_b] {
                if ui
                    .button(format!("Keep {coder}'s version"))
                    .on_hover_text(format!(
                        "The other coder's codings here are removed and {coder}'s are copied to them"
                    ))
                    .clicked()
                {
                    settle = Some(Settle::Keep(coder.clone()));
                }
            }
            if ui
                .button("Keep both")
                .on_hover_text("Each coder gets a copy of the other's codings here")
                .clicked()
            {
                settle = Some(Settle::KeepBoth);
            }
            if ui
                .button("Merge into a consensus coding")
                .on_hover_text(
                    "Both coders' codings here become one coding by 'consensus' over every word either coded",
                )
                .clicked()
            {
                settle = Some(Settle::Consensus);
            }
        });
        if let Some(how) = settle {
            let settled = sh.apply(Command::SettleDisagreement {
                document: d.document.clone(),
                code: d.code.clone(),
                start: d.start,
                end: d.end,
                coder_a: s.coder_a.clone(),
                coder_b: s.coder_b.clone(),
                settle: how,
            });
            if settled.is_some() {
                sh.info(format!(
                    "Settled '{}' in {} (Undo reverses it).",
                    d.code, d.document_name
                ));
                self.selected = None;
            }
        }
    }
}

/// The text with the coded chars (absolute offsets) on a coloured ground.
fn highlighted(ui: &egui::Ui, text: &str, offset: usize, coded: &[(usize, usize)]) -> LayoutJob {
    let plain = TextFormat {
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let marked = TextFormat {
        background: if ui.visuals().dark_mode {
            Color32::from_rgb(90, 70, 20)
        } else {
            Color32::from_rgb(255, 226, 140)
        },
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    let mut run = String::new();
    let mut run_marked = false;
    for (i, ch) in text.chars().enumerate() {
        let at = offset + i;
        let m = coded.iter().any(|(s, e)| *s <= at && at < *e);
        if m != run_marked && !run.is_empty() {
            let f = if run_marked { &marked } else { &plain };
            job.append(&std::mem::take(&mut run), 0.0, f.clone());
        }
        run_marked = m;
        run.push(ch);
    }
    if !run.is_empty() {
        let f = if run_marked { &marked } else { &plain };
        job.append(&run, 0.0, f.clone());
    }
    job.wrap.max_width = ui.available_width();
    job
}
