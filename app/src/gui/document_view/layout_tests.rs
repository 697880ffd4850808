//! kittest tests of the reading layout: the transcript at a readable
//! measure, centred; the inspector only beside a transcript, at one width
//! that coding does not change (the text under the cursor does not move).

use super::super::Workbench;
use super::super::shared::{CenterTab, Selection};
use super::super::tests::bench_on_sample;
use super::MARGIN;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::DocumentText;

fn wide(bench: Workbench) -> Harness<'static, Workbench> {
    let mut h = Harness::builder()
        .with_size([1600.0, 1000.0])
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    h
}

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

/// The longest turn of the document among the first few (it wraps).
fn long_turn(doc: &DocumentText) -> String {
    doc.turns
        .iter()
        .take(12)
        .max_by_key(|t| t.text.chars().count())
        .unwrap()
        .text
        .clone()
}

#[test]
fn transcript_lines_hold_about_ninety_characters_centred_at_1600() {
    let (_dir, bench) = bench_on_sample();
    let mut h = wide(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let turn = long_turn(&doc);
    assert!(turn.chars().count() > 300, "a long turn: {turn}");
    let r = h.get_by_label(&turn).rect();
    let font = crate::gui::theme::reading_font(&h.ctx.global_style());
    let at = |n| crate::gui::theme::measure(&h.ctx, &font, n);
    assert!(
        r.width() <= at(100) && r.width() >= at(75),
        "text {:.0} wide; 75 chars {:.0}, 100 chars {:.0}",
        r.width(),
        at(75),
        at(100)
    );
    // Centred between the navigator and the inspector: the room either
    // side differs by the margin of code stripes at most (and rounding).
    // (The document's name is in the navigator and the view's heading;
    // both headings sit at their panel's left edge plus the same margin.)
    let centre_left = h
        .query_all_by_label("P01-doreen-walsh.docx")
        .map(|n| n.rect().left())
        .fold(f32::MIN, f32::max);
    let inspector_left = h.get_by_label("Codings here").rect().left();
    let (left, right) = (r.left() - centre_left, inspector_left - r.right());
    assert!(
        (left - right).abs() <= MARGIN + 40.0,
        "room left {left:.0}, right {right:.0}"
    );
}

#[test]
fn coding_does_not_widen_the_inspector_or_move_the_text() {
    let (_dir, mut bench) = bench_on_sample();
    let long = bench
        .shared
        .act(|p| {
            p.create_code(
                "A code with a very long name that would once have widened the inspector on the right",
                None,
                None,
            )
        })
        .unwrap();
    bench.shared.used_code(&long);
    let mut h = wide(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let turn = long_turn(&doc);
    let text_before = h.get_by_label(&turn).rect();
    let inspector_before = h.get_by_label("Codings here").rect().left();
    let byte = doc.text.find(&turn).unwrap();
    let start = doc.text[..byte].chars().count();
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end: start + 40,
    });
    h.run();
    h.key_press(egui::Key::Num1);
    h.run();
    let p = h.state().shared.project.as_ref().unwrap();
    assert_eq!(p.codings(Some(&long), None, None).unwrap().len(), 1);
    assert_eq!(
        h.get_by_label("Codings here").rect().left(),
        inspector_before
    );
    assert_eq!(h.get_by_label(&turn).rect(), text_before);
}

#[test]
fn the_inspector_shows_only_beside_a_transcript() {
    let (_dir, bench) = bench_on_sample();
    let mut h = wide(bench);
    // The welcome: no document, no inspector.
    assert!(h.query_by_label("Codings here").is_none());
    assert!(h.query_by_label("No document open.").is_none());
    open(&mut h, "P01-doreen-walsh.docx");
    assert!(h.query_by_label("Codings here").is_some());
    for tab in [CenterTab::Themes, CenterTab::Stories, CenterTab::Queries] {
        h.state_mut().shared.center = tab;
        h.run();
        assert!(h.query_by_label("Codings here").is_none(), "{tab:?}");
    }
}

#[test]
fn role_chips_are_body_size_in_every_theme() {
    let (_dir, bench) = bench_on_sample();
    let mut h = wide(bench);
    open(&mut h, "P01-doreen-walsh.docx");
    for (dark, hc) in [(false, false), (true, false), (false, true), (true, true)] {
        h.state_mut().prefs.dark = dark;
        h.state_mut().prefs.high_contrast = hc;
        h.run();
        // The chip's text is as wide as the role laid out at body size
        // (at the old small size it was about a third narrower).
        let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
        for role in ["participant", "interviewer"] {
            let body = h.ctx.fonts_mut(|f| {
                f.layout_no_wrap(role.to_owned(), font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            });
            // The chips: the nodes named by the role that are wider than
            // their text (the speakers bar and the inspector say the role
            // in plain text). A chip at the old small size is not wide
            // enough to be taken, and the test finds none.
            let margin = crate::gui::widgets::ROLE_CHIP_MARGIN;
            let chips = h
                .get_all_by_label(role)
                .filter(|c| c.rect().width() > body + margin)
                .collect::<Vec<_>>();
            assert!(!chips.is_empty(), "a {role} chip");
            for c in chips {
                // The chip is its text and a margin each side.
                let width = c.rect().width() - 2.0 * margin;
                assert!(
                    (width - body).abs() < 1.0,
                    "{role} chip text {width:.1} wide, at body size {body:.1} (dark {dark}, hc {hc})"
                );
            }
        }
    }
}

#[test]
fn code_names_in_the_margin_are_switched_on_and_off_and_remembered() {
    let (_dir, bench) = bench_on_sample();
    let mut h = wide(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    {
        let p = h.state_mut().shared.project.as_mut().unwrap();
        for (code, turn) in [("Belonging", 1), ("Confidence", 1), ("Belonging", 3)] {
            let t = &doc.turns[turn];
            p.add_coding(&storyloom_project::CodingRequest {
                code,
                document: &doc.uuid,
                start: t.start,
                end: t.end,
                version: None,
            })
            .unwrap();
        }
        h.state_mut().shared.revision += 1;
    }
    h.run();
    let turn = &doc.turns[1].text;
    let before = h.get_by_label(turn).rect();
    assert!(h.query_by_label("In the margin: Belonging").is_none());
    assert!(!h.state().prefs.margin_names);

    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::M);
    h.run();
    assert!(h.state().prefs.margin_names, "kept with the preferences");
    // One name per code per turn: Belonging twice (turns 1 and 3), Confidence once.
    assert_eq!(h.state().document.margin_labels, 3);
    let belonging: Vec<_> = h
        .query_all_by_label("In the margin: Belonging")
        .map(|n| n.rect())
        .collect();
    let confidence = h.get_by_label("In the margin: Confidence").rect();
    let text = h.get_by_label(turn).rect();
    // The names stand right of the text, the two of turn 1 one above the other.
    assert!(belonging.iter().all(|r| r.left() > text.right()));
    assert!(confidence.left() > text.right());
    assert!(
        (belonging[0].top() - text.top()).abs() < 4.0,
        "{belonging:?} {text:?}"
    );
    assert!(confidence.top() >= belonging[0].bottom());
    // The text makes room for them, and stays a readable measure.
    assert!(text.width() <= before.width());
    assert!(text.right() + super::margin_names::WIDTH <= h.ctx.content_rect().right());

    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::M);
    h.run();
    assert!(!h.state().prefs.margin_names);
    assert!(h.query_by_label("In the margin: Belonging").is_none());
    assert_eq!(h.get_by_label(turn).rect(), before);
}
