//! Rules 1 to 3 and 7 on one excerpt: the rendered words reversed to the
//! transcript and compared with it, cuts and edits checked against the rules.

use super::*;

/// Is a char range inside some turn's content? (Labels and headers are not speech.)
fn in_speech(doc: &SourceDoc, start: usize, end: usize) -> bool {
    let i = doc.turns.partition_point(|t| t.end < end);
    doc.turns
        .get(i)
        .is_some_and(|t| t.start <= start && end <= t.end)
}

/// The spoken words of a source range, with their char ranges.
fn speech_tokens(doc: &SourceDoc, start: usize, end: usize) -> Vec<(String, usize, usize)> {
    tokens(doc.slice(start, end), start)
        .into_iter()
        .filter(|t| in_speech(doc, t.start, t.end))
        .map(|t| (t.text.to_owned(), t.start, t.end))
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn check_excerpt(
    story: &Story,
    bi: usize,
    pieces: &[crate::model::Piece],
    para: &Paragraph,
    ranges: &[(usize, usize)],
    sources: &Sources,
    rules: &StoryRules,
    out: &mut Out,
) {
    let whole = (0, ranges.last().map_or(0, |r| r.1));
    // Where each piece landed in the paragraph.
    let piece_range = |p: &crate::model::Piece| -> (usize, usize) {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for (r, range) in para.runs.iter().zip(ranges) {
            if let Some(s) = &r.source
                && matches!(r.kind, RunKind::Source | RunKind::Replacement)
                && s.version_id == p.span.version_id
                && p.span.start <= s.start
                && s.end <= p.span.end
                && !r.text.trim().is_empty()
            {
                lo = lo.min(range.0);
                hi = hi.max(range.1);
            }
        }
        if lo == usize::MAX { whole } else { (lo, hi) }
    };
    // Spans a correction could not place wait in the review list, on their old version.
    let waiting: Vec<&crate::model::Piece> = pieces
        .iter()
        .filter(|p| sources.get(&p.span.version_id).is_some_and(|d| !d.current))
        .collect();
    if !waiting.is_empty() {
        for p in waiting {
            let d = &sources[&p.span.version_id];
            out.push(2, Severity::Error, Some(bi), piece_range(p), format!(
                "these words still point at version {} of {}: a correction sent them to the review list; place them there first",
                d.version, d.name
            ));
        }
        return;
    }
    let version = pieces[0].span.version_id;
    let Some(doc) = sources.get(&version) else {
        out.push(
            2,
            Severity::Error,
            Some(bi),
            whole,
            "the transcript of this excerpt is missing from the project".into(),
        );
        return;
    };
    // Rule 1: participant words only.
    let mut prev_turn: Option<usize> = None;
    for (pi, p) in pieces.iter().enumerate() {
        let here = piece_range(p);
        if p.span.version_id != version {
            out.push(2, Severity::Error, Some(bi), here, "an excerpt draws on one transcript: put words from another document in their own block".into());
            return;
        }
        if pi > 0 && p.span.start < pieces[pi - 1].span.end {
            out.push(2, Severity::Error, Some(bi), here, "the pieces of this excerpt overlap or are out of transcript order: move the words to their own block".into());
        }
        match doc.turn_holding(p.span.start, p.span.end) {
            None => out.push(1, Severity::Error, Some(bi), here, format!(
                "these words are not inside one turn of {}: they include a speaker label or another speaker's words",
                doc.name
            )),
            Some(t) if t.role != Role::Participant => out.push(1, Severity::Error, Some(bi), here, format!(
                "these are the words of {} ({}), not the storyteller's",
                t.speaker,
                t.role.as_str()
            )),
            Some(t) if story.participant_id.is_some() && t.participant_id != story.participant_id => {
                out.push(1, Severity::Error, Some(bi), here, format!(
                    "these are the words of {}, who is not this story's storyteller",
                    t.speaker
                ))
            }
            Some(t) => {
                // Rule 8: a join across turns needs a visible break.
                if let Some(pt) = prev_turn
                    && pt != t.seq
                    && p.gap != Gap::Elision
                {
                    out.push(8, Severity::Warning, Some(bi), here, "this joins two turns without a visible break: mark it with an ellipsis or start a new block".into());
                }
                prev_turn = Some(t.seq);
            }
        }
    }
    // Rules 2 and 3: reverse the rendering and compare word for word.
    let first = pieces[0].span.start;
    let last = pieces.iter().map(|p| p.span.end).max().unwrap_or(first);
    let source: Vec<(String, usize, usize)> = speech_tokens(doc, first, last);
    let mut reversed: Vec<(String, (usize, usize))> = Vec::new();
    let n_runs = para.runs.len();
    for (ri, (r, range)) in para.runs.iter().zip(ranges).enumerate() {
        // A cut before or after the whole paragraph (marked by the renderer):
        // visible, and outside the words compared.
        if r.kind == RunKind::Elision && (ri == 0 || ri + 1 == n_runs) {
            if !r.text.contains('…') {
                out.push(
                    3,
                    Severity::Error,
                    Some(bi),
                    *range,
                    "cut words must be shown with an ellipsis (…)".into(),
                );
            }
            continue;
        }
        let from_source = |s: &crate::render::RunSource| -> Vec<(String, (usize, usize))> {
            match sources.get(&s.version_id) {
                Some(d) => speech_tokens(d, s.start, s.end)
                    .into_iter()
                    .map(|t| (t.0, *range))
                    .collect(),
                None => vec![],
            }
        };
        match r.kind {
            RunKind::Source => {
                for t in tokens(&r.text, range.0) {
                    reversed.push((t.text.to_owned(), (t.start, t.end)));
                }
            }
            RunKind::Insertion => {
                let t = r.text.trim();
                if !bracketed(t) || t[1..t.len() - 1].contains(['[', ']']) {
                    out.push(
                        3,
                        Severity::Error,
                        Some(bi),
                        *range,
                        "researcher words inside an excerpt must be in square brackets".into(),
                    );
                }
            }
            RunKind::Replacement => {
                let t = r.text.trim();
                if !bracketed(t) {
                    out.push(
                        3,
                        Severity::Error,
                        Some(bi),
                        *range,
                        "a replacement must be shown in square brackets".into(),
                    );
                }
                match &r.source {
                    Some(s) => reversed.extend(from_source(s)),
                    None => out.push(
                        2,
                        Severity::Error,
                        Some(bi),
                        *range,
                        "a replacement that stands for no transcript words".into(),
                    ),
                }
            }
            RunKind::Elision => {
                if !(r.text.contains('…') || r.text.contains("...")) {
                    out.push(
                        3,
                        Severity::Error,
                        Some(bi),
                        *range,
                        "cut words must be shown with an ellipsis (…)".into(),
                    );
                }
                match &r.source {
                    Some(s) => {
                        let expanded = from_source(s);
                        if expanded.is_empty() {
                            out.push(
                                3,
                                Severity::Warning,
                                Some(bi),
                                *range,
                                "an ellipsis where no words were cut".into(),
                            );
                        }
                        // Rule 7: meaning at risk next to the cut.
                        let text: Vec<char> = para.text().chars().collect();
                        let before: String = text[..range.0].iter().collect();
                        let after: String = text[range.1.min(text.len())..].iter().collect();
                        let cut = sources
                            .get(&s.version_id)
                            .map(|d| d.slice(s.start, s.end).to_owned())
                            .unwrap_or_default();
                        let edges = [
                            before.split_whitespace().last(),
                            cut.split_whitespace().next(),
                            cut.split_whitespace().last(),
                            after.split_whitespace().next(),
                        ];
                        if let Some((w, why)) = edges
                            .iter()
                            .flatten()
                            .map(|w| bare_word(w))
                            .find_map(|w| meaning_risk(w).map(|why| (w.to_owned(), why)))
                        {
                            out.push(7, Severity::Warning, Some(bi), *range, format!(
                                "an elision next to “{w}”, {why}: check that the meaning is kept"
                            ));
                        }
                        reversed.extend(expanded);
                    }
                    None => out.push(
                        2,
                        Severity::Error,
                        Some(bi),
                        *range,
                        "an ellipsis that stands for no transcript range".into(),
                    ),
                }
            }
        }
    }
    let a: Vec<&str> = source.iter().map(|t| t.0.as_str()).collect();
    let b: Vec<&str> = reversed.iter().map(|t| t.0.as_str()).collect();
    let pos_at = |i: usize| -> (usize, usize) {
        match reversed.get(i) {
            Some(t) => (t.1.0, t.1.0),
            None => (whole.1, whole.1),
        }
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                let dropped = &a[old_index..old_index + old_len];
                let allowed = dropped.iter().enumerate().all(|(k, w)| {
                    let i = old_index + k;
                    (rules.allow_unmarked_fillers && rules.is_filler(w))
                        || (rules.allow_unmarked_repeats
                            && ((i > 0 && norm(a[i - 1]) == norm(w))
                                || a.get(i + 1).is_some_and(|n| norm(n) == norm(w))))
                });
                if !allowed {
                    out.push(3, Severity::Error, Some(bi), pos_at(new_index), format!(
                        "“{}” cut without an ellipsis: only listed fillers ({}) and immediate repeats may go unmarked",
                        dropped.join(" "),
                        rules.fillers.join(", ")
                    ));
                }
            }
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => {
                let range = (
                    reversed[new_index].1.0,
                    reversed[new_index + new_len - 1].1.1,
                );
                out.push(2, Severity::Error, Some(bi), range, format!(
                    "“{}” is not in the transcript here (words added must be in square brackets)",
                    b[new_index..new_index + new_len].join(" ")
                ));
            }
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let range = (
                    reversed[new_index].1.0,
                    reversed[new_index + new_len - 1].1.1,
                );
                out.push(
                    2,
                    Severity::Error,
                    Some(bi),
                    range,
                    format!(
                        "“{}” differs from the transcript, which says “{}”",
                        b[new_index..new_index + new_len].join(" "),
                        a[old_index..old_index + old_len].join(" ")
                    ),
                );
            }
        }
    }
}
