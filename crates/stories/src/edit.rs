//! The excerpt algebra: every edit a researcher makes to a story's blocks,
//! as pure functions on a [`Story`] and the source texts its spans point
//! into. `Project` loads the story, calls one of these, and stores the result
//! as one change (see `project/stories_ops.rs`). Offsets are chars of the
//! span's document version.

use crate::StoryRules;
use crate::error::{Error, Result};
use crate::model::{Block, BlockContent, Gap, Piece, SourceDoc, SourceSpan, Sources, Story};
use crate::tokens::tokens;
use storyloom_text::model::Role;

/// A new excerpt block of the words `start..end` of `doc` (a version row
/// `version_id`, named `doc_name` in messages), trimmed of spaces at the
/// edges. The range must lie in the range of the text (the caller checks),
/// hold words, and lie in one turn of the story's participant.
pub fn new_excerpt(
    story: &Story,
    doc: &SourceDoc,
    version_id: i64,
    doc_name: &str,
    (start, end): (usize, usize),
    uuid: String,
) -> Result<Block> {
    // Trim spaces at the edges.
    let text = doc.slice(start, end);
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
    let (s, e) = (start + lead, end.saturating_sub(trail).max(start + lead));
    if tokens(doc.slice(s, e), 0).is_empty() {
        return Err(Error::Invalid(format!(
            "{doc_name}: the range {start}..{end} holds no words"
        )));
    }
    let turn = doc.turn_holding(s, e).ok_or_else(|| {
        Error::Invalid(format!(
            "{doc_name}: {start}..{end} is not inside one turn: select the storyteller's words within one turn (add another excerpt for the next turn)"
        ))
    })?;
    if turn.role != Role::Participant || turn.participant_id != story.participant_id {
        return Err(Error::Invalid(format!(
            "{doc_name}: these are the words of {} ({}), not the storyteller{}: a story holds only the storyteller's own words",
            turn.speaker,
            turn.role.as_str(),
            story
                .participant
                .as_deref()
                .map(|p| format!(" {p}"))
                .unwrap_or_default()
        )));
    }
    Ok(Block {
        uuid,
        content: BlockContent::Excerpt {
            pieces: vec![Piece {
                span: SourceSpan {
                    id: None,
                    document: doc.document.clone(),
                    version_id,
                    start: s,
                    end: e,
                    quote: doc.slice(s, e).to_owned(),
                },
                gap: Gap::Join,
                replace: None,
                clarification: None,
            }],
        },
        lost_pieces: 0,
    })
}

/// Rewrites a framing block (never the storyteller's words).
pub fn edit_framing(st: &mut Story, block: &str, t: String) -> Result<()> {
    let i = block_index(st, block)?;
    match &mut st.blocks[i].content {
        BlockContent::Framing { text } => {
            *text = t;
            Ok(())
        }
        BlockContent::Excerpt { .. } => Err(Error::Invalid(
            "this block is the storyteller's words, not framing: its words cannot be rewritten"
                .into(),
        )),
    }
}

/// Moves a block to a new index.
pub fn move_block(st: &mut Story, block: &str, to: usize) -> Result<()> {
    let i = block_index(st, block)?;
    let b = st.blocks.remove(i);
    let to = to.min(st.blocks.len());
    st.blocks.insert(to, b);
    Ok(())
}

pub fn delete_block(st: &mut Story, block: &str) -> Result<()> {
    let i = block_index(st, block)?;
    st.blocks.remove(i);
    Ok(())
}

/// Splits an excerpt before the word at `at_char` (a place inside a word
/// moves to its start, a place in the spaces before a word to that word),
/// making two blocks; the second gets `uuid`.
pub fn split_block(st: &mut Story, block: &str, at_char: usize, uuid: String) -> Result<()> {
    let i = block_index(st, block)?;
    let pieces = excerpt_mut(st, i)?;
    let at_char = word_start(pieces, at_char);
    split_at(pieces, at_char)?;
    let k = pieces
        .iter()
        .position(|p| p.span.start >= at_char)
        .filter(|k| *k > 0)
        .ok_or_else(|| Error::Invalid("split inside the excerpt, not at its edge".into()))?;
    let mut rest = pieces.split_off(k);
    rest[0].gap = Gap::Join;
    st.blocks.insert(
        i + 1,
        Block {
            uuid,
            content: BlockContent::Excerpt { pieces: rest },
            lost_pieces: 0,
        },
    );
    Ok(())
}

/// Merges an excerpt with the next block (same transcript, later words);
/// the words between become an elision.
pub fn merge_with_next(st: &mut Story, block: &str, sources: &Sources) -> Result<()> {
    let i = block_index(st, block)?;
    if i + 1 >= st.blocks.len() {
        return Err(Error::Invalid("there is no block after this one".into()));
    }
    let next = match &st.blocks[i + 1].content {
        BlockContent::Excerpt { pieces } => pieces.clone(),
        BlockContent::Framing { .. } => {
            return Err(Error::Invalid(
                "framing is never merged into an excerpt".into(),
            ));
        }
    };
    let pieces = excerpt_mut(st, i)?;
    let (Some(last), Some(first)) = (pieces.last(), next.first()) else {
        return Err(Error::Invalid("an empty excerpt".into()));
    };
    if last.span.version_id != first.span.version_id || first.span.start < last.span.end {
        return Err(Error::Invalid(
            "only an excerpt followed by later words of the same transcript can be merged".into(),
        ));
    }
    let words_between = sources
        .get(&last.span.version_id)
        .is_some_and(|d| !tokens(d.slice(last.span.end, first.span.start), 0).is_empty());
    let mut next = next;
    next[0].gap = if words_between {
        Gap::Elision
    } else {
        Gap::Join
    };
    pieces.extend(next);
    st.blocks.remove(i + 1);
    Ok(())
}

/// The range a cut of `start..end` in the excerpt `pieces` of `doc` takes:
/// widened to whole words. An unmarked cut (`Gap::Unmarked`) must be a
/// listed filler or an immediate repeat.
pub fn cut_range(
    doc: &SourceDoc,
    pieces: &[Piece],
    (start, end): (usize, usize),
    gap: Gap,
    rules: &StoryRules,
) -> Result<(usize, usize)> {
    let (s, e) = widen_to_words(doc, start, end);
    let words: Vec<String> = tokens(doc.slice(s, e), 0)
        .iter()
        .map(|t| t.text.to_owned())
        .collect();
    if words.is_empty() {
        return Err(Error::Invalid("select some words to cut".into()));
    }
    if gap == Gap::Unmarked {
        let before = tokens(doc.slice(pieces[0].span.start, s), 0);
        let prev = before.last().map(|t| t.text.to_lowercase());
        let after = tokens(doc.slice(e, pieces[pieces.len() - 1].span.end), 0);
        let next = after.first().map(|t| t.text.to_lowercase());
        let fillers = rules.allow_unmarked_fillers && words.iter().all(|w| rules.is_filler(w));
        let repeat = rules.allow_unmarked_repeats
            && words.len() == 1
            && (prev.as_deref() == Some(&words[0].to_lowercase())
                || next.as_deref() == Some(&words[0].to_lowercase()));
        if !fillers && !repeat {
            return Err(Error::Invalid(format!(
                "“{}” is not a listed filler ({}) or an immediate repeat: cut it with an ellipsis instead",
                words.join(" "),
                rules.fillers.join(", ")
            )));
        }
    }
    Ok((s, e))
}

/// Cuts `s..e` (whole words, see [`cut_range`]) from excerpt block `i`:
/// inside, the words become `gap`; at an edge, the excerpt is shortened.
pub fn cut(
    st: &mut Story,
    i: usize,
    doc: &SourceDoc,
    (s, e): (usize, usize),
    gap: Gap,
) -> Result<()> {
    let doc_text_quote = |p: &mut Piece| {
        p.span.quote = doc.slice(p.span.start, p.span.end).to_owned();
    };
    let pieces = excerpt_mut(st, i)?;
    let first = pieces[0].span.start;
    let last = pieces[pieces.len() - 1].span.end;
    if s <= first && e >= last {
        return Err(Error::Invalid(
            "that would cut the whole excerpt: delete the block instead".into(),
        ));
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut cut_before = false;
    for p in pieces.drain(..) {
        let (ps, pe) = (p.span.start, p.span.end);
        if pe <= s || ps >= e {
            // Untouched; the words before it may have been cut.
            let mut p = p;
            p.gap = if out.is_empty() {
                Gap::Join
            } else if cut_before {
                merge_gap(p.gap, gap)
            } else {
                p.gap
            };
            cut_before = false;
            out.push(p);
            continue;
        }
        let mut left_kept = false;
        if ps < s && p.replace.is_none() {
            let mut left = p.clone();
            left.span.end = trim_end(doc, ps, s);
            left.clarification = None;
            doc_text_quote(&mut left);
            if !tokens(&left.span.quote, 0).is_empty() {
                if out.is_empty() {
                    left.gap = Gap::Join;
                } else if cut_before {
                    left.gap = merge_gap(left.gap, gap);
                }
                out.push(left);
                left_kept = true;
            }
        }
        if pe > e && p.replace.is_none() {
            let mut right = p.clone();
            if left_kept {
                right.span.id = None;
            }
            right.span.start = trim_start(doc, e, pe);
            doc_text_quote(&mut right);
            if !tokens(&right.span.quote, 0).is_empty() {
                right.gap = if out.is_empty() {
                    Gap::Join
                } else if left_kept {
                    gap
                } else {
                    merge_gap(p.gap, gap)
                };
                out.push(right);
                cut_before = false;
                continue;
            }
        }
        cut_before = true;
    }
    *pieces = out;
    Ok(())
}

/// Inserts the clarification `t` at a word edge `at` of an excerpt (inside
/// or at its end).
pub fn add_clarification(st: &mut Story, block: &str, at: usize, t: String) -> Result<()> {
    let i = block_index(st, block)?;
    let pieces = excerpt_mut(st, i)?;
    let k = match pieces.iter().position(|p| p.span.end == at) {
        Some(k) => k,
        None => {
            split_at(pieces, at)?;
            pieces
                .iter()
                .position(|p| p.span.end == at)
                .ok_or_else(|| Error::Invalid("put a clarification inside the excerpt".into()))?
        }
    };
    pieces[k].clarification = Some(t);
    Ok(())
}

/// Removes the clarification after the piece ending at `at`.
pub fn remove_clarification(st: &mut Story, block: &str, at: usize) -> Result<()> {
    let i = block_index(st, block)?;
    let pieces = excerpt_mut(st, i)?;
    let p = pieces
        .iter_mut()
        .find(|p| p.span.end == at && p.clarification.is_some())
        .ok_or_else(|| Error::Invalid("no clarification there".into()))?;
    p.clarification = None;
    Ok(())
}

/// The source of the excerpt block `i`, for edits that need its text.
pub fn excerpt_source<'a>(story: &Story, i: usize, sources: &'a Sources) -> Option<&'a SourceDoc> {
    match &story.blocks[i].content {
        BlockContent::Excerpt { pieces } => {
            pieces.first().and_then(|p| sources.get(&p.span.version_id))
        }
        BlockContent::Framing { .. } => None,
    }
}

/// Shows the words `s..e` (whole words) of excerpt block `i` as `[r]`.
pub fn replace_words(
    st: &mut Story,
    i: usize,
    doc: &SourceDoc,
    (s, e): (usize, usize),
    r: String,
) -> Result<()> {
    let quote_of = |p: &mut Piece| p.span.quote = doc.slice(p.span.start, p.span.end).to_owned();
    let pieces = excerpt_mut(st, i)?;
    split_at(pieces, s)?;
    split_at(pieces, e)?;
    let inside: Vec<usize> = (0..pieces.len())
        .filter(|&k| pieces[k].span.start >= s && pieces[k].span.end <= e)
        .collect();
    let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
        return Err(Error::Invalid("those words are not in this excerpt".into()));
    };
    if inside[1..].iter().any(|&k| pieces[k].gap != Gap::Join) {
        return Err(Error::Invalid(
            "the words to replace cross a cut: replace the words on each side separately".into(),
        ));
    }
    pieces[first].span.end = pieces[last].span.end;
    pieces[first].clarification = pieces[last].clarification.take();
    pieces[first].replace = Some(r);
    pieces.drain(first + 1..=last);
    quote_of(&mut pieces[first]);
    Ok(())
}

/// A block by its 1-based place or its uuid (or a prefix of 4+ characters).
pub fn block_index(story: &Story, block: &str) -> Result<usize> {
    let b = block.trim();
    if let Ok(n) = b.parse::<usize>()
        && n >= 1
        && n <= story.blocks.len()
    {
        return Ok(n - 1);
    }
    story
        .blocks
        .iter()
        .position(|x| x.uuid == b || (b.len() >= 4 && x.uuid.starts_with(b)))
        .ok_or_else(|| Error::Invalid(format!("the story has no block '{block}'")))
}

/// The pieces of excerpt block `i` (not framing, not empty).
pub fn excerpt_mut(story: &mut Story, i: usize) -> Result<&mut Vec<Piece>> {
    match &mut story.blocks[i].content {
        BlockContent::Excerpt { pieces } if !pieces.is_empty() => Ok(pieces),
        BlockContent::Excerpt { .. } => Err(Error::Invalid("an empty excerpt".into())),
        BlockContent::Framing { .. } => Err(Error::Invalid(
            "framing is the researcher's text, not the storyteller's: edit it instead".into(),
        )),
    }
}

/// The start of the word at `at` in the piece holding it (or of the next
/// word, when `at` is in the spaces between words).
fn word_start(pieces: &[Piece], at: usize) -> usize {
    let Some(p) = pieces.iter().find(|p| p.span.start < at && at < p.span.end) else {
        return at;
    };
    let chars: Vec<char> = p.span.quote.chars().collect();
    let word = |c: &char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-');
    let mut k = (at - p.span.start).min(chars.len());
    while k > 0 && chars.get(k).is_some_and(word) && word(&chars[k - 1]) {
        k -= 1;
    }
    while k < chars.len() && chars[k].is_whitespace() {
        k += 1;
    }
    p.span.start + k
}

/// Splits the piece holding `at` (strictly inside it) in two, joined.
pub fn split_at(pieces: &mut Vec<Piece>, at: usize) -> Result<()> {
    if let Some(k) = pieces
        .iter()
        .position(|p| p.span.start < at && at < p.span.end)
    {
        if pieces[k].replace.is_some() {
            return Err(Error::Invalid(
                "that place is inside a replaced name".into(),
            ));
        }
        let mut right = pieces[k].clone();
        right.span.id = None;
        let left = &mut pieces[k];
        let whole = left.span.quote.clone();
        let cut = at - left.span.start;
        left.span.quote = whole.chars().take(cut).collect();
        left.span.end = at;
        left.clarification = None;
        right.span.quote = whole.chars().skip(cut).collect();
        right.span.start = at;
        right.gap = Gap::Join;
        pieces.insert(k + 1, right);
    }
    Ok(())
}

/// What a cut next to an existing gap leaves: an elision wins over an unmarked drop.
fn merge_gap(existing: Gap, cut: Gap) -> Gap {
    if existing == Gap::Elision || cut == Gap::Elision {
        Gap::Elision
    } else {
        Gap::Unmarked
    }
}

/// Widens a range to whole words.
pub fn widen_to_words(doc: &SourceDoc, start: usize, end: usize) -> (usize, usize) {
    let toks = tokens(&doc.text, 0);
    let s = toks
        .iter()
        .find(|t| t.start <= start && start < t.end)
        .map_or(start, |t| t.start);
    let e = toks
        .iter()
        .find(|t| t.start < end && end <= t.end)
        .map_or(end, |t| t.end);
    (s, e.max(s))
}

fn trim_end(doc: &SourceDoc, start: usize, end: usize) -> usize {
    let t: Vec<char> = doc.slice(start, end).chars().collect();
    let mut e = t.len();
    while e > 0 && t[e - 1].is_whitespace() {
        e -= 1;
    }
    start + e
}

fn trim_start(doc: &SourceDoc, start: usize, end: usize) -> usize {
    let t: Vec<char> = doc.slice(start, end).chars().collect();
    // Punctuation right after a cut word goes with it (", and" → "and";
    // "week … . It" reads "week … It"): the ellipsis marks the cut.
    let mut i = 0;
    while i < t.len()
        && (t[i].is_whitespace()
            || matches!(t[i], ',' | ';' | ':')
            || (matches!(t[i], '.' | '!' | '?') && t.get(i + 1).is_some_and(|c| c.is_whitespace())))
    {
        i += 1;
    }
    start + i
}
