//! `storyloom pseudonym ...`: the pseudonym map (list, add, suggest) and its
//! key file kept apart from the project (export, import).

use super::{open, print_json};
use anyhow::{Result, bail};
use clap::Subcommand;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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
    },
    /// Confirm an entry so that it is applied.
    Confirm {
        project: PathBuf,
        original: String,
    },
    Remove {
        project: PathBuf,
        original: String,
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
    },
    /// Load a key file into the project.
    Import {
        project: PathBuf,
        file: PathBuf,
    },
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
        } => {
            let mut p = open(&project)?;
            let Some(k) = PseudonymKind::parse(&kind) else {
                bail!("unknown kind '{kind}' (person, place, organisation, date, other)");
            };
            p.set_pseudonym(&original, &replacement, k, !unconfirmed)?;
            println!("{original} → [{replacement}]");
        }
        PseudonymCommand::Confirm { project, original } => {
            open(&project)?.confirm_pseudonym(&original)?;
            println!("confirmed");
        }
        PseudonymCommand::Remove { project, original } => {
            open(&project)?.remove_pseudonym(&original)?;
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
        } => {
            let mut p = open(&project)?;
            let n = p.export_pseudonym_key(&file, detach)?;
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
            let n = open(&project)?.import_pseudonym_key(&file)?;
            println!("{n} entries loaded from {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
