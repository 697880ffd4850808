//! The `.storyloom` file alone is the whole project: a copy of only the file,
//! taken after the process writing it was killed, holds every committed
//! import; `storyloom backup` makes a checked one-file copy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

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
    // A kill lands at a random point. Each import is folded into the file
    // right after it commits, so a kill between the two steps costs the copy
    // at most that last import; a kill *inside* the fold leaves the file
    // needing its journal, and then the copy must say so plainly (never
    // "does not belong") while the project itself, with its journal, keeps
    // everything. At least one copy must come out whole.
    let mut copied = 0;
    let mut whole_copies = 0;
    for (round, wait) in [1500u64, 3000, 6000, 2500, 4500, 3500]
        .into_iter()
        .enumerate()
    {
        let files: Vec<_> = (0..300u64)
            .map(|i| {
                let n = round as u64 * 1000 + i;
                let p = dir.path().join(format!("T{n:05}.txt"));
                std::fs::write(&p, synth::transcript_txt(n, 5_000)).unwrap();
                p
            })
            .collect();
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
        let alone = dir.path().join(format!("alone{round}.storyloom"));
        std::fs::copy(&proj, &alone).unwrap();
        let in_copy = Project::open(&alone).map(|p| p.documents().unwrap().len());
        let committed = Project::open(&proj).unwrap().documents().unwrap().len();
        match in_copy {
            Ok(in_copy) => {
                assert!(
                    in_copy + 1 >= committed,
                    "the copy of the file alone misses imports: {in_copy} of {committed}"
                );
                if committed > copied {
                    whole_copies += 1;
                }
            }
            Err(e) => {
                let e = e.to_string();
                assert!(
                    e.contains("no journal beside it") && e.contains("storyloom backup"),
                    "a copy taken after a kill inside the fold must say how to copy it whole: {e}"
                );
            }
        }
        copied = committed;
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", alone.display()));
        }
        if whole_copies > 0 {
            break;
        }
    }
    assert!(
        whole_copies > 0,
        "no copy after a kill held a newly committed import; the test proves nothing"
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
