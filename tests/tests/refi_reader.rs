//! Our REFI-QDA export read by a reader that is not ours: `pyrefiqda` from
//! PyPI (a parser generated from the REFI-QDA schema), driven by
//! `tests/refi_reader/read_qdpx.py`, which also cuts every selection's text
//! out of the source file in Python (code points, as the standard says).
//! Codes, sources, every coding with its coder and its exact words, notes
//! and cases are compared with the project.
//!
//! The reader lives in a virtual environment that `.ci/run` makes
//! (`target/refi-venv`, or the Python named by `STORYLOOM_REFI_PYTHON`).
//! Without it the test skips with a notice, and fails when
//! `STORYLOOM_REQUIRE_TOOLS=1`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

#[path = "support/bold_docx.rs"]
mod bold_docx;

use std::path::{Path, PathBuf};
use std::process::Command;
use storyloom_project::{CodingRequest, MemoTarget, Project};

const TEXT: &str = "Interviewer: What was the walk like?\n\n\
Jo: The canal 🙂 was lovely, and Zoë came along with her dog.\n\n\
Interviewer: And after?\n\n\
Jo: Tea at the café, then home. Cafe\u{301} au lait, naturally.\n";

/// A Python that can import pyrefiqda, or `None` (after saying why).
fn reader_python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates: Vec<PathBuf> = std::env::var_os("STORYLOOM_REFI_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join("target/refi-venv/bin/python")])
        .collect();
    for py in &candidates {
        let ok = Command::new(py)
            .args(["-c", "import pyrefiqda"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(py.clone());
        }
    }
    let why = format!(
        "no Python with pyrefiqda (tried {candidates:?}); .ci/run installs it in target/refi-venv"
    );
    assert!(
        std::env::var_os("STORYLOOM_REQUIRE_TOOLS").is_none(),
        "{why}"
    );
    eprintln!("SKIPPED: {why}");
    None
}

fn at(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle");
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn code(p: &mut Project, who: &str, needle: &str, code: &str) -> String {
    p.set_actor(who);
    let text = p.document("walk.txt").expect("doc").text;
    let (start, end) = at(&text, needle);
    p.add_coding(&CodingRequest {
        code,
        document: "walk.txt",
        start,
        end,
        version: None,
    })
    .expect("coding")
}

fn project(dir: &Path) -> Project {
    let mut p = Project::create(&dir.join("walk.storyloom")).expect("create");
    p.set_actor("ana");
    p.import_bytes("walk.txt", TEXT.as_bytes()).expect("import");
    let nature = p.create_code("Nature", None, None).expect("code");
    p.create_code("Company", None, None).expect("code");
    p.create_code("Drinks", Some("Company"), None)
        .expect("child code");
    let a = code(&mut p, "ana", "The canal 🙂 was lovely", "Nature");
    code(&mut p, "ben", "The canal 🙂 was lovely", "Nature");
    code(&mut p, "ben", "canal 🙂 was lovely, and Zoë", "Company");
    code(&mut p, "ana", "Tea at the café", "Company");
    code(&mut p, "ben", "Café au lait", "Drinks");
    p.set_actor("ana");
    p.add_memo(&MemoTarget::Code(nature), "Why nature", "Green space talk.")
        .expect("code memo");
    p.add_memo(&MemoTarget::Coding(a), "", "She smiled here.")
        .expect("coding memo");
    p.add_memo(&MemoTarget::Project, "Aims", "Walking groups.")
        .expect("project memo");
    p.add_journal_entry(Some("2026-03-01"), "Day one", "First walk observed.")
        .expect("journal");
    p.create_participant("P01", None, Some("Jo"))
        .expect("participant");
    p.link_speaker("walk.txt", "Jo", Some("P01")).expect("link");
    p
}

fn strs(v: &serde_json::Value, key: &str) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn an_independent_reader_finds_every_coding_on_its_words_with_its_coder() {
    let Some(python) = reader_python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let p = project(dir.path());
    let out = dir.path().join("walk.qdpx");
    storyloom_exports::refi::export_qdpx(&p, &out).expect("export");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("refi_reader/read_qdpx.py");
    let run = Command::new(&python)
        .arg(&script)
        .arg(&out)
        .output()
        .expect("python");
    assert!(
        run.status.success(),
        "pyrefiqda could not read our export: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");

    // Codes: every code by its uuid, name and parent.
    let codes = p.codes().expect("codes");
    assert_eq!(got["codes"].as_array().expect("codes").len(), codes.len());
    for c in &codes {
        let g = got["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .find(|x| x["guid"] == c.uuid.as_str())
            .unwrap_or_else(|| panic!("code {} missing", c.name()));
        assert_eq!(g["name"], c.name());
        assert_eq!(g["codable"], true);
        assert_eq!(g["parent"].as_str(), c.parent.as_deref(), "{g}");
    }
    assert!(codes.iter().any(|c| c.parent.is_some()), "a nested code");

    // Sources: the document by its uuid, its text whole.
    let doc = p.document("walk.txt").expect("doc");
    let sources = got["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0]["guid"], doc.uuid.as_str());
    assert_eq!(sources[0]["chars"], doc.text.chars().count());
    assert_eq!(sources[0]["creating_user"], "ana");

    // Every coding: its code, its coder, its exact words (cut by Python).
    let codings = p.codings(None, None, None).expect("codings");
    let sels = got["selections"].as_array().expect("selections");
    assert_eq!(sels.len(), codings.len());
    for c in &codings {
        let s = sels
            .iter()
            .find(|s| s["coding"] == c.uuid.as_str())
            .unwrap_or_else(|| panic!("coding {} missing", c.quote));
        assert_eq!(s["text"], c.quote.as_str(), "{s}");
        assert_eq!(s["coder"], c.coder.as_str(), "{s}");
        assert_eq!(s["selection_user"], c.coder.as_str(), "{s}");
        assert_eq!(s["code"], c.code.as_str(), "{s}");
    }
    assert_eq!(
        sels.iter().filter(|s| s["coder"] == "ben").count(),
        3,
        "the second coder keeps all three codings"
    );
    assert!(
        sels.iter()
            .any(|s| s["description"].as_str() == Some("She smiled here."))
    );

    // Notes: every memo, the journal's text from its file.
    let memos = p.memos(None).expect("memos");
    let notes = &got["notes"];
    for m in &memos {
        let n = notes
            .as_array()
            .expect("notes")
            .iter()
            .find(|n| n["guid"] == m.uuid.as_str())
            .unwrap_or_else(|| panic!("memo {} missing", m.title));
        assert!(
            n["text"].as_str().unwrap_or_default().contains(&m.body),
            "{n}"
        );
    }
    assert!(strs(notes, "text").contains(&"First walk observed.".to_owned()));
    assert!(
        got["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Walking groups.")
    );

    // Cases: the participant, on the document it speaks in.
    let cases = got["cases"].as_array().expect("cases");
    let p01 = cases.iter().find(|c| c["name"] == "P01").expect("case P01");
    assert_eq!(p01["sources"][0], doc.uuid.as_str());
    // The users are the coders and memo authors, nobody else.
    assert_eq!(got["users"], serde_json::json!(["ana", "ben"]));
}

/// Runs the independent reader on an archive.
fn read_with(python: &Path, qdpx: &Path) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("refi_reader/read_qdpx.py");
    let run = Command::new(python)
        .arg(&script)
        .arg(qdpx)
        .output()
        .expect("python");
    assert!(
        run.status.success(),
        "pyrefiqda could not read our export: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("json")
}

#[test]
fn an_independent_reader_sees_the_speaker_labels_and_every_coding_on_its_words() {
    let Some(python) = reader_python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let p = bold_docx::project(dir.path());
    let out = dir.path().join("walking.qdpx");
    storyloom_exports::refi::export_qdpx(&p, &out).expect("export");
    let got = read_with(&python, &out);
    let doc = p.document(bold_docx::DOC).expect("doc");
    let source = &got["sources"][0];
    let text = source["text"].as_str().expect("text");
    // Every turn starts with its speaker's label, in the reader's text.
    for t in &doc.turns {
        assert!(
            text.contains(&format!("{}: {}", t.speaker, t.text)),
            "turn '{}' of {} not labelled in {text}",
            t.text,
            t.speaker
        );
    }
    let description = source["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("Interviewer (interviewer)")
            && description.contains("Participant (participant)"),
        "{description}"
    );
    // Every selection, cut by Python in code points, holds the coded words
    // (a coding over two turns holds the label written between them).
    let codings = p.codings(None, None, None).expect("codings");
    let sels = got["selections"].as_array().expect("selections");
    assert_eq!(sels.len(), codings.len());
    for c in &codings {
        let s = sels
            .iter()
            .find(|s| s["coding"] == c.uuid.as_str())
            .unwrap_or_else(|| panic!("coding {} missing", c.quote));
        let want = c
            .quote
            .replace("And now?\n\nI go", "And now?\n\nParticipant: I go");
        assert_eq!(s["text"], want.as_str(), "{s}");
        assert_eq!(s["coder"], c.coder.as_str(), "{s}");
    }
}
