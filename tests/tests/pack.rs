//! The discussion pack, the story for checking and the pseudonymisation
//! gate, on the sample study: settings are saved and undone; only approved,
//! checker-clean stories go in; planted original names never reach a file;
//! LibreOffice lays each story out on its own page(s).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use storyloom_e2e::*;
use storyloom_exports::gate;
use storyloom_exports::pack::{self, PackError, PackVariant};
use storyloom_project::Project;
use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::project::pack_ops::PackSettings;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};
use storyloom_project::stories::{PseudonymKind, StoryStatus};

const PLANTED: &str = "Zebedee Quarrington";

fn sample(dir: &Path) -> Project {
    let mut p = Project::create_from_folder(
        &dir.join("sample.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .expect("build the sample project")
    .0;
    settle_names(&mut p);
    p
}

/// Records the sending of the story's current revision and its approval
/// for workshops.
fn approve(p: &mut Project, id: &str) {
    p.record_story_sent(id, SendMethod::ReadAloud, Some("2026-03-01"), None)
        .expect("sent");
    p.approve_story_with(
        id,
        &ApprovalInput {
            how: "in person",
            date: Some("2026-03-02"),
            revision: None,
            scopes: Some(&[ConsentScope::Workshop, ConsentScope::Report]),
        },
        None,
    )
    .expect("approve a clean draft");
}

/// Drafts and approves up to `n` stories; returns their uuids.
fn approved_stories(p: &mut Project, n: usize) -> Vec<String> {
    p.set_pseudonym(PLANTED, "Tom Baker", PseudonymKind::Person, true)
        .expect("pseudonym");
    let mut out = Vec::new();
    for part in p.participants().expect("participants") {
        if out.len() == n {
            break;
        }
        let Ok(id) = p.draft_story(&part.id) else {
            continue;
        };
        approve(p, &id);
        out.push(id);
    }
    assert!(out.len() >= 3, "the sample study drafts at least 3 stories");
    out
}

fn part(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).expect("open docx");
    let mut zip = zip::ZipArchive::new(f).expect("zip");
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).expect("part"), &mut s).expect("read");
    s
}

fn assert_refused_and_gone(r: Result<pack::PackReport, PackError>, out: &Path, what: &str) {
    match r {
        Err(PackError::Gate(e)) => {
            let msg = e.to_string();
            assert!(msg.contains(PLANTED), "{what}: {msg}");
        }
        Err(e) => panic!("{what}: expected the gate to refuse, got {e}"),
        Ok(_) => panic!("{what}: the pack was written with {PLANTED} in it"),
    }
    assert!(!out.exists(), "{what}: the docx was left behind");
    assert!(
        !pack::csv_path(out).exists(),
        "{what}: the csv was left behind"
    );
}

#[test]
fn pack_settings_are_saved_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let s = p.pack_settings().unwrap();
    assert_eq!(s, PackSettings::default());
    assert!(s.questions.iter().any(|q| q.contains("most significant")));
    let mut s2 = s.clone();
    s2.title = "  Living well   in later life ".into();
    s2.workshop = "Community workshop".into();
    s2.date = "2026-12-03".into();
    s2.stories = vec![ids[2].clone(), ids[0].clone()];
    s2.include_themes = true;
    p.save_pack_settings(&s2).unwrap();
    let back = p.pack_settings().unwrap();
    assert_eq!(back.title, "Living well in later life");
    assert_eq!(back.stories, vec![ids[2].clone(), ids[0].clone()]);
    let mut bad = s2.clone();
    bad.date = "3 December".into();
    assert!(p.save_pack_settings(&bad).is_err());
    bad.date = String::new();
    bad.stories = vec!["no such story".into()];
    assert!(p.save_pack_settings(&bad).is_err());
    p.undo().unwrap().expect("one change to undo");
    assert_eq!(p.pack_settings().unwrap(), PackSettings::default());
}

#[test]
fn a_clean_pack_is_written_with_its_recording_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let mut s = p.pack_settings().unwrap();
    s.title = "Stories of later life".into();
    s.workshop = "Steering group workshop".into();
    s.date = "2026-12-03".into();
    s.stories = vec![ids[1].clone(), ids[0].clone()];
    p.save_pack_settings(&s).unwrap();
    let out = dir.path().join("pack.docx");
    let report = pack::export_pack(&p, &out, PackVariant::Stakeholder, None).expect("pack");
    assert_eq!(report.stories.len(), 2);
    let xml = part(&out, "word/document.xml");
    for needle in [
        "Stories of later life",
        "Steering group workshop",
        "3 December 2026",
        "Confidential — for workshop use only",
        "Purpose of the workshop",
        "How to read the stories",
        "The stories in this pack",
        "was given their story (2 read aloud to them)",
        "Ground rules",
        "What stood out for you in this story?",
        "Recording sheet",
        "What we learn",
        "Priority",
    ] {
        assert!(xml.contains(needle), "missing {needle}");
    }
    assert!(
        !xml.contains("Source:"),
        "the stakeholder pack names no sources"
    );
    // Stories in the chosen order.
    assert_eq!(
        report.stories,
        vec![
            p.story(&ids[1]).unwrap().title,
            p.story(&ids[0]).unwrap().title
        ]
    );
    let core = part(&out, "docProps/core.xml");
    assert!(!core.contains("<dc:title>"), "{core}");
    let csv = std::fs::read_to_string(pack::csv_path(&out)).unwrap();
    // A UTF-8 byte order mark first, so Excel reads the sheet as UTF-8.
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("the CSV starts with a BOM");
    assert!(csv.starts_with("Story id,Story,What stood out,What we learn,Reasons,Priority"));
    assert_eq!(csv.lines().count(), 3);
    // The same ids in the pack's recording sheet and the CSV.
    for id in &report.story_ids {
        assert!(xml.contains(id.as_str()), "{id} not in the pack");
        assert!(csv.contains(id.as_str()), "{id} not in the CSV");
    }
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains(&report.stories[0].replace('"', "\"\""))
    );
    // The research team copy carries sources.
    let research = dir.path().join("research.docx");
    let r = pack::export_pack(&p, &research, PackVariant::Research, None).expect("research pack");
    // Marked in its file name (as on its cover and in its properties).
    assert_eq!(r.docx, dir.path().join("research-research-team-only.docx"));
    let rxml = part(&r.docx, "word/document.xml");
    assert!(
        rxml.contains("Source: ") && rxml.contains(", turn "),
        "sources"
    );
}

#[test]
fn unapproved_stories_block_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    p.set_story_title(&ids[1], "A changed title").unwrap();
    assert_ne!(p.story(&ids[1]).unwrap().status, StoryStatus::Approved);
    let mut s = p.pack_settings().unwrap();
    s.stories = ids.clone();
    p.save_pack_settings(&s).unwrap();
    let out = dir.path().join("pack.docx");
    match pack::export_pack(&p, &out, PackVariant::Stakeholder, None) {
        Err(PackError::Blocked(b)) => {
            assert_eq!(b.len(), 1, "{b:?}");
            assert_eq!(b[0].story, "A changed title");
            assert!(!b[0].reasons.is_empty());
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(!out.exists());
}

#[test]
fn planted_names_never_reach_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let out = dir.path().join("pack.docx");
    let base = p.pack_settings().unwrap();

    // In the pack title and the workshop name: the gate deletes the file.
    let mut s = base.clone();
    s.title = format!("Stories told to {PLANTED}");
    assert_refused_and_gone(
        pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None),
        &out,
        "pack title",
    );
    let mut s = base.clone();
    s.workshop = format!("{} workshop", PLANTED.to_uppercase());
    assert_refused_and_gone(
        pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None),
        &out,
        "workshop name",
    );
    let mut s = base.clone();
    s.questions.push(format!(
        "What would Zebedee Quar\u{00AD}rington say? {PLANTED}"
    ));
    assert_refused_and_gone(
        pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None),
        &out,
        "a question",
    );

    // In a story title and in a framing block: refused one way or another,
    // and no file carries the name.
    p.set_story_title(&ids[0], &format!("What {PLANTED} did"))
        .unwrap();
    let _ = p.record_story_sent(&ids[0], SendMethod::Post, None, None);
    let _ = p.approve_story(&ids[0], "by phone", None, None);
    p.add_framing(&ids[1], &format!("{PLANTED} runs the group."), None)
        .unwrap();
    let _ = p.record_story_sent(&ids[1], SendMethod::Post, None, None);
    let _ = p.approve_story(&ids[1], "by phone", None, None);
    p.save_story_check_settings(&storyloom_project::project::pack_ops::StoryCheckSettings {
        researcher: "Ana Researcher".into(),
        contact: "01234 567890".into(),
        return_days: 14,
    })
    .unwrap();
    for id in &ids[..2] {
        let mut s = base.clone();
        s.stories = vec![id.clone()];
        let r = pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None);
        if r.is_ok() {
            let leaks = gate::scan_docx(&out, &[PLANTED.to_owned()]).unwrap();
            assert!(leaks.is_empty(), "{leaks:?}");
        } else {
            assert!(!out.exists());
        }
        let check = dir.path().join("check.docx");
        let r = storyloom_exports::story_check::export_story_check(&p, id, &check, None);
        if r.is_ok() {
            let leaks = gate::scan_docx(&check, &[PLANTED.to_owned()]).unwrap();
            assert!(leaks.is_empty(), "{leaks:?}");
        } else {
            assert!(!check.exists());
        }
    }

    // A clean pack of the untouched story passes.
    let mut s = base.clone();
    s.stories = vec![ids[2].clone()];
    pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None).expect("clean pack");
    assert!(out.exists());
}

#[test]
fn the_story_for_checking_has_a_note_and_a_comment_box() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let out = dir.path().join("check.docx");
    // No researcher contact yet: refused, nothing written.
    let e = storyloom_exports::story_check::export_story_check(&p, &ids[0], &out, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("researcher's name and contact"), "{e}");
    assert!(!out.exists());
    p.save_story_check_settings(&storyloom_project::project::pack_ops::StoryCheckSettings {
        researcher: "Ana Researcher".into(),
        contact: "01234 567890 or ana@example.org".into(),
        return_days: 21,
    })
    .unwrap();
    let story = p.story(&ids[0]).unwrap();
    let participant = story.participant.clone().unwrap();
    p.set_participant_known_as(&participant, "Peggy").unwrap();
    let d =
        storyloom_exports::story_check::export_story_check(&p, &ids[0], &out, None).expect("write");
    assert_eq!(d.addressed_to, "Peggy");
    let xml = part(&out, "word/document.xml");
    assert!(xml.contains("Your story, for you to check"));
    assert!(xml.contains("Dear Peggy,"));
    assert!(xml.contains("Ana Researcher") && xml.contains("ana@example.org"));
    assert!(xml.contains("Please reply by "));
    assert!(xml.contains("withdraw the whole story"));
    assert!(xml.contains("Your comments"));
    assert!(xml.contains("<w:tbl>"));
    assert!(xml.contains(&story.title));
    assert!(part(&out, "word/footer1.xml").contains(&format!("revision {}", story.revision)));
    // Large print: 16 pt and more, lines at least 1.5 times the size.
    let large = dir.path().join("check-large.docx");
    storyloom_exports::story_check::export_story_check_with(
        &p,
        &ids[0],
        &large,
        None,
        &storyloom_exports::story_docx::layout::LARGE_PRINT,
    )
    .expect("large print");
    let styles = part(&large, "word/styles.xml");
    assert!(styles.contains(r#"<w:sz w:val="32"/>"#), "{styles}");
    assert!(!styles.contains("<w:i/>"));

    // Refused: a story the checker finds errors in, and a withdrawn one.
    let t = p.story(&ids[1]).unwrap();
    let block = t.blocks[0].uuid.clone();
    let _ = block;
    p.add_framing(&ids[1], "I was there too and I saw it all myself.", None)
        .unwrap();
    let r = p.check_story(&ids[1], None).unwrap();
    let bad = dir.path().join("bad.docx");
    if r.has_errors() {
        let e = storyloom_exports::story_check::export_story_check(&p, &ids[1], &bad, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("checker finds"), "{e}");
        assert!(!bad.exists());
    }
    p.set_story_status(&ids[2], StoryStatus::Withdrawn).unwrap();
    let e = storyloom_exports::story_check::export_story_check(&p, &ids[2], &bad, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("withdrawn"), "{e}");
    assert!(!bad.exists());
}

#[test]
fn consent_scope_leaves_stories_out_of_the_pack_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    // Report only: not for workshops.
    p.set_story_consent(&ids[0], &[ConsentScope::Report], None)
        .unwrap();
    p.set_story_status(&ids[1], StoryStatus::Withdrawn).unwrap();
    let mut s = p.pack_settings().unwrap();
    s.stories = ids.clone();
    let out = dir.path().join("pack.docx");
    let report = pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None)
        .expect("the third story makes a pack");
    assert_eq!(report.stories.len(), 1);
    assert_eq!(report.left_out.len(), 2, "{:?}", report.left_out);
    assert!(report.left_out[0].reason.contains("research reports only"));
    assert!(report.left_out[1].reason.contains("withdrew"));
    let xml = part(&out, "word/document.xml");
    assert!(!xml.contains(&p.story(&ids[0]).unwrap().title));
    // With no story left: refused, with the reasons.
    s.stories = ids[..2].to_vec();
    let e = pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None).unwrap_err();
    assert!(matches!(e, PackError::NoStories(_)), "{e}");
    assert!(e.to_string().contains("research reports only"), "{e}");
}

// ---- LibreOffice ----

fn tools() -> bool {
    outside_tools(
        &["soffice", "pdfinfo", "pdftotext", "pdftoppm"],
        vec![],
        "the pack was not checked with LibreOffice \
         (apt-get install libreoffice-writer poppler-utils)",
    )
}

fn convert(docx: &Path, out: &Path, profile: &Path) -> PathBuf {
    soffice_to_pdf(&[docx.to_owned()], out, profile, Duration::from_secs(90));
    let pdf = out.join(format!(
        "{}.pdf",
        docx.file_stem().unwrap().to_string_lossy()
    ));
    assert!(pdf.exists(), "soffice wrote no PDF");
    pdf
}

fn pages(pdf: &Path) -> Vec<Vec<String>> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect()
}

#[test]
fn libreoffice_lays_out_each_story_on_its_own_pages() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 12);
    let mut s = p.pack_settings().unwrap();
    s.title = "Stories of later life".into();
    s.workshop = "Steering group workshop".into();
    s.date = "2026-12-03".into();
    p.save_pack_settings(&s).unwrap();
    let out = dir.path().join("pack.docx");
    let report = pack::export_pack(&p, &out, PackVariant::Stakeholder, None).expect("pack");
    assert_eq!(report.stories.len(), ids.len());
    let pdf = convert(&out, dir.path(), &dir.path().join("lo-profile"));
    if let Ok(keep) = std::env::var("STORYLOOM_KEEP_PACK") {
        let _ = std::fs::copy(&out, format!("{keep}.docx"));
        let _ = std::fs::copy(&pdf, format!("{keep}.pdf"));
    }
    let all_pages = pages(&pdf);
    let pg = &all_pages;
    // Each story's title is the first line of a page, and its last words
    // are on that page or the next.
    let mut starts = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let rendered = p.render_story(id, None).unwrap();
        let title: String = rendered
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let start = pg
            .iter()
            .position(|pg| {
                pg.first()
                    .is_some_and(|l| title.starts_with(l.as_str()) || l.starts_with(&title))
            })
            .unwrap_or_else(|| panic!("story {i} '{title}' does not start a page"));
        let last = storyloom_exports::story_docx::set_paragraphs(&rendered)
            .last()
            .map(|p| p.text())
            .unwrap_or_default();
        let tail: Vec<&str> = last.split_whitespace().rev().take(3).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        let tail = tail.join(" ");
        let end = (start..pg.len())
            .find(|&k| pg[k].join(" ").contains(&tail))
            .unwrap_or_else(|| panic!("the end of story {i} ('{tail}') is not found"));
        assert!(
            end - start < 2,
            "story {i} '{title}' takes {} pg",
            end - start + 1
        );
        starts.push(start);
    }
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    // Double-sided (the default): every story starts on an odd page. (The
    // PDF leaves out the blank pages LibreOffice inserts when printing; the
    // page numbers in the footers count them.)
    for (i, st) in starts.iter().enumerate() {
        let n = page_number(&pg[*st]).expect("a page number");
        assert_eq!(n % 2, 1, "story {i} starts on page {n}");
    }
    check_pages(
        pg,
        &report.story_ids,
        &starts,
        "Notes: what stands out for you?",
    );
    // The large-print copy: the same rules.
    let mut s = p.pack_settings().unwrap();
    s.stories = ids[..4].to_vec();
    let out = dir.path().join("pack-lp.docx");
    let lp = pack::export_pack_options(
        &p,
        &s,
        &out,
        pack::PackOptions {
            variant: PackVariant::Stakeholder,
            large_print: true,
        },
        None,
    )
    .expect("large print pack");
    let lp_docx = lp.large_print.clone().expect("large print written");
    let pdf_lp = convert(&lp_docx, dir.path(), &dir.path().join("lo-profile"));
    if let Ok(keep) = std::env::var("STORYLOOM_KEEP_PACK") {
        let _ = std::fs::copy(&pdf_lp, format!("{keep}-lp.pdf"));
    }
    let lp_pages = pages(&pdf_lp);
    let mut lp_starts = Vec::new();
    for id in &lp.story_ids {
        let at = lp_pages
            .iter()
            .position(|pg| pg.iter().any(|l| l.starts_with(&format!("Story {id}"))))
            .unwrap_or_else(|| panic!("story {id} has no footer in large print"));
        let n = page_number(&lp_pages[at]).expect("a page number");
        assert_eq!(n % 2, 1, "large print: story {id} starts on page {n}");
        lp_starts.push(at);
    }
    check_pages(&lp_pages, &lp.story_ids, &lp_starts, "Notes");
    // A picture of the first story's page, for the README.
    let png = dir.path().join("page");
    let n = (starts[0] + 1).to_string();
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", &n, "-l", &n, "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm");
    assert!(st.success());
    let png = png.with_extension("png");
    assert!(png.exists());
    if let Ok(keep) = std::env::var("STORYLOOM_PACK_PNG") {
        std::fs::copy(&png, keep).unwrap();
    }
}

/// Page numbers on every page but the cover, each story's pg footed
/// with its id, and no page that holds only a notes box.
/// The number in a page's footer ("… Page 7").
fn page_number(page: &[String]) -> Option<usize> {
    page.last()?.rsplit_once("Page ")?.1.trim().parse().ok()
}

fn check_pages(pages: &[Vec<String>], ids: &[String], starts: &[usize], label: &str) {
    let mut last_number = 1;
    for (k, pg) in pages.iter().enumerate() {
        if pg.is_empty() {
            continue;
        }
        if k > 0 {
            let footer = pg.last().unwrap();
            let n = page_number(pg)
                .unwrap_or_else(|| panic!("page {}: no page number in {footer:?}", k + 1));
            assert!(
                n > last_number,
                "page {}: number {n} after {last_number}",
                k + 1
            );
            last_number = n;
        }
        let body: Vec<&String> = pg[..pg.len() - 1].iter().collect();
        assert!(
            !(body.len() == 1 && body[0] == label),
            "page {} holds only a notes box",
            k + 1
        );
    }
    for (i, id) in ids.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(pages.len());
        for (k, page) in pages.iter().enumerate().take(end).skip(starts[i]) {
            if let Some(footer) = page.last()
                && !footer.starts_with("Page ")
            {
                assert!(
                    footer.starts_with(&format!("Story {id}"))
                        && footer.contains("approved revision"),
                    "page {}: {footer:?}",
                    k + 1
                );
            }
        }
        assert!(
            pages[starts[i]]
                .last()
                .is_some_and(|f| f.starts_with(&format!("Story {id}"))),
            "story {id}: its first page has no story footer"
        );
    }
}

/// Rewrites `word/document.xml` of a docx with `edit`.
fn edit_docx(path: &Path, out: &Path, edit: impl Fn(&str) -> String) {
    edit_part(path, out, "word/document.xml", edit)
}

/// Rewrites one part of a docx with `edit`.
fn edit_part(path: &Path, out: &Path, part: &str, edit: impl Fn(&str) -> String) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        if name == part {
            data = edit(&String::from_utf8(data).unwrap()).into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zout, &data).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn workshop_notes_come_back_from_the_docx_and_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let mut s = p.pack_settings().unwrap();
    s.workshop = "Steering group".into();
    s.date = "2026-12-03".into();
    p.save_pack_settings(&s).unwrap();
    let out = dir.path().join("pack.docx");
    let report = pack::export_pack(&p, &out, PackVariant::Stakeholder, None).expect("pack");
    // The unfilled pack: every row blank, nothing stored.
    let r = p.import_workshop_notes(&out).unwrap();
    assert_eq!((r.imported, r.blank), (0, report.stories.len()));

    // The docx filled in: the first empty cell after the sheet's heading.
    let filled = dir.path().join("filled.docx");
    edit_docx(&out, &filled, |xml| {
        let at = xml.rfind("Recording sheet").unwrap();
        let empty = "</w:pPr></w:p>";
        let k = at + xml[at..].find(empty).expect("an empty cell") + "</w:pPr>".len();
        format!(
            "{}<w:r><w:t xml:space=\"preserve\">Being &quot;expected&quot;</w:t></w:r>{}",
            &xml[..k],
            &xml[k..]
        )
    });
    let r = p.import_workshop_notes(&filled).unwrap();
    assert_eq!(r.imported, 1, "{r:?}");
    assert!(r.unmatched.is_empty());
    assert_eq!(r.workshop, "Steering group, 2026-12-03");
    let notes = p.workshop_notes(&ids[0]).unwrap();
    assert_eq!(notes.len(), 1, "the first row is the first story");
    assert_eq!(notes[0].fields["What stood out"], "Being \"expected\"");

    // The CSV template filled in, with a row that matches nothing.
    let csv = std::fs::read_to_string(pack::csv_path(&out)).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    lines[2] = lines[2].trim_end_matches(",,,,").to_owned() + ",Trust,Go slowly,It was honest,high";
    lines.push(",No such story,Something,,,low".into());
    // A row whose id was lost matches by its title.
    let third = p.story(&ids[2]).unwrap().title;
    lines.push(format!(",\"3. {}\",Warmth,,,", third.replace('"', "\"\"")));
    let csv_path = dir.path().join("sheet.csv");
    std::fs::write(&csv_path, lines.join("\n")).unwrap();
    let r = p.import_workshop_notes(&csv_path).unwrap();
    assert_eq!(r.imported, 2, "{r:?}");
    assert_eq!(r.unmatched, vec!["No such story".to_owned()]);
    assert_eq!(p.workshop_notes(&ids[2]).unwrap().len(), 1);
    let notes = p.workshop_notes(&ids[1]).unwrap();
    assert_eq!(notes[0].fields["Priority"], "high");
    // One change, undoable.
    p.undo().unwrap().expect("undo the import");
    assert!(p.workshop_notes(&ids[1]).unwrap().is_empty());
    assert_eq!(p.workshop_notes(&ids[0]).unwrap().len(), 1);
}

#[test]
fn the_gate_reads_every_part_and_deletes_what_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let map = p.pseudonym_map(None).unwrap();
    // A story whose title and framing carry the name, written as a docx.
    let mut story = p.render_story(&ids[0], None).unwrap();
    story.title = format!("What {PLANTED} did");
    let docx = dir.path().join("story.docx");
    storyloom_exports::save_story_docx(&story, &docx).unwrap();
    match gate::check_file(&docx, &map) {
        Err(gate::GateError::Leaked(l)) => {
            assert_eq!(l[0].original, PLANTED);
            assert_eq!(l[0].part, "word/document.xml");
        }
        other => panic!("expected a leak, got {other:?}"),
    }
    assert!(!docx.exists(), "the leaking file is deleted");
    let mut story = p.render_story(&ids[0], None).unwrap();
    story.paragraphs[0].runs[0].text = "zebedee quarrington runs it. ".to_owned();
    storyloom_exports::save_story_docx(&story, &docx).unwrap();
    assert!(gate::check_file(&docx, &map).is_err());
    assert!(!docx.exists());

    // The name hidden in the document properties of a clean pack.
    let out = dir.path().join("pack.docx");
    pack::export_pack(&p, &out, PackVariant::Stakeholder, None).expect("clean pack");
    gate::check_file(&out, &map).expect("clean");
    let core = dir.path().join("core.docx");
    edit_part(&out, &core, "docProps/core.xml", |xml| {
        xml.replace(
            "<dc:creator>Storyloom</dc:creator>",
            "<dc:creator>Zebedee Quarrington</dc:creator>",
        )
    });
    match gate::check_file(&core, &map) {
        Err(gate::GateError::Leaked(l)) => assert_eq!(l[0].part, "docProps/core.xml"),
        other => panic!("expected a leak, got {other:?}"),
    }
    assert!(!core.exists());
    // A name split over two runs, with an entity, is still found.
    let split = dir.path().join("split.docx");
    edit_docx(&out, &split, |xml| {
        xml.replacen(
            "Purpose of the workshop",
            "Purpose of Zebe</w:t></w:r><w:r><w:t>dee Quarr&#105;ngton",
            1,
        )
    });
    assert!(gate::check_file(&split, &map).is_err());
    assert!(!split.exists());
}

/// Every paragraph of a document.xml: (style id, text).
fn styled_paragraphs(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in xml.split("<w:p>").skip(1) {
        let p = p.split("</w:p>").next().unwrap_or("");
        let style = p
            .split(r#"<w:pStyle w:val=""#)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_owned();
        let text: String = p
            .split("<w:t xml:space=\"preserve\">")
            .skip(1)
            .filter_map(|t| t.split("</w:t>").next())
            .collect();
        out.push((style, text));
    }
    out
}

#[test]
fn every_word_file_is_in_schema_order_with_heading_styles_and_a_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    p.save_story_check_settings(&storyloom_project::project::pack_ops::StoryCheckSettings {
        researcher: "Ana Researcher".into(),
        contact: "01234 567890".into(),
        return_days: 14,
    })
    .unwrap();
    let participant = p.story(&ids[0]).unwrap().participant.unwrap();
    p.set_participant_known_as(&participant, "Peggy").unwrap();
    let mut s = p.pack_settings().unwrap();
    s.include_themes = true;
    s.facilitator_page = true;
    let mut files = Vec::new();
    for (name, variant) in [
        ("pack.docx", PackVariant::Stakeholder),
        ("research.docx", PackVariant::Research),
    ] {
        let out = dir.path().join(name);
        let r = pack::export_pack_options(
            &p,
            &s,
            &out,
            pack::PackOptions {
                variant,
                large_print: true,
            },
            None,
        )
        .expect("pack");
        files.push(r.docx);
        files.push(r.large_print.unwrap());
    }
    let check = dir.path().join("check.docx");
    storyloom_exports::story_check::export_story_check(&p, &ids[0], &check, None).unwrap();
    files.push(check);
    let report = dir.path().join("themes.docx");
    storyloom_exports::reports::export_theme_report(&p, &report, &Default::default()).unwrap();
    files.push(report);
    let codebook = dir.path().join("codebook.docx");
    storyloom_exports::reports::export_codebook_docx(&p, &codebook, &Default::default()).unwrap();
    files.push(codebook);
    let xmllint = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let problems = storyloom_exports::docx::order::check_docx(&bytes).unwrap();
        assert!(problems.is_empty(), "{}: {problems:#?}", f.display());
        let styles = part(f, "word/styles.xml");
        assert!(
            styles.contains(r#"w:type="paragraph" w:default="1" w:styleId="Normal""#),
            "{}: Normal is not the default style",
            f.display()
        );
        for (id, name, level) in [
            ("Heading1", "heading 1", "0"),
            ("Heading2", "heading 2", "1"),
        ] {
            let st = styles
                .split(&format!(r#"w:styleId="{id}""#))
                .nth(1)
                .unwrap_or_else(|| panic!("{}: no {id} style", f.display()));
            let st = st.split("</w:style>").next().unwrap();
            assert!(st.contains(&format!(r#"<w:name w:val="{name}"/>"#)));
            assert!(st.contains(&format!(r#"<w:outlineLvl w:val="{level}"/>"#)));
        }
        assert!(
            styles.contains(r#"<w:lang w:val="en-GB""#),
            "{}: no language",
            f.display()
        );
        let xml = part(f, "word/document.xml");
        let paras = styled_paragraphs(&xml);
        assert!(
            paras
                .iter()
                .any(|(st, _)| st == "Heading1" || st == "Title"),
            "{}: no heading",
            f.display()
        );
        if xmllint {
            for name in ["word/document.xml", "word/styles.xml", "word/settings.xml"] {
                let tmp = dir.path().join("part.xml");
                std::fs::write(&tmp, part(f, name)).unwrap();
                let st = std::process::Command::new("xmllint")
                    .arg("--noout")
                    .arg(&tmp)
                    .status()
                    .unwrap();
                assert!(st.success(), "{}: {name} is not well-formed", f.display());
            }
        }
    }
    // Every story title in the pack is a Heading 1; its pseudonym line follows.
    let xml = part(&files[0], "word/document.xml");
    let paras = styled_paragraphs(&xml);
    for id in &ids {
        let r = p.render_story(id, None).unwrap();
        let i = paras
            .iter()
            .position(|(st, t)| st == "Heading1" && t == r.title.trim())
            .unwrap_or_else(|| panic!("no Heading 1 for the title {}", r.title));
        assert_eq!(paras[i + 1].0, "RoleLine");
        assert!(paras[i + 1].1.starts_with(r.pseudonym.trim()));
    }
    // The recording sheet's header row repeats and is marked as a header;
    // it is in a landscape section.
    assert!(xml.contains("<w:tblHeader/>"));
    assert!(xml.contains(r#"w:orient="landscape""#));
    assert!(xml.contains(r#"<w:type w:val="oddPage"/>"#));
    assert!(xml.contains(r#"<w:tblCaption w:val="Recording sheet"/>"#));
}

#[test]
fn consent_scope_leaves_quotes_out_of_the_theme_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let ids = approved_stories(&mut p, 3);
    let out = dir.path().join("themes.docx");
    let all =
        storyloom_exports::reports::export_theme_report(&p, &out, &Default::default()).unwrap();
    assert!(all.left_out.is_empty(), "{:?}", all.left_out);
    // One storyteller agreed to workshops only; another withdrew.
    p.set_story_consent(&ids[0], &[ConsentScope::Workshop], None)
        .unwrap();
    p.set_story_status(&ids[1], StoryStatus::Withdrawn).unwrap();
    let fewer =
        storyloom_exports::reports::export_theme_report(&p, &out, &Default::default()).unwrap();
    let who: Vec<String> = [&ids[0], &ids[1]]
        .iter()
        .map(|id| p.story(id).unwrap().participant.unwrap())
        .collect();
    let mut left: Vec<String> = fewer.left_out.iter().map(|(w, _)| w.clone()).collect();
    left.sort();
    let mut expect = who.clone();
    expect.sort();
    assert_eq!(left, expect, "{:?}", fewer.left_out);
    assert!(
        fewer
            .left_out
            .iter()
            .any(|(_, why)| why.contains("withdrew"))
    );
    assert!(
        fewer
            .left_out
            .iter()
            .any(|(_, why)| why.contains("research reports"))
    );
    let xml = part(&out, "word/document.xml");
    assert!(xml.contains("left out at the participants' wish"));
    // No quote in the report is attributed to them.
    for id in &ids[..2] {
        let pseudonym = p.story(id).unwrap().pseudonym;
        if !pseudonym.trim().is_empty() {
            assert!(
                !xml.contains(&format!("— {pseudonym}")),
                "{pseudonym} is quoted"
            );
        }
    }
}
