//! Editing words selected in the story itself (issue 13): the words selected
//! in a story block are the ones cut, clarified or replaced, whatever is
//! selected in the transcript; each edit is one undoable change.

use crate::gui::shared::{CenterTab, Selection};
use crate::gui::tests::{bench_on_sample, harness};
use crate::gui::workbench::Workbench;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

pub(super) const PORCH: &str = "And I stood in that porch and I nearly turned round. I did. I had me hand on the door to go back out.";

/// Char range of `needle` in `text`.
pub(super) fn range(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect(needle);
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

/// A P01 story with the porch passage as its one block; the transcript
/// selection left on "And I stood in that porch and I nearly turned round."
/// (the case). Returns the harness, the story and the document uuid.
pub(super) fn porch_story() -> (tempfile::TempDir, Harness<'static, Workbench>, String) {
    let (dir, mut bench) = bench_on_sample();
    let story = bench
        .shared
        .act(|p| p.create_story("P01", "The porch"))
        .expect("story");
    bench.stories.story = Some(story.clone());
    bench.shared.center = CenterTab::Stories;
    let doc = bench.shared.read(|p| p.document("P01")).expect("P01");
    let mut h = harness(bench);
    let (start, end) = range(&doc.text, PORCH);
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end,
    });
    h.run();
    h.get_by_label("Add selection as excerpt").click();
    h.run();
    let (start, end) = range(
        &doc.text,
        "And I stood in that porch and I nearly turned round.",
    );
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end,
    });
    h.run();
    (dir, h, story)
}

/// Selects `words` in block `n`'s text with the keyboard, as a user would:
/// into the text, to its start, right to the words, then Shift+Right over them.
pub(super) fn select_in_block(
    h: &mut Harness<'static, Workbench>,
    n: usize,
    block_text: &str,
    words: &str,
) {
    let (a, b) = range(block_text, words);
    h.get_by_label(&format!("Block {n} text")).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    h.run();
    for _ in 0..a {
        h.key_press(Key::ArrowRight);
    }
    h.run();
    for _ in a..b {
        h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    }
    h.run();
}

pub(super) fn story_text(h: &Harness<'static, Workbench>, story: &str) -> Vec<String> {
    let p = h.state().shared.project.as_ref().expect("project");
    p.render_story_research(story)
        .expect("render")
        .paragraphs
        .iter()
        .map(|p| p.text())
        .collect()
}

#[test]
fn cut_selected_words_cuts_the_words_selected_in_the_story() {
    let (_dir, mut h, story) = porch_story();
    let before = story_text(&h, &story);
    assert_eq!(before, vec![PORCH.to_owned()]);
    select_in_block(&mut h, 1, &before[0], "I did.");
    assert!(
        h.query_by_label_contains("Words: “I did.” (block 1, selected in the story)")
            .is_some(),
        "the bar names the story selection"
    );
    h.get_by_label("Cut selected words").click();
    h.run();
    let after = story_text(&h, &story);
    assert_eq!(
        after,
        vec![
            "And I stood in that porch and I nearly turned round. … I had me hand on the door to go back out."
                .to_owned()
        ]
    );
    let p = h.state().shared.project.as_ref().expect("project");
    assert!(!p.check_story(&story, None).expect("check").has_errors());
    // One undo brings the words back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), before);
}

#[test]
fn a_cut_that_leaves_a_fragment_offers_the_sentence_end() {
    let (_dir, mut h, story) = porch_story();
    let before = story_text(&h, &story);
    select_in_block(&mut h, 1, &before[0], "I did. I had me hand");
    h.get_by_label("Cut selected words").click();
    h.run();
    assert!(
        h.query_by_label_contains("would leave “on the door to go back out.”")
            .is_some(),
        "the offer names the fragment"
    );
    // Nothing is cut until the researcher answers.
    assert_eq!(story_text(&h, &story), before);
    h.get_by_label("Cut to the sentence end").click();
    h.run();
    assert_eq!(
        story_text(&h, &story),
        vec!["And I stood in that porch and I nearly turned round.".to_owned()]
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), before);
    // The other answer cuts only the selected words.
    select_in_block(&mut h, 1, &before[0], "And I stood in that porch");
    h.get_by_label("Cut selected words").click();
    h.run();
    h.get_by_label("Cut only the selected words").click();
    h.run();
    assert_eq!(
        story_text(&h, &story),
        vec![
            "… and I nearly turned round. I did. I had me hand on the door to go back out."
                .to_owned()
        ]
    );
}

#[test]
fn clarify_and_replace_act_on_the_story_selection_with_the_guards() {
    let (_dir, mut h, story) = porch_story();
    let before = story_text(&h, &story);
    select_in_block(&mut h, 1, &before[0], "that porch");
    h.get_by_label("Clarify…").click();
    h.run();
    h.get_by_label("Clarification:").focus();
    h.run();
    h.get_by_label("Clarification:")
        .type_text("at the church hall");
    h.run();
    h.get_by_label("Insert after selection").click();
    h.run();
    let text = story_text(&h, &story)[0].clone();
    assert!(
        text.starts_with("And I stood in that porch [at the church hall] and I nearly"),
        "{text}"
    );
    // A replacement of a whole clause is refused, and says why.
    let now = story_text(&h, &story)[0].clone();
    select_in_block(&mut h, 1, &now, "I had me hand on the door to go back out.");
    h.get_by_label("Replace…").click();
    h.run();
    h.get_by_label("Replace with:").focus();
    h.run();
    h.get_by_label("Replace with:").type_text("the hall door");
    h.run();
    h.get_by_label("Replace selection").click();
    h.run();
    assert_eq!(story_text(&h, &story)[0], now, "nothing replaced");
    assert!(
        h.state().shared.notices.iter().any(|n| n.error),
        "the refusal is shown"
    );
    // A short detail may be replaced.
    select_in_block(&mut h, 1, &now, "the door");
    if h.query_by_label("Replace selection").is_none() {
        h.get_by_label("Replace…").click();
        h.run();
    }
    h.get_by_label("Replace selection").click();
    h.run();
    let text = story_text(&h, &story)[0].clone();
    assert!(text.contains("hand on [the hall door] to go"), "{text}");
}

/// The porch story with a second block, "Now I know she says that to everybody."
pub(super) fn two_blocks() -> (tempfile::TempDir, Harness<'static, Workbench>, String) {
    let (dir, mut h, story) = porch_story();
    let doc = h
        .state_mut()
        .shared
        .read(|p| p.document("P01"))
        .expect("P01");
    let later = "Now I know she says that to everybody.";
    let (start, end) = range(&doc.text, later);
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end,
    });
    h.run();
    h.get_by_label("Add selection as excerpt").click();
    h.run();
    (dir, h, story)
}

#[test]
fn alt_arrows_move_the_block_being_read() {
    let (_dir, mut h, story) = two_blocks();
    let texts = story_text(&h, &story);
    assert_eq!(texts.len(), 2);
    h.get_by_label("Block 2 text").click();
    h.run();
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    h.run();
    let moved = story_text(&h, &story);
    assert!(moved[0].contains("says that to everybody"), "{moved:?}");
    // The block keeps the keyboard: Alt+Down takes it back.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    h.run();
    assert_eq!(story_text(&h, &story), texts);
}

#[test]
fn a_block_dragged_onto_another_takes_its_place() {
    let (_dir, mut h, story) = two_blocks();
    let texts = story_text(&h, &story);
    let from = h.get_by_label("Drag block 2").rect().center();
    let to = h.get_by_label("Block 1 text").rect().center();
    h.drag_at(from);
    h.run();
    for step in 1..=5 {
        h.hover_at(from + (to - from) * (step as f32 / 5.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
    // The words swap places (the gap marks follow the new order).
    let bare = |v: Vec<String>| -> Vec<String> {
        v.iter()
            .map(|t| t.trim_start_matches("… ").to_owned())
            .collect()
    };
    let moved = bare(story_text(&h, &story));
    let was = bare(texts.clone());
    assert_eq!(moved, vec![was[1].clone(), was[0].clone()]);
    // One change: one undo puts it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), texts);
}

fn slice(text: &str, (s, e): (usize, usize)) -> String {
    text.chars().skip(s).take(e - s).collect()
}

#[test]
fn the_transcript_shows_which_words_the_story_keeps_and_cuts() {
    let (_dir, mut h, _story) = porch_story();
    let doc = h
        .state_mut()
        .shared
        .read(|p| p.document("P01"))
        .expect("P01");
    let words = |h: &Harness<'static, Workbench>| {
        h.state()
            .stories
            .transcript
            .story_words
            .clone()
            .expect("the story's words are shown")
    };
    let w = words(&h);
    assert_eq!(w.document, doc.uuid);
    assert_eq!(w.kept, vec![range(&doc.text, PORCH)]);
    let cut: Vec<String> = w.cut.iter().map(|&r| slice(&doc.text, r)).collect();
    assert!(cut.iter().any(|c| c.contains("Warming up")), "{cut:?}");
    assert!(cut.iter().any(|c| c.contains("it was Jean")), "{cut:?}");
    // Only the storyteller's words: the interviewer's question is neither.
    let question = range(&doc.text, "Tell me about that. Walking in.");
    assert!(
        w.cut
            .iter()
            .chain(&w.kept)
            .all(|&(s, e)| e <= question.0 || s >= question.1)
    );
    assert!(
        h.query_by_label_contains("% of their words here kept")
            .is_some()
    );
    // A cut shows at once: "I did." is no longer kept.
    select_in_block(&mut h, 1, PORCH, "I did.");
    h.get_by_label("Cut selected words").click();
    h.run();
    let w = words(&h);
    assert_eq!(w.kept.len(), 2);
    let did = range(&doc.text, "I did. I had me hand");
    assert!(
        w.cut.iter().any(|&(s, e)| s == did.0 && e == did.0 + 5),
        "{:?}",
        w.cut
            .iter()
            .map(|&r| slice(&doc.text, r))
            .collect::<Vec<_>>()
    );
    // The toggle hides it.
    h.get_by_label("Show kept and cut words").click();
    h.run();
    assert!(h.state().stories.transcript.story_words.is_none());
}
