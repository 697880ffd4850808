//! kittest: the Stories tab at 1280×800, the smallest window it is meant to
//! be used in: the transcript and the story both reachable at a usable
//! width, the block buttons and the word-edit buttons in view.

use crate::gui::shared::CenterTab;
use crate::gui::workbench::Workbench;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn at(size: [f32; 2], bench: Workbench) -> Harness<'static, Workbench> {
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    h
}

fn on_story(size: [f32; 2]) -> (tempfile::TempDir, Harness<'static, Workbench>) {
    let (dir, mut bench) = crate::gui::tests::bench_on_sample();
    let story = bench.shared.act(|p| p.draft_story("P03")).expect("draft");
    bench.stories.story = Some(story);
    bench.shared.center = CenterTab::Stories;
    (dir, at(size, bench))
}

/// The rect of the first turn of the open transcript that is shown.
fn first_turn(h: &mut Harness<'static, Workbench>) -> Option<egui::Rect> {
    let doc = h.state().shared.open_document.clone()?;
    let text = h.state_mut().shared.read(|p| p.document(&doc))?;
    text.turns
        .iter()
        .find_map(|t| h.query_by_label(&t.text).map(|n| n.rect()))
}

fn in_window(r: egui::Rect, size: [f32; 2]) -> bool {
    r.left() >= 0.0 && r.top() >= 0.0 && r.right() <= size[0] && r.bottom() <= size[1]
}

#[test]
fn at_1280_by_800_transcript_and_story_sit_side_by_side_at_usable_widths() {
    let size = [1280.0, 800.0];
    let (_dir, mut h) = on_story(size);
    // No tabs: both sides at once.
    assert!(
        h.query_by_label("Story").is_none(),
        "no Transcript | Story tabs"
    );
    let turn = first_turn(&mut h).expect("a transcript turn is shown");
    assert!(in_window(turn, size), "turn at {turn:?}");
    // No speakers bar above the transcript beside a story: the turns start
    // in the top third of the window.
    assert!(turn.top() < size[1] / 3.0, "first turn at {turn:?}");
    assert!(h.query_by_label("Speakers:").is_none());
    // About 60 characters a line at least.
    let font = crate::gui::theme::reading_font(&h.ctx.global_style());
    let min = crate::gui::theme::measure(&h.ctx, &font, 55);
    assert!(
        turn.width() >= min,
        "transcript {:.0} wide, 55 chars {min:.0}",
        turn.width()
    );
    // The story's first block and its buttons are in view, right of the transcript.
    let up = h
        .get_all_by_label("Up")
        .next()
        .expect("block buttons")
        .rect();
    assert!(in_window(up, size), "Up at {up:?}");
    assert!(
        up.left() > turn.right(),
        "the story is beside the transcript"
    );
    let story_width = size[0] - up.left();
    assert!(story_width >= min, "story side {story_width:.0} wide");
    for b in ["Delete", "Add selection as excerpt", "Cut selected words"] {
        let r = h.get_all_by_label(b).next().expect(b).rect();
        assert!(in_window(r, size), "{b} at {r:?}");
    }
    // Toolbars on one row each: the header, and the word edits (cut,
    // split, and the Clarify… and Replace… menus), in the story column.
    let y = |h: &Harness<'_, Workbench>, l: &str| h.get_by_label(l).rect().top();
    assert_eq!(y(&h, "Auto-draft story"), y(&h, "Story:"));
    let tools = ["Cut selected words", "Split block", "Clarify…", "Replace…"];
    let rects: Vec<egui::Rect> = tools.iter().map(|l| h.get_by_label(l).rect()).collect();
    let bar = rects.iter().fold(rects[0], |a, r| a.union(*r));
    let row = rects[0].height();
    assert!(
        bar.height() <= row + 1.0,
        "word-edit toolbar {:.0} high, one row is {row:.0}: {rects:?}",
        bar.height()
    );
    assert!(bar.left() > turn.right() && in_window(bar, size), "{bar:?}");
}

#[test]
fn a_narrow_editor_shows_transcript_and_story_as_tabs() {
    let size = [1024.0, 700.0];
    let (_dir, mut h) = on_story(size);
    // The story first, at full width, its buttons in view.
    let up = h
        .get_all_by_label("Up")
        .next()
        .expect("block buttons")
        .rect();
    assert!(in_window(up, size), "Up at {up:?}");
    assert!(
        first_turn(&mut h).is_none(),
        "the transcript is the other tab"
    );
    h.get_by_label("Transcript").click();
    h.run();
    let turn = first_turn(&mut h).expect("the transcript tab shows turns");
    assert!(in_window(turn, size), "turn at {turn:?}");
    assert!(h.query_all_by_label("Up").next().is_none());
    assert!(h.query_by_label("Add selection as excerpt").is_some());
    // Back to the story; "Show in transcript" brings the transcript tab.
    h.get_by_label("Story").click();
    h.run();
    h.get_all_by_label("Show in transcript")
        .next()
        .expect("an excerpt")
        .click();
    h.run();
    assert!(first_turn(&mut h).is_some(), "shown in the transcript");
}
