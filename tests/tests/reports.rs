//! The theme report, the codebook and the coded segments on the sample
//! study: one row per coding, pseudonyms and never names, an xlsx that
//! opens, and Word files that LibreOffice converts (when `soffice` is here;
//! with `STORYLOOM_REQUIRE_TOOLS` set a missing tool fails the test).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use storyloom_e2e::sample_dir;
use storyloom_exports::reports::{
    ReportOptions, export_codebook_csv, export_codebook_docx, export_segments_csv,
    export_segments_xlsx, export_theme_report,
};
use storyloom_project::{Participant, Project};

fn sample() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut p, _) = Project::create_from_folder(
        &dir.path().join("sample.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .expect("sample project");
    // Reports leave the research team: the names found are settled first.
    storyloom_e2e::settle_names(&mut p);
    (dir, p)
}

/// Two themes over the sample codebook.
fn with_themes(p: &mut Project) -> Vec<String> {
    let a = p
        .create_theme(
            "Being met at the door",
            "A first visit goes well when someone is there to meet the person.",
        )
        .expect("theme");
    p.add_code_to_theme(&a, "Getting involved").expect("code");
    let b = p
        .create_theme(
            "Waiting is the hardest part",
            "Weeks on a list undo the GP's work.",
        )
        .expect("theme");
    p.add_code_to_theme(&b, "What helped or hindered > Waiting lists")
        .expect("code");
    vec![
        "Being met at the door".into(),
        "Waiting is the hardest part".into(),
    ]
}

/// Whole-word, case-insensitive: does `name` occur in `text`?
fn contains_word(text: &str, name: &str) -> bool {
    let lower = text.to_lowercase();
    let name = name.to_lowercase();
    lower.match_indices(&name).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + name.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every participant's full name and first name: none may appear.
fn assert_no_names(text: &str, people: &[Participant], what: &str) {
    for p in people {
        let Some(name) = &p.name else { continue };
        assert!(!contains_word(text, name), "{what} has the name {name}");
        if let Some(first) = name.split_whitespace().next() {
            assert!(!contains_word(text, first), "{what} has the name {first}");
        }
    }
}

fn zip_text(path: &Path, part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut s = String::new();
    if let Ok(mut f) = z.by_name(part) {
        f.read_to_string(&mut s).expect("read part");
    }
    s
}

#[test]
fn segments_csv_has_one_row_per_coding_and_pseudonyms_only() {
    let (dir, p) = sample();
    let out = dir.path().join("segments.csv");
    let n = export_segments_csv(&p, &out, &ReportOptions::default()).expect("csv");
    let codings = p.codings(None, None, None).expect("codings");
    assert_eq!(n, codings.len());
    assert_eq!(n, 146);
    let text = std::fs::read_to_string(&out).expect("read");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    for col in [
        "document",
        "participant",
        "role",
        "gender",
        "age_band",
        "activity",
        "code",
        "text",
        "start",
        "end",
        "timestamp",
        "coder",
        "key_quote",
    ] {
        assert!(head.iter().any(|h| h == col), "no column {col} in {head:?}");
    }
    assert!(!head.iter().any(|h| h == "name"));
    let col = |c: &str| head.iter().position(|h| h == c).expect("column");
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 146);
    let people = p.participants().expect("participants");
    let pseudonyms: Vec<String> = people
        .iter()
        .map(|p| p.pseudonym.clone().unwrap_or_else(|| p.id.clone()))
        .collect();
    let attributed = rows
        .iter()
        .filter(|r| !r[col("participant")].is_empty())
        .count();
    assert!(
        attributed > 100,
        "only {attributed} rows have a participant"
    );
    for r in &rows {
        let who = &r[col("participant")];
        assert!(
            who.is_empty() || pseudonyms.iter().any(|p| p == who),
            "{who}"
        );
        let (s, e): (usize, usize) = (
            r[col("start")].parse().expect("start"),
            r[col("end")].parse().expect("end"),
        );
        assert!(s < e);
        assert!(!r[col("code")].is_empty() && !r[col("coder")].is_empty());
    }
    assert_eq!(
        rows.iter()
            .filter(|r| &r[col("key_quote")] == "yes")
            .count(),
        codings.iter().filter(|c| c.key_quote).count()
    );
    assert!(rows.iter().any(|r| &r[col("participant")] == "Dot"));
    // Timed transcripts (srt, vtt) give hh:mm:ss.
    assert!(
        rows.iter().any(|r| r[col("timestamp")].len() == 8),
        "no timestamps"
    );
    assert_no_names(&text, &people, "the segments CSV");
}

#[test]
fn segments_xlsx_opens_and_has_the_rows() {
    let (dir, p) = sample();
    let out = dir.path().join("segments.xlsx");
    let n = export_segments_xlsx(&p, &out, &ReportOptions::default()).expect("xlsx");
    assert_eq!(n, 146);
    let sheet = zip_text(&out, "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<row ").count(), 147, "header + 146 rows");
    let all = format!("{sheet}{}", zip_text(&out, "xl/sharedStrings.xml"));
    assert!(all.contains("participant") && all.contains("key_quote"));
    assert!(all.contains(">Dot<"), "the pseudonym Dot is missing");
    assert_no_names(&all, &p.participants().expect("participants"), "the xlsx");
}

#[test]
fn codebook_csv_has_every_code_with_counts() {
    let (dir, p) = sample();
    let out = dir.path().join("codebook.csv");
    let n = export_codebook_csv(&p, &out, &ReportOptions::default()).expect("csv");
    let codes = p.codes().expect("codes");
    assert_eq!(n, codes.len());
    let text = std::fs::read_to_string(&out).expect("read");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        r.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "path",
            "level",
            "colour",
            "definition",
            "when_to_use",
            "when_not",
            "codings",
            "documents",
            "participants",
            "words"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), codes.len());
    let total: usize = rows.iter().map(|r| r[6].parse::<usize>().expect("n")).sum();
    assert!(total >= 146, "{total}");
    assert!(rows.iter().any(|r| &r[1] == "1" && r[0].contains(" > ")));
}

#[test]
fn theme_report_and_codebook_docx_have_themes_quotes_and_no_names() {
    let (dir, mut p) = sample();
    let themes = with_themes(&mut p);
    let report = dir.path().join("themes.docx");
    let s = export_theme_report(&p, &report, &ReportOptions::default()).expect("report");
    assert_eq!(s.themes, 2);
    assert!(s.quotes >= 4, "{s:?}");
    let xml = zip_text(&report, "word/document.xml");
    for t in &themes {
        assert!(xml.contains(t.as_str()), "{t} missing");
    }
    assert!(xml.contains("What it means") && xml.contains("Counts by role"));
    let people = p.participants().expect("participants");
    assert_no_names(&xml, &people, "the theme report");
    let codebook = dir.path().join("codebook.docx");
    export_codebook_docx(&p, &codebook, &ReportOptions::default()).expect("codebook");
    let cxml = zip_text(&codebook, "word/document.xml");
    assert!(cxml.contains("Referral and the link worker") && cxml.contains("4363D8"));

    if !tools() {
        return;
    }
    let pdfs = convert(&[report.clone(), codebook.clone()], dir.path());
    let text = pdf_text(&pdfs[0]);
    for t in &themes {
        assert!(text.contains(t.as_str()), "{t} not in the PDF");
    }
    assert!(text.contains("Dot") || text.contains("Jas") || text.contains("Lloyd"));
    // A quote of the first theme, as the segments table has it.
    let seg = dir.path().join("segments.csv");
    export_segments_csv(&p, &seg, &ReportOptions::default()).expect("csv");
    let mut r = csv::Reader::from_path(&seg).expect("csv");
    let head: Vec<String> = r.headers().expect("h").iter().map(String::from).collect();
    let (code, quote) = (
        head.iter().position(|h| h == "code").expect("code"),
        head.iter().position(|h| h == "text").expect("text"),
    );
    let found = r.records().map(|r| r.expect("row")).any(|r| {
        r[code].starts_with("What helped or hindered > Waiting lists") && {
            let words: Vec<&str> = r[quote].split_whitespace().skip(1).take(4).collect();
            text.contains(&words.join(" "))
        }
    });
    assert!(found, "no waiting-list quote in the PDF text");
    assert_no_names(&text, &people, "the theme report PDF");
    let ctext = pdf_text(&pdfs[1]);
    assert!(ctext.contains("Referral and the link worker"), "{ctext}");
    assert!(ctext.contains("codings"));
}

/// Are `soffice` and `pdftotext` here? With `STORYLOOM_REQUIRE_TOOLS` set, a
/// missing one fails the test.
fn tools() -> bool {
    storyloom_e2e::outside_tools(
        &["soffice", "pdftotext"],
        vec![],
        "the reports were not converted with LibreOffice \
         (apt-get install libreoffice-writer poppler-utils)",
    )
}

/// Converts docx files to PDF in one `soffice` run with its own profile.
fn convert(docx: &[PathBuf], dir: &Path) -> Vec<PathBuf> {
    let out = dir.join("pdf");
    std::fs::create_dir_all(&out).expect("pdf dir");
    let limit = Duration::from_secs(60 + 10 * docx.len() as u64);
    storyloom_e2e::soffice_to_pdf(docx, &out, &dir.join("lo-profile"), limit);
    docx.iter()
        .map(|d| {
            let pdf = out.join(d.with_extension("pdf").file_name().expect("name"));
            assert!(pdf.is_file(), "{} was not converted", d.display());
            pdf
        })
        .collect()
}

/// The PDF's text with whitespace collapsed.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
