//! "Save as CSV" for any table: a labelled path field (relative paths are
//! taken from the project's folder), a Save button, and a "Browse…" button
//! when a desktop portal can answer a native dialog. Success or failure is
//! reported as a notice.

use super::Shared;
use std::path::{Path, PathBuf};

/// The labels of one saver (two can be on screen at once).
pub(in crate::gui) struct CsvNames {
    pub button: &'static str,
    pub field: &'static str,
}

impl CsvNames {
    pub const MAIN: CsvNames = CsvNames {
        button: "Save as CSV",
        field: "CSV path",
    };
    pub const PASSAGES: CsvNames = CsvNames {
        button: "Save passages as CSV",
        field: "Passages CSV path",
    };
}

#[derive(Debug, Clone, Default)]
pub(in crate::gui) struct CsvSaver {
    pub path: String,
}

impl CsvSaver {
    /// The path field and buttons; `rows` (header first) is called only to save.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        names: &CsvNames,
        file_name: &str,
        rows: impl FnOnce() -> Vec<Vec<String>>,
    ) {
        let folder = sh
            .project
            .as_ref()
            .and_then(|p| p.path().parent().map(Path::to_path_buf))
            .unwrap_or_default();
        if self.path.is_empty() {
            self.path = folder.join(file_name).display().to_string();
        }
        let mut save = false;
        let label = ui.label(names.field);
        let r = ui
            .add(egui::TextEdit::singleline(&mut self.path).desired_width(260.0))
            .labelled_by(label.id);
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            save = true;
        }
        if native_dialogs()
            && ui
                .button("Browse…")
                .on_hover_text("Choose the file with the desktop's dialog")
                .clicked()
            && let Some(p) = rfd::FileDialog::new()
                .add_filter("CSV", &["csv"])
                .set_file_name(file_name)
                .set_directory(&folder)
                .save_file()
        {
            self.path = p.display().to_string();
            save = true;
        }
        if ui.button(names.button).clicked() {
            save = true;
        }
        if save {
            let path = resolve(&folder, &self.path);
            let rows = rows();
            match write_csv(&path, &rows) {
                Ok(()) => sh.info(format!(
                    "Saved {} row{} to {}",
                    rows.len().saturating_sub(1),
                    if rows.len() == 2 { "" } else { "s" },
                    path.display()
                )),
                Err(e) => sh.error(format!("Could not save {}: {e}", path.display())),
            }
        }
    }
}

/// A typed path: `~/x.csv` and relative paths (from the project folder) made absolute;
/// `.csv` added when there is no extension.
fn resolve(folder: &Path, typed: &str) -> PathBuf {
    let typed = typed.trim();
    let mut p = match typed.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None => PathBuf::from(typed),
    };
    if p.is_relative() {
        p = folder.join(p);
    }
    if p.extension().is_none() {
        p.set_extension("csv");
    }
    p
}

/// Writes rows (header first) as CSV for a spreadsheet: byte order mark,
/// formula-like cells neutralised (`storyloom_exports::SheetCsv`).
pub(in crate::gui) fn write_csv(path: &Path, rows: &[Vec<String>]) -> Result<(), String> {
    if path.is_dir() {
        return Err("that is a folder; add a file name".into());
    }
    // Through a temp file beside it: the previous file stays until this one is whole.
    let file = storyloom_exports::AtomicFile::create(path).map_err(|e| e.to_string())?;
    let mut w = storyloom_exports::SheetCsv::new(file, storyloom_exports::CsvStyle::default())
        .map_err(|e| e.to_string())?;
    for r in rows {
        w.write_row(r).map_err(|e| e.to_string())?;
    }
    let file = w.into_inner().map_err(|e| e.to_string())?;
    file.commit().map_err(|e| e.to_string())
}

/// Can a native dialog be asked for? Only with a session bus (the portal's
/// way in), and not when switched off.
fn native_dialogs() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        && std::env::var_os("STORYLOOM_NO_NATIVE_DIALOGS").is_none()
}
