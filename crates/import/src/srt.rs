//! SubRip (.srt): numbered cues; speakers from `[SPEAKER_01]:` or `Name:`
//! prefixes, as diarising transcribers and Zoom write them.

use super::captions::{self, Cue};
use crate::error::ImportError;

pub fn cues(text: &str) -> Result<Vec<Cue>, ImportError> {
    let text = crate::text::normalize(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    for (block_start, block) in captions::blocks(&lines, 0) {
        let timing_at = if block[0].contains("-->") {
            0
        } else if block[0].trim().bytes().all(|b| b.is_ascii_digit()) {
            1
        } else {
            return Err(ImportError::Caption {
                line: block_start + 1,
                reason: format!("expected a cue number, found '{}'", block[0].trim()),
            });
        };
        let Some(timing) = block.get(timing_at) else {
            return Err(ImportError::Caption {
                line: block_start + 1,
                reason: "a cue number with no cue time after it".into(),
            });
        };
        let (start_ms, end_ms) = captions::parse_timing(timing, block_start + timing_at + 1)?;
        let raw = block[timing_at + 1..].join(" ");
        let text = captions::strip_markup(&raw);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push(Cue {
                speaker: None,
                text,
                start_ms,
                end_ms,
            });
        }
    }
    if out.is_empty() {
        return Err(ImportError::NoText);
    }
    captions::take_speaker_prefixes(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbered_cues_with_speakers() {
        let src = "1\r\n00:00:01,000 --> 00:00:04,500\r\n[SPEAKER_00]: Hello\r\nthere.\r\n\r\n2\r\n00:00:04,500 --> 00:00:06,000\r\n[SPEAKER_01]: Hiya.\r\n\r\n3\r\n00:00:06,000 --> 00:00:07,000\r\n[SPEAKER_00]: <i>Good.</i>\r\n";
        let c = cues(src).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].text, "Hello there.");
        assert_eq!(c[0].speaker.as_deref(), Some("SPEAKER_00"));
        assert_eq!(c[2].text, "Good.");
        assert_eq!(c[1].start_ms, 4500);
    }

    #[test]
    fn reports_a_bad_block() {
        let e = cues("1\n00:00:01,000 --> 00:00:0x,000\nHi\n").unwrap_err();
        assert!(e.to_string().starts_with("line 2:"), "{e}");
        let e = cues("hello\nworld\n").unwrap_err();
        assert!(e.to_string().contains("cue number"), "{e}");
    }
}
