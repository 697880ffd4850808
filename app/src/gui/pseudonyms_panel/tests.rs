//! Settling the names found in the transcripts through the window, checked
//! in the project afterwards.

use crate::gui::Workbench;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::Project;
use storyloom_project::project::names_ops::{FoundName, NameState};
use storyloom_project::store::pseudonyms::Verdict;

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn found<'a>(names: &'a [FoundName], name: &str) -> &'a FoundName {
    names
        .iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("'{name}' is found"))
}

/// The panel open, the list narrowed to `name`, and `name` chosen.
fn open_at(h: &mut Harness<'static, Workbench>, name: &str) {
    h.state_mut().shared.center = CenterTab::Pseudonyms;
    h.run();
    h.get_by_label("Find a name").focus();
    h.run();
    h.get_by_label("Find a name").type_text(name);
    h.run();
    h.get_by_label(name).click();
    h.run();
    assert!(
        h.query_by_label(&format!("“{name}”")).is_some(),
        "{name} is chosen"
    );
}

#[test]
fn a_found_name_is_replaced_and_leaves_the_unreviewed_list() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let history = project(&h).history().unwrap().len();
    assert_eq!(
        found(&project(&h).found_names(None).unwrap(), "Hallbrook").state,
        NameState::Unreviewed
    );
    open_at(&mut h, "Hallbrook");
    assert!(
        h.query_by_label_contains("place, said").is_some(),
        "its kind and count are shown"
    );
    h.get_by_label("Replace with").focus();
    h.run();
    h.get_by_label("Replace with").type_text("Ashford");
    h.run();
    // Typing wrote nothing yet.
    assert_eq!(project(&h).history().unwrap().len(), history);
    h.get_by_label("Replace").click();
    h.run();

    let p = project(&h);
    let entry = p
        .pseudonyms()
        .unwrap()
        .into_iter()
        .find(|e| e.original == "Hallbrook")
        .expect("in the map");
    assert_eq!(
        (entry.replacement.as_str(), entry.scope, entry.confirmed),
        ("Ashford", None, true)
    );
    assert_eq!(
        found(&p.found_names(None).unwrap(), "Hallbrook").state,
        NameState::Replaced {
            replacement: "Ashford".into()
        }
    );
    assert_eq!(p.history().unwrap().len(), history + 1, "one change");
    // The map shows it, with its replacement editable.
    assert!(h.query_by_label("Replacement for Hallbrook").is_some());
}

#[test]
fn a_name_is_marked_not_identifying_and_kept_with_consent() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    open_at(&mut h, "Moss Lane");
    h.get_by_label("Not identifying").click();
    h.run();
    let reviews = project(&h).name_reviews().unwrap();
    let r = reviews
        .iter()
        .find(|r| r.name == "Moss Lane")
        .expect("reviewed");
    assert_eq!(
        (r.verdict, r.scope.as_deref()),
        (Verdict::NotIdentifying, None)
    );
    assert!(matches!(
        found(&project(&h).found_names(None).unwrap(), "Moss Lane").state,
        NameState::NotIdentifying { .. }
    ));
    // It shows among all names, with its review, which can be taken back.
    h.get_by_label("All names").click();
    h.run();
    h.get_by_label("Moss Lane").click();
    h.run();
    assert!(h.query_by_label_contains("not identifying by").is_some());
    h.get_by_label("Take back").click();
    h.run();
    assert!(
        project(&h)
            .name_reviews()
            .unwrap()
            .iter()
            .all(|r| r.name != "Moss Lane")
    );

    h.get_by_label("Kept with consent").click();
    h.run();
    assert!(matches!(
        found(&project(&h).found_names(None).unwrap(), "Moss Lane").state,
        NameState::KeptWithConsent { .. }
    ));
}

/// P09's "Lily" is her own name (replaced by her pseudonym in her
/// documents); P07's granddaughter Lily gets her own replacement there only.
#[test]
fn a_replacement_scoped_to_one_participant_applies_only_there() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    open_at(&mut h, "Lily");
    h.get_by_label("Applies to").click();
    h.run();
    h.get_by_label("in P07's documents only").click_accesskit();
    h.run();
    h.get_by_label("Replace with").focus();
    h.run();
    h.get_by_label("Replace with").type_text("Bisi");
    h.key_press(egui::Key::Enter);
    h.run();

    let p = project(&h);
    let entries: Vec<_> = p
        .pseudonyms()
        .unwrap()
        .into_iter()
        .filter(|e| e.original == "Lily")
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].replacement, "Bisi");
    assert_eq!(entries[0].scope.as_deref(), Some("P07"));
    let map = p.pseudonym_map(None).unwrap();
    let in_p07 = map
        .scoped(Some("P07"))
        .apply_plain("Ayo is nine and Lily is six");
    assert_eq!(in_p07, "Ayo is nine and Bisi is six");
    let in_p09 = map.scoped(Some("P09")).apply_plain("My name is Lily");
    assert_eq!(in_p09, "My name is Mei");
}

#[test]
fn a_context_opens_the_document_at_the_place() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    open_at(&mut h, "Hallbrook");
    let n = found(&project(&h).found_names(None).unwrap(), "Hallbrook").clone();
    let c = &n.contexts[0];
    h.get_by_label(&format!("{}: …{}…", c.document, c.snippet))
        .click();
    h.run();
    let doc = project(&h).document(&c.document).unwrap();
    assert_eq!(h.state().shared.center, CenterTab::Document);
    assert_eq!(h.state().shared.open_document.as_deref(), Some(&*doc.uuid));
    let text: String = doc
        .text
        .chars()
        .skip(c.start)
        .take(c.end - c.start)
        .collect();
    assert_eq!(text, "Hallbrook");
}

#[test]
fn the_key_file_is_kept_apart_and_asked_for() {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    open_at(&mut h, "Hallbrook");
    h.get_by_label("Replace with").focus();
    h.run();
    h.get_by_label("Replace with").type_text("Ashford");
    h.run();
    h.get_by_label("Replace").click();
    h.run();
    let key = dir.path().join("key.json");
    h.get_by_label("Key file").focus();
    h.run();
    h.get_by_label("Key file").type_text(key.to_str().unwrap());
    h.run();
    // Below the fold of the panel: pressed as a screen reader would.
    h.get_by_label("Export the key and keep it apart")
        .click_accesskit();
    h.run();
    assert!(
        key.is_file(),
        "{:?} / typed {:?}",
        h.state().shared.notices,
        h.state().pseudonyms.key_path
    );
    assert!(project(&h).pseudonyms().unwrap().is_empty());
    assert!(
        h.query_by_label_contains("give the key file").is_some(),
        "the panel says the key is needed"
    );
    h.get_by_label("Use this key file").click_accesskit();
    h.run();
    assert!(h.state().shared.key_file.is_some());
    let names = project(&h).found_names(h.state().shared.key_map()).unwrap();
    assert!(matches!(
        found(&names, "Hallbrook").state,
        NameState::Replaced { .. }
    ));
    assert!(
        project(&h).pseudonyms().unwrap().is_empty(),
        "the key stays apart"
    );
    assert!(
        h.query_by_label_contains("names found in the text")
            .is_some()
    );
}

#[test]
fn editing_a_replacement_in_the_map_is_one_change() {
    let (_dir, mut bench) = bench_on_sample();
    bench
        .shared
        .project
        .as_mut()
        .unwrap()
        .set_pseudonym(
            "Hallbrook",
            "Ashford",
            storyloom_project::stories::PseudonymKind::Place,
            true,
        )
        .unwrap();
    let mut h = harness(bench);
    h.state_mut().shared.center = CenterTab::Pseudonyms;
    h.run();
    let history = project(&h).history().unwrap().len();
    let cell = h.get_by_label("Replacement for Hallbrook");
    cell.focus();
    h.run();
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label("Replacement for Hallbrook")
        .type_text(" Vale");
    h.run();
    assert_eq!(project(&h).history().unwrap().len(), history, "not yet");
    h.key_press(egui::Key::Enter);
    h.run();
    let p = project(&h);
    assert_eq!(p.history().unwrap().len(), history + 1);
    let e = p
        .pseudonyms()
        .unwrap()
        .into_iter()
        .find(|e| e.original == "Hallbrook")
        .unwrap();
    assert_eq!(e.replacement, "Ashford Vale");
}
