//! kittest tests of the one command list: the palette (Ctrl+Shift+P, Help
//! menu), its fuzzy filter and keys, and the F1 list and the menus showing
//! the same names and keys; the high-contrast theme and the reading size.

use crate::gui::commands::{self, UiCommand};
use crate::gui::shared::CenterTab;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

const CTRL_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

#[test]
fn ctrl_shift_p_opens_the_palette_and_enter_runs_the_best_match() {
    let (_dir, mut bench) = bench_on_sample();
    bench.prefs.zoom = 1.6;
    let mut h = harness(bench);
    h.key_press_modifiers(CTRL_SHIFT, Key::P);
    h.run();
    assert!(h.state().palette.open);
    // The keyboard is in the filter at once.
    h.event(egui::Event::Text("reset zo".into()));
    h.run();
    assert_eq!(h.state().palette.filter, "reset zo");
    assert!(h.query_by_label("Reset zoom").is_some());
    assert!(h.query_by_label("Go to Themes").is_none());
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().prefs.zoom, 1.0);
    assert!(
        !h.state().palette.open,
        "running a command closes the palette"
    );
}

#[test]
fn arrows_choose_among_the_matches_and_escape_closes() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label_contains("Command palette").click();
    h.run();
    assert!(h.state().palette.open);
    h.event(egui::Event::Text("go to".into()));
    h.run();
    let hits = commands::search("go to");
    assert_eq!(hits[0], UiCommand::Go(CenterTab::Document));
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Stories);

    h.key_press_modifiers(CTRL_SHIFT, Key::P);
    h.run();
    assert!(h.state().palette.open);
    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().palette.open);
}

#[test]
fn a_command_that_cannot_run_says_why_and_enter_leaves_it() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.key_press_modifiers(CTRL_SHIFT, Key::P);
    h.run();
    h.event(egui::Event::Text("story for checking".into()));
    h.run();
    assert!(
        h.query_by_label("Export: Story for checking (.docx)…")
            .is_some()
    );
    assert!(
        h.query_by_label("Open a story in the Stories tab first.")
            .is_some()
    );
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().palette.open, "nothing ran");
    assert!(h.state().prompt.is_none());
}

#[test]
fn the_shortcut_list_and_the_palette_show_every_command_key() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.key_press(Key::F1);
    h.run();
    for c in commands::all().into_iter().filter(|c| !c.keys().is_empty()) {
        assert!(
            h.query_by_label(&c.name()).is_some(),
            "F1 lists {}",
            c.name()
        );
        assert!(
            h.query_by_label(&c.keys_text()).is_some(),
            "F1 shows {}",
            c.keys_text()
        );
    }
    h.key_press(Key::F1);
    h.run();
    assert!(!h.state().help.open, "F1 again closes the list");
    h.key_press(Key::F1);
    h.run();
    assert!(h.state().help.open);
    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().help.open, "and so does Escape");
    // The palette lists each command with the same keys.
    h.key_press_modifiers(CTRL_SHIFT, Key::P);
    h.run();
    h.event(egui::Event::Text("undo".into()));
    h.run();
    assert!(h.query_by_label("Undo").is_some());
    assert!(h.query_by_label("Ctrl+Z").is_some());
}

#[test]
fn view_menu_high_contrast_and_the_reading_size_apart_from_the_window() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("High-contrast theme").click();
    h.run();
    assert!(h.state().prefs.high_contrast);
    assert_eq!(
        h.ctx.global_style().visuals.text_color(),
        egui::Color32::BLACK
    );
    // Alt+H turns it off again.
    h.key_press_modifiers(Modifiers::ALT, Key::H);
    h.run();
    assert!(!h.state().prefs.high_contrast);

    let body = h.ctx.global_style().text_styles[&egui::TextStyle::Body].size;
    let before = h.state().prefs.text_size;
    h.key_press_modifiers(CTRL_SHIFT, Key::Plus);
    h.run();
    h.key_press_modifiers(CTRL_SHIFT, Key::Plus);
    h.run();
    assert_eq!(h.state().prefs.text_size, before + 2.0);
    let style = h.ctx.global_style();
    assert_eq!(crate::gui::theme::reading_font(&style).size, before + 2.0);
    assert_eq!(
        style.text_styles[&egui::TextStyle::Body].size,
        body,
        "the window's own text keeps its size"
    );
    assert_eq!(h.state().prefs.zoom, 1.0, "and the zoom is untouched");
}

#[test]
fn a_finished_export_toasts_with_open_and_a_refusal_opens_a_dialog() {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let out = dir.path().join("codebook.csv");
    h.state_mut().file_action(
        crate::gui::workbench::PathPrompt::ExportCodebook { csv: true },
        &out,
    );
    let b = h.state_mut();
    b.jobs.wait(&mut b.shared);
    h.run();
    assert!(out.is_file(), "{:?}", h.state().shared.notices);
    assert_eq!(h.state().toasts.shown.len(), 1);
    assert!(h.query_by_label("Open").is_some());
    assert!(h.query_by_label("Show in folder").is_some());
    h.get_by_label("Hide").click();
    h.run();
    assert!(h.query_by_label("Show in folder").is_none());
    // The status bar keeps it.
    assert!(h.state().shared.notices.last().is_some_and(|n| !n.error));

    // A refusal: a dialog with the whole message until it is closed.
    let missing = dir.path().join("nowhere").join("x.storyloom");
    h.state_mut().open_project(&missing);
    h.run();
    assert!(h.query_by_label("Storyloom could not do that").is_some());
    let text = h.state().shared.notices.last().unwrap().text.clone();
    assert!(h.query_all_by_label(&text).count() >= 1);
    h.run();
    assert!(h.query_by_label("Storyloom could not do that").is_some());
    h.get_by_label("Close message").click();
    h.run();
    assert!(h.query_by_label("Storyloom could not do that").is_none());
}

#[test]
fn the_built_in_browser_chooses_a_folder_and_keeps_the_default_name() {
    let (dir, bench) = bench_on_sample();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a CSV").unwrap();
    let mut h = harness(bench);
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Codebook (.csv)…").click();
    h.run();
    // No desktop dialog here: the browser, in the project's folder, with a name.
    assert_eq!(
        h.state().prompt.as_ref().map(|(_, t)| t.as_str()),
        Some("codebook.csv")
    );
    assert_eq!(h.state().browse.dir, dir.path());
    assert!(h.query_by_label("exports/").is_some());
    assert!(h.query_by_label("sample-data/").is_some());
    assert!(h.query_by_label("notes.txt").is_none(), "only CSV files");
    assert!(h.query_by_label("Home").is_some());
    h.get_by_label("exports/").click();
    h.run();
    assert_eq!(h.state().browse.dir, dir.path().join("exports"));
    h.get_by_label("Up").click();
    h.run();
    assert_eq!(h.state().browse.dir, dir.path());
    h.get_by_label("exports/").click();
    h.run();
    h.get_by_label("OK").click();
    // One frame starts the job; `run` now would step while it runs
    // (how many frames depends on the machine's load).
    h.step();
    let b = h.state_mut();
    b.jobs.wait(&mut b.shared);
    h.run();
    let out = dir.path().join("exports").join("codebook.csv");
    assert!(out.is_file(), "{:?}", h.state().shared.notices);
}

#[test]
fn a_refusal_says_what_to_do_for_its_kind_and_goes_where_it_is_settled() {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    // A taken code name (a typed error from the domain).
    h.get_by_label("New code").focus();
    h.run();
    h.get_by_label("New code").type_text("What changed");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        h.state().toasts.refusal.as_ref().map(|n| n.kind),
        Some(crate::gui::refusal::Refusal::NameTaken)
    );
    assert!(h.query_by_label("What to do").is_some());
    assert!(
        h.query_by_label(crate::gui::refusal::Refusal::NameTaken.advice())
            .is_some()
    );
    h.get_by_label("Close message").click();
    h.run();

    // The sample's stories are not approved: the stakeholder pack is
    // refused (in the background), and the dialog opens Stories.
    let out = dir.path().join("pack.docx");
    h.state_mut().file_action(
        crate::gui::workbench::PathPrompt::ExportPack { research: false },
        &out,
    );
    let b = h.state_mut();
    b.jobs.wait(&mut b.shared);
    h.run();
    assert!(!out.exists());
    let kind = h.state().toasts.refusal.as_ref().map(|n| n.kind);
    assert_eq!(
        kind,
        Some(crate::gui::refusal::Refusal::Consent),
        "{:?}",
        h.state().shared.notices.last()
    );
    assert!(
        h.query_by_label(crate::gui::refusal::Refusal::Consent.advice())
            .is_some()
    );
    h.get_by_label("Open Stories").click();
    h.run();
    assert_eq!(h.state().shared.center, CenterTab::Stories);
    assert!(h.state().toasts.refusal.is_none());
}

#[test]
fn the_palette_shows_many_matches_at_once_not_a_sliver() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.key_press_modifiers(CTRL_SHIFT, Key::P);
    h.run();
    h.event(egui::Event::Text("export".into()));
    h.run();
    // Ten exports match: the window is tall enough for eight rows or more.
    let hits = commands::search("export");
    assert!(hits.len() >= 10, "{}", hits.len());
    let window = h
        .ctx
        .memory(|m| m.area_rect(crate::gui::palette::window_id()))
        .expect("the palette window");
    let row = h.get_by_label(&hits[0].palette_name()).rect().height();
    assert!(
        window.height() > 8.0 * row + 80.0,
        "the palette is {} high for rows of {row}",
        window.height()
    );
}
