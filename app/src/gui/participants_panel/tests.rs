//! The participants table, driven through the window.

use crate::gui::Workbench;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{AttributeKind, Participant, Project};

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn participant(h: &Harness<'static, Workbench>, id: &str) -> Participant {
    project(h)
        .participants()
        .unwrap()
        .into_iter()
        .find(|p| p.id == id)
        .expect("participant")
}

fn value(h: &Harness<'static, Workbench>, id: &str, attribute: &str) -> Option<String> {
    participant(h, id)
        .attributes
        .into_iter()
        .find(|(a, _)| a == attribute)
        .map(|(_, v)| v)
}

fn on_participants(bench: Workbench) -> Harness<'static, Workbench> {
    let mut h = harness(bench);
    h.get_by_label("Participants").click();
    h.run();
    h
}

/// Scrolls a widget into view (the table is wider than the window).
fn reveal(h: &mut Harness<'static, Workbench>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
}

/// Replaces the text of a labelled field and presses Enter.
fn enter(h: &mut Harness<'static, Workbench>, label: &str, text: &str) {
    reveal(h, label);
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    if text.is_empty() {
        h.key_press(Key::Backspace);
    } else {
        h.get_by_label(label).type_text(text);
    }
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

#[test]
fn a_number_attribute_refuses_a_word_with_a_notice_and_takes_a_number() {
    let (_dir, bench) = bench_on_sample();
    let mut h = on_participants(bench);
    h.get_by_label("Attribute name").focus();
    h.run();
    h.get_by_label("Attribute name").type_text("sessions");
    h.run();
    h.get_by_label("Kind").click();
    h.run();
    h.get_by_label("number").click();
    h.run();
    h.get_by_label("Define attribute").click();
    h.run();
    let attrs = project(&h).attributes().unwrap();
    let sessions = attrs
        .iter()
        .find(|a| a.name == "sessions")
        .expect("defined");
    assert_eq!(sessions.kind, AttributeKind::Number);

    enter(&mut h, "sessions of P01", "lots");
    assert_eq!(value(&h, "P01", "sessions"), None);
    let last = h.state().shared.notices.last().expect("a notice").clone();
    assert!(last.error);
    assert!(last.text.contains("is a number"), "{}", last.text);
    // The refused value stays in the cell to be fixed.
    assert_eq!(
        h.get_by_label("sessions of P01").value().as_deref(),
        Some("lots")
    );

    enter(&mut h, "sessions of P01", "12");
    assert_eq!(value(&h, "P01", "sessions").as_deref(), Some("12"));
    // An empty cell clears the value.
    enter(&mut h, "sessions of P01", "");
    assert_eq!(value(&h, "P01", "sessions"), None);
}

#[test]
fn a_choice_attribute_is_set_from_its_list() {
    let (_dir, mut bench) = bench_on_sample();
    bench
        .shared
        .act(|p| {
            p.define_attribute(
                "consent",
                AttributeKind::Choice,
                &["yes".into(), "no".into()],
            )
        })
        .unwrap();
    let mut h = on_participants(bench);
    reveal(&mut h, "consent of P02");
    h.get_by_label("consent of P02").click();
    h.run();
    h.get_by_label("yes").click();
    h.run();
    assert_eq!(value(&h, "P02", "consent").as_deref(), Some("yes"));
}

#[test]
fn names_are_edited_in_place_and_participants_added() {
    let (_dir, bench) = bench_on_sample();
    let mut h = on_participants(bench);
    enter(&mut h, "pseudonym of P01", "Dottie");
    let p = participant(&h, "P01");
    assert_eq!(p.pseudonym.as_deref(), Some("Dottie"));
    assert_eq!(p.name.as_deref(), Some("Doreen Walsh"));

    for (label, text) in [
        ("New participant id", "P10"),
        ("New participant name", "Maya Patel"),
        ("New participant pseudonym", "Mina"),
    ] {
        h.get_by_label(label).focus();
        h.run();
        h.get_by_label(label).type_text(text);
        h.run();
    }
    h.get_by_label("Add participant").click();
    h.run();
    let p = participant(&h, "P10");
    assert_eq!(p.name.as_deref(), Some("Maya Patel"));
    assert!(h.query_by_label("name of P10").is_some());
}

/// An id in the table (the navigator lists the same ids on the left).
fn table_id(h: &Harness<'static, Workbench>, id: &str) -> egui::Rect {
    h.get_all_by_label(id)
        .map(|n| n.rect())
        .max_by(|a, b| a.left().total_cmp(&b.left()))
        .expect("the id in the table")
}

#[test]
fn the_id_column_stays_when_the_table_scrolls_sideways() {
    let (_dir, bench) = bench_on_sample();
    let mut h = on_participants(bench);
    let id = table_id(&h, "P01");
    let name = h.get_by_label("name of P01").rect();
    assert!(
        name.width() >= 100.0,
        "a name field is wide enough to read: {name:?}"
    );
    // The id and its row's cells line up.
    assert!(
        (id.center().y - name.center().y).abs() < 2.0,
        "id {id:?}, name {name:?}"
    );
    let docs = h.get_by_label("documents").rect();
    assert!(
        docs.right() > 1400.0,
        "the table is wider than the window: {docs:?}"
    );
    reveal(&mut h, "documents");
    let docs = h.get_by_label("documents").rect();
    assert!(
        docs.right() <= 1400.0,
        "scrolled to the last column: {docs:?}"
    );
    assert!(
        h.get_by_label("name of P01").rect().left() < name.left() - 50.0,
        "the columns moved left"
    );
    // The id column did not move, and the rows still line up.
    assert_eq!(table_id(&h, "P01"), id);
    let last = table_id(&h, "P09");
    let row = h.get_by_label("name of P09").rect();
    assert!(
        (last.center().y - row.center().y).abs() < 2.0,
        "{last:?} {row:?}"
    );
}
