//! The desktop's file dialog, and the built-in file browser where the desktop has no file dialog (no
//! portal): the folder's subfolders and the files of the kinds asked for,
//! places to start from (home, the project's folder, recent projects'
//! folders), and a file name filled in for each export. A full path typed
//! in the name field is taken as it is.

use super::{PathPrompt, Workbench};
use egui::RichText;
use std::path::{Path, PathBuf};

/// The browser's folder and what it holds.
#[derive(Debug, Default)]
pub struct Browse {
    pub dir: PathBuf,
    /// (name, is a folder) of `dir`, folders first; read when `dir` changes.
    entries: Vec<(String, bool)>,
    read: Option<PathBuf>,
}

/// The kinds of file a prompt lists (empty: all).
pub fn extensions(what: &PathPrompt) -> &'static [&'static str] {
    match what {
        PathPrompt::NewProject
        | PathPrompt::OpenProject
        | PathPrompt::SaveCopy
        | PathPrompt::MergeCopy => &["storyloom"],
        PathPrompt::ImportFiles => &[
            "docx", "odt", "txt", "md", "vtt", "srt", "csv", "xlsx", "json",
        ],
        PathPrompt::ImportParticipants => &["csv"],
        PathPrompt::ImportRefi => &["qdpx", "qdc"],
        PathPrompt::ExportQdpx => &["qdpx"],
        PathPrompt::ExportQdc => &["qdc"],
        PathPrompt::ExportCodebook { csv: true } | PathPrompt::ExportSegments { xlsx: false } => {
            &["csv"]
        }
        PathPrompt::ExportSegments { xlsx: true } => &["xlsx"],
        PathPrompt::ImportWorkshop => &["docx", "csv"],
        PathPrompt::ExportStory
        | PathPrompt::ExportPack { .. }
        | PathPrompt::ExportThemeReport
        | PathPrompt::ExportCodebook { csv: false } => &["docx"],
    }
}

/// The file name a prompt starts with (exports and new files).
pub fn default_name(what: &PathPrompt) -> &'static str {
    match what {
        PathPrompt::NewProject => "study.storyloom",
        PathPrompt::SaveCopy => "copy.storyloom",
        PathPrompt::ExportQdpx => "project-research-team-only.qdpx",
        PathPrompt::ExportQdc => "codebook.qdc",
        PathPrompt::ExportStory => "story-for-checking.docx",
        PathPrompt::ExportPack { research: false } => "discussion-pack.docx",
        PathPrompt::ExportPack { research: true } => "discussion-pack-research-team.docx",
        PathPrompt::ExportThemeReport => "theme-report.docx",
        PathPrompt::ExportCodebook { csv: true } => "codebook.csv",
        PathPrompt::ExportCodebook { csv: false } => "codebook.docx",
        PathPrompt::ExportSegments { xlsx: true } => "coded-segments.xlsx",
        PathPrompt::ExportSegments { xlsx: false } => "coded-segments.csv",
        _ => "",
    }
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

impl Browse {
    /// Lists `dir` if it changed: subfolders, then files of the kinds asked for.
    fn refresh(&mut self, ext: &[&str]) {
        if self.read.as_ref() == Some(&self.dir) {
            return;
        }
        self.read = Some(self.dir.clone());
        let mut entries: Vec<(String, bool)> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let folder = e.file_type().ok()?.is_dir();
                        let kind = Path::new(&name)
                            .extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| ext.iter().any(|k| k.eq_ignore_ascii_case(x)));
                        (!name.starts_with('.') && (folder || ext.is_empty() || kind))
                            .then_some((name, folder))
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(a.0.to_lowercase().cmp(&b.0.to_lowercase()))
        });
        self.entries = entries;
    }
}

impl Workbench {
    /// Where the browser opens: the project's folder, else home.
    pub(super) fn start_folder(&self) -> PathBuf {
        self.shared
            .project
            .as_ref()
            .and_then(|p| p.path().parent().map(Path::to_owned))
            .filter(|d| d.is_dir())
            .unwrap_or_else(home)
    }

    /// The browser's folders and files, above the name field of the prompt.
    pub(super) fn browser_ui(&mut self, ui: &mut egui::Ui, what: &PathPrompt, name: &mut String) {
        let ext = extensions(what);
        self.browse.refresh(ext);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Places:").weak());
            let mut places: Vec<(String, PathBuf)> = vec![("Home".into(), home())];
            if let Some(p) = self.shared.project.as_ref().and_then(|p| p.path().parent()) {
                places.push(("Project's folder".into(), p.to_owned()));
            }
            for r in self.prefs.recent.iter().filter_map(|r| r.parent()).take(3) {
                let label = r.file_name().map_or_else(
                    || r.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                if !places.iter().any(|(_, p)| p == r) {
                    places.push((label, r.to_owned()));
                }
            }
            for (label, dir) in places {
                if ui
                    .button(label)
                    .on_hover_text(dir.display().to_string())
                    .clicked()
                {
                    self.browse.dir = dir;
                }
            }
        });
        ui.horizontal(|ui| {
            if ui.button("Up").clicked()
                && let Some(p) = self.browse.dir.parent()
            {
                self.browse.dir = p.to_owned();
            }
            ui.label(RichText::new(self.browse.dir.display().to_string()).monospace());
        });
        let mut into = None;
        egui::ScrollArea::vertical()
            .id_salt("file-browser")
            .max_height(260.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.browse.entries.is_empty() {
                    ui.label(RichText::new("No folders or files of this kind here.").weak());
                }
                for (entry, folder) in &self.browse.entries {
                    let label = if *folder {
                        format!("{entry}/")
                    } else {
                        entry.clone()
                    };
                    if ui.selectable_label(*name == *entry, label).clicked() {
                        if *folder {
                            into = Some(self.browse.dir.join(entry));
                        } else {
                            *name = entry.clone();
                        }
                    }
                }
            });
        if let Some(d) = into {
            self.browse.dir = d;
        }
        if !ext.is_empty() {
            ui.label(RichText::new(format!("Shows folders and .{} files", ext.join(", ."))).weak());
        }
    }

    /// The path a typed name stands for: as typed when absolute, else in
    /// the browser's folder.
    pub(super) fn typed_path(&self, typed: &str) -> PathBuf {
        let p = PathBuf::from(typed);
        if p.is_absolute() {
            p
        } else {
            self.browse.dir.join(p)
        }
    }
}

/// The desktop's file dialog. `None` when there is no desktop portal to ask.
pub(super) fn native_dialog(what: &PathPrompt) -> Option<Vec<PathBuf>> {
    if std::env::var_os("STORYLOOM_NO_NATIVE_DIALOGS").is_some()
        || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
    {
        return None;
    }
    let project = ("Storyloom project", &["storyloom"][..]);
    let d = rfd::FileDialog::new();
    Some(match what {
        PathPrompt::NewProject => d
            .add_filter(project.0, project.1)
            .set_file_name("study.storyloom")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::OpenProject => d
            .add_filter(project.0, project.1)
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::ImportFiles => d
            .add_filter(
                "Transcripts and study spreadsheets",
                &[
                    "docx", "odt", "txt", "md", "vtt", "srt", "csv", "xlsx", "json",
                ],
            )
            .pick_files()
            .unwrap_or_default(),
        PathPrompt::ImportParticipants => d
            .add_filter("CSV", &["csv"])
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::ImportRefi => d
            .add_filter("REFI-QDA", &["qdpx", "qdc"])
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportQdpx => d
            .add_filter("REFI-QDA project", &["qdpx"])
            .set_file_name("project-research-team-only.qdpx")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportQdc => d
            .add_filter("REFI-QDA codebook", &["qdc"])
            .set_file_name("codebook.qdc")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportStory
        | PathPrompt::ExportPack { .. }
        | PathPrompt::ExportThemeReport
        | PathPrompt::ExportCodebook { csv: false } => d
            .add_filter("Word", &["docx"])
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportCodebook { csv: true } | PathPrompt::ExportSegments { xlsx: false } => d
            .add_filter("CSV", &["csv"])
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ExportSegments { xlsx: true } => d
            .add_filter("Excel", &["xlsx"])
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::MergeCopy => d
            .add_filter(project.0, project.1)
            .pick_file()
            .into_iter()
            .collect(),
        PathPrompt::SaveCopy => d
            .add_filter(project.0, project.1)
            .set_file_name("copy.storyloom")
            .save_file()
            .into_iter()
            .collect(),
        PathPrompt::ImportWorkshop => d
            .add_filter("Recording sheet", &["docx", "csv"])
            .pick_file()
            .into_iter()
            .collect(),
    })
}
