//! The admission gate of a batch import: files are read and parsed in
//! parallel but stored in the order given, so without a bound the files
//! parsed ahead of a slow one pile up in memory (48 files of 30 MB once
//! needed 2.4 GB). A file is let in, strictly in order, only while the bytes
//! of the files let in and not yet stored stay under [`IN_FLIGHT_BYTES`] (one
//! file is always let in, however large), so a batch needs about the memory
//! of its largest file or two, whatever its length.

use std::sync::{Condvar, Mutex};

/// Source bytes read or being parsed but not yet stored, at most.
pub(super) const IN_FLIGHT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Default)]
struct State {
    /// The next index to let in (strict order: no deadlock waiting on a
    /// file that cannot be stored before an earlier one).
    next: usize,
    in_flight: u64,
    stopped: bool,
}

#[derive(Default)]
pub(super) struct Gate {
    state: Mutex<State>,
    changed: Condvar,
}

impl Gate {
    /// Waits until file `index` of `size` bytes may be read; `false` when the
    /// import stopped meanwhile.
    pub(super) fn enter(&self, index: usize, size: u64) -> bool {
        let Ok(mut s) = self.state.lock() else {
            return false;
        };
        while !s.stopped
            && (s.next != index || (s.in_flight > 0 && s.in_flight + size > IN_FLIGHT_BYTES))
        {
            s = match self.changed.wait(s) {
                Ok(s) => s,
                Err(_) => return false,
            };
        }
        if s.stopped {
            return false;
        }
        s.next += 1;
        s.in_flight += size;
        self.changed.notify_all();
        true
    }

    /// A file let in has been stored (or dropped): its bytes are free.
    pub(super) fn leave(&self, size: u64) {
        if let Ok(mut s) = self.state.lock() {
            s.in_flight = s.in_flight.saturating_sub(size);
            self.changed.notify_all();
        }
    }

    /// Ends the import: every waiting reader gives up.
    pub(super) fn stop(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.stopped = true;
            self.changed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn files_are_let_in_in_order_within_the_byte_budget() {
        let gate = Gate::default();
        let in_flight = AtomicU64::new(0);
        let peak = AtomicU64::new(0);
        let order = Mutex::new(Vec::new());
        let big = IN_FLIGHT_BYTES / 2 + 1;
        std::thread::scope(|s| {
            for t in 0..4 {
                let (gate, in_flight, peak, order) = (&gate, &in_flight, &peak, &order);
                s.spawn(move || {
                    for index in (t..40).step_by(4) {
                        // 40 files of just over half the budget: one at a time.
                        assert!(gate.enter(index, big));
                        order.lock().unwrap().push(index);
                        let now = in_flight.fetch_add(big, Ordering::SeqCst) + big;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        in_flight.fetch_sub(big, Ordering::SeqCst);
                        gate.leave(big);
                    }
                });
            }
        });
        assert_eq!(*order.lock().unwrap(), (0..40).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), big);
    }

    #[test]
    fn a_file_larger_than_the_budget_still_goes_in_alone_and_stop_wakes_waiters() {
        let gate = Gate::default();
        assert!(gate.enter(0, IN_FLIGHT_BYTES * 3));
        std::thread::scope(|s| {
            let waiter = s.spawn(|| gate.enter(1, 10));
            std::thread::sleep(std::time::Duration::from_millis(20));
            gate.stop();
            assert!(!waiter.join().unwrap());
        });
    }
}
