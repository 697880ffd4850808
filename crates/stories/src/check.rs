//! The fidelity checker (DESIGN §5, rules 1–9). Errors block approval and
//! export; warnings inform. Every finding names its place: the block index
//! and a char range in that block's rendered paragraph (or the story as a
//! whole). It reverses the rendering (insertions removed, elisions expanded
//! from the transcript, replacements reversed) and compares the result with
//! the transcript word for word, so it verifies what the reader will see,
//! not what the model claims.

use super::model::{BlockContent, Gap, Story, StoryRules, StoryStatus};
use super::pseudonyms::PseudonymMap;
use super::render::{Paragraph, ParagraphKind, RenderedStory, RunKind, SourceDoc, Sources};
use super::tokens::{norm, tokens};
use serde::{Deserialize, Serialize};
use storyloom_text::model::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The DESIGN §5 rule (1–9).
    pub rule: u8,
    pub severity: Severity,
    /// The block, or `None` for the story as a whole (or its title and role line).
    pub block: Option<usize>,
    /// Char range in the block's rendered paragraph (0..0 when the whole story).
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// The checker's findings for one story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub story: String,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
}

/// Words that change meaning when an elision sits next to them (rule 7).
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "cannot", "nowhere",
];
const CONTRASTS: &[&str] = &[
    "but", "although", "though", "however", "except", "yet", "whereas", "unless", "despite",
];
const MODALS: &[&str] = &[
    "would", "could", "should", "might", "may", "must", "can", "will", "shall", "used",
];

/// Is a word one an elision must not sit next to? Gives the reason.
pub fn meaning_risk(word: &str) -> Option<&'static str> {
    let w = norm(word);
    if NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") {
        Some("a negation")
    } else if CONTRASTS.contains(&w.as_str()) {
        Some("a contrast word")
    } else if MODALS.contains(&w.as_str()) {
        Some("a modal")
    } else {
        None
    }
}

struct Out<'a> {
    findings: &'a mut Vec<Finding>,
}

impl Out<'_> {
    fn push(
        &mut self,
        rule: u8,
        severity: Severity,
        block: Option<usize>,
        range: (usize, usize),
        message: String,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            block,
            start: range.0,
            end: range.1,
            message,
        });
    }
}

/// Char ranges of a paragraph's runs.
fn run_ranges(p: &Paragraph) -> Vec<(usize, usize)> {
    let mut at = 0;
    p.runs
        .iter()
        .map(|r| {
            let n = r.text.chars().count();
            let range = (at, at + n);
            at += n;
            range
        })
        .collect()
}

/// Checks rules 1–8. `rendered` is the story rendered with `map`'s confirmed
/// entries; `map` holds every entry, confirmed or not (rule 4 checks them all).
pub fn check(
    story: &Story,
    sources: &Sources,
    rendered: &RenderedStory,
    map: &PseudonymMap,
    rules: &StoryRules,
) -> CheckReport {
    let mut findings = Vec::new();
    let mut out = Out {
        findings: &mut findings,
    };
    let mut framing_total = 0;
    let mut clarifications: Vec<(usize, (usize, usize))> = Vec::new();
    for (bi, block) in story.blocks.iter().enumerate() {
        let Some(para) = rendered.paragraphs.get(bi) else {
            continue;
        };
        let ranges = run_ranges(para);
        let whole = (0, ranges.last().map_or(0, |r| r.1));
        match &block.content {
            BlockContent::Framing { text } => {
                let n = storyloom_text::text::word_count(text);
                framing_total += n;
                if n > rules.framing_max_words {
                    out.push(
                        8,
                        Severity::Warning,
                        Some(bi),
                        whole,
                        format!(
                            "framing of {n} words: keep researcher framing to {} words or fewer",
                            rules.framing_max_words
                        ),
                    );
                }
            }
            BlockContent::Excerpt { pieces } => {
                if block.lost_pieces > 0 {
                    out.push(2, Severity::Warning, Some(bi), whole, format!(
                        "{} piece(s) of this excerpt were removed from the review list after a correction; reread it",
                        block.lost_pieces
                    ));
                }
                if pieces.is_empty() {
                    out.push(
                        2,
                        Severity::Warning,
                        Some(bi),
                        whole,
                        "an empty excerpt: delete the block".into(),
                    );
                    continue;
                }
                check_excerpt(story, bi, pieces, para, &ranges, sources, rules, &mut out);
                for (ri, r) in para.runs.iter().enumerate() {
                    if r.kind == RunKind::Insertion {
                        clarifications.push((bi, ranges[ri]));
                        let n = storyloom_text::text::word_count(&r.text);
                        if n > rules.clarification_max_words {
                            out.push(6, Severity::Warning, Some(bi), ranges[ri], format!(
                                "a clarification of {n} words: keep clarifications to {} words or fewer",
                                rules.clarification_max_words
                            ));
                        }
                    }
                }
            }
        }
    }
    if framing_total > rules.framing_max_words
        && story
            .blocks
            .iter()
            .filter(|b| matches!(b.content, BlockContent::Framing { .. }))
            .count()
            > 1
    {
        out.push(8, Severity::Warning, None, (0, 0), format!(
            "{framing_total} words of framing in all: keep researcher framing to {} words or fewer",
            rules.framing_max_words
        ));
    }
    // Rule 6: more than one clarification per 100 words.
    if !clarifications.is_empty() && clarifications.len() * 100 > rendered.words.max(1) {
        let (b, r) = clarifications[clarifications.len() - 1];
        out.push(
            6,
            Severity::Warning,
            Some(b),
            r,
            format!(
                "{} clarifications in {} words: more than one per 100 words",
                clarifications.len(),
                rendered.words
            ),
        );
    }
    // Rule 4: no original of the map anywhere the reader will look.
    for (where_, text) in [
        ("title", &rendered.title),
        ("role line", &rendered.role_line),
    ] {
        for (s, e, p) in map.find_all(text) {
            out.push(
                4,
                Severity::Error,
                None,
                (s, e),
                format!(
                    "the {where_} names “{}”, an original in the pseudonym map{}",
                    p.original,
                    if p.confirmed {
                        ""
                    } else {
                        " (not yet confirmed, so not replaced)"
                    }
                ),
            );
        }
    }
    for p in &rendered.paragraphs {
        for (s, e, entry) in map.find_all(&p.text()) {
            out.push(
                4,
                Severity::Error,
                Some(p.block),
                (s, e),
                format!(
                    "“{}” is an original in the pseudonym map{}",
                    entry.original,
                    if entry.confirmed {
                        ""
                    } else {
                        ": confirm its replacement so that it is applied"
                    }
                ),
            );
        }
    }
    // Rule 5: length.
    if rendered.words > rules.cap_words {
        out.push(
            5,
            Severity::Error,
            None,
            (0, 0),
            format!(
                "{} words: over the cap of {} (two pages)",
                rendered.words, rules.cap_words
            ),
        );
    } else if rendered.words > rules.target_words {
        out.push(
            5,
            Severity::Warning,
            None,
            (0, 0),
            format!(
                "{} words: over the target of {}",
                rendered.words, rules.target_words
            ),
        );
    }
    CheckReport {
        story: story.uuid.clone(),
        findings,
    }
}

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
fn check_excerpt(
    story: &Story,
    bi: usize,
    pieces: &[super::model::Piece],
    para: &Paragraph,
    ranges: &[(usize, usize)],
    sources: &Sources,
    rules: &StoryRules,
    out: &mut Out,
) {
    let whole = (0, ranges.last().map_or(0, |r| r.1));
    // Where each piece landed in the paragraph.
    let piece_range = |p: &super::model::Piece| -> (usize, usize) {
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
    let waiting: Vec<&super::model::Piece> = pieces
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
    for (r, range) in para.runs.iter().zip(ranges) {
        let from_source = |s: &super::render::RunSource| -> Vec<(String, (usize, usize))> {
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

/// Rule 9: a story goes into a stakeholder pack only when approved, and
/// unchanged since: same revision, and the same words (a transcript
/// correction that changed an excerpt's words also counts as a change).
pub fn check_for_export(
    story: &Story,
    current_snapshot: &str,
    approved_snapshot: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let err = |message: String| Finding {
        rule: 9,
        severity: Severity::Error,
        block: None,
        start: 0,
        end: 0,
        message,
    };
    if story.status != StoryStatus::Approved {
        out.push(err(format!(
            "the story is '{}': only stories their storyteller approved go into a pack",
            story.status.as_str()
        )));
        return out;
    }
    match (&story.approval, approved_snapshot) {
        (Some(a), Some(snap)) if a.revision == story.revision && snap == current_snapshot => {}
        (Some(a), Some(_)) if a.revision == story.revision => out.push(err(
            "the story's words changed since approval (a transcript correction moved an excerpt): send it again".into(),
        )),
        (Some(a), _) => out.push(err(format!(
            "the storyteller approved revision {}, the story is now at revision {}: send it again",
            a.revision, story.revision
        ))),
        (None, _) => out.push(err("no approval is recorded".into())),
    }
    out
}

/// Is the text one pair of square brackets around something?
fn bracketed(t: &str) -> bool {
    t.len() >= 2 && t.starts_with('[') && t.ends_with(']')
}

/// A word without the punctuation around it.
fn bare_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
}

/// Paragraph kinds, for callers that only want excerpts.
pub fn is_excerpt(p: &Paragraph) -> bool {
    p.kind == ParagraphKind::Excerpt
}
