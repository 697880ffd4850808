//! Word tokens with their char ranges: the unit the fidelity checker compares
//! ("token for token", DESIGN §5). A token is a run of letters and digits;
//! apostrophes and hyphens split tokens ("Doreen's" is "Doreen" + "s"), so a
//! pseudonym replacing a name before a possessive compares cleanly.
//! Punctuation is not compared. Word counts use [`storyloom_text::text::word_count`].

/// A word and its char range in the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The tokens of a text, with char offsets (plus `base`).
pub fn tokens(text: &str, base: usize) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (char, byte)
    let mut ci = 0usize;
    for (bi, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some((ci, bi));
            }
        } else if let Some((cs, bs)) = start.take() {
            out.push(Token {
                text: &text[bs..bi],
                start: base + cs,
                end: base + ci,
            });
        }
        ci += 1;
    }
    if let Some((cs, bs)) = start {
        out.push(Token {
            text: &text[bs..],
            start: base + cs,
            end: base + ci,
        });
    }
    out
}

/// Lower-cased word, with typographic apostrophes made plain, for comparisons of meaning.
pub fn norm(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_at_punctuation_with_offsets() {
        let t = tokens("I didn't -- well, Zoë's [laughs]", 10);
        let words: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(words, ["I", "didn", "t", "well", "Zoë", "s", "laughs"]);
        assert_eq!((t[0].start, t[0].end), (10, 11));
        assert_eq!((t[4].start, t[4].end), (28, 31));
    }
}
