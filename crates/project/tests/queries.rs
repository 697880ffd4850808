//! Queries and agreement through the `Project` API, on two small interviews
//! coded by two coders. The pure computations have their own hand-worked
//! unit tests in `analysis/`; these check the wiring: names, scopes, places.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::analysis::CooccurrenceMode;
use storyloom_project::*;

const P01: &str = "Interviewer: How did you come to the choir?
Margaret: I was lonely after Frank died. Jean said hello and saved me a seat.
Interviewer: And now?
Margaret: Now I have a reason to get up. I feel I belong there.
";
const P02: &str = "Interviewer: Tell me about the walking group.
Ron: I was lonely too, I suppose. The group made me feel I belong.
Interviewer: Anything hard?
Ron: The bus. It stopped running, so I was stuck at home and lonely again.
";

fn chars_of(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect(needle);
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn code(p: &mut Project, code: &str, doc: &str, text: &str, quote: &str) {
    let (start, end) = chars_of(text, quote);
    p.add_coding(&CodingRequest {
        code,
        document: doc,
        start,
        end,
        version: None,
    })
    .unwrap();
}

fn study() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("participants.csv");
    std::fs::write(
        &csv,
        "id,name,activity,age\nP01,Margaret,choir,78\nP02,Ron,walking,81\n",
    )
    .unwrap();
    let mut p = Project::create(&dir.path().join("q.storyloom")).unwrap();
    p.import_participants_csv(&csv).unwrap();
    p.import_bytes("P01-margaret.txt", P01.as_bytes()).unwrap();
    p.import_bytes("P02-ron.txt", P02.as_bytes()).unwrap();
    for c in ["Loneliness", "Belonging", "Welcome", "Transport"] {
        p.create_code(c, None, None).unwrap();
    }
    p.set_actor("ana");
    code(
        &mut p,
        "Loneliness",
        "P01",
        P01,
        "I was lonely after Frank died.",
    );
    code(
        &mut p,
        "Welcome",
        "P01",
        P01,
        "Jean said hello and saved me a seat.",
    );
    code(
        &mut p,
        "Belonging",
        "P01",
        P01,
        "Jean said hello and saved me a seat.",
    );
    code(&mut p, "Belonging", "P01", P01, "I feel I belong there.");
    code(
        &mut p,
        "Loneliness",
        "P02",
        P02,
        "I was lonely too, I suppose.",
    );
    code(
        &mut p,
        "Belonging",
        "P02",
        P02,
        "The group made me feel I belong.",
    );
    code(
        &mut p,
        "Transport",
        "P02",
        P02,
        "The bus. It stopped running",
    );
    code(
        &mut p,
        "Loneliness",
        "P02",
        P02,
        "so I was stuck at home and lonely again.",
    );
    (dir, p)
}

#[test]
fn retrieval_by_expression_and_scope() {
    let (_d, p) = study();
    let all = Scope::default();
    let hits = p.query_codings("Loneliness", &all, true).unwrap();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].document_name, "P01-margaret.txt");
    assert_eq!(hits[0].text, "I was lonely after Frank died.");
    assert_eq!(hits[0].participant.as_deref(), Some("P01"));
    assert_eq!(hits[0].speaker.as_deref(), Some("Margaret"));
    assert_eq!(hits[0].coders, ["ana"]);
    // The hit's range is the place in the document.
    let doc = p.document(&hits[0].document).unwrap();
    let at: String = doc
        .text
        .chars()
        .skip(hits[0].start)
        .take(hits[0].end - hits[0].start)
        .collect();
    assert_eq!(at, hits[0].text);

    let both = p
        .query_codings("Welcome AND Belonging", &all, false)
        .unwrap();
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].text, "Jean said hello and saved me a seat.");
    let either = p
        .query_codings("Loneliness OR Transport", &all, false)
        .unwrap();
    assert_eq!(either.len(), 4);
    let not = p
        .query_codings("Belonging NOT Welcome", &all, false)
        .unwrap();
    assert_eq!(not.len(), 2);

    let walkers = Scope {
        attributes: vec![("activity".into(), "Walking".into())],
        ..Scope::default()
    };
    assert_eq!(
        p.query_codings("Loneliness", &walkers, true).unwrap().len(),
        2
    );
    let interviewers = Scope {
        role: Some(Role::Interviewer),
        ..Scope::default()
    };
    assert!(
        p.query_codings("Loneliness", &interviewers, true)
            .unwrap()
            .is_empty()
    );
    let margaret = Scope {
        participants: vec!["Margaret".into()],
        ..Scope::default()
    };
    assert_eq!(
        p.query_codings("Loneliness", &margaret, true)
            .unwrap()
            .len(),
        1
    );

    // Bad input: clear errors.
    assert!(
        p.query_codings("Loneliness AND (Belonging", &all, true)
            .is_err()
    );
    let err = p.query_codings("Nope", &all, true).unwrap_err();
    assert!(err.to_string().contains("Nope"), "{err}");
    let bad = Scope {
        attributes: vec![("shoe_size".into(), "9".into())],
        ..Scope::default()
    };
    assert!(p.query_codings("Loneliness", &bad, true).is_err());
}

#[test]
fn cooccurrence_matrices_and_frequencies() {
    let (_d, p) = study();
    let m = p
        .cooccurrence(&[], CooccurrenceMode::Overlap, &Scope::default())
        .unwrap();
    assert_eq!(m.codes, ["Loneliness", "Belonging", "Welcome", "Transport"]);
    assert_eq!(m.cells[1][2], 1); // Belonging × Welcome
    assert_eq!(m.cells[0][0], 3);
    let turns = p
        .cooccurrence(&[], CooccurrenceMode::SameTurn, &Scope::default())
        .unwrap();
    assert_eq!(turns.cells[0][1], 2); // Margaret's first answer, Ron's first answer
    assert_eq!(turns.cells[0][3], 1); // Ron's second answer

    let by_person = p.code_by_participant(&[], &Scope::default()).unwrap();
    let p02 = by_person.columns.iter().position(|c| c == "P02").unwrap();
    assert_eq!(by_person.cells[0][p02].0, 2);
    assert_eq!(by_person.cells[0][p02].1, 6 + 9); // words of Ron's two lonely codings
    let by_activity = p
        .code_by_attribute("activity", &["Belonging".into()], &Scope::default())
        .unwrap();
    assert_eq!(by_activity.rows, ["Belonging"]);
    let choir = by_activity
        .columns
        .iter()
        .position(|c| c == "choir")
        .unwrap();
    assert_eq!(by_activity.cells[0][choir].0, 2);
    assert!(p.code_by_attribute("nope", &[], &Scope::default()).is_err());

    let f = p.code_frequencies().unwrap();
    let lonely = f.iter().find(|f| f.path == "Loneliness").unwrap();
    assert_eq!(
        (lonely.codings, lonely.documents, lonely.participants),
        (3, 2, 2)
    );
    assert_eq!(lonely.coders, ["ana"]);

    // The database's grouped count agrees with the frequencies, code by code.
    let counts = p.coding_counts(None).unwrap();
    for row in f.iter().filter(|f| f.codings > 0) {
        let c = counts.iter().find(|c| c.code == row.code).unwrap();
        assert_eq!((c.codings, c.documents), (row.codings, row.documents));
    }
    assert_eq!(counts.len(), f.iter().filter(|f| f.codings > 0).count());
    // Of one document: Ron's interview holds two of the three.
    let here = p.coding_counts(Some("P02")).unwrap();
    let lonely_here = here.iter().find(|c| c.code == lonely.code).unwrap();
    assert_eq!((lonely_here.codings, lonely_here.documents), (2, 1));
    assert!(p.coding_counts(Some("no such document")).is_err());
    // By coder (blind mode's counts): all are ana's; nobody else has any.
    assert_eq!(p.coding_counts_by(None, Some("ana")).unwrap(), counts);
    assert!(p.coding_counts_by(None, Some("ben")).unwrap().is_empty());
    assert_eq!(p.coding_counts_by(Some("P02"), Some("ana")).unwrap(), here);
}

#[test]
fn agreement_between_two_coders() {
    let (_d, mut p) = study();
    p.set_actor("ben");
    // Ben agrees on one Loneliness passage exactly, codes a shorter part of another,
    // misses the third, and adds Belonging where Ana has it too.
    code(
        &mut p,
        "Loneliness",
        "P01",
        P01,
        "I was lonely after Frank died.",
    );
    code(&mut p, "Loneliness", "P02", P02, "I was lonely too");
    code(
        &mut p,
        "Belonging",
        "P02",
        P02,
        "The group made me feel I belong.",
    );
    let a = p.agreement("ana", "ben", &[]).unwrap();
    assert_eq!(a.documents.len(), 2);
    let lonely = a.codes.iter().find(|c| c.code == "Loneliness").unwrap();
    // Chars: ana codes 30 + 28 + 40 = 98, ben 30 + 16 = 46, both 46; N = both texts' lengths.
    let len = |d: &str| p.document(d).unwrap().text.chars().count();
    let n = (len("P01") + len("P02")) as f64;
    assert_eq!(lonely.pooled.total as f64, n);
    assert_eq!(lonely.pooled.both, 46);
    assert_eq!(lonely.pooled.only_a, 52);
    assert_eq!(lonely.pooled.only_b, 0);
    let po = (n - 52.0) / n;
    let pe = (98.0 * 46.0 + (n - 98.0) * (n - 46.0)) / (n * n);
    assert!((lonely.pooled.kappa - (po - pe) / (1.0 - pe)).abs() < 1e-9);
    assert!((lonely.pooled.percent - po * 100.0).abs() < 1e-9);
    assert!(a.overall_alpha.is_some());
    // Where they differ: the part of Ron's first answer only Ana coded, and his last answer.
    let diffs: Vec<&str> = a
        .disagreements
        .iter()
        .filter(|d| d.code == "Loneliness")
        .map(|d| d.text.as_str())
        .collect();
    assert_eq!(
        diffs,
        [", I suppose.", "so I was stuck at home and lonely again."]
    );
    assert!(a.disagreements.iter().all(|d| d.coded_by == "ana"));

    assert!(p.agreement("ana", "carol", &[]).is_err());
    assert!(p.agreement("ana", "ana", &[]).is_err());
}
