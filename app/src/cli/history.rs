//! `storyloom history`, `undo` and `redo`: the audit trail of every change,
//! and stepping back and forth through it.

use super::documents::ProjectArgs;
use super::{open, print_json};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct HistoryArgs {
    project: PathBuf,
    /// Only how the codebook and themes developed.
    #[arg(long)]
    codebook: bool,
    #[arg(long)]
    json: bool,
}

pub fn run_history(
    HistoryArgs {
        project,
        codebook,
        json,
    }: HistoryArgs,
) -> Result<()> {
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
    match p.undo()? {
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
    match p.redo()? {
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
