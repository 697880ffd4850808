use super::*;
use crate::ChangeRecord;

fn record() -> ChangeRecord {
    ChangeRecord {
        actor: "ana".into(),
        command: "test",
        summary: "a test change".into(),
        forward: serde_json::json!({}),
    }
}

#[test]
fn a_held_write_lock_names_the_other_storyloom() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.storyloom");
    drop(Store::create(&path).unwrap());
    // Another Storyloom left its note (pid 1 always runs) and holds the lock.
    let other = Connection::open(&path).unwrap();
    other
        .execute(
            "INSERT INTO meta(key, value) VALUES ('writer', ?1)",
            [r#"{"pid":1,"actor":"bob","what":"importing big.qdpx","since":"2026-12-05T06:40:12.000Z","command":"storyloom import-refi"}"#],
        )
        .unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut store = Store::open(&path).unwrap();
    store
        .conn
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let err = store
        .change(|_| record(), |_| Ok::<_, Error>(()))
        .unwrap_err();
    assert!(matches!(err, Error::Busy(_)), "{err:?}");
    let err = err.to_string();
    assert!(err.contains("another Storyloom is writing"), "{err}");
    // The process, its command, its user and what it is running.
    assert!(
        err.contains("process 1,")
            && err.contains("`storyloom import-refi`")
            && err.contains("user bob")
            && err.contains("importing big.qdpx")
            && err.contains("since 06:40:12 UTC"),
        "{err}"
    );
    assert!(err.contains("Nothing was changed"), "{err}");
}

/// Without a note (a short change, an older Storyloom), the processes that
/// have the project open are named, with their command and user.
#[cfg(target_os = "linux")]
#[test]
fn a_held_write_lock_without_a_note_names_who_has_the_file_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open.storyloom");
    drop(Store::create(&path).unwrap());
    // Another process with the project open (as its standard input).
    let mut other = std::process::Command::new("sleep")
        .arg("60")
        .stdin(std::fs::File::open(&path).unwrap())
        .spawn()
        .expect("sleep");
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut store = Store::open(&path).unwrap();
    store
        .conn
        .busy_timeout(std::time::Duration::from_millis(50))
        .unwrap();
    let err = store
        .change(|_| record(), |_| Ok::<_, Error>(()))
        .unwrap_err();
    assert!(matches!(err, Error::Busy(_)), "{err:?}");
    let err = err.to_string();
    let _ = other.kill();
    let _ = other.wait();
    assert!(err.contains("another Storyloom is writing"), "{err}");
    assert!(
        err.contains(&format!("process {},", other.id())) && err.contains("`sleep 60`"),
        "{err}"
    );
    assert!(err.contains("user "), "{err}");
}

#[test]
fn closing_folds_the_journal_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("close.storyloom");
    let mut store = Store::create(&path).unwrap();
    store.change(|_| record(), |_| Ok::<_, Error>(())).unwrap();
    drop(store);
    let wal = sidecar(&path, "-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0);
    // The file alone has the change.
    let copy = dir.path().join("alone.storyloom");
    std::fs::copy(&path, &copy).unwrap();
    assert_eq!(Store::open(&copy).unwrap().change_counter().unwrap(), 1);
}

#[test]
fn a_damaged_read_beside_a_journal_names_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    std::fs::write(sidecar(&path, "-wal"), b"x").unwrap();
    let e = explain_damage(&path, malformed(), journal_was_there(&path)).to_string();
    assert!(
        e.contains("p.storyloom-wal") && e.contains("p.storyloom-shm"),
        "{e}"
    );
    assert!(e.contains("move"), "{e}");
}

fn malformed() -> Error {
    Error::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(11),
        Some("database disk image is malformed".into()),
    ))
}

#[test]
fn a_damaged_file_with_no_journal_says_to_copy_it_with_its_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    // An empty journal is what opening creates: it is not blamed.
    std::fs::write(sidecar(&path, "-wal"), b"").unwrap();
    let e = explain_damage(&path, malformed(), journal_was_there(&path)).to_string();
    assert!(!e.contains("does not belong"), "{e}");
    assert!(
        e.contains("p.storyloom-wal") && e.contains("storyloom backup"),
        "{e}"
    );
}
