//! egui_kittest tests of the workbench shell on a temporary copy of the
//! sample study. Panels have their own tests beside them and reuse
//! [`bench_on_sample`] and [`harness`].

use super::Workbench;
use super::shared::CenterTab;
use egui_kittest::{Harness, kittest::Queryable as _};
use std::path::PathBuf;
use storyloom_project::Project;

/// A workbench on a fresh project built from the sample study's
/// participants, codebook and interviews, without its coding, so tests
/// count codings from zero.
pub fn bench_on_sample() -> (tempfile::TempDir, Workbench) {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let sample = dir.path().join("sample-data");
    std::fs::create_dir_all(sample.join("interviews")).expect("sample folder");
    for f in ["participants.csv", "codebook.csv", "speakers-checked.txt"] {
        std::fs::copy(source.join(f), sample.join(f)).expect("sample csv");
    }
    for e in std::fs::read_dir(source.join("interviews")).expect("interviews") {
        let path = e.expect("entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, sample.join("interviews").join(name)).expect("interview");
        }
    }
    let (project, _) =
        Project::create_from_folder(&dir.path().join("s.storyloom"), &sample, &mut |_, _, _| {})
            .expect("sample study");
    let mut bench = Workbench::default();
    bench.no_native_dialogs = true;
    bench.set_project(project);
    (dir, bench)
}

/// A harness the size of a laptop screen around a workbench.
pub fn harness(bench: Workbench) -> Harness<'static, Workbench> {
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_ui_state(|ui, b: &mut Workbench| b.ui(ui), bench);
    h.run();
    h
}

#[test]
fn choosing_a_document_shows_its_turns_and_speakers() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.get_by_label("P01-doreen-walsh.docx").click();
    h.run();
    let open = h
        .state()
        .shared
        .open_document
        .clone()
        .expect("a document is open");
    let doc = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .document(&open)
        .unwrap();
    assert_eq!(doc.name, "P01-doreen-walsh.docx");
    // Each turn's header names its speaker ("Turn 3: Doreen").
    assert!(h.query_all_by_label_contains(": Doreen").count() > 10);
    assert!(h.query_by_label_contains("Participant P01").is_some());
}

#[test]
fn a_bad_dropped_file_is_reported_and_nothing_changes() {
    let (dir, mut bench) = bench_on_sample();
    let bad = dir.path().join("broken.docx");
    std::fs::write(&bad, b"not a zip").unwrap();
    let before = bench
        .shared
        .project
        .as_ref()
        .unwrap()
        .documents()
        .unwrap()
        .len();
    bench.import_now(vec![bad]);
    assert_eq!(
        bench
            .shared
            .project
            .as_ref()
            .unwrap()
            .documents()
            .unwrap()
            .len(),
        before
    );
    let mut h = harness(bench);
    // In the status bar and in the refusal dialog.
    assert!(
        h.query_all_by_label_contains("Could not import broken.docx")
            .count()
            >= 1
    );
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().shared.notices.is_empty());
}

#[test]
fn importing_in_the_background_shows_progress_and_lands_the_files() {
    let (dir, mut bench) = bench_on_sample();
    let file = dir.path().join("P10-new.txt");
    std::fs::write(
        &file,
        "Interviewer: How are you?\nMaya: Well, thank you.\nInterviewer: And the group?\nMaya: I love it.\n",
    )
    .unwrap();
    bench.import(vec![file]);
    assert!(bench.jobs.busy() || bench.shared.project.is_some());
    bench.jobs.wait(&mut bench.shared);
    let docs = bench.shared.project.as_ref().unwrap().documents().unwrap();
    assert!(docs.iter().any(|d| d.name == "P10-new.txt"));
    let mut h = harness(bench);
    assert!(h.query_by_label_contains("Imported P10-new.txt").is_some());
    h.get_by_label("Documents").click();
    h.run();
    assert!(h.query_by_label("P10-new.txt").is_some());
}

#[test]
fn file_menu_creates_and_opens_projects_through_the_path_prompt() {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("New project…").click();
    h.run();
    let new = dir.path().join("fresh");
    h.get_by_label("File path").click();
    h.run();
    // The name field starts with a default name: typed over here.
    if let Some((_, t)) = h.state_mut().prompt.as_mut() {
        t.clear();
    }
    h.run();
    h.get_by_label("File path").type_text(new.to_str().unwrap());
    h.run();
    h.get_by_label("OK").click();
    h.run();
    let p = h.state().shared.project.as_ref().unwrap().path().to_owned();
    assert_eq!(p, dir.path().join("fresh.storyloom"));
    assert!(h.state().prefs.recent.len() >= 2);
    // Open recent brings the sample back.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open recent").hover();
    h.run();
    let sample = dir.path().join("s.storyloom");
    h.get_by_label(sample.to_str().unwrap()).click();
    h.run();
    assert_eq!(h.state().shared.project.as_ref().unwrap().path(), sample);
}

#[test]
fn undo_and_redo_from_the_edit_menu_and_the_keyboard() {
    let (_dir, mut bench) = bench_on_sample();
    bench
        .shared
        .act(|p| p.create_code("Tea and biscuits", None, None));
    let mut h = harness(bench);
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Undo create code").click();
    h.run();
    let codes = h.state().shared.project.as_ref().unwrap().codes().unwrap();
    assert!(!codes.iter().any(|c| c.name() == "Tea and biscuits"));
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run();
    let codes = h.state().shared.project.as_ref().unwrap().codes().unwrap();
    assert!(codes.iter().any(|c| c.name() == "Tea and biscuits"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let codes = h.state().shared.project.as_ref().unwrap().codes().unwrap();
    assert!(!codes.iter().any(|c| c.name() == "Tea and biscuits"));
}

#[test]
fn the_edit_menu_says_whose_action_undo_reverses_and_who_blocks_it() {
    let (_dir, mut bench) = bench_on_sample();
    bench.shared.project.as_mut().unwrap().set_actor("alice");
    let code = bench
        .shared
        .act(|p| p.create_code("Tea and biscuits", None, None))
        .unwrap();
    let path = bench.shared.project.as_ref().unwrap().path().to_owned();
    let mut h = harness(bench);
    h.get_by_label("Edit").click();
    h.run();
    assert!(
        h.query_by_label_contains("Undo create code (by alice)")
            .is_some()
    );
    h.key_press(egui::Key::Escape);
    h.run();
    // Another user (another process) renames alice's code: her undo would
    // revert bob's change, so it is refused and the menu says why.
    let mut bob = Project::open(&path).unwrap();
    bob.set_actor("bob");
    bob.rename_code(&code, "Tea and cake").unwrap();
    if h.query_by_label("Edit").is_some() {
        h.get_by_label("Edit").click();
        h.run();
    }
    assert!(
        h.query_by_label_contains("blocked, bob").is_some(),
        "the Edit menu names bob"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let codes = h.state().shared.project.as_ref().unwrap().codes().unwrap();
    assert!(codes.iter().any(|c| c.name() == "Tea and cake"));
}

#[test]
fn the_centre_tabs_switch_and_the_theme_and_zoom_change() {
    let (_dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    for tab in CenterTab::ALL {
        h.get_by_label(tab.label()).click();
        h.run();
        assert_eq!(h.state().shared.center, tab);
    }
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Dark theme").click();
    h.run();
    assert!(h.state().prefs.dark);
    if h.query_by_label_contains("Zoom in").is_none() {
        h.get_by_label("View").click();
        h.run();
    }
    // (Its name carries the shortcut, Ctrl++.)
    h.get_by_label_contains("Zoom in").click();
    h.run();
    assert!(h.state().prefs.zoom > 1.0);
}

#[test]
fn export_and_import_a_refi_project_through_the_menus() {
    let (dir, bench) = bench_on_sample();
    let mut h = harness(bench);
    let out = dir.path().join("study.qdpx");
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("REFI-QDA project (.qdpx)…").click();
    h.run();
    h.get_by_label("File path").click();
    h.run();
    // The name field starts with a default name: typed over here.
    if let Some((_, t)) = h.state_mut().prompt.as_mut() {
        t.clear();
    }
    h.run();
    h.get_by_label("File path").type_text(out.to_str().unwrap());
    h.run();
    h.get_by_label("OK").click();
    // One frame starts the job; `run` now would step while it runs
    // (how many frames depends on the machine's load).
    h.step();
    // The export runs in the background; wait for it.
    let bench = h.state_mut();
    bench.jobs.wait(&mut bench.shared);
    h.run();
    // Research team only: so named beside the name typed.
    let written = dir.path().join("study-research-team-only.qdpx");
    assert!(written.is_file(), "{:?}", h.state().shared.notices);
    assert!(!out.exists());
    // In the status bar and in the finished export's toast.
    assert!(h.query_all_by_label_contains("Wrote").count() >= 1);
    assert!(h.query_all_by_label_contains("research team only").count() >= 1);
    // Into a new project.
    h.state_mut()
        .new_project(&dir.path().join("copy.storyloom"));
    h.state_mut()
        .file_action(super::workbench::PathPrompt::ImportRefi, &written);
    h.run();
    let p = h.state().shared.project.as_ref().unwrap();
    assert_eq!(p.documents().unwrap().len(), 12);
    assert!(
        h.query_by_label_contains("Imported study-research-team-only.qdpx")
            .is_some()
    );
}

#[test]
fn a_cancelled_or_failed_export_leaves_the_previous_file_and_gives_the_project_back() {
    let (dir, mut bench) = bench_on_sample();
    let out = dir.path().join("slow.docx");
    std::fs::write(&out, b"the previous export").unwrap();
    // Fails half-way through writing: the previous file stays, no temp is left.
    bench
        .jobs
        .start_export(&mut bench.shared, "Exporting", out.clone(), |_, out| {
            let mut f = storyloom_exports::AtomicFile::create(out).map_err(|e| e.to_string())?;
            std::io::Write::write_all(&mut f, b"half").map_err(|e| e.to_string())?;
            std::thread::sleep(std::time::Duration::from_millis(200));
            Err("stopped half-way".into())
        });
    assert!(bench.jobs.busy());
    assert!(bench.jobs.progress().is_some());
    bench.jobs.cancel();
    bench.jobs.wait(&mut bench.shared);
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous export");
    assert!(bench.shared.project.is_some());
    assert!(
        bench
            .shared
            .notices
            .last()
            .is_some_and(|n| n.text.starts_with("Cancelled") && n.text.contains("not changed"))
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("storyloom-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // One that finished before the cancel reached it says so and keeps the file.
    bench
        .jobs
        .start_export(&mut bench.shared, "Exporting", out.clone(), |_, out| {
            storyloom_exports::write_atomic::<std::io::Error, _>(out, |w| {
                std::io::Write::write_all(w, b"new")
            })
            .map_err(|e| e.to_string())?;
            Ok("Wrote it".into())
        });
    bench.jobs.cancel();
    bench.jobs.wait(&mut bench.shared);
    assert_eq!(std::fs::read(&out).unwrap(), b"new");
    assert!(
        bench
            .shared
            .notices
            .last()
            .is_some_and(|n| n.text.contains("had finished"))
    );
}

/// Settles the names found in the text, as a researcher does before a
/// stakeholder export: participants' names replaced everywhere (the study
/// id where their pseudonym is a real name elsewhere), the rest not identifying.
fn settle_names(p: &mut storyloom_project::Project) -> storyloom_project::Result<()> {
    for e in p.own_names_map()?.entries() {
        if e.scope.is_some()
            && p.set_pseudonym(&e.original, &e.replacement, e.kind, true)
                .is_err()
        {
            let id = e.scope.clone().unwrap_or_default();
            p.set_pseudonym(&e.original, &id, e.kind, true)?;
        }
    }
    let originals: Vec<String> = p
        .pseudonym_map(None)?
        .entries()
        .iter()
        .map(|e| storyloom_project::privacy::fold(&e.original))
        .collect();
    let names: Vec<String> = p
        .unreviewed_names(None)?
        .into_iter()
        .filter(|n| !originals.contains(&n.key))
        .map(|n| n.name)
        .collect();
    p.review_names(
        &names,
        storyloom_project::store::pseudonyms::Verdict::NotIdentifying,
        "test",
    )?;
    Ok(())
}

#[test]
fn the_export_menu_writes_the_codebook_segments_and_theme_report() {
    let (dir, mut bench) = bench_on_sample();
    bench.shared.act(settle_names).expect("names settled");
    let mut h = harness(bench);
    for (label, file) in [
        ("Codebook (.csv)…", "codebook.csv"),
        ("Coded segments (.xlsx)…", "segments.xlsx"),
        ("Theme report (.docx)…", "themes.docx"),
    ] {
        let out = dir.path().join(file);
        h.get_by_label("Export").click();
        h.run();
        h.get_by_label(label).click();
        h.run();
        h.get_by_label("File path").click();
        h.run();
        // The name field starts with a default name: typed over here.
        if let Some((_, t)) = h.state_mut().prompt.as_mut() {
            t.clear();
        }
        h.run();
        h.get_by_label("File path").type_text(out.to_str().unwrap());
        h.run();
        h.get_by_label("OK").click();
        // One frame starts the job; `run` now would step while it runs
        // (how many frames depends on the machine's load).
        h.step();
        let bench = h.state_mut();
        bench.jobs.wait(&mut bench.shared);
        h.run();
        assert!(out.is_file(), "{file}: {:?}", h.state().shared.notices);
    }
    // A pack with no approved story is refused with the reason, and writes nothing.
    let pack = dir.path().join("pack.docx");
    h.state_mut().file_action(
        super::workbench::PathPrompt::ExportPack { research: false },
        &pack,
    );
    let bench = h.state_mut();
    bench.jobs.wait(&mut bench.shared);
    assert!(!pack.exists());
    assert!(h.state().shared.notices.last().is_some_and(|n| n.error));
}

use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};

#[test]
fn pack_settings_are_saved_and_an_approved_story_makes_a_pack() {
    let (dir, mut bench) = bench_on_sample();
    let story = bench.shared.act(|p| p.draft_story("P03")).expect("draft");
    bench
        .shared
        .act(|p| {
            p.record_story_sent(&story, SendMethod::Post, None, None)?;
            p.approve_story_with(
                &story,
                &ApprovalInput {
                    how: "by phone",
                    scopes: Some(&[ConsentScope::Workshop]),
                    ..Default::default()
                },
                None,
            )
        })
        .expect("approved");
    // Settle the names found in the text, as a researcher would first.
    bench.shared.act(settle_names).expect("names settled");
    let mut h = harness(bench);
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Discussion pack settings…").click();
    h.run();
    h.get_by_label("Workshop").click();
    h.run();
    h.get_by_label("Workshop")
        .type_text("Hallbrook learning day");
    h.run();
    h.get_by_label("Done").click();
    h.run();
    let settings = h
        .state()
        .shared
        .project
        .as_ref()
        .unwrap()
        .pack_settings()
        .unwrap();
    assert!(
        settings.workshop.ends_with("Hallbrook learning day"),
        "{}",
        settings.workshop
    );
    // No story ticked off: the pack has every approved story.
    assert!(settings.stories.is_empty(), "{:?}", settings.stories);
    let pack = dir.path().join("pack.docx");
    h.state_mut().file_action(
        super::workbench::PathPrompt::ExportPack { research: false },
        &pack,
    );
    let bench = h.state_mut();
    bench.jobs.wait(&mut bench.shared);
    assert!(pack.is_file(), "{:?}", h.state().shared.notices);
}

#[test]
fn a_read_only_project_opens_with_a_banner_that_says_what_to_do() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ro.storyloom");
    Project::create(&path)
        .expect("project")
        .create_code("Belonging", None, None)
        .expect("code");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let mut bench = Workbench::default();
    bench.no_native_dialogs = true;
    bench.set_project(Project::open(&path).expect("opens read-only"));
    let mut h = harness(bench);
    assert!(
        h.query_by_label_contains("Read-only:").is_some()
            && h.query_by_label_contains("Save a copy").is_some(),
        "the banner says the project is read-only and what to do"
    );
    // A change is refused with the reason, and nothing appears beside the file.
    let refused = h
        .state_mut()
        .shared
        .act(|p| p.create_code("Music", None, None));
    assert!(refused.is_none());
    h.run();
    // In the status bar and in the refusal dialog.
    assert!(h.query_all_by_label_contains("open read-only").count() >= 1);
    assert!(h.query_by_label("Storyloom could not do that").is_some());
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "ro.storyloom")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}
