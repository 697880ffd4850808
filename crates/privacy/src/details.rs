//! Identifying details (issue 11, item 8): in a small town a person is
//! known by more than a name. "Ward sister on Ward 7 … retired in February
//! 2020" names no one and identifies her all the same. This module flags,
//! for the researcher to review, exact dates (a day and a month, or a month
//! and a year), ages said with a place, ward numbers, employers ("worked at
//! Boots") and jobs said with a place ("a teacher at St Mary's"). These are
//! warnings, never refusals: only a person can tell whether a detail
//! identifies someone.
//!
//! False alarms cost the researcher's attention, so what is not specific is
//! left alone: a year alone ("back in 2019"), a month alone ("in March"), a
//! span ("two weeks"), an age with no place ("I'm 82"), a job with no place
//! ("the nurse was kind").

use crate::fold::fold;
use crate::words;
use serde::{Deserialize, Serialize};

/// What a detail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetailKind {
    /// A day and a month ("12 March 1941", "the 3rd of May", "12/03/2019").
    ExactDate,
    /// A month and a year ("February 2020").
    MonthAndYear,
    /// An age said with a place ("82 and lived on Moss Lane").
    AgeWithPlace,
    /// "Ward 7", "ward seven", "Jubilee Ward".
    WardNumber,
    /// "worked at Boots", "employed by Calder Council".
    Employer,
    /// "a teacher at St Mary's", "ward sister on Ward 7".
    JobWithPlace,
}

impl DetailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DetailKind::ExactDate => "exact-date",
            DetailKind::MonthAndYear => "month-and-year",
            DetailKind::AgeWithPlace => "age-with-place",
            DetailKind::WardNumber => "ward-number",
            DetailKind::Employer => "employer",
            DetailKind::JobWithPlace => "job-with-place",
        }
    }

    /// How it reads in a sentence: "an exact date".
    pub fn label(self) -> &'static str {
        match self {
            DetailKind::ExactDate => "an exact date",
            DetailKind::MonthAndYear => "a month and year",
            DetailKind::AgeWithPlace => "an age with a place",
            DetailKind::WardNumber => "a ward number",
            DetailKind::Employer => "an employer",
            DetailKind::JobWithPlace => "a job with a place",
        }
    }
}

/// A detail found in a text: chars `start..end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    pub kind: DetailKind,
    pub start: usize,
    pub end: usize,
    /// The words, as written.
    pub text: String,
}

/// A word of the text: its chars and where it is.
struct Word {
    text: String,
    folded: String,
    start: usize,
    end: usize,
    /// The text between the previous word and this one.
    gap: String,
    /// A new sentence (or line, or quotation) starts with this word.
    sentence_start: bool,
}

impl Word {
    fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    fn is_digits(&self) -> bool {
        !self.text.is_empty() && self.text.chars().all(|c| c.is_ascii_digit())
    }

    /// Only spaces (or a comma) since the previous word.
    fn joined(&self) -> bool {
        self.gap.chars().all(|c| matches!(c, ' ' | ',' | '\u{a0}'))
    }
}

fn words_of(text: &str) -> Vec<Word> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Word> = Vec::new();
    let mut i = 0;
    let mut gap_start = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric()
                || (matches!(chars[i], '\'' | '’' | '-')
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())))
        {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let gap: String = chars[gap_start..start].iter().collect();
        out.push(Word {
            folded: fold(&text).trim().replace('’', "'"),
            text,
            start,
            end: i,
            sentence_start: out.is_empty()
                || gap.contains(['.', '!', '?', '\n', ':', ';', '"', '“']),
            gap,
        });
        gap_start = i;
    }
    out
}

const MONTHS: [&str; 21] = [
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
    "jan",
    "feb",
    "apr",
    "jun",
    "jul",
    "aug",
    "sept",
    "oct",
    "nov",
];

/// A month's name, written with its capital (so "may" and "march" the
/// words are not months).
fn is_month(w: &Word) -> bool {
    w.capitalised() && MONTHS.contains(&w.folded.trim_end_matches('.'))
}

/// A day of the month: "3", "3rd", "twenty-first".
fn is_day(w: &Word) -> bool {
    let f = w.folded.as_str();
    let digits: String = f.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = &f[digits.len()..];
        return matches!(rest, "" | "st" | "nd" | "rd" | "th")
            && digits.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    }
    const ORDINALS: [&str; 19] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    match f.split_once('-') {
        Some(("twenty", u)) => ORDINALS[..9].contains(&u),
        Some(("thirty", u)) => u == "first",
        Some(_) => false,
        None => ORDINALS.contains(&f) || matches!(f, "twentieth" | "thirtieth"),
    }
}

/// A year: four digits from 1900 to 2099.
fn is_year(w: &Word) -> bool {
    w.is_digits()
        && w.text.len() == 4
        && w.text
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2099).contains(&y))
}

/// A number in digits or words ("82", "eighty-two", "nine").
fn number_of(f: &str) -> Option<u32> {
    if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) {
        return f.parse().ok().filter(|n| *n < 1000);
    }
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(u) = UNITS.iter().position(|x| *x == f) {
        return u32::try_from(u).ok();
    }
    let (t, u) = f.split_once('-').unwrap_or((f, ""));
    let tens = u32::try_from(TENS.iter().position(|x| *x == t)?).ok()? * 10 + 20;
    if u.is_empty() {
        return Some(tens);
    }
    let unit = UNITS
        .iter()
        .position(|x| *x == u)
        .filter(|u| (1..10).contains(u))?;
    Some(tens + u32::try_from(unit).ok()?)
}

fn number(w: &Word) -> Option<u32> {
    number_of(&w.folded)
}

/// The sentence around word `i`: word indices `from..to`.
fn sentence(ws: &[Word], i: usize) -> (usize, usize) {
    let mut from = i;
    while from > 0 && !ws[from].sentence_start {
        from -= 1;
    }
    let mut to = i + 1;
    while to < ws.len() && !ws[to].sentence_start {
        to += 1;
    }
    (from, to)
}

/// Words that put a place after them.
fn place_preposition(f: &str) -> bool {
    matches!(
        f,
        "in" | "at" | "on" | "from" | "near" | "off" | "round" | "up" | "down" | "along"
    )
}

/// A capitalised word that can start a place's or an organisation's name:
/// not a sentence start, not a function word, not a word written with a
/// capital by convention ("Monday", "Christmas"), not a month.
fn name_word(ws: &[Word], i: usize) -> bool {
    let w = &ws[i];
    w.capitalised()
        && !w.sentence_start
        && !words::is_function_word(&w.folded)
        && !words::is_conventional_capital(&w.text)
        && !is_month(w)
}

/// The end (word index, exclusive) of the capitalised run from `i`
/// ("St Mary's", "Calder Council", "Hallbrook Primary School").
fn run_end(ws: &[Word], i: usize) -> usize {
    let mut j = i + 1;
    while j < ws.len()
        && ws[j].gap.chars().all(|c| c == ' ')
        && ws[j].capitalised()
        && !words::is_function_word(&ws[j].folded)
    {
        j += 1;
    }
    j
}

/// A place said in words `from..to`: a capitalised name after a place
/// preposition ("on Moss Lane", "from Hallbrook", "at the Royal"), or a
/// name ending in a place or organisation head ("Moss Lane", "Riverside
/// Medical Centre"). Word range.
fn place_in(ws: &[Word], from: usize, to: usize) -> Option<(usize, usize)> {
    for i in from..to {
        if !name_word(ws, i) {
            continue;
        }
        let end = run_end(ws, i).min(to);
        let after_prep = i > from
            && (place_preposition(&ws[i - 1].folded)
                || (ws[i - 1].folded == "the"
                    && i > from + 1
                    && place_preposition(&ws[i - 2].folded)));
        let headed = end > i + 1 && {
            let last = &ws[end - 1].folded;
            words::is_place_head(last) || words::is_org_head(last)
        };
        if after_prep || headed {
            return Some((i, end));
        }
    }
    None
}

/// A ward number after word `k` ("Ward 7", "ward seven", "Ward 12B").
fn ward_number(ws: &[Word], k: usize) -> bool {
    ws[k].folded == "ward"
        && ws.get(k + 1).is_some_and(|n| {
            n.gap.chars().all(|c| c == ' ')
                && (number(n).is_some()
                    || (n.text.chars().next().is_some_and(|c| c.is_ascii_digit())
                        && n.text.chars().count() <= 4))
        })
}

/// Job words: said of someone, with a place, they point to one person.
fn is_job(f: &str) -> bool {
    matches!(
        f,
        "nurse"
            | "sister"
            | "matron"
            | "midwife"
            | "doctor"
            | "gp"
            | "surgeon"
            | "consultant"
            | "dentist"
            | "pharmacist"
            | "teacher"
            | "headteacher"
            | "headmaster"
            | "headmistress"
            | "lecturer"
            | "manager"
            | "supervisor"
            | "foreman"
            | "vicar"
            | "priest"
            | "imam"
            | "rabbi"
            | "minister"
            | "councillor"
            | "mayor"
            | "caretaker"
            | "porter"
            | "cleaner"
            | "driver"
            | "postman"
            | "postwoman"
            | "warden"
            | "receptionist"
            | "librarian"
            | "policeman"
            | "policewoman"
            | "officer"
            | "firefighter"
            | "fireman"
            | "carer"
            | "chef"
            | "cook"
            | "landlord"
            | "landlady"
            | "shopkeeper"
            | "butcher"
            | "baker"
            | "secretary"
            | "clerk"
            | "engineer"
            | "miner"
            | "weaver"
    )
}

/// Is the job word at `i` said of someone ("I was a ward sister", "worked
/// as a porter", "she's the manager"), not a visit ("went to the doctor")?
fn job_said_of_someone(ws: &[Word], i: usize) -> bool {
    (1..=3).any(|back| {
        i >= back && {
            let f = ws[i - back].folded.as_str();
            matches!(
                f,
                "was" | "am" | "is" | "were" | "as" | "be" | "been" | "became" | "being"
            ) || (f.ends_with("'s") && words::is_function_word(f))
        }
    })
}

/// "worked at", "work for", "employed by", "job at", "retired from".
fn employer_phrase(ws: &[Word], i: usize) -> bool {
    let next = ws.get(i + 1).map(|w| w.folded.as_str());
    match ws[i].folded.as_str() {
        "work" | "worked" | "works" | "working" => matches!(next, Some("at" | "for")),
        "employed" => next == Some("by"),
        "job" => matches!(next, Some("at" | "with")),
        "retired" => next == Some("from"),
        _ => false,
    }
}

/// An age at word `i`: "aged 82", "82 years old", "an 82-year-old". Word range.
fn age_at(ws: &[Word], i: usize) -> Option<(usize, usize)> {
    let w = &ws[i];
    let plausible = |n: u32| (2..=110).contains(&n);
    if matches!(w.folded.as_str(), "aged" | "age")
        && ws.get(i + 1).and_then(number).is_some_and(plausible)
    {
        return Some((i, i + 2));
    }
    if number(w).is_some_and(plausible)
        && ws
            .get(i + 1)
            .is_some_and(|x| matches!(x.folded.as_str(), "years" | "year"))
        && ws.get(i + 2).is_some_and(|x| x.folded == "old")
    {
        return Some((i, i + 3));
    }
    let prefix = w
        .folded
        .strip_suffix("-year-old")
        .or_else(|| w.folded.strip_suffix("-years-old"))?;
    number_of(prefix).filter(|n| plausible(*n))?;
    Some((i, i + 1))
}

/// A day and month (and year) around the month at `i`, or a month and a year.
fn date_at(ws: &[Word], i: usize) -> Option<(DetailKind, usize, usize)> {
    let (mut from, mut to, mut day) = (i, i + 1, false);
    if i >= 1 && is_day(&ws[i - 1]) && ws[i].joined() {
        from = i - 1;
        day = true;
    } else if i >= 2 && ws[i - 1].folded == "of" && is_day(&ws[i - 2]) {
        from = i - 2;
        day = true;
    } else if ws
        .get(i + 1)
        .is_some_and(|n| is_day(n) && !is_year(n) && n.joined())
    {
        to = i + 2;
        day = true;
    }
    let year = ws.get(to).is_some_and(|y| is_year(y) && y.joined());
    if year {
        to += 1;
    }
    match (day, year) {
        (true, _) => Some((DetailKind::ExactDate, from, to)),
        (false, true) => Some((DetailKind::MonthAndYear, i, to)),
        (false, false) => None,
    }
}

/// 12/03/2019, 12.3.19, 12-03-2019 at word `i`.
fn numeric_date_at(ws: &[Word], i: usize) -> bool {
    let [a, b, c] = [i, i + 1, i + 2].map(|k| ws.get(k));
    let (Some(a), Some(b), Some(c)) = (a, b, c) else {
        return false;
    };
    let short = |w: &Word| w.is_digits() && w.text.len() <= 2;
    if !(short(a) && short(b) && c.is_digits() && matches!(c.text.len(), 2 | 4)) {
        return false;
    }
    if !matches!(b.gap.as_str(), "/" | "." | "-") || c.gap != b.gap {
        return false;
    }
    let (x, y): (u32, u32) = (a.text.parse().unwrap_or(0), b.text.parse().unwrap_or(0));
    (1..=31).contains(&x) && (1..=31).contains(&y) && (x <= 12 || y <= 12)
}

fn detail(chars: &[char], ws: &[Word], kind: DetailKind, from: usize, to: usize) -> Detail {
    let (start, end) = (ws[from].start, ws[to - 1].end);
    Detail {
        kind,
        start,
        end,
        text: chars[start..end].iter().collect(),
    }
}

/// The identifying details in `text`, in order, none overlapping.
pub fn find_details(text: &str) -> Vec<Detail> {
    let chars: Vec<char> = text.chars().collect();
    let ws = words_of(text);
    let mut out: Vec<Detail> = Vec::new();
    let mut push = |kind, from, to| {
        let d = detail(&chars, &ws, kind, from, to);
        if !out.iter().any(|o| o.start < d.end && d.start < o.end) {
            out.push(d);
        }
    };
    for i in 0..ws.len() {
        let w = &ws[i];
        if numeric_date_at(&ws, i) {
            push(DetailKind::ExactDate, i, i + 3);
            continue;
        }
        if is_month(w) {
            if let Some((kind, from, to)) = date_at(&ws, i) {
                push(kind, from, to);
            }
            continue;
        }
        // a job with a place, said of someone ("a teacher at St Mary's")
        if is_job(&w.folded) && job_said_of_someone(&ws, i) {
            let (_, to) = sentence(&ws, i);
            let near = (i + 1..to.min(i + 6)).find(|&k| ward_number(&ws, k));
            let place = near
                .map(|k| (k, k + 2))
                .or_else(|| place_in(&ws, i + 1, to).filter(|(p, _)| p - i <= 5));
            if let Some((_, q)) = place {
                push(DetailKind::JobWithPlace, i, q);
                continue;
            }
        }
        // Ward 7, ward seven; Jubilee Ward (not Mrs Ward).
        if ward_number(&ws, i) {
            push(DetailKind::WardNumber, i, i + 2);
            continue;
        }
        if w.folded == "ward"
            && w.capitalised()
            && i >= 1
            && w.joined()
            && name_word(&ws, i - 1)
            && !words::is_title(&ws[i - 1].folded)
        {
            push(DetailKind::WardNumber, i - 1, i + 1);
            continue;
        }
        // worked at Boots, employed by Calder Council
        if employer_phrase(&ws, i) {
            let mut k = i + 2;
            if ws.get(k).is_some_and(|x| x.folded == "the") {
                k += 1;
            }
            if k < ws.len() && name_word(&ws, k) {
                push(DetailKind::Employer, i, run_end(&ws, k));
                continue;
            }
        }
        // an age with a place in the same sentence
        if let Some((a, b)) = age_at(&ws, i) {
            let (from, to) = sentence(&ws, i);
            if let Some((p, q)) = place_in(&ws, from, to) {
                push(DetailKind::AgeWithPlace, a.min(p), b.max(q));
            }
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

#[cfg(test)]
mod tests;
