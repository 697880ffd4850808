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

/// Turns on blind mode for ana (as the checkbox does).
fn blind(h: &mut Harness<'static, Workbench>) {
    let sh = &mut h.state_mut().shared;
    if let Some(p) = sh.project.as_mut() {
        p.set_actor("ana");
    }
    sh.coders.blind = true;
    sh.revision += 1;
    h.run();
    h.run();
}

/// A code ben used, with ben's count and the count of everyone's.
fn a_code_ben_used(h: &Harness<'static, Workbench>) -> (String, usize, usize) {
    let p = h.state().shared.project.as_ref().expect("a project");
    let all = p.coding_counts_by(None, None).expect("counts");
    let ana = p.coding_counts_by(None, Some("ana")).expect("counts");
    let c = p
        .coding_counts_by(None, Some("ben"))
        .expect("counts")
        .into_iter()
        .next()
        .expect("ben coded something");
    let of = |list: &[storyloom_project::store::codings::CodingCount]| {
        list.iter()
            .find(|x| x.code == c.code)
            .map_or(0, |x| x.codings)
    };
    (c.code.clone(), of(&ana), of(&all))
}

#[test]
fn blind_mode_counts_only_your_codings_in_the_codebook_tree() {
    let (_dir, mut bench) = bench_with_two_coders();
    bench.shared.center = CenterTab::Document;
    let mut h = harness(bench);
    h.get_by_label("Codes").click();
    h.run();
    let (code, ana, all) = a_code_ben_used(&h);
    assert!(ana < all, "ben's codings add to the count");
    assert_eq!(h.state().codebook.count_of(&code), all);
    blind(&mut h);
    assert_eq!(h.state().codebook.count_of(&code), ana, "ben's counted");
    h.state_mut().shared.coders.blind = false;
    h.state_mut().shared.revision += 1;
    h.run();
    assert_eq!(h.state().codebook.count_of(&code), all);
}

#[test]
fn blind_mode_search_does_not_find_other_coders_codings_as_coded() {
    let (_dir, mut bench) = bench_with_two_coders();
    bench.shared.center = CenterTab::Search;
    let mut h = harness(bench);
    // A code some turns of which only ben coded with.
    let by = |h: &mut Harness<'static, Workbench>, name: &str, coder: Option<&str>| {
        let options = storyloom_project::search::SearchOptions {
            coder: coder.map(str::to_owned),
            ..Default::default()
        };
        let p = h.state_mut().shared.project.as_mut().expect("a project");
        p.search(&format!("code:\"{name}\""), &options)
            .expect("search")
            .total
    };
    let names: Vec<String> = {
        let p = h.state().shared.project.as_ref().expect("a project");
        p.coding_counts_by(None, Some("ben"))
            .expect("counts")
            .iter()
            .map(|c| p.code(&c.code).expect("code").name().to_owned())
            .collect()
    };
    let (name, everyone, anas) = names
        .into_iter()
        .find_map(|n| {
            let (e, a) = (by(&mut h, &n, None), by(&mut h, &n, Some("ana")));
            (a < e).then_some((n, e, a))
        })
        .expect("a code some turns of which only ben coded");
    h.get_by_label("Search query").focus();
    h.run();
    h.get_by_label("Search query")
        .type_text(&format!("code:\"{name}\""));
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let total =
        |h: &Harness<'static, Workbench>| h.state().search.results.as_ref().expect("results").total;
    assert_eq!(total(&h), everyone);
    // Blind: the results are searched again, and ben's codings count no more.
    blind(&mut h);
    assert_eq!(total(&h), anas);
    h.state_mut().shared.coders.blind = false;
    h.state_mut().shared.revision += 1;
    h.run();
    assert_eq!(total(&h), everyone);
}

#[test]
fn blind_mode_hides_the_other_coders_codings_in_the_story_editor() {
    let (_dir, mut bench) = bench_with_two_coders();
    let story = bench
        .shared
        .act(|p| p.create_story("P01", "Blind"))
        .expect("story");
    bench.stories.story = Some(story);
    bench.shared.center = CenterTab::Stories;
    let doc = bench.shared.read(|p| p.document("P01")).expect("P01").uuid;
    let mut h = harness(bench);
    h.run();
    let coders = |h: &Harness<'static, Workbench>| {
        let sh = &h.state().shared;
        let stash = stashed_codings(&h.ctx, &doc, sh.revision).expect("the transcript's codings");
        let mut c: Vec<String> = stash.codings.iter().map(|c| c.coder.clone()).collect();
        c.sort();
        c.dedup();
        c
    };
    assert_eq!(coders(&h), ["ana", "ben"]);
    blind(&mut h);
    assert_eq!(
        coders(&h),
        ["ana"],
        "ben's stripes in the story's transcript"
    );
}
