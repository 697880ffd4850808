//! `storyloom code ...` and `storyloom theme ...`: the codebook and themes.

use super::{open, print_json};
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;
use storyloom_project::Command as Cmd;
use storyloom_project::ThemeStatus;

#[derive(Subcommand)]
pub enum CodeCommand {
    /// The codebook as a tree, with counts of codings, documents and participants.
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Create a code.
    Add {
        project: PathBuf,
        name: String,
        /// Parent code (name or path `A > B`).
        #[arg(long)]
        parent: Option<String>,
        /// Colour as #rrggbb.
        #[arg(long)]
        color: Option<String>,
    },
    Rename {
        project: PathBuf,
        code: String,
        new_name: String,
    },
    /// Set a code's colour (#rrggbb).
    Color {
        project: PathBuf,
        code: String,
        color: String,
    },
    /// Set what a code means (options left out are kept).
    Describe {
        project: PathBuf,
        code: String,
        #[arg(long)]
        definition: Option<String>,
        #[arg(long)]
        when_to_use: Option<String>,
        #[arg(long)]
        when_not: Option<String>,
    },
    /// Make a code a category that groups codes and takes no coding
    /// (--category; refused while it has codings), or codable again (--codable).
    Set {
        project: PathBuf,
        code: String,
        #[arg(long, conflicts_with = "codable", required_unless_present = "codable")]
        category: bool,
        #[arg(long)]
        codable: bool,
    },
    /// Move a code under another (--under) or to the top level (--top).
    Move {
        project: PathBuf,
        code: String,
        #[arg(long, conflicts_with = "top", required_unless_present = "top")]
        under: Option<String>,
        #[arg(long)]
        top: bool,
    },
    /// Merge SOURCE into TARGET: codings, sub-codes, themes and memos move; nothing is lost.
    Merge {
        project: PathBuf,
        source: String,
        target: String,
    },
    /// Delete a code and its sub-codes (undo brings them back with their codings).
    Delete { project: PathBuf, code: String },
}

#[derive(Subcommand)]
pub enum ThemeCommand {
    /// Themes with status, definition and codes.
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Create a candidate theme.
    Add {
        project: PathBuf,
        name: String,
        #[arg(long, default_value = "")]
        definition: String,
    },
    Rename {
        project: PathBuf,
        theme: String,
        new_name: String,
    },
    /// Set a theme's definition.
    Define {
        project: PathBuf,
        theme: String,
        definition: String,
    },
    /// Set a theme's status: candidate, reviewed or defined.
    Status {
        project: PathBuf,
        theme: String,
        status: String,
    },
    /// Put codes in a theme.
    AddCode {
        project: PathBuf,
        theme: String,
        #[arg(required = true)]
        codes: Vec<String>,
    },
    /// Take codes out of a theme.
    RemoveCode {
        project: PathBuf,
        theme: String,
        #[arg(required = true)]
        codes: Vec<String>,
    },
    Delete {
        project: PathBuf,
        theme: String,
    },
}

pub fn run_code(cmd: CodeCommand) -> Result<()> {
    match cmd {
        CodeCommand::List { project, json } => {
            let p = open(&project)?;
            let codes = p.codes()?;
            let counts = p.code_frequencies()?;
            if json {
                let rows: Vec<_> = codes
                    .iter()
                    .map(|c| {
                        let f = counts.iter().find(|f| f.code == c.uuid);
                        serde_json::json!({ "code": c, "frequency": f })
                    })
                    .collect();
                return print_json(&rows);
            }
            println!(
                "{:<48} {:>7} {:>5} {:>5}  colour",
                "code", "codings", "docs", "ppl"
            );
            for c in &codes {
                let f = counts.iter().find(|f| f.code == c.uuid);
                let indent = "  ".repeat(c.path.len().saturating_sub(1));
                let category = if c.codable { "" } else { " (category)" };
                println!(
                    "{:<48} {:>7} {:>5} {:>5}  {}",
                    format!("{indent}{}{category}", c.name()),
                    f.map_or(0, |f| f.codings),
                    f.map_or(0, |f| f.documents),
                    f.map_or(0, |f| f.participants),
                    c.color
                );
            }
        }
        CodeCommand::Add {
            project,
            name,
            parent,
            color,
        } => {
            let uuid = open(&project)?
                .apply(Cmd::CreateCode {
                    name: name.to_owned(),
                    parent: parent.clone(),
                    color: color.clone(),
                })?
                .id()?;
            println!("created code '{name}' ({uuid})");
        }
        CodeCommand::Rename {
            project,
            code,
            new_name,
        } => {
            open(&project)?.apply(Cmd::RenameCode {
                code: code.to_owned(),
                new_name: new_name.to_owned(),
            })?;
            println!("renamed '{code}' to '{new_name}'");
        }
        CodeCommand::Color {
            project,
            code,
            color,
        } => {
            open(&project)?.apply(Cmd::SetCodeColor {
                code: code.to_owned(),
                color: color.to_owned(),
            })?;
            println!("'{code}' is now {color}");
        }
        CodeCommand::Describe {
            project,
            code,
            definition,
            when_to_use,
            when_not,
        } => {
            let mut p = open(&project)?;
            let path = p.code(&code)?.path_string();
            // Only the parts given, set inside the write transaction.
            p.apply(Cmd::DescribeCodeFields {
                code: code.to_owned(),
                definition: definition.clone(),
                when_to_use: when_to_use.clone(),
                when_not: when_not.clone(),
            })?;
            println!("described '{path}'");
        }
        CodeCommand::Set {
            project,
            code,
            category,
            codable: _,
        } => {
            let mut p = open(&project)?;
            let path = p.code(&code)?.path_string();
            let changed = p
                .apply(Cmd::SetCodeCategory {
                    code: code.to_owned(),
                    category,
                })?
                .flag()?;
            let what = if category {
                "a category (not codable)"
            } else {
                "codable"
            };
            if changed {
                println!("'{path}' is now {what}; `storyloom undo` takes it back");
            } else {
                println!("'{path}' was already {what}; nothing changed");
            }
        }
        CodeCommand::Move {
            project,
            code,
            under,
            top: _,
        } => {
            open(&project)?.apply(Cmd::MoveCode {
                code: code.to_owned(),
                parent: under.clone(),
            })?;
            println!(
                "moved '{code}' under {}",
                under.as_deref().unwrap_or("the top level")
            );
        }
        CodeCommand::Merge {
            project,
            source,
            target,
        } => {
            let r = open(&project)?
                .apply(Cmd::MergeCodes {
                    source: source.to_owned(),
                    target: target.to_owned(),
                })?
                .merged()?;
            println!(
                "merged '{}' into '{}': {} codings moved, {} duplicates dropped",
                r.source, r.target, r.codings_moved, r.duplicates_dropped
            );
        }
        CodeCommand::Delete { project, code } => {
            let n = open(&project)?
                .apply(Cmd::DeleteCode {
                    code: code.to_owned(),
                })?
                .count()?;
            println!("deleted {n} code(s); `storyloom undo` brings them back");
        }
    }
    Ok(())
}

pub fn run_theme(cmd: ThemeCommand) -> Result<()> {
    match cmd {
        ThemeCommand::List { project, json } => {
            let p = open(&project)?;
            let themes = p.themes()?;
            if json {
                return print_json(&themes);
            }
            let codes = p.codes()?;
            for t in themes {
                println!("{} [{}]", t.name, t.status.as_str());
                if !t.definition.is_empty() {
                    println!("  {}", t.definition);
                }
                for c in &t.codes {
                    if let Some(code) = codes.iter().find(|x| &x.uuid == c) {
                        println!("  - {}", code.path_string());
                    }
                }
            }
        }
        ThemeCommand::Add {
            project,
            name,
            definition,
        } => {
            let uuid = open(&project)?
                .apply(Cmd::CreateTheme {
                    name: name.to_owned(),
                    definition: definition.to_owned(),
                })?
                .id()?;
            println!("created candidate theme '{name}' ({uuid})");
        }
        ThemeCommand::Rename {
            project,
            theme,
            new_name,
        } => {
            open(&project)?.apply(Cmd::RenameTheme {
                theme: theme.to_owned(),
                new_name: new_name.to_owned(),
            })?;
            println!("renamed '{theme}' to '{new_name}'");
        }
        ThemeCommand::Define {
            project,
            theme,
            definition,
        } => {
            open(&project)?.apply(Cmd::DefineTheme {
                theme: theme.to_owned(),
                definition: definition.to_owned(),
            })?;
            println!("defined '{theme}'");
        }
        ThemeCommand::Status {
            project,
            theme,
            status,
        } => {
            let s = ThemeStatus::parse(&status).ok_or_else(|| {
                anyhow::anyhow!("'{status}' is not a status: candidate, reviewed or defined")
            })?;
            open(&project)?.apply(Cmd::SetThemeStatus {
                theme: theme.to_owned(),
                status: s,
            })?;
            println!("'{theme}' is now {}", s.as_str());
        }
        ThemeCommand::AddCode {
            project,
            theme,
            codes,
        } => {
            let mut p = open(&project)?;
            for c in codes {
                if p.apply(Cmd::AddCodeToTheme {
                    theme: theme.to_owned(),
                    code: c.to_owned(),
                })?
                .flag()?
                {
                    println!("put '{c}' in '{theme}'");
                } else {
                    println!("'{c}' was already in '{theme}'");
                }
            }
        }
        ThemeCommand::RemoveCode {
            project,
            theme,
            codes,
        } => {
            let mut p = open(&project)?;
            for c in codes {
                if p.apply(Cmd::RemoveCodeFromTheme {
                    theme: theme.to_owned(),
                    code: c.to_owned(),
                })?
                .flag()?
                {
                    println!("took '{c}' out of '{theme}'");
                } else {
                    println!("'{c}' was not in '{theme}'");
                }
            }
        }
        ThemeCommand::Delete { project, theme } => {
            open(&project)?.apply(Cmd::DeleteTheme {
                theme: theme.to_owned(),
            })?;
            println!("deleted theme '{theme}'");
        }
    }
    Ok(())
}
