//! The discussion pack's settings (Export menu): title, workshop, date,
//! purpose, the stories and their order, the questions, the ground rules,
//! whether the emerging themes follow the stories, double-sided printing,
//! the facilitator's page (agenda, support contacts), and what the story for
//! checking says (researcher, contact, days to reply). Saved in the project
//! as you go: each text field as you type (one change per edit session, on
//! a pause, on leaving the field or closing the window, see
//! [`super::debounce`]), each tick, order and number at once. Every save
//! changes only its own field, read and written inside the change, so
//! another window's or process's changes to other fields are kept.

use super::debounce::TextField;
use super::shared::Shared;
use storyloom_project::Command;
use storyloom_project::project::pack_ops::{PackSettings, StoryCheckSettings};
use storyloom_project::stories::model::{StoryStatus, StorySummary};
use storyloom_project::{Project, Result};

/// The command for one change to the pack settings: only what `set`
/// changes is written, onto the settings as stored when the change runs.
fn save_pack(p: &Project, set: impl FnOnce(&mut PackSettings)) -> Result<Command> {
    let base = p.pack_settings()?;
    let mut edited = base.clone();
    set(&mut edited);
    Ok(Command::UpdatePackSettings {
        base: Box::new(base),
        edited: Box::new(edited),
    })
}

/// The same for the story-for-checking settings.
fn save_check(p: &Project, set: impl FnOnce(&mut StoryCheckSettings)) -> Result<Command> {
    let base = p.story_check_settings()?;
    let mut edited = base.clone();
    set(&mut edited);
    Ok(Command::UpdateStoryCheckSettings {
        base: Box::new(base),
        edited: Box::new(edited),
    })
}

/// Lines of a text field, trimmed, without empty ones.
fn lines(t: &str) -> Vec<String> {
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A text field of the pack settings.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Workshop,
    Date,
    Purpose,
    Questions,
    GroundRules,
    Agenda,
    Support,
}

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Title => "Pack title",
            Field::Workshop => "Workshop",
            Field::Date => "Date (YYYY-MM-DD)",
            Field::Purpose => "Purpose",
            Field::Questions => "Questions (one a line)",
            Field::GroundRules => "Ground rules (one a line)",
            Field::Agenda => "Agenda (one a line, with timings; empty = a timed plan)",
            Field::Support => "Support contacts (one a line)",
        }
    }

    fn stored(self, s: &PackSettings) -> String {
        match self {
            Field::Title => s.title.clone(),
            Field::Workshop => s.workshop.clone(),
            Field::Date => s.date.clone(),
            Field::Purpose => s.purpose.clone(),
            Field::Questions => s.questions.join("\n"),
            Field::GroundRules => s.ground_rules.join("\n"),
            Field::Agenda => s.agenda.join("\n"),
            Field::Support => s.support_contacts.join("\n"),
        }
    }

    fn set(self, s: &mut PackSettings, text: &str) {
        match self {
            Field::Title => s.title = text.to_owned(),
            Field::Workshop => s.workshop = text.to_owned(),
            Field::Date => s.date = text.trim().to_owned(),
            Field::Purpose => s.purpose = text.to_owned(),
            Field::Questions => s.questions = lines(text),
            Field::GroundRules => s.ground_rules = lines(text),
            Field::Agenda => s.agenda = lines(text),
            Field::Support => s.support_contacts = lines(text),
        }
    }

    /// The field: one line or several rows.
    fn show(self, ui: &mut egui::Ui, sh: &mut Shared, settings: &PackSettings) {
        let l = ui.label(self.label());
        let id = ("pack-settings", self.label());
        let field = match self {
            Field::Title | Field::Workshop => TextField::singleline(id).desired_width(340.0),
            // A half-typed date is not a date: saved on Enter or leaving it.
            Field::Date => TextField::singleline(id)
                .desired_width(340.0)
                .no_idle_save(),
            Field::Purpose => TextField::multiline(id).desired_rows(3),
            Field::Questions => TextField::multiline(id).desired_rows(5),
            Field::GroundRules => TextField::multiline(id).desired_rows(4),
            Field::Agenda => TextField::multiline(id).desired_rows(3),
            Field::Support => TextField::multiline(id).desired_rows(2),
        };
        field
            .show(ui, sh, &self.stored(settings), move |p, text| {
                save_pack(p, |s| self.set(s, text))
            })
            .labelled_by(l.id);
        ui.end_row();
    }
}

#[derive(Default)]
pub struct PackSettingsWindow {
    pub open: bool,
    /// The settings as stored, read again after every change.
    settings: PackSettings,
    check: StoryCheckSettings,
    /// The revision they were read at.
    loaded: Option<u64>,
    /// Approved stories, and whether each is in the pack.
    stories: Vec<(StorySummary, bool)>,
    /// Days to reply while being dragged or typed.
    days: Option<u32>,
}

impl PackSettingsWindow {
    /// Opens the window on the saved settings.
    pub fn show_for(&mut self, sh: &mut Shared) {
        self.loaded = None;
        self.reload(sh);
        self.open = sh.project.is_some();
    }

    fn reload(&mut self, sh: &mut Shared) {
        if self.loaded == Some(sh.revision) {
            return;
        }
        self.loaded = Some(sh.revision);
        let Some(settings) = sh.read(|p| p.pack_settings()) else {
            return;
        };
        let all = sh.read(|p| p.stories()).unwrap_or_default();
        // Chosen stories first, in their pack order; then the other approved ones.
        let chosen = |s: &StorySummary| {
            settings.stories.iter().position(|k| {
                k == &s.uuid || Some(k.as_str()) == s.participant.as_deref() || k == &s.title
            })
        };
        let mut stories: Vec<(StorySummary, bool)> = all
            .into_iter()
            .filter(|s| s.status == StoryStatus::Approved)
            .map(|s| {
                let inside = settings.stories.is_empty() || chosen(&s).is_some();
                (s, inside)
            })
            .collect();
        stories.sort_by_key(|(s, _)| chosen(s).unwrap_or(usize::MAX));
        self.check = sh.read(|p| p.story_check_settings()).unwrap_or_default();
        self.settings = settings;
        self.stories = stories;
    }

    pub fn ui(&mut self, ctx: &egui::Context, sh: &mut Shared) {
        if !self.open {
            return;
        }
        self.reload(sh);
        let mut open = true;
        let mut done = false;
        let mut flags = (
            self.settings.include_themes,
            self.settings.double_sided,
            self.settings.facilitator_page,
        );
        let mut days = self.days.unwrap_or(self.check.return_days);
        let mut days_done = false;
        let mut order_changed = false;
        egui::Window::new("Discussion pack settings")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                egui::Grid::new("pack-fields").num_columns(2).show(ui, |ui| {
                    for f in [
                        Field::Title,
                        Field::Workshop,
                        Field::Date,
                        Field::Purpose,
                        Field::Questions,
                        Field::GroundRules,
                    ] {
                        f.show(ui, sh, &self.settings);
                    }
                });
                ui.checkbox(&mut flags.0, "Add the emerging themes after the stories");
                ui.checkbox(
                    &mut flags.1,
                    "Printed on both sides (each story starts on a right-hand page)",
                );
                ui.checkbox(&mut flags.2, "Add a page for the facilitator");
                if self.settings.facilitator_page {
                    egui::Grid::new("pack-facilitator")
                        .num_columns(2)
                        .show(ui, |ui| {
                            for f in [Field::Agenda, Field::Support] {
                                f.show(ui, sh, &self.settings);
                            }
                        });
                }
                ui.separator();
                ui.label("The story for checking: who the storyteller replies to");
                egui::Grid::new("check-fields").num_columns(2).show(ui, |ui| {
                    let l = ui.label("Researcher");
                    TextField::singleline(("pack-settings", "Researcher"))
                        .desired_width(300.0)
                        .show(ui, sh, &self.check.researcher, |p, t| {
                            save_check(p, |c| c.researcher = t.to_owned())
                        })
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Contact (phone, email, address)");
                    TextField::singleline(("pack-settings", "Contact"))
                        .desired_width(300.0)
                        .show(ui, sh, &self.check.contact, |p, t| {
                            save_check(p, |c| c.contact = t.to_owned())
                        })
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Days to reply");
                    let r = ui
                        .add(egui::DragValue::new(&mut days).range(1..=365))
                        .labelled_by(l.id);
                    // Saved when the drag ends or the typed number is left.
                    days_done = r.drag_stopped() || r.lost_focus() || (r.changed() && !r.dragged());
                    ui.end_row();
                });
                ui.separator();
                ui.label("Approved stories in the pack, in order:");
                if self.stories.is_empty() {
                    ui.label(
                        "No story is approved yet (Stories tab: record the storyteller's approval).",
                    );
                }
                let mut swap = None;
                let n = self.stories.len();
                for (i, (s, inside)) in self.stories.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        let name = format!(
                            "{} – {}",
                            s.participant.as_deref().unwrap_or("?"),
                            if s.title.is_empty() {
                                "(untitled)"
                            } else {
                                &s.title
                            }
                        );
                        order_changed |= ui.checkbox(inside, name.clone()).changed();
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
                    order_changed = true;
                }
                ui.label(
                    egui::RichText::new("Everything here is saved as you go (Undo takes it back).")
                        .weak(),
                );
                done = ui.button("Done").clicked();
            });
        let s = &self.settings;
        if flags != (s.include_themes, s.double_sided, s.facilitator_page)
            && let Some(c) = sh.read(|p| {
                save_pack(p, |s| {
                    (s.include_themes, s.double_sided, s.facilitator_page) = flags;
                })
            })
        {
            sh.push(c);
        }
        if order_changed {
            let order: Vec<String> = self
                .stories
                .iter()
                .filter(|(_, inside)| *inside)
                .map(|(s, _)| s.uuid.clone())
                .collect();
            if let Some(c) = sh.read(|p| save_pack(p, |s| s.stories = order)) {
                sh.push(c);
            }
        }
        if days_done || !open || done {
            self.days = None;
            if days != self.check.return_days
                && let Some(c) = sh.read(|p| save_check(p, |c| c.return_days = days))
            {
                sh.push(c);
            }
        } else if days != self.check.return_days {
            self.days = Some(days);
        }
        // Closing the window leaves its fields undrawn: the workbench saves
        // what they hold at the end of this pass.
        self.open = open && !done;
    }
}
