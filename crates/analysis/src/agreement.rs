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
use storyloom_text::ids::{CodeId, DocumentId};

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
    pub doc_id: DocumentId,
    #[serde(flatten)]
    pub chars: CharAgreement,
}

/// One code over all the documents compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeAgreement {
    pub code_id: CodeId,
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
    pub code_id: CodeId,
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
    pub doc_id: DocumentId,
    pub code_id: CodeId,
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
    doc_pos: HashMap<DocumentId, usize>,
    /// [A's text, B's text] per (document, code row) where either coded,
    /// sorted by document then row, so that per-document work (turn
    /// lookups) runs document by document.
    text: Vec<(DocumentId, usize, [Vec<Span>; 2])>,
}

fn prepare<'d>(
    docs: &'d [DocLen],
    segments: &[Segment],
    coder_a: &str,
    coder_b: &str,
    codes: &[CodeId],
) -> Result<Prepared<'d>> {
    if coder_a == coder_b {
        return Err(AnalysisError::SameCoder(coder_a.to_owned()));
    }
    let mut rows: HashMap<CodeId, usize> = HashMap::with_capacity(codes.len());
    for (i, &c) in codes.iter().enumerate() {
        if rows.insert(c, i).is_some() {
            return Err(AnalysisError::DuplicateCode { code_id: c });
        }
    }
    let mut seen = HashSet::new();
    let docs: Vec<&DocLen> = docs.iter().filter(|d| seen.insert(d.doc_id)).collect();
    let lengths: HashMap<DocumentId, usize> = docs.iter().map(|d| (d.doc_id, d.chars)).collect();

    let mut items: Vec<(DocumentId, usize, usize, Span)> = Vec::new();
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
    let mut text: Vec<(DocumentId, usize, [Vec<Span>; 2])> = Vec::new();
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

fn char_agreement_of(p: &Prepared<'_>, codes: &[CodeId]) -> Vec<CodeAgreement> {
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
    codes: &[CodeId],
) -> Result<Vec<CodeAgreement>> {
    let p = prepare(docs, segments, coder_a, coder_b, codes)?;
    Ok(char_agreement_of(&p, codes))
}

fn disagreements_of(
    p: &Prepared<'_>,
    codes: &[CodeId],
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
    codes: &[CodeId],
) -> Result<Vec<Disagreement>> {
    let p = prepare(docs, segments, coder_a, coder_b, codes)?;
    Ok(disagreements_of(&p, codes, coder_a, coder_b))
}

fn turn_alpha_of(p: &Prepared<'_>, turns: &TurnIndex, codes: &[CodeId]) -> TurnAlphaReport {
    // Each turn gets a global number: the documents' turns one after another.
    let mut offset: HashMap<DocumentId, usize> = HashMap::new();
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
    codes: &[CodeId],
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
    codes: &[CodeId],
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
mod tests;
