//! Importing the study spreadsheets: the sample study's own participants,
//! codebook and codings CSVs go into a fresh project, told apart by their
//! headers; our own codebook export comes back in; rows that do not fit are
//! reported with file, row and reason while the rest go in as one action.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;
use storyloom_e2e::{sample_dir, temp_project};
use storyloom_exports::reports::{ReportOptions, export_codebook_csv};
use storyloom_project::project::CsvKind;
use storyloom_project::{ImportOptions, Project};

fn import_transcripts(p: &mut Project) {
    let files: Vec<_> = std::fs::read_dir(sample_dir().join("interviews"))
        .expect("interviews")
        .map(|e| e.expect("entry").path())
        .collect();
    let r = p
        .import_files(
            &files,
            &ImportOptions { threads: 1 },
            &std::sync::atomic::AtomicBool::new(false),
            &mut |_, _, _| {},
        )
        .expect("transcripts");
    assert_eq!(r.failed(), 0);
}

#[test]
fn the_sample_studys_csvs_import_into_a_fresh_project() {
    let (_dir, mut p) = temp_project();
    let people = p
        .import_csv(&sample_dir().join("participants.csv"), false)
        .expect("participants");
    assert_eq!(people.kind, CsvKind::Participants);
    assert!(people.problems.is_empty(), "{:?}", people.problems);
    let book = p
        .import_csv(&sample_dir().join("codebook.csv"), false)
        .expect("codebook");
    assert_eq!(book.kind, CsvKind::Codebook);
    let codes = p.codes().expect("codes").len();
    assert!(codes > 10, "{codes} codes");
    import_transcripts(&mut p);
    let history = p.history().expect("history").len();
    let codings = p
        .import_csv(&sample_dir().join("codings.csv"), false)
        .expect("codings");
    assert_eq!(codings.kind, CsvKind::Codings);
    assert!(codings.problems.is_empty(), "{:?}", codings.problems);
    assert_eq!(p.codings(None, None, None).expect("codings").len(), 146);
    // Every coder's codings, in one history entry.
    assert_eq!(p.history().expect("history").len(), history + 1);
    assert!(p.coders().expect("coders").len() >= 2);
    // Importing it again doubles nothing.
    let again = p
        .import_csv(&sample_dir().join("codings.csv"), false)
        .expect("again");
    assert!(
        again.summary.starts_with("0 codings applied"),
        "{}",
        again.summary
    );

    // Our own codebook export goes into another project whole.
    let out = p.path().with_file_name("codebook-export.csv");
    export_codebook_csv(&p, &out, &ReportOptions::default()).expect("export");
    let (_d2, mut q) = temp_project();
    let r = q.import_csv(&out, false).expect("our codebook");
    assert_eq!(r.kind, CsvKind::Codebook);
    let paths = |p: &Project| {
        let mut v: Vec<String> = p
            .codes()
            .expect("codes")
            .iter()
            .map(|c| c.path_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(paths(&q), paths(&p));
    let def = |p: &Project| {
        p.codes()
            .expect("codes")
            .into_iter()
            .find(|c| c.path_string() == "Getting involved")
            .map(|c| c.definition)
    };
    assert_eq!(def(&q), def(&p));
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let f = dir.join(name);
    std::fs::write(&f, text).expect("write");
    f
}

#[test]
fn rows_that_do_not_fit_are_reported_and_codes_created_on_request() {
    let (dir, mut p) = temp_project();
    p.import_bytes(
        "walk.txt",
        "Interviewer: How was it?\n\nJo: =the canal was lovely, 🙂 really.\n".as_bytes(),
    )
    .expect("doc");
    p.create_code("Nature", None, None).expect("code");
    // Our segments export's columns, with a neutralised quote, a BOM, a
    // missing document, a quote not in the text and a code not in the codebook.
    let csv = write(
        dir.path(),
        "codings.csv",
        "\u{feff}document,participant,code,text,start,end,coder,coding_date,key_quote\n\
         walk,,Nature,\"'=the canal was lovely\",,,bea,2026-01-02 10:00:00,yes\n\
         nowhere,,Nature,lovely,,,bea,,\n\
         walk,,Nature,not in the text,,,bea,,\n\
         walk,,Places > Canal,canal,,,cy,,\n\
         walk,,Nature,🙂 really,,,cy,,\n",
    );
    let r = p.import_csv(&csv, false).expect("import");
    assert_eq!(r.kind, CsvKind::Codings);
    let rows: Vec<(usize, &str)> = r
        .problems
        .iter()
        .map(|x| (x.row, x.file.as_str()))
        .collect();
    assert_eq!(
        rows,
        [(3, "codings.csv"), (4, "codings.csv"), (5, "codings.csv")]
    );
    assert!(
        r.problems[2].reason.contains("--create-codes"),
        "{:?}",
        r.problems
    );
    let codings = p.codings(None, None, None).expect("codings");
    assert_eq!(codings.len(), 2);
    let first = codings.iter().find(|c| c.coder == "bea").expect("bea's");
    assert_eq!(first.quote, "=the canal was lovely");
    assert!(first.key_quote);
    // With codes created: the code path is made, the row goes in.
    let r = p.import_csv(&csv, true).expect("import");
    assert_eq!(r.problems.len(), 2);
    assert!(r.summary.contains("2 codes created"), "{}", r.summary); // Places, Places > Canal
    assert!(p.code("Places > Canal").is_ok());
    assert_eq!(p.codings(None, None, None).expect("codings").len(), 3);
    // A transcript table is imported as a transcript.
    let t = write(dir.path(), "t.csv", "speaker,time,text\nJo,00:01,Hello\n");
    let r = p.import_csv(&t, false).expect("a transcript table");
    assert_eq!(r.kind, CsvKind::Transcript);
    assert!(
        r.summary.starts_with("transcript: 1 speakers, 1 turns"),
        "{}",
        r.summary
    );
    // A CSV of none of the kinds is refused, naming why.
    let x = write(dir.path(), "x.csv", "colour,notes\nred,x\n");
    let e = p.import_csv(&x, false).expect_err("not a kind");
    assert!(
        e.to_string()
            .contains("not a codebook, codings, participants or transcript CSV"),
        "{e}"
    );
}
