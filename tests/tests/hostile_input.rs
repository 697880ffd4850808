//! Bad input ends in a clear error naming the file and the problem, and the
//! project is left exactly as it was.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use storyloom_e2e::*;
use storyloom_project::{ImportOptions, ImportOutcome, Project};

/// Imports one file from disk and returns the error it must fail with, after
/// checking that the project did not change.
fn must_fail(p: &mut Project, path: PathBuf) -> String {
    let before = (
        p.change_counter().unwrap(),
        p.documents().unwrap().len(),
        p.history().unwrap().len(),
    );
    let report = p
        .import_files(
            std::slice::from_ref(&path),
            &ImportOptions::default(),
            &AtomicBool::new(false),
            &mut |_, _, _| {},
        )
        .unwrap();
    let after = (
        p.change_counter().unwrap(),
        p.documents().unwrap().len(),
        p.history().unwrap().len(),
    );
    assert_eq!(before, after, "{}: the project changed", path.display());
    match &report.outcomes[0] {
        ImportOutcome::Failed { file, error } => {
            assert_eq!(file, path.file_name().unwrap().to_str().unwrap());
            error.clone()
        }
        other => panic!("{}: expected a failure, got {other:?}", path.display()),
    }
}

fn docx_with(document_xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", o).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", o).unwrap();
    zip.write_all(document_xml).unwrap();
    zip.finish().unwrap().into_inner()
}

fn setup() -> (tempfile::TempDir, Project) {
    let (d, mut p) = temp_project();
    // A project with something in it, so "unchanged" means something.
    p.import_bytes("keep.txt", b"Q: Hello?\n\nA: Hi.\n\nQ: And?\n\nA: Fine.\n")
        .unwrap();
    (d, p)
}

#[test]
fn empty_binary_and_invalid_files() {
    let (d, mut p) = setup();
    let write = |name: &str, bytes: &[u8]| {
        let path = d.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    assert!(must_fail(&mut p, write("empty.txt", b"")).contains("empty"));
    let e = must_fail(
        &mut p,
        write(
            "binary.docx",
            &[0u8, 159, 146, 150, 1, 2, 3, 255, 254, 0, 7],
        ),
    );
    assert!(
        e.contains("not a valid Word (.docx) file") && e.contains("zip"),
        "{e}"
    );
    let e = must_fail(
        &mut p,
        write(
            "bad.vtt",
            b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nfine \xff\xfe bytes\n",
        ),
    );
    assert!(e.contains("not valid UTF-8"), "{e}");
    let e = must_fail(
        &mut p,
        write(
            "times.vtt",
            b"WEBVTT\n\n1\n00:00:01.000 --> 00:0x:02.000\nHello\n",
        ),
    );
    assert!(
        e.contains("line 4") && e.contains("invalid cue end time"),
        "{e}"
    );
    let e = must_fail(
        &mut p,
        write("binary.txt", b"\x00\x01\x02\x03garbage\x00\x00"),
    );
    assert!(e.contains("binary"), "{e}");
    let e = must_fail(&mut p, write("notes.pdf", b"%PDF-1.4"));
    assert!(e.contains("unsupported file type"), "{e}");
    let e = must_fail(&mut p, write("hollow.docx", &docx_with(b"<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body><w:p/></w:body></w:document>")));
    assert!(e.contains("no transcript text"), "{e}");
}

#[test]
fn xml_entities_are_refused() {
    let (d, mut p) = setup();
    let xxe = br#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"#;
    let path = d.path().join("xxe.docx");
    std::fs::write(&path, docx_with(xxe)).unwrap();
    let e = must_fail(&mut p, path);
    assert!(e.contains("DOCTYPE"), "{e}");
    let mut lol = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        lol.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!(
                "&lol{};",
                if i == 1 {
                    String::new()
                } else {
                    (i - 1).to_string()
                }
            )
            .repeat(10)
        ));
    }
    lol.push_str("]><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>");
    let path = d.path().join("laughs.docx");
    std::fs::write(&path, docx_with(lol.as_bytes())).unwrap();
    let e = must_fail(&mut p, path);
    assert!(e.contains("DOCTYPE"), "{e}");
}

#[test]
fn a_zip_bomb_is_refused_before_inflating() {
    let (d, mut p) = setup();
    // 1 GiB of spaces inside <w:t>, deflated to about 1 MB, written as a stream.
    let path = d.path().join("bomb.docx");
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let o = zip::write::SimpleFileOptions::default().large_file(true);
    zip.start_file("word/document.xml", o).unwrap();
    zip.write_all(b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>")
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 8 << 20);
    let e = must_fail(&mut p, path);
    assert!(e.contains("zip bomb"), "{e}");
}

#[test]
fn a_200_mb_text_file_is_refused_by_size() {
    let (d, mut p) = setup();
    let path = d.path().join("huge.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: no 200 MB written or read
    let e = must_fail(&mut p, path);
    assert!(e.contains("refused") && e.contains("209715200"), "{e}");
}

#[test]
fn a_bad_file_in_a_batch_does_not_stop_the_others() {
    let (d, mut p) = setup();
    let good = d.path().join("good.txt");
    std::fs::write(&good, "I: Hi?\n\nR: Hello.\n\nI: Well?\n\nR: Yes.\n").unwrap();
    let bad = d.path().join("bad.docx");
    std::fs::write(&bad, b"not a zip").unwrap();
    let missing = d.path().join("missing.srt");
    let report = p
        .import_files(
            &[bad, good, missing],
            &ImportOptions::default(),
            &AtomicBool::new(false),
            &mut |_, _, _| {},
        )
        .unwrap();
    assert_eq!((report.imported(), report.failed()), (1, 2));
    assert_eq!(report.outcomes[0].file(), "bad.docx");
    assert_eq!(report.outcomes[2].file(), "missing.srt");
}

#[test]
fn a_foreign_or_newer_project_file_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("interview.storyloom");
    std::fs::write(&path, "Q: this is a transcript, not a project").unwrap();
    let e = Project::open(&path).err().unwrap().to_string();
    assert!(
        e.contains("not a Storyloom project") && e.contains("interview.storyloom"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Q: this is a transcript, not a project"
    );
}
