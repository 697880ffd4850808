//! kittest tests of the document view and the inspector, on the sample study.

use super::super::Workbench;
use super::super::shared::Selection;
use super::super::tests::{bench_on_sample, harness};
use egui::{Event, Modifiers, PointerButton, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::{DocumentText, Project};

fn project<'h>(h: &'h Harness<'_, Workbench>) -> &'h Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn code_uuid(h: &Harness<'_, Workbench>, name: &str) -> String {
    project(h)
        .codes()
        .unwrap()
        .into_iter()
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no code {name}"))
        .uuid
}

fn count(h: &Harness<'_, Workbench>, code: &str) -> usize {
    project(h).codings(Some(code), None, None).unwrap().len()
}

/// Opens a document (by name) in the harness and returns its text.
fn open(h: &mut Harness<'_, Workbench>, name: &str) -> DocumentText {
    let doc = project(h)
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap();
    h.state_mut().shared.open(&doc.uuid);
    h.run();
    project(h).document(&doc.uuid).unwrap()
}

/// The char range of the first occurrence of `needle` in the document.
fn find(doc: &DocumentText, needle: &str) -> (usize, usize) {
    let byte = doc.text.find(needle).expect("text in the document");
    let start = doc.text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn select(h: &mut Harness<'_, Workbench>, doc: &DocumentText, range: (usize, usize)) {
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start: range.0,
        end: range.1,
    });
    h.run();
}

fn pointer(h: &Harness<'_, Workbench>, pos: Pos2, pressed: bool) {
    h.event(Event::PointerMoved(pos));
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

#[test]
fn dragging_across_non_ascii_turns_selects_document_char_offsets() {
    let (_dir, mut bench) = bench_on_sample();
    // (Emoji would be fine in the app, but kittest panics on glyphs its fonts lack.)
    let text = "Entrevista – Zoë – 3 mai – Привет\n\n\
                Zoë: Ünïcödé café naïve, très bien.\n\n\
                Interviewer: Ça va? Vraiment – Straße oui?\n\n\
                Zoë: Jalapeño piñata.\n\n\
                Interviewer: Et après?\n\n\
                Zoë: Fin.\n";
    bench
        .shared
        .act(|p| p.import_bytes("zoe.txt", text.as_bytes()))
        .expect("import");
    // Steps a twentieth of a second apart, so two clicks make a double click.
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_step_dt(0.05)
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    let doc = open(&mut h, "zoe.txt");
    assert!(doc.turns.len() >= 4, "turns: {:?}", doc.turns);
    // The heading line is kept as a non-speech turn before the first speaker turn.
    assert!(doc.turns[0].non_speech, "{:?}", doc.turns[0]);
    let t0 = &doc.turns[1];
    assert_eq!(t0.text, "Ünïcödé café naïve, très bien.");
    // The turn's text is a widget named by its text; double-click its first word.
    let r0 = h.get_by_label(&t0.text).rect();
    let p = pos2(r0.left() + 3.0, r0.center().y);
    h.event(Event::PointerMoved(p));
    h.run();
    for _ in 0..2 {
        pointer(&h, p, true);
        h.step();
        pointer(&h, p, false);
        h.step();
    }
    h.run();
    let sel = h
        .state()
        .shared
        .selection
        .clone()
        .expect("a word is selected");
    assert_eq!((sel.start, sel.end), (t0.start, t0.start + 7));
    assert_eq!(sel.document, doc.uuid);
    let chars: String = doc.text.chars().skip(sel.start).take(7).collect();
    assert_eq!(chars, "Ünïcödé");

    // Press before the first char of turn 0 and drag past the end of turn 1.
    let t1 = &doc.turns[2];
    let r1 = h.get_by_label(&t1.text).rect();
    let from = pos2(r0.left() + 0.5, r0.center().y);
    let to = pos2(r1.right() - 2.0, r1.center().y);
    pointer(&h, from, true);
    h.step();
    for k in 1..=4 {
        let t = k as f32 / 4.0;
        h.event(Event::PointerMoved(from + (to - from) * t));
        h.step();
    }
    pointer(&h, to, false);
    h.run();
    let sel = h
        .state()
        .shared
        .selection
        .clone()
        .expect("a range is selected");
    assert_eq!((sel.start, sel.end), (t0.start, t1.end));
    assert_eq!(
        doc.text
            .chars()
            .skip(sel.end - 3)
            .take(3)
            .collect::<String>(),
        "ui?"
    );
}

#[test]
fn a_code_applied_through_the_picker_is_counted_and_undo_takes_it_back() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let confidence = code_uuid(&h, "Confidence");
    let before = count(&h, &confidence);
    select(&mut h, &doc, find(&doc, "I've nothing to hide"));
    // The button opens the picker; the C key does too (below).
    h.get_by_label("Code selection…").click();
    h.run();
    h.get_by_label("Filter codes").type_text("confid");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(count(&h, &confidence), before + 1);
    assert_eq!(h.state().shared.recent_codes.first(), Some(&confidence));
    assert!(
        h.query_by_label("Filter codes").is_none(),
        "the picker closed"
    );

    // C opens the picker; clicking a listed code applies it.
    select(&mut h, &doc, find(&doc, "Not much"));
    h.key_press(egui::Key::C);
    h.run();
    assert!(h.query_by_label("Filter codes").is_some());
    h.get_by_label("Filter codes").type_text("Health");
    h.run();
    h.get_by_label("What changed > Health and body").click();
    h.run();
    let health = code_uuid(&h, "Health and body");
    assert_eq!(count(&h, &health), 1);

    // Undo (Ctrl+Z) takes the last coding back.
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(count(&h, &health), 0);
    assert_eq!(count(&h, &confidence), before + 1);
}

#[test]
fn number_keys_apply_recent_codes_and_undo_brings_the_count_back() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let belonging = code_uuid(&h, "Belonging");
    let routine = code_uuid(&h, "Routine and purpose");
    h.state_mut().shared.used_code(&routine);
    h.state_mut().shared.used_code(&belonging);
    select(&mut h, &doc, find(&doc, "came to hear about the choir"));
    let before = count(&h, &routine);
    h.key_press(egui::Key::Num2);
    h.run();
    assert_eq!(count(&h, &routine), before + 1);
    // The code applied moves to the front: 2 is now Belonging.
    assert_eq!(h.state().shared.recent_codes[0], routine);
    h.key_press(egui::Key::Num2);
    h.run();
    assert_eq!(count(&h, &belonging), 1);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(count(&h, &belonging), 0);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(count(&h, &routine), before);
    // The number keys do nothing without a selection.
    h.state_mut().shared.selection = None;
    h.run();
    h.key_press(egui::Key::Num1);
    h.run();
    assert_eq!(count(&h, &routine), before);
}

#[test]
fn a_jump_request_scrolls_a_long_document_and_selects_the_range() {
    // How many turns a frame measures depends on the machine; each pattern
    // of per-frame amounts must land the jump on its turn all the same.
    for pattern in [
        &[1usize][..],
        &[7],
        &[2, 40, 1, 1000],
        &[60, 3],
        &[1000],
        &[3, 3, 3, 3, 3, 3, 3, 1000],
    ] {
        jump_lands_whatever_the_measuring_pace(pattern);
    }
}

fn jump_lands_whatever_the_measuring_pace(pattern: &[usize]) {
    let (_dir, mut bench) = bench_on_sample();
    let txt = storyloom_project::synth::transcript_txt(7, 30_000);
    bench
        .shared
        .act(|p| p.import_bytes("long.txt", txt.as_bytes()))
        .expect("import");
    let mut h = harness(bench);
    let mut frame = 0;
    let mut step = |h: &mut Harness<'_, Workbench>| {
        h.state_mut()
            .document
            .cap_measuring(pattern[frame % pattern.len()]);
        frame += 1;
        h.step();
    };
    let doc = {
        let uuid = project(&h).documents().unwrap()[12].uuid.clone();
        h.state_mut().shared.open(&uuid);
        step(&mut h);
        project(&h).document(&uuid).unwrap()
    };
    assert_eq!(doc.name, "long.txt");
    assert!(doc.text.chars().count() > super::VIRTUAL_CHARS);
    // Only the turns in view are laid out; the others are measured a few
    // a frame, in the background.
    assert!(h.state().document.shown < doc.turns.len() / 10);
    if pattern[0] < doc.turns.len() {
        assert!(h.state().document.measuring(), "{pattern:?}");
    }
    // A jump while heights may still be partly estimates, and measuring
    // going on (at this pattern's pace) while the view settles.
    let early = &doc.turns[doc.turns.len() / 2];
    h.state_mut()
        .shared
        .jump_to(&doc.uuid, early.start, early.start + 10);
    for _ in 0..4 {
        step(&mut h);
    }
    // From then on the turn stays in view every frame, however many
    // heights above it a frame replaces (the view shifts with them).
    let mut steps = 0;
    loop {
        let r = h.get_by_label(&early.text).rect();
        assert!(
            r.top() < 900.0 && r.bottom() > 0.0,
            "turn at {r:?}, frame {steps} ({pattern:?})"
        );
        if !h.state().document.measuring() {
            break;
        }
        step(&mut h);
        steps += 1;
        assert!(steps < 2000, "measuring never ends ({pattern:?})");
    }
    h.run();
    let target = &doc.turns[doc.turns.len() * 3 / 4];
    let (start, end) = (target.start + 5, target.start + 25);
    h.state_mut().shared.jump_to(&doc.uuid, start, end);
    h.run();
    let sel = h.state().shared.selection.clone().expect("selected");
    assert_eq!((sel.start, sel.end), (start, end));
    assert!(h.state().shared.jump.is_none(), "the request was consumed");
    // The target turn is on screen.
    let r = h.get_by_label(&target.text).rect();
    assert!(r.top() < 900.0 && r.bottom() > 0.0, "turn at {r:?}");
    let v = &h.state().document;
    let k = doc
        .turns
        .iter()
        .position(|t| t.uuid == target.uuid)
        .unwrap();
    assert!(v.first_shown <= k + 1 && k < v.first_shown + v.shown + 1);
}

#[test]
fn in_vivo_coding_creates_a_code_named_after_the_words() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let codes = project(&h).codes().unwrap().len();
    select(&mut h, &doc, find(&doc, "nothing to hide"));
    h.get_by_label("In-vivo code").click();
    h.run();
    let all = project(&h).codes().unwrap();
    assert_eq!(all.len(), codes + 1);
    let code = all
        .iter()
        .find(|c| c.name() == "nothing to hide")
        .expect("new code");
    assert_eq!(count(&h, &code.uuid), 1);
    assert_eq!(h.state().shared.recent_codes[0], code.uuid);
}

#[test]
fn the_inspector_toggles_key_quote_extends_saves_a_memo_and_removes() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let belonging = code_uuid(&h, "Belonging");
    h.state_mut().shared.used_code(&belonging);
    select(&mut h, &doc, find(&doc, "nothing to hide"));
    h.key_press(egui::Key::Num1);
    h.run();
    let coding = h
        .state()
        .shared
        .selected_coding
        .clone()
        .expect("selected coding");
    assert!(h.query_by_label("Key quote").is_some());

    h.get_by_label("Key quote").click();
    h.run();
    assert!(project(&h).coding(&coding).unwrap().key_quote);

    // A stripe in the margin selects its coding.
    h.state_mut().shared.selected_coding = None;
    h.run();
    assert!(h.query_by_label("Key quote").is_none());
    h.get_by_label("Coding Why it matters > Belonging").click();
    h.run();
    assert_eq!(
        h.state().shared.selected_coding.as_deref(),
        Some(coding.as_str())
    );

    let wider = find(&doc, "I've nothing to hide. [laughs]");
    select(&mut h, &doc, wider);
    h.get_by_label("Extend to selection").click();
    h.run();
    let c = project(&h).coding(&coding).unwrap();
    assert_eq!((c.start, c.end), wider);

    h.get_by_label("Coding memo").click();
    h.run();
    h.get_by_label("Coding memo")
        .type_text("Humour to set the tone.");
    h.run();
    // Saved on leaving the field (or after a pause): no Save button.
    h.get_by_label("Key quote").click();
    h.run();
    let memos = project(&h)
        .memos(Some(&storyloom_project::MemoTarget::Coding(coding.clone())))
        .unwrap();
    assert_eq!(memos.len(), 1);
    assert_eq!(memos[0].body, "Humour to set the tone.");

    h.get_by_label("Remove").click();
    h.run();
    assert!(project(&h).coding(&coding).is_err());
    assert_eq!(count(&h, &belonging), 0);
    assert!(h.state().shared.selected_coding.is_none());
}

#[test]
fn a_code_dropped_on_the_view_goes_on_the_selection() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let belonging = code_uuid(&h, "Belonging");
    let t = &doc.turns[1];
    select(&mut h, &doc, (t.start, t.end));
    h.state_mut().shared.dragged_code = Some(belonging.clone());
    let r = h.get_by_label(&doc.turns[3].text).rect();
    pointer(&h, r.center(), false);
    h.run();
    assert_eq!(count(&h, &belonging), 1);
    assert!(h.state().shared.dragged_code.is_none());
    let c = &project(&h).codings(Some(&belonging), None, None).unwrap()[0];
    assert_eq!((c.start, c.end), (t.start, t.end));
}

#[test]
fn only_turns_whose_codings_changed_get_new_layout_jobs() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let belonging = code_uuid(&h, "Belonging");
    h.state_mut().shared.used_code(&belonging);
    select(&mut h, &doc, find(&doc, "nothing to hide"));
    h.key_press(egui::Key::Num1);
    h.run();
    let m = h.state().document.model.as_ref().unwrap();
    assert_eq!(m.rebuilt, 1);
    assert!(m.spans[1..].iter().any(|s| !s.is_empty()));
}

#[test]
fn a_typed_coding_memo_is_kept_when_another_coding_is_picked_and_the_inspector_follows_the_document()
 {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let range = find(&doc, "nothing to hide");
    for name in ["Belonging", "First time through the door"] {
        let code = code_uuid(&h, name);
        h.state_mut().shared.used_code(&code);
        select(&mut h, &doc, range);
        h.key_press(egui::Key::Num1);
        h.run();
    }
    let second = h
        .state()
        .shared
        .selected_coding
        .clone()
        .expect("selected coding");
    h.get_by_label("Coding memo").click();
    h.run();
    h.get_by_label("Coding memo").type_text("Nervous laughter.");
    h.run();
    // Another coding is picked without pressing Save: the memo is kept.
    h.get_by_label("Why it matters > Belonging").click();
    h.run();
    h.run();
    assert_ne!(
        h.state().shared.selected_coding.as_deref(),
        Some(second.as_str())
    );
    let memos = project(&h)
        .memos(Some(&storyloom_project::MemoTarget::Coding(second.clone())))
        .unwrap();
    assert_eq!(memos.len(), 1, "the typed memo was lost");
    assert_eq!(memos[0].body, "Nervous laughter.");
    // The inspector follows the open document: a coding of the document
    // left behind is no longer shown.
    open(&mut h, "LW3-amina-yusuf.txt");
    h.run();
    assert!(h.state().shared.selected_coding.is_none());
    assert!(h.query_by_label("Coding memo").is_none());
}

#[test]
fn a_code_applied_in_the_view_reads_the_codings_again_and_the_text_only_after_other_changes() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let doc = open(&mut h, "P01-doreen-walsh.docx");
    let belonging = code_uuid(&h, "Belonging");
    h.state_mut().shared.used_code(&belonging);
    let range = find(&doc, "nothing to hide");
    let shown = |h: &Harness<'_, Workbench>| {
        let m = h.state().document.model.as_ref().unwrap();
        m.codings
            .iter()
            .any(|c| c.code == belonging && (c.start, c.end) == range)
    };
    select(&mut h, &doc, range);
    let reads = h.state().document.text_reads;
    h.key_press(egui::Key::Num1);
    h.run();
    assert!(shown(&h), "the new coding is in the view");
    assert_eq!(
        h.state().document.text_reads,
        reads,
        "text and turns not read again"
    );
    // Undo can change anything: everything is read again.
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(!shown(&h));
    assert_eq!(h.state().document.text_reads, reads + 1);
    // Any other change after the view's coding (here a code made in the
    // codebook) reads everything again.
    select(&mut h, &doc, range);
    h.key_press(egui::Key::Num1);
    h.run();
    assert!(shown(&h));
    assert_eq!(h.state().document.text_reads, reads + 1);
    h.state_mut()
        .shared
        .apply(storyloom_project::Command::CreateCode {
            name: "Made elsewhere".into(),
            parent: None,
            color: None,
        })
        .expect("a code");
    h.run();
    assert_eq!(h.state().document.text_reads, reads + 2);
    assert!(shown(&h), "the coding stays");
}
