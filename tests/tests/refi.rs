//! REFI-QDA interchange, end to end: the six real exports in
//! ../shared/external/refi-qda/samples import (see SOURCES.md for each one's
//! quirks); the sample study exports to files that validate against the
//! official schemas and imports back the same; hostile archives are refused
//! with the project unchanged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use storyloom_e2e::*;
use storyloom_project::refi::RefiImportReport;
use storyloom_project::{Code, MemoTarget, Project, Role, ThemeStatus};
use zip::write::SimpleFileOptions;

fn samples() -> Option<PathBuf> {
    external_dir().map(|d| d.join("refi-qda/samples"))
}

fn schemas() -> Option<PathBuf> {
    external_dir().map(|d| d.join("refi-qda/schemas"))
}

fn import_sample(name: &str) -> Option<(tempfile::TempDir, Project, RefiImportReport)> {
    let dir = samples()?;
    let (tmp, mut p) = temp_project();
    let report = p
        .import_refi(&dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Some((tmp, p, report))
}

fn code_by_path<'a>(codes: &'a [Code], path: &str) -> &'a Code {
    codes
        .iter()
        .find(|c| c.path_string() == path)
        .unwrap_or_else(|| panic!("no code {path}"))
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Is `xmllint` here? Without it the schema checks are skipped with a notice,
/// unless STORYLOOM_REQUIRE_TOOLS is set (CI), which makes its absence fail.
fn xmllint() -> bool {
    let found = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var_os("STORYLOOM_REQUIRE_TOOLS").is_some() {
            panic!(
                "xmllint is missing and STORYLOOM_REQUIRE_TOOLS is set (apt-get install libxml2-utils)"
            );
        }
        eprintln!("SKIPPED: xmllint is not installed; REFI-QDA schema validation did not run");
    }
    found
}

/// Validates an XML file against a schema with xmllint; panics with its output.
fn validate(xml: &Path, schema: &Path) {
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(xml)
        .output()
        .expect("run xmllint");
    assert!(
        out.status.success(),
        "{} does not validate against {}:\n{}",
        xml.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn zip_entries(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------- samples

#[test]
fn atlas_blank_project_imports_users_only() {
    let Some((_t, p, r)) = import_sample("atlasti-23.2_blank-atlas-project.qdpx") else {
        return;
    };
    assert!(p.codes().unwrap().is_empty());
    assert!(p.documents().unwrap().is_empty());
    assert_eq!(r.origin, "ATLAS.ti for Windows 23.2.3.27778");
    assert!(r.sources_skipped.is_empty() && r.skipped.is_empty());
}

#[test]
fn atlas_target_project_keeps_nested_codes() {
    let Some((_t, p, r)) = import_sample("atlasti-23.2_target-atlas-project.qdpx") else {
        return;
    };
    let codes = p.codes().unwrap();
    assert_eq!((codes.len(), r.codes_created), (3, 3));
    let parent = code_by_path(&codes, "Commits");
    let kids: Vec<&Code> = codes
        .iter()
        .filter(|c| c.parent.as_deref() == Some(parent.uuid.as_str()))
        .collect();
    assert_eq!(kids.len(), 2);
    code_by_path(&codes, "Commits > 2022-05-10T02:05:59Z 19e4dce");
}

#[test]
fn atlas_standard_project_imports_codes_notes_sets_and_reports_missing_sources() {
    let Some((_t, p, r)) = import_sample("atlasti-8.4_refi-standard-project.qdpx") else {
        return;
    };
    let codes = p.codes().unwrap();
    assert_eq!(codes.len(), 14);
    // Colours as written (lower-cased), descriptions as definitions.
    assert_eq!(code_by_path(&codes, "happiness").color, "#f00082");
    assert_eq!(code_by_path(&codes, "Coke").color, "#966450");
    assert_eq!(
        code_by_path(&codes, "cornflakes").definition,
        "breakfast cereal made by Kellogg’s"
    );
    assert_eq!(
        code_by_path(&codes, "Coke::diet Coke").definition,
        "non sucré"
    );
    code_by_path(&codes, "\"rushed\"");
    // Its Sources/ folder is empty: every text source is reported, the rest imports.
    assert_eq!(r.sources_skipped.len(), 6, "{:#?}", r.sources_skipped);
    assert!(
        r.sources_skipped
            .iter()
            .all(|s| s.contains("missing from the archive"))
    );
    assert!(
        r.sources_skipped
            .iter()
            .any(|s| s.starts_with("Mabêl 2ième.txt"))
    );
    assert_eq!(r.selections_total, 6);
    assert_eq!(r.codings_imported, 0);
    assert!(p.documents().unwrap().is_empty());
    // Notes → memos, sets of codes → themes, sets of documents reported.
    let memos = p.memos(None).unwrap();
    assert!(memos.iter().any(|m| m.title == "Research Plan"
        && m.body.contains("dynamic team")
        && m.author == "Friedrich Markgraf"));
    assert_eq!(memos.len(), 2);
    let themes = p.themes().unwrap();
    let feelings = themes
        .iter()
        .find(|t| t.name == "negative feelings")
        .unwrap();
    assert_eq!(feelings.codes.len(), 4);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("'Text files' groups documents"))
    );
    assert!(r.notes.iter().any(|n| n.contains("VideoSource")));
    // One history entry for the whole import.
    let h = p.history().unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].command, "import_refi");
}

/// The ATLAS.ti standard project with its missing sources supplied, written
/// with CRLF as ATLAS.ti does: the selections whose `name` holds their text
/// land exactly on that text (ATLAS.ti counts CRLF as one character).
#[test]
fn atlas_selection_names_equal_the_imported_text() {
    let Some(dir) = samples() else { return };
    let qdpx = std::fs::read(dir.join("atlasti-8.4_refi-standard-project.qdpx")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(qdpx)).unwrap();
    let mut qde = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("Project.qde").unwrap(), &mut qde).unwrap();
    // A text with `quote` at ATLAS position `at` (CRLF as one), lines joined by CRLF.
    let text_with = |pieces: &[(usize, &str)], total: usize| -> String {
        let mut out = String::new();
        let mut pos = 0;
        for (at, quote) in pieces {
            while pos < *at {
                if (pos + 1) % 40 == 0 && pos + 1 < *at {
                    out.push_str("\r\n");
                } else {
                    out.push(if pos % 7 == 3 { ' ' } else { 'x' });
                }
                pos += 1;
            }
            out.push_str(quote);
            pos += quote.chars().count();
        }
        while pos < total {
            out.push(if pos % 40 == 39 { '\n' } else { 'y' });
            pos += 1;
        }
        out
    };
    let diet = text_with(
        &[(
            139,
            "Oh, that was great. See you tomorrow? Eleven thirty. Mm.",
        )],
        300,
    );
    // Long quotes ATLAS.ti cut with `…`: the text begins with what the name keeps.
    let kept = |name: &str| name.trim_end_matches('…').to_owned();
    let simon = text_with(
        &[
            (
                215,
                "I did try the gluten free bread, but it was always so soggy,",
            ),
            (
                513,
                &kept(
                    "But to be honest, I used to have a much bigger breakfast, and these days I find myself snacking abou…",
                ),
            ),
        ],
        1000,
    );
    let mabel = text_with(
        &[(
            0,
            &kept(
                "I'm a single mum with an 8 month old and a toddler and breakfast is mayhem. The baby has porridge, I…",
            ),
        )],
        500,
    );
    let mabel2 = text_with(
        &[(
            250,
            &kept(
                "For some reason babies aren't supposed to have cow's milk that is low fat. However, I am really bad…",
            ),
        )],
        500,
    );
    let bytes = zip_entries(&[
        ("Project.qde", &qde),
        (
            "Sources/230B768E-5A3D-42B7-BE92-2A3721177944.txt",
            diet.as_bytes(),
        ),
        (
            "Sources/C1C745F7-8E4D-48B2-9710-655AFE7E54FA.txt",
            simon.as_bytes(),
        ),
        (
            "Sources/B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt",
            mabel.as_bytes(),
        ),
        (
            "Sources/88293C71-CB70-4AB7-8413-C24110A19C2E.txt",
            mabel2.as_bytes(),
        ),
    ]);
    let (tmp, mut p) = temp_project();
    let file = tmp.path().join("atlas-with-sources.qdpx");
    std::fs::write(&file, bytes).unwrap();
    let r = p.import_refi(&file).unwrap();
    // Two whole quotes and three cut ones fit; "damage done by fatty foods"
    // (a renamed quotation over 219 characters) reads as a label.
    assert_eq!(r.names_checked, 5, "{r:#?}");
    assert_eq!(r.names_not_compared, 1, "{r:#?}");
    assert_eq!(r.names_mismatched, 0, "{:#?}", r.name_mismatches);
    assert!(r.name_mismatches.is_empty(), "{:#?}", r.name_mismatches);
    for o in r.selections.iter().filter(|o| {
        o.name_check == Some(storyloom_project::refi::NameCheck::Fits) && o.document.is_some()
    }) {
        let doc = p.document(o.document.as_deref().unwrap()).unwrap();
        let (a, b) = o.range.unwrap();
        let text = slice(&doc.text, a, b).replace('\n', " ");
        let name = kept(&o.name);
        assert!(text.starts_with(&name), "{text:?} / {name:?}");
    }
    // Mabel.txt's selection 0..410 has no coding-free problem; "Mabêl 2ième"'s
    // 250..412 has no Coding at all, which is reported.
    assert!(
        r.skipped.iter().any(|s| s.contains("no coding")),
        "{:#?}",
        r.skipped
    );
    // Selection descriptions (ATLAS comments) become memos.
    assert!(
        p.memos(None)
            .unwrap()
            .iter()
            .any(|m| m.body.contains("why does Simon feel"))
    );
}

#[test]
fn nvivo_mac_project_imports_its_codebook_and_reports_empty_sources() {
    let Some((_t, p, r)) = import_sample("nvivo-mac-15.0_qc-nvivo_project.qdpx") else {
        return;
    };
    let codes = p.codes().unwrap();
    assert_eq!(codes.len(), 262);
    code_by_path(&codes, "rq1_definition > competencies > programming");
    assert!(p.documents().unwrap().is_empty());
    assert_eq!(r.sources_skipped.len(), 2, "{:#?}", r.sources_skipped);
    assert!(
        r.sources_skipped
            .iter()
            .all(|s| s.contains("no transcript text"))
    );
}

/// NVivo for Windows counts UTF-16 code units with CRLF as two: read that
/// way, selections fall on word boundaries (SOURCES.md: 295 of 303).
#[test]
fn nvivo_windows_selections_fall_on_word_boundaries() {
    let Some((_t, p, r)) = import_sample("nvivo-win-12.6_oltas0517.qdpx") else {
        return;
    };
    assert_eq!(p.codes().unwrap().len(), 152);
    assert_eq!(r.units, "UTF-16 code units (CRLF as two)");
    let docs = p.documents().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(r.selections_total, 303);
    assert_eq!(r.codings_imported, 303, "{:#?}", r.skipped);
    let mut texts = std::collections::HashMap::new();
    // A position is a word boundary when a word char is not on both sides of it.
    let boundary = |t: &str, i: usize| -> bool {
        let mut cs = t.chars().skip(i.saturating_sub(1));
        let before = if i == 0 { None } else { cs.next() };
        let at = cs.next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        !word(before) || !word(at)
    };
    let mut on_boundary = 0;
    for o in &r.selections {
        let doc = o.document.as_deref().expect("imported");
        let text = texts
            .entry(doc.to_owned())
            .or_insert_with(|| p.document(doc).unwrap().text);
        let (a, b) = o.range.unwrap();
        if boundary(text, a) && boundary(text, b) {
            on_boundary += 1;
        }
    }
    assert!(
        on_boundary >= 290,
        "only {on_boundary} of 303 on word boundaries"
    );
    eprintln!("NVivo: {on_boundary} of 303 selections on word boundaries");
    assert!(r.coders.iter().all(|c| c == "Gergo" || c == "floriansipos"));
    // Descriptions of the codebook kept.
    let codes = p.codes().unwrap();
    assert_eq!(
        code_by_path(&codes, "1. Oltás típusa").definition,
        "COVID vay nem COVID"
    );
}

/// qc: plain `plainTextPath`s, no XML declaration, `line:N` selections whose
/// end includes the newline; transcripts get their speakers.
#[test]
fn qc_line_selections_cover_their_line() {
    let Some((_t, p, r)) = import_sample("qc-1.3.2_demo.qdpx") else {
        return;
    };
    assert_eq!(p.codes().unwrap().len(), 262);
    assert_eq!(r.selections_total, 158);
    assert_eq!(r.selections_imported, 158, "{:#?}", r.skipped);
    assert_eq!(r.codings_imported, 205);
    assert_eq!(r.coders, vec!["cp".to_string()]);
    let docs = p.documents().unwrap();
    assert_eq!(docs.len(), 2);
    let mut checked = 0;
    for o in &r.selections {
        let doc = p.document(o.document.as_deref().unwrap()).unwrap();
        let n: usize = o.name.strip_prefix("line:").unwrap().parse().unwrap();
        let line = doc.text.split('\n').nth(n).unwrap();
        let line_start: usize = doc
            .text
            .split('\n')
            .take(n)
            .map(|l| l.chars().count() + 1)
            .sum();
        let (a, b) = o.range.unwrap();
        assert_eq!(a, line_start, "{}", o.name);
        assert_eq!(slice(&doc.text, a, b), line, "{}", o.name);
        checked += 1;
    }
    assert_eq!(checked, 158);
    let admin = docs.iter().find(|d| d.name == "admin-1.txt").unwrap();
    let labels: BTreeSet<String> = p
        .speakers(&admin.uuid)
        .unwrap()
        .into_iter()
        .map(|s| s.label)
        .collect();
    assert!(
        labels.contains("Max Bigman") && labels.contains("admin-1"),
        "{labels:?}"
    );
}

#[test]
fn importing_twice_into_one_project_adds_nothing_new() {
    let Some(dir) = samples() else { return };
    let (_t, mut p) = temp_project();
    let file = dir.join("qc-1.3.2_demo.qdpx");
    p.import_refi(&file).unwrap();
    let codings = p.codings(None, None, None).unwrap().len();
    let r = p.import_refi(&file).unwrap();
    assert_eq!(r.codes_created, 0);
    assert_eq!(r.codes_existing, 262);
    assert!(r.documents_created.is_empty());
    assert_eq!(r.documents_existing.len(), 2);
    assert_eq!(p.documents().unwrap().len(), 2);
    assert_eq!(p.codings(None, None, None).unwrap().len(), codings);
    // One undo takes the second import back, another the first.
    p.undo().unwrap();
    p.undo().unwrap();
    assert!(p.documents().unwrap().is_empty());
    assert!(p.codes().unwrap().is_empty());
}

#[test]
fn a_codebook_file_imports() {
    let (tmp, mut p) = temp_project();
    let qdc = tmp.path().join("book.qdc");
    std::fs::write(
        &qdc,
        r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">
  <Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="Belonging" isCodable="true" color="#a3c">
      <Description>Feeling part of it</Description>
      <Code guid="22222222-2222-2222-2222-222222222222" name="Known by name" isCodable="true"/>
    </Code>
  </Codes>
  <Sets>
    <Set guid="33333333-3333-3333-3333-333333333333" name="Connection">
      <MemberCode guid="22222222-2222-2222-2222-222222222222"/>
    </Set>
  </Sets>
</CodeBook>"##,
    )
    .unwrap();
    let r = p.import_refi(&qdc).unwrap();
    assert_eq!(r.codes_created, 2);
    let codes = p.codes().unwrap();
    let b = code_by_path(&codes, "Belonging");
    assert_eq!(
        (b.color.as_str(), b.definition.as_str()),
        ("#aa33cc", "Feeling part of it")
    );
    let t = &p.themes().unwrap()[0];
    assert_eq!(t.name, "Connection");
    assert_eq!(
        t.codes,
        vec![
            code_by_path(&codes, "Belonging > Known by name")
                .uuid
                .clone()
        ]
    );
}

// ---------------------------------------------------------------- round trip

/// The sample study, with a theme and memos of every kind added.
fn sample_project(dir: &Path) -> Project {
    let (mut p, _) = Project::create_from_folder(
        &dir.join("study.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .expect("build the sample study");
    if p.codings(None, None, None).unwrap().len() < 4 {
        // The study's codings.csv is not there yet: code a few passages.
        let docs = p.documents().unwrap();
        let codes = p.codes().unwrap();
        for (i, coder) in ["ana", "ben", "ana", "ben"].iter().enumerate() {
            let doc = p.document(&docs[i % docs.len()].uuid).unwrap();
            let t = &doc.turns[doc.turns.len() / 2];
            p.set_actor(coder);
            p.add_coding(&storyloom_project::CodingRequest {
                code: &codes[i].uuid,
                document: &doc.uuid,
                start: t.start,
                end: t.end,
                version: None,
            })
            .unwrap();
        }
        p.set_actor("ana");
    }
    let codes = p.codes().unwrap();
    let theme = p
        .create_theme("Being someone again", "Regaining a sense of self")
        .unwrap();
    p.add_code_to_theme(&theme, &codes[0].uuid).unwrap();
    p.add_code_to_theme(&theme, &codes[2].uuid).unwrap();
    p.set_theme_status(&theme, ThemeStatus::Reviewed).unwrap();
    p.create_theme("Empty so far", "").unwrap();
    let doc = p.documents().unwrap()[0].uuid.clone();
    let participant = p.participants().unwrap()[0].uuid.clone();
    let coding = p.codings(None, None, None).unwrap()[0].uuid.clone();
    p.add_memo(
        &MemoTarget::Project,
        "Study aims",
        "What social prescribing means",
    )
    .unwrap();
    p.add_memo(
        &MemoTarget::Document(doc),
        "First read",
        "Long pauses <here> & there",
    )
    .unwrap();
    p.add_memo(
        &MemoTarget::Participant(participant),
        "About her",
        "Met at the hall",
    )
    .unwrap();
    p.add_memo(
        &MemoTarget::Code(codes[1].uuid.clone()),
        "Code note",
        "Boundary with loss",
    )
    .unwrap();
    p.add_memo(
        &MemoTarget::Theme(theme),
        "Theme note",
        "Central organising concept",
    )
    .unwrap();
    p.add_memo(&MemoTarget::Coding(coding), "Why", "Key moment")
        .unwrap();
    p.add_journal_entry(Some("2026-05-01"), "Reflexive", "My own choir years")
        .unwrap();
    p
}

/// What must survive a round trip, independent of uuids and order.
fn fingerprint(p: &Project) -> serde_json::Value {
    let codes: BTreeSet<(String, String, String, String, String)> = p
        .codes()
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.path_string(),
                c.color.clone(),
                c.definition.clone(),
                c.when_to_use.clone(),
                c.when_not.clone(),
            )
        })
        .collect();
    let codings: BTreeSet<(String, String, String, String, usize, usize)> = p
        .codings(None, None, None)
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.document_name,
                c.code_path,
                c.quote,
                c.coder,
                c.start,
                c.end,
            )
        })
        .collect();
    type Case = (String, Option<String>, Vec<(String, String)>, Vec<String>);
    let participants: BTreeSet<Case> = p
        .participants()
        .unwrap()
        .into_iter()
        .map(|x| (x.id, x.pseudonym, x.attributes, x.documents))
        .collect();
    let attributes: Vec<(String, String, Vec<String>)> = p
        .attributes()
        .unwrap()
        .into_iter()
        .map(|a| (a.name, a.kind.as_str().to_owned(), a.choices))
        .collect();
    let code_paths: std::collections::HashMap<String, String> = p
        .codes()
        .unwrap()
        .into_iter()
        .map(|c| (c.uuid.clone(), c.path_string()))
        .collect();
    let themes: BTreeSet<(String, String, String, Vec<String>)> = p
        .themes()
        .unwrap()
        .into_iter()
        .map(|t| {
            let mut codes: Vec<String> = t.codes.iter().map(|c| code_paths[c].clone()).collect();
            codes.sort();
            (t.name, t.definition, t.status.as_str().to_owned(), codes)
        })
        .collect();
    let memos: BTreeSet<(String, String, String, String, Option<String>)> = p
        .memos(None)
        .unwrap()
        .into_iter()
        .map(|m| {
            (
                m.target.kind().to_owned(),
                m.title,
                m.body,
                m.author,
                m.date,
            )
        })
        .collect();
    let docs: BTreeSet<(String, String, usize)> = p
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| {
            let text = p.document(&d.uuid).unwrap().text;
            (d.name, text, d.speakers)
        })
        .collect();
    // Speakers and turns of every document, and the coded words, whatever
    // positions they have (a REFI-QDA round trip writes speaker labels into
    // texts that had none, so texts and positions move; turns do not).
    type Turns = (String, Vec<(String, bool, String)>);
    let turns: BTreeSet<Turns> = p
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| {
            let t = p.document(&d.uuid).unwrap().turns;
            let t = t
                .into_iter()
                .map(|t| (t.speaker, t.non_speech, t.text))
                .collect();
            (d.name, t)
        })
        .collect();
    let coded_words: BTreeSet<(String, String, String, String)> = codings
        .iter()
        .map(|(d, c, q, who, _, _)| (d.clone(), c.clone(), q.clone(), who.clone()))
        .collect();
    serde_json::json!({
        "codes": codes, "codings": codings, "participants": participants,
        "attributes": attributes, "themes": themes, "memos": memos, "documents": docs,
        "turns": turns, "coded_words": coded_words,
    })
}

#[test]
fn sample_study_round_trips_through_qdpx() {
    let tmp = tempfile::tempdir().unwrap();
    let original = sample_project(tmp.path());
    let out = tmp.path().join("study.qdpx");
    let report = storyloom_exports::refi::export_qdpx(&original, &out).unwrap();
    assert_eq!(report.codes, original.codes().unwrap().len());
    assert!(report.codings >= 4);
    let coders: BTreeSet<String> = original.coders().unwrap().into_iter().collect();
    assert!(
        coders.contains("ana") && coders.contains("ben"),
        "{coders:?}"
    );

    let mut copy = Project::create(&tmp.path().join("copy.storyloom")).unwrap();
    let r = copy.import_refi(&out).unwrap();
    assert!(r.skipped.is_empty(), "{:#?}", r.skipped);
    assert!(r.sources_skipped.is_empty(), "{:#?}", r.sources_skipped);
    assert!(r.name_mismatches.is_empty(), "{:#?}", r.name_mismatches);
    assert_eq!(r.codings_imported, report.codings);
    assert_eq!(copy.history().unwrap().len(), 1);

    let (a, b) = (fingerprint(&original), fingerprint(&copy));
    // Every document's speakers and turns come back (P09's, which the .docx
    // marks only by bold paragraphs, from the labels the export writes), so
    // every participant's link to them too; the coded words are the same.
    for key in [
        "codes",
        "turns",
        "coded_words",
        "attributes",
        "participants",
        "themes",
        "memos",
    ] {
        assert_eq!(a[key], b[key], "{key} differ after the round trip");
    }
    // Coded passages are the same words, by the same coders.
    let quotes: BTreeSet<(String, String)> = copy
        .codings(None, None, None)
        .unwrap()
        .into_iter()
        .map(|c| (c.quote, c.coder))
        .collect();
    assert!(quotes.iter().any(|(_, c)| c == "ben"));
    // Speakers are found again in the re-imported texts.
    let doc = &copy.documents().unwrap()[0];
    assert!(
        copy.speakers(&doc.uuid)
            .unwrap()
            .iter()
            .any(|s| s.role == Role::Participant)
    );
}

/// A copy of the project coded elsewhere comes back into the original:
/// documents, codes, codings, memos that are already there are not doubled.
#[test]
fn an_export_merges_back_into_its_own_project() {
    let tmp = tempfile::tempdir().unwrap();
    let mut p = sample_project(tmp.path());
    let out = tmp.path().join("copy.qdpx");
    storyloom_exports::refi::export_qdpx(&p, &out).unwrap();
    let before = fingerprint(&p);
    let (docs, codings, memos) = (
        p.documents().unwrap().len(),
        p.codings(None, None, None).unwrap().len(),
        p.memos(None).unwrap().len(),
    );
    let r = p.import_refi(&out).unwrap();
    assert_eq!(r.codes_created, 0);
    assert!(r.documents_created.is_empty(), "{:?}", r.documents_created);
    assert_eq!(r.documents_existing.len(), docs);
    assert_eq!(p.documents().unwrap().len(), docs);
    assert_eq!(p.codings(None, None, None).unwrap().len(), codings);
    assert_eq!(p.memos(None).unwrap().len(), memos);
    assert_eq!(fingerprint(&p), before);
}

#[test]
fn exports_validate_against_the_official_schemas() {
    let Some(schemas) = schemas() else { return };
    if !xmllint() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let p = sample_project(tmp.path());
    let out = tmp.path().join("study.qdpx");
    storyloom_exports::refi::export_qdpx(&p, &out).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut qde = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    for d in p.documents().unwrap() {
        assert!(
            names.contains(&format!("sources/{}.txt", d.uuid)),
            "{names:?}"
        );
    }
    let qde_path = tmp.path().join("project.qde");
    std::fs::write(&qde_path, &qde).unwrap();
    validate(&qde_path, &schemas.join("Project-mrt2019.xsd"));

    let qdc = tmp.path().join("study.qdc");
    storyloom_exports::refi::export_qdc(&p, &qdc).unwrap();
    validate(&qdc, &schemas.join("Codebook-mrt2019.xsd"));
    // The codebook comes back.
    let (_t2, mut q) = temp_project();
    let r = q.import_refi(&qdc).unwrap();
    assert_eq!(r.codes_created, p.codes().unwrap().len());
    assert_eq!(fingerprint(&q)["codes"], fingerprint(&p)["codes"]);

    // A project exported after importing real NVivo and qc exports validates too.
    let Some(dir) = samples() else { return };
    for name in [
        "nvivo-win-12.6_oltas0517.qdpx",
        "atlasti-8.4_refi-standard-project.qdpx",
    ] {
        let (_t3, mut r) = temp_project();
        r.import_refi(&dir.join(name)).unwrap();
        let (xml, _) = storyloom_exports::refi::codebook_qdc(&r).unwrap();
        let f = tmp.path().join("again.qdc");
        std::fs::write(&f, xml).unwrap();
        validate(&f, &schemas.join("Codebook-mrt2019.xsd"));
        let qde = storyloom_exports::refi::project_qde(&r).unwrap();
        let f = tmp.path().join("again.qde");
        std::fs::write(&f, qde.xml).unwrap();
        validate(&f, &schemas.join("Project-mrt2019.xsd"));
    }
}

// ---------------------------------------------------------------- hostile archives

const QDE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="test">
  <CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="A" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="22222222-2222-2222-2222-222222222222" name="t.txt" plainTextPath="internal://t.txt">
      <PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="0" endPosition="5">
        <Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="55555555-5555-5555-5555-555555555555" startPosition="3" endPosition="9999">
        <Coding guid="66666666-6666-6666-6666-666666666666"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"#;

/// Imports `bytes` as `name` and expects a refusal mentioning `expect`, with
/// the project unchanged.
fn refused(name: &str, bytes: &[u8], expect: &str) {
    let (tmp, mut p) = temp_project();
    let before = (p.change_counter().unwrap(), p.documents().unwrap().len());
    let file = tmp.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let err = p.import_refi(&file).expect_err(name).to_string();
    assert!(err.contains(name), "the error names the file: {err}");
    assert!(err.contains(expect), "{name}: {err}");
    assert_eq!(
        (p.change_counter().unwrap(), p.documents().unwrap().len()),
        before,
        "{name} changed the project"
    );
    assert!(p.codes().unwrap().is_empty());
}

#[test]
fn a_good_small_archive_imports_and_bad_ranges_are_reported() {
    let bytes = zip_entries(&[
        ("project.qde", QDE.as_bytes()),
        ("sources/t.txt", b"Hello there"),
    ]);
    let (tmp, mut p) = temp_project();
    let f = tmp.path().join("ok.qdpx");
    std::fs::write(&f, bytes).unwrap();
    let r = p.import_refi(&f).unwrap();
    assert_eq!(r.codings_imported, 1);
    assert_eq!(r.skipped.len(), 1);
    assert!(r.skipped[0].contains("outside the text"), "{:?}", r.skipped);
    assert_eq!(p.codings(None, None, None).unwrap()[0].quote, "Hello");
}

#[test]
fn zip_bombs_are_refused_before_anything_changes() {
    // A source that inflates past the cap (64 MB of zeros, deflated to < 1 MB).
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("project.qde", SimpleFileOptions::default())
        .unwrap();
    w.write_all(QDE.as_bytes()).unwrap();
    w.start_file("sources/t.txt", SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..65 {
        w.write_all(&chunk).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    // The bomb is refused as a whole, by name; nothing inflated, nothing stored.
    refused("bomb.qdpx", &bomb, "zip bomb");

    // A project.qde declaring 1 GB is refused before inflating.
    let mut lying = zip_entries(&[("project.qde", QDE.as_bytes())]);
    patch_declared_size(&mut lying, 1 << 30);
    refused("big.qdpx", &lying, "zip bomb");
}

/// Rewrites the declared uncompressed size of every entry.
fn patch_declared_size(zip: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 30 <= zip.len() {
        if &zip[i..i + 4] == b"PK\x03\x04" {
            zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        } else if &zip[i..i + 4] == b"PK\x01\x02" && i + 28 <= zip.len() {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn entry_names_that_climb_out_are_never_followed() {
    let cwd = std::env::current_dir().unwrap();
    let climbing = QDE.replace("internal://t.txt", "internal://../evil.txt");
    let bytes = zip_entries(&[
        ("project.qde", climbing.as_bytes()),
        ("../evil.txt", b"Hello there"),
        ("/tmp/storyloom-evil-abs.txt", b"Hello there"),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    refused("climb.qdpx", &bytes, "climbs out");
    // An archive holding such entries, not referenced, imports the rest.
    let harmless = zip_entries(&[
        ("project.qde", QDE.as_bytes()),
        ("sources/t.txt", b"Hello there"),
        ("../evil.txt", b"Hello there"),
        ("/tmp/storyloom-evil-abs.txt", b"Hello there"),
    ]);
    let (tmp2, mut p) = temp_project();
    let f = tmp2.path().join("harmless.qdpx");
    std::fs::write(&f, harmless).unwrap();
    assert_eq!(p.import_refi(&f).unwrap().codings_imported, 1);
    // Nothing from the archive was written anywhere.
    for path in [
        tmp.path().join("../evil.txt"),
        tmp.path().join("evil.txt"),
        cwd.join("../evil.txt"),
        cwd.join("evil.txt"),
        PathBuf::from("/tmp/storyloom-evil-abs.txt"),
    ] {
        assert!(!path.exists(), "{} was written", path.display());
    }
    let _ = &tmp;
    let files: Vec<_> = std::fs::read_dir(tmp2.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("test.storyloom") && n != "harmless.qdpx")
        .collect();
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn hostile_xml_is_refused() {
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"#;
    refused(
        "xxe.qdpx",
        &zip_entries(&[("project.qde", xxe.as_bytes())]),
        "DOCTYPE",
    );
    let lol = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{}]><Project name="&lol9;"/>"#,
        (1..10)
            .map(|i| format!(
                r#"<!ENTITY lol{i} "{}">"#,
                format!(
                    "&lol{};",
                    if i == 1 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    }
                )
                .repeat(10)
            ))
            .collect::<String>()
    );
    refused(
        "lol.qdpx",
        &zip_entries(&[("project.qde", lol.as_bytes())]),
        "DOCTYPE",
    );
    refused("lol.qdc", lol.as_bytes(), "DOCTYPE");
    refused("broken.qdpx", b"PK\x03\x04 not really a zip", "not a zip");
    refused(
        "empty.qdpx",
        &zip_entries(&[("readme.txt", b"hi")]),
        "no project.qde",
    );
    refused(
        "wrong.qdpx",
        &zip_entries(&[("project.qde", b"<Other/>")]),
        "not a REFI-QDA",
    );
}

/// A styled source without its plain text: the document is read from the
/// .docx; its selections (which count the missing plain text) are reported.
#[test]
fn a_docx_only_source_imports_its_text_and_reports_its_selections() {
    let docx = std::fs::read(sample_dir().join("interviews/P01-doreen-walsh.docx")).unwrap();
    let qde = QDE.replace(
        r#"plainTextPath="internal://t.txt""#,
        r#"richTextPath="internal://t.docx""#,
    );
    let bytes = zip_entries(&[("project.qde", qde.as_bytes()), ("sources/t.docx", &docx)]);
    let (tmp, mut p) = temp_project();
    let f = tmp.path().join("docx.qdpx");
    std::fs::write(&f, bytes).unwrap();
    let r = p.import_refi(&f).unwrap();
    assert_eq!(r.documents_created, vec!["t.txt".to_string()]);
    assert_eq!(r.codings_imported, 0);
    assert_eq!(r.skipped.len(), 2, "{:#?}", r.skipped);
    assert!(
        r.skipped
            .iter()
            .all(|s| s.contains("plain text the archive does not have"))
    );
    let doc = &p.documents().unwrap()[0];
    assert!(p.speakers(&doc.uuid).unwrap().len() >= 2);
}
