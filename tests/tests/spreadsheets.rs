//! Spreadsheets that open right: every CSV starts with a UTF-8 byte order
//! mark (so Excel, which otherwise reads Windows-1252, switches to UTF-8),
//! formula-like cells are neutralised, the coded segments carry coder and
//! coding date, and the XLSX cells read back typed with an independent
//! reader (calamine).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use calamine::{Data, Reader, Xlsx, open_workbook};
use storyloom_exports::reports::{
    ReportOptions, export_codebook_csv, export_segments_csv, export_segments_xlsx,
};
use storyloom_project::model::AttributeKind;
use storyloom_project::{CodingRequest, Project};

const TRANSCRIPT: &str = "Interviewer: How did the café feel at first?\n\n\
Zélie: =HYPERLINK(\"x\") is what the sign said, honestly 🙂 and I laughed.\n\n\
Interviewer: And later?\n\n\
Zélie: -- then the choir, +1 for the choir, @everyone came.\n";

/// A small project: one storyteller with a number and a date attribute,
/// codings whose quotes start like formulas, one of them a key quote.
fn project(dir: &std::path::Path) -> Project {
    let mut p = Project::create(&dir.join("s.storyloom")).expect("project");
    p.set_actor("ana");
    p.create_participant("P01", None, Some("Zélie"))
        .expect("participant");
    p.define_attribute("age", AttributeKind::Number, &[])
        .expect("age");
    p.define_attribute("joined", AttributeKind::Date, &[])
        .expect("joined");
    p.define_attribute("site", AttributeKind::Text, &[])
        .expect("site");
    p.set_attribute("P01", "age", "74").expect("age");
    p.set_attribute("P01", "joined", "2024-03-05")
        .expect("joined");
    p.set_attribute("P01", "site", "=Café hall").expect("site");
    p.import_bytes("P01 café.txt", TRANSCRIPT.as_bytes())
        .expect("import");
    p.link_speaker("P01 café.txt", "Zélie", Some("P01"))
        .expect("link");
    p.create_code("Café", None, None).expect("code");
    let text = p.document("P01 café.txt").expect("doc").text;
    let at = |needle: &str| {
        let b = text.find(needle).expect("needle");
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let mut uuids = vec![];
    for needle in [
        "=HYPERLINK(\"x\") is what the sign said, honestly 🙂",
        "-- then the choir",
        "@everyone came",
    ] {
        let (start, end) = at(needle);
        uuids.push(
            p.add_coding(&CodingRequest {
                code: "Café",
                document: "P01 café.txt",
                start,
                end,
                version: None,
            })
            .expect("coding"),
        );
    }
    p.set_key_quote(&uuids[0], true).expect("key");
    storyloom_e2e::settle_names(&mut p);
    p
}

#[test]
fn csv_starts_with_a_bom_and_neutralises_formulas() {
    let dir = tempfile::tempdir().expect("dir");
    let p = project(dir.path());
    let out = dir.path().join("segments.csv");
    assert_eq!(
        export_segments_csv(&p, &out, &ReportOptions::default()).expect("csv"),
        3
    );
    let bytes = std::fs::read(&out).expect("read");
    // Decoded as Excel on Windows decodes a CSV without a BOM, the first
    // characters are the BOM's: Excel sees them and reads UTF-8 instead.
    let (as_1252, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    assert!(as_1252.starts_with("ï»¿document,"), "{}", &as_1252[..20]);
    let text = std::str::from_utf8(&bytes[3..]).expect("utf-8 after the BOM");
    assert!(text.contains("Zélie") && text.contains("🙂"), "{text}");
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let head: Vec<String> = r.headers().expect("h").iter().map(String::from).collect();
    let col = |c: &str| head.iter().position(|h| h == c).expect(c);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    let quotes: Vec<&str> = rows.iter().map(|r| &r[col("text")]).collect();
    assert!(
        quotes.contains(&"'=HYPERLINK(\"x\") is what the sign said, honestly 🙂"),
        "{quotes:?}"
    );
    assert!(quotes.contains(&"'-- then the choir"));
    assert!(quotes.contains(&"'@everyone came"));
    assert!(rows.iter().all(|r| &r[col("site")] == "'=Café hall"));
    // In the file itself every neutralised cell is quoted.
    assert!(text.contains("\"'-- then the choir\""));
    assert!(text.contains("\"'=HYPERLINK(\"\"x\"\") is what the sign said, honestly 🙂\""));
    // Coder and coding date.
    assert!(rows.iter().all(|r| &r[col("coder")] == "ana"));
    for r in &rows {
        let d = &r[col("coding_date")];
        assert_eq!(d.len(), 19, "{d}");
        assert!(d.starts_with("20") && &d[10..11] == " ", "{d}");
    }

    // The option to leave the BOM out.
    let mut o = ReportOptions::default();
    o.csv.bom = false;
    export_codebook_csv(&p, &out, &o).expect("codebook");
    let bytes = std::fs::read(&out).expect("read");
    assert!(bytes.starts_with(b"path,level,"));
    export_codebook_csv(&p, &out, &ReportOptions::default()).expect("codebook");
    let bytes = std::fs::read(&out).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFpath,level,"));
}

#[test]
fn xlsx_cells_are_typed_and_the_header_frozen() {
    let dir = tempfile::tempdir().expect("dir");
    let p = project(dir.path());
    let out = dir.path().join("segments.xlsx");
    assert_eq!(
        export_segments_xlsx(&p, &out, &ReportOptions::default()).expect("xlsx"),
        3
    );
    let mut book: Xlsx<_> = open_workbook(&out).expect("calamine opens it");
    let range = book.worksheet_range("Coded segments").expect("the sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 4);
    let head: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |c: &str| head.iter().position(|h| h == c).expect(c);
    for r in &rows[1..] {
        assert!(
            matches!(r[col("start")], Data::Float(_)),
            "{:?}",
            r[col("start")]
        );
        assert!(matches!(r[col("end")], Data::Float(_)));
        assert_eq!(r[col("age")], Data::Float(74.0));
        match &r[col("joined")] {
            // 2024-03-05 is day 45356 of a spreadsheet's calendar.
            Data::DateTime(d) => assert!(d.is_datetime() && d.as_f64() == 45356.0, "{d:?}"),
            other => panic!("joined is {other:?}"),
        }
        match &r[col("coding_date")] {
            Data::DateTime(d) => assert!(d.is_datetime() && d.as_f64() > 45000.0, "{d:?}"),
            other => panic!("coding_date is {other:?}"),
        }
        assert!(matches!(r[col("key_quote")], Data::Bool(_)));
        // Text stays text: a formula-like value is a string, never a formula.
        assert_eq!(r[col("site")], Data::String("=Café hall".into()));
        assert_eq!(r[col("coder")], Data::String("ana".into()));
    }
    assert_eq!(
        rows[1..]
            .iter()
            .filter(|r| r[col("key_quote")] == Data::Bool(true))
            .count(),
        1
    );
    let formulas = book.worksheet_formula("Coded segments").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    // The header row is frozen.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
        &mut sheet,
    )
    .expect("read");
    assert!(
        sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""),
        "header not frozen"
    );
}
