//! Positions as another tool counted them, mapped to Storyloom's chars.
//!
//! REFI-QDA says positions are Unicode code points of the plain-text file.
//! Tools differ: NVivo counts UTF-16 code units (an emoji is two, CRLF is
//! two), ATLAS.ti counts CRLF as one character. Storyloom stores the text
//! normalised (CRLF and CR to `\n`, then NFC), so every position is mapped
//! through the same normalisation the importer applies.

use serde::Serialize;
use storyloom_text::text::CharIndex;
use unicode_normalization::UnicodeNormalization;

/// How a producer counted positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Units {
    /// Unicode code points of the file's text, as the standard says.
    CodePoints,
    /// Code points, with CRLF counted as one (ATLAS.ti).
    CodePointsCrlfAsOne,
    /// UTF-16 code units (NVivo): astral characters count two, CRLF two.
    Utf16,
}

impl Units {
    /// Picks the counting from the project's `origin` attribute.
    pub fn for_origin(origin: &str) -> Units {
        let o = origin.to_lowercase();
        if o.contains("nvivo") {
            Units::Utf16
        } else if o.contains("atlas") {
            Units::CodePointsCrlfAsOne
        } else {
            Units::CodePoints
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Units::CodePoints => "Unicode code points",
            Units::CodePointsCrlfAsOne => "code points with CRLF as one",
            Units::Utf16 => "UTF-16 code units (CRLF as two)",
        }
    }
}

/// A source text normalised as the importer does it, with the char offset in
/// that text of every position the producer could have written.
pub struct OffsetMap {
    pub normalized: String,
    /// `map[p]` = char offset in `normalized` of producer position `p`;
    /// empty when every position is its own char offset (the text is NFC
    /// with `\n` line endings and counted in code points, as Storyloom's own
    /// exports are), which saves four bytes a char on big imports.
    map: Vec<u32>,
    /// Chars of `normalized` (the positions the producer could write, when `map` is empty).
    chars: usize,
}

impl OffsetMap {
    pub fn new(raw: &str, units: Units) -> OffsetMap {
        let identity = !raw.contains('\r')
            && (units != Units::Utf16 || raw.chars().all(|c| c.len_utf16() == 1))
            && unicode_normalization::is_nfc(raw);
        if identity {
            return OffsetMap {
                normalized: raw.to_owned(),
                map: Vec::new(),
                chars: raw.chars().count(),
            };
        }
        let chars: Vec<char> = raw.chars().collect();
        let mut normalized = String::with_capacity(raw.len());
        let mut map: Vec<u32> = Vec::with_capacity(chars.len() + 1);
        let mut out_chars: u32 = 0;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\r' {
                let crlf = chars.get(i + 1) == Some(&'\n');
                let width = match units {
                    Units::CodePointsCrlfAsOne if crlf => 0,
                    _ => 1,
                };
                map.extend(std::iter::repeat_n(out_chars, width));
                if !crlf {
                    normalized.push('\n');
                    out_chars += 1;
                }
                i += 1;
                continue;
            }
            // A segment: this char and the non-ASCII chars after it. NFC never
            // composes across an ASCII char, so segments normalise alone.
            let mut j = i + 1;
            while j < chars.len() && !chars[j].is_ascii() {
                j += 1;
            }
            let segment: String = chars[i..j].iter().collect();
            let nfc: String = if segment.is_ascii() {
                segment.clone()
            } else {
                segment.nfc().collect()
            };
            let n_out = nfc.chars().count() as u32;
            let same = nfc == segment;
            for (k, ch) in chars[i..j].iter().enumerate() {
                let width = match units {
                    Units::Utf16 => ch.len_utf16(),
                    _ => 1,
                };
                let at = if same {
                    out_chars + k as u32
                } else {
                    out_chars + (k as u32).min(n_out)
                };
                map.extend(std::iter::repeat_n(at, width));
            }
            normalized.push_str(&nfc);
            out_chars += n_out;
            i = j;
        }
        map.push(out_chars);
        OffsetMap {
            normalized,
            map,
            chars: out_chars as usize,
        }
    }

    /// Positions the producer could write: 0 ..= this.
    pub fn len_units(&self) -> usize {
        if self.map.is_empty() {
            self.chars
        } else {
            self.map.len() - 1
        }
    }

    /// The char offset of a producer position, or `None` past the end.
    pub fn char_of(&self, position: i64) -> Option<usize> {
        let p = usize::try_from(position).ok()?;
        if self.map.is_empty() {
            return (p <= self.chars).then_some(p);
        }
        self.map.get(p).map(|c| *c as usize)
    }
}

/// Maps a selection to a char range of the parsed text.
pub(crate) fn map_range(
    map: &OffsetMap,
    ix: &CharIndex,
    start: i64,
    end: i64,
    name: &str,
) -> std::result::Result<(usize, usize), String> {
    let units = map.len_units();
    if start < 0 || end < 0 || start as u64 > units as u64 || end as u64 > units as u64 {
        return Err(format!("outside the text ({units} positions)"));
    }
    if start >= end {
        return Err("empty or reversed range".into());
    }
    let (Some(mut a), Some(mut b)) = (map.char_of(start), map.char_of(end)) else {
        return Err(format!("outside the text ({units} positions)"));
    };
    let len = ix.len_chars();
    // The importer drops trailing whitespace; a selection reaching into it ends at the text's end.
    b = b.min(len);
    a = a.min(len);
    // qc's `line:N` selections include the line's newline.
    if name.starts_with("line:") {
        while b > a && ix.slice(b - 1, b).is_some_and(|c| c == "\n" || c == "\r") {
            b -= 1;
        }
    }
    if a >= b {
        return Err("nothing left of it in the text".into());
    }
    if ix.slice(a, b).is_some_and(|s| s.trim().is_empty()) {
        return Err("it holds only whitespace".into());
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(s: &str, a: usize, b: usize) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn code_points_over_lf_text_are_identity() {
        let m = OffsetMap::new("ab\ncd", Units::CodePoints);
        assert_eq!(m.normalized, "ab\ncd");
        assert_eq!(
            (m.char_of(3), m.char_of(5), m.char_of(6)),
            (Some(3), Some(5), None)
        );
    }

    #[test]
    fn crlf_counts_as_two_or_one() {
        let raw = "ab\r\ncd\r\nef";
        let m = OffsetMap::new(raw, Units::CodePoints);
        assert_eq!(m.normalized, "ab\ncd\nef");
        // "cd" is at 4..6 in the raw text.
        assert_eq!(
            slice(&m.normalized, m.char_of(4).unwrap(), m.char_of(6).unwrap()),
            "cd"
        );
        let m = OffsetMap::new(raw, Units::CodePointsCrlfAsOne);
        // "cd" is at 3..5 when CRLF counts once.
        assert_eq!(
            slice(&m.normalized, m.char_of(3).unwrap(), m.char_of(5).unwrap()),
            "cd"
        );
        assert_eq!(m.len_units(), 8);
        let m = OffsetMap::new(raw, Units::Utf16);
        assert_eq!(
            slice(&m.normalized, m.char_of(8).unwrap(), m.char_of(10).unwrap()),
            "ef"
        );
    }

    #[test]
    fn utf16_counts_astral_characters_twice() {
        let raw = "hi 😀 there\r\nyou";
        let m = OffsetMap::new(raw, Units::Utf16);
        // UTF-16: "hi " 3, emoji 2, " " 1 → "there" at 6..11; CRLF 11..13; "you" 13..16.
        assert_eq!(
            slice(&m.normalized, m.char_of(6).unwrap(), m.char_of(11).unwrap()),
            "there"
        );
        assert_eq!(
            slice(
                &m.normalized,
                m.char_of(13).unwrap(),
                m.char_of(16).unwrap()
            ),
            "you"
        );
        assert_eq!(m.len_units(), 16);
    }

    #[test]
    fn decomposed_text_is_composed_like_the_importer_does() {
        let raw = "Zoe\u{0301} and Mabe\u{0302}l\r\n";
        let m = OffsetMap::new(raw, Units::CodePoints);
        assert_eq!(m.normalized, storyloom_text::text::normalize(raw));
        // "and" at 5..8 in the raw code points.
        assert_eq!(
            slice(&m.normalized, m.char_of(5).unwrap(), m.char_of(8).unwrap()),
            "and"
        );
        // "Mabêl" at 9..15 raw.
        assert_eq!(
            slice(&m.normalized, m.char_of(9).unwrap(), m.char_of(15).unwrap()),
            "Mabêl"
        );
    }
}
