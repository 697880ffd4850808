//! The texts as chars: byte offsets for substring search, word and token
//! boundaries, and the folded form (letters and digits, lower case) for
//! loose matching.

/// One text version as chars, with byte offsets for substring search.
pub(super) struct Text {
    pub(super) string: String,
    pub(super) chars: Vec<char>,
    /// Byte offset of every char, plus the string length.
    pub(super) byte_of: Vec<usize>,
}

impl Text {
    pub(super) fn new(s: &str) -> Text {
        let chars: Vec<char> = s.chars().collect();
        let mut byte_of = Vec::with_capacity(chars.len() + 1);
        byte_of.extend(s.char_indices().map(|(b, _)| b));
        byte_of.push(s.len());
        Text {
            string: s.to_owned(),
            chars,
            byte_of,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.chars.len()
    }

    pub(super) fn char_of_byte(&self, byte: usize) -> usize {
        self.byte_of.partition_point(|&b| b < byte)
    }

    pub(super) fn has_at(&self, at: usize, quote: &[char]) -> bool {
        at.checked_add(quote.len())
            .and_then(|end| self.chars.get(at..end))
            .is_some_and(|s| s == quote)
    }

    /// Char offsets of all (possibly overlapping) occurrences of `needle`, at
    /// most `cap`; the flag says whether more were left out.
    pub(super) fn occurrences(&self, needle: &str, cap: usize) -> (Vec<usize>, bool) {
        let mut out = Vec::new();
        let Some(first) = needle.chars().next() else {
            return (out, false);
        };
        let mut from = 0;
        while let Some(i) = self.string[from..].find(needle) {
            if out.len() == cap {
                return (out, true);
            }
            let b = from + i;
            out.push(self.char_of_byte(b));
            from = b + first.len_utf8();
        }
        (out, false)
    }

    /// Whether `pos` falls inside a word (between two joined word chars).
    pub(super) fn mid_word(&self, pos: usize) -> bool {
        pos > 0 && pos < self.len() && joins(self.chars[pos - 1], self.chars[pos])
    }
}

pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Scripts written without spaces: each char is a token of its own.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Whether two adjacent chars belong to the same word.
pub(super) fn joins(a: char, b: char) -> bool {
    is_word(a) && is_word(b) && !is_cjk(a) && !is_cjk(b)
}

/// Token boundaries (char offsets, starting with 0 and ending with the
/// length): words, whitespace runs, and every other char on its own.
pub(super) fn token_bounds(chars: &[char]) -> Vec<usize> {
    let n = chars.len();
    let mut bounds = Vec::with_capacity(n / 3 + 2);
    bounds.push(0);
    let mut i = 0;
    while i < n {
        let c = chars[i];
        i += 1;
        if is_cjk(c) {
        } else if is_word(c) {
            while i < n && joins(chars[i - 1], chars[i]) {
                i += 1;
            }
        } else if c.is_whitespace() {
            while i < n && chars[i].is_whitespace() {
                i += 1;
            }
        }
        bounds.push(i);
    }
    bounds
}

/// The new text folded for loose matching: lowercase letters and digits only,
/// each folded char remembering the new char it came from.
pub(super) struct Folded {
    pub(super) string: String,
    pub(super) chars: Vec<char>,
    pub(super) byte_of: Vec<usize>,
    pub(super) pos: Vec<usize>,
}

impl Folded {
    pub(super) fn new(chars: &[char]) -> Folded {
        let mut f = Folded {
            string: String::with_capacity(chars.len()),
            chars: Vec::with_capacity(chars.len()),
            byte_of: Vec::with_capacity(chars.len() + 1),
            pos: Vec::with_capacity(chars.len()),
        };
        for (i, &c) in chars.iter().enumerate() {
            if is_word(c) {
                for l in c.to_lowercase() {
                    f.byte_of.push(f.string.len());
                    f.string.push(l);
                    f.chars.push(l);
                    f.pos.push(i);
                }
            }
        }
        f.byte_of.push(f.string.len());
        f
    }
}

pub(super) fn fold(chars: &[char]) -> Vec<char> {
    chars
        .iter()
        .filter(|c| is_word(**c))
        .flat_map(|c| c.to_lowercase())
        .collect()
}
