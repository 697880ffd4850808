//! Fields that save as you type: one history entry per edit session, and
//! nothing typed is lost when the user moves on or closes the window.

use super::{IDLE_SECS, TextField};
use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Event, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};

/// A harness on the story editor with a fresh story open.
fn on_story() -> (tempfile::TempDir, Harness<'static, Workbench>, String) {
    let (dir, mut bench) = bench_on_sample();
    let story = bench
        .shared
        .act(|p| p.create_story("P01", "First title"))
        .expect("story");
    bench.stories.story = Some(story.clone());
    bench.shared.center = CenterTab::Stories;
    (dir, harness(bench), story)
}

fn history_len(h: &Harness<'static, Workbench>) -> usize {
    let p = h.state().shared.project.as_ref().expect("project");
    p.history().expect("history").len()
}

fn title(h: &Harness<'static, Workbench>, story: &str) -> String {
    let p = h.state().shared.project.as_ref().expect("project");
    p.story(story).expect("story").title
}

/// Focuses a field, selects all of it and types `word` one key at a time
/// (a frame each, as a person types), without waiting for the idle save.
fn type_word(h: &mut Harness<'static, Workbench>, label: &str, word: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    for c in word.chars() {
        h.event(Event::Text(c.to_string()));
        h.step();
    }
}

/// Whether some widget shows `text` as its value (a field, or a label
/// showing the same text).
fn shows(h: &Harness<'static, Workbench>, text: &str) -> bool {
    h.query_all_by_value(text).next().is_some()
}

/// Frames covering `secs` of time (the harness advances 1/4 s a frame).
fn wait(h: &mut Harness<'static, Workbench>, secs: f64) {
    for _ in 0..(secs * 4.0).ceil() as usize {
        h.step();
    }
}

#[test]
fn typing_a_word_saves_it_once_after_a_pause() {
    let (_dir, mut h, story) = on_story();
    let before = history_len(&h);
    type_word(&mut h, "Title", "Getting out again");
    // Still typing: nothing written per key.
    assert_eq!(history_len(&h), before);
    assert_eq!(title(&h, &story), "First title");
    wait(&mut h, IDLE_SECS + 0.5);
    assert_eq!(title(&h, &story), "Getting out again");
    assert_eq!(history_len(&h), before + 1, "one entry for the word");
    // The field still has the keyboard and shows the text as typed.
    assert!(shows(&h, "Getting out again"));
    let field = TextField::singleline(("story-title", &story)).id();
    assert_eq!(
        h.state().shared.edits.text(field),
        Some("Getting out again")
    );
    // More waiting writes nothing more.
    wait(&mut h, IDLE_SECS * 2.0);
    assert_eq!(history_len(&h), before + 1);
    // Undo takes the whole word back, and the field follows.
    h.state_mut().undo();
    h.run();
    assert_eq!(title(&h, &story), "First title");
    assert_eq!(h.state().shared.edits.text(field), Some("First title"));
}

#[test]
fn closing_the_window_before_the_pause_still_saves() {
    let (_dir, mut h, story) = on_story();
    let before = history_len(&h);
    type_word(&mut h, "Role line", "a retired bus driver");
    assert_eq!(history_len(&h), before);
    // The window's close button.
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let p = h.state().shared.project.as_ref().expect("project");
    assert_eq!(p.story(&story).unwrap().role_line, "a retired bus driver");
    assert_eq!(history_len(&h), before + 1);
}

#[test]
fn the_app_closing_saves_what_is_typed() {
    // eframe calls `save` and `on_exit` when the app closes: both flush.
    let (_dir, mut h, story) = on_story();
    type_word(&mut h, "Pseudonym", "Dot");
    let mut bench = h.into_state();
    bench.flush_edits();
    let p = bench.shared.project.as_ref().expect("project");
    assert_eq!(p.story(&story).unwrap().pseudonym, "Dot");
}

#[test]
fn enter_saves_at_once_and_switching_panel_saves_too() {
    let (_dir, mut h, story) = on_story();
    let before = history_len(&h);
    type_word(&mut h, "Title", "The bus pass");
    h.key_press(Key::Enter);
    h.step();
    assert_eq!(title(&h, &story), "The bus pass");
    assert_eq!(history_len(&h), before + 1);

    type_word(&mut h, "Title", "Moss Lane days");
    // Another tab before the pause: the field is gone, the text is saved.
    h.get_by_label("Memos & journal").click();
    h.step();
    h.step();
    assert_eq!(title(&h, &story), "Moss Lane days");
    assert_eq!(history_len(&h), before + 2);
    h.get_by_label("Stories").click();
    h.run();
    assert!(shows(&h, "Moss Lane days"));
}

#[test]
fn a_refused_text_is_kept_and_refused_once() {
    let (_dir, mut bench) = bench_on_sample();
    let confidence = bench
        .shared
        .read(|p| p.codes())
        .expect("codes")
        .into_iter()
        .find(|c| c.name() == "Confidence")
        .expect("Confidence");
    bench.shared.selected_code = Some(confidence.uuid.clone());
    bench.nav = crate::gui::workbench::NavTab::Codes;
    let mut h = harness(bench);
    // A sibling's name: the rename is refused.
    type_word(&mut h, "Code name", "Routine and purpose");
    h.key_press(Key::Enter);
    h.step();
    let errors = |h: &Harness<'static, Workbench>| {
        h.state().shared.notices.iter().filter(|n| n.error).count()
    };
    assert_eq!(errors(&h), 1, "{:?}", h.state().shared.notices);
    wait(&mut h, IDLE_SECS * 3.0);
    // Leaving the panel does not try the same text again.
    h.get_by_label("Memos & journal").click();
    h.step();
    h.step();
    assert_eq!(errors(&h), 1, "a refusal is not repeated");
    // The typed text is still there to correct.
    h.get_by_label("Document").click();
    h.run();
    let field = TextField::singleline(("code-name", &confidence.uuid)).id();
    assert_eq!(
        h.state().shared.edits.text(field),
        Some("Routine and purpose")
    );
    assert!(h.state().shared.edits.unsaved(field));
    let p = h.state().shared.project.as_ref().expect("project");
    let c = p.codes().expect("codes");
    assert!(
        c.iter()
            .any(|c| c.uuid == confidence.uuid && c.name() == "Confidence")
    );
}

#[test]
fn a_code_description_is_saved_as_typed_one_entry_per_field() {
    let (_dir, mut bench) = bench_on_sample();
    let uuid = bench
        .shared
        .read(|p| p.codes())
        .expect("codes")
        .into_iter()
        .find(|c| c.name() == "Confidence")
        .expect("Confidence")
        .uuid;
    bench.shared.selected_code = Some(uuid.clone());
    bench.nav = crate::gui::workbench::NavTab::Codes;
    let mut h = harness(bench);
    let before = history_len(&h);
    type_word(&mut h, "When not to use", "Hopes only.");
    wait(&mut h, IDLE_SECS + 0.5);
    // Picking another code before the pause saves this one.
    type_word(&mut h, "Definition", "Able to do things again.");
    let other = h
        .state_mut()
        .shared
        .read(|p| p.code("Belonging"))
        .expect("code");
    h.state_mut().shared.selected_code = Some(other.uuid);
    h.step();
    h.step();
    let p = h.state().shared.project.as_ref().expect("project");
    let c = p.code(&uuid).expect("code");
    assert_eq!(c.when_not, "Hopes only.");
    assert_eq!(c.definition, "Able to do things again.");
    assert_eq!(history_len(&h), before + 2);
}
