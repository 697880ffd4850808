//! Undo is per user: each reverses only their own actions, and refuses,
//! naming the other user, when someone else has changed the same rows since.
//! Two `Project` handles on one file stand for two processes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

fn two_users() -> (tempfile::TempDir, Project, Project) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.storyloom");
    let mut alice = Project::create(&path).unwrap();
    alice.set_actor("alice");
    let mut bob = Project::open(&path).unwrap();
    bob.set_actor("bob");
    (dir, alice, bob)
}

fn names(p: &Project) -> Vec<String> {
    let mut n: Vec<String> = p
        .codes()
        .unwrap()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn undo_reverses_your_own_last_action_not_a_later_one_of_someone_else() {
    let (_dir, mut alice, mut bob) = two_users();
    alice.create_code("Loneliness", None, None).unwrap();
    bob.create_code("Belonging", None, None).unwrap();
    bob.create_code("Music", None, None).unwrap();
    let r = alice.can_undo().unwrap().unwrap();
    assert_eq!(
        (r.actor.as_str(), r.command.as_str()),
        ("alice", "create_code")
    );
    assert!(r.blocked_by.is_none());
    let undone = alice.undo().unwrap().unwrap();
    assert!(undone.summary.contains("Loneliness"), "{}", undone.summary);
    assert_eq!(names(&bob), ["Belonging", "Music"]);
    // Nothing more of alice's; bob's work is untouched.
    assert!(alice.undo().unwrap().is_none());
    assert_eq!(names(&bob), ["Belonging", "Music"]);
    // Alice redoes hers; bob undoes his own last one.
    alice.redo().unwrap().unwrap();
    bob.undo().unwrap().unwrap();
    assert_eq!(names(&alice), ["Belonging", "Loneliness"]);
}

#[test]
fn undo_refuses_when_another_user_changed_the_same_rows_since() {
    let (_dir, mut alice, mut bob) = two_users();
    let code = alice.create_code("Loneliness", None, None).unwrap();
    bob.rename_code(&code, "Isolation").unwrap();
    let r = alice.can_undo().unwrap().unwrap();
    assert!(
        r.blocked_by
            .as_deref()
            .is_some_and(|b| b.starts_with("bob")),
        "{r:?}"
    );
    let err = alice.undo().unwrap_err().to_string();
    assert!(err.contains("bob") && err.contains("Isolation"), "{err}");
    // Nothing was reverted.
    assert_eq!(names(&alice), ["Isolation"]);
    // Once bob has undone his rename, alice's undo goes through.
    bob.undo().unwrap().unwrap();
    assert!(alice.can_undo().unwrap().unwrap().blocked_by.is_none());
    alice.undo().unwrap().unwrap();
    assert!(names(&alice).is_empty());
    // The history shows who did what.
    let h = alice.history().unwrap();
    let who: Vec<(&str, &str)> = h
        .iter()
        .map(|e| (e.actor.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            ("alice", "action"),
            ("bob", "action"),
            ("bob", "undo"),
            ("alice", "undo")
        ]
    );
}
