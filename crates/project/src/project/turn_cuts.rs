//! The row work behind turn corrections, on plain turn rows: split a turn,
//! merge two, cut turns where a range or a paragraph starts and ends. Pure,
//! so the one transaction that applies a correction only reads and writes.

use crate::error::{Error, Result};
use crate::import::parsed::CueTime;
use crate::store::TurnRow;
use crate::text::CharIndex;

fn cues_of(row: &TurnRow) -> Vec<CueTime> {
    let parsed: Vec<CueTime> = row
        .cues
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default();
    if !parsed.is_empty() {
        return parsed;
    }
    row.start_ms
        .map(|s| CueTime {
            at: row.start as usize,
            start_ms: s as u64,
            end_ms: row.end_ms.map(|e| e as u64),
        })
        .into_iter()
        .collect()
}

fn cues_json(cues: &[CueTime]) -> Option<String> {
    (cues.len() > 1)
        .then(|| serde_json::to_string(cues).ok())
        .flatten()
}

/// Two turns from one, at a char offset strictly inside its words.
pub(super) fn split_row(row: &TurnRow, at: usize, ix: &CharIndex) -> Result<(TurnRow, TurnRow)> {
    let (start, end) = (row.start as usize, row.end as usize);
    let inside = |a: usize, b: usize| ix.slice(a, b).unwrap_or("");
    let first_end = start + inside(start, at.min(end)).trim_end().chars().count();
    let rest = inside(at.max(start), end);
    let second_start = at + (rest.chars().count() - rest.trim_start().chars().count());
    if at <= start || at >= end || first_end <= start || second_start >= end {
        return Err(Error::Invalid(format!(
            "split at {at} leaves no words on one side: turn #{} runs from {start} to {end}",
            row.seq
        )));
    }
    let cues = cues_of(row);
    let (before, after): (Vec<CueTime>, Vec<CueTime>) =
        cues.into_iter().partition(|c| c.at < second_start);
    let mut first = row.clone();
    first.end = first_end as i64;
    first.cues = cues_json(&before);
    first.end_ms = before
        .last()
        .and_then(|c| c.end_ms)
        .map(|e| e as i64)
        .or(row.end_ms.filter(|_| after.is_empty()));
    let second = TurnRow {
        id: 0,
        seq: row.seq + 1,
        speaker_id: row.speaker_id,
        label_start: None,
        start: second_start as i64,
        end: row.end,
        start_ms: after.first().map(|c| c.start_ms as i64),
        end_ms: after.last().and_then(|c| c.end_ms).map(|e| e as i64),
        cues: cues_json(&after),
    };
    if after.is_empty() {
        first.end_ms = row.end_ms;
    }
    Ok((first, second))
}

/// The previous turn takes in the next one; each keeps its times as parts.
pub(super) fn merge_into(prev: &mut TurnRow, next: &TurnRow) -> Result<()> {
    let mut cues = cues_of(prev);
    cues.extend(cues_of(next));
    prev.end = prev.end.max(next.end);
    prev.start_ms = prev.start_ms.or(next.start_ms);
    prev.end_ms = next.end_ms.or(prev.end_ms);
    prev.cues = cues_json(&cues);
    Ok(())
}

/// Cuts the turn that holds `at` in two there, when both sides keep words;
/// an offset at a turn's edge, between turns or in its spaces cuts nothing.
pub(super) fn cut_at(rows: &mut Vec<TurnRow>, at: usize, ix: &CharIndex) {
    let Some(i) = rows
        .iter()
        .position(|r| (r.start as usize) < at && at < r.end as usize)
    else {
        return;
    };
    if let Ok((first, second)) = split_row(&rows[i], at, ix) {
        rows[i] = first;
        rows.insert(i + 1, second);
    }
}

/// `start..end` without the spaces and line breaks at either end.
pub(super) fn trimmed(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let end = end.min(chars.len());
    let mut s = start.min(end);
    let mut e = end;
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

/// The paragraphs (runs between line breaks) that `start..end` touches;
/// an empty or blank range names the paragraph it sits in.
pub(super) fn paragraphs(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let (s, e) = match trimmed(chars, start, end) {
        (s, e) if s < e => (s, e),
        _ => {
            let at = start.min(chars.len());
            (at, at)
        }
    };
    let from = chars[..s]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |p| p + 1);
    let to = chars[e..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |p| e + p);
    trimmed(chars, from, to)
}

/// The line breaks strictly inside a turn: where its paragraphs part.
pub(super) fn line_breaks(chars: &[char], row: &TurnRow) -> Vec<usize> {
    let (start, end) = (row.start as usize, (row.end as usize).min(chars.len()));
    (start.min(end)..end)
        .filter(|&i| chars[i] == '\n')
        .collect()
}

/// The rows that hold any of `start..end`.
pub(super) fn overlapping(rows: &[TurnRow], start: usize, end: usize) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| (r.start as usize) < end && start < r.end as usize)
        .map(|(i, _)| i)
        .collect()
}

/// Refuses a range that no turn holds, naming it.
pub(super) fn need_turns(found: &[usize], start: usize, end: usize, doc: &str) -> Result<()> {
    if found.is_empty() {
        return Err(Error::Invalid(format!(
            "no turn of {doc} holds chars {start} to {end}: choose words inside a turn"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, start: i64, end: i64) -> TurnRow {
        TurnRow {
            id: seq + 1,
            seq,
            speaker_id: 1,
            label_start: None,
            start,
            end,
            start_ms: None,
            end_ms: None,
            cues: None,
        }
    }

    #[test]
    fn paragraphs_grow_a_range_to_whole_lines() {
        let text: Vec<char> = "One two.\nThree four.\n\nFive.".chars().collect();
        // "four" alone names the second line.
        assert_eq!(paragraphs(&text, 15, 19), (9, 20));
        // A cursor in "Five" names the last line; one on the blank line names nothing but itself.
        assert_eq!(paragraphs(&text, 23, 23), (22, 27));
        // Across two lines: both.
        assert_eq!(paragraphs(&text, 4, 12), (0, 20));
    }

    #[test]
    fn cutting_keeps_words_on_both_sides_or_does_nothing() {
        let s = "Ünï one. Two three.";
        let ix = CharIndex::new(s);
        let mut rows = vec![row(0, 0, 19)];
        cut_at(&mut rows, 0, &ix);
        cut_at(&mut rows, 19, &ix);
        assert_eq!(rows.len(), 1);
        cut_at(&mut rows, 8, &ix);
        assert_eq!(
            rows.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>(),
            [(0, 8), (9, 19)]
        );
        assert_eq!(overlapping(&rows, 7, 10), [0, 1]);
        assert_eq!(overlapping(&rows, 9, 10), [1]);
        let chars: Vec<char> = "a\nb\nc".chars().collect();
        assert_eq!(line_breaks(&chars, &row(0, 0, 5)), [1, 3]);
    }
}
