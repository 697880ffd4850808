use crate::file::sidecar;
use crate::{ChangeRecord, Error, Store};

fn record(summary: &str) -> ChangeRecord {
    ChangeRecord {
        actor: "ana".into(),
        command: "test",
        summary: summary.into(),
        forward: serde_json::json!({}),
    }
}

/// Adds a code named `name` as one change.
fn add_code(store: &mut Store, name: &str) {
    let n = name.to_owned();
    store
        .change(
            |_| record(name),
            |tx| {
                tx.execute(
                    "INSERT INTO codes(uuid, name, created_at) VALUES (?1, ?2, '2026-12-05')",
                    (crate::new_uuid(), n.as_str()),
                )?;
                Ok::<_, Error>(())
            },
        )
        .unwrap();
}

fn code_names(store: &Store) -> Vec<String> {
    let mut v: Vec<String> = store
        .codes()
        .unwrap()
        .into_iter()
        .map(|c| c.name().to_owned())
        .collect();
    v.sort();
    v
}

/// The journal of a live project (its last changes, not yet folded in by a
/// close), as a crash would leave it: copied while the project is open.
fn live_journal(store: &mut Store, path: &std::path::Path, names: &[&str]) -> Vec<u8> {
    // Frames stay in the journal until a checkpoint resets it; a reader
    // holding a snapshot keeps the checkpoint from folding them in.
    let reader = rusqlite::Connection::open(path).unwrap();
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM codes;")
        .unwrap();
    for n in names {
        add_code(store, n);
    }
    let wal = std::fs::read(sidecar(path, "-wal")).unwrap();
    reader.execute_batch("COMMIT").unwrap();
    wal
}

#[test]
fn another_copys_journal_is_refused_by_name_and_the_file_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("study.storyloom");
    let mut store = Store::create(&a).unwrap();
    add_code(&mut store, "Belonging");
    drop(store);
    // A colleague's copy goes its own way; so does ours.
    let b = dir.path().join("colleague.storyloom");
    std::fs::copy(&a, &b).unwrap();
    let mut ours = Store::open(&a).unwrap();
    add_code(&mut ours, "Loneliness");
    drop(ours);
    let mut theirs = Store::open(&b).unwrap();
    let foreign = live_journal(&mut theirs, &b, &["Transport", "Waiting lists"]);
    drop(theirs);
    assert!(!foreign.is_empty());

    // Their journal lands beside our file (same page size: SQLite accepts it).
    let before = std::fs::read(&a).unwrap();
    std::fs::write(sidecar(&a, "-wal"), &foreign).unwrap();
    let err = Store::open(&a).err().expect("refused").to_string();
    assert!(err.contains("does not belong to this copy"), "{err}");
    assert!(err.contains("study.storyloom-wal"), "{err}");
    assert!(err.contains("Nothing was opened or changed"), "{err}");
    assert_eq!(std::fs::read(&a).unwrap(), before, "the file is untouched");

    // Moved away, as the message says: our own work is all there.
    std::fs::remove_file(sidecar(&a, "-wal")).unwrap();
    let _ = std::fs::remove_file(sidecar(&a, "-shm"));
    let store = Store::open(&a).unwrap();
    assert_eq!(code_names(&store), ["Belonging", "Loneliness"]);
}

#[test]
fn our_own_journal_after_a_crash_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("study.storyloom");
    let mut store = Store::create(&a).unwrap();
    add_code(&mut store, "Belonging");
    let saved = std::fs::read(&a).unwrap();
    let wal = live_journal(&mut store, &a, &["Loneliness", "Transport"]);
    // A crash: the file as it was before the last checkpoint, and its journal.
    std::mem::forget(store);
    let crashed = dir.path().join("crashed.storyloom");
    std::fs::write(&crashed, &saved).unwrap();
    std::fs::write(sidecar(&crashed, "-wal"), &wal).unwrap();
    let store = Store::open(&crashed).unwrap();
    assert_eq!(code_names(&store), ["Belonging", "Loneliness", "Transport"]);
}

#[test]
fn a_journal_already_folded_in_is_accepted() {
    // A passive checkpoint copies the journal into the file without
    // emptying it: the file alone and with its journal read the same.
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("study.storyloom");
    let mut store = Store::create(&a).unwrap();
    add_code(&mut store, "Belonging");
    add_code(&mut store, "Loneliness");
    let wal = std::fs::read(sidecar(&a, "-wal")).unwrap();
    let file = std::fs::read(&a).unwrap();
    std::mem::forget(store);
    let copy = dir.path().join("copy.storyloom");
    std::fs::write(&copy, &file).unwrap();
    std::fs::write(sidecar(&copy, "-wal"), &wal).unwrap();
    let store = Store::open(&copy).unwrap();
    assert_eq!(code_names(&store), ["Belonging", "Loneliness"]);
}
