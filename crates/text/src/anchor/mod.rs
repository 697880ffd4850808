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

#[cfg(test)]
mod tests;

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

/// One text version as chars, with byte offsets for substring search.
struct Text {
    string: String,
    chars: Vec<char>,
    /// Byte offset of every char, plus the string length.
    byte_of: Vec<usize>,
}

impl Text {
    fn new(s: &str) -> Text {
        let chars: Vec<char> = s.chars().collect();
        let mut byte_of = Vec::with_capacity(chars.len() + 1);
        byte_of.extend(s.char_indices().map(|(b, _)| b));
        byte_of.push(s.len());
        Text {
            string: s.to_owned(),
            chars,
            byte_of,
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn char_of_byte(&self, byte: usize) -> usize {
        self.byte_of.partition_point(|&b| b < byte)
    }

    fn has_at(&self, at: usize, quote: &[char]) -> bool {
        at.checked_add(quote.len())
            .and_then(|end| self.chars.get(at..end))
            .is_some_and(|s| s == quote)
    }

    /// Char offsets of all (possibly overlapping) occurrences of `needle`, at
    /// most `cap`; the flag says whether more were left out.
    fn occurrences(&self, needle: &str, cap: usize) -> (Vec<usize>, bool) {
        let mut out = Vec::new();
        let Some(first) = needle.chars().next() else {
            return (out, false);
        };
        let mut from = 0;
        while let Some(i) = self.string[from..].find(needle) {
            if out.len() == cap {
                return (out, true);
            }
            let b = from + i;
            out.push(self.char_of_byte(b));
            from = b + first.len_utf8();
        }
        (out, false)
    }

    /// Whether `pos` falls inside a word (between two joined word chars).
    fn mid_word(&self, pos: usize) -> bool {
        pos > 0 && pos < self.len() && joins(self.chars[pos - 1], self.chars[pos])
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Scripts written without spaces: each char is a token of its own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Whether two adjacent chars belong to the same word.
fn joins(a: char, b: char) -> bool {
    is_word(a) && is_word(b) && !is_cjk(a) && !is_cjk(b)
}

/// Token boundaries (char offsets, starting with 0 and ending with the
/// length): words, whitespace runs, and every other char on its own.
fn token_bounds(chars: &[char]) -> Vec<usize> {
    let n = chars.len();
    let mut bounds = Vec::with_capacity(n / 3 + 2);
    bounds.push(0);
    let mut i = 0;
    while i < n {
        let c = chars[i];
        i += 1;
        if is_cjk(c) {
        } else if is_word(c) {
            while i < n && joins(chars[i - 1], chars[i]) {
                i += 1;
            }
        } else if c.is_whitespace() {
            while i < n && chars[i].is_whitespace() {
                i += 1;
            }
        }
        bounds.push(i);
    }
    bounds
}

/// A piece of the alignment: old chars `old_start..old_end` became new chars
/// `new_start..new_end`; when `equal`, both are the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    old_start: usize,
    old_end: usize,
    new_start: usize,
    new_end: usize,
    equal: bool,
}

/// Appends a segment, merging it with the previous one of the same kind.
fn push_seg(segs: &mut Vec<Seg>, equal: bool, old: Range<usize>, new: Range<usize>) {
    if old.is_empty() && new.is_empty() {
        return;
    }
    if let Some(last) = segs.last_mut()
        && last.equal == equal
        && last.old_end == old.start
        && last.new_end == new.start
    {
        last.old_end = old.end;
        last.new_end = new.end;
        return;
    }
    segs.push(Seg {
        old_start: old.start,
        old_end: old.end,
        new_start: new.start,
        new_end: new.end,
        equal,
    });
}

fn common_prefix<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The token-level alignment of two texts, and whether the deadline cut it
/// short.
fn diff_segments<'a>(old: &'a [char], new: &'a [char], deadline: Instant) -> (Vec<Seg>, bool) {
    let old_tb = token_bounds(old);
    let new_tb = token_bounds(new);
    let mut interner: HashMap<&'a [char], u32> = HashMap::new();
    let mut ids = |text: &'a [char], tb: &[usize]| -> (Vec<u32>, Vec<bool>) {
        tb.windows(2)
            .map(|w| {
                let next = interner.len() as u32;
                let id = *interner.entry(&text[w[0]..w[1]]).or_insert(next);
                (id, is_word(text[w[0]]))
            })
            .unzip()
    };
    let (old_ids, old_words) = ids(old, &old_tb);
    let (new_ids, new_words) = ids(new, &new_tb);
    let mut aligner = Aligner {
        old: &old_ids,
        new: &new_ids,
        old_words: &old_words,
        new_words: &new_words,
        old_tb: &old_tb,
        new_tb: &new_tb,
        deadline,
        segs: Vec::new(),
    };
    aligner.align(0..old_ids.len(), 0..new_ids.len(), 0);
    (aligner.segs, Instant::now() > deadline)
}

/// Words per n-gram used as sync points between the versions.
const GRAM: usize = 4;
/// Ranges this short (old + new tokens) go straight to Myers.
const MYERS_DIRECTLY: usize = 64;
/// Recursion limit for [`Aligner::align`].
const MAX_DEPTH: usize = 12;

/// Token alignment by recursive sync points: word n-grams that occur exactly
/// once in each version's range are matched, their longest increasing chain
/// cuts the ranges into small gaps, and each gap is aligned again (with its
/// own unique n-grams, then unique words, then Myers). This is patience diff
/// with n-grams instead of single tokens: whitespace and punctuation, which a
/// re-typing changes everywhere, never serve as sync points, and word n-grams
/// stay unique in repetitive speech where single words do not. Myers alone is
/// O((N+M)·D), hopeless for a re-typed 300k-char transcript; here it only
/// ever sees short gaps.
struct Aligner<'a> {
    old: &'a [u32],
    new: &'a [u32],
    old_words: &'a [bool],
    new_words: &'a [bool],
    old_tb: &'a [usize],
    new_tb: &'a [usize],
    deadline: Instant,
    segs: Vec<Seg>,
}

impl Aligner<'_> {
    fn emit(&mut self, equal: bool, o: Range<usize>, n: Range<usize>) {
        push_seg(
            &mut self.segs,
            equal,
            self.old_tb[o.start]..self.old_tb[o.end],
            self.new_tb[n.start]..self.new_tb[n.end],
        );
    }

    fn align(&mut self, o: Range<usize>, n: Range<usize>, depth: usize) {
        let pre = common_prefix(&self.old[o.clone()], &self.new[n.clone()]);
        self.emit(true, o.start..o.start + pre, n.start..n.start + pre);
        let (o, n) = (o.start + pre..o.end, n.start + pre..n.end);
        let suf = common_suffix(&self.old[o.clone()], &self.new[n.clone()]);
        let (oi, ni) = (o.start..o.end - suf, n.start..n.end - suf);
        if oi.is_empty() || ni.is_empty() {
            self.emit(false, oi, ni);
        } else if oi.len() + ni.len() <= MYERS_DIRECTLY || depth >= MAX_DEPTH {
            self.myers(oi, ni);
        } else {
            let mut sync = self.sync_points(oi.clone(), ni.clone(), GRAM);
            if sync.is_empty() {
                sync = self.sync_points(oi.clone(), ni.clone(), 1);
            }
            if sync.is_empty() {
                self.myers(oi, ni);
            } else {
                let (mut po, mut pn) = (oi.start, ni.start);
                for (so, sn) in sync {
                    self.align(po..so, pn..sn, depth + 1);
                    (po, pn) = (so, sn);
                }
                self.align(po..oi.end, pn..ni.end, depth + 1);
            }
        }
        self.emit(true, o.end - suf..o.end, n.end - suf..n.end);
    }

    /// Aligns a gap without sync points: Myers on its words first, so that
    /// whitespace and punctuation (which match everywhere) cannot pull the
    /// alignment away from the words; then Myers on the tokens between
    /// consecutive matched words.
    fn myers(&mut self, o: Range<usize>, n: Range<usize>) {
        let ow: Vec<usize> = o.clone().filter(|&i| self.old_words[i]).collect();
        let nw: Vec<usize> = n.clone().filter(|&i| self.new_words[i]).collect();
        let ow_ids: Vec<u32> = ow.iter().map(|&i| self.old[i]).collect();
        let nw_ids: Vec<u32> = nw.iter().map(|&i| self.new[i]).collect();
        let ops = myers_ops(
            &ow_ids,
            0..ow.len(),
            &nw_ids,
            0..nw.len(),
            Some(self.deadline),
        );
        let (mut po, mut pn) = (o.start, n.start);
        for (equal, wo, wn) in ops {
            if !equal || wo.len() != wn.len() {
                continue;
            }
            for (x, y) in wo.zip(wn) {
                let (a, b) = (ow[x], nw[y]);
                if a < po || b < pn || self.old[a] != self.new[b] {
                    continue;
                }
                self.token_myers(po..a, pn..b);
                self.emit(true, a..a + 1, b..b + 1);
                (po, pn) = (a + 1, b + 1);
            }
        }
        self.token_myers(po..o.end, pn..n.end);
    }

    fn token_myers(&mut self, o: Range<usize>, n: Range<usize>) {
        if o.is_empty() || n.is_empty() {
            self.emit(false, o, n);
            return;
        }
        let ops = myers_ops(
            self.old,
            o.clone(),
            self.new,
            n.clone(),
            Some(self.deadline),
        );
        let mut tiles = Vec::new();
        tile_ops(self.old, o, self.new, n, &ops, &mut tiles);
        for (equal, o, n) in tiles {
            self.emit(equal, o, n);
        }
    }

    /// Token indices (old, new) where a `k`-word n-gram unique in both
    /// ranges begins, as the longest chain increasing in both.
    fn sync_points(&self, o: Range<usize>, n: Range<usize>, k: usize) -> Vec<(usize, usize)> {
        let ow: Vec<usize> = o.filter(|&i| self.old_words[i]).collect();
        let nw: Vec<usize> = n.filter(|&i| self.new_words[i]).collect();
        if ow.len() < k || nw.len() < k {
            return Vec::new();
        }
        let gram = |ids: &[u32], at: &[usize]| -> u64 {
            at.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &i| {
                (h ^ u64::from(ids[i])).wrapping_mul(0x0000_0100_0000_01b3)
            })
        };
        // gram hash -> (count in old, start in old, count in new, start in new)
        let mut seen: HashMap<u64, (u32, usize, u32, usize)> = HashMap::with_capacity(ow.len());
        for j in 0..=ow.len() - k {
            let e = seen.entry(gram(self.old, &ow[j..j + k])).or_default();
            e.0 += 1;
            e.1 = j;
        }
        for j in 0..=nw.len() - k {
            if let Some(e) = seen.get_mut(&gram(self.new, &nw[j..j + k])) {
                e.2 += 1;
                e.3 = j;
            }
        }
        let mut pairs: Vec<(usize, usize)> = seen
            .into_values()
            .filter(|&(co, jo, cn, jn)| {
                co == 1 && cn == 1 && (0..k).all(|x| self.old[ow[jo + x]] == self.new[nw[jn + x]])
            })
            .map(|(_, jo, _, jn)| (ow[jo], nw[jn]))
            .collect();
        pairs.sort_unstable();
        longest_increasing_chain(&pairs)
    }
}

/// The longest subsequence of `pairs` (sorted by `.0`, all `.0` distinct)
/// whose `.1` strictly increases.
fn longest_increasing_chain(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[l]: index of the smallest-ending chain of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev = vec![usize::MAX; pairs.len()];
    for (i, &(_, y)) in pairs.iter().enumerate() {
        let l = tails.partition_point(|&t| pairs[t].1 < y);
        if l > 0 {
            prev[i] = tails[l - 1];
        }
        if l == tails.len() {
            tails.push(i);
        } else {
            tails[l] = i;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied().unwrap_or(usize::MAX);
    while at != usize::MAX {
        chain.push(pairs[at]);
        at = prev[at];
    }
    chain.reverse();
    chain
}

/// One aligned piece: (unchanged, old range, new range).
type Piece = (bool, Range<usize>, Range<usize>);

/// Raw Myers ops. `similar`'s `capture_diff*` functions run the `Compact`
/// hook, which can emit ops that do not tile the input; plain `Capture`
/// keeps Myers' own, consistent output.
fn myers_ops<T: PartialEq>(
    old: &[T],
    o: Range<usize>,
    new: &[T],
    n: Range<usize>,
    deadline: Option<Instant>,
) -> Vec<Piece> {
    let mut capture = similar::algorithms::Capture::new();
    let _ = similar::algorithms::myers::diff_deadline(&mut capture, old, o, new, n, deadline);
    capture
        .into_ops()
        .iter()
        .map(|op| {
            let (tag, o, n) = op.as_tag_tuple();
            (tag == DiffTag::Equal, o, n)
        })
        .collect()
}

/// Lays ops end to end over `o` and `n` by their lengths alone, checking
/// that unchanged pieces really are equal; whatever the ops leave over is
/// one change. The result always tiles both ranges.
fn tile_ops<T: PartialEq>(
    old: &[T],
    o: Range<usize>,
    new: &[T],
    n: Range<usize>,
    ops: &[Piece],
    out: &mut Vec<Piece>,
) {
    let (mut co, mut cn) = (o.start, n.start);
    for (equal, or, nr) in ops {
        let (ol, nl) = (or.len(), nr.len());
        if co + ol > o.end || cn + nl > n.end {
            break;
        }
        let equal = *equal && ol == nl && old[co..co + ol] == new[cn..cn + nl];
        out.push((equal, co..co + ol, cn..cn + nl));
        co += ol;
        cn += nl;
    }
    if co < o.end || cn < n.end {
        out.push((false, co..o.end, cn..n.end));
    }
}

/// Whether segments tile both texts and unchanged ones really are unchanged.
fn segments_valid(segs: &[Seg], old: &[char], new: &[char]) -> bool {
    let (mut o, mut w) = (0, 0);
    for s in segs {
        if s.old_start != o
            || s.new_start != w
            || s.old_end < s.old_start
            || s.new_end < s.new_start
        {
            return false;
        }
        if s.old_end > old.len() || s.new_end > new.len() {
            return false;
        }
        if s.equal && old[s.old_start..s.old_end] != new[s.new_start..s.new_end] {
            return false;
        }
        o = s.old_end;
        w = s.new_end;
    }
    o == old.len() && w == new.len()
}

/// The plainest alignment: common prefix, one change, common suffix.
fn fallback_segments(old: &[char], new: &[char]) -> Vec<Seg> {
    let pre = common_prefix(old, new);
    let suf = common_suffix(&old[pre..], &new[pre..]);
    let (n, m) = (old.len(), new.len());
    let mut segs = Vec::new();
    push_seg(&mut segs, true, 0..pre, 0..pre);
    push_seg(&mut segs, false, pre..n - suf, pre..m - suf);
    push_seg(&mut segs, true, n - suf..n, m - suf..m);
    segs
}

/// Char-level alignment inside one changed segment, or `None` when it is too
/// long (or one side is empty).
fn refine_segment(seg: Seg, old: &[char], new: &[char]) -> Option<Vec<Seg>> {
    let ol = seg.old_end - seg.old_start;
    let nl = seg.new_end - seg.new_start;
    if seg.equal || ol == 0 || nl == 0 || ol + nl > REFINE_MAX_CHARS {
        return None;
    }
    let ops = myers_ops(
        old,
        seg.old_start..seg.old_end,
        new,
        seg.new_start..seg.new_end,
        None,
    );
    let mut tiles = Vec::new();
    tile_ops(
        old,
        seg.old_start..seg.old_end,
        new,
        seg.new_start..seg.new_end,
        &ops,
        &mut tiles,
    );
    let mut out = Vec::new();
    for (equal, o, n) in tiles {
        push_seg(&mut out, equal, o, n);
    }
    let covers = out.first().is_some_and(|f| f.old_start == seg.old_start)
        && out.last().is_some_and(|l| l.old_end == seg.old_end);
    covers.then_some(out)
}

/// The new text folded for loose matching: lowercase letters and digits only,
/// each folded char remembering the new char it came from.
struct Folded {
    string: String,
    chars: Vec<char>,
    byte_of: Vec<usize>,
    pos: Vec<usize>,
}

impl Folded {
    fn new(chars: &[char]) -> Folded {
        let mut f = Folded {
            string: String::with_capacity(chars.len()),
            chars: Vec::with_capacity(chars.len()),
            byte_of: Vec::with_capacity(chars.len() + 1),
            pos: Vec::with_capacity(chars.len()),
        };
        for (i, &c) in chars.iter().enumerate() {
            if is_word(c) {
                for l in c.to_lowercase() {
                    f.byte_of.push(f.string.len());
                    f.string.push(l);
                    f.chars.push(l);
                    f.pos.push(i);
                }
            }
        }
        f.byte_of.push(f.string.len());
        f
    }
}

fn fold(chars: &[char]) -> Vec<char> {
    chars
        .iter()
        .filter(|c| is_word(**c))
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Where the quote stands in the old text.
enum OldPlace {
    At(usize, usize),
    /// The stored offsets are stale and the quote occurs this many times.
    Ambiguous(usize),
    /// The quote is not in the old text at all.
    Missing,
}

/// What is known about one anchor while placing it.
struct PlaceCtx {
    quote: Vec<char>,
    before: Vec<char>,
    after: Vec<char>,
    fold_before: Vec<char>,
    fold_after: Vec<char>,
    old_range: Option<(usize, usize)>,
    /// The new range covering what the old passage became.
    window: Option<(usize, usize)>,
    /// Where the passage is expected in the new text.
    expected: usize,
    old_mid_start: bool,
    old_mid_end: bool,
    distinctive: bool,
}

/// One occurrence of the quote (or of its folded form) in a text.
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    /// Starts and ends at word boundaries exactly as the old passage did.
    eligible: bool,
    /// The diff shows it is another old passage.
    claimed: bool,
    /// Context chars matching on both sides.
    ctx: usize,
    /// Context sides matching entirely.
    full: u8,
    in_window: bool,
    folded_ctx: usize,
    dist: usize,
}

type RankKey = (bool, bool, u8, usize, bool, usize, Reverse<usize>);

fn rank(c: &Cand) -> RankKey {
    (
        c.eligible,
        !c.claimed,
        c.full,
        c.ctx,
        c.in_window,
        c.folded_ctx,
        Reverse(c.dist),
    )
}

/// Context chars matching around `start..end` of `text`, and how many sides
/// match entirely (a short side counts only at the same text edge).
fn context_match(
    text: &Text,
    start: usize,
    end: usize,
    before: &[char],
    after: &[char],
) -> (usize, u8) {
    let cb = common_suffix(&text.chars[..start], before);
    let ca = common_prefix(&text.chars[end..], after);
    let full_b = cb == before.len() && (before.len() >= FULL_CONTEXT_MIN || start == before.len());
    let full_a =
        ca == after.len() && (after.len() >= FULL_CONTEXT_MIN || text.len() - end == after.len());
    (cb + ca, full_b as u8 + full_a as u8)
}

/// Picks the one occurrence that is certainly the anchor, if any (see the
/// module documentation, step 3). `single_ok` decides for a lone occurrence.
fn decide(cands: &[Cand], truncated: bool, single_ok: impl Fn(&Cand) -> bool) -> Option<usize> {
    if truncated {
        return None;
    }
    let open: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].eligible && !cands[i].claimed)
        .collect();
    match open.len() {
        0 => None,
        1 => single_ok(&cands[open[0]]).then_some(open[0]),
        _ => {
            let in_window = open.iter().filter(|&&i| cands[i].in_window).count();
            let strong: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&i| cands[i].full > 0 || (cands[i].in_window && in_window == 1))
                .collect();
            let [w] = strong[..] else { return None };
            let wc = cands[w].ctx;
            open.iter()
                .all(|&i| {
                    i == w || cands[i].ctx < FULL_CONTEXT_MIN || cands[i].ctx + CLEAR_MARGIN <= wc
                })
                .then_some(w)
        }
    }
}

/// Whether two passages have a word in common (ignoring case).
fn shares_a_word(a: &[char], b: &[char]) -> bool {
    let words = |t: &[char]| -> std::collections::HashSet<String> {
        t.split(|c| !is_word(*c))
            .filter(|w| !w.is_empty())
            .map(|w| w.iter().flat_map(|c| c.to_lowercase()).collect())
            .collect()
    };
    !words(a).is_disjoint(&words(b))
}

/// Shortens an excerpt for a reason (cutting between words), shows line
/// breaks, and quotes it.
fn quoted(chars: &[char]) -> String {
    let shown: String = if chars.len() <= REASON_CHARS {
        chars.iter().collect()
    } else {
        let half = REASON_CHARS / 2;
        let mut h = half;
        while h > half / 2 && !chars[h].is_whitespace() {
            h -= 1;
        }
        let mut t = chars.len() - half;
        while t < chars.len() - half / 2 && !chars[t - 1].is_whitespace() {
            t += 1;
        }
        let head: String = chars[..h].iter().collect();
        let tail: String = chars[t..].iter().collect();
        format!("{} … {}", head.trim_end(), tail.trim_start())
    };
    format!("'{}'", shown.replace('\n', "↵"))
}

/// Start of the word `n` words left of `pos` (counting the one `pos` is in).
fn back_words(chars: &[char], mut pos: usize, n: usize) -> usize {
    while pos > 0 && is_word(chars[pos - 1]) {
        pos -= 1;
    }
    for _ in 0..n {
        while pos > 0 && !is_word(chars[pos - 1]) {
            pos -= 1;
        }
        while pos > 0 && is_word(chars[pos - 1]) {
            pos -= 1;
        }
    }
    pos
}

/// End of the word `n` words right of `pos` (counting the one `pos` is in).
fn fwd_words(chars: &[char], mut pos: usize, n: usize) -> usize {
    while pos < chars.len() && is_word(chars[pos]) {
        pos += 1;
    }
    for _ in 0..n {
        while pos < chars.len() && !is_word(chars[pos]) {
            pos += 1;
        }
        while pos < chars.len() && is_word(chars[pos]) {
            pos += 1;
        }
    }
    pos
}

/// "'old' is now 'new'", showing both in full when short, else the changed
/// words with one word either side.
fn describe_change(old: &[char], new: &[char]) -> String {
    if old.len() <= REASON_CHARS && new.len() <= REASON_CHARS {
        return format!("{} is now {}", quoted(old), quoted(new));
    }
    let p = common_prefix(old, new);
    let q = common_suffix(&old[p..], &new[p..]);
    let a = back_words(old, p, 1);
    let old_end = old.len() - q;
    let tail = fwd_words(old, old_end, 1) - old_end;
    let excerpt = |text: &[char], end: usize| {
        let mut v = Vec::new();
        if a > 0 {
            v.push('…');
        }
        v.extend_from_slice(&text[a..end + tail]);
        if end + tail < text.len() {
            v.push('…');
        }
        quoted(&v)
    };
    format!(
        "{} is now {}",
        excerpt(old, old_end),
        excerpt(new, new.len() - q)
    )
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

    /// Step 2: where old `s..e` reads unchanged in the new text. The first and
    /// the last coded char that lie in unchanged text serve as pivots: the
    /// diff says that char *is* this passage's char, so if the new text around
    /// it reads as the quote at the same offsets, with the same word
    /// boundaries at both ends, the passage is intact there. Text inserted
    /// right before or after the passage is never taken in, since the range
    /// has exactly the quote's length; and a pivot inside the range (rather
    /// than the boundary chars themselves) keeps passages that begin or end
    /// with whitespace or punctuation the diff aligned elsewhere.
    fn direct(&self, s: usize, e: usize, quote: &[char]) -> Option<usize> {
        let i = self.segs.partition_point(|g| g.old_end <= s);
        let first = self.segs[i..]
            .iter()
            .take_while(|g| g.old_start < e)
            .find(|g| g.equal && g.old_end > g.old_start)
            .map(|g| g.old_start.max(s));
        let j = self.segs.partition_point(|g| g.old_start < e);
        let last = self.segs[..j]
            .iter()
            .rev()
            .take_while(|g| g.old_end > s)
            .find(|g| g.equal && g.old_end > g.old_start)
            .map(|g| g.old_end.min(e) - 1);
        let (mid_s, mid_e) = (self.old.mid_word(s), self.old.mid_word(e));
        [first, last].into_iter().flatten().find_map(|pivot| {
            let ns = self.old_to_new(pivot)?.checked_sub(pivot - s)?;
            (self.new.has_at(ns, quote)
                && self.new.mid_word(ns) == mid_s
                && self.new.mid_word(ns + quote.len()) == mid_e)
                .then_some(ns)
        })
    }

    /// An anchor with an empty quote is a position.
    fn place_point(&self, anchor: &Anchor) -> Placement {
        match self.map_point(anchor.start) {
            Some(q) => Placement::Certain { start: q, end: q },
            None => Placement::Uncertain {
                proposal: None,
                reason: "the marked position lies in text that was edited".to_owned(),
            },
        }
    }

    /// Step 1: the quote's place in the old text. The stored quote is the
    /// truth; stale offsets are recovered by search and context.
    fn resolve_old(&self, anchor: &Anchor, quote: &[char]) -> OldPlace {
        let (s, e) = (anchor.start, anchor.end);
        if s <= e && e - s == quote.len() && self.old.has_at(s, quote) {
            return OldPlace::At(s, e);
        }
        let (occ, truncated) = self.old.occurrences(&anchor.quote, MAX_CANDIDATES);
        if occ.is_empty() {
            return OldPlace::Missing;
        }
        let l = quote.len();
        if occ.len() == 1 {
            return OldPlace::At(occ[0], occ[0] + l);
        }
        let before: Vec<char> = anchor.context_before.chars().collect();
        let after: Vec<char> = anchor.context_after.chars().collect();
        let cands: Vec<Cand> = occ
            .iter()
            .map(|&c| {
                let (ctx, full) = context_match(&self.old, c, c + l, &before, &after);
                Cand {
                    start: c,
                    end: c + l,
                    eligible: true,
                    claimed: false,
                    ctx,
                    full,
                    in_window: false,
                    folded_ctx: 0,
                    dist: c.abs_diff(s),
                }
            })
            .collect();
        match decide(&cands, truncated, |_| true) {
            Some(i) => OldPlace::At(cands[i].start, cands[i].end),
            None => OldPlace::Ambiguous(occ.len()),
        }
    }

    fn place_ctx(
        &self,
        anchor: &Anchor,
        quote: Vec<char>,
        old_range: Option<(usize, usize)>,
    ) -> PlaceCtx {
        let before: Vec<char> = anchor.context_before.chars().collect();
        let after: Vec<char> = anchor.context_after.chars().collect();
        let (old_mid_start, old_mid_end) = match old_range {
            Some((s, e)) => (self.old.mid_word(s), self.old.mid_word(e)),
            None => (
                before
                    .last()
                    .zip(quote.first())
                    .is_some_and(|(&a, &b)| joins(a, b)),
                quote
                    .last()
                    .zip(after.first())
                    .is_some_and(|(&a, &b)| joins(a, b)),
            ),
        };
        let (window, expected) = match old_range {
            Some((s, e)) => (Some(self.window(s, e)), self.fuzzy_start(s)),
            None => {
                let old_len = self.old.len().max(1) as u128;
                let at =
                    anchor.start.min(self.old.len()) as u128 * self.new.len() as u128 / old_len;
                (None, at as usize)
            }
        };
        let words = quote
            .iter()
            .enumerate()
            .filter(|&(i, &c)| is_word(c) && (i == 0 || !joins(quote[i - 1], c)))
            .count();
        PlaceCtx {
            distinctive: words >= 4 && quote.len() >= 20,
            fold_before: fold(&before),
            fold_after: fold(&after),
            quote,
            before,
            after,
            old_range,
            window,
            expected,
            old_mid_start,
            old_mid_end,
        }
    }

    fn candidate(&self, p: &PlaceCtx, start: usize, end: usize) -> Cand {
        let eligible =
            self.new.mid_word(start) == p.old_mid_start && self.new.mid_word(end) == p.old_mid_end;
        let (ctx, full) = context_match(&self.new, start, end, &p.before, &p.after);
        Cand {
            start,
            end,
            eligible,
            claimed: self.claimed(p, start, end, ctx),
            ctx,
            full,
            in_window: p.window.is_some_and(|(lo, hi)| start >= lo && end <= hi),
            folded_ctx: self.folded_context(start, end, &p.fold_before, &p.fold_after),
            dist: start.abs_diff(p.expected),
        }
    }

    /// Whether new `start..end` is, by the diff, another old passage: its
    /// first or last char is unchanged text that stood outside the anchor's
    /// old range (were it the anchor's own text, that char would map back into
    /// the range). Where the diff had to choose between equal words — two
    /// "it"s, one deleted — the surroundings have the last word: the other
    /// passage keeps its claim only if its old context fits the new
    /// surroundings at least as well as the anchor's context does (`ctx`).
    fn claimed(&self, p: &PlaceCtx, start: usize, end: usize, ctx: usize) -> bool {
        let Some((s, e)) = p.old_range else {
            return false;
        };
        let l = end.saturating_sub(start);
        if l == 0 {
            return false;
        }
        let claimant = |q: usize, offset: usize| -> Option<usize> {
            let o = self.new_to_old(q)?;
            (o < s || o >= e).then(|| o.checked_sub(offset)).flatten()
        };
        let Some(cs) = claimant(start, 0).or_else(|| claimant(end - 1, l - 1)) else {
            return false;
        };
        let ce = cs + l;
        if ce > self.old.len() {
            return true;
        }
        let before = &self.old.chars[cs.saturating_sub(CONTEXT_CHARS)..cs];
        let after = &self.old.chars[ce..(ce + CONTEXT_CHARS).min(self.old.len())];
        context_match(&self.new, start, end, before, after).0 >= ctx
    }

    fn folded_context(&self, start: usize, end: usize, fb: &[char], fa: &[char]) -> usize {
        let f = &self.folded;
        let k1 = f.pos.partition_point(|&x| x < start);
        let k2 = f.pos.partition_point(|&x| x < end);
        common_suffix(&f.chars[..k1], fb) + common_prefix(&f.chars[k2..], fa)
    }

    /// Steps 4 and 5: the best proposal and why the anchor is not certain.
    fn uncertain(
        &self,
        p: &PlaceCtx,
        cands: &[Cand],
        truncated: bool,
        old_place: &OldPlace,
    ) -> Placement {
        let open: Vec<&Cand> = cands.iter().filter(|c| !c.claimed).collect();
        let claimed = cands.len() - open.len();
        let best_open = open.iter().copied().max_by_key(|c| rank(c));
        let times = |n: usize| {
            if truncated {
                format!("more than {n} times")
            } else {
                format!("{n} times")
            }
        };

        if let Some((s, e)) = p.old_range {
            // Where the old passage went: boundaries through the refinement.
            let anchored = self.old_to_new(s).is_some() || self.old_to_new(e - 1).is_some();
            let eligible_elsewhere = best_open.filter(|c| c.eligible);
            let (ns, ne) = self.snap(self.fuzzy_start(s), self.fuzzy_end(e), p);
            if ns < ne && (anchored || eligible_elsewhere.is_none()) {
                return self.edited_in_place(p, ns, ne);
            }
            if let Some(c) = eligible_elsewhere {
                let here = if ns < ne {
                    "the coded passage was rewritten where it stood"
                } else {
                    "the coded passage was deleted where it stood"
                };
                let reason = if open.len() > 1 {
                    format!(
                        "{here}; its words occur {} elsewhere and the context does not decide",
                        times(open.len())
                    )
                } else {
                    format!(
                        "{here}; the same words appear elsewhere, with different surroundings: check whether it moved"
                    )
                };
                return uncertain(Some((c.start, c.end)), reason);
            }
        }

        if let Some(c) = best_open {
            let reason = if open.len() > 1 {
                format!(
                    "the quote occurs {} and the context does not decide",
                    times(open.len())
                )
            } else if !c.eligible {
                let lo = back_words(&self.new.chars, c.start, 0);
                let hi = fwd_words(&self.new.chars, c.end, 0);
                format!(
                    "the coded words now only appear as part of other words: {}",
                    quoted(&self.new.chars[lo..hi])
                )
            } else {
                "the coded words were found only at another place, with different surroundings"
                    .to_owned()
            };
            return uncertain(Some((c.start, c.end)), reason);
        }

        if let Some(c) = self.best_folded(p, None) {
            return uncertain(
                Some((c.start, c.end)),
                format!(
                    "the exact words were not found; a passage that differs only in spacing, punctuation or capitals was found elsewhere: {} is now {}",
                    quoted(&p.quote),
                    quoted(&self.new.chars[c.start..c.end])
                ),
            );
        }

        let reason = match old_place {
            OldPlace::At(..) if claimed > 0 => format!(
                "the coded passage was deleted: {} (the same words remain {} elsewhere, in other passages)",
                quoted(&p.quote),
                if claimed == 1 {
                    "once".to_owned()
                } else {
                    times(claimed)
                }
            ),
            OldPlace::At(..) => format!("the coded passage was deleted: {}", quoted(&p.quote)),
            OldPlace::Ambiguous(n) => format!(
                "the quote occurs {} in the old text, the context does not decide, and it is not in the new text",
                times(*n)
            ),
            OldPlace::Missing => format!(
                "the coded words {} are neither in the old text nor in the new text",
                quoted(&p.quote)
            ),
        };
        uncertain(None, reason)
    }

    /// The old passage became new `ns..ne`, which does not read as the quote
    /// (or does, but not at the same word boundaries).
    fn edited_in_place(&self, p: &PlaceCtx, ns: usize, ne: usize) -> Placement {
        let now = &self.new.chars[ns..ne];
        if now == p.quote.as_slice() {
            return uncertain(
                Some((ns, ne)),
                "the text right around the coded words was edited; check where the coding begins and ends"
                    .to_owned(),
            );
        }
        let fq = fold(&p.quote);
        let retyped = |c: &Cand| {
            format!(
                "only spacing, punctuation or capitals changed in the coded words: {}",
                describe_change(&p.quote, &self.new.chars[c.start..c.end])
            )
        };
        if !fq.is_empty() && fq == fold(now) {
            let c = self.candidate(p, ns, ne);
            return uncertain(Some((ns, ne)), retyped(&c));
        }
        if let Some(c) = self.best_folded(p, Some((ns, ne))) {
            return uncertain(Some((c.start, c.end)), retyped(&c));
        }
        let what = if shares_a_word(&p.quote, now) {
            "the coded words were edited"
        } else {
            "the coded passage was rewritten"
        };
        uncertain(
            Some((ns, ne)),
            format!("{what}: {}", describe_change(&p.quote, now)),
        )
    }

    /// The best unclaimed occurrence of the folded quote; with `within`, only
    /// those overlapping that range, the most overlapping first.
    fn best_folded(&self, p: &PlaceCtx, within: Option<(usize, usize)>) -> Option<Cand> {
        let fq: String = fold(&p.quote).into_iter().collect();
        if fq.is_empty() {
            return None;
        }
        let k = fq.chars().count();
        let lead = p.quote.iter().take_while(|c| !is_word(**c)).count();
        let trail = p.quote.iter().rev().take_while(|c| !is_word(**c)).count();
        let f = &self.folded;
        // With a window, only the folded text that can overlap it is searched.
        let (mut from, stop) = match within {
            Some((lo, hi)) => {
                let a = f
                    .pos
                    .partition_point(|&x| x < lo.saturating_sub(p.quote.len()));
                let b = f
                    .pos
                    .partition_point(|&x| x < hi.saturating_add(p.quote.len()));
                (f.byte_of[a], f.byte_of[b])
            }
            None => (0, f.string.len()),
        };
        let mut best: Option<(usize, Cand)> = None;
        let mut seen = 0;
        while let Some(i) = f.string[from..stop].find(&fq) {
            let b = from + i;
            from = b + fq.chars().next().map_or(1, char::len_utf8);
            seen += 1;
            if seen > MAX_CANDIDATES {
                break;
            }
            let fi = f.byte_of.partition_point(|&x| x < b);
            let (Some(&first), Some(&last)) = (f.pos.get(fi), f.pos.get(fi + k - 1)) else {
                continue;
            };
            let (start, end) = self.extend_folded(first, last + 1, lead, trail, p);
            let overlap = match within {
                Some((lo, hi)) => {
                    let o = end.min(hi).saturating_sub(start.max(lo));
                    if o == 0 {
                        continue;
                    }
                    o
                }
                None => 0,
            };
            let c = self.candidate(p, start, end);
            if c.claimed || !c.eligible {
                continue;
            }
            let better = best.as_ref().is_none_or(|(bo, bc)| {
                (overlap, c.folded_ctx, c.in_window, Reverse(c.dist))
                    > (*bo, bc.folded_ctx, bc.in_window, Reverse(bc.dist))
            });
            if better {
                best = Some((overlap, c));
            }
        }
        best.map(|(_, c)| c)
    }

    /// Widens a folded match over the punctuation the quote begins and ends
    /// with, without taking in whitespace the quote does not have.
    fn extend_folded(
        &self,
        mut s: usize,
        mut e: usize,
        lead: usize,
        trail: usize,
        p: &PlaceCtx,
    ) -> (usize, usize) {
        let ch = &self.new.chars;
        let lead_ws = p.quote.first().is_some_and(|c| c.is_whitespace());
        let trail_ws = p.quote.last().is_some_and(|c| c.is_whitespace());
        let mut n = 0;
        while n < lead && s > 0 && !is_word(ch[s - 1]) && (lead_ws || !ch[s - 1].is_whitespace()) {
            s -= 1;
            n += 1;
        }
        n = 0;
        while n < trail && e < ch.len() && !is_word(ch[e]) && (trail_ws || !ch[e].is_whitespace()) {
            e += 1;
            n += 1;
        }
        (s, e)
    }

    /// Widens a proposal to whole words where the old passage began or ended
    /// at a word boundary, and trims whitespace the quote does not have.
    fn snap(&self, mut ns: usize, mut ne: usize, p: &PlaceCtx) -> (usize, usize) {
        let ch = &self.new.chars;
        if ns >= ne {
            return (ns, ns);
        }
        if !p.old_mid_start {
            while ns > 0 && ns < ch.len() && joins(ch[ns - 1], ch[ns]) {
                ns -= 1;
            }
        }
        if !p.old_mid_end {
            while ne > 0 && ne < ch.len() && joins(ch[ne - 1], ch[ne]) {
                ne += 1;
            }
        }
        if p.quote.first().is_some_and(|c| !c.is_whitespace()) {
            while ns < ne && ch[ns].is_whitespace() {
                ns += 1;
            }
        }
        if p.quote.last().is_some_and(|c| !c.is_whitespace()) {
            while ne > ns && ch[ne - 1].is_whitespace() {
                ne -= 1;
            }
        }
        (ns, ne)
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

fn uncertain(proposal: Option<(usize, usize)>, reason: String) -> Placement {
    Placement::Uncertain { proposal, reason }
}
