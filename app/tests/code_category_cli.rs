//! `storyloom code set --category / --codable`: a user makes their own code
//! a category (it groups codes and takes no coding), and back; one history
//! entry each, undoable; a code with codings is refused with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::PathBuf;
use std::process::Command;

fn storyloom(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
        .args(args)
        .output()
        .expect("run storyloom")
}

fn run_ok(args: &[&str]) -> String {
    let out = storyloom(args);
    assert!(
        out.status.success(),
        "storyloom {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run_err(args: &[&str]) -> String {
    let out = storyloom(args);
    assert!(!out.status.success(), "storyloom {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn codable(proj: &str, name: &str) -> bool {
    let p = storyloom_project::Project::open(std::path::Path::new(proj)).unwrap();
    p.code(name).unwrap().codable
}

#[test]
fn a_code_is_made_a_category_and_codable_again_and_a_coded_one_is_refused() {
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
    run_ok(&["code", "add", proj, "Buses", "--parent", "Getting about"]);

    let history = |p: &str| run_ok(&["history", p]).lines().count();
    let before = history(proj);
    let out = run_ok(&["code", "set", proj, "Getting about", "--category"]);
    assert!(out.contains("'Getting about' is now a category"), "{out}");
    assert!(!codable(proj, "Getting about"));
    assert_eq!(history(proj), before + 1, "one history entry");
    assert!(run_ok(&["code", "list", proj]).contains("Getting about (category)"));
    // Again: nothing to do, nothing recorded.
    let out = run_ok(&["code", "set", proj, "Getting about", "--category"]);
    assert!(out.contains("already"), "{out}");
    assert_eq!(history(proj), before + 1);

    // A category takes no coding; its sub-code does.
    let err = run_err(&[
        "coding",
        "add",
        proj,
        "Getting about",
        "P03-winston-clarke",
        "--find",
        "the",
    ]);
    assert!(
        err.contains("is a category") && err.contains("--codable"),
        "{err}"
    );
    run_ok(&[
        "coding",
        "add",
        proj,
        "Buses",
        "P03-winston-clarke",
        "--find",
        "the",
    ]);

    // Undo takes the category back; then --codable is a no-op.
    run_ok(&["undo", proj]); // the coding
    run_ok(&["undo", proj]); // the category
    assert!(codable(proj, "Getting about"));
    run_ok(&["code", "set", proj, "Getting about", "--category"]);
    run_ok(&["code", "set", proj, "Getting about", "--codable"]);
    assert!(codable(proj, "Getting about"));

    // A code with codings is refused, with the count, and stays codable.
    run_ok(&[
        "coding",
        "add",
        proj,
        "Getting about",
        "P03-winston-clarke",
        "--find",
        "the",
    ]);
    let n = history(proj);
    let err = run_err(&["code", "set", proj, "Getting about", "--category"]);
    assert!(
        err.contains("has 1 coding and cannot become a category"),
        "{err}"
    );
    assert!(codable(proj, "Getting about"));
    assert_eq!(history(proj), n);
    // One of the two flags is needed, not both.
    run_err(&["code", "set", proj, "Buses"]);
    run_err(&["code", "set", proj, "Buses", "--category", "--codable"]);
}
