//! Text conventions: NFC with `\n` line endings, offsets in chars.
//!
//! Offsets everywhere in Storyloom are Unicode scalar (char) indices, the unit
//! REFI-QDA and egui's `CCursor` use. [`CharIndex`] is the one place that
//! converts them to byte offsets.

use unicode_normalization::UnicodeNormalization;

/// Normalises imported text: CRLF and lone CR become `\n`, then NFC.
pub fn normalize(text: &str) -> String {
    let unified = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    if unicode_normalization::is_nfc_quick(unified.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        unified
    } else {
        unified.nfc().collect()
    }
}

/// The text on one line (runs of white space become one space), cut to
/// `max` chars with an ellipsis after them when it is longer: a passage
/// quoted in a message, a label or a name.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        None => flat,
        Some((cut, _)) => format!("{}…", &flat[..cut]),
    }
}

/// The six hex digits of a colour written `#rrggbb` (or `rrggbb`, with
/// white space around it), or `None` for anything else.
pub fn hex_colour(colour: &str) -> Option<&str> {
    let hex = colour.trim();
    let hex = hex.strip_prefix('#').unwrap_or(hex);
    (hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}

/// Number of words, counted as runs of alphanumeric characters (with inner
/// apostrophes and hyphens), which is what word processors report.
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0usize;
    // 1 while inside a word, else 0.
    let mut in_word = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            // ASCII without branches on the byte's class: a word starts at an
            // alphanumeric outside a word; `'` and `-` keep a word going.
            let class = ASCII_CLASS[b as usize];
            let alnum = class & 1;
            count += (alnum & (in_word ^ 1)) as usize;
            in_word = alnum | ((class >> 1) & in_word);
            i += 1;
            continue;
        }
        // `i` is on a char boundary: ASCII steps one byte, other chars their length.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            count += (in_word ^ 1) as usize;
            in_word = 1;
        } else if !(in_word == 1 && c == '’') {
            in_word = 0;
        }
    }
    count
}

/// For [`word_count`]: 1 for an ASCII letter or digit, 2 for `'` and `-`.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            1
        } else if c == b'\'' || c == b'-' {
            2
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Char length of a string.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Chars between two remembered byte offsets in a [`CharIndex`].
const STRIDE: usize = 32;

/// Maps char offsets to byte offsets for one text: O(1) per lookup for
/// ASCII-only text, otherwise a binary search plus at most 31 chars. It
/// remembers the byte offset of every 32nd char only (a quarter of a byte per
/// char, not eight), so a 60 MB transcript does not need 480 MB to index.
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of chars 0, 32, 64, …; empty when ASCII.
    marks: Vec<usize>,
    chars: usize,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return CharIndex {
                text,
                marks: Vec::new(),
                chars: text.len(),
            };
        }
        let mut marks = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut chars = 0;
        for (i, (b, _)) in text.char_indices().enumerate() {
            if i % STRIDE == 0 {
                marks.push(b);
            }
            chars = i + 1;
        }
        CharIndex { text, marks, chars }
    }

    /// Number of chars in the text.
    pub fn len_chars(&self) -> usize {
        self.chars
    }

    /// Byte offset of a char offset, or `None` past the end.
    pub fn byte(&self, char_offset: usize) -> Option<usize> {
        if self.marks.is_empty() {
            return (char_offset <= self.text.len()).then_some(char_offset);
        }
        if char_offset >= self.chars {
            return (char_offset == self.chars).then_some(self.text.len());
        }
        let base = self.marks[char_offset / STRIDE];
        self.text[base..]
            .char_indices()
            .nth(char_offset % STRIDE)
            .map(|(b, _)| base + b)
    }

    /// Char offset of a byte offset (a byte inside a char counts as the
    /// char after it).
    pub fn char_of_byte(&self, byte_offset: usize) -> usize {
        if self.marks.is_empty() {
            return byte_offset;
        }
        let k = self
            .marks
            .partition_point(|&m| m < byte_offset)
            .saturating_sub(1);
        let base = self.marks[k];
        k * STRIDE
            + self.text[base..]
                .char_indices()
                .take_while(|(b, _)| base + b < byte_offset)
                .count()
    }

    /// The text between two char offsets, or `None` when out of range.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        Some(&self.text[self.byte(start)?..self.byte(end)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_flattens_white_space_and_cuts_on_chars() {
        assert_eq!(one_line("  a\n\tb  c ", 10), "a b c");
        assert_eq!(one_line("Zoë café naïve", 8), "Zoë café…");
        assert_eq!(one_line("exactly", 7), "exactly");
    }

    #[test]
    fn hex_colours_are_six_hex_digits_with_or_without_the_hash() {
        assert_eq!(hex_colour(" #3cB44b "), Some("3cB44b"));
        assert_eq!(hex_colour("3cb44b"), Some("3cb44b"));
        assert_eq!(hex_colour("#3cb44"), None);
        assert_eq!(hex_colour("#3cb44g"), None);
        assert_eq!(hex_colour("#é3cb4"), None);
    }

    #[test]
    fn normalizes_line_endings_and_composes() {
        assert_eq!(normalize("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(normalize("Mabe\u{302}l"), "Mabêl");
    }

    #[test]
    fn counts_words_like_a_word_processor() {
        assert_eq!(
            word_count("I didn't -- well, I'm a self-starter [laughs]"),
            7
        );
        assert_eq!(word_count(""), 0);
    }

    /// The byte-wise count agrees with the plain char-by-char definition.
    #[test]
    fn word_count_matches_the_char_definition() {
        fn by_chars(text: &str) -> usize {
            let mut count = 0;
            let mut in_word = false;
            for c in text.chars() {
                if c.is_alphanumeric() {
                    count += usize::from(!in_word);
                    in_word = true;
                } else if !(in_word && matches!(c, '\'' | '’' | '-')) {
                    in_word = false;
                }
            }
            count
        }
        let samples = [
            "I didn't -- well, I'm a self-starter [laughs]",
            "Zoë’s café — naïve 'quoted' -dash- x-’y ’z 12-3 4'5",
            "我们 去了 市场。 مرحبا بكم 🙂 ok…",
            "-'-'- a'-'b ’’ e\u{301}t\u{e9}",
            "tab\there\nnew-\nline",
        ];
        for s in samples {
            assert_eq!(word_count(s), by_chars(s), "{s}");
            for (cut, _) in s.char_indices() {
                assert_eq!(word_count(&s[cut..]), by_chars(&s[cut..]), "{s} from {cut}");
            }
        }
    }

    #[test]
    fn char_index_handles_multibyte_and_ascii() {
        let t = "Zoë said “hi” 🙂 ok";
        let ix = CharIndex::new(t);
        assert_eq!(ix.len_chars(), t.chars().count());
        assert_eq!(ix.slice(0, 3), Some("Zoë"));
        assert_eq!(ix.slice(14, 15), Some("🙂"));
        assert_eq!(ix.char_of_byte(t.find("ok").unwrap()), 16);
        // Every offset of a long mixed text agrees with a plain walk.
        let long: String = "aé🙂 b".repeat(50);
        let ix = CharIndex::new(&long);
        let starts: Vec<usize> = long.char_indices().map(|(b, _)| b).collect();
        for (c, &b) in starts.iter().enumerate() {
            assert_eq!(ix.byte(c), Some(b));
            assert_eq!(ix.char_of_byte(b), c);
            assert_eq!(ix.char_of_byte(b + 1), c + 1, "a byte inside a char");
        }
        assert_eq!(ix.byte(starts.len()), Some(long.len()));
        assert_eq!(ix.byte(starts.len() + 1), None);
        assert_eq!(ix.char_of_byte(long.len()), starts.len());
        let a = CharIndex::new("plain");
        assert_eq!(a.slice(1, 3), Some("la"));
        assert_eq!(a.slice(4, 9), None);
    }
}
