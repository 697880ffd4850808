//! Framework matrices: codes × participants, codes × attribute values, and
//! code frequencies.
//!
//! Attribution rules (why a number lands in a column):
//!
//! * **segments**: each coding counts once, in the column of its attributed
//!   turn (the turn containing its start, else the first turn it overlaps).
//!   A coding overlapping no turn, or whose turn's speaker is not linked to
//!   a participant (interviewers), goes to [`ColumnKey::NoParticipant`].
//! * **words**: the words of the code's coded text, where the coded text is
//!   the *union* of the code's codings in the document. So two overlapping
//!   codings of the same code never count a word twice, and a word counts
//!   when any char of it is coded ([`WordIndex`]). Each word is credited to
//!   the participant who said it: the column of the turn the word begins in
//!   (words beginning between turns, such as a speaker label, go to
//!   [`ColumnKey::NoParticipant`]). A coding that runs from a question into
//!   the answer therefore counts one segment for the interviewer but its
//!   answer words for the participant, which is what "how much did P talk
//!   about X" asks.
//!
//! Every function here fails with [`AnalysisError::MissingText`] when a
//! coded document's text is not in the [`WordIndex`], and with
//! [`AnalysisError::SegmentOutOfRange`] when a coding runs past the end of
//! its text (stale offsets would otherwise count the wrong words).
//!
//! Row totals are sums over the row and equal the code's own figures (each
//! segment and word of a code is in exactly one column). Column totals and
//! the grand total are sums down the columns: a word coded with two codes
//! counts once for each code, so they measure coding volume, not distinct
//! words.

use std::collections::{BTreeSet, HashMap};
use storyloom_text::ids::CodeId;

use serde::{Deserialize, Serialize};
use storyloom_text::ids::ParticipantId;

use super::intervals::{self, Span};
use super::turn_index::{TurnIndex, attributed_in};
use super::words::WordIndex;
use super::{AnalysisError, Result, Segment, check_segment};

/// Counts in one cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub segments: usize,
    pub words: usize,
}

impl Cell {
    fn add(&mut self, other: Cell) {
        self.segments += other.segments;
        self.words += other.words;
    }
}

/// What a matrix column stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKey {
    Participant(ParticipantId),
    /// One value of the attribute.
    Value(String),
    /// Participants with no (or a blank) value of the attribute.
    NoValue,
    /// Coded text not spoken by a linked participant: interviewers,
    /// unlinked speakers, text outside turns.
    NoParticipant,
}

impl ColumnKey {
    /// Header text for the special columns; participant columns are named
    /// by the caller, who knows participant labels.
    pub fn label(&self) -> Option<&str> {
        match self {
            ColumnKey::Participant(_) => None,
            ColumnKey::Value(v) => Some(v),
            ColumnKey::NoValue => Some("(no value)"),
            ColumnKey::NoParticipant => Some("(no participant)"),
        }
    }
}

/// A code × column matrix with totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    /// Row code ids, in the order asked for.
    pub codes: Vec<CodeId>,
    pub columns: Vec<ColumnKey>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
}

impl Matrix {
    fn new(codes: &[CodeId], columns: Vec<ColumnKey>, cells: Vec<Vec<Cell>>) -> Matrix {
        let mut row_totals = vec![Cell::default(); codes.len()];
        let mut column_totals = vec![Cell::default(); columns.len()];
        let mut total = Cell::default();
        for (r, row) in cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                row_totals[r].add(*cell);
                column_totals[c].add(*cell);
                total.add(*cell);
            }
        }
        Matrix {
            codes: codes.to_vec(),
            columns,
            cells,
            row_totals,
            column_totals,
            total,
        }
    }

    /// The cell of a code and column, if both are in the matrix.
    pub fn get(&self, code_id: CodeId, column: &ColumnKey) -> Option<Cell> {
        let r = self.codes.iter().position(|&c| c == code_id)?;
        let c = self.columns.iter().position(|k| k == column)?;
        Some(self.cells[r][c])
    }
}

/// How often and how widely a code is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFrequency {
    pub code_id: CodeId,
    /// Codings with text (empty codings are not counted).
    pub codings: usize,
    /// Documents with at least one coding.
    pub documents: usize,
    /// Participants with at least one coding attributed to them (by the
    /// segment rule of the module documentation).
    pub participants: usize,
    /// Coders who applied the code, sorted.
    pub coders: Vec<String>,
    /// Words of the code's coded text, each word once.
    pub words: usize,
}

/// Cells of every code by participant, plus what frequencies need.
struct Tally {
    /// Participant of each column, sorted; one more column at the end for
    /// no participant.
    participants: Vec<ParticipantId>,
    rows: Vec<RowTally>,
}

struct RowTally {
    /// Dense, one cell per column of [`Tally::participants`] plus the
    /// no-participant column: no hashing in the inner loops.
    cells: Vec<Cell>,
    codings: usize,
    documents: usize,
    coders: BTreeSet<String>,
}

fn tally(
    codes: &[CodeId],
    segments: &[Segment],
    turns: &TurnIndex,
    words: &WordIndex,
) -> Result<Tally> {
    let mut rows: HashMap<CodeId, usize> = HashMap::with_capacity(codes.len());
    for (i, &c) in codes.iter().enumerate() {
        if rows.insert(c, i).is_some() {
            return Err(AnalysisError::DuplicateCode { code_id: c });
        }
    }
    let mut items: Vec<(usize, &Segment)> = Vec::new();
    for s in segments {
        if let Some(&row) = rows.get(&s.code_id)
            && check_segment(s)?
        {
            items.push((row, s));
        }
    }
    // Document first: all codes of a document are then tallied while its
    // word and turn positions are in cache (row first is several times
    // slower on a large project).
    items.sort_unstable_by_key(|(row, s)| (s.doc_id, *row, s.start, s.end, s.coding_id));

    let participants: Vec<ParticipantId> = turns
        .participants()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let column: HashMap<ParticipantId, usize> = participants
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, i))
        .collect();
    let nobody = participants.len();
    let column_of =
        |p: Option<ParticipantId>| p.and_then(|p| column.get(&p).copied()).unwrap_or(nobody);
    let mut out: Vec<RowTally> = codes
        .iter()
        .map(|_| RowTally {
            cells: vec![Cell::default(); nobody + 1],
            codings: 0,
            documents: 0,
            coders: BTreeSet::new(),
        })
        .collect();
    let mut next = vec![0usize; codes.len()];
    for doc in items.chunk_by(|a, b| a.1.doc_id == b.1.doc_id) {
        let doc_id = doc[0].1.doc_id;
        let (len, doc_words) = words.doc(doc_id)?;
        if let Some((_, s)) = doc.iter().find(|(_, s)| s.end > len) {
            return Err(AnalysisError::SegmentOutOfRange {
                coding_id: s.coding_id,
                doc_id,
                end: s.end,
                len,
            });
        }
        let doc_turns = turns.turns_of(doc_id);
        let turn_column: Vec<usize> = doc_turns
            .iter()
            .map(|t| column_of(t.participant_id))
            .collect();
        // Each word is credited to the turn it begins in: the words of turn
        // k are `doc_words[turn_words[k].0..turn_words[k].1]`.
        let mut w = 0;
        let turn_words: Vec<(usize, usize)> = doc_turns
            .iter()
            .map(|t| {
                while w < doc_words.len() && doc_words[w].start < t.start {
                    w += 1;
                }
                let first = w;
                while w < doc_words.len() && doc_words[w].start < t.end {
                    w += 1;
                }
                (first, w)
            })
            .collect();
        // Segments, and each code's text as ranges tagged with the row.
        let mut spans: Vec<(Span, usize)> = Vec::new();
        for group in doc.chunk_by(|a, b| a.0 == b.0) {
            let r = group[0].0;
            let row = &mut out[r];
            row.documents += 1;
            for (_, s) in group {
                let who = attributed_in(doc_turns, s.start, s.end).and_then(|t| t.participant_id);
                row.cells[column_of(who)].segments += 1;
                row.codings += 1;
                if !row.coders.contains(&s.coder) {
                    row.coders.insert(s.coder.clone());
                }
            }
            let text = intervals::from_sorted(group.iter().map(|(_, s)| Span::new(s.start, s.end)));
            spans.extend(text.into_iter().map(|sp| (sp, r)));
            next[r] = 0;
        }
        // All codes' ranges by start, so one cursor walks the words once per
        // document instead of a binary search over them per range.
        spans.sort_unstable_by_key(|&(sp, r)| (sp.start, r));
        let mut cursor = 0;
        for (span, r) in spans {
            while cursor < doc_words.len() && doc_words[cursor].end <= span.start {
                cursor += 1;
            }
            // `next[r]` skips a word this code's previous range already
            // counted (a word cut in two by an uncoded char).
            let lo = cursor.max(next[r]);
            let hi = lo + gallop(&doc_words[lo..], |w| w.start < span.end);
            if hi <= lo {
                continue;
            }
            next[r] = hi;
            let row = &mut out[r];
            let mut credited = 0;
            let first = turn_words.partition_point(|&(_, e)| e <= lo);
            for (k, &(ws, we)) in turn_words.iter().enumerate().skip(first) {
                if ws >= hi {
                    break;
                }
                let n = we.min(hi).saturating_sub(ws.max(lo));
                row.cells[turn_column[k]].words += n;
                credited += n;
            }
            // Words beginning between turns (labels, headings).
            if credited < hi - lo {
                row.cells[nobody].words += hi - lo - credited;
            }
        }
    }
    Ok(Tally {
        participants,
        rows: out,
    })
}

/// `slice.partition_point(pred)` by exponential search from the front:
/// O(log k) where k is the answer, and it touches only memory near the
/// front, which is where the cursor just was.
fn gallop<T>(slice: &[T], pred: impl Fn(&T) -> bool) -> usize {
    let mut bound = 1;
    while bound <= slice.len() && pred(&slice[bound - 1]) {
        bound *= 2;
    }
    let lo = bound / 2;
    let hi = bound.min(slice.len());
    lo + slice[lo..hi].partition_point(pred)
}

/// Codes × participants. Columns: every participant that speaks in
/// `turns`, by id, then [`ColumnKey::NoParticipant`] (always present, so
/// exports have a stable shape).
pub fn code_by_participant(
    codes: &[CodeId],
    segments: &[Segment],
    turns: &TurnIndex,
    words: &WordIndex,
) -> Result<Matrix> {
    let t = tally(codes, segments, turns, words)?;
    let mut columns: Vec<ColumnKey> = t
        .participants
        .iter()
        .map(|&p| ColumnKey::Participant(p))
        .collect();
    columns.push(ColumnKey::NoParticipant);
    let cells = t.rows.into_iter().map(|row| row.cells).collect();
    Ok(Matrix::new(codes, columns, cells))
}

/// Codes × values of one participant attribute. `values` maps participant
/// ids to their value; participants missing from it, or with a blank value,
/// go to [`ColumnKey::NoValue`]. Columns: every distinct value in `values`
/// (numerically sorted when all values are numbers, else alphabetically,
/// ignoring case), then `NoValue`, then `NoParticipant`.
pub fn code_by_attribute(
    codes: &[CodeId],
    segments: &[Segment],
    turns: &TurnIndex,
    words: &WordIndex,
    values: &HashMap<ParticipantId, String>,
) -> Result<Matrix> {
    let t = tally(codes, segments, turns, words)?;
    let mut distinct: Vec<&str> = values
        .values()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    sort_values(&mut distinct);
    let mut columns: Vec<ColumnKey> = distinct
        .iter()
        .map(|v| ColumnKey::Value((*v).to_owned()))
        .collect();
    columns.push(ColumnKey::NoValue);
    columns.push(ColumnKey::NoParticipant);
    let index: HashMap<&str, usize> = distinct.iter().enumerate().map(|(i, v)| (*v, i)).collect();
    let (no_value, no_participant) = (distinct.len(), distinct.len() + 1);
    // Target column of each participant column of the tally.
    let target: Vec<usize> = t
        .participants
        .iter()
        .map(|p| {
            values
                .get(p)
                .and_then(|v| index.get(v.trim()).copied())
                .unwrap_or(no_value)
        })
        .chain(std::iter::once(no_participant))
        .collect();
    let mut cells = vec![vec![Cell::default(); columns.len()]; codes.len()];
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            cells[r][target[c]].add(*cell);
        }
    }
    Ok(Matrix::new(codes, columns, cells))
}

/// Numbers in numeric order when every value is a number (ages, years),
/// otherwise case-insensitive alphabetical order.
fn sort_values(values: &mut [&str]) {
    let numbers: Option<Vec<f64>> = values.iter().map(|v| v.parse::<f64>().ok()).collect();
    if numbers.is_some_and(|n| n.iter().all(|x| x.is_finite())) {
        values.sort_by(|a, b| {
            let (x, y) = (
                a.parse::<f64>().unwrap_or(0.0),
                b.parse::<f64>().unwrap_or(0.0),
            );
            x.total_cmp(&y).then_with(|| a.cmp(b))
        });
    } else {
        values.sort_by(|a, b| {
            a.to_lowercase()
                .cmp(&b.to_lowercase())
                .then_with(|| a.cmp(b))
        });
    }
}

/// Frequencies of each code, in the order asked for (codes never applied
/// get zeros).
pub fn code_frequencies(
    codes: &[CodeId],
    segments: &[Segment],
    turns: &TurnIndex,
    words: &WordIndex,
) -> Result<Vec<CodeFrequency>> {
    let t = tally(codes, segments, turns, words)?;
    let nobody = t.participants.len();
    Ok(codes
        .iter()
        .zip(t.rows)
        .map(|(&code_id, row)| CodeFrequency {
            code_id,
            codings: row.codings,
            documents: row.documents,
            participants: row.cells[..nobody]
                .iter()
                .filter(|c| c.segments > 0)
                .count(),
            coders: row.coders.into_iter().collect(),
            words: row.cells.iter().map(|c| c.words).sum(),
        })
        .collect())
}

#[cfg(test)]
mod tests;
