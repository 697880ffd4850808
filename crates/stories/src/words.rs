//! Words selected in a rendered story, and what a cut of them would leave.
//!
//! The editor lets a researcher select words in a story block as it reads
//! (ellipses, brackets and all). Edits are made on the transcript, so the
//! selection is mapped back through the paragraph's runs: only the
//! storyteller's words (source runs and replaced names) count; an ellipsis
//! or a clarification selected along with them adds nothing.
//!
//! A cut that takes the start of a sentence and leaves its tail ("… and I
//! nearly turned round.") leaves a fragment; [`fragment_after_cut`] finds
//! such a tail so the editor can offer to cut to the sentence end instead.

use crate::draft::sentences;
use crate::model::{BlockContent, Piece, Story};
use crate::render::{Paragraph, RunKind, SourceDoc};
use crate::tokens::tokens;
use storyloom_text::model::Role;

/// Storyteller's words selected in a paragraph, as a transcript range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedWords {
    pub document: String,
    pub version_id: i64,
    /// Chars of the transcript version.
    pub start: usize,
    pub end: usize,
}

/// Maps chars `a..b` of a paragraph's text (as [`Paragraph::text`] gives it)
/// to the transcript range of the storyteller's words they cover. `None` when
/// the selection holds none of their words (only an ellipsis, a
/// clarification, or framing).
pub fn selected_source(p: &Paragraph, a: usize, b: usize) -> Option<SelectedWords> {
    let (a, b) = (a.min(b), a.max(b));
    if a == b {
        return None;
    }
    let mut at = 0usize;
    let mut found: Option<SelectedWords> = None;
    for r in &p.runs {
        let n = r.text.chars().count();
        let (rs, re) = (at, at + n);
        at = re;
        if re <= a || rs >= b {
            continue;
        }
        let Some(s) = &r.source else { continue };
        let (from, to) = match r.kind {
            RunKind::Source => {
                let len = s.end - s.start;
                if len == n {
                    // Char for char: the selected part of the run.
                    (s.start + a.max(rs) - rs, s.start + b.min(re) - rs)
                } else {
                    // One space standing for a run of whitespace: no words.
                    continue;
                }
            }
            // A replaced name stands for its words, whole.
            RunKind::Replacement => (s.start, s.end),
            RunKind::Elision | RunKind::Insertion => continue,
        };
        if from >= to {
            continue;
        }
        match &mut found {
            None => {
                found = Some(SelectedWords {
                    document: s.document.clone(),
                    version_id: s.version_id,
                    start: from,
                    end: to,
                });
            }
            Some(f) if f.version_id == s.version_id => {
                f.start = f.start.min(from);
                f.end = f.end.max(to);
            }
            Some(_) => {}
        }
    }
    // Whitespace alone is not a selection of words.
    found.filter(|_| {
        let text: String = p.text().chars().skip(a).take(b - a).collect::<String>();
        !tokens(&text, 0).is_empty()
    })
}

/// Words that continue a sentence rather than start one: a tail opening with
/// one of them does not stand alone.
const JOINING: &[&str] = &[
    "and", "but", "or", "so", "because", "cos", "cause", "which", "that", "who", "whom", "whose",
    "where", "when", "while", "then", "than", "to", "of", "with", "for", "in", "on", "at", "as",
    "if", "like", "by", "from", "into", "about", "though", "although", "until", "till", "unless",
    "nor", "yet",
];

/// The longest tail that is still a fragment by its length alone.
const SHORT_TAIL_WORDS: usize = 3;

/// A cut of `s..e` (whole words) from an excerpt of `pieces` that takes the
/// start of a sentence and leaves only a dependent tail of it ("and I nearly
/// turned round.", "to the shops.") returns where that sentence ends within
/// the excerpt, so the cut can be extended to it. `None` when the cut leaves
/// whole sentences, when the tail reads as a sentence of its own, or when
/// extending would take the whole excerpt.
pub fn fragment_after_cut(
    doc: &SourceDoc,
    pieces: &[Piece],
    (s, e): (usize, usize),
) -> Option<usize> {
    let (first, last) = (pieces.first()?, pieces.last()?);
    let (x0, x1) = (first.span.start, last.span.end);
    if e >= x1 || s >= e {
        return None;
    }
    let turn = doc.turns.iter().find(|t| t.start <= e && e < t.end)?;
    let text = doc.slice(turn.start, turn.end);
    let (ss, se) = sentences(text, turn.start)
        .into_iter()
        .find(|&(ss, se)| ss < e && e < se)?;
    // The sentence's own words before the cut that stay in the excerpt.
    let kept_before = tokens(doc.slice(ss.max(x0), s.max(ss.max(x0))), 0);
    if !kept_before.is_empty() {
        return None;
    }
    let end = se.min(x1);
    let tail = doc.slice(e, end);
    let words = tokens(tail, 0);
    let first_word = words.first()?;
    let joining = JOINING.contains(&first_word.text.to_lowercase().as_str());
    let lowercase = first_word
        .text
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    let fragment = words.len() <= SHORT_TAIL_WORDS || joining || lowercase;
    // Extending must leave some of the excerpt.
    let whole = s <= x0 && end >= x1;
    (fragment && !whole).then_some(end)
}

/// Where a story's words lie in one transcript version: the storyteller's
/// words it keeps (excerpt spans, replaced names included) and the words of
/// their turns it leaves out. Char ranges, sorted, not overlapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub kept: Vec<(usize, usize)>,
    pub cut: Vec<(usize, usize)>,
}

/// The [`Coverage`] of `story` in `doc` (the version whose row id is `version_id`).
pub fn coverage(story: &Story, doc: &SourceDoc, version_id: i64) -> Coverage {
    let mut kept: Vec<(usize, usize)> = story
        .blocks
        .iter()
        .flat_map(|b| match &b.content {
            BlockContent::Excerpt { pieces } => pieces
                .iter()
                .filter(|p| p.span.version_id == version_id && p.span.start < p.span.end)
                .map(|p| (p.span.start, p.span.end))
                .collect(),
            BlockContent::Framing { .. } => vec![],
        })
        .collect();
    kept.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(kept.len());
    for (s, e) in kept {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut cut = Vec::new();
    let theirs = doc.turns.iter().filter(|t| {
        t.role == Role::Participant
            && (story.participant_id.is_none() || t.participant_id == story.participant_id)
    });
    for t in theirs {
        let mut at = t.start;
        let mut gaps = Vec::new();
        for &(s, e) in merged.iter().filter(|(s, e)| *s < t.end && *e > t.start) {
            if s > at {
                gaps.push((at, s));
            }
            at = at.max(e);
        }
        if at < t.end {
            gaps.push((at, t.end));
        }
        for (s, e) in gaps {
            let words = tokens(doc.slice(s, e), s);
            if let (Some(first), Some(last)) = (words.first(), words.last()) {
                cut.push((first.start, last.end));
            }
        }
    }
    Coverage { kept: merged, cut }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gap, SourceSpan};
    use crate::render::{Run, RunSource, SourceTurn};

    fn doc(text: &str) -> SourceDoc {
        SourceDoc {
            document: "d".into(),
            name: "d".into(),
            version: 1,
            current: true,
            text: text.into(),
            turns: vec![SourceTurn {
                seq: 0,
                start: 0,
                end: text.chars().count(),
                role: Role::Participant,
                speaker: "P".into(),
                participant_id: None,
            }],
            index: Default::default(),
        }
    }

    fn piece(d: &SourceDoc, start: usize, end: usize) -> Piece {
        Piece {
            span: SourceSpan {
                id: None,
                document: d.document.clone(),
                version_id: 1,
                start,
                end,
                quote: d.slice(start, end).to_owned(),
            },
            gap: Gap::Join,
            replace: None,
            clarification: None,
        }
    }

    fn at(text: &str, needle: &str) -> (usize, usize) {
        let b = text.find(needle).expect(needle);
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    }

    const PORCH: &str =
        "And I stood in that porch and I nearly turned round. I did. Then Jean came out.";

    #[test]
    fn cutting_a_sentence_start_offers_its_end_and_whole_sentences_do_not() {
        let d = doc(PORCH);
        let all = [piece(&d, 0, PORCH.chars().count())];
        let cut = at(PORCH, "And I stood in that porch");
        let to = fragment_after_cut(&d, &all, cut).expect("a fragment is left");
        assert_eq!(d.slice(cut.1, to), " and I nearly turned round.");
        // A whole sentence, or words inside one, leave no fragment.
        assert_eq!(fragment_after_cut(&d, &all, at(PORCH, "I did.")), None);
        assert_eq!(
            fragment_after_cut(&d, &all, at(PORCH, "in that porch")),
            None
        );
        // A tail that stands as a sentence of its own is not offered.
        let t = "Well, when I was young, I lived in Leeds for many years.";
        let d2 = doc(t);
        let all2 = [piece(&d2, 0, t.chars().count())];
        assert_eq!(
            fragment_after_cut(&d2, &all2, at(t, "Well, when I was young,")),
            None
        );
        // A short tail is a fragment whatever its first word.
        let t = "I went to the big shop. Every week. Then home.";
        let d3 = doc(t);
        let all3 = [piece(&d3, 0, t.chars().count())];
        let cut = at(t, "I went to the");
        let to = fragment_after_cut(&d3, &all3, cut).expect("short tail");
        assert_eq!(d3.slice(cut.1, to), " big shop.");
    }

    #[test]
    fn extending_never_takes_the_whole_excerpt() {
        let d = doc(PORCH);
        let (s, e) = at(
            PORCH,
            "And I stood in that porch and I nearly turned round.",
        );
        let one = [piece(&d, s, e)];
        assert_eq!(
            fragment_after_cut(&d, &one, at(PORCH, "And I stood in that porch")),
            None
        );
    }

    fn para(runs: Vec<Run>) -> Paragraph {
        Paragraph {
            block: 0,
            block_uuid: "b".into(),
            kind: crate::render::ParagraphKind::Excerpt,
            runs,
        }
    }

    fn run(text: &str, kind: RunKind, src: Option<(usize, usize)>) -> Run {
        Run {
            text: text.into(),
            italic: false,
            kind,
            source: src.map(|(start, end)| RunSource {
                document: "d".into(),
                version_id: 1,
                start,
                end,
            }),
        }
    }

    #[test]
    fn a_selection_maps_to_the_storytellers_words_only() {
        // "I went out … [Jean] came. [my sister]"
        let p = para(vec![
            run("I went out", RunKind::Source, Some((10, 20))),
            run(" … ", RunKind::Elision, Some((20, 40))),
            run("[Jean]", RunKind::Replacement, Some((40, 45))),
            run(" ", RunKind::Source, Some((45, 48))),
            run("came.", RunKind::Source, Some((48, 53))),
            run(" [my sister]", RunKind::Insertion, None),
        ]);
        let text = p.text();
        let (a, b) = at(&text, "went");
        let w = selected_source(&p, a, b).expect("words");
        assert_eq!((w.start, w.end), (12, 16));
        // Across an ellipsis and a replaced name: from the first word to the last.
        let (a, _) = at(&text, "out");
        let (_, b) = at(&text, "came");
        let w = selected_source(&p, a, b).expect("words");
        assert_eq!((w.start, w.end), (17, 52));
        // A selection backwards reads the same.
        assert_eq!(selected_source(&p, b, a), Some(w));
        // Only the ellipsis, or only the clarification: no words.
        let (a, b) = at(&text, " … ");
        assert_eq!(selected_source(&p, a, b), None);
        let (a, b) = at(&text, "[my sister]");
        assert_eq!(selected_source(&p, a, b), None);
        assert_eq!(selected_source(&p, 3, 3), None);
    }

    #[test]
    fn a_split_inside_a_word_or_before_its_space_falls_before_the_word() {
        use crate::model::{Block, StoryStatus};
        let d = doc(PORCH);
        let story = |pieces: Vec<Piece>| Story {
            uuid: "s".into(),
            participant: None,
            participant_id: None,
            title: String::new(),
            pseudonym: String::new(),
            role_line: String::new(),
            status: StoryStatus::Draft,
            revision: 1,
            approval: None,
            sent_on: None,
            blocks: vec![Block {
                uuid: "b".into(),
                content: BlockContent::Excerpt { pieces },
                lost_pieces: 0,
            }],
            themes: vec![],
            created_at: String::new(),
            updated_at: String::new(),
        };
        let did = at(PORCH, "I did.").0;
        // Inside "did": before "did"; on "I" or in the space before it: before "I".
        for place in [did + 3, did, did - 1] {
            let mut st = story(vec![piece(&d, 0, PORCH.chars().count())]);
            crate::edit::split_block(&mut st, "b", place, "b2".into()).expect("split");
            let starts: Vec<usize> = st
                .blocks
                .iter()
                .map(|b| match &b.content {
                    BlockContent::Excerpt { pieces } => pieces[0].span.start,
                    BlockContent::Framing { .. } => usize::MAX,
                })
                .collect();
            let want = if place == did + 3 { did + 2 } else { did };
            assert_eq!(starts, vec![0, want], "split at {place}");
        }
    }
}
