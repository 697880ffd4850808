//! WebVTT (Zoom, Teams): cues with `<v Name>` voice tags; NOTE, STYLE and
//! REGION blocks skipped; broken times reported with their line number.

use super::captions::{self, Cue};
use crate::error::ImportError;

pub fn cues(text: &str) -> Result<Vec<Cue>, ImportError> {
    let text = crate::text::normalize(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.first().copied().unwrap_or("");
    if !(first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t")) {
        return Err(ImportError::Caption {
            line: 1,
            reason: "a WebVTT file must start with 'WEBVTT'".into(),
        });
    }
    let mut out = Vec::new();
    let mut i = 1;
    // Skip the header block.
    while i < lines.len() && !lines[i].trim().is_empty() {
        i += 1;
    }
    for (block_start, block) in captions::blocks(&lines, i) {
        let head = block[0].trim_start();
        if head == "NOTE"
            || head.starts_with("NOTE ")
            || head.starts_with("NOTE\t")
            || head == "STYLE"
            || head == "REGION"
        {
            continue;
        }
        let timing_at = if block[0].contains("-->") { 0 } else { 1 };
        let Some(timing) = block.get(timing_at) else {
            return Err(ImportError::Caption {
                line: block_start + 1,
                reason: format!("a cue id '{}' with no cue time after it", block[0]),
            });
        };
        let (start_ms, end_ms) = captions::parse_timing(timing, block_start + timing_at + 1)?;
        let payload = &block[timing_at + 1..];
        out.extend(voice_spans(payload, start_ms, end_ms));
    }
    captions::take_speaker_prefixes(&mut out);
    Ok(out)
}

/// Splits a cue payload into one cue per voice span.
fn voice_spans(payload: &[&str], start_ms: u64, end_ms: u64) -> Vec<Cue> {
    let mut spans: Vec<(Option<String>, String)> = Vec::new();
    let mut current: Option<String> = None;
    for line in payload {
        let mut rest: &str = line;
        loop {
            if let Some(pos) = rest.find("<v") {
                let after = &rest[pos + 2..];
                if after.starts_with([' ', '.', '\t'])
                    && let Some(close) = after.find('>')
                {
                    push_text(&mut spans, &current, &rest[..pos]);
                    let tag = &after[..close];
                    // `<v.loud Name>`: classes come before the first space.
                    let name = tag.split_once([' ', '\t']).map_or("", |(_, n)| n).trim();
                    current = (!name.is_empty()).then(|| name.to_owned());
                    spans.push((current.clone(), String::new()));
                    rest = &after[close + 1..];
                    continue;
                }
                push_text(&mut spans, &current, &rest[..pos + 2]);
                rest = &rest[pos + 2..];
                continue;
            }
            push_text(&mut spans, &current, rest);
            break;
        }
    }
    spans
        .into_iter()
        .filter_map(|(speaker, raw)| {
            let text = captions::strip_markup(&raw);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (!text.is_empty()).then_some(Cue {
                speaker,
                text,
                start_ms,
                end_ms,
            })
        })
        .collect()
}

fn push_text(spans: &mut Vec<(Option<String>, String)>, speaker: &Option<String>, text: &str) {
    if text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some((s, t)) if s == speaker => {
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(text);
        }
        _ => spans.push((speaker.clone(), text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_voices_notes_and_times() {
        let src = "WEBVTT\n\nNOTE\nRecorded in Teams.\n\nab/1-0\n00:00:01.200 --> 00:00:05.840\n<v Sarah Kendall>Thanks for &amp; coming.</v>\n\n00:05.840 --> 00:09.100 align:start\n<v.loud Harjit Singh Bhamra>No <i>problem</i>,\nno problem at all.</v>\n\n00:00:09.100 --> 00:00:10.000\n<v A>Hi</v> <v B>Hello</v>\n";
        let c = cues(src).unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].speaker.as_deref(), Some("Sarah Kendall"));
        assert_eq!(c[0].text, "Thanks for & coming.");
        assert_eq!(c[1].speaker.as_deref(), Some("Harjit Singh Bhamra"));
        assert_eq!(c[1].text, "No problem, no problem at all.");
        assert_eq!((c[1].start_ms, c[1].end_ms), (5840, 9100));
        assert_eq!(c[3].speaker.as_deref(), Some("B"));
    }

    #[test]
    fn reports_broken_times_with_line() {
        let e = cues("WEBVTT\n\n1\n00:00:01.000 --> 00:00:xx.000\nHi\n").unwrap_err();
        assert_eq!(e.to_string(), "line 4: invalid cue end time '00:00:xx.000'");
        assert!(cues("not a vtt").is_err());
    }
}
