//! The sync running beside an open replica: a thread with its own
//! connections (the project file through its own [`Store`], the server
//! through one listening connection). It pulls when a colleague pushes
//! (LISTEN/NOTIFY), pushes when this replica's change counter moves or it
//! is poked, and looks anyway every second. When the server cannot be
//! reached it goes offline, the project keeps working locally, and it
//! retries with backoff (0.5 s doubling to 5 s); back online it listens
//! again, pulls, and pushes what was done meanwhile.

use crate::error::Result;
use crate::replica::{self, SyncReport};
use crate::server::Server;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use storyloom_store::Store;

/// What the window shows of the sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncStatus {
    pub online: bool,
    /// The last failure, in words (cleared by the next good round).
    pub last_error: Option<String>,
    /// Local changes not on the server yet.
    pub pending: usize,
    /// The server's log number this replica is at.
    pub seq: i64,
    /// Rounds done, changes pulled and pushed, conflicts listed since start.
    pub rounds: u64,
    pub pulled: usize,
    pub pushed: usize,
    pub conflicts: usize,
}

struct Shared {
    status: Mutex<SyncStatus>,
    stop: AtomicBool,
    poke: AtomicBool,
}

/// A running sync; stops (after its current round) when dropped.
pub struct SyncHandle {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl SyncHandle {
    /// Starts syncing the replica at `path` (password as for
    /// [`replica::locator_of`]). `on_round` is called after each round that
    /// pulled or pushed something (the CLI prints it; the window repaints).
    pub fn start(
        path: &Path,
        password: Option<String>,
        on_round: impl Fn(&SyncReport) + Send + 'static,
    ) -> Result<SyncHandle> {
        // Fail now, not in the thread, when the file is no replica.
        let store = Store::open(path)?;
        let locator = replica::locator_of(&store, password)?;
        drop(store);
        let shared = Arc::new(Shared {
            status: Mutex::new(SyncStatus::default()),
            stop: AtomicBool::new(false),
            poke: AtomicBool::new(true),
        });
        let inner = shared.clone();
        let path: PathBuf = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("storyloom-sync".into())
            .spawn(move || run(&path, &locator, &inner, &on_round))
            .map_err(storyloom_store::Error::from)?;
        Ok(SyncHandle {
            shared,
            thread: Some(thread),
        })
    }

    /// The sync's state now.
    pub fn status(&self) -> SyncStatus {
        self.shared
            .status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Asks for a round now (after a local change).
    pub fn poke(&self) {
        self.shared.poke.store(true, Ordering::SeqCst);
    }

    /// Stops after the current round and waits for the thread.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.halt();
    }
}

fn run(path: &Path, locator: &crate::Locator, shared: &Shared, on_round: &dyn Fn(&SyncReport)) {
    let mut backoff = Duration::from_millis(500);
    let mut server: Option<Server> = None;
    let mut store: Option<Store> = None;
    let mut seen_counter = -1;
    let mut due = Instant::now();
    while !shared.stop.load(Ordering::SeqCst) {
        if server.as_ref().is_none_or(Server::is_closed) {
            match Server::connect(locator).and_then(|mut s| s.listen().map(|()| s)) {
                Ok(s) => {
                    server = Some(s);
                    backoff = Duration::from_millis(500);
                    due = Instant::now();
                }
                Err(e) => {
                    set_offline(shared, &e.to_string());
                    sleep_unless_stopped(shared, backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            }
        }
        if store.is_none() {
            match Store::open(path) {
                Ok(s) => store = Some(s),
                Err(e) => {
                    set_offline(shared, &e.to_string());
                    sleep_unless_stopped(shared, backoff);
                    continue;
                }
            }
        }
        let (Some(srv), Some(st)) = (server.as_mut(), store.as_mut()) else {
            continue;
        };
        let counter = st.change_counter().unwrap_or(seen_counter);
        let poked = shared.poke.swap(false, Ordering::SeqCst);
        if poked || counter != seen_counter || Instant::now() >= due {
            match replica::sync_once(st, srv) {
                Ok(report) => {
                    seen_counter = st.change_counter().unwrap_or(counter);
                    let pending = st.pending_entries().map(|p| p.len()).unwrap_or(0);
                    if let Ok(mut s) = shared.status.lock() {
                        s.online = true;
                        s.last_error = None;
                        s.pending = pending;
                        s.seq = report.seq;
                        s.rounds += 1;
                        s.pulled += report.pulled;
                        s.pushed += report.pushed;
                        s.conflicts += report.conflicts;
                    }
                    if report.pulled > 0 || report.pushed > 0 {
                        on_round(&report);
                    }
                    due = Instant::now() + Duration::from_secs(1);
                }
                Err(e) => {
                    set_offline(shared, &e.to_string());
                    if e.is_offline() {
                        server = None;
                    } else {
                        // The file (busy, or a change it refused): look again soon.
                        store = None;
                    }
                    sleep_unless_stopped(shared, backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            }
        }
        // Wait for a colleague's push, a little at a time so a local change
        // or a stop is seen quickly.
        match srv.wait(Duration::from_millis(200)) {
            Ok(true) => due = Instant::now(),
            Ok(false) => {}
            Err(e) => {
                set_offline(shared, &e.to_string());
                server = None;
            }
        }
    }
}

fn set_offline(shared: &Shared, why: &str) {
    if let Ok(mut s) = shared.status.lock() {
        s.online = false;
        s.last_error = Some(why.to_owned());
    }
}

fn sleep_unless_stopped(shared: &Shared, total: Duration) {
    let end = Instant::now() + total;
    while Instant::now() < end && !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
}
