use crate::gui::shared::{CenterTab, Selection};
use crate::gui::tests::{bench_on_sample, harness};
use egui_kittest::kittest::Queryable as _;

/// Char range of `needle` in the participant turns of P01.
fn range(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect(needle);
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

#[test]
fn a_story_from_two_selections_with_a_cut_stays_clean() {
    let (_dir, mut bench) = bench_on_sample();
    let story = bench
        .shared
        .act(|p| p.create_story("P01", "A reason to get up"))
        .expect("story");
    bench.stories.story = Some(story.clone());
    bench.shared.center = CenterTab::Stories;
    let doc = bench.shared.read(|p| p.document("P01")).expect("P01");
    let mut h = harness(bench);
    let first = "I've lived on Moss Lane — on the estate, you know, the Moss Lane estate — for, ooh, forty-one years now.";
    let second = "I stopped going out. I'd go to the Co-op and back and that was me.";
    for quote in [first, second] {
        let (start, end) = range(&doc.text, quote);
        h.state_mut().shared.selection = Some(Selection {
            document: doc.uuid.clone(),
            version: doc.version,
            start,
            end,
        });
        h.run();
        h.get_by_label("Add selection as excerpt").click();
        h.run();
    }
    // Cut a phrase from the middle of the first excerpt.
    let cut = range(
        &doc.text,
        " — on the estate, you know, the Moss Lane estate —",
    );
    h.state_mut().shared.selection = Some(Selection {
        document: doc.uuid.clone(),
        version: doc.version,
        start: cut.0 + 3,
        end: cut.1 - 2,
    });
    h.run();
    h.get_by_label("Cut selected words").click();
    h.run();
    let p = h.state().shared.project.as_ref().unwrap();
    let rendered = p.render_story_research(&story).unwrap();
    assert_eq!(rendered.paragraphs.len(), 2);
    let text = rendered.paragraphs[0].text();
    assert!(text.contains('…'), "{text}");
    assert!(!text.contains("you know"), "{text}");
    let check = p.check_story(&story, None).unwrap();
    assert!(!check.has_errors(), "{:?}", check.findings);
    assert!(h.query_by_label_contains("Checker: no errors").is_some());
    assert!(h.query_by_label_contains("of 2 pages").is_some());
    // Undo takes the cut back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let p = h.state().shared.project.as_ref().unwrap();
    let text = p.render_story_research(&story).unwrap().paragraphs[0].text();
    assert!(text.contains("you know"), "{text}");
}

#[test]
fn auto_draft_from_the_header_opens_a_clean_story() {
    let (_dir, mut bench) = bench_on_sample();
    let p03 = bench
        .shared
        .read(|p| p.participants())
        .expect("participants")
        .into_iter()
        .find(|p| p.id == "P03")
        .expect("P03");
    let label = format!("P03 ({})", p03.pseudonym.unwrap_or_default());
    let mut h = harness(bench);
    h.get_by_label("Stories").click();
    h.run();
    h.get_by_label("Participant:").click();
    h.run();
    h.get_by_label(&label).click();
    h.run();
    h.get_by_label("Auto-draft story").click();
    h.run();
    let s = h.state().stories.story.clone().expect("a story is open");
    let p = h.state().shared.project.as_ref().unwrap();
    assert!(!p.check_story(&s, None).unwrap().has_errors());
    assert!(h.query_by_label_contains("of 2 pages").is_some());
    h.get_by_label("Ready for check").click();
    h.run();
    let p = h.state().shared.project.as_ref().unwrap();
    assert_eq!(
        p.story(&s).unwrap().status,
        storyloom_project::stories::model::StoryStatus::Ready
    );
}

#[test]
fn workshop_notes_show_beside_the_story() {
    let (dir, mut bench) = bench_on_sample();
    let story = bench.shared.act(|p| p.draft_story("P03")).expect("draft");
    let title = bench.shared.read(|p| p.story(&story)).expect("story").title;
    let csv = dir.path().join("sheet.csv");
    let mut w = csv::Writer::from_path(&csv).unwrap();
    w.write_record([
        "Story",
        "What stood out",
        "What we learn",
        "Reasons",
        "Priority",
    ])
    .unwrap();
    w.write_record([
        title.as_str(),
        "The railway timetable",
        "Routine matters",
        "",
        "high",
    ])
    .unwrap();
    w.flush().unwrap();
    bench
        .shared
        .act(|p| p.import_workshop_notes(&csv))
        .expect("notes");
    bench.stories.story = Some(story);
    bench.shared.center = CenterTab::Stories;
    let h = harness(bench);
    assert!(h.query_by_label("Workshop notes").is_some());
    assert!(h.query_by_label_contains("The railway timetable").is_some());
}
