//! A long REFI-QDA import lets another writer in: it holds the write lock a
//! chunk at a time (see `storyloom_store::chunked`), so a `storyloom code
//! add` from another process, started while the import runs, succeeds in
//! seconds instead of failing after the busy timeout; and the import is
//! still whole (every code and coding, one history entry) afterwards.
//!
//! No timing is asserted beyond a generous bound; the figures are printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use storyloom_project::Project;

/// Codes and codings of the generated project: large enough that the
/// import takes many chunks of the write lock on any machine.
const CODES: usize = 20_000;
const CODINGS: usize = 60_000;

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

fn counts(path: &Path) -> (usize, usize, usize) {
    let p = Project::open(path).expect("open");
    (
        p.codes().expect("codes").len(),
        p.codings(None, None, None).expect("codings").len(),
        p.history().expect("history").len(),
    )
}

#[test]
fn another_process_adds_a_code_while_a_big_refi_import_runs() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = dir.path().join("big.qdpx");
    std::fs::write(
        &qdpx,
        storyloom_app::bench::reliability::qdpx(CODES, CODINGS).expect("generated"),
    )
    .unwrap();
    let path = dir.path().join("chunks.storyloom");
    drop(Project::create(&path).expect("project"));
    let (codes0, codings0, history0) = counts(&path);

    let started = Instant::now();
    let mut import = storyloom()
        .args(["--user", "ana", "import"])
        .arg(&path)
        .arg(&qdpx)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("storyloom import");
    // Wait until the import has said, in the project, that it is running
    // (its note for other writers), then write from another process.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if storyloom_project::store::who_writes(&path).contains("importing") {
            break;
        }
        if let Some(status) = import.try_wait().unwrap() {
            panic!("the import ended ({status}) before another writer could try");
        }
        assert!(Instant::now() < deadline, "the import never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let asked = Instant::now();
    let add = storyloom()
        .args(["--user", "bo", "code", "add"])
        .arg(&path)
        .arg("Added meanwhile")
        .output()
        .expect("storyloom code add");
    let waited = asked.elapsed();
    let import_running = import.try_wait().unwrap().is_none();
    assert!(
        add.status.success(),
        "the second writer failed: {}",
        String::from_utf8_lossy(&add.stderr)
    );
    assert!(
        waited < Duration::from_secs(60),
        "the second writer waited {waited:?}"
    );
    assert!(
        import_running,
        "the code was added only after the import had finished"
    );

    let out = import.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "REFI import of {CODES} codes and {CODINGS} codings: {:.1} s; the other writer waited {:.2} s",
        started.elapsed().as_secs_f64(),
        waited.as_secs_f64()
    );

    // The import is whole, and so is the code added in the middle of it.
    let (codes, codings, history) = counts(&path);
    assert_eq!(codes, codes0 + CODES + 1, "every code, and the one added");
    assert_eq!(codings, codings0 + CODINGS, "every coding");
    assert_eq!(
        history,
        history0 + 2,
        "one entry for the import, one for the code"
    );
    let p = Project::open(&path).unwrap();
    assert!(p.code("Added meanwhile").is_ok());
    let h = p.history().unwrap();
    let last_two: Vec<&str> = h.iter().rev().take(2).map(|e| e.actor.as_str()).collect();
    // The code went in first; the import's one entry came when it ended.
    assert_eq!(last_two, ["ana", "bo"], "{h:?}");
}
