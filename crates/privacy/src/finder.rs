//! The name finder (DESIGN §7: names are found, not only looked up). It
//! reads transcripts and proposes people, places and organisations: runs of
//! capitalised words that are not sentence starts and not words written
//! with a capital by convention; sentence starts that are not common
//! English words (or are names that are also words, "Rose"); titles with
//! the name after them ("Mrs Chen", "Sister Adeyemi", "St Aidan's"); places
//! and organisations of several words ("Moss Lane", "Riverside Medical
//! Centre"); names after "called" or "named"; possessives ("Margaret's" is
//! "Margaret"); surnames after first names (one run); and words in scripts
//! without capitals. A name said once is found like one said twenty times.
//! Recall comes first: the researcher settles each candidate once.

use crate::fold::{fold, is_ignorable};
use crate::words;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;

/// What a candidate probably is (a guess, shown to help the researcher).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    Person,
    Place,
    Organisation,
    Unknown,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Person => "person",
            NameKind::Place => "place",
            NameKind::Organisation => "organisation",
            NameKind::Unknown => "unknown",
        }
    }
}

/// Where a candidate was said: chars `start..end` of source `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub source: usize,
    pub start: usize,
    pub end: usize,
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// As first written (possessive removed).
    pub name: String,
    /// The fold of `name`: the key candidates and reviews are matched on.
    pub key: String,
    pub kind: NameKind,
    /// How many times it was found.
    pub count: usize,
    /// The first few places it was found.
    pub occurrences: Vec<Occurrence>,
    /// Every source it was found in (ascending).
    pub sources: Vec<usize>,
}

impl Candidate {
    /// The name without a person's title before it: "Mrs Chen" is "Chen"
    /// (what a replacement must cover and what the export gate looks for);
    /// "St Aidan" stays whole.
    pub fn core(&self) -> &str {
        core_name(&self.name)
    }
}

/// `name` without the person's titles it starts with ("Sister Grace Adeyemi"
/// is "Grace Adeyemi"); the whole name when nothing would be left.
pub fn core_name(name: &str) -> &str {
    let mut rest = name.trim();
    loop {
        let Some((first, after)) = rest.split_once(char::is_whitespace) else {
            return rest;
        };
        let f = fold(first);
        if words::is_title(&f) && !words::is_place_title(&f) && !after.trim().is_empty() {
            rest = after.trim_start();
        } else {
            return rest;
        }
    }
}

/// Is every word of `name` that could identify someone inside one of the
/// char ranges `covered` (the hits of a pseudonym map)? Titles, connectors,
/// function words and the heads of place names ("Lane") may stay.
pub fn covered_by(name: &str, covered: &[(usize, usize)]) -> bool {
    let mut word = String::new();
    let mut start = 0;
    let mut ok = true;
    let mut check = |w: &str, s: usize, e: usize| {
        if w.is_empty() || covered.iter().any(|&(cs, ce)| cs <= s && e <= ce) {
            return;
        }
        let f = fold(w);
        let harmless = words::is_title(&f)
            || words::is_connector(&f)
            || words::is_function_word(&f)
            || words::is_place_head(&f)
            || words::is_org_head(&f);
        if !harmless {
            ok = false;
        }
    };
    let mut n = 0;
    for c in name.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) || is_ignorable(c) {
            if word.is_empty() {
                start = n;
            }
            word.push(c);
        } else {
            check(&word, start, n);
            word.clear();
        }
        n += 1;
    }
    check(&word, start, n);
    ok
}

/// Places kept per candidate (for contexts).
pub const KEPT_OCCURRENCES: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    Uncased,
    Other,
}

struct Token<'a> {
    /// The word, with any possessive ending removed.
    word: &'a str,
    /// Char range of `word`.
    start: usize,
    end: usize,
    case: Case,
    /// At a sentence start (or the start of a line or quotation).
    sentence_start: bool,
    /// Only spaces (no line break, no punctuation) since the previous token.
    joined: bool,
    /// Only ". " since the previous token: a title with a full stop
    /// ("Mrs. Chen") still joins the next word.
    title_dot: bool,
    /// Said with a possessive ending ("Margaret's"), which ends a run.
    possessive: bool,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || is_ignorable(c)
}

fn first_letter_case(w: &str) -> Case {
    match w.chars().find(|c| !is_ignorable(*c)) {
        Some(c) if c.is_uppercase() => Case::Upper,
        Some(c) if c.is_lowercase() => Case::Lower,
        Some(c) if c.is_alphabetic() => Case::Uncased,
        _ => Case::Other,
    }
}

/// Removes a possessive ending: "Margaret's", "Margaret’s", "Jones'".
fn strip_possessive(w: &str) -> &str {
    for end in ["'s", "’s", "'S", "’S", "'", "’"] {
        if let Some(s) = w.strip_suffix(end)
            && !s.is_empty()
        {
            return s;
        }
    }
    w
}

/// Splits a text into word tokens with what lies between them.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut ci = 0usize; // char index of the next char
    let mut prev_end = 0usize; // byte end of the previous token
    while let Some(&(b, c)) = chars.peek() {
        if !word_char(c) {
            chars.next();
            ci += 1;
            continue;
        }
        let (bs, cs) = (b, ci);
        let mut be = b;
        while let Some(&(b2, c2)) = chars.peek() {
            let apostrophe = matches!(c2, '\'' | '’');
            let inner = (apostrophe || matches!(c2, '-' | '‐'))
                && text[b2 + c2.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic);
            // "Jones'" keeps its apostrophe, so it is read as a possessive.
            let trailing = apostrophe && text[..b2].ends_with(['s', 'S']);
            if word_char(c2) || inner || trailing {
                chars.next();
                ci += 1;
                be = b2 + c2.len_utf8();
            } else {
                break;
            }
        }
        let raw = &text[bs..be];
        let word = strip_possessive(raw);
        let end = ci - (raw.chars().count() - word.chars().count());
        let gap = &text[prev_end..bs];
        // A number (a time stamp) at a sentence start passes it on.
        let after_number = out
            .last()
            .is_some_and(|t: &Token<'_>| t.sentence_start && t.case == Case::Other);
        let sentence_start = prev_end == 0
            || after_number
            || gap.contains([
                '.', '!', '?', ':', '\n', '"', '“', '(', ')', '[', ']', '—', '–',
            ]);
        let joined = !gap.is_empty()
            && gap
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '\u{a0}') || is_ignorable(c));
        let dot = gap.trim_end_matches([' ', '\u{a0}']) == "." && gap.len() > 1;
        out.push(Token {
            word,
            start: cs,
            end,
            case: first_letter_case(word),
            sentence_start,
            joined,
            title_dot: dot,
            possessive: word.len() != raw.len(),
        });
        prev_end = be;
    }
    out
}

/// Typical endings of English place names ("Hallbrook", "Ashton").
fn place_like(folded: &str) -> bool {
    [
        "brook", "ton", "ham", "ford", "field", "ley", "bury", "borough", "worth", "chester",
        "wick", "mouth", "thorpe", "stead", "combe", "minster", "pool", "well", "dale", "bridge",
        "ington", "by", "hurst", "wood", "gate", "shaw", "den",
    ]
    .iter()
    .any(|e| folded.len() > e.len() + 2 && folded.ends_with(e))
}

/// The finder's verdict on one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Name,
    Title,
    Connector,
    Head,
    None,
}

fn role(t: &Token<'_>, prev_naming: bool) -> (Role, Option<String>) {
    match t.case {
        Case::Uncased => (Role::Name, None),
        Case::Other => (Role::None, None),
        Case::Lower => {
            // Lower-case words are names only after "called" / "named".
            let f = fold(t.word);
            if words::is_connector(&f) {
                (Role::Connector, Some(f))
            } else if prev_naming && !words::is_common(&f) && !words::is_function_word(&f) {
                (Role::Name, Some(f))
            } else {
                (Role::None, Some(f))
            }
        }
        Case::Upper => {
            let f = fold(t.word);
            if words::is_title(&f) {
                return (Role::Title, Some(f));
            }
            if words::is_function_word(&f)
                || words::is_conventional_capital(t.word)
                || words::is_dialect(&f)
            {
                return (Role::None, Some(f));
            }
            // Contractions: "She'd", "We've", "You'll".
            if let Some((base, end)) = f.split_once('\'')
                && matches!(end, "d" | "ll" | "ve" | "re" | "m" | "t" | "s")
                && (words::is_function_word(base) || words::is_common(&f))
            {
                return (Role::None, Some(f));
            }
            let all_caps = t.word.chars().filter(|c| c.is_alphabetic()).count() > 1
                && !t.word.chars().any(char::is_lowercase);
            if all_caps && words::is_common(&f) {
                return (Role::None, Some(f));
            }
            let head = words::is_place_head(&f) || words::is_org_head(&f);
            let name = !t.sentence_start
                || prev_naming
                || !words::is_common(&f)
                || words::is_name_that_is_a_word(t.word);
            if name {
                (Role::Name, Some(f))
            } else if head {
                (Role::Head, Some(f))
            } else {
                (Role::None, Some(f))
            }
        }
    }
}

/// Accumulates candidates over several texts.
#[derive(Default)]
pub struct NameFinder {
    found: HashMap<String, (Candidate, HashMap<NameKind, usize>)>,
}

impl NameFinder {
    pub fn new() -> NameFinder {
        NameFinder::default()
    }

    /// Reads one text (source number `source`, for the occurrences).
    pub fn add(&mut self, source: usize, text: &str) {
        let toks = tokens(text);
        let roles: Vec<(Role, Option<String>)> = {
            let mut out = Vec::with_capacity(toks.len());
            let mut prev_naming = false;
            for t in &toks {
                let (r, f) = role(t, prev_naming);
                prev_naming = f.as_deref().is_some_and(words::is_naming_word);
                out.push((r, f));
            }
            out
        };
        let mut i = 0;
        while i < toks.len() {
            let r = roles[i].0;
            // A run starts at a name, at a title followed by a capitalised
            // name, or at a capitalised sentence start followed by a head
            // ("Bridge Street" at the start of a sentence).
            let starts = match r {
                Role::Name => true,
                Role::Title | Role::Head => {
                    i + 1 < toks.len()
                        && (toks[i + 1].joined || (r == Role::Title && toks[i + 1].title_dot))
                        && toks[i + 1].case == Case::Upper
                        && matches!(roles[i + 1].0, Role::Name | Role::Head | Role::Title)
                }
                Role::None => {
                    toks[i].case == Case::Upper
                        && toks[i].sentence_start
                        && roles[i]
                            .1
                            .as_deref()
                            .is_some_and(|f| !words::is_function_word(f))
                        && i + 1 < toks.len()
                        && toks[i + 1].joined
                        && roles[i + 1]
                            .1
                            .as_deref()
                            .is_some_and(|f| words::is_place_head(f) || words::is_org_head(f))
                        && toks[i + 1].case == Case::Upper
                        && (i + 2 >= toks.len()
                            || !toks[i + 2].joined
                            || roles[i + 2].0 != Role::Name)
                }
                Role::Connector => false,
            };
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() {
                let t = &toks[j];
                let continues = (t.joined
                    || (toks[j - 1].case == Case::Upper
                        && roles[j - 1].0 == Role::Title
                        && t.title_dot))
                    && match roles[j].0 {
                        Role::Name | Role::Head => {
                            t.case != Case::Lower || roles[j].0 == Role::Name
                        }
                        Role::Title => {
                            t.case == Case::Upper
                                && words::is_place_title(roles[j].1.as_deref().unwrap_or(""))
                        }
                        Role::Connector => {
                            j + 1 < toks.len()
                                && toks[j + 1].joined
                                && toks[j + 1].case == Case::Upper
                                && matches!(roles[j + 1].0, Role::Name | Role::Head)
                        }
                        Role::None => {
                            // A capitalised common word inside a run
                            // ("Age Concern Calder", "Riverside Medical Centre").
                            t.case == Case::Upper
                                && !t.sentence_start
                                && roles[j]
                                    .1
                                    .as_deref()
                                    .is_some_and(|f| !words::is_function_word(f))
                                && !words::is_conventional_capital(t.word)
                        }
                    };
                // A possessive ends the run ("Margaret's daughter").
                if !continues {
                    break;
                }
                if toks[j - 1].possessive {
                    break;
                }
                j += 1;
            }
            // Drop trailing connectors and titles.
            while j > i + 1 && matches!(roles[j - 1].0, Role::Connector | Role::Title) {
                j -= 1;
            }
            let only_title =
                j == i + 1 && matches!(roles[i].0, Role::Title | Role::Head | Role::None);
            if !only_title {
                self.push(
                    source,
                    text,
                    &toks[i..j],
                    &roles[i..j],
                    i.checked_sub(1).and_then(|p| roles[p].1.as_deref()),
                );
            }
            i = j;
        }
    }

    fn push(
        &mut self,
        source: usize,
        text: &str,
        toks: &[Token<'_>],
        roles: &[(Role, Option<String>)],
        before: Option<&str>,
    ) {
        let (start, end) = (toks[0].start, toks[toks.len() - 1].end);
        let name: String = text.chars().skip(start).take(end - start).collect();
        let key = fold(&name).trim().to_owned();
        if key.chars().filter(|c| c.is_alphabetic()).count() < 2 && toks[0].case != Case::Uncased {
            return;
        }
        let last = roles[roles.len() - 1].1.as_deref().unwrap_or("");
        let first = roles[0].1.as_deref().unwrap_or("");
        let kind = if words::is_place_title(first) || words::is_org_head(last) {
            NameKind::Organisation
        } else if words::is_place_head(last)
            || place_like(last)
            || before.is_some_and(|b| {
                matches!(
                    b,
                    "in" | "at" | "from" | "near" | "around" | "outside" | "towards" | "via"
                )
            })
        {
            NameKind::Place
        } else if roles[0].0 == Role::Title || toks.len() <= 3 {
            NameKind::Person
        } else {
            NameKind::Unknown
        };
        let entry = self.found.entry(key.clone()).or_insert_with(|| {
            (
                Candidate {
                    name: name.clone(),
                    key,
                    kind,
                    count: 0,
                    occurrences: Vec::new(),
                    sources: Vec::new(),
                },
                HashMap::new(),
            )
        });
        entry.0.count += 1;
        *entry.1.entry(kind).or_default() += 1;
        if entry.0.sources.last() != Some(&source) && !entry.0.sources.contains(&source) {
            entry.0.sources.push(source);
        }
        if entry.0.occurrences.len() < KEPT_OCCURRENCES {
            entry.0.occurrences.push(Occurrence { source, start, end });
        }
    }

    /// The candidates, most often said first, then by name.
    pub fn finish(self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self
            .found
            .into_values()
            .map(|(mut c, kinds)| {
                if let Some((k, _)) = kinds
                    .into_iter()
                    .filter(|(k, _)| *k != NameKind::Unknown)
                    .max_by_key(|(k, n)| (*n, *k as u8))
                {
                    c.kind = k;
                }
                c.sources.sort_unstable();
                c
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        out
    }
}

/// Candidates in several texts (their index is the occurrence's source).
pub fn find_names<S: AsRef<str>>(texts: &[S]) -> Vec<Candidate> {
    let mut f = NameFinder::new();
    for (i, t) in texts.iter().enumerate() {
        f.add(i, t.as_ref());
    }
    f.finish()
}

/// A few words either side of chars `start..end` of `text`, on one line.
pub fn context(text: &str, start: usize, end: usize, words_each_side: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    context_in(&chars, start, end, words_each_side)
}

/// [`context`] over a text's chars (for many contexts of one text).
pub fn context_in(chars: &[char], start: usize, end: usize, words_each_side: usize) -> String {
    let end = end.min(chars.len());
    let start = start.min(end);
    // Enough of the text either side for the words wanted.
    let reach = 24 * (words_each_side + 1);
    let before: String = chars[start.saturating_sub(reach)..start].iter().collect();
    let after: String = chars[end..(end + reach).min(chars.len())].iter().collect();
    let mut b: Vec<&str> = before
        .split_whitespace()
        .rev()
        .take(words_each_side + 1)
        .collect();
    // The word the name is glued to (no space before it) is not counted.
    if !before.ends_with(char::is_whitespace) && b.len() > words_each_side {
        b.truncate(words_each_side + 1);
    } else {
        b.truncate(words_each_side);
    }
    b.reverse();
    let mut a: Vec<&str> = after.split_whitespace().take(words_each_side + 1).collect();
    if after.starts_with(char::is_whitespace) || a.len() <= words_each_side {
        a.truncate(words_each_side);
    }
    let name: String = chars[start..end].iter().collect();
    let mut out = b.join(" ");
    if !out.is_empty() && before.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(&name);
    if after.starts_with(char::is_whitespace) && !a.is_empty() {
        out.push(' ');
    }
    out.push_str(&a.join(" "));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        find_names(&[text]).into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn dialect_words_are_not_names() {
        let text = "Meself, I never went. Yerself? Summat were up, and Nowt came of it. \
            Aye, she said. Och, dinnae fash. Our Jean said Owt would do, but Eeh, \
            Gannin up the Bank wi' Wor Kev was Summat else. Innit.";
        let got = keys(text);
        for not in [
            "Meself", "Yerself", "Summat", "Nowt", "Aye", "Och", "Owt", "Gannin", "Wor", "Innit",
        ] {
            assert!(
                !got.iter().any(|n| n.split(' ').any(|w| w == not)),
                "{not}: {got:?}"
            );
        }
        assert!(got.iter().any(|n| n == "Jean"), "{got:?}");
        assert!(got.iter().any(|n| n.contains("Kev")), "{got:?}");
    }

    #[test]
    fn finds_every_kind_of_name_and_not_sentence_starts() {
        let text = "Doreen: Because it was hard. You know, Mrs Chen came round on a Monday \
            with Sister Adeyemi. We walked up Moss Lane to St Aidan's and then to \
            Riverside Medical Centre. My granddaughter Lily is six. It was Margaret's idea. \
            Father Michael said a dog called bobo lived at Age Concern Calder. \
            Bridge Street was shut. I met Zoë and José from Hallbrook, and 李伟 too. \
            Frank Okafor rang. God knows. Rose rang as well.";
        let got = keys(text);
        for want in [
            "Doreen",
            "Mrs Chen",
            "Sister Adeyemi",
            "Moss Lane",
            "St Aidan",
            "Riverside Medical Centre",
            "Lily",
            "Margaret",
            "Father Michael",
            "bobo",
            "Age Concern Calder",
            "Bridge Street",
            "Zoë",
            "José",
            "Hallbrook",
            "李伟",
            "Frank Okafor",
            "Rose",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        for junk in ["Because", "You", "It", "Monday", "God", "We", "My", "I"] {
            assert!(!got.iter().any(|g| g == junk), "{junk} in {got:?}");
        }
    }

    #[test]
    fn titles_are_not_part_of_what_a_replacement_covers() {
        assert_eq!(core_name("Mrs Chen"), "Chen");
        assert_eq!(core_name("Sister Grace Adeyemi"), "Grace Adeyemi");
        assert_eq!(core_name("St Aidan"), "St Aidan");
        assert_eq!(core_name("Doctor"), "Doctor");
        // "Mrs [Lee]": Chen covered; "Moss Lane" with "Moss" covered.
        assert!(covered_by("Mrs Chen", &[(4, 8)]));
        assert!(covered_by("Moss Lane", &[(0, 4)]));
        assert!(!covered_by("Grace Adeyemi", &[(0, 5)]));
    }

    #[test]
    fn counts_and_places() {
        let text = "I told Priya. Then Priya laughed, and PRIYA's mum came.";
        let c = find_names(&[text]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].count, 3);
        assert_eq!(
            c[0].occurrences[0],
            Occurrence {
                source: 0,
                start: 7,
                end: 12
            }
        );
        assert_eq!(context(text, 7, 12, 2), "I told Priya. Then Priya");
    }
}
