//! Transcripts kept as a table (CSV, or an Excel sheet): one row per
//! paragraph, with speaker, time and text columns and maybe thematic tags.
//! Columns are found by their header names, in the spellings researchers and
//! transcription services use; a table without a text column, or with
//! neither a speaker nor a time column, is refused with the columns it has
//! and the ones it needed.

use crate::ParsedDocument;
use crate::error::ImportError;
use crate::model::Format;
use crate::turns::rows::{self, Join, Row, Source};

/// A cell as the file gives it: spreadsheets keep numbers apart from text
/// (an Excel time is a fraction of a day), CSV has only text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A number the spreadsheet shows as a time (its cell style says so), in
    /// milliseconds: read as `HH:MM:SS`.
    Time(u64),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Time(ms) => hh_mm_ss(*ms),
        }
    }
}

/// `HH:MM:SS`, with `.mmm` when the time has a part of a second.
pub fn hh_mm_ss(ms: u64) -> String {
    let s = ms / 1000;
    let clock = format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    match ms % 1000 {
        0 => clock,
        frac => format!("{clock}.{frac:03}"),
    }
}

const SPEAKER: &[&str] = &[
    "speaker",
    "speakers",
    "speakername",
    "name",
    "who",
    "person",
    "voice",
    "participant",
    "talker",
];
const START: &[&str] = &[
    "time",
    "timestamp",
    "timestamps",
    "start",
    "starttime",
    "starttimestamp",
    "begin",
    "in",
    "timein",
    "tcin",
    "timecode",
    "from",
    "startms",
    "startseconds",
    "startsec",
];
const END: &[&str] = &[
    "end",
    "endtime",
    "endtimestamp",
    "stop",
    "out",
    "timeout",
    "tcout",
    "to",
    "endms",
    "endseconds",
    "endsec",
    "ends",
];
const TEXT: &[&str] = &[
    "text",
    "words",
    "transcript",
    "transcription",
    "utterance",
    "utterances",
    "speech",
    "content",
    "dialogue",
    "dialog",
    "said",
    "sentence",
    "paragraph",
    "segment",
];
const TAGS: &[&str] = &[
    "tags", "tag", "codes", "code", "themes", "theme", "keywords", "labels",
];

/// What the transcript table needs, said in the error when it is missing.
pub const EXPECTED: &str = "a text column (text, words, transcript, utterance, speech, content) \
     and a speaker column (speaker, name, who) or a time column (time, timestamp, start, in); \
     optionally end (end, out) and tags (tags, codes, themes)";

/// A header cell reduced to letters and digits: `Start Time`, `start_time`
/// and `START-TIME` are one name; a unit in brackets is dropped (`start (s)`).
fn key(cell: &str) -> String {
    let cell = cell.trim().trim_start_matches('\u{feff}');
    let cell = cell.split(['(', '[']).next().unwrap_or(cell);
    cell.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The unit a header names for its numbers, if any.
fn unit(cell: &str) -> Option<Unit> {
    let l = cell.to_lowercase();
    let tail = l.rsplit(['(', '[', '_', ' ']).next().unwrap_or("");
    let tail = tail.trim_end_matches([')', ']']);
    if l.contains("(ms)") || l.contains("[ms]") || tail == "ms" || l.contains("millis") {
        Some(Unit::Millis)
    } else if matches!(tail, "s" | "sec" | "secs" | "seconds") || l.contains("seconds") {
        Some(Unit::Seconds)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Millis,
    Seconds,
}

/// Which column holds what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub speaker: Option<usize>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub text: usize,
    pub tags: Option<usize>,
    header: Vec<String>,
}

impl Columns {
    /// Finds the columns by header name; the first match wins.
    pub fn find(header: &[String]) -> Result<Columns, ImportError> {
        let keys: Vec<String> = header.iter().map(|h| key(h)).collect();
        let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
        let text = find(TEXT);
        let speaker = find(SPEAKER);
        let start = find(START);
        match text {
            Some(text) if speaker.is_some() || start.is_some() => Ok(Columns {
                speaker,
                start,
                end: find(END),
                text,
                tags: find(TAGS),
                header: header.to_vec(),
            }),
            _ => Err(ImportError::Columns {
                found: header
                    .iter()
                    .map(|h| h.trim().trim_start_matches('\u{feff}'))
                    .filter(|h| !h.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
                expected: EXPECTED,
            }),
        }
    }

    /// Is this header a transcript table's (and not a codebook, codings or
    /// participants sheet, which have no text column beside a speaker or time)?
    pub fn fits(header: &[String]) -> bool {
        let keys: Vec<String> = header.iter().map(|h| key(h)).collect();
        // Coded segments name their document; they are codings, not a transcript.
        !keys.iter().any(|k| k == "document" || k == "quote") && Columns::find(header).is_ok()
    }

    fn name(&self, i: Option<usize>) -> &str {
        i.and_then(|i| self.header.get(i))
            .map_or("", |h| h.trim().trim_start_matches('\u{feff}'))
    }
}

/// A transcript table's document: columns found by header, one paragraph per
/// row, a turn per speaker run, tags kept for the project to apply as codings.
pub fn document(
    format: Format,
    header: &[String],
    records: &[Vec<Cell>],
    mut notes: Vec<String>,
) -> Result<ParsedDocument, ImportError> {
    let c = Columns::find(header)?;
    let name = |i: Option<usize>| Some(format!("'{}'", c.name(Some(i?))));
    let mut used = vec![format!(
        "text from {}",
        name(Some(c.text)).unwrap_or_default()
    )];
    for (what, i) in [
        ("speakers", c.speaker),
        ("times", c.start),
        ("codes", c.tags),
    ] {
        if let Some(n) = name(i) {
            used.push(format!("{what} from {n}"));
        }
    }
    notes.push(format!("transcript table: {}", used.join(", ")));
    let rows = rows(&c, records, &mut notes);
    Ok(rows::from_rows(
        format,
        rows,
        Join::Paragraphs,
        notes,
        Source {
            what: "table",
            rows: "rows",
        },
    ))
}

/// The rows of a table under `columns`, with times read in the unit the
/// column uses (clock text, seconds, milliseconds or Excel day fractions).
/// Empty rows are skipped. Decisions about units go into `notes`.
pub fn rows(columns: &Columns, records: &[Vec<Cell>], notes: &mut Vec<String>) -> Vec<Row> {
    let cell = |r: &Vec<Cell>, i: Option<usize>| i.and_then(|i| r.get(i)).cloned();
    let starts = times(
        columns.name(columns.start),
        records.iter().map(|r| cell(r, columns.start)).collect(),
        notes,
    );
    let ends = times(
        columns.name(columns.end),
        records.iter().map(|r| cell(r, columns.end)).collect(),
        notes,
    );
    let mut out = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let text = cell(r, Some(columns.text))
            .map(|c| c.text())
            .unwrap_or_default();
        if text.trim().is_empty() {
            continue;
        }
        let speaker = cell(r, columns.speaker)
            .map(|c| c.text().trim().trim_end_matches(':').trim().to_owned())
            .filter(|s| !s.is_empty());
        let tags = cell(r, columns.tags)
            .map(|c| split_tags(&c.text()))
            .unwrap_or_default();
        out.push(Row {
            speaker,
            text: text.trim().to_owned(),
            start_ms: starts[i],
            end_ms: ends[i],
            tags,
        });
    }
    out
}

/// Tag cells list codes split by `;` or `|` (or by commas when neither is used).
pub fn split_tags(cell: &str) -> Vec<String> {
    let seps: &[char] = if cell.contains([';', '|']) {
        &[';', '|', '\n']
    } else {
        &[',', '\n']
    };
    let mut out: Vec<String> = Vec::new();
    for t in cell.split(seps) {
        let t = t.trim().trim_start_matches('#').trim();
        if !t.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    out
}

/// One column's times in milliseconds. Clock text (`00:01:14`, `1:02.5`,
/// `[00:01:14]`) is read as a clock. Bare numbers are milliseconds or
/// seconds as the header says (`start_ms`, `start (s)`); otherwise a
/// spreadsheet column of fractions below one is Excel's time of day, and
/// whole numbers past ten hours' worth of seconds are milliseconds.
fn times(header: &str, cells: Vec<Option<Cell>>, notes: &mut Vec<String>) -> Vec<Option<u64>> {
    let numbers: Vec<f64> = cells
        .iter()
        .flatten()
        .filter_map(|c| match c {
            Cell::Number(n) => Some(*n),
            Cell::Text(t) => number(t),
            Cell::Time(_) => None,
        })
        .collect();
    let day_fraction = !numbers.is_empty()
        && cells.iter().flatten().any(|c| matches!(c, Cell::Number(_)))
        && numbers.iter().all(|n| (0.0..1.0).contains(n));
    let unit = unit(header).unwrap_or_else(|| {
        let whole = numbers.iter().all(|n| n.fract() == 0.0);
        if whole && numbers.iter().any(|n| *n > 36_000.0) {
            Unit::Millis
        } else {
            Unit::Seconds
        }
    });
    let styled = cells.iter().flatten().any(|c| matches!(c, Cell::Time(_)));
    if styled && numbers.is_empty() {
        notes.push(format!(
            "times in column '{header}' read as Excel times (cells formatted as times)"
        ));
    }
    if !numbers.is_empty() {
        notes.push(format!(
            "times in column '{header}' read as {}",
            if day_fraction {
                "Excel times of day"
            } else if unit == Unit::Millis {
                "milliseconds"
            } else {
                "seconds"
            }
        ));
    }
    cells
        .into_iter()
        .map(|c| match c? {
            Cell::Time(ms) => Some(ms),
            Cell::Number(n) if day_fraction => Some((n * 86_400_000.0).round() as u64),
            Cell::Number(n) => from_number(n, unit),
            Cell::Text(t) => match number(&t) {
                Some(n) => from_number(n, unit),
                None => clock(&t),
            },
        })
        .collect()
}

fn number(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    t.parse().ok()
}

fn from_number(n: f64, unit: Unit) -> Option<u64> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Some(match unit {
        Unit::Millis => n.round() as u64,
        Unit::Seconds => (n * 1000.0).round() as u64,
    })
}

/// `00:01:14`, `1:14`, `00:01:14.500`, `00:01:14,500`, `[00:01:14]`,
/// `00:01:14:12` (a timecode's frames dropped).
fn clock(t: &str) -> Option<u64> {
    let t = t
        .trim()
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')']);
    if let Some(ms) = crate::captions::parse_clock(t) {
        return Some(ms);
    }
    // hh:mm:ss:ff timecode.
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() == 4 {
        return crate::captions::parse_clock(&parts[..3].join(":"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    fn text_rows(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| r.iter().map(|c| Cell::Text((*c).into())).collect())
            .collect()
    }

    #[test]
    fn columns_are_found_by_their_many_names() {
        let c = Columns::find(&header("\u{feff}Timestamp,Speaker,Words,Tags")).expect("fits");
        assert_eq!(
            (c.start, c.speaker, c.text, c.tags, c.end),
            (Some(0), Some(1), 2, Some(3), None)
        );
        let c = Columns::find(&header("In,Out,Who,Utterance")).expect("fits");
        assert_eq!(
            (c.start, c.end, c.speaker, c.text),
            (Some(0), Some(1), Some(2), 3)
        );
        let c = Columns::find(&header(
            "start_time (s),end_time (s),speaker_name,transcript",
        ))
        .expect("fits");
        assert_eq!(
            (c.start, c.end, c.speaker, c.text),
            (Some(0), Some(1), Some(2), 3)
        );
        let e = Columns::find(&header("id,name,pseudonym")).expect_err("no text");
        let msg = e.to_string();
        assert!(
            msg.contains("id, name, pseudonym") && msg.contains("text column"),
            "{msg}"
        );
        assert!(Columns::find(&header("text,notes")).is_err());
        // Coded segments are codings, not a transcript.
        assert!(!Columns::fits(&header(
            "document,participant,role,code,text,start,end"
        )));
        assert!(Columns::fits(&header("timestamp,speaker,words,tags")));
    }

    #[test]
    fn times_in_every_unit() {
        let mut notes = vec![];
        let c = Columns::find(&header("start,speaker,text")).expect("fits");
        let r = rows(
            &c,
            &text_rows(&[
                &["00:01:14", "Ann", "Hello"],
                &["[00:02:03.5]", "Rosa", "Hi"],
                &["", "", "  "],
                &["1:02:03:12", "", "Well"],
            ]),
            &mut notes,
        );
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].start_ms, Some(74_000));
        assert_eq!(r[1].start_ms, Some(123_500));
        assert_eq!(r[2].start_ms, Some(3_723_000));
        assert_eq!(r[2].speaker, None);
        // Seconds with decimals, milliseconds by size or by header, Excel fractions.
        let secs = rows(
            &c,
            &text_rows(&[&["12.5", "A", "x"], &["30", "B", "y"]]),
            &mut notes,
        );
        assert_eq!(secs[0].start_ms, Some(12_500));
        let ms = rows(
            &c,
            &text_rows(&[&["0", "A", "x"], &["64000", "B", "y"]]),
            &mut notes,
        );
        assert_eq!(ms[1].start_ms, Some(64_000));
        let c_ms = Columns::find(&header("start (ms),speaker,text")).expect("fits");
        let ms = rows(&c_ms, &text_rows(&[&["1500", "A", "x"]]), &mut notes);
        assert_eq!(ms[0].start_ms, Some(1_500));
        let excel = rows(
            &c,
            &[vec![
                Cell::Number(74.0 / 86_400.0),
                Cell::Text("A".into()),
                Cell::Text("x".into()),
            ]],
            &mut notes,
        );
        assert_eq!(excel[0].start_ms, Some(74_000));
        assert!(notes.iter().any(|n| n.contains("Excel")), "{notes:?}");
    }

    #[test]
    fn tags_split_on_the_separator_used() {
        assert_eq!(
            split_tags("family; loss |#work"),
            vec!["family", "loss", "work"]
        );
        assert_eq!(split_tags("family, Loss, loss"), vec!["family", "Loss"]);
        assert_eq!(
            split_tags("Why it matters > Belonging"),
            vec!["Why it matters > Belonging"]
        );
        assert!(split_tags("  ").is_empty());
    }
}
