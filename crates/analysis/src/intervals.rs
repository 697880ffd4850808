//! Sets of char ranges: the algebra behind code queries and agreement.
//!
//! A set is a `Vec<Span>` kept *normalised*: sorted, non-empty spans that
//! neither overlap nor touch. Touching spans are merged because the text
//! between them is contiguous: two codings `[0, 5)` and `[5, 9)` read as one
//! passage. Every operation takes and returns normalised sets in linear time
//! (two-pointer merges), so no query is quadratic in the number of codings.

use serde::{Deserialize, Serialize};

/// A char range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Number of chars.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Whether the two ranges share at least one char (touching is not
    /// overlapping).
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Normalises any list of spans: sorts, drops empty spans, merges
/// overlapping and touching ones.
pub fn normalize(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    if !spans.windows(2).all(|w| w[0].start <= w[1].start) {
        spans.sort_unstable();
    }
    coalesce_sorted(spans)
}

/// Merges overlapping and touching spans of a list sorted by start.
fn coalesce_sorted(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Builds a normalised set from spans already sorted by start (the common
/// case: segments come sorted), without re-sorting.
pub fn from_sorted(spans: impl IntoIterator<Item = Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut sorted = true;
    for s in spans {
        if s.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if s.start < last.start => {
                sorted = false;
                out.push(s);
            }
            Some(last) if sorted && s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    if sorted { out } else { normalize(out) }
}

/// Union of two normalised sets.
pub fn union(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].start <= b[j].start);
        if take_a {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    coalesce_sorted(merged)
}

/// Intersection of two normalised sets: the text both cover.
pub fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            out.push(Span { start, end });
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `a` minus `b`: the text of `a` that `b` does not cover.
pub fn difference(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut j = 0;
    for &s in a {
        let mut cur = s.start;
        // Skip the parts of b that end before this span.
        while j < b.len() && b[j].end <= cur {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < s.end {
            if b[k].start > cur {
                out.push(Span::new(cur, b[k].start));
            }
            cur = cur.max(b[k].end);
            if cur >= s.end {
                break;
            }
            k += 1;
        }
        if cur < s.end {
            out.push(Span::new(cur, s.end));
        }
    }
    out
}

/// Total chars covered by a normalised set.
pub fn total_len(a: &[Span]) -> usize {
    a.iter().map(Span::len).sum()
}

/// Size of the intersection without building it.
pub fn intersection_len(a: &[Span], b: &[Span]) -> usize {
    let mut total = 0;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        total += end.saturating_sub(start);
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[(usize, usize)]) -> Vec<Span> {
        normalize(v.iter().map(|&(s, e)| Span::new(s, e)).collect())
    }

    #[test]
    fn normalize_merges_overlapping_and_touching_and_drops_empty() {
        // [5,9) overlaps [0,6); [9,12) touches [5,9); [20,20) is empty.
        assert_eq!(
            set(&[(9, 12), (0, 6), (20, 20), (5, 9), (30, 31)]),
            set(&[(0, 12), (30, 31)])
        );
        assert_eq!(set(&[(0, 12), (30, 31)]).len(), 2);
    }

    #[test]
    fn from_sorted_handles_unsorted_input_too() {
        let spans = [Span::new(10, 12), Span::new(0, 3), Span::new(2, 5)];
        assert_eq!(from_sorted(spans), set(&[(0, 5), (10, 12)]));
    }

    #[test]
    fn union_intersect_difference_by_hand() {
        // a = [0,10) [20,30); b = [5,25) [30,35)
        let a = set(&[(0, 10), (20, 30)]);
        let b = set(&[(5, 25), (30, 35)]);
        // union: [0,35) because [20,30) and [30,35) touch.
        assert_eq!(union(&a, &b), set(&[(0, 35)]));
        // intersection: [5,10) and [20,25); [30,35) only touches [20,30).
        assert_eq!(intersect(&a, &b), set(&[(5, 10), (20, 25)]));
        assert_eq!(intersection_len(&a, &b), 10);
        // a - b: [0,5) and [25,30).
        assert_eq!(difference(&a, &b), set(&[(0, 5), (25, 30)]));
        // b - a: [10,20) and [30,35).
        assert_eq!(difference(&b, &a), set(&[(10, 20), (30, 35)]));
        assert_eq!(total_len(&a), 20);
    }

    #[test]
    fn difference_with_many_holes() {
        let a = set(&[(0, 100)]);
        let b = set(&[(10, 20), (30, 40), (95, 120)]);
        assert_eq!(difference(&a, &b), set(&[(0, 10), (20, 30), (40, 95)]));
        assert_eq!(difference(&a, &[]), a);
        assert!(difference(&[], &b).is_empty());
    }
}
