//! File → Merge a colleague's project…: the dry run's report, confirming,
//! one undoable change, and the conflicts settled on the review list.

use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use crate::gui::workbench::PathPrompt;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::{MemoTarget, Project};

const CODE: &str = "Loss and loneliness";

/// Ana's project and Bob's copy of it: both recoloured one code, Bob added
/// a code and a memo.
fn two_copies() -> (tempfile::TempDir, Harness<'static, Workbench>, String) {
    let (dir, mut bench) = bench_on_sample();
    let bob_file = dir.path().join("bob.storyloom");
    let p = bench.shared.project.as_mut().expect("a project");
    p.backup_to(&bob_file).expect("copy");
    {
        let mut bob = Project::open(&bob_file).expect("bob's copy");
        bob.set_actor("bob");
        bob.set_code_color(CODE, "#0000bb").expect("colour");
        bob.create_code("Kindness", None, None).expect("code");
        bob.add_memo(&MemoTarget::Project, "Bob's memo", "notes")
            .expect("memo");
    }
    p.set_actor("ana");
    p.set_code_color(CODE, "#aa0000").expect("colour");
    bench.shared.revision += 1;
    let mut h = harness(bench);
    // The File menu's item asks for the file.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Merge a colleague's project…").click();
    h.run();
    assert_eq!(
        h.state().prompt.as_ref().map(|(p, _)| p.clone()),
        Some(PathPrompt::MergeCopy)
    );
    h.state_mut().prompt = Some((PathPrompt::MergeCopy, bob_file.display().to_string()));
    h.run();
    h.get_by_label("OK").click();
    h.run();
    (dir, h, bob_file.display().to_string())
}

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

#[test]
fn the_dry_run_is_shown_then_the_merge_is_one_undoable_change() {
    let (_dir, mut h, _) = two_copies();
    // The report, before anything is written.
    assert!(
        h.query_by_label("Merging bob.storyloom into this project")
            .is_some()
    );
    assert!(h.query_by_label_contains("change(s) by bob").is_some());
    assert!(h.query_by_label_contains("Comes in:").is_some());
    assert!(
        h.query_by_label_contains("1 conflict(s) will wait")
            .is_some()
    );
    assert!(project(&h).code("Kindness").is_err(), "a dry run wrote");
    let history = project(&h).history().expect("history").len();
    h.get_by_label("Merge").click();
    h.run();
    assert!(project(&h).code("Kindness").is_ok());
    assert_eq!(
        project(&h).history().expect("history").len(),
        history + 1,
        "one change"
    );
    assert_eq!(
        project(&h).merge_conflicts(false).expect("conflicts").len(),
        1
    );
    // The review list shows both versions and who made them.
    assert_eq!(h.state().shared.center, CenterTab::Review);
    assert!(h.query_by_label("Merge conflicts: 1").is_some());
    assert!(h.query_by_label_contains("Kept: #aa0000 (by ana").is_some());
    assert!(
        h.query_by_label_contains("Other: #0000bb (by bob")
            .is_some()
    );
    // Undo takes the whole merge back.
    h.state_mut().shared.act(|p| p.undo()).expect("undone");
    h.run();
    assert!(project(&h).code("Kindness").is_err());
    assert!(
        project(&h)
            .merge_conflicts(false)
            .expect("conflicts")
            .is_empty()
    );
}

#[test]
fn a_conflict_is_settled_on_the_review_list() {
    let (_dir, mut h, _) = two_copies();
    h.get_by_label("Merge").click();
    h.run();
    let history = project(&h).history().expect("history").len();
    h.get_by_label("Take bob's version").click();
    h.run();
    assert_eq!(project(&h).code(CODE).expect("code").color, "#0000bb");
    assert!(
        project(&h)
            .merge_conflicts(false)
            .expect("conflicts")
            .is_empty()
    );
    assert_eq!(project(&h).history().expect("history").len(), history + 1);
    assert!(h.query_by_label_contains("Merge conflicts").is_none());
    // Undo reopens it with the colour as it was.
    h.state_mut().shared.act(|p| p.undo()).expect("undone");
    h.run();
    assert_eq!(project(&h).code(CODE).expect("code").color, "#aa0000");
    h.get_by_label("Keep the version kept").click();
    h.run();
    assert_eq!(project(&h).code(CODE).expect("code").color, "#aa0000");
    assert!(
        project(&h)
            .merge_conflicts(false)
            .expect("conflicts")
            .is_empty()
    );
}

#[test]
fn cancel_writes_nothing() {
    let (_dir, mut h, _) = two_copies();
    let history = project(&h).history().expect("history").len();
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label_contains("Merging bob.storyloom").is_none());
    assert_eq!(project(&h).history().expect("history").len(), history);
    assert!(project(&h).code("Kindness").is_err());
}

#[test]
fn taking_a_deletion_that_drops_codings_asks_first() {
    let (dir, mut bench) = bench_on_sample();
    let bob_file = dir.path().join("bob.storyloom");
    let p = bench.shared.project.as_mut().expect("a project");
    p.backup_to(&bob_file).expect("copy");
    {
        let mut bob = Project::open(&bob_file).expect("bob's copy");
        bob.set_actor("bob");
        bob.delete_code(CODE).expect("deleted");
    }
    p.set_actor("ana");
    let doc = p.documents().expect("documents")[0].uuid.clone();
    let coding = p
        .add_coding(&storyloom_project::CodingRequest {
            code: CODE,
            document: &doc,
            start: 3,
            end: 40,
            version: None,
        })
        .expect("coded");
    p.merge_copy(&bob_file, false).expect("merged");
    let open = p.merge_conflicts(false).expect("conflicts");
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].kind, "deleted-used");
    bench.shared.revision += 1;
    bench.shared.center = CenterTab::Review;
    let mut h = harness(bench);
    let history = project(&h).history().expect("history").len();
    h.get_by_label("Take bob's version").click();
    h.run();
    // Nothing written yet: the window says what goes, and asks.
    assert!(project(&h).code(CODE).is_ok());
    assert!(h.query_by_label_contains("with it (").is_some());
    assert!(h.query_by_label_contains("by ana)").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label_contains("with it (").is_none());
    assert_eq!(project(&h).history().expect("history").len(), history);
    h.get_by_label("Take bob's version").click();
    h.run();
    h.get_by_label("Delete it and its codings").click();
    h.run();
    assert!(project(&h).code(CODE).is_err(), "bob's deletion stands");
    assert!(
        project(&h).coding(&coding).is_err(),
        "the coding went with it"
    );
    assert_eq!(project(&h).history().expect("history").len(), history + 1);
    assert!(h.query_by_label_contains("Merge conflicts").is_none());
    h.state_mut().shared.act(|p| p.undo()).expect("undone");
    h.run();
    assert!(project(&h).code(CODE).is_ok());
    assert!(project(&h).coding(&coding).is_ok());
    assert!(h.query_by_label("Merge conflicts: 1").is_some());
}
