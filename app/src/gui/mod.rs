//! The window: a thin shell over the `Project` API.

mod workbench;

pub use workbench::Workbench;

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the window on a project, or on the working copy of the sample study.
pub fn run(project: Option<PathBuf>) -> Result<ExitCode> {
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
    let opened = match &project {
        Some(path) => storyloom_coding::Project::open(path).map_err(anyhow::Error::from),
        None => crate::sample::open_working_copy(),
    };
    let mut bench = Workbench::default();
    match opened {
        Ok(p) => bench.set_project(p),
        Err(e) => bench.report(format!("{e:#}")),
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
        Box::new(|_cc| Ok(Box::new(App { bench }))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

struct App {
    bench: Workbench,
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.bench.ui(ui);
    }
}
