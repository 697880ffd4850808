//! Who a pronoun near a sentence's start can mean: one person (he, she),
//! several (they), a thing after a verb ("threw it"), or a place put first
//! ("In the kitchen, she..."). [`super::opening`] asks these questions
//! before letting a passage start on the sentence.

use super::opening::{ANSWERS, CLAUSE_WORDS, CONJUNCTIONS, THINGS, TIME_WORDS};
use super::read::{NOT_NAMES, STOP};
pub(super) const PLURALS: &[&str] = &["they", "them", "their"];

/// The longest -ing phrase taken for one that goes on from the sentence before.
pub(super) const GERUND_WORDS: usize = 8;

/// He, she and their forms: one person, whom the sentence must name first.
const ONE_PERSON: &[&str] = &[
    "he", "she", "him", "her", "his", "hers", "himself", "herself",
];

/// Words for a person a "he" or "she" later in the sentence can mean.
const PERSON_NOUNS: &[&str] = &[
    "wife",
    "husband",
    "son",
    "daughter",
    "mother",
    "father",
    "mum",
    "mam",
    "mom",
    "dad",
    "brother",
    "sister",
    "friend",
    "doctor",
    "nurse",
    "man",
    "woman",
    "lady",
    "fella",
    "boy",
    "girl",
    "lad",
    "lass",
    "grandson",
    "granddaughter",
    "grandad",
    "grandma",
    "nan",
    "neighbour",
    "worker",
    "gp",
    "partner",
    "niece",
    "nephew",
    "aunt",
    "auntie",
    "uncle",
    "cousin",
    "vicar",
    "teacher",
    "leader",
    "volunteer",
    "consultant",
    "chap",
    "bloke",
    "baby",
    "child",
    "kid",
    "someone",
    "somebody",
    "anybody",
    "anyone",
    "everybody",
    "everyone",
    "nobody",
    "person",
    "people",
    "fellow",
    "gentleman",
    "guy",
    "sir",
    "madam",
    "grandmother",
    "grandfather",
];

/// A he or she inside the first clause before anyone is named in it ("I
/// felt like I threw her away." "The last time I saw her iron anything"):
/// the index of the pronoun among `words` (the clause's spoken words,
/// `from` the first after any leading conjunctions).
pub(super) fn inner_person(words: &[&str], from: usize) -> Option<usize> {
    for (k, w) in words.iter().enumerate().skip(from) {
        let low = w.to_lowercase();
        if ONE_PERSON.contains(&low.as_str()) {
            return Some(k);
        }
        let named = w.chars().next().is_some_and(char::is_uppercase)
            && !NOT_NAMES.contains(&low.as_str())
            && (k > from || name_at_start(&low));
        if named || PERSON_NOUNS.contains(&low.as_str()) {
            return None;
        }
    }
    None
}

/// Words that open many sentences, capitalised only for that.
const STARTERS: &[&str] = &[
    "only",
    "even",
    "still",
    "after",
    "once",
    "since",
    "every",
    "each",
    "nobody",
    "somebody",
    "everybody",
    "anyway",
    "actually",
    "honestly",
    "maybe",
    "perhaps",
    "sometimes",
    "later",
    "first",
    "last",
    "next",
    "two",
    "three",
    "four",
    "five",
    "ten",
    "for",
    "with",
    "without",
    "although",
    "though",
    "while",
    "until",
    "why",
    "never",
    "always",
    "often",
    "also",
    "again",
    "another",
    "back",
    "apart",
    "instead",
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
    "no",
    "not",
    "if",
    "up",
    "down",
    "off",
    "nothing",
    "everything",
    "something",
    "sixty",
    "fifty",
    "forty",
    "thirty",
    "twenty",
    "years",
    "poor",
    "big",
    "little",
    "old",
    "young",
    "good",
    "great",
    "lovely",
    "funny",
    "strange",
    "whatever",
    "whenever",
    "anything",
];

/// A sentence's first word (capitalised anyway) that is likely a name: not
/// a word that opens many sentences.
fn name_at_start(low: &str) -> bool {
    low.chars().count() > 2
        && !low.ends_with("ly")
        && !low.ends_with("ing")
        && ![
            STOP,
            CLAUSE_WORDS,
            CONJUNCTIONS,
            ANSWERS,
            PLACE_PREPOSITIONS,
            STARTERS,
            THINGS,
            TIME_WORDS,
        ]
        .iter()
        .any(|l| l.contains(&low))
}

/// Words after which "it" is a subject ("and it was", "when it rained").
const BEFORE_SUBJECT: &[&str] = &[
    "and", "but", "so", "then", "or", "cos", "because", "when", "if", "that", "what", "where",
    "how", "why", "until", "till", "while", "as", "whether", "though", "although", "think", "know",
    "thought", "knew", "said", "say", "says", "once", "before", "after", "since",
];

/// Words after which "it" is a subject ("it was", "it gives") or a dummy one ("it's raining").
const AFTER_SUBJECT: &[&str] = &[
    "s", "is", "was", "were", "will", "ll", "d", "would", "has", "had", "can", "could", "does",
    "did", "doesn", "didn", "wasn", "isn", "must", "might", "should", "seems", "seemed",
];

/// "Fiona put it on the table", "I forgot about it", "And I took it home":
/// a thing taken up as an object in the first clause, before anything is
/// named, was named in words before it.
pub(super) fn object_it(words: &[&str], from: usize) -> bool {
    // Near the clause's start: further on, the thing may be named before it.
    (from + 1..words.len().min(from + 4)).any(|k| {
        words[k].eq_ignore_ascii_case("it")
            && !BEFORE_SUBJECT.contains(&words[k - 1].to_lowercase().as_str())
            && words
                .get(k + 1)
                .is_none_or(|n| !AFTER_SUBJECT.contains(&n.to_lowercase().as_str()))
    })
}

/// Prepositions a sentence may open on, naming a place on something.
const PLACE_PREPOSITIONS: &[&str] = &[
    "on",
    "in",
    "at",
    "inside",
    "under",
    "underneath",
    "behind",
    "round",
    "around",
    "across",
    "over",
    "through",
    "by",
];

/// "On the side it was stamped…", "In the back they had…": a place on
/// something said before, then "it" or "they" for that thing: read after a
/// cut, a workshop asks "the side of what?".
pub(super) fn fronted_place_then_pronoun(words: &[&str]) -> bool {
    let low: Vec<String> = words.iter().take(6).map(|w| w.to_lowercase()).collect();
    if low.len() < 4
        || !PLACE_PREPOSITIONS.contains(&low[0].as_str())
        || !["the", "that", "this", "those", "these"].contains(&low[1].as_str())
    {
        return false;
    }
    low.iter()
        .skip(3)
        .take(3)
        .position(|w| w == "it" || w == "they")
        .is_some_and(|p| {
            !low[2..3 + p]
                .iter()
                .any(|w| CLAUSE_WORDS.contains(&w.as_str()))
        })
}
