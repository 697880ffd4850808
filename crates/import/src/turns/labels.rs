//! Speaker-label conventions. Each recogniser looks at one line and says
//! whether it opens a turn, for whom, and where the speech starts.

use crate::parsed::Line;
use regex::Regex;
use std::sync::LazyLock;

/// The conventions DESIGN §3 lists, from the most to the least specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Convention {
    /// Caption cues pasted into a text file: `00:01:14.000 --> 00:01:20.000`, then the words.
    TimedCues,
    /// Zoom's web-view copy: a name line, an `HH:MM:SS` line, then the words.
    ZoomWeb,
    /// A bold `Name:` run at the start of a docx/odt paragraph.
    BoldLabel,
    /// Markdown `**Name:**` or `**Name**:`.
    MarkdownBold,
    /// MAXQDA-style `00:03:40 Name: text`.
    Timestamped,
    /// Otter.ai `Name  0:49`, Teams `Name   0:03`, Zoom `[Name] 00:01:23`:
    /// a line alone, speech on the next lines.
    Otter,
    /// A key block `MD - Michelle Drumm`, then turns opening with bare initials.
    Initials,
    /// `Name: text`, including `Q:`/`A:`, `I:`/`R:`, `P1:`, `Researcher 1:`.
    Colon,
    /// `[id1] text`.
    Bracket,
    /// No labels: interviewer paragraphs all bold, participant paragraphs plain.
    BoldParagraphs,
}

impl Convention {
    pub fn describe(self) -> &'static str {
        match self {
            Convention::TimedCues => "timed caption cues",
            Convention::ZoomWeb => "Zoom 'Name' + 'HH:MM:SS' lines",
            Convention::BoldLabel => "bold 'Name:' labels",
            Convention::MarkdownBold => "'**Name:**' labels",
            Convention::Timestamped => "'00:03:40 Name:' timestamped labels",
            Convention::Otter => "'Name  0:49' lines (Otter, Teams)",
            Convention::Initials => "initials after a key block",
            Convention::Colon => "'Name:' labels",
            Convention::Bracket => "'[Name]' labels",
            Convention::BoldParagraphs => "bold interviewer paragraphs (no labels)",
        }
    }
}

/// A line that opens a turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub label: String,
    /// Byte offset in the line where the label starts.
    pub label_start: usize,
    /// Byte offset in the line where the speech starts; `None` when the speech
    /// starts on the next line (Otter).
    pub speech_start: Option<usize>,
    pub start_ms: Option<u64>,
}

/// Words allowed lower-case inside a name ("Ana de Souza").
const PARTICLES: &[&str] = &[
    "de", "da", "van", "von", "der", "al", "bin", "la", "le", "di",
];

/// Is this a plausible speaker name: 1–4 words, each capitalised (or a number
/// or a particle), starting with a letter, not a date or a clock?
pub fn plausible_name(label: &str) -> bool {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 40 {
        return false;
    }
    let first = label.chars().next().unwrap_or(' ');
    if !(first.is_alphabetic() || first == '[') {
        return false;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.len() > 4 {
        return false;
    }
    let digits = label.chars().filter(|c| c.is_ascii_digit()).count();
    if digits * 3 > label.chars().count() {
        return false;
    }
    if words.len() == 1 {
        // "admin-1", "Q", "P1", "SPEAKER_01"
        return true;
    }
    words.iter().enumerate().all(|(i, w)| {
        let c = w.chars().next().unwrap_or(' ');
        i == 0 || c.is_uppercase() || c.is_ascii_digit() || c == '(' || PARTICLES.contains(w)
    })
}

static MD_BOLD: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(r"^(\s*)\*\*([^*\n]{1,40}?)(?::\*\*|\*\*\s*:)[ \t]*")
});
static TIMESTAMPED: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(
        r"^(\s*)[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?[ \t]+([^:\n]{1,40}?)[ \t]*:[ \t]*",
    )
});
static OTTER: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(
        r"^(\s*)(?:\[([^\]\n]{1,40})\]|([^\s\d\[][^\t\n]{0,40}?))([ \t]+)(\d{1,2}:\d{2}(?::\d{2})?)\s*$",
    )
});
static COLON: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(r"^(\s*)([^:\n]{1,40}?)[ \t]*:(?:[ \t]+|$)")
});
static BRACKET: LazyLock<Regex> =
    LazyLock::new(|| storyloom_text::pattern::compiled(r"^(\s*)\[(\w{1,20})\][ \t]+"));
static KEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(
        r"^\s*([A-Z]{1,4}|\p{Lu}\p{Ll}[\p{L}'’-]{0,20})\s+[-–—]\s+(\S.{0,60}?)\s*$",
    )
});
static KEY_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(r"^(\s*)(\p{Lu}[\p{L}'’-]{0,20})(?:[ \t]*:[ \t]*|[ \t]+)\S")
});

/// Parses `m:ss`, `mm:ss` or `h:mm:ss` (with optional fraction) into ms.
pub fn clock_ms(s: &str) -> Option<u64> {
    crate::captions::parse_clock(s)
}

pub fn bold_label(line: &Line) -> Option<Hit> {
    if line.bold_prefix_chars == 0 {
        return None;
    }
    let bold_end = line
        .text
        .char_indices()
        .nth(line.bold_prefix_chars)
        .map_or(line.text.len(), |(b, _)| b);
    // `Doreen:` all bold, or `Doreen` bold then `:` plain.
    let colon = line.text.find(':')?;
    if colon > bold_end && !line.text[bold_end..colon].trim().is_empty() {
        return None;
    }
    let label = line.text[..colon].trim();
    if !plausible_name(label) {
        return None;
    }
    let rest = &line.text[colon + 1..];
    Some(Hit {
        label: label.to_owned(),
        label_start: line.text.len() - line.text.trim_start().len(),
        speech_start: Some(colon + 1 + (rest.len() - rest.trim_start().len())),
        start_ms: None,
    })
}

pub fn markdown_bold(text: &str) -> Option<Hit> {
    let c = MD_BOLD.captures(text)?;
    let label = c.get(2)?.as_str().trim();
    plausible_name(label).then(|| Hit {
        label: label.to_owned(),
        label_start: c.get(1).map_or(0, |m| m.end()),
        speech_start: Some(c.get(0).map_or(0, |m| m.end())),
        start_ms: None,
    })
}

pub fn timestamped(text: &str) -> Option<Hit> {
    let c = TIMESTAMPED.captures(text)?;
    let label = c.get(3)?.as_str().trim();
    let start_ms = clock_ms(c.get(2)?.as_str());
    plausible_name(label).then(|| Hit {
        label: label.to_owned(),
        label_start: c.get(1).map_or(0, |m| m.end()),
        speech_start: Some(c.get(0).map_or(0, |m| m.end())),
        start_ms,
    })
}

/// Otter `Name  0:49`, Teams `Name   0:03` and Zoom `[Name] 00:01:23`: a
/// name and a clock alone on a line, the speech on the next. One space
/// before the clock is enough only after a full name ("Ann Baxter 0:03"), so
/// "Chapter 3:15" is not a speaker.
pub fn otter(text: &str) -> Option<Hit> {
    let c = OTTER.captures(text)?;
    let bracketed = c.get(2).is_some();
    let label = c.get(2).or_else(|| c.get(3))?.as_str().trim();
    let sep = c.get(4)?.as_str();
    if !bracketed && sep == " " && label.split_whitespace().count() < 2 {
        return None;
    }
    let start_ms = clock_ms(c.get(5)?.as_str());
    plausible_name(label).then(|| Hit {
        label: label.to_owned(),
        label_start: c.get(1).map_or(0, |m| m.end()),
        speech_start: None,
        start_ms,
    })
}

pub fn colon(text: &str) -> Option<Hit> {
    let c = COLON.captures(text)?;
    let label = c.get(2)?.as_str().trim();
    plausible_name(label).then(|| Hit {
        label: label.to_owned(),
        label_start: c.get(1).map_or(0, |m| m.end()),
        speech_start: Some(c.get(0).map_or(0, |m| m.end())),
        start_ms: None,
    })
}

pub fn bracket(text: &str) -> Option<Hit> {
    let c = BRACKET.captures(text)?;
    let label = c.get(2)?.as_str();
    // `[laughs]`, `[pause]`: lower-case words without digits are marks, not speakers.
    if label.chars().all(|ch| ch.is_lowercase()) {
        return None;
    }
    Some(Hit {
        label: c.get(2)?.as_str().to_owned(),
        label_start: c.get(1).map_or(0, |m| m.end()),
        speech_start: Some(c.get(0).map_or(0, |m| m.end())),
        start_ms: None,
    })
}

/// A key block entry: `MD - Michelle Drumm` → ("MD", "Michelle Drumm"), or
/// a first name that is the name's first word: `Ann - Ann Baxter` → ("Ann", "Ann Baxter").
pub fn key_line(text: &str) -> Option<(String, String)> {
    let c = KEY_LINE.captures(text)?;
    let name = c.get(2)?.as_str().trim();
    let key = c.get(1)?.as_str().to_owned();
    let initials = key.chars().all(|c| c.is_ascii_uppercase());
    let first_name = name.split_whitespace().next() == Some(key.as_str()) && name.contains(' ');
    (plausible_name(name) && (initials || first_name)).then(|| (key, name.to_owned()))
}

/// A key word opening a line, with or without a colon: `MD On 22 April…` →
/// ("MD", byte 0, speech at 3); `Ann: Hello` → ("Ann", 0, 5).
pub fn key_opening(text: &str) -> Option<(String, usize, usize)> {
    let c = KEY_OPENING.captures(text)?;
    let m = c.get(2)?;
    let whole = c.get(0)?;
    // The match ends on the speech's first char; step back to it.
    let speech = whole.end() - text[..whole.end()].chars().next_back()?.len_utf8();
    Some((m.as_str().to_owned(), m.start(), speech))
}

/// Words that look like labels but never name a speaker: contractions
/// (`I'm:`, `That's:`), and editing or interface words (`Edit:`, `Note:`).
pub fn not_a_speaker(label: &str) -> bool {
    let l = label.trim();
    let lower = l.to_lowercase();
    if matches!(
        lower.as_str(),
        "edit"
            | "edited"
            | "note"
            | "notes"
            | "copy"
            | "share"
            | "reply"
            | "delete"
            | "user avatar"
    ) {
        return true;
    }
    // `I'm`, `It’s`, `Don't`: an apostrophe followed by a short lower-case ending.
    l.split_whitespace().any(|w| {
        w.split_once(['\'', '’']).is_some_and(|(_, tail)| {
            !tail.is_empty() && tail.len() <= 2 && tail.chars().all(|c| c.is_lowercase())
        })
    })
}

/// Capital letters of a name's words and hyphenated parts: "Dr Anna Jack-Waugh" → "DAJW".
pub fn name_capitals(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_non_names() {
        for ok in [
            "Researcher 1",
            "Q",
            "Ana",
            "Dr Anna Jack-Waugh",
            "admin-1",
            "SPEAKER_01",
            "Ana de Souza",
        ] {
            assert!(plausible_name(ok), "{ok}");
        }
        for bad in [
            "12-May-2023 - 10",
            "so I said",
            "and then what happened next was",
            "",
            "10",
        ] {
            assert!(!plausible_name(bad), "{bad}");
        }
    }

    #[test]
    fn recognises_each_convention() {
        assert_eq!(
            colon("Researcher 1: Perfect.").unwrap().label,
            "Researcher 1"
        );
        assert!(colon("12-May-2023 - 10:36 - 1h09m31s – Ana").is_none());
        assert!(colon("https://example.org").is_none());
        let h = markdown_bold("**Michael**: Hello").unwrap();
        assert_eq!((h.label.as_str(), h.speech_start), ("Michael", Some(13)));
        assert_eq!(
            markdown_bold("**Michelle:**\tHello").unwrap().label,
            "Michelle"
        );
        let t = timestamped("00:03:40 Grace Adeyemi: Good.").unwrap();
        assert_eq!(
            (t.label.as_str(), t.start_ms),
            ("Grace Adeyemi", Some(220_000))
        );
        let o = otter("Bernie Kowalski  1:02:15").unwrap();
        assert_eq!(
            (o.label.as_str(), o.start_ms, o.speech_start),
            ("Bernie Kowalski", Some(3_735_000), None)
        );
        assert!(otter("It was 1960  or so").is_none());
        assert_eq!(bracket("[id1] hello").unwrap().label, "id1");
        assert!(bracket("[laughs] No!").is_none());
        assert_eq!(
            key_line("AJ - Dr Anna Jack-Waugh  "),
            Some(("AJ".into(), "Dr Anna Jack-Waugh".into()))
        );
        assert_eq!(key_opening("MD On 22 April"), Some(("MD".into(), 0, 3)));
        assert_eq!(key_opening("Ann: Hello"), Some(("Ann".into(), 0, 5)));
        assert_eq!(
            key_line("Ann - Ann Baxter"),
            Some(("Ann".into(), "Ann Baxter".into()))
        );
        assert_eq!(key_line("Yes - Absolutely Right"), None);
        for no in ["I'm", "It’s", "Edit", "Note"] {
            assert!(not_a_speaker(no), "{no}");
        }
        for yes in ["O'Brien", "Ana", "Researcher 1"] {
            assert!(!not_a_speaker(yes), "{yes}");
        }
        assert_eq!(name_capitals("Dr Anna Jack-Waugh"), "DAJW");
        let l = Line {
            text: "Doreen: Well, I".into(),
            bold_prefix_chars: 7,
            all_bold: false,
        };
        let b = bold_label(&l).unwrap();
        assert_eq!((b.label.as_str(), b.speech_start), ("Doreen", Some(8)));
        let l = Line {
            text: "Interviewer : So".into(),
            bold_prefix_chars: 11,
            all_bold: false,
        };
        assert_eq!(bold_label(&l).unwrap().speech_start, Some(14));
    }
}
