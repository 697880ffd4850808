//! The agreement panel: the same figures as `storyloom agreement`, the
//! per-document view, a disagreement shown side by side and settled.

use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use std::path::PathBuf;
use storyloom_project::Project;

/// The sample study with its codings by ana and ben.
pub fn bench_with_two_coders() -> (tempfile::TempDir, Workbench) {
    let (dir, mut bench) = bench_on_sample();
    let csv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data/codings.csv");
    let p = bench.shared.project.as_mut().expect("a project");
    p.import_codings_csv(&csv).expect("sample codings");
    bench.shared.revision += 1;
    (dir, bench)
}

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn click(h: &mut Harness<'static, Workbench>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

fn open_panel(bench: Workbench) -> Harness<'static, Workbench> {
    let mut h = harness(bench);
    h.get_by_label("Agreement").click();
    h.run();
    h
}

#[test]
fn the_window_shows_the_command_lines_figures() {
    let (_dir, bench) = bench_with_two_coders();
    let mut h = open_panel(bench);
    let cli =
        crate::cli::analysis::agreement_text(&project(&h).agreement("ana", "ben", &[]).unwrap());
    let labels: Vec<String> = h
        .root()
        .children_recursive()
        .filter_map(|n| {
            let n = n.accesskit_node();
            // A label's text run repeats its text.
            if n.role() == egui::accesskit::Role::TextRun {
                return None;
            }
            n.label().or_else(|| n.value())
        })
        .collect();
    let mut rows = 0;
    for line in cli.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Krippendorff") || cols.len() < 5 {
            break;
        }
        let n = cols.len();
        let (pct, kappa, alpha) = (cols[n - 4], cols[n - 3], cols[n - 1]);
        if line.starts_with("all codes") {
            let (pct, kappa) = (cols[n - 3], cols[n - 2]);
            let overall = format!("All codes: {pct}% agreement, kappa {kappa}, alpha {alpha}");
            assert!(h.query_by_label(&overall).is_some(), "{overall}\n{cli}");
            continue;
        }
        rows += 1;
        // The code's row: its name, then its figures, as the command line prints them.
        let code = line[..40].trim().trim_end_matches('…');
        let mean = cols[n - 2];
        let found = labels.windows(5).any(|w| {
            w[0].starts_with(code) && w[1] == pct && w[2] == kappa && w[3] == mean && w[4] == alpha
        });
        assert!(found, "{line}\n{labels:?}");
    }
    assert!(rows > 3, "{cli}");
    assert!(
        h.query_all_by_label_contains("only by").next().is_some(),
        "the disagreements are listed"
    );
    h.state_mut().agreement.document = Some("P01-doreen-walsh.docx".into());
    h.run();
    let listed: Vec<String> = h
        .query_all_by_label_contains("only by")
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    assert!(!listed.is_empty());
    assert!(
        listed
            .iter()
            .all(|l| l.starts_with("P01-doreen-walsh.docx")),
        "{listed:?}"
    );
}

#[test]
fn a_disagreement_is_shown_side_by_side_and_settled_in_one_undoable_change() {
    let (_dir, bench) = bench_with_two_coders();
    let mut h = open_panel(bench);
    let before = project(&h).agreement("ana", "ben", &[]).unwrap();
    let first = &before.disagreements[0];
    let row = h
        .query_all_by_label_contains("only by")
        .next()
        .expect("a disagreement");
    row.click();
    h.run();
    assert!(h.query_by_label("ana coded").is_some());
    assert!(h.query_by_label("ben coded").is_some());
    let history = project(&h).history().unwrap().len();
    click(&mut h, "Keep both");
    h.run();
    assert!(
        h.state().shared.notices.iter().all(|n| !n.error),
        "{:?}",
        h.state().shared.notices
    );
    assert_eq!(
        project(&h).history().unwrap().len(),
        history + 1,
        "one change"
    );
    let after = project(&h).agreement("ana", "ben", &[]).unwrap();
    assert!(
        !after
            .disagreements
            .iter()
            .any(|d| d.document == first.document
                && d.code == first.code
                && d.start == first.start),
        "settled"
    );
    assert!(after.disagreements.len() < before.disagreements.len());
    // Undo brings the disagreement back.
    h.state_mut().shared.act(|p| p.undo()).unwrap();
    h.run();
    assert_eq!(
        project(&h)
            .agreement("ana", "ben", &[])
            .unwrap()
            .disagreements
            .len(),
        before.disagreements.len()
    );
}

#[test]
fn merging_into_a_consensus_lets_a_coder_be_compared_with_it() {
    let (_dir, bench) = bench_with_two_coders();
    let mut h = open_panel(bench);
    h.query_all_by_label_contains("only by")
        .next()
        .unwrap()
        .click();
    h.run();
    click(&mut h, "Merge into a consensus coding");
    assert!(
        project(&h)
            .coders()
            .unwrap()
            .contains(&"consensus".to_owned())
    );
    h.state_mut().agreement.coder_b = Some("consensus".into());
    h.run();
    assert!(h.query_by_label_contains("ana and consensus on").is_some());
}

#[test]
fn keeping_one_coders_version_gives_it_to_the_other() {
    let (_dir, bench) = bench_with_two_coders();
    let mut h = open_panel(bench);
    let d = project(&h)
        .agreement("ana", "ben", &[])
        .unwrap()
        .disagreements[0]
        .clone();
    h.query_all_by_label_contains("only by")
        .next()
        .expect("a disagreement")
        .click();
    h.run();
    let label = format!("Keep {}'s version", d.coded_by);
    click(&mut h, &label);
    let after = project(&h).agreement("ana", "ben", &[]).unwrap();
    assert!(
        !after
            .disagreements
            .iter()
            .any(|x| x.document == d.document && x.code == d.code && x.start == d.start),
        "settled"
    );
    // The other coder now has the words the kept coder coded.
    let other = if d.coded_by == "ana" { "ben" } else { "ana" };
    let theirs = project(&h)
        .codings(Some(&d.code), Some(&d.document), Some(other))
        .unwrap();
    assert!(theirs.iter().any(|c| c.start <= d.start && d.end <= c.end));
}

#[test]
fn coders_without_a_document_in_common_are_told_so() {
    let (_dir, mut bench) = bench_with_two_coders();
    let p = bench.shared.project.as_mut().unwrap();
    p.set_actor("carol");
    let doc = p.document("P03").unwrap();
    p.add_coding(&storyloom_project::CodingRequest {
        code: "Loss and loneliness",
        document: &doc.uuid,
        start: 0,
        end: 10,
        version: None,
    })
    .unwrap();
    let mut h = open_panel(bench);
    // Ben coded P01, P04 and P07 only.
    h.state_mut().agreement.coder_a = Some("ben".into());
    h.state_mut().agreement.coder_b = Some("carol".into());
    h.run();
    assert!(
        h.query_by_label_contains("have not coded any document in common")
            .is_some()
    );
}

#[test]
fn show_in_transcript_draws_both_coders_side_by_side_in_the_margin() {
    let (_dir, bench) = bench_with_two_coders();
    let mut h = open_panel(bench);
    let s = project(&h).agreement("ana", "ben", &[]).unwrap();
    h.query_all_by_label_contains("only by")
        .next()
        .expect("a disagreement")
        .click();
    h.run();
    let d = s.disagreements[0].clone();
    click(&mut h, "Show in transcript");
    for _ in 0..4 {
        h.run();
    }
    assert_eq!(h.state().shared.center, CenterTab::Document);
    // Both coders' columns, named, beside the passage.
    assert!(h.query_by_label("A: ana").is_some());
    assert!(h.query_by_label("B: ben").is_some());
    let (a, b) = h.state().document.compared();
    let by_coded = if d.coded_by == "ana" { a } else { b };
    assert!(by_coded > 0, "{} coded here: ({a}, {b})", d.coded_by);
    // Drawn whatever the coder filter shows: blind mode keeps both columns.
    h.state_mut().shared.coders.blind = true;
    h.state_mut().shared.revision += 1;
    h.run();
    h.run();
    assert_eq!(h.state().document.compared(), (a, b));
    // Close puts the columns away.
    h.get_by_label("Close comparison").click();
    h.run();
    h.run();
    assert!(h.query_by_label("A: ana").is_none());
    assert_eq!(h.state().document.compared(), (0, 0));
    assert!(h.state().shared.compare.is_none());
}
