//! The discussion pack's settings (Export menu): title, workshop, date,
//! purpose, the stories and their order, the questions, the ground rules,
//! whether the emerging themes follow the stories, double-sided printing,
//! the facilitator's page (agenda, support contacts), and what the story for
//! checking says (researcher, contact, days to reply). Saved in the project.

use super::shared::Shared;
use storyloom_project::project::pack_ops::{PackSettings, StoryCheckSettings};
use storyloom_project::stories::model::{StoryStatus, StorySummary};

#[derive(Default)]
pub struct PackSettingsWindow {
    pub open: bool,
    settings: PackSettings,
    /// Approved stories, and whether each is in the pack.
    stories: Vec<(StorySummary, bool)>,
    questions: String,
    ground_rules: String,
    agenda: String,
    support: String,
    check: StoryCheckSettings,
    /// The settings as read when the window opened: only what was changed
    /// since is saved, so another window's or process's changes are kept.
    base: (PackSettings, StoryCheckSettings),
}

impl PackSettingsWindow {
    /// Opens the window with the saved settings.
    pub fn show_for(&mut self, sh: &mut Shared) {
        let Some(settings) = sh.read(|p| p.pack_settings()) else {
            return;
        };
        let all = sh.read(|p| p.stories()).unwrap_or_default();
        let approved: Vec<StorySummary> = all
            .into_iter()
            .filter(|s| s.status == StoryStatus::Approved)
            .collect();
        // Chosen stories first, in their pack order; then the other approved ones.
        let chosen = |s: &StorySummary| {
            settings.stories.iter().position(|k| {
                k == &s.uuid || Some(k.as_str()) == s.participant.as_deref() || k == &s.title
            })
        };
        let mut stories: Vec<(StorySummary, bool)> = approved
            .into_iter()
            .map(|s| {
                let inside = settings.stories.is_empty() || chosen(&s).is_some();
                (s, inside)
            })
            .collect();
        stories.sort_by_key(|(s, _)| chosen(s).unwrap_or(usize::MAX));
        self.questions = settings.questions.join("\n");
        self.ground_rules = settings.ground_rules.join("\n");
        self.agenda = settings.agenda.join("\n");
        self.support = settings.support_contacts.join("\n");
        self.check = sh.read(|p| p.story_check_settings()).unwrap_or_default();
        self.base = (settings.clone(), self.check.clone());
        self.settings = settings;
        self.stories = stories;
        self.open = true;
    }

    pub fn ui(&mut self, ctx: &egui::Context, sh: &mut Shared) {
        if !self.open {
            return;
        }
        let mut open = true;
        let mut save = false;
        egui::Window::new("Discussion pack settings")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                egui::Grid::new("pack-fields").num_columns(2).show(ui, |ui| {
                    for (label, value) in [
                        ("Pack title", &mut self.settings.title),
                        ("Workshop", &mut self.settings.workshop),
                        ("Date (YYYY-MM-DD)", &mut self.settings.date),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).desired_width(340.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                    let l = ui.label("Purpose");
                    ui.add(egui::TextEdit::multiline(&mut self.settings.purpose).desired_rows(3))
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Questions (one a line)");
                    ui.add(egui::TextEdit::multiline(&mut self.questions).desired_rows(5))
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Ground rules (one a line)");
                    ui.add(egui::TextEdit::multiline(&mut self.ground_rules).desired_rows(4))
                        .labelled_by(l.id);
                    ui.end_row();
                });
                ui.checkbox(
                    &mut self.settings.include_themes,
                    "Add the emerging themes after the stories",
                );
                ui.checkbox(
                    &mut self.settings.double_sided,
                    "Printed on both sides (each story starts on a right-hand page)",
                );
                ui.checkbox(
                    &mut self.settings.facilitator_page,
                    "Add a page for the facilitator",
                );
                if self.settings.facilitator_page {
                    egui::Grid::new("pack-facilitator").num_columns(2).show(ui, |ui| {
                        let l = ui.label("Agenda (one a line, with timings; empty = a timed plan)");
                        ui.add(egui::TextEdit::multiline(&mut self.agenda).desired_rows(3))
                            .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label("Support contacts (one a line)");
                        ui.add(egui::TextEdit::multiline(&mut self.support).desired_rows(2))
                            .labelled_by(l.id);
                        ui.end_row();
                    });
                }
                ui.separator();
                ui.label("The story for checking: who the storyteller replies to");
                egui::Grid::new("check-fields").num_columns(2).show(ui, |ui| {
                    for (label, value) in [
                        ("Researcher", &mut self.check.researcher),
                        ("Contact (phone, email, address)", &mut self.check.contact),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(value).desired_width(300.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                    let l = ui.label("Days to reply");
                    ui.add(egui::DragValue::new(&mut self.check.return_days).range(1..=365))
                        .labelled_by(l.id);
                    ui.end_row();
                });
                ui.separator();
                ui.label("Approved stories in the pack, in order:");
                if self.stories.is_empty() {
                    ui.label("No story is approved yet (Stories tab: record the storyteller's approval).");
                }
                let mut swap = None;
                let n = self.stories.len();
                for (i, (s, inside)) in self.stories.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        let name = format!(
                            "{} – {}",
                            s.participant.as_deref().unwrap_or("?"),
                            if s.title.is_empty() { "(untitled)" } else { &s.title }
                        );
                        ui.checkbox(inside, name.clone());
                        if ui
                            .add_enabled(i > 0, egui::Button::new("Earlier"))
                            .on_hover_text(&name)
                            .clicked()
                        {
                            swap = Some((i, i - 1));
                        }
                        if ui
                            .add_enabled(i + 1 < n, egui::Button::new("Later"))
                            .on_hover_text(&name)
                            .clicked()
                        {
                            swap = Some((i, i + 1));
                        }
                    });
                }
                if let Some((a, b)) = swap {
                    self.stories.swap(a, b);
                }
                if ui.button("Save pack settings").clicked() {
                    save = true;
                }
            });
        if save {
            let lines = |t: &str| -> Vec<String> {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            let mut settings = self.settings.clone();
            settings.questions = lines(&self.questions);
            settings.ground_rules = lines(&self.ground_rules);
            settings.agenda = lines(&self.agenda);
            settings.support_contacts = lines(&self.support);
            let check = self.check.clone();
            settings.stories = self
                .stories
                .iter()
                .filter(|(_, inside)| *inside)
                .map(|(s, _)| s.uuid.clone())
                .collect();
            let (base, check_base) = self.base.clone();
            if sh
                .act(|p| p.update_pack_settings(&base, &settings))
                .is_some()
                && sh
                    .act(|p| p.update_story_check_settings(&check_base, &check))
                    .is_some()
            {
                sh.info("Pack settings saved");
                self.open = false;
            }
        } else {
            self.open = open;
        }
    }
}
