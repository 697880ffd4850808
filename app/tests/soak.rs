//! Soak: three command-line workers and one long-lived, window-like
//! `Project` change one project at random at the same time, and some
//! command-line actions are killed part-way. Afterwards every action a
//! worker saw succeed is there exactly once (or gone, if that worker undid
//! it), an action killed part-way is there at most once, SQLite finds the
//! file sound, and each worker's `undo` takes back that worker's own last
//! action and nobody else's.
//!
//! Runs for `STORYLOOM_SOAK_SECS` seconds (default 40); set it higher to
//! soak for minutes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use storyloom_project::Project;
use storyloom_project::model::MemoTarget;

/// A seeded generator (SplitMix64): the run can be replayed from its seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

/// What one action leaves in the project, so it can be counted afterwards.
#[derive(Clone, Debug, PartialEq)]
enum Mark {
    Code(String),
    Memo(String),
    Coding { code: String, start: usize },
}

/// What the worker knows about one of its actions.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fate {
    /// The command said it succeeded: present once.
    Done,
    /// Killed part-way: present at most once.
    Unknown,
    /// Succeeded, then the same worker's `undo` succeeded: absent.
    Undone,
}

struct Log {
    user: String,
    actions: Vec<(Mark, Fate)>,
}

fn run(args: &[String]) -> Result<(), String> {
    let out = storyloom()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Starts the command and kills it after `after`: it may or may not have
/// committed.
fn run_killed(args: &[String], after: Duration) {
    let mut child = storyloom()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn storyloom");
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

fn command_line_worker(path: PathBuf, w: usize, doc: String, len: usize, until: Instant) -> Log {
    let user = format!("soak{w}");
    let p = path.display().to_string();
    let base = format!("soak-{w}-base");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    run(&s(&["code", "add", &p, &base, "--user", &user])).expect("base code");
    let mut rng = Dice(w as u64 * 7919 + 1);
    let mut log = Log {
        user: user.clone(),
        actions: Vec::new(),
    };
    // Whether this worker's last action is known done with nothing unknown
    // after it, so an undo now must take back exactly that one.
    let mut last_certain = false;
    let mut n = 0usize;
    while Instant::now() < until {
        n += 1;
        if last_certain && rng.one_in(6) {
            let undo = s(&["undo", &p, "--user", &user]);
            if run(&undo).is_ok()
                && let Some(last) = log.actions.last_mut()
            {
                last.1 = Fate::Undone;
            }
            last_certain = false;
            continue;
        }
        let tag = format!("soak-{w}-{n}");
        let (args, mark) = match rng.below(3) {
            0 => (
                s(&["code", "add", &p, &tag, "--user", &user]),
                Mark::Code(tag),
            ),
            1 => (
                s(&[
                    "memo", "add", &p, "project", "--title", &tag, "--body", "soak", "--user",
                    &user,
                ]),
                Mark::Memo(tag),
            ),
            _ => {
                let start = n % (len - 10);
                (
                    s(&[
                        "coding",
                        "add",
                        &p,
                        &base,
                        &doc,
                        &start.to_string(),
                        &(start + 5).to_string(),
                        "--user",
                        &user,
                    ]),
                    Mark::Coding {
                        code: base.clone(),
                        start,
                    },
                )
            }
        };
        // A start position used before by this worker would make two
        // codings indistinguishable; `n` grows, so it is never reused
        // while n < len - 10.
        if rng.one_in(5) {
            run_killed(&args, Duration::from_millis(5 + rng.below(115)));
            log.actions.push((mark, Fate::Unknown));
            last_certain = false;
        } else {
            if let Err(e) = run(&args) {
                panic!("{user}: {args:?} failed: {e}");
            }
            log.actions.push((mark, Fate::Done));
            last_certain = true;
        }
    }
    log
}

/// The window's way of working: one project kept open for the whole run.
fn window_like_worker(path: PathBuf, until: Instant) -> Log {
    let mut project = Project::open(&path).expect("open");
    project.set_actor("soak-window");
    let mut log = Log {
        user: "soak-window".into(),
        actions: Vec::new(),
    };
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let tag = format!("soak-window-{n}");
        if n % 2 == 0 {
            project.create_code(&tag, None, None).expect("window code");
            log.actions.push((Mark::Code(tag), Fate::Done));
        } else {
            project
                .add_memo(&MemoTarget::Project, &tag, "window")
                .expect("window memo");
            log.actions.push((Mark::Memo(tag), Fate::Done));
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    log
}

fn present(project: &Project, mark: &Mark) -> usize {
    match mark {
        Mark::Code(name) => project
            .codes()
            .unwrap()
            .iter()
            .filter(|c| c.name() == name)
            .count(),
        Mark::Memo(title) => project
            .memos(None)
            .unwrap()
            .iter()
            .filter(|m| &m.title == title)
            .count(),
        Mark::Coding { code, start } => project
            .codings(Some(code), None, None)
            .unwrap()
            .iter()
            .filter(|c| c.start == *start)
            .count(),
    }
}

fn check(path: &Path, logs: &[Log]) {
    let project = Project::open(path).unwrap();
    assert_eq!(
        project.integrity_problems().unwrap(),
        Vec::<String>::new(),
        "SQLite finds the project unsound"
    );
    let mut tally: HashMap<&str, (usize, usize, usize, usize)> = HashMap::new();
    for log in logs {
        for (mark, fate) in &log.actions {
            let count = present(&project, mark);
            let t = tally.entry(&log.user).or_default();
            match fate {
                Fate::Done => {
                    t.0 += 1;
                    assert_eq!(
                        count, 1,
                        "{}: confirmed {mark:?} is there {count} times",
                        log.user
                    );
                }
                Fate::Undone => {
                    t.1 += 1;
                    assert_eq!(count, 0, "{}: undone {mark:?} is still there", log.user);
                }
                Fate::Unknown => {
                    t.2 += 1;
                    t.3 += count;
                    assert!(
                        count <= 1,
                        "{}: killed {mark:?} is there {count} times",
                        log.user
                    );
                }
            }
        }
    }
    println!("soak: per user (done, undone, killed part-way, of those committed): {tally:?}");
}

/// Each worker's undo takes back its own last action, never another's.
fn undo_takes_back_only_your_own(path: &Path, logs: &[Log]) {
    for log in logs.iter().filter(|l| l.user != "soak-window") {
        let Some((mark, Fate::Done)) = log.actions.last() else {
            continue;
        };
        let before = Project::open(path).unwrap();
        let others: Vec<usize> = logs
            .iter()
            .filter(|l| l.user != log.user)
            .filter_map(|l| l.actions.iter().rev().find(|a| a.1 == Fate::Done))
            .map(|(m, _)| present(&before, m))
            .collect();
        drop(before);
        let p = path.display().to_string();
        run(&["undo".into(), p, "--user".into(), log.user.clone()])
            .unwrap_or_else(|e| panic!("{}: undo refused: {e}", log.user));
        let after = Project::open(path).unwrap();
        assert_eq!(present(&after, mark), 0, "{}: undo left {mark:?}", log.user);
        let others_after: Vec<usize> = logs
            .iter()
            .filter(|l| l.user != log.user)
            .filter_map(|l| l.actions.iter().rev().find(|a| a.1 == Fate::Done))
            .map(|(m, _)| present(&after, m))
            .collect();
        assert_eq!(
            others, others_after,
            "{}: undo touched another's work",
            log.user
        );
    }
}

#[test]
fn processes_and_kills_lose_nothing_confirmed_and_double_nothing() {
    let secs: u64 = std::env::var("STORYLOOM_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("soak.storyloom");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let project = Project::create_from_folder(&path, &sample, &mut |_, _, _| {})
        .expect("sample project")
        .0;
    let first = project.documents().unwrap()[0].clone();
    let len = first.chars;
    drop(project);
    let until = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let mut handles = Vec::new();
    for w in 0..3 {
        let (path, doc) = (path.clone(), first.uuid.clone());
        handles.push(std::thread::spawn(move || {
            command_line_worker(path, w, doc, len, until)
        }));
    }
    let window_path = path.clone();
    handles.push(std::thread::spawn(move || {
        window_like_worker(window_path, until)
    }));
    let logs: Vec<Log> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let actions: usize = logs.iter().map(|l| l.actions.len()).sum();
    println!(
        "soak: {actions} actions by {} workers in {:.1} s ({:.1} actions/s)",
        logs.len(),
        started.elapsed().as_secs_f64(),
        actions as f64 / started.elapsed().as_secs_f64()
    );
    check(&path, &logs);
    undo_takes_back_only_your_own(&path, &logs);
}
