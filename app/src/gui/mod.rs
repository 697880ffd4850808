//! The window: a thin shell over the `Project` API.

mod agreement_panel;
mod codebook_panel;
mod coder_filter;
mod color;
mod commands;
pub mod debounce;
mod document_view;
mod help;
mod history_panel;
mod inspector;
mod jobs;
mod memos_panel;
mod merge_window;
mod pack_settings;
mod palette;
mod participants_panel;
mod pseudonyms_panel;
mod queries_panel;
mod reading_state;
mod refusal;
mod review_panel;
mod search_panel;
mod shared;
mod story_editor;
#[cfg(test)]
mod tests;
mod theme;
mod themes_board;
mod toasts;
mod widgets;
mod workbench;

pub use workbench::{NavTab, Workbench};

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Opens the window on a project, or on the working copy of the sample study.
/// With `first_frame`, prints the milliseconds from that instant to the
/// first frame shown and closes the window (a measurement).
pub fn run(
    project: Option<PathBuf>,
    document: Option<String>,
    first_frame: Option<Instant>,
) -> Result<ExitCode> {
    if !has_display() {
        eprintln!(
            "storyloom: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set).\n\
             Use the command line instead, for example:\n  \
             storyloom sample study.storyloom\n  \
             storyloom documents study.storyloom\n  \
             storyloom --help"
        );
        return Ok(ExitCode::from(2));
    }
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("Storyloom")
            .with_inner_size([1280.0, 800.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Storyloom",
        options,
        Box::new(move |cc| {
            // UI preferences (theme, zoom, recent projects) persist between runs.
            let prefs: workbench::Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, PREFS_KEY))
                .unwrap_or_default();
            Ok(Box::new(App {
                bench: open_workbench(project, document, prefs),
                first_frame,
                frames: 0,
            }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

const PREFS_KEY: &str = "storyloom-prefs";

/// The project given, else the last one used, else the sample study's working copy.
fn open_workbench(
    project: Option<PathBuf>,
    document: Option<String>,
    prefs: workbench::Prefs,
) -> Workbench {
    let last = prefs.recent.first().filter(|p| p.is_file()).cloned();
    let mut bench = Workbench::default();
    if let Some(file) = reading_state::ReadingState::default_file() {
        bench.reading = reading_state::ReadingState::load(file);
    }
    bench.prefs = prefs;
    bench.shared.center = bench.prefs.center;
    let opened = match project.or(last) {
        Some(path) => storyloom_project::Project::open(&path).map_err(anyhow::Error::from),
        None => crate::sample::open_working_copy(),
    };
    match opened {
        Ok(p) => bench.set_project(p),
        Err(e) => bench.report(format!("{e:#}")),
    }
    if let Some(key) = document
        && let Some(doc) = bench.shared.read(|p| p.document(&key))
    {
        // The document asked for, from its start (not the place last read).
        bench.document = Default::default();
        bench.shared.open(&doc.uuid);
    }
    bench
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

struct App {
    bench: Workbench,
    /// Measuring the time to the first frame: when the process started.
    first_frame: Option<Instant>,
    frames: u64,
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if let Some(started) = self.first_frame {
            // The first frame is on screen once the second one starts
            // (eframe swaps the buffers after painting each frame).
            if self.frames == 1 {
                println!(
                    "first frame shown after {:.1} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ui.ctx().request_repaint();
        }
        self.frames += 1;
        self.bench.ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.first_frame.is_some() {
            // A measurement leaves the preferences as they were.
            self.bench.flush_edits();
            return;
        }
        // Typed text first: `save` also runs when the window closes.
        self.bench.flush_edits();
        eframe::set_value(storage, PREFS_KEY, &self.bench.prefs);
        self.bench.save_reading_place();
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.bench.flush_edits();
    }
}
