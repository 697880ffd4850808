//! The placement policy: where one anchor lands in the new text, and why,
//! when it is not certain (steps 1 and 3 to 5 of the module docs of [`super`]).

use super::*;

/// Where the quote stands in the old text.
pub(super) enum OldPlace {
    At(usize, usize),
    /// The stored offsets are stale and the quote occurs this many times.
    Ambiguous(usize),
    /// The quote is not in the old text at all.
    Missing,
}

/// What is known about one anchor while placing it.
pub(super) struct PlaceCtx {
    pub(super) quote: Vec<char>,
    pub(super) before: Vec<char>,
    pub(super) after: Vec<char>,
    pub(super) fold_before: Vec<char>,
    pub(super) fold_after: Vec<char>,
    pub(super) old_range: Option<(usize, usize)>,
    /// The new range covering what the old passage became.
    pub(super) window: Option<(usize, usize)>,
    /// Where the passage is expected in the new text.
    pub(super) expected: usize,
    pub(super) old_mid_start: bool,
    pub(super) old_mid_end: bool,
    pub(super) distinctive: bool,
}

/// One occurrence of the quote (or of its folded form) in a text.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    pub(super) start: usize,
    pub(super) end: usize,
    /// Starts and ends at word boundaries exactly as the old passage did.
    pub(super) eligible: bool,
    /// The diff shows it is another old passage.
    pub(super) claimed: bool,
    /// Context chars matching on both sides.
    pub(super) ctx: usize,
    /// Context sides matching entirely.
    pub(super) full: u8,
    pub(super) in_window: bool,
    pub(super) folded_ctx: usize,
    pub(super) dist: usize,
}

pub(super) type RankKey = (bool, bool, u8, usize, bool, usize, Reverse<usize>);

pub(super) fn rank(c: &Cand) -> RankKey {
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
pub(super) fn context_match(
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
pub(super) fn decide(
    cands: &[Cand],
    truncated: bool,
    single_ok: impl Fn(&Cand) -> bool,
) -> Option<usize> {
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

impl Reanchorer {
    /// Step 2: where old `s..e` reads unchanged in the new text. The first and
    /// the last coded char that lie in unchanged text serve as pivots: the
    /// diff says that char *is* this passage's char, so if the new text around
    /// it reads as the quote at the same offsets, with the same word
    /// boundaries at both ends, the passage is intact there. Text inserted
    /// right before or after the passage is never taken in, since the range
    /// has exactly the quote's length; and a pivot inside the range (rather
    /// than the boundary chars themselves) keeps passages that begin or end
    /// with whitespace or punctuation the diff aligned elsewhere.
    pub(super) fn direct(&self, s: usize, e: usize, quote: &[char]) -> Option<usize> {
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
    pub(super) fn place_point(&self, anchor: &Anchor) -> Placement {
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
    pub(super) fn resolve_old(&self, anchor: &Anchor, quote: &[char]) -> OldPlace {
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

    pub(super) fn place_ctx(
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

    pub(super) fn candidate(&self, p: &PlaceCtx, start: usize, end: usize) -> Cand {
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
    pub(super) fn claimed(&self, p: &PlaceCtx, start: usize, end: usize, ctx: usize) -> bool {
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

    pub(super) fn folded_context(
        &self,
        start: usize,
        end: usize,
        fb: &[char],
        fa: &[char],
    ) -> usize {
        let f = &self.folded;
        let k1 = f.pos.partition_point(|&x| x < start);
        let k2 = f.pos.partition_point(|&x| x < end);
        common_suffix(&f.chars[..k1], fb) + common_prefix(&f.chars[k2..], fa)
    }

    /// Steps 4 and 5: the best proposal and why the anchor is not certain.
    pub(super) fn uncertain(
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
    pub(super) fn edited_in_place(&self, p: &PlaceCtx, ns: usize, ne: usize) -> Placement {
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
    pub(super) fn best_folded(&self, p: &PlaceCtx, within: Option<(usize, usize)>) -> Option<Cand> {
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
    pub(super) fn extend_folded(
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
    pub(super) fn snap(&self, mut ns: usize, mut ne: usize, p: &PlaceCtx) -> (usize, usize) {
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
}

pub(super) fn uncertain(proposal: Option<(usize, usize)>, reason: String) -> Placement {
    Placement::Uncertain { proposal, reason }
}
