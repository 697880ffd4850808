//! The command line. Every subcommand calls the same `Project` API as the
//! window; `--json` prints data for scripts.

mod analysis;
mod bench_engine;
mod bench_frames;
mod bench_pack;
mod bench_segments;
mod bench_stories;
mod codebook;
mod coding;
mod export;
mod pack;
mod reports;
mod review;
mod story;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use storyloom_coding::{ImportOptions, ImportOutcome, Project, Role};

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
    /// Who is working: recorded on codings and in the history (default: $STORYLOOM_USER, then $USER).
    #[arg(long, global = true)]
    pub user: Option<String>,
}

/// The `--user` given on the command line, applied to every project opened.
pub static USER: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[derive(Subcommand)]
pub enum Command {
    /// Create a new, empty project file.
    New { project: PathBuf },
    /// Import transcripts (.docx .odt .txt .md .vtt .srt); each file is its own transaction.
    /// A REFI-QDA project (.qdpx) or codebook (.qdc) is imported as one action,
    /// into a new project if PROJECT does not exist.
    Import {
        project: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Parsing threads (default: all cores).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        #[arg(long)]
        json: bool,
    },
    /// List the documents of a project.
    Documents {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show a document's speaker turns: speaker, role, char range, times, text.
    Turns {
        project: PathBuf,
        /// Document name (with or without extension) or id.
        document: String,
        #[arg(long)]
        json: bool,
    },
    /// List a document's speakers; correct a role or link a speaker to a participant.
    Speakers {
        project: PathBuf,
        document: String,
        /// LABEL ROLE, where ROLE is interviewer, participant or other.
        #[arg(long, num_args = 2, value_names = ["LABEL", "ROLE"])]
        set_role: Option<Vec<String>>,
        /// LABEL PARTICIPANT (a participant id, name or pseudonym; `none` unlinks).
        #[arg(long, num_args = 2, value_names = ["LABEL", "PARTICIPANT"])]
        link: Option<Vec<String>>,
        #[arg(long)]
        json: bool,
    },
    /// List participants and their attributes; import them from a CSV.
    Participants {
        project: PathBuf,
        #[arg(long, value_name = "CSV")]
        import: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The audit trail of every change (who, when, what), undo and redo included.
    History {
        project: PathBuf,
        /// Only how the codebook and themes developed.
        #[arg(long)]
        codebook: bool,
        #[arg(long)]
        json: bool,
    },
    /// Undo the last change (also after reopening the project).
    Undo { project: PathBuf },
    /// Redo the change undone last.
    Redo { project: PathBuf },
    /// The codebook: list, add, rename, color, describe, move, merge, delete.
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
    Journal {
        project: PathBuf,
        #[arg(long, value_name = "TITLE")]
        add: Option<String>,
        #[arg(long, default_value = "")]
        body: String,
        /// The entry's date, YYYY-MM-DD (default today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add and edit participants and their typed attributes.
    #[command(subcommand)]
    Participant(coding::ParticipantCommand),
    /// Replace a document's text with a corrected file; codings are re-anchored,
    /// and what cannot be placed with certainty goes to the review list.
    Correct {
        project: PathBuf,
        document: String,
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The review list after corrections: list items, or settle one.
    Review {
        project: PathBuf,
        /// Place ITEM where it is proposed.
        #[arg(long, value_name = "ITEM")]
        accept: Option<String>,
        /// Place ITEM at START END.
        #[arg(long, num_args = 3, value_names = ["ITEM", "START", "END"])]
        place: Option<Vec<String>>,
        /// Remove ITEM's coding (undo brings it back).
        #[arg(long, value_name = "ITEM")]
        remove: Option<String>,
        /// Include settled items.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over turns: words (stemmed), "exact phrases", OR, AND, NOT/-word,
    /// prefix*, filters code: role: speaker: participant: doc: and attribute:value.
    Search {
        project: PathBuf,
        query: String,
        /// Treat QUERY as a regular expression over the texts.
        #[arg(long)]
        regex: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Order hits by document and position instead of relevance.
        #[arg(long)]
        in_order: bool,
        #[arg(long)]
        json: bool,
    },
    /// Queries over codings: codings, cooccurrence, matrix, frequencies (--json or --csv).
    #[command(subcommand)]
    Query(analysis::QueryCommand),
    /// Inter-coder agreement: percent agreement and Cohen's kappa per code (characters),
    /// Krippendorff's alpha (turns), and where the two coders differ.
    Agreement {
        project: PathBuf,
        coder_a: String,
        coder_b: String,
        /// Compare on these documents (default: those both coded).
        #[arg(long = "document")]
        documents: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Export as REFI-QDA: the project (.qdpx) or the codebook (.qdc).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Export speaker turns as CSV (all documents, or those named with --document).
    ExportTurns {
        project: PathBuf,
        /// The CSV file to write.
        out: PathBuf,
        #[arg(long = "document")]
        documents: Vec<String>,
    },
    /// Build the bundled sample study into a new project file.
    Sample { project: PathBuf },
    /// Stories: auto-draft, show, check, send, approve.
    #[command(subcommand)]
    Story(story::StoryCommand),
    /// The pseudonym map: list, add, suggest, export to / import from a key file.
    #[command(subcommand)]
    Pseudonym(story::PseudonymCommand),
    /// The discussion pack's settings (title, workshop, date, stories, questions).
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Import a workshop's filled recording sheet (the pack .docx or its CSV) as notes on stories.
    ImportWorkshop {
        project: PathBuf,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Benchmarks that print figures (see README).
    Bench {
        #[command(subcommand)]
        which: crate::cli::BenchCommand,
    },
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// A discussion pack of 30 stories drafted from generated interviews (target < 2 s).
    Pack {
        #[arg(long, default_value_t = 30)]
        stories: usize,
        /// Words per generated interview.
        #[arg(long, default_value_t = 3000)]
        words: usize,
    },
    /// Auto-draft and fidelity-check times for one long interview.
    Stories {
        /// Words in the interview.
        #[arg(long, default_value_t = 10_000)]
        words: usize,
        /// Runs per figure (the median is printed).
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// The coding engine on a generated project: open, search p95, retrieval, co-occurrence, undo.
    Engine {
        #[arg(long, default_value_t = 1000)]
        files: usize,
        #[arg(long, default_value_t = 10_000)]
        words: usize,
        #[arg(long, default_value_t = 200_000)]
        codings: usize,
        #[arg(long, default_value_t = 200)]
        codes: usize,
        /// Keep the generated project at this path (and reuse it next time).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Frame times of the window, headless on the CPU: a long coded transcript
    /// (steady, scrolling, applying a code), then a 300,000-char document.
    Frames {
        /// Words in the transcript.
        #[arg(long, default_value_t = 30_000)]
        words: usize,
        /// Chars in the large document.
        #[arg(long, default_value_t = 300_000)]
        big_chars: usize,
        /// Codings on each document.
        #[arg(long, default_value_t = 2_000)]
        codings: usize,
        /// Frames measured for the steady and scrolling figures.
        #[arg(long, default_value_t = 100)]
        frames: usize,
        /// Codes applied for the after-coding figure.
        #[arg(long, default_value_t = 20)]
        adds: usize,
    },
    /// The coded segments of a generated project (200,000 codings) to XLSX, timed.
    Segments {
        #[arg(long, default_value_t = 200)]
        files: usize,
        #[arg(long, default_value_t = 3_000)]
        words: usize,
        #[arg(long, default_value_t = 200_000)]
        codings: usize,
        #[arg(long, default_value_t = 100)]
        codes: usize,
        /// Use this project (a kept `bench engine --keep` one, say), or keep the generated one here.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Parse throughput for txt and docx, then a batch import of generated transcripts.
    Import {
        /// Transcripts in the batch import.
        #[arg(long, default_value_t = 1000)]
        files: usize,
        /// Words per transcript.
        #[arg(long, default_value_t = 10_000)]
        words: usize,
    },
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn open(path: &std::path::Path) -> Result<Project> {
    let mut p = Project::open(path)?;
    if let Some(user) = USER.get() {
        p.set_actor(user);
    }
    Ok(p)
}

/// History commands that shape the codebook and themes (for `history --codebook`).
fn is_codebook_command(command: &str) -> bool {
    let base = command
        .strip_prefix("undo ")
        .or_else(|| command.strip_prefix("redo "))
        .unwrap_or(command);
    base.contains("code") && base != "code" && base != "uncode" || base.contains("theme")
}

pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::New { project } => {
            Project::create(&project)?;
            println!("created {}", project.display());
        }
        Command::Import {
            project,
            files,
            json,
            ..
        } if files.iter().any(|f| export::is_refi(f)) => {
            return export::run_refi_import(&project, &files, json);
        }
        Command::Import {
            project,
            files,
            threads,
            json,
        } => return import(&project, &files, threads, json),
        Command::Documents { project, json } => {
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
        }
        Command::Turns {
            project,
            document,
            json,
        } => {
            let doc = open(&project)?.document(&document)?;
            if json {
                print_json(&doc.turns)?;
            } else {
                for t in &doc.turns {
                    let time = t.start_ms.map(clock).unwrap_or_default();
                    println!(
                        "#{:<4} {:<24} {:<11} {:>7}–{:<7} {:>8}  {}",
                        t.seq,
                        t.speaker,
                        t.role.as_str(),
                        t.start,
                        t.end,
                        time,
                        one_line(&t.text, 100)
                    );
                }
            }
        }
        Command::Speakers {
            project,
            document,
            set_role,
            link,
            json,
        } => {
            let mut p = open(&project)?;
            if let Some(args) = set_role {
                let role = Role::parse(&args[1]).with_context(|| {
                    format!(
                        "unknown role '{}': use interviewer, participant or other",
                        args[1]
                    )
                })?;
                p.set_speaker_role(&document, &args[0], role)?;
            }
            if let Some(args) = link {
                let target = (!args[1].eq_ignore_ascii_case("none")).then_some(args[1].as_str());
                p.link_speaker(&document, &args[0], target)?;
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
            }
        }
        Command::Participants {
            project,
            import,
            json,
        } => {
            let mut p = open(&project)?;
            if let Some(csv) = import {
                let r = p.import_participants_csv(&csv)?;
                if json {
                    print_json(&r)?;
                    return Ok(ExitCode::SUCCESS);
                }
                println!(
                    "{}: {} new, {} updated, attributes: {}",
                    csv.display(),
                    r.created.len(),
                    r.updated.len(),
                    r.attributes.join(", ")
                );
                for l in &r.linked {
                    println!("  linked {l}");
                }
                for rej in &r.rejected {
                    println!("  skipped {rej}");
                }
                return Ok(ExitCode::SUCCESS);
            }
            let people = p.participants()?;
            if json {
                print_json(&json!({ "attributes": p.attributes()?, "participants": people }))?;
            } else {
                for person in people {
                    let attrs: Vec<String> = person
                        .attributes
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    println!(
                        "{:<6} {:<12} {}  [{}]",
                        person.id,
                        person.pseudonym.unwrap_or_default(),
                        attrs.join(" "),
                        person.documents.join(", ")
                    );
                }
            }
        }
        Command::Undo { project } => match open(&project)?.undo()? {
            Some(r) => println!("undone: {}", r.summary),
            None => println!("nothing to undo"),
        },
        Command::Redo { project } => match open(&project)?.redo()? {
            Some(r) => println!("redone: {}", r.summary),
            None => println!("nothing to redo"),
        },
        Command::Code(cmd) => codebook::run_code(cmd)?,
        Command::Theme(cmd) => codebook::run_theme(cmd)?,
        Command::Coding(cmd) => coding::run_coding(cmd)?,
        Command::Memo(cmd) => coding::run_memo(cmd)?,
        Command::Journal {
            project,
            add,
            body,
            date,
            json,
        } => coding::run_journal(project, add, body, date, json)?,
        Command::Participant(cmd) => coding::run_participant(cmd)?,
        Command::Correct {
            project,
            document,
            from,
            json,
        } => review::run_correct(project, document, from, json)?,
        Command::Review {
            project,
            accept,
            place,
            remove,
            all,
            json,
        } => review::run_review(review::ReviewArgs {
            project,
            accept,
            place,
            remove,
            all,
            json,
        })?,
        Command::Search {
            project,
            query,
            regex,
            limit,
            in_order,
            json,
        } => analysis::run_search(analysis::SearchArgs {
            project,
            query,
            regex,
            limit,
            in_order,
            json,
        })?,
        Command::Query(cmd) => analysis::run_query(cmd)?,
        Command::Agreement {
            project,
            coder_a,
            coder_b,
            documents,
            json,
        } => analysis::run_agreement(project, coder_a, coder_b, documents, json)?,
        Command::History {
            project,
            codebook,
            json,
        } => {
            let mut h = open(&project)?.history()?;
            if codebook {
                h.retain(|e| is_codebook_command(&e.command));
            }
            if json {
                print_json(&h)?;
            } else {
                for e in h {
                    println!(
                        "{:>5} {} {:<12} {:<20} {}{}",
                        e.seq,
                        &e.at[..19.min(e.at.len())],
                        e.actor,
                        e.command,
                        e.summary,
                        if e.undone { " (undone)" } else { "" }
                    );
                }
            }
        }
        Command::Export(cmd) => export::run_export(cmd)?,
        Command::ExportTurns {
            project,
            out,
            documents,
        } => {
            let p = open(&project)?;
            let file = std::fs::File::create(&out)
                .with_context(|| format!("creating {}", out.display()))?;
            let rows =
                storyloom_exports::write_turns_csv(&p, &documents, std::io::BufWriter::new(file))?;
            println!("wrote {rows} turns to {}", out.display());
        }
        Command::Sample { project } => {
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
        }
        Command::Story(cmd) => return story::run_story(cmd),
        Command::Pseudonym(cmd) => return story::run_pseudonym(cmd),
        Command::Pack(cmd) => pack::run_pack(cmd)?,
        Command::ImportWorkshop {
            project,
            file,
            json,
        } => pack::import_workshop(&project, &file, json)?,
        Command::Bench { which } => match which {
            BenchCommand::Pack { stories, words } => bench_pack::run(stories, words)?,
            BenchCommand::Stories { words, runs } => {
                bench_stories::run(bench_stories::StoriesBench { words, runs })?
            }
            BenchCommand::Segments {
                files,
                words,
                codings,
                codes,
                keep,
            } => bench_segments::run(bench_segments::SegmentsBench {
                files,
                words,
                codings,
                codes,
                project: keep,
            })?,
            BenchCommand::Import { files, words } => crate::cli::bench_import(files, words)?,
            BenchCommand::Frames {
                words,
                big_chars,
                codings,
                frames,
                adds,
            } => bench_frames::run(bench_frames::FramesBench {
                words,
                big_chars,
                codings,
                frames,
                adds,
            })?,
            BenchCommand::Engine {
                files,
                words,
                codings,
                codes,
                keep,
            } => bench_engine::run(bench_engine::EngineBench {
                files,
                words,
                codings,
                codes,
                keep,
            })?,
        },
    }
    Ok(ExitCode::SUCCESS)
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

fn import(
    project: &std::path::Path,
    files: &[PathBuf],
    threads: usize,
    json: bool,
) -> Result<ExitCode> {
    let mut p = open(project)?;
    let bar = progress_bar();
    let report = p.import_files(
        files,
        &ImportOptions { threads },
        &AtomicBool::new(false),
        &mut |done, total, file| {
            if let Some(b) = &bar {
                b.set_length(total as u64);
                b.set_position(done as u64);
                b.set_message(file.to_owned());
            }
        },
    )?;
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
                    notes,
                    linked,
                    ..
                } => {
                    println!(
                        "imported  {file}: {format}, {speakers} speakers, {turns} turns, {words} words"
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

pub(crate) fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>())
    }
}

/// Parse throughput (txt, docx) and a batch import of generated transcripts.
pub fn bench_import(files: usize, words: usize) -> Result<()> {
    use std::time::Instant;
    use storyloom_coding::synth;
    if files == 0 || words == 0 {
        bail!("--files and --words must be positive");
    }
    let sample_words = 200_000;
    let txt = synth::transcript_txt(1, sample_words);
    let docx = synth::transcript_docx(1, sample_words);
    for (name, bytes) in [("bench.txt", txt.as_bytes().to_vec()), ("bench.docx", docx)] {
        let reps = 5;
        let t = Instant::now();
        let mut w = 0;
        for _ in 0..reps {
            let d = storyloom_coding::import::parse(name, &bytes)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            w += storyloom_coding::text::word_count(&d.text);
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "parse {name:<11} {:>6.2} M words/s on one core ({} words x {reps} in {secs:.2} s)",
            w as f64 / secs / 1e6,
            w / reps
        );
    }
    let dir = tempfile_dir()?;
    let t = Instant::now();
    let mut paths = Vec::with_capacity(files);
    for i in 0..files {
        let p = dir.join(format!("T{i:05}.txt"));
        std::fs::write(&p, synth::transcript_txt(i as u64 + 10, words))?;
        paths.push(p);
    }
    println!(
        "generated {files} transcripts of {words} words in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let project = dir.join("bench.storyloom");
    let mut p = Project::create(&project)?;
    let t = Instant::now();
    let report = p.import_files(
        &paths,
        &ImportOptions::default(),
        &AtomicBool::new(false),
        &mut |_, _, _| {},
    )?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "batch import: {} files, {:.1} M words in {secs:.1} s ({:.2} M words/s, {:.0} files/s); project file {} MB",
        report.imported(),
        (files * words) as f64 / 1e6,
        (files * words) as f64 / secs / 1e6,
        files as f64 / secs,
        std::fs::metadata(&project)?.len() / 1_000_000
    );
    let t = Instant::now();
    let p = Project::open(&project)?;
    let n = p.documents()?.len();
    println!(
        "open + list {n} documents: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(p);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("storyloom-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
