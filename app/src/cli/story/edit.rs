//! `storyloom story excerpt add | cut | clarify | replace | framing | move |
//! delete | split | merge`: every edit the story editor makes, from the
//! command line, each one undoable change through the same `Project` API.
//! Words are named by `--find TEXT` (whitespace-insensitive, must occur once
//! in the block, or in the storyteller's turns for `excerpt add`) or by
//! START END chars of the transcript version. After each edit the block as
//! readers will see it and the checker's counts are printed (or `--json`).

use super::super::{open, print_json};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::PathBuf;
use storyloom_project::Command as Cmd;
use storyloom_project::stories::BlockContent;
use storyloom_project::stories::edit::block_index;
use storyloom_project::{Project, Role};

/// Which words: found by their text, or by a char range of the transcript.
#[derive(Args, Clone)]
pub struct Words {
    /// The words, as they read (spaces and line breaks match any whitespace).
    #[arg(long)]
    find: Option<String>,
    /// First char of the range in the transcript version.
    start: Option<usize>,
    /// End char (exclusive).
    end: Option<usize>,
}

#[derive(Subcommand)]
pub enum ExcerptCommand {
    /// Add the storyteller's words as a new excerpt block.
    Add {
        project: PathBuf,
        story: String,
        #[command(flatten)]
        words: Words,
        /// The document (default: the one of the storyteller's documents holding the words).
        #[arg(long)]
        document: Option<String>,
        /// Place in the story, 1-based (default: the end).
        #[arg(long)]
        position: Option<usize>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum EditCommand {
    /// Excerpt blocks: `story excerpt add`.
    Excerpt {
        #[command(subcommand)]
        cmd: ExcerptCommand,
    },
    /// Cut words from a block (shown as " … "; at an edge the excerpt is shortened).
    Cut {
        project: PathBuf,
        story: String,
        /// The block: its place (1-based) or its id.
        block: String,
        #[command(flatten)]
        words: Words,
        /// Drop a listed filler or an immediate repeat without a mark.
        #[arg(long)]
        filler: bool,
        /// When the cut takes the start of a sentence and would leave its
        /// tail as a fragment, cut to the end of that sentence.
        #[arg(long)]
        to_sentence_end: bool,
        #[arg(long)]
        json: bool,
    },
    /// Add a short bracketed clarification after some words of a block.
    Clarify {
        project: PathBuf,
        story: String,
        block: String,
        /// The clarification, without brackets ("Ron, her husband").
        text: String,
        /// The words it follows.
        #[arg(long)]
        after: String,
        #[arg(long)]
        json: bool,
    },
    /// Show words of a block as a bracketed replacement (a name or identifying detail).
    Replace {
        project: PathBuf,
        story: String,
        block: String,
        /// The replacement, without brackets ("Sita", "her daughter").
        with: String,
        #[command(flatten)]
        words: Words,
        #[arg(long)]
        json: bool,
    },
    /// Add researcher framing (third person, shown in italics), or rewrite a framing block.
    Framing {
        project: PathBuf,
        story: String,
        text: String,
        /// Rewrite this framing block instead of adding one.
        #[arg(long)]
        block: Option<String>,
        /// Place of a new framing block, 1-based (default: the start).
        #[arg(long)]
        position: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Move a block to another place (1-based).
    Move {
        project: PathBuf,
        story: String,
        block: String,
        to: usize,
        #[arg(long)]
        json: bool,
    },
    /// Delete a block.
    Delete {
        project: PathBuf,
        story: String,
        block: String,
        #[arg(long)]
        json: bool,
    },
    /// Split an excerpt in two before some words.
    Split {
        project: PathBuf,
        story: String,
        block: String,
        /// The words the second block starts with.
        #[arg(long)]
        before: String,
        #[arg(long)]
        json: bool,
    },
    /// Merge an excerpt with the next block (later words of the same transcript).
    Merge {
        project: PathBuf,
        story: String,
        block: String,
        #[arg(long)]
        json: bool,
    },
}

/// The text with whitespace runs as one space, and the char each of its chars came from.
fn flat(text: &str, base: usize) -> (Vec<char>, Vec<usize>) {
    let mut out = Vec::new();
    let mut at = Vec::new();
    let mut space = false;
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
                at.push(base + i);
            }
            space = true;
        } else {
            out.push(c);
            at.push(base + i);
            space = false;
        }
    }
    (out, at)
}

/// Every place `needle` occurs in `text` (chars, plus `base`), whitespace-insensitive.
fn find_all(text: &str, base: usize, needle: &str) -> Vec<(usize, usize)> {
    let (hay, at) = flat(text, base);
    let (needle, _) = flat(needle.trim(), 0);
    if needle.is_empty() || needle.len() > hay.len() {
        return vec![];
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == needle[..])
        .map(|i| (at[i], at[i + needle.len() - 1] + 1))
        .collect()
}

fn one(found: Vec<(usize, usize)>, needle: &str, place: &str) -> Result<(usize, usize)> {
    match found.as_slice() {
        [one] => Ok(*one),
        [] => bail!("“{needle}” is not in {place}"),
        more => bail!(
            "“{needle}” occurs {} times in {place}: give more words, or START END",
            more.len()
        ),
    }
}

/// The block's transcript version and the char range its excerpt spans.
fn block_range(p: &Project, story: &str, block: &str) -> Result<(String, usize, usize, String)> {
    let s = p.story(story)?;
    let i = block_index(&s, block)?;
    let BlockContent::Excerpt { pieces } = &s.blocks[i].content else {
        bail!("block {block} is framing, the researcher's words: use `story framing --block`");
    };
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        bail!("block {block} is empty");
    };
    let sources = p.story_sources(&s)?;
    let doc = sources
        .get(&first.span.version_id)
        .ok_or_else(|| anyhow!("the transcript of block {block} is missing"))?;
    Ok((
        s.blocks[i].uuid.clone(),
        first.span.start,
        last.span.end,
        doc.slice(first.span.start, last.span.end).to_owned(),
    ))
}

/// The words named in a block: found in it, or the range given.
fn words_in_block(p: &Project, story: &str, block: &str, w: &Words) -> Result<(usize, usize)> {
    let (_, s, _, text) = block_range(p, story, block)?;
    match (&w.find, w.start, w.end) {
        (Some(f), None, None) => one(find_all(&text, s, f), f, &format!("block {block}")),
        (None, Some(a), Some(b)) => Ok((a, b)),
        _ => bail!("name the words with --find TEXT, or with START END (not both)"),
    }
}

/// Prints what an edit left: the block as readers see it and the checker's counts.
fn done(p: &Project, story: &str, block: Option<&str>, what: &str, json_out: bool) -> Result<()> {
    let s = p.story(story)?;
    let r = p.render_story_research(story)?;
    let check = p.check_story(story, None)?;
    let i = block.and_then(|b| block_index(&s, b).ok());
    let para = i.and_then(|i| r.paragraphs.get(i)).map(|p| p.text());
    if json_out {
        return print_json(&json!({
            "story": s.uuid,
            "revision": s.revision,
            "done": what,
            "block": i.map(|i| json!({ "place": i + 1, "id": s.blocks[i].uuid, "text": para })),
            "blocks": s.blocks.len(),
            "words": r.words,
            "errors": check.errors().count(),
            "warnings": check.warnings().count(),
            "findings": check.findings,
        }));
    }
    println!("{what} (revision {})", s.revision);
    if let (Some(i), Some(t)) = (i, para) {
        println!("  block {}: {t}", i + 1);
    }
    println!(
        "  {} blocks, {} words; checker: {} error(s), {} warning(s)",
        s.blocks.len(),
        r.words,
        check.errors().count(),
        check.warnings().count()
    );
    for f in &check.findings {
        let place = f
            .block
            .map(|b| format!("block {}", b + 1))
            .unwrap_or_else(|| "story".into());
        println!("  {:?} rule {} {place}: {}", f.severity, f.rule, f.message);
    }
    Ok(())
}

/// `excerpt add`: where the words are, among the storyteller's turns.
fn locate_excerpt(
    p: &Project,
    story: &str,
    document: Option<&str>,
    w: &Words,
) -> Result<(String, usize, usize)> {
    let s = p.story(story)?;
    let docs: Vec<String> = match document {
        Some(d) => vec![p.document(d)?.uuid],
        None => p
            .documents()?
            .into_iter()
            .filter(|d| {
                s.participant
                    .as_ref()
                    .is_some_and(|id| d.participants.contains(id))
            })
            .map(|d| d.uuid)
            .collect(),
    };
    match (&w.find, w.start, w.end) {
        (None, Some(a), Some(b)) => {
            let [doc] = docs.as_slice() else {
                bail!("with START END, name the document with --document");
            };
            Ok((doc.clone(), a, b))
        }
        (Some(f), None, None) => {
            let mut found = Vec::new();
            for uuid in &docs {
                let d = p.document(uuid)?;
                for t in d.turns.iter().filter(|t| t.role == Role::Participant) {
                    for (a, b) in find_all(&t.text, t.start, f) {
                        found.push((uuid.clone(), a, b));
                    }
                }
            }
            match found.len() {
                1 => Ok(found.remove(0)),
                0 => bail!("“{f}” is not in the storyteller's turns"),
                n => bail!(
                    "“{f}” occurs {n} times in the storyteller's turns: give more words, --document, or START END"
                ),
            }
        }
        _ => bail!("name the words with --find TEXT, or with START END (not both)"),
    }
}

pub fn run(cmd: EditCommand) -> Result<()> {
    match cmd {
        EditCommand::Excerpt {
            cmd:
                ExcerptCommand::Add {
                    project,
                    story,
                    words,
                    document,
                    position,
                    json,
                },
        } => {
            let mut p = open(&project)?;
            let (doc, a, b) = locate_excerpt(&p, &story, document.as_deref(), &words)?;
            let uuid = p
                .apply(Cmd::AddExcerpt {
                    story: story.to_owned(),
                    document: doc.to_owned(),
                    start: a,
                    end: b,
                    position: position.map(|n| n.saturating_sub(1)),
                })?
                .id()?;
            done(&p, &story, Some(&uuid), "added an excerpt", json)
        }
        EditCommand::Cut {
            project,
            story,
            block,
            words,
            filler,
            to_sentence_end,
            json,
        } => {
            let mut p = open(&project)?;
            let (a, b) = words_in_block(&p, &story, &block, &words)?;
            let (uuid, ..) = block_range(&p, &story, &block)?;
            if filler {
                p.apply(Cmd::DropFiller {
                    story: story.to_owned(),
                    block: block.to_owned(),
                    start: a,
                    end: b,
                })?;
            } else {
                let fragment = p.cut_leaves_fragment(&story, &block, a, b)?;
                let (start, end) = match &fragment {
                    Some(f) if to_sentence_end => (f.start, f.end),
                    _ => (a, b),
                };
                p.apply(Cmd::CutWords {
                    story: story.to_owned(),
                    block: block.to_owned(),
                    start,
                    end,
                })?;
                if let Some(f) = fragment.filter(|_| !to_sentence_end) {
                    eprintln!(
                        "note: the cut leaves “{}” without the start of its sentence; --to-sentence-end cuts it too",
                        f.tail
                    );
                }
            }
            done(&p, &story, Some(&uuid), "cut", json)
        }
        EditCommand::Clarify {
            project,
            story,
            block,
            text,
            after,
            json,
        } => {
            let mut p = open(&project)?;
            let (uuid, s, _, t) = block_range(&p, &story, &block)?;
            let (_, at) = one(find_all(&t, s, &after), &after, &format!("block {block}"))?;
            p.apply(Cmd::AddClarification {
                story: story.to_owned(),
                block: block.to_owned(),
                at,
                text: text.to_owned(),
            })?;
            done(&p, &story, Some(&uuid), "clarified", json)
        }
        EditCommand::Replace {
            project,
            story,
            block,
            with,
            words,
            json,
        } => {
            let mut p = open(&project)?;
            let (a, b) = words_in_block(&p, &story, &block, &words)?;
            let (uuid, ..) = block_range(&p, &story, &block)?;
            p.apply(Cmd::ReplaceWithPseudonym {
                story: story.to_owned(),
                block: block.to_owned(),
                start: a,
                end: b,
                replacement: with.to_owned(),
            })?;
            done(&p, &story, Some(&uuid), "replaced", json)
        }
        EditCommand::Framing {
            project,
            story,
            text,
            block,
            position,
            json,
        } => {
            let mut p = open(&project)?;
            let uuid = match block {
                Some(b) => {
                    p.apply(Cmd::EditFraming {
                        story: story.to_owned(),
                        block: b.to_owned(),
                        text: text.to_owned(),
                    })?;
                    b
                }
                None => p
                    .apply(Cmd::AddFraming {
                        story: story.to_owned(),
                        text: text.to_owned(),
                        position: position.map(|n| n.saturating_sub(1)),
                    })?
                    .id()?,
            };
            done(&p, &story, Some(&uuid), "framing", json)
        }
        EditCommand::Move {
            project,
            story,
            block,
            to,
            json,
        } => {
            let mut p = open(&project)?;
            let s = p.story(&story)?;
            let uuid = s.blocks[block_index(&s, &block)?].uuid.clone();
            if to == 0 {
                bail!("places start at 1");
            }
            p.apply(Cmd::MoveBlock {
                story: story.to_owned(),
                block: block.to_owned(),
                to: to - 1,
            })?;
            done(&p, &story, Some(&uuid), "moved", json)
        }
        EditCommand::Delete {
            project,
            story,
            block,
            json,
        } => {
            let mut p = open(&project)?;
            p.apply(Cmd::DeleteBlock {
                story: story.to_owned(),
                block: block.to_owned(),
            })?;
            done(&p, &story, None, "deleted a block", json)
        }
        EditCommand::Split {
            project,
            story,
            block,
            before,
            json,
        } => {
            let mut p = open(&project)?;
            let (_, s, _, t) = block_range(&p, &story, &block)?;
            let (at, _) = one(find_all(&t, s, &before), &before, &format!("block {block}"))?;
            let second = p
                .apply(Cmd::SplitBlock {
                    story: story.to_owned(),
                    block: block.to_owned(),
                    at_char: at,
                })?
                .id()?;
            done(&p, &story, Some(&second), "split", json)
        }
        EditCommand::Merge {
            project,
            story,
            block,
            json,
        } => {
            let mut p = open(&project)?;
            let (uuid, ..) = block_range(&p, &story, &block)?;
            p.apply(Cmd::MergeWithNext {
                story: story.to_owned(),
                block: block.to_owned(),
            })
            .context("merge")?;
            done(&p, &story, Some(&uuid), "merged", json)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_words_ignores_how_whitespace_runs() {
        let t = "I stood in that porch\nand I  nearly turned round. I did.";
        assert_eq!(find_all(t, 10, "porch and I nearly"), vec![(26, 45)]);
        assert_eq!(find_all(t, 0, "I did."), vec![(50, 56)]);
        assert_eq!(find_all(t, 0, "I").len(), 3);
        assert!(find_all(t, 0, "banana").is_empty());
    }
}
