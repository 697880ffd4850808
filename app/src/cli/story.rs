//! `storyloom story ...`: stories (draft, show, check, approval) through the
//! same `Project` API as the window. `story check` exits with 2 when the
//! checker finds errors.

use super::pseudonym::key_map;
use storyloom_project::Command as Cmd;

mod edit;
mod quality;

use super::{open, print_json};
use anyhow::{Result, bail};
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use storyloom_project::stories::consent::{ConsentRecord, ConsentScope, FeedbackKind, SendMethod};
use storyloom_project::stories::{
    CheckReport, ParagraphKind, RenderedStory, Severity, Story, StoryStatus,
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
    #[command(flatten)]
    Edit(edit::EditCommand),
    /// Does each story read as a story? Blocks and lengths, mid-sentence
    /// endings, unmarked gaps, unresolved openings, words to the interviewer,
    /// key quotes kept whole, the arc, the title (all stories, or one participant's).
    Quality {
        project: PathBuf,
        /// Participant id, name or pseudonym.
        participant: Option<String>,
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
        #[arg(long)]
        json: bool,
    },
    /// Set the status: draft, ready, sent, changes or withdrawn.
    Status {
        project: PathBuf,
        story: String,
        status: String,
    },
    /// Record that a revision of the story went to the storyteller, and how.
    Sent {
        project: PathBuf,
        story: String,
        /// post, email, in-person or read-aloud.
        #[arg(long)]
        how: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// The revision sent (default: the current one).
        #[arg(long)]
        revision: Option<i64>,
    },
    /// Record the storyteller's approval of the revision they were sent.
    Approve {
        project: PathBuf,
        story: String,
        /// How it was given: "by phone", "email", "in person"...
        #[arg(long)]
        how: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// The revision approved (must be the current one, and sent).
        #[arg(long)]
        revision: Option<i64>,
        /// What they agreed it may be used for: workshop, report, publication, audio, quotes.
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Record the storyteller's comment, or a change they asked for.
    Feedback {
        project: PathBuf,
        story: String,
        /// Their words.
        text: String,
        /// A change they asked for (puts the story into "changes requested").
        #[arg(long)]
        change: bool,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Mark a requested change as made (or, with --open, not yet).
    Done {
        project: PathBuf,
        story: String,
        /// The change's id (or its first characters, see `story consent`).
        feedback: String,
        #[arg(long)]
        open: bool,
    },
    /// Show, or record with --scope, what the storyteller agreed the story may be used for.
    Consent {
        project: PathBuf,
        story: String,
        /// workshop, report, publication, audio, quotes (comma-separated; "" = none).
        #[arg(long)]
        scope: Option<String>,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The name a participant goes by (for the covering note of their story).
    KnownAs {
        project: PathBuf,
        participant: String,
        name: String,
    },
}

fn print_consent(s: &Story, c: &ConsentRecord) {
    for x in &c.sendings {
        println!(
            "  sent {}: {} ({})",
            x.date,
            x.revision
                .map(|r| format!("revision {r}"))
                .unwrap_or_else(|| "revision not recorded".into()),
            x.how.map(|h| h.as_str()).unwrap_or("how not recorded")
        );
    }
    if let Some(a) = &s.approval {
        println!("  approved {}: revision {} ({})", a.date, a.revision, a.how);
    }
    for f in &c.feedback {
        let kind = match (f.kind, f.done) {
            (FeedbackKind::Comment, _) => "comment".to_owned(),
            (FeedbackKind::Change, false) => "requested change (open)".to_owned(),
            (FeedbackKind::Change, true) => "requested change (made)".to_owned(),
        };
        println!("  {} {} [{}]: {}", f.date, kind, &f.uuid[..8], f.text);
    }
    match &c.scopes {
        None => println!("  consent scope: not recorded"),
        Some(v) if v.is_empty() => println!("  consent scope: no use beyond checking"),
        Some(v) => println!(
            "  consent scope: {} (recorded {})",
            v.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", "),
            c.scopes_on.as_deref().unwrap_or("-")
        ),
    }
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
            let id = p
                .apply(Cmd::DraftStory {
                    participant: participant.to_owned(),
                })?
                .id()?;
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
                println!("  title: {}", r.title);
                let q = p.story_quality(&id)?;
                if !q.title_alternatives.is_empty() {
                    println!("  other titles: {}", q.title_alternatives.join(" | "));
                }
                if !r.role_line.is_empty() {
                    println!("  role line: {}", r.role_line);
                }
            }
        }
        StoryCommand::Edit(cmd) => edit::run(cmd)?,
        StoryCommand::Quality {
            project,
            participant,
            json,
        } => quality::run(&project, participant.as_deref(), json)?,
        StoryCommand::New {
            project,
            participant,
            title,
        } => {
            let mut p = open(&project)?;
            let id = p
                .apply(Cmd::CreateStory {
                    participant: participant.to_owned(),
                    title: title.to_owned(),
                })?
                .id()?;
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
                print_consent(&s, &p.story_consent(&story)?);
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
            json,
        } => {
            let mut p = open(&project)?;
            if title.is_none() && pseudonym.is_none() && role_line.is_none() {
                bail!("give --title, --pseudonym or --role-line");
            }
            // One change and one history entry for all the fields given.
            p.apply(Cmd::SetStoryFields {
                story: story.to_owned(),
                title: title.clone(),
                pseudonym: pseudonym.clone(),
                role_line: role_line.clone(),
            })?;
            let s = p.story(&story)?;
            if json {
                print_json(&json!({
                    "story": s.uuid, "revision": s.revision, "title": s.title,
                    "pseudonym": s.pseudonym, "role_line": s.role_line,
                    "title_flags": storyloom_project::stories::title_flags(&s.title),
                }))?;
            } else {
                println!(
                    "updated (revision {}): “{}”, {}",
                    s.revision, s.title, s.role_line
                );
                for f in storyloom_project::stories::title_flags(&s.title) {
                    println!("  title: {f}");
                }
            }
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
            p.apply(Cmd::SetStoryStatus {
                story: story.to_owned(),
                status: st,
            })?;
            println!("status: {}", st.as_str());
        }
        StoryCommand::Sent {
            project,
            story,
            how,
            date,
            revision,
        } => {
            let mut p = open(&project)?;
            let Some(method) = SendMethod::parse(&how) else {
                bail!("unknown way of sending '{how}' (post, email, in-person, read-aloud)");
            };
            let r = p
                .apply(Cmd::RecordStorySent {
                    story: story.to_owned(),
                    how: method,
                    date: date.clone(),
                    revision,
                })?
                .number()?;
            println!("recorded: revision {r} sent ({})", method.as_str());
        }
        StoryCommand::Approve {
            project,
            story,
            how,
            date,
            revision,
            scope,
            key,
        } => {
            let mut p = open(&project)?;
            let scopes = match &scope {
                Some(s) => Some(ConsentScope::parse_list(s).map_err(anyhow::Error::msg)?),
                None => None,
            };
            p.apply(Cmd::ApproveStory {
                story: story.clone(),
                how: how.clone(),
                date: date.clone(),
                revision,
                scopes,
                key_file: key.clone(),
            })?;
            let s = p.story(&story)?;
            println!("approved {how} (revision {})", s.revision);
        }
        StoryCommand::Feedback {
            project,
            story,
            text,
            change,
            date,
        } => {
            let mut p = open(&project)?;
            let kind = if change {
                FeedbackKind::Change
            } else {
                FeedbackKind::Comment
            };
            let id = p
                .apply(Cmd::RecordStoryFeedback {
                    story: story.to_owned(),
                    kind,
                    text: text.to_owned(),
                    date: date.clone(),
                })?
                .id()?;
            println!(
                "recorded the storyteller's {} [{}]",
                kind.as_str(),
                &id[..8]
            );
        }
        StoryCommand::Done {
            project,
            story,
            feedback,
            open: reopen,
        } => {
            let mut p = open(&project)?;
            p.apply(Cmd::SetStoryFeedbackDone {
                story: story.to_owned(),
                feedback: feedback.to_owned(),
                done: !reopen,
            })?;
            println!("marked {}", if reopen { "open" } else { "made" });
        }
        StoryCommand::Consent {
            project,
            story,
            scope,
            date,
            json,
        } => {
            let mut p = open(&project)?;
            if let Some(sc) = scope {
                let list = ConsentScope::parse_list(&sc).map_err(anyhow::Error::msg)?;
                p.apply(Cmd::SetStoryConsent {
                    story: story.to_owned(),
                    scopes: list.to_vec(),
                    date: date.clone(),
                })?;
            }
            let s = p.story(&story)?;
            let c = p.story_consent(&story)?;
            if json {
                print_json(&json!({ "approval": s.approval, "consent": c }))?;
            } else {
                println!(
                    "{} ({}, revision {})",
                    s.title,
                    s.status.as_str(),
                    s.revision
                );
                print_consent(&s, &c);
            }
        }
        StoryCommand::KnownAs {
            project,
            participant,
            name,
        } => {
            let mut p = open(&project)?;
            p.apply(Cmd::SetParticipantKnownAs {
                participant: participant.to_owned(),
                name: name.to_owned(),
            })?;
            println!("recorded the name {participant} goes by");
        }
    }
    Ok(ExitCode::SUCCESS)
}
