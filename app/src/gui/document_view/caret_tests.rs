//! kittest tests of selecting from the keyboard: Shift+arrows by character,
//! Ctrl+Shift+arrows by word, Ctrl+Shift+Down by sentence, then coding the
//! selection with a number key.

use super::super::Workbench;
use super::super::shared::Selection;
use super::super::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use storyloom_project::DocumentText;

const CTRL_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

fn open(h: &mut Harness<'_, Workbench>, name: &str) -> DocumentText {
    let p = h.state().shared.project.as_ref().unwrap();
    let doc = p
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap();
    let text = p.document(&doc.uuid).unwrap();
    h.state_mut().shared.open(&doc.uuid);
    h.run();
    text
}

/// The selected text.
fn selected(h: &Harness<'_, Workbench>, doc: &DocumentText) -> String {
    let s = h.state().shared.selection.clone().expect("a selection");
    doc.text
        .chars()
        .skip(s.start)
        .take(s.end - s.start)
        .collect()
}

fn press(h: &mut Harness<'_, Workbench>, m: Modifiers, k: Key) {
    h.key_press_modifiers(m, k);
    h.run();
}

#[test]
fn shift_arrows_select_by_character_word_and_sentence_and_a_number_codes_it() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let byte = doc.text.find("came to hear about the choir").unwrap();
    let start = doc.text[..byte].chars().count();
    // "came" selected; Left puts the caret before it.
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end: start + 4,
    });
    h.run();
    press(&mut h, Modifiers::NONE, Key::ArrowLeft);
    assert!(
        h.state().shared.selection.is_none(),
        "arrows move the caret"
    );
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    assert_eq!(selected(&h, &doc), "c");
    press(&mut h, CTRL_SHIFT, Key::ArrowRight);
    assert_eq!(selected(&h, &doc), "came");
    press(&mut h, CTRL_SHIFT, Key::ArrowRight);
    press(&mut h, CTRL_SHIFT, Key::ArrowRight);
    assert_eq!(selected(&h, &doc), "came to hear");
    press(&mut h, CTRL_SHIFT, Key::ArrowLeft);
    assert_eq!(selected(&h, &doc), "came to ");
    press(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    assert_eq!(selected(&h, &doc), "came to");
    // To the end of the sentence.
    press(&mut h, CTRL_SHIFT, Key::ArrowDown);
    assert_eq!(selected(&h, &doc), "came to hear about the choir?");
    // Ctrl+Shift+Down selected; it did not jump to the next turn.
    assert_eq!(
        h.state().shared.open_document.as_deref(),
        Some(doc.uuid.as_str())
    );

    // 1 codes the selection, exactly as selected.
    let belonging = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .codes()
        .unwrap()
        .into_iter()
        .find(|c| c.name() == "Belonging")
        .unwrap()
        .uuid;
    h.state_mut().shared.used_code(&belonging);
    press(&mut h, Modifiers::NONE, Key::Num1);
    let codings = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .codings(Some(&belonging), None, None)
        .unwrap();
    assert_eq!(codings.len(), 1);
    assert_eq!(codings[0].quote, "came to hear about the choir?");
}
