//! Helpers shared by the end-to-end tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::PathBuf;
use storyloom_project::{DocumentText, Project};

/// `shared/external` beside the workspace or any folder above it (a worktree
/// sits deeper than the main checkout), or `None` (with a printed notice)
/// when it is absent. With `STORYLOOM_REQUIRE_EXTERNAL=1` (set by CI) a
/// missing folder fails.
pub fn external_dir() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if let Some(dir) = manifest
        .ancestors()
        .skip(1)
        .map(|a| a.join("shared/external"))
        .find(|d| d.is_dir())
    {
        return Some(dir);
    }
    let dir = manifest.join("../../shared/external");
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

/// Distinct speaker labels of a document, in order of first turn (the
/// non-speech pseudo-speaker aside).
pub fn speaker_labels(doc: &DocumentText) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in doc.turns.iter().filter(|t| !t.non_speech) {
        if !out.contains(&t.speaker) {
            out.push(t.speaker.clone());
        }
    }
    out
}

/// Whether outside programs a test needs are installed. When some are
/// missing (or `also_missing` names something else, such as a font), the
/// test skips with a printed notice, or fails when `STORYLOOM_REQUIRE_TOOLS`
/// is set (CI installs them).
pub fn outside_tools(tools: &[&str], also_missing: Vec<String>, skipped: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut missing: Vec<String> = tools
        .iter()
        .filter(|t| {
            Command::new(t)
                .arg(if **t == "soffice" { "--version" } else { "-v" })
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_err()
        })
        .map(|t| t.to_string())
        .collect();
    missing.extend(also_missing);
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("STORYLOOM_REQUIRE_TOOLS").is_some() {
        panic!("{missing:?} not found and STORYLOOM_REQUIRE_TOOLS is set");
    }
    eprintln!("SKIPPED: {missing:?} not found; {skipped}");
    false
}

/// Converts docx files to PDF into `out` in one `soffice` run, with its own
/// profile (so it does not collide with a running LibreOffice) and a time
/// limit; panics when LibreOffice fails or overruns.
pub fn soffice_to_pdf(
    docx: &[PathBuf],
    out: &std::path::Path,
    profile: &std::path::Path,
    limit: std::time::Duration,
) {
    use std::process::{Command, Stdio};
    let started = std::time::Instant::now();
    let mut child = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .args(docx)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start soffice");
    loop {
        match child.try_wait().expect("wait for soffice") {
            Some(status) => {
                assert!(status.success(), "soffice failed: {status}");
                return;
            }
            None if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("soffice did not finish within {limit:?}");
            }
            None => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
}

/// Settles every name the finder finds, as a researcher would before a
/// stakeholder export: names the pseudonym map does not replace are
/// recorded as not identifying (the sample's people are fictional).
pub fn settle_names(p: &mut Project) {
    use storyloom_project::store::pseudonyms::Verdict;
    // A participant's own names are replaced in every document (the sample's
    // link workers and participants talk about each other).
    for e in p.own_names_map().expect("own names").entries() {
        if e.scope.is_some() {
            // A pseudonym that is a real name elsewhere ("Frank") is
            // refused: the study id stands in.
            if p.set_pseudonym(&e.original, &e.replacement, e.kind, true)
                .is_err()
            {
                let id = e.scope.clone().unwrap_or_default();
                p.set_pseudonym(&e.original, &id, e.kind, true)
                    .expect("own name everywhere");
            }
        }
    }
    let map = p.pseudonym_map(None).expect("map");
    let originals: Vec<String> = map
        .entries()
        .iter()
        .map(|e| storyloom_project::privacy::fold(&e.original))
        .collect();
    let names: Vec<String> = p
        .unreviewed_names(None)
        .expect("names")
        .into_iter()
        .filter(|n| !originals.contains(&n.key))
        .map(|n| n.name)
        .collect();
    p.review_names(&names, Verdict::NotIdentifying, "test: fictional")
        .expect("review");
}
