//! Every kind of field that saves as you type, driven as a person would:
//! type, then at once click somewhere else (another field, another coding,
//! another panel) or close the window. The text is in the project, as one
//! history entry.

use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Event, Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{AttributeKind, CodingRequest, MemoTarget, Project};

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("project")
}

fn history_len(h: &Harness<'static, Workbench>) -> usize {
    project(h).history().expect("history").len()
}

/// Focuses a field, selects all of it and types `text` one key a frame,
/// as a person types, with no pause after the last key.
fn type_in(h: &mut Harness<'static, Workbench>, label: &str, text: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    for c in text.chars() {
        h.event(Event::Text(c.to_string()));
        h.step();
    }
}

/// Clicks a widget at once (no pause), and lets the window draw twice.
fn click_at_once(h: &mut Harness<'static, Workbench>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    h.step();
}

fn close_window(h: &mut Harness<'static, Workbench>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
}

#[test]
fn a_memo_edited_in_the_memos_panel_survives_a_click_away_and_a_panel_switch() {
    let (_dir, mut bench) = bench_on_sample();
    let memo = bench
        .shared
        .act(|p| p.add_memo(&MemoTarget::Project, "Names matter", "First thoughts."))
        .expect("memo");
    let mut h = harness(bench);
    h.get_by_label("Memos & journal").click();
    h.run();
    h.get_by_label("Edit memo Names matter").click();
    h.run();
    let before = history_len(&h);
    type_in(&mut h, "Text", "Greeted by name in every choir interview.");
    // Another field of the panel, at once.
    click_at_once(&mut h, "Memo title");
    let m = &project(&h).memos(Some(&MemoTarget::Project)).unwrap()[0];
    assert_eq!(m.uuid, memo);
    assert_eq!(m.body, "Greeted by name in every choir interview.");
    assert_eq!(history_len(&h), before + 1, "one entry for the edit");

    // The title, then another panel at once.
    type_in(&mut h, "Title", "Being known by name");
    click_at_once(&mut h, "Themes");
    let m = &project(&h).memos(Some(&MemoTarget::Project)).unwrap()[0];
    assert_eq!(m.title, "Being known by name");
    assert_eq!(history_len(&h), before + 2);
}

#[test]
fn a_coding_memo_is_kept_when_another_coding_is_picked_at_once() {
    let (_dir, mut bench) = bench_on_sample();
    let (doc, first, second) = bench
        .shared
        .act(|p| {
            let doc = p.documents()?[0].uuid.clone();
            let mut coding = |code: &str, start, end| {
                p.add_coding(&CodingRequest {
                    code,
                    document: &doc,
                    start,
                    end,
                    version: None,
                })
            };
            let first = coding("Belonging", 10, 60)?;
            let second = coding("Confidence", 80, 140)?;
            Ok((doc.clone(), first, second))
        })
        .expect("codings");
    bench.shared.open(&doc);
    bench.shared.selected_coding = Some(first.clone());
    let mut h = harness(bench);
    let before = history_len(&h);
    type_in(&mut h, "Coding memo", "Humour to set the tone.");
    // The reported loss: another coding picked before any Save.
    h.state_mut().shared.selected_coding = Some(second.clone());
    h.step();
    h.step();
    let memos = project(&h)
        .memos(Some(&MemoTarget::Coding(first.clone())))
        .unwrap();
    assert_eq!(memos.len(), 1);
    assert_eq!(memos[0].body, "Humour to set the tone.");
    assert!(memos[0].title.contains("Belonging"), "{}", memos[0].title);
    assert_eq!(history_len(&h), before + 1, "one entry for the memo");

    // Typing on the second coding's memo, then closing the window at once.
    h.run();
    type_in(&mut h, "Coding memo", "Said twice.");
    close_window(&mut h);
    let memos = project(&h)
        .memos(Some(&MemoTarget::Coding(second)))
        .unwrap();
    assert_eq!(memos.len(), 1);
    assert_eq!(memos[0].body, "Said twice.");
    assert_eq!(history_len(&h), before + 2);

    // Back on the first: its memo is shown, and more typing edits it (no second memo).
    h.state_mut().shared.selected_coding = Some(first.clone());
    h.run();
    type_in(&mut h, "Coding memo", "Humour, and relief.");
    click_at_once(&mut h, "Memos & journal");
    let memos = project(&h).memos(Some(&MemoTarget::Coding(first))).unwrap();
    assert_eq!(memos.len(), 1);
    assert_eq!(memos[0].body, "Humour, and relief.");
    assert_eq!(history_len(&h), before + 3);
}

#[test]
fn a_theme_definition_is_kept_on_a_click_away() {
    let (_dir, mut bench) = bench_on_sample();
    bench
        .shared
        .act(|p| p.create_theme("Finding a place", ""))
        .expect("theme");
    let mut h = harness(bench);
    h.get_by_label("Themes").click();
    h.run();
    let before = history_len(&h);
    type_in(
        &mut h,
        "Definition of theme Finding a place",
        "Being somewhere you are expected and missed.",
    );
    click_at_once(&mut h, "New theme");
    let t = project(&h).themes().unwrap();
    assert_eq!(
        t[0].definition,
        "Being somewhere you are expected and missed."
    );
    assert_eq!(history_len(&h), before + 1);
}

#[test]
fn pack_settings_text_is_kept_on_a_click_away_and_when_the_window_is_closed() {
    let (_dir, mut bench) = bench_on_sample();
    bench.pack_settings.show_for(&mut bench.shared);
    let mut h = harness(bench);
    let before = history_len(&h);
    type_in(&mut h, "Workshop", "Hallbrook learning day");
    click_at_once(&mut h, "Purpose");
    assert_eq!(
        project(&h).pack_settings().unwrap().workshop,
        "Hallbrook learning day"
    );
    assert_eq!(history_len(&h), before + 1);

    type_in(&mut h, "Questions (one a line)", "What stands out?");
    h.key_press(Key::Enter);
    h.step();
    for c in "Who should hear this?".chars() {
        h.event(Event::Text(c.to_string()));
        h.step();
    }
    type_in(&mut h, "Researcher", "Dr Ana Costa");
    // The window's Done button at once: both fields are saved.
    click_at_once(&mut h, "Done");
    assert!(!h.state().pack_settings.open);
    let s = project(&h).pack_settings().unwrap();
    assert_eq!(s.questions, ["What stands out?", "Who should hear this?"]);
    assert_eq!(s.workshop, "Hallbrook learning day", "kept");
    let c = project(&h).story_check_settings().unwrap();
    assert_eq!(c.researcher, "Dr Ana Costa");
    assert_eq!(history_len(&h), before + 3, "one entry per field");
}

#[test]
fn a_pseudonym_replacement_is_kept_on_a_click_away() {
    let (_dir, mut bench) = bench_on_sample();
    bench
        .shared
        .act(|p| {
            p.set_pseudonym(
                "Hallbrook",
                "Ashford",
                storyloom_project::stories::PseudonymKind::Place,
                true,
            )
        })
        .expect("entry");
    bench.shared.center = CenterTab::Pseudonyms;
    let mut h = harness(bench);
    let before = history_len(&h);
    type_in(&mut h, "Replacement for Hallbrook", "Ashford Vale");
    click_at_once(&mut h, "Find a name");
    let e = project(&h)
        .pseudonyms()
        .unwrap()
        .into_iter()
        .find(|e| e.original == "Hallbrook")
        .expect("entry");
    assert_eq!(e.replacement, "Ashford Vale");
    assert!(e.confirmed, "the rest of the entry is kept");
    assert_eq!(history_len(&h), before + 1);
}

#[test]
fn participant_attribute_text_is_kept_on_a_click_away() {
    let (_dir, mut bench) = bench_on_sample();
    bench
        .shared
        .act(|p| p.define_attribute("occupation", AttributeKind::Text, &[]))
        .expect("attribute");
    let mut h = harness(bench);
    h.get_by_label("Participants").click();
    h.run();
    let before = history_len(&h);
    type_in(&mut h, "occupation of P01", "retired bus driver");
    click_at_once(&mut h, "New participant id");
    let p = project(&h)
        .participants()
        .unwrap()
        .into_iter()
        .find(|p| p.id == "P01")
        .expect("P01");
    let value = p
        .attributes
        .iter()
        .find(|(n, _)| n == "occupation")
        .map(|(_, v)| v.as_str());
    assert_eq!(value, Some("retired bus driver"));
    assert_eq!(history_len(&h), before + 1);

    // A name cell, then another panel at once.
    type_in(&mut h, "pseudonym of P02", "Mina");
    click_at_once(&mut h, "Themes");
    let p = project(&h)
        .participants()
        .unwrap()
        .into_iter()
        .find(|p| p.id == "P02")
        .expect("P02");
    assert_eq!(p.pseudonym.as_deref(), Some("Mina"));
    assert_eq!(history_len(&h), before + 2);
}
