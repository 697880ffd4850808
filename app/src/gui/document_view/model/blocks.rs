//! The blocks of a document: its speaker turns, plus any text before the
//! first turn, with char offsets into the document.

use std::collections::HashMap;
use storyloom_project::{DocumentText, Role};

/// A run of the document shown as one unit: a speaker turn, or the text
/// before the first turn (a title, a header).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Char range in the document text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Byte range of the same text.
    pub byte_start: usize,
    pub byte_end: usize,
    pub speaker: Option<String>,
    /// The turn's number (`seq`), as corrections name it; `None` for text before the first turn.
    pub turn: Option<usize>,
    /// A turn nobody said (a heading, a note): corrections treat it apart.
    pub non_speech: bool,
    pub role: Role,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

impl Block {
    pub fn chars(&self) -> usize {
        self.end - self.start
    }

    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.byte_start..self.byte_end]
    }
}

/// Byte offsets of the given char offsets (sorted ascending) in `text`;
/// offsets past the end give `text.len()`.
pub fn byte_offsets(text: &str, sorted_chars: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_chars.len());
    let mut bytes = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut cur = bytes.next().unwrap_or(0);
    let mut at = 0usize;
    for &want in sorted_chars {
        while at < want {
            match bytes.next() {
                Some(b) => {
                    cur = b;
                    at += 1;
                }
                None => break,
            }
        }
        out.push(cur);
    }
    out
}

/// The char range of `text[start..end]` without its leading and trailing whitespace.
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice: Vec<char> = text.chars().skip(start).take(end - start).collect();
    let lead = slice.iter().take_while(|c| c.is_whitespace()).count();
    let trail = slice.iter().rev().take_while(|c| c.is_whitespace()).count();
    if lead == slice.len() {
        (start, start)
    } else {
        (start + lead, end - trail)
    }
}

/// The blocks of a document: an untitled block for text before the first
/// turn (when there is any), then one per turn. A document without turns
/// is one block.
pub fn blocks(doc: &DocumentText) -> Vec<Block> {
    let total = storyloom_project::text::char_len(&doc.text);
    let mut ranges: Vec<(usize, usize, Option<&storyloom_project::Turn>)> = Vec::new();
    match doc.turns.first() {
        None => {
            let (s, e) = trimmed(&doc.text, 0, total);
            if e > s {
                ranges.push((s, e, None));
            }
        }
        Some(first) => {
            let before = first.label_start.unwrap_or(first.start).min(first.start);
            if before > 0 {
                let (s, e) = trimmed(&doc.text, 0, before);
                if e > s {
                    ranges.push((s, e, None));
                }
            }
            for t in &doc.turns {
                let end = t.end.min(total);
                let start = t.start.min(end);
                ranges.push((start, end, Some(t)));
            }
        }
    }
    let mut wanted: Vec<usize> = ranges.iter().flat_map(|r| [r.0, r.1]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let bytes = byte_offsets(&doc.text, &wanted);
    let byte_of: HashMap<usize, usize> = wanted.into_iter().zip(bytes).collect();
    ranges
        .into_iter()
        .map(|(start, end, t)| Block {
            start,
            end,
            byte_start: byte_of[&start],
            byte_end: byte_of[&end],
            speaker: t.map(|t| t.speaker.clone()),
            turn: t.map(|t| t.seq),
            non_speech: t.is_some_and(|t| t.non_speech),
            role: t.map_or(Role::Other, |t| t.role),
            start_ms: t.and_then(|t| t.start_ms),
            end_ms: t.and_then(|t| t.end_ms),
        })
        .collect()
}

/// The block holding a char offset (the nearest one when it falls between blocks).
pub fn block_at(blocks: &[Block], pos: usize) -> Option<usize> {
    if blocks.is_empty() {
        return None;
    }
    let i = blocks.partition_point(|b| b.end <= pos);
    Some(i.min(blocks.len() - 1))
}
