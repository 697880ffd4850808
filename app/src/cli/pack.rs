//! `storyloom export pack|story-check`, `storyloom pack settings` and
//! `storyloom import-workshop`: the discussion pack and its way back.

use super::pseudonym::key_map;
use super::{open, print_json};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use storyloom_exports::pack::{self, PackOptions, PackVariant};
use storyloom_exports::story_docx::layout;
use storyloom_project::Command as Cmd;

#[derive(Subcommand)]
pub enum PackCommand {
    /// Show or change the pack settings (title, workshop, date, stories, questions).
    Settings {
        project: PathBuf,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        workshop: Option<String>,
        /// The workshop date, YYYY-MM-DD ("" to clear).
        #[arg(long)]
        date: Option<String>,
        /// The stories in pack order: ids, participant ids or titles, comma-separated ("" = every approved story).
        #[arg(long)]
        stories: Option<String>,
        /// A discussion question (repeat; replaces the list).
        #[arg(long = "question")]
        questions: Vec<String>,
        /// Add the researchers' emerging themes after the stories.
        #[arg(long)]
        themes: Option<bool>,
        /// Printed on both sides: each story starts on an odd page.
        #[arg(long)]
        double_sided: Option<bool>,
        /// Add the facilitator's page (agenda, support contacts).
        #[arg(long)]
        facilitator: Option<bool>,
        /// An agenda line with its timing (repeat; replaces the list).
        #[arg(long = "agenda")]
        agenda: Vec<String>,
        /// A support contact for the facilitator's page (repeat; replaces the list).
        #[arg(long = "support")]
        support: Vec<String>,
        /// The language of the pack (BCP 47, e.g. en-GB).
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show or change what the story for checking says: the researcher, how
    /// to reach them, and how many days the storyteller has to reply.
    CheckSettings {
        project: PathBuf,
        #[arg(long)]
        researcher: Option<String>,
        #[arg(long)]
        contact: Option<String>,
        #[arg(long)]
        return_days: Option<u32>,
    },
}

pub fn run_pack(cmd: PackCommand) -> Result<()> {
    match cmd {
        PackCommand::Settings {
            project,
            title,
            workshop,
            date,
            stories,
            questions,
            themes,
            double_sided,
            facilitator,
            agenda,
            support,
            language,
            json,
        } => {
            let mut p = open(&project)?;
            let base = p.pack_settings()?;
            let mut s = base.clone();
            let changing = title.is_some()
                || workshop.is_some()
                || date.is_some()
                || stories.is_some()
                || !questions.is_empty()
                || themes.is_some()
                || double_sided.is_some()
                || facilitator.is_some()
                || !agenda.is_empty()
                || !support.is_empty()
                || language.is_some();
            if let Some(d) = double_sided {
                s.double_sided = d;
            }
            if let Some(f) = facilitator {
                s.facilitator_page = f;
            }
            if !agenda.is_empty() {
                s.agenda = agenda;
            }
            if !support.is_empty() {
                s.support_contacts = support;
            }
            if let Some(l) = language {
                s.language = l;
            }
            if let Some(t) = title {
                s.title = t;
            }
            if let Some(w) = workshop {
                s.workshop = w;
            }
            if let Some(d) = date {
                s.date = d;
            }
            if let Some(list) = stories {
                s.stories = list
                    .split(',')
                    .map(|k| k.trim().to_owned())
                    .filter(|k| !k.is_empty())
                    .collect();
            }
            if !questions.is_empty() {
                s.questions = questions;
            }
            if let Some(t) = themes {
                s.include_themes = t;
            }
            if changing {
                // Only the fields given are saved, onto the settings as they
                // are inside the write transaction.
                s = p
                    .apply(Cmd::UpdatePackSettings {
                        base: Box::new(base.clone()),
                        edited: Box::new(s.clone()),
                    })?
                    .pack_settings()?;
            }
            if json {
                return print_json(&s);
            }
            println!("title:     {}", s.title);
            println!("workshop:  {}", s.workshop);
            println!(
                "date:      {}",
                if s.date.is_empty() { "-" } else { &s.date }
            );
            println!("themes:    {}", if s.include_themes { "yes" } else { "no" });
            println!(
                "sides:     {}",
                if s.double_sided {
                    "double-sided"
                } else {
                    "single-sided"
                }
            );
            println!("language:  {}", s.language);
            println!(
                "facilitator page: {}",
                if s.facilitator_page { "yes" } else { "no" }
            );
            if s.stories.is_empty() {
                println!("stories:   every approved story");
            } else {
                println!("stories:");
                for (i, k) in s.stories.iter().enumerate() {
                    let t = p.story(k).map(|st| st.title).unwrap_or_else(|_| k.clone());
                    println!("  {}. {t}", i + 1);
                }
            }
            println!("questions:");
            for (i, q) in s.questions.iter().enumerate() {
                println!("  {}. {q}", i + 1);
            }
            Ok(())
        }
        PackCommand::CheckSettings {
            project,
            researcher,
            contact,
            return_days,
        } => {
            let mut p = open(&project)?;
            let base = p.story_check_settings()?;
            let mut s = base.clone();
            let changing = researcher.is_some() || contact.is_some() || return_days.is_some();
            if let Some(r) = researcher {
                s.researcher = r;
            }
            if let Some(c) = contact {
                s.contact = c;
            }
            if let Some(d) = return_days {
                s.return_days = d;
            }
            if changing {
                s = p
                    .apply(Cmd::UpdateStoryCheckSettings {
                        base: Box::new(base.clone()),
                        edited: Box::new(s.clone()),
                    })?
                    .story_check_settings()?;
            }
            println!(
                "researcher:  {}",
                if s.researcher.is_empty() {
                    "-"
                } else {
                    &s.researcher
                }
            );
            println!(
                "contact:     {}",
                if s.contact.is_empty() {
                    "-"
                } else {
                    &s.contact
                }
            );
            println!("reply within {} days", s.return_days);
            Ok(())
        }
    }
}

/// `storyloom export pack PROJECT OUT.docx [--research] [--large-print]`.
pub fn export_pack(
    project: &Path,
    out: &Path,
    research: bool,
    large_print: bool,
    key: Option<&Path>,
    json: bool,
) -> Result<()> {
    let p = open(project)?;
    let key = key_map(key)?;
    let variant = if research {
        PackVariant::Research
    } else {
        PackVariant::Stakeholder
    };
    let settings = p.pack_settings()?;
    let report = pack::export_pack_options(
        &p,
        &settings,
        out,
        PackOptions {
            variant,
            large_print,
        },
        key.as_ref(),
    )
    .with_context(|| format!("exporting the pack {}", out.display()))?;
    if json {
        return print_json(&report);
    }
    println!(
        "wrote {} ({} stories{}) and the recording sheet {}",
        report.docx.display(),
        report.stories.len(),
        if report.themes > 0 {
            format!(", {} themes", report.themes)
        } else {
            String::new()
        },
        report.csv.display()
    );
    if let Some(lp) = &report.large_print {
        println!("  large print: {}", lp.display());
    }
    for l in &report.left_out {
        println!("  left out '{}': {}", l.story, l.reason);
    }
    if let Some(c) = &report.checked {
        println!("  checked every part of every file written: {c}");
    } else if research {
        println!(
            "  research team only (so marked on the cover, in the file name and in the document properties): the sources of the excerpts are in it, and any name not yet reviewed; not checked by the privacy gate"
        );
    }
    println!("  the pack says: {}", report.names_statement);
    Ok(())
}

/// `storyloom export story-check PROJECT STORY OUT.docx [--large-print]`.
pub fn export_story_check(
    project: &Path,
    story: &str,
    out: &Path,
    large_print: bool,
    key: Option<&Path>,
) -> Result<()> {
    let p = open(project)?;
    let key = key_map(key)?;
    let look = if large_print {
        layout::LARGE_PRINT
    } else {
        layout::STANDARD
    };
    let d = storyloom_exports::story_check::export_story_check_with(
        &p,
        story,
        out,
        key.as_ref(),
        &look,
    )
    .with_context(|| format!("exporting {}", out.display()))?;
    println!(
        "wrote {} for the storyteller to check: revision {}, addressed to them by the name they go by, reply by {}",
        out.display(),
        d.revision,
        d.reply_by
    );
    println!(
        "  checked every part of the file: {} (the storyteller's and the researcher's names may appear in the note only)",
        d.checked
    );
    println!("  the note says: {}", d.names_statement);
    Ok(())
}

#[derive(Args)]
pub struct ImportWorkshopArgs {
    project: PathBuf,
    file: PathBuf,
    #[arg(long)]
    json: bool,
}

/// `storyloom import-workshop PROJECT FILE`.
pub fn import_workshop(
    ImportWorkshopArgs {
        project,
        file,
        json,
    }: ImportWorkshopArgs,
) -> Result<()> {
    let mut p = open(&project)?;
    let r = p
        .apply(Cmd::ImportWorkshopNotes {
            path: file.to_path_buf(),
        })
        .and_then(|a| a.workshop_imported())
        .with_context(|| format!("importing {}", file.display()))?;
    if json {
        return print_json(&r);
    }
    println!(
        "imported {} workshop notes ({}) from {}; {} blank rows",
        r.imported,
        r.workshop,
        file.display(),
        r.blank
    );
    for u in &r.unmatched {
        println!("  no story matches '{u}'");
    }
    Ok(())
}
