use super::results::{hit_label, snippet_job, timestamp};
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui::Color32;
use egui_kittest::kittest::Queryable as _;
use storyloom_project::Role;

fn search_tab() -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, crate::gui::Workbench>,
) {
    let (dir, mut bench) = bench_on_sample();
    bench.shared.center = CenterTab::Search;
    (dir, harness(bench))
}

fn type_query(h: &mut egui_kittest::Harness<'static, crate::gui::Workbench>, q: &str) {
    h.get_by_label("Search query").focus();
    h.run();
    h.get_by_label("Search query").type_text(q);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
}

#[test]
fn typing_a_query_and_enter_shows_hits_and_a_click_jumps_to_the_match() {
    let (_dir, mut h) = search_tab();
    type_query(&mut h, "choir");
    let results = h.state().search.results.clone().expect("results");
    assert!(results.total > 0, "choir is in the sample");
    assert!(h.state().search.error.is_none());
    assert!(
        h.query_by_label_contains(&format!("{} turn", results.total))
            .is_some()
    );
    let hit = results.hits[0].clone();
    let label = hit_label(0, &hit);
    h.get_by_label(&label).click();
    h.run();
    let sh = &h.state().shared;
    assert_eq!(sh.center, CenterTab::Document);
    assert_eq!(sh.open_document.as_deref(), Some(hit.document.as_str()));
    // The document view takes the request and selects the range.
    let (start, end) = match &sh.jump {
        Some(j) => (j.start, j.end),
        None => {
            let sel = sh.selection.clone().expect("the match is selected");
            assert_eq!(sel.document, hit.document);
            (sel.start, sel.end)
        }
    };
    assert_eq!((start, end), hit.matches[0]);
    // The selected text is the word searched for.
    let doc = sh
        .project
        .as_ref()
        .unwrap()
        .document(&hit.document)
        .unwrap();
    let found: String = doc.text.chars().skip(start).take(end - start).collect();
    assert!(found.to_lowercase().starts_with("choir"), "{found}");
}

#[test]
fn a_malformed_query_shows_the_error_under_the_box() {
    let (_dir, mut h) = search_tab();
    type_query(&mut h, "\"bus pass");
    let err = h.state().search.error.clone().expect("an error");
    assert!(err.starts_with("Unclosed quote"), "{err}");
    assert!(h.query_by_label(&err).is_some(), "shown inline");
    assert!(h.state().search.results.is_none());
    // An unknown field names the valid ones.
    h.state_mut().search.query.clear();
    h.run();
    h.get_by_label("Search query").focus();
    h.run();
    h.get_by_label("Search query").type_text("colour:red");
    h.run();
    h.get_by_label("Run search").click();
    h.run();
    let err = h.state().search.error.clone().expect("an error");
    assert!(err.starts_with("Unknown field 'colour'"), "{err}");
    assert!(err.contains("participant"), "{err}");
    assert!(
        h.query_by_label_contains("Unknown field 'colour'")
            .is_some()
    );
    // Errors in the query are not notices.
    assert!(h.state().shared.notices.is_empty());
}

#[test]
fn regex_mode_finds_patterns_and_the_role_filter_narrows() {
    let (_dir, mut h) = search_tab();
    h.get_by_label("Regex").click();
    h.run();
    type_query(&mut h, "lonel(y|iness)");
    let r = h.state().search.results.clone().expect("results");
    assert!(h.state().search.error.is_none());
    assert!(r.total > 0);
    assert!(
        r.index_status.is_none(),
        "regex mode does not use the index"
    );
    let doc = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .document(&r.hits[0].document)
        .unwrap();
    let (s, e) = r.hits[0].matches[0];
    let m: String = doc.text.chars().skip(s).take(e - s).collect();
    assert!(m.to_lowercase().starts_with("lonel"), "{m}");
    // Only interviewers: fewer (or as many) hits, all of them interviewers.
    h.get_by_label("Role").click();
    h.run();
    h.get_by_label("Interviewers").click();
    h.run();
    assert_eq!(
        h.state().search.filter().as_deref(),
        Some("role:interviewer")
    );
    h.get_by_label("Run search").click();
    h.run();
    let narrowed = h.state().search.results.clone().expect("results");
    assert!(narrowed.total <= r.total);
    assert!(narrowed.hits.iter().all(|x| x.role == Role::Interviewer));
}

#[test]
fn results_stay_when_switching_tabs_and_document_order_sorts() {
    let (_dir, mut h) = search_tab();
    h.get_by_label("Order").click();
    h.run();
    h.get_by_label("Document order").click();
    h.run();
    type_query(&mut h, "bus OR lift*");
    let r = h.state().search.results.clone().expect("results");
    assert!(r.hits.len() > 1);
    h.get_by_label("Queries").click();
    h.run();
    h.get_by_label("Search").click();
    h.run();
    assert_eq!(h.state().search.results.as_ref(), Some(&r));
    assert!(h.query_by_label(&hit_label(0, &r.hits[0])).is_some());
}

#[test]
fn snippets_highlight_matches_by_char_offsets() {
    let ctx = egui::Context::default();
    let mut job = None;
    let mut out = ctx.run_ui(Default::default(), |ui| {
        job = Some(snippet_job(ui, "Café choir, choir!", &[(5, 10), (12, 17)]));
    });
    out.textures_delta.clear();
    let job = job.unwrap();
    let texts: Vec<&str> = job
        .sections
        .iter()
        .map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0])
        .collect();
    assert_eq!(texts, ["Café ", "choir", ", ", "choir", "!"]);
    assert_ne!(job.sections[1].format.background, Color32::TRANSPARENT);
    assert_eq!(job.sections[0].format.background, Color32::TRANSPARENT);
    assert_eq!(timestamp(83_000), "1:23");
    assert_eq!(timestamp(3_723_000), "1:02:03");
}
