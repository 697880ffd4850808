//! `storyloom story ...`: stories (draft, show, check, approval) through the
//! same `Project` API as the window. `story check` exits with 2 when the
//! checker finds errors.

use super::pseudonym::key_map;

use super::{open, print_json};
use anyhow::{Result, bail};
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use storyloom_project::stories::{
    CheckReport, ParagraphKind, RenderedStory, Severity, StoryStatus,
};

#[derive(Subcommand)]
pub enum StoryCommand {
    /// The project's stories: participant, status, revision, title.
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Auto-draft a story for a participant from their own turns.
    Draft {
        project: PathBuf,
        /// Participant id, name or pseudonym.
        participant: String,
        #[arg(long)]
        json: bool,
    },
    /// Create an empty story for a participant.
    New {
        project: PathBuf,
        participant: String,
        #[arg(long, default_value = "")]
        title: String,
    },
    /// Print a story as readers will see it (pseudonyms applied) and its status.
    Show {
        project: PathBuf,
        /// Story id (or prefix), its participant's id, or its title.
        story: String,
        /// The pseudonym key file, when the map is kept apart from the project.
        #[arg(long)]
        key: Option<PathBuf>,
        /// Show the original words (research team only).
        #[arg(long)]
        research: bool,
        #[arg(long)]
        json: bool,
    },
    /// Run the fidelity checker (all stories when none is named); exits 2 on errors.
    Check {
        project: PathBuf,
        story: Option<String>,
        /// Also the export rule: approved and unchanged since.
        #[arg(long)]
        export: bool,
        #[arg(long)]
        key: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Set the title, pseudonym or role line.
    Set {
        project: PathBuf,
        story: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        pseudonym: Option<String>,
        #[arg(long)]
        role_line: Option<String>,
    },
    /// Set the status: draft, ready, sent, changes or withdrawn.
    Status {
        project: PathBuf,
        story: String,
        status: String,
    },
    /// Record that the story was sent to the storyteller.
    Sent {
        project: PathBuf,
        story: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Record the storyteller's approval of the current revision.
    Approve {
        project: PathBuf,
        story: String,
        /// How it was given: "by phone", "email", "in person"...
        #[arg(long)]
        how: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        key: Option<PathBuf>,
    },
}

fn print_story(r: &RenderedStory) {
    println!("{}", r.title);
    if !r.role_line.is_empty() {
        println!("{}", r.role_line);
    }
    for p in &r.paragraphs {
        println!();
        match p.kind {
            ParagraphKind::Framing => println!("_{}_", p.text()),
            ParagraphKind::Excerpt => println!("{}", p.text()),
        }
    }
}

fn print_report(title: &str, r: &CheckReport) {
    let (e, w) = (r.errors().count(), r.warnings().count());
    println!("{title}: {e} error(s), {w} warning(s)");
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = match f.block {
            Some(b) => format!("block {} chars {}..{}", b + 1, f.start, f.end),
            None => "story".to_owned(),
        };
        println!("  {sev:7} rule {} ({place}): {}", f.rule, f.message);
    }
}

pub fn run_story(cmd: StoryCommand) -> Result<ExitCode> {
    match cmd {
        StoryCommand::List { project, json } => {
            let p = open(&project)?;
            let list = p.stories()?;
            if json {
                print_json(&list)?;
            } else {
                for s in list {
                    println!(
                        "{}  {:6} {:9} rev {:3}  {}",
                        &s.uuid[..8],
                        s.participant.as_deref().unwrap_or("-"),
                        s.status.as_str(),
                        s.revision,
                        s.title
                    );
                }
            }
        }
        StoryCommand::Draft {
            project,
            participant,
            json,
        } => {
            let mut p = open(&project)?;
            let id = p.draft_story(&participant)?;
            let r = p.render_story_research(&id)?;
            let report = p.check_story(&id, None)?;
            if json {
                print_json(
                    &json!({ "story": id, "words": r.words, "blocks": r.paragraphs.len(), "check": report }),
                )?;
            } else {
                println!(
                    "drafted story {} for {participant}: {} words in {} blocks; checker: {} error(s), {} warning(s)",
                    &id[..8],
                    r.words,
                    r.paragraphs.len(),
                    report.errors().count(),
                    report.warnings().count()
                );
            }
        }
        StoryCommand::New {
            project,
            participant,
            title,
        } => {
            let mut p = open(&project)?;
            let id = p.create_story(&participant, &title)?;
            println!("created story {id}");
        }
        StoryCommand::Show {
            project,
            story,
            key,
            research,
            json,
        } => {
            let p = open(&project)?;
            let k = key_map(key.as_deref())?;
            let r = if research {
                p.render_story_research(&story)?
            } else {
                p.render_story(&story, k.as_ref())?
            };
            let s = p.story(&story)?;
            if json {
                print_json(
                    &json!({ "story": r, "status": s.status, "approval": s.approval, "sent_on": s.sent_on, "themes": s.themes }),
                )?;
            } else {
                print_story(&r);
                println!();
                let mut status = format!(
                    "status: {}, revision {}, {} words",
                    s.status.as_str(),
                    s.revision,
                    r.words
                );
                if let Some(a) = &s.approval {
                    status.push_str(&format!(
                        "; approved {} on {} (revision {})",
                        a.how, a.date, a.revision
                    ));
                }
                if let Some(d) = &s.sent_on {
                    status.push_str(&format!("; sent on {d}"));
                }
                if research {
                    status.push_str("; RESEARCH VIEW: original names shown");
                }
                println!("{status}");
            }
        }
        StoryCommand::Check {
            project,
            story,
            export,
            key,
            json,
        } => {
            let p = open(&project)?;
            let k = key_map(key.as_deref())?;
            let keys: Vec<String> = match story {
                Some(s) => vec![s],
                None => p.stories()?.into_iter().map(|s| s.uuid).collect(),
            };
            let mut reports = Vec::new();
            for s in &keys {
                let r = if export {
                    p.check_story_for_export(s, k.as_ref())?
                } else {
                    p.check_story(s, k.as_ref())?
                };
                reports.push((p.story(s)?.title, r));
            }
            let errors = reports.iter().any(|r| r.1.has_errors());
            if json {
                print_json(&reports.iter().map(|r| &r.1).collect::<Vec<_>>())?;
            } else {
                for (title, r) in &reports {
                    print_report(title, r);
                }
            }
            if errors {
                return Ok(ExitCode::from(2));
            }
        }
        StoryCommand::Set {
            project,
            story,
            title,
            pseudonym,
            role_line,
        } => {
            let mut p = open(&project)?;
            if title.is_none() && pseudonym.is_none() && role_line.is_none() {
                bail!("give --title, --pseudonym or --role-line");
            }
            if let Some(t) = title {
                p.set_story_title(&story, &t)?;
            }
            if let Some(t) = pseudonym {
                p.set_story_pseudonym(&story, &t)?;
            }
            if let Some(t) = role_line {
                p.set_story_role_line(&story, &t)?;
            }
            println!("updated");
        }
        StoryCommand::Status {
            project,
            story,
            status,
        } => {
            let mut p = open(&project)?;
            let Some(st) = StoryStatus::parse(&status) else {
                bail!("unknown status '{status}' (draft, ready, sent, changes, withdrawn)");
            };
            p.set_story_status(&story, st)?;
            println!("status: {}", st.as_str());
        }
        StoryCommand::Sent {
            project,
            story,
            date,
        } => {
            let mut p = open(&project)?;
            p.record_story_sent(&story, date.as_deref())?;
            println!("recorded as sent");
        }
        StoryCommand::Approve {
            project,
            story,
            how,
            date,
            key,
        } => {
            let mut p = open(&project)?;
            let k = key_map(key.as_deref())?;
            p.approve_story(&story, &how, date.as_deref(), k.as_ref())?;
            let s = p.story(&story)?;
            println!("approved {how} (revision {})", s.revision);
        }
    }
    Ok(ExitCode::SUCCESS)
}
