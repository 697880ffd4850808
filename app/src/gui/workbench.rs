//! The workbench: documents on the left, the transcript in the centre,
//! speakers on the right. Every action calls the `Project` API and shows
//! errors in the notification strip; nothing here panics on user data.

use egui::{Color32, RichText};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use storyloom_coding::{
    DocumentSummary, DocumentText, ImportOptions, ImportOutcome, Project, Role, Speaker,
};

#[derive(Default)]
pub struct Workbench {
    pub project: Option<Project>,
    documents: Vec<DocumentSummary>,
    pub selected: Option<String>,
    open_doc: Option<DocumentText>,
    speakers: Vec<Speaker>,
    /// Messages shown in the notification strip, newest last.
    pub notices: Vec<String>,
}

impl Workbench {
    pub fn set_project(&mut self, project: Project) {
        self.project = Some(project);
        self.selected = None;
        self.open_doc = None;
        self.refresh();
    }

    pub fn report(&mut self, message: String) {
        self.notices.push(message);
    }

    fn refresh(&mut self) {
        let Some(p) = &self.project else { return };
        match p.documents() {
            Ok(d) => self.documents = d,
            Err(e) => self.notices.push(e.to_string()),
        }
        if let Some(key) = self.selected.clone() {
            self.load(&key);
        }
    }

    fn load(&mut self, uuid: &str) {
        let Some(p) = &self.project else { return };
        match p.document(uuid).and_then(|d| Ok((p.speakers(uuid)?, d))) {
            Ok((speakers, doc)) => {
                self.speakers = speakers;
                self.open_doc = Some(doc);
                self.selected = Some(uuid.to_owned());
            }
            Err(e) => self.notices.push(e.to_string()),
        }
    }

    /// Imports files (dropped on the window) and reports each outcome.
    pub fn import(&mut self, files: Vec<PathBuf>) {
        let Some(p) = &mut self.project else {
            self.notices
                .push("open a project before importing files".into());
            return;
        };
        match p.import_files(
            &files,
            &ImportOptions::default(),
            &AtomicBool::new(false),
            &mut |_, _, _| {},
        ) {
            Ok(report) => {
                for o in report.outcomes {
                    self.notices.push(match o {
                        ImportOutcome::Imported {
                            file,
                            speakers,
                            turns,
                            words,
                            ..
                        } => {
                            format!(
                                "Imported {file}: {speakers} speakers, {turns} turns, {words} words"
                            )
                        }
                        ImportOutcome::Duplicate { file, existing } => {
                            format!("{file} is already in the project as {existing}")
                        }
                        ImportOutcome::Failed { file, error } => {
                            format!("Could not import {file}: {error}")
                        }
                        ImportOutcome::Cancelled { file } => format!("Cancelled {file}"),
                    });
                }
            }
            Err(e) => self.notices.push(e.to_string()),
        }
        self.refresh();
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.import(dropped);
        }
        egui::Panel::top("menu").show(ui, |ui| self.top_bar(ui));
        if !self.notices.is_empty() {
            egui::Panel::bottom("notices").show(ui, |ui| self.notices_ui(ui));
        }
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(260.0)
            .show(ui, |ui| self.documents_ui(ui));
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| self.speakers_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| self.transcript_ui(ui));
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading("Storyloom");
            if let Some(p) = &self.project {
                ui.label(p.path().display().to_string());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new("Drop transcripts on the window to import them").weak());
            });
        });
    }

    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if ui.button("Dismiss").clicked() {
                self.notices.clear();
            }
            if let Some(last) = self.notices.last() {
                ui.label(last);
            }
            if self.notices.len() > 1 {
                ui.label(RichText::new(format!("(+{} earlier)", self.notices.len() - 1)).weak());
            }
        });
    }

    fn documents_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Documents");
        let mut groups: BTreeMap<String, Vec<&DocumentSummary>> = BTreeMap::new();
        for d in &self.documents {
            let key = if d.participants.is_empty() {
                "Not linked".to_owned()
            } else {
                d.participants.join(", ")
            };
            groups.entry(key).or_default().push(d);
        }
        let mut clicked = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (group, docs) in groups {
                ui.label(RichText::new(group).strong());
                for d in docs {
                    let selected = self.selected.as_deref() == Some(d.uuid.as_str());
                    let r = ui
                        .selectable_label(selected, &d.name)
                        .on_hover_text(format!(
                            "{} · {} words · {} turns",
                            d.format, d.words, d.turns
                        ));
                    if r.clicked() {
                        clicked = Some(d.uuid.clone());
                    }
                }
            }
        });
        if let Some(uuid) = clicked {
            self.load(&uuid);
        }
    }

    fn transcript_ui(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.open_doc else {
            ui.centered_and_justified(|ui| ui.label("Choose a document on the left."));
            return;
        };
        ui.heading(&doc.name);
        let weak = ui.visuals().weak_text_color();
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                for t in &doc.turns {
                    let interviewer = t.role == Role::Interviewer;
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&t.speaker).strong());
                        ui.label(RichText::new(t.role.as_str()).small().color(weak));
                        if let Some(ms) = t.start_ms {
                            let s = ms / 1000;
                            ui.label(
                                RichText::new(format!(
                                    "{:02}:{:02}:{:02}",
                                    s / 3600,
                                    s / 60 % 60,
                                    s % 60
                                ))
                                .small()
                                .color(weak),
                            );
                        }
                    });
                    let text = RichText::new(&t.text);
                    let text = if interviewer {
                        text.color(weak)
                    } else {
                        text.color(ui.visuals().strong_text_color())
                    };
                    ui.add(egui::Label::new(text).wrap());
                    ui.add_space(6.0);
                }
            });
    }

    fn speakers_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Speakers");
        let Some(doc_uuid) = self.selected.clone() else {
            ui.label("No document open.");
            return;
        };
        let mut change: Option<(String, Role)> = None;
        for s in &self.speakers {
            ui.group(|ui| {
                ui.label(RichText::new(&s.label).strong());
                ui.label(format!("{} turns, {} words", s.turns, s.words));
                if let Some(p) = &s.participant {
                    ui.label(format!("Participant {p}"));
                }
                let mut role = s.role;
                let label = ui.label("Role:");
                egui::ComboBox::from_id_salt(("role", &s.uuid))
                    .selected_text(role.as_str())
                    .show_ui(ui, |ui| {
                        for r in [Role::Interviewer, Role::Participant, Role::Other] {
                            ui.selectable_value(&mut role, r, r.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if role != s.role {
                    change = Some((s.label.clone(), role));
                }
                if !s.role_confirmed {
                    ui.label(
                        RichText::new("role guessed at import")
                            .small()
                            .color(Color32::GRAY),
                    );
                }
            });
        }
        if let Some((label, role)) = change
            && let Some(p) = &mut self.project
        {
            if let Err(e) = p.set_speaker_role(&doc_uuid, &label, role) {
                self.notices.push(e.to_string());
            }
            self.refresh();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable as _};

    fn bench_on_sample() -> (tempfile::TempDir, Workbench) {
        let dir = tempfile::tempdir().unwrap();
        let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
        let (project, _) = Project::create_from_folder(
            &dir.path().join("s.storyloom"),
            &sample,
            &mut |_, _, _| {},
        )
        .unwrap();
        let mut bench = Workbench::default();
        bench.set_project(project);
        (dir, bench)
    }

    #[test]
    fn choosing_a_document_shows_its_turns_and_speakers() {
        let (_dir, bench) = bench_on_sample();
        let mut h = Harness::builder()
            .with_size([1200.0, 800.0])
            .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
        h.run();
        h.get_by_label("P01-doreen-walsh.docx").click();
        h.run();
        let selected = h.state().selected.clone().unwrap();
        let doc = h
            .state()
            .project
            .as_ref()
            .unwrap()
            .document(&selected)
            .unwrap();
        assert_eq!(doc.name, "P01-doreen-walsh.docx");
        assert!(
            h.query_all_by_label("Doreen").count() > 10,
            "the turns and the speaker panel show Doreen"
        );
        assert!(h.query_by_label_contains("Participant P01").is_some());
    }

    #[test]
    fn a_bad_dropped_file_is_reported_and_nothing_changes() {
        let (dir, mut bench) = bench_on_sample();
        let bad = dir.path().join("broken.docx");
        std::fs::write(&bad, b"not a zip").unwrap();
        let before = bench.project.as_ref().unwrap().documents().unwrap().len();
        bench.import(vec![bad]);
        assert_eq!(
            bench.project.as_ref().unwrap().documents().unwrap().len(),
            before
        );
        let mut h = Harness::builder()
            .with_size([1200.0, 800.0])
            .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
        h.run();
        assert!(
            h.query_by_label_contains("Could not import broken.docx")
                .is_some()
        );
        h.get_by_label("Dismiss").click();
        h.run();
        assert!(h.state().notices.is_empty());
    }
}
