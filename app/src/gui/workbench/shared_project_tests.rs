//! File → Open shared project… and the sync status, through the window.
//! The replica test runs against a real PostgreSQL (`storyloom_pgtest`):
//! it skips with a notice where there is none (and fails under
//! STORYLOOM_REQUIRE_TOOLS). Waiting on the background thread and the sync
//! is bounded by a number of frames, never measured.

use crate::gui::Workbench;
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::Project;

fn open_dialog(h: &mut Harness<'static, Workbench>) {
    file_menu(h, "Open shared project…");
}

fn file_menu(h: &mut Harness<'static, Workbench>, item: &str) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}

fn fill(h: &mut Harness<'static, Workbench>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// A project name no other test run uses on the server, and its address.
fn fresh_name(server: &storyloom_pgtest::TestServer, prefix: &str) -> (String, String) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("{prefix}_{}_{nanos}", std::process::id());
    let url = server.url_with_path(&format!("postgres/{name}"));
    (name, url)
}

/// Steps frames until `done` holds, at most `frames` times (each frame
/// waits a little for the background thread).
fn until(
    h: &mut Harness<'static, Workbench>,
    frames: usize,
    done: impl Fn(&Workbench) -> bool,
) -> bool {
    for _ in 0..frames {
        if done(h.state()) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    done(h.state())
}

#[test]
fn an_unreachable_server_is_a_refusal_and_leaves_no_file() {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    open_dialog(&mut h);
    // Nothing listens on port 1.
    fill(
        &mut h,
        "Address",
        "postgres://ana@127.0.0.1:1/research/choir",
    );
    fill(&mut h, "Password", "not saved anywhere");
    let into = dir.path().join("choir-replica.storyloom");
    h.get_by_label("Keep the replica in").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Keep the replica in")
        .type_text(&into.display().to_string());
    h.run();
    h.get_by_label("Open").click();
    h.step();
    assert!(
        until(&mut h, 600, |b| b.toasts.refusal.is_some()),
        "a refusal"
    );
    assert!(!into.exists());
    let text = &h.state().toasts.refusal.as_ref().unwrap().text;
    assert!(!text.contains("not saved anywhere"), "{text}");
    // The dialog stays for another try; the sample stays open, unshared.
    assert!(h.state().open_shared.open);
    assert!(!h.state().sync.active());
}

#[test]
fn a_shared_project_opens_as_a_replica_syncs_and_shows_its_status() {
    let Some(server) = storyloom_pgtest::server() else {
        return;
    };
    let (name, url) = fresh_name(server, "window");
    let (dir, bench) = bench_on_sample();
    // A colleague shares the sample study.
    let original = dir.path().join("lead.storyloom");
    std::fs::copy(bench.shared.project.as_ref().unwrap().path(), &original).unwrap();
    let mut lead = Project::open(&original).unwrap();
    lead.set_actor("lead");
    lead.share(&url).unwrap();

    let mut h = harness(bench);
    open_dialog(&mut h);
    fill(&mut h, "Address", &url);
    // The replica's place follows the address.
    let into = h.state().open_shared.into.clone();
    assert!(into.ends_with(&format!("{name}.storyloom")), "{into}");
    h.get_by_label("Open").click();
    h.step();
    assert!(
        until(&mut h, 1200, |b| b.sync.status().is_some_and(|s| s.online)),
        "the replica opens and its sync goes online: {:?} {:?}",
        h.state().shared.notices.last(),
        h.state().sync.not_started
    );
    let replica = h.state().shared.project.as_ref().unwrap().path().to_owned();
    assert_eq!(replica, std::path::PathBuf::from(&into));
    assert!(!h.state().open_shared.open);
    assert!(h.query_all_by_label_contains("Shared: online").count() >= 1);

    // The colleague adds a code; the window's codebook shows it.
    lead.create_code("From the lead", None, None).unwrap();
    lead.sync(None).unwrap();
    assert!(
        until(&mut h, 1200, |b| b
            .shared
            .project
            .as_ref()
            .is_some_and(|p| p.code("From the lead").is_ok())),
        "pulled"
    );
    // A code made here goes up.
    code_reaches(&mut h, &mut lead, "From the window");
}

fn share_dialog(h: &mut Harness<'static, Workbench>) {
    file_menu(h, "Share this project…");
}

/// A code made in the window is pushed, and `other` finds it after a sync.
fn code_reaches(h: &mut Harness<'static, Workbench>, other: &mut Project, name: &str) {
    h.state_mut()
        .shared
        .act(|p| p.create_code(name, None, None));
    assert!(
        until(h, 1200, |b| b
            .sync
            .status()
            .is_some_and(|s| s.pending == 0 && s.pushed > 0)),
        "pushed"
    );
    other.sync(None).unwrap();
    assert!(other.code(name).is_ok(), "{name} reached the other replica");
}

#[test]
fn sharing_with_an_unreachable_server_is_a_refusal_and_the_project_stays_local() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    share_dialog(&mut h);
    fill(
        &mut h,
        "Address",
        "postgres://ana@127.0.0.1:1/research/choir",
    );
    fill(&mut h, "Password", "never written down");
    h.get_by_label("Share").click();
    h.step();
    assert!(
        until(&mut h, 600, |b| b.toasts.refusal.is_some()),
        "a refusal"
    );
    let text = &h.state().toasts.refusal.as_ref().unwrap().text;
    assert!(text.starts_with("Could not share the project"), "{text}");
    assert!(!text.contains("never written down"), "{text}");
    let p = h.state().shared.project.as_ref().unwrap();
    assert!(p.shared_server().unwrap().is_none());
    assert!(
        h.state().share_project.open,
        "the dialog stays for another try"
    );
    assert!(!h.state().sync.active());
}

#[test]
fn a_project_shared_from_the_window_becomes_a_replica_a_colleague_can_open() {
    let Some(server) = storyloom_pgtest::server() else {
        return;
    };
    let (_, url) = fresh_name(server, "window_share");
    let (dir, bench) = bench_on_sample();
    let codes = bench
        .shared
        .project
        .as_ref()
        .unwrap()
        .codes()
        .unwrap()
        .len();
    let mut h = harness(bench);
    share_dialog(&mut h);
    fill(&mut h, "Address", &url);
    h.get_by_label("Share").click();
    h.step();
    assert!(
        until(&mut h, 1200, |b| b.sync.status().is_some_and(|s| s.online)),
        "shared, reopened as a replica, its sync online: {:?} {:?}",
        h.state().shared.notices.last(),
        h.state().sync.not_started
    );
    assert!(!h.state().share_project.open);
    assert!(h.query_all_by_label_contains("Shared: online").count() >= 1);
    // Shared once is enough: the command says why not again.
    let why = h
        .state()
        .why_not(&crate::gui::commands::UiCommand::ShareProject)
        .unwrap();
    assert!(why.contains("shared already"), "{why}");

    // A colleague opens it and finds the codebook; a code made here reaches them.
    let theirs = dir.path().join("colleague.storyloom");
    Project::open_shared(&url, Some(&theirs), "colleague").unwrap();
    let mut colleague = Project::open(&theirs).unwrap();
    assert_eq!(colleague.codes().unwrap().len(), codes);
    code_reaches(&mut h, &mut colleague, "Made after sharing");
}
