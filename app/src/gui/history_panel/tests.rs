//! Who did what: the history tab names the user and computer of each
//! change, and the coder filter narrows it (and the memos) to one person.

use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::MemoTarget;

fn bench_with_two_people() -> (tempfile::TempDir, Harness<'static, Workbench>) {
    let (dir, mut bench) = bench_on_sample();
    let p = bench.shared.project.as_mut().expect("a project");
    p.set_actor("ana");
    p.create_code("Ana's new code", None, None).expect("code");
    p.add_memo(&MemoTarget::Project, "Ana's memo", "first thoughts")
        .expect("memo");
    p.set_actor("ben");
    p.create_code("Ben's new code", None, None).expect("code");
    p.add_memo(&MemoTarget::Project, "Ben's memo", "second thoughts")
        .expect("memo");
    bench.shared.revision += 1;
    // Documents only in the navigator: the codes' names are looked for in the history.
    bench.nav = crate::gui::workbench::NavTab::Documents;
    let mut h = harness(bench);
    h.get_by_label("History").click();
    h.run();
    (dir, h)
}

#[test]
fn the_history_names_user_and_computer_and_filters_by_coder() {
    let (_dir, mut h) = bench_with_two_people();
    let machine = storyloom_project::store::machine();
    assert!(h.query_by_label_contains("Ana's new code").is_some());
    assert!(h.query_by_label_contains("Ben's new code").is_some());
    assert!(h.query_all_by_label("ana").next().is_some());
    assert!(h.query_all_by_label("ben").next().is_some());
    assert!(h.query_all_by_label(machine).next().is_some(), "{machine}");

    h.get_by_label("Changes by").click();
    h.run();
    // The list's entry (the rows below name ben too, as plain labels).
    h.get_by_role_and_label(egui::accesskit::Role::Button, "ben")
        .click();
    h.run();
    h.run();
    assert_eq!(h.state().shared.coders.coder.as_deref(), Some("ben"));
    assert!(h.query_by_label_contains("Ben's new code").is_some());
    assert!(h.query_by_label_contains("Ana's new code").is_none());
    // The memos follow the same filter.
    h.state_mut().shared.center = CenterTab::Memos;
    h.run();
    assert!(
        h.query_by_label_contains("Showing only ben's memos")
            .is_some()
    );
    assert!(h.query_all_by_label_contains("Ben's memo").next().is_some());
    assert!(h.query_all_by_label_contains("Ana's memo").next().is_none());
}

#[test]
fn blind_mode_shows_only_your_own_changes() {
    let (_dir, mut h) = bench_with_two_people();
    // The project's user is ben (the last to act).
    h.state_mut().shared.coders.blind = true;
    h.state_mut().shared.revision += 1;
    h.run();
    assert!(h.query_by_label_contains("Blind coding is on").is_some());
    assert!(h.query_by_label_contains("Ben's new code").is_some());
    assert!(h.query_by_label_contains("Ana's new code").is_none());
}

#[test]
fn a_merge_shows_the_colleagues_changes_with_their_author_and_computer() {
    let (dir, mut bench) = bench_on_sample();
    let bob_file = dir.path().join("bob.storyloom");
    let p = bench.shared.project.as_mut().expect("a project");
    p.backup_to(&bob_file).expect("copy");
    {
        let mut bob = storyloom_project::Project::open(&bob_file).expect("bob's copy");
        bob.set_actor("bob");
        bob.create_code("Bob's new code", None, None).expect("code");
    }
    p.set_actor("ana");
    p.merge_copy(&bob_file, false).expect("merged");
    bench.shared.revision += 1;
    // Documents only in the navigator: the codes' names are looked for in the history.
    bench.nav = crate::gui::workbench::NavTab::Documents;
    let mut h = harness(bench);
    h.get_by_label("History").click();
    h.run();
    assert!(h.query_by_label_contains("merged bob.storyloom").is_some());
    // Bob's change, under the merge, with his name and computer.
    assert!(
        h.query_by_label_contains("(brought in by the merge)")
            .is_some(),
        "bob's change under the merge"
    );
    assert!(h.query_by_label_contains("Bob's new code").is_some());
    assert!(h.query_all_by_label("bob").next().is_some());
    // Filtered to bob: the merge stays, with his change.
    h.state_mut().shared.coders.coder = Some("bob".into());
    h.state_mut().shared.revision += 1;
    h.run();
    assert!(
        h.query_by_label_contains("(brought in by the merge)")
            .is_some()
    );
    assert!(h.query_all_by_label("bob").next().is_some());
}
