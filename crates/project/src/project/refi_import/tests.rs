//! The REFI-QDA import against a bare store: one undoable action, a failure
//! inside leaves the store unchanged, selections mapped to chars.

use super::*;
use crate::model::ThemeStatus;
use crate::store::codings::CodingFilter;
use std::io::Write;

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

const G: &str = "-0000-4000-8000-000000000000";

fn g(n: u32) -> String {
    format!("{n:08x}{G}")
}

/// NVivo-style counting (UTF-16, CRLF as two), cases with typed
/// variables, a memo linked to a case, a set with a note, twin code names.
fn project_xml() -> String {
    format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="NVivo for Windows 14" creatingUserGUID="{u}">
  <Users><User guid="{u}" name="Zoë"/></Users>
  <CodeBook><Codes>
<Code guid="{c1}" name="Music" isCodable="true" color="#0A0">
  <Description>Singing and playing&#10;&#10;When to use: any music&#10;&#10;When not to use: noise</Description>
  <Code guid="{c2}" name="Choir" isCodable="true"/>
  <Code guid="{c3}" name="choir" isCodable="true"/>
</Code>
  </Codes></CodeBook>
  <Variables>
<Variable guid="{v1}" name="Age" typeOfVariable="Integer"/>
<Variable guid="{v2}" name="Consent" typeOfVariable="Boolean"/>
<Variable guid="{v3}" name="Interviewed" typeOfVariable="DateTime"/>
<Variable guid="{v4}" name="Site" typeOfVariable="Text"><Description>Choices: Leeds | York</Description></Variable>
  </Variables>
  <Cases>
<Case guid="{k1}" name="P01">
  <Description>Pseudonym: Dot
Speaks as “Ana” in talk.txt</Description>
  <VariableValue><VariableRef targetGUID="{v1}"/><IntegerValue>74</IntegerValue></VariableValue>
  <VariableValue><VariableRef targetGUID="{v2}"/><BooleanValue>true</BooleanValue></VariableValue>
  <VariableValue><VariableRef targetGUID="{v3}"/><DateTimeValue>2024-03-01T10:00:00Z</DateTimeValue></VariableValue>
  <VariableValue><VariableRef targetGUID="{v4}"/><TextValue>York</TextValue></VariableValue>
  <SourceRef targetGUID="{s1}"/>
</Case>
  </Cases>
  <Sources>
<TextSource guid="{s1}" name="talk.txt" plainTextPath="internal://{s1}.txt">
  <PlainTextSelection guid="{p1}" startPosition="37" endPosition="42">
    <Coding guid="{d1}" creatingUser="{u}"><CodeRef targetGUID="{c2}"/><NoteRef targetGUID="{n2}"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="{p2}" startPosition="30" endPosition="300">
    <Coding guid="{d2}"><CodeRef targetGUID="{c2}"/></Coding>
  </PlainTextSelection>
</TextSource>
  </Sources>
  <Notes>
<Note guid="{n1}" name="About Ana" creatingUser="{u}"><PlainTextContent>Met at the hall</PlainTextContent></Note>
<Note guid="{n2}" name="Why"><PlainTextContent>Key moment</PlainTextContent></Note>
<Note guid="{n3}" name="Theme note"><PlainTextContent>Central</PlainTextContent></Note>
<Note guid="{n4}" name="Diary"><Description>Journal entry 2026-05-01</Description><PlainTextContent>Mine</PlainTextContent></Note>
<Note guid="{n5}" name="Filed" plainTextPath="internal://note.txt"/>
  </Notes>
  <Links><Link guid="{l1}" name="Memo" originGUID="{n1}" targetGUID="{k1}"/></Links>
  <Sets><Set guid="{t1}" name="Belonging"><Description>Being part

Status: reviewed</Description><MemberCode targetGUID="{c2}"/><MemberNote targetGUID="{n3}"/></Set></Sets>
</Project>"##,
        u = g(1),
        c1 = g(2),
        c2 = g(3),
        c3 = g(4),
        v1 = g(5),
        v2 = g(6),
        v3 = g(7),
        v4 = g(8),
        k1 = g(9),
        s1 = g(10),
        p1 = g(11),
        p2 = g(12),
        d1 = g(13),
        d2 = g(14),
        n1 = g(15),
        n2 = g(16),
        n3 = g(17),
        n4 = g(18),
        n5 = g(21),
        l1 = g(19),
        t1 = g(20),
    )
}

const TEXT: &str = "Researcher: Hi 😀 there\r\nAna: I love choir\r\n";

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("dir");
    let s = Store::create(&dir.path().join("t.storyloom")).expect("create");
    (dir, s)
}

#[test]
fn imports_everything_in_one_undoable_action() {
    let start = TEXT[..TEXT.find("choir").unwrap()].encode_utf16().count();
    // 36 in code points, 37 in UTF-16 units (the emoji counts two).
    assert_eq!(
        start, 37,
        "the selection in the XML is written for this text"
    );
    let xml = project_xml();
    let bytes = zip(&[
        ("Project.qde", xml.as_bytes()),
        (&format!("Sources/{}.txt", g(10)), TEXT.as_bytes()),
        ("Sources/note.txt", "From a file\r\n".as_bytes()),
    ]);
    let (_d, mut s) = store();
    let r = import_bytes(&mut s, "me", "t.qdpx", &bytes, false).expect("import");
    // Codes: hierarchy, colour #rgb expanded, description split, twin renamed.
    let codes = s.codes().unwrap();
    let music = codes.iter().find(|c| c.path_string() == "Music").unwrap();
    assert_eq!(music.color, "#00aa00");
    assert_eq!(
        (
            music.definition.as_str(),
            music.when_to_use.as_str(),
            music.when_not.as_str()
        ),
        ("Singing and playing", "any music", "noise")
    );
    assert!(codes.iter().any(|c| c.path_string() == "Music > choir (2)"));
    // The selection counted in UTF-16 units lands on "choir"; the one past the end is reported.
    let codings = s.codings(&CodingFilter::default()).unwrap();
    assert_eq!(codings.len(), 1);
    assert_eq!(
        (codings[0].quote.as_str(), codings[0].coder.as_str()),
        ("choir", "Zoë")
    );
    assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
    assert!(r.skipped[0].contains("outside the text"));
    // Cases → participants with typed attributes, linked to the speaker named in the description.
    let p = &s.participants().unwrap()[0];
    assert_eq!(
        (p.id.as_str(), p.pseudonym.as_deref()),
        ("P01", Some("Dot"))
    );
    let attrs: std::collections::HashMap<_, _> = p.attributes.iter().cloned().collect();
    assert_eq!(attrs["Age"], "74");
    assert_eq!(attrs["Consent"], "true");
    assert_eq!(attrs["Interviewed"], "2024-03-01");
    assert_eq!(attrs["Site"], "York");
    let kinds: Vec<(String, AttributeKind)> = s
        .attributes()
        .unwrap()
        .into_iter()
        .map(|a| (a.name, a.kind))
        .collect();
    assert!(kinds.contains(&("Site".into(), AttributeKind::Choice)));
    assert!(kinds.contains(&("Age".into(), AttributeKind::Number)));
    assert_eq!(p.documents, vec!["talk.txt".to_string()]);
    assert_eq!(r.speakers_linked, vec!["Ana (talk.txt) → P01".to_string()]);
    // Notes → memos on the participant (Link), the coding (NoteRef), the theme (MemberNote), the journal.
    let memos = s.memos(None).unwrap();
    let kind_of = |title: &str| {
        memos
            .iter()
            .find(|m| m.title == title)
            .unwrap()
            .target
            .kind()
    };
    assert_eq!(kind_of("About Ana"), "participant");
    assert_eq!(kind_of("Why"), "coding");
    assert_eq!(kind_of("Theme note"), "theme");
    assert_eq!(kind_of("Diary"), "journal");
    assert_eq!(
        memos.iter().find(|m| m.title == "Filed").unwrap().body,
        "From a file"
    );
    let theme = &s.themes().unwrap()[0];
    assert_eq!(
        (theme.definition.as_str(), theme.status),
        ("Being part", ThemeStatus::Reviewed)
    );
    // One action: one history entry, one undo.
    assert_eq!(s.history().unwrap().len(), 1);
    s.undo("me").unwrap();
    assert!(s.codes().unwrap().is_empty());
    assert!(s.participants().unwrap().is_empty());
    assert!(s.memos(None).unwrap().is_empty());
    assert!(s.documents().unwrap().is_empty());
    // Redo brings it all back.
    s.redo("me").unwrap();
    assert_eq!(s.documents().unwrap().len(), 1);
    assert_eq!(s.codings(&CodingFilter::default()).unwrap().len(), 1);
    assert_eq!(s.participants().unwrap().len(), 1);
}

#[test]
fn a_failure_inside_leaves_the_store_unchanged() {
    let xml = project_xml();
    // The source is a zip bomb by its declared size: refused as a whole.
    let mut bytes = zip(&[
        ("project.qde", xml.as_bytes()),
        (&format!("sources/{}.txt", g(10)), TEXT.as_bytes()),
    ]);
    let mut i = 0;
    while i + 30 <= bytes.len() {
        if &bytes[i..i + 4] == b"PK\x01\x02" {
            let name_len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if bytes[i + 46..i + 46 + name_len].starts_with(b"sources/") {
                bytes[i + 24..i + 28].copy_from_slice(&u32::MAX.to_le_bytes());
            }
        }
        i += 1;
    }
    let (_d, mut s) = store();
    let err = import_bytes(&mut s, "me", "t.qdpx", &bytes, false).unwrap_err();
    assert!(err.to_string().starts_with("t.qdpx: "), "{err}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
    assert_eq!(s.change_counter().unwrap(), 0);
    assert!(s.codes().unwrap().is_empty());
}
