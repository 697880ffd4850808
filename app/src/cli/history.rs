//! `storyloom history`, `undo` and `redo`: the audit trail of every change,
//! and stepping back and forth through it.

use super::documents::ProjectArgs;
use super::{open, print_json};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use storyloom_project::Command as Cmd;

#[derive(Args)]
pub struct HistoryArgs {
    project: PathBuf,
    /// Only how the codebook and themes developed.
    #[arg(long)]
    codebook: bool,
    /// Only the changes this user made (undo and redo included).
    #[arg(long)]
    coder: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run_history(
    HistoryArgs {
        project,
        codebook,
        coder,
        json,
    }: HistoryArgs,
) -> Result<()> {
    let mut h = open(&project)?.history()?;
    if codebook {
        h.retain(|e| is_codebook_command(&e.command));
    }
    if let Some(coder) = coder {
        let coder = coder.trim().to_lowercase();
        h.retain(|e| e.actor.to_lowercase() == coder);
    }
    if json {
        print_json(&h)?;
    } else {
        for e in h {
            // Who and on which computer; entries from before version 6 name no computer.
            let who = match &e.machine {
                Some(m) => format!("{}@{m}", e.actor),
                None => e.actor.clone(),
            };
            println!(
                "{:>5} {} {:<20} {:<20} {}{}",
                e.seq,
                &e.at[..19.min(e.at.len())],
                who,
                e.command,
                e.summary,
                if e.undone { " (undone)" } else { "" }
            );
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct BackupArgs {
    project: PathBuf,
    /// The copy to write (replaced whole, never half-written).
    out: PathBuf,
}

/// `storyloom backup PROJECT OUT`.
pub fn run_backup(BackupArgs { project, out }: BackupArgs) -> Result<()> {
    open(&project)?.backup_to(&out)?;
    println!(
        "copied {} to {} (one file, checked)",
        project.display(),
        out.display()
    );
    Ok(())
}

pub fn run_undo(ProjectArgs { project }: ProjectArgs) -> Result<()> {
    let mut p = open(&project)?;
    match p.apply(Cmd::Undo)?.reversed()? {
        Some(r) => println!("undone: {} (yours, as {})", r.summary, r.actor),
        None => println!(
            "nothing of yours to undo (as {}; undo reverses only your own actions)",
            p.actor()
        ),
    }
    Ok(())
}

pub fn run_redo(ProjectArgs { project }: ProjectArgs) -> Result<()> {
    let mut p = open(&project)?;
    match p.apply(Cmd::Redo)?.reversed()? {
        Some(r) => println!("redone: {} (yours, as {})", r.summary, r.actor),
        None => println!("nothing of yours to redo (as {})", p.actor()),
    }
    Ok(())
}

/// History commands that shape the codebook and themes (for `history --codebook`).
fn is_codebook_command(command: &str) -> bool {
    let base = command
        .strip_prefix("undo ")
        .or_else(|| command.strip_prefix("redo "))
        .unwrap_or(command);
    base.contains("code") && base != "code" && base != "uncode" || base.contains("theme")
}
