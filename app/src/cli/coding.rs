//! `storyloom coding ...`, `memo ...` and `journal`: applying codes and
//! writing memos and journal entries from the command line.

use super::{open, print_json};
use crate::text::one_line;
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use storyloom_project::Command as Cmd;
use storyloom_project::{CodingSpec, Project};

/// Where in a document: a char range, or the words to find.
#[derive(Args, Clone)]
pub struct RangeArgs {
    /// First char of the range (0-based, in the document's current text).
    #[arg(requires = "end", conflicts_with = "find")]
    start: Option<usize>,
    /// One past the last char.
    end: Option<usize>,
    /// Instead of START END: the exact words to code (their first occurrence, or --nth).
    #[arg(long)]
    find: Option<String>,
    /// With --find: which occurrence (1 = the first).
    #[arg(long, default_value_t = 1)]
    nth: usize,
}

impl RangeArgs {
    fn resolve(&self, p: &Project, document: &str) -> Result<(usize, usize)> {
        match (&self.find, self.start, self.end) {
            (Some(words), _, _) => {
                let text = p.document(document)?.text;
                let mut from = 0;
                for n in 1..=self.nth.max(1) {
                    let Some(b) = text[from..].find(words.as_str()) else {
                        bail!("'{words}' occurs {} time(s) in {document}", n - 1);
                    };
                    let b = from + b;
                    if n == self.nth.max(1) {
                        let s = text[..b].chars().count();
                        return Ok((s, s + words.chars().count()));
                    }
                    from = b + words.len();
                }
                unreachable!("the loop returns on its last round")
            }
            (None, Some(s), Some(e)) => Ok((s, e)),
            _ => bail!("give START END or --find WORDS"),
        }
    }
}

#[derive(Subcommand)]
pub enum CodingCommand {
    /// Apply a code to a range of a document.
    Add {
        project: PathBuf,
        code: String,
        document: String,
        #[command(flatten)]
        range: RangeArgs,
        /// The text version the offsets were taken from; refused if the text was corrected since.
        #[arg(long)]
        version: Option<i64>,
        /// Also flag the coding as a key quote.
        #[arg(long)]
        key_quote: bool,
    },
    /// In-vivo: a new code named from the selected words, applied to them.
    InVivo {
        project: PathBuf,
        document: String,
        #[command(flatten)]
        range: RangeArgs,
        #[arg(long)]
        parent: Option<String>,
    },
    /// List codings (of a code with its sub-codes, a document, a coder).
    List {
        project: PathBuf,
        #[arg(long)]
        code: Option<String>,
        #[arg(long)]
        document: Option<String>,
        #[arg(long)]
        coder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Apply the codings of a CSV (document, code, quote[, coder][, key_quote]); each
    /// quote is found in the document's current text. Rows that do not fit are listed.
    Import {
        project: PathBuf,
        csv: PathBuf,
        /// Create the codes the CSV names that the codebook lacks.
        #[arg(long)]
        create_codes: bool,
    },
    /// Remove a coding (by id or id prefix).
    Remove { project: PathBuf, coding: String },
    /// Move a coding to another code (same text, range and coder).
    Recode {
        project: PathBuf,
        coding: String,
        /// Code uuid, path or unique name.
        code: String,
    },
    /// Move a coding's edges.
    Resize {
        project: PathBuf,
        coding: String,
        start: usize,
        end: usize,
    },
    /// Flag a coding as a key quote (or unflag with --off).
    Key {
        project: PathBuf,
        coding: String,
        #[arg(long)]
        off: bool,
    },
}

#[derive(Subcommand)]
pub enum MemoCommand {
    /// Write a memo on the project, a document, participant, code, theme or coding.
    Add {
        project: PathBuf,
        /// project, document, participant, code, theme or coding.
        on: String,
        /// Which one (not needed for the project).
        target: Option<String>,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        body: String,
    },
    /// List memos (all, or those on one target).
    List {
        project: PathBuf,
        on: Option<String>,
        target: Option<String>,
        /// Only the memos this user wrote.
        #[arg(long)]
        coder: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Edit {
        project: PathBuf,
        memo: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        body: Option<String>,
    },
    Delete {
        project: PathBuf,
        memo: String,
    },
}

pub fn run_coding(cmd: CodingCommand) -> Result<()> {
    match cmd {
        CodingCommand::Add {
            project,
            code,
            document,
            range,
            version,
            key_quote,
        } => {
            let mut p = open(&project)?;
            let (start, end) = range.resolve(&p, &document)?;
            let uuid = p
                .apply(Cmd::AddCoding(CodingSpec {
                    code: code.clone(),
                    document: document.clone(),
                    start,
                    end,
                    version,
                }))?
                .id()?;
            if key_quote {
                p.apply(Cmd::SetKeyQuote {
                    coding: uuid.to_owned(),
                    key_quote: true,
                })?;
            }
            let c = p.coding(&uuid)?;
            println!(
                "{} {}..{} '{}': “{}”",
                &c.uuid[..8],
                c.start,
                c.end,
                c.code_path,
                c.quote
            );
        }
        CodingCommand::InVivo {
            project,
            document,
            range,
            parent,
        } => {
            let mut p = open(&project)?;
            let (start, end) = range.resolve(&p, &document)?;
            let (code, coding) = p
                .apply(Cmd::CodeInVivo {
                    document: document.to_owned(),
                    start,
                    end,
                    parent: parent.clone(),
                })?
                .in_vivo()?;
            println!(
                "in-vivo code '{}' applied ({})",
                p.code(&code)?.path_string(),
                &coding[..8]
            );
        }
        CodingCommand::List {
            project,
            code,
            document,
            coder,
            json,
        } => {
            let p = open(&project)?;
            let list = p.codings(code.as_deref(), document.as_deref(), coder.as_deref())?;
            if json {
                return print_json(&list);
            }
            for c in list {
                println!(
                    "{}  {:<24} {:<28} {:>6}..{:<6} {:<10}{} “{}”",
                    &c.uuid[..8],
                    one_line(&c.document_name, 24),
                    one_line(&c.code_path, 28),
                    c.start,
                    c.end,
                    c.coder,
                    if c.key_quote { " ★" } else { "" },
                    one_line(&c.quote, 80)
                );
            }
        }
        CodingCommand::Import {
            project,
            csv,
            create_codes,
        } => {
            let r = open(&project)?
                .apply(Cmd::ImportCodingsCsv {
                    path: csv.clone(),
                    create_codes,
                })?
                .codings_imported()?;
            println!("applied {} codings", r.applied);
            if r.already > 0 {
                println!("{} were already there", r.already);
            }
            if !r.codes_created.is_empty() {
                println!("created {} codes", r.codes_created.len());
            }
            for why in &r.rejected {
                println!("  not applied: {why}");
            }
            if !r.rejected.is_empty() {
                bail!("{} rows did not fit", r.rejected.len());
            }
        }
        CodingCommand::Remove { project, coding } => {
            open(&project)?.apply(Cmd::RemoveCoding {
                coding: coding.to_owned(),
            })?;
            println!("removed coding {coding}");
        }
        CodingCommand::Recode {
            project,
            coding,
            code,
        } => {
            open(&project)?.apply(Cmd::RecodeCoding {
                coding: coding.to_owned(),
                code: code.to_owned(),
            })?;
            println!("moved coding {coding} to {code}");
        }
        CodingCommand::Resize {
            project,
            coding,
            start,
            end,
        } => {
            let mut p = open(&project)?;
            p.apply(Cmd::ResizeCoding {
                coding: coding.to_owned(),
                start,
                end,
            })?;
            println!("now “{}”", p.coding(&coding)?.quote);
        }
        CodingCommand::Key {
            project,
            coding,
            off,
        } => {
            open(&project)?.apply(Cmd::SetKeyQuote {
                coding: coding.to_owned(),
                key_quote: !off,
            })?;
            println!(
                "{coding} {} a key quote",
                if off { "is no longer" } else { "is" }
            );
        }
    }
    Ok(())
}

pub fn run_memo(cmd: MemoCommand) -> Result<()> {
    match cmd {
        MemoCommand::Add {
            project,
            on,
            target,
            title,
            body,
        } => {
            let mut p = open(&project)?;
            let t = p.memo_target(&on, target.as_deref())?;
            let uuid = p
                .apply(Cmd::AddMemo {
                    target: t.clone(),
                    title: title.to_owned(),
                    body: body.to_owned(),
                })?
                .id()?;
            println!("memo {} on the {on}", &uuid[..8]);
        }
        MemoCommand::List {
            project,
            on,
            target,
            coder,
            json,
        } => {
            let p = open(&project)?;
            let t = on
                .map(|on| p.memo_target(&on, target.as_deref()))
                .transpose()?;
            let mut memos = p.memos(t.as_ref())?;
            if let Some(coder) = coder {
                let coder = coder.trim().to_lowercase();
                memos.retain(|m| m.author.to_lowercase() == coder);
            }
            if json {
                return print_json(&memos);
            }
            for m in memos {
                println!(
                    "{} [{}{}] {} ({}, {})",
                    &m.uuid[..8],
                    m.target.kind(),
                    m.date
                        .as_deref()
                        .map(|d| format!(" {d}"))
                        .unwrap_or_default(),
                    m.title,
                    m.author,
                    &m.updated_at[..10.min(m.updated_at.len())]
                );
                for line in m.body.lines() {
                    println!("    {line}");
                }
            }
        }
        MemoCommand::Edit {
            project,
            memo,
            title,
            body,
        } => {
            let mut p = open(&project)?;
            let m = p
                .memos(None)?
                .into_iter()
                .find(|m| m.uuid.starts_with(memo.trim()))
                .ok_or_else(|| anyhow::anyhow!("no memo matches '{memo}'"))?;
            p.apply(Cmd::EditMemoFields {
                memo: m.uuid.to_owned(),
                title: title.clone(),
                body: body.clone(),
            })?;
            println!("edited memo {}", &m.uuid[..8]);
        }
        MemoCommand::Delete { project, memo } => {
            open(&project)?.apply(Cmd::DeleteMemo {
                memo: memo.to_owned(),
            })?;
            println!("deleted memo {memo}");
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct JournalArgs {
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
}

/// `storyloom journal PROJECT [--add TITLE --body TEXT --date YYYY-MM-DD]`.
pub fn run_journal(
    JournalArgs {
        project,
        add,
        body,
        date,
        json,
    }: JournalArgs,
) -> Result<()> {
    let mut p = open(&project)?;
    if let Some(title) = add {
        p.apply(Cmd::AddJournalEntry {
            date: date.clone(),
            title: title.to_owned(),
            body: body.to_owned(),
        })?
        .id()?;
    }
    let entries = p.journal()?;
    if json {
        return print_json(&entries);
    }
    for e in entries {
        println!(
            "{}  {}  ({})",
            e.date.as_deref().unwrap_or(""),
            e.title,
            e.author
        );
        for line in e.body.lines() {
            println!("    {line}");
        }
    }
    Ok(())
}
