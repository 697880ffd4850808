//! The command line. Every subcommand calls the same `Project` API as the
//! window; `--json` prints data for scripts. Each command family has its own
//! module owning its arguments and its run function; this file holds the
//! top-level enum and the dispatch.

pub(crate) mod analysis;
mod codebook;
mod coding;
mod csv_import;
mod documents;
mod export;
mod history;
mod merge;
mod pack;
mod participants;
mod pseudonym;
mod reports;
mod review;
mod share;
mod story;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use storyloom_project::Project;

#[derive(Parser)]
#[command(
    name = "storyloom",
    version,
    about = "Storyloom: qualitative coding and Storytelling summaries.\n\nRun without a subcommand to open the window (the sample study, or PROJECT)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project to open in the window.
    #[arg(long, global = false)]
    pub project: Option<PathBuf>,
    /// A document to show when the window opens (name, id prefix such as P01, or id).
    #[arg(long, global = false)]
    pub document: Option<String>,
    /// Print the milliseconds from the start of the process to the first
    /// frame shown, then close the window (`storyloom-bench first-window`).
    #[arg(long, hide = true)]
    pub first_frame_ms: bool,
    /// Who is working: recorded on codings and in the history (default: $STORYLOOM_USER, then $USER).
    #[arg(long, global = true)]
    pub user: Option<String>,
}

/// The `--user` given on the command line, applied to every project opened.
pub static USER: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[derive(Subcommand)]
pub enum Command {
    /// Create a new, empty project file.
    New(documents::ProjectArgs),
    /// Import transcripts (.docx .odt .txt .md .vtt .srt, .csv/.xlsx tables, whisper .json); each file is its own transaction.
    /// A REFI-QDA project (.qdpx) or codebook (.qdc) is imported as one action,
    /// into a new project if PROJECT does not exist. Participants, codebook and
    /// codings spreadsheets (.csv) are told apart by their headers.
    Import(documents::ImportArgs),
    /// List the documents of a project.
    Documents(documents::DocumentsArgs),
    /// Show a document's speaker turns: speaker, role, char range, times, text.
    Turns(documents::TurnsArgs),
    /// List a document's speakers; correct a role or link a speaker to a participant.
    Speakers(documents::SpeakersArgs),
    /// List participants and their attributes; import them from a CSV.
    Participants(participants::ParticipantsArgs),
    /// The audit trail of every change (who, when, what), undo and redo included.
    History(history::HistoryArgs),
    /// Undo the last change (also after reopening the project).
    Undo(documents::ProjectArgs),
    /// Redo the change undone last.
    Redo(documents::ProjectArgs),
    /// The codebook: list, add, rename, color, describe, set (category/codable), move, merge, delete.
    #[command(subcommand)]
    Code(codebook::CodeCommand),
    /// Themes that group codes: list, add, rename, define, status, add-code, remove-code, delete.
    #[command(subcommand)]
    Theme(codebook::ThemeCommand),
    /// Apply codes to text: add, in-vivo, list, remove, resize, key.
    #[command(subcommand)]
    Coding(coding::CodingCommand),
    /// Memos on the project, documents, participants, codes, themes, codings.
    #[command(subcommand)]
    Memo(coding::MemoCommand),
    /// The reflexive journal: list entries, or add one with --add TITLE.
    Journal(coding::JournalArgs),
    /// Add and edit participants and their typed attributes.
    #[command(subcommand)]
    Participant(participants::ParticipantCommand),
    /// Replace a document's text with a corrected file; codings are re-anchored,
    /// and what cannot be placed with certainty goes to the review list.
    Correct(review::CorrectArgs),
    /// The review list after corrections: list items, or settle one.
    Review(review::ReviewArgs),
    /// Full-text search over turns: words (stemmed), "exact phrases", OR, AND, NOT/-word,
    /// prefix*, filters code: role: speaker: participant: doc: and attribute:value.
    Search(analysis::SearchArgs),
    /// Queries over codings: codings, cooccurrence, matrix, frequencies (--json or --csv).
    #[command(subcommand)]
    Query(analysis::QueryCommand),
    /// Inter-coder agreement: percent agreement and Cohen's kappa per code (characters),
    /// Krippendorff's alpha (turns), and where the two coders differ.
    Agreement(analysis::AgreementArgs),
    /// Export as REFI-QDA: the project (.qdpx) or the codebook (.qdc).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Export speaker turns as CSV (all documents, or those named with --document).
    ExportTurns(documents::ExportTurnsArgs),
    /// Build the bundled sample study into a new project file.
    Sample(documents::ProjectArgs),
    /// A consistent copy of the project in one file (SQLite's online backup),
    /// also while it is open elsewhere.
    Backup(history::BackupArgs),
    /// Stories: auto-draft, show, check, send, approve.
    #[command(subcommand)]
    Story(story::StoryCommand),
    /// The pseudonym map: list, add (with --scope), review names, export to / import from a key file.
    #[command(subcommand)]
    Pseudonym(pseudonym::PseudonymCommand),
    /// Names found in the transcripts: people, places, organisations, with counts,
    /// contexts and how each is settled (replaced, not identifying, kept with consent).
    Names(pseudonym::NamesArgs),
    /// The discussion pack's settings (title, workshop, date, stories, questions).
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Merge a colleague's copy of this project: everything either side added comes in,
    /// changes that do not conflict both apply, conflicts go on the review list
    /// (`storyloom conflicts`). One undoable change.
    Merge(merge::MergeArgs),
    /// What merges left for a person: both versions and who made them; settle one.
    Conflicts(merge::ConflictsArgs),
    /// Import a workshop's filled recording sheet (the pack .docx or its CSV) as notes on stories.
    ImportWorkshop(pack::ImportWorkshopArgs),
    /// Share this project on a PostgreSQL server so several people work on it at once
    /// (postgres://user@host:port/database/NAME). The file becomes a replica; changes
    /// made with other commands on a replica are pushed when the command ends.
    Share(share::ShareArgs),
    /// Make a replica of a shared project (or bring an existing replica up to date).
    Open(share::OpenArgs),
    /// Sync a replica with its server: one round, or --watch to keep it in step.
    Sync(share::SyncArgs),
}

pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::New(a) => documents::run_new(a)?,
        Command::Import(a) => return pushed(documents::run_import(a)),
        Command::Documents(a) => documents::run_documents(a)?,
        Command::Turns(a) => documents::run_turns(a)?,
        Command::Speakers(a) => documents::run_speakers(a)?,
        Command::Participants(a) => participants::run_participants(a)?,
        Command::History(a) => history::run_history(a)?,
        Command::Undo(a) => history::run_undo(a)?,
        Command::Redo(a) => history::run_redo(a)?,
        Command::Code(cmd) => codebook::run_code(cmd)?,
        Command::Theme(cmd) => codebook::run_theme(cmd)?,
        Command::Coding(cmd) => coding::run_coding(cmd)?,
        Command::Memo(cmd) => coding::run_memo(cmd)?,
        Command::Journal(a) => coding::run_journal(a)?,
        Command::Participant(cmd) => participants::run_participant(cmd)?,
        Command::Correct(a) => review::run_correct(a)?,
        Command::Review(a) => review::run_review(a)?,
        Command::Search(a) => analysis::run_search(a)?,
        Command::Query(cmd) => analysis::run_query(cmd)?,
        Command::Agreement(a) => analysis::run_agreement(a)?,
        Command::Export(cmd) => export::run_export(cmd)?,
        Command::ExportTurns(a) => documents::run_export_turns(a)?,
        Command::Sample(a) => documents::run_sample(a)?,
        Command::Backup(a) => history::run_backup(a)?,
        Command::Story(cmd) => return pushed(story::run_story(cmd)),
        Command::Pseudonym(cmd) => return pushed(pseudonym::run_pseudonym(cmd)),
        Command::Names(a) => return pushed(pseudonym::run_names(a)),
        Command::Pack(cmd) => pack::run_pack(cmd)?,
        Command::ImportWorkshop(a) => pack::import_workshop(a)?,
        Command::Merge(a) => merge::run_merge(a)?,
        Command::Conflicts(a) => merge::run_conflicts(a)?,
        Command::Share(a) => share::run_share(a)?,
        Command::Open(a) => share::run_open(a)?,
        Command::Sync(a) => share::run_sync(a)?,
    }
    push_opened();
    Ok(ExitCode::SUCCESS)
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Projects this command opened, so that a change to a shared project's
/// replica is pushed when the command ends.
static OPENED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// A command's outcome, after pushing what it changed.
fn pushed(outcome: Result<ExitCode>) -> Result<ExitCode> {
    push_opened();
    outcome
}

fn push_opened() {
    let paths = OPENED.lock().map(|v| v.clone()).unwrap_or_default();
    for path in paths {
        share::push_after(&path);
    }
}

fn open(path: &std::path::Path) -> Result<Project> {
    let mut p = Project::open(path)?;
    if let Ok(mut v) = OPENED.lock()
        && !v.iter().any(|o| o == path)
    {
        v.push(path.to_owned());
    }
    if let Some(user) = USER.get() {
        p.set_actor(user);
    }
    if let Some(why) = p.read_only() {
        eprintln!("note: {why}; the project is open read-only");
    }
    if let Some(what) = p.recovered() {
        eprintln!("note: {what}");
    }
    Ok(p)
}
