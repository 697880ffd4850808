//! Transcription marks (`[inaudible 00:12:03]`, `[crosstalk]`, `[laughs]`,
//! `[pause]`, `word[?]`, `--`): kept in the text, recorded with their ranges
//! so the reader can show them and stories can respect them.

use crate::model::{Mark, MarkKind};
use crate::text::CharIndex;
use regex::Regex;
use std::sync::LazyLock;

static MARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<inaudible>\[(?i:inaudible|unclear|indistinct)(?:[ :,]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?[^\]\n]{0,20}\])",
        r"|(?P<crosstalk>\[(?i:crosstalk|cross-talk|overlapping)[^\]\n]{0,20}\])",
        r"|(?P<laughter>\[(?i:laughs?|laughing|laughter|chuckles?)[^\]\n]{0,20}\])",
        r"|(?P<pause>\[(?i:(?:long |short )?pause[sd]?)[^\]\n]{0,20}\])",
        r"|(?P<uncertain>(?P<word>[\p{L}\p{N}'’\-]+)\[\?\])",
        r"|(?P<interruption>--)",
        r"|(?P<nonverbal>\[[a-z][a-z ]{1,30}\])",
    ))
    .expect("valid regex")
});

/// Finds every mark in a text, in order.
pub fn find(text: &str) -> Vec<Mark> {
    if !text.contains('[') && !text.contains("--") {
        return Vec::new();
    }
    let ix = CharIndex::new(text);
    MARKS
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let (kind, value) = if c.name("inaudible").is_some() {
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
                let inner = whole.as_str().trim_matches(['[', ']']).to_owned();
                (MarkKind::Nonverbal, Some(inner))
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
}
