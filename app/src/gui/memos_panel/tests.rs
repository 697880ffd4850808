//! The journal and memos tab, driven through the window.

use super::{civil_date, today};
use crate::gui::Workbench;
use crate::gui::tests::{bench_on_sample, harness};
use egui::{Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable as _};
use storyloom_project::{MemoTarget, Project};

fn project<'a>(h: &'a Harness<'static, Workbench>) -> &'a Project {
    h.state().shared.project.as_ref().expect("a project")
}

fn on_memos(bench: Workbench) -> Harness<'static, Workbench> {
    let mut h = harness(bench);
    h.get_by_label("Memos & journal").click();
    h.run();
    h
}

/// Replaces the text of a labelled field.
fn retype(h: &mut Harness<'static, Workbench>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

#[test]
fn civil_dates_count_from_1970() {
    assert_eq!(civil_date(0), "1970-01-01");
    assert_eq!(civil_date(19_723), "2024-01-01");
    assert_eq!(civil_date(19_782), "2024-02-29");
    assert_eq!(today().len(), 10);
}

#[test]
fn journal_entries_are_added_dated_today_by_default_newest_first() {
    let (_dir, bench) = bench_on_sample();
    let mut h = on_memos(bench);
    assert_eq!(
        h.get_by_label("Date").value().as_deref(),
        Some(today().as_str())
    );
    retype(&mut h, "Entry title", "After the choir");
    retype(
        &mut h,
        "Entry text",
        "I noticed I was moved by the singing.",
    );
    h.get_by_label("Add entry").click();
    h.run();
    let j = project(&h).journal().unwrap();
    assert_eq!(j.len(), 1);
    assert_eq!(j[0].date.as_deref(), Some(today().as_str()));
    assert_eq!(j[0].title, "After the choir");
    assert!(h.state().memos.entry_title.is_empty());

    // An earlier date goes below; a bad date is refused with a notice.
    retype(&mut h, "Date", "2024-03-01");
    retype(&mut h, "Entry title", "First field visit");
    h.get_by_label("Add entry").click();
    h.run();
    let j = project(&h).journal().unwrap();
    assert_eq!(j[1].title, "First field visit");
    retype(&mut h, "Date", "yesterday");
    retype(&mut h, "Entry title", "Bad date");
    h.get_by_label("Add entry").click();
    h.run();
    assert_eq!(project(&h).journal().unwrap().len(), 2);
    assert!(h.state().shared.notices.last().unwrap().error);
    let first = h
        .get_by_label(&format!("{} After the choir", today()))
        .rect()
        .top();
    let second = h.get_by_label("2024-03-01 First field visit").rect().top();
    assert!(first < second, "newest first");
}

#[test]
fn a_memo_on_the_selected_code_is_written_edited_and_deleted() {
    let (_dir, mut bench) = bench_on_sample();
    let belonging = bench
        .shared
        .project
        .as_ref()
        .unwrap()
        .code("Belonging")
        .unwrap()
        .uuid;
    bench.shared.selected_code = Some(belonging.clone());
    let mut h = on_memos(bench);
    h.get_by_label("New memo on").click();
    h.run();
    h.get_by_label("Code Why it matters > Belonging").click();
    h.run();
    retype(&mut h, "Memo title", "Names matter");
    retype(
        &mut h,
        "Memo text",
        "Being greeted by name comes up in every choir interview.",
    );
    h.get_by_label("Add memo").click();
    h.run();
    let on_code = project(&h)
        .memos(Some(&MemoTarget::Code(belonging.clone())))
        .unwrap();
    assert_eq!(on_code.len(), 1);
    assert_eq!(on_code[0].title, "Names matter");
    assert!(
        h.query_by_label("Code Why it matters > Belonging")
            .is_some()
    );

    h.get_by_label("Edit memo Names matter").click();
    h.run();
    retype(&mut h, "Title", "Being known by name");
    // Saved as typed: Done only closes the editor.
    h.get_by_label("Done").click();
    h.run();
    let on_code = project(&h)
        .memos(Some(&MemoTarget::Code(belonging.clone())))
        .unwrap();
    assert_eq!(on_code[0].title, "Being known by name");

    h.get_by_label("Delete memo Being known by name").click();
    h.run();
    assert!(
        project(&h)
            .memos(Some(&MemoTarget::Code(belonging)))
            .unwrap()
            .is_empty()
    );
    assert!(h.query_by_label_contains("No memos yet").is_some());
}
