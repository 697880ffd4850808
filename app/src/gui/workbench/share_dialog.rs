//! File → Share this project…: puts the open project on a PostgreSQL
//! server (issue 16) so colleagues can open it with File → Open shared
//! project…, and makes this file its first replica. The upload runs in the
//! background on its own handle of the file; until it ends the window
//! takes no changes (a modal says so), so nothing made meanwhile can miss
//! the upload. Then the project is opened again as the replica it has
//! become and the sync starts beside it.

use super::Workbench;
use super::shared_project::{password_field, with_password};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use storyloom_project::Project;

/// The "Share this project" dialog.
#[derive(Default)]
pub struct ShareProject {
    pub open: bool,
    pub url: String,
    /// Typed for this session; never saved.
    pub password: String,
    /// The upload under way: the replica's file and the server's address
    /// (without the password) it ended with, or why it failed.
    working: Option<Receiver<Result<(PathBuf, String), String>>>,
}

impl ShareProject {
    /// Whether an upload is under way (the window then takes no changes).
    pub fn working(&self) -> bool {
        self.working.is_some()
    }
}

impl Workbench {
    pub(super) fn ask_share_project(&mut self) {
        self.share_project.open = true;
    }

    pub(super) fn share_project_ui(&mut self, ctx: &egui::Context) {
        self.poll_share_project();
        if self.share_project.working() {
            egui::Modal::new(egui::Id::unique("sharing")).show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Putting the project on the server…");
                });
                ui.label(
                    egui::RichText::new(
                        "Nothing can be changed until it is there, so the server gets all of it.",
                    )
                    .weak(),
                );
            });
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
            return;
        }
        if !self.share_project.open {
            return;
        }
        let mut open = true;
        let mut go = false;
        let d = &mut self.share_project;
        egui::Window::new("Share this project")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(
                    "Puts this project on a PostgreSQL server so colleagues can open it \
                     (File, then Open shared project…) and work on it with you. This file \
                     becomes your copy of it: you keep working in it when the server \
                     cannot be reached, and it catches up when it can.",
                );
                let l = ui.label("Address");
                ui.add(
                    egui::TextEdit::singleline(&mut d.url)
                        .hint_text("postgres://you@server/database/project_name")
                        .desired_width(420.0),
                )
                .labelled_by(l.id)
                .on_hover_text(
                    "The last part names the project on the server: lower-case letters, digits and _",
                );
                password_field(ui, &mut d.password);
                ui.label(
                    egui::RichText::new(
                        "Everyone who can read that database can read the project: real names, transcripts and all.",
                    )
                    .weak(),
                );
                let ready = !d.url.trim().is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new("Share"))
                    .clicked()
                {
                    go = true;
                }
            });
        if !open {
            self.share_project.open = false;
        }
        if go {
            self.start_share_project(ctx);
        }
    }

    fn start_share_project(&mut self, ctx: &egui::Context) {
        if self.shared.project.is_none() {
            return;
        }
        // What was typed goes up with the rest.
        self.flush_edits();
        let Some(project) = &self.shared.project else {
            return;
        };
        let path = project.path().to_owned();
        let actor = project.actor().to_owned();
        let d = &mut self.share_project;
        let url = with_password(d.url.trim(), &d.password);
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let shared = (|| {
                let mut p = Project::open(&path)?;
                p.set_actor(&actor);
                let server = p.share(&url)?;
                Ok::<_, storyloom_project::Error>((path, server.locator))
            })();
            let _ = tx.send(shared.map_err(|e| e.to_string()));
            ctx.request_repaint();
        });
        d.working = Some(rx);
    }

    fn poll_share_project(&mut self) {
        let Some(rx) = &self.share_project.working else {
            return;
        };
        let result = match rx.try_recv() {
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                Err("the upload stopped without saying why".to_owned())
            }
            Ok(r) => r,
        };
        self.share_project.working = None;
        match result {
            Ok((path, locator)) => {
                let d = &mut self.share_project;
                let password = std::mem::take(&mut d.password);
                let server = d.url.trim().to_owned();
                d.open = false;
                self.sync.password = (!password.is_empty()).then_some((server, password));
                // Opened again, as the replica it now is: the sync starts.
                self.sync.forget();
                self.open_project(&path);
                self.shared.info(format!(
                    "Shared at {locator}. Colleagues open it with File, then Open shared project…, and this address."
                ));
            }
            Err(e) => self.shared.error(format!(
                "Could not share the project: {}",
                storyloom_project::share::redact(&e)
            )),
        }
    }
}
