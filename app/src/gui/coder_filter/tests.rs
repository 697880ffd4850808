//! Blind mode and the coder filter: the other coders' codings leave the
//! stripes, the inspector and retrieval, and come back when it is off.

use crate::gui::Workbench;
use crate::gui::agreement_panel::tests::bench_with_two_coders;
use crate::gui::document_view::stashed_codings;
use crate::gui::shared::CenterTab;
use crate::gui::tests::harness;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The coders of the codings the document view shows.
fn shown_coders(h: &Harness<'static, Workbench>) -> Vec<String> {
    let sh = &h.state().shared;
    let doc = sh.open_document.clone().expect("a document");
    let stash = stashed_codings(&h.ctx, &doc, sh.revision).expect("the view read its codings");
    let mut c: Vec<String> = stash.codings.iter().map(|c| c.coder.clone()).collect();
    c.sort();
    c.dedup();
    c
}

fn retrieved_coders(h: &mut Harness<'static, Workbench>) -> Vec<String> {
    h.state_mut().shared.center = CenterTab::Queries;
    h.run();
    h.get_by_label("Code expression").focus();
    h.run();
    h.get_by_label("Code expression")
        .type_text("\"Loss and loneliness\"");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let hits = h.state().queries.retrieval.hits.clone().expect("hits");
    h.state_mut().queries.retrieval.expression.clear();
    h.state_mut().shared.center = CenterTab::Document;
    h.run();
    let mut c: Vec<String> = hits.into_iter().flat_map(|h| h.coders).collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn blind_mode_hides_the_other_coders_codings_everywhere() {
    let (_dir, mut bench) = bench_with_two_coders();
    let p = bench.shared.project.as_mut().unwrap();
    p.set_actor("ana");
    // A passage only ben coded.
    let d = p
        .agreement("ana", "ben", &[])
        .unwrap()
        .disagreements
        .into_iter()
        .find(|d| d.coded_by == "ben")
        .expect("a passage only ben coded");
    // Selected, so the inspector lists the codings there.
    bench.shared.jump_to(&d.document, d.start, d.end);
    let mut h = harness(bench);
    h.run();
    assert_eq!(shown_coders(&h), ["ana", "ben"]);
    assert!(h.query_by_label("ben").is_some(), "the inspector names ben");
    assert_eq!(retrieved_coders(&mut h), ["ana", "ben"]);

    h.get_by_label("Blind coding").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label("Blind: only ana's codings are shown.")
            .is_some()
    );
    assert_eq!(shown_coders(&h), ["ana"]);
    assert!(h.query_by_label("ben").is_none(), "ben's coding is hidden");
    assert_eq!(retrieved_coders(&mut h), ["ana"]);

    // Off again: everything is back.
    h.get_by_label("Blind coding").click();
    h.run();
    h.run();
    assert_eq!(shown_coders(&h), ["ana", "ben"]);
    assert!(h.query_by_label("ben").is_some());
}

#[test]
fn the_coder_filter_shows_one_coders_codings() {
    let (_dir, mut bench) = bench_with_two_coders();
    let doc = bench.shared.read(|p| p.document("P01")).expect("P01").uuid;
    bench.shared.open(&doc);
    let mut h = harness(bench);
    h.get_by_label("Codings by").click();
    h.run();
    h.get_by_label("ben").click();
    h.run();
    h.run();
    assert_eq!(shown_coders(&h), ["ben"]);
    assert_eq!(retrieved_coders(&mut h), ["ben"]);
}
