//! The project is one file: a consistent copy by SQLite's online backup, a
//! read-only file or folder opened read-only with a message and nothing
//! left beside it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use storyloom_project::*;

const TEXT: &str = "Interviewer: How are you?\nMargaret: Better since the choir started.\n";

fn project(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("study.storyloom");
    let mut p = Project::create(&path).unwrap();
    p.import_bytes("P01.txt", TEXT.as_bytes()).unwrap();
    p.create_code("Belonging", None, None).unwrap();
    path
}

fn beside(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-wal") || n.ends_with("-shm") || n.ends_with("-journal"))
        .collect();
    v.sort();
    v
}

#[test]
fn backup_is_one_checked_file_while_the_project_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = project(dir.path());
    let mut p = Project::open(&path).unwrap();
    p.create_code("Music", None, None).unwrap();
    let out = dir.path().join("copies");
    std::fs::create_dir(&out).unwrap();
    let copy = out.join("copy.storyloom");
    p.backup_to(&copy).unwrap();
    assert!(beside(&out).is_empty(), "{:?}", beside(&out));
    let c = Project::open(&copy).unwrap();
    assert_eq!(c.codes().unwrap().len(), 2);
    assert_eq!(c.documents().unwrap().len(), 1);
    assert!(
        p.backup_to(&path).is_err(),
        "a copy over the project itself is refused"
    );
}

#[test]
fn a_read_only_file_opens_read_only_and_leaves_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = project(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    {
        let mut p = Project::open(&path).unwrap();
        let why = p.read_only().expect("read-only").to_owned();
        assert!(why.contains("read-only"), "{why}");
        assert_eq!(p.codes().unwrap().len(), 1);
        let e = p.create_code("Music", None, None).unwrap_err().to_string();
        assert!(
            e.contains("open read-only") && e.contains("Save a copy"),
            "{e}"
        );
        assert!(p.undo().is_err());
    }
    assert!(beside(dir.path()).is_empty(), "{:?}", beside(dir.path()));
    // Writable again: no stuck -shm blocks the next write.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut p = Project::open(&path).unwrap();
    assert!(p.read_only().is_none());
    p.create_code("Music", None, None).unwrap();
}

#[test]
fn a_project_in_a_read_only_folder_says_the_folder_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let path = project(&folder);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let result = Project::open(&path).map(|p| {
        let why = p.read_only().map(str::to_owned);
        let codes = p.codes().map(|c| c.len()).ok();
        (why, codes)
    });
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (why, codes) = result.unwrap();
    let why = why.expect("read-only");
    assert!(why.contains("folder") && why.contains("read-only"), "{why}");
    assert_eq!(codes, Some(1));
    assert!(beside(&folder).is_empty(), "{:?}", beside(&folder));
}
