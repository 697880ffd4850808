//! Taking the colleague's version of each kind of merge conflict other than
//! a field (that is in merge_take_other.rs): a deletion that stands (with
//! the codings it takes), a deleted row, a transcript corrected on both
//! sides, a row the project refused. Each is one change; undo reopens it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod merge_support;

use merge_support::*;
use std::path::PathBuf;
use storyloom_project::store::ConflictRow;
use storyloom_project::{CodingRequest, Project};

/// Ana's and Bob's copies of one base project.
fn pair() -> (tempfile::TempDir, Project, Project, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    let ana = copy_as(&base, &dir.path().join("ana.storyloom"), "ana");
    let bob_file = dir.path().join("bob.storyloom");
    let bob = copy_as(&base, &bob_file, "bob");
    (dir, ana, bob, bob_file)
}

fn only(p: &Project, kind: &str) -> ConflictRow {
    let open = p.merge_conflicts(false).unwrap();
    let found: Vec<&ConflictRow> = open.iter().filter(|c| c.kind == kind).collect();
    assert_eq!(found.len(), 1, "{open:?}");
    found[0].clone()
}

/// Takes the other version as one change, then checks undo reopens it.
fn take(p: &mut Project, c: &ConflictRow) {
    let before = p.history().unwrap().len();
    p.take_other_version(&c.uuid).unwrap();
    assert_eq!(p.history().unwrap().len(), before + 1, "one change");
    assert!(
        p.merge_conflicts(false)
            .unwrap()
            .iter()
            .all(|o| o.uuid != c.uuid)
    );
    let last = p.history().unwrap().pop().unwrap();
    assert!(last.summary.contains("taking"), "{}", last.summary);
}

#[test]
fn a_deletion_that_stands_takes_the_code_and_the_codings_made_on_it() {
    let (_d, mut ana, mut bob, bob_file) = pair();
    let code = ana.codes().unwrap()[0].uuid.clone();
    let doc = bob.documents().unwrap()[0].uuid.clone();
    let coding = bob
        .add_coding(&CodingRequest {
            code: &code,
            document: &doc,
            start: 3,
            end: 40,
            version: None,
        })
        .unwrap();
    drop(bob);
    ana.delete_code(&code).unwrap();
    ana.merge_copy(&bob_file, false).unwrap();
    let c = only(&ana, "deleted-used");
    assert!(ana.code(&code).is_ok() && ana.coding(&coding).is_ok());
    // The window asks first: the preview says what goes and whose it is.
    let preview = ana.take_other_preview(&c.uuid).unwrap();
    assert_eq!(preview.who, "ana");
    assert!(
        preview
            .codings_lost
            .iter()
            .any(|(coder, n)| coder == "bob" && *n >= 1)
    );
    assert!(preview.words.contains("with it ("), "{}", preview.words);
    let lost = preview.codings_lost_total();
    let all_before = ana.codings(None, None, None).unwrap().len();
    take(&mut ana, &c);
    assert!(ana.code(&code).is_err(), "the code stayed");
    assert!(ana.coding(&coding).is_err(), "bob's coding stayed");
    assert_eq!(
        ana.codings(None, None, None).unwrap().len(),
        all_before - lost
    );
    ana.undo().unwrap().unwrap();
    assert!(ana.code(&code).is_ok() && ana.coding(&coding).is_ok());
    assert_eq!(ana.merge_conflicts(false).unwrap().len(), 1);
}

#[test]
fn a_row_deleted_on_their_side_goes_as_they_left_it() {
    let (d, mut ana, bob, _) = pair();
    drop(bob);
    let target = ana.memo_target("project", None).unwrap();
    let memo = ana.add_memo(&target, "Early idea", "first").unwrap();
    let bob_file = d.path().join("bob2.storyloom");
    let mut bob = copy_as(&d.path().join("ana.storyloom"), &bob_file, "bob");
    bob.delete_memo(&memo).unwrap();
    drop(bob);
    ana.edit_memo(&memo, "Early idea", "second thoughts")
        .unwrap();
    ana.merge_copy(&bob_file, false).unwrap();
    let c = only(&ana, "deleted-changed");
    assert!(c.other_by.starts_with("bob"), "{c:?}");
    let preview = ana.take_other_preview(&c.uuid).unwrap();
    assert!(preview.codings_lost.is_empty());
    let has = |p: &Project| p.memos(None).unwrap().iter().any(|m| m.uuid == memo);
    assert!(has(&ana));
    take(&mut ana, &c);
    assert!(!has(&ana), "the memo bob deleted stayed");
    ana.undo().unwrap().unwrap();
    assert!(has(&ana));
    assert_eq!(only(&ana, "deleted-changed").uuid, c.uuid);
}

#[test]
fn their_correction_becomes_current_and_the_codings_follow() {
    let (_d, mut ana, mut bob, bob_file) = pair();
    let stem = OWN[0].0.trim_end_matches(".txt");
    let doc = ana.document(stem).unwrap();
    let text: String = doc
        .turns
        .iter()
        .map(|t| format!("{}: {}\n", t.speaker, t.text))
        .collect();
    let at = doc.text.find("lovely").unwrap();
    let code = ana.codes().unwrap()[0].uuid.clone();
    let coding = ana
        .add_coding(&CodingRequest {
            code: &code,
            document: stem,
            start: at,
            end: at + 6,
            version: None,
        })
        .unwrap();
    ana.correct_document_text(stem, &text.replace("Tuesday", "Wednesday"))
        .unwrap();
    bob.correct_document_text(stem, &text.replace("knee", "hip"))
        .unwrap();
    drop(bob);
    ana.merge_copy(&bob_file, false).unwrap();
    let c = only(&ana, "both-corrected");
    // The later correction (bob's) is current; ana's is the other version.
    let (kept_text, other_word) = if c.kept_by.starts_with("bob") {
        ("hip", "Wednesday")
    } else {
        ("Wednesday", "hip")
    };
    assert!(ana.document(stem).unwrap().text.contains(kept_text));
    let version_before = ana.document(stem).unwrap().version;
    take(&mut ana, &c);
    let now = ana.document(stem).unwrap();
    assert!(now.text.contains(other_word) && !now.text.contains(kept_text));
    assert_ne!(now.version, version_before);
    // Ana's coding is on the text now current, over the same word.
    let g = ana.coding(&coding).unwrap();
    assert_eq!((g.version, g.quote.as_str()), (now.version, "lovely"));
    ana.undo().unwrap().unwrap();
    let back = ana.document(stem).unwrap();
    assert!(back.text.contains(kept_text));
    assert_eq!(ana.coding(&coding).unwrap().version, back.version);
}

#[test]
fn a_refused_row_comes_in_once_what_was_in_the_way_is_moved() {
    let (_d, mut ana, mut bob, bob_file) = pair();
    let anas = ana.create_code("Hope", None, None).unwrap();
    let bobs = bob.create_code("Hope", None, None).unwrap();
    drop(bob);
    ana.merge_copy(&bob_file, false).unwrap();
    let c = only(&ana, "refused");
    assert_eq!(c.entity_uuid, bobs);
    // The name is still taken: nothing changes, and the error says why.
    let before = ana.history().unwrap().len();
    let err = ana.take_other_version(&c.uuid).unwrap_err().to_string();
    assert!(err.contains("cannot take bob's version"), "{err}");
    assert!(err.contains("taken"), "{err}");
    assert_eq!(ana.history().unwrap().len(), before);
    assert!(ana.code(&bobs).is_err());
    ana.rename_code(&anas, "Hope (ana)").unwrap();
    take(&mut ana, &c);
    assert_eq!(ana.code(&bobs).unwrap().name(), "Hope");
    assert_eq!(ana.code(&anas).unwrap().name(), "Hope (ana)");
    ana.undo().unwrap().unwrap();
    assert!(ana.code(&bobs).is_err());
    assert_eq!(only(&ana, "refused").uuid, c.uuid);
}
