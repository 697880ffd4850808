//! Two `storyloom` processes changing different fields of one thing at the
//! same moment both keep their change: every read-modify-write happens
//! inside the write transaction. On the same field the last writer wins and
//! the history shows both.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use storyloom_project::Project;
use storyloom_project::model::MemoTarget;

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    story: String,
    code: String,
    participant: String,
    memo: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.storyloom");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let mut p = Project::create_from_folder(&path, &sample, &mut |_, _, _| {})
        .expect("sample project")
        .0;
    let participant = p.participants().unwrap()[0].id.clone();
    let story = p
        .participants()
        .unwrap()
        .iter()
        .find_map(|x| p.draft_story(&x.id).ok())
        .expect("a story");
    let code = p.codes().unwrap()[0].uuid.clone();
    let memo = p.add_memo(&MemoTarget::Project, "Memo", "Body").unwrap();
    Fixture {
        _dir: dir,
        path,
        story,
        code,
        participant,
        memo,
    }
}

fn spawn(args: &[String]) -> Child {
    storyloom()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child, args: &[String]) {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `a` and `b` together `rounds` times; after each round `check` sees
/// the project and the round number.
fn race(
    path: &Path,
    rounds: usize,
    make: impl Fn(usize) -> (Vec<String>, Vec<String>),
    check: impl Fn(&Project, usize),
) {
    for i in 0..rounds {
        let (a, b) = make(i);
        let (ca, cb) = (spawn(&a), spawn(&b));
        finish(ca, &a);
        finish(cb, &b);
        check(&Project::open(path).unwrap(), i);
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn two_processes_changing_different_fields_keep_both() {
    let f = fixture();
    let p = f.path.to_str().unwrap();
    let rounds = 8;
    race(
        &f.path,
        rounds,
        |i| {
            (
                args(&["pack", "settings", p, "--title", &format!("Title {i}")]),
                args(&[
                    "pack",
                    "settings",
                    p,
                    "--workshop",
                    &format!("Workshop {i}"),
                ]),
            )
        },
        |pr, i| {
            let s = pr.pack_settings().unwrap();
            assert_eq!(
                (s.title.as_str(), s.workshop.as_str()),
                (
                    format!("Title {i}").as_str(),
                    format!("Workshop {i}").as_str()
                ),
                "pack settings, round {i}"
            );
        },
    );
    race(
        &f.path,
        rounds,
        |i| {
            (
                args(&[
                    "pack",
                    "check-settings",
                    p,
                    "--researcher",
                    &format!("R {i}"),
                ]),
                args(&["pack", "check-settings", p, "--contact", &format!("C {i}")]),
            )
        },
        |pr, i| {
            let s = pr.story_check_settings().unwrap();
            assert_eq!(
                (s.researcher, s.contact),
                (format!("R {i}"), format!("C {i}"))
            );
        },
    );
    race(
        &f.path,
        rounds,
        |i| {
            (
                args(&[
                    "code",
                    "describe",
                    p,
                    &f.code,
                    "--definition",
                    &format!("D {i}"),
                ]),
                args(&[
                    "code",
                    "describe",
                    p,
                    &f.code,
                    "--when-to-use",
                    &format!("U {i}"),
                ]),
            )
        },
        |pr, i| {
            let c = pr.code(&f.code).unwrap();
            assert_eq!(
                (c.definition, c.when_to_use),
                (format!("D {i}"), format!("U {i}"))
            );
        },
    );
    race(
        &f.path,
        rounds,
        |i| {
            (
                args(&[
                    "story",
                    "set",
                    p,
                    &f.story,
                    "--title",
                    &format!("Title {i}"),
                ]),
                args(&[
                    "story",
                    "set",
                    p,
                    &f.story,
                    "--role-line",
                    &format!("Role {i}"),
                ]),
            )
        },
        |pr, i| {
            let s = pr.story(&f.story).unwrap();
            assert_eq!(
                (s.title, s.role_line),
                (format!("Title {i}"), format!("Role {i}"))
            );
        },
    );
    race(
        &f.path,
        rounds,
        |i| {
            (
                args(&[
                    "participant",
                    "edit",
                    p,
                    &f.participant,
                    "--name",
                    &format!("N {i}"),
                ]),
                args(&[
                    "participant",
                    "edit",
                    p,
                    &f.participant,
                    "--pseudonym",
                    &format!("P {i}"),
                ]),
            )
        },
        |pr, i| {
            let x = pr
                .participants()
                .unwrap()
                .into_iter()
                .find(|x| x.id == f.participant)
                .unwrap();
            assert_eq!(
                (x.name, x.pseudonym),
                (Some(format!("N {i}")), Some(format!("P {i}")))
            );
        },
    );
    race(
        &f.path,
        rounds,
        |i| {
            (
                args(&["memo", "edit", p, &f.memo, "--title", &format!("T {i}")]),
                args(&["memo", "edit", p, &f.memo, "--body", &format!("B {i}")]),
            )
        },
        |pr, i| {
            let m = pr
                .memos(None)
                .unwrap()
                .into_iter()
                .find(|m| m.uuid == f.memo)
                .unwrap();
            assert_eq!((m.title, m.body), (format!("T {i}"), format!("B {i}")));
        },
    );
}

#[test]
fn on_the_same_field_the_last_writer_wins_and_the_history_has_both() {
    let f = fixture();
    let p = f.path.to_str().unwrap();
    race(
        &f.path,
        3,
        |i| {
            (
                args(&["pack", "settings", p, "--title", &format!("First {i}")]),
                args(&["pack", "settings", p, "--title", &format!("Second {i}")]),
            )
        },
        |pr, i| {
            let title = pr.pack_settings().unwrap().title;
            assert!(
                title == format!("First {i}") || title == format!("Second {i}"),
                "{title}"
            );
            let h = pr.history().unwrap();
            for t in [format!("First {i}"), format!("Second {i}")] {
                assert!(
                    h.iter().any(|e| e.summary.contains(&t)),
                    "no history entry for {t}"
                );
            }
        },
    );
}

/// Two processes adding pseudonyms that replace each other's original
/// ("Zorvane" by "Quillet" and "Quillet" by "Zorvane"): whichever comes
/// second finds the first one's original as its replacement and is refused,
/// so the map never replaces a real name by another real name. The check
/// reads the map inside the change; read before it, both were accepted.
#[test]
fn crossed_pseudonyms_are_never_both_accepted() {
    let f = fixture();
    let p = f.path.to_str().unwrap();
    for i in 0..8 {
        let (x, y) = (format!("Zorvane{i}"), format!("Quillet{i}"));
        let a = args(&["pseudonym", "add", p, &x, &y]);
        let b = args(&["pseudonym", "add", p, &y, &x]);
        let (ca, cb) = (spawn(&a), spawn(&b));
        let ok = [ca, cb]
            .into_iter()
            .map(|c| c.wait_with_output().unwrap().status.success())
            .filter(|&s| s)
            .count();
        assert_eq!(
            ok, 1,
            "round {i}: exactly one of the crossed entries is kept"
        );
        let map = Project::open(&f.path).unwrap().pseudonyms().unwrap();
        let originals: Vec<&str> = map.iter().map(|e| e.original.as_str()).collect();
        for e in &map {
            assert!(
                !originals.contains(&e.replacement.as_str()),
                "round {i}: [{}] replaces '{}' and is itself replaced",
                e.replacement,
                e.original
            );
        }
    }
}
