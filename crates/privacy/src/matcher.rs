//! Finding originals in text: every original and the text are folded
//! ([`crate::fold`]), matched as whole words, and each hit is given back as
//! a range of the original text's chars.

use crate::fold::{Folded, fold, fold_map};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// One original found: chars `start..end` of the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    /// The index (in the order given to [`Matcher::new`]) of the first
    /// original with this fold.
    pub id: usize,
}

/// Whole-word matcher over folded originals.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Per pattern: its folded text and the first id given for it.
    patterns: Vec<(String, usize)>,
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

impl Matcher {
    /// A matcher for `originals`; ids are their positions. Empty ones are ignored.
    pub fn new<I, S>(originals: I) -> Matcher
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut patterns: Vec<(String, usize)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (id, o) in originals.into_iter().enumerate() {
            let f = fold(o.as_ref()).trim().to_owned();
            if !f.is_empty() && seen.insert(f.clone()) {
                patterns.push((f, id));
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(patterns.iter().map(|p| p.0.as_str()))
                .ok()
        };
        Matcher { ac, patterns }
    }

    pub fn is_empty(&self) -> bool {
        self.ac.is_none()
    }

    /// The folded form of the original with this id, if it has a pattern.
    pub fn folded(&self, id: usize) -> Option<&str> {
        self.patterns
            .iter()
            .find(|p| p.1 == id)
            .map(|p| p.0.as_str())
    }

    /// Whole-word hits in `text`, leftmost first, longest at a place, not
    /// overlapping; as char ranges of `text`.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        if self.ac.is_none() {
            return Vec::new();
        }
        self.find_folded(&fold_map(text))
    }

    /// [`Matcher::find`] over a text folded already.
    pub fn find_folded(&self, folded: &Folded) -> Vec<Hit> {
        self.folded_hits(&folded.text)
            .into_iter()
            .map(|(s, e, id)| {
                let (start, end) = folded.original_span(s, e);
                Hit { start, end, id }
            })
            .collect()
    }

    /// Whole-word hits as byte ranges of a folded text.
    pub fn folded_hits(&self, hay: &str) -> Vec<(usize, usize, usize)> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut all: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(hay)
            .filter(|m| {
                let p = &self.patterns[m.pattern().as_usize()].0;
                let first_word = is_word(p.chars().next());
                let last_word = is_word(p.chars().next_back());
                (!first_word || !is_word(hay[..m.start()].chars().next_back()))
                    && (!last_word || !is_word(hay[m.end()..].chars().next()))
            })
            .map(|m| (m.start(), m.end(), self.patterns[m.pattern().as_usize()].1))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::with_capacity(all.len());
        let mut at = 0;
        for h in all {
            if h.0 >= at {
                at = h.1;
                out.push(h);
            }
        }
        out
    }

    /// Does any original occur in a folded text?
    pub fn any_in_folded(&self, hay: &str) -> bool {
        !self.folded_hits(hay).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(m: &Matcher, text: &str) -> Vec<String> {
        m.find(text)
            .iter()
            .map(|h| text.chars().skip(h.start).take(h.end - h.start).collect())
            .collect()
    }

    #[test]
    fn names_are_found_however_they_are_typed() {
        // The map entry typed in NFD (a macOS file name).
        let m = Matcher::new(["Zoe\u{308}"]);
        assert_eq!(spans(&m, "I told Zoë."), ["Zoë"]);
        assert_eq!(spans(&m, "I told ZOË."), ["ZOË"]);
        assert_eq!(spans(&m, "I told Zo\u{ad}ë, then"), ["Zo\u{ad}ë"]);
        assert_eq!(spans(&m, "I told Z\u{200d}oë"), ["Z\u{200d}oë"]);
        assert!(m.find("Zoëtrope and zoe").is_empty());
    }

    #[test]
    fn whole_words_longest_first_even_when_the_longest_fails() {
        let m = Matcher::new(["Mary", "Mary Ann", "Ann", "Moss Lane"]);
        assert_eq!(spans(&m, "Mary Anne came"), ["Mary"]);
        assert_eq!(spans(&m, "Mary Ann came, Anna"), ["Mary Ann"]);
        assert_eq!(spans(&m, "up Moss\nLane, Margaret's"), ["Moss\nLane"]);
        let m = Matcher::new(["Margaret"]);
        assert_eq!(spans(&m, "Margaret’s house"), ["Margaret"]);
    }
}
