//! Selection names compared with the text whatever their length: archives
//! whose producers count in one way but slip into another (QualCoder's
//! codings made in its window are in UTF-16 units; an "NVivo" file counting
//! code points), names cut with `…` or squashed, labels left alone, and
//! selections that fit in no way of counting reported with a count and
//! examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use std::path::Path;
use storyloom_e2e::temp_project;
use storyloom_project::Project;
use storyloom_project::refi::{NameCheck, RefiImportReport, Units};

const CODE: &str = "11111111-1111-1111-1111-111111111111";

/// Code points of `needle` in `text`.
fn cp_at(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle");
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

/// UTF-16 units of `needle` in `text`.
fn u16_at(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle");
    let s = text[..b].encode_utf16().count();
    (s, s + needle.encode_utf16().count())
}

fn sel(n: usize, name: &str, (s, e): (usize, usize)) -> String {
    format!(
        r#"<PlainTextSelection guid="33333333-3333-3333-3333-3333333333{n:02}" name="{name}" startPosition="{s}" endPosition="{e}"><Coding guid="44444444-4444-4444-4444-4444444444{n:02}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>"#
    )
}

/// An archive of one source with these selections.
fn archive(dir: &Path, origin: &str, text: &str, selections: &[String]) -> std::path::PathBuf {
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="names" origin="{origin}">
<CodeBook><Codes><Code guid="{CODE}" name="Mark" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="talk" plainTextPath="internal://talk.txt">{}</TextSource></Sources>
</Project>"#,
        selections.concat()
    );
    let f = dir.join(format!("{}.qdpx", origin.replace(' ', "-")));
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&f).expect("create"));
    let o = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", o).expect("qde");
    zip.write_all(qde.as_bytes()).expect("write");
    zip.start_file("sources/talk.txt", o).expect("txt");
    zip.write_all(text.as_bytes()).expect("write");
    zip.finish().expect("finish");
    f
}

fn quotes(p: &Project) -> Vec<String> {
    p.codings(None, None, None)
        .expect("codings")
        .into_iter()
        .map(|c| c.quote)
        .collect()
}

fn check_of(r: &RefiImportReport, n: usize) -> Option<NameCheck> {
    let guid = format!("33333333-3333-3333-3333-3333333333{n:02}");
    r.selections
        .iter()
        .find(|o| o.guid == guid)
        .and_then(|o| o.name_check)
}

const TEXT: &str = "Mo: 🙂 We met at the café 🙂 every week, rain or shine.\r\n\r\n\
Interviewer: And the walks?\r\n\r\n\
Mo: The walks 😀 by the canal kept me going 🙂 through the winter, honestly they did.\r\n";

#[test]
fn names_decide_the_unit_whatever_their_length() {
    let dir = tempfile::tempdir().expect("dir");
    let text = TEXT;
    let emoji_u16 = u16_at(text, "The walks 😀 by the canal");
    assert_ne!(emoji_u16, cp_at(text, "The walks 😀 by the canal"));
    let long = "The walks 😀 by the canal kept me going 🙂 through the winter, honestly they did.";
    let f = archive(
        dir.path(),
        "SomeTool 2.0",
        text,
        &[
            // Code points, as the producer says: fits.
            sel(1, "We met at the café", cp_at(text, "We met at the café")),
            // UTF-16 units with an emoji inside: one unit longer than its name.
            sel(2, "The walks 😀 by the canal", emoji_u16),
            // UTF-16 units, name cut with `…` by the producer.
            sel(3, "The walks 😀 by the canal kept me…", u16_at(text, long)),
            // The name squashes a line break of the text.
            sel(
                4,
                "rain or shine. Interviewer: And the walks?",
                cp_at(text, "rain or shine.\r\n\r\nInterviewer: And the walks?"),
            ),
            // A quote placed on the wrong words in every way of counting.
            sel(5, "kept me going", cp_at(text, "every week, r")),
            // A label: not the text, not compared.
            sel(
                6,
                "Routine and weather",
                cp_at(text, "every week, rain or shine"),
            ),
        ],
    );
    let (_d, mut p) = temp_project();
    let r = p.import_refi(&f).expect("import");
    assert_eq!(check_of(&r, 1), Some(NameCheck::Fits), "{r:#?}");
    assert_eq!(check_of(&r, 2), Some(NameCheck::Recounted(Units::Utf16)));
    assert_eq!(check_of(&r, 3), Some(NameCheck::Recounted(Units::Utf16)));
    assert_eq!(check_of(&r, 4), Some(NameCheck::Fits), "{r:#?}");
    assert_eq!(check_of(&r, 5), Some(NameCheck::Differs));
    assert_eq!(check_of(&r, 6), Some(NameCheck::Label));
    assert_eq!(r.selections_utf16, 2);
    assert_eq!(r.selections_recounted, 2);
    assert_eq!(r.names_checked, 5);
    assert_eq!(r.names_mismatched, 1);
    assert_eq!(r.names_not_compared, 1);
    assert_eq!(r.name_mismatches.len(), 1);
    assert!(
        r.name_mismatches[0].contains("kept me going")
            && r.name_mismatches[0].contains("every week, r"),
        "{:?}",
        r.name_mismatches
    );
    assert!(
        r.notes.iter().any(|n| n.starts_with("1 selections' names")),
        "{:?}",
        r.notes
    );
    let q = quotes(&p);
    for want in ["We met at the café", "The walks 😀 by the canal", long] {
        assert!(q.iter().any(|x| x == want), "{want:?} in {q:?}");
    }
    // Still imported where the producer put it, and said.
    assert!(q.iter().any(|x| x == "every week, r"), "{q:?}");
}

#[test]
fn an_nvivo_file_counting_code_points_is_placed_by_its_names() {
    let dir = tempfile::tempdir().expect("dir");
    let text = TEXT;
    let needle = "through the winter";
    assert_ne!(cp_at(text, needle), u16_at(text, needle));
    let f = archive(
        dir.path(),
        "NVivo 14",
        text,
        &[
            sel(1, needle, cp_at(text, needle)),
            sel(2, "honestly they did", u16_at(text, "honestly they did")),
            // Nameless selections (as NVivo writes them) are not compared.
            sel(3, "", u16_at(text, "every week")),
        ],
    );
    let (_d, mut p) = temp_project();
    let r = p.import_refi(&f).expect("import");
    assert_eq!(
        check_of(&r, 1),
        Some(NameCheck::Recounted(Units::CodePoints))
    );
    assert_eq!(check_of(&r, 2), Some(NameCheck::Fits));
    assert_eq!(check_of(&r, 3), None);
    assert_eq!(r.names_mismatched, 0, "{:?}", r.name_mismatches);
    let q = quotes(&p);
    for want in [needle, "honestly they did", "every week"] {
        assert!(q.iter().any(|x| x == want), "{want:?} in {q:?}");
    }
}

#[test]
fn many_mismatches_are_counted_and_a_few_shown() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Jo: ".to_owned() + &"word after word in a long line. ".repeat(40) + "\n";
    let sels: Vec<String> = (0..25)
        .map(|i| sel(i, "a long line. word", (4 + i, 4 + i + 17)))
        .collect();
    let f = archive(dir.path(), "SomeTool 2.0", &text, &sels);
    let (_d, mut p) = temp_project();
    let r = p.import_refi(&f).expect("import");
    // One of the 25 (the 20th) lands exactly on "a long line. word".
    assert_eq!(check_of(&r, 19), Some(NameCheck::Fits));
    let differs = r
        .selections
        .iter()
        .filter(|o| o.name_check == Some(NameCheck::Differs))
        .count();
    assert_eq!(differs, 24);
    assert_eq!(r.names_mismatched, 24);
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("24 selections' names"))
    );
    assert_eq!(
        r.name_mismatches.len(),
        storyloom_project::refi::read::MISMATCH_EXAMPLES
    );
}
