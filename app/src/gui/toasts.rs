//! Toasts and refusals in the bottom-right corner: a finished export says
//! what it wrote with "Open" and "Show in folder" until it is closed; a
//! refusal (any error notice) opens a small dialog that keeps the whole
//! message, says what to do for its kind (`refusal.rs`), offers a button to
//! where it is settled when there is one, and stays until it is closed. Both
//! come from the notices the panels already write (see `Shared::info`,
//! `Shared::done`, `Shared::error`); the status bar keeps the history.

use super::refusal::Remedy;
use super::shared::Notice;
use egui::RichText;
use std::path::{Path, PathBuf};

/// At most this many toasts at once (the oldest go first).
const MAX_TOASTS: usize = 3;

#[derive(Debug, Default)]
pub struct Toasts {
    /// How many notices have been looked at.
    seen: usize,
    /// Finished jobs with a file, oldest first.
    pub shown: Vec<Notice>,
    /// The latest refusal not yet closed.
    pub refusal: Option<Notice>,
}

impl Toasts {
    /// Takes the notices added since the last frame.
    fn take_new(&mut self, notices: &[Notice]) {
        if notices.len() < self.seen {
            // Dismissed in the status bar.
            self.seen = 0;
        }
        for n in &notices[self.seen..] {
            if n.error {
                self.refusal = Some(n.clone());
            } else if n.file.is_some() {
                self.shown.push(n.clone());
            }
        }
        self.seen = notices.len();
        let extra = self.shown.len().saturating_sub(MAX_TOASTS);
        self.shown.drain(..extra);
    }

    /// Draws the toasts and the refusal; says what the researcher chose.
    pub fn ui(&mut self, ctx: &egui::Context, notices: &[Notice]) -> ToastsOut {
        self.take_new(notices);
        let mut out = ToastsOut::default();
        let mut failed = None;
        if self.shown.is_empty() && self.refusal.is_none() {
            return out;
        }
        let mut close_toast = None;
        let mut close_refusal = false;
        egui::Area::new(egui::Id::unique("toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -48.0])
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                if let Some(r) = &self.refusal {
                    egui::Frame::popup(ui.style())
                        .stroke(egui::Stroke::new(2.0, ui.visuals().error_fg_color))
                        .show(ui, |ui| {
                            ui.label(RichText::new("Storyloom could not do that").strong());
                            ui.label(&r.text);
                            // What to do, for this kind of refusal.
                            ui.label(RichText::new("What to do").strong());
                            ui.label(r.kind.advice());
                            ui.horizontal(|ui| {
                                if let Some((label, remedy)) = r.kind.remedy()
                                    && ui.button(label).clicked()
                                {
                                    out.remedy = Some(remedy);
                                    close_refusal = true;
                                }
                                if ui.button("Close message").clicked() {
                                    close_refusal = true;
                                }
                                if ui.button("Copy message").clicked() {
                                    ui.ctx().copy_text(r.text.clone());
                                }
                            });
                        });
                    ui.add_space(6.0);
                }
                for (k, t) in self.shown.iter().enumerate().rev() {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.label(&t.text);
                        ui.horizontal(|ui| {
                            if let Some(file) = &t.file {
                                if ui.button("Open").clicked()
                                    && let Err(e) = open_path(file)
                                {
                                    failed = Some(e);
                                }
                                if ui.button("Show in folder").clicked()
                                    && let Err(e) = open_path(&folder_of(file))
                                {
                                    failed = Some(e);
                                }
                            }
                            if ui.button("Hide").clicked() {
                                close_toast = Some(k);
                            }
                        });
                    });
                    ui.add_space(6.0);
                }
            });
        if let Some(k) = close_toast {
            self.shown.remove(k);
        }
        if close_refusal {
            self.refusal = None;
        }
        out.failed = failed;
        out
    }
}

/// What the toasts and the refusal dialog asked for this frame.
#[derive(Debug, Default)]
pub struct ToastsOut {
    /// Opening a file failed: this message.
    pub failed: Option<String>,
    /// The refusal's button: go where it is settled.
    pub remedy: Option<Remedy>,
}

/// The folder holding `file` (the current folder for a bare name).
fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Opens a file or folder with the desktop's default program.
fn open_path(path: &Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let mut child = std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .map_err(|e| format!("Could not open {} ({opener}: {e})", path.display()))?;
    // Reaped when it exits, without holding up the window.
    std::thread::spawn(move || child.wait());
    Ok(())
}
