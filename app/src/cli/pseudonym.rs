//! `storyloom pseudonym ...`: the pseudonym map (list, add, suggest) and its
//! key file kept apart from the project (export, import).

use super::{open, print_json};
use anyhow::{Result, bail};
use clap::Subcommand;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use storyloom_project::Command as Cmd;
use storyloom_project::project::names_ops::{FoundName, NamesSummary};
use storyloom_project::store::pseudonyms::Verdict;
use storyloom_project::stories::{PseudonymKind, PseudonymMap};

#[derive(Subcommand)]
pub enum PseudonymCommand {
    /// The pseudonym map (originals are shown: keep this output private).
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Add or change an entry.
    Add {
        project: PathBuf,
        original: String,
        replacement: String,
        /// person, place, organisation, date or other.
        #[arg(long, default_value = "person")]
        kind: String,
        /// Leave it to confirm later (not applied until confirmed).
        #[arg(long)]
        unconfirmed: bool,
        /// Apply it only in this participant's documents (study id, e.g. P09).
        #[arg(long)]
        scope: Option<String>,
    },
    /// Settle a name found in the text without replacing it.
    Review {
        project: PathBuf,
        /// The name as `storyloom names` lists it.
        name: String,
        /// not-identifying or kept-with-consent.
        #[arg(long = "as", value_name = "VERDICT")]
        verdict: String,
        /// Only in this participant's documents (study id).
        #[arg(long)]
        scope: Option<String>,
        /// Why (kept in the project's record).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Take back a review: the name is unreviewed again.
    Unreview {
        project: PathBuf,
        name: String,
        #[arg(long)]
        scope: Option<String>,
    },
    /// Confirm an entry so that it is applied.
    Confirm { project: PathBuf, original: String },
    /// Remove an entry (with `--scope`, the one for that participant's documents).
    Remove {
        project: PathBuf,
        original: String,
        #[arg(long)]
        scope: Option<String>,
    },
    /// Names worth pseudonymising, with why and how often they occur.
    Suggest {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write the map to a key file (JSON, or CSV by extension).
    Export {
        project: PathBuf,
        file: PathBuf,
        /// Then remove the map from the project (stakeholder output will need the file).
        #[arg(long)]
        detach: bool,
        /// A CSV key without the UTF-8 byte order mark (for scripts that do not expect one).
        #[arg(long)]
        no_bom: bool,
    },
    /// Load a key file into the project.
    Import { project: PathBuf, file: PathBuf },
}

pub(super) fn key_map(key: Option<&Path>) -> Result<Option<PseudonymMap>> {
    Ok(match key {
        Some(k) => Some(PseudonymMap::read_file(k)?),
        None => None,
    })
}
pub fn run_pseudonym(cmd: PseudonymCommand) -> Result<ExitCode> {
    match cmd {
        PseudonymCommand::List { project, json } => {
            let p = open(&project)?;
            let list = p.pseudonyms()?;
            let state = p.pseudonym_key_state()?;
            if json {
                print_json(&json!({ "key": state, "entries": list }))?;
            } else {
                for e in &list {
                    println!(
                        "{:30} → [{}]  {}{}",
                        e.original,
                        e.replacement,
                        e.kind.as_str(),
                        if e.confirmed { "" } else { "  (to confirm)" }
                    );
                }
                if let storyloom_project::stories::KeyState::Apart { file, entries, .. } = state {
                    println!(
                        "the key ({entries} entries) is kept apart from the project, in {file}"
                    );
                }
            }
        }
        PseudonymCommand::Add {
            project,
            original,
            replacement,
            kind,
            unconfirmed,
            scope,
        } => {
            let mut p = open(&project)?;
            let Some(k) = PseudonymKind::parse(&kind) else {
                bail!("unknown kind '{kind}' (person, place, organisation, date, other)");
            };
            p.apply(Cmd::SetPseudonym {
                original: original.to_owned(),
                replacement: replacement.to_owned(),
                kind: k,
                confirmed: !unconfirmed,
                scope: scope.clone(),
            })?;
            println!(
                "{original} → [{replacement}]{}",
                scope
                    .map(|s| format!(" in {s}'s documents"))
                    .unwrap_or_default()
            );
        }
        PseudonymCommand::Review {
            project,
            name,
            verdict,
            scope,
            note,
        } => {
            let Some(v) = Verdict::parse(&verdict) else {
                bail!("unknown verdict '{verdict}' (not-identifying, kept-with-consent)");
            };
            open(&project)?.apply(Cmd::ReviewName {
                name: name.to_owned(),
                verdict: v,
                scope: scope.clone(),
                note: note.to_owned(),
            })?;
            println!("{name}: {}", v.as_str().replace('-', " "));
        }
        PseudonymCommand::Unreview {
            project,
            name,
            scope,
        } => {
            open(&project)?.apply(Cmd::UnreviewName {
                name: name.to_owned(),
                scope: scope.clone(),
            })?;
            println!("{name}: unreviewed");
        }
        PseudonymCommand::Confirm { project, original } => {
            open(&project)?.apply(Cmd::ConfirmPseudonym {
                original: original.to_owned(),
            })?;
            println!("confirmed");
        }
        PseudonymCommand::Remove {
            project,
            original,
            scope,
        } => {
            open(&project)?.apply(Cmd::RemovePseudonym {
                original: original.to_owned(),
                scope: scope.clone(),
            })?;
            println!("removed");
        }
        PseudonymCommand::Suggest { project, json } => {
            let p = open(&project)?;
            let s = p.pseudonym_suggestions()?;
            if json {
                print_json(&s)?;
            } else {
                for x in s {
                    println!(
                        "{:30} {:12} ×{:<4} {}{}",
                        x.original,
                        x.kind.as_str(),
                        x.occurrences,
                        x.reason,
                        x.replacement
                            .map(|r| format!(" → [{r}]"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        PseudonymCommand::Export {
            project,
            file,
            detach,
            no_bom,
        } => {
            let mut p = open(&project)?;
            let n = p
                .apply(Cmd::ExportPseudonymKey {
                    path: file.to_path_buf(),
                    detach,
                    bom: !no_bom,
                })?
                .count()?;
            println!(
                "{n} entries written to {}{}",
                file.display(),
                if detach {
                    "; removed from the project (keep the file safe: stakeholder output needs it)"
                } else {
                    ""
                }
            );
        }
        PseudonymCommand::Import { project, file } => {
            let n = open(&project)?
                .apply(Cmd::ImportPseudonymKey {
                    path: file.to_path_buf(),
                })?
                .count()?;
            println!("{n} entries loaded from {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `storyloom names PROJECT`: the names found in the transcripts.
#[derive(clap::Args)]
pub struct NamesArgs {
    project: PathBuf,
    /// The pseudonym key file, when the map is kept apart from the project.
    #[arg(long)]
    key: Option<PathBuf>,
    /// Only the names not yet settled.
    #[arg(long)]
    unreviewed: bool,
    #[arg(long)]
    json: bool,
}

pub fn run_names(a: NamesArgs) -> Result<ExitCode> {
    let p = open(&a.project)?;
    let key = key_map(a.key.as_deref())?;
    let all = p.found_names(key.as_ref())?;
    let summary = NamesSummary::of(&all);
    let shown: Vec<&FoundName> = all
        .iter()
        .filter(|n| !a.unreviewed || !n.state.is_reviewed())
        .collect();
    let details = p.identifying_details()?;
    if a.json {
        print_json(&json!({ "summary": summary, "names": shown, "details": details }))?;
    } else {
        for n in &shown {
            println!(
                "{:32} {:12} ×{:<4} {}",
                n.name,
                n.kind.as_str(),
                n.count,
                n.state.label()
            );
            for c in n.contexts.iter().take(3) {
                println!("      {}: …{}…", c.document, c.snippet);
            }
        }
        if !details.is_empty() {
            println!(
                "\n{} detail{} that could identify someone, to review (warnings: exports are not refused for them):",
                details.len(),
                if details.len() == 1 { "" } else { "s" }
            );
            for d in &details {
                println!("{:40} {:18} ×{}", d.text, d.kind.label(), d.count);
                for c in d.contexts.iter().take(2) {
                    println!("      {}: …{}…", c.document, c.snippet);
                }
            }
            println!(
                "A detail that identifies someone can be replaced like a name (`storyloom pseudonym add ORIGINAL REPLACEMENT --kind date|place|other`)."
            );
        }
        println!("{summary} (these lines show real names: keep this output private)");
    }
    Ok(ExitCode::SUCCESS)
}
