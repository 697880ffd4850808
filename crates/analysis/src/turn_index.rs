//! Finding the turns a char range belongs to, by binary search.

use std::collections::HashMap;
use std::ops::Range;

use super::TurnSpan;
use storyloom_text::ids::{DocumentId, ParticipantId};

/// The turns of each document, sorted by start, for O(log n) lookups.
///
/// Turns of one document never overlap, so sorting by start also sorts them
/// by end, which is what lets [`TurnIndex::overlapping`] binary-search on
/// ends.
#[derive(Debug, Default, Clone)]
pub struct TurnIndex {
    by_doc: HashMap<DocumentId, Vec<TurnSpan>>,
}

impl TurnIndex {
    /// Groups and sorts the turns (any order is accepted).
    pub fn new(turns: &[TurnSpan]) -> TurnIndex {
        let mut by_doc: HashMap<DocumentId, Vec<TurnSpan>> = HashMap::new();
        for t in turns {
            by_doc.entry(t.doc_id).or_default().push(t.clone());
        }
        for list in by_doc.values_mut() {
            if !list.windows(2).all(|w| w[0].start <= w[1].start) {
                list.sort_by_key(|t| (t.start, t.end, t.turn_id));
            }
        }
        TurnIndex { by_doc }
    }

    /// The turns of one document, sorted by start.
    pub fn turns_of(&self, doc_id: DocumentId) -> &[TurnSpan] {
        self.by_doc.get(&doc_id).map_or(&[], Vec::as_slice)
    }

    /// The turns `[start, end)` overlaps, in order.
    pub fn overlapping(&self, doc_id: DocumentId, start: usize, end: usize) -> &[TurnSpan] {
        let range = self.overlapping_range(doc_id, start, end);
        &self.turns_of(doc_id)[range]
    }

    /// Positions in [`TurnIndex::turns_of`] of the turns `[start, end)`
    /// overlaps.
    pub fn overlapping_range(&self, doc_id: DocumentId, start: usize, end: usize) -> Range<usize> {
        overlapping_in(self.turns_of(doc_id), start, end)
    }

    /// Participant ids of all turns, unsorted, with repeats.
    pub fn participants(&self) -> impl Iterator<Item = ParticipantId> + '_ {
        self.by_doc
            .values()
            .flatten()
            .filter_map(|t| t.participant_id)
    }

    /// The turn a range is attributed to: the turn containing its start, or
    /// else the first turn it overlaps (a coding may start on a speaker label
    /// or a blank line between turns). `None` when it overlaps no turn.
    pub fn attributed(&self, doc_id: DocumentId, start: usize, end: usize) -> Option<&TurnSpan> {
        attributed_in(self.turns_of(doc_id), start, end)
    }
}

/// Positions of the turns of one document (sorted) that `[start, end)`
/// overlaps.
pub(crate) fn overlapping_in(turns: &[TurnSpan], start: usize, end: usize) -> Range<usize> {
    let first = turns.partition_point(|t| t.end <= start);
    let len = turns[first..].partition_point(|t| t.start < end);
    first..first + len
}

/// [`TurnIndex::attributed`] within the sorted turns of one document.
pub(crate) fn attributed_in(turns: &[TurnSpan], start: usize, end: usize) -> Option<&TurnSpan> {
    // The first turn ending after `start` either contains `start` or is the
    // first one starting after it; both are the turn we want as long as the
    // range reaches into it. An empty range is looked up as its first char.
    let r = overlapping_in(turns, start, end.max(start + 1));
    turns.get(r.start).filter(|_| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(id: i64, start: usize, end: usize) -> TurnSpan {
        TurnSpan {
            turn_id: id,
            doc_id: DocumentId(1),
            start,
            end,
            speaker_id: id,
            participant_id: None,
        }
    }

    #[test]
    fn finds_containing_or_first_overlapping_turn() {
        // Turns [10,20) and [30,40); labels live in the gaps.
        let ix = TurnIndex::new(&[turn(2, 30, 40), turn(1, 10, 20)]);
        assert_eq!(
            ix.attributed(DocumentId(1), 12, 35).map(|t| t.turn_id),
            Some(1)
        );
        // Starts in the gap [20,30): first overlapping turn is 2.
        assert_eq!(
            ix.attributed(DocumentId(1), 25, 32).map(|t| t.turn_id),
            Some(2)
        );
        // [20,30) touches both turns but overlaps neither.
        assert_eq!(
            ix.attributed(DocumentId(1), 20, 30).map(|t| t.turn_id),
            None
        );
        assert_eq!(ix.overlapping(DocumentId(1), 15, 31).len(), 2);
        assert_eq!(ix.overlapping(DocumentId(1), 0, 10).len(), 0);
        assert_eq!(ix.overlapping(DocumentId(2), 0, 100).len(), 0);
    }
}
