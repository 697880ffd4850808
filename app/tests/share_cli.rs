//! A shared project used by several `storyloom` processes at once (issue
//! 16): replicas making changes through the command line (each pushed when
//! its command ends), one working offline for a while, sync processes
//! killed with SIGKILL in the middle of a round, and the server restarted
//! once. Afterwards every replica and a fresh one hold the same project,
//! and every change a process made is there exactly once. No timing is
//! asserted: the test waits for convergence with a generous bound on rounds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use storyloom_project::Project;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyloom"));
    c.env_remove("STORYLOOM_OFFLINE");
    c
}

fn run(args: &[&str], user: &str, offline: bool) -> Output {
    let mut c = bin();
    c.args(args).env("STORYLOOM_USER", user);
    if offline {
        c.env("STORYLOOM_OFFLINE", "1");
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "storyloom {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One `sync --once`; `(pulled, pushed)`.
fn sync(p: &Path, user: &str) -> (u64, u64) {
    let out = run(&["sync", path_str(p), "--once", "--json"], user, false);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        v["pulled"].as_u64().unwrap_or(0),
        v["pushed"].as_u64().unwrap_or(0),
    )
}

fn code_names(p: &Path) -> Vec<String> {
    Project::open(p)
        .unwrap()
        .codes()
        .unwrap()
        .into_iter()
        .map(|c| c.name().to_owned())
        .collect()
}

#[test]
fn replica_processes_converge_through_kills_offline_work_and_a_restart() {
    let Some(server) = storyloom_pgtest::private_server() else {
        return;
    };
    let url = server.url_with_path("postgres/team_study");
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.storyloom");
    run(&["new", path_str(&base)], "lead", false);
    for name in ["Isolation", "Belonging", "Routine"] {
        run(&["code", "add", path_str(&base), name], "lead", false);
    }
    run(&["share", path_str(&base), &url], "lead", false);
    let users = ["ana", "bob", "cai"];
    let replicas: Vec<PathBuf> = users
        .iter()
        .map(|u| dir.path().join(format!("{u}.storyloom")))
        .collect();
    for (u, r) in users.iter().zip(&replicas) {
        run(&["open", &url, "--into", path_str(r)], u, false);
    }
    // Every code a process made: name -> who.
    let mut made: Vec<String> = Vec::new();
    let mut seed: u64 = 7;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for round in 0..6 {
        if round == 3 {
            server.restart().unwrap();
        }
        for (i, (u, r)) in users.iter().zip(&replicas).enumerate() {
            // cai works offline for rounds 1..4.
            let offline = i == 2 && (1..4).contains(&round);
            let p = path_str(r);
            let name = format!("{u} code {round}");
            run(&["code", "add", p, &name], u, offline);
            made.push(name.clone());
            match next(4) {
                0 => {
                    // Their own new code: renames of one code by two people
                    // are the conflict tests' business, not this one's.
                    let new = format!("{u} renamed {round}");
                    run(&["code", "rename", p, &name, &new], u, offline);
                    made.retain(|m| *m != name);
                    made.push(new);
                }
                1 => {
                    run(
                        &[
                            "memo",
                            "add",
                            p,
                            "project",
                            "--title",
                            &format!("{u} memo {round}"),
                            "--body",
                            "a thought",
                        ],
                        u,
                        offline,
                    );
                }
                _ => {
                    run(&["code", "color", p, &name, "#336699"], u, offline);
                }
            }
        }
        // bob's sync is killed mid-round (whenever the kill lands).
        if round % 2 == 1 {
            let mut child = bin()
                .args(["sync", path_str(&replicas[1]), "--once"])
                .env("STORYLOOM_USER", "bob")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(30 * (round as u64 + 1)));
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    // Converge: rounds until a whole pass moves nothing (bounded, not timed).
    let mut quiet = false;
    for _ in 0..20 {
        let mut moved = 0;
        for (u, r) in users.iter().zip(&replicas) {
            let (a, b) = sync(r, u);
            moved += a + b;
        }
        let (a, b) = sync(&base, "lead");
        moved += a + b;
        if moved == 0 {
            quiet = true;
            break;
        }
    }
    assert!(quiet, "the replicas did not settle");
    let fresh = dir.path().join("fresh.storyloom");
    run(&["open", &url, "--into", path_str(&fresh)], "dee", false);
    let dump = |p: &Path| {
        let mut d = Project::open(p).unwrap().merge_dump().unwrap();
        if let Some(c) = d.get_mut("merge_conflicts") {
            for row in c.values_mut() {
                row.remove("created_at");
            }
        }
        d
    };
    let want = dump(&fresh);
    for r in replicas.iter().chain([&base]) {
        assert!(
            dump(r) == want,
            "{} differs from a fresh replica",
            r.display()
        );
    }
    // Every change made is there exactly once (code names are unique, so
    // a change applied twice would have been refused and listed).
    let names = code_names(&fresh);
    for m in &made {
        let n = names.iter().filter(|x| *x == m).count();
        assert_eq!(n, 1, "{m}: {n} times in {names:?}");
    }
    let history = Project::open(&replicas[0]).unwrap().history().unwrap();
    for u in users {
        for round in 0..6 {
            let name = format!("'{u} code {round}'");
            let adds = history
                .iter()
                .filter(|e| e.actor == u && e.command.contains("code") && e.summary.contains(&name))
                .count();
            assert!(adds >= 1, "{u}'s {name} is not in ana's history");
        }
    }
}
