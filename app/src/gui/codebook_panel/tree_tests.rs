//! The code tree beside the documents (the split navigator): rows drawn only
//! in view, "Coded here", and a code dragged from the tree onto the text.

use crate::gui::Workbench;
use crate::gui::shared::Selection;
use crate::gui::tests::{bench_on_sample, harness};
use egui::Key;
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{DocumentText, Project};

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn code_uuid(h: &Harness<'static, Workbench>, name: &str) -> String {
    project(h).code(name).expect("a code").uuid
}

/// Opens a document of the sample by name and returns its text.
fn open(h: &mut Harness<'static, Workbench>, name: &str) -> DocumentText {
    let doc = project(h)
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.name == name)
        .expect("the document");
    h.state_mut().shared.open(&doc.uuid);
    h.run();
    project(h).document(&doc.uuid).unwrap()
}

/// How many tree rows (code names) have an accessibility node.
fn rows_drawn(h: &Harness<'static, Workbench>, prefix: &str) -> usize {
    h.query_all_by(|n| n.label().is_some_and(|l| l.starts_with(prefix)))
        .count()
}

#[test]
fn only_the_rows_in_view_are_drawn_and_a_new_code_is_brought_into_view() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    {
        let sh = &mut h.state_mut().shared;
        let p = sh.project.as_mut().expect("a project");
        for i in 0..150 {
            p.create_code(&format!("Extra code {i:03}"), None, None)
                .unwrap();
        }
        sh.revision += 1;
    }
    h.run();
    let drawn = rows_drawn(&h, "Extra code ");
    assert!(drawn < 60, "{drawn} of 150 rows drawn");
    // The first codes are in view, the last ones are not.
    assert!(h.query_by_label("Getting involved").is_some());
    assert!(h.query_by_label("Extra code 149").is_none());

    // A new code goes last in the tree and is scrolled to.
    h.get_by_label("New code").focus();
    h.run();
    h.get_by_label("New code").type_text("Zebra crossings");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(project(&h).code("Zebra crossings").is_ok());
    assert!(h.query_by_label("Zebra crossings").is_some());
    assert!(h.query_by_label("Getting involved").is_none());
    // Whatever the scroll, a row is never laid out twice or left out:
    // the tree still draws about a screenful.
    let drawn = rows_drawn(&h, "Extra code ");
    assert!((5..60).contains(&drawn), "{drawn} rows drawn");
}

#[test]
fn coded_here_shows_only_the_codes_used_in_the_open_document_with_its_counts() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    // Belonging twice and Confidence once in this document; a new code
    // and Routine and purpose nowhere.
    let elsewhere = {
        let sh = &mut h.state_mut().shared;
        let p = sh.project.as_mut().expect("a project");
        for (code, turn) in [("Belonging", 1), ("Belonging", 3), ("Confidence", 5)] {
            let t = &doc.turns[turn];
            p.add_coding(&storyloom_project::CodingRequest {
                code,
                document: &doc.uuid,
                start: t.start,
                end: t.end,
                version: None,
            })
            .unwrap();
        }
        let uuid = p.create_code("Not in Doreen's", None, None).unwrap();
        sh.revision += 1;
        p.code(&uuid).unwrap()
    };
    h.run();
    let here = project(&h).coding_counts(Some(&doc.uuid)).unwrap();
    assert_eq!(here.len(), 2);
    assert!(h.query_by_label("Routine and purpose").is_some());

    h.get_by_label("Coded here").click();
    h.run();
    assert!(h.state().codebook.coded_here);
    assert!(h.query_by_label(elsewhere.name()).is_none());
    assert!(h.query_by_label("Routine and purpose").is_none());
    // The codes above a used one stay, so the tree keeps its shape.
    assert!(h.query_by_label("What changed").is_some());
    for c in &here {
        let code = project(&h).code(&c.code).unwrap();
        assert!(h.query_by_label(code.name()).is_some(), "{}", code.name());
        assert_eq!(
            h.state()
                .codebook
                .here_counts()
                .and_then(|m| m.get(&c.code)),
            Some(&c.codings)
        );
    }

    // Coding here with the elsewhere-only code brings it into the list.
    {
        let sh = &mut h.state_mut().shared;
        sh.selection = Some(Selection {
            document: doc.uuid.clone(),
            version: doc.version,
            start: doc.turns[1].start,
            end: doc.turns[1].end,
        });
        sh.used_code(&elsewhere.uuid);
    }
    h.run();
    h.key_press(Key::Num1);
    h.run();
    assert!(h.query_all_by_label(elsewhere.name()).count() > 0);
    let cb = &h.state().codebook;
    assert_eq!(
        cb.here_counts().and_then(|m| m.get(&elsewhere.uuid)),
        Some(&1)
    );
    assert!(
        cb.rows
            .iter()
            .any(|&(i, _)| cb.codes[i].uuid == elsewhere.uuid)
    );

    // Off again: every code.
    h.get_by_label("Coded here").click();
    h.run();
    assert!(h.state().codebook.here_counts().is_none());
}

#[test]
fn a_code_dragged_from_the_split_navigator_onto_selected_text_codes_it() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    assert_eq!(h.state().nav, crate::gui::NavTab::Both);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let belonging = code_uuid(&h, "Belonging");
    let before = project(&h)
        .codings(Some(&belonging), Some(&doc.uuid), None)
        .unwrap()
        .len();
    let t = &doc.turns[1];
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start: t.start,
        end: t.end,
    });
    h.run();
    // The documents list stays in view above the codes while dragging.
    assert!(h.query_all_by_label("P01-doreen-walsh.docx").count() > 0);
    let from = h.get_by_label("Belonging").rect().center();
    let to = h.get_by_label(&doc.turns[1].text).rect().center();
    h.drag_at(from);
    h.run();
    for step in 1..=4 {
        h.hover_at(from + (to - from) * (step as f32 / 4.0));
        h.run();
    }
    assert_eq!(
        h.state().shared.dragged_code.as_deref(),
        Some(belonging.as_str())
    );
    assert!(h.query_all_by_label("P01-doreen-walsh.docx").count() > 0);
    h.drop_at(to);
    h.run();
    let after = project(&h)
        .codings(Some(&belonging), Some(&doc.uuid), None)
        .unwrap();
    assert_eq!(after.len(), before + 1);
    assert!(after.iter().any(|c| (c.start, c.end) == (t.start, t.end)));
    assert_eq!(h.state().shared.dragged_code, None);
}
