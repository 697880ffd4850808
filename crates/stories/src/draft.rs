//! Auto-draft (DESIGN §5): a first draft of a story from the storyteller's
//! own turns only. Passages (one to four sentences of one turn) are scored by
//! the researcher's codings (more for key quotes and codes in themes) and by
//! narrative cues for the four Storytelling prompts; a greedy pass picks the
//! densest passages while keeping variety (no two passages with overlapping
//! word sets), spread (no fifth of the interview takes more than its share)
//! and the word budget; the picks are kept in interview order, joined with an
//! ellipsis inside a turn and started afresh for a new turn. Only listed
//! fillers are dropped unmarked. Every choice is made on spans of the
//! transcript, so the draft passes the fidelity checker by construction.
//! Deterministic: ties are broken by position.

use super::model::{BlockContent, Gap, Piece, SourceSpan, StoryRules};
use super::render::Sources;
use super::tokens::tokens;
use std::collections::HashSet;

/// A coding the draft weighs.
#[derive(Debug, Clone)]
pub struct DraftCoding {
    pub version_id: i64,
    pub start: usize,
    pub end: usize,
    pub key_quote: bool,
    /// Is its code part of a theme?
    pub themed: bool,
}

/// What the draft reads.
pub struct DraftInput<'a> {
    pub sources: &'a Sources,
    /// The storyteller's turns as (version row id, index into that source's turns), in interview order.
    pub turns: Vec<(i64, usize)>,
    pub codings: Vec<DraftCoding>,
    pub rules: &'a StoryRules,
}

/// A proposed story.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    pub blocks: Vec<BlockContent>,
    /// Words the storyteller spoke in all.
    pub source_words: usize,
    /// Words picked (before rendering).
    pub words: usize,
}

/// The four Storytelling prompts and the words that cue them.
pub const PROMPT_CUES: [(&str, &[&str]); 4] = [
    (
        "involvement",
        &[
            "first",
            "started",
            "heard about",
            "referred",
            "joined",
            "began",
        ],
    ),
    (
        "what changed",
        &["now", "before", "used to", "changed", "since", "different"],
    ),
    (
        "why it matters",
        &["matters", "means", "important", "feel", "felt"],
    ),
    (
        "what enabled it",
        &[
            "helped",
            "because",
            "without",
            "if it wasn't",
            "if it weren't",
        ],
    ),
];

/// Words too common to tell two passages apart.
const STOP: &[&str] = &[
    "the", "and", "but", "was", "were", "that", "this", "with", "for", "you", "she", "her", "his",
    "him", "they", "them", "then", "there", "what", "when", "just", "like", "know", "have", "had",
    "has", "not", "yeah", "all", "are", "its", "it's", "one", "out", "get", "got", "very",
    "really", "been", "from", "about", "would", "could", "because", "some", "which", "who", "our",
    "your", "so", "me", "my", "we", "i", "it", "of", "to", "a", "in", "is", "on", "at", "be", "as",
    "do",
];

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "st", "prof", "rev", "mt", "sr", "jr", "e.g", "i.e", "eg", "ie", "vs",
    "no", "approx", "dept", "cllr",
];

/// Sentences of `text` as char ranges (plus `base`), trimmed of spaces.
/// A full stop after "Dr", "Mrs", "Mr", "St", "e.g." or an initial does not
/// end a sentence; a line break always does.
pub fn sentences(text: &str, base: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    let push = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        let mut s = s;
        let mut e = e;
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s < e {
            out.push((base + s, base + e));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            push(&mut out, start, i);
            start = i + 1;
            i += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j],
                    '.' | '!' | '?' | '…' | '"' | '”' | '’' | '\'' | ')'
                )
            {
                j += 1;
            }
            let at_end = j >= chars.len();
            if at_end || chars[j].is_whitespace() {
                let mut split = true;
                if c == '.' && j == i + 1 {
                    // The word before the full stop.
                    let mut k = i;
                    while k > 0 && !chars[k - 1].is_whitespace() {
                        k -= 1;
                    }
                    let word: String = chars[k..i].iter().collect::<String>().to_lowercase();
                    let word = word.trim_start_matches(['(', '"', '“', '\'']);
                    let initial = word.chars().count() == 1 && chars[k].is_uppercase();
                    if ABBREVIATIONS.contains(&word) || initial {
                        split = false;
                    }
                }
                // A sentence goes on when the next word starts in lower case.
                let mut n = j;
                while n < chars.len() && chars[n].is_whitespace() && chars[n] != '\n' {
                    n += 1;
                }
                if n < chars.len() && chars[n].is_lowercase() {
                    split = false;
                }
                if split {
                    push(&mut out, start, j);
                    start = j;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push(&mut out, start, chars.len());
    out
}

/// Run-on sentences (over [`LONG_SENTENCE`] words, common in spoken
/// transcripts) split after commas into clauses of at least
/// [`MIN_CLAUSE`] words, or at a word edge when there is no comma, so
/// that the draft can take part of them. Short sentences pass unchanged.
fn clauses(text: &str, base: usize) -> Vec<(usize, usize)> {
    if storyloom_text::text::word_count(text) <= LONG_SENTENCE {
        return vec![(base, base + text.chars().count())];
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut words = 0;
    let mut in_word = false;
    for i in 0..chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
        let comma = c == ',' && words >= MIN_CLAUSE;
        let hard = c.is_whitespace() && words >= LONG_SENTENCE;
        if (comma || hard) && i + 1 < chars.len() {
            let end = if comma { i + 1 } else { i };
            out.push((base + start, base + end));
            start = end;
            while start < chars.len() && chars[start].is_whitespace() {
                start += 1;
            }
            words = 0;
        }
    }
    if start < chars.len() {
        out.push((base + start, base + chars.len()));
    }
    out
}

const LONG_SENTENCE: usize = 60;
const MIN_CLAUSE: usize = 20;

struct Sentence {
    version_id: i64,
    /// Position of its turn in the storyteller's turns.
    turn: usize,
    start: usize,
    end: usize,
    words: usize,
    /// Index of the first word in the storyteller's speech (for spread).
    at_word: usize,
    score: f64,
    prompts: [bool; 4],
    content: HashSet<String>,
    /// Contains a transcription mark or bracket: never picked alone.
    marked: bool,
}

struct Candidate {
    first: usize,
    last: usize,
    words: usize,
    value: f64,
    content: HashSet<String>,
}

/// Drafts a story (see the module documentation).
pub fn draft(input: &DraftInput) -> Draft {
    let rules = input.rules;
    let mut sents: Vec<Sentence> = Vec::new();
    let mut source_words = 0;
    for (ti, (vid, tix)) in input.turns.iter().enumerate() {
        let Some(doc) = input.sources.get(vid) else {
            continue;
        };
        let Some(turn) = doc.turns.get(*tix) else {
            continue;
        };
        let text = doc.slice(turn.start, turn.end);
        for (s, e) in sentences(text, turn.start)
            .into_iter()
            .flat_map(|(s, e)| clauses(doc.slice(s, e), s))
        {
            let st = doc.slice(s, e);
            let words = storyloom_text::text::word_count(st);
            let lower: Vec<String> = tokens(st, 0)
                .iter()
                .map(|t| t.text.to_lowercase())
                .collect();
            let joined = format!(" {} ", lower.join(" "));
            let mut prompts = [false; 4];
            for (k, (_, cues)) in PROMPT_CUES.iter().enumerate() {
                prompts[k] = cues.iter().any(|c| {
                    let c = c.replace('\'', " ");
                    joined.contains(&format!(" {c} "))
                });
            }
            let mut score = prompts.iter().filter(|p| **p).count() as f64 * 1.0;
            for c in input
                .codings
                .iter()
                .filter(|c| c.version_id == *vid && c.start < e && s < c.end)
            {
                score +=
                    1.5 + if c.key_quote { 2.5 } else { 0.0 } + if c.themed { 0.5 } else { 0.0 };
            }
            if lower.iter().any(|w| w == "i" || w == "my" || w == "me") {
                score += 0.3;
            }
            let content: HashSet<String> = lower
                .iter()
                .filter(|w| {
                    w.chars().count() > 2 && !STOP.contains(&w.as_str()) && !rules.is_filler(w)
                })
                .cloned()
                .collect();
            sents.push(Sentence {
                version_id: *vid,
                turn: ti,
                start: s,
                end: e,
                words,
                at_word: source_words,
                score,
                prompts,
                content,
                marked: st.contains(['[', ']']),
            });
            source_words += words;
        }
    }
    let mut picked = vec![false; sents.len()];
    if source_words <= rules.draft_max_words {
        picked.iter_mut().for_each(|p| *p = true);
    } else {
        pick(&sents, &mut picked, source_words, rules);
    }
    build(input, &sents, &picked, source_words)
}

fn pick(sents: &[Sentence], picked: &mut [bool], source_words: usize, rules: &StoryRules) {
    const ZONES: usize = 5;
    let zone_of = |s: &Sentence| (s.at_word * ZONES / source_words.max(1)).min(ZONES - 1);
    let mut cands: Vec<Candidate> = Vec::new();
    for i in 0..sents.len() {
        let mut words = 0;
        let mut score = 0.0;
        let mut content = HashSet::new();
        for j in i..(i + 4).min(sents.len()) {
            let s = &sents[j];
            if s.turn != sents[i].turn || s.version_id != sents[i].version_id || s.marked {
                break;
            }
            words += s.words;
            score += s.score;
            content.extend(s.content.iter().cloned());
            if words > 160 {
                break;
            }
            if words >= 12 {
                cands.push(Candidate {
                    first: i,
                    last: j,
                    words,
                    value: (score + 0.2) / (words as f64).sqrt(),
                    content: content.clone(),
                });
            }
        }
    }
    cands.sort_by(|a, b| {
        b.value
            .partial_cmp(&a.value)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.first.cmp(&b.first))
            .then(a.last.cmp(&b.last))
    });
    let goal = (rules.draft_min_words + rules.draft_max_words) / 2;
    let mut total = 0usize;
    let mut zones = [0usize; ZONES];
    let mut chosen: Vec<usize> = Vec::new();
    // First with variety and spread, then relaxed if the budget is not met.
    for (max_sim, zone_cap) in [(0.5, rules.draft_max_words * 7 / 20), (0.8, usize::MAX)] {
        for (ci, c) in cands.iter().enumerate() {
            if total >= goal {
                break;
            }
            if total + c.words > rules.draft_max_words || (c.first..=c.last).any(|k| picked[k]) {
                continue;
            }
            let z = zone_of(&sents[c.first]);
            if zones[z] + c.words > zone_cap {
                continue;
            }
            if chosen
                .iter()
                .any(|&o| similarity(&cands[o].content, &c.content) >= max_sim)
            {
                continue;
            }
            picked[c.first..=c.last].iter_mut().for_each(|p| *p = true);
            total += c.words;
            zones[z] += c.words;
            chosen.push(ci);
        }
        if total >= rules.draft_min_words {
            break;
        }
    }
}

/// Word-set Jaccard similarity.
fn similarity(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Builds blocks from the picked sentences: one block per run of picks in a
/// turn, cuts inside a turn shown as ellipses, fillers dropped unmarked.
fn build(input: &DraftInput, sents: &[Sentence], picked: &[bool], source_words: usize) -> Draft {
    let rules = input.rules;
    let mut blocks: Vec<BlockContent> = Vec::new();
    let mut words = 0;
    let mut current: Vec<Piece> = Vec::new();
    let mut current_turn: Option<(i64, usize)> = None;
    let mut last_end = 0usize;
    let mut title: Option<(f64, String)> = None;
    for (i, s) in sents.iter().enumerate() {
        if !picked[i] {
            continue;
        }
        let Some(doc) = input.sources.get(&s.version_id) else {
            continue;
        };
        words += s.words;
        let key = (s.version_id, s.turn);
        let mut gap = Gap::Join;
        if current_turn != Some(key) {
            if !current.is_empty() {
                blocks.push(BlockContent::Excerpt {
                    pieces: std::mem::take(&mut current),
                });
            }
            current_turn = Some(key);
        } else {
            let between = doc.slice(last_end, s.start);
            let gap_words: Vec<String> = tokens(between, 0)
                .iter()
                .map(|t| t.text.to_owned())
                .collect();
            if !gap_words.is_empty() {
                gap = if gap_words.iter().all(|w| rules.is_filler(w))
                    && rules.allow_unmarked_fillers
                {
                    Gap::Unmarked
                } else {
                    Gap::Elision
                };
            }
        }
        // The sentence without its fillers.
        let st = doc.slice(s.start, s.end);
        let toks = tokens(st, s.start);
        let mut piece_start = s.start;
        let mut pieces_here: Vec<(usize, usize, Gap)> = Vec::new();
        let mut pending = gap;
        if rules.allow_unmarked_fillers {
            for (k, t) in toks.iter().enumerate() {
                if !rules.is_filler(t.text) {
                    continue;
                }
                let piece_end = trim_end_pos(doc, piece_start, t.start);
                if !tokens(doc.slice(piece_start, piece_end), 0).is_empty() {
                    pieces_here.push((piece_start, piece_end, pending));
                    pending = Gap::Unmarked;
                } else if pending == Gap::Join {
                    pending = Gap::Unmarked;
                }
                // Cut from the filler to the next word (its comma and space go with it).
                piece_start = toks.get(k + 1).map_or(s.end, |n| n.start);
            }
        }
        if piece_start < s.end {
            pieces_here.push((piece_start, s.end, pending));
        }
        for (ps, pe, g) in pieces_here {
            let quote = doc.slice(ps, pe).to_owned();
            if tokens(&quote, 0).is_empty() {
                continue;
            }
            let gap = if current.is_empty() { Gap::Join } else { g };
            current.push(Piece {
                span: SourceSpan {
                    id: None,
                    document: doc.document.clone(),
                    version_id: s.version_id,
                    start: ps,
                    end: pe,
                    quote,
                },
                gap,
                replace: None,
                clarification: None,
            });
        }
        last_end = s.end;
        // A title: a short sentence of the storyteller's that answers a prompt.
        if (4..=12).contains(&s.words) && !s.marked {
            let value = s.score + s.prompts.iter().filter(|p| **p).count() as f64;
            if title.as_ref().is_none_or(|(v, _)| value > *v) {
                let t = st
                    .trim()
                    .trim_end_matches(['.', ',', ';', ':', '!', '?'])
                    .to_owned();
                title = Some((value, t));
            }
        }
    }
    if !current.is_empty() {
        blocks.push(BlockContent::Excerpt { pieces: current });
    }
    Draft {
        title: title.map(|t| t.1).unwrap_or_default(),
        blocks,
        source_words,
        words,
    }
}

/// The end of a piece that stops before `pos`, without trailing spaces.
fn trim_end_pos(doc: &super::render::SourceDoc, start: usize, pos: usize) -> usize {
    let text: Vec<char> = doc.slice(start, pos).chars().collect();
    let mut e = text.len();
    while e > 0 && text[e - 1].is_whitespace() {
        e -= 1;
    }
    start + e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitter_keeps_titles_initials_and_abbreviations() {
        let text = "I saw Dr. Patel and Mrs. Jones. We met at St. Aidan's, e.g. on Fridays! J. R. came too. Then it rained… And so on";
        let got: Vec<String> = sentences(text, 0)
            .into_iter()
            .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
            .collect();
        assert_eq!(
            got,
            [
                "I saw Dr. Patel and Mrs. Jones.",
                "We met at St. Aidan's, e.g. on Fridays!",
                "J. R. came too.",
                "Then it rained…",
                "And so on"
            ]
        );
    }

    fn doc_of(text: &str) -> crate::SourceDoc {
        let n = text.chars().count();
        crate::SourceDoc {
            document: "d".into(),
            name: "d.txt".into(),
            version: 1,
            current: true,
            text: text.to_owned(),
            turns: vec![crate::SourceTurn {
                seq: 0,
                start: 0,
                end: n,
                role: storyloom_text::model::Role::Participant,
                speaker: "P".into(),
                participant_id: Some(1),
            }],
            index: Default::default(),
        }
    }

    #[test]
    fn the_draft_favours_key_quotes_and_cues_fits_the_budget_and_repeats_itself() {
        // 150 plain sentences of 12 words, one key quote, one with cues.
        let mut text = String::new();
        for i in 0..150 {
            text.push_str(&format!(
                "Sentence {i} tells of weather and gardens and buses and tea together. "
            ));
        }
        let key = "The choir gave me back my voice after years of silence at home. ";
        let cue = "Now I feel it matters because the link worker helped me first. ";
        let k0 = text.chars().count();
        text.push_str(key);
        let c0 = text.chars().count();
        text.push_str(cue);
        for i in 150..200 {
            text.push_str(&format!(
                "Sentence {i} tells of weather and gardens and buses and tea together. "
            ));
        }
        let mut sources = Sources::new();
        sources.insert(1, doc_of(&text));
        let rules = StoryRules::default();
        let input = DraftInput {
            sources: &sources,
            turns: vec![(1, 0)],
            codings: vec![DraftCoding {
                version_id: 1,
                start: k0,
                end: k0 + 20,
                key_quote: true,
                themed: true,
            }],
            rules: &rules,
        };
        let d = draft(&input);
        assert!(
            (rules.draft_min_words..=rules.draft_max_words).contains(&d.words),
            "{}",
            d.words
        );
        let picked: Vec<(usize, usize)> = d
            .blocks
            .iter()
            .flat_map(|b| match b {
                BlockContent::Excerpt { pieces } => {
                    pieces.iter().map(|p| (p.span.start, p.span.end)).collect()
                }
                BlockContent::Framing { .. } => vec![],
            })
            .collect();
        assert!(
            picked.iter().any(|(s, e)| *s <= k0 && k0 < *e),
            "the key quote was left out"
        );
        assert!(
            picked.iter().any(|(s, e)| *s <= c0 && c0 < *e),
            "the cue sentence was left out"
        );
        // Interview order, and the same draft twice.
        assert!(picked.windows(2).all(|w| w[0].1 <= w[1].0));
        let again = draft(&input);
        assert_eq!(format!("{:?}", again.blocks), format!("{:?}", d.blocks));
    }

    #[test]
    fn run_on_sentences_split_after_commas() {
        let long = format!(
            "{}, {}, {}",
            "word ".repeat(30).trim(),
            "more ".repeat(30).trim(),
            "end"
        );
        let parts = clauses(&long, 10);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(parts[0], (10, 10 + 150));
        let short = "A short one, with a comma.";
        assert_eq!(clauses(short, 0), vec![(0, 26)]);
    }

    #[test]
    fn splitter_breaks_at_line_ends() {
        let text = "first line\nsecond. Third";
        assert_eq!(sentences(text, 5), vec![(5, 15), (16, 23), (24, 29)]);
    }
}
