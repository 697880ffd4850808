//! A code's passages: opened from the codebook (double-click, or the
//! context menu), shown in full, jumped to, uncoded, recoded, exported; and
//! the navigator showing documents and codes together.

use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::bench_on_sample;
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{CodingRequest, Role};

const CONFIDENCE: &str = "What changed > Confidence";
const BELONGING: &str = "Why it matters > Belonging";

/// A coded range: (document uuid, start, end, text).
type Range = (String, usize, usize, String);

/// The first half of a long participant turn.
fn half_turn(bench: &Workbench, doc: &str, skip: usize) -> Range {
    let d = bench
        .shared
        .project
        .as_ref()
        .unwrap()
        .document(doc)
        .unwrap();
    let t = d
        .turns
        .iter()
        .filter(|t| t.role == Role::Participant && t.end - t.start > 120)
        .nth(skip)
        .expect("a long participant turn");
    let end = t.start + (t.end - t.start) / 2;
    let text: String = d.text.chars().skip(t.start).take(end - t.start).collect();
    (d.uuid.clone(), t.start, end, text)
}

fn code(bench: &mut Workbench, code: &str, r: &Range) -> String {
    bench
        .shared
        .act(|p| {
            p.add_coding(&CodingRequest {
                code,
                document: &r.0,
                start: r.1,
                end: r.2,
                version: None,
            })
        })
        .expect("coded")
}

/// The sample with two Confidence passages (P01, P03), on the Codes tab.
fn coded() -> (tempfile::TempDir, Harness<'static, Workbench>, Vec<Range>) {
    let (dir, mut bench) = bench_on_sample();
    let a = half_turn(&bench, "P01-doreen-walsh.docx", 0);
    let b = half_turn(&bench, "P03-winston-clarke.txt", 1);
    code(&mut bench, CONFIDENCE, &a);
    code(&mut bench, CONFIDENCE, &b);
    // Frames 50 ms apart (simulated time), so two clicks a frame apart are a double-click.
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_step_dt(0.05)
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    h.get_by_label("Codes").click();
    h.run();
    (dir, h, vec![a, b])
}

fn double_click(h: &mut Harness<'static, Workbench>, label: &str) {
    // Let the last click (the "Codes" tab) age past the double-click delay
    // (simulated frames), or these two would count as a triple-click.
    for _ in 0..10 {
        h.step();
    }
    // Two clicks a frame apart: well inside the double-click time.
    h.get_by_label(label).click();
    h.step();
    h.get_by_label(label).click();
    h.run();
}

fn codings_of(h: &Harness<'static, Workbench>, code: &str) -> Vec<storyloom_project::Coding> {
    let p = h.state().shared.project.as_ref().unwrap();
    p.codings(Some(code), None, None).unwrap()
}

#[test]
fn double_clicking_a_code_shows_its_passages_in_full() {
    let (_dir, mut h, ranges) = coded();
    assert!(h.query_by_label("Passages: Confidence").is_none());
    double_click(&mut h, "Confidence");
    assert!(h.query_by_label("Passages: Confidence").is_some());
    assert!(h.query_by_label("2 passages").is_some());
    for r in &ranges {
        // The whole passage, not a line cut short.
        assert!(r.3.chars().count() > 60, "{}", r.3);
        assert!(h.query_by_label(&r.3).is_some(), "shown in full: {}", r.3);
    }
    assert!(h.query_by_label("P01-doreen-walsh.docx").is_some());

    // Jump opens the transcript at the passage.
    h.get_by_label("Jump to passage 2").click();
    h.run();
    let sh = &h.state().shared;
    assert_eq!(sh.center, CenterTab::Document);
    assert_eq!(sh.open_document.as_deref(), Some(ranges[1].0.as_str()));
    match &sh.jump {
        Some(j) => assert_eq!((j.start, j.end), (ranges[1].1, ranges[1].2)),
        None => {
            let sel = sh.selection.clone().expect("the passage is selected");
            assert_eq!((sel.start, sel.end), (ranges[1].1, ranges[1].2));
        }
    }
}

#[test]
fn the_context_menu_opens_passages_and_uncode_and_recode_change_them() {
    let (_dir, mut h, ranges) = coded();
    h.get_by_label("Confidence").click_secondary();
    h.run();
    h.get_by_label("Open passages").click();
    h.run();
    assert!(h.query_by_label("Passages: Confidence").is_some());
    let before = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .history()
        .unwrap()
        .len();

    // Uncode the first: one change, one history entry.
    h.get_by_label("Uncode passage 1").click();
    h.run();
    let left = codings_of(&h, CONFIDENCE);
    assert_eq!(left.len(), 1);
    assert_eq!((left[0].start, left[0].end), (ranges[1].1, ranges[1].2));
    assert!(h.query_by_label("1 passage").is_some());
    assert!(h.query_by_label(&ranges[0].3).is_none());

    // Recode the one left to Belonging.
    h.get_by_label("Recode passage 1").click();
    h.run();
    h.get_by_label(BELONGING).click();
    h.run();
    assert!(codings_of(&h, CONFIDENCE).is_empty());
    let moved = codings_of(&h, BELONGING);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].uuid, left[0].uuid, "the same coding, moved");
    assert_eq!(
        (moved[0].start, moved[0].end, moved[0].coder.as_str()),
        (left[0].start, left[0].end, left[0].coder.as_str())
    );
    let history = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .history()
        .unwrap();
    assert_eq!(history.len(), before + 2);
    assert!(
        h.query_by_label("Nothing is coded with this code yet.")
            .is_some()
    );
}

#[test]
fn a_codes_passages_export_to_csv() {
    let (dir, mut h, ranges) = coded();
    double_click(&mut h, "Confidence");
    h.get_by_label("Export CSV…").click();
    h.run();
    let out = dir.path().join("confidence-passages.csv");
    let field = "Code passages CSV path";
    h.get_by_label(field).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(field).type_text(&out.display().to_string());
    h.run();
    h.get_by_label("Save code passages as CSV").click();
    h.run();
    let text = std::fs::read_to_string(&out).expect("written");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        ["document", "coder", "start", "end", "code", "text"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "P01-doreen-walsh.docx");
    assert_eq!(rows[0][2], ranges[0].1.to_string());
    assert_eq!(rows[0][3], ranges[0].2.to_string());
    assert_eq!(rows[0][4], CONFIDENCE);
    assert_eq!(rows[0][5], ranges[0].3);
    assert_eq!(rows[1][5], ranges[1].3);
    // Written through a temp file: nothing else left beside it.
    let extra: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(extra.is_empty());
}

#[test]
fn the_navigator_shows_documents_above_codes_and_keeps_both_while_reading() {
    let (_dir, bench) = bench_on_sample();
    let mut h = crate::gui::tests::harness(bench);
    let doc = h.get_by_label("P01-doreen-walsh.docx").rect();
    let code = h.get_by_label("Confidence").rect();
    assert!(doc.bottom() <= code.top(), "documents above codes");
    assert!(code.bottom() < 900.0, "the code is on screen: {code:?}");
    // Open a document: the codes stay beside the document list.
    h.get_by_label("P01-doreen-walsh.docx").click();
    h.run();
    assert!(h.state().shared.open_document.is_some());
    // The list's entry and the open document's title.
    let named =
        |h: &Harness<'static, Workbench>| h.query_all_by_label("P01-doreen-walsh.docx").count();
    let with_list = named(&h);
    assert!(with_list >= 2, "{with_list}");
    assert!(h.query_by_label("Confidence").is_some());
    // Either list alone, as before.
    h.get_by_label("Documents").click();
    h.run();
    assert!(h.query_by_label("Confidence").is_none());
    h.get_by_label("Codes").click();
    h.run();
    assert_eq!(named(&h), with_list - 1, "the list is hidden");
    assert!(h.query_by_label("Confidence").is_some());
}

#[test]
fn a_long_list_of_passages_shows_a_page_at_a_time() {
    let (dir, mut h, ranges) = coded();
    double_click(&mut h, "Confidence");
    // Two passages, one a page: the second waits behind "Show more".
    h.state_mut()
        .codebook
        .passages
        .as_mut()
        .expect("open")
        .shown = 1;
    h.run();
    assert!(h.query_by_label(&ranges[0].3).is_some());
    assert!(h.query_by_label(&ranges[1].3).is_none());
    h.get_by_label("Show 1 more (1 not shown)").click();
    h.run();
    assert!(h.query_by_label(&ranges[1].3).is_some());
    assert!(h.query_by_label_contains("Show ").is_none());
    drop(dir);
}
