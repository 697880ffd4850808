//! `storyloom export pack|story-check`, `storyloom pack settings` and
//! `storyloom import-workshop`: the discussion pack and its way back.

use super::pseudonym::key_map;
use super::{open, print_json};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use storyloom_exports::pack::{self, PackVariant};

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
        #[arg(long)]
        json: bool,
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
            json,
        } => {
            let mut p = open(&project)?;
            let mut s = p.pack_settings()?;
            let changing = title.is_some()
                || workshop.is_some()
                || date.is_some()
                || stories.is_some()
                || !questions.is_empty()
                || themes.is_some();
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
                p.save_pack_settings(&s)?;
                s = p.pack_settings()?;
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
    }
}

/// `storyloom export pack PROJECT OUT.docx [--research]`.
pub fn export_pack(
    project: &Path,
    out: &Path,
    research: bool,
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
    let report = pack::export_pack(&p, out, variant, key.as_ref())
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
    if !research {
        println!("  checked: no original name from the pseudonym map is in either file");
    }
    Ok(())
}

/// `storyloom export story-check PROJECT STORY OUT.docx`.
pub fn export_story_check(
    project: &Path,
    story: &str,
    out: &Path,
    key: Option<&Path>,
) -> Result<()> {
    let p = open(project)?;
    let key = key_map(key)?;
    storyloom_exports::story_check::export_story_check(&p, story, out, key.as_ref())
        .with_context(|| format!("exporting {}", out.display()))?;
    println!("wrote {} for the storyteller to check", out.display());
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
        .import_workshop_notes(&file)
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
