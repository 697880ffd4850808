//! Inter-coder agreement between two coders: char-level percent agreement
//! and Cohen's kappa (as NVivo's coding comparison computes them),
//! Krippendorff's alpha with turns as units, and the disagreements
//! themselves.
//!
//! Rules common to every function here:
//!
//! * Only the codings of `coder_a` and `coder_b`, of the listed codes, in
//!   the listed documents count; everything else in `segments` is ignored,
//!   so the caller can pass all codings of a project.
//! * A coder's text for a code in a document is the union of their codings
//!   of it: coding the same words twice is not agreeing twice.
//! * Codes are compared as given: the caller decides whether a code includes
//!   its descendants (by mapping codings to the parent first).
//! * A document of zero chars has no units and is left out of char-level
//!   results (a row of 0/0 would be noise, and would inflate means).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::intervals::{self, Span};
use super::turn_index::{TurnIndex, overlapping_in};
use super::{AnalysisError, DocLen, Result, Segment, check_segment};

/// The four-cell table of one code over some chars, with its statistics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CharAgreement {
    /// Chars both coders coded.
    pub both: usize,
    /// Chars only coder A coded.
    pub only_a: usize,
    /// Chars only coder B coded.
    pub only_b: usize,
    /// Chars neither coded.
    pub neither: usize,
    /// Chars compared: the sum of the four cells.
    pub total: usize,
    /// (both + neither) / total × 100.
    pub percent: f64,
    /// Cohen's kappa over chars; see [`CharAgreement::from_counts`].
    pub kappa: f64,
}

impl CharAgreement {
    /// Percent agreement and Cohen's kappa from the four counts.
    ///
    /// κ = (Po − Pe) / (1 − Pe), with Po = (both + neither) / N and
    /// Pe = (A_yes·B_yes + A_no·B_no) / N², computed from integers so that
    /// the edge cases are exact. When Pe = 1 (both coders coded every char,
    /// or both coded none) Po is 1 too and the formula is 0/0; we report
    /// κ = 1, as NVivo does, because the coders agree completely. With no
    /// chars at all (N = 0) there is nothing to disagree on: 100 % and
    /// κ = 1 by the same reasoning.
    pub fn from_counts(both: usize, only_a: usize, only_b: usize, neither: usize) -> Self {
        let total = both + only_a + only_b + neither;
        let n = total as i128;
        let agree = (both + neither) as i128;
        let (a_yes, b_yes) = ((both + only_a) as i128, (both + only_b) as i128);
        let (a_no, b_no) = (n - a_yes, n - b_yes);
        // Both sides of κ multiplied by N²: (N·agree − E) / (N² − E).
        let expected = a_yes * b_yes + a_no * b_no;
        let (percent, kappa) = if total == 0 {
            (100.0, 1.0)
        } else {
            let percent = agree as f64 / n as f64 * 100.0;
            let kappa = if expected == n * n {
                1.0
            } else {
                (n * agree - expected) as f64 / (n * n - expected) as f64
            };
            (percent, kappa)
        };
        CharAgreement {
            both,
            only_a,
            only_b,
            neither,
            total,
            percent,
            kappa,
        }
    }

    /// Whether either coder coded anything here.
    pub fn coded(&self) -> bool {
        self.both + self.only_a + self.only_b > 0
    }
}

/// One code in one document.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DocAgreement {
    pub doc_id: i64,
    #[serde(flatten)]
    pub chars: CharAgreement,
}

/// One code over all the documents compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeAgreement {
    pub code_id: i64,
    /// Per document (NVivo's per-source figures), in the order of the
    /// documents given, zero-length documents left out.
    pub documents: Vec<DocAgreement>,
    /// The four cells summed over documents, and the statistics of that
    /// table: every char weighs the same, so long documents weigh more.
    pub pooled: CharAgreement,
    /// Unweighted mean of the per-document percentages (`None` without
    /// documents). Documents where neither coder applied the code count as
    /// 100 %, as in NVivo, which flatters rare codes.
    pub mean_percent: Option<f64>,
    /// Unweighted mean of the per-document kappas; same caveat (those
    /// documents count as κ = 1).
    pub mean_kappa: Option<f64>,
    /// Mean kappa over only the documents where at least one coder applied
    /// the code: the honest figure for rare codes. `None` if neither coder
    /// used the code anywhere.
    pub mean_kappa_coded: Option<f64>,
}

/// Krippendorff's alpha with the quantities behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KrippendorffAlpha {
    /// α = 1 − D_o / D_e. `None` when undefined: fewer than two pairable
    /// values, or no variation at all (every pairable value the same, so
    /// D_e = 0), e.g. a code neither coder applied to any unit. Perfect
    /// agreement *with* variation gives 1.
    pub alpha: Option<f64>,
    /// Units coded by at least two coders (the others cannot be paired).
    pub pairable_units: usize,
    /// n: values in pairable units.
    pub pairable_values: usize,
    /// D_o: observed disagreement, Σ_{c≠k} o_ck / n.
    pub observed_disagreement: f64,
    /// D_e: expected disagreement, Σ_{c≠k} n_c·n_k / (n (n − 1)).
    pub expected_disagreement: f64,
}

/// Alpha of one code with turns as units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeAlpha {
    pub code_id: i64,
    /// Turns both coders applied the code to.
    pub both: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub neither: usize,
    pub alpha: KrippendorffAlpha,
}

/// Krippendorff's alpha with turns as units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnAlphaReport {
    /// Turns in the documents compared (the units of each code).
    pub turns: usize,
    pub codes: Vec<CodeAlpha>,
    /// Every (turn, code) pair as a unit.
    pub overall: KrippendorffAlpha,
}

/// A maximal range only one coder applied a code to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    pub doc_id: i64,
    pub code_id: i64,
    /// The coder who applied the code here (the other did not).
    pub coder: String,
    pub start: usize,
    pub end: usize,
}

/// Everything a coding comparison shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementReport {
    pub coder_a: String,
    pub coder_b: String,
    pub codes: Vec<CodeAgreement>,
    pub alpha: TurnAlphaReport,
    pub disagreements: Vec<Disagreement>,
}

/// The two coders' text per (code, document), checked against lengths.
struct Prepared<'d> {
    /// Documents in the order given, duplicates removed.
    docs: Vec<&'d DocLen>,
    /// Position of each document in `docs`.
    doc_pos: HashMap<i64, usize>,
    /// [A's text, B's text] per (document, code row) where either coded,
    /// sorted by document then row, so that per-document work (turn
    /// lookups) runs document by document.
    text: Vec<(i64, usize, [Vec<Span>; 2])>,
}

fn prepare<'d>(
    docs: &'d [DocLen],
    segments: &[Segment],
    coder_a: &str,
    coder_b: &str,
    codes: &[i64],
) -> Result<Prepared<'d>> {
    if coder_a == coder_b {
        return Err(AnalysisError::SameCoder(coder_a.to_owned()));
    }
    let mut rows: HashMap<i64, usize> = HashMap::with_capacity(codes.len());
    for (i, &c) in codes.iter().enumerate() {
        if rows.insert(c, i).is_some() {
            return Err(AnalysisError::DuplicateCode { code_id: c });
        }
    }
    let mut seen = HashSet::new();
    let docs: Vec<&DocLen> = docs.iter().filter(|d| seen.insert(d.doc_id)).collect();
    let lengths: HashMap<i64, usize> = docs.iter().map(|d| (d.doc_id, d.chars)).collect();

    let mut items: Vec<(i64, usize, usize, Span)> = Vec::new();
    for s in segments {
        let side = if s.coder == coder_a {
            0
        } else if s.coder == coder_b {
            1
        } else {
            continue;
        };
        let (Some(&row), Some(&len)) = (rows.get(&s.code_id), lengths.get(&s.doc_id)) else {
            continue;
        };
        if !check_segment(s)? {
            continue;
        }
        if s.end > len {
            return Err(AnalysisError::SegmentOutOfRange {
                coding_id: s.coding_id,
                doc_id: s.doc_id,
                end: s.end,
                len,
            });
        }
        items.push((s.doc_id, row, side, Span::new(s.start, s.end)));
    }
    items.sort_unstable();
    let mut text: Vec<(i64, usize, [Vec<Span>; 2])> = Vec::new();
    for pair in items.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
        let mut sides: [Vec<Span>; 2] = Default::default();
        for side in pair.chunk_by(|x, y| x.2 == y.2) {
            sides[side[0].2] = intervals::from_sorted(side.iter().map(|g| g.3));
        }
        text.push((pair[0].0, pair[0].1, sides));
    }
    let doc_pos = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.doc_id, i))
        .collect();
    Ok(Prepared {
        docs,
        doc_pos,
        text,
    })
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

fn char_agreement_of(p: &Prepared<'_>, codes: &[i64]) -> Vec<CodeAgreement> {
    // [both, only A, only B] per code row and document position; documents
    // nobody coded stay zero (all chars "neither").
    let mut counts = vec![vec![[0usize; 3]; p.docs.len()]; codes.len()];
    for (doc_id, row, [a, b]) in &p.text {
        let Some(&pos) = p.doc_pos.get(doc_id) else {
            continue;
        };
        let shared = intervals::intersection_len(a, b);
        counts[*row][pos] = [
            shared,
            intervals::total_len(a) - shared,
            intervals::total_len(b) - shared,
        ];
    }
    codes
        .iter()
        .zip(counts)
        .map(|(&code_id, row)| {
            let mut documents = Vec::new();
            let (mut both, mut only_a, mut only_b, mut neither) = (0, 0, 0, 0);
            for (d, [shared, a, b]) in p.docs.iter().zip(row) {
                if d.chars == 0 {
                    continue;
                }
                let chars = CharAgreement::from_counts(shared, a, b, d.chars - shared - a - b);
                both += chars.both;
                only_a += chars.only_a;
                only_b += chars.only_b;
                neither += chars.neither;
                documents.push(DocAgreement {
                    doc_id: d.doc_id,
                    chars,
                });
            }
            CodeAgreement {
                code_id,
                pooled: CharAgreement::from_counts(both, only_a, only_b, neither),
                mean_percent: mean(documents.iter().map(|d| d.chars.percent)),
                mean_kappa: mean(documents.iter().map(|d| d.chars.kappa)),
                mean_kappa_coded: mean(
                    documents
                        .iter()
                        .filter(|d| d.chars.coded())
                        .map(|d| d.chars.kappa),
                ),
                documents,
            }
        })
        .collect()
}

/// Char-level percent agreement and Cohen's kappa per code: per document,
/// pooled, and averaged. `docs` gives the documents compared and their
/// current lengths; a coding past the end of its document is an error
/// (the text changed since it was coded).
pub fn char_agreement(
    docs: &[DocLen],
    segments: &[Segment],
    coder_a: &str,
    coder_b: &str,
    codes: &[i64],
) -> Result<Vec<CodeAgreement>> {
    let p = prepare(docs, segments, coder_a, coder_b, codes)?;
    Ok(char_agreement_of(&p, codes))
}

fn disagreements_of(
    p: &Prepared<'_>,
    codes: &[i64],
    coder_a: &str,
    coder_b: &str,
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for (doc_id, row, [a, b]) in &p.text {
        let (doc_id, row) = (*doc_id, *row);
        for (coder, only) in [
            (coder_a, intervals::difference(a, b)),
            (coder_b, intervals::difference(b, a)),
        ] {
            out.extend(only.into_iter().map(|sp| Disagreement {
                doc_id,
                code_id: codes[row],
                coder: coder.to_owned(),
                start: sp.start,
                end: sp.end,
            }));
        }
    }
    out.sort_by(|x, y| {
        (x.doc_id, x.start, x.end, x.code_id, &x.coder)
            .cmp(&(y.doc_id, y.start, y.end, y.code_id, &y.coder))
    });
    out
}

/// Maximal ranges where exactly one of the two coders applied a code,
/// sorted by document, start, end, code and coder. Ranges of one coder are
/// already merged (touching codings form one range); a range of A's may
/// touch a range of B's where one coder's coding ends as the other's
/// begins.
pub fn disagreements(
    docs: &[DocLen],
    segments: &[Segment],
    coder_a: &str,
    coder_b: &str,
    codes: &[i64],
) -> Result<Vec<Disagreement>> {
    let p = prepare(docs, segments, coder_a, coder_b, codes)?;
    Ok(disagreements_of(&p, codes, coder_a, coder_b))
}

fn turn_alpha_of(p: &Prepared<'_>, turns: &TurnIndex, codes: &[i64]) -> TurnAlphaReport {
    // Each turn gets a global number: the documents' turns one after another.
    let mut offset: HashMap<i64, usize> = HashMap::new();
    let mut total = 0;
    for d in &p.docs {
        offset.insert(d.doc_id, total);
        total += turns.turns_of(d.doc_id).len();
    }
    // Per code row: the turns each coder's text overlaps.
    let mut marked: Vec<[Vec<usize>; 2]> = vec![[Vec::new(), Vec::new()]; codes.len()];
    for doc in p.text.chunk_by(|x, y| x.0 == y.0) {
        let doc_id = doc[0].0;
        let base = offset.get(&doc_id).copied().unwrap_or(0);
        let doc_turns = turns.turns_of(doc_id);
        for (_, row, sides) in doc {
            for (side, text) in sides.iter().enumerate() {
                for sp in text {
                    let r = overlapping_in(doc_turns, sp.start, sp.end);
                    marked[*row][side].extend(r.map(|i| base + i));
                }
            }
        }
    }
    let mut overall = [[0.0f64; 2]; 2];
    let mut per_code = Vec::with_capacity(codes.len());
    for (row, [a, b]) in marked.iter_mut().enumerate() {
        for v in [&mut *a, &mut *b] {
            v.sort_unstable();
            v.dedup();
        }
        let both = count_common(a, b);
        let (only_a, only_b) = (a.len() - both, b.len() - both);
        let neither = total - both - only_a - only_b;
        // Two coders, no missing values: a unit valued (x, y) adds 1 to
        // o_xy and 1 to o_yx (m_u − 1 = 1), so o_11 = 2·both,
        // o_00 = 2·neither, o_01 = o_10 = only_a + only_b.
        let o = [
            [2.0 * neither as f64, (only_a + only_b) as f64],
            [(only_a + only_b) as f64, 2.0 * both as f64],
        ];
        for (x, row_o) in o.iter().enumerate() {
            for (y, v) in row_o.iter().enumerate() {
                overall[x][y] += v;
            }
        }
        per_code.push(CodeAlpha {
            code_id: codes[row],
            both,
            only_a,
            only_b,
            neither,
            alpha: alpha_from_coincidences(&o.map(Vec::from), total),
        });
    }
    TurnAlphaReport {
        turns: total,
        codes: per_code,
        overall: alpha_from_coincidences(&overall.map(Vec::from), total * codes.len()),
    }
}

/// Number of values two sorted, deduplicated lists share.
fn count_common(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Krippendorff's alpha per code with the turns of the compared documents
/// as units: a turn's value is 1 for a coder if that coder's codings of the
/// code overlap the turn (touching is not overlapping), else 0. Both coders
/// rate every turn, so there are no missing values. The overall alpha treats
/// every (turn, code) pair as a unit. Codings outside every turn do not
/// count.
pub fn turn_alpha(
    docs: &[DocLen],
    turns: &TurnIndex,
    segments: &[Segment],
    coder_a: &str,
    coder_b: &str,
    codes: &[i64],
) -> Result<TurnAlphaReport> {
    let p = prepare(docs, segments, coder_a, coder_b, codes)?;
    Ok(turn_alpha_of(&p, turns, codes))
}

/// Char agreement, turn alpha and disagreements in one pass over the
/// codings.
pub fn compare_coders(
    docs: &[DocLen],
    turns: &TurnIndex,
    segments: &[Segment],
    coder_a: &str,
    coder_b: &str,
    codes: &[i64],
) -> Result<AgreementReport> {
    let p = prepare(docs, segments, coder_a, coder_b, codes)?;
    Ok(AgreementReport {
        coder_a: coder_a.to_owned(),
        coder_b: coder_b.to_owned(),
        codes: char_agreement_of(&p, codes),
        alpha: turn_alpha_of(&p, turns, codes),
        disagreements: disagreements_of(&p, codes, coder_a, coder_b),
    })
}

/// Krippendorff's alpha for nominal data, by the coincidence matrix.
///
/// `data` is coders × units (`data[coder][unit]`), `None` where a coder did
/// not rate a unit; any number of coders. Units rated by fewer than two
/// coders are not pairable and are skipped. For each pairable unit u with
/// m_u values, every ordered pair of values from different coders adds
/// 1 / (m_u − 1) to o_ck; then n_c = Σ_k o_ck, n = Σ n_c and
/// α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k. This is the textbook
/// formula (Krippendorff 2011) and agrees with the `krippendorff` Python
/// package.
pub fn krippendorff_alpha_nominal(data: &[Vec<Option<u32>>]) -> Result<KrippendorffAlpha> {
    let units = data.first().map_or(0, Vec::len);
    for (i, row) in data.iter().enumerate() {
        if row.len() != units {
            return Err(AnalysisError::RaggedReliabilityData {
                coder: i + 1,
                expected: units,
                found: row.len(),
            });
        }
    }
    let values: BTreeMap<u32, usize> = data
        .iter()
        .flatten()
        .flatten()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .enumerate()
        .map(|(i, v)| (v, i))
        .collect();
    let v = values.len();
    let mut o = vec![vec![0.0f64; v]; v];
    let mut counts = vec![0usize; v];
    let mut pairable = 0;
    for u in 0..units {
        counts.iter_mut().for_each(|c| *c = 0);
        let mut m = 0usize;
        for row in data {
            if let Some(x) = row[u] {
                counts[values[&x]] += 1;
                m += 1;
            }
        }
        if m < 2 {
            continue;
        }
        pairable += 1;
        let w = 1.0 / (m - 1) as f64;
        for c in 0..v {
            if counts[c] == 0 {
                continue;
            }
            for k in 0..v {
                let pairs = if c == k {
                    counts[c] * (counts[c] - 1)
                } else {
                    counts[c] * counts[k]
                };
                o[c][k] += pairs as f64 * w;
            }
        }
    }
    Ok(alpha_from_coincidences(&o, pairable))
}

/// Alpha from a coincidence matrix (nominal distance).
fn alpha_from_coincidences(o: &[Vec<f64>], pairable_units: usize) -> KrippendorffAlpha {
    let n_c: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    let mut disagree = 0.0;
    let mut chance = 0.0;
    for c in 0..o.len() {
        for k in 0..o.len() {
            if c != k {
                disagree += o[c][k];
                chance += n_c[c] * n_c[k];
            }
        }
    }
    let observed = if n > 0.0 { disagree / n } else { 0.0 };
    let expected = if n > 1.0 {
        chance / (n * (n - 1.0))
    } else {
        0.0
    };
    let alpha = (n >= 2.0 && chance > 0.0).then(|| 1.0 - (n - 1.0) * disagree / chance);
    KrippendorffAlpha {
        alpha,
        pairable_units,
        pairable_values: n.round() as usize,
        observed_disagreement: observed,
        expected_disagreement: expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TurnSpan;

    const EPS: f64 = 1e-12;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    fn seg(
        coding_id: i64,
        code_id: i64,
        doc_id: i64,
        start: usize,
        end: usize,
        coder: &str,
    ) -> Segment {
        Segment {
            coding_id,
            code_id,
            doc_id,
            start,
            end,
            coder: coder.into(),
        }
    }

    fn t(turn_id: i64, doc_id: i64, start: usize, end: usize) -> TurnSpan {
        TurnSpan {
            turn_id,
            doc_id,
            start,
            end,
            speaker_id: 1,
            participant_id: Some(1),
        }
    }

    /// Doc 1 is 20 chars, doc 2 is 10 chars.
    /// Code 1: ana [2,8) and [6,9) (text [2,9)) in doc 1, [0,4) in doc 2;
    ///         ben [4,12) in doc 1.
    /// Code 2: ana and ben both [15,20) in doc 1.
    /// Code 3: nobody.
    /// A third coder's codings and an unlisted document must be ignored.
    fn fixture() -> (Vec<DocLen>, Vec<Segment>, TurnIndex) {
        let docs = vec![
            DocLen {
                doc_id: 1,
                chars: 20,
            },
            DocLen {
                doc_id: 2,
                chars: 10,
            },
        ];
        let segments = vec![
            seg(1, 1, 1, 2, 8, "ana"),
            seg(2, 1, 1, 6, 9, "ana"),
            seg(3, 1, 2, 0, 4, "ana"),
            seg(4, 1, 1, 4, 12, "ben"),
            seg(5, 2, 1, 15, 20, "ana"),
            seg(6, 2, 1, 15, 20, "ben"),
            seg(7, 1, 1, 0, 20, "cai"),
            seg(8, 1, 9, 0, 500, "ben"),
        ];
        // Doc 1 turns t1 [0,5) t2 [5,10) t3 [10,15) t4 [15,20);
        // doc 2 turns t5 [0,5) t6 [5,10).
        let turns = TurnIndex::new(&[
            t(1, 1, 0, 5),
            t(2, 1, 5, 10),
            t(3, 1, 10, 15),
            t(4, 1, 15, 20),
            t(5, 2, 0, 5),
            t(6, 2, 5, 10),
        ]);
        (docs, segments, turns)
    }

    #[test]
    fn kappa_and_percent_on_a_tiny_document_by_hand() {
        // 20 chars: both 5, only A 2, only B 3, neither 10.
        // Po = 15/20 = 0.75 → 75 %.
        // A_yes = 7, B_yes = 8, A_no = 13, B_no = 12:
        // Pe = (7·8 + 13·12) / 400 = 212/400 = 0.53.
        // κ = (0.75 − 0.53) / (1 − 0.53) = 0.22 / 0.47 = 0.4680851063829787.
        let c = CharAgreement::from_counts(5, 2, 3, 10);
        assert_eq!(c.total, 20);
        assert!(close(c.percent, 75.0));
        assert!(close(c.kappa, 0.22 / 0.47), "{}", c.kappa);
        // A coded 4 of 10 chars, B nothing: Po = 0.6, Pe = (0 + 6·10)/100
        // = 0.6, κ = 0.
        let c = CharAgreement::from_counts(0, 4, 0, 6);
        assert!(close(c.percent, 60.0) && close(c.kappa, 0.0));
        // Complete disagreement: A all, B none: Po = 0, Pe = 0, κ = 0.
        let c = CharAgreement::from_counts(0, 10, 0, 0);
        assert!(close(c.percent, 0.0) && close(c.kappa, 0.0));
        // Opposite halves: Po = 0, Pe = (5·5 + 5·5)/100 = 0.5, κ = −1.
        let c = CharAgreement::from_counts(0, 5, 5, 0);
        assert!(close(c.kappa, -1.0));
    }

    #[test]
    fn kappa_is_one_when_chance_agreement_is_certain() {
        // Neither coded anything: Pe = (0 + 10·10)/100 = 1 → κ := 1.
        let c = CharAgreement::from_counts(0, 0, 0, 10);
        assert_eq!((c.percent, c.kappa), (100.0, 1.0));
        // Both coded everything: Pe = (10·10 + 0)/100 = 1 → κ := 1.
        let c = CharAgreement::from_counts(10, 0, 0, 0);
        assert_eq!((c.percent, c.kappa), (100.0, 1.0));
        // No chars at all.
        let c = CharAgreement::from_counts(0, 0, 0, 0);
        assert_eq!((c.percent, c.kappa), (100.0, 1.0));
    }

    #[test]
    fn char_agreement_per_document_pooled_and_means() {
        let (docs, segments, _) = fixture();
        let r = char_agreement(&docs, &segments, "ana", "ben", &[1, 2, 3]).unwrap();
        let c1 = &r[0];
        // Doc 1: A [2,9) (7 chars), B [4,12) (8): both [4,9) = 5,
        // only A [2,4) = 2, only B [9,12) = 3, neither 20 − 10 = 10:
        // the tiny document above: 75 %, κ = 0.22/0.47.
        let d1 = c1.documents[0].chars;
        assert_eq!((d1.both, d1.only_a, d1.only_b, d1.neither), (5, 2, 3, 10));
        assert!(close(d1.kappa, 0.22 / 0.47));
        // Doc 2: A [0,4), B nothing: 60 %, κ = 0 (see above).
        let d2 = c1.documents[1].chars;
        assert_eq!((d2.both, d2.only_a, d2.only_b, d2.neither), (0, 4, 0, 6));
        // Pooled: both 5, only A 6, only B 3, neither 16, N = 30.
        // Po = 21/30 = 0.7; A_yes 11, B_yes 8, A_no 19, B_no 22:
        // E = 11·8 + 19·22 = 88 + 418 = 506; κ = (30·21 − 506)/(900 − 506)
        // = 124/394 = 0.31472081218274112.
        let p = c1.pooled;
        assert_eq!((p.both, p.only_a, p.only_b, p.neither), (5, 6, 3, 16));
        assert!(close(p.percent, 70.0));
        assert!(close(p.kappa, 124.0 / 394.0));
        // Means over the two documents: (75 + 60)/2 = 67.5 %;
        // κ (0.468085… + 0)/2 = 0.2340425531914894.
        assert!(close(c1.mean_percent.unwrap(), 67.5));
        assert!(close(c1.mean_kappa.unwrap(), 0.22 / 0.47 / 2.0));
        assert!(close(c1.mean_kappa_coded.unwrap(), 0.22 / 0.47 / 2.0));

        // Code 2: doc 1 both [15,20) = 5, neither 15: Po = 1,
        // Pe = (25 + 225)/400 = 0.625, κ = 0.375/0.375 = 1. Doc 2: nobody
        // coded: κ = 1 by the Pe = 1 rule.
        let c2 = &r[1];
        assert_eq!(c2.documents[0].chars.kappa, 1.0);
        assert_eq!(c2.documents[1].chars.kappa, 1.0);
        assert_eq!(c2.mean_kappa_coded, Some(1.0));
        // Code 3: nobody anywhere: all 100 %, κ 1, no coded documents.
        let c3 = &r[2];
        assert_eq!(c3.pooled.neither, 30);
        assert_eq!(c3.mean_kappa, Some(1.0));
        assert_eq!(c3.mean_kappa_coded, None);
    }

    #[test]
    fn disagreements_are_maximal_one_coder_ranges() {
        let (docs, segments, _) = fixture();
        let d = disagreements(&docs, &segments, "ana", "ben", &[1, 2, 3]).unwrap();
        let got: Vec<(i64, i64, &str, usize, usize)> = d
            .iter()
            .map(|x| (x.doc_id, x.code_id, x.coder.as_str(), x.start, x.end))
            .collect();
        // Code 1, doc 1: A [2,9) − B [4,12) = [2,4) (ana);
        //                B − A = [9,12) (ben).
        // Code 1, doc 2: [0,4) (ana). Code 2 agrees everywhere.
        assert_eq!(
            got,
            vec![
                (1, 1, "ana", 2, 4),
                (1, 1, "ben", 9, 12),
                (2, 1, "ana", 0, 4),
            ]
        );
    }

    #[test]
    fn alpha_with_turns_as_units_matches_python() {
        let (docs, segments, turns) = fixture();
        let r = turn_alpha(&docs, &turns, &segments, "ana", "ben", &[1, 2, 3]).unwrap();
        assert_eq!(r.turns, 6);
        // Code 1: ana's text [2,9) touches t1, t2; [0,4) in doc 2 t5:
        //   ana = [1,1,0,0,1,0]; ben [4,12) touches t1 t2 t3:
        //   ben = [1,1,1,0,0,0].
        // Units (1,1) (1,1) (0,1) (0,0) (1,0) (0,0): o_11 = 4, o_00 = 4,
        // o_01 = o_10 = 2; n_0 = n_1 = 6, n = 12.
        // α = 1 − 11·4 / (2·6·6) = 1 − 44/72 = 0.3888…
        // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,1,0,0,1,0],[1,1,1,0,0,0]], level_of_measurement='nominal')))"
        // → 0.38888888888888895
        let c1 = &r.codes[0];
        assert_eq!((c1.both, c1.only_a, c1.only_b, c1.neither), (2, 1, 1, 2));
        assert!(close(c1.alpha.alpha.unwrap(), 0.38888888888888895));
        // The same through the general function.
        let general = krippendorff_alpha_nominal(&[
            vec![1, 1, 0, 0, 1, 0].into_iter().map(Some).collect(),
            vec![1, 1, 1, 0, 0, 0].into_iter().map(Some).collect(),
        ])
        .unwrap();
        assert!(close(general.alpha.unwrap(), c1.alpha.alpha.unwrap()));
        assert_eq!(general.pairable_values, 12);
        // Code 2: both coders mark t4 only: perfect agreement with variation.
        // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[0,0,0,1,0,0],[0,0,0,1,0,0]], level_of_measurement='nominal')))"
        // → 1.0
        assert_eq!(r.codes[1].alpha.alpha, Some(1.0));
        // Code 3: all zeros, no variation: undefined (the package divides
        // 0 by 0).
        assert_eq!(r.codes[2].alpha.alpha, None);
        // Overall: 18 (turn, code) units; o_11 = 4 + 2 = 6,
        // o_00 = 4 + 10 + 12 = 26, o_01 = o_10 = 2; n_1 = 8, n_0 = 28,
        // n = 36: α = 1 − 35·4 / (2·8·28) = 1 − 140/448 = 0.6875.
        // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,1,0,0,1,0, 0,0,0,1,0,0, 0,0,0,0,0,0],[1,1,1,0,0,0, 0,0,0,1,0,0, 0,0,0,0,0,0]], level_of_measurement='nominal')))"
        // → 0.6875
        assert!(close(r.overall.alpha.unwrap(), 0.6875));
        assert_eq!(r.overall.pairable_units, 18);
    }

    #[test]
    fn alpha_two_coders_with_missing_values_matches_python() {
        // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,2,3,3,2,1,4,1,2,np.nan,np.nan,np.nan],[1,2,3,3,2,2,4,1,2,5,np.nan,3]], level_of_measurement='nominal')))"
        // → 0.8521739130434782
        let n = None;
        let data = vec![
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(1),
                Some(4),
                Some(1),
                Some(2),
                n,
                n,
                n,
            ],
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(2),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                n,
                Some(3),
            ],
        ];
        let a = krippendorff_alpha_nominal(&data).unwrap();
        assert!(close(a.alpha.unwrap(), 0.8521739130434782), "{a:?}");
        // Units 10, 11 and 12 have fewer than two values.
        assert_eq!(a.pairable_units, 9);
        assert_eq!(a.pairable_values, 18);
    }

    #[test]
    fn alpha_three_coders_matches_python() {
        // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,1,2,2,3,3,1,2],[1,2,2,2,3,1,1,2],[1,1,2,3,3,3,2,2]], level_of_measurement='nominal')))"
        // → 0.5106382978723404
        let rows = [
            [1, 1, 2, 2, 3, 3, 1, 2],
            [1, 2, 2, 2, 3, 1, 1, 2],
            [1, 1, 2, 3, 3, 3, 2, 2],
        ];
        let data: Vec<Vec<Option<u32>>> = rows
            .iter()
            .map(|r| r.iter().map(|&v| Some(v)).collect())
            .collect();
        let a = krippendorff_alpha_nominal(&data).unwrap();
        assert!(close(a.alpha.unwrap(), 0.5106382978723404), "{a:?}");
    }

    #[test]
    fn alpha_three_coders_with_missing_values_matches_python() {
        // Krippendorff's own example (also the package's doctest):
        // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[np.nan,np.nan,np.nan,np.nan,np.nan,3,4,1,2,1,1,3,3,np.nan,3],[1,np.nan,2,1,3,3,4,3,np.nan,np.nan,np.nan,np.nan,np.nan,np.nan,np.nan],[np.nan,np.nan,2,1,3,4,4,np.nan,2,1,1,3,3,np.nan,4]], level_of_measurement='nominal')))"
        // → 0.691358024691358
        let n = None;
        let s = Some;
        let data = vec![
            vec![
                n,
                n,
                n,
                n,
                n,
                s(3),
                s(4),
                s(1),
                s(2),
                s(1),
                s(1),
                s(3),
                s(3),
                n,
                s(3),
            ],
            vec![
                s(1),
                n,
                s(2),
                s(1),
                s(3),
                s(3),
                s(4),
                s(3),
                n,
                n,
                n,
                n,
                n,
                n,
                n,
            ],
            vec![
                n,
                n,
                s(2),
                s(1),
                s(3),
                s(4),
                s(4),
                n,
                s(2),
                s(1),
                s(1),
                s(3),
                s(3),
                n,
                s(4),
            ],
        ];
        let a = krippendorff_alpha_nominal(&data).unwrap();
        assert!(close(a.alpha.unwrap(), 0.691358024691358), "{a:?}");
    }

    #[test]
    fn alpha_edge_cases() {
        // No variation: undefined.
        let a =
            krippendorff_alpha_nominal(&[vec![Some(1), Some(1)], vec![Some(1), Some(1)]]).unwrap();
        assert_eq!(a.alpha, None);
        // Nothing pairable.
        let a = krippendorff_alpha_nominal(&[vec![Some(1), None], vec![None, Some(2)]]).unwrap();
        assert_eq!((a.alpha, a.pairable_units), (None, 0));
        assert_eq!(krippendorff_alpha_nominal(&[]).unwrap().alpha, None);
        assert_eq!(
            krippendorff_alpha_nominal(&[vec![Some(1), Some(2)], vec![Some(1)]]),
            Err(AnalysisError::RaggedReliabilityData {
                coder: 2,
                expected: 2,
                found: 1
            })
        );
    }

    #[test]
    fn compare_coders_bundles_and_checks_inputs() {
        let (docs, segments, turns) = fixture();
        let r = compare_coders(&docs, &turns, &segments, "ana", "ben", &[1, 2]).unwrap();
        assert_eq!(r.codes.len(), 2);
        assert_eq!(r.disagreements.len(), 3);
        assert_eq!(r.alpha.codes.len(), 2);
        assert_eq!(
            compare_coders(&docs, &turns, &segments, "ana", "ana", &[1]).unwrap_err(),
            AnalysisError::SameCoder("ana".into())
        );
        let mut bad = segments.clone();
        bad.push(seg(9, 1, 2, 5, 11, "ben"));
        assert_eq!(
            char_agreement(&docs, &bad, "ana", "ben", &[1]).unwrap_err(),
            AnalysisError::SegmentOutOfRange {
                coding_id: 9,
                doc_id: 2,
                end: 11,
                len: 10
            }
        );
    }
}
