//! The themes board, driven through the window.

use crate::gui::Workbench;
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{Project, Theme, ThemeStatus};

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn theme(h: &Harness<'static, Workbench>, name: &str) -> Option<Theme> {
    project(h)
        .themes()
        .unwrap()
        .into_iter()
        .find(|t| t.name == name)
}

fn code_uuid(h: &Harness<'static, Workbench>, name: &str) -> String {
    project(h).code(name).unwrap().uuid
}

/// The window on the themes board, with one theme, "Finding a place".
fn board_with_a_theme() -> (tempfile::TempDir, Harness<'static, Workbench>) {
    let (dir, mut bench) = bench_on_sample();
    bench
        .shared
        .act(|p| p.create_theme("Finding a place", ""))
        .unwrap();
    let mut h = harness(bench);
    h.get_by_label("Themes").click();
    h.run();
    (dir, h)
}

#[test]
fn a_theme_is_created_from_the_board() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.get_by_label("Themes").click();
    h.run();
    assert!(h.query_by_label_contains("No themes yet").is_some());
    h.get_by_label("New theme").focus();
    h.run();
    h.get_by_label("New theme").type_text("Being known");
    h.run();
    h.get_by_label("Add theme").click();
    h.run();
    let t = theme(&h, "Being known").expect("created");
    assert_eq!(t.status, ThemeStatus::Candidate);
    assert!(h.query_by_label("Name of theme Being known").is_some());
    assert!(h.state().themes.new_name.is_empty());
}

#[test]
fn codes_go_in_through_the_list_and_come_out_with_the_cross() {
    let (_dir, mut h) = board_with_a_theme();
    h.get_by_label("Add code to theme Finding a place").click();
    h.run();
    h.get_by_label("Why it matters > Belonging").click();
    h.run();
    let belonging = code_uuid(&h, "Belonging");
    assert_eq!(theme(&h, "Finding a place").unwrap().codes, vec![belonging]);
    assert!(h.query_by_label_contains("1 code · 0 codings").is_some());

    h.get_by_label("Remove Belonging from theme Finding a place")
        .click();
    h.run();
    assert!(theme(&h, "Finding a place").unwrap().codes.is_empty());
}

#[test]
fn status_and_definition_are_set_on_the_card() {
    let (_dir, mut h) = board_with_a_theme();
    h.get_by_label("Status of theme Finding a place").click();
    h.run();
    h.get_by_label("Reviewed").click();
    h.run();
    assert_eq!(
        theme(&h, "Finding a place").unwrap().status,
        ThemeStatus::Reviewed
    );

    h.get_by_label("Definition of theme Finding a place")
        .focus();
    h.run();
    h.get_by_label("Definition of theme Finding a place")
        .type_text("Being somewhere you are expected and missed.");
    h.run();
    // Saved on leaving the field (or after a pause).
    h.get_by_label("New theme").click();
    h.run();
    assert_eq!(
        theme(&h, "Finding a place").unwrap().definition,
        "Being somewhere you are expected and missed."
    );

    // Renamed on Enter.
    h.get_by_label("Name of theme Finding a place").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Name of theme Finding a place")
        .type_text("Being expected");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(theme(&h, "Being expected").is_some());
}

#[test]
fn a_code_in_dragged_code_is_added_when_released_over_a_card() {
    let (_dir, mut h) = board_with_a_theme();
    let confidence = code_uuid(&h, "Confidence");
    h.state_mut().shared.dragged_code = Some(confidence.clone());
    let card = h
        .get_by_label("Definition of theme Finding a place")
        .rect()
        .center();
    h.hover_at(card);
    h.run();
    h.drop_at(card);
    h.run();
    assert_eq!(
        theme(&h, "Finding a place").unwrap().codes,
        vec![confidence]
    );
    assert_eq!(h.state().shared.dragged_code, None);
}

#[test]
fn a_code_dragged_from_the_tree_lands_on_the_card() {
    let (_dir, mut h) = board_with_a_theme();
    h.get_by_label("Codes").click();
    h.run();
    let from = h.get_by_label("Belonging").rect().center();
    let to = h
        .get_by_label("Definition of theme Finding a place")
        .rect()
        .center();
    h.drag_at(from);
    h.run();
    for step in 1..=5 {
        h.hover_at(from + (to - from) * (step as f32 / 5.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
    let belonging = code_uuid(&h, "Belonging");
    assert_eq!(theme(&h, "Finding a place").unwrap().codes, vec![belonging]);
    // The tree's code did not move.
    assert!(project(&h).code("Belonging").unwrap().parent.is_some());
}

#[test]
fn deleting_a_theme_asks_first() {
    let (_dir, mut h) = board_with_a_theme();
    h.get_by_label("Delete theme Finding a place").click();
    h.run();
    assert!(h.query_by_label("Delete theme Finding a place?").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(theme(&h, "Finding a place").is_some());
    h.get_by_label("Delete theme Finding a place").click();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    assert!(theme(&h, "Finding a place").is_none());
}
