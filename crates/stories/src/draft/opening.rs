//! How a sentence opens, when a passage would start with it: plainly, with
//! an answer whose question was cut ("Yes." "About two years." "Yes, I
//! did."), with a pronoun whose referent may lie in words the draft cut, or
//! with transcription marks only. An answer that has a verb but leans on the
//! question for its meaning ("I did." "No, it was fine." "I think so.") is
//! found by [`elliptic_answer`]; the draft never starts a passage with one
//! (it starts after it, visibly, when the rest stands on its own), and the
//! story-quality report flags a block that does, with a suggested fix.

use super::elliptic::elliptic_answer;
use super::read::{NOT_NAMES, STOP, names_in, only_marks, without_marks};
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
const ANSWERS: &[&str] = &[
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

const CONJUNCTIONS: &[&str] = &["and", "but", "so", "then", "well", "oh", "cos", "or"];
const PERSONS: &[&str] = &[
    "he", "she", "they", "him", "her", "his", "them", "their", "hers",
];
const THINGS: &[&str] = &[
    "it", "that", "this", "those", "these", "which", "there's", "one",
];

/// Subjects and verbs that make a short sentence a clause of its own.
const CLAUSE_WORDS: &[&str] = &[
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
const TIME_WORDS: &[&str] = &[
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

const PLURALS: &[&str] = &["they", "them", "their"];

/// The longest -ing phrase taken for one that goes on from the sentence before.
const GERUND_WORDS: usize = 8;

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
pub(crate) fn inner_person(words: &[&str], from: usize) -> Option<usize> {
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
pub(crate) fn object_it(words: &[&str], from: usize) -> bool {
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
pub(crate) fn fronted_place_then_pronoun(words: &[&str]) -> bool {
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
