//! The results: a card per hit (document, turn, speaker, time, the snippet
//! with its matches highlighted); a click opens the document at the match.

use super::{PAGE, SearchPanel};
use crate::gui::shared::Shared;
use egui::text::LayoutJob;
use egui::{Color32, RichText, Sense, TextFormat, UiBuilder};
use storyloom_project::search::{IndexAction, SearchHit};

impl SearchPanel {
    pub(super) fn results_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(results) = &self.results else {
            if self.error.is_none() {
                ui.label("Type a query and press Enter.");
            }
            return;
        };
        let mut more = false;
        ui.horizontal(|ui| {
            let turns = if results.total == 1 { "turn" } else { "turns" };
            ui.label(RichText::new(format!("{} {turns} match", results.total)).strong());
            ui.label(format!("· {} ms", results.took_ms));
            if results.hits.len() < results.total {
                ui.label(format!("· showing the first {}", results.hits.len()));
                more = ui.button("Show more").clicked();
            }
            if let Some(status) = &results.index_status
                && let IndexAction::Built { .. } = status.action
            {
                ui.label(RichText::new(format!("· index built ({} turns)", status.turns)).weak());
            }
        });
        let mut jump = None;
        egui::ScrollArea::vertical()
            .id_salt("search-results")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, hit) in results.hits.iter().enumerate() {
                    if hit_card(ui, i, hit) {
                        jump = Some(hit_range(hit));
                    }
                    ui.add_space(4.0);
                }
            });
        if let Some((doc, start, end)) = jump {
            sh.jump_to(&doc, start, end);
        }
        if more && let Some(ran) = self.ran.clone() {
            let mut options = ran.options;
            options.limit += PAGE;
            self.limit = Some(options.limit);
            self.execute(sh, ran.query, options);
        }
    }
}

/// The accessible name of a hit's card (what tests and screen readers click).
pub fn hit_label(i: usize, hit: &SearchHit) -> String {
    format!(
        "Hit {}: {}, turn {}",
        i + 1,
        hit.document_name,
        hit.turn_seq
    )
}

/// Where a hit jumps to: its first match, or the whole turn for a filter-only search.
fn hit_range(hit: &SearchHit) -> (String, usize, usize) {
    let (start, end) = hit
        .matches
        .first()
        .copied()
        .unwrap_or((hit.turn_start, hit.turn_end));
    (hit.document.clone(), start, end)
}

/// Shows one hit as a clickable card; true when it was clicked.
fn hit_card(ui: &mut egui::Ui, i: usize, hit: &SearchHit) -> bool {
    let response = ui
        .scope_builder(
            UiBuilder::new()
                .id_salt(("search-hit", i))
                .sense(Sense::click()),
            |ui| {
                ui.style_mut().interaction.selectable_labels = false;
                let hovered = ui.response().hovered();
                let visuals = ui.visuals();
                let frame = egui::Frame::group(ui.style())
                    .inner_margin(8.0)
                    .fill(if hovered {
                        visuals.widgets.hovered.weak_bg_fill
                    } else {
                        visuals.faint_bg_color
                    })
                    .stroke(if hovered {
                        visuals.widgets.hovered.bg_stroke
                    } else {
                        visuals.widgets.noninteractive.bg_stroke
                    });
                frame.show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&hit.document_name).strong());
                        ui.label(format!("turn {}", hit.turn_seq));
                        let who = match &hit.participant {
                            Some(p) => format!("{} ({p})", hit.speaker),
                            None => hit.speaker.clone(),
                        };
                        ui.label(RichText::new(who).italics());
                        if let Some(ms) = hit.start_ms {
                            ui.label(RichText::new(timestamp(ms)).monospace().weak());
                        }
                    });
                    ui.label(snippet_job(ui, &hit.snippet, &hit.snippet_matches));
                });
            },
        )
        .response;
    let label = hit_label(i, hit);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text("Open in the document")
        .clicked()
}

/// The snippet with its matches on a highlight background.
pub fn snippet_job(ui: &egui::Ui, snippet: &str, matches: &[(usize, usize)]) -> LayoutJob {
    let font_id = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let highlight = if ui.visuals().dark_mode {
        Color32::from_rgb(120, 95, 20)
    } else {
        Color32::from_rgb(255, 226, 120)
    };
    let strong = ui.visuals().strong_text_color();
    // Char offsets to byte offsets (one past the end included).
    let bytes: Vec<usize> = snippet
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(snippet.len()))
        .collect();
    let at = |c: usize| bytes[c.min(bytes.len() - 1)];
    let mut ranges: Vec<(usize, usize)> = matches.iter().copied().filter(|(s, e)| s < e).collect();
    ranges.sort_unstable();
    let mut job = LayoutJob::default();
    let plain = TextFormat {
        font_id: font_id.clone(),
        color,
        ..Default::default()
    };
    let marked = TextFormat {
        font_id,
        color: strong,
        background: highlight,
        ..Default::default()
    };
    let mut pos = 0;
    for (s, e) in ranges {
        let s = s.max(pos);
        if s >= e {
            continue;
        }
        if s > pos {
            job.append(&snippet[at(pos)..at(s)], 0.0, plain.clone());
        }
        job.append(&snippet[at(s)..at(e)], 0.0, marked.clone());
        pos = e;
    }
    if at(pos) < snippet.len() {
        job.append(&snippet[at(pos)..], 0.0, plain);
    }
    job
}

/// `83_000` → `1:23`; `3_723_000` → `1:02:03`.
pub fn timestamp(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
