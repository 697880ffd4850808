//! Blocks from the chosen passages: one block per passage (passages of one
//! turn share a block, the words between cut with an ellipsis), skipped
//! sentences inside a passage cut visibly, listed fillers dropped unmarked,
//! an answer word at the start cut (the renderer shows the cut), and a
//! pronoun at the start followed by the one name it can mean in brackets.

use super::DraftInput;
use super::elliptic::{elliptic_answer, question_gist};
use super::pick::Passage;
use super::read::{Opener, Sentence};
use crate::model::{BlockContent, Gap, Piece, SourceSpan};
use crate::render::SourceDoc;
use crate::tokens::tokens;

/// Passages in story order: interview order, except that a passage about
/// early life told late in the interview comes first.
pub(crate) fn story_order(
    sents: &[Sentence],
    passages: Vec<Passage>,
    source_words: usize,
) -> Vec<Passage> {
    let (mut early, rest): (Vec<Passage>, Vec<Passage>) = passages.into_iter().partition(|p| {
        sents[p.first].at_word * 10 > source_words * 3
            && (p.first..=p.last).any(|k| sents[k].early_life)
    });
    early.extend(rest);
    early
}

/// Groups passages into blocks: neighbours in story order from one turn share a block.
pub(crate) fn blocks(
    input: &DraftInput,
    sents: &[Sentence],
    passages: &[Passage],
) -> Vec<BlockContent> {
    let mut out: Vec<Vec<Piece>> = Vec::new();
    let mut prev: Option<&Passage> = None;
    for p in passages {
        let same_turn =
            prev.is_some_and(|q| sents[q.first].turn == sents[p.first].turn && q.last < p.first);
        match out.last_mut() {
            Some(pieces) if same_turn => add_passage(input, sents, p, pieces),
            _ => {
                let mut pieces = Vec::new();
                add_passage(input, sents, p, &mut pieces);
                out.push(pieces);
            }
        }
        prev = Some(p);
    }
    out.into_iter()
        .filter(|p| !p.is_empty())
        .map(|pieces| BlockContent::Excerpt { pieces })
        .collect()
}

fn add_passage(input: &DraftInput, sents: &[Sentence], p: &Passage, pieces: &mut Vec<Piece>) {
    let rules = input.rules;
    let mut last_end: Option<usize> = pieces.last().map(|x| x.span.end);
    for (k, s) in sents.iter().enumerate().take(p.last + 1).skip(p.first) {
        if s.skip.is_some() {
            continue;
        }
        let Some(doc) = input.sources.get(&s.version_id) else {
            continue;
        };
        let mut start = s.start;
        let mut clarify: Option<(usize, String)> = None;
        if k == p.first && !s.key {
            // Transcription marks before the first word belong to the words
            // cut before (not in a key quote: the researcher chose them).
            let text: Vec<char> = doc.slice(s.start, s.end).chars().collect();
            let mut i = 0;
            while text.get(i) == Some(&'[') {
                match text[i..].iter().position(|c| *c == ']') {
                    Some(close) => i += close + 1,
                    None => break,
                }
                while text.get(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
            }
            if i < text.len() && text[i..].iter().any(|c| c.is_alphanumeric()) {
                start = s.start + i;
            }
        }
        if k == p.first {
            match &s.opener {
                Opener::AnswerWord(off) => start = s.start + off,
                Opener::Person(off, Some(name)) => clarify = Some((s.start + off, name.clone())),
                // Only a key quote opens on a bare answer: say what it answers.
                Opener::BareAnswer => clarify = answered(input, doc, s),
                _ => {}
            }
        }
        // What lies between the last piece and this sentence.
        let mut pending = match last_end {
            None => Gap::Join,
            Some(le) => {
                let between: Vec<String> = tokens(doc.slice(le, start), 0)
                    .iter()
                    .map(|t| t.text.to_owned())
                    .collect();
                if between.is_empty() {
                    Gap::Join
                } else if rules.allow_unmarked_fillers && between.iter().all(|w| rules.is_filler(w))
                {
                    Gap::Unmarked
                } else {
                    Gap::Elision
                }
            }
        };
        // The sentence without its fillers, split after a clarified pronoun.
        let mut cuts: Vec<(usize, usize)> = Vec::new(); // kept ranges
        let mut piece_start = start;
        let mut gaps: Vec<Gap> = Vec::new();
        if rules.allow_unmarked_fillers {
            let toks = tokens(doc.slice(start, s.end), start);
            for (i, t) in toks.iter().enumerate() {
                if !rules.is_filler(t.text) {
                    continue;
                }
                let piece_end = trim_end_pos(doc, piece_start, t.start);
                if !tokens(doc.slice(piece_start, piece_end), 0).is_empty() {
                    cuts.push((piece_start, piece_end));
                    gaps.push(pending);
                    pending = Gap::Unmarked;
                } else if pending == Gap::Join {
                    pending = Gap::Unmarked;
                }
                piece_start = toks.get(i + 1).map_or(s.end, |n| n.start);
            }
        }
        if piece_start < s.end {
            cuts.push((piece_start, s.end));
            gaps.push(pending);
        }
        for ((ps, pe), g) in cuts.into_iter().zip(gaps) {
            if tokens(doc.slice(ps, pe), 0).is_empty() {
                continue;
            }
            let gap = if pieces.is_empty() { Gap::Join } else { g };
            match clarify.take() {
                Some((at, name)) if ps < at && at < pe => {
                    pieces.push(piece(doc, s.version_id, ps, at, gap, Some(name)));
                    let rest = trim_start_pos(doc, at, pe);
                    // A clarified pronoun keeps the space after it as the join.
                    pieces.push(piece(doc, s.version_id, rest, pe, Gap::Join, None));
                }
                c => {
                    clarify = c;
                    pieces.push(piece(doc, s.version_id, ps, pe, gap, None));
                }
            }
        }
        last_end = Some(s.end);
    }
}

/// The longest gist of a question added after a bare answer (words).
const GIST_WORDS: usize = 6;

/// "Yes, I did [go back the next week].": where, at the end of a bare
/// answer that opens its turn, to add in brackets what the yes/no question
/// before it asked, when that is short.
fn answered(input: &DraftInput, doc: &SourceDoc, s: &Sentence) -> Option<(usize, String)> {
    let (_, tix) = *input.turns.get(s.turn)?;
    let turn = doc.turns.get(tix)?;
    let lead = doc.slice(turn.start, s.start);
    if lead.chars().any(char::is_alphanumeric) && !super::read::only_marks(lead) {
        return None;
    }
    let q = doc.turns.get(tix.checked_sub(1)?)?;
    if q.role == storyloom_text::model::Role::Participant {
        return None;
    }
    let gist = question_gist(doc.slice(q.start, q.end))?;
    if storyloom_text::text::word_count(&gist) > GIST_WORDS {
        return None;
    }
    // After the answer's last word ("Yes, I did", or the whole of a short
    // sentence), before the punctuation that closes it.
    let sentence = doc.slice(s.start, s.end);
    let text: Vec<char> = sentence.chars().collect();
    let upto = match elliptic_answer(sentence) {
        Some(e) if e.rest_words > 0 => e.rest,
        _ if s.words <= GIST_WORDS => text.len(),
        _ => return None,
    };
    let end = text[..upto.min(text.len())]
        .iter()
        .rposition(|c| c.is_alphanumeric())?
        + 1;
    (end < text.len()).then(|| (s.start + end, gist))
}

fn piece(
    doc: &SourceDoc,
    version_id: i64,
    start: usize,
    end: usize,
    gap: Gap,
    clarification: Option<String>,
) -> Piece {
    Piece {
        span: SourceSpan {
            id: None,
            document: doc.document.clone(),
            version_id,
            start,
            end,
            quote: doc.slice(start, end).to_owned(),
        },
        gap,
        replace: None,
        clarification,
    }
}

/// The end of a piece that stops before `pos`, without trailing spaces.
fn trim_end_pos(doc: &SourceDoc, start: usize, pos: usize) -> usize {
    let text: Vec<char> = doc.slice(start, pos).chars().collect();
    let mut e = text.len();
    while e > 0 && text[e - 1].is_whitespace() {
        e -= 1;
    }
    start + e
}

/// The start of a piece from `pos`, past spaces.
fn trim_start_pos(doc: &SourceDoc, pos: usize, end: usize) -> usize {
    pos + doc
        .slice(pos, end)
        .chars()
        .take_while(|c| c.is_whitespace())
        .count()
}
