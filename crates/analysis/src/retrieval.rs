//! Coding retrieval: evaluating a code expression over the codings.
//!
//! A code stands for the union of its codings' ranges in each document;
//! AND is the overlapping text (intersection), OR the union and NOT the
//! difference. Evaluation is per document over sorted, merged range sets
//! ([`super::intervals`]), so it costs a sort of the relevant codings plus
//! linear merges: no pairwise comparison of codings.
//!
//! Two views of the result:
//!
//! * [`retrieve`] returns *passages*: the maximal ranges of the result
//!   (overlapping and touching codings merged), each with the codings that
//!   contributed to it. This is what AND and NOT produce and what a report of
//!   "where do these codes meet" needs.
//! * [`retrieve_codings`] returns every contributing coding as its own
//!   passage, with its full extent. For a code or an OR of codes these are
//!   simply all its codings, so a researcher reviewing a code sees every
//!   coded segment even where two codings overlap.
//!
//! A coding *contributes* to a passage when it overlaps the passage and its
//! code is on the kept side of the expression (not subtracted by a NOT).

use serde::{Deserialize, Serialize};
use storyloom_text::ids::{CodeId, DocumentId};

use super::expr::Expr;
use super::intervals::{self, Span};
use super::turn_index::TurnIndex;
use super::{Result, Segment, TurnSpan, check_segment};

/// A retrieved range of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    pub doc_id: DocumentId,
    pub start: usize,
    pub end: usize,
    /// Codings that contributed, sorted.
    pub coding_ids: Vec<i64>,
    /// Codes of those codings, sorted and deduplicated.
    pub codes: Vec<CodeId>,
}

/// Keeps only passages whose turn passes a test (speaker role, participant
/// attributes: the caller builds the test).
///
/// A passage is judged by its attributed turn: the turn containing its
/// start, or else the first turn it overlaps ([`TurnIndex::attributed`]).
/// A passage overlapping no turn is dropped, since no speaker can pass a
/// test about speakers.
#[derive(Clone, Copy)]
pub struct TurnFilter<'a> {
    pub turns: &'a TurnIndex,
    pub keep: &'a dyn Fn(&TurnSpan) -> bool,
}

impl TurnFilter<'_> {
    /// Whether the range `[start, end)` of a document passes.
    pub fn keeps(&self, doc_id: DocumentId, start: usize, end: usize) -> bool {
        self.turns
            .attributed(doc_id, start, end)
            .is_some_and(|t| (self.keep)(t))
    }
}

/// Merged passages of the expression's result, sorted by document and
/// start. See the module documentation for the rules.
pub fn retrieve(
    expr: &Expr,
    segments: &[Segment],
    filter: Option<&TurnFilter<'_>>,
) -> Result<Vec<Passage>> {
    let relevant = relevant_segments(expr, segments)?;
    let positive = expr.positive_code_ids();
    let mut out = Vec::new();
    for doc in relevant.chunk_by(|a, b| a.doc_id == b.doc_id) {
        let doc_id = doc[0].doc_id;
        let result = evaluate(expr, doc);
        for p in passages(doc_id, &result, doc, &positive) {
            if filter.is_none_or(|f| f.keeps(p.doc_id, p.start, p.end)) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// Every coding that contributes to the expression's result, each as its
/// own passage with its full extent, sorted by document, start, end and
/// coding id. A coding is judged by the filter on its own attributed turn.
pub fn retrieve_codings(
    expr: &Expr,
    segments: &[Segment],
    filter: Option<&TurnFilter<'_>>,
) -> Result<Vec<Passage>> {
    let relevant = relevant_segments(expr, segments)?;
    let positive = expr.positive_code_ids();
    let mut out = Vec::new();
    for doc in relevant.chunk_by(|a, b| a.doc_id == b.doc_id) {
        let result = evaluate(expr, doc);
        // Codings come sorted by start and the result is sorted, so one
        // forward pass finds whether each coding overlaps some passage.
        for s in doc {
            if positive.binary_search(&s.code_id).is_err() {
                continue;
            }
            let span = Span::new(s.start, s.end);
            let k = result.partition_point(|p| p.end <= s.start);
            let contributes = result.get(k).is_some_and(|p| p.overlaps(&span));
            if contributes && filter.is_none_or(|f| f.keeps(s.doc_id, s.start, s.end)) {
                out.push(Passage {
                    doc_id: s.doc_id,
                    start: s.start,
                    end: s.end,
                    coding_ids: vec![s.coding_id],
                    codes: vec![s.code_id],
                });
            }
        }
    }
    Ok(out)
}

/// The codings of the expression's codes, checked, without empty ones,
/// sorted by (document, start, end, coding id).
fn relevant_segments<'s>(expr: &Expr, segments: &'s [Segment]) -> Result<Vec<&'s Segment>> {
    let ids = expr.code_ids();
    let mut out = Vec::new();
    for s in segments {
        if ids.binary_search(&s.code_id).is_ok() && check_segment(s)? {
            out.push(s);
        }
    }
    out.sort_unstable_by_key(|s| (s.doc_id, s.start, s.end, s.coding_id));
    Ok(out)
}

/// The expression's text in one document (codings sorted by start).
pub(crate) fn evaluate(expr: &Expr, doc: &[&Segment]) -> Vec<Span> {
    match expr {
        Expr::Code(c) => intervals::from_sorted(
            doc.iter()
                .filter(|s| c.ids.binary_search(&s.code_id).is_ok())
                .map(|s| Span::new(s.start, s.end)),
        ),
        Expr::And(a, b) => {
            let left = evaluate(a, doc);
            if left.is_empty() {
                return left;
            }
            intervals::intersect(&left, &evaluate(b, doc))
        }
        Expr::Or(a, b) => intervals::union(&evaluate(a, doc), &evaluate(b, doc)),
        Expr::Not(a, b) => {
            let left = evaluate(a, doc);
            if left.is_empty() {
                return left;
            }
            intervals::difference(&left, &evaluate(b, doc))
        }
    }
}

/// Turns a document's result set into passages with their contributors.
fn passages(
    doc_id: DocumentId,
    result: &[Span],
    doc: &[&Segment],
    positive: &[CodeId],
) -> Vec<Passage> {
    let mut out: Vec<Passage> = result
        .iter()
        .map(|r| Passage {
            doc_id,
            start: r.start,
            end: r.end,
            coding_ids: Vec::new(),
            codes: Vec::new(),
        })
        .collect();
    for s in doc {
        if positive.binary_search(&s.code_id).is_err() {
            continue;
        }
        let span = Span::new(s.start, s.end);
        let first = result.partition_point(|p| p.end <= s.start);
        for (k, r) in result.iter().enumerate().skip(first) {
            if !r.overlaps(&span) {
                break;
            }
            out[k].coding_ids.push(s.coding_id);
            out[k].codes.push(s.code_id);
        }
    }
    for p in &mut out {
        p.coding_ids.sort_unstable();
        p.codes.sort_unstable();
        p.codes.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    fn seg(coding_id: i64, code_id: i64, doc_id: i64, start: usize, end: usize) -> Segment {
        crate::test_segment(coding_id, code_id, doc_id, (start, end), "ana")
    }

    /// Codes A=1, B=2, C=3.
    fn q(s: &str) -> Expr {
        parse(s, |n| match n {
            "A" => Ok(vec![CodeId(1)]),
            "B" => Ok(vec![CodeId(2)]),
            "C" => Ok(vec![CodeId(3)]),
            _ => Err("unknown".into()),
        })
        .unwrap()
    }

    fn spans(ps: &[Passage]) -> Vec<(i64, usize, usize)> {
        ps.iter()
            .map(|p| (p.doc_id.get(), p.start, p.end))
            .collect()
    }

    /// Document 1:  A: 101 [0,10)  102 [5,15)  103 [30,40)
    ///              B: 201 [8,20)  202 [40,50) (touches 103)
    ///              C: 301 [12,14)
    /// Document 2:  A: 104 [0,5)   B: 203 [3,4)
    fn data() -> Vec<Segment> {
        vec![
            seg(202, 2, 1, 40, 50),
            seg(101, 1, 1, 0, 10),
            seg(103, 1, 1, 30, 40),
            seg(102, 1, 1, 5, 15),
            seg(201, 2, 1, 8, 20),
            seg(301, 3, 1, 12, 14),
            seg(104, 1, 2, 0, 5),
            seg(203, 2, 2, 3, 4),
        ]
    }

    #[test]
    fn single_code_merges_overlaps_and_lists_codings() {
        // A in doc 1: [0,10) ∪ [5,15) = [0,15); [30,40) apart. Doc 2: [0,5).
        let r = retrieve(&q("A"), &data(), None).unwrap();
        assert_eq!(spans(&r), vec![(1, 0, 15), (1, 30, 40), (2, 0, 5)]);
        assert_eq!(r[0].coding_ids, vec![101, 102]);
        assert_eq!(r[0].codes, crate::code_ids(&[1]));
        // Raw codings: every A coding on its own.
        let raw = retrieve_codings(&q("A"), &data(), None).unwrap();
        assert_eq!(
            spans(&raw),
            vec![(1, 0, 10), (1, 5, 15), (1, 30, 40), (2, 0, 5)]
        );
        assert_eq!(raw[1].coding_ids, vec![102]);
    }

    #[test]
    fn and_is_overlapping_text_and_touching_is_not_overlap() {
        // A = [0,15) [30,40); B = [8,20) [40,50).
        // A ∩ B = [8,15); [30,40) and [40,50) only touch.
        let r = retrieve(&q("A AND B"), &data(), None).unwrap();
        // Doc 2: A [0,5) ∩ B [3,4) = [3,4).
        assert_eq!(spans(&r), vec![(1, 8, 15), (2, 3, 4)]);
        // Contributors: A codings 101 [0,10) and 102 [5,15) both overlap
        // [8,15); B coding 201.
        assert_eq!(r[0].coding_ids, vec![101, 102, 201]);
        assert_eq!(r[0].codes, crate::code_ids(&[1, 2]));
        // Raw codings of an AND: the full codings that meet.
        let raw = retrieve_codings(&q("A AND B"), &data(), None).unwrap();
        assert_eq!(
            spans(&raw),
            vec![(1, 0, 10), (1, 5, 15), (1, 8, 20), (2, 0, 5), (2, 3, 4)]
        );
        // Three-way: A ∩ B ∩ C = [8,15) ∩ [12,14) = [12,14).
        let r = retrieve(&q("A AND B AND C"), &data(), None).unwrap();
        assert_eq!(spans(&r), vec![(1, 12, 14)]);
        assert_eq!(r[0].coding_ids, vec![102, 201, 301]);
    }

    #[test]
    fn or_merges_touching_text_into_one_passage() {
        // A ∪ B in doc 1 = [0,20) and [30,50) ([30,40) touches [40,50)).
        let r = retrieve(&q("A OR B"), &data(), None).unwrap();
        assert_eq!(spans(&r), vec![(1, 0, 20), (1, 30, 50), (2, 0, 5)]);
        assert_eq!(r[1].coding_ids, vec![103, 202]);
        assert_eq!(r[1].codes, crate::code_ids(&[1, 2]));
        let raw = retrieve_codings(&q("A OR B"), &data(), None).unwrap();
        assert_eq!(raw.len(), 7, "every A and B coding");
    }

    #[test]
    fn not_subtracts_and_reports_only_kept_codings() {
        // A − B in doc 1: [0,15) − [8,20) = [0,8); [30,40) − [40,50) = [30,40)
        // (touching removes nothing). Doc 2: [0,5) − [3,4) = [0,3) [4,5).
        let r = retrieve(&q("A NOT B"), &data(), None).unwrap();
        assert_eq!(
            spans(&r),
            vec![(1, 0, 8), (1, 30, 40), (2, 0, 3), (2, 4, 5)]
        );
        // [0,8) comes from 101 [0,10) and 102 [5,15); B's 201 is subtracted,
        // not a contributor.
        assert_eq!(r[0].coding_ids, vec![101, 102]);
        assert_eq!(r[0].codes, crate::code_ids(&[1]));
        assert_eq!(retrieve(&q("A AND NOT B"), &data(), None).unwrap(), r);
        // (A OR C) NOT B = [0,15) − [8,20) = [0,8) again (C lies inside B).
        let r2 = retrieve(&q("(A OR C) NOT B"), &data(), None).unwrap();
        assert_eq!(spans(&r2)[0], (1, 0, 8));
        // B NOT A in doc 1: [8,20) − [0,15) = [15,20); [40,50) stays.
        let r3 = retrieve(&q("B NOT A"), &data(), None).unwrap();
        assert_eq!(spans(&r3), vec![(1, 15, 20), (1, 40, 50)]);
    }

    #[test]
    fn filter_keeps_passages_whose_start_turn_passes() {
        // Doc 1 turns: interviewer [0,9), participant 7 [9,25),
        // participant 8 [32,60). Text [25,32) is between turns (a label).
        let turns = vec![
            TurnSpan {
                turn_id: 1,
                doc_id: DocumentId(1),
                start: 0,
                end: 9,
                speaker_id: 1,
                participant_id: None,
            },
            TurnSpan {
                turn_id: 2,
                doc_id: DocumentId(1),
                start: 9,
                end: 25,
                speaker_id: 2,
                participant_id: Some(storyloom_text::ids::ParticipantId(7)),
            },
            TurnSpan {
                turn_id: 3,
                doc_id: DocumentId(1),
                start: 32,
                end: 60,
                speaker_id: 3,
                participant_id: Some(storyloom_text::ids::ParticipantId(8)),
            },
        ];
        let ix = TurnIndex::new(&turns);
        let participants = |t: &TurnSpan| t.participant_id.is_some();
        let f = TurnFilter {
            turns: &ix,
            keep: &participants,
        };
        // A passages: [0,15) starts in the interviewer's turn: dropped.
        // [30,40) starts in the gap; first overlapping turn is participant
        // 8's: kept. Doc 2 has no turns: dropped.
        let r = retrieve(&q("A"), &data(), Some(&f)).unwrap();
        assert_eq!(spans(&r), vec![(1, 30, 40)]);
        // Raw codings judged one by one: 101 [0,10) starts in the
        // interviewer's turn (dropped); 102 [5,15) too; 103 kept.
        let raw = retrieve_codings(&q("A"), &data(), Some(&f)).unwrap();
        assert_eq!(spans(&raw), vec![(1, 30, 40)]);
        // B: 201 [8,20) starts at 8, inside the interviewer's [0,9):
        // dropped although most of it is participant 7's; 202 kept.
        let raw_b = retrieve_codings(&q("B"), &data(), Some(&f)).unwrap();
        assert_eq!(spans(&raw_b), vec![(1, 40, 50)]);
    }

    #[test]
    fn empty_codings_are_ignored_and_reversed_ones_refused() {
        let mut d = data();
        d.push(seg(900, 1, 1, 20, 20));
        assert_eq!(retrieve(&q("A"), &d, None).unwrap().len(), 3);
        d.push(seg(901, 1, 1, 25, 21));
        assert_eq!(
            retrieve(&q("A"), &d, None),
            Err(crate::AnalysisError::InvalidSegment {
                coding_id: 901,
                doc_id: DocumentId(1),
                start: 25,
                end: 21
            })
        );
        // A coding of a code the query does not mention is not even looked at.
        let mut d = data();
        d.push(seg(902, 9, 1, 25, 21));
        assert!(retrieve(&q("A"), &d, None).is_ok());
    }
}
