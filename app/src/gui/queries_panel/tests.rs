//! egui_kittest tests of the queries panel on the sample study, with a few
//! ranges coded first (the sample has no codings).

use super::heatmap::{cell_label, jaccard, jaccard_label, jaccard_legend_values, legend_values};
use super::matrix::matrix_cell_label;
use super::passages::passage_label;
use super::{QueryTab, code_expr};
use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{CodingRequest, Role};

const BELONGING: &str = "Why it matters > Belonging";
const LOSS: &str = "Loss and loneliness";
const CONFIDENCE: &str = "What changed > Confidence";

/// What was coded: (document uuid, start, end) of each range.
struct Coded {
    /// P01: Belonging over a whole turn.
    belonging: (String, usize, usize),
    /// P01: Loss and loneliness over the first half of that turn.
    overlap: (String, usize, usize),
}

/// The first participant turn of a document longer than 80 chars.
fn long_turn(bench: &Workbench, doc: &str, skip: usize) -> (String, usize, usize) {
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
        .filter(|t| t.role == Role::Participant && t.end - t.start > 80)
        .nth(skip)
        .expect("a long participant turn");
    (d.uuid.clone(), t.start, t.end)
}

fn code(bench: &mut Workbench, code: &str, (doc, start, end): &(String, usize, usize)) {
    bench
        .shared
        .act(|p| {
            p.add_coding(&CodingRequest {
                code,
                document: doc,
                start: *start,
                end: *end,
                version: None,
            })
        })
        .expect("coded");
}

/// A workbench on the sample with codings, showing the Queries tab.
fn coded_bench() -> (tempfile::TempDir, Harness<'static, Workbench>, Coded) {
    let (dir, mut bench) = bench_on_sample();
    let belonging = long_turn(&bench, "P01-doreen-walsh.docx", 0);
    let overlap = (
        belonging.0.clone(),
        belonging.1,
        belonging.1 + (belonging.2 - belonging.1) / 2,
    );
    code(&mut bench, BELONGING, &belonging);
    code(&mut bench, LOSS, &overlap);
    // P03: Belonging alone.
    let other = long_turn(&bench, "P03-winston-clarke.txt", 1);
    code(&mut bench, BELONGING, &other);
    // P05: Confidence and Loss in the same turn without overlapping.
    let (d, s, e) = long_turn(&bench, "P05-bernie-kowalski.txt", 0);
    let mid = s + (e - s) / 2;
    code(&mut bench, CONFIDENCE, &(d.clone(), s, mid));
    code(&mut bench, LOSS, &(d, mid + 1, e));
    bench.shared.center = CenterTab::Queries;
    let h = harness(bench);
    (dir, h, Coded { belonging, overlap })
}

fn type_into(h: &mut Harness<'static, Workbench>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// The document view opened the document and selected exactly this range.
pub(in crate::gui) fn assert_jumped(
    h: &Harness<'static, Workbench>,
    (doc, start, end): &(String, usize, usize),
) {
    let sh = &h.state().shared;
    assert_eq!(sh.center, CenterTab::Document);
    assert_eq!(sh.open_document.as_deref(), Some(doc.as_str()));
    match &sh.jump {
        // Not yet taken by the document view.
        Some(j) => assert_eq!((&j.document, j.start, j.end), (doc, *start, *end)),
        None => {
            let sel = sh.selection.clone().expect("the range is selected");
            assert_eq!((&sel.document, sel.start, sel.end), (doc, *start, *end));
        }
    }
}

fn open_tab(h: &mut Harness<'static, Workbench>, tab: QueryTab) {
    h.get_by_label(tab.label()).click();
    h.run();
    assert_eq!(h.state().queries.tab, tab);
}

#[test]
fn coding_retrieval_lists_the_overlap_and_a_row_click_jumps_there() {
    let (_dir, mut h, coded) = coded_bench();
    assert_eq!(h.state().queries.tab, QueryTab::Retrieval);
    type_into(
        &mut h,
        "Code expression",
        "Belonging AND \"Loss and loneliness\"",
    );
    h.key_press(egui::Key::Enter);
    h.run();
    let r = &h.state().queries.retrieval;
    assert!(r.error.is_none(), "{:?}", r.error);
    let hits = r.hits.clone().expect("hits");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(
        (hit.document.clone(), hit.start, hit.end),
        coded.overlap.clone()
    );
    assert_eq!(hit.participant.as_deref(), Some("P01"));
    assert!(h.query_by_label("1 passage").is_some());
    h.get_by_label(&passage_label(0, hit)).click();
    h.run();
    assert_jumped(&h, &coded.overlap);
}

#[test]
fn each_coding_scope_and_errors_in_the_expression() {
    let (_dir, mut h, coded) = coded_bench();
    type_into(&mut h, "Code expression", "Belonging");
    h.get_by_label("Each coding").click();
    h.run();
    h.get_by_label("Run").click();
    h.run();
    let hits = h.state().queries.retrieval.hits.clone().expect("hits");
    assert_eq!(hits.len(), 2, "two Belonging codings");
    assert!(
        hits.iter()
            .any(|x| (x.document.clone(), x.start, x.end) == coded.belonging)
    );
    // Interviewers said none of it.
    h.get_by_label("Role").click();
    h.run();
    h.get_by_label("Interviewers").click();
    h.run();
    h.get_by_label("Run").click();
    h.run();
    assert_eq!(h.state().queries.retrieval.hits.as_ref().unwrap().len(), 0);
    // Participant P03 only: one.
    h.get_by_label("Role").click();
    h.run();
    h.get_by_label("Any role").click();
    h.run();
    h.get_by_label("Participant").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Button, "P03")
        .click();
    h.run();
    h.get_by_label("Run").click();
    h.run();
    let hits = h.state().queries.retrieval.hits.clone().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].participant.as_deref(), Some("P03"));
    // An attribute condition, NAME = VALUE: P01's site.
    h.get_by_label("Participant").click();
    h.run();
    h.get_by_label("Any participant").click();
    h.run();
    h.get_by_label("Add attribute condition").click();
    h.run();
    h.get_by_label("Attribute 1").click();
    h.run();
    h.get_by_label("site").click();
    h.run();
    h.get_by_label("Value 1").click();
    h.run();
    h.get_by_label("St Aidan's church hall").click();
    h.run();
    h.get_by_label("Run").click();
    h.run();
    let r = &h.state().queries.retrieval;
    assert!(r.error.is_none(), "{:?}", r.error);
    let hits = r.hits.clone().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].participant.as_deref(), Some("P01"));
    // A malformed expression is shown in red under the box.
    h.state_mut().queries.retrieval.expression = "(Belonging AND".into();
    h.run();
    h.get_by_label("Run").click();
    h.run();
    let err = h.state().queries.retrieval.error.clone().expect("an error");
    assert!(h.query_by_label(&err).is_some(), "{err}");
    // An unknown code too.
    h.state_mut().queries.retrieval.expression = "Tea and biscuits".into();
    h.run();
    h.get_by_label("Run").click();
    h.run();
    let err = h.state().queries.retrieval.error.clone().expect("an error");
    assert!(err.to_lowercase().contains("tea and biscuits"), "{err}");
}

#[test]
fn cooccurrence_shows_a_non_zero_cell_and_a_click_retrieves_both() {
    let (_dir, mut h, coded) = coded_bench();
    open_tab(&mut h, QueryTab::Cooccurrence);
    let m = h
        .state()
        .queries
        .cooccurrence
        .result
        .clone()
        .expect("computed")
        .expect("no error");
    let (b, l) = (
        m.codes.iter().position(|c| c == BELONGING).unwrap(),
        m.codes.iter().position(|c| c == LOSS).unwrap(),
    );
    assert_eq!(m.cells[b][l], 1);
    assert_eq!(m.cells[b][b], 2);
    // The legend shows the scale's values: together up to 1, alone up to the largest diagonal.
    assert!(h.query_by_label("Codes together:").is_some());
    assert!(h.query_by_label("A code alone (diagonal):").is_some());
    let max_diag = (0..m.codes.len()).map(|i| m.cells[i][i]).max().unwrap();
    assert!(h.query_all_by_label(&max_diag.to_string()).count() >= 1);
    assert_eq!(legend_values(1), vec![0, 1]);
    assert_eq!(legend_values(8), vec![0, 2, 4, 6, 8]);
    assert_eq!(legend_values(3), vec![0, 1, 2, 3]);
    let label = cell_label(BELONGING, LOSS, 1);
    h.get_by_label(&label).click();
    h.run();
    let drill = h
        .state()
        .queries
        .cooccurrence
        .drill
        .as_ref()
        .expect("drill");
    assert_eq!(
        drill.expression,
        format!("{} AND {}", code_expr(BELONGING), code_expr(LOSS))
    );
    let hits = drill.hits.clone().expect("passages");
    assert_eq!(hits.len(), 1);
    h.get_by_label(&passage_label(0, &hits[0])).click();
    h.run();
    assert_jumped(&h, &coded.overlap);

    // Same-turn mode also counts Confidence with Loss (same turn, no overlap).
    h.state_mut().shared.center = CenterTab::Queries;
    h.run();
    h.get_by_label("Mode").click();
    h.run();
    h.get_by_label("Same turn").click();
    h.run();
    let m = h
        .state()
        .queries
        .cooccurrence
        .result
        .clone()
        .unwrap()
        .unwrap();
    let c = m.codes.iter().position(|c| c == CONFIDENCE).unwrap();
    let l = m.codes.iter().position(|c| c == LOSS).unwrap();
    assert_eq!(m.cells[c][l], 1);
    assert!(h.query_by_label(&cell_label(CONFIDENCE, LOSS, 1)).is_some());
    // Unused codes are hidden by default; showing them adds cells.
    assert!(
        h.query_by_label_contains("Link work practice > Discretion × ")
            .is_none()
    );
    h.get_by_label("Hide unused codes").click();
    h.run();
    assert!(
        h.query_all_by_label_contains("Link work practice > Discretion × ")
            .next()
            .is_some()
    );
}

#[test]
fn code_by_participant_and_by_attribute_with_totals() {
    let (_dir, mut h, coded) = coded_bench();
    open_tab(&mut h, QueryTab::ByParticipant);
    let m = h
        .state()
        .queries
        .by_participant
        .result
        .clone()
        .unwrap()
        .unwrap();
    let row = m.rows.iter().position(|r| r == BELONGING).unwrap();
    let p01 = m.columns.iter().position(|c| c == "P01").unwrap();
    assert_eq!(m.cells[row][p01].0, 1);
    assert_eq!(m.row_totals[row].0, 2);
    assert!(
        h.query_by_label(&matrix_cell_label(BELONGING, "P01", 1))
            .is_some()
    );
    assert!(
        h.query_by_label(&matrix_cell_label(BELONGING, "Total", 2))
            .is_some()
    );
    // Words instead of segments.
    h.get_by_label("Words").click();
    h.run();
    let words = m.cells[row][p01].1;
    assert!(words > 5);
    assert!(
        h.query_by_label(&matrix_cell_label(BELONGING, "P01", words))
            .is_some()
    );
    h.get_by_label("Segments").click();
    h.run();
    // A cell lists its passages, scoped to the participant.
    h.get_by_label(&matrix_cell_label(BELONGING, "P01", 1))
        .click();
    h.run();
    let drill = h
        .state()
        .queries
        .by_participant
        .drill
        .as_ref()
        .expect("drill");
    let hits = drill.hits.clone().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].document.clone(), hits[0].start, hits[0].end),
        coded.belonging
    );

    open_tab(&mut h, QueryTab::ByAttribute);
    h.get_by_label("Attribute").click();
    h.run();
    h.get_by_label("gender").click();
    h.run();
    let m = h
        .state()
        .queries
        .by_attribute
        .result
        .clone()
        .unwrap()
        .unwrap();
    let row = m.rows.iter().position(|r| r == BELONGING).unwrap();
    let total: usize = m.cells[row].iter().map(|c| c.0).sum();
    assert_eq!(total, 2);
    assert!(m.columns.iter().any(|c| c == "woman"));
    assert_eq!(
        h.query_all_by_label("Total").count(),
        2,
        "a total row and column"
    );
}

#[test]
fn frequencies_list_every_code_with_a_chart_and_save_as_csv() {
    let (dir, mut h, _) = coded_bench();
    open_tab(&mut h, QueryTab::Frequencies);
    let rows = h.state().queries.frequencies.rows.clone().unwrap().unwrap();
    let codes = h.state().shared.project.as_ref().unwrap().codes().unwrap();
    assert_eq!(rows.len(), codes.len());
    for r in &rows {
        assert!(
            h.query_by_label(&super::frequencies::frequency_label(r))
                .is_some(),
            "{}",
            r.path
        );
    }
    let b = rows.iter().find(|r| r.path == BELONGING).unwrap();
    assert_eq!((b.codings, b.documents, b.participants), (2, 2, 2));
    // Save the table as CSV and read it back.
    let path = dir.path().join("freq.csv");
    h.state_mut().queries.frequencies_csv_path(&path);
    h.run();
    assert_eq!(
        h.get_by_label("CSV path").value().as_deref(),
        Some(path.to_str().unwrap())
    );
    h.get_by_label("Save as CSV").click();
    h.run();
    let notice = h.state().shared.notices.last().expect("a notice").clone();
    assert!(!notice.error, "{}", notice.text);
    assert!(notice.text.starts_with("Saved"), "{}", notice.text);
    let mut r = csv::Reader::from_path(&path).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "code",
            "codings",
            "documents",
            "participants",
            "words",
            "coders"
        ]
    );
    let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), codes.len());
    let belonging = records.iter().find(|x| &x[0] == BELONGING).unwrap();
    assert_eq!(&belonging[1], "2");
    // A folder that does not exist: the failure is a notice too.
    h.state_mut()
        .queries
        .frequencies_csv_path(&dir.path().join("missing").join("f.csv"));
    h.run();
    h.get_by_label("Save as CSV").click();
    h.run();
    assert!(h.state().shared.notices.last().unwrap().error);
}

#[test]
fn cooccurrence_normalised_view_has_its_legend_and_passages_open_beside_it() {
    let (_dir, mut h, coded) = coded_bench();
    open_tab(&mut h, QueryTab::Cooccurrence);
    h.get_by_label("Show").click();
    h.run();
    h.get_by_label("Normalised (Jaccard)").click();
    h.run();
    let m = h
        .state()
        .queries
        .cooccurrence
        .result
        .clone()
        .unwrap()
        .unwrap();
    let (b, l) = (
        m.codes.iter().position(|c| c == BELONGING).unwrap(),
        m.codes.iter().position(|c| c == LOSS).unwrap(),
    );
    // Belonging 2 codings, Loss 2, one region with both: 1 / (2 + 2 - 1).
    let j = jaccard(&m, b, l);
    assert!((j - 1.0 / 3.0).abs() < 1e-6, "{j}");
    assert_eq!(jaccard(&m, b, l), jaccard(&m, l, b));
    let label = jaccard_label(BELONGING, LOSS, j, 1);
    assert_eq!(label, format!("{BELONGING} × {LOSS}: Jaccard 0.33 (1)"));
    assert!(h.query_by_label(&label).is_some());
    // The legend: the normalised scale with its values, and the diagonal's counts.
    assert!(h.query_by_label("Codes together (Jaccard):").is_some());
    assert!(h.query_by_label("Codes together:").is_none());
    assert!(h.query_by_label("A code alone (diagonal):").is_some());
    assert_eq!(jaccard_legend_values(1.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    for v in jaccard_legend_values(j.max(jaccard(&m, l, b))) {
        assert!(
            h.query_by_label(&format!("{v:.2}")).is_some(),
            "legend value {v:.2}"
        );
    }
    // A cell's passages open in a panel beside the heatmap, each whole.
    let cell = h.get_by_label(&label).rect();
    h.get_by_label(&label).click();
    h.run();
    let hits = h
        .state()
        .queries
        .cooccurrence
        .drill
        .as_ref()
        .expect("drill")
        .hits
        .clone()
        .unwrap();
    assert_eq!(hits.len(), 1);
    let passage = h.get_by_label(&passage_label(0, &hits[0])).rect();
    assert!(passage.left() > cell.right(), "{passage:?} beside {cell:?}");
    assert!(
        passage.top() < cell.bottom() + 200.0,
        "{passage:?} not below the fold"
    );
    assert!(
        h.query_by_label(&hits[0].text).is_some(),
        "the passage's whole text"
    );
    h.get_by_label(&passage_label(0, &hits[0])).click();
    h.run();
    assert_jumped(&h, &coded.overlap);
    h.state_mut().shared.center = CenterTab::Queries;
    h.run();
    h.get_by_label("Close passages").click();
    h.run();
    assert!(h.state().queries.cooccurrence.drill.is_none());
}

#[test]
fn a_frequency_row_lists_its_passages() {
    let (_dir, mut h, _) = coded_bench();
    open_tab(&mut h, QueryTab::Frequencies);
    let rows = h.state().queries.frequencies.rows.clone().unwrap().unwrap();
    let loss = rows.iter().find(|r| r.path == LOSS).unwrap();
    // The chart is above the table: a tall window shows both.
    h.set_size(egui::vec2(1400.0, 1600.0));
    h.run();
    // Click on the code's name (the row's middle may fall on a column's
    // resize handle).
    let row = h
        .get_by_label(&super::frequencies::frequency_label(loss))
        .rect();
    let at = egui::pos2(row.left() + 40.0, row.center().y);
    h.event(egui::Event::PointerMoved(at));
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.step();
    }
    h.run();
    let drill = h.state().queries.frequencies.drill.as_ref().expect("drill");
    let hits = drill.hits.clone().unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|x| x.codes.iter().any(|c| c == LOSS)));
    // Its rows jump too.
    let target = (hits[1].document.clone(), hits[1].start, hits[1].end);
    h.get_by_label(&passage_label(1, &hits[1])).click();
    h.run();
    assert_jumped(&h, &target);
}

#[test]
fn results_follow_changes_to_the_project() {
    let (_dir, mut h, coded) = coded_bench();
    type_into(&mut h, "Code expression", "Loss and loneliness");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().queries.retrieval.hits.as_ref().unwrap().len(), 2);
    // Coding more text elsewhere (as the document view would) refreshes the passages.
    let (doc, s, _) = coded.belonging.clone();
    let more = (doc, s.saturating_sub(40), s.saturating_sub(10));
    h.state_mut()
        .shared
        .act(|p| {
            p.add_coding(&CodingRequest {
                code: LOSS,
                document: &more.0,
                start: more.1,
                end: more.2,
                version: None,
            })
        })
        .unwrap();
    h.run();
    assert_eq!(h.state().queries.retrieval.hits.as_ref().unwrap().len(), 3);
    assert!(h.query_by_label("3 passages").is_some());
}

#[test]
fn the_matrix_keeps_its_code_column_when_scrolled_sideways() {
    let (_dir, mut h, _coded) = coded_bench();
    open_tab(&mut h, QueryTab::ByParticipant);
    let width = 900.0;
    h.set_size(egui::vec2(width, 800.0));
    h.run();
    let total = matrix_cell_label(BELONGING, "Total", 2);
    let code = h.get_by_label(BELONGING).rect();
    let cell = h.get_by_label(&total).rect();
    assert!(
        cell.right() > width,
        "the totals are off to the right: {cell:?}"
    );
    // The wheel sideways over the counts.
    let over = egui::pos2(code.right() + 100.0, code.center().y);
    h.event(egui::Event::PointerMoved(over));
    h.run();
    for _ in 0..4 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(-400.0, 0.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run();
    }
    let cell = h.get_by_label(&total).rect();
    assert!(cell.right() <= width, "scrolled to the totals: {cell:?}");
    // The code column has not moved, and its row lines up with the counts.
    assert_eq!(h.get_by_label(BELONGING).rect(), code);
    assert!(
        (cell.center().y - code.center().y).abs() < 2.0,
        "{code:?} {cell:?}"
    );
}
