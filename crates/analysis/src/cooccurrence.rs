//! Code co-occurrence: how often two codes meet.
//!
//! Two modes, because researchers mean two things by "together":
//!
//! * [`CooccurrenceMode::Overlap`]: cell (a, b) is the number of distinct
//!   *regions* of text coded with both a and b, i.e. the number of maximal
//!   ranges of (text of a) ∩ (text of b), where the text of a code is the
//!   union of its codings. Counting regions rather than overlapping coding
//!   pairs means a passage coded twice with a (by two coders, or by
//!   accident) still counts once, and the number matches what
//!   `a AND b` retrieves ([`super::retrieve`] returns exactly this many
//!   passages). Touching codings do not overlap. The diagonal is the number
//!   of codings of the code (the usual frequency), so the diagonal of this
//!   mode is not a count of regions.
//! * [`CooccurrenceMode::SameTurn`]: cell (a, b) is the number of turns
//!   that both a and b overlap; the diagonal is the number of turns coded
//!   with the code. Codings outside every turn do not count here.
//!
//! Codings of every coder count; filter the segments first to compare one
//! coder's work. The matrix is symmetric.
//!
//! Cost: one sort of the relevant codings, then a sweep per document whose
//! work is proportional to the number of overlapping regions found, never
//! to pairs of codes or pairs of codings that do not meet.

use std::collections::HashMap;
use storyloom_text::ids::{CodeId, DocumentId};

use serde::{Deserialize, Serialize};

use super::intervals::{self, Span};
use super::turn_index::{TurnIndex, overlapping_in};
use super::{AnalysisError, Result, Segment, check_segment};

/// What "co-occur" means for [`cooccurrence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CooccurrenceMode {
    /// Distinct regions of overlapping text; diagonal = codings.
    Overlap,
    /// Turns coded with both; diagonal = turns coded.
    SameTurn,
}

/// A square, symmetric matrix over `codes` (rows and columns in that order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooccurrenceMatrix {
    pub mode: CooccurrenceMode,
    pub codes: Vec<CodeId>,
    pub cells: Vec<Vec<usize>>,
}

impl CooccurrenceMatrix {
    /// The cell for two code ids, `None` if either is not in the matrix.
    pub fn get(&self, a: CodeId, b: CodeId) -> Option<usize> {
        let i = self.codes.iter().position(|&c| c == a)?;
        let j = self.codes.iter().position(|&c| c == b)?;
        Some(self.cells[i][j])
    }
}

/// Co-occurrence of `codes` in the given mode. `turns` is only read in
/// [`CooccurrenceMode::SameTurn`].
pub fn cooccurrence(
    codes: &[CodeId],
    segments: &[Segment],
    turns: &TurnIndex,
    mode: CooccurrenceMode,
) -> Result<CooccurrenceMatrix> {
    match mode {
        CooccurrenceMode::Overlap => cooccurrence_overlap(codes, segments),
        CooccurrenceMode::SameTurn => cooccurrence_same_turn(codes, segments, turns),
    }
}

/// Maps each code id to its row, refusing duplicates (two rows for one code
/// would be two copies of the same numbers).
fn code_rows(codes: &[CodeId]) -> Result<HashMap<CodeId, usize>> {
    let mut rows = HashMap::with_capacity(codes.len());
    for (i, &c) in codes.iter().enumerate() {
        if rows.insert(c, i).is_some() {
            return Err(AnalysisError::DuplicateCode { code_id: c });
        }
    }
    Ok(rows)
}

/// [`CooccurrenceMode::Overlap`]: regions off the diagonal, codings on it.
pub fn cooccurrence_overlap(codes: &[CodeId], segments: &[Segment]) -> Result<CooccurrenceMatrix> {
    let rows = code_rows(codes)?;
    let n = codes.len();
    let mut cells = vec![vec![0usize; n]; n];
    // (doc, row, start, end) of every usable coding of a listed code.
    let mut items: Vec<(DocumentId, usize, usize, usize)> = Vec::new();
    for s in segments {
        if let Some(&row) = rows.get(&s.code_id)
            && check_segment(s)?
        {
            items.push((s.doc_id, row, s.start, s.end));
            cells[row][row] += 1;
        }
    }
    items.sort_unstable();

    // Per document: the text of each code (merged), then one sweep over all
    // codes' ranges by start, keeping the ranges still open.
    let mut ranges: Vec<(Span, usize)> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new(); // (end, row)
    for doc in items.chunk_by(|a, b| a.0 == b.0) {
        ranges.clear();
        for code in doc.chunk_by(|a, b| a.1 == b.1) {
            let row = code[0].1;
            let merged = intervals::from_sorted(code.iter().map(|&(_, _, s, e)| Span::new(s, e)));
            ranges.extend(merged.into_iter().map(|sp| (sp, row)));
        }
        ranges.sort_unstable_by_key(|(sp, row)| (sp.start, *row));
        open.clear();
        for &(sp, row) in &ranges {
            // A range ending at or before this start only touches it.
            open.retain(|&(end, _)| end > sp.start);
            // A code's own ranges never overlap or touch (merged), so every
            // open range is another code's and each pair is one region.
            for &(_, other) in &open {
                cells[row][other] += 1;
                cells[other][row] += 1;
            }
            open.push((sp.end, row));
        }
    }
    Ok(CooccurrenceMatrix {
        mode: CooccurrenceMode::Overlap,
        codes: codes.to_vec(),
        cells,
    })
}

/// [`CooccurrenceMode::SameTurn`]: turns coded with both codes.
pub fn cooccurrence_same_turn(
    codes: &[CodeId],
    segments: &[Segment],
    turns: &TurnIndex,
) -> Result<CooccurrenceMatrix> {
    let rows = code_rows(codes)?;
    let n = codes.len();
    let mut cells = vec![vec![0usize; n]; n];
    let mut items: Vec<(DocumentId, usize, usize, usize)> = Vec::new();
    for s in segments {
        if let Some(&row) = rows.get(&s.code_id)
            && check_segment(s)?
        {
            items.push((s.doc_id, row, s.start, s.end));
        }
    }
    items.sort_unstable();
    // Per document: (turn position, row) for every turn a coding overlaps,
    // then the codes of each turn, each pair counted once.
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for doc in items.chunk_by(|a, b| a.0 == b.0) {
        let doc_turns = turns.turns_of(doc[0].0);
        marks.clear();
        for &(_, row, start, end) in doc {
            marks.extend(overlapping_in(doc_turns, start, end).map(|k| (k, row)));
        }
        marks.sort_unstable();
        marks.dedup();
        for turn in marks.chunk_by(|a, b| a.0 == b.0) {
            for (k, &(_, a)) in turn.iter().enumerate() {
                cells[a][a] += 1;
                for &(_, b) in &turn[k + 1..] {
                    cells[a][b] += 1;
                    cells[b][a] += 1;
                }
            }
        }
    }
    Ok(CooccurrenceMatrix {
        mode: CooccurrenceMode::SameTurn,
        codes: codes.to_vec(),
        cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TurnSpan;

    fn seg(coding_id: i64, code_id: i64, doc_id: i64, start: usize, end: usize) -> Segment {
        crate::test_segment(coding_id, code_id, doc_id, (start, end), "ana")
    }

    fn turn(turn_id: i64, doc_id: i64, start: usize, end: usize) -> TurnSpan {
        TurnSpan {
            turn_id,
            doc_id: DocumentId(doc_id),
            start,
            end,
            speaker_id: 1,
            participant_id: None,
        }
    }

    /// Doc 1: A(1) [0,10) [5,12) [20,30) [40,45)
    ///        B(2) [8,22)               [45,50) (touches A's [40,45))
    ///        C(3) [9,11) [25,26)
    /// Doc 2: A [0,5)  B [2,3)  C [50,60)
    fn data() -> Vec<Segment> {
        vec![
            seg(1, 1, 1, 0, 10),
            seg(2, 1, 1, 5, 12),
            seg(3, 1, 1, 20, 30),
            seg(4, 1, 1, 40, 45),
            seg(5, 2, 1, 8, 22),
            seg(6, 2, 1, 45, 50),
            seg(7, 3, 1, 9, 11),
            seg(8, 3, 1, 25, 26),
            seg(9, 1, 2, 0, 5),
            seg(10, 2, 2, 2, 3),
            seg(11, 3, 2, 50, 60),
            // A code not in the matrix and an empty coding: ignored.
            seg(12, 9, 1, 0, 50),
            seg(13, 1, 1, 60, 60),
        ]
    }

    #[test]
    fn overlap_counts_regions_and_codings() {
        let m = cooccurrence(
            &[CodeId(1), CodeId(2), CodeId(3)],
            &data(),
            &TurnIndex::default(),
            CooccurrenceMode::Overlap,
        )
        .unwrap();
        // Text of A in doc 1: [0,12) [20,30) [40,45); B: [8,22) [45,50);
        // C: [9,11) [25,26).
        // A∩B: [8,12) and [20,22) = 2 regions ([40,45)/[45,50) touch);
        //      doc 2: [2,3) = 1.  Total 3, though 3 coding pairs of doc 1
        //      overlap (1×5, 2×5, 3×5): regions, not pairs.
        // A∩C: [9,11), [25,26) = 2.  B∩C: [9,11) = 1.
        // Diagonal: codings (non-empty): A 5, B 3, C 3.
        assert_eq!(m.cells, vec![vec![5, 3, 2], vec![3, 3, 1], vec![2, 1, 3]]);
        assert_eq!(m.get(CodeId(2), CodeId(1)), Some(3));
        assert_eq!(m.get(CodeId(2), CodeId(7)), None);
    }

    #[test]
    fn overlap_matches_and_retrieval() {
        use crate::expr::Expr;
        use crate::retrieval::retrieve;
        let d = data();
        let m = cooccurrence_overlap(&[CodeId(1), CodeId(2), CodeId(3)], &d).unwrap();
        for (i, &a) in [1i64, 2, 3].iter().enumerate() {
            for (j, &b) in [1i64, 2, 3].iter().enumerate() {
                if i != j {
                    let e = Expr::code("a", [CodeId(a)]).and(Expr::code("b", [CodeId(b)]));
                    assert_eq!(retrieve(&e, &d, None).unwrap().len(), m.cells[i][j]);
                }
            }
        }
    }

    #[test]
    fn same_turn_counts_turns() {
        // Doc 1 turns: t1 [0,15) t2 [15,35) t3 [35,50); doc 2: t4 [0,100).
        let ix = TurnIndex::new(&[
            turn(1, 1, 0, 15),
            turn(2, 1, 15, 35),
            turn(3, 1, 35, 50),
            turn(4, 2, 0, 100),
        ]);
        let m = cooccurrence(
            &[CodeId(1), CodeId(2), CodeId(3)],
            &data(),
            &ix,
            CooccurrenceMode::SameTurn,
        )
        .unwrap();
        // A touches t1 ([0,10),[5,12)), t2 ([20,30)), t3 ([40,45)), t4.
        // B [8,22) touches t1 and t2; [45,50) t3; doc 2 t4.
        // C [9,11) t1, [25,26) t2; doc 2 [50,60) t4.
        // A: t1 t2 t3 t4 = 4; B: t1 t2 t3 t4 = 4; C: t1 t2 t4 = 3.
        // A&B: 4; A&C: t1 t2 t4 = 3; B&C: 3.
        assert_eq!(m.cells, vec![vec![4, 4, 3], vec![4, 4, 3], vec![3, 3, 3]]);
        // Without doc 2 and with C only in t1:
        let d: Vec<Segment> = data()
            .into_iter()
            .filter(|s| s.doc_id == DocumentId(1) && s.coding_id != 8)
            .collect();
        let m = cooccurrence_same_turn(&[CodeId(1), CodeId(2), CodeId(3)], &d, &ix).unwrap();
        // A: t1 t2 t3 (3); B: t1 t2 t3 (3); C: t1 (1).
        // A&B: 3 turns; A&C: t1; B&C: t1.
        assert_eq!(m.cells, vec![vec![3, 3, 1], vec![3, 3, 1], vec![1, 1, 1]]);
    }

    #[test]
    fn duplicate_codes_are_refused() {
        assert_eq!(
            cooccurrence_overlap(&[CodeId(1), CodeId(2), CodeId(1)], &data()),
            Err(AnalysisError::DuplicateCode { code_id: CodeId(1) })
        );
    }
}
