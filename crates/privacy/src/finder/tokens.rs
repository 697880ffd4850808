//! Splitting a text into word tokens for the name finder: each word with
//! its char range, the case of its first letter, and what lies between it
//! and the word before (a sentence start, only spaces, a title's full stop).
//! A possessive ending ("Margaret's") is taken off the word and noted.

use crate::fold::is_ignorable;
use unicode_normalization::char::is_combining_mark;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    Upper,
    Lower,
    Uncased,
    Other,
}

pub(super) struct Token<'a> {
    /// The word, with any possessive ending removed.
    pub word: &'a str,
    /// Char range of `word`.
    pub start: usize,
    pub end: usize,
    /// Byte range of `word` in the text.
    pub byte_start: usize,
    pub byte_end: usize,
    pub case: Case,
    /// At a sentence start (or the start of a line or quotation).
    pub sentence_start: bool,
    /// Only spaces (no line break, no punctuation) since the previous token.
    pub joined: bool,
    /// Only ". " since the previous token: a title with a full stop
    /// ("Mrs. Chen") still joins the next word.
    pub title_dot: bool,
    /// Said with a possessive ending ("Margaret's"), which ends a run.
    pub possessive: bool,
}

pub(super) fn word_char(c: char) -> bool {
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
pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
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
            byte_start: bs,
            byte_end: bs + word.len(),
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
