//! Settling a disagreement between two coders: keep one version, keep both,
//! or merge into a consensus coding. Each is one change with one history
//! entry, undo brings the codings back, and a settled passage is no longer
//! a disagreement.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::project::{CONSENSUS_CODER, DisagreementRow, Passage, Settle};
use storyloom_project::*;

const TEXT: &str = "Interviewer: How did you come to the choir?
Margaret: I was lonely after Frank died. Jean said hello and saved me a seat.
Interviewer: And now?
Margaret: Now I have a reason to get up. I feel I belong there.
";

fn chars_of(needle: &str) -> (usize, usize) {
    let b = TEXT.find(needle).expect(needle);
    let s = TEXT[..b].chars().count();
    (s, s + needle.chars().count())
}

fn code(p: &mut Project, coder: &str, code: &str, quote: &str) {
    p.set_actor(coder);
    let (start, end) = chars_of(quote);
    p.add_coding(&CodingRequest {
        code,
        document: "P01",
        start,
        end,
        version: None,
    })
    .unwrap();
}

/// Ana coded Loneliness on a sentence Ben did not; Ben coded Belonging on
/// words Ana did not; both coded Welcome, with different extents.
fn study() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("s.storyloom")).unwrap();
    p.import_bytes("P01-margaret.txt", TEXT.as_bytes()).unwrap();
    for c in ["Loneliness", "Belonging", "Welcome"] {
        p.create_code(c, None, None).unwrap();
    }
    code(
        &mut p,
        "ana",
        "Loneliness",
        "I was lonely after Frank died.",
    );
    code(
        &mut p,
        "ana",
        "Welcome",
        "Jean said hello and saved me a seat.",
    );
    code(&mut p, "ben", "Welcome", "Jean said hello");
    code(&mut p, "ben", "Belonging", "I feel I belong there.");
    p.set_actor("lead");
    (dir, p)
}

fn disagreements(p: &Project, code: &str) -> Vec<DisagreementRow> {
    p.agreement("ana", "ben", &[])
        .unwrap()
        .disagreements
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

fn passage<'a>(d: &'a DisagreementRow) -> Passage<'a> {
    Passage {
        document: &d.document,
        code: &d.code,
        start: d.start,
        end: d.end,
        coder_a: "ana",
        coder_b: "ben",
    }
}

fn ranges(p: &Project, code: &str, coder: &str) -> Vec<(usize, usize)> {
    p.codings(Some(code), None, Some(coder))
        .unwrap()
        .iter()
        .map(|c| (c.start, c.end))
        .collect()
}

#[test]
fn keeping_one_coders_version_makes_both_agree_and_undo_restores() {
    let (_d, mut p) = study();
    let d = disagreements(&p, "Loneliness").remove(0);
    assert_eq!(d.coded_by, "ana");
    let found = p.passage_codings(&passage(&d)).unwrap();
    assert_eq!((found.a.len(), found.b.len()), (1, 0));
    let before = p.history().unwrap().len();
    // Keep Ben's version: nothing there, so Ana's coding goes.
    p.settle_disagreement(&passage(&d), &Settle::Keep("ben".into()))
        .unwrap();
    assert_eq!(p.history().unwrap().len(), before + 1, "one change");
    assert!(ranges(&p, "Loneliness", "ana").is_empty());
    assert!(disagreements(&p, "Loneliness").is_empty());
    let last = p.history().unwrap().pop().unwrap();
    assert_eq!(last.actor, "lead");
    assert!(
        last.summary.contains("kept ben's version"),
        "{}",
        last.summary
    );
    p.undo().unwrap().unwrap();
    assert_eq!(
        ranges(&p, "Loneliness", "ana"),
        [chars_of("I was lonely after Frank died.")]
    );
    assert_eq!(disagreements(&p, "Loneliness").len(), 1);

    // Keep Ana's: Ben gets her coding.
    let d = disagreements(&p, "Loneliness").remove(0);
    p.settle_disagreement(&passage(&d), &Settle::Keep("ana".into()))
        .unwrap();
    assert_eq!(
        ranges(&p, "Loneliness", "ben"),
        [chars_of("I was lonely after Frank died.")]
    );
    assert_eq!(ranges(&p, "Loneliness", "ana").len(), 1);
    assert!(disagreements(&p, "Loneliness").is_empty());
    // A coder who is neither is refused.
    let d = disagreements(&p, "Belonging").remove(0);
    assert!(
        p.settle_disagreement(&passage(&d), &Settle::Keep("carol".into()))
            .is_err()
    );
}

#[test]
fn keeping_both_gives_each_coder_the_others_coding() {
    let (_d, mut p) = study();
    // Welcome: Ana coded the whole sentence, Ben its start.
    let d = disagreements(&p, "Welcome").remove(0);
    let found = p.passage_codings(&passage(&d)).unwrap();
    assert_eq!((found.a.len(), found.b.len()), (1, 1));
    let before = p.history().unwrap().len();
    p.settle_disagreement(&passage(&d), &Settle::KeepBoth)
        .unwrap();
    assert_eq!(p.history().unwrap().len(), before + 1);
    let both = vec![
        chars_of("Jean said hello"),
        chars_of("Jean said hello and saved me a seat."),
    ];
    let mut a = ranges(&p, "Welcome", "ana");
    let mut b = ranges(&p, "Welcome", "ben");
    a.sort();
    b.sort();
    assert_eq!(a, both);
    assert_eq!(b, both);
    assert!(disagreements(&p, "Welcome").is_empty());
    p.undo().unwrap().unwrap();
    assert_eq!(ranges(&p, "Welcome", "ana").len(), 1);
    assert_eq!(ranges(&p, "Welcome", "ben").len(), 1);
}

#[test]
fn consensus_replaces_both_with_one_coding_over_what_either_coded() {
    let (_d, mut p) = study();
    let d = disagreements(&p, "Welcome").remove(0);
    let before = p.history().unwrap().len();
    p.settle_disagreement(&passage(&d), &Settle::Consensus)
        .unwrap();
    assert_eq!(p.history().unwrap().len(), before + 1);
    assert!(ranges(&p, "Welcome", "ana").is_empty());
    assert!(ranges(&p, "Welcome", "ben").is_empty());
    assert_eq!(
        ranges(&p, "Welcome", CONSENSUS_CODER),
        [chars_of("Jean said hello and saved me a seat.")]
    );
    assert!(p.coders().unwrap().contains(&CONSENSUS_CODER.to_owned()));
    // A coder can now be compared with the consensus.
    let c = p.agreement("ana", CONSENSUS_CODER, &[]).unwrap();
    assert!(!c.codes.is_empty());
    // Settling it again finds nothing left to settle.
    assert!(
        p.settle_disagreement(&passage(&d), &Settle::Consensus)
            .is_err()
    );
    p.undo().unwrap().unwrap();
    assert!(ranges(&p, "Welcome", CONSENSUS_CODER).is_empty());
    assert_eq!(ranges(&p, "Welcome", "ana").len(), 1);
    assert_eq!(ranges(&p, "Welcome", "ben").len(), 1);
}

#[test]
fn retrieval_can_be_limited_to_one_coders_codings() {
    let (_d, p) = study();
    let coders = |only: &[&str]| -> Vec<String> {
        let scope = Scope {
            coders: only.iter().map(|c| c.to_string()).collect(),
            ..Scope::default()
        };
        let mut c: Vec<String> = p
            .query_codings("Welcome OR Belonging OR Loneliness", &scope, true)
            .unwrap()
            .into_iter()
            .flat_map(|h| h.coders)
            .collect();
        c.sort();
        c.dedup();
        c
    };
    assert_eq!(coders(&[]), ["ana", "ben"]);
    assert_eq!(coders(&["ben"]), ["ben"]);
    assert!(coders(&["carol"]).is_empty());
}
