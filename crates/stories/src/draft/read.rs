//! What each of the storyteller's sentences is, as the draft needs to know
//! it: its place, its weight (codings, key quotes, the arc it speaks to, the
//! storyteller's pauses and laughter), whether it is housekeeping or talk
//! addressed to the interviewer (never drafted), and how it opens (a bare
//! answer or a pronoun whose referent may lie in words the draft cut).

use super::elliptic::elliptic_answer;
pub(crate) use super::opening::Opener;
use super::opening::{opener, verbless_answer};
use super::split::{clauses, sentences};
use super::{DraftInput, STAGE_CUES, STAGES};
use crate::render::SourceDoc;
use crate::tokens::tokens;
use std::collections::HashSet;
use storyloom_text::model::Role;

/// Why a sentence is never drafted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    /// Consent, the recorder, tea: talk about the interview, not the story.
    Housekeeping,
    /// Words addressed to the interviewer (their name, a question to them).
    ToInterviewer,
}

pub(crate) struct Sentence {
    pub version_id: i64,
    /// Position of its turn in the storyteller's turns.
    pub turn: usize,
    pub start: usize,
    pub end: usize,
    pub words: usize,
    /// Index of its first word in the storyteller's speech (for spread).
    pub at_word: usize,
    pub score: f64,
    pub stages: [bool; STAGES],
    /// Content words as interned ids, sorted (for the variety test).
    pub content: Vec<u32>,
    pub skip: Option<Skip>,
    pub opener: Opener,
    /// Starts where the storyteller's sentence starts (not after a hard line wrap).
    pub starts_whole: bool,
    /// Ends with a full stop, question or exclamation mark (marks aside).
    pub ends_whole: bool,
    /// Touches a key quote.
    pub key: bool,
    /// "Born", "grew up", "as a child": belongs at the start of a life story.
    pub early_life: bool,
}

/// Words too common to tell two passages apart.
pub(crate) const STOP: &[&str] = &[
    "the", "and", "but", "was", "were", "that", "this", "with", "for", "you", "she", "her", "his",
    "him", "they", "them", "then", "there", "what", "when", "just", "like", "know", "have", "had",
    "has", "not", "yeah", "all", "are", "its", "it's", "one", "out", "get", "got", "very",
    "really", "been", "from", "about", "would", "could", "because", "some", "which", "who", "our",
    "your", "so", "me", "my", "we", "i", "it", "of", "to", "a", "in", "is", "on", "at", "be", "as",
    "do", "don", "did", "didn", "said", "say", "says", "mean", "sort", "kind", "thing", "things",
    "well", "yes", "okay", "going", "went", "come", "came", "can", "will", "now", "how", "into",
    "more", "much", "lot", "bit", "too", "here", "where", "any", "other", "than", "these", "those",
];

/// Words that talk about the interview itself wherever they are.
const HOUSEKEEPING: &[&str] = &[
    "recording",
    "recorder",
    "consent",
    "anonymised",
    "anonymized",
    "anonymous",
    "microphone",
    "on the radio",
    "say again",
    "say that again",
    "where do you want me to start",
    "what was the question",
    "information sheet",
    "switch it off",
    "turn it off",
    "turn this one up",
    "thank you for having me",
    "thanks for having me",
    "the tape",
    "pseudonym",
];

/// Words that are housekeeping near the start or end of the interview only.
const EDGE_HOUSEKEEPING: &[&str] = &[
    "tea", "coffee", "biscuit", "biscuits", "kettle", "cuppa", "sugar", "milk",
];

/// A question right after a sentence that reports speech ("he said, Mr
/// Jas, this is not good. And how are you feeling?"): told without quote
/// marks, it is the other person's words, not talk to the interviewer. A
/// tag to the listener ("you know what I mean?") is not.
fn reported_speech(doc: &SourceDoc, turn_sents: &[(usize, usize)], k: usize, low: &str) -> bool {
    let Some(&(ps, pe)) = k.checked_sub(1).and_then(|p| turn_sents.get(p)) else {
        return false;
    };
    let before = padded(doc.slice(ps, pe));
    ["said", "says", "asked", "asks"]
        .iter()
        .any(|v| has_phrase(&before, v))
        && ![
            "what i mean",
            "you know",
            "isn't it",
            "don't you",
            "aren't you",
        ]
        .iter()
        .any(|t| has_phrase(low, t))
}

/// Capitalised words that are not people.
pub(crate) const NOT_NAMES: &[&str] = &[
    "i",
    "mr",
    "mrs",
    "ms",
    "dr",
    "god",
    "christmas",
    "easter",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "english",
    "okay",
    "ok",
    "nhs",
    "gp",
    "tv",
    "uk",
    "oh",
    "yes",
    "no",
];

/// Generic interviewer labels that are not names.
const GENERIC_LABELS: &[&str] = &[
    "interviewer",
    "researcher",
    "speaker",
    "int",
    "i",
    "q",
    "r",
    "facilitator",
    "moderator",
];

/// The lower-case words of a text joined with spaces and padded, for phrase search.
fn padded(text: &str) -> String {
    let words: Vec<String> = tokens(text, 0)
        .iter()
        .map(|t| t.text.to_lowercase())
        .collect();
    format!(" {} ", words.join(" "))
}

fn has_phrase(padded: &str, phrase: &str) -> bool {
    padded.contains(&format!(" {} ", phrase.replace(['\'', '’'], " ")))
}

/// The interviewers' first names in the documents the draft reads (lower case).
pub(crate) fn interviewer_names(input: &DraftInput) -> Vec<String> {
    let mut seen: HashSet<i64> = HashSet::new();
    let docs = input
        .turns
        .iter()
        .filter(|(vid, _)| seen.insert(*vid))
        .filter_map(|(vid, _)| input.sources.get(vid));
    interviewer_names_in(docs)
}

/// The interviewers' first names in some documents (lower case).
pub(crate) fn interviewer_names_in<'a>(
    docs: impl IntoIterator<Item = &'a SourceDoc>,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for doc in docs {
        for t in doc.turns.iter().filter(|t| t.role == Role::Interviewer) {
            let Some(first) = tokens(&t.speaker, 0).first().map(|t| t.text.to_lowercase()) else {
                continue;
            };
            if first.chars().count() > 1
                && !GENERIC_LABELS.contains(&first.as_str())
                && !first.chars().all(|c| c.is_ascii_digit())
                && !names.contains(&first)
            {
                names.push(first);
            }
        }
    }
    names
}

/// Is the text only transcription marks and punctuation ("[laughs]", "[pause].")?
pub(crate) fn only_marks(text: &str) -> bool {
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = (depth - 1).max(0),
            c if depth == 0 && c.is_alphanumeric() => return false,
            _ => {}
        }
    }
    true
}

/// The text without bracketed marks.
pub(crate) fn without_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = (depth - 1).max(0),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Does the text end where a sentence ends (marks and closing quotes aside)?
pub(crate) fn ends_whole(text: &str) -> bool {
    let t = without_marks(text);
    let t = t
        .trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', ' ']);
    t.ends_with(['.', '!', '?', '…']) && !t.ends_with("--")
}

/// Is a quotation open after `text`, given whether one was open before it?
pub(crate) fn quote_state(open: bool, text: &str) -> bool {
    text.chars().fold(open, |o, c| match c {
        '"' => !o,
        '“' => true,
        '”' => false,
        _ => o,
    })
}

/// Capitalised names in a text that are not at a sentence start (lower-case keys, display form).
pub(crate) fn names_in(text: &str, interviewers: &[String]) -> Vec<String> {
    let toks = tokens(text, 0);
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        let cap = t.text.chars().next().is_some_and(char::is_uppercase);
        // The last char before the word, spaces aside.
        let prev = chars[..t.start].iter().rev().find(|c| !c.is_whitespace());
        let at_start = prev.is_none_or(|c| {
            matches!(
                c,
                '.' | '!' | '?' | '…' | '"' | '“' | ':' | '-' | '—' | '–' | '['
            )
        });
        let lower = t.text.to_lowercase();
        if cap
            && !at_start
            && !NOT_NAMES.contains(&lower.as_str())
            && !interviewers.contains(&lower)
        {
            // A run of capitalised words is one name ("Dr Hussain", "Aunty Pam").
            let mut j = k;
            let mut name = t.text.to_owned();
            while let Some(n) = toks.get(j + 1) {
                let gap: String = chars[toks[j].end..n.start].iter().collect();
                if gap == " " && n.text.chars().next().is_some_and(char::is_uppercase) {
                    name.push(' ');
                    name.push_str(n.text);
                    j += 1;
                } else {
                    break;
                }
            }
            // "Dr Hussain": keep the title with the name.
            if k > 0 {
                let prev = toks[k - 1].text;
                let gap: String = chars[toks[k - 1].end..t.start].iter().collect();
                if ["Dr", "Mr", "Mrs", "Ms", "Nurse", "Aunty", "Auntie", "Uncle"].contains(&prev)
                    && (gap == " " || gap == ". ")
                {
                    name = format!("{prev}{gap}{name}");
                }
            }
            if !out.contains(&name) {
                out.push(name);
            }
            k = j + 1;
            continue;
        }
        k += 1;
    }
    out
}

/// Reads the storyteller's turns into sentences (see [`Sentence`]).
pub(crate) fn read(input: &DraftInput) -> (Vec<Sentence>, usize) {
    let rules = input.rules;
    let interviewers = interviewer_names(input);
    // The storyteller's words in all, for the interview's edges.
    let total: usize = input
        .turns
        .iter()
        .filter_map(|(vid, tix)| {
            let doc = input.sources.get(vid)?;
            let t = doc.turns.get(*tix)?;
            Some(storyloom_text::text::word_count(doc.slice(t.start, t.end)))
        })
        .sum();
    let edge = total / 12;
    let mut sents: Vec<Sentence> = Vec::new();
    let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut at = 0;
    for (ti, (vid, tix)) in input.turns.iter().enumerate() {
        let Some(doc) = input.sources.get(vid) else {
            continue;
        };
        let Some(turn) = doc.turns.get(*tix) else {
            continue;
        };
        // The question before the turn, for names a pronoun may point to.
        let question = tix
            .checked_sub(1)
            .and_then(|p| doc.turns.get(p))
            .filter(|p| p.role != Role::Participant)
            .map(|p| doc.slice(p.start, p.end))
            .unwrap_or("");
        let text = doc.slice(turn.start, turn.end);
        let mut turn_sents: Vec<(usize, usize)> = Vec::new();
        for (s, e) in sentences(text, turn.start) {
            turn_sents.extend(clauses(doc.slice(s, e), s));
        }
        // What lies before each sentence in the turn, kept as we go (not
        // recomputed from the turn's start: long turns stay linear).
        let mut quote_before = false;
        let mut whole_before = true;
        // Still answering the question: only short fragments so far in the
        // turn ("Just before. Three weeks before the first lockdown.").
        let mut answering = !question.trim().is_empty();
        let mut from = turn.start;
        for (k, &(s, e)) in turn_sents.iter().enumerate() {
            let st = doc.slice(s, e);
            quote_before = quote_state(quote_before, doc.slice(from, s));
            let starts_here = whole_before && !quote_before;
            let quote_after = quote_state(quote_before, st);
            let real = without_marks(st);
            if !real.trim().is_empty() {
                whole_before = ends_whole(real.trim_end()) || real.trim_end().ends_with(':');
            }
            from = e;
            let was_quoted = quote_before;
            quote_before = quote_after;
            let words = storyloom_text::text::word_count(st);
            let low = padded(st);
            let mut stages = [false; STAGES];
            for (k, cues) in STAGE_CUES.iter().enumerate() {
                stages[k] = cues.iter().any(|c| has_phrase(&low, c));
            }
            let mut score = stages.iter().filter(|p| **p).count().min(2) as f64 * 0.6;
            let mut key = false;
            let mut coded = 0.0;
            for c in input
                .codings
                .iter()
                .filter(|c| c.version_id == *vid && c.start < e && s < c.end)
            {
                key |= c.key_quote;
                coded +=
                    1.5 + if c.key_quote { 2.5 } else { 0.0 } + if c.themed { 0.5 } else { 0.0 };
            }
            score += f64::min(coded, 6.0);
            if has_phrase(&low, "i") || has_phrase(&low, "my") || has_phrase(&low, "me") {
                score += 0.3;
            }
            let lower_text = st.to_lowercase();
            if [
                "[pause",
                "[laugh",
                "[cri",
                "[cry",
                "[sigh",
                "[tear",
                "[long pause",
            ]
            .iter()
            .any(|m| lower_text.contains(m))
            {
                score += 0.5;
            }
            if lower_text.contains("[inaudible") || lower_text.contains("[crosstalk") {
                score -= 0.6;
            }
            if st.contains(['"', '“']) || has_phrase(&low, "said") {
                score += 0.2;
            }
            let skip = if HOUSEKEEPING.iter().any(|h| has_phrase(&low, h))
                || ((at < edge || at + words + edge > total)
                    && EDGE_HOUSEKEEPING.iter().any(|h| has_phrase(&low, h)))
            {
                Some(Skip::Housekeeping)
            } else if interviewers.iter().any(|n| has_phrase(&low, n))
                || (without_marks(st).trim_end().ends_with('?')
                    && (has_phrase(&low, "you") || has_phrase(&low, "your"))
                    && !st.contains(['"', '“', '”'])
                    && !was_quoted
                    && !reported_speech(doc, &turn_sents, k, &low)
                    // Inside a key quote the researcher chose "You understand?".
                    && !key)
            {
                Some(Skip::ToInterviewer)
            } else {
                None
            };
            let before_in_turn = doc.slice(turn_sents[k.saturating_sub(3)].0, s);
            let context = format!("{question}\n{before_in_turn}");
            let mut content: Vec<u32> = tokens(st, 0)
                .iter()
                .map(|t| t.text.to_lowercase())
                .filter(|w| {
                    w.chars().count() > 2 && !STOP.contains(&w.as_str()) && !rules.is_filler(w)
                })
                .map(|w| {
                    let next = ids.len() as u32;
                    *ids.entry(w).or_insert(next)
                })
                .collect();
            content.sort_unstable();
            content.dedup();
            let early_life = [
                "born",
                "grew up",
                "as a child",
                "as a girl",
                "as a boy",
                "when i was young",
                "when i was little",
            ]
            .iter()
            .any(|c| has_phrase(&low, c));
            sents.push(Sentence {
                version_id: *vid,
                turn: ti,
                start: s,
                end: e,
                words,
                at_word: at,
                score,
                stages,
                content,
                skip,
                opener: if answering && verbless_answer(st) {
                    Opener::BareAnswer
                } else {
                    opener(st, words, &context, &interviewers)
                },
                starts_whole: starts_here,
                ends_whole: ends_whole(st) && !quote_after,
                key,
                early_life,
            });
            at += words;
            answering = answering
                && (only_marks(st)
                    || verbless_answer(st)
                    || elliptic_answer(st).is_some_and(|e| e.rest_words == 0));
        }
    }
    // A housekeeping aside strictly inside a key quote ("I use my
    // discretion. I'm probably not supposed to say that on a recording.
    // [laughs] Officially…") is part of what the researcher chose.
    for k in 1..sents.len().saturating_sub(1) {
        let inside = |j: usize| {
            sents[j].key
                && sents[j].skip.is_none()
                && sents[j].turn == sents[k].turn
                && sents[j].version_id == sents[k].version_id
        };
        if sents[k].key
            && matches!(sents[k].skip, Some(Skip::Housekeeping))
            && inside(k - 1)
            && (k + 1..sents.len())
                .take_while(|&j| sents[j].turn == sents[k].turn)
                .find(|&j| !only_marks_sentence(&sents[j]))
                .is_some_and(inside)
        {
            sents[k].skip = None;
        }
    }
    (sents, at)
}

/// Does a sentence hold only transcription marks (it has no words)?
fn only_marks_sentence(s: &Sentence) -> bool {
    s.words == 0
}
