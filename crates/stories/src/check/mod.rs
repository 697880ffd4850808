//! The fidelity checker (DESIGN §5, rules 1–9). Errors block approval and
//! export; warnings inform. Every finding names its place: the block index
//! and a char range in that block's rendered paragraph (or the story as a
//! whole). It reverses the rendering (insertions removed, elisions expanded
//! from the transcript, replacements reversed) and compares the result with
//! the transcript word for word, so it verifies what the reader will see,
//! not what the model claims.

use super::model::{BlockContent, Gap, Story, StoryRules};
use super::pseudonyms::PseudonymMap;
use super::render::{Paragraph, ParagraphKind, RenderedStory, RunKind, SourceDoc, Sources};
use super::tokens::{norm, tokens};
use serde::{Deserialize, Serialize};

mod excerpt;
pub mod rules;
pub mod speakers;

use excerpt::check_excerpt;
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
    // Replacements that could change meaning; framing in the first person.
    rules::check_meaning(story, rendered, map, &mut out);
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
