//! `storyloom search`, `storyloom query ...` and `storyloom agreement`.

use super::{open, print_json};
use crate::text::one_line;
use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use storyloom_project::Role;
use storyloom_project::analysis::CooccurrenceMode;
use storyloom_project::project::{CodeMatrix, Scope};
use storyloom_project::search::{SearchOptions, SearchOrder};

/// Which turns a query looks at.
#[derive(Args, Clone, Default)]
pub struct ScopeArgs {
    /// Only turns of speakers with this role: participant, interviewer or other.
    #[arg(long)]
    role: Option<String>,
    /// Only participants with this attribute value, as NAME=VALUE (repeatable).
    #[arg(long = "where", value_name = "NAME=VALUE")]
    attributes: Vec<String>,
    /// Only these participants (repeatable).
    #[arg(long = "participant")]
    participants: Vec<String>,
    /// Only these documents (repeatable).
    #[arg(long = "document")]
    documents: Vec<String>,
}

impl ScopeArgs {
    fn scope(&self) -> Result<Scope> {
        let role = match &self.role {
            Some(r) => Some(Role::parse(&r.to_lowercase()).ok_or_else(|| {
                anyhow::anyhow!("'{r}' is not a role: participant, interviewer or other")
            })?),
            None => None,
        };
        let mut attributes = Vec::new();
        for a in &self.attributes {
            let Some((k, v)) = a.split_once('=') else {
                bail!("--where takes NAME=VALUE, e.g. --where site=Leeds");
            };
            attributes.push((k.trim().to_owned(), v.trim().to_owned()));
        }
        Ok(Scope {
            role,
            attributes,
            participants: self.participants.clone(),
            documents: self.documents.clone(),
            coders: Vec::new(),
        })
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Mode {
    /// Overlapping coded text.
    Overlap,
    /// Coded in the same speaker turn.
    Turn,
}

#[derive(Subcommand)]
pub enum QueryCommand {
    /// Coding retrieval by a code expression: `Trust AND Loneliness` (text coded with both),
    /// `A OR B`, `A NOT B`, parentheses, paths in quotes.
    Codings {
        project: PathBuf,
        expression: String,
        /// List every coding whole instead of merged passages.
        #[arg(long)]
        each: bool,
        #[command(flatten)]
        scope: ScopeArgs,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
    /// Code co-occurrence matrix (all codes, or --code repeated).
    Cooccurrence {
        project: PathBuf,
        #[arg(long, value_enum, default_value = "overlap")]
        mode: Mode,
        #[arg(long = "code")]
        codes: Vec<String>,
        #[command(flatten)]
        scope: ScopeArgs,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
    /// Codes × participants, or × the values of an attribute (--by ATTRIBUTE): segments and words.
    Matrix {
        project: PathBuf,
        #[arg(long)]
        by: Option<String>,
        #[arg(long = "code")]
        codes: Vec<String>,
        /// Cells show words instead of segments.
        #[arg(long)]
        words: bool,
        #[command(flatten)]
        scope: ScopeArgs,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
    /// How often each code is used: codings, documents, participants, words, coders.
    Frequencies {
        project: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Args)]
pub struct SearchArgs {
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
}

pub fn run_search(a: SearchArgs) -> Result<()> {
    let mut p = open(&a.project)?;
    let options = SearchOptions {
        limit: a.limit,
        regex: a.regex,
        order: if a.in_order {
            SearchOrder::Document
        } else {
            SearchOrder::Score
        },
        ..SearchOptions::default()
    };
    let r = p.search(&a.query, &options)?;
    if a.json {
        return print_json(&r);
    }
    for h in &r.hits {
        let marked = mark_snippet(&h.snippet, &h.snippet_matches);
        println!(
            "{} · turn {} · {}{} · {}..{}",
            h.document_name,
            h.turn_seq + 1,
            h.speaker,
            h.participant
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default(),
            h.turn_start,
            h.turn_end
        );
        println!("    {}", one_line(&marked, 300));
    }
    println!(
        "{} of {} matching turns ({} ms)",
        r.hits.len(),
        r.total,
        r.took_ms
    );
    Ok(())
}

/// Marks matches in a snippet with [brackets] for a terminal.
fn mark_snippet(snippet: &str, matches: &[(usize, usize)]) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if matches.iter().any(|m| m.0 == i) {
            out.push('[');
        }
        out.push(*c);
        if matches.iter().any(|m| m.1 == i + 1) {
            out.push(']');
        }
    }
    out
}

pub fn run_query(cmd: QueryCommand) -> Result<()> {
    match cmd {
        QueryCommand::Codings {
            project,
            expression,
            each,
            scope,
            json,
            csv,
        } => {
            let hits = open(&project)?.query_codings(&expression, &scope.scope()?, each)?;
            if json {
                return print_json(&hits);
            }
            if csv {
                let mut w = csv_writer()?;
                w.write_row([
                    "document",
                    "start",
                    "end",
                    "speaker",
                    "participant",
                    "codes",
                    "coders",
                    "text",
                ])?;
                for h in &hits {
                    w.write_row([
                        h.document_name.as_str(),
                        &h.start.to_string(),
                        &h.end.to_string(),
                        h.speaker.as_deref().unwrap_or(""),
                        h.participant.as_deref().unwrap_or(""),
                        &h.codes.join("; "),
                        &h.coders.join("; "),
                        &h.text,
                    ])?;
                }
                return Ok(w.flush()?);
            }
            for h in &hits {
                println!(
                    "{} {}..{} {}{} [{}]",
                    h.document_name,
                    h.start,
                    h.end,
                    h.speaker.as_deref().unwrap_or("?"),
                    h.participant
                        .as_deref()
                        .map(|x| format!(" ({x})"))
                        .unwrap_or_default(),
                    h.codes.join(", ")
                );
                println!("    “{}”", one_line(&h.text, 300));
            }
            println!("{} passages", hits.len());
        }
        QueryCommand::Cooccurrence {
            project,
            mode,
            codes,
            scope,
            json,
            csv,
        } => {
            let mode = match mode {
                Mode::Overlap => CooccurrenceMode::Overlap,
                Mode::Turn => CooccurrenceMode::SameTurn,
            };
            let m = open(&project)?.cooccurrence(&codes, mode, &scope.scope()?)?;
            if json {
                return print_json(&m);
            }
            let mut w = csv_writer()?;
            let mut header = vec![String::new()];
            header.extend(m.codes.iter().cloned());
            w.write_row(&header)?;
            for (code, row) in m.codes.iter().zip(&m.cells) {
                let mut rec = vec![code.clone()];
                rec.extend(row.iter().map(|n| n.to_string()));
                w.write_row(&rec)?;
            }
            let _ = csv;
            w.flush()?;
        }
        QueryCommand::Matrix {
            project,
            by,
            codes,
            words,
            scope,
            json,
            csv,
        } => {
            let p = open(&project)?;
            let m = match &by {
                Some(attr) => p.code_by_attribute(attr, &codes, &scope.scope()?)?,
                None => p.code_by_participant(&codes, &scope.scope()?)?,
            };
            if json {
                return print_json(&m);
            }
            let _ = csv;
            write_matrix(&m, words)?;
        }
        QueryCommand::Frequencies { project, json, csv } => {
            let f = open(&project)?.code_frequencies()?;
            if json {
                return print_json(&f);
            }
            let mut w = csv_writer()?;
            if csv {
                w.write_row([
                    "code",
                    "codings",
                    "documents",
                    "participants",
                    "words",
                    "coders",
                ])?;
            }
            for r in &f {
                if csv {
                    w.write_row([
                        r.path.as_str(),
                        &r.codings.to_string(),
                        &r.documents.to_string(),
                        &r.participants.to_string(),
                        &r.words.to_string(),
                        &r.coders.join("; "),
                    ])?;
                } else {
                    println!(
                        "{:<48} {:>6} codings {:>4} docs {:>4} ppl {:>7} words",
                        one_line(&r.path, 48),
                        r.codings,
                        r.documents,
                        r.participants,
                        r.words
                    );
                }
            }
            w.flush()?;
        }
    }
    Ok(())
}

/// CSV on standard output: formula-like cells neutralised like every CSV we
/// write, but no byte order mark (a pipe or terminal, not a file for Excel).
fn csv_writer() -> Result<storyloom_exports::SheetCsv<std::io::Stdout>> {
    Ok(storyloom_exports::SheetCsv::new(
        std::io::stdout(),
        storyloom_exports::CsvStyle::without_bom(),
    )?)
}

/// A matrix as CSV (it reads as a table in a terminal too).
fn write_matrix(m: &CodeMatrix, words: bool) -> Result<()> {
    let pick = |c: &(usize, usize)| if words { c.1 } else { c.0 }.to_string();
    let mut w = csv_writer()?;
    let mut header = vec![if words { "words" } else { "segments" }.to_owned()];
    header.extend(m.columns.iter().cloned());
    header.push("total".into());
    w.write_row(&header)?;
    for ((code, row), total) in m.rows.iter().zip(&m.cells).zip(&m.row_totals) {
        let mut rec = vec![code.clone()];
        rec.extend(row.iter().map(pick));
        rec.push(pick(total));
        w.write_row(&rec)?;
    }
    let mut rec = vec!["total".to_owned()];
    rec.extend(m.column_totals.iter().map(pick));
    let grand = m
        .row_totals
        .iter()
        .fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
    rec.push(pick(&grand));
    w.write_row(&rec)?;
    Ok(w.flush()?)
}

#[derive(Args)]
pub struct AgreementArgs {
    project: PathBuf,
    coder_a: String,
    coder_b: String,
    /// Compare on these documents (default: those both coded).
    #[arg(long = "document")]
    documents: Vec<String>,
    #[arg(long)]
    json: bool,
}

pub fn run_agreement(
    AgreementArgs {
        project,
        coder_a,
        coder_b,
        documents,
        json,
    }: AgreementArgs,
) -> Result<()> {
    let s = open(&project)?.agreement(&coder_a, &coder_b, &documents)?;
    if json {
        return print_json(&s);
    }
    print!("{}", agreement_text(&s));
    Ok(())
}

/// A figure as the agreement report prints it (`-` when undefined).
pub fn figure(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |v| format!("{v:.3}"))
}

/// The agreement report `storyloom agreement` prints (the window shows the
/// same figures, formatted the same way).
pub fn agreement_text(s: &storyloom_project::project::AgreementSummary) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} and {} on {} document(s), {} turns",
        s.coder_a,
        s.coder_b,
        s.documents.len(),
        s.turns
    );
    let _ = writeln!(
        out,
        "{:<40} {:>9} {:>7} {:>11} {:>7}",
        "code", "agree %", "kappa", "mean kappa", "alpha"
    );
    for c in &s.codes {
        let _ = writeln!(
            out,
            "{:<40} {:>9.2} {:>7.3} {:>11} {:>7}",
            one_line(&c.code, 40),
            c.pooled.percent,
            c.pooled.kappa,
            figure(c.mean_kappa),
            figure(c.alpha)
        );
    }
    let _ = writeln!(
        out,
        "{:<40} {:>9.2} {:>7.3} {:>11} {:>7}",
        "all codes",
        s.overall.percent,
        s.overall.kappa,
        "",
        figure(s.overall_alpha)
    );
    let _ = writeln!(
        out,
        "Krippendorff's alpha over all (turn, code) units: {}",
        figure(s.overall_alpha)
    );
    if !s.disagreements.is_empty() {
        let _ = writeln!(out, "\nwhere they differ ({}):", s.disagreements.len());
        for d in &s.disagreements {
            let _ = writeln!(
                out,
                "  {} {}..{} '{}' only by {}: “{}”",
                d.document_name,
                d.start,
                d.end,
                d.code,
                d.coded_by,
                one_line(&d.text, 120)
            );
        }
    }
    out
}
