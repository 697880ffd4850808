//! Blocks edited in the story editor (issue 13): words selected by a mouse
//! drag in a block are the ones cut; a block splits before the words
//! selected in it and merges with the next; each edit is one undoable change.
//! Controls are found by their labels, as a screen reader would.

use super::word_edit_tests::{PORCH, porch_story, range, select_in_block, story_text};
use crate::gui::workbench::Workbench;
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

/// The screen point just inside the left edge of char `k` of block `n`'s
/// text (or just after its last char), from the text runs the block's text
/// field publishes (the same glyph positions a screen reader gets).
fn char_point(h: &Harness<'static, Workbench>, n: usize, k: usize) -> Pos2 {
    let label = format!("Block {n} text");
    let node = h.get_by_label(&label);
    let mut seen = 0;
    let mut end = None;
    for run in node.children() {
        let data = run.accesskit_node().data();
        if data.role() != egui::accesskit::Role::TextRun {
            continue;
        }
        let len = data.value().map_or(0, |v| v.chars().count());
        let pos = data.character_positions().unwrap_or(&[]);
        let widths = data.character_widths().unwrap_or(&[]);
        let rect = run.rect();
        assert_eq!(pos.len(), len, "one position per char");
        if k < seen + len {
            return Pos2::new(rect.min.x + pos[k - seen] + 1.0, rect.center().y);
        }
        if let (Some(p), Some(w)) = (pos.last(), widths.last()) {
            end = Some(Pos2::new(rect.min.x + p + w + 1.0, rect.center().y));
        }
        seen += len;
    }
    assert_eq!(k, seen, "char {k} is past the block's {seen} chars");
    end.expect("the block's text has runs")
}

/// Selects chars `a..b` of block `n`'s text with the mouse: press at `a`,
/// move in steps, release at `b` (the pointer stays over the text, as a
/// hand on a mouse does).
fn drag_select(h: &mut Harness<'static, Workbench>, n: usize, a: usize, b: usize) {
    let from = char_point(h, n, a);
    let to = char_point(h, n, b);
    let button = |pos: Pos2, pressed: bool| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.hover_at(from);
    h.run();
    h.event(button(from, true));
    h.run();
    for step in 1..=4 {
        h.hover_at(from + (to - from) * (step as f32 / 4.0));
        h.run();
    }
    h.event(button(to, false));
    h.run();
}

#[test]
fn words_selected_by_dragging_the_mouse_in_a_block_are_cut() {
    let (_dir, mut h, story) = porch_story();
    let before = story_text(&h, &story);
    assert_eq!(before, vec![PORCH.to_owned()]);
    let (a, b) = range(&before[0], "I did.");
    drag_select(&mut h, 1, a, b);
    assert!(
        h.query_by_label_contains("Words: “I did.” (block 1, selected in the story)")
            .is_some(),
        "the bar names the words the drag selected: {:?}",
        h.query_by_label_contains("Words:").map(|n| n.value())
    );
    h.get_by_label("Cut selected words").click();
    h.run();
    assert_eq!(
        story_text(&h, &story),
        vec![
            "And I stood in that porch and I nearly turned round. … I had me hand on the door to go back out."
                .to_owned()
        ]
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), before);
}

#[test]
fn a_block_splits_before_the_selected_words_and_merges_back() {
    let (_dir, mut h, story) = porch_story();
    let before = story_text(&h, &story);
    // Only a block with a block after it offers to merge.
    assert!(h.query_by_label("Merge block 1 with block 2").is_none());
    select_in_block(&mut h, 1, &before[0], "I had me hand");
    h.get_by_label("Split block").click();
    h.run();
    let split = story_text(&h, &story);
    assert_eq!(split.len(), 2, "{split:?}");
    assert_eq!(
        split[0],
        "And I stood in that porch and I nearly turned round. I did."
    );
    assert_eq!(
        split[1].trim_start_matches("… "),
        "I had me hand on the door to go back out."
    );
    let p = h.state().shared.project.as_ref().expect("project");
    assert!(!p.check_story(&story, None).expect("check").has_errors());
    // One change: one undo joins them again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), before);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), split);
    // Merged back, the words read as they did.
    h.get_by_label("Merge block 1 with block 2").click();
    h.run();
    assert_eq!(story_text(&h, &story), before);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(story_text(&h, &story), split);
}

#[test]
fn the_editor_says_when_a_block_opens_on_an_answer_whose_question_was_cut() {
    use crate::gui::shared::{CenterTab, Selection};
    use crate::gui::tests::{bench_on_sample, harness};
    let (_dir, mut bench) = bench_on_sample();
    let story = bench
        .shared
        .act(|p| p.create_story("P03", "The chest"))
        .expect("story");
    bench.stories.story = Some(story);
    bench.shared.center = CenterTab::Stories;
    let doc = bench.shared.read(|p| p.document("P03")).expect("P03");
    let mut h = harness(bench);
    let (start, end) = range(
        &doc.text,
        "Not to the chest itself. The chest is the chest.",
    );
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end,
    });
    h.run();
    h.get_by_label("Add selection as excerpt").click();
    h.run();
    assert!(
        h.query_by_label_contains(
            "Block 1: opens on words that were cut: “Not to the chest itself.”"
        )
        .is_some_and(|n| n
            .value()
            .is_some_and(|v| v.contains("start the block at “The chest is the chest.”"))),
        "the opening and its fix are shown"
    );
}
