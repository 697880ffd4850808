//! How a sentence opens, when a passage would start with it: plainly, with
//! an answer whose question was cut ("Yes." "About two years." "Yes, I
//! did."), with a pronoun whose referent may lie in words the draft cut, or
//! with transcription marks only. An answer that has a verb but leans on the
//! question for its meaning ("I did." "No, it was fine." "I think so.") is
//! found by [`elliptic_answer`]; the draft never starts a passage with one
//! (it starts after it, visibly, when the rest stands on its own), and the
//! story-quality report flags a block that does, with a suggested fix.

use super::elliptic::elliptic_answer;
use super::read::{names_in, only_marks, without_marks};
use super::referents::{
    GERUND_WORDS, PLURALS, fronted_place_then_pronoun, inner_person, object_it,
};
use crate::tokens::tokens;

/// How a sentence opens, when a passage would start with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Opener {
    Plain,
    /// "Yes." "No, I'm alright." "Because..." whose question was cut: never a start.
    BareAnswer,
    /// "Yeah, so I..." starts after the answer word (cut visibly): chars to skip.
    AnswerWord(usize),
    /// He, she, they... : the char offset just after the pronoun, and the one
    /// name it can only mean (from the storyteller's words just before or the
    /// question), when there is exactly one.
    Person(usize, Option<String>),
    /// It, that, this...: a referent the draft cannot name; start earlier.
    Thing,
    /// Only transcription marks ("[laughs]"): belongs to the sentence before.
    MarksOnly,
}

/// Words that open a bare answer.
pub(super) const ANSWERS: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "nah",
    "aye",
    "oh",
    "mm",
    "mhm",
    "hmm",
    "right",
    "exactly",
    "definitely",
    "absolutely",
    "sure",
    "okay",
    "ok",
    "well",
    "because",
    "cos",
    "cause",
    "probably",
    "maybe",
    "possibly",
    "true",
];

/// Answer words a passage may start after (cut visibly); never "no".
const DROPPABLE_ANSWERS: &[&str] = &[
    "yes", "yeah", "yep", "aye", "oh", "mm", "mhm", "hmm", "right", "okay", "ok", "well", "so",
];

pub(super) const CONJUNCTIONS: &[&str] = &["and", "but", "so", "then", "well", "oh", "cos", "or"];
const PERSONS: &[&str] = &[
    "he", "she", "they", "him", "her", "his", "them", "their", "hers",
];
pub(super) const THINGS: &[&str] = &[
    "it", "that", "this", "those", "these", "which", "there's", "one",
];

/// Subjects and verbs that make a short sentence a clause of its own.
pub(super) const CLAUSE_WORDS: &[&str] = &[
    "i", "you", "he", "she", "we", "they", "it", "there", "that", "this", "who", "what", "is",
    "was", "were", "are", "am", "be", "been", "being", "have", "has", "had", "do", "does", "did",
    "done", "go", "goes", "went", "gone", "get", "gets", "got", "make", "made", "say", "said",
    "says", "think", "thought", "know", "knew", "come", "came", "feel", "felt", "want", "wanted",
    "need", "needed", "take", "took", "see", "saw", "seen", "tell", "told", "give", "gave", "keep",
    "kept", "let", "put", "look", "love", "loved", "like", "liked", "can", "could", "will",
    "would", "shall", "should", "may", "might", "must", "s", "m", "re", "ve", "ll", "d", "t",
    "isn", "wasn", "don", "didn", "doesn", "haven", "hasn", "can't", "won", "wouldn", "couldn",
];

/// The longest fragment taken for an answer to the question before it.
const FRAGMENT_WORDS: usize = 7;

/// A short sentence with no subject or verb of its own ("About two years.",
/// "Every Tuesday.", "Type 2, same as me."): at the start of a turn it is an
/// answer that only makes sense after the question, though no answer word
/// ("yes", "because") says so.
pub(crate) fn verbless_answer(text: &str) -> bool {
    let spoken = without_marks(text);
    let toks = tokens(&spoken, 0);
    !toks.is_empty()
        && toks.len() <= FRAGMENT_WORDS
        && !toks
            .iter()
            .any(|t| CLAUSE_WORDS.contains(&t.text.to_lowercase().as_str()))
}

/// Words that make an opening phrase a time ("The next week, I went back"), which reads on its own.
pub(super) const TIME_WORDS: &[&str] = &[
    "day",
    "days",
    "week",
    "weeks",
    "morning",
    "night",
    "evening",
    "afternoon",
    "year",
    "years",
    "month",
    "months",
    "time",
    "first",
    "next",
    "last",
    "weekend",
    "summer",
    "winter",
    "spring",
    "autumn",
    "moment",
    "minute",
];

/// The longest phrase taken for one that leans on the words before.
const LEANING_WORDS: usize = 4;

/// A sentence opening with a short phrase that has no verb and names
/// something said before ("The old kind, paraffin, with the tall chimney…"
/// "The link worker, that's it." "Not the people, the people were fine."):
/// read after a cut, a workshop asks "the old kind of what?".
pub(crate) fn leaning_phrase(text: &str) -> bool {
    let spoken = without_marks(text);
    let chars: Vec<char> = spoken.chars().collect();
    let toks = tokens(&spoken, 0);
    let Some(first) = toks.first() else {
        return false;
    };
    if !["the", "not", "a", "an"].contains(&first.text.to_lowercase().as_str()) {
        return false;
    }
    // The phrase runs to the first comma, dash or colon.
    let mut n = 0;
    for (k, t) in toks.iter().enumerate() {
        n = k + 1;
        let after: String = match toks.get(k + 1) {
            Some(next) => chars[t.end..next.start].iter().collect(),
            None => return false,
        };
        if after.contains([',', '–', '—', ':', ';']) || after.contains("--") {
            break;
        }
        if n > LEANING_WORDS {
            return false;
        }
    }
    let phrase = &toks[..n];
    // "The link worker, they call her.": a topic taken up by a pronoun reads on its own.
    let taken_up = toks.get(n).is_some_and(|t| {
        ["i", "we", "they", "he", "she", "you"].contains(&t.text.to_lowercase().as_str())
    });
    n <= LEANING_WORDS
        && !taken_up
        && !phrase.iter().any(|t| {
            let w = t.text.to_lowercase();
            CLAUSE_WORDS.contains(&w.as_str()) || TIME_WORDS.contains(&w.as_str())
        })
}

/// How a sentence opens (see [`Opener`]); `context` is the storyteller's
/// words just before it in the turn and the question before the turn.
pub(crate) fn opener(text: &str, words: usize, context: &str, interviewers: &[String]) -> Opener {
    if only_marks(text) {
        return Opener::MarksOnly;
    }
    // "Yes, I did." "I have, yeah.": leans on the question. The passage may
    // start after it (cut visibly) when what follows stands on its own.
    if let Some(e) = elliptic_answer(text) {
        if e.negative || e.rest_words < 5 {
            return Opener::BareAnswer;
        }
        let rest: String = text.chars().skip(e.rest).collect();
        let first = tokens(&rest, 0)
            .iter()
            .map(|t| t.text.to_lowercase())
            .find(|w| !CONJUNCTIONS.contains(&w.as_str()));
        let own = first.is_some_and(|w| ["i", "we", "my", "our"].contains(&w.as_str()));
        return if own && opener(&rest, e.rest_words, context, interviewers) == Opener::Plain {
            Opener::AnswerWord(e.rest)
        } else {
            Opener::BareAnswer
        };
    }
    let toks = tokens(text, 0);
    // Marks at the start ("[pause] Yes.") are passed over.
    let chars: Vec<char> = text.chars().collect();
    // Bracket depth before each char, computed once.
    let mut depth = Vec::with_capacity(chars.len() + 1);
    let mut d = 0i32;
    for c in &chars {
        depth.push(d);
        match c {
            '[' => d += 1,
            ']' => d = (d - 1).max(0),
            _ => {}
        }
    }
    depth.push(d);
    let in_mark = |pos: usize| depth.get(pos).is_some_and(|d| *d > 0);
    let spoken: Vec<_> = toks.iter().filter(|t| !in_mark(t.start)).collect();
    let Some(first) = spoken.first() else {
        return Opener::MarksOnly;
    };
    let w0 = first.text.to_lowercase();
    if ANSWERS.contains(&w0.as_str()) {
        let next = spoken.get(1);
        let comma_after = next.is_some_and(|n| {
            chars[first.end..n.start]
                .iter()
                .collect::<String>()
                .contains(',')
        });
        if w0 == "because" || w0 == "cos" || w0 == "cause" || words <= 6 || !comma_after {
            return Opener::BareAnswer;
        }
        if DROPPABLE_ANSWERS.contains(&w0.as_str())
            && let Some(n) = next
        {
            // "Yeah, no, ..." or "Oh, yes, ...": still an answer.
            let w1 = n.text.to_lowercase();
            if ANSWERS.contains(&w1.as_str()) || PERSONS.contains(&w1.as_str()) {
                return Opener::BareAnswer;
            }
            if THINGS.contains(&w1.as_str()) {
                return Opener::Thing;
            }
            return Opener::AnswerWord(n.start);
        }
        return Opener::BareAnswer;
    }
    // "Young lady, very polite, very calm.": no verb of its own, it leans on
    // the sentence before as much as "The old kind, paraffin…" does.
    if leaning_phrase(text) || verbless_answer(text) {
        return Opener::Thing;
    }
    // Leading conjunctions are passed over: "And she said..." opens with "she".
    let mut i = 0;
    while i + 1 < spoken.len() && CONJUNCTIONS.contains(&spoken[i].text.to_lowercase().as_str()) {
        i += 1;
    }
    let w = spoken[i].text.to_lowercase();
    let only_name = || {
        let names = names_in(context, interviewers);
        (names.len() == 1).then(|| names[0].clone())
    };
    if PERSONS.contains(&w.as_str()) {
        // "They", "them": many people; one name in brackets would misread them.
        let only = if PLURALS.contains(&w.as_str()) {
            None
        } else {
            only_name()
        };
        return Opener::Person(spoken[i].end, only);
    }
    // "It was a handlamp.": the sentence names what "it" is.
    let names_it = w == "it"
        && spoken
            .get(i + 1)
            .is_some_and(|t| ["s", "is", "was"].contains(&t.text.to_lowercase().as_str()))
        && spoken
            .get(i + 2)
            .is_some_and(|t| ["a", "an"].contains(&t.text.to_lowercase().as_str()));
    if THINGS.contains(&w.as_str()) && !names_it {
        return Opener::Thing;
    }
    let told = |k: usize| spoken.get(k).map(|t| t.text.to_lowercase());
    // "Being able to do for myself.": a short phrase on an -ing word with no
    // subject of its own goes on from the sentence before.
    if told(i).is_some_and(|w| w.ends_with("ing") && w.chars().count() > 4)
        && spoken.len() <= GERUND_WORDS
        && !spoken[i + 1..].iter().any(|t| {
            ["i", "we", "he", "she", "they", "it", "you"].contains(&t.text.to_lowercase().as_str())
        })
    {
        return Opener::Thing;
    }
    // "And I said, well, my girls…", "And I say, oh, sometimes.": an answer
    // told as speech, to a question the draft may have cut.
    if told(i).as_deref() == Some("i")
        && matches!(told(i + 1).as_deref(), Some("said" | "say" | "says"))
        && told(i + 2).is_some_and(|w| ANSWERS.contains(&w.as_str()))
    {
        return Opener::BareAnswer;
    }
    // “Are we alright, love?” And you start to feel…: words quoted
    // with no one saying them; who spoke was in the sentence before.
    if text.trim_start().starts_with(['"', '“'])
        && !spoken.iter().any(|t| {
            [
                "said", "says", "say", "asked", "asks", "ask", "goes", "went", "told", "tells",
            ]
            .contains(&t.text.to_lowercase().as_str())
        })
    {
        return Opener::Thing;
    }
    // "Like a -- like I gave up.": a simile for the sentence before.
    if w == "like" {
        return Opener::Thing;
    }
    // The first clause: to the first comma, dash, colon or semicolon.
    let clause_end = (0..spoken.len())
        .find(|&k| {
            spoken.get(k + 1).is_some_and(|n| {
                let gap: String = chars[spoken[k].end..n.start].iter().collect();
                gap.contains([',', ';', ':', '–', '—']) || gap.contains("--")
            })
        })
        .map_or(spoken.len(), |k| k + 1);
    let words: Vec<&str> = spoken[..clause_end].iter().map(|t| t.text).collect();
    if fronted_place_then_pronoun(&words[i.min(words.len())..]) {
        return Opener::Thing;
    }
    if let Some(k) = inner_person(&words, i) {
        return Opener::Person(spoken[k].end, only_name());
    }
    if object_it(&words, i) {
        return Opener::Thing;
    }
    // "And, nobody had asked me that.": that what?
    let last = spoken[spoken.len() - 1].text.to_lowercase();
    if spoken.len() > 1 && (last == "that" || last == "this") {
        return Opener::Thing;
    }
    Opener::Plain
}
