//! The `.storyloom` file alone is the whole project: a copy of only the file,
//! taken after the process writing it was killed, holds every committed
//! import; `storyloom backup` makes a checked one-file copy.

use std::process::{Command, Stdio};
use std::time::Duration;
use storyloom_project::{Project, synth};

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

#[test]
fn a_copy_of_only_the_file_after_a_kill_has_every_committed_import() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("k.storyloom");
    assert!(
        storyloom()
            .arg("new")
            .arg(&proj)
            .status()
            .unwrap()
            .success()
    );
    let files: Vec<_> = (0..300)
        .map(|i| {
            let p = dir.path().join(format!("T{i:04}.txt"));
            std::fs::write(&p, synth::transcript_txt(i, 5_000)).unwrap();
            p
        })
        .collect();
    let mut copied = 0;
    for wait in [1500, 3000, 6000] {
        let mut child = storyloom()
            .arg("import")
            .arg(&proj)
            .args(&files)
            .args(["--threads", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL: no close, no checkpoint on the way out
        child.wait().unwrap();
        // Only the file, before anything opens the project again.
        let alone = dir.path().join("alone.storyloom");
        std::fs::copy(&proj, &alone).unwrap();
        let in_copy = Project::open(&alone).unwrap().documents().unwrap().len();
        let committed = Project::open(&proj).unwrap().documents().unwrap().len();
        // Each import is folded into the file right after it commits; a kill
        // can only land between those two steps of the last one.
        assert!(
            in_copy + 1 >= committed,
            "the copy of the file alone misses imports: {in_copy} of {committed}"
        );
        std::fs::remove_file(&alone).unwrap();
        copied = committed;
        if committed > 0 {
            break;
        }
    }
    assert!(
        copied > 0,
        "no import committed before the kill; the test proves nothing"
    );
    // And the command that makes a copy on purpose.
    let out = dir.path().join("backup.storyloom");
    let r = storyloom()
        .arg("backup")
        .arg(&proj)
        .arg(&out)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(
        Project::open(&out).unwrap().documents().unwrap().len(),
        copied
    );
}
