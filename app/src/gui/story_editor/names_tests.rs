//! The story editor lists the unreviewed names a story carries and opens
//! the Pseudonyms panel at one.

use crate::gui::shared::{CenterTab, Selection};
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::kittest::Queryable as _;

#[test]
fn unreviewed_names_in_a_story_open_the_pseudonyms_panel() {
    let (_dir, mut bench) = bench_on_sample();
    let story = bench
        .shared
        .act(|p| p.create_story("P01", "A reason to get up"))
        .expect("story");
    bench.stories.story = Some(story.clone());
    bench.shared.center = CenterTab::Stories;
    let doc = bench.shared.read(|p| p.document("P01")).expect("P01");
    let quote = "I've lived on Moss Lane";
    let b = doc.text.find(quote).expect("quote");
    let start = doc.text[..b].chars().count();
    let mut h = harness(bench);
    assert!(
        h.query_by_label("No unreviewed names in this story.")
            .is_some()
    );
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start,
        end: start + quote.chars().count(),
    });
    h.run();
    h.get_by_label("Add selection as excerpt").click();
    h.run();
    assert!(
        h.query_by_label_contains("Unreviewed names in this story: 1")
            .is_some()
    );
    h.get_by_label("Moss Lane").click();
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Pseudonyms);
    assert!(
        h.query_by_label("“Moss Lane”").is_some(),
        "the name is chosen"
    );
    h.get_by_label("Not identifying").click();
    h.run();
    h.state_mut().shared.center = CenterTab::Stories;
    h.run();
    assert!(
        h.query_by_label("No unreviewed names in this story.")
            .is_some()
    );
}
