//! Correcting a transcript and settling the review list, through the window.

use crate::gui::Workbench;
use crate::gui::shared::{CenterTab, Selection};
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{CodingRequest, Project};

const ORIGINAL: &str = "Interviewer: How did you come to the choir?
Margaret: My link worker, Priya, suggested it. I was lonely after Frank died, and I didn't go out much.
Interviewer: What was the first week like?
Margaret: Terrifying! But Jean said hello and saved me a seat. Now I have a reason to get up on Tuesdays.
";

fn chars_of(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("in the text");
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

#[test]
fn a_correction_is_applied_and_its_review_items_are_accepted_and_placed() {
    let (dir, mut bench) = bench_on_sample();
    let p = bench.shared.project.as_mut().unwrap();
    p.import_bytes("P20-margaret.txt", ORIGINAL.as_bytes())
        .unwrap();
    let mut codings = Vec::new();
    for (code, quote) in [
        ("Loss and loneliness", "I was lonely after Frank died"),
        ("A friendly face", "Jean said hello and saved me a seat"),
    ] {
        let (start, end) = chars_of(ORIGINAL, quote);
        let req = CodingRequest {
            code,
            document: "P20-margaret.txt",
            start,
            end,
            version: None,
        };
        codings.push(p.add_coding(&req).unwrap());
    }
    let corrected = ORIGINAL
        .replace("I was lonely", "I was very lonely")
        .replace("saved me a seat", "kept me a place");
    let file = dir.path().join("P20-margaret-corrected.txt");
    std::fs::write(&file, &corrected).unwrap();

    let mut h = harness(bench);
    // The navigator's document list would name the document too.
    h.get_by_label("Codes").click();
    h.run();
    h.get_by_label("Review").click();
    h.run();
    assert!(h.query_by_label("Nothing waits for review.").is_some());
    h.get_by_label("Document to correct").click();
    h.run();
    // The list is longer than its popup: pick the way a screen reader would.
    h.get_by_label("P20-margaret.txt").click_accesskit();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label("P20-margaret.txt").is_none(),
        "the list closed"
    );
    h.get_by_label("Corrected file").focus();
    h.run();
    h.get_by_label("Corrected file")
        .type_text(file.to_str().unwrap());
    h.run();
    h.get_by_label("Apply correction").click();
    h.run();

    let report = h.state().review.report.clone().expect("a report");
    assert_eq!((report.old_version, report.new_version), (1, 2));
    assert_eq!(report.codings_to_review, 2);
    assert!(h.query_by_label("Codings: 0 placed, 2 to review").is_some());
    assert!(h.query_by_label("Waiting for review: 2").is_some());
    assert_eq!(project(&h).review_items(false).unwrap().len(), 2);

    // Accept the proposal for the first.
    h.get_by_label_contains("Accept coding 'Loss and loneliness'")
        .click();
    h.run();
    assert_eq!(
        project(&h).coding(&codings[0]).unwrap().quote,
        "I was very lonely after Frank died"
    );
    assert!(h.query_by_label("Waiting for review: 1").is_some());

    // "Show" opens the document at the proposal.
    h.get_by_label_contains("Show coding 'A friendly face'")
        .click();
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Document);
    let doc = h.state().shared.open_document.clone().unwrap();

    // Place the other at a selection made in the document view.
    let (start, end) = chars_of(&corrected, "Jean said hello and kept me a place");
    h.state_mut().shared.selection = Some(Selection {
        document: doc,
        version: 2,
        start,
        end,
    });
    h.state_mut().shared.center = CenterTab::Review;
    h.run();
    h.get_by_label_contains("Place coding 'A friendly face'")
        .click();
    h.run();
    assert_eq!(
        project(&h).coding(&codings[1]).unwrap().quote,
        "Jean said hello and kept me a place"
    );
    assert!(project(&h).review_items(false).unwrap().is_empty());
    assert!(h.query_by_label("Waiting for review: 0").is_some());
    h.get_by_label("Show resolved").click();
    h.run();
    assert_eq!(h.query_all_by_label("(resolved)").count(), 2);
}

#[test]
fn a_missing_file_is_reported_and_nothing_changes() {
    let (dir, mut bench) = bench_on_sample();
    let doc = bench.shared.project.as_ref().unwrap().documents().unwrap()[0]
        .uuid
        .clone();
    bench.shared.open_document = Some(doc.clone());
    bench.shared.center = CenterTab::Review;
    let mut h = harness(bench);
    h.get_by_label("Corrected file").focus();
    h.run();
    let missing = dir.path().join("nope.txt");
    h.get_by_label("Corrected file")
        .type_text(missing.to_str().unwrap());
    h.run();
    h.get_by_label("Apply correction").click();
    h.run();
    assert!(h.state().shared.notices.last().unwrap().error);
    assert!(h.state().review.report.is_none());
    assert_eq!(project(&h).document(&doc).unwrap().version, 1);
}
