//! `storyloom turns … --assign-paragraphs / --non-speech-chars / --alternate`
//! and `storyloom speakers … --rename / --confirm`, end to end: run the
//! binary, check the project after, check that what it printed is true, and
//! that `undo` takes each back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;
use std::process::Command;
use storyloom_project::{DocumentText, Project};

/// Rosa's turn holds the interviewer's follow-up question on a line of its own.
const SRC: &str = "Ann: Thank you for coming. How did you come to the group?\n\nRosa: My daughter found it. I was lonely.\nAnd what changed for you?\nI sleep better now.\n\nAnn: Thank you.\n";

fn storyloom(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_storyloom"))
        .args(args)
        .env("STORYLOOM_USER", "ann")
        .output()
        .expect("run storyloom");
    assert!(
        out.status.success(),
        "storyloom {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A project holding rosa.txt.
fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("rosa.txt");
    std::fs::write(&src, SRC).expect("write source");
    let proj = dir.path().join("p.storyloom").display().to_string();
    storyloom(&["new", &proj]);
    storyloom(&["import", &proj, &src.display().to_string()]);
    (dir, proj)
}

fn doc(proj: &str) -> DocumentText {
    Project::open(Path::new(proj))
        .expect("open")
        .document("rosa")
        .expect("rosa")
}

/// (speaker, text, not speech) of each turn.
fn turns(proj: &str) -> Vec<(String, String, bool)> {
    doc(proj)
        .turns
        .into_iter()
        .map(|t| (t.speaker, t.text, t.non_speech))
        .collect()
}

fn range(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect(needle);
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn undo(proj: &str, what: &str) {
    let out = storyloom(&["undo", proj]);
    assert!(out.contains(&format!("undone: {what}")), "{out}");
}

#[test]
fn assign_paragraphs_gives_a_line_to_the_interviewer_and_undoes() {
    let (_d, proj) = project();
    let before = turns(&proj);
    assert_eq!(before.len(), 3);
    let d = doc(&proj);
    let (s, e) = range(&d.text, "what changed");
    let out = storyloom(&[
        "turns",
        &proj,
        "rosa",
        "--assign-paragraphs",
        &s.to_string(),
        &e.to_string(),
        "Ann",
    ]);
    // The whole line holding the selection, quoted.
    let (ps, pe) = range(&d.text, "And what changed for you?");
    let said = format!(
        "the paragraphs at chars {ps}–{pe} of rosa.txt (“And what changed for you?”) given to Ann"
    );
    assert!(
        out.contains(&format!("{said} (undo with `storyloom undo`)")),
        "{out}"
    );
    let after = turns(&proj);
    let who: Vec<(&str, &str)> = after.iter().map(|t| (t.0.as_str(), t.1.as_str())).collect();
    assert_eq!(
        who,
        [
            (
                "Ann",
                "Thank you for coming. How did you come to the group?"
            ),
            ("Rosa", "My daughter found it. I was lonely."),
            ("Ann", "And what changed for you?"),
            ("Rosa", "I sleep better now."),
            ("Ann", "Thank you."),
        ]
    );
    // The listing printed after the change shows it too.
    assert!(
        out.lines()
            .any(|l| l.starts_with("#2") && l.contains("Ann") && l.contains("And what changed")),
        "{out}"
    );
    assert_eq!(doc(&proj).text, d.text, "the text never changes");
    undo(&proj, &said);
    assert_eq!(turns(&proj), before);
}

#[test]
fn non_speech_chars_cut_words_from_a_turn_and_undo() {
    let (_d, proj) = project();
    let before = turns(&proj);
    let d = doc(&proj);
    let (s, e) = range(&d.text, "I was lonely.");
    let out = storyloom(&[
        "turns",
        &proj,
        "rosa",
        "--non-speech-chars",
        &s.to_string(),
        &e.to_string(),
    ]);
    assert!(
        out.contains(&format!(
            "chars {s}–{e} of rosa.txt (“I was lonely.”) marked as not speech (undo with `storyloom undo`)"
        )),
        "{out}"
    );
    let after = turns(&proj);
    let marked: Vec<&str> = after.iter().filter(|t| t.2).map(|t| t.1.as_str()).collect();
    assert_eq!(marked, ["I was lonely."]);
    assert!(
        after
            .iter()
            .any(|t| t.0 == "Rosa" && t.1 == "My daughter found it.")
    );
    assert!(
        after
            .iter()
            .any(|t| t.0 == "Rosa" && t.1.starts_with("And what changed for you?")),
        "{after:?}"
    );
    assert!(out.contains("not speech"), "{out}");
    undo(
        &proj,
        &format!("chars {s}–{e} of rosa.txt (“I was lonely.”) marked as not speech"),
    );
    assert_eq!(turns(&proj), before);
}

#[test]
fn alternate_from_a_turn_makes_one_turn_per_paragraph_and_undoes() {
    let (_d, proj) = project();
    let before = turns(&proj);
    let out = storyloom(&["turns", &proj, "rosa", "--alternate", "1", "Rosa", "Ann"]);
    let said = "turns of rosa.txt from the paragraph “Rosa: My daughter found it. I was lonely…” on alternate between Rosa and Ann (undo with `storyloom undo`)";
    assert!(out.contains(said), "{out}");
    let who: Vec<(String, String)> = turns(&proj).into_iter().map(|t| (t.0, t.1)).collect();
    let who: Vec<(&str, &str)> = who.iter().map(|t| (t.0.as_str(), t.1.as_str())).collect();
    assert_eq!(
        who,
        [
            (
                "Ann",
                "Thank you for coming. How did you come to the group?"
            ),
            ("Rosa", "My daughter found it. I was lonely."),
            ("Ann", "And what changed for you?"),
            ("Rosa", "I sleep better now."),
            ("Ann", "Thank you."),
        ]
    );
    undo(
        &proj,
        "turns of rosa.txt from the paragraph “Rosa: My daughter",
    );
    assert_eq!(turns(&proj), before);
    // A turn the document does not have is refused by name.
    let out = Command::new(env!("CARGO_BIN_EXE_storyloom"))
        .args(["turns", &proj, "rosa", "--alternate", "9", "Rosa", "Ann"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rosa.txt has no turn #9"), "{err}");
}

#[test]
fn rename_and_confirm_say_what_they_did_and_undo() {
    let (_d, proj) = project();
    let out = storyloom(&["speakers", &proj, "rosa", "--rename", "Rosa", "Rosa Mendes"]);
    assert!(
        out.contains("Rosa in rosa.txt renamed Rosa Mendes (undo with `storyloom undo`)"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("Rosa Mendes ")), "{out}");
    assert!(turns(&proj).iter().any(|t| t.0 == "Rosa Mendes"));
    assert!(
        doc(&proj).text.contains("Rosa: My daughter"),
        "the text keeps its label"
    );
    assert!(out.contains("speakers NOT checked by a person"), "{out}");

    let out = storyloom(&["speakers", &proj, "rosa", "--confirm"]);
    assert!(
        out.contains("speakers of rosa.txt marked checked by ann (undo with `storyloom undo`)"),
        "{out}"
    );
    assert!(out.contains("speakers checked by ann on "), "{out}");
    let p = Project::open(Path::new(&proj)).expect("open");
    assert_eq!(
        p.speakers_confirmed("rosa").expect("read").map(|c| c.by),
        Some("ann".into())
    );
    drop(p);

    // A correction after the check withdraws it, and both say so.
    let out = storyloom(&["speakers", &proj, "rosa", "--rename", "Ann", "Ann B"]);
    assert!(
        out.contains("the speakers check by ann is withdrawn"),
        "{out}"
    );
    assert!(
        out.contains("speakers NOT checked: the check by ann was withdrawn by a correction (Ann in rosa.txt renamed Ann B, by ann on "),
        "{out}"
    );
    undo(&proj, "Ann in rosa.txt renamed Ann B");
    let out = storyloom(&["speakers", &proj, "rosa"]);
    assert!(out.contains("speakers checked by ann on "), "{out}");

    undo(&proj, "speakers of rosa.txt checked by ann");
    let out = storyloom(&["speakers", &proj, "rosa"]);
    assert!(out.contains("speakers NOT checked by a person"), "{out}");
    undo(&proj, "Rosa in rosa.txt renamed Rosa Mendes");
    assert!(turns(&proj).iter().any(|t| t.0 == "Rosa"));
    assert!(!turns(&proj).iter().any(|t| t.0 == "Rosa Mendes"));
}
