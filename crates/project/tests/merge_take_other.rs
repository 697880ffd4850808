//! Settling a merge conflict over a field by taking the other person's
//! version: one change, the field set, the conflict closed; undo reopens it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

#[test]
fn taking_the_other_version_sets_the_field_and_closes_the_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let (mine, theirs) = (
        dir.path().join("ana.storyloom"),
        dir.path().join("bob.storyloom"),
    );
    let mut ana = Project::create(&mine).unwrap();
    ana.set_actor("ana");
    ana.create_code("Waiting", None, None).unwrap();
    ana.backup_to(&theirs).unwrap();
    {
        let mut bob = Project::open(&theirs).unwrap();
        bob.set_actor("bob");
        bob.set_code_color("Waiting", "#0000bb").unwrap();
        bob.create_code("Kindness", None, None).unwrap();
    }
    ana.set_code_color("Waiting", "#aa0000").unwrap();
    ana.merge_copy(&theirs, false).unwrap();
    let open = ana.merge_conflicts(false).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(ana.code("Waiting").unwrap().color, "#aa0000");
    let before = ana.history().unwrap().len();
    ana.take_other_version(&open[0].uuid).unwrap();
    assert_eq!(ana.history().unwrap().len(), before + 1, "one change");
    assert_eq!(ana.code("Waiting").unwrap().color, "#0000bb");
    assert!(ana.merge_conflicts(false).unwrap().is_empty());
    let last = ana.history().unwrap().pop().unwrap();
    assert!(last.summary.contains("taking bob"), "{}", last.summary);
    // A settled conflict cannot be settled again.
    assert!(ana.take_other_version(&open[0].uuid).is_err());
    ana.undo().unwrap().unwrap();
    assert_eq!(ana.code("Waiting").unwrap().color, "#aa0000");
    assert_eq!(ana.merge_conflicts(false).unwrap().len(), 1);
    // Keeping the version kept instead.
    ana.settle_merge_conflict(&open[0].uuid).unwrap();
    assert_eq!(ana.code("Waiting").unwrap().color, "#aa0000");
    assert!(ana.merge_conflicts(false).unwrap().is_empty());
}
