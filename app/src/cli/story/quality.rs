//! `storyloom story quality`: does each story read as a story? Blocks and
//! their lengths, mid-sentence endings, gaps a reader cannot see, blocks
//! opening with a pronoun or an answer whose referent was cut, words to the
//! interviewer, key quotes kept whole, the arc, and the title.

use super::super::{open, print_json};
use anyhow::Result;
use serde_json::json;
use std::path::Path;
use storyloom_project::stories::quality::{QualityReport, Spot, median_blocks};

pub(super) fn run(project: &Path, participant: Option<&str>, json: bool) -> Result<()> {
    let p = open(project)?;
    let reports = p.stories_quality(participant)?;
    if json {
        let stories: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["key_quote_share"] = json!(r.key_quote_share());
                v
            })
            .collect();
        return print_json(&json!({
            "stories": stories,
            "median_blocks": median_blocks(&reports),
        }));
    }
    for r in &reports {
        print_report(r);
    }
    if reports.is_empty() {
        println!("no stories");
    } else {
        println!(
            "{} stories, median {} blocks per story",
            reports.len(),
            median_blocks(&reports)
        );
    }
    Ok(())
}

fn spots(label: &str, list: &[Spot]) {
    if list.is_empty() {
        println!("  {label}: none");
    } else {
        println!("  {label}: {}", list.len());
        for s in list {
            println!("    block {}: {}", s.block + 1, s.text);
            if let Some(fix) = &s.fix {
                println!("      fix: {fix}");
            }
        }
    }
}

fn print_report(r: &QualityReport) {
    println!(
        "{}  {}  “{}”",
        &r.story[..r.story.len().min(8)],
        r.participant.as_deref().unwrap_or("-"),
        r.title
    );
    let lengths: Vec<String> = r.block_words.iter().map(|w| w.to_string()).collect();
    println!(
        "  {} words in {} blocks ({})",
        r.words,
        r.blocks,
        lengths.join(", ")
    );
    spots("ends mid-sentence", &r.mid_sentence_endings);
    spots("gaps not marked", &r.unmarked_gaps);
    spots(
        "opens with an unresolved pronoun or bare answer",
        &r.unresolved_starts,
    );
    spots("words to the interviewer", &r.vocatives);
    let whole = r.key_quotes.iter().filter(|k| k.whole).count();
    println!(
        "  key quotes whole: {whole} of {} ({:.0}%)",
        r.key_quotes.len(),
        r.key_quote_share() * 100.0
    );
    for k in r.key_quotes.iter().filter(|k| !k.whole) {
        println!("    not whole: {}", k.quote);
    }
    let thirds: Vec<&str> = ["beginning", "middle", "end"]
        .iter()
        .zip(r.thirds)
        .filter(|(_, t)| *t)
        .map(|(n, _)| *n)
        .collect();
    println!(
        "  draws on the interview's {}; arc: {}",
        if thirds.is_empty() {
            "-".to_owned()
        } else {
            thirds.join(", ")
        },
        if r.arc.is_empty() {
            "-".to_owned()
        } else {
            r.arc.join(", ")
        }
    );
    if r.title_flags.is_empty() {
        println!("  title: fine");
    } else {
        println!("  title: {}", r.title_flags.join("; "));
    }
    if !r.title_alternatives.is_empty() {
        println!("  other titles: {}", r.title_alternatives.join(" | "));
    }
    println!();
}
