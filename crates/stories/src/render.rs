//! Rendering a story to plain runs: the one structure the docx exporter, the
//! editor and the fidelity checker all read. Each run says what it is
//! (the storyteller's words, an elision, a researcher insertion, a
//! replacement) and, for transcript-derived runs, which source range it
//! stands for, so the checker can reverse the rendering.

use super::model::{BlockContent, Gap, Piece, Story, StoryStatus};
use super::pseudonyms::{PseudonymMap, bare, sentence_case, starts_sentence};
use serde::{Deserialize, Serialize};
pub use storyloom_text::story::{SourceDoc, SourceTurn, Sources};

/// The text of an elision.
pub const ELLIPSIS: &str = " … ";

/// What a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    /// The storyteller's words, verbatim.
    Source,
    /// Cut words, shown as ` … `.
    Elision,
    /// Researcher words in square brackets (a clarification), or framing.
    Insertion,
    /// A bracketed replacement of the storyteller's words (a pseudonym).
    Replacement,
}

/// The transcript range a run stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSource {
    pub document: String,
    pub version_id: i64,
    pub start: usize,
    pub end: usize,
}

/// A piece of a paragraph with one look and one meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub text: String,
    pub italic: bool,
    pub kind: RunKind,
    pub source: Option<RunSource>,
}

/// A paragraph kind: the storyteller's words or researcher framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    Excerpt,
    Framing,
}

/// One block rendered as one paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The block's index in the story.
    pub block: usize,
    pub block_uuid: String,
    pub kind: ParagraphKind,
    pub runs: Vec<Run>,
}

impl Paragraph {
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// Maps a char position of the paragraph's text back to the transcript:
    /// (version row id, char offset), for the editor's selections.
    pub fn to_source(&self, pos: usize) -> Option<(i64, usize)> {
        let mut at = 0;
        for r in &self.runs {
            let n = r.text.chars().count();
            if pos < at + n || (pos == at + n && r.kind == RunKind::Source) {
                let s = r.source.as_ref()?;
                return Some(match r.kind {
                    RunKind::Source => {
                        let within = pos - at;
                        // A run of one space stands for a run of whitespace.
                        let len = s.end - s.start;
                        (s.version_id, s.start + within.min(len))
                    }
                    _ => (s.version_id, s.start),
                });
            }
            at += n;
        }
        None
    }
}

/// A story as the reader will see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedStory {
    pub uuid: String,
    pub title: String,
    pub role_line: String,
    pub pseudonym: String,
    pub status: StoryStatus,
    pub revision: i64,
    pub paragraphs: Vec<Paragraph>,
    /// Words in the paragraphs (title and role line excluded).
    pub words: usize,
    /// Were pseudonyms applied (stakeholder output)?
    pub pseudonymised: bool,
}

impl RenderedStory {
    /// The story as plain text: title, role line, paragraphs (framing in `_underscores_`).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        if !self.role_line.is_empty() {
            out.push_str(&self.role_line);
            out.push('\n');
        }
        for p in &self.paragraphs {
            out.push('\n');
            match p.kind {
                ParagraphKind::Framing => out.push_str(&format!("_{}_", p.text())),
                ParagraphKind::Excerpt => out.push_str(&p.text()),
            }
            out.push('\n');
        }
        out
    }
}

/// Renders a story. With `map`, its confirmed entries replace originals:
/// inside excerpts visibly as `[Replacement]`, in researcher text plainly.
pub fn render(story: &Story, sources: &Sources, map: Option<&PseudonymMap>) -> RenderedStory {
    let confirmed = map.map(|m| m.confirmed());
    let plain = |s: &str| match &confirmed {
        Some(m) => m.apply_plain(s),
        None => s.to_owned(),
    };
    let mut paragraphs = Vec::with_capacity(story.blocks.len());
    for (i, b) in story.blocks.iter().enumerate() {
        let (kind, runs) = match &b.content {
            BlockContent::Framing { text } => (
                ParagraphKind::Framing,
                vec![Run {
                    text: collapse(&plain(text)).trim().to_owned(),
                    italic: true,
                    kind: RunKind::Insertion,
                    source: None,
                }],
            ),
            BlockContent::Excerpt { pieces } => (
                ParagraphKind::Excerpt,
                render_excerpt(pieces, sources, confirmed.as_ref()),
            ),
        };
        paragraphs.push(Paragraph {
            block: i,
            block_uuid: b.uuid.clone(),
            kind,
            runs,
        });
    }
    mark_gaps(story, sources, &mut paragraphs);
    let words = paragraphs
        .iter()
        .map(|p| storyloom_text::text::word_count(&p.text()))
        .sum();
    RenderedStory {
        uuid: story.uuid.clone(),
        title: plain(&story.title),
        role_line: plain(&story.role_line),
        pseudonym: story.pseudonym.clone(),
        status: story.status,
        revision: story.revision,
        paragraphs,
        words,
        pseudonymised: map.is_some(),
    }
}

/// The text of a cut at a paragraph's start or end.
pub const LEAD_ELLIPSIS: &str = "… ";
pub const TRAIL_ELLIPSIS: &str = " …";

/// Does the storyteller speak words in `start..end` of `doc`?
fn storyteller_words(story: &Story, doc: &SourceDoc, start: usize, end: usize) -> bool {
    start < end
        && doc.turns.iter().any(|t| {
            t.role == storyloom_text::model::Role::Participant
                && (story.participant_id.is_none() || t.participant_id == story.participant_id)
                && t.start.max(start) < t.end.min(end)
                && !crate::tokens::tokens(doc.slice(t.start.max(start), t.end.min(end)), 0)
                    .is_empty()
        })
}

/// Is `pos` inside a sentence of its turn (words of the sentence before it or after it)?
fn mid_sentence(doc: &SourceDoc, pos: usize, before: bool) -> bool {
    let Some(t) = doc.turns.iter().find(|t| t.start <= pos && pos <= t.end) else {
        return false;
    };
    if before {
        let text = crate::draft::without_marks(doc.slice(t.start, pos));
        let text = text.trim_end();
        !text.is_empty() && !crate::draft::ends_whole(text) && !text.ends_with(':')
    } else {
        let text = crate::draft::without_marks(doc.slice(pos, t.end));
        !crate::tokens::tokens(&text, 0).is_empty() && {
            let kept = crate::draft::without_marks(doc.slice(t.start, pos));
            !crate::draft::ends_whole(kept.trim_end())
        }
    }
}

/// Makes every gap in the storyteller's words between blocks visible: a
/// paragraph starts with "… " when words of the storyteller were cut before
/// it (since the previous excerpt, or earlier in its sentence), and ends
/// with " …" when it stops inside a sentence. So the reader's rule "…
/// marks removed words" holds between paragraphs as well as inside them.
fn mark_gaps(story: &Story, sources: &Sources, paragraphs: &mut [Paragraph]) {
    let mut prev: Option<(i64, usize)> = None;
    for (b, p) in story.blocks.iter().zip(paragraphs.iter_mut()) {
        let BlockContent::Excerpt { pieces } = &b.content else {
            continue;
        };
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            continue;
        };
        let Some(doc) = sources.get(&first.span.version_id) else {
            continue;
        };
        if p.runs.is_empty() {
            continue;
        }
        let (start, end) = (first.span.start, last.span.end);
        let cut_before = match prev {
            Some((v, e)) if v == first.span.version_id && e <= start => {
                storyteller_words(story, doc, e, start)
            }
            Some(_) => true,
            None => false,
        } || mid_sentence(doc, start, true);
        if cut_before && p.runs[0].kind != RunKind::Elision {
            let from = match prev {
                Some((v, e)) if v == first.span.version_id && e <= start => e,
                _ => start,
            };
            p.runs.insert(
                0,
                Run {
                    text: LEAD_ELLIPSIS.to_owned(),
                    italic: false,
                    kind: RunKind::Elision,
                    source: Some(RunSource {
                        document: doc.document.clone(),
                        version_id: first.span.version_id,
                        start: from,
                        end: start,
                    }),
                },
            );
        }
        if mid_sentence(doc, end, false)
            && p.runs.last().is_some_and(|r| r.kind != RunKind::Elision)
        {
            p.runs.push(Run {
                text: TRAIL_ELLIPSIS.to_owned(),
                italic: false,
                kind: RunKind::Elision,
                source: Some(RunSource {
                    document: doc.document.clone(),
                    version_id: first.span.version_id,
                    start: end,
                    end,
                }),
            });
        }
        prev = Some((last.span.version_id, end));
    }
}

/// Whitespace runs become one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

fn render_excerpt(pieces: &[Piece], sources: &Sources, map: Option<&PseudonymMap>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut prev: Option<&Piece> = None;
    for piece in pieces {
        let Some(doc) = sources.get(&piece.span.version_id) else {
            continue;
        };
        let src = |start: usize, end: usize| RunSource {
            document: doc.document.clone(),
            version_id: piece.span.version_id,
            start,
            end,
        };
        if let Some(p) = prev {
            match piece.gap {
                Gap::Elision => {
                    trim_end(&mut runs);
                    runs.push(Run {
                        text: ELLIPSIS.to_owned(),
                        italic: false,
                        kind: RunKind::Elision,
                        source: Some(src(p.span.end, piece.span.start.max(p.span.end))),
                    });
                }
                Gap::Join | Gap::Unmarked => {
                    let between = doc.slice(p.span.end, piece.span.start.max(p.span.end));
                    let ends_space = runs.last().is_some_and(|r| r.text.ends_with(' '));
                    let starts_space = doc
                        .slice(piece.span.start, piece.span.end)
                        .starts_with(char::is_whitespace);
                    if !ends_space
                        && !starts_space
                        && (piece.gap == Gap::Unmarked || between.chars().any(char::is_whitespace))
                    {
                        runs.push(Run {
                            text: " ".into(),
                            italic: false,
                            kind: RunKind::Source,
                            source: Some(src(p.span.end, p.span.end)),
                        });
                    }
                }
            }
        }
        let elided_before = runs.last().is_some_and(|r| r.kind == RunKind::Elision);
        if let Some(rep) = &piece.replace {
            let text = doc.slice(piece.span.start, piece.span.end);
            let lead = text.starts_with(char::is_whitespace) && !elided_before && !runs.is_empty();
            if lead {
                push_source(&mut runs, " ", src(piece.span.start, piece.span.start));
            }
            runs.push(Run {
                text: format!("[{}]", bare(rep)),
                italic: false,
                kind: RunKind::Replacement,
                source: Some(src(piece.span.start, piece.span.end)),
            });
            if text.ends_with(char::is_whitespace) {
                push_source(&mut runs, " ", src(piece.span.end, piece.span.end));
            }
        } else {
            source_runs(&mut runs, doc, piece, map, elided_before);
        }
        if let Some(c) = &piece.clarification {
            let lead = if runs.last().is_some_and(|r| r.text.ends_with(' ')) {
                ""
            } else {
                " "
            };
            runs.push(Run {
                text: format!(
                    "{lead}[{}]",
                    collapse(&map.map_or_else(|| c.trim().to_owned(), |m| m.apply_plain(c.trim())))
                ),
                italic: false,
                kind: RunKind::Insertion,
                source: None,
            });
        }
        prev = Some(piece);
    }
    // No space at the paragraph's edges.
    if let Some(first) = runs.first_mut() {
        let t = first.text.trim_start().to_owned();
        first.text = t;
    }
    trim_end(&mut runs);
    runs.retain(|r| !r.text.is_empty());
    runs
}

fn trim_end(runs: &mut Vec<Run>) {
    while let Some(last) = runs.last_mut() {
        let t = last.text.trim_end().to_owned();
        if t.is_empty() && last.kind == RunKind::Source {
            runs.pop();
            continue;
        }
        last.text = t;
        break;
    }
}

fn push_source(runs: &mut Vec<Run>, text: &str, source: RunSource) {
    runs.push(Run {
        text: text.to_owned(),
        italic: false,
        kind: RunKind::Source,
        source: Some(source),
    });
}

/// The span's words as source runs, split where a pseudonym replaces an
/// original and where whitespace is collapsed (so that every source run
/// maps char for char onto the transcript, or is one space).
fn source_runs(
    runs: &mut Vec<Run>,
    doc: &SourceDoc,
    piece: &Piece,
    map: Option<&PseudonymMap>,
    trim_lead: bool,
) {
    let (s0, e0) = (piece.span.start, piece.span.end);
    let text = doc.slice(s0, e0);
    let mut cuts: Vec<(usize, usize, Option<String>)> = Vec::new(); // (start, end, replacement) relative
    if let Some(m) = map {
        for (s, e, entry) in m.find_all(text) {
            let found: String = text.chars().skip(s).take(e - s).collect();
            // Does the reader see a sentence start here? Within the span, the
            // words before it; at its start, what the story shows before it
            // (after an elision, the storyteller's own words before the cut).
            let before: String = if s > 0 {
                text.chars().take(s).collect()
            } else if runs.is_empty() {
                String::new()
            } else if runs.last().is_some_and(|r| r.kind == RunKind::Elision) {
                doc.slice(s0.saturating_sub(80), s0).to_owned()
            } else {
                runs.iter().map(|r| r.text.as_str()).collect()
            };
            cuts.push((
                s,
                e,
                Some(sentence_case(
                    &found,
                    bare(&entry.replacement),
                    starts_sentence(&before),
                )),
            ));
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let src = |start: usize, end: usize| RunSource {
        document: doc.document.clone(),
        version_id: piece.span.version_id,
        start: s0 + start,
        end: s0 + end,
    };
    let mut i = 0;
    let mut cut_iter = cuts.into_iter().peekable();
    let mut first = true;
    while i < chars.len() {
        if let Some((cs, ce, rep)) = cut_iter.peek().cloned()
            && cs == i
        {
            runs.push(Run {
                text: format!("[{}]", rep.unwrap_or_default()),
                italic: false,
                kind: RunKind::Replacement,
                source: Some(src(cs, ce)),
            });
            cut_iter.next();
            i = ce;
            first = false;
            continue;
        }
        let limit = cut_iter.peek().map_or(chars.len(), |c| c.0);
        if chars[i].is_whitespace() {
            let mut j = i;
            while j < limit && chars[j].is_whitespace() {
                j += 1;
            }
            let at_start = first && (trim_lead || runs.is_empty());
            let prev_space = runs.last().is_some_and(|r| r.text.ends_with(' '));
            if !at_start && !prev_space {
                runs.push(Run {
                    text: " ".into(),
                    italic: false,
                    kind: RunKind::Source,
                    source: Some(src(i, j)),
                });
            }
            i = j;
        } else {
            let mut j = i;
            while j < limit && !chars[j].is_whitespace() {
                j += 1;
            }
            runs.push(Run {
                text: chars[i..j].iter().collect(),
                italic: false,
                kind: RunKind::Source,
                source: Some(src(i, j)),
            });
            i = j;
        }
        first = false;
    }
    merge_source_runs(runs);
}

/// Joins neighbouring source runs that are contiguous in the transcript and
/// carry no collapsed whitespace, so a run is a phrase, not a word.
fn merge_source_runs(runs: &mut Vec<Run>) {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for r in runs.drain(..) {
        if let Some(last) = out.last_mut()
            && last.kind == RunKind::Source
            && r.kind == RunKind::Source
            && let (Some(a), Some(b)) = (&last.source, &r.source)
            && a.version_id == b.version_id
            && a.end == b.start
            && a.end - a.start == last.text.chars().count()
            && b.end - b.start == r.text.chars().count()
        {
            let end = b.end;
            last.text.push_str(&r.text);
            if let Some(a) = &mut last.source {
                a.end = end;
            }
            continue;
        }
        out.push(r);
    }
    *runs = out;
}
