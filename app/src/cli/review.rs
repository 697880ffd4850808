//! `storyloom correct` and `storyloom review`: transcript corrections and the
//! list of anchors they could not place with certainty.

use super::{open, print_json};
use crate::text::one_line;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use storyloom_project::Command as Cmd;
use storyloom_project::Resolution;

#[derive(Args)]
pub struct CorrectArgs {
    project: PathBuf,
    document: String,
    #[arg(long, value_name = "FILE")]
    from: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn run_correct(
    CorrectArgs {
        project,
        document,
        from,
        json,
    }: CorrectArgs,
) -> Result<()> {
    let mut p = open(&project)?;
    let r = p
        .apply(Cmd::CorrectDocument {
            document: document.to_owned(),
            file: from.to_path_buf(),
        })?
        .corrected()?;
    if json {
        return print_json(&r);
    }
    println!(
        "{}: version {} → {} ({})",
        r.document, r.old_version, r.new_version, r.diff
    );
    println!(
        "  codings re-anchored: {}, to review: {}",
        r.codings_placed, r.codings_to_review
    );
    if r.spans_placed + r.spans_to_review > 0 {
        println!(
            "  story excerpts re-anchored: {}, to review: {}",
            r.spans_placed, r.spans_to_review
        );
    }
    if r.earlier_items_placed > 0 {
        println!(
            "  items waiting from earlier corrections, now placed: {}",
            r.earlier_items_placed
        );
    }
    if !r.new_speakers.is_empty() {
        println!("  new speakers: {}", r.new_speakers.join(", "));
    }
    if r.codings_to_review + r.spans_to_review > 0 {
        println!(
            "  see `storyloom review {}` to place or remove what could not be placed with certainty",
            project.display()
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct ReviewArgs {
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
}

pub fn run_review(a: ReviewArgs) -> Result<()> {
    let mut p = open(&a.project)?;
    if let Some(item) = &a.accept {
        p.apply(Cmd::ResolveReview {
            item: item.to_owned(),
            resolution: Resolution::Accept,
        })?;
        println!("placed {item} where it was proposed");
        return Ok(());
    }
    if let Some(v) = &a.place {
        let (start, end) = match v.as_slice() {
            [_, s, e] => (s.parse()?, e.parse()?),
            _ => anyhow::bail!("--place ITEM START END"),
        };
        p.apply(Cmd::ResolveReview {
            item: v[0].to_owned(),
            resolution: Resolution::Place { start, end },
        })?;
        println!("placed {} at {start}..{end}", v[0]);
        return Ok(());
    }
    if let Some(item) = &a.remove {
        p.apply(Cmd::ResolveReview {
            item: item.to_owned(),
            resolution: Resolution::Remove,
        })?;
        println!("removed {item} (undo brings it back)");
        return Ok(());
    }
    let items = p.review_items(a.all)?;
    if a.json {
        return print_json(&items);
    }
    if items.is_empty() {
        println!("nothing to review");
    }
    for i in items {
        println!(
            "{}  {}  {}{}",
            &i.uuid[..8],
            i.document_name,
            i.label,
            if i.resolved { " (resolved)" } else { "" }
        );
        println!("    was:      “{}”", one_line(&i.quote, 100));
        println!("    why:      {}", i.reason);
        match (i.proposal, &i.proposal_text) {
            (Some((s, e)), Some(t)) => {
                println!("    proposed: {s}..{e} “{}”", one_line(t, 100))
            }
            _ => println!("    proposed: nothing; place it with --place or remove it"),
        }
    }
    Ok(())
}
