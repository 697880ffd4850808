//! `storyloom coding recode`: a coding moves to another code, keeping its
//! text, range and coder; one history entry, undoable.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn run_ok(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_storyloom"))
        .args(args)
        .output()
        .expect("run storyloom");
    assert!(
        out.status.success(),
        "storyloom {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_coding_is_recoded_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p.storyloom");
    let proj = proj.to_str().unwrap();
    let txt = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sample-data/interviews/P03-winston-clarke.txt")
        .display()
        .to_string();
    run_ok(&["new", proj]);
    run_ok(&["import", proj, &txt]);
    run_ok(&["code", "add", proj, "Getting about"]);
    run_ok(&["code", "add", proj, "Buses"]);
    run_ok(&[
        "--user",
        "ana",
        "coding",
        "add",
        proj,
        "Getting about",
        "P03-winston-clarke",
        "--find",
        "the",
    ]);
    let p = storyloom_project::Project::open(Path::new(proj)).unwrap();
    let before = p.codings(None, None, None).unwrap();
    assert_eq!(before.len(), 1);
    let uuid = before[0].uuid.clone();
    drop(p);
    let history = |p: &str| run_ok(&["history", p]).lines().count();
    let n = history(proj);

    let out = run_ok(&["--user", "ben", "coding", "recode", proj, &uuid, "Buses"]);
    assert!(out.contains("moved coding"), "{out}");
    assert_eq!(history(proj), n + 1, "one history entry");
    let p = storyloom_project::Project::open(Path::new(proj)).unwrap();
    let c = p.coding(&uuid).unwrap();
    assert_eq!(c.code_path, "Buses");
    assert_eq!(
        (c.start, c.end, c.coder.as_str()),
        (before[0].start, before[0].end, "ana")
    );
    drop(p);

    // Undo takes back ben's last change: the recode.
    run_ok(&["--user", "ben", "undo", proj]);
    let p = storyloom_project::Project::open(Path::new(proj)).unwrap();
    assert_eq!(p.coding(&uuid).unwrap().code_path, "Getting about");
}
