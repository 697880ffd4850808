//! Text that is in the file but not said in the interview: an introduction
//! or consent paragraph before the first label, headings, `Observer:` and
//! `Note taker:` lines, stage directions. Every word has a place: such text
//! becomes a non-speech turn (searchable, visible, never in a story) instead
//! of belonging to no turn or, worse, to a speaker.

use crate::parsed::ParsedTurn;

/// Label words of lines that annotate the interview rather than speak in it.
const ANNOTATION_LABELS: &[&str] = &[
    "observer",
    "observers",
    "note taker",
    "note-taker",
    "notetaker",
    "notes",
    "note",
    "field note",
    "field notes",
    "transcriber",
    "transcriber note",
    "transcriber's note",
    "transcriber’s note",
    "transcriber's notes",
    "editor's note",
    "editor’s note",
    "annotation",
    "stage direction",
    "context",
    "comment",
];

/// The label of a `Label: …` line when it is an annotation (`Observer:`,
/// `Note taker 2:`, `**Observer:**`), else `None`.
pub fn annotation_label(text: &str) -> Option<&str> {
    let t = text.trim_start().trim_start_matches("**");
    let (label, _) = t.split_once(':')?;
    let label = label.trim().trim_end_matches("**").trim();
    if label.is_empty() || label.chars().count() > 24 {
        return None;
    }
    // `Observer 2`, `Note taker (AB)`: the words before a number or bracket.
    let words: String = label
        .split(|c: char| c.is_ascii_digit() || c == '(')
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    ANNOTATION_LABELS.contains(&words.as_str()).then_some(label)
}

/// Is this line written about the interview rather than said in it: an
/// annotation line, a Markdown heading, or a stage direction wholly in
/// brackets (`[Break in recording]`, `(Interview resumes)`)?
pub fn is_non_speech_line(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    if annotation_label(t).is_some() || is_meeting_notice(t) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('#') {
        let rest = rest.trim_start_matches('#');
        return rest.starts_with(' ') || rest.is_empty();
    }
    let wrapped = |open: char, close: char| {
        t.starts_with(open)
            && t.ends_with(close)
            && t.chars().count() > 2
            && t[1..t.len() - close.len_utf8()]
                .chars()
                .all(|c| c != open && c != close)
    };
    wrapped('[', ']') || wrapped('(', ')')
}

/// What a meeting tool writes into its transcript about the meeting, not
/// said in it: "Ann Baxter started transcription", "… stopped recording".
fn is_meeting_notice(t: &str) -> bool {
    const NOTICES: &[&str] = &[
        " started transcription",
        " stopped transcription",
        " started recording",
        " stopped recording",
        " joined the meeting",
        " left the meeting",
    ];
    // Short lines only: a paragraph of speech is never lower-cased whole.
    if t.split_whitespace().nth(8).is_some() {
        return false;
    }
    let lower = t.to_lowercase();
    NOTICES.iter().any(|n| lower.ends_with(n))
}

/// Turns of the non-speech speaker `speaker` for every paragraph of text
/// outside the given speaker turns (labels excepted), merged in start order.
pub fn fill_gaps(
    ix: &crate::text::CharIndex,
    turns: Vec<ParsedTurn>,
    speaker: usize,
) -> Vec<ParsedTurn> {
    let mut out = Vec::with_capacity(turns.len() + 4);
    let mut cursor = 0usize; // chars
    let push_gap = |from: usize, to: usize, out: &mut Vec<ParsedTurn>| {
        if to <= from {
            return;
        }
        let Some(gap) = ix.slice(from, to) else {
            return;
        };
        let mut para_start: Option<usize> = None;
        let mut para_end = 0usize;
        let mut at = from;
        for line in gap.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let len = line.chars().count();
            if body.trim().is_empty() {
                if let Some(s) = para_start.take() {
                    out.push(non_speech_turn(speaker, s, para_end));
                }
            } else {
                let lead = body.chars().take_while(|c| c.is_whitespace()).count();
                let end = at + body.trim_end().chars().count();
                para_start.get_or_insert(at + lead);
                para_end = end;
            }
            at += len;
        }
        if let Some(s) = para_start {
            out.push(non_speech_turn(speaker, s, para_end));
        }
    };
    for t in turns {
        let gap_end = t.label_start.unwrap_or(t.start).min(t.start);
        push_gap(cursor, gap_end, &mut out);
        cursor = cursor.max(t.end);
        out.push(t);
    }
    push_gap(cursor, ix.len_chars(), &mut out);
    out.sort_by_key(|t| t.start);
    out
}

fn non_speech_turn(speaker: usize, start: usize, end: usize) -> ParsedTurn {
    ParsedTurn {
        speaker,
        label_start: None,
        start,
        end,
        start_ms: None,
        end_ms: None,
        cues: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_lines_headings_and_stage_directions() {
        for yes in [
            "Observer: she looks at the photo",
            "**Observer:** pause",
            "Note taker 2: phone rings",
            "Notes: recorder moved",
            "## Part two",
            "[Break in recording]",
            "(Interview resumes)",
        ] {
            assert!(is_non_speech_line(yes), "{yes}");
        }
        for no in [
            "Ana: I went there.",
            "I said [laughs] no.",
            "[id1] hello",
            "#hashtag was trending",
            "Note that I never went.",
            "",
        ] {
            assert!(!is_non_speech_line(no), "{no}");
        }
    }

    #[test]
    fn gaps_become_one_turn_per_paragraph_and_labels_stay_out() {
        let text = "Consent read.\nAgreed.\n\nAna: Hi.\n\nThe end";
        let speech = ParsedTurn {
            speaker: 0,
            label_start: Some(23),
            start: 28,
            end: 31,
            start_ms: None,
            end_ms: None,
            cues: vec![],
        };
        let t = fill_gaps(&crate::text::CharIndex::new(text), vec![speech], 1);
        let s = |t: &ParsedTurn| {
            text.chars()
                .skip(t.start)
                .take(t.end - t.start)
                .collect::<String>()
        };
        assert_eq!(t.len(), 3);
        assert_eq!(s(&t[0]), "Consent read.\nAgreed.");
        assert_eq!((t[0].speaker, s(&t[1]).as_str()), (1, "Hi."));
        assert_eq!(s(&t[2]), "The end");
    }
}
