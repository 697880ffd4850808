//! Sentences of a turn as char ranges: the unit the draft picks, so that a
//! passage always starts and ends where the storyteller's sentence does.

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
pub(super) fn clauses(text: &str, base: usize) -> Vec<(usize, usize)> {
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

pub(super) const LONG_SENTENCE: usize = 150;
const MIN_CLAUSE: usize = 40;
