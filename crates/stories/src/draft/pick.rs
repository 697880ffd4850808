//! Choosing the passages: runs of whole sentences of one turn, long enough
//! to read as a story (fewer, longer passages), that start where a reader
//! can follow (no bare answer, no pronoun whose referent was cut unless it
//! can be named in brackets) and end at a sentence end. Key quotes come
//! first (whole), then one passage for each part of the arc not yet told,
//! then the densest passages left, with variety and spread, to the budget.

use super::STAGES;
use super::read::{Opener, Sentence};
use crate::model::StoryRules;

/// The shortest passage the draft proposes (words), unless it holds a key quote.
pub(crate) const MIN_PASSAGE: usize = 45;
/// The longest passage (words).
pub(crate) const MAX_PASSAGE: usize = 190;
/// Most sentences in one passage.
const MAX_SENTENCES: usize = 16;
/// Most blocks a draft proposes.
pub(crate) const MAX_BLOCKS: usize = 12;

/// A run of sentences `first..=last` of one turn.
#[derive(Debug, Clone)]
pub(crate) struct Passage {
    pub first: usize,
    pub last: usize,
    /// Words kept (skipped sentences inside are cut visibly).
    pub words: usize,
    pub value: f64,
    pub stages: [bool; STAGES],
    pub content: Vec<u32>,
}

impl Passage {
    fn overlaps(&self, o: &Passage) -> bool {
        self.first <= o.last && o.first <= self.last
    }
    fn contains(&self, o: &Passage) -> bool {
        self.first <= o.first && o.last <= self.last
    }
}

/// May a passage start with this sentence? Not a short one ("I'm daft.",
/// "I did."): it leans on what was said before.
fn startable(s: &Sentence) -> bool {
    s.skip.is_none()
        && s.starts_whole
        && s.words >= 5
        && match &s.opener {
            Opener::Plain | Opener::AnswerWord(_) => true,
            Opener::Person(_, name) => name.is_some(),
            Opener::BareAnswer | Opener::Thing | Opener::MarksOnly => false,
        }
}

/// Every passage the draft could take.
pub(crate) fn candidates(sents: &[Sentence]) -> Vec<Passage> {
    let mut out = Vec::new();
    for i in 0..sents.len() {
        if !startable(&sents[i]) {
            continue;
        }
        let mut words = 0;
        let mut score = 0.0;
        let mut stages = [false; STAGES];
        let mut key = false;
        for j in i..(i + MAX_SENTENCES).min(sents.len()) {
            let s = &sents[j];
            if s.turn != sents[i].turn || s.version_id != sents[i].version_id {
                break;
            }
            if s.skip.is_some() {
                continue;
            }
            words += s.words;
            if words > MAX_PASSAGE {
                break;
            }
            score += s.score;
            key |= s.key;
            for (k, st) in s.stages.iter().enumerate() {
                stages[k] |= *st;
            }
            if !s.ends_whole || (words < MIN_PASSAGE && !(key && words >= 8)) {
                continue;
            }
            // Reaching back for the name beats a bracket; a bracket beats a cut answer word.
            let penalty = match &sents[i].opener {
                Opener::Person(..) => 0.6,
                Opener::AnswerWord(_) => 0.9,
                _ => 1.0,
            };
            out.push(Passage {
                first: i,
                last: j,
                words,
                value: penalty * (score + 0.3) / (words as f64).sqrt(),
                stages,
                // Filled in only for passages that reach a similarity test.
                content: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.value
            .partial_cmp(&a.value)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.first.cmp(&b.first))
            .then(a.last.cmp(&b.last))
    });
    out
}

/// The passage with its content words (for the variety test).
fn with_content(sents: &[Sentence], p: &Passage) -> Passage {
    let mut q = p.clone();
    for s in &sents[p.first..=p.last] {
        if s.skip.is_none() {
            q.content.extend_from_slice(&s.content);
        }
    }
    q.content.sort_unstable();
    q.content.dedup();
    q
}

/// Word-set Jaccard similarity.
fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Both sorted: count the common ids in one pass.
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

struct Chosen {
    list: Vec<Passage>,
    total: usize,
}

impl Chosen {
    /// Adds `p` (replacing chosen passages it contains) if it fits.
    fn try_add(&mut self, p: &Passage, max_words: usize) -> bool {
        let inside: Vec<usize> = (0..self.list.len())
            .filter(|&k| self.list[k].overlaps(p))
            .collect();
        if inside.iter().any(|&k| !p.contains(&self.list[k])) {
            return false;
        }
        let freed: usize = inside.iter().map(|&k| self.list[k].words).sum();
        if self.total + p.words - freed > max_words {
            return false;
        }
        if inside.is_empty() && self.list.len() >= MAX_BLOCKS {
            return false;
        }
        for &k in inside.iter().rev() {
            self.list.remove(k);
        }
        self.total = self.total + p.words - freed;
        self.list.push(p.clone());
        true
    }
}

/// A short interview is drafted whole: each turn from its first sentence a
/// reader can follow to its last whole sentence (housekeeping and talk to
/// the interviewer still cut).
fn whole_turns(sents: &[Sentence]) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sents.len() {
        let mut end = i;
        while end + 1 < sents.len()
            && sents[end + 1].turn == sents[i].turn
            && sents[end + 1].version_id == sents[i].version_id
        {
            end += 1;
        }
        let first = (i..=end).find(|&k| startable(&sents[k]));
        let last = (i..=end)
            .rev()
            .find(|&k| sents[k].skip.is_none() && sents[k].ends_whole)
            .or_else(|| (i..=end).rev().find(|&k| sents[k].skip.is_none()));
        if let (Some(first), Some(last)) = (first, last)
            && first <= last
        {
            out.push(Passage {
                first,
                last,
                words: (first..=last)
                    .filter(|&k| sents[k].skip.is_none())
                    .map(|k| sents[k].words)
                    .sum(),
                value: 0.0,
                stages: [false; STAGES],
                content: Vec::new(),
            });
        }
        i = end + 1;
    }
    out
}

/// The key sentences `k..=e` on their own, to the next sentence end of the
/// turn, and on to whole sentences of [`MIN_PASSAGE`] words when the turn has
/// them (a key quote of a few words alone reads as a scrap, not a passage).
fn key_passage(sents: &[Sentence], k: usize, e: usize) -> Option<Passage> {
    let same_turn =
        |j: &usize| sents[*j].turn == sents[k].turn && sents[*j].version_id == sents[k].version_id;
    let mut last = (e..sents.len())
        .take_while(same_turn)
        .find(|&j| sents[j].skip.is_none() && sents[j].ends_whole)?;
    let kept = |a: usize, b: usize| -> usize {
        (a..=b)
            .filter(|&j| sents[j].skip.is_none())
            .map(|j| sents[j].words)
            .sum()
    };
    let mut words = kept(k, last);
    // Whole ends further on in the turn, within the longest passage: the
    // first past the shortest passage, or else the last.
    let mut j = last + 1;
    while words < MIN_PASSAGE && j < sents.len() && same_turn(&j) {
        let w = kept(k, j);
        if w > MAX_PASSAGE {
            break;
        }
        if sents[j].skip.is_none() && sents[j].ends_whole {
            last = j;
            words = w;
        }
        j += 1;
    }
    (sents[k].skip.is_none() && sents[k].starts_whole && words <= MAX_PASSAGE + 60).then(|| {
        let mut stages = [false; STAGES];
        for s in &sents[k..=last] {
            for (i, st) in s.stages.iter().enumerate() {
                stages[i] |= *st;
            }
        }
        Passage {
            first: k,
            last,
            words,
            value: 0.0,
            stages,
            content: Vec::new(),
        }
    })
}

/// Picks the passages (see the module documentation), in interview order.
pub(crate) fn pick(
    sents: &[Sentence],
    cands: &[Passage],
    source_words: usize,
    rules: &StoryRules,
) -> Vec<Passage> {
    let max = rules.draft_max_words;
    if source_words <= max {
        return whole_turns(sents);
    }
    let goal = (rules.draft_min_words + rules.draft_max_words) / 2;
    let mut chosen = Chosen {
        list: Vec::new(),
        total: 0,
    };
    // 1. Key quotes, whole: the best passage holding each run of key sentences.
    let mut k = 0;
    while k < sents.len() {
        if !sents[k].key || sents[k].skip.is_some() {
            k += 1;
            continue;
        }
        let mut e = k;
        while e + 1 < sents.len() && sents[e + 1].key && sents[e + 1].turn == sents[k].turn {
            e += 1;
        }
        if !chosen.list.iter().any(|p| p.first <= k && e <= p.last)
            && let Some(p) = cands
                .iter()
                .filter(|p| p.first <= k && e <= p.last && p.words <= MAX_PASSAGE)
                .find(|p| {
                    chosen.list.iter().all(|c| !c.overlaps(p) || p.contains(c))
                        && chosen.total + p.words <= max
                })
        {
            chosen.try_add(&with_content(sents, p), max);
        } else if !chosen.list.iter().any(|p| p.first <= k && e <= p.last)
            && let Some(p) = key_passage(sents, k, e)
        {
            // No passage a reader can follow holds it: the key quote itself,
            // whole (the quality report shows its opening).
            chosen.try_add(&with_content(sents, &p), max);
        }
        k = e + 1;
    }
    // 2. The arc: a passage for each part not yet told, from where it is told.
    for stage in 0..STAGES {
        if chosen.total >= goal || chosen.list.iter().any(|p| p.stages[stage]) {
            continue;
        }
        if let Some(p) = cands
            .iter()
            .filter(|p| p.stages[stage] && chosen.list.iter().all(|c| !c.overlaps(p)))
            .map(|p| with_content(sents, p))
            .find(|p| {
                chosen
                    .list
                    .iter()
                    .all(|c| similarity(&c.content, &p.content) < 0.5)
            })
        {
            chosen.try_add(&p, max);
        }
    }
    // 3. The densest passages left, with variety and spread over the interview.
    const ZONES: usize = 5;
    let zone_of =
        |p: &Passage| (sents[p.first].at_word * ZONES / source_words.max(1)).min(ZONES - 1);
    for (max_sim, zone_cap) in [(0.4, max * 3 / 10), (0.7, usize::MAX), (1.01, usize::MAX)] {
        for p in cands {
            if chosen.total >= goal {
                break;
            }
            // A longer passage may take the place of chosen ones it holds.
            if chosen.list.iter().any(|c| c.overlaps(p) && !p.contains(c)) {
                continue;
            }
            let z = zone_of(p);
            let in_zone: usize = chosen
                .list
                .iter()
                .filter(|c| zone_of(c) == z && !p.contains(c))
                .map(|c| c.words)
                .sum();
            if in_zone + p.words > zone_cap {
                continue;
            }
            let p = with_content(sents, p);
            if chosen
                .list
                .iter()
                .any(|c| !p.contains(c) && similarity(&c.content, &p.content) >= max_sim)
            {
                continue;
            }
            chosen.try_add(&p, max);
        }
        if chosen.total >= rules.draft_min_words {
            break;
        }
    }
    let mut list = chosen.list;
    list.sort_by_key(|p| p.first);
    list
}
