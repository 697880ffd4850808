//! Editing a story's blocks from the command line, end to end: every verb
//! is one undoable change with `--json` output, and the replacement and
//! framing rules hold (no edit changes meaning unseen).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::process::Command;

fn storyloom(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_storyloom"))
        .args(args)
        .output()
        .expect("run storyloom");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = storyloom(args);
    assert!(ok, "storyloom {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn text(v: &serde_json::Value) -> String {
    v["block"]["text"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn every_block_edit_from_the_command_line_is_one_undoable_change() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("s.storyloom");
    let proj = proj.to_str().unwrap();
    assert!(storyloom(&["sample", proj]).0);
    assert!(
        storyloom(&[
            "story",
            "new",
            proj,
            "P01",
            "--title",
            "Somebody was waiting"
        ])
        .0
    );
    let porch = "And I stood in that porch and I nearly turned round. I did.";
    let v = json(&[
        "story", "excerpt", "add", proj, "P01", "--find", porch, "--json",
    ]);
    assert_eq!(text(&v), porch);
    assert_eq!(v["errors"], 0);
    let rev = v["revision"].as_i64().unwrap();

    // Cut the words selected in the block: exactly those go; undo brings them back.
    let v = json(&[
        "story", "cut", proj, "P01", "1", "--find", "I did.", "--json",
    ]);
    assert_eq!(
        text(&v),
        "And I stood in that porch and I nearly turned round."
    );
    assert_eq!(v["revision"].as_i64().unwrap(), rev + 1);
    assert!(storyloom(&["undo", proj]).0);
    let v = json(&[
        "story",
        "cut",
        proj,
        "P01",
        "1",
        "--find",
        "in that porch",
        "--json",
    ]);
    assert_eq!(text(&v), "And I stood … and I nearly turned round. I did.");
    assert!(storyloom(&["undo", proj]).0);
    // A cut that takes a sentence's start: a note, or the whole sentence with --to-sentence-end.
    let (ok, out, err) = storyloom(&[
        "story",
        "cut",
        proj,
        "P01",
        "1",
        "--find",
        "And I stood in that porch",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("… and I nearly turned round. I did."), "{out}");
    assert!(
        err.contains("leaves “and I nearly turned round.” without the start of its sentence"),
        "{err}"
    );
    assert!(storyloom(&["undo", proj]).0);
    let v = json(&[
        "story",
        "cut",
        proj,
        "P01",
        "1",
        "--find",
        "And I stood in that porch",
        "--to-sentence-end",
        "--json",
    ]);
    assert_eq!(text(&v), "I did.");
    assert!(storyloom(&["undo", proj]).0);

    // A clarification, a one-word replacement (a warning), a clause replaced (refused).
    let v = json(&[
        "story",
        "clarify",
        proj,
        "P01",
        "1",
        "at St Aidan's",
        "--after",
        "that porch",
        "--json",
    ]);
    assert!(
        text(&v).contains("that porch [at St Aidan's] and"),
        "{}",
        text(&v)
    );
    let v = json(&[
        "story", "replace", proj, "P01", "1", "the", "--find", "that", "--json",
    ]);
    assert!(text(&v).contains("[the] porch"), "{}", text(&v));
    assert_eq!(v["errors"], 0);
    assert!(v["warnings"].as_u64().unwrap() >= 1);
    let (ok, _, err) = storyloom(&[
        "story",
        "replace",
        proj,
        "P01",
        "1",
        "I went in",
        "--find",
        "and I nearly turned round.",
    ]);
    assert!(!ok && err.contains("may stand only for a name"), "{err}");

    // Framing: first person is an error; third person passes.
    let v = json(&[
        "story",
        "framing",
        proj,
        "P01",
        "I met Doreen at the surgery.",
        "--json",
    ]);
    assert!(v["errors"].as_u64().unwrap() >= 1, "{v}");
    let framing = v["block"]["id"].as_str().unwrap().to_owned();
    let v = json(&[
        "story",
        "framing",
        proj,
        "P01",
        "Doreen joined a choir after a fall.",
        "--block",
        &framing,
        "--json",
    ]);
    assert_eq!(v["errors"], 0, "{v}");
    assert_eq!(text(&v), "Doreen joined a choir after a fall.");

    // A second excerpt; move, split, merge, delete; set with --json.
    let v = json(&[
        "story",
        "excerpt",
        "add",
        proj,
        "P01",
        "--find",
        "And Priya just sort of put her hand on me arm.",
        "--json",
    ]);
    assert_eq!(v["block"]["place"], 3);
    let v = json(&["story", "move", proj, "P01", "3", "1", "--json"]);
    assert_eq!(v["block"]["place"], 1);
    let v = json(&["story", "move", proj, "P01", "1", "3", "--json"]);
    assert_eq!(v["block"]["place"], 3);
    let v = json(&[
        "story", "split", proj, "P01", "2", "--before", "I did.", "--json",
    ]);
    assert_eq!(v["block"]["place"], 3);
    assert_eq!(text(&v), "I did.");
    assert_eq!(v["blocks"], 4);
    let v = json(&["story", "merge", proj, "P01", "2", "--json"]);
    assert_eq!(v["blocks"], 3);
    assert!(text(&v).ends_with("turned round. I did."), "{}", text(&v));
    let v = json(&["story", "delete", proj, "P01", "1", "--json"]);
    assert_eq!(v["blocks"], 2);
    let v = json(&[
        "story",
        "set",
        proj,
        "P01",
        "--title",
        "And I nearly turned round",
        "--json",
    ]);
    assert!(!v["title_flags"].as_array().unwrap().is_empty(), "{v}");
    // Every edit is in the history, and undo walks them back one at a time.
    let before = json(&["story", "show", proj, "P01", "--research", "--json"]);
    assert!(storyloom(&["undo", proj]).0);
    let after = json(&["story", "show", proj, "P01", "--research", "--json"]);
    assert_ne!(before["story"]["title"], after["story"]["title"]);
    assert_eq!(after["story"]["paragraphs"].as_array().unwrap().len(), 2);
}

#[test]
fn story_set_with_several_fields_is_one_change_and_one_undo() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("s.storyloom");
    let proj = proj.to_str().unwrap();
    assert!(storyloom(&["sample", proj]).0);
    assert!(storyloom(&["story", "new", proj, "P01", "--title", "First title"]).0);
    let count = || {
        storyloom_project::Project::open(std::path::Path::new(proj))
            .unwrap()
            .history()
            .unwrap()
            .len()
    };
    let before = count();
    let v = json(&[
        "story",
        "set",
        proj,
        "P01",
        "--title",
        "Somebody   was waiting",
        "--role-line",
        "A member of the choir",
        "--json",
    ]);
    assert_eq!(v["title"], "Somebody was waiting");
    assert_eq!(v["role_line"], "A member of the choir");
    assert_eq!(count(), before + 1, "both fields in one history entry");
    // One undo takes back both fields.
    assert!(storyloom(&["undo", proj]).0);
    let p = storyloom_project::Project::open(std::path::Path::new(proj)).unwrap();
    let s = p.story("P01").unwrap();
    assert_eq!(s.title, "First title");
    assert_ne!(s.role_line, "A member of the choir");
}
