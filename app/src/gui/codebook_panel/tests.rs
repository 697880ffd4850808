//! The codebook tree and the selected code's details, driven through the window.

use crate::gui::Workbench;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{Code, Project};

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn code(h: &Harness<'static, Workbench>, key: &str) -> Option<Code> {
    project(h).code(key).ok()
}

/// The window with the navigator on its "Codes" tab.
fn on_codes() -> (tempfile::TempDir, Harness<'static, Workbench>) {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.get_by_label("Codes").click();
    h.run();
    (dir, h)
}

/// Replaces the text of a labelled field and presses Enter.
fn retype(h: &mut Harness<'static, Workbench>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Scrolls a widget of the details area into view and clicks it.
fn click(h: &mut Harness<'static, Workbench>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

#[test]
fn a_new_code_is_created_from_the_panel_and_shown_in_the_tree() {
    let (_dir, mut h) = on_codes();
    retype(&mut h, "New code", "Tea and biscuits");
    h.get_by_label("Add").click();
    h.run();
    let c = code(&h, "Tea and biscuits").expect("created");
    assert_eq!(c.parent, None);
    assert!(h.state().codebook.new_name.is_empty());
    assert!(h.query_by_label("Tea and biscuits").is_some());

    // As a sub-code of the selected code, with Enter.
    h.get_by_label("Confidence").click();
    h.run();
    let confidence = code(&h, "Confidence").unwrap().uuid;
    assert_eq!(
        h.state().shared.selected_code.as_deref(),
        Some(confidence.as_str())
    );
    h.get_by_label("as sub-code of Confidence").click();
    h.run();
    retype(&mut h, "New code", "Speaking up");
    h.key_press(Key::Enter);
    h.run();
    let c = code(&h, "Speaking up").expect("created with Enter");
    assert_eq!(c.parent.as_deref(), Some(confidence.as_str()));
    assert!(h.query_by_label("Speaking up").is_some());
}

#[test]
fn the_selected_code_is_renamed_recoloured_and_described() {
    let (_dir, mut h) = on_codes();
    h.get_by_label("Confidence").click();
    h.run();
    let uuid = code(&h, "Confidence").unwrap().uuid;

    retype(&mut h, "Code name", "Self-confidence");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(code(&h, &uuid).unwrap().name(), "Self-confidence");
    assert!(h.query_by_label("Self-confidence").is_some());

    // The hex field calls the same `set_code_color` as the colour picker.
    retype(&mut h, "Hex colour", "#123456");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(code(&h, &uuid).unwrap().color, "#123456");
    retype(&mut h, "Hex colour", "not a colour");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(code(&h, &uuid).unwrap().color, "#123456");
    assert!(h.state().shared.notices.last().unwrap().error);

    retype(&mut h, "Definition", "Feeling able to do things again.");
    retype(&mut h, "When to use", "Trying something new, speaking up.");
    retype(&mut h, "When not to use", "Hopes only.");
    // Saved as typed: after a pause, without a Save button.
    for _ in 0..8 {
        h.step();
    }
    let c = code(&h, &uuid).unwrap();
    assert_eq!(c.definition, "Feeling able to do things again.");
    assert_eq!(c.when_to_use, "Trying something new, speaking up.");
    assert_eq!(c.when_not, "Hopes only.");
}

#[test]
fn deleting_asks_first_and_undo_brings_the_code_back() {
    let (_dir, mut h) = on_codes();
    h.get_by_label("What changed").click();
    h.run();
    click(&mut h, "Delete code…");
    assert!(
        h.query_by_label("Delete code What changed and its 3 sub-codes?")
            .is_some()
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert!(code(&h, "What changed").is_some());
    assert!(h.query_by_label("Delete").is_none());

    // From the context menu this time.
    h.get_by_label("What changed").click_secondary();
    h.run();
    h.get_by_label("Delete…").click();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    assert!(code(&h, "What changed").is_none());
    assert!(code(&h, "Routine and purpose").is_none());
    assert!(h.query_by_label("Routine and purpose").is_none());
    assert_eq!(h.state().shared.selected_code, None);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(code(&h, "What changed").is_some());
    assert_eq!(
        code(&h, "Routine and purpose").unwrap().path_string(),
        "What changed > Routine and purpose"
    );
    assert!(h.query_by_label("Routine and purpose").is_some());
}

#[test]
fn codes_are_merged_and_moved_to_the_top_level() {
    let (_dir, mut h) = on_codes();
    h.get_by_label("Transport and cost").click();
    h.run();
    click(&mut h, "Merge into");
    // The list is long: ask for the item the way a screen reader would.
    h.get_by_label("What helped or hindered > Waiting lists")
        .click_accesskit();
    h.run();
    click(&mut h, "Merge");
    assert!(code(&h, "Transport and cost").is_none());
    let waiting = code(&h, "Waiting lists").unwrap();
    assert_eq!(
        h.state().shared.selected_code.as_deref(),
        Some(waiting.uuid.as_str())
    );

    click(&mut h, "Move to top level");
    assert_eq!(code(&h, "Waiting lists").unwrap().parent, None);
    assert!(h.query_by_label("Collapse What changed").is_some());
    h.get_by_label("Collapse What changed").click();
    h.run();
    assert!(h.query_by_label("Confidence").is_none());
    h.get_by_label("Expand What changed").click();
    h.run();
    assert!(h.query_by_label("Confidence").is_some());
}

#[test]
fn dragging_a_code_onto_another_puts_it_underneath() {
    let (_dir, mut h) = on_codes();
    let from = h.get_by_label("Loss and loneliness").rect().center();
    let to = h.get_by_label("Why it matters").rect().center();
    h.drag_at(from);
    h.run();
    for step in 1..=4 {
        let t = step as f32 / 4.0;
        h.hover_at(from + (to - from) * t);
        h.run();
    }
    let loss = code(&h, "Loss and loneliness").unwrap().uuid;
    assert_eq!(
        h.state().shared.dragged_code.as_deref(),
        Some(loss.as_str())
    );
    h.drop_at(to);
    h.run();
    assert_eq!(
        code(&h, &loss).unwrap().path_string(),
        "Why it matters > Loss and loneliness"
    );
    assert_eq!(h.state().shared.dragged_code, None);
}

#[test]
fn a_code_becomes_a_category_and_back_and_a_coded_one_is_refused() {
    use super::details::CATEGORY_LABEL;
    let (_dir, mut h) = on_codes();
    // A new code: nothing coded with it yet.
    retype(&mut h, "New code", "Getting there");
    h.key_press(Key::Enter);
    h.run();
    // Last in the tree: scrolled into view first.
    click(&mut h, "Getting there");
    let uuid = code(&h, "Getting there").unwrap().uuid;
    assert!(code(&h, &uuid).unwrap().codable);
    let entries = project(&h).history().unwrap().len();
    click(&mut h, CATEGORY_LABEL);
    assert!(!code(&h, &uuid).unwrap().codable);
    assert_eq!(project(&h).history().unwrap().len(), entries + 1);
    assert!(h.query_by_label("category").is_some(), "marked in the tree");
    // Applying it is refused, with what to do instead.
    let doc = project(&h).documents().unwrap()[0].uuid.clone();
    let err = h
        .state_mut()
        .shared
        .project
        .as_mut()
        .unwrap()
        .add_coding(&storyloom_project::CodingRequest {
            document: &doc,
            code: &uuid,
            start: 0,
            end: 5,
            version: None,
        })
        .unwrap_err();
    assert!(
        matches!(err, storyloom_project::Error::Refused(_)),
        "{err:?}"
    );
    assert!(err.to_string().contains("is a category"), "{err}");

    // Undo makes it codable again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(code(&h, &uuid).unwrap().codable);
    assert!(h.query_by_label("category").is_none());

    // A code with codings cannot become a category: refused, said why.
    {
        let p = h.state_mut().shared.project.as_mut().unwrap();
        let doc = p.documents().unwrap()[0].uuid.clone();
        let text = p.document(&doc).unwrap().text;
        let start = text.find(char::is_alphabetic).unwrap();
        let start = text[..start].chars().count();
        p.add_coding(&storyloom_project::CodingRequest {
            document: &doc,
            code: "Confidence",
            start,
            end: start + 3,
            version: None,
        })
        .expect("a coding");
    }
    h.state_mut().shared.revision += 1;
    h.run();
    let coded = code(&h, "Confidence").unwrap();
    click(&mut h, coded.name());
    let entries = project(&h).history().unwrap().len();
    click(&mut h, CATEGORY_LABEL);
    assert!(code(&h, &coded.uuid).unwrap().codable);
    assert_eq!(project(&h).history().unwrap().len(), entries);
    let notice = h.state().shared.notices.last().unwrap();
    assert!(
        notice.error && notice.text.contains("cannot become a category"),
        "{}",
        notice.text
    );
}
