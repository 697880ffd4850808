//! `storyloom merge` and `storyloom conflicts` end to end, and who did what
//! (`history` names user and machine; `--coder` filters history, codings
//! and memos).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::process::Command;

fn storyloom(user: &str, machine: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyloom"));
    c.env("STORYLOOM_USER", user)
        .env("STORYLOOM_MACHINE", machine);
    c
}

fn run_ok(user: &str, args: &[&str]) -> String {
    let out = storyloom(user, &format!("{user}-laptop"))
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
fn merge_dry_run_json_then_merge_then_conflicts_and_who_did_what() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    let (base, ana, bob) = (p("base.storyloom"), p("ana.storyloom"), p("bob.storyloom"));
    run_ok("lead", &["new", &base]);
    run_ok("lead", &["code", "add", &base, "Waiting"]);
    run_ok("lead", &["backup", &base, &ana]);
    run_ok("lead", &["backup", &base, &bob]);
    run_ok("ana", &["code", "color", &ana, "Waiting", "#aa0000"]);
    run_ok(
        "ana",
        &["memo", "add", &ana, "project", "--title", "ana's memo"],
    );
    run_ok("bob", &["code", "color", &bob, "Waiting", "#0000bb"]);
    run_ok("bob", &["code", "add", &bob, "Kindness"]);
    run_ok(
        "bob",
        &["memo", "add", &bob, "project", "--title", "bob's memo"],
    );

    // Dry run: a report, nothing written.
    let before = std::fs::read(&ana).unwrap();
    let out = run_ok("ana", &["merge", &ana, &bob, "--dry-run", "--json"]);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["dry_run"], true);
    assert_eq!(r["added"]["codes"], 1, "{r}");
    assert_eq!(r["added"]["memos"], 1, "{r}");
    assert_eq!(r["conflicts"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["their_people"][0], "bob on bob-laptop", "{r}");
    assert_eq!(std::fs::read(&ana).unwrap(), before, "a dry run wrote");
    let text = run_ok("ana", &["merge", &ana, &bob, "--dry-run"]);
    assert!(text.contains("dry run: nothing written"), "{text}");

    let text = run_ok("ana", &["merge", &ana, &bob]);
    assert!(text.contains("conflicts for review: 1"), "{text}");
    assert!(text.contains("bob on bob-laptop"), "{text}");
    let again = run_ok("ana", &["merge", &ana, &bob]);
    assert!(again.starts_with("nothing new in"), "{again}");

    let list = run_ok("ana", &["conflicts", &ana, "--json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let c = &list[0];
    assert_eq!(c["field"], "color");
    assert!(
        c["kept_by"]
            .as_str()
            .unwrap()
            .starts_with("bob on bob-laptop")
    );
    assert!(
        c["other_by"]
            .as_str()
            .unwrap()
            .starts_with("ana on ana-laptop")
    );
    let id = c["uuid"].as_str().unwrap()[..8].to_owned();
    // Taking ana's own colour back (the version set aside), then undoing it.
    let took = run_ok("ana", &["conflicts", &ana, "--take-other", &id]);
    assert!(took.contains("ana's value is set"), "{took}");
    assert!(run_ok("ana", &["conflicts", &ana]).contains("no merge conflicts"));
    run_ok("ana", &["undo", &ana]);
    run_ok("ana", &["conflicts", &ana, "--settle", &id]);
    assert!(run_ok("ana", &["conflicts", &ana]).contains("no merge conflicts"));

    // Who did what.
    let h = run_ok("ana", &["history", &ana]);
    assert!(h.contains("ana@ana-laptop"), "{h}");
    assert!(h.contains("lead@lead-laptop"), "{h}");
    let mine = run_ok("ana", &["history", &ana, "--coder", "ana"]);
    assert!(!mine.contains("lead@"), "{mine}");
    assert!(mine.contains("merge"), "{mine}");
    let memos = run_ok("ana", &["memo", "list", &ana, "--coder", "bob"]);
    assert!(
        memos.contains("bob's memo") && !memos.contains("ana's memo"),
        "{memos}"
    );
}
