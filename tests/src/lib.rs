//! Helpers shared by the end-to-end tests.

use std::path::PathBuf;
use storyloom_coding::{DocumentText, Project};

/// `../shared/external`, or `None` (with a printed notice) when it is absent.
/// With `STORYLOOM_REQUIRE_EXTERNAL=1` (set by CI) a missing folder fails.
pub fn external_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/external");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("STORYLOOM_REQUIRE_EXTERNAL").is_some() {
        panic!(
            "{} is missing and STORYLOOM_REQUIRE_EXTERNAL is set",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED: {} is absent; external-data tests did not run",
        dir.display()
    );
    None
}

pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data")
}

/// A new empty project in a temporary folder (kept alive by the returned guard).
pub fn temp_project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = Project::create(&dir.path().join("test.storyloom")).expect("create project");
    (dir, p)
}

/// The speech of a turn.
pub fn speech(doc: &DocumentText, i: usize) -> &str {
    &doc.turns[i].text
}

/// Distinct speaker labels of a document, in order of first turn.
pub fn speaker_labels(doc: &DocumentText) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in &doc.turns {
        if !out.contains(&t.speaker) {
            out.push(t.speaker.clone());
        }
    }
    out
}
