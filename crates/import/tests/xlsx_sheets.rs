//! Excel transcripts as Excel writes them (made here with rust_xlsxwriter):
//! the first sheet whose header fits a transcript is read, not only the
//! first sheet; times kept as Excel date/time numbers become `HH:MM:SS`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use rust_xlsxwriter::{Format, Workbook};
use storyloom_import::table::Cell;
use storyloom_import::{ImportError, parse, xlsx};

const DAY: f64 = 86_400.0;

/// A workbook with a cover sheet and a codebook before the transcript, whose
/// start column holds Excel times formatted `hh:mm:ss`, and an end column
/// formatted `[h]:mm:ss`.
fn study_workbook(with_transcript: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet().set_name("About").expect("name");
    cover.write_string(0, 0, "Interview").expect("write");
    cover.write_string(0, 1, "Date").expect("write");
    cover
        .write_string(1, 0, "Rosa, second visit")
        .expect("write");
    let codes = wb.add_worksheet().set_name("Codes").expect("name");
    codes.write_string(0, 0, "code").expect("write");
    codes.write_string(0, 1, "definition").expect("write");
    codes.write_string(1, 0, "Family").expect("write");
    if with_transcript {
        let clock = Format::new().set_num_format("hh:mm:ss");
        let elapsed = Format::new().set_num_format("[h]:mm:ss");
        let dated = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        let t = wb.add_worksheet().set_name("Transcript").expect("name");
        for (c, h) in ["Start", "End", "Speaker", "Text", "Recorded"]
            .iter()
            .enumerate()
        {
            t.write_string(0, c as u16, *h).expect("header");
        }
        let rows = [
            (
                4.0,
                9.0,
                "Ann",
                "Thank you for coming. Where did you grow up?",
            ),
            (9.0, 31.0, "Rosa", "In Leith, by the docks."),
            (74.5, 80.0, "Ann", "And after school?"),
            (3_725.0, 3_800.0, "Rosa", "The mill, at fifteen."),
        ];
        for (i, (start, end, who, text)) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            t.write_number_with_format(r, 0, start / DAY, &clock)
                .expect("start");
            t.write_number_with_format(r, 1, end / DAY, &elapsed)
                .expect("end");
            t.write_string(r, 2, *who).expect("who");
            t.write_string(r, 3, *text).expect("text");
            t.write_number_with_format(r, 4, 45_321.0 + start / DAY, &dated)
                .expect("recorded");
        }
    }
    wb.save_to_buffer().expect("workbook")
}

#[test]
fn the_transcript_sheet_is_found_after_other_sheets() {
    let book = study_workbook(true);
    let (header, rows) = xlsx::records(&book).expect("records");
    assert_eq!(header, ["Start", "End", "Speaker", "Text", "Recorded"]);
    assert_eq!(rows.len(), 4);
    // Excel times become times, read as HH:MM:SS.
    assert_eq!(rows[0][0], Cell::Time(4_000));
    assert_eq!(rows[2][0].text(), "00:01:14.500");
    assert_eq!(rows[3][0].text(), "01:02:05");
    assert_eq!(rows[3][1].text(), "01:03:20");
    // A date with a clock: its time of day.
    assert_eq!(rows[1][4].text(), "00:00:09");
    // Plain text stays text.
    assert_eq!(rows[1][2], Cell::Text("Rosa".into()));

    let d = parse("rosa.xlsx", &book).expect("parse");
    let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Ann", "Rosa"]);
    let times: Vec<(Option<u64>, Option<u64>)> =
        d.turns.iter().map(|t| (t.start_ms, t.end_ms)).collect();
    assert_eq!(
        times,
        [
            (Some(4_000), Some(9_000)),
            (Some(9_000), Some(31_000)),
            (Some(74_500), Some(80_000)),
            (Some(3_725_000), Some(3_800_000)),
        ]
    );
    assert!(
        d.text.contains("Rosa: In Leith, by the docks."),
        "{}",
        d.text
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("'Start'") && n.contains("formatted as times")),
        "{:?}",
        d.notes
    );
}

#[test]
fn a_workbook_with_no_transcript_sheet_names_every_sheet() {
    let book = study_workbook(false);
    let e = parse("notes.xlsx", &book).expect_err("no transcript sheet");
    assert!(matches!(e, ImportError::Sheets { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("'About' has Interview, Date") && msg.contains("'Codes' has code, definition"),
        "{msg}"
    );
    assert!(msg.contains("text column"), "{msg}");
}

#[test]
fn unformatted_fractions_and_clock_text_still_read() {
    // No styles at all: fractions of a day below one are Excel times, as before.
    let mut wb = Workbook::new();
    let t = wb.add_worksheet();
    t.write_string(0, 0, "Time").expect("h");
    t.write_string(0, 1, "Speaker").expect("h");
    t.write_string(0, 2, "Words").expect("h");
    t.write_number(1, 0, 74.0 / DAY).expect("n");
    t.write_string(1, 1, "Ann").expect("s");
    t.write_string(1, 2, "How was it?").expect("s");
    t.write_string(2, 0, "00:02:03").expect("s");
    t.write_string(2, 1, "Rosa").expect("s");
    t.write_string(2, 2, "Hard at first.").expect("s");
    let d = parse("plain.xlsx", &wb.save_to_buffer().expect("book")).expect("parse");
    let starts: Vec<Option<u64>> = d.turns.iter().map(|t| t.start_ms).collect();
    assert_eq!(starts, [Some(74_000), Some(123_000)]);
}
