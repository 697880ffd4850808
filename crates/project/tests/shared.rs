//! A shared project on PostgreSQL (issue 16): sharing, fresh replicas,
//! changes going from one replica to another, concurrent changes meeting
//! with the merge's rules, and the password kept out of the file. Runs
//! against a real server (`storyloom_pgtest::server()`); skips with a
//! notice when PostgreSQL is not installed (fails under STORYLOOM_REQUIRE_TOOLS).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod merge_support;

use merge_support::*;
use std::path::Path;
use storyloom_project::{CodingRequest, Project};

/// A project name on the server no other test (or earlier run) uses.
fn url(name: &str) -> Option<String> {
    let server = storyloom_pgtest::server()?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    Some(server.url_with_path(&format!("postgres/{name}_{}_{nanos}", std::process::id())))
}

fn replica(url: &str, path: &Path, actor: &str) -> Project {
    let file = Project::open_shared(url, Some(path), actor).unwrap();
    let mut p = Project::open(&file).unwrap();
    p.set_actor(actor);
    p
}

fn assert_same(a: &Project, b: &Project) {
    let diff = differences(&dump(a), &dump(b));
    assert!(diff.is_empty(), "replicas differ:\n{}", diff.join("\n"));
}

fn code_named(p: &Project, name: &str) -> Option<String> {
    p.codes()
        .unwrap()
        .into_iter()
        .find(|c| c.name() == name)
        .map(|c| c.uuid)
}

#[test]
fn a_fresh_replica_holds_what_was_shared() {
    let Some(url) = url("fresh") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    let mut original = Project::open(&base).unwrap();
    original.set_actor("lead");
    let link = original.share(&url).unwrap();
    assert_eq!(original.shared_server().unwrap(), Some(link));
    let fresh = replica(&url, &dir.path().join("fresh.storyloom"), "bob");
    assert_same(&original, &fresh);
    assert!(fresh.integrity_problems().unwrap().is_empty());
    // The documents' imported files came along.
    for d in original.documents().unwrap() {
        assert_eq!(
            fresh.document(&d.uuid).unwrap().text,
            original.document(&d.uuid).unwrap().text
        );
    }
    // Sharing again under that name is refused.
    let other = dir.path().join("other.storyloom");
    let mut p = Project::create(&other).unwrap();
    assert!(p.share(&url).is_err());
}

#[test]
fn a_change_in_one_replica_reaches_the_other() {
    let Some(url) = url("two") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    Project::open(&base).unwrap().share(&url).unwrap();
    let mut ana = replica(&url, &dir.path().join("ana.storyloom"), "ana");
    let mut bob = replica(&url, &dir.path().join("bob.storyloom"), "bob");
    let code = ana.create_code("Isolation", None, None).unwrap();
    let doc = ana.documents().unwrap()[0].uuid.clone();
    ana.add_coding(&CodingRequest {
        code: &code,
        document: &doc,
        start: 0,
        end: 12,
        version: None,
    })
    .unwrap();
    let pushed = ana.sync(None).unwrap();
    assert_eq!(pushed.pushed, 2);
    let pulled = bob.sync(None).unwrap();
    assert_eq!(pulled.pulled, 2);
    assert_eq!(code_named(&bob, "Isolation"), Some(code.clone()));
    assert_same(&ana, &bob);
    // Bob's history names ana as the author; bob's undo does not take it.
    let h = bob.history().unwrap();
    assert!(
        h.iter()
            .any(|e| e.actor == "ana" && e.command.contains("code"))
    );
    assert!(bob.undo().unwrap().is_none());
    // Ana's undo goes to bob too.
    ana.undo().unwrap().unwrap();
    ana.sync(None).unwrap();
    bob.sync(None).unwrap();
    assert_same(&ana, &bob);
    // Nothing new: a round moves nothing.
    let idle = bob.sync(None).unwrap();
    assert_eq!((idle.pulled, idle.pushed), (0, 0));
}

#[test]
fn concurrent_renames_give_one_conflict_and_equal_replicas() {
    let Some(url) = url("rename") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    Project::open(&base).unwrap().share(&url).unwrap();
    let mut ana = replica(&url, &dir.path().join("ana.storyloom"), "ana");
    let mut bob = replica(&url, &dir.path().join("bob.storyloom"), "bob");
    let code = ana.codes().unwrap()[0].uuid.clone();
    ana.rename_code(&code, "Ana's name").unwrap();
    bob.rename_code(&code, "Bob's name").unwrap();
    // Bob also recolours another code: that combines without conflict.
    let other = bob.codes().unwrap()[1].uuid.clone();
    bob.set_code_color(&other, "#123456").unwrap();
    ana.sync(None).unwrap();
    let r = bob.sync(None).unwrap();
    assert_eq!(r.conflicts, 1);
    ana.sync(None).unwrap();
    assert_same(&ana, &bob);
    let conflicts = ana.merge_conflicts(false).unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, "field");
    assert_eq!(conflicts[0].entity_uuid, code);
    assert_eq!(bob.merge_conflicts(false).unwrap().len(), 1);
}

#[test]
fn a_code_deleted_by_one_and_used_by_the_other_stays_on_both() {
    let Some(url) = url("inuse") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    Project::open(&base).unwrap().share(&url).unwrap();
    let mut ana = replica(&url, &dir.path().join("ana.storyloom"), "ana");
    let mut bob = replica(&url, &dir.path().join("bob.storyloom"), "bob");
    let doc = ana.documents().unwrap()[0].uuid.clone();
    let coding = |p: &mut Project, code: &str| {
        p.add_coding(&CodingRequest {
            code,
            document: &doc,
            start: 3,
            end: 20,
            version: None,
        })
        .unwrap()
    };
    // The deleter pushes first.
    let first = ana.codes().unwrap()[0].uuid.clone();
    ana.delete_code(&first).unwrap();
    let used = coding(&mut bob, &first);
    ana.sync(None).unwrap();
    bob.sync(None).unwrap();
    ana.sync(None).unwrap();
    assert_same(&ana, &bob);
    assert!(ana.codes().unwrap().iter().any(|c| c.uuid == first));
    assert!(
        ana.codings(None, None, None)
            .unwrap()
            .iter()
            .any(|c| c.uuid == used)
    );
    // The user pushes first.
    let second = ana
        .codes()
        .unwrap()
        .into_iter()
        .find(|c| c.uuid != first)
        .unwrap()
        .uuid;
    let used = coding(&mut bob, &second);
    ana.delete_code(&second).unwrap();
    bob.sync(None).unwrap();
    ana.sync(None).unwrap();
    bob.sync(None).unwrap();
    assert_same(&ana, &bob);
    assert!(ana.codes().unwrap().iter().any(|c| c.uuid == second));
    assert!(
        ana.codings(None, None, None)
            .unwrap()
            .iter()
            .any(|c| c.uuid == used)
    );
    let kinds: Vec<String> = ana
        .merge_conflicts(false)
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert!(kinds.iter().all(|k| k == "deleted-used"), "{kinds:?}");
    assert_eq!(kinds.len(), 2, "{:#?}", ana.merge_conflicts(false).unwrap());
}

#[test]
fn the_password_is_never_in_the_project_file() {
    let Some(url) = url("secret") else { return };
    // The test server trusts loopback, so any password is accepted.
    let secret = "Pa55-word-never-stored";
    let with_password = url.replacen("://", &format!("://x:{secret}@"), 1);
    let with_password = if url.contains('@') {
        // The server's URL names a user already: put the password after it.
        let (scheme, rest) = url.split_once("://").unwrap();
        let (user, host) = rest.split_once('@').unwrap();
        let user = user.split(':').next().unwrap();
        format!("{scheme}://{user}:{secret}@{host}")
    } else {
        with_password
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.storyloom");
    let mut p = Project::create(&path).unwrap();
    p.set_actor("lead");
    p.create_code("Trust", None, None).unwrap();
    p.share(&with_password).unwrap();
    let link = p.shared_server().unwrap().unwrap();
    assert!(!link.locator.contains(secret));
    let r = dir.path().join("r.storyloom");
    Project::open_shared(&with_password, Some(&r), "bob").unwrap();
    let mut bob = Project::open(&r).unwrap();
    bob.create_code("Hope", None, None).unwrap();
    bob.sync(Some(secret.to_owned())).unwrap();
    for e in bob
        .history()
        .unwrap()
        .iter()
        .chain(p.history().unwrap().iter())
    {
        assert!(!format!("{e:?}").contains(secret));
    }
    drop((p, bob));
    for file in [&path, &r] {
        for suffix in ["", "-wal"] {
            let mut f = file.as_os_str().to_owned();
            f.push(suffix);
            if let Ok(bytes) = std::fs::read(&f) {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{f:?} holds the password"
                );
            }
        }
    }
}

#[test]
fn a_running_sync_carries_a_change_and_open_updates_a_replica() {
    let Some(url) = url("live") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.storyloom");
    let mut p = Project::create(&base).unwrap();
    p.set_actor("lead");
    let code = p.create_code("Belonging", None, None).unwrap();
    p.share(&url).unwrap();
    let mut ana = replica(&url, &dir.path().join("ana.storyloom"), "ana");
    let bob = replica(&url, &dir.path().join("bob.storyloom"), "bob");
    let a = ana.start_sync(None, |_| {}).unwrap();
    let b = bob.start_sync(None, |_| {}).unwrap();
    ana.rename_code(&code, "Being known by name").unwrap();
    a.poke();
    // Waits for convergence with a generous bound; no duration is asserted.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while bob.code(&code).unwrap().name() != "Being known by name" {
        assert!(std::time::Instant::now() < deadline, "bob never saw it");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    while a.status().pending > 0 || !b.status().online {
        assert!(std::time::Instant::now() < deadline, "never settled");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(b.status().last_error.is_none());
    a.stop();
    b.stop();
    // `open` on the base (a replica already) brings it up to date.
    drop(p);
    Project::open_shared(&url, Some(&base), "lead").unwrap();
    let p = Project::open(&base).unwrap();
    assert_eq!(p.code(&code).unwrap().name(), "Being known by name");
    assert_same(&p, &bob);
    // A file that is some other project is not overwritten.
    let other = dir.path().join("other.storyloom");
    drop(Project::create(&other).unwrap());
    assert!(Project::open_shared(&url, Some(&other), "lead").is_err());
}

#[test]
fn the_same_name_made_twice_at_once_ends_the_same_everywhere() {
    let Some(url) = url("clash") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.storyloom");
    Project::create(&base).unwrap().share(&url).unwrap();
    let mut ana = replica(&url, &dir.path().join("ana.storyloom"), "ana");
    let mut bob = replica(&url, &dir.path().join("bob.storyloom"), "bob");
    ana.create_code("Isolation", None, None).unwrap();
    bob.create_code("Isolation", None, None).unwrap();
    ana.sync(None).unwrap();
    bob.sync(None).unwrap();
    ana.sync(None).unwrap();
    assert_same(&ana, &bob);
    assert_eq!(ana.codes().unwrap().len(), 2);
    let fresh = replica(&url, &dir.path().join("fresh.storyloom"), "cai");
    assert_same(&ana, &fresh);
    assert_eq!(ana.merge_conflicts(false).unwrap().len(), 1);
}

/// Ana imports a transcript and both replicas get it; returns its uuid and
/// its text as Bob has it.
fn shared_import(ana: &mut Project, bob: &mut Project, name: &str, text: &str) -> (String, String) {
    ana.import_bytes(name, text.as_bytes()).unwrap();
    let doc = ana
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap()
        .uuid;
    ana.sync(None).unwrap();
    bob.sync(None).unwrap();
    let text = bob.document(&doc).unwrap().text;
    (doc, text)
}

/// A coding by `p` near the start of `doc`; returns its uuid.
fn code_start(p: &mut Project, code: &str, doc: &str) -> String {
    p.add_coding(&CodingRequest {
        code,
        document: doc,
        start: 3,
        end: 20,
        version: None,
    })
    .unwrap()
}

#[test]
fn a_document_removed_by_one_and_coded_by_the_other_comes_back_whole() {
    let Some(url) = url("docused") else { return };
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    Project::open(&base).unwrap().share(&url).unwrap();
    let mut ana = replica(&url, &dir.path().join("ana.storyloom"), "ana");
    let mut bob = replica(&url, &dir.path().join("bob.storyloom"), "bob");
    let (doc, whole) = shared_import(
        &mut ana,
        &mut bob,
        "late.txt",
        "Interviewer: How did you hear about the walking group?\n\
         Participant: My link worker told me, and I went the week after.\n",
    );
    let turns = bob.document(&doc).unwrap().turns.len();
    // Ana takes the import back while Bob codes in the document.
    ana.undo().unwrap().unwrap();
    assert!(ana.document(&doc).is_err(), "the import is undone");
    let code = bob.codes().unwrap()[0].uuid.clone();
    let used = code_start(&mut bob, &code, &doc);
    bob.sync(None).unwrap();
    ana.sync(None).unwrap();
    bob.sync(None).unwrap();
    // The document is back on Ana's side, with its text and turns.
    let back = ana.document(&doc).unwrap();
    assert_eq!(back.text, whole);
    assert_eq!(back.turns.len(), turns);
    let coded = |p: &Project, doc: &str, coding: &str| {
        p.codings(None, Some(doc), None)
            .unwrap()
            .iter()
            .any(|c| c.uuid == coding)
    };
    assert!(coded(&ana, &doc, &used));
    assert!(ana.integrity_problems().unwrap().is_empty());
    assert_same(&ana, &bob);
    // The other order: the import is taken back and pushed before the
    // coding on it arrives.
    let (doc, whole) = shared_import(
        &mut ana,
        &mut bob,
        "later.txt",
        "Interviewer: And the lunch club?\n\
         Participant: I go every Thursday now, it gets me out of the house.\n",
    );
    ana.undo().unwrap().unwrap();
    ana.sync(None).unwrap();
    let used = code_start(&mut bob, &code, &doc);
    bob.sync(None).unwrap();
    ana.sync(None).unwrap();
    assert_eq!(ana.document(&doc).unwrap().text, whole);
    assert!(coded(&ana, &doc, &used));
    assert_same(&ana, &bob);
    let kinds: Vec<String> = bob
        .merge_conflicts(false)
        .unwrap()
        .into_iter()
        .filter(|c| c.entity_uuid == doc)
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, ["deleted-used"], "the return is listed");
}
