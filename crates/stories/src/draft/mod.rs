//! Auto-draft (DESIGN §5): a first draft of a story from the storyteller's
//! own turns only, that reads as a story. The turns are read into whole
//! sentences ([`read`]); passages of whole sentences of one turn are chosen
//! ([`pick`]): key quotes whole first, then one passage for each part of
//! the arc (life before, what brought them, the first time, what happened,
//! what changed, what matters now), then the densest passages to the word
//! budget, 6 to 12 in all. Housekeeping and talk addressed to the
//! interviewer are never drafted; a passage never starts with a bare answer
//! or a pronoun whose referent was cut, unless the one name it can mean is
//! added in brackets. The blocks ([`build`]) keep interview order (a passage
//! about early life told late comes first); every cut inside a block is an
//! ellipsis, and the renderer marks every gap between blocks. Every choice
//! is made on spans of the transcript, so the draft passes the fidelity
//! checker by construction. Deterministic: ties are broken by position.

use super::model::{BlockContent, StoryRules};
use super::render::Sources;

#[cfg(test)]
mod answer_tests;
mod build;
mod elliptic;
mod framing;
mod opening;
mod pick;
mod read;
#[cfg(test)]
mod referent_tests;
mod referents;
mod split;
#[cfg(test)]
mod tests;
mod title;

pub(crate) use elliptic::{elliptic_answer, question_gist};
pub use framing::framing;
pub(crate) use opening::{Opener, opener, verbless_answer};
pub(crate) use read::{ends_whole, interviewer_names_in, without_marks};
pub use split::sentences;
pub use title::{
    RoleAttributes, TitleCandidate, WEAK_OPENERS, rank_titles, role_line, title_flags,
};

/// A coding the draft weighs.
#[derive(Debug, Clone)]
pub struct DraftCoding {
    pub version_id: i64,
    pub start: usize,
    pub end: usize,
    pub key_quote: bool,
    /// Is its code part of a theme?
    pub themed: bool,
}

/// What the draft reads.
pub struct DraftInput<'a> {
    pub sources: &'a Sources,
    /// The storyteller's turns as (version row id, index into that source's turns), in interview order.
    pub turns: Vec<(i64, usize)>,
    pub codings: Vec<DraftCoding>,
    pub rules: &'a StoryRules,
}

/// A proposed story.
#[derive(Debug, Clone)]
pub struct Draft {
    pub title: String,
    /// Two more titles in the storyteller's words, for the researcher to choose from.
    pub title_alternatives: Vec<String>,
    pub blocks: Vec<BlockContent>,
    /// Words the storyteller spoke in all.
    pub source_words: usize,
    /// Words picked (before rendering).
    pub words: usize,
}

/// The parts of a story's arc.
pub const STAGES: usize = 6;
pub const STAGE_NAMES: [&str; STAGES] = [
    "life before",
    "what brought them",
    "the first time",
    "what happened",
    "what changed",
    "what matters now",
];

/// Words that cue each part of the arc.
pub const STAGE_CUES: [&[&str]; STAGES] = [
    &[
        "used to",
        "when i was",
        "grew up",
        "born",
        "years ago",
        "retired",
        "my husband",
        "my wife",
        "passed away",
        "on my own",
        "lonely",
        "before",
        "worked",
    ],
    &[
        "doctor",
        "gp",
        "referred",
        "link worker",
        "told me about",
        "heard about",
        "leaflet",
        "suggested",
        "rang me",
        "surgery",
        "nurse",
    ],
    &[
        "first time",
        "first day",
        "first week",
        "first session",
        "nervous",
        "walked in",
        "through the door",
        "didn't know anybody",
        "didn't know anyone",
        "the first",
    ],
    &[
        "happened",
        "we did",
        "we went",
        "every week",
        "one day",
        "that day",
        "remember",
    ],
    &[
        "now",
        "changed",
        "since",
        "different",
        "these days",
        "anymore",
        "any more",
        "no longer",
        "confidence",
    ],
    &[
        "matters",
        "means",
        "important",
        "miss it",
        "without it",
        "lifeline",
        "saved",
        "would say",
        "everything to me",
    ],
];

/// Drafts a story (see the module documentation).
pub fn draft(input: &DraftInput) -> Draft {
    let rules = input.rules;
    let (sents, source_words) = read::read(input);
    let cands = pick::candidates(&sents);
    let passages = pick::pick(&sents, &cands, source_words, rules);
    let mut kept = vec![false; sents.len()];
    let mut words = 0;
    for p in &passages {
        for k in p.first..=p.last {
            if sents[k].skip.is_none() {
                kept[k] = true;
                words += sents[k].words;
            }
        }
    }
    let passages = build::story_order(&sents, passages, source_words);
    let blocks = build::blocks(input, &sents, &passages);
    let mut titles = title::titles(&sents, &kept, input.sources).into_iter();
    Draft {
        title: titles.next().unwrap_or_default(),
        title_alternatives: titles.collect(),
        blocks,
        source_words,
        words,
    }
}
