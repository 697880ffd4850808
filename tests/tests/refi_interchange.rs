//! REFI-QDA that other tools read right: every coder's codings on their own
//! selection (two coders on identical and overlapping ranges), memos where
//! QualCoder and NVivo read them (code and coding memos as descriptions, the
//! project memo as the project's description, journal entries as notes with
//! a `.txt`), sources with author and date, a truthful personal-data remark;
//! and an archive from an unknown producer whose selections mix code points
//! and UTF-16 units imports each selection onto the right words.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::{Read, Write};
use std::path::Path;
use storyloom_e2e::{external_dir, temp_project};
use storyloom_project::{CodingRequest, MemoTarget, Project};

const TEXT: &str = "Interviewer: What was the walk like?\n\n\
Jo: The canal 🙂 was lovely, and Zoë came along with her dog.\n\n\
Interviewer: And after?\n\n\
Jo: Tea at the café, then home.\n";

fn at(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle");
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn code(p: &mut Project, who: &str, needle: &str, code: &str) -> String {
    p.set_actor(who);
    let text = p.document("walk.txt").expect("doc").text;
    let (start, end) = at(&text, needle);
    p.add_coding(&CodingRequest {
        code,
        document: "walk.txt",
        start,
        end,
        version: None,
    })
    .expect("coding")
}

/// Two coders (identical and overlapping ranges), memos of every kind.
fn project(dir: &Path) -> Project {
    let mut p = Project::create(&dir.join("walk.storyloom")).expect("create");
    p.set_actor("ana");
    p.import_bytes("walk.txt", TEXT.as_bytes()).expect("import");
    let nature = p
        .create_code("Nature", None, Some("#2e8b57"))
        .expect("code");
    p.create_code("Company", None, None).expect("code");
    let a = code(&mut p, "ana", "The canal 🙂 was lovely", "Nature");
    code(&mut p, "ben", "The canal 🙂 was lovely", "Nature");
    code(&mut p, "ben", "canal 🙂 was lovely, and Zoë", "Company");
    code(&mut p, "ana", "Tea at the café", "Company");
    p.set_actor("ana");
    p.add_memo(&MemoTarget::Code(nature), "Why nature", "Green space talk.")
        .expect("code memo");
    p.add_memo(&MemoTarget::Coding(a), "", "She smiled here.")
        .expect("coding memo");
    p.add_memo(
        &MemoTarget::Project,
        "Aims",
        "Walking groups and wellbeing.",
    )
    .expect("project memo");
    p.add_journal_entry(Some("2026-03-01"), "Day one", "First walk observed.")
        .expect("journal");
    p
}

fn entry(archive: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).expect("open")).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"))
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[test]
fn every_coder_has_own_selections_and_memos_sit_where_tools_read_them() {
    let dir = tempfile::tempdir().expect("dir");
    let p = project(dir.path());
    let out = dir.path().join("walk.qdpx");
    let report = storyloom_exports::refi::export_qdpx(&p, &out).expect("export");
    assert_eq!(report.codings, 4);
    assert_eq!(report.selections, 4, "one selection per range and coder");
    let qde = entry(&out, "project.qde");
    // Each selection carries one coder: never a second coder's coding.
    let users: Vec<(String, String)> = qde
        .split("<User ")
        .skip(1)
        .map(|u| {
            let attr = |a: &str| {
                u.split(&format!("{a}=\""))
                    .nth(1)
                    .expect(a)
                    .split('"')
                    .next()
                    .expect(a)
                    .to_owned()
            };
            (attr("guid"), attr("name"))
        })
        .collect();
    for sel in qde.split("<PlainTextSelection ").skip(1) {
        let sel = sel.split("</PlainTextSelection>").next().expect("sel");
        let creating: Vec<&str> = sel
            .split("creatingUser=\"")
            .skip(1)
            .map(|s| s.split('"').next().expect("guid"))
            .collect();
        assert!(
            creating.len() >= 2,
            "selection and coding have a creator: {sel}"
        );
        assert!(creating.iter().all(|g| *g == creating[0]), "{sel}");
    }
    let ben = users
        .iter()
        .find(|(_, n)| n == "ben")
        .expect("ben")
        .0
        .clone();
    assert_eq!(qde.matches(&format!("creatingUser=\"{ben}\"")).count(), 4);
    // Memos: code memo in the code's description, coding memo as the
    // selection's description, project memo as the project's, journal as a
    // note with its text in sources/.
    assert!(
        qde.contains("Memos:\n\nWhy nature\nGreen space talk."),
        "{qde}"
    );
    assert!(qde.contains("<Description>She smiled here.</Description>"));
    // The project's description says first that the file is for the research team only.
    assert!(qde.contains(&format!(
        "<Description>{}\n\nAims\nWalking groups and wellbeing.</Description>",
        storyloom_exports::refi::RESEARCH_TEAM_ONLY
    )));
    let journal = p.journal().expect("journal")[0].uuid.clone();
    assert!(qde.contains(&format!("plainTextPath=\"internal://{journal}.txt\"")));
    assert_eq!(
        entry(&out, &format!("sources/{journal}.txt")),
        "First walk observed."
    );
    // Sources carry who imported them and when.
    let source = qde.split("<TextSource ").nth(1).expect("source");
    let source = source.split('>').next().expect("tag");
    assert!(
        source.contains("creatingUser=") && source.contains("creationDateTime="),
        "{source}"
    );
    assert!(
        report.remarks.iter().any(
            |r| r.starts_with("personal data in this file:") && r.contains("not pseudonymised")
        ),
        "{:?}",
        report.remarks
    );

    // Round trip: both coders' codings, every memo, the code's definition
    // untouched by the memo in its description.
    let (_d, mut q) = temp_project();
    let r = q.import_refi(&out).expect("import");
    assert_eq!(r.codings_imported, 4, "{:?}", r.skipped);
    let codings = q.codings(None, None, None).expect("codings");
    assert_eq!(codings.iter().filter(|c| c.coder == "ben").count(), 2);
    assert_eq!(codings.iter().filter(|c| c.coder == "ana").count(), 2);
    assert!(
        codings
            .iter()
            .any(|c| c.quote == "The canal 🙂 was lovely" && c.coder == "ben")
    );
    assert_eq!(q.memos(None).expect("memos").len(), 4);
    assert_eq!(
        q.journal().expect("journal")[0].body,
        "First walk observed."
    );
    let nature = q.code("Nature").expect("code");
    assert_eq!(nature.definition, "");

    // The file validates against the official schema.
    let Some(schemas) = external_dir().map(|d| d.join("refi-qda/schemas")) else {
        return;
    };
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("STORYLOOM_REQUIRE_TOOLS").is_none(),
            "xmllint missing"
        );
        eprintln!("SKIPPED: xmllint is not installed");
        return;
    }
    let f = dir.path().join("project.qde");
    std::fs::write(&f, &qde).expect("write");
    let v = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schemas.join("Project-mrt2019.xsd"))
        .arg(&f)
        .output()
        .expect("xmllint");
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

/// UTF-16 units of `needle` in `text`.
fn utf16_at(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle");
    let s = text[..b].encode_utf16().count();
    (s, s + needle.encode_utf16().count())
}

#[test]
fn selections_in_utf16_units_from_an_unknown_producer_land_on_their_words() {
    let text = "Jo: 🙂🙂 The café 🙂 was warm and the tea was hot.\n";
    let cp = at(text, "the tea was hot");
    let u16 = utf16_at(text, "the tea was hot");
    let warm = utf16_at(text, "was warm");
    assert_ne!(cp, u16);
    let sel = |guid: &str, name: &str, (s, e): (usize, usize)| {
        format!(
            r#"<PlainTextSelection guid="{guid}" name="{name}" startPosition="{s}" endPosition="{e}"><Coding guid="{guid}"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding></PlainTextSelection>"#
        )
    };
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="mixed" origin="SomeTool 2.0">
<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Warmth" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="cafe" plainTextPath="internal://cafe.txt">{}{}{}</TextSource></Sources>
</Project>"#,
        sel(
            "33333333-3333-3333-3333-333333333331",
            "the tea was hot",
            cp
        ),
        sel("33333333-3333-3333-3333-333333333332", "was warm", warm),
        sel(
            "33333333-3333-3333-3333-333333333333",
            "nothing like this",
            (2, 6)
        ),
    );
    let dir = tempfile::tempdir().expect("dir");
    let f = dir.path().join("mixed.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&f).expect("create"));
    let o = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", o).expect("qde");
    zip.write_all(qde.as_bytes()).expect("write");
    zip.start_file("sources/cafe.txt", o).expect("txt");
    zip.write_all(text.as_bytes()).expect("write");
    zip.finish().expect("finish");
    let (_d, mut p) = temp_project();
    let r = p.import_refi(&f).expect("import");
    assert_eq!(r.selections_utf16, 1, "{r:#?}");
    let quotes: Vec<String> = p
        .codings(None, None, None)
        .expect("codings")
        .into_iter()
        .map(|c| c.quote)
        .collect();
    assert!(quotes.contains(&"the tea was hot".to_owned()), "{quotes:?}");
    assert!(quotes.contains(&"was warm".to_owned()), "{quotes:?}");
}

/// NVivo → Storyloom → NVivo keeps code and source identities: the GUIDs of
/// imported codes and sources become their uuids and are written back; a
/// GUID already used in the project, or not a UUID, gets a new one.
#[test]
fn guids_of_imported_codes_and_sources_are_kept_through_export() {
    let code_guid = "a1b2c3d4-0000-4000-8000-00000000c0de";
    // ATLAS.ti writes upper case; GUIDs are read case-insensitively (kept in lower case).
    let child_upper = "A1B2C3D4-0000-4000-8000-00000000C0DF";
    let child_guid = "a1b2c3d4-0000-4000-8000-00000000c0df";
    let source_guid = "5ea7ce00-1111-4111-8111-000000000001";
    let text = "Jo: The canal was lovely.\n";
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="guids" origin="NVivo 14">
<CodeBook><Codes><Code guid="{code_guid}" name="Nature" isCodable="false"><Code guid="{child_upper}" name="Water" isCodable="true"/></Code><Code guid="not-a-guid" name="Odd" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{source_guid}" name="walk" plainTextPath="internal://walk.txt"><PlainTextSelection guid="33333333-3333-3333-3333-333333333331" name="" startPosition="4" endPosition="13"><Coding guid="44444444-4444-4444-4444-444444444441"><CodeRef targetGUID="{child_upper}"/></Coding></PlainTextSelection></TextSource></Sources>
</Project>"#
    );
    let dir = tempfile::tempdir().expect("dir");
    let f = dir.path().join("nvivo.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&f).expect("create"));
    let o = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", o).expect("qde");
    zip.write_all(qde.as_bytes()).expect("write");
    zip.start_file("sources/walk.txt", o).expect("txt");
    zip.write_all(text.as_bytes()).expect("write");
    zip.finish().expect("finish");
    let (_d, mut p) = temp_project();
    p.import_refi(&f).expect("import");
    assert_eq!(p.code("Nature").expect("code").uuid, code_guid);
    assert_eq!(p.code("Water").expect("code").uuid, child_guid);
    let odd = p.code("Odd").expect("code").uuid;
    assert_ne!(odd, "not-a-guid");
    let doc = p.document("walk").expect("doc");
    assert_eq!(doc.uuid, source_guid);
    let codings = p.codings(None, None, None).expect("codings");
    assert_eq!(codings[0].code, child_guid);

    // Written back under the same GUIDs.
    let out = dir.path().join("back.qdpx");
    storyloom_exports::refi::export_qdpx(&p, &out).expect("export");
    let xml = entry(&out, "project.qde");
    for g in [code_guid, child_guid, source_guid] {
        assert!(xml.contains(&format!("guid=\"{g}\"")), "{g} in {xml}");
    }
    assert!(xml.contains(&format!("targetGUID=\"{child_guid}\"")));

    // The category stays a category: not codable on export, codings refused.
    assert!(
        xml.contains(&format!(
            "guid=\"{code_guid}\" name=\"Nature\" isCodable=\"false\""
        )),
        "{xml}"
    );
    assert!(xml.contains(&format!(
        "guid=\"{child_guid}\" name=\"Water\" isCodable=\"true\""
    )));
    let err = p
        .add_coding(&CodingRequest {
            code: "Nature",
            document: "walk",
            start: 4,
            end: 13,
            version: None,
        })
        .expect_err("a category takes no coding");
    assert!(
        err.to_string().contains("is a category") && err.to_string().contains("codes under it"),
        "{err}"
    );
    p.add_coding(&CodingRequest {
        code: "Odd",
        document: "walk",
        start: 4,
        end: 13,
        version: None,
    })
    .expect("a codable code takes codings");

    // The same file into a project that has those uuids already: new ones.
    let (_e, mut q) = temp_project();
    q.import_refi(&out).expect("first");
    q.create_code("Elsewhere", None, None).expect("code");
    // A code of another name and place under a GUID the project uses.
    let clash = qde
        .replace("name=\"Nature\"", "name=\"Natura\"")
        .replace("name=\"walk\"", "name=\"walk two\"")
        .replace("The canal", "A canal");
    let g = dir.path().join("clash.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&g).expect("create"));
    zip.start_file("project.qde", o).expect("qde");
    zip.write_all(clash.as_bytes()).expect("write");
    zip.start_file("sources/walk.txt", o).expect("txt");
    zip.write_all(b"Jo: A canal was lovely.\n").expect("write");
    zip.finish().expect("finish");
    q.import_refi(&g).expect("clash");
    let natura = q.code("Natura").expect("code").uuid;
    assert_ne!(natura.to_lowercase(), code_guid);
    assert_eq!(q.code("Nature").expect("code").uuid, code_guid);
}
