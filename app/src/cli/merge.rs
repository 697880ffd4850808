//! `storyloom merge` (bring a colleague's copy in) and `storyloom
//! conflicts` (what merges left for a person to settle).

use super::{open, print_json};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use storyloom_project::Command as Cmd;
use storyloom_project::store::ConflictRow;

#[derive(Args)]
pub struct MergeArgs {
    project: PathBuf,
    /// The colleague's copy: a .storyloom file made from the same project.
    other: PathBuf,
    /// Report what the merge would do; write nothing.
    #[arg(long)]
    dry_run: bool,
    #[arg(long)]
    json: bool,
}

/// `storyloom merge PROJECT OTHER [--dry-run] [--json]`.
pub fn run_merge(a: MergeArgs) -> Result<()> {
    let mut p = open(&a.project)?;
    let r = p
        .apply(Cmd::MergeCopy {
            other: a.other.to_path_buf(),
            dry_run: a.dry_run,
        })?
        .copy_merged()?;
    if a.json {
        return print_json(&r);
    }
    let head = if r.dry_run {
        "would merge"
    } else if r.is_empty() {
        "nothing new in"
    } else {
        "merged"
    };
    println!(
        "{head} {} into {}{}",
        a.other.display(),
        a.project.display(),
        if r.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    println!(
        "  their changes since the copies diverged: {}{}",
        r.their_actions,
        if r.their_people.is_empty() {
            String::new()
        } else {
            format!(", by {}", r.their_people.join(", "))
        }
    );
    for (what, map) in [
        ("added", &r.added),
        ("changed", &r.changed),
        ("removed", &r.removed),
    ] {
        if !map.is_empty() {
            let parts: Vec<String> = map.iter().map(|(t, n)| format!("{n} {t}")).collect();
            println!("  {what}: {}", parts.join(", "));
        }
    }
    if r.already_listed > 0 {
        println!(
            "  conflicts already on the review list: {}",
            r.already_listed
        );
    }
    if !r.conflicts.is_empty() {
        println!("  conflicts for review: {}", r.conflicts.len());
        print_conflicts(&r.conflicts);
        if !r.dry_run {
            println!(
                "  see `storyloom conflicts {}`; undo reverses the whole merge",
                a.project.display()
            );
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct ConflictsArgs {
    project: PathBuf,
    /// Mark CONFLICT (id or id prefix) settled, the version kept staying.
    #[arg(long, value_name = "CONFLICT")]
    settle: Option<String>,
    /// Settle CONFLICT by taking the other person's version instead (their
    /// value, their deletion, their correction, their row).
    #[arg(long, value_name = "CONFLICT", conflicts_with = "settle")]
    take_other: Option<String>,
    /// Include settled conflicts.
    #[arg(long)]
    all: bool,
    #[arg(long)]
    json: bool,
}

/// `storyloom conflicts PROJECT [--settle ID | --take-other ID] [--all] [--json]`.
pub fn run_conflicts(a: ConflictsArgs) -> Result<()> {
    let mut p = open(&a.project)?;
    if let Some(id) = &a.settle {
        p.apply(Cmd::SettleMergeConflict {
            conflict: id.to_owned(),
        })?;
        println!("settled {id}");
        return Ok(());
    }
    if let Some(id) = &a.take_other {
        let preview = p.take_other_preview(id)?;
        p.apply(Cmd::TakeOtherVersion {
            conflict: id.to_owned(),
        })?;
        println!("settled {id}: {}", preview.words);
        return Ok(());
    }
    let list = p.merge_conflicts(a.all)?;
    if a.json {
        return print_json(&list);
    }
    if list.is_empty() {
        println!("no merge conflicts to settle");
    }
    print_conflicts(&list);
    Ok(())
}

fn print_conflicts(list: &[ConflictRow]) {
    for c in list {
        println!(
            "    {}  [{}] {}{}",
            &c.uuid[..8],
            c.kind,
            c.label,
            if c.resolved { " (settled)" } else { "" }
        );
        println!(
            "        kept:  {} ({})",
            short(c.kept.as_deref()),
            c.kept_by
        );
        println!(
            "        other: {} ({})",
            short(c.other.as_deref()),
            c.other_by
        );
    }
}

fn short(v: Option<&str>) -> String {
    match v {
        None => "(none)".into(),
        Some(s) => {
            let s: String = s.chars().take(100).collect();
            s
        }
    }
}
