//! The story-quality report: does a story read as a story? Not fidelity
//! (that is the checker's job) but what a workshop notices: how many blocks
//! and how long, blocks that stop mid-sentence, gaps in the storyteller's
//! words a reader cannot see, blocks that open with a pronoun or an answer
//! whose referent or question was cut, words addressed to the interviewer,
//! how many key quotes are in the story whole, how much of the interview's
//! arc it covers, and whether the title is a good one. Every figure is
//! measured on the rendered story and the transcript, never taken from the
//! draft's intentions.

use crate::draft::{
    Opener, STAGE_CUES, STAGE_NAMES, STAGES, TitleCandidate, elliptic_answer, ends_whole,
    interviewer_names_in, opener, question_gist, rank_titles, sentences, title_flags,
    verbless_answer, without_marks,
};
use crate::model::{BlockContent, Story};
use crate::render::{RenderedStory, RunKind, Sources};
use crate::tokens::tokens;
use serde::{Deserialize, Serialize};
use storyloom_text::model::Role;

/// A place in the story a finding points at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spot {
    /// The block (0-based).
    pub block: usize,
    /// A few words at the place.
    pub text: String,
    /// What the researcher could do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// A key quote and whether the story holds it whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyQuote {
    pub quote: String,
    pub whole: bool,
}

/// The report for one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub story: String,
    pub participant: Option<String>,
    pub title: String,
    pub words: usize,
    /// Excerpt blocks, and the words of each.
    pub blocks: usize,
    pub block_words: Vec<usize>,
    pub mid_sentence_endings: Vec<Spot>,
    pub unmarked_gaps: Vec<Spot>,
    /// Blocks opening with a pronoun or a bare answer whose referent or question was cut.
    pub unresolved_starts: Vec<Spot>,
    /// Words addressed to the interviewer (their name in the storyteller's words).
    pub vocatives: Vec<Spot>,
    pub key_quotes: Vec<KeyQuote>,
    /// Which thirds of the storyteller's talk (beginning, middle, end) the story draws on.
    pub thirds: [bool; 3],
    /// The parts of the arc whose cue words the story holds.
    pub arc: Vec<String>,
    pub title_flags: Vec<String>,
    /// Other titles in the storyteller's own words, from the story.
    pub title_alternatives: Vec<String>,
}

impl QualityReport {
    /// Share of key quotes held whole (1.0 when there are none).
    pub fn key_quote_share(&self) -> f64 {
        if self.key_quotes.is_empty() {
            1.0
        } else {
            self.key_quotes.iter().filter(|k| k.whole).count() as f64 / self.key_quotes.len() as f64
        }
    }
}

/// A key quote: a char range of a document version.
#[derive(Debug, Clone, Copy)]
pub struct KeyRange {
    pub version_id: i64,
    pub start: usize,
    pub end: usize,
}

/// What the report needs besides the story.
pub struct QualityInput<'a> {
    pub story: &'a Story,
    /// Every version of the storyteller's transcripts (not only those the story uses).
    pub sources: &'a Sources,
    /// The story rendered without pseudonyms.
    pub rendered: &'a RenderedStory,
    /// The key quotes in the storyteller's own turns.
    pub key_quotes: &'a [KeyRange],
    pub rules: &'a crate::model::StoryRules,
}

fn few_words(text: &str, from_end: bool) -> String {
    let w: Vec<&str> = text.split_whitespace().collect();
    if w.len() <= 8 {
        return w.join(" ");
    }
    if from_end {
        format!("… {}", w[w.len() - 8..].join(" "))
    } else {
        format!("{} …", w[..8].join(" "))
    }
}

/// Does the storyteller speak words in `start..end` of the version?
fn storyteller_words(story: &Story, sources: &Sources, vid: i64, start: usize, end: usize) -> bool {
    let Some(doc) = sources.get(&vid) else {
        return false;
    };
    start < end
        && doc.turns.iter().any(|t| {
            t.role == Role::Participant
                && (story.participant_id.is_none() || t.participant_id == story.participant_id)
                && t.start.max(start) < t.end.min(end)
                && !tokens(doc.slice(t.start.max(start), t.end.min(end)), 0).is_empty()
        })
}

/// When `pos` opens a storyteller's turn that follows someone else's turn,
/// with none of their words before it in the turn but short answers
/// ("Just before." "I did."): that turn, the question.
fn question_before(doc: &crate::render::SourceDoc, pos: usize) -> Option<&str> {
    let k = doc
        .turns
        .iter()
        .position(|t| t.start <= pos && pos < t.end)?;
    let t = &doc.turns[k];
    let q = doc.turns.get(k.checked_sub(1)?)?;
    let before = without_marks(doc.slice(t.start, pos));
    let only_answers = sentences(&before, 0).into_iter().all(|(s, e)| {
        let sent: String = before.chars().skip(s).take(e - s).collect();
        verbless_answer(&sent) || elliptic_answer(&sent).is_some_and(|e| e.rest_words == 0)
    });
    (q.role != Role::Participant && only_answers).then(|| doc.slice(q.start, q.end))
}

/// A suggested fix for a block that opens with an answer or a pronoun that
/// leans on words not in the story: `sent` is its first sentence, `next` the
/// one after it in the block, `question` the question it answers.
fn start_fix(sent: &str, next: Option<&str>, question: Option<&str>) -> String {
    let sent = sent.trim();
    let elliptic = elliptic_answer(sent);
    if let Some(e) = &elliptic
        && !e.negative
        && e.rest_words >= 5
    {
        let answer: String = sent.chars().take(e.answer_end).collect();
        let rest: String = sent.chars().skip(e.rest).collect();
        return format!(
            "cut “{}”, so that the block starts “{}”",
            answer.trim_end_matches(','),
            few_words(&rest, false)
        );
    }
    let mut fixes: Vec<String> = Vec::new();
    let answer_like = elliptic.is_some() || verbless_answer(sent) || question.is_some();
    match (&elliptic, question.and_then(question_gist)) {
        (Some(e), Some(gist)) => {
            let upto: String = sent.chars().take(e.answer_end).collect();
            fixes.push(format!(
                "add what it answers in brackets: “{upto} [{gist}]”"
            ));
        }
        _ if answer_like => match question {
            Some(q) => fixes.push(format!(
                "add in brackets what it answers (the question: “{}”)",
                few_words(q.trim(), true).trim_start_matches("… ")
            )),
            None => fixes.push("add in brackets what it answers".to_owned()),
        },
        _ => fixes.push(
            "add in brackets who or what it refers to, or start a sentence earlier".to_owned(),
        ),
    }
    if let Some(next) = next {
        fixes.push(format!(
            "start the block at “{}” (cut the first sentence)",
            few_words(next.trim(), false)
        ));
    }
    fixes.join(", or ")
}

/// Builds the report (see the module documentation).
pub fn quality(input: &QualityInput) -> QualityReport {
    let story = input.story;
    let sources = input.sources;
    let rendered = input.rendered;
    let interviewers = interviewer_names_in(sources.values());
    let mut r = QualityReport {
        story: story.uuid.clone(),
        participant: story.participant.clone(),
        title: story.title.clone(),
        words: rendered.words,
        blocks: 0,
        block_words: vec![],
        mid_sentence_endings: vec![],
        unmarked_gaps: vec![],
        unresolved_starts: vec![],
        vocatives: vec![],
        key_quotes: vec![],
        thirds: [false; 3],
        arc: vec![],
        title_flags: title_flags(&story.title),
        title_alternatives: vec![],
    };
    // The storyteller's talk in interview order, for the thirds.
    let mut talk: Vec<(i64, usize, usize, usize)> = Vec::new(); // (version, start, end, words before)
    let mut total = 0;
    let mut vids: Vec<&i64> = sources.keys().collect();
    vids.sort();
    for vid in vids {
        let doc = &sources[vid];
        for t in doc.turns.iter().filter(|t| {
            t.role == Role::Participant
                && (story.participant_id.is_none() || t.participant_id == story.participant_id)
        }) {
            talk.push((*vid, t.start, t.end, total));
            total += storyloom_text::text::word_count(doc.slice(t.start, t.end));
        }
    }
    let third_of = |vid: i64, pos: usize| -> Option<usize> {
        let (_, s, _, before) = talk
            .iter()
            .find(|(v, s, e, _)| *v == vid && *s <= pos && pos < *e)?;
        let doc = sources.get(&vid)?;
        let at = before + storyloom_text::text::word_count(doc.slice(*s, pos));
        Some((at * 3 / total.max(1)).min(2))
    };
    let mut prev: Option<(usize, i64, usize, bool)> = None; // (block, version, end, ends with a cut)
    let mut story_text = String::new();
    let mut kept: Vec<(i64, usize, usize)> = Vec::new();
    let mut title_sents: Vec<String> = Vec::new();
    for (bi, (b, p)) in story.blocks.iter().zip(&rendered.paragraphs).enumerate() {
        let BlockContent::Excerpt { pieces } = &b.content else {
            continue;
        };
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
            continue;
        };
        let Some(doc) = sources.get(&first.span.version_id) else {
            continue;
        };
        let text = p.text();
        r.blocks += 1;
        r.block_words.push(storyloom_text::text::word_count(&text));
        story_text.push_str(&text);
        story_text.push('\n');
        for piece in pieces {
            kept.push((piece.span.version_id, piece.span.start, piece.span.end));
            if let Some(t) = third_of(piece.span.version_id, piece.span.start) {
                r.thirds[t] = true;
            }
        }
        // Ends mid-sentence: the last words kept do not end a sentence.
        let last_text = doc.slice(last.span.start, last.span.end);
        if !ends_whole(last_text) && last.replace.is_none() {
            r.mid_sentence_endings.push(Spot {
                block: bi,
                text: few_words(&text, true),
                fix: None,
            });
        }
        let starts_cut = p.runs.first().is_some_and(|x| x.kind == RunKind::Elision);
        let ends_cut = p.runs.last().is_some_and(|x| x.kind == RunKind::Elision);
        // A gap since the previous block that the reader cannot see.
        let contiguous = match prev {
            Some((_, v, e, _)) if v == first.span.version_id && e <= first.span.start => {
                !storyteller_words(story, sources, v, e, first.span.start)
            }
            _ => false,
        };
        if let Some((_, _, _, prev_cut)) = prev
            && !contiguous
            && !starts_cut
            && !prev_cut
        {
            r.unmarked_gaps.push(Spot {
                block: bi,
                text: few_words(&text, false),
                fix: None,
            });
        }
        // How the block opens, unless it follows on from the block before
        // (a question between them is never in the story: it does not).
        let question = question_before(doc, first.span.start);
        if !contiguous || prev.is_none() || question.is_some() {
            let first_source = p
                .runs
                .iter()
                .position(|x| x.kind == RunKind::Source && !x.text.trim().is_empty());
            if let Some(k) = first_source {
                let opening: String = p.runs[k..].iter().map(|x| x.text.as_str()).collect();
                let sent_end = sentences(&opening, 0).first().map_or(0, |s| s.1);
                let sent: String = opening.chars().take(sent_end).collect();
                let clarified = p
                    .runs
                    .get(k + 1)
                    .is_some_and(|x| x.kind == RunKind::Insertion);
                // A clarification inside the first sentence says what an answer answers.
                let mut at = 0;
                let answered = p.runs[k..].iter().any(|x| {
                    let inside = at < sent_end && x.kind == RunKind::Insertion;
                    at += x.text.chars().count();
                    inside
                });
                let words = storyloom_text::text::word_count(&sent);
                let unresolved = match opener(&sent, words, "", &interviewers) {
                    Opener::Person(..) | Opener::Thing => !clarified,
                    Opener::BareAnswer => !answered,
                    // "Yes, I did, I went back…": the start still answers the question.
                    Opener::AnswerWord(_) => elliptic_answer(&sent).is_some(),
                    _ => question.is_some() && verbless_answer(&sent) && !answered,
                };
                if unresolved {
                    let next = sentences(&opening, 0)
                        .get(1)
                        .map(|&(s, e)| opening.chars().skip(s).take(e - s).collect::<String>());
                    r.unresolved_starts.push(Spot {
                        block: bi,
                        text: few_words(&sent, false),
                        fix: Some(start_fix(&sent, next.as_deref(), question)),
                    });
                }
            }
        }
        // The interviewer's name in the storyteller's words.
        let low: Vec<String> = tokens(&text, 0)
            .iter()
            .map(|t| t.text.to_lowercase())
            .collect();
        if let Some(n) = interviewers.iter().find(|n| low.contains(n)) {
            r.vocatives.push(Spot {
                block: bi,
                text: n.clone(),
                fix: None,
            });
        }
        for (s, e) in sentences(&without_marks(&text), 0) {
            let t: String = without_marks(&text).chars().skip(s).take(e - s).collect();
            title_sents.push(t.trim_start_matches("… ").to_owned());
        }
        prev = Some((bi, last.span.version_id, last.span.end, ends_cut));
    }
    // Key quotes whole: every word of the quote lies in a kept span (listed fillers aside).
    for k in input.key_quotes {
        let Some(doc) = sources.get(&k.version_id) else {
            continue;
        };
        // Only the storyteller's own words of the quote count.
        let own = |pos: usize| {
            talk.iter()
                .any(|(v, s, e, _)| *v == k.version_id && *s <= pos && pos < *e)
        };
        if !own(k.start) {
            continue;
        }
        let quote = doc.slice(k.start, k.end);
        let whole = tokens(quote, k.start)
            .iter()
            .filter(|t| own(t.start))
            .all(|t| {
                input.rules.is_filler(t.text)
                    || kept
                        .iter()
                        .any(|(v, s, e)| *v == k.version_id && *s <= t.start && t.end <= *e)
            });
        r.key_quotes.push(KeyQuote {
            quote: few_words(quote, false),
            whole,
        });
    }
    // The arc: the parts whose cue words the story holds.
    let padded = format!(
        " {} ",
        tokens(&story_text, 0)
            .iter()
            .map(|t| t.text.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (k, cues) in STAGE_CUES.iter().enumerate().take(STAGES) {
        if cues
            .iter()
            .any(|c| padded.contains(&format!(" {} ", c.replace(['\'', '’'], " "))))
        {
            r.arc.push(STAGE_NAMES[k].to_owned());
        }
    }
    r.title_alternatives = rank_titles(
        title_sents.iter().map(|t| TitleCandidate {
            text: t,
            key: false,
            kept: true,
            weight: 0.0,
        }),
        3,
    )
    .into_iter()
    .filter(|t| !t.eq_ignore_ascii_case(story.title.trim().trim_end_matches('.')))
    .take(2)
    .collect();
    if !story.title.trim().is_empty() {
        let own = |t: &str| {
            tokens(t, 0)
                .iter()
                .map(|x| x.text.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = own(&story.title);
        let in_story = own(&story_text).contains(&title);
        let in_talk = talk.iter().any(|(v, s, e, _)| {
            sources
                .get(v)
                .is_some_and(|d| own(d.slice(*s, *e)).contains(&title))
        });
        if !in_story && !in_talk {
            r.title_flags
                .push("not the storyteller's own words (not found in their talk)".to_owned());
        } else if !in_story {
            r.title_flags
                .push("the storyteller's words, but not in the story".to_owned());
        }
    }
    r
}

/// The median of the blocks per story (0 for none).
pub fn median_blocks(reports: &[QualityReport]) -> f64 {
    let mut b: Vec<usize> = reports.iter().map(|r| r.blocks).collect();
    if b.is_empty() {
        return 0.0;
    }
    b.sort_unstable();
    let n = b.len();
    if n % 2 == 1 {
        b[n / 2] as f64
    } else {
        (b[n / 2 - 1] + b[n / 2]) as f64 / 2.0
    }
}
