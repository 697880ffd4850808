//! The fold: what two spellings of a name have in common. NFKC, full
//! Unicode case folding, default-ignorable code points removed (soft
//! hyphen, zero-width space/joiners, word joiner, BOM, variation
//! selectors, bidi controls), typographic apostrophes and hyphens made
//! plain, and every run of whitespace one space. [`fold_map`] keeps, for
//! every folded char, the original chars it came from, so a hit in the
//! folded text replaces exactly the original words and nothing around them.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Default_Ignorable_Code_Point (Unicode DerivedCoreProperties): invisible
/// when rendered, so a name with one inside reads whole in Word.
const IGNORABLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fff8}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// Is `c` a default-ignorable code point (invisible, so removed by the fold)?
pub fn is_ignorable(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    IGNORABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Apostrophe and hyphen look-alikes that people and word processors
/// type interchangeably ("O’Neill", "O'Neill").
fn plain_punct(c: char) -> char {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' | '\u{00b4}' | '\u{0060}'
        | '\u{ff07}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2043}' | '\u{fe63}' | '\u{ff0d}' => '-',
        _ => c,
    }
}

/// A text folded for comparison, with the way back to the original chars.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// Per folded char: its byte offset in `text`.
    bytes: Vec<u32>,
    /// Per folded char: the first original char (index) it stands for.
    starts: Vec<u32>,
    /// Per folded char: one past the last original char it stands for.
    ends: Vec<u32>,
}

impl Folded {
    fn push(&mut self, c: char, start: usize, end: usize) {
        let c = plain_punct(c);
        if c.is_whitespace() {
            if self.text.ends_with(' ') {
                if let Some(e) = self.ends.last_mut() {
                    *e = end as u32;
                }
                return;
            }
            self.bytes.push(self.text.len() as u32);
            self.text.push(' ');
        } else {
            self.bytes.push(self.text.len() as u32);
            self.text.push(c);
        }
        self.starts.push(start as u32);
        self.ends.push(end as u32);
    }

    /// The folded char index at a byte offset of `text` (a char boundary).
    pub fn char_at_byte(&self, byte: usize) -> usize {
        self.bytes.partition_point(|&b| (b as usize) < byte)
    }

    /// Number of folded chars.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The original char range of the folded byte range `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let fs = self.char_at_byte(start);
        let fe = self.char_at_byte(end);
        if fs >= fe || fe > self.starts.len() {
            let at = self
                .starts
                .get(fs)
                .map_or_else(|| self.ends.last().copied().unwrap_or(0), |&s| s)
                as usize;
            return (at, at);
        }
        (self.starts[fs] as usize, self.ends[fe - 1] as usize)
    }
}

/// Folds `text` for comparison (see the module doc).
pub fn fold(text: &str) -> String {
    if !text.is_ascii() {
        return fold_map(text).text;
    }
    // ASCII (most words of an English transcript): the same fold without
    // the way back, so the finder's per-word folds do not allocate it.
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = plain_punct(c);
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Folds `text` and keeps the way back to its chars.
pub fn fold_map(text: &str) -> Folded {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        bytes: Vec::with_capacity(chars.len()),
        starts: Vec::with_capacity(chars.len()),
        ends: Vec::with_capacity(chars.len()),
    };
    let mut i = 0;
    let mut cluster = String::new();
    while i < chars.len() {
        let c = chars[i];
        if is_ignorable(c) {
            i += 1;
            continue;
        }
        // A cluster: this char and the combining marks (and invisible
        // characters) after it, normalised together.
        let mut j = i + 1;
        while j < chars.len() && (is_combining_mark(chars[j]) || is_ignorable(chars[j])) {
            j += 1;
        }
        if c.is_ascii() && j == i + 1 {
            out.push(c.to_ascii_lowercase(), i, j);
        } else {
            cluster.clear();
            cluster.extend(chars[i..j].iter().filter(|c| !is_ignorable(**c)));
            let folded: String = cluster
                .nfkc()
                .default_case_fold()
                .nfkc()
                .filter(|c| !is_ignorable(*c))
                .collect();
            for f in folded.chars() {
                out.push(f, i, j);
            }
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_fold_alike() {
        let nfc = fold("Zoë");
        assert_eq!(fold("Zoe\u{308}"), nfc, "NFD");
        assert_eq!(fold("ZOË"), nfc, "capitals");
        assert_eq!(fold("Zo\u{ad}ë"), nfc, "soft hyphen");
        assert_eq!(fold("Z\u{200d}oë"), nfc, "zero-width joiner");
        assert_eq!(
            fold("\u{feff}Zo\u{2060}ë\u{fe0f}"),
            nfc,
            "BOM, word joiner, selector"
        );
        assert_eq!(fold("STRAẞE"), "strasse", "full case folding");
        assert_eq!(fold("Ｄｏｔ"), "dot", "full-width letters");
        assert_eq!(fold("O’Neill"), fold("O'Neill"));
        assert_eq!(fold("Moss \n\t Lane"), "moss lane");
        // The ASCII way and the general way agree.
        for t in ["  O`Neill \r\n of  Moss-Lane ", "Dr. X\tY", "", " "] {
            assert_eq!(fold(t), fold_map(t).text, "{t:?}");
        }
    }

    #[test]
    fn folded_positions_map_back_to_the_original_chars() {
        let text = "met ZOE\u{308} to\u{ad}day";
        let f = fold_map(text);
        assert_eq!(f.text, "met zoë today");
        let b = f.text.find("zoë").unwrap();
        let (s, e) = f.original_span(b, b + "zoë".len());
        let got: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "ZOE\u{308}");
        let b = f.text.find("today").unwrap();
        let (s, e) = f.original_span(b, b + 5);
        assert_eq!((s, e), (9, 15));
    }
}
