//! A shared project (issue 16) in the window: File → Open shared project…
//! asks for the server address, a password (kept for this session only,
//! never written anywhere) and where to keep the replica, and makes or
//! updates the replica in the background; the sync then runs beside any
//! open replica, and the status bar says whether it is online, how many
//! changes wait to go up and the last error.

use super::Workbench;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use storyloom_project::Project;
use storyloom_project::share::{SyncHandle, SyncStatus};

/// The "Open shared project" dialog.
#[derive(Default)]
pub struct OpenShared {
    pub open: bool,
    pub url: String,
    /// Typed for this session; never saved.
    pub password: String,
    /// Where the replica goes (a default follows the URL until edited).
    pub into: String,
    into_edited: bool,
    /// A replica being made or updated: its result.
    working: Option<Receiver<Result<PathBuf, String>>>,
}

/// The sync beside the open project, when it is a replica.
#[derive(Default)]
pub struct Sync {
    handle: Option<SyncHandle>,
    /// The project the sync was last started (or tried) for.
    started_for: Option<PathBuf>,
    /// Set by the sync thread after a round that pulled something.
    pulled: Arc<AtomicBool>,
    /// Why the sync could not start, if it could not.
    pub not_started: Option<String>,
    /// The password typed in this session, per server address.
    pub(super) password: Option<(String, String)>,
    /// The revision a poke was last sent at.
    poked_at: u64,
}

impl Sync {
    /// The status of the running sync, if there is one.
    pub fn status(&self) -> Option<SyncStatus> {
        self.handle.as_ref().map(SyncHandle::status)
    }

    /// Stops the sync and forgets which project it ran for, so it starts
    /// again for the project opened next (even the same file, shared since).
    pub fn forget(&mut self) {
        self.handle = None;
        self.not_started = None;
        self.started_for = None;
    }

    /// Whether the open project is a shared one (running or not).
    pub fn active(&self) -> bool {
        self.handle.is_some() || self.not_started.is_some()
    }
}

/// Who is working, when no project is open to say it.
fn default_actor() -> String {
    crate::cli::USER
        .get()
        .cloned()
        .or_else(|| std::env::var("STORYLOOM_USER").ok())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "researcher".to_owned())
}

/// The status bar's words for a sync status.
pub fn status_text(s: &SyncStatus) -> String {
    let mut out = if s.online {
        "Shared: online".to_owned()
    } else {
        "Shared: offline (working locally, retrying)".to_owned()
    };
    if s.pending > 0 {
        out.push_str(&format!(" · {} pending", s.pending));
    } else if s.online {
        out.push_str(" · up to date");
    }
    if let Some(e) = &s.last_error {
        out.push_str(&format!(" · last error: {e}"));
    }
    out
}

/// The URL with `password` in it (percent-encoded), for the locator to
/// read; the replica keeps only the address without it.
pub(super) fn with_password(url: &str, password: &str) -> String {
    if password.is_empty() {
        return url.to_owned();
    }
    let encoded: String = password
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (user, host) = match authority.rsplit_once('@') {
        Some((info, host)) => (info.split(':').next().unwrap_or(""), host),
        None => ("", authority),
    };
    format!("{scheme}://{user}:{encoded}@{host}{path}")
}

/// The server password, typed for this session only.
pub(super) fn password_field(ui: &mut egui::Ui, password: &mut String) {
    let l = ui.label("Password");
    ui.add(
        egui::TextEdit::singleline(password)
            .password(true)
            .desired_width(420.0),
    )
    .labelled_by(l.id)
    .on_hover_text("Kept only while Storyloom is open; never saved. Leave it empty to use PGPASSWORD or ~/.pgpass.");
}

/// The shared project's name: the URL's last path segment.
fn project_name(url: &str) -> Option<&str> {
    let path = url.split('?').next()?;
    let name = path.rsplit('/').next()?.trim();
    (!name.is_empty() && path.matches('/').count() >= 4).then_some(name)
}

impl Workbench {
    /// Opens the dialog, the replica's folder defaulting to the open project's.
    pub(super) fn ask_open_shared(&mut self) {
        self.open_shared.open = true;
    }

    fn default_replica(&self, name: &str) -> PathBuf {
        let folder = self
            .shared
            .project
            .as_ref()
            .and_then(|p| p.path().parent().map(Path::to_owned))
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."));
        folder.join(format!("{name}.storyloom"))
    }

    pub(super) fn open_shared_ui(&mut self, ctx: &egui::Context) {
        self.poll_open_shared(ctx);
        if !self.open_shared.open {
            return;
        }
        let mut open = true;
        let mut go = false;
        let working = self.open_shared.working.is_some();
        if !self.open_shared.into_edited
            && let Some(name) = project_name(&self.open_shared.url)
        {
            self.open_shared.into = self.default_replica(name).display().to_string();
        }
        let d = &mut self.open_shared;
        egui::Window::new("Open shared project")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label("The shared project's address on the PostgreSQL server:");
                let l = ui.label("Address");
                ui.add(
                    egui::TextEdit::singleline(&mut d.url)
                        .hint_text("postgres://you@server/database/project")
                        .desired_width(420.0),
                )
                .labelled_by(l.id);
                password_field(ui, &mut d.password);
                let l = ui.label("Keep the replica in");
                if ui
                    .add(egui::TextEdit::singleline(&mut d.into).desired_width(420.0))
                    .labelled_by(l.id)
                    .changed()
                {
                    d.into_edited = true;
                }
                ui.label(
                    egui::RichText::new(
                        "Your copy on this computer: you keep working in it when the server cannot be reached, and it catches up when it can.",
                    )
                    .weak(),
                );
                ui.horizontal(|ui| {
                    let ready = !working && !d.url.trim().is_empty() && !d.into.trim().is_empty();
                    if ui.add_enabled(ready, egui::Button::new("Open")).clicked() {
                        go = true;
                    }
                    if working {
                        ui.spinner();
                        ui.label("Fetching the shared project…");
                    }
                });
            });
        if !open {
            self.open_shared.open = false;
        }
        if go {
            self.start_open_shared(ctx);
        }
    }

    fn start_open_shared(&mut self, ctx: &egui::Context) {
        let d = &mut self.open_shared;
        let url = with_password(d.url.trim(), &d.password);
        let into = PathBuf::from(d.into.trim());
        let actor = self
            .shared
            .project
            .as_ref()
            .map(|p| p.actor().to_owned())
            .unwrap_or_else(default_actor);
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let r = Project::open_shared(&url, Some(&into), &actor).map_err(|e| e.to_string());
            let _ = tx.send(r);
            ctx.request_repaint();
        });
        d.working = Some(rx);
    }

    fn poll_open_shared(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.open_shared.working else {
            return;
        };
        match rx.try_recv() {
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(200))
            }
            Err(TryRecvError::Disconnected) => self.open_shared.working = None,
            Ok(r) => {
                self.open_shared.working = None;
                match r {
                    Ok(path) => {
                        let d = &mut self.open_shared;
                        let password = std::mem::take(&mut d.password);
                        let server = d.url.trim().to_owned();
                        d.open = false;
                        self.sync.password = (!password.is_empty()).then_some((server, password));
                        self.open_project(&path);
                        self.shared
                            .info(format!("Opened the shared project in {}", path.display()));
                    }
                    Err(e) => self.shared.error(storyloom_project::share::redact(&e)),
                }
            }
        }
    }

    /// Starts the sync when the open project is a replica, stops it when
    /// the project changes, and reloads the panels after a pull.
    pub(super) fn sync_tick(&mut self, ctx: &egui::Context) {
        let path = self.shared.project.as_ref().map(|p| p.path().to_owned());
        if self.sync.started_for != path {
            self.sync.handle = None;
            self.sync.not_started = None;
            self.sync.started_for = path.clone();
            let server = self
                .shared
                .project
                .as_ref()
                .and_then(|p| p.shared_server().ok().flatten());
            if let (Some(p), Some(server)) = (self.shared.project.as_ref(), server) {
                let password = self
                    .sync
                    .password
                    .as_ref()
                    .filter(|(s, _)| {
                        storyloom_project::share::Locator::parse(s)
                            .is_ok_and(|l| l.display() == server.locator)
                    })
                    .map(|(_, p)| p.clone());
                let pulled = self.sync.pulled.clone();
                let repaint = ctx.clone();
                match p.start_sync(password, move |r| {
                    if r.pulled > 0 {
                        pulled.store(true, Ordering::SeqCst);
                    }
                    repaint.request_repaint();
                }) {
                    Ok(h) => self.sync.handle = Some(h),
                    Err(e) => self.sync.not_started = Some(e.to_string()),
                }
            }
        }
        if self.sync.pulled.swap(false, Ordering::SeqCst) {
            // Colleagues' changes are in the file: every panel reads again.
            self.shared.revision += 1;
        }
        if let Some(h) = &self.sync.handle {
            if self.sync.poked_at != self.shared.revision {
                self.sync.poked_at = self.shared.revision;
                h.poke();
            }
            // The status changes without input (the server comes and goes).
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    /// The sync's line in the status bar.
    pub(super) fn sync_status_text(&self) -> Option<String> {
        if let Some(why) = &self.sync.not_started {
            return Some(format!("Shared: sync not running ({why})"));
        }
        self.sync.status().map(|s| status_text(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_goes_into_the_url_encoded_and_only_there() {
        assert_eq!(
            with_password("postgres://ana@db.example:5433/research/choir", "s@c:r/t"),
            "postgres://ana:s%40c%3Ar%2Ft@db.example:5433/research/choir"
        );
        assert_eq!(
            with_password("postgres://ana:old@db/research/choir", "new"),
            "postgres://ana:new@db/research/choir"
        );
        assert_eq!(with_password("postgres://db/r/c", ""), "postgres://db/r/c");
        let l = storyloom_project::share::Locator::parse(&with_password(
            "postgres://ana@db/research/choir",
            "s@c:r/t",
        ))
        .unwrap();
        assert_eq!(l.password().as_deref(), Some("s@c:r/t"));
        assert!(!l.display().contains("s@c"));
    }

    #[test]
    fn the_replica_is_named_after_the_shared_project() {
        assert_eq!(
            project_name("postgres://ana@db/research/choir"),
            Some("choir")
        );
        assert_eq!(project_name("postgres://ana@db/research"), None);
    }

    #[test]
    fn the_status_says_online_pending_and_the_last_error() {
        let mut s = SyncStatus {
            online: true,
            ..Default::default()
        };
        assert_eq!(status_text(&s), "Shared: online · up to date");
        s.pending = 3;
        assert_eq!(status_text(&s), "Shared: online · 3 pending");
        s.online = false;
        s.last_error = Some("connection refused".into());
        assert_eq!(
            status_text(&s),
            "Shared: offline (working locally, retrying) · 3 pending · last error: connection refused"
        );
    }
}
