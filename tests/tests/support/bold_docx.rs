//! A transcript whose speakers are bold paragraphs (the interviewer's
//! questions all in bold, the answers plain, no labels), as a .docx, and a
//! project that codes it by two coders on words with an emoji and a
//! combining accent. Shared by the REFI-QDA speaker tests.

use std::io::Write;
use std::path::Path;
use storyloom_project::{CodingRequest, Project};

/// (bold, paragraph)
pub const PARAGRAPHS: [(bool, &str); 6] = [
    (true, "How did you first hear about the walking group?"),
    (
        false,
        "A leaflet at the surgery 🙂 and my neighbour Zoë, who never stops talking.",
    ),
    (true, "What was the first walk like?"),
    (
        false,
        "Cold! We ended at the café x\u{302} by the lock, all of us soaked.",
    ),
    (true, "And now?"),
    (false, "I go every Tuesday."),
];

pub fn docx() -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let body: String = PARAGRAPHS
        .iter()
        .map(|(bold, p)| {
            let b = if *bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
            format!(
                r#"<w:p><w:r>{b}<w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                esc(p)
            )
        })
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.as_slice()),
        ("word/document.xml", xml.as_bytes()),
    ] {
        w.start_file(name, opts).expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

pub const DOC: &str = "walking.docx";

/// Words coded, by whom, with which code.
pub const CODED: [(&str, &str, &str); 5] = [
    ("ana", "A leaflet at the surgery 🙂", "Finding out"),
    ("ben", "A leaflet at the surgery 🙂", "Finding out"),
    ("ben", "🙂 and my neighbour Zoë", "People"),
    ("ana", "the café x\u{302} by the lock", "Places"),
    // Over two turns: the label written between them is inside it.
    ("ana", "And now?\n\nI go every Tuesday", "Routine"),
];

/// A project with the bold-paragraph transcript coded as [`CODED`] says.
pub fn project(dir: &Path) -> Project {
    let mut p = Project::create(&dir.join("walking.storyloom")).expect("create");
    p.set_actor("ana");
    p.import_bytes(DOC, &docx()).expect("import docx");
    for code in ["Finding out", "People", "Places", "Routine"] {
        p.create_code(code, None, None).expect("code");
    }
    for (who, words, code) in CODED {
        p.set_actor(who);
        let text = p.document(DOC).expect("doc").text;
        let b = text
            .find(words)
            .unwrap_or_else(|| panic!("'{words}' in {text:?}"));
        let start = text[..b].chars().count();
        p.add_coding(&CodingRequest {
            code,
            document: DOC,
            start,
            end: start + words.chars().count(),
            version: None,
        })
        .expect("coding");
    }
    p.set_actor("ana");
    p
}
