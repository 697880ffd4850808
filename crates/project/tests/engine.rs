//! The coding engine through the public `Project` API: codebook and themes,
//! codings, memos, participants, undo and redo (also after reopening).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

const TRANSCRIPT: &str = "Interviewer: How did you come to the choir?\n\
Margaret: My link worker, Priya, suggested it. I was lonely after Frank died, and I didn't go out much.\n\
Interviewer: What was the first week like?\n\
Margaret: Terrifying! But Jean said hello and saved me a seat. Now I have a reason to get up on Tuesdays.\n";

fn project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("t.storyloom")).unwrap();
    p.set_actor("ana");
    p.import_bytes("P01-margaret.txt", TRANSCRIPT.as_bytes())
        .unwrap();
    (dir, p)
}

/// Char range of `needle` in the document text.
fn range(p: &Project, needle: &str) -> (usize, usize) {
    let text = p.document("P01-margaret").unwrap().text;
    let b = text.find(needle).expect(needle);
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn code(p: &mut Project, code: &str, needle: &str) -> String {
    let (start, end) = range(p, needle);
    p.add_coding(&CodingRequest {
        code,
        document: "P01-margaret",
        start,
        end,
        version: None,
    })
    .unwrap()
}

fn count(p: &Project, code: &str) -> usize {
    p.codings(Some(code), None, None).unwrap().len()
}

#[test]
fn codebook_tree_rename_recolour_describe_move() {
    let (_d, mut p) = project();
    p.create_code("Belonging", None, None).unwrap();
    p.create_code("Being known by name", Some("Belonging"), Some("#00AA00"))
        .unwrap();
    p.create_code("Loneliness", None, None).unwrap();
    let c = p.code("Belonging > Being known by name").unwrap();
    assert_eq!(c.path, ["Belonging", "Being known by name"]);
    assert_eq!(c.color, "#00aa00");
    // A unique name finds the code without its path.
    assert_eq!(p.code("being known by name").unwrap().uuid, c.uuid);

    p.rename_code("Being known by name", "Known by name")
        .unwrap();
    p.set_code_color("Known by name", "#112233").unwrap();
    p.describe_code(
        "Known by name",
        &CodeDescription {
            definition: "Staff or members greet the participant by name".into(),
            when_to_use: "Named recognition".into(),
            when_not: "General friendliness".into(),
        },
    )
    .unwrap();
    p.move_code("Known by name", Some("Loneliness")).unwrap();
    let c = p.code(&c.uuid).unwrap();
    assert_eq!(c.path, ["Loneliness", "Known by name"]);
    assert_eq!(c.color, "#112233");
    assert_eq!(c.when_not, "General friendliness");

    // Refused, and nothing changes: cycles, sibling name clashes, bad colours, empty names.
    let before = p.change_counter().unwrap();
    assert!(p.move_code("Loneliness", Some("Known by name")).is_err());
    p.create_code("Known by name", None, None).unwrap();
    let before2 = p.change_counter().unwrap();
    assert_eq!(before2, before + 1);
    let err = p.move_code("Loneliness > Known by name", None).unwrap_err();
    assert!(
        matches!(err, Error::NameTaken { kind: "code", .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("already a code"), "{err}");
    assert!(p.set_code_color("Loneliness", "green").is_err());
    assert!(p.create_code("  ", None, None).is_err());
    assert!(p.create_code("A > B", None, None).is_err());
    // A full path wins; a name two sub-codes share must be written as a path.
    assert_eq!(p.code("Known by name").unwrap().path, ["Known by name"]);
    p.create_code("Welcome", Some("Belonging"), None).unwrap();
    p.create_code("Welcome", Some("Loneliness"), None).unwrap();
    let err = p.code("welcome").unwrap_err();
    assert!(matches!(err, Error::Ambiguous(_)), "{err:?}");
    assert!(err.to_string().contains("full path"), "{err}");
    let before2 = p.change_counter().unwrap();
    assert!(matches!(p.code("Nope"), Err(Error::UnknownCode(_))));
    assert_eq!(p.change_counter().unwrap(), before2);
}

#[test]
fn codings_validate_overlap_and_do_not_duplicate() {
    let (_d, mut p) = project();
    p.create_code("Loneliness", None, None).unwrap();
    p.create_code("Loss", None, None).unwrap();
    let a = code(&mut p, "Loneliness", "I was lonely after Frank died");
    let b = code(&mut p, "Loss", "after Frank died");
    assert_ne!(a, b);
    // The same code, range and coder again: the same coding, no history entry.
    let n = p.history().unwrap().len();
    assert_eq!(
        code(&mut p, "Loneliness", "I was lonely after Frank died"),
        a
    );
    assert_eq!(p.history().unwrap().len(), n);
    // Another coder's identical coding is a separate row.
    p.set_actor("ben");
    let c = code(&mut p, "Loneliness", "I was lonely after Frank died");
    assert_ne!(c, a);
    assert_eq!(
        p.codings(Some("Loneliness"), None, Some("ana"))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(count(&p, "Loneliness"), 2);
    let coding = p.coding(&a).unwrap();
    assert_eq!(coding.quote, "I was lonely after Frank died");
    assert_eq!(coding.coder, "ana");

    // Bad input: a clear error and no change.
    let before = p.change_counter().unwrap();
    let len = p.document("P01-margaret").unwrap().text.chars().count();
    let req = |start, end, version| CodingRequest {
        code: "Loss",
        document: "P01-margaret",
        start,
        end,
        version,
    };
    assert!(matches!(
        p.add_coding(&req(10, 10, None)),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        p.add_coding(&req(10, len + 1, None)),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        p.add_coding(&req(20, 10, None)),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        p.add_coding(&req(0, 5, Some(2))),
        Err(Error::StaleVersion { .. })
    ));
    let unknown = CodingRequest {
        code: "Nope",
        ..req(0, 5, None)
    };
    assert!(matches!(p.add_coding(&unknown), Err(Error::UnknownCode(_))));
    let unknown_doc = CodingRequest {
        document: "P99",
        ..req(0, 5, None)
    };
    assert!(matches!(
        p.add_coding(&unknown_doc),
        Err(Error::UnknownDocument(_))
    ));
    assert_eq!(p.change_counter().unwrap(), before);

    // Resize, key quote, remove; codings under the cursor.
    let (s, e) = range(&p, "lonely");
    p.set_actor("ana");
    p.resize_coding(&a, s, e).unwrap();
    assert_eq!(p.coding(&a).unwrap().quote, "lonely");
    p.set_key_quote(&a, true).unwrap();
    assert!(p.coding(&a).unwrap().key_quote);
    assert_eq!(p.codings_at("P01-margaret", s + 1).unwrap().len(), 2);
    p.remove_coding(&a).unwrap();
    assert!(p.coding(&a).is_err());
    p.undo().unwrap().unwrap();
    assert_eq!(p.coding(&a).unwrap().quote, "lonely");
}

#[test]
fn in_vivo_coding_creates_and_applies_a_code_in_one_step() {
    let (_d, mut p) = project();
    let (s, e) = range(&p, "a reason to get up");
    let (code_uuid, coding) = p.code_in_vivo("P01-margaret", s, e, None).unwrap();
    assert_eq!(p.code(&code_uuid).unwrap().path, ["a reason to get up"]);
    assert_eq!(p.coding(&coding).unwrap().code, code_uuid);
    // One undo takes back both.
    p.undo().unwrap();
    assert!(p.codes().unwrap().is_empty());
    assert!(p.coding(&coding).is_err());
}

#[test]
fn merge_moves_codings_children_themes_and_memos_and_undo_restores_all() {
    let (_d, mut p) = project();
    p.create_code("Isolation", None, None).unwrap();
    p.create_code("Loneliness", None, None).unwrap();
    p.create_code("After loss", Some("Isolation"), None)
        .unwrap();
    code(&mut p, "Isolation", "I didn't go out much");
    code(&mut p, "Isolation", "I was lonely after Frank died");
    code(&mut p, "Loneliness", "I was lonely after Frank died");
    let theme = p.create_theme("Finding a place", "").unwrap();
    p.add_code_to_theme(&theme, "Isolation").unwrap();
    let memo_target = p.memo_target("code", Some("Isolation")).unwrap();
    p.add_memo(&memo_target, "Why isolation", "Several speak of it")
        .unwrap();

    let report = p.merge_codes("Isolation", "Loneliness").unwrap();
    assert_eq!((report.codings_moved, report.duplicates_dropped), (1, 1));
    // Two of its own before, one moved in, and the moved one's twin dropped.
    assert_eq!(count(&p, "Loneliness"), 2);
    assert_eq!(
        p.code("After loss").unwrap().path,
        ["Loneliness", "After loss"]
    );
    assert!(p.code("Isolation").is_err());
    let loneliness = p.code("Loneliness").unwrap().uuid;
    assert_eq!(
        p.themes().unwrap()[0].codes,
        std::slice::from_ref(&loneliness)
    );
    let moved = MemoTarget::Code(loneliness);
    assert_eq!(p.memos(Some(&moved)).unwrap().len(), 1);

    p.undo().unwrap().unwrap();
    assert_eq!(count(&p, "Isolation"), 2);
    assert_eq!(p.codings(Some("Loneliness"), None, None).unwrap().len(), 1);
    assert_eq!(
        p.code("After loss").unwrap().path,
        ["Isolation", "After loss"]
    );
    assert_eq!(p.memos(Some(&memo_target)).unwrap().len(), 1);
}

#[test]
fn delete_code_keeps_codings_for_undo() {
    let (_d, mut p) = project();
    p.create_code("Belonging", None, None).unwrap();
    p.create_code("Welcome", Some("Belonging"), None).unwrap();
    code(&mut p, "Welcome", "Jean said hello and saved me a seat");
    assert_eq!(p.delete_code("Belonging").unwrap(), 2);
    assert!(p.codes().unwrap().is_empty());
    assert!(p.codings(None, None, None).unwrap().is_empty());
    p.undo().unwrap();
    assert_eq!(p.codes().unwrap().len(), 2);
    assert_eq!(count(&p, "Belonging"), 1);
}

#[test]
fn recode_moves_a_coding_to_another_code_and_undoes() {
    let (_d, mut p) = project();
    for name in ["Loss", "Grief", "Feelings"] {
        p.create_code(name, None, None).unwrap();
    }
    let c = code(&mut p, "Loss", "I was lonely after Frank died");
    let before = p.change_counter().unwrap();
    // Someone else moves ana's coding: it stays ana's, on the same range.
    p.set_actor("ben");
    p.apply(Command::RecodeCoding {
        coding: c.clone(),
        code: "Grief".into(),
    })
    .unwrap();
    let moved = p.coding(&c).unwrap();
    assert_eq!(moved.code_path, "Grief");
    assert_eq!(moved.coder, "ana");
    assert_eq!(moved.quote, "I was lonely after Frank died");
    assert_eq!((count(&p, "Loss"), count(&p, "Grief")), (0, 1));
    assert_eq!(p.change_counter().unwrap(), before + 1);
    // To the code it has: nothing happens.
    p.recode_coding(&c, "Grief").unwrap();
    assert_eq!(p.change_counter().unwrap(), before + 1);
    // Undo puts it back under Loss.
    p.undo().unwrap();
    assert_eq!((count(&p, "Loss"), count(&p, "Grief")), (1, 0));

    // ana already has Grief there: the two become one.
    p.set_actor("ana");
    code(&mut p, "Grief", "I was lonely after Frank died");
    p.recode_coding(&c, "Grief").unwrap();
    assert_eq!((count(&p, "Loss"), count(&p, "Grief")), (0, 1));

    // A category takes no coding.
    let other = code(&mut p, "Loss", "Jean said hello");
    p.set_code_category("Feelings", true).unwrap();
    let before = p.change_counter().unwrap();
    assert!(p.recode_coding(&other, "Feelings").is_err());
    assert_eq!(p.change_counter().unwrap(), before);
    assert_eq!(p.coding(&other).unwrap().code_path, "Loss");
}

#[test]
fn themes_group_codes_and_have_a_status() {
    let (_d, mut p) = project();
    p.create_code("Welcome", None, None).unwrap();
    p.create_code("Routine", None, None).unwrap();
    let t = p.create_theme("A reason to go", "").unwrap();
    assert!(p.add_code_to_theme("A reason to go", "Welcome").unwrap());
    assert!(p.add_code_to_theme(&t, "Routine").unwrap());
    assert!(!p.add_code_to_theme(&t, "Routine").unwrap());
    p.create_theme("Other", "").unwrap();
    p.add_code_to_theme("Other", "Welcome").unwrap(); // many-to-many
    p.define_theme(&t, "Groups give a structure to the week")
        .unwrap();
    p.set_theme_status(&t, ThemeStatus::Reviewed).unwrap();
    p.rename_theme(&t, "A reason to get up").unwrap();
    let theme = p
        .themes()
        .unwrap()
        .into_iter()
        .find(|x| x.uuid == t)
        .unwrap();
    assert_eq!(theme.name, "A reason to get up");
    assert_eq!(theme.status, ThemeStatus::Reviewed);
    assert_eq!(theme.codes.len(), 2);
    assert!(p.create_theme("other", "").is_err());
    assert!(p.remove_code_from_theme(&t, "Welcome").unwrap());
    p.delete_theme("Other").unwrap();
    assert_eq!(p.themes().unwrap().len(), 1);
    assert!(matches!(
        p.rename_theme("Other", "x"),
        Err(Error::UnknownTheme(_))
    ));
}

#[test]
fn memos_on_every_target_and_a_dated_journal() {
    let (_d, mut p) = project();
    p.create_code("Welcome", None, None).unwrap();
    let coding = code(&mut p, "Welcome", "Jean said hello");
    let theme = p.create_theme("Belonging", "").unwrap();
    p.import_participants_csv(&write_csv("id,name,site\nP01,Margaret,Leeds\n"))
        .unwrap();
    for (kind, key) in [
        ("project", None),
        ("document", Some("P01-margaret")),
        ("participant", Some("P01")),
        ("code", Some("Welcome")),
        ("theme", Some(theme.as_str())),
        ("coding", Some(coding.as_str())),
    ] {
        let target = p.memo_target(kind, key).unwrap();
        p.add_memo(&target, &format!("on the {kind}"), "text")
            .unwrap();
        assert_eq!(p.memos(Some(&target)).unwrap().len(), 1, "{kind}");
    }
    p.add_journal_entry(
        Some("2026-03-02"),
        "First read",
        "I noticed my own assumptions",
    )
    .unwrap();
    p.add_journal_entry(Some("2026-04-10"), "After coding P01", "…")
        .unwrap();
    assert!(p.add_journal_entry(Some("March"), "x", "y").is_err());
    let journal = p.journal().unwrap();
    assert_eq!(journal[0].date.as_deref(), Some("2026-04-10"));
    assert_eq!(journal.len(), 2);
    let m = journal[1].uuid.clone();
    p.edit_memo(&m, "First reading", "edited").unwrap();
    assert_eq!(p.journal().unwrap()[1].body, "edited");
    p.delete_memo(&m).unwrap();
    assert_eq!(p.journal().unwrap().len(), 1);
    assert!(p.memo_target("banana", None).is_err());
    assert!(
        p.add_memo(&MemoTarget::Code("no-such".into()), "x", "y")
            .is_err()
    );
}

fn write_csv(text: &str) -> std::path::PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join("participants.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn participants_typed_attributes_and_links() {
    let (_d, mut p) = project();
    p.create_participant("P01", Some("Margaret Hale"), Some("Peggy"))
        .unwrap();
    assert!(p.create_participant("p01", None, None).is_err());
    // The speaker links by name once the participant exists.
    p.link_speaker("P01-margaret", "Margaret", Some("P01"))
        .unwrap();
    p.define_attribute("age", AttributeKind::Number, &[])
        .unwrap();
    p.define_attribute("joined", AttributeKind::Date, &[])
        .unwrap();
    p.define_attribute(
        "site",
        AttributeKind::Choice,
        &["Leeds".into(), "Hull".into()],
    )
    .unwrap();
    p.set_attribute("P01", "age", "78").unwrap();
    p.set_attribute("Peggy", "joined", "2025-09-01").unwrap();
    p.set_attribute("P01", "site", "leeds").unwrap();
    let before = p.change_counter().unwrap();
    for (attr, bad) in [("age", "old"), ("joined", "last May"), ("site", "York")] {
        let err = p.set_attribute("P01", attr, bad).unwrap_err();
        assert!(err.to_string().contains(bad), "{err}");
    }
    assert!(p.set_attribute("P01", "nope", "1").is_err());
    // Redefining a type that existing values do not fit is refused.
    assert!(
        p.define_attribute("site", AttributeKind::Number, &[])
            .is_err()
    );
    assert_eq!(p.change_counter().unwrap(), before);
    let margaret = &p.participants().unwrap()[0];
    assert!(
        margaret
            .attributes
            .contains(&("site".into(), "Leeds".into()))
    );
    assert!(margaret.attributes.contains(&("age".into(), "78".into())));
    assert_eq!(margaret.documents.len(), 1);
    p.set_attribute("P01", "age", "").unwrap();
    assert!(
        !p.participants().unwrap()[0]
            .attributes
            .iter()
            .any(|a| a.0 == "age")
    );
}

#[test]
fn participants_csv_reports_rows_that_do_not_fit() {
    let (_d, mut p) = project();
    let report = p
        .import_participants_csv(&write_csv(
            "id,name,age\nP01,Margaret,78\n,Nobody,70\nP02,Ron,81\nP02,Ron again,82\n",
        ))
        .unwrap();
    assert_eq!(report.created, ["P01", "P02"]);
    assert_eq!(report.rejected.len(), 2, "{:?}", report.rejected);
    assert!(
        report.rejected.iter().any(|r| r.contains("row 3")),
        "{:?}",
        report.rejected
    );
}

#[test]
fn undo_and_redo_survive_reopening_and_a_new_action_ends_redo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u.storyloom");
    {
        let mut p = Project::create(&path).unwrap();
        p.import_bytes("P01-margaret.txt", TRANSCRIPT.as_bytes())
            .unwrap();
        p.create_code("Welcome", None, None).unwrap();
        p.rename_code("Welcome", "Being welcomed").unwrap();
    }
    let mut p = Project::open(&path).unwrap();
    let undone = p.undo().unwrap().unwrap();
    assert_eq!(undone.command, "rename_code");
    assert_eq!(p.codes().unwrap()[0].name(), "Welcome");
    drop(p);
    let mut p = Project::open(&path).unwrap();
    assert_eq!(p.can_redo().unwrap().unwrap().command, "rename_code");
    p.redo().unwrap().unwrap();
    assert_eq!(p.codes().unwrap()[0].name(), "Being welcomed");
    p.undo().unwrap();
    p.undo().unwrap(); // the code's creation
    assert!(p.codes().unwrap().is_empty());
    // Undoing the import hides the document; importing it again brings it back.
    assert_eq!(p.undo().unwrap().unwrap().command, "import");
    assert!(p.documents().unwrap().is_empty());
    assert!(p.undo().unwrap().is_none());
    p.redo().unwrap();
    assert_eq!(p.documents().unwrap().len(), 1);
    // A new action: what was undone can no longer be redone.
    p.create_code("Routine", None, None).unwrap();
    assert!(p.can_redo().unwrap().is_none());
    assert!(p.redo().unwrap().is_none());
    // The audit trail shows actions, undos and redos in order.
    let kinds: Vec<String> = p
        .history()
        .unwrap()
        .iter()
        .map(|h| h.kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "action", "action", "action", "undo", "redo", "undo", "undo", "undo", "redo", "action"
        ]
    );
}

#[test]
fn undo_refuses_when_rows_changed_behind_its_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.storyloom");
    let mut p = Project::create(&path).unwrap();
    p.create_code("Welcome", None, None).unwrap();
    p.rename_code("Welcome", "Greeted").unwrap();
    // Another program edits the row directly.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE codes SET name = 'Tampered'", []).unwrap();
    drop(c);
    let err = p.undo().unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("changed since"), "{err}");
    assert_eq!(p.codes().unwrap()[0].name(), "Tampered");
}

#[test]
fn re_importing_an_undone_import_restores_the_document_and_its_codings() {
    let (_d, mut p) = project();
    p.create_code("Welcome", None, None).unwrap();
    code(&mut p, "Welcome", "Jean said hello");
    // Undo the coding, the code, the import.
    p.undo().unwrap();
    p.undo().unwrap();
    p.undo().unwrap();
    assert!(p.documents().unwrap().is_empty());
    p.create_code("Something new", None, None).unwrap();
    let out = p
        .import_bytes("P01-margaret.txt", TRANSCRIPT.as_bytes())
        .unwrap();
    assert!(matches!(out, ImportOutcome::Imported { .. }), "{out:?}");
    assert_eq!(p.documents().unwrap().len(), 1);
    // A second import of the same bytes is a duplicate.
    let again = p.import_bytes("copy.txt", TRANSCRIPT.as_bytes()).unwrap();
    assert!(matches!(again, ImportOutcome::Duplicate { .. }));
}

#[test]
fn codings_from_a_csv_find_their_quotes_and_report_rows_that_do_not_fit() {
    let (dir, mut p) = project();
    p.create_code("Loneliness", None, None).unwrap();
    p.create_code("Welcome", None, None).unwrap();
    let csv = dir.path().join("codings.csv");
    std::fs::write(
        &csv,
        "document,code,quote,coder,key_quote\n\
         P01,Loneliness,I was lonely after Frank died,ana,yes\n\
         P01,Welcome,\"Jean said hello, and\",ana,\n\
         P01,Welcome,Jean said hello and saved me a seat,ben,\n\
         P01,Nope,Jean said hello,ana,\n\
         P99,Welcome,Jean,ana,\n",
    )
    .unwrap();
    let r = p.import_codings_csv(&csv).unwrap();
    assert_eq!(r.applied, 2);
    assert_eq!(r.rejected.len(), 3, "{:?}", r.rejected);
    assert!(r.rejected[0].starts_with("row 3: the quote is not in P01"));
    let lonely = &p.codings(Some("Loneliness"), None, None).unwrap()[0];
    assert!(lonely.key_quote);
    assert_eq!(lonely.coder, "ana");
    assert_eq!(
        p.codings(Some("Welcome"), None, Some("ben")).unwrap().len(),
        1
    );
    assert_eq!(p.actor(), "ana");
}

#[test]
fn workshop_rows_about_a_theme_become_notes_on_that_theme() {
    let (dir, mut p) = project();
    p.create_theme("A reason to get up", "").unwrap();
    let csv = dir.path().join("sheet.csv");
    std::fs::write(
        &csv,
        "Story,What stood out,What we learn,Reasons,Priority\n\
         Theme: A reason to get up,Routine,Groups give the week a shape,,high\n\
         Theme: Nothing like it,x,,,\n",
    )
    .unwrap();
    let r = p.import_workshop_notes(&csv).unwrap();
    assert_eq!(r.imported, 1);
    assert_eq!(r.unmatched, ["Theme: Nothing like it"]);
    let notes = p.theme_workshop_notes("A reason to get up").unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].1["What we learn"], "Groups give the week a shape");
}
