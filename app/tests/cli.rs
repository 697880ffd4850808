//! The command line end to end, and kill safety: a batch import killed with
//! SIGKILL leaves a project with every file that had committed, none half-imported.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use storyloom_project::{Project, synth};

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

fn run_ok(args: &[&str]) -> String {
    let out = storyloom().args(args).output().expect("run storyloom");
    assert!(
        out.status.success(),
        "storyloom {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sample(file: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sample-data")
        .join(file)
        .display()
        .to_string()
}

#[test]
fn new_import_list_turns_speakers_participants_history() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p.storyloom");
    let proj = proj.to_str().unwrap();
    run_ok(&["new", proj]);
    let out = run_ok(&[
        "import",
        proj,
        &sample("interviews/P04-nasreen-akhtar.srt"),
        &sample("interviews/P06-eileen-murphy.odt"),
    ]);
    assert!(
        out.contains("imported  P04-nasreen-akhtar.srt: srt, 2 speakers"),
        "{out}"
    );
    assert!(out.contains("2 imported, 0 duplicates, 0 failed"), "{out}");
    let docs: serde_json::Value =
        serde_json::from_str(&run_ok(&["documents", proj, "--json"])).unwrap();
    assert_eq!(docs.as_array().unwrap().len(), 2);
    let turns: serde_json::Value =
        serde_json::from_str(&run_ok(&["turns", proj, "P04-nasreen-akhtar", "--json"])).unwrap();
    let first = &turns[0];
    assert_eq!(first["speaker"], "SPEAKER_00");
    assert_eq!(first["role"], "interviewer");
    assert!(first["start_ms"].as_u64().is_some());
    let out = run_ok(&[
        "speakers",
        proj,
        "P04-nasreen-akhtar",
        "--set-role",
        "SPEAKER_00",
        "participant",
    ]);
    assert!(out.contains("participant*"), "{out}");
    let out = run_ok(&[
        "participants",
        proj,
        "--import",
        &sample("participants.csv"),
    ]);
    assert!(out.contains("12 new"), "{out}");
    assert!(
        out.contains("SPEAKER_01 (P04-nasreen-akhtar.srt) → P04"),
        "{out}"
    );
    run_ok(&["speakers", proj, "P06-eileen-murphy", "--link", "Q", "LW2"]);
    let people: serde_json::Value =
        serde_json::from_str(&run_ok(&["participants", proj, "--json"])).unwrap();
    assert_eq!(people["participants"].as_array().unwrap().len(), 12);
    let history = run_ok(&["history", proj]);
    for command in [
        "import",
        "set_speaker_role",
        "import_participants",
        "link_speakers",
        "link_speaker",
    ] {
        assert!(
            history.contains(command),
            "{command} missing from\n{history}"
        );
    }
    // A failed file makes the exit code 2 and names the file.
    let bad = dir.path().join("broken.docx");
    std::fs::write(&bad, b"nope").unwrap();
    let out = storyloom()
        .args(["import", proj, bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("FAILED    broken.docx: not a valid Word (.docx) file")
    );
    // Opening something that is not a project is a clear error.
    let out = storyloom()
        .args(["documents", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Storyloom project"));
}

#[test]
fn no_display_points_to_the_command_line() {
    let out = storyloom()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no display") && err.contains("storyloom --help"),
        "{err}"
    );
}

fn write_batch(dir: &Path, n: usize, words: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let p = dir.join(format!("T{i:04}.txt"));
            std::fs::write(&p, synth::transcript_txt(i as u64, words)).unwrap();
            p.display().to_string()
        })
        .collect()
}

#[test]
fn a_killed_import_keeps_every_committed_file_and_no_half_file() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("k.storyloom");
    run_ok(&["new", proj.to_str().unwrap()]);
    let files = write_batch(dir.path(), 400, 20_000);
    let mut child = storyloom()
        .arg("import")
        .arg(&proj)
        .args(&files)
        .arg("--threads")
        .arg("1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a few files have committed, then kill without warning.
    let start = Instant::now();
    loop {
        let n = Project::open(&proj)
            .ok()
            .and_then(|p| p.documents().ok())
            .map_or(0, |d| d.len());
        if n >= 3 || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let p = Project::open(&proj).unwrap();
    let docs = p.documents().unwrap();
    assert!(docs.len() >= 3, "the import never got going");
    assert!(
        docs.len() < files.len(),
        "the import finished before the kill; the test proves nothing"
    );
    let imports = p
        .history()
        .unwrap()
        .iter()
        .filter(|h| h.command == "import")
        .count();
    assert_eq!(imports, docs.len(), "one history entry per committed file");
    for d in &docs {
        let bytes = std::fs::read(dir.path().join(&d.name)).unwrap();
        let expected = storyloom_project::import::parse(&d.name, &bytes).unwrap();
        let stored = p.document(&d.uuid).unwrap();
        assert_eq!(stored.text, expected.text, "{}", d.name);
        assert_eq!(
            stored.turns.len(),
            expected.turns.len(),
            "{}: half-imported",
            d.name
        );
        assert_eq!(stored.marks.len(), expected.marks.len(), "{}", d.name);
    }
}
