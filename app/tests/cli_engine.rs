//! The coding engine from the command line: codebook, themes, coding, memos,
//! participants, undo/redo, search, queries, agreement, corrections and review.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::PathBuf;
use std::process::Command;

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = storyloom().args(args).output().expect("run storyloom");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run_ok(args: &[&str]) -> String {
    let (ok, out, err) = run(args);
    assert!(ok, "storyloom {args:?} failed: {err}");
    out
}

fn run_err(args: &[&str]) -> String {
    let (ok, out, err) = run(args);
    assert!(!ok, "storyloom {args:?} should fail: {out}");
    err
}

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data")
}

#[test]
fn code_search_query_undo_correct_review_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("s.storyloom");
    let proj = proj.to_str().unwrap();
    std::fs::copy(
        sample_dir().join("interviews/P03-winston-clarke.txt"),
        dir.path().join("P03.txt"),
    )
    .unwrap();
    run_ok(&["new", proj]);
    run_ok(&[
        "participants",
        proj,
        "--import",
        sample_dir().join("participants.csv").to_str().unwrap(),
    ]);
    run_ok(&["import", proj, dir.path().join("P03.txt").to_str().unwrap()]);

    // Codebook and themes.
    run_ok(&["code", "add", proj, "Belonging"]);
    run_ok(&[
        "code",
        "add",
        proj,
        "Known by name",
        "--parent",
        "Belonging",
        "--color",
        "#3cb44b",
    ]);
    run_ok(&["code", "add", proj, "Loss and loneliness"]);
    run_ok(&[
        "code",
        "describe",
        proj,
        "Known by name",
        "--definition",
        "Greeted by name",
    ]);
    run_ok(&["theme", "add", proj, "Finding a place"]);
    run_ok(&[
        "theme",
        "add-code",
        proj,
        "Finding a place",
        "Belonging",
        "Loss and loneliness",
    ]);
    run_ok(&["theme", "status", proj, "Finding a place", "reviewed"]);
    let themes: serde_json::Value =
        serde_json::from_str(&run_ok(&["theme", "list", proj, "--json"])).unwrap();
    assert_eq!(themes[0]["status"], "reviewed");
    assert_eq!(themes[0]["codes"].as_array().unwrap().len(), 2);
    let err = run_err(&[
        "code",
        "move",
        proj,
        "Belonging",
        "--under",
        "Known by name",
    ]);
    assert!(err.contains("under itself"), "{err}");

    // Coding by words found in the text, as ana and as ben.
    let out = run_ok(&[
        "--user",
        "ana",
        "coding",
        "add",
        proj,
        "Belonging",
        "P03",
        "--find",
        "the choir",
    ]);
    assert!(out.contains("Belonging"), "{out}");
    run_ok(&[
        "--user",
        "ana",
        "coding",
        "add",
        proj,
        "Loss and loneliness",
        "P03",
        "--find",
        "church",
    ]);
    run_ok(&[
        "--user",
        "ben",
        "coding",
        "add",
        proj,
        "Belonging",
        "P03",
        "--find",
        "the choir",
    ]);
    let codings: serde_json::Value =
        serde_json::from_str(&run_ok(&["coding", "list", proj, "--json"])).unwrap();
    assert_eq!(codings.as_array().unwrap().len(), 3);
    let list = run_ok(&["code", "list", proj]);
    assert!(
        list.lines()
            .any(|l| l.starts_with("Belonging") && l.contains(" 2 ")),
        "{list}"
    );
    let err = run_err(&["coding", "add", proj, "Belonging", "P03", "10", "5"]);
    assert!(err.contains("outside the text"), "{err}");

    // Memos and the journal.
    run_ok(&[
        "memo",
        "add",
        proj,
        "code",
        "Belonging",
        "--title",
        "Church and choir",
    ]);
    run_ok(&[
        "journal",
        proj,
        "--add",
        "First pass",
        "--body",
        "Noticing my own faith",
        "--date",
        "2026-03-02",
    ]);
    let journal = run_ok(&["journal", proj]);
    assert!(journal.contains("2026-03-02  First pass"), "{journal}");

    // Search with a phrase and a filter; regex; a malformed query.
    let hits: serde_json::Value = serde_json::from_str(&run_ok(&[
        "search",
        proj,
        "\"the choir\" role:participant",
        "--json",
    ]))
    .unwrap();
    assert!(hits["total"].as_u64().unwrap() >= 1);
    let m = &hits["hits"][0]["matches"][0];
    assert!(m[1].as_u64().unwrap() - m[0].as_u64().unwrap() == 9);
    let out = run_ok(&["search", proj, "chur(ch|ches)", "--regex"]);
    assert!(out.contains("[church]"), "{out}");
    let err = run_err(&["search", proj, "\"unbalanced"]);
    assert!(err.contains("quote"), "{err}");

    // Queries.
    let q: serde_json::Value = serde_json::from_str(&run_ok(&[
        "query",
        "codings",
        proj,
        "Belonging",
        "--role",
        "participant",
        "--json",
    ]))
    .unwrap();
    assert_eq!(q.as_array().unwrap().len(), 1);
    let csv = run_ok(&["query", "frequencies", proj, "--csv"]);
    assert!(
        csv.starts_with("code,codings,documents,participants,words,coders"),
        "{csv}"
    );
    let matrix = run_ok(&["query", "matrix", proj, "--by", "gender"]);
    assert!(matrix.starts_with("segments,"), "{matrix}");
    run_ok(&["query", "cooccurrence", proj, "--mode", "turn"]);
    let agreement = run_ok(&["agreement", proj, "ana", "ben"]);
    assert!(agreement.contains("Belonging"), "{agreement}");

    // Undo and redo, then the audit trail.
    let out = run_ok(&["undo", proj]);
    assert!(out.contains("undone: journal entry"), "{out}");
    run_ok(&["redo", proj]);
    let history = run_ok(&["history", proj, "--codebook"]);
    assert!(history.contains("theme_status"), "{history}");
    assert!(!history.contains("journal"), "{history}");

    // A correction that edits a coded word sends it to review; accept it.
    let text = storyloom_project::Project::open(std::path::Path::new(proj))
        .unwrap()
        .document("P03")
        .unwrap()
        .text;
    let corrected = text.replacen("church", "chapel", 1);
    let fixed = dir.path().join("P03-corrected.txt");
    std::fs::write(&fixed, corrected).unwrap();
    let out = run_ok(&["correct", proj, "P03", "--from", fixed.to_str().unwrap()]);
    assert!(out.contains("version 1 → 2"), "{out}");
    let review: serde_json::Value =
        serde_json::from_str(&run_ok(&["review", proj, "--json"])).unwrap();
    let items = review.as_array().unwrap();
    assert_eq!(items.len(), 1, "{review}");
    let item = items[0]["uuid"].as_str().unwrap();
    run_ok(&["review", proj, "--accept", item]);
    assert!(run_ok(&["review", proj]).contains("nothing to review"));
}

/// `storyloom import PROJECT *.csv interviews/*`: the sample study's own
/// spreadsheets, told apart by their headers, participants and codebook
/// before the transcripts and codings after; then the segments exported
/// with and without the byte order mark.
#[test]
fn the_sample_studys_spreadsheets_import_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("s.storyloom");
    let proj = proj.to_str().unwrap();
    run_ok(&["new", proj]);
    let mut args: Vec<String> = vec!["import".into(), proj.into()];
    for f in ["codings.csv", "codebook.csv", "participants.csv"] {
        args.push(sample_dir().join(f).display().to_string());
    }
    for e in std::fs::read_dir(sample_dir().join("interviews")).unwrap() {
        args.push(e.unwrap().path().display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_ok(&args);
    assert!(out.contains("participants.csv (participants)"), "{out}");
    assert!(out.contains("codebook.csv (codebook)"), "{out}");
    assert!(
        out.contains("codings.csv (codings): 146 codings applied"),
        "{out}"
    );
    let listed = run_ok(&["coding", "list", proj, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(146));

    // A codings file naming a missing code: reported with file and row,
    // then created on request.
    let csv = dir.path().join("more.csv");
    std::fs::write(
        &csv,
        "document,code,quote\nP03,Brand new code,the\nP03,Brand new code,no such words here\n",
    )
    .unwrap();
    let (ok, out, _) = run(&["import", proj, csv.to_str().unwrap()]);
    assert!(!ok, "rows that did not fit fail the command");
    assert!(out.contains("not imported: more.csv row 2:"), "{out}");
    assert!(out.contains("not imported: more.csv row 3:"), "{out}");
    let (_, out, _) = run(&["import", proj, csv.to_str().unwrap(), "--create-codes"]);
    assert!(out.contains("1 codings applied, 1 codes created"), "{out}");
    assert!(
        out.contains("more.csv row 3: the quote is not in P03"),
        "{out}"
    );
}
