//! `storyloom new`, `import`, `documents`, `turns`, `speakers`, `export-turns`
//! and `sample`: making a project, bringing transcripts in, and looking at them.

use super::{export, open, print_json};
use crate::text::one_line;
use anyhow::{Context, Result};
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use storyloom_project::Command as Cmd;
use storyloom_project::{ImportOutcome, Project, Role, TurnEdit};

/// A command that takes only the project file.
#[derive(Args)]
pub struct ProjectArgs {
    pub project: PathBuf,
}

#[derive(Args)]
pub struct ImportArgs {
    project: PathBuf,
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Parsing threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Codings CSVs: create the codes they name that the codebook lacks.
    #[arg(long)]
    create_codes: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct DocumentsArgs {
    project: PathBuf,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct TurnsArgs {
    project: PathBuf,
    /// Document name (with or without extension) or id.
    document: String,
    /// TURN AT: split turn #TURN at char offset AT of the document (same speaker both sides).
    #[arg(long, num_args = 2, value_names = ["TURN", "AT"])]
    split: Option<Vec<usize>>,
    /// TURN SPEAKER: the turn was said by SPEAKER (a new speaker is made if the document has none of that name).
    #[arg(long, num_args = 2, value_names = ["TURN", "SPEAKER"])]
    assign: Option<Vec<String>>,
    /// TURN: merge turn #TURN into the turn before it.
    #[arg(long, value_name = "TURN")]
    merge: Option<usize>,
    /// TURN: the turn is not speech (a note, a heading, a stage direction).
    #[arg(long, value_name = "TURN")]
    non_speech: Option<usize>,
    /// START END SPEAKER: the paragraphs holding chars START..END were said by SPEAKER (cut into turns of their own).
    #[arg(long, num_args = 3, value_names = ["START", "END", "SPEAKER"])]
    assign_paragraphs: Option<Vec<String>>,
    /// START END: chars START..END are not speech (cut from their turns).
    #[arg(long, num_args = 2, value_names = ["START", "END"])]
    non_speech_chars: Option<Vec<usize>>,
    /// TURN FIRST SECOND: from turn #TURN on, one turn per paragraph, alternating FIRST, SECOND, FIRST … (for files that name no speakers).
    #[arg(long, num_args = 3, value_names = ["TURN", "FIRST", "SECOND"])]
    alternate: Option<Vec<String>>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SpeakersArgs {
    project: PathBuf,
    document: String,
    /// LABEL ROLE, where ROLE is interviewer, participant or other.
    #[arg(long, num_args = 2, value_names = ["LABEL", "ROLE"])]
    set_role: Option<Vec<String>>,
    /// LABEL PARTICIPANT (a participant id, name or pseudonym; `none` unlinks).
    #[arg(long, num_args = 2, value_names = ["LABEL", "PARTICIPANT"])]
    link: Option<Vec<String>>,
    /// LABEL NEW: rename a speaker (the text keeps its labels).
    #[arg(long, num_args = 2, value_names = ["LABEL", "NEW"])]
    rename: Option<Vec<String>>,
    /// Record that you checked who speaks in every turn (stories from the document can then be approved).
    #[arg(long)]
    confirm: bool,
    /// Withdraw a confirmation.
    #[arg(long, conflicts_with = "confirm")]
    unconfirm: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ExportTurnsArgs {
    project: PathBuf,
    /// The CSV file to write.
    out: PathBuf,
    #[arg(long = "document")]
    documents: Vec<String>,
    /// Without the UTF-8 byte order mark (Excel needs it; some scripts do not want it).
    #[arg(long)]
    no_bom: bool,
}

pub fn run_new(ProjectArgs { project }: ProjectArgs) -> Result<()> {
    Project::create(&project)?;
    println!("created {}", project.display());
    Ok(())
}

/// Transcripts one by one, or a REFI-QDA project or codebook as one action.
pub fn run_import(a: ImportArgs) -> Result<ExitCode> {
    if a.files.iter().any(|f| export::is_refi(f)) {
        return export::run_refi_import(&a.project, &a.files, a.json);
    }
    if a.files.iter().any(|f| super::csv_import::is_csv(f)) {
        return super::csv_import::run(&a.project, &a.files, a.threads, a.create_codes, a.json);
    }
    import_transcripts(&a.project, &a.files, a.threads, a.json)
}

pub fn run_documents(DocumentsArgs { project, json }: DocumentsArgs) -> Result<()> {
    let docs = open(&project)?.documents()?;
    if json {
        print_json(&docs)?;
    } else {
        println!(
            "{:<38} {:<5} {:>8} {:>5} {:>6}  {:<8} name",
            "id", "fmt", "words", "spk", "turns", "people"
        );
        for d in docs {
            println!(
                "{:<38} {:<5} {:>8} {:>5} {:>6}  {:<8} {}",
                d.uuid,
                d.format,
                d.words,
                d.speakers,
                d.turns,
                d.participants.join(","),
                d.name
            );
        }
    }
    Ok(())
}

pub fn run_turns(
    TurnsArgs {
        project,
        document,
        split,
        assign,
        merge,
        non_speech,
        assign_paragraphs,
        non_speech_chars,
        alternate,
        json,
    }: TurnsArgs,
) -> Result<()> {
    let mut p = open(&project)?;
    let mut edits = Vec::new();
    if let Some(a) = split {
        edits.push(TurnEdit::Split {
            turn: a[0],
            at: a[1],
        });
    }
    if let Some(a) = assign {
        let turn = a[0]
            .parse()
            .with_context(|| format!("'{}' is not a turn number", a[0]))?;
        edits.push(TurnEdit::Assign {
            turn,
            speaker: a[1].clone(),
        });
    }
    if let Some(turn) = merge {
        edits.push(TurnEdit::Merge { turn });
    }
    if let Some(turn) = non_speech {
        edits.push(TurnEdit::NonSpeech { turn });
    }
    let number = |s: &str, what: &str| -> Result<usize> {
        s.parse().with_context(|| format!("'{s}' is not a {what}"))
    };
    if let Some(a) = assign_paragraphs {
        edits.push(TurnEdit::AssignParagraphs {
            start: number(&a[0], "char offset")?,
            end: number(&a[1], "char offset")?,
            speaker: a[2].clone(),
        });
    }
    if let Some(a) = non_speech_chars {
        edits.push(TurnEdit::NonSpeechText {
            start: a[0],
            end: a[1],
        });
    }
    if let Some(a) = alternate {
        let turn = number(&a[0], "turn number")?;
        let doc = p.document(&document)?;
        let from = doc
            .turns
            .iter()
            .find(|t| t.seq == turn)
            .map(|t| t.start)
            .with_context(|| format!("{} has no turn #{turn} (see `storyloom turns`)", doc.name))?;
        edits.push(TurnEdit::Alternate {
            from,
            first: a[1].clone(),
            second: a[2].clone(),
        });
    }
    for e in &edits {
        let done = p
            .apply(Cmd::EditTurns {
                document: document.to_owned(),
                edit: e.clone(),
            })?
            .said()?;
        if !json {
            println!("{done} (undo with `storyloom undo`)");
        }
    }
    let doc = p.document(&document)?;
    if json {
        print_json(&doc.turns)?;
    } else {
        for t in &doc.turns {
            let time = t.start_ms.map(clock).unwrap_or_default();
            println!(
                "#{:<4} {:<24} {:<11} {:>7}–{:<7} {:>8}  {}",
                t.seq,
                t.speaker,
                if t.non_speech {
                    "not speech"
                } else {
                    t.role.as_str()
                },
                t.start,
                t.end,
                time,
                one_line(&t.text, 100)
            );
        }
    }
    Ok(())
}

pub fn run_speakers(
    SpeakersArgs {
        project,
        document,
        set_role,
        link,
        rename,
        confirm,
        unconfirm,
        json,
    }: SpeakersArgs,
) -> Result<()> {
    let mut p = open(&project)?;
    let mut said = Vec::new();
    if let Some(args) = rename {
        said.push(
            p.apply(Cmd::RenameSpeaker {
                document: document.to_owned(),
                label: args[0].to_owned(),
                new_label: args[1].to_owned(),
            })?
            .said()?,
        );
    }
    if let Some(args) = set_role {
        let role = Role::parse(&args[1]).with_context(|| {
            format!(
                "unknown role '{}': use interviewer, participant or other",
                args[1]
            )
        })?;
        said.push(
            p.apply(Cmd::SetSpeakerRole {
                document: document.to_owned(),
                label: args[0].to_owned(),
                role,
            })?
            .said()?,
        );
    }
    if let Some(args) = link {
        let target = (!args[1].eq_ignore_ascii_case("none")).then_some(args[1].as_str());
        p.apply(Cmd::LinkSpeaker {
            document: document.to_owned(),
            label: args[0].to_owned(),
            participant: target.map(str::to_owned),
        })?;
        said.push(format!(
            "{} linked to {}",
            args[0],
            target.unwrap_or("nobody")
        ));
    }
    // Confirmation last, so it covers the corrections given with it.
    if confirm || unconfirm {
        let name = p.document(&document)?.name;
        p.apply(Cmd::ConfirmSpeakers {
            document: document.to_owned(),
            confirmed: confirm,
        })?;
        said.push(if confirm {
            format!("speakers of {name} marked checked by {}", p.actor())
        } else {
            format!("speakers of {name} no longer marked checked")
        });
    }
    if !json {
        for s in &said {
            println!("{s} (undo with `storyloom undo`)");
        }
    }
    let speakers = p.speakers(&document)?;
    if json {
        print_json(&speakers)?;
    } else {
        for s in speakers {
            println!(
                "{:<28} {:<11}{} {:>5} turns {:>7} words  {}",
                s.label,
                s.role.as_str(),
                if s.role_confirmed { "*" } else { " " },
                s.turns,
                s.words,
                s.participant.map(|p| format!("→ {p}")).unwrap_or_default()
            );
        }
        println!("(* role set by a person; others guessed at import)");
        if let Some(c) = p.speaker_detection(&document)? {
            println!(
                "import: {} confidence ({}){}: {}",
                c.level(),
                c.score,
                if c.guessed { ", a guess" } else { "" },
                c.reason
            );
        }
        let withdrawn = p.speakers_check_withdrawn(&document)?;
        match (p.speakers_confirmed(&document)?, withdrawn) {
            (Some(c), _) => println!("speakers checked by {} on {}", c.by, c.at),
            (None, Some(w)) => println!(
                "speakers NOT checked: the check by {} was withdrawn by a correction ({}, by {} on {}); check the rest, then `--confirm` again",
                w.checked_by,
                w.summary,
                w.actor,
                w.at.get(..10).unwrap_or(&w.at)
            ),
            (None, None) => println!(
                "speakers NOT checked by a person: check the turns (`storyloom turns`), correct them, then `--confirm`; until then its stories cannot be approved"
            ),
        }
    }
    Ok(())
}

pub fn run_export_turns(
    ExportTurnsArgs {
        project,
        out,
        documents,
        no_bom,
    }: ExportTurnsArgs,
) -> Result<()> {
    let p = open(&project)?;
    let mut file = storyloom_exports::AtomicFile::create(&out)
        .with_context(|| format!("creating a temporary file beside {}", out.display()))?;
    let style = storyloom_exports::CsvStyle { bom: !no_bom };
    let rows = storyloom_exports::write_turns_csv(
        &p,
        &documents,
        style,
        std::io::BufWriter::new(&mut file),
    )?;
    file.commit()
        .with_context(|| format!("replacing {}", out.display()))?;
    println!("wrote {rows} turns to {}", out.display());
    Ok(())
}

pub fn run_sample(ProjectArgs { project }: ProjectArgs) -> Result<()> {
    let bar = progress_bar();
    let p = crate::sample::build(&project, &mut |done, total, file| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
            b.set_message(file.to_owned());
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    println!(
        "built the sample study into {}: {} documents, {} participants",
        project.display(),
        p.documents()?.len(),
        p.participants()?.len()
    );
    Ok(())
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    })
}

pub(super) fn import_transcripts(
    project: &std::path::Path,
    files: &[PathBuf],
    threads: usize,
    json: bool,
) -> Result<ExitCode> {
    let mut p = open(project)?;
    let bar = progress_bar();
    let report = p
        .apply_watched(
            Cmd::ImportFiles {
                paths: files.to_vec(),
                threads,
            },
            &AtomicBool::new(false),
            &mut |done, total, file| {
                if let Some(b) = &bar {
                    b.set_length(total as u64);
                    b.set_position(done as u64);
                    b.set_message(file.to_owned());
                }
            },
        )?
        .imported()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if json {
        print_json(&report)?;
    } else {
        for o in &report.outcomes {
            match o {
                ImportOutcome::Imported {
                    file,
                    format,
                    speakers,
                    turns,
                    words,
                    speech_percent,
                    non_speech_words,
                    confidence,
                    notes,
                    linked,
                    ..
                } => {
                    println!(
                        "imported  {file}: {format}, {speakers} speakers, {turns} turns, {words} words"
                    );
                    println!(
                        "          {speech_percent}% of words in speaker turns, {non_speech_words} words kept as non-speech"
                    );
                    println!(
                        "          speakers: {} confidence ({}){}: {}",
                        confidence.level(),
                        confidence.score,
                        if confidence.guessed { ", a guess" } else { "" },
                        confidence.reason
                    );
                    for n in notes {
                        println!("          note: {n}");
                    }
                    for l in linked {
                        println!("          linked {l}");
                    }
                }
                ImportOutcome::Duplicate { file, existing } => {
                    println!(
                        "skipped   {file}: the same file is already in the project as {existing}"
                    )
                }
                ImportOutcome::Failed { file, error } => println!("FAILED    {file}: {error}"),
                ImportOutcome::Cancelled { file } => println!("cancelled {file}"),
            }
        }
        println!(
            "{} imported, {} duplicates, {} failed",
            report.imported(),
            report.duplicates(),
            report.failed()
        );
    }
    if report.failed() > 0 {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}
