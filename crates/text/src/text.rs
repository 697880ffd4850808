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

/// Number of words, counted as runs of alphanumeric characters (with inner
/// apostrophes and hyphens), which is what word processors report.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                count += 1;
                in_word = true;
            }
        } else if !(in_word && matches!(c, '\'' | '’' | '-')) {
            in_word = false;
        }
    }
    count
}

/// Char length of a string.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Maps char offsets to byte offsets for one text, in O(1) per lookup for
/// ASCII-only text and O(log n) otherwise.
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of every char, plus the text length; empty when ASCII.
    bytes: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        CharIndex { text, bytes }
    }

    /// Number of chars in the text.
    pub fn len_chars(&self) -> usize {
        if self.bytes.is_empty() {
            self.text.len()
        } else {
            self.bytes.len() - 1
        }
    }

    /// Byte offset of a char offset, or `None` past the end.
    pub fn byte(&self, char_offset: usize) -> Option<usize> {
        if self.bytes.is_empty() {
            (char_offset <= self.text.len()).then_some(char_offset)
        } else {
            self.bytes.get(char_offset).copied()
        }
    }

    /// Char offset of a byte offset (which must be a char boundary).
    pub fn char_of_byte(&self, byte_offset: usize) -> usize {
        if self.bytes.is_empty() {
            byte_offset
        } else {
            self.bytes.partition_point(|&b| b < byte_offset)
        }
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

    #[test]
    fn char_index_handles_multibyte_and_ascii() {
        let t = "Zoë said “hi” 🙂 ok";
        let ix = CharIndex::new(t);
        assert_eq!(ix.len_chars(), t.chars().count());
        assert_eq!(ix.slice(0, 3), Some("Zoë"));
        assert_eq!(ix.slice(14, 15), Some("🙂"));
        assert_eq!(ix.char_of_byte(t.find("ok").unwrap()), 16);
        let a = CharIndex::new("plain");
        assert_eq!(a.slice(1, 3), Some("la"));
        assert_eq!(a.slice(4, 9), None);
    }
}
