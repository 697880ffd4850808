//! kittest: each correction of who spoke, driven in the window by label,
//! checked in the project, then undone with Ctrl+Z and checked again.

use crate::gui::Workbench;
use crate::gui::shared::{CenterTab, Selection};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::stories::consent::SendMethod;
use storyloom_project::{DocumentText, ImportOutcome, Project, Role};

/// An interview where the importer got one thing wrong: Bea's second
/// question sits inside Kofi's turn, with a laugh marked in brackets.
const KOFI: &str = "Bea: Where did you grow up?\n\nKofi: In Kumasi, near the market.\nSo what brought you to Leeds?\nWork, in the end. [laughs] It always is.\n\nBea: And your family?\n\nKofi: My sister came later, in ninety-one.\n";

/// A window on a new project holding one imported file, open in the document view.
fn window(name: &str, text: &str) -> (tempfile::TempDir, Harness<'static, Workbench>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut p = Project::create(&dir.path().join("t.storyloom")).expect("project");
    let ImportOutcome::Imported { document, .. } =
        p.import_bytes(name, text.as_bytes()).expect("import")
    else {
        panic!("{name} was not imported");
    };
    let mut bench = Workbench::default();
    bench.no_native_dialogs = true;
    bench.set_project(p);
    bench.shared.open(&document);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    (dir, h, document)
}

fn project<'h>(h: &'h Harness<'_, Workbench>) -> &'h Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn doc(h: &Harness<'_, Workbench>, uuid: &str) -> DocumentText {
    project(h).document(uuid).expect("document")
}

/// (speaker, text, not speech) of every turn.
fn turns(h: &Harness<'_, Workbench>, uuid: &str) -> Vec<(String, String, bool)> {
    doc(h, uuid)
        .turns
        .into_iter()
        .map(|t| (t.speaker, t.text, t.non_speech))
        .collect()
}

fn char_range(d: &DocumentText, needle: &str) -> (usize, usize) {
    let b = d.text.find(needle).expect(needle);
    let s = d.text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn select(h: &mut Harness<'_, Workbench>, d: &DocumentText, range: (usize, usize)) {
    h.state_mut().shared.selection = Some(Selection {
        document: d.uuid.clone(),
        version: d.version,
        start: range.0,
        end: range.1,
    });
    h.run();
}

/// Ctrl+Z in the window.
fn undo(h: &mut Harness<'_, Workbench>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

/// Right-clicks the text of the turn that reads `text`.
fn right_click_text(h: &mut Harness<'_, Workbench>, text: &str) {
    h.get_by_label(text).click_secondary();
    h.run();
}

fn click(h: &mut Harness<'_, Workbench>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn click_button(h: &mut Harness<'_, Workbench>, label: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::Button, label)
        .click();
    h.run();
}

#[test]
fn renaming_a_speaker_commits_on_enter_and_undoes() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    let before = doc(&h, &uuid);
    h.get_by_label("Name of speaker Kofi").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Name of speaker Kofi")
        .type_text("Kofi Mensah");
    h.run();
    // Nothing is renamed while typing.
    assert!(
        project(&h)
            .speakers(&uuid)
            .unwrap()
            .iter()
            .any(|s| s.label == "Kofi")
    );
    h.key_press(Key::Enter);
    h.run();
    let names: Vec<String> = project(&h)
        .speakers(&uuid)
        .unwrap()
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert!(names.contains(&"Kofi Mensah".to_owned()), "{names:?}");
    assert!(h.query_by_label("Name of speaker Kofi Mensah").is_some());
    assert_eq!(
        doc(&h, &uuid).text,
        before.text,
        "the text keeps its labels"
    );
    undo(&mut h);
    let names: Vec<String> = project(&h)
        .speakers(&uuid)
        .unwrap()
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert!(names.contains(&"Kofi".to_owned()), "one undo: {names:?}");
}

#[test]
fn a_turn_goes_to_another_speaker_from_its_header_and_back() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    let before = turns(&h, &uuid);
    // Turn 2 is Bea's "And your family?": say Kofi said it, then undo.
    click(&mut h, "Turn 2: Bea");
    click(&mut h, "Give this turn to");
    click_button(&mut h, "Kofi");
    let after = turns(&h, &uuid);
    assert_eq!(after[2].0, "Kofi", "{after:?}");
    assert_eq!(after.len(), before.len());
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
}

#[test]
fn the_paragraph_under_a_selection_goes_to_a_new_speaker_in_one_change() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    let before = turns(&h, &uuid);
    let d = doc(&h, &uuid);
    // Two words of the middle line are enough.
    let r = char_range(&d, "brought you");
    select(&mut h, &d, r);
    right_click_text(&mut h, &before[1].1);
    click(&mut h, "Give the selected paragraphs to");
    h.get_by_label("New speaker's name").focus();
    h.get_by_label("New speaker's name")
        .type_text("Second interviewer");
    h.run();
    click(&mut h, "Give to new speaker");
    let after = turns(&h, &uuid);
    assert_eq!(
        after[2],
        (
            "Second interviewer".to_owned(),
            "So what brought you to Leeds?".to_owned(),
            false
        ),
        "{after:?}"
    );
    assert_eq!(after[1].1, "In Kumasi, near the market.");
    assert_eq!(after[3].1, "Work, in the end. [laughs] It always is.");
    assert_eq!(doc(&h, &uuid).text, d.text, "the text never changes");
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
    assert!(
        !project(&h)
            .speakers(&uuid)
            .unwrap()
            .iter()
            .any(|s| s.label == "Second interviewer"),
        "the new speaker went with the undo"
    );
}

#[test]
fn split_at_the_cursor_then_merge_back_each_undoes() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    let before = turns(&h, &uuid);
    let d = doc(&h, &uuid);
    let at = char_range(&d, "So what brought").0;
    select(&mut h, &d, (at, at));
    click(&mut h, "Turn 1: Kofi");
    click(&mut h, "Split this turn at the cursor");
    let after = turns(&h, &uuid);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[1].1, "In Kumasi, near the market.");
    assert!(after[2].1.starts_with("So what brought"), "{after:?}");
    assert_eq!(after[2].0, "Kofi");
    // Merge the new turn back into the one before it.
    click(&mut h, "Turn 2: Kofi");
    click(&mut h, "Merge with the turn before");
    assert_eq!(turns(&h, &uuid), before);
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), after, "undo takes back the merge only");
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
    // From a selection's menu, the split falls at the selection's start.
    let at = char_range(&d, "Work, in the end").0;
    select(&mut h, &d, (at, at + 4));
    right_click_text(&mut h, &before[1].1);
    click(&mut h, "Split the turn here");
    let split = turns(&h, &uuid);
    assert!(split[2].1.starts_with("Work, in the end"), "{split:?}");
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
}

#[test]
fn selected_words_and_whole_turns_become_non_speech() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    let before = turns(&h, &uuid);
    let d = doc(&h, &uuid);
    select(&mut h, &d, char_range(&d, "[laughs]"));
    right_click_text(&mut h, &before[1].1);
    click(&mut h, "Mark the selection as not speech");
    let after = turns(&h, &uuid);
    assert!(
        after.contains(&("(not speech)".to_owned(), "[laughs]".to_owned(), true)),
        "{after:?}"
    );
    assert!(after.iter().any(|t| t.1 == "It always is." && !t.2));
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
    click(&mut h, "Turn 3: Kofi");
    click(&mut h, "Mark this turn as not speech");
    assert!(turns(&h, &uuid)[3].2);
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
}

#[test]
fn alternating_speakers_from_a_turn_in_an_unlabelled_file() {
    let text = "Tape two, side A.\n\nWhat was the mill like?\n\nLoud. You couldn't hear yourself think.\n\nDid you mind?\n\nNot after the first week.\n\nAnd the pay?\n\nBetter than the farm, anyway.\n";
    let (_d, mut h, uuid) = window("mill.txt", text);
    let before = turns(&h, &uuid);
    let speakers = project(&h).speakers(&uuid).unwrap();
    let question = before
        .iter()
        .position(|t| t.1.contains("What was the mill like?"))
        .expect("the first question is in a turn");
    let here = before[question].0.clone();
    let others: Vec<String> = speakers
        .iter()
        .map(|s| s.label.clone())
        .filter(|l| *l != here)
        .collect();
    let second = others
        .first()
        .cloned()
        .unwrap_or_else(|| "Speaker 2".to_owned());
    // Select the first question, then the menu on the text.
    let d = doc(&h, &uuid);
    select(&mut h, &d, char_range(&d, "What was the mill like?"));
    right_click_text(&mut h, &before[question].1);
    click(&mut h, "Alternate speakers from here");
    click(&mut h, &format!("{here}, then {second}"));
    let d = doc(&h, &uuid);
    let from = d
        .turns
        .iter()
        .position(|t| t.text == "What was the mill like?")
        .expect("one turn per paragraph");
    let who: Vec<&str> = d.turns[from..].iter().map(|t| t.speaker.as_str()).collect();
    let (a, b) = (here.as_str(), second.as_str());
    assert_eq!(who, [a, b, a, b, a, b], "{:?}", d.turns);
    assert_eq!(
        d.text,
        text.trim_end().to_owned() + &d.text[text.trim_end().len()..]
    );
    undo(&mut h);
    assert_eq!(turns(&h, &uuid), before);
}

#[test]
fn speakers_checked_shows_detection_marks_the_list_and_undoes() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    assert!(h.query_by_label("Speakers not checked").is_some());
    assert!(h.query_by_label_contains("Detection:").is_some());
    assert!(
        h.query_by_label("speakers unchecked").is_some(),
        "the documents list marks it"
    );
    assert!(h.query_all_by_label_contains("(guessed)").next().is_some());
    click(&mut h, "Speakers checked");
    let c = project(&h).speakers_confirmed(&uuid).unwrap();
    assert!(c.is_some());
    assert!(
        h.query_all_by_label_contains("(guessed)").next().is_none(),
        "roles a person checked are no longer marked guessed"
    );
    assert!(h.query_by_label_contains("Speakers checked by").is_some());
    assert!(h.query_by_label("speakers unchecked").is_none());
    undo(&mut h);
    assert!(project(&h).speakers_confirmed(&uuid).unwrap().is_none());
    assert!(h.query_by_label("Speakers not checked").is_some());
}

/// Item 5 from the window: the story editor's checker names the unchecked
/// document; after "Speakers checked" in the document view the error is
/// gone, and approval is possible only then.
#[test]
fn the_story_editor_checker_knows_whether_speakers_were_checked() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    let d = doc(&h, &uuid);
    let r = char_range(&d, "My sister came later, in ninety-one.");
    let story = {
        let sh = &mut h.state_mut().shared;
        sh.act(|p| p.create_participant("P01", Some("Kofi Mensah"), None))
            .expect("participant");
        sh.act(|p| p.link_speaker(&uuid, "Kofi", Some("P01")))
            .expect("link");
        sh.act(|p| p.set_speaker_role(&uuid, "Kofi", Role::Participant))
            .expect("role");
        let story = sh.act(|p| p.create_story("P01", "Later")).expect("story");
        sh.act(|p| p.add_excerpt(&story, &uuid, r.0, r.1, None))
            .expect("excerpt");
        sh.act(|p| p.record_story_sent(&story, SendMethod::Post, None, None))
            .expect("sent");
        story
    };
    h.state_mut().stories.story = Some(story.clone());
    h.state_mut().shared.center = CenterTab::Stories;
    h.run();
    assert!(
        h.query_by_label_contains("nobody has checked who speaks in “kofi.txt”")
            .is_some()
    );
    let approve = |h: &mut Harness<'_, Workbench>| {
        let p = h.state_mut().shared.project.as_mut().expect("project");
        p.approve_story(&story, "in person", None, None)
    };
    let refused = approve(&mut h).expect_err("no approval before the speakers are checked");
    assert!(refused.to_string().contains("kofi.txt"), "{refused}");
    h.state_mut().shared.center = CenterTab::Document;
    h.run();
    click(&mut h, "Speakers checked");
    h.state_mut().shared.center = CenterTab::Stories;
    h.run();
    assert!(
        h.query_by_label_contains("nobody has checked who speaks")
            .is_none()
    );
    let findings = project(&h).check_story(&story, None).unwrap().findings;
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == 1 && f.message.contains("nobody")),
        "{findings:?}"
    );
    approve(&mut h).expect("approved once the speakers are checked");
}

/// A correction after "Speakers checked" withdraws the check, and the strip
/// says which correction did; Ctrl+Z takes the correction back and the check
/// returns.
#[test]
fn a_correction_after_the_check_withdraws_it_and_the_strip_says_why() {
    let (_d, mut h, uuid) = window("kofi.txt", KOFI);
    click(&mut h, "Speakers checked");
    assert!(h.query_by_label_contains("Speakers checked by").is_some());
    h.get_by_label("Name of speaker Kofi").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Name of speaker Kofi").type_text("Kofi M");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run();
    assert!(project(&h).speakers_confirmed(&uuid).unwrap().is_none());
    assert!(h.query_by_label("Speakers not checked").is_some());
    let me = project(&h).actor().to_owned();
    let why = h
        .query_by_label_contains(&format!(
            "Checked by {me}, then withdrawn by a correction ({me}, "
        ))
        .is_some()
        && h.query_by_label_contains("): Kofi in kofi.txt renamed Kofi M. Check the rest")
            .is_some();
    assert!(why, "the strip says which correction withdrew the check");
    undo(&mut h);
    assert!(project(&h).speakers_confirmed(&uuid).unwrap().is_some());
    assert!(h.query_by_label_contains("Speakers checked by").is_some());
    assert!(
        h.query_by_label_contains("then withdrawn by a correction")
            .is_none()
    );
}
