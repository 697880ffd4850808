//! The welcome in the centre when no document is open: on the sample study,
//! what the study is and the four steps of the work (read and code, themes,
//! stories, the discussion pack), each a button that goes there; on an empty
//! project, importing; with no project, creating, opening or the sample.

use super::{PathPrompt, Workbench};
use crate::gui::shared::CenterTab;
use egui::RichText;
use std::collections::BTreeMap;

/// The widest the welcome's text runs (points).
const MEASURE: f32 = 680.0;

impl Workbench {
    pub(super) fn welcome_ui(&mut self, ui: &mut egui::Ui) {
        egui::ScrollArea::vertical()
            .id_salt("welcome")
            .auto_shrink(false)
            .show(ui, |ui| {
                let side = ((ui.available_width() - MEASURE) / 2.0).max(12.0);
                ui.horizontal(|ui| {
                    ui.add_space(side);
                    ui.vertical(|ui| {
                        ui.set_max_width(MEASURE);
                        ui.add_space(24.0);
                        if self.shared.project.is_none() {
                            self.no_project_ui(ui);
                        } else if self.documents.is_empty() {
                            self.empty_project_ui(ui);
                        } else if self.on_sample {
                            self.sample_welcome_ui(ui);
                        } else {
                            self.choose_document_ui(ui);
                        }
                        ui.add_space(16.0);
                        ui.label(
                            RichText::new(
                                "Press F1 for the keyboard shortcuts; Welcome in the Help menu brings this page back.",
                            )
                            .weak(),
                        );
                    });
                });
            });
    }

    fn no_project_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Welcome to Storyloom");
        ui.label("No project is open. A project is one file that holds your transcripts, codes, themes and stories.");
        ui.add_space(12.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button("New project…").clicked() {
                self.ask_path(PathPrompt::NewProject);
            }
            if ui.button("Open project…").clicked() {
                self.ask_path(PathPrompt::OpenProject);
            }
            self.open_sample_button(ui);
        });
    }

    fn empty_project_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("This project has no transcripts yet");
        ui.label(
            "Import interview transcripts (Word, OpenDocument, text, Markdown, or subtitles \
             from a transcription service: .srt, .vtt). You can also drop files on the window.",
        );
        ui.add_space(12.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button("Import transcripts…").clicked() {
                self.ask_path(PathPrompt::ImportFiles);
            }
            if ui.button("Import project (.qdpx, .qdc)…").clicked() {
                self.ask_path(PathPrompt::ImportRefi);
            }
            self.open_sample_button(ui);
        });
        ui.add_space(8.0);
        ui.label(
            RichText::new(
                "New to Storyloom? The sample study is a small evaluation to try every step on.",
            )
            .weak(),
        );
    }

    fn open_sample_button(&mut self, ui: &mut egui::Ui) {
        if ui
            .button("Open the sample study")
            .on_hover_text("A fictional evaluation with twelve interviews and a codebook, in a copy of its own")
            .clicked()
        {
            self.open_sample();
        }
    }

    /// Opens (building on first use) the working copy of the sample study.
    pub fn open_sample(&mut self) {
        let path = match &self.sample_copy {
            Some(p) => Ok(p.clone()),
            None => crate::sample::working_copy_path(),
        };
        match path.and_then(|p| crate::sample::open_working_copy_at(&p)) {
            Ok(p) => {
                self.set_project(p);
                self.on_sample = true;
                self.shared.center = CenterTab::Document;
            }
            Err(e) => self.shared.error(format!("{e:#}")),
        }
    }

    fn choose_document_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Choose a document on the left");
        ui.label(format!(
            "{} documents in this project. Open one to read and code it, or use Search (Ctrl+F) to find passages.",
            self.documents.len()
        ));
    }

    fn sample_welcome_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Welcome to the sample study: Connected Lives");
        ui.label(
            "An evaluation of social prescribing in Hallbrook, a fictional town in the north of \
             England: GPs refer lonely or bereaved people to link workers, who connect them to a \
             community choir, museum object-handling sessions, a cooking club and a walking group. \
             Everyone in it is invented; it is a working copy, so change anything you like.",
        );
        ui.add_space(6.0);
        ui.label(RichText::new(self.interview_counts()).weak());
        ui.add_space(14.0);
        let steps: [(&str, &str, &str, Step); 4] = [
            (
                "1 · Read and code",
                "Read an interview; select words and press C to code them, \
                 or 1–9 for a recent code, or drag a code from the Codes list.",
                "Open the first interview",
                Step::Read,
            ),
            (
                "2 · Themes",
                "Gather codes into themes on the board, and say in a sentence what each theme means.",
                "Go to the themes board",
                Step::Themes,
            ),
            (
                "3 · Stories",
                "Shape a participant's own words into a short story they can check and approve.",
                "Go to the stories",
                Step::Stories,
            ),
            (
                "4 · Discussion pack",
                "Put themes and approved stories together as a pack for a stakeholder workshop.",
                "Set up the discussion pack",
                Step::Pack,
            ),
        ];
        let mut go = None;
        for (title, what, button, step) in steps {
            egui::Frame::group(ui.style())
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(title).strong().size(16.0));
                    ui.label(what);
                    if ui.button(button).clicked() {
                        go = Some(step);
                    }
                });
            ui.add_space(6.0);
        }
        if let Some(step) = go {
            self.go(step);
        }
    }

    /// "12 interviews: 9 with participants, 3 with link workers".
    fn interview_counts(&self) -> String {
        let mut by_role: BTreeMap<String, usize> = BTreeMap::new();
        for d in &self.documents {
            let role = d
                .participants
                .iter()
                .find_map(|p| self.participant_roles.get(p))
                .map(|r| r.to_lowercase())
                .unwrap_or_else(|| "nobody linked".into());
            *by_role.entry(role).or_default() += 1;
        }
        let parts: Vec<String> = by_role
            .iter()
            .map(|(role, n)| format!("{n} with {role}s"))
            .collect();
        format!(
            "{} interviews: {}. The codebook is ready to use.",
            self.documents.len(),
            parts.join(", ")
        )
    }

    fn go(&mut self, step: Step) {
        match step {
            Step::Read => {
                // The first participant's interview, as the navigator lists them.
                let first = self
                    .documents
                    .iter()
                    .filter(|d| {
                        d.participants.iter().any(|p| {
                            self.participant_roles
                                .get(p)
                                .is_some_and(|r| r.eq_ignore_ascii_case("participant"))
                        })
                    })
                    .map(|d| (&d.name, &d.uuid))
                    .min()
                    .or_else(|| self.documents.iter().map(|d| (&d.name, &d.uuid)).min())
                    .map(|(_, uuid)| uuid.clone());
                if let Some(uuid) = first {
                    self.shared.open(&uuid);
                }
            }
            Step::Themes => self.shared.center = CenterTab::Themes,
            Step::Stories => self.shared.center = CenterTab::Stories,
            Step::Pack => self.pack_settings.show_for(&mut self.shared),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Read,
    Themes,
    Stories,
    Pack,
}
