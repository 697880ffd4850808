//! kittest tests of the way in: the welcome pages, the Help menu and its
//! shortcut list (F1), Ctrl+F, Quit, Reset zoom, and reopening the last
//! document where it was being read.

use super::{PathPrompt, Workbench};
use crate::gui::reading_state::ReadingState;
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use storyloom_project::Project;

fn doc_uuid(b: &Workbench, name: &str) -> String {
    b.shared
        .project
        .as_ref()
        .unwrap()
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no document {name}"))
        .uuid
}

fn back_to_welcome(h: &mut egui_kittest::Harness<'_, Workbench>) {
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label("Welcome").click();
    h.run();
    assert!(
        h.query_by_label("Welcome to the sample study: Connected Lives")
            .is_some()
    );
}

#[test]
fn the_sample_welcome_says_what_the_study_is_and_each_step_goes_there() {
    let (_dir, mut bench) = bench_on_sample();
    bench.on_sample = true;
    let p01 = doc_uuid(&bench, "P01-doreen-walsh.docx");
    let mut h = harness(bench);
    assert!(
        h.query_by_label("Welcome to the sample study: Connected Lives")
            .is_some()
    );
    assert!(h.query_by_label_contains("social prescribing").is_some());
    assert!(
        h.query_by_label_contains("12 interviews: 3 with link workers, 9 with participants")
            .is_some()
    );

    h.get_by_label("Open the first interview").click();
    h.run();
    assert_eq!(
        h.state().shared.open_document.as_deref(),
        Some(p01.as_str())
    );
    assert_eq!(h.state().shared.center, CenterTab::Document);
    assert!(h.query_by_label_contains("Participant P01").is_some());

    back_to_welcome(&mut h);
    h.get_by_label("Go to the themes board").click();
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Themes);

    h.state_mut().shared.center = CenterTab::Document;
    h.run();
    h.get_by_label("Go to the stories").click();
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Stories);

    h.state_mut().shared.center = CenterTab::Document;
    h.run();
    h.get_by_label("Set up the discussion pack").click();
    h.run();
    assert!(h.state().pack_settings.open);
    assert!(h.query_by_label("Discussion pack settings").is_some());
}

#[test]
fn an_empty_project_offers_import_and_the_sample_study() {
    let dir = tempfile::tempdir().unwrap();
    let bench = Workbench {
        no_native_dialogs: true,
        sample_copy: Some(dir.path().join("copy").join("sample.storyloom")),
        ..Default::default()
    };
    let mut h = harness(bench);
    // No project at all: create, open, or the sample.
    assert!(h.query_by_label("Welcome to Storyloom").is_some());
    assert!(h.query_by_label("New project…").is_some());
    assert!(h.query_by_label("Open project…").is_some());

    let project = Project::create(&dir.path().join("empty.storyloom")).unwrap();
    h.state_mut().set_project(project);
    h.run();
    assert!(
        h.query_by_label("This project has no transcripts yet")
            .is_some()
    );
    h.get_by_label("Import transcripts…").click();
    h.run();
    assert_eq!(
        h.state().prompt.as_ref().map(|(p, _)| p.clone()),
        Some(PathPrompt::ImportFiles)
    );
    h.state_mut().prompt = None;
    h.run();

    h.get_by_label("Open the sample study").click();
    h.run();
    let b = h.state();
    assert!(b.on_sample, "{:?}", b.shared.notices);
    assert_eq!(
        b.shared.project.as_ref().unwrap().path(),
        dir.path().join("copy").join("sample.storyloom")
    );
    assert!(
        h.query_by_label("Welcome to the sample study: Connected Lives")
            .is_some()
    );
}

#[test]
fn f1_shows_a_shortcut_list_that_a_search_narrows() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.key_press(Key::F1);
    h.run();
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    assert!(h.query_by_label("Reset zoom").is_some());
    assert!(
        h.query_by_label("Code the selection (opens the code picker)")
            .is_some()
    );
    // The keyboard is in the filter already.
    h.get_by_label("Find a shortcut").type_text("scroll");
    h.run();
    assert!(h.query_by_label("Scroll a screen down / up").is_some());
    assert!(h.query_by_label("Reset zoom").is_none());
    assert!(
        h.query_by_label("Code the selection (opens the code picker)")
            .is_none()
    );
    // F1 closes it again, even with the keyboard in the filter.
    h.key_press(Key::F1);
    h.run();
    assert!(h.query_by_label("Find a shortcut").is_none());
    // And the Help menu opens it.
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label_contains("List of keyboard shortcuts")
        .click();
    h.run();
    assert!(h.query_by_label("Find a shortcut").is_some());
}

#[test]
fn ctrl_f_goes_to_search_with_the_keyboard_in_the_query_box() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Search);
    h.event(egui::Event::Text("choir".into()));
    h.run();
    assert_eq!(h.state().search.query, "choir");
}

#[test]
fn ctrl_0_and_view_reset_zoom_and_file_quit_closes_the_window() {
    let (_dir, mut bench) = bench_on_sample();
    bench.prefs.zoom = 1.5;
    let mut h = harness(bench);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert_eq!(h.state().prefs.zoom, 1.0);
    h.state_mut().prefs.zoom = 0.8;
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Reset zoom").click();
    h.run();
    assert_eq!(h.state().prefs.zoom, 1.0);

    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Quit").click();
    h.step();
    let closes = h
        .output()
        .viewport_output
        .values()
        .any(|v| v.commands.contains(&egui::ViewportCommand::Close));
    assert!(closes, "File → Quit asks the window to close");
}

#[test]
fn reopening_a_project_returns_to_the_last_document_and_the_turn_read() {
    let (dir, mut bench) = bench_on_sample();
    let state_file = dir.path().join("state").join("reading-state.json");
    bench.reading = ReadingState::load(state_file.clone());
    let path = bench.shared.project.as_ref().unwrap().path().to_owned();
    let doc = doc_uuid(&bench, "P03-winston-clarke.txt");
    let text = bench
        .shared
        .project
        .as_ref()
        .unwrap()
        .document(&doc)
        .unwrap();
    // Somewhere well down the interview.
    let late = text.turns[text.turns.len() * 3 / 4].start;
    bench.shared.jump_to(&doc, late, late + 3);
    let h = harness(bench);
    let (_, top) = h.state().document.top_offset().expect("a document shown");
    assert!(top > 0, "scrolled down");
    // Leaving the window writes the place (as the app does at exit).
    let mut first = h.into_state();
    first.save_reading_place();
    drop(first);

    let mut again = Workbench {
        reading: ReadingState::load(state_file),
        ..Default::default()
    };
    again.set_project(Project::open(&path).unwrap());
    assert_eq!(again.shared.open_document.as_deref(), Some(doc.as_str()));
    let h = harness(again);
    assert_eq!(h.state().document.top_offset(), Some((doc.as_str(), top)));
    assert!(h.query_by_label("Welcome to Storyloom").is_none());
}

/// File → Import reads the study spreadsheets too, told apart by their
/// headers as `storyloom import` does: participants and codebook first, then
/// codings (onto transcripts chosen with them, after those are in).
#[test]
fn file_import_reads_participants_codebook_and_codings_csv() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::create(&dir.path().join("csv.storyloom")).unwrap();
    let mut bench = Workbench {
        no_native_dialogs: true,
        ..Default::default()
    };
    bench.set_project(project);
    let talk = dir.path().join("walk.txt");
    std::fs::write(
        &talk,
        "Interviewer: How was it?\n\nJo: The canal was lovely, honestly.\n",
    )
    .unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "id,pseudonym\nP07,Jo\n").unwrap();
    let codebook = dir.path().join("book.csv");
    std::fs::write(
        &codebook,
        "\u{feff}code,definition\nNature,Green and blue space.\nNature > Water,Canals and rivers.\n",
    )
    .unwrap();
    let codings = dir.path().join("marks.csv");
    std::fs::write(
        &codings,
        "document,code,quote,coder\nwalk.txt,Nature > Water,The canal was lovely,ana\nwalk.txt,Nature,not in the text,ana\n",
    )
    .unwrap();
    let mut h = harness(bench);
    // Codings listed first: they still go in last.
    let typed = [&codings, &codebook, &people, &talk]
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(";");
    h.state_mut().prompt = Some((PathPrompt::ImportFiles, typed));
    h.run();
    h.get_by_label("OK").click();
    // One frame starts the job; `run` now would step while it runs
    // (how many frames depends on the machine's load).
    h.step();
    {
        let b = h.state_mut();
        b.jobs.wait(&mut b.shared);
    }
    h.run();
    let b = h.state();
    let p = b.shared.project.as_ref().unwrap();
    assert!(p.code("Water").is_ok(), "{:?}", b.shared.notices);
    assert_eq!(p.participants().unwrap()[0].id, "P07");
    let quotes: Vec<String> = p
        .codings(None, None, None)
        .unwrap()
        .into_iter()
        .map(|c| c.quote)
        .collect();
    assert_eq!(quotes, vec!["The canal was lovely".to_owned()]);
    let said: Vec<&str> = b.shared.notices.iter().map(|n| n.text.as_str()).collect();
    assert!(
        said.iter()
            .any(|t| t.starts_with("Imported marks.csv (codings)")
                && t.contains("1 rows not imported")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|t| t.starts_with("Imported book.csv (codebook)")),
        "{said:?}"
    );
}
