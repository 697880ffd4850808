//! Speakers through REFI-QDA: a transcript whose speakers are bold
//! paragraphs (no labels in its text) is exported with `Label: ` at the
//! start of every turn and its speakers listed in the source's description;
//! importing that file gives the same speakers, roles and turns, and every
//! coding on the same words (an emoji and a combining accent included), in
//! a new project and back into the project it came from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

#[path = "support/bold_docx.rs"]
mod bold_docx;

use bold_docx::{CODED, DOC};
use std::io::Read;
use std::path::Path;
use storyloom_project::Project;

fn entry(archive: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).expect("open")).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"))
        .read_to_string(&mut s)
        .expect("read");
    s
}

/// (speaker, role, non-speech, speech) of every turn.
fn turns(p: &Project, doc: &str) -> Vec<(String, String, bool, String)> {
    p.document(doc)
        .expect("doc")
        .turns
        .into_iter()
        .map(|t| (t.speaker, t.role.as_str().to_owned(), t.non_speech, t.text))
        .collect()
}

/// (code path, coder, quote) of every coding, sorted.
fn codings(p: &Project) -> Vec<(String, String, String)> {
    let codes = p.codes().expect("codes");
    let mut v: Vec<_> = p
        .codings(None, None, None)
        .expect("codings")
        .into_iter()
        .map(|c| {
            let path = codes
                .iter()
                .find(|x| x.uuid == c.code)
                .map(|x| x.path_string())
                .unwrap_or_default();
            (path, c.coder, c.quote)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn bold_paragraph_speakers_survive_export_and_import() {
    let dir = tempfile::tempdir().expect("dir");
    let p = bold_docx::project(dir.path());
    let original = turns(&p, DOC);
    let labels: Vec<&str> = original.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Interviewer",
            "Participant",
            "Interviewer",
            "Participant",
            "Interviewer",
            "Participant"
        ],
        "the importer reads bold paragraphs as the interviewer's"
    );
    let stored = p.document(DOC).expect("doc");
    assert!(!stored.text.contains("Interviewer"), "no labels stored");

    let out = dir.path().join("walking.qdpx");
    let report = storyloom_exports::refi::export_qdpx(&p, &out).expect("export");
    let text = entry(&out, &format!("sources/{}.txt", stored.uuid));
    assert!(
        text.starts_with(
            "Interviewer: How did you first hear about the walking group?\n\nParticipant: A leaflet"
        ),
        "{text}"
    );
    assert_eq!(text.matches("Interviewer: ").count(), 3, "{text}");
    assert_eq!(text.matches("Participant: ").count(), 3, "{text}");
    let qde = entry(&out, "project.qde");
    assert!(qde.contains("Interviewer (interviewer)"), "speakers listed");
    assert!(
        report
            .remarks
            .iter()
            .any(|r| r.contains("speaker labels written into the text")
                && r.contains("6 turns in 1 documents")),
        "{:?}",
        report.remarks
    );
    assert!(
        report.remarks.iter().any(|r| r.contains("personal data")
            && r.contains("speaker labels as the project shows them")),
        "the report says the file holds speaker names: {:?}",
        report.remarks
    );
    // Each selection's name is its text in the exported file.
    assert!(
        qde.contains(r#"name="A leaflet at the surgery 🙂""#),
        "{qde}"
    );
    assert!(
        qde.contains(r#"name="And now? Participant: I go every Tuesday""#),
        "{qde}"
    );

    // Into a new project: the same speakers, roles and turns; every coding on its words.
    let mut q = Project::create(&dir.path().join("back.storyloom")).expect("create");
    q.set_actor("ana");
    let r = q.import_refi(&out).expect("import");
    assert_eq!(r.codings_imported, CODED.len(), "{r:?}");
    assert_eq!(r.names_mismatched, 0, "{r:?}");
    assert_eq!(r.selections_recounted, 0, "{r:?}");
    let back_doc = q.documents().expect("docs")[0].uuid.clone();
    assert_eq!(turns(&q, &back_doc), original);
    let mut want = codings(&p);
    for c in &mut want {
        c.2 =
            c.2.replace("And now?\n\nI go", "And now?\n\nParticipant: I go");
    }
    assert_eq!(codings(&q), want);
    let speakers = q.speakers(&back_doc).expect("speakers");
    let roles: Vec<(String, String)> = speakers
        .iter()
        .map(|s| (s.label.clone(), s.role.as_str().to_owned()))
        .collect();
    assert_eq!(
        roles,
        [
            ("Interviewer".to_owned(), "interviewer".to_owned()),
            ("Participant".to_owned(), "participant".to_owned())
        ]
    );

    // Back into the project it came from: its text has no labels, so the
    // selections are placed on it without them, on exactly the same chars.
    let mut p = p;
    let before = codings(&p);
    let n = p.codings(None, None, None).expect("codings").len();
    let r = p.import_refi(&out).expect("import back");
    assert!(
        !r.notes.iter().any(|n| n.contains("corrected since")),
        "{:?}",
        r.notes
    );
    assert_eq!(r.documents_existing.len(), 1, "{r:?}");
    assert_eq!(p.codings(None, None, None).expect("codings").len(), n);
    assert_eq!(codings(&p), before);
    assert_eq!(turns(&p, DOC), original);
}
