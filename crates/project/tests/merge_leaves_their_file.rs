//! Merging reads the colleague's copy and leaves its folder as it was:
//! the copy stays one file, with no journal (`-wal`, `-shm`) beside it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

#[test]
fn a_merge_leaves_nothing_beside_the_colleagues_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("ana.storyloom");
    // A folder name with characters a URI gives meaning to.
    let theirs_dir = dir.path().join("from bob #2 (50%)");
    std::fs::create_dir(&theirs_dir).unwrap();
    let theirs = theirs_dir.join("bob.storyloom");
    let mut ana = Project::create(&mine).unwrap();
    ana.create_code("Waiting", None, None).unwrap();
    ana.backup_to(&theirs).unwrap();
    {
        let mut bob = Project::open(&theirs).unwrap();
        bob.set_actor("bob");
        bob.create_code("Kindness", None, None).unwrap();
    }
    let listing = || -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&theirs_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(listing(), vec!["bob.storyloom".to_owned()]);
    ana.merge_copy(&theirs, true).unwrap();
    ana.merge_copy(&theirs, false).unwrap();
    assert!(ana.code("Kindness").is_ok());
    assert_eq!(listing(), vec!["bob.storyloom".to_owned()]);
}
