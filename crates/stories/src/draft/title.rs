//! The title (the storyteller's own striking phrase, with alternatives) and
//! the role line drafted from the participant's attributes.

use super::read::{Opener, STOP, Sentence, only_marks};
use crate::render::Sources;
use crate::tokens::tokens;

/// Words a title must not open with: a fragment that leans on what came before.
pub const WEAK_OPENERS: &[&str] = &[
    "and", "but", "because", "cos", "so", "or", "then", "which", "when", "if", "that", "as",
    "though", "although", "well", "oh", "yeah", "yes", "no", "um", "er", "erm", "it", "this",
    "those", "these", "he", "she", "they", "him", "her", "his", "them", "there", "where", "while",
    "like", "mm", "just", "what", "about", "for", "to", "with", "from",
];

/// Why a phrase would make a weak title (none: a good one).
pub fn title_flags(title: &str) -> Vec<String> {
    let mut flags = Vec::new();
    let toks = tokens(title, 0);
    let n = toks.len();
    if n == 0 {
        flags.push("no title".to_owned());
        return flags;
    }
    let first = toks[0].text.to_lowercase();
    if WEAK_OPENERS.contains(&first.as_str()) {
        flags.push(format!(
            "opens with “{}”: a fragment that leans on words before it",
            toks[0].text
        ));
    }
    if n > 10 {
        flags.push(format!("{n} words: a title reads best in 10 or fewer"));
    }
    if n < 2 {
        flags.push("one word: too short to say anything".to_owned());
    }
    let t = title.trim_end();
    if t.ends_with([',', ';', ':']) || t.ends_with("--") || t.ends_with('—') {
        flags.push("ends mid-sentence".to_owned());
    }
    let last = toks[n - 1].text.to_lowercase();
    if n > 1
        && [
            "and", "but", "or", "the", "a", "an", "to", "of", "in", "that", "with", "so",
            "because", "for", "at", "on", "like", "my", "your", "their",
        ]
        .contains(&last.as_str())
    {
        flags.push(format!("ends on “{}”: a fragment", toks[n - 1].text));
    }
    if title.contains('[') {
        flags.push("holds a transcription mark or bracket".to_owned());
    }
    if t.ends_with('?') {
        flags.push("a question".to_owned());
    }
    // "My name is …", "I'm called …": the storyteller's own name in the title.
    let low: Vec<String> = toks.iter().map(|t| t.text.to_lowercase()).collect();
    let says_name = low.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            ("name", "is" | "s") | ("m", "called") | ("am", "called") | ("called", "me")
        )
    });
    if says_name {
        flags.push("gives the storyteller's name".to_owned());
    }
    // "Poor Mr Kowalski": a name in a title identifies, and a title is read first.
    if toks.windows(2).any(|w| {
        HONORIFICS.contains(&w[0].text.to_lowercase().as_str())
            && w[1].text.chars().next().is_some_and(char::is_uppercase)
    }) {
        flags.push("names someone (Mr, Mrs, Dr …)".to_owned());
    }
    // "Fourteen month and I hadn't": the verb's object was left behind.
    let last_word = t
        .split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .replace('’', "'")
        .to_lowercase();
    if n > 1 && AUXILIARIES.contains(&last_word.as_str()) {
        flags.push(format!(
            "ends on “{last_word}”: the words it stands for are missing"
        ));
    }
    let padded = format!(" {} ", low.join(" "));
    if let Some(f) = FILLERS.iter().find(|f| padded.contains(&format!(" {f} "))) {
        flags.push(format!("holds filler (“{f}”)"));
    }
    // "People say that and it's rubbish": that what?
    if let Some(k) = (1..n).find(|&k| {
        ["that", "this"].contains(&low[k].as_str())
            && low
                .get(k + 1)
                .is_none_or(|w| ["and", "but", "is", "s", "was", "so"].contains(&w.as_str()))
    }) {
        flags.push(format!(
            "“{}” stands for words said before it",
            toks[k].text
        ));
    }
    if let Some(o) = SUBORDINATE_OPENERS
        .iter()
        .find(|o| padded.starts_with(&format!(" {o} ")))
    {
        flags.push(format!(
            "opens with “{o}”: a clause that needs the rest of its sentence"
        ));
    }
    flags
}

const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "mister"];

/// Verbs that end a clause only when what they stand for was said before.
const AUXILIARIES: &[&str] = &[
    "hadn't",
    "didn't",
    "wasn't",
    "weren't",
    "couldn't",
    "wouldn't",
    "shouldn't",
    "isn't",
    "aren't",
    "haven't",
    "hasn't",
    "don't",
    "doesn't",
    "won't",
    "can't",
    "had",
    "did",
    "was",
    "were",
    "could",
    "would",
    "should",
    "is",
    "am",
    "are",
    "have",
    "has",
    "do",
    "does",
    "will",
    "can",
    "might",
    "must",
    "shall",
];

/// Filler a title never needs (as token runs: "you know" is "you know").
const FILLERS: &[&str] = &[
    "you know",
    "sort of",
    "kind of",
    "i mean",
    "actually",
    "basically",
    "really",
    "just",
    "like you",
    "and that",
    "and everything",
    "or something",
    "also",
];

/// Openers of a clause that hangs on another ("Every time we went…").
const SUBORDINATE_OPENERS: &[&str] = &[
    "every time",
    "whenever",
    "whose",
    "who",
    "whom",
    "until",
    "unless",
    "once",
    "since",
    "whether",
    "in case",
    "even though",
    "even if",
    "as if",
    "so that",
];

/// Words that hedge a phrase ("I thought maybe the doctor forgot"): a title says it plainly.
const HEDGES: &[&str] = &[
    "maybe",
    "perhaps",
    "probably",
    "i think",
    "i thought",
    "i suppose",
    "i guess",
    "a bit",
    "a little",
];

/// Pronouns for people a title reader has not met.
const THIRD_PERSONS: &[&str] = &["he", "she", "him", "her", "his", "they", "them", "their"];

/// Number words and figures: a measurement is seldom what a story is about.
fn counts(words: &[String]) -> usize {
    const NUMBERS: &[&str] = &[
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fourteen", "fifteen", "sixteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety", "hundred", "thousand",
    ];
    words
        .iter()
        .filter(|w| NUMBERS.contains(&w.as_str()) || w.chars().any(|c| c.is_ascii_digit()))
        .count()
}

/// A sentence as a title: trimmed, without its final full stop.
fn as_title(text: &str) -> String {
    let t = text
        .trim()
        .trim_end_matches(['.', ',', ';', ':', '…'])
        .trim();
    // A clause starts with a capital like any title.
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A sentence that might be a title, as [`rank_titles`] weighs it.
pub struct TitleCandidate<'a> {
    pub text: &'a str,
    /// Part of a key quote.
    pub key: bool,
    /// In the story (not only in the transcript).
    pub kept: bool,
    /// The draft's weight of the sentence (codings, cues).
    pub weight: f64,
}

/// Up to `n` titles from candidate sentences, best first: short (3 to 10
/// words), not a fragment, no marks, quotes or questions, with the most
/// content words, favouring key quotes and words the story keeps.
pub fn rank_titles<'a>(
    cands: impl IntoIterator<Item = TitleCandidate<'a>>,
    n: usize,
) -> Vec<String> {
    let mut scored: Vec<(f64, usize, String)> = Vec::new();
    let mut i = 0;
    for c in cands {
        if only_marks(c.text) || c.text.contains(['[', '?', '"', '“', '”']) || c.text.contains("--")
        {
            continue;
        }
        // The whole sentence, or (a little less good) one of its clauses.
        let mut texts: Vec<(&str, f64)> = Vec::new();
        if super::read::ends_whole(c.text) {
            texts.push((c.text, 0.0));
        }
        let clauses: Vec<&str> = c.text.split([',', ';', ':', '—', '–']).collect();
        if clauses.len() > 1 {
            texts.extend(clauses.iter().map(|t| (t.trim(), -1.5)));
        }
        for (text, bonus) in texts {
            i += 1;
            let words = tokens(text, 0).len();
            if !(3..=10).contains(&words) {
                continue;
            }
            let t = as_title(text);
            if !title_flags(&t).is_empty() {
                continue;
            }
            let low: Vec<String> = tokens(&t, 0)
                .iter()
                .map(|w| w.text.to_lowercase())
                .collect();
            let content: Vec<&String> = low
                .iter()
                .filter(|w| w.chars().count() > 3 && !STOP.contains(&w.as_str()))
                .collect();
            let mut score = bonus
                + content.len() as f64
                + if c.key { 2.0 } else { 0.0 }
                + c.weight.min(4.0) * 0.5;
            if c.kept {
                score += 1.5;
            }
            if words > 8 {
                score -= 1.0;
            }
            // Another person's name: it identifies, and a reader has not met them yet.
            let names = tokens(&t, 0)
                .iter()
                .skip(1)
                .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase) && w.text != "I")
                .count();
            score -= names.min(2) as f64;
            let padded = format!(" {} ", low.join(" "));
            if HEDGES.iter().any(|h| padded.contains(&format!(" {h} "))) {
                score -= 2.0;
            }
            // "The last time I saw her iron anything": who is she?
            if low.iter().any(|w| THIRD_PERSONS.contains(&w.as_str())) {
                score -= 1.5;
            }
            score -= counts(&low) as f64 * 1.5;
            // "People say that and it's rubbish": say what?
            if low
                .iter()
                .any(|w| ["it", "that", "this", "those"].contains(&w.as_str()))
            {
                score -= 1.0;
            }
            scored.push((score, i, t));
        }
    }
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.cmp(&b.1))
    });
    let mut out: Vec<String> = Vec::new();
    for (_, _, t) in scored {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// Up to three titles from the storyteller's sentences (see [`rank_titles`]):
/// from the words the story keeps, then (if too few) from the rest.
pub(crate) fn titles(sents: &[Sentence], kept: &[bool], sources: &Sources) -> Vec<String> {
    let mut out = titles_where(sents, kept, sources, true);
    if out.len() < 3 {
        for t in titles_where(sents, kept, sources, false) {
            if out.len() < 3 && !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

fn titles_where(
    sents: &[Sentence],
    kept: &[bool],
    sources: &Sources,
    in_story: bool,
) -> Vec<String> {
    let cands = sents.iter().enumerate().filter_map(|(i, s)| {
        if s.skip.is_some() || !matches!(s.opener, Opener::Plain) || kept[i] != in_story {
            return None;
        }
        let doc = sources.get(&s.version_id)?;
        Some(TitleCandidate {
            text: doc.slice(s.start, s.end),
            key: s.key,
            kept: kept[i],
            weight: s.score,
        })
    });
    rank_titles(cands, 3)
}

/// What the role line is drafted from (the participants table).
#[derive(Debug, Clone, Default)]
pub struct RoleAttributes {
    /// "woman", "man", "non-binary"...
    pub gender: Option<String>,
    /// "75-84", "70s", "in her seventies"...
    pub age_band: Option<String>,
    /// "Choir", "Walking group"...
    pub activity: Option<String>,
    /// "participant", "link worker"...
    pub role: Option<String>,
    /// Who referred them: "GP", "Practice nurse", "Self"... (only known roles
    /// are used: a name here is never written into a story).
    pub referred_by: Option<String>,
    /// A link worker is named for them (the name itself is never used).
    pub has_link_worker: bool,
}

const DECADES: [&str; 10] = [
    "",
    "teens",
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
];

/// A role line from the attributes: "a woman in her seventies who joined a
/// choir". No name and no place (a site can identify someone). Empty when
/// nothing is known.
pub fn role_line(a: &RoleAttributes) -> String {
    let clean = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let gender = clean(&a.gender).map(|g| g.to_lowercase());
    let (noun, pron) = match gender.as_deref() {
        Some("woman" | "female" | "f") => ("woman", "her"),
        Some("man" | "male" | "m") => ("man", "his"),
        _ => ("person", "their"),
    };
    let role = clean(&a.role).map(|r| r.to_lowercase());
    let staff = role
        .as_deref()
        .is_some_and(|r| r != "participant" && r != "storyteller");
    let age = clean(&a.age_band).and_then(|b| {
        let nums: Vec<u32> = b
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let mid = match nums.as_slice() {
            [lo, hi, ..] => (lo + hi) / 2,
            [one] => *one,
            _ => return None,
        };
        DECADES
            .get((mid / 10) as usize)
            .filter(|d| !d.is_empty() && mid >= 10)
            .map(|d| format!("in {pron} {d}"))
    });
    let mut line = String::new();
    if staff {
        let r = role.unwrap_or_default();
        let art = if r.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        line.push_str(&format!("{art} {r}"));
    } else {
        line.push_str(&format!("a {noun}"));
    }
    if let Some(age) = age {
        line.push(' ');
        line.push_str(&age);
    }
    if let Some(act) = clean(&a.activity) {
        let act = act.to_lowercase();
        let group = [
            "group", "club", "choir", "class", "circle", "team", "band", "society",
        ]
        .iter()
        .any(|g| act.ends_with(g));
        if staff {
            line.push_str(&format!(" who works with {act}"));
        } else if group {
            let art = if act.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            line.push_str(&format!(" who joined {art} {act}"));
        } else {
            line.push_str(&format!(" who took part in {act}"));
        }
    }
    if line == "a person" {
        String::new()
    } else {
        line
    }
}
