//! Next / previous coding (Alt+Down / Alt+Up): the selection moves to the
//! next or previous coded range of the open transcript and the view scrolls
//! to it, as a jump from the search or the queries does.

use super::DocumentView;
use crate::gui::shared::Shared;

/// The coded range after (`forward`) or before `from` among `ranges`, in
/// document order (start, then end). `from` is the selection, or the top of
/// the view as an empty range when nothing is selected.
pub(super) fn step(
    ranges: &[(usize, usize)],
    from: (usize, usize),
    forward: bool,
) -> Option<(usize, usize)> {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if forward {
        sorted.into_iter().find(|&r| r > from)
    } else {
        sorted.into_iter().rev().find(|&r| r < from)
    }
}

impl DocumentView {
    /// Selects the next or previous coding in the open document and brings
    /// it into view. Says so in the status bar when there is none.
    pub fn step_coding(&mut self, sh: &mut Shared, forward: bool) {
        let Some(model) = &self.model else {
            sh.info("Open a document first.");
            return;
        };
        if sh.open_document.as_deref() != Some(model.uuid.as_str()) {
            sh.info("Open a document first.");
            return;
        }
        let ranges: Vec<(usize, usize)> = model.codings.iter().map(|c| (c.start, c.end)).collect();
        let from = match self.selected_range() {
            Some(r) => r,
            None if self.has_cursor => (self.head, self.head),
            None => {
                let top = model.blocks.get(self.top_block).map_or(0, |b| b.start);
                // From the top of the view: a coding starting there is "next".
                (top, top.saturating_sub(1))
            }
        };
        match step(&ranges, from, forward) {
            Some((start, end)) => {
                let uuid = model.uuid.clone();
                sh.jump_to(&uuid, start, end);
            }
            None if ranges.is_empty() => sh.info("Nothing is coded in this document yet."),
            None if forward => sh.info("No more codings below."),
            None => sh.info("No more codings above."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn steps_go_in_document_order_and_stop_at_the_ends() {
        let r = [(30, 40), (5, 9), (5, 12), (30, 40)];
        assert_eq!(step(&r, (0, 0), true), Some((5, 9)));
        assert_eq!(step(&r, (5, 9), true), Some((5, 12)));
        assert_eq!(step(&r, (5, 12), true), Some((30, 40)));
        assert_eq!(step(&r, (30, 40), true), None);
        assert_eq!(step(&r, (30, 40), false), Some((5, 12)));
        assert_eq!(step(&r, (5, 9), false), None);
        // A selection inside a coding: the next one starts after it.
        assert_eq!(step(&r, (6, 7), true), Some((30, 40)));
        assert_eq!(step(&r, (6, 7), false), Some((5, 12)));
    }
}
