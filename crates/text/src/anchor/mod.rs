//! Re-anchoring char ranges (codings, story excerpts) from one version of a
//! transcript to a corrected version.
//!
//! A correction must never silently lose or move a coding. Every anchor
//! therefore ends up either [`Placement::Certain`] — the new text at the
//! returned range is exactly the stored quote, and the diff or the context
//! says it is *this* passage — or [`Placement::Uncertain`] with a best guess
//! and a sentence the researcher can act on.
//!
//! # How it works
//!
//! [`Reanchorer::new`] diffs the texts once, at token level: words (runs of
//! letters and digits), whitespace runs and single punctuation chars, interned
//! to integers. Tokens keep a re-typed 300k-char transcript cheap to diff and
//! make the unchanged regions meaningful: two texts never "agree" on a lone
//! `e` in the middle of different words. The alignment (see `Aligner`) is
//! patience diff with word 4-grams as sync points, recursing into the gaps,
//! and Myers (from `similar`) on the *words* of small gaps before their
//! whitespace and punctuation — so a re-typing that changes every line break
//! and quote mark still aligns word for word, in tens of milliseconds, and
//! a deadline bounds pathological inputs. The result is a monotone list of
//! segments, each either unchanged (old char range -> new char range of the
//! same text) or changed. Changed segments are refined char by char lazily,
//! only when an anchor needs a proposal there.
//!
//! [`Reanchorer::place`] then, for one anchor:
//!
//! 1. Finds the quote in the old text: at the stored offsets, or, when they
//!    are stale, by searching the quote and letting the context decide.
//! 2. Maps the first and the last coded char that lie in unchanged text
//!    (chars, not boundaries) to the new text. If the new text around such a
//!    pivot reads exactly as the quote at the same offsets, with the same word
//!    boundaries, the anchor is certain, however much its surroundings
//!    changed. Text typed right before the first coded word or right after
//!    the last one is never pulled in: the range has the quote's length.
//! 3. Otherwise searches the quote verbatim in the new text. Occurrences that
//!    the diff shows to be *another* old passage (an end char maps back to
//!    unchanged text outside the anchor's old range, and that passage's own
//!    context fits at least as well) are discarded — this is what stops a
//!    deleted "I don't know" from jumping to the next "I don't know".
//!    Occurrences glued into longer words (`happy` inside `unhappy`) are not
//!    eligible either. A remaining occurrence is certain when it is the only
//!    one and something confirms it (it lies in the changed region the old
//!    passage became, a context side matches, or the quote is long enough to
//!    be unmistakable), or when it is the only one that matches a full
//!    context side (or lies in that region) and no rival comes close.
//! 4. Otherwise proposes the range the old passage became (boundaries mapped
//!    through the char-level refinement, widened to whole words), describing
//!    the edit; a case-, space- and punctuation-blind match of the quote is
//!    preferred as a proposal when it overlaps, since only formatting
//!    changed. Passages that fell entirely inside deleted text get no
//!    proposal, unless the same words turn up in new text elsewhere.
//!
//! Certain placements are never taken from the loose (normalised) match, and
//! never from text whose word boundaries changed: a certain answer always
//! reads exactly as the stored quote.
//!
//! All offsets in and out are char offsets; internally both texts are kept as
//! `Vec<char>` with a byte table for substring search.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use similar::DiffTag;

use crate::text::CharIndex;

mod chars;
mod diff;
mod place;
mod reason;
#[cfg(test)]
mod tests;

use chars::*;
use diff::*;
use place::*;
use reason::*;

/// Chars of old text stored on each side of an anchor.
pub const CONTEXT_CHARS: usize = 40;

/// Time the token diff may take before it settles for a coarser result. A
/// coarser diff only means more anchors go through the search of step 3.
const DIFF_BUDGET: Duration = Duration::from_millis(300);
/// Changed segments longer than this (old + new chars) are not refined char
/// by char; positions inside them are mapped proportionally.
const REFINE_MAX_CHARS: usize = 4000;
/// Occurrences of a quote looked at; beyond this the quote is too common to
/// place by search.
const MAX_CANDIDATES: usize = 2000;
/// A context side at least this long that matches entirely confirms a place.
const FULL_CONTEXT_MIN: usize = 20;
/// Matching context chars that confirm the only occurrence of a quote.
const CONFIRMING_CONTEXT: usize = 16;
/// How much more context the chosen occurrence must match than a rival that
/// itself matches a fair amount.
const CLEAR_MARGIN: usize = 10;
/// Longest excerpt shown in a reason.
const REASON_CHARS: usize = 70;

/// Context stored with an anchor when it is created: up to [`CONTEXT_CHARS`]
/// chars each side. Out-of-range offsets are clamped; never panics.
pub fn context_of(text: &str, start: usize, end: usize) -> (String, String) {
    let ix = CharIndex::new(text);
    let n = ix.len_chars();
    let (s, e) = clamp_range(start, end, n);
    let before = ix.slice(s.saturating_sub(CONTEXT_CHARS), s).unwrap_or("");
    let after = ix.slice(e, (e + CONTEXT_CHARS).min(n)).unwrap_or("");
    (before.to_owned(), after.to_owned())
}

/// Orders and clamps a range to `0..=n`.
fn clamp_range(start: usize, end: usize, n: usize) -> (usize, usize) {
    let (s, e) = (start.min(n), end.min(n));
    (s.min(e), s.max(e))
}

/// A char range of a text version, with what is needed to find it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub context_before: String,
    pub context_after: String,
}

impl Anchor {
    /// Captures `start..end` of `text` (clamped to the text) with its quote
    /// and context.
    pub fn capture(text: &str, start: usize, end: usize) -> Anchor {
        let ix = CharIndex::new(text);
        let (s, e) = clamp_range(start, end, ix.len_chars());
        let quote = ix.slice(s, e).unwrap_or("").to_owned();
        let (context_before, context_after) = context_of(text, s, e);
        Anchor {
            start: s,
            end: e,
            quote,
            context_before,
            context_after,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Placed with certainty: the new text at start..end equals the quote
    /// (and, when the quote occurs more than once nearby, the context
    /// confirms it).
    Certain { start: usize, end: usize },
    /// Could not be placed with certainty. `proposal` is the best guess (may
    /// be None), `reason` is a short sentence a researcher can act on.
    Uncertain {
        proposal: Option<(usize, usize)>,
        reason: String,
    },
}

impl Placement {
    pub fn is_certain(&self) -> bool {
        matches!(self, Placement::Certain { .. })
    }

    /// The certain range, or the proposal.
    pub fn range(&self) -> Option<(usize, usize)> {
        match self {
            Placement::Certain { start, end } => Some((*start, *end)),
            Placement::Uncertain { proposal, .. } => *proposal,
        }
    }
}

/// A short account of a diff, for the correction report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiffStats {
    pub old_chars: usize,
    pub new_chars: usize,
    /// Chars in unchanged runs (the same number in both texts).
    pub unchanged_chars: usize,
    /// Old chars outside unchanged runs.
    pub deleted_chars: usize,
    /// New chars outside unchanged runs.
    pub inserted_chars: usize,
    /// Number of separate changed places.
    pub changed_regions: usize,
    /// The texts differed so much that the diff was cut short; more anchors
    /// were placed by search.
    pub timed_out: bool,
}

impl DiffStats {
    /// Unchanged chars over the longer text, 1.0 for two empty texts.
    pub fn unchanged_fraction(&self) -> f64 {
        let base = self.old_chars.max(self.new_chars);
        if base == 0 {
            1.0
        } else {
            self.unchanged_chars as f64 / base as f64
        }
    }
}

impl fmt::Display for DiffStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} chars deleted and {} inserted in {} {}; {:.1}% unchanged",
            self.deleted_chars,
            self.inserted_chars,
            self.changed_regions,
            if self.changed_regions == 1 {
                "place"
            } else {
                "places"
            },
            self.unchanged_fraction() * 100.0
        )?;
        if self.timed_out {
            write!(
                f,
                " (the versions differ so much that the comparison was cut short)"
            )?;
        }
        Ok(())
    }
}

/// Built once per correction (computes the diff once), then places many
/// anchors quickly. `Sync`: anchors may be placed from several threads.
pub struct Reanchorer {
    old: Text,
    new: Text,
    segs: Vec<Seg>,
    /// Char-level alignment of each changed segment, computed on demand.
    refined: Vec<OnceLock<Option<Vec<Seg>>>>,
    folded: Folded,
    stats: DiffStats,
}

impl Reanchorer {
    pub fn new(old: &str, new: &str) -> Reanchorer {
        let deadline = Instant::now() + DIFF_BUDGET;
        let old = Text::new(old);
        let new = Text::new(new);
        let (mut segs, timed_out) = diff_segments(&old.chars, &new.chars, deadline);
        if !segments_valid(&segs, &old.chars, &new.chars) {
            segs = fallback_segments(&old.chars, &new.chars);
        }
        let mut stats = DiffStats {
            old_chars: old.len(),
            new_chars: new.len(),
            timed_out,
            ..DiffStats::default()
        };
        for s in &segs {
            if s.equal {
                stats.unchanged_chars += s.old_end - s.old_start;
            } else {
                stats.deleted_chars += s.old_end - s.old_start;
                stats.inserted_chars += s.new_end - s.new_start;
                stats.changed_regions += 1;
            }
        }
        let refined = segs.iter().map(|_| OnceLock::new()).collect();
        let folded = Folded::new(&new.chars);
        Reanchorer {
            old,
            new,
            segs,
            refined,
            folded,
            stats,
        }
    }

    /// A short account of the diff for the report.
    pub fn stats(&self) -> DiffStats {
        self.stats
    }

    /// Maps one old char position to the new text when it lies in (or at the
    /// edge of) unchanged text. A position between an unchanged char and an
    /// insertion sticks to the char that follows it, so text inserted exactly
    /// there ends up before the result.
    pub fn map_point(&self, old_char: usize) -> Option<usize> {
        if old_char > self.old.len() {
            return None;
        }
        if self.old.len() == 0 && self.new.len() == 0 {
            return Some(0);
        }
        if let Some(q) = self.old_to_new(old_char) {
            return Some(q);
        }
        old_char
            .checked_sub(1)
            .and_then(|p| self.old_to_new(p))
            .map(|q| q + 1)
    }

    /// Places one anchor in the new text. Never panics, whatever the anchor.
    pub fn place(&self, anchor: &Anchor) -> Placement {
        let quote: Vec<char> = anchor.quote.chars().collect();
        if quote.is_empty() {
            return self.place_point(anchor);
        }
        let old_place = self.resolve_old(anchor, &quote);
        let old_range = match old_place {
            OldPlace::At(s, e) => Some((s, e)),
            _ => None,
        };

        // Step 2: the passage through unchanged text.
        if let Some((s, e)) = old_range
            && let Some(ns) = self.direct(s, e, &quote)
        {
            return Placement::Certain {
                start: ns,
                end: ns + quote.len(),
            };
        }

        // Step 3: the quote verbatim elsewhere.
        let p = self.place_ctx(anchor, quote, old_range);
        let (occ, truncated) = self.new.occurrences(&anchor.quote, MAX_CANDIDATES);
        let cands: Vec<Cand> = occ
            .iter()
            .map(|&c| self.candidate(&p, c, c + p.quote.len()))
            .collect();
        let single_ok =
            |c: &Cand| c.full > 0 || c.in_window || c.ctx >= CONFIRMING_CONTEXT || p.distinctive;
        if let Some(i) = decide(&cands, truncated, single_ok) {
            return Placement::Certain {
                start: cands[i].start,
                end: cands[i].end,
            };
        }

        // Steps 4 and 5.
        let placement = self.uncertain(&p, &cands, truncated, &old_place);
        // Belt and braces: a proposal always lies inside the new text.
        match placement {
            Placement::Uncertain {
                proposal: Some((s, e)),
                reason,
            } => Placement::Uncertain {
                proposal: Some(clamp_range(s, e, self.new.len())),
                reason,
            },
            other => other,
        }
    }

    /// Index of the segment holding old char `p`.
    fn seg_of_old(&self, p: usize) -> Option<usize> {
        if p >= self.old.len() {
            return None;
        }
        let i = self.segs.partition_point(|s| s.old_end <= p);
        (i < self.segs.len()).then_some(i)
    }

    fn seg_of_new(&self, q: usize) -> Option<usize> {
        if q >= self.new.len() {
            return None;
        }
        let i = self.segs.partition_point(|s| s.new_end <= q);
        (i < self.segs.len()).then_some(i)
    }

    /// Old char -> new char, through unchanged text only.
    fn old_to_new(&self, p: usize) -> Option<usize> {
        let s = self.segs[self.seg_of_old(p)?];
        s.equal.then(|| s.new_start + p - s.old_start)
    }

    /// New char -> old char, through unchanged text only.
    fn new_to_old(&self, q: usize) -> Option<usize> {
        let s = self.segs[self.seg_of_new(q)?];
        s.equal.then(|| s.old_start + q - s.new_start)
    }

    fn refined(&self, i: usize) -> Option<&[Seg]> {
        self.refined[i]
            .get_or_init(|| refine_segment(self.segs[i], &self.old.chars, &self.new.chars))
            .as_deref()
    }

    /// Where a range starting with old char `s` starts in the new text, also
    /// when `s` was edited: inside a change, at the start of what replaced it.
    fn fuzzy_start(&self, s: usize) -> usize {
        let Some(i) = self.seg_of_old(s) else {
            return self.new.len();
        };
        let seg = self.segs[i];
        if seg.equal {
            return seg.new_start + s - seg.old_start;
        }
        if let Some(subs) = self.refined(i)
            && let Some(sub) = subs.get(subs.partition_point(|x| x.old_end <= s))
        {
            return if sub.equal {
                sub.new_start + s - sub.old_start
            } else {
                sub.new_start
            };
        }
        proportional(seg, s, false)
    }

    /// Where a range ending after old char `e - 1` ends in the new text.
    fn fuzzy_end(&self, e: usize) -> usize {
        let Some(p) = e.checked_sub(1) else {
            return self.fuzzy_start(0).min(self.new.len());
        };
        let Some(i) = self.seg_of_old(p) else {
            return self.new.len();
        };
        let seg = self.segs[i];
        if seg.equal {
            return seg.new_start + p - seg.old_start + 1;
        }
        if let Some(subs) = self.refined(i)
            && let Some(sub) = subs.get(subs.partition_point(|x| x.old_end <= p))
        {
            return if sub.equal {
                sub.new_start + p - sub.old_start + 1
            } else {
                sub.new_end
            };
        }
        proportional(seg, e, true)
    }

    /// The new range covering what old `s..e` became: from the mapped first
    /// char (or the start of the change holding it) to the mapped last char
    /// (or the end of the change holding it).
    fn window(&self, s: usize, e: usize) -> (usize, usize) {
        let lo = match self.seg_of_old(s).map(|i| self.segs[i]) {
            Some(g) if g.equal => g.new_start + s - g.old_start,
            Some(g) => g.new_start,
            None => self.new.len(),
        };
        let hi = match self.seg_of_old(e.saturating_sub(1)).map(|i| self.segs[i]) {
            Some(g) if g.equal => g.new_start + e - 1 - g.old_start + 1,
            Some(g) => g.new_end,
            None => self.new.len(),
        };
        (lo, hi.max(lo))
    }
}

/// Maps old position `p` inside a changed segment by proportion.
fn proportional(seg: Seg, p: usize, round_up: bool) -> usize {
    let ol = (seg.old_end - seg.old_start) as u128;
    let nl = (seg.new_end - seg.new_start) as u128;
    if ol == 0 || nl == 0 {
        return seg.new_start;
    }
    let off = (p.clamp(seg.old_start, seg.old_end) - seg.old_start) as u128 * nl;
    let q = if round_up { off.div_ceil(ol) } else { off / ol };
    seg.new_start + q.min(nl) as usize
}
