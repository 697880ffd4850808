//! kittest: Alt+Down / Alt+Up step through the codings of the transcript,
//! selecting each and scrolling it into view.

use super::super::Workbench;
use super::super::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use storyloom_project::{CodingSpec, Command};

#[test]
fn alt_down_and_up_step_through_the_codings() {
    let (_dir, mut bench) = bench_on_sample();
    let p = bench.shared.project.as_ref().unwrap();
    let doc = p
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.name == "P03-winston-clarke.txt")
        .unwrap();
    let text = p.document(&doc.uuid).unwrap();
    let speech: Vec<_> = text.turns.iter().filter(|t| !t.non_speech).collect();
    assert!(speech.len() > 6, "a long transcript");
    // Three codings: the second turn, the middle one and the last one.
    let picks = [
        speech[1],
        speech[speech.len() / 2],
        speech[speech.len() - 1],
    ];
    let ranges: Vec<(usize, usize)> = picks.iter().map(|t| (t.start, t.start + 5)).collect();
    bench
        .shared
        .act(|p| {
            p.apply(Command::CreateCode {
                name: "Stepping".into(),
                parent: None,
                color: None,
            })
        })
        .expect("code");
    let codings = ranges
        .iter()
        .map(|&(start, end)| CodingSpec {
            code: "Stepping".into(),
            document: doc.uuid.clone(),
            start,
            end,
            version: None,
        })
        .collect();
    bench
        .shared
        .act(|p| {
            p.apply(Command::AddCodings {
                codings,
                why: "test".into(),
            })
        })
        .expect("codings");
    let mut h = harness(bench);
    h.state_mut().shared.open(&doc.uuid);
    h.run();
    let selected = |h: &egui_kittest::Harness<'_, Workbench>| {
        h.state()
            .shared
            .selection
            .as_ref()
            .map(|s| (s.start, s.end))
    };
    let on_screen = |h: &egui_kittest::Harness<'_, Workbench>, k: usize| {
        let r = h.get_by_label(&picks[k].text).rect();
        assert!(
            r.top() < 900.0 && r.bottom() > 0.0,
            "coding {k}'s turn on screen: {r:?}"
        );
    };
    for (k, &range) in ranges.iter().enumerate() {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
        h.run();
        assert_eq!(selected(&h), Some(range), "next coding {k}");
        on_screen(&h, k);
    }
    assert!(
        h.state().document.scroll_y > 0.0,
        "scrolled down to the last"
    );
    // Past the last: the selection stays and the status bar says why.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    h.run();
    assert_eq!(selected(&h), Some(ranges[2]));
    h.get_by_label("No more codings below.");
    for k in [1, 0] {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
        h.run();
        assert_eq!(selected(&h), Some(ranges[k]), "previous coding {k}");
        on_screen(&h, k);
    }
}
