//! `storyloom export qdpx|qdc` and the REFI-QDA side of `storyloom import`.

use super::{USER, open, print_json};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use storyloom_project::Command as Cmd;
use storyloom_project::Project;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The whole project as a REFI-QDA project exchange file (.qdpx), for
    /// NVivo, ATLAS.ti, MAXQDA, QualCoder: codebook, documents, codings,
    /// participants as cases with their attributes, memos, themes as sets.
    /// Research team only: it holds the transcripts with real names, so it
    /// is written as NAME-research-team-only.qdpx (unless the name says so).
    Qdpx {
        project: PathBuf,
        /// The .qdpx file to write (`-research-team-only` is added to its name).
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The codebook (codes and themes) as a REFI-QDA codebook file (.qdc).
    Qdc {
        project: PathBuf,
        /// The .qdc file to write.
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The stakeholder discussion pack (.docx) and its recording sheet
    /// template (<name>-recording-sheet.csv), from the pack settings.
    Pack {
        project: PathBuf,
        /// The .docx file to write.
        out: PathBuf,
        /// The research team's copy: each excerpt's source under it.
        #[arg(long)]
        research: bool,
        /// Also a large-print copy (<name>-large-print.docx): 16 pt, 1.5 lines.
        #[arg(long)]
        large_print: bool,
        /// The pseudonym key file, when the map is kept apart from the project.
        #[arg(long)]
        key: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// One story as a .docx for its storyteller to check: a covering note,
    /// room for comments, then the story.
    StoryCheck {
        project: PathBuf,
        /// The story: id, participant id or title.
        story: String,
        /// The .docx file to write.
        out: PathBuf,
        /// Large print: 16 pt, 1.5 lines, no italics.
        #[arg(long)]
        large_print: bool,
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// The theme report (.docx): per theme its definition, codes, quotes
    /// (pseudonymised, key quotes first) and counts by participant group.
    ThemeReport {
        project: PathBuf,
        /// The .docx file to write.
        out: PathBuf,
        /// The participant attribute to count by.
        #[arg(long)]
        group_by: Option<String>,
        /// Quotes per theme.
        #[arg(long)]
        quotes: Option<usize>,
        /// The pseudonym key file, when the map is kept apart.
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// The codebook with definitions and counts (.docx or .csv).
    Codebook {
        project: PathBuf,
        out: PathBuf,
        #[arg(long, value_enum, default_value = "docx")]
        format: super::reports::CodebookFormat,
        /// CSV without the UTF-8 byte order mark (Excel needs it; some scripts do not want it).
        #[arg(long)]
        no_bom: bool,
    },
    /// The coded segments, one row per coding, pseudonymised (.csv or .xlsx).
    Segments {
        project: PathBuf,
        out: PathBuf,
        #[arg(long, value_enum, default_value = "xlsx")]
        format: super::reports::SegmentsFormat,
        /// The pseudonym key file, when the map is kept apart.
        #[arg(long)]
        key: Option<PathBuf>,
        /// CSV without the UTF-8 byte order mark (Excel needs it; some scripts do not want it).
        #[arg(long)]
        no_bom: bool,
    },
}

pub fn run_export(cmd: ExportCommand) -> Result<()> {
    let (project, out, json, qdc) = match cmd {
        ExportCommand::ThemeReport {
            project,
            out,
            group_by,
            quotes,
            key,
        } => {
            return super::reports::theme_report(&project, &out, group_by, quotes, key.as_deref());
        }
        ExportCommand::Codebook {
            project,
            out,
            format,
            no_bom,
        } => return super::reports::codebook(&project, &out, format, no_bom),
        ExportCommand::Segments {
            project,
            out,
            format,
            key,
            no_bom,
        } => return super::reports::segments(&project, &out, format, key.as_deref(), no_bom),
        ExportCommand::Qdpx { project, out, json } => (project, out, json, false),
        ExportCommand::Qdc { project, out, json } => (project, out, json, true),
        ExportCommand::Pack {
            project,
            out,
            research,
            large_print,
            key,
            json,
        } => {
            return super::pack::export_pack(
                &project,
                &out,
                research,
                large_print,
                key.as_deref(),
                json,
            );
        }
        ExportCommand::StoryCheck {
            project,
            story,
            out,
            large_print,
            key,
        } => {
            return super::pack::export_story_check(
                &project,
                &story,
                &out,
                large_print,
                key.as_deref(),
            );
        }
    };
    let p = open(&project)?;
    let (out, report) = if qdc {
        storyloom_exports::refi::export_qdc(&p, &out).map(|r| (out.clone(), r))
    } else {
        // Research team only: so named, unless the name says so already.
        storyloom_exports::refi::export_research_qdpx(&p, &out)
    }
    .with_context(|| format!("exporting {}", out.display()))?;
    if json {
        return print_json(&report);
    }
    if qdc {
        println!(
            "wrote {}: {} codes, {} themes",
            out.display(),
            report.codes,
            report.sets
        );
    } else {
        println!(
            "wrote {}: {} codes, {} documents, {} codings on {} selections, {} participants, {} memos, {} themes",
            out.display(),
            report.codes,
            report.sources,
            report.codings,
            report.selections,
            report.cases,
            report.notes,
            report.sets
        );
    }
    for r in &report.remarks {
        println!("  note: {r}");
    }
    Ok(())
}

/// Is this a REFI-QDA file (`.qdpx` or `.qdc`)?
pub fn is_refi(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx") || e.eq_ignore_ascii_case("qdc"))
}

/// `storyloom import PROJECT FILE.qdpx|FILE.qdc`: creates the project when
/// it does not exist; each file is one action.
pub fn run_refi_import(project: &Path, files: &[PathBuf], json: bool) -> Result<ExitCode> {
    if let Some(other) = files.iter().find(|f| !is_refi(f)) {
        anyhow::bail!(
            "{}: import REFI-QDA files (.qdpx, .qdc) on their own, transcripts in another `storyloom import`",
            other.display()
        );
    }
    let created = !project.exists();
    let mut p = if !created {
        open(project)?
    } else {
        let mut p = Project::create(project)?;
        if let Some(user) = USER.get() {
            p.set_actor(user);
        }
        p
    };
    let mut reports = Vec::new();
    for file in files {
        let r = match p
            .apply(Cmd::ImportRefi {
                path: file.to_path_buf(),
            })
            .and_then(|a| a.refi_imported())
        {
            Ok(r) => r,
            Err(e) => {
                if created && reports.is_empty() {
                    // Nothing was imported: do not leave an empty project behind.
                    drop(p);
                    for suffix in ["", "-wal", "-shm"] {
                        let mut f = project.as_os_str().to_owned();
                        f.push(suffix);
                        let _ = std::fs::remove_file(f);
                    }
                }
                // The error names the file and the problem; its source is already in it.
                return Err(anyhow::anyhow!("{e}"));
            }
        };
        if created && reports.is_empty() && !json {
            println!("created {}", project.display());
        }
        if !json {
            println!(
                "imported  {}{}: {} codes new ({} already there), {} documents, {} of {} selections ({} codings), {} participants, {} memos, {} themes",
                r.file,
                if r.origin.is_empty() {
                    String::new()
                } else {
                    format!(" from {}", r.origin)
                },
                r.codes_created,
                r.codes_existing,
                r.documents_created.len() + r.documents_existing.len(),
                r.selections_imported,
                r.selections_total,
                r.codings_imported,
                r.participants_created.len() + r.participants_updated.len(),
                r.memos,
                r.themes.len()
            );
            if !r.coders.is_empty() {
                println!("          coders: {}", r.coders.join(", "));
            }
            for s in &r.sources_skipped {
                println!("          source not imported: {s}");
            }
            for s in r.skipped.iter().take(20) {
                println!("          skipped: {s}");
            }
            if r.skipped.len() > 20 {
                println!(
                    "          … and {} more skipped (see --json)",
                    r.skipped.len() - 20
                );
            }
            if r.names_mismatched > 0 {
                println!(
                    "          {} of {} selections compared with their names hold other text in every way of counting; check them{}",
                    r.names_mismatched,
                    r.names_checked,
                    if r.names_mismatched > r.name_mismatches.len() {
                        format!(" (first {} below, all in --json)", r.name_mismatches.len())
                    } else {
                        String::new()
                    }
                );
            }
            for m in &r.name_mismatches {
                println!("          selection text differs from its name: {m}");
            }
            for n in &r.notes {
                println!("          note: {n}");
            }
        }
        reports.push(r);
    }
    if json {
        print_json(&reports)?;
    }
    Ok(ExitCode::SUCCESS)
}
