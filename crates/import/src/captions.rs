//! What VTT and SRT have in common: timed cues, each possibly naming its
//! speaker, and the clock format.

use crate::error::ImportError;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One caption cue (or one voice span of a cue).
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub speaker: Option<String>,
    pub text: String,
    pub start_ms: u64,
    pub end_ms: u64,
}

/// Parses `hh:mm:ss.mmm`, `mm:ss.mmm` or `hh:mm:ss,mmm` into milliseconds.
pub fn parse_clock(s: &str) -> Option<u64> {
    let s = s.trim();
    let (hms, frac) = match s.rfind(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, "0"),
    };
    if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: u64 = format!("{frac:0<3}").parse().ok()?;
    let parts: Vec<&str> = hms.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (h, m, sec) = match nums.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if m >= 60 || sec >= 60 {
        return None;
    }
    Some(((h * 60 + m) * 60 + sec) * 1000 + millis)
}

/// Parses a timing line `start --> end [settings]`, naming the line on error.
/// The blocks of a caption file: runs of non-blank lines, each with the
/// index of its first line, from line `from` on. SRT and WebVTT both put one
/// cue (or note) in each block.
pub fn blocks<'a>(
    lines: &'a [&'a str],
    from: usize,
) -> impl Iterator<Item = (usize, &'a [&'a str])> {
    let mut i = from;
    std::iter::from_fn(move || {
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if i >= lines.len() {
            return None;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        Some((start, &lines[start..i]))
    })
}

pub fn parse_timing(line: &str, line_no: usize) -> Result<(u64, u64), ImportError> {
    let bad = |reason: String| ImportError::Caption {
        line: line_no,
        reason,
    };
    let (a, rest) = line.split_once("-->").ok_or_else(|| {
        bad(format!(
            "expected a cue time 'start --> end', found '{line}'"
        ))
    })?;
    let b = rest.split_whitespace().next().unwrap_or("");
    let start =
        parse_clock(a).ok_or_else(|| bad(format!("invalid cue start time '{}'", a.trim())))?;
    let end = parse_clock(b).ok_or_else(|| bad(format!("invalid cue end time '{b}'")))?;
    if end < start {
        return Err(bad(format!(
            "cue ends ({}) before it starts ({})",
            b,
            a.trim()
        )));
    }
    Ok((start, end))
}

static SPEAKER_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    storyloom_text::pattern::compiled(
        r"^(?:\[(?P<tag>[A-Za-z_]+[ _]?\d+)\]|(?P<name>[\p{Lu}][\p{L}\p{M}'’.\-]*(?: [\p{Lu}\d][\p{L}\p{M}'’.\-\d]*){0,3}))\s*:\s+",
    )
});

/// Moves `Name: ` or `[SPEAKER_01]: ` prefixes of cue text into the cue's
/// speaker. A prefix counts only when that label starts two or more cues, so
/// "Well: ..." in someone's speech is not mistaken for a speaker.
pub fn take_speaker_prefixes(cues: &mut [Cue]) {
    let mut found: Vec<Option<(String, usize)>> = Vec::with_capacity(cues.len());
    let mut counts: HashMap<String, usize> = HashMap::new();
    for cue in cues.iter() {
        let hit = if cue.speaker.is_none() {
            SPEAKER_PREFIX.captures(&cue.text).map(|c| {
                let label = c
                    .name("tag")
                    .or_else(|| c.name("name"))
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default();
                (label, c.get(0).map_or(0, |m| m.end()))
            })
        } else {
            None
        };
        if let Some((label, _)) = &hit {
            *counts.entry(label.clone()).or_default() += 1;
        }
        found.push(hit);
    }
    for (cue, hit) in cues.iter_mut().zip(found) {
        if let Some((label, end)) = hit
            && counts.get(&label).copied().unwrap_or(0) >= 2
        {
            cue.text = cue.text[end..].to_owned();
            cue.speaker = Some(label);
        }
    }
}

static TAG: LazyLock<Regex> = LazyLock::new(|| storyloom_text::pattern::compiled(r"<[^>]*>"));

/// Removes inline markup (`<i>`, `<c.x>`, `<00:00:01.000>`) and decodes the
/// entities subtitle files use.
pub fn strip_markup(s: &str) -> String {
    let s = if s.contains('<') {
        TAG.replace_all(s, "").into_owned()
    } else {
        s.to_owned()
    };
    if !s.contains('&') {
        return s;
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clocks() {
        assert_eq!(parse_clock("00:00:01.200"), Some(1200));
        assert_eq!(parse_clock("01:02.5"), Some(62_500));
        assert_eq!(parse_clock("1:00:00,001"), Some(3_600_001));
        assert_eq!(parse_clock("00:61:00.000"), None);
        assert_eq!(parse_clock("00:0x:00.000"), None);
        assert!(parse_timing("00:00:05.000 --> 00:00:01.000", 7).is_err());
        let e = parse_timing("00:00:aa.000 --> 00:00:01.000", 7).unwrap_err();
        assert!(e.to_string().contains("line 7"), "{e}");
    }

    #[test]
    fn takes_recurring_prefixes_only() {
        let cue = |t: &str| Cue {
            speaker: None,
            text: t.into(),
            start_ms: 0,
            end_ms: 1,
        };
        let mut cues = vec![
            cue("[SPEAKER_00]: Hello."),
            cue("Gareth Evans: Hi."),
            cue("[SPEAKER_00]: How are you?"),
            cue("Gareth Evans: Well: fine."),
            cue("Honestly: no."),
        ];
        take_speaker_prefixes(&mut cues);
        assert_eq!(cues[0].speaker.as_deref(), Some("SPEAKER_00"));
        assert_eq!(cues[3].text, "Well: fine.");
        assert_eq!(cues[4].speaker, None);
        assert_eq!(cues[4].text, "Honestly: no.");
    }
}
