use super::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

fn record(what: &str) -> ChangeRecord {
    ChangeRecord {
        actor: "ana".into(),
        command: "test_import",
        summary: what.into(),
        forward: serde_json::json!({}),
    }
}

fn insert_code(tx: &Tx, name: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO codes(uuid, name, created_at) VALUES (?1, ?2, '2026-12-05')",
        (crate::new_uuid(), name),
    )?;
    Ok(())
}

fn code_count(store: &Store) -> usize {
    store.codes().unwrap().len()
}

fn pending_keys(store: &Store) -> i64 {
    store
        .conn
        .query_row(
            "SELECT count(*) FROM meta WHERE key LIKE 'pending%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// A process id that is not running (a child that has exited).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("true");
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn another_writer_gets_in_between_chunks_and_the_change_is_one_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    drop(Store::create(&path).unwrap());
    let started = Arc::new(AtomicBool::new(false));
    let other_done = Arc::new(AtomicBool::new(false));
    let (s, o, p) = (started.clone(), other_done.clone(), path.clone());
    let import = std::thread::spawn(move || {
        let mut store = Store::open(&p).unwrap();
        store.set_chunk_hold(Duration::from_millis(30));
        store.change_chunked(
            "ana",
            "importing big.qdpx",
            |n: &usize| record(&format!("imported {n} codes")),
            |tx| {
                let mut n = 0;
                // Keeps writing until the other writer got in (or far too long).
                while n < 20 || !o.load(Ordering::SeqCst) {
                    insert_code(tx, &format!("imported {n}"))?;
                    n += 1;
                    s.store(true, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(2));
                    tx.breathe()?;
                    if n > 20_000 {
                        return Err(Error::Invalid("the other writer never got in".into()));
                    }
                }
                Ok::<_, Error>(n)
            },
        )
    });
    while !started.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut other = Store::open(&path).unwrap();
    // Far shorter than the import: only a chunk boundary lets it in.
    other
        .conn
        .busy_timeout(Duration::from_millis(1500))
        .unwrap();
    other
        .change(
            |_| record("a small change"),
            |tx| insert_code(tx, "written meanwhile"),
        )
        .expect("the small change got in while the import ran");
    other_done.store(true, Ordering::SeqCst);
    let n = import.join().unwrap().expect("the import finished");
    assert_eq!(code_count(&other), n + 1);
    assert_eq!(pending_keys(&other), 0, "no marker left");
    let h = other.history().unwrap();
    assert_eq!(h.len(), 2, "one entry each");
    assert_eq!(h[0].summary, "a small change");
    assert_eq!(h[1].summary, format!("imported {n} codes"));
    // One undo takes the whole import back, and leaves the other change.
    other.undo("ana").unwrap();
    let names: Vec<String> = other
        .codes()
        .unwrap()
        .into_iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names, ["written meanwhile"]);
}

#[test]
fn a_failed_chunked_change_takes_back_its_committed_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    let mut store = Store::create(&path).unwrap();
    store.set_chunk_hold(Duration::ZERO);
    let err = store
        .change_chunked(
            "ana",
            "importing bad.qdpx",
            |_: &()| record("never"),
            |tx| {
                for i in 0..50 {
                    insert_code(tx, &format!("c{i}"))?;
                    tx.breathe()?;
                }
                Err::<(), _>(Error::Invalid("the file ends early".into()))
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("ends early"));
    assert_eq!(code_count(&store), 0, "nothing of it stays");
    assert_eq!(pending_keys(&store), 0);
    assert!(store.history().unwrap().is_empty());
    // The connection captures normally afterwards.
    store
        .change(|_| record("after"), |tx| insert_code(tx, "after"))
        .unwrap();
    store.undo("ana").unwrap();
    assert_eq!(code_count(&store), 0);
}

/// Runs a chunked change that dies part-way (as a kill would leave it:
/// committed chunks and the marker, nothing else), then lets the marker
/// name a process that is gone.
fn die_part_way(path: &std::path::Path) {
    let mut store = Store::open(path).unwrap();
    store.set_chunk_hold(Duration::ZERO);
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.change_chunked(
            "bob",
            "importing big.qdpx",
            |_: &()| record("never"),
            |tx| {
                for i in 0..40 {
                    insert_code(tx, &format!("half {i}"))?;
                    tx.breathe()?;
                }
                panic!("killed");
            },
        ) as Result<()>;
    }));
    assert!(died.is_err());
    let marker: String = store
        .conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'pending_change'",
            [],
            |r| r.get(0),
        )
        .expect("the marker was committed with the chunks");
    let mut m: serde_json::Value = serde_json::from_str(&marker).unwrap();
    m["pid"] = dead_pid().into();
    store
        .conn
        .execute(
            "UPDATE meta SET value = ?1 WHERE key = 'pending_change'",
            [m.to_string()],
        )
        .unwrap();
    std::mem::forget(store);
}

#[test]
fn a_change_killed_part_way_is_taken_back_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    let mut store = Store::create(&path).unwrap();
    store
        .change(|_| record("before"), |tx| insert_code(tx, "kept"))
        .unwrap();
    drop(store);
    die_part_way(&path);
    {
        // Half of it is in the file until someone opens it.
        let peek = Connection::open(&path).unwrap();
        let n: i64 = peek
            .query_row("SELECT count(*) FROM codes", [], |r| r.get(0))
            .unwrap();
        assert!(n > 1, "{n}");
    }
    let store = Store::open(&path).unwrap();
    let said = store.recovered().expect("opening says what it did");
    assert!(
        said.contains("taken back") && said.contains("big.qdpx"),
        "{said}"
    );
    assert_eq!(code_count(&store), 1);
    assert_eq!(store.codes().unwrap()[0].name(), "kept");
    assert_eq!(pending_keys(&store), 0);
    assert_eq!(store.history().unwrap().len(), 1);
    assert!(store.integrity_problems().unwrap().is_empty());
}

#[test]
fn rows_changed_since_are_kept_and_the_interruption_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    drop(Store::create(&path).unwrap());
    die_part_way(&path);
    {
        // Someone renamed one of the half-imported codes meanwhile.
        let other = Connection::open(&path).unwrap();
        other
            .execute(
                "UPDATE codes SET name = 'renamed' WHERE name = 'half 3'",
                [],
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let said = store.recovered().expect("opening says what it did");
    assert!(said.contains("kept"), "{said}");
    assert!(code_count(&store) > 1);
    let h = store.history().unwrap();
    assert_eq!(h.last().unwrap().command, "interrupted");
    assert_eq!(pending_keys(&store), 0);
}

#[test]
fn a_live_process_marker_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    let store = Store::create(&path).unwrap();
    // Process 1 always runs: its change is in progress, not abandoned.
    store
        .conn
        .execute(
            "INSERT INTO meta(key, value) VALUES ('pending_change', ?1)",
            [format!(
                r#"{{"pid":1,"machine":"{}","actor":"bob","what":"importing","since":"x"}}"#,
                history::machine()
            )],
        )
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert!(store.recovered().is_none());
    assert_eq!(pending_keys(&store), 1);
}
