//! The token diff: aligns two versions of a text as a monotone list of
//! segments, each unchanged or changed (see the module docs of [`super`]).

use super::*;

/// A piece of the alignment: old chars `old_start..old_end` became new chars
/// `new_start..new_end`; when `equal`, both are the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Seg {
    pub(super) old_start: usize,
    pub(super) old_end: usize,
    pub(super) new_start: usize,
    pub(super) new_end: usize,
    pub(super) equal: bool,
}

/// Appends a segment, merging it with the previous one of the same kind.
pub(super) fn push_seg(segs: &mut Vec<Seg>, equal: bool, old: Range<usize>, new: Range<usize>) {
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

pub(super) fn common_prefix<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

pub(super) fn common_suffix<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The token-level alignment of two texts, and whether the deadline cut it
/// short.
pub(super) fn diff_segments<'a>(
    old: &'a [char],
    new: &'a [char],
    deadline: Instant,
) -> (Vec<Seg>, bool) {
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
pub(super) const GRAM: usize = 4;
/// Ranges this short (old + new tokens) go straight to Myers.
pub(super) const MYERS_DIRECTLY: usize = 64;
/// Recursion limit for [`Aligner::align`].
pub(super) const MAX_DEPTH: usize = 12;

/// Token alignment by recursive sync points: word n-grams that occur exactly
/// once in each version's range are matched, their longest increasing chain
/// cuts the ranges into small gaps, and each gap is aligned again (with its
/// own unique n-grams, then unique words, then Myers). This is patience diff
/// with n-grams instead of single tokens: whitespace and punctuation, which a
/// re-typing changes everywhere, never serve as sync points, and word n-grams
/// stay unique in repetitive speech where single words do not. Myers alone is
/// O((N+M)·D), hopeless for a re-typed 300k-char transcript; here it only
/// ever sees short gaps.
pub(super) struct Aligner<'a> {
    pub(super) old: &'a [u32],
    pub(super) new: &'a [u32],
    pub(super) old_words: &'a [bool],
    pub(super) new_words: &'a [bool],
    pub(super) old_tb: &'a [usize],
    pub(super) new_tb: &'a [usize],
    pub(super) deadline: Instant,
    pub(super) segs: Vec<Seg>,
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
pub(super) fn longest_increasing_chain(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
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
pub(super) type Piece = (bool, Range<usize>, Range<usize>);

/// Raw Myers ops. `similar`'s `capture_diff*` functions run the `Compact`
/// hook, which can emit ops that do not tile the input; plain `Capture`
/// keeps Myers' own, consistent output.
pub(super) fn myers_ops<T: PartialEq>(
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
pub(super) fn tile_ops<T: PartialEq>(
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
pub(super) fn segments_valid(segs: &[Seg], old: &[char], new: &[char]) -> bool {
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
pub(super) fn fallback_segments(old: &[char], new: &[char]) -> Vec<Seg> {
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
pub(super) fn refine_segment(seg: Seg, old: &[char], new: &[char]) -> Option<Vec<Seg>> {
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
