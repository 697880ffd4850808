//! Long work off the UI thread: the project moves to a worker thread for the
//! job (SQLite connections are not shared between threads) and comes back
//! when it ends; progress is shown and the job can be cancelled. Cancelling
//! an import keeps every file already committed, as the design asks. An
//! export replaces its target only when whole (`storyloom-atomic`), so a
//! cancelled or failed one leaves the previous file as it was.

use super::shared::Shared;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use storyloom_project::Command;
use storyloom_project::{ImportOptions, ImportOutcome, ImportReport, Project};

/// What a finished job hands back with the project.
enum JobResult {
    Import(storyloom_project::Result<ImportReport>),
    /// An export to `out`: a line to report, or the error.
    Export {
        out: PathBuf,
        result: Result<String, String>,
    },
}

type Outcome = (Project, JobResult);

struct Running {
    title: String,
    progress: Arc<Mutex<(usize, usize, String)>>,
    cancel: Arc<AtomicBool>,
    handle: JoinHandle<Outcome>,
}

#[derive(Default)]
pub struct Jobs {
    running: Option<Running>,
    /// Codings spreadsheets chosen with transcripts: imported when the
    /// transcript import ends (their rows point into those transcripts).
    pub after_import: Vec<PathBuf>,
}

/// Imports a participants, codebook or codings CSV (`Project::import_csv`,
/// as `storyloom import` does) and says what went in and which rows did not.
pub fn import_study_csv(sh: &mut Shared, file: &Path) {
    let Some(r) = sh
        .apply(Command::ImportCsv {
            path: file.to_path_buf(),
            create_codes: false,
        })
        .and_then(|a| a.csv_imported().ok())
    else {
        return;
    };
    if r.problems.is_empty() {
        sh.info(format!(
            "Imported {} ({}): {}",
            r.file,
            r.kind.as_str(),
            r.summary
        ));
    } else {
        let shown: Vec<String> = r
            .problems
            .iter()
            .take(5)
            .map(|x| format!("row {}: {}", x.row, x.reason))
            .collect();
        sh.error(format!(
            "Imported {} ({}): {}; {} rows not imported: {}{}",
            r.file,
            r.kind.as_str(),
            r.summary,
            r.problems.len(),
            shown.join("; "),
            if r.problems.len() > 5 { " …" } else { "" }
        ));
    }
}

impl Jobs {
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// (title, done, total, current file) of the running job.
    pub fn progress(&self) -> Option<(String, usize, usize, String)> {
        let r = self.running.as_ref()?;
        let p = r.progress.lock().ok()?;
        Some((r.title.clone(), p.0, p.1, p.2.clone()))
    }

    pub fn cancel(&self) {
        if let Some(r) = &self.running {
            r.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Starts importing files on a worker thread.
    pub fn start_import(&mut self, sh: &mut Shared, files: Vec<PathBuf>) {
        if self.busy() {
            sh.error("An import is already running; wait for it or cancel it.");
            return;
        }
        let Some(mut project) = sh.project.take() else {
            sh.error("Open or create a project before importing files.");
            return;
        };
        let progress = Arc::new(Mutex::new((0, files.len(), String::new())));
        let cancel = Arc::new(AtomicBool::new(false));
        let (p2, c2) = (progress.clone(), cancel.clone());
        let handle = std::thread::spawn(move || {
            let report = project
                .apply_watched(
                    Command::ImportFiles {
                        paths: files,
                        threads: ImportOptions::default().threads,
                    },
                    &c2,
                    &mut |done, total, file| {
                        if let Ok(mut p) = p2.lock() {
                            *p = (done, total, file.to_owned());
                        }
                    },
                )
                .and_then(|a| a.imported());
            (project, JobResult::Import(report))
        });
        self.running = Some(Running {
            title: "Importing".into(),
            progress,
            cancel,
            handle,
        });
    }

    /// Runs an export to `out` on a worker thread. `work` writes the file
    /// and returns a line for the notification area.
    pub fn start_export(
        &mut self,
        sh: &mut Shared,
        title: &str,
        out: PathBuf,
        work: impl FnOnce(&Project, &Path) -> Result<String, String> + Send + 'static,
    ) {
        if self.busy() {
            sh.error("Another job is running; wait for it or cancel it.");
            return;
        }
        let Some(project) = sh.project.take() else {
            sh.error("Open or create a project first.");
            return;
        };
        let progress = Arc::new(Mutex::new((0, 0, out.display().to_string())));
        let cancel = Arc::new(AtomicBool::new(false));
        let handle = std::thread::spawn(move || {
            let result = work(&project, &out);
            (project, JobResult::Export { out, result })
        });
        self.running = Some(Running {
            title: title.to_owned(),
            progress,
            cancel,
            handle,
        });
    }

    /// Imports on this thread (used by tests).
    #[cfg(test)]
    pub fn import_blocking(&mut self, sh: &mut Shared, files: Vec<PathBuf>) {
        let report = sh
            .apply(Command::ImportFiles {
                paths: files,
                threads: ImportOptions::default().threads,
            })
            .and_then(|a| a.imported().ok());
        if let Some(r) = report {
            report_import(sh, r);
        }
    }

    /// Takes the project back when the job has ended, and reports.
    pub fn poll(&mut self, sh: &mut Shared) {
        if !self
            .running
            .as_ref()
            .is_some_and(|r| r.handle.is_finished())
        {
            return;
        }
        let Some(r) = self.running.take() else { return };
        let cancelled = r.cancel.load(Ordering::Relaxed);
        match r.handle.join() {
            Ok((project, result)) => {
                sh.project = Some(project);
                sh.revision += 1;
                match result {
                    JobResult::Import(Ok(report)) => {
                        report_import(sh, report);
                        for f in std::mem::take(&mut self.after_import) {
                            import_study_csv(sh, &f);
                        }
                    }
                    JobResult::Import(Err(e)) => {
                        self.after_import.clear();
                        sh.error(e.to_string())
                    }
                    JobResult::Export {
                        result: Ok(line), ..
                    } if cancelled => {
                        sh.info(format!("The export had finished before it could be cancelled. {line}"))
                    }
                    JobResult::Export { out, .. } if cancelled => {
                        sh.info(format!("Cancelled; {} was not changed", out.display()));
                    }
                    JobResult::Export {
                        out,
                        result: Ok(line),
                    } => sh.done(line, out),
                    JobResult::Export {
                        out,
                        result: Err(e),
                    } => sh.error(format!("{}: {e}", out.display())),
                }
            }
            Err(_) => sh.error(
                "The import stopped unexpectedly; files committed before it stopped are in the project. Reopen the project to continue.",
            ),
        }
    }

    /// Waits for the running job (tests).
    #[cfg(test)]
    pub fn wait(&mut self, sh: &mut Shared) {
        while self.busy() {
            std::thread::sleep(std::time::Duration::from_millis(10));
            self.poll(sh);
        }
    }
}

fn report_import(sh: &mut Shared, report: ImportReport) {
    for o in report.outcomes {
        match o {
            ImportOutcome::Imported {
                file,
                speakers,
                turns,
                words,
                speech_percent,
                non_speech_words,
                confidence,
                ..
            } => sh.info(format!(
                "Imported {file}: {speakers} speakers, {turns} turns, {words} words; {speech_percent}% of words in speaker turns, {non_speech_words} kept as non-speech; speakers {} confidence: {}",
                confidence.level(),
                confidence.reason
            )),
            ImportOutcome::Duplicate { file, existing } => {
                sh.info(format!("{file} is already in the project as {existing}"))
            }
            ImportOutcome::Failed { file, error } => {
                sh.error(format!("Could not import {file}: {error}"))
            }
            ImportOutcome::Cancelled { file } => sh.info(format!("Cancelled {file}")),
        }
    }
}
