//! One test per kind of change a merge of two copies meets: changes that
//! combine, each kind of conflict (with both versions and who made them on
//! the review list), additions of every kind, and copies that are not copies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

mod merge_support;

use merge_support::*;
use std::path::{Path, PathBuf};
use storyloom_project::store::ConflictRow;
use storyloom_project::{CodingRequest, Project};

struct Pair {
    dir: tempfile::TempDir,
    ana: Project,
    bob: Project,
}

impl Pair {
    fn new() -> Pair {
        let dir = tempfile::tempdir().unwrap();
        let base = base_project(dir.path());
        let ana = copy_as(&base, &dir.path().join("ana.storyloom"), "ana");
        let bob = copy_as(&base, &dir.path().join("bob.storyloom"), "bob");
        Pair { dir, ana, bob }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Merges bob's copy into ana's and ana's into bob's (on copies), checks
    /// both ways agree, and returns ana's merged project and its conflicts.
    fn merge_both_ways(self) -> (tempfile::TempDir, Project, Vec<ConflictRow>) {
        let Pair { dir, ana, bob } = self;
        drop((ana, bob));
        let (a, b) = (
            dir.path().join("ana.storyloom"),
            dir.path().join("bob.storyloom"),
        );
        let mut m1 = copy_as(&a, &dir.path().join("m1.storyloom"), "ana");
        let mut m2 = copy_as(&b, &dir.path().join("m2.storyloom"), "bob");
        let r1 = m1.merge_copy(&b, false).unwrap();
        m2.merge_copy(&a, false).unwrap();
        let diff = differences(&dump(&m1), &dump(&m2));
        assert!(
            diff.is_empty(),
            "the two ways round differ:\n{}",
            diff.join("\n")
        );
        let again = m1.merge_copy(&b, false).unwrap();
        assert!(again.is_empty(), "merging again did something: {again:?}");
        (dir, m1, r1.conflicts)
    }
}

fn first_code(p: &Project) -> String {
    p.codes().unwrap()[0].uuid.clone()
}

#[test]
fn a_rename_on_one_side_and_a_recolour_on_the_other_both_apply() {
    let mut pair = Pair::new();
    let code = first_code(&pair.ana);
    pair.ana.rename_code(&code, "Renamed by ana").unwrap();
    pair.bob.set_code_color(&code, "#123456").unwrap();
    let (_d, m, conflicts) = pair.merge_both_ways();
    let c = m.code(&code).unwrap();
    assert_eq!((c.name(), c.color.as_str()), ("Renamed by ana", "#123456"));
    assert!(conflicts.is_empty(), "{conflicts:?}");
}

#[test]
fn the_same_field_changed_differently_is_listed_with_both_versions_and_authors() {
    let mut pair = Pair::new();
    let code = first_code(&pair.ana);
    pair.ana.set_code_color(&code, "#aa0000").unwrap();
    pair.bob.set_code_color(&code, "#0000bb").unwrap();
    let (_d, m, conflicts) = pair.merge_both_ways();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!((c.kind.as_str(), c.field.as_str()), ("field", "color"));
    // The later change stays for now; the other is listed beside it.
    assert_eq!(c.kept.as_deref(), Some("\"#0000bb\""));
    assert_eq!(c.other.as_deref(), Some("\"#aa0000\""));
    assert!(c.kept_by.starts_with("bob on "), "{}", c.kept_by);
    assert!(c.other_by.starts_with("ana on "), "{}", c.other_by);
    assert_eq!(m.code(&code).unwrap().color, "#0000bb");
    assert_eq!(m.merge_conflicts(false).unwrap().len(), 1);
}

#[test]
fn a_code_deleted_on_one_side_and_used_on_the_other_comes_back_for_review() {
    let mut pair = Pair::new();
    let code = first_code(&pair.ana);
    pair.ana.delete_code(&code).unwrap();
    let doc = pair.bob.documents().unwrap()[0].uuid.clone();
    let coding = pair
        .bob
        .add_coding(&CodingRequest {
            code: &code,
            document: &doc,
            start: 3,
            end: 40,
            version: None,
        })
        .unwrap();
    let (_d, m, conflicts) = pair.merge_both_ways();
    assert!(m.code(&code).is_ok(), "the code bob used was lost");
    let kinds: Vec<&str> = conflicts.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["deleted-used"], "{conflicts:?}");
    assert!(conflicts[0].kept_by.starts_with("bob"), "{conflicts:?}");
    assert!(conflicts[0].other_by.starts_with("ana"), "{conflicts:?}");
    let c = m.coding(&coding).unwrap();
    assert_eq!(c.coder, "bob");
}

#[test]
fn a_document_whose_import_one_side_undid_and_the_other_coded_comes_back_for_review() {
    // Ana imports a transcript, gives Bob a copy, then undoes her import
    // while Bob codes in it.
    let dir = tempfile::tempdir().unwrap();
    let base = base_project(dir.path());
    let mut ana = copy_as(&base, &dir.path().join("ana.storyloom"), "ana");
    let file = dir.path().join("late.txt");
    std::fs::write(
        &file,
        "Interviewer: How did you hear about the lunch club?\n\
         Participant: My link worker told me, and I went the week after.\n",
    )
    .unwrap();
    ana.import_files(
        &[file],
        &Default::default(),
        &std::sync::atomic::AtomicBool::new(false),
        &mut |_, _, _| {},
    )
    .unwrap();
    let doc = ana.document("late").unwrap();
    let mut bob = copy_as(ana.path(), &dir.path().join("bob.storyloom"), "bob");
    ana.undo().unwrap().unwrap();
    assert!(ana.document(&doc.uuid).is_err(), "the import is undone");
    let code = first_code(&bob);
    let coding = bob
        .add_coding(&CodingRequest {
            code: &code,
            document: &doc.uuid,
            start: 3,
            end: 30,
            version: None,
        })
        .unwrap();
    let pair = Pair { dir, ana, bob };
    let (_d, m, conflicts) = pair.merge_both_ways();
    assert_eq!(
        m.document(&doc.uuid).unwrap().text,
        doc.text,
        "bob's document is back"
    );
    assert_eq!(m.coding(&coding).unwrap().coder, "bob");
    let back: Vec<&ConflictRow> = conflicts
        .iter()
        .filter(|c| c.entity_uuid == doc.uuid)
        .collect();
    assert_eq!(back.len(), 1, "{conflicts:?}");
    assert_eq!(back[0].kind, "deleted-used");
    assert!(back[0].kept_by.starts_with("bob"), "{conflicts:?}");
    assert!(back[0].other_by.starts_with("ana"), "{conflicts:?}");
    // Taking Ana's side hides the document again, Bob's codings with it,
    // after saying whose codings go.
    let mut m = m;
    let preview = m.take_other_preview(&back[0].uuid).unwrap();
    assert_eq!(preview.codings_lost, [("bob".to_owned(), 1)], "{preview:?}");
    m.take_other_version(&back[0].uuid).unwrap();
    assert!(m.document(&doc.uuid).is_err(), "hidden again");
}

#[test]
fn a_transcript_corrected_on_both_sides_keeps_both_versions_for_review() {
    let mut pair = Pair::new();
    let stem = OWN[0].0.trim_end_matches(".txt");
    let doc = pair.ana.document(stem).unwrap();
    let as_txt = |d: &storyloom_project::DocumentText| {
        d.turns
            .iter()
            .map(|t| format!("{}: {}\n", t.speaker, t.text))
            .collect::<String>()
    };
    let text = as_txt(&doc);
    let start = text.find("lovely").unwrap();
    let coding_a = pair
        .ana
        .add_coding(&CodingRequest {
            code: &first_code(&pair.ana),
            document: stem,
            start: doc.text.find("lovely").unwrap(),
            end: doc.text.find("lovely").unwrap() + 6,
            version: None,
        })
        .unwrap();
    assert!(start > 0);
    pair.ana
        .correct_document_text(stem, &text.replace("Tuesday", "Wednesday"))
        .unwrap();
    pair.bob
        .correct_document_text(stem, &text.replace("knee", "hip"))
        .unwrap();
    let (_d, m, conflicts) = pair.merge_both_ways();
    let kinds: Vec<&str> = conflicts.iter().map(|c| c.kind.as_str()).collect();
    assert!(kinds.contains(&"both-corrected"), "{conflicts:?}");
    let both = conflicts
        .iter()
        .find(|c| c.kind == "both-corrected")
        .unwrap();
    assert!(
        both.kept_by.starts_with("bob") && both.other_by.starts_with("ana"),
        "{both:?}"
    );
    // Three versions: the original and one correction from each side.
    let d = m.document(stem).unwrap();
    assert_eq!(d.version, 3);
    assert!(d.text.contains("hip") && !d.text.contains("Wednesday"));
    assert!(m.coding(&coding_a).is_ok());
}

#[test]
fn a_memo_deleted_on_one_side_and_edited_on_the_other_stays() {
    let mut pair = Pair::new();
    let target = pair.ana.memo_target("project", None).unwrap();
    let memo = pair.ana.add_memo(&target, "Early idea", "first").unwrap();
    let b = pair.path("bob.storyloom");
    pair.bob = Project::open(&pair.path("base.storyloom")).unwrap();
    std::fs::remove_file(&b).unwrap();
    pair.bob = copy_as(&pair.path("ana.storyloom"), &b, "bob");
    pair.ana.delete_memo(&memo).unwrap();
    pair.bob
        .edit_memo(&memo, "Early idea", "second thoughts")
        .unwrap();
    let (_d, m, conflicts) = pair.merge_both_ways();
    let kept = m.memos(None).unwrap();
    let kept = kept
        .iter()
        .find(|x| x.uuid == memo)
        .expect("the edited memo was lost");
    assert_eq!(kept.body, "second thoughts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, "deleted-changed");
}

#[test]
fn a_name_both_sides_gave_to_different_codes_is_listed_not_merged_silently() {
    let mut pair = Pair::new();
    pair.ana.create_code("Hope", None, None).unwrap();
    let bobs = pair.bob.create_code("Hope", None, None).unwrap();
    let r = pair
        .ana
        .merge_copy(&pair.path("bob.storyloom"), false)
        .unwrap();
    let refused: Vec<&ConflictRow> = r.conflicts.iter().filter(|c| c.kind == "refused").collect();
    assert_eq!(refused.len(), 1, "{r:?}");
    assert_eq!(refused[0].entity_uuid, bobs);
    assert!(refused[0].other.as_deref().unwrap_or("").contains("Hope"));
}

#[test]
fn everything_the_colleague_added_comes_in() {
    let mut pair = Pair::new();
    let b = &mut pair.bob;
    let participant = b
        .create_participant("P99", Some("Ann Example"), None)
        .unwrap();
    b.set_pseudonym(
        "Ann Example",
        "Mary",
        storyloom_project::stories::PseudonymKind::Person,
        true,
    )
    .unwrap();
    let journal = b.add_journal_entry(None, "Day one", "notes").unwrap();
    let theme = b.create_theme("Belonging again", "").unwrap();
    let code = b.create_code("Bob's code", None, Some("#336699")).unwrap();
    let sub = b.create_code("Bob's sub-code", Some(&code), None).unwrap();
    b.add_code_to_theme(&theme, &sub).unwrap();
    let parts = b.participants().unwrap();
    let story = b.draft_story(&parts[0].id).unwrap();
    let file = pair.dir.path().join("T03-garden.txt");
    std::fs::write(
        &file,
        "Interviewer: And the garden?\nParticipant: I grow beans now.\n",
    )
    .unwrap();
    b.import_files(
        &[file],
        &Default::default(),
        &std::sync::atomic::AtomicBool::new(false),
        &mut |_, _, _| {},
    )
    .unwrap();
    let (_d, m, conflicts) = pair.merge_both_ways();
    assert!(conflicts.is_empty(), "{conflicts:?}");
    assert!(
        m.participants()
            .unwrap()
            .iter()
            .any(|p| p.uuid == participant)
    );
    assert!(
        m.pseudonyms()
            .unwrap()
            .iter()
            .any(|p| p.replacement == "Mary")
    );
    assert!(m.journal().unwrap().iter().any(|j| j.uuid == journal));
    assert!(m.themes().unwrap().iter().any(|t| t.uuid == theme));
    assert_eq!(m.code(&sub).unwrap().parent.as_deref(), Some(code.as_str()));
    assert!(m.stories().unwrap().iter().any(|s| s.uuid == story));
    assert!(m.document("T03-garden").unwrap().text.contains("beans"));
    // Who did what: the merged history names the merge and bob's actions in it.
    let h = m.history().unwrap();
    let merge = h.last().unwrap();
    assert_eq!(merge.command, "merge");
    assert!(merge.summary.contains("bob"), "{}", merge.summary);
    assert!(merge.machine.is_some());
}

#[test]
fn a_project_that_is_not_a_copy_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Project::create(&dir.path().join("a.storyloom")).unwrap();
    let b_path = dir.path().join("b.storyloom");
    drop(Project::create(&b_path).unwrap());
    let before = std::fs::read(&b_path).unwrap();
    let err = a.merge_copy(&b_path, false).unwrap_err();
    assert!(
        matches!(err, storyloom_project::Error::Refused(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("not a copy"), "{err}");
    assert_eq!(std::fs::read(&b_path).unwrap(), before);
    let err = a
        .merge_copy(Path::new(&dir.path().join("a.storyloom")), false)
        .unwrap_err();
    assert!(
        matches!(err, storyloom_project::Error::Refused(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("itself"), "{err}");
}
