//! kittest tests of the keyboard in a transcript (scrolling, next and
//! previous turn) and of selections snapping to whole words.

use super::super::Workbench;
use super::super::tests::{bench_on_sample, harness};
use super::selection::snap_to_words;
use egui::{Event, Key, Modifiers, PointerButton, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::DocumentText;

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

fn scroll_y(h: &Harness<'_, Workbench>) -> f32 {
    h.state().document.scroll_y
}

#[test]
fn page_keys_arrows_and_home_end_scroll_the_transcript() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P03-winston-clarke.txt");
    assert_eq!(scroll_y(&h), 0.0);
    h.key_press(Key::PageDown);
    h.run();
    let page = scroll_y(&h);
    assert!(page > 400.0, "a screen down: {page}");
    h.key_press(Key::ArrowDown);
    h.run();
    let line = scroll_y(&h) - page;
    assert!(line > 10.0 && line < 80.0, "a line or two down: {line}");
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(scroll_y(&h), page);
    h.key_press(Key::PageUp);
    h.run();
    assert_eq!(scroll_y(&h), 0.0);
    // End and Ctrl+End: the last turn is on screen.
    let last = doc.turns.last().unwrap();
    for m in [Modifiers::NONE, Modifiers::COMMAND] {
        h.key_press_modifiers(m, Key::End);
        h.run();
        assert!(scroll_y(&h) > 2.0 * page, "at the end: {}", scroll_y(&h));
        let r = h.get_by_label(&last.text).rect();
        assert!(
            r.bottom() <= 900.0 && r.bottom() > 100.0,
            "last turn at {r:?}"
        );
        h.key_press_modifiers(m, Key::Home);
        h.run();
        assert_eq!(scroll_y(&h), 0.0);
    }
}

#[test]
fn ctrl_down_and_up_step_through_the_speaker_turns() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P05-bernie-kowalski.txt");
    let speech: Vec<usize> = doc
        .turns
        .iter()
        .filter(|t| !t.non_speech)
        .map(|t| t.start)
        .collect();
    let first_after_top = |h: &Harness<'_, Workbench>| h.state().document.top_offset().unwrap().1;
    let top = first_after_top(&h);
    let next: Vec<usize> = speech.iter().copied().filter(|&s| s > top).collect();
    h.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    h.run();
    assert_eq!(h.state().shared.cursor, Some(next[0]));
    assert_eq!(first_after_top(&h), next[0], "the turn is at the top");
    h.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    h.run();
    assert_eq!(h.state().shared.cursor, Some(next[1]));
    assert_eq!(first_after_top(&h), next[1]);
    assert!(scroll_y(&h) > 0.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::ArrowUp);
    h.run();
    assert_eq!(h.state().shared.cursor, Some(next[0]));
    assert_eq!(first_after_top(&h), next[0]);
}

#[test]
fn snapping_widens_edges_inside_words_and_drops_spaces() {
    let t = "Well, I didn't do very well at all.";
    let range = |s: &str| {
        let b = t.find(s).unwrap();
        (b, b + s.len())
    };
    // "idn't do very w" → "didn't do very well"
    let (a, b) = range("idn't do very w");
    let (s, e) = snap_to_words(t, a, b);
    assert_eq!(&t[s..e], "didn't do very well");
    // Spaces at the ends go; edges already on a word's edge stay.
    let (a, b) = range(" do very ");
    let (s, e) = snap_to_words(t, a, b);
    assert_eq!(&t[s..e], "do very");
    let (a, b) = range("Well,");
    assert_eq!(snap_to_words(t, a, b), (a, b));
    // Only spaces: left alone.
    assert_eq!(snap_to_words("a   b", 2, 3), (2, 3));
    // Char offsets, not bytes.
    let u = "Zoë’s café était très bien";
    let chars: Vec<char> = u.chars().collect();
    let (s, e) = snap_to_words(u, 2, 9);
    assert_eq!(chars[s..e].iter().collect::<String>(), "Zoë’s café");
}

fn pointer(h: &Harness<'_, Workbench>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    h.event(Event::PointerMoved(pos));
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
}

/// Drags across a turn from one char to another (x positions found by
/// laying the turn out with the same font would be brittle: instead the
/// drag goes from a fraction of the turn's width to another).
fn drag(h: &mut Harness<'_, Workbench>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(from));
    h.step();
    pointer(h, from, true, modifiers);
    h.step();
    for k in 1..=4 {
        let t = k as f32 / 4.0;
        h.event(Event::PointerMoved(from + (to - from) * t));
        h.step();
    }
    pointer(h, to, false, modifiers);
    h.step();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

#[test]
fn a_dragged_selection_snaps_to_whole_words_unless_alt_is_held() {
    let (_dir, mut bench) = bench_on_sample();
    let text = "Interviewer: And how did the first week go?\n\n\
                Maya: Honestly I didn't do very well at all, but the group were lovely about it.\n";
    bench
        .shared
        .act(|p| p.import_bytes("maya.txt", text.as_bytes()))
        .expect("import");
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_step_dt(0.05)
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    let doc = open(&mut h, "maya.txt");
    let turn = doc
        .turns
        .iter()
        .find(|t| t.text.starts_with("Honestly"))
        .unwrap();
    let r = h.get_by_label(&turn.text).rect();
    let y = r.top() + 8.0;
    // From the middle of the first word to somewhere inside a later word:
    // whatever chars the pointer lands on, the selection is whole words.
    let (from, to) = (pos2(r.left() + 20.0, y), pos2(r.left() + 160.0, y));
    drag(&mut h, from, to, Modifiers::NONE);
    let sel = h.state().shared.selection.clone().expect("selected");
    let chars: Vec<char> = doc.text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '\'';
    assert!(sel.start < sel.end);
    assert!(
        sel.start == turn.start || !word(chars[sel.start - 1]),
        "{sel:?}"
    );
    assert!(!word(chars[sel.end]) && word(chars[sel.end - 1]), "{sel:?}");
    assert_eq!(sel.start, turn.start, "the first word is taken whole");
    let snapped: String = chars[sel.start..sel.end].iter().collect();

    // With Alt the exact characters stay: the same drag ends inside a word.
    drag(&mut h, from, to, Modifiers::ALT);
    let exact = h.state().shared.selection.clone().expect("selected");
    let raw: String = chars[exact.start..exact.end].iter().collect();
    assert!(exact.start > turn.start, "starts inside Honestly: {raw:?}");
    assert!(snapped.contains(raw.trim()), "{snapped:?} ⊇ {raw:?}");
    assert_ne!(raw, snapped);
}
