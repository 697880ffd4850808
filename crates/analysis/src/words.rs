//! Word positions of each document, to count the words of coded text.

use std::collections::HashMap;
use storyloom_text::ids::DocumentId;

use rayon::prelude::*;

use super::intervals::Span;
use super::{AnalysisError, Result};

/// The char span of every word of each document, as [`storyloom_text::text::word_count`]
/// tokenises: a run of alphanumerics, which may continue through an
/// apostrophe or hyphen (`didn't`, `self-starter`).
///
/// Why positions rather than `word_count(slice)`: a word counts once when
/// any char of it is coded, however many codings cut through it. Counting
/// each coded slice would count `exam|ple` as two words when two codings
/// split it, and would count a word twice when two codings of the same code
/// overlap it. With positions, the words of a set of ranges are the words
/// the ranges touch, each once.
#[derive(Debug, Default, Clone)]
pub struct WordIndex {
    docs: HashMap<DocumentId, DocWords>,
}

#[derive(Debug, Default, Clone)]
struct DocWords {
    chars: usize,
    /// Word spans from the first to the last alphanumeric char, sorted.
    words: Vec<Span>,
}

impl WordIndex {
    pub fn new() -> WordIndex {
        WordIndex::default()
    }

    /// Indexes every text (`doc_id -> text`), in parallel.
    pub fn from_texts(texts: &HashMap<DocumentId, String>) -> WordIndex {
        let docs = texts
            .par_iter()
            .map(|(&id, text)| (id, DocWords::scan(text)))
            .collect();
        WordIndex { docs }
    }

    /// Adds (or replaces) one document's text.
    pub fn insert(&mut self, doc_id: DocumentId, text: &str) {
        self.docs.insert(doc_id, DocWords::scan(text));
    }

    /// Registers a document by its length only, so counts that need no
    /// words (codings, documents, participants) run without reading text;
    /// its words count as 0.
    pub fn insert_length_only(&mut self, doc_id: DocumentId, chars: usize) {
        self.docs.insert(
            doc_id,
            DocWords {
                chars,
                words: Vec::new(),
            },
        );
    }

    /// Whether the text of a document was indexed.
    pub fn contains(&self, doc_id: DocumentId) -> bool {
        self.docs.contains_key(&doc_id)
    }

    /// Length of a document in chars.
    pub fn chars(&self, doc_id: DocumentId) -> Option<usize> {
        self.docs.get(&doc_id).map(|d| d.chars)
    }

    /// Number of words in a document.
    pub fn words_of_document(&self, doc_id: DocumentId) -> Option<usize> {
        self.docs.get(&doc_id).map(|d| d.words.len())
    }

    /// Words touched by `[start, end)` (a word counts if any char of it is in
    /// the range).
    pub fn words_in(&self, doc_id: DocumentId, start: usize, end: usize) -> Result<usize> {
        self.words_in_set(doc_id, &[Span::new(start, end)])
    }

    /// Words touched by a normalised set of ranges, each word once even when
    /// several ranges touch it.
    pub fn words_in_set(&self, doc_id: DocumentId, set: &[Span]) -> Result<usize> {
        let doc = self
            .docs
            .get(&doc_id)
            .ok_or(AnalysisError::MissingText { doc_id })?;
        Ok(doc.count(set, &mut 0))
    }

    /// A document's length and sorted word spans, for callers that count
    /// many ranges of one document and want the lookup done once.
    pub(crate) fn doc(&self, doc_id: DocumentId) -> Result<(usize, &[Span])> {
        let doc = self
            .docs
            .get(&doc_id)
            .ok_or(AnalysisError::MissingText { doc_id })?;
        Ok((doc.chars, &doc.words))
    }
}

impl DocWords {
    fn scan(text: &str) -> DocWords {
        let mut words = Vec::new();
        let mut chars = 0;
        // (start, end of last alphanumeric) of the word being read.
        let mut current: Option<(usize, usize)> = None;
        for (i, c) in text.chars().enumerate() {
            chars = i + 1;
            if c.is_alphanumeric() {
                current = Some(match current {
                    Some((s, _)) => (s, i + 1),
                    None => (i, i + 1),
                });
            } else if !(current.is_some() && matches!(c, '\'' | '’' | '-'))
                && let Some((s, e)) = current.take()
            {
                words.push(Span::new(s, e));
            }
        }
        if let Some((s, e)) = current {
            words.push(Span::new(s, e));
        }
        DocWords { chars, words }
    }

    fn count(&self, set: &[Span], next: &mut usize) -> usize {
        let mut total = 0;
        for r in set {
            // Words that end after the range starts and start before it ends.
            let lo = self.words.partition_point(|w| w.end <= r.start).max(*next);
            let hi = lo + self.words[lo..].partition_point(|w| w.start < r.end);
            if hi > lo {
                total += hi - lo;
                *next = hi;
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyloom_text::text::word_count;

    #[test]
    fn tokenises_like_word_count() {
        for t in [
            "I didn't -- well, I'm a self-starter [laughs]",
            "",
            "  Zoë said “hi” 🙂 ok-- ",
            "a--b 'quoted' rock'n'roll x-",
        ] {
            let ix = DocWords::scan(t);
            assert_eq!(ix.words.len(), word_count(t), "{t:?}");
            assert_eq!(ix.chars, t.chars().count());
        }
    }

    #[test]
    fn counts_touched_words_once() {
        // "the choir was lovely"
        //  0123456789012345678901
        // words: the [0,3) choir [4,9) was [10,13) lovely [14,20)
        let mut ix = WordIndex::new();
        ix.insert(DocumentId(1), "the choir was lovely");
        // "oir wa" [6,12) touches choir and was: 2.
        assert_eq!(ix.words_in(DocumentId(1), 6, 12), Ok(2));
        // [3,4) is the space between "the" and "choir": no word.
        assert_eq!(ix.words_in(DocumentId(1), 3, 4), Ok(0));
        // Two ranges cutting "choir" in two ([4,6) "ch", [7,9) "ir") plus
        // "lovely": choir once + lovely = 2.
        let set = [Span::new(4, 6), Span::new(7, 9), Span::new(15, 16)];
        assert_eq!(ix.words_in_set(DocumentId(1), &set), Ok(2));
        assert_eq!(
            ix.words_in(DocumentId(2), 0, 1),
            Err(AnalysisError::MissingText {
                doc_id: DocumentId(2)
            })
        );
        assert_eq!(ix.chars(DocumentId(1)), Some(20));
    }
}
