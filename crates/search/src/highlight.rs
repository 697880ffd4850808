//! The two analyzers, query terms compiled against them, and exact match
//! ranges and snippets, found by re-tokenizing a hit's text with the same
//! analyzers the index used (tantivy's own highlighting is per stem, so a
//! phrase would light up word by word, and stem-only variants too).

use super::query::{Term, TermKind};
use super::{SearchError, SearchHit};
use storyloom_store::HitRow;
use storyloom_text::text::CharIndex;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Tokenizer of the `text` field: words split on non-alphanumerics, lowercased, English stems.
pub(crate) const STEM: &str = "storyloom_stem";
/// Tokenizer of the `exact` field: the same words, lowercased, not stemmed.
pub(crate) const EXACT: &str = "storyloom_exact";

/// Words longer than this (in bytes) are not indexed, as in tantivy's `en_stem`.
const LONGEST_WORD: usize = 40;

pub(crate) fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub(crate) fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .build()
}

/// A token with its byte range in the analysed text and its position.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub text: String,
    pub from: usize,
    pub to: usize,
    pub position: usize,
}

pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    analyzer.token_stream(text).process(&mut |t| {
        out.push(Tok {
            text: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
            position: t.position,
        })
    });
    out
}

/// A query term as index terms: what to search and what to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// Consecutive stems in the `text` field (one for a plain word).
    Stems(Vec<String>),
    /// Consecutive lowercase words in the `exact` field.
    Exact(Vec<String>),
    /// Consecutive lowercase words in the `exact` field, the last one a prefix.
    Prefix(Vec<String>),
}

/// The analyzers, created once per search.
pub(crate) struct Analyzers {
    pub stem: TextAnalyzer,
    pub exact: TextAnalyzer,
}

impl Analyzers {
    pub(crate) fn new() -> Self {
        Analyzers {
            stem: stem_analyzer(),
            exact: exact_analyzer(),
        }
    }

    pub(crate) fn compile(&mut self, term: &Term) -> Result<Pattern, SearchError> {
        let words = |a: &mut TextAnalyzer| -> Vec<String> {
            tokens(a, &term.text).into_iter().map(|t| t.text).collect()
        };
        let (pattern, words) = match term.kind {
            TermKind::Word => {
                let w = words(&mut self.stem);
                (Pattern::Stems(w.clone()), w)
            }
            TermKind::Phrase => {
                let w = words(&mut self.exact);
                (Pattern::Exact(w.clone()), w)
            }
            TermKind::Prefix => {
                let w = words(&mut self.exact);
                (Pattern::Prefix(w.clone()), w)
            }
        };
        if words.is_empty() {
            return Err(SearchError::NothingToSearch {
                text: term.text.clone(),
                position: term.position,
            });
        }
        Ok(pattern)
    }
}

/// Finds every pattern in `text`; returns char ranges of `text`, sorted, overlaps merged
/// (so a word inside a matched phrase does not split the phrase).
pub(crate) fn find(
    analyzers: &mut Analyzers,
    patterns: &[Pattern],
    text: &str,
) -> Vec<(usize, usize)> {
    if patterns.is_empty() {
        return vec![];
    }
    let stems = patterns
        .iter()
        .any(|p| matches!(p, Pattern::Stems(_)))
        .then(|| tokens(&mut analyzers.stem, text));
    let exact = patterns
        .iter()
        .any(|p| !matches!(p, Pattern::Stems(_)))
        .then(|| tokens(&mut analyzers.exact, text));
    let mut bytes: Vec<(usize, usize)> = Vec::new();
    for p in patterns {
        let (toks, words, prefix) = match p {
            Pattern::Stems(w) => (stems.as_deref().unwrap_or(&[]), w, false),
            Pattern::Exact(w) => (exact.as_deref().unwrap_or(&[]), w, false),
            Pattern::Prefix(w) => (exact.as_deref().unwrap_or(&[]), w, true),
        };
        let n = words.len();
        if n == 0 || toks.len() < n {
            continue;
        }
        'start: for i in 0..=toks.len() - n {
            for (k, w) in words.iter().enumerate() {
                let t = &toks[i + k];
                if k > 0 && t.position != toks[i].position + k {
                    continue 'start;
                }
                let ok = if prefix && k == n - 1 {
                    t.text.starts_with(w.as_str())
                } else {
                    t.text == *w
                };
                if !ok {
                    continue 'start;
                }
            }
            bytes.push((toks[i].from, toks[i + n - 1].to));
        }
    }
    bytes.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(bytes.len());
    for (s, e) in bytes {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let ix = CharIndex::new(text);
    merged
        .into_iter()
        .map(|(s, e)| (ix.char_of_byte(s), ix.char_of_byte(e)))
        .collect()
}

/// Target length of a snippet, in chars (without the `…` marks).
pub const SNIPPET_CHARS: usize = 200;

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// About [`SNIPPET_CHARS`] chars of `text` around the first match (char
/// ranges into `text`), cut at word boundaries, `…` where cut. Line breaks
/// become spaces (one char for one char). Returns the snippet and the matches
/// within it.
pub(crate) fn snippet(text: &str, matches: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let (mut start, mut end) = (0, n);
    if n > SNIPPET_CHARS {
        let (ms, me) = matches.first().copied().unwrap_or((0, 0));
        let me = me.min(ms + SNIPPET_CHARS);
        let slack = SNIPPET_CHARS - (me - ms);
        start = ms.saturating_sub(slack / 3);
        end = (start + SNIPPET_CHARS).min(n);
        if end == n {
            start = n.saturating_sub(SNIPPET_CHARS).min(ms);
        }
        // Do not start or end inside a word, but never cut into the first match.
        if start > 0 && is_word(chars[start - 1]) {
            while start < ms && is_word(chars[start]) {
                start += 1;
            }
        }
        while start < ms && chars[start].is_whitespace() {
            start += 1;
        }
        if end < n && is_word(chars[end]) {
            while end > me && is_word(chars[end - 1]) {
                end -= 1;
            }
        }
        while end > me && chars[end - 1].is_whitespace() {
            end -= 1;
        }
    }
    let lead = usize::from(start > 0);
    let mut out = String::with_capacity((end - start) * 2 + 8);
    if start > 0 {
        out.push('…');
    }
    out.extend(
        chars[start..end]
            .iter()
            .map(|&c| if c == '\n' || c == '\r' { ' ' } else { c }),
    );
    if end < n {
        out.push('…');
    }
    let within = matches
        .iter()
        .filter(|(s, e)| *s < end && *e > start)
        .map(|&(s, e)| (s.max(start) - start + lead, e.min(end) - start + lead))
        .collect();
    (out, within)
}

/// A hit from its row, the matches as char ranges of the turn's speech, and a score.
pub(crate) fn hit(row: HitRow, matches: &[(usize, usize)], score: f32) -> SearchHit {
    let (snippet, snippet_matches) = snippet(&row.text, matches);
    SearchHit {
        document: row.doc_uuid,
        document_name: row.doc_name,
        turn_seq: row.seq,
        turn_uuid: row.turn_uuid,
        speaker: row.speaker,
        role: row.role,
        participant: row.participant,
        start_ms: row.start_ms,
        turn_start: row.start,
        turn_end: row.end,
        matches: matches
            .iter()
            .map(|&(s, e)| (row.start + s, row.start + e))
            .collect(),
        snippet,
        snippet_matches,
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: TermKind, text: &str) -> Term {
        Term {
            kind,
            text: text.into(),
            position: 0,
        }
    }

    fn slices(text: &str, r: &[(usize, usize)]) -> Vec<String> {
        let ix = CharIndex::new(text);
        r.iter()
            .map(|&(s, e)| ix.slice(s, e).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn stems_phrases_prefixes() {
        let mut a = Analyzers::new();
        let text = "Café’s volunteers 🙂 never, ever trusted; Never trusted the volunteering lonely loneliness.";
        let p = [
            a.compile(&term(TermKind::Word, "volunteer")).unwrap(),
            a.compile(&term(TermKind::Phrase, "never trusted")).unwrap(),
            a.compile(&term(TermKind::Prefix, "lone")).unwrap(),
        ];
        let found = find(&mut a, &p, text);
        assert_eq!(
            slices(text, &found),
            vec![
                "volunteers",
                "Never trusted",
                "volunteering",
                "lonely",
                "loneliness"
            ]
        );
        // Phrase words glued by punctuation still count as consecutive.
        let p = [a.compile(&term(TermKind::Phrase, "ever trusted")).unwrap()];
        assert_eq!(slices(text, &find(&mut a, &p, text)), vec!["ever trusted"]);
        // A word inside a matched phrase does not split the phrase's range.
        let p = [
            a.compile(&term(TermKind::Phrase, "never trusted the"))
                .unwrap(),
            a.compile(&term(TermKind::Word, "trust")).unwrap(),
        ];
        assert_eq!(
            slices(text, &find(&mut a, &p, text)),
            vec!["trusted", "Never trusted the"]
        );
    }

    #[test]
    fn empty_terms_are_refused() {
        let mut a = Analyzers::new();
        assert!(matches!(
            a.compile(&term(TermKind::Word, "…")),
            Err(SearchError::NothingToSearch { .. })
        ));
    }

    #[test]
    fn snippets_cut_at_words() {
        let short = "short turn\nwith a line";
        let (s, m) = snippet(short, &[(6, 10)]);
        assert_eq!(s, "short turn with a line");
        assert_eq!(m, vec![(6, 10)]);

        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let text = words.join(" ");
        let at = text.find("w50").unwrap();
        let (s, m) = snippet(&text, &[(at, at + 3)]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        let body = s.trim_matches('…');
        assert!(body.chars().count() <= SNIPPET_CHARS);
        assert!(body.starts_with('w') && !body.ends_with(' '), "{s}");
        let chars: Vec<char> = s.chars().collect();
        let got: String = chars[m[0].0..m[0].1].iter().collect();
        assert_eq!(got, "w50");
        // Every word in the snippet is whole.
        for w in body.split(' ') {
            assert!(words.contains(&w.to_owned()), "{w}");
        }

        // A match at the very end.
        let at = text.find("w99").unwrap();
        let (s, m) = snippet(&text, &[(at, at + 3)]);
        assert!(s.starts_with('…') && s.ends_with("w99"), "{s}");
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(chars[m[0].0..m[0].1].iter().collect::<String>(), "w99");
    }
}
