//! Transcription marks (`[inaudible 00:12:03]`, `[crosstalk]`, `[laughs]`,
//! `[pause]`, `word[?]`, `--`): kept in the text, recorded with their ranges
//! so the reader can show them and stories can respect them.

use crate::model::{Mark, MarkKind};
use crate::text::CharIndex;
use regex::Regex;
use std::sync::LazyLock;

/// Every mark. `uncertain` (`word[?]`) starts at the word, so a search for
/// it must look at every word of the text.
static MARKS: LazyLock<Regex> = LazyLock::new(|| marks_regex(true));

/// The same without `word[?]`: every other mark starts with `[` or `-`, so
/// the search jumps from one of those bytes to the next. Used when the text
/// holds no `[?]`, where `uncertain` cannot match and both find the same.
static MARKS_NO_UNCERTAIN: LazyLock<Regex> = LazyLock::new(|| marks_regex(false));

fn marks_regex(uncertain: bool) -> Regex {
    let mut alternatives = vec![
        r"(?P<inaudible>\[(?i:inaudible|unclear|indistinct)(?:[ :,]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?[^\]\n]{0,20}\])",
        r"(?P<crosstalk>\[(?i:crosstalk|cross-talk|overlapping)[^\]\n]{0,20}\])",
        r"(?P<laughter>\[(?i:laughs?|laughing|laughter|chuckles?)[^\]\n]{0,20}\])",
        r"(?P<pause>\[(?i:(?:long |short )?pause[sd]?)[^\]\n]{0,20}\])",
        r"(?P<uncertain>(?P<word>[\p{L}\p{N}'’\-]+)\[\?\])",
        r"(?P<interruption>--)",
        r"(?P<nonverbal>\[[a-z][a-z ]{1,30}\])",
    ];
    if !uncertain {
        alternatives.retain(|a| !a.starts_with("(?P<uncertain>"));
    }
    crate::pattern::compiled(&alternatives.join("|"))
}

/// Finds every mark in a text, in order.
pub fn find(text: &str) -> Vec<Mark> {
    if !text.contains('[') && !text.contains("--") {
        return Vec::new();
    }
    let ix = CharIndex::new(text);
    let marks: &Regex = if text.contains("[?]") {
        &MARKS
    } else {
        &MARKS_NO_UNCERTAIN
    };
    // Spans by the DFA alone; the groups are read only for the rare kinds.
    marks
        .find_iter(text)
        .filter_map(|whole| {
            let (kind, value) = match common(whole.as_str()) {
                Some(kind) => (kind, None),
                // The same regex on the span alone finds the same match:
                // no alternative looks past it.
                None => kind_of(&marks.captures(whole.as_str())?),
            };
            Some(Mark {
                kind,
                start: ix.char_of_byte(whole.start()),
                end: ix.char_of_byte(whole.end()),
                value,
            })
        })
        .collect()
}

/// The frequent marks told from their text alone: `--`, and a bare laugh
/// (`[laughs]`), which no alternative before `laughter` can match.
fn common(span: &str) -> Option<MarkKind> {
    if span == "--" {
        return Some(MarkKind::Interruption);
    }
    let inner = span.strip_prefix('[')?.strip_suffix(']')?;
    const LAUGHS: &[&str] = &[
        "laugh", "laughs", "laughing", "laughter", "chuckle", "chuckles",
    ];
    LAUGHS
        .iter()
        .any(|l| inner.eq_ignore_ascii_case(l))
        .then_some(MarkKind::Laughter)
}

/// The kind (and value) of a mark by the alternative that matched.
fn kind_of(c: &regex::Captures<'_>) -> (MarkKind, Option<String>) {
    if c.name("inaudible").is_some() {
        (
            MarkKind::Inaudible,
            c.name("time").map(|m| m.as_str().to_owned()),
        )
    } else if c.name("crosstalk").is_some() {
        (MarkKind::Crosstalk, None)
    } else if c.name("laughter").is_some() {
        (MarkKind::Laughter, None)
    } else if c.name("pause").is_some() {
        (MarkKind::Pause, None)
    } else if c.name("uncertain").is_some() {
        (
            MarkKind::Uncertain,
            c.name("word").map(|m| m.as_str().to_owned()),
        )
    } else if c.name("interruption").is_some() {
        (MarkKind::Interruption, None)
    } else {
        let whole = c.get(0).map_or("", |m| m.as_str());
        (
            MarkKind::Nonverbal,
            Some(whole.trim_matches(['[', ']']).to_owned()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_kind_with_char_ranges() {
        let t = "Ré [laughs] it was Brockholes[?] -- no [inaudible 00:12:03] [crosstalk] [long pause] [coughs] [id1]";
        let m = find(t);
        let kinds: Vec<_> = m.iter().map(|m| m.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                MarkKind::Laughter,
                MarkKind::Uncertain,
                MarkKind::Interruption,
                MarkKind::Inaudible,
                MarkKind::Crosstalk,
                MarkKind::Pause,
                MarkKind::Nonverbal
            ]
        );
        assert_eq!((m[0].start, m[0].end), (3, 11));
        assert_eq!(m[1].value.as_deref(), Some("Brockholes"));
        assert_eq!(m[3].value.as_deref(), Some("00:12:03"));
        let chars: Vec<char> = t.chars().collect();
        let s: String = chars[m[3].start..m[3].end].iter().collect();
        assert_eq!(s, "[inaudible 00:12:03]");
    }

    /// Without `[?]` in the text the shorter search finds the same marks.
    #[test]
    fn both_searches_agree_without_an_uncertain_word() {
        let t = "Ré [laughs] it was -- no [inaudible 00:12:03] well-known [crosstalk] [long pause] [coughs] [id1] a--b [Laughing] [unclear, 1:02 wind]";
        let all: Vec<(usize, usize)> = MARKS.find_iter(t).map(|m| (m.start(), m.end())).collect();
        let short: Vec<(usize, usize)> = MARKS_NO_UNCERTAIN
            .find_iter(t)
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(all, short);
        // find() reads the same kinds and values as the groups of a full search.
        for text in [
            t,
            "a [laughs] b [Laughter] c [laugh] d [laughs loudly] e Brock[?] f--g",
        ] {
            let reference: Vec<(MarkKind, Option<String>, usize)> = MARKS
                .captures_iter(text)
                .map(|c| {
                    let (k, v) = kind_of(&c);
                    (k, v, c.get(0).map_or(0, |m| m.start()))
                })
                .collect();
            let ix = CharIndex::new(text);
            let got: Vec<(MarkKind, Option<String>, usize)> = find(text)
                .into_iter()
                .map(|m| (m.kind, m.value, ix.byte(m.start).unwrap_or(usize::MAX)))
                .collect();
            assert_eq!(got, reference, "{text}");
        }
        assert!(
            find("it was Brockholes[?] then")
                .iter()
                .any(|m| m.kind == MarkKind::Uncertain)
        );
    }
}
