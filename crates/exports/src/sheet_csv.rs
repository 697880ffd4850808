//! CSV that spreadsheets open right. Every CSV Storyloom writes goes through
//! [`SheetCsv`]:
//! - a UTF-8 byte order mark first (by default): without it Excel on Windows
//!   reads the file in the ANSI code page and shows "ZÃ©lie" for "Zélie";
//! - a cell a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`,
//!   tab or carriage return) gets a leading `'` and is quoted, as OWASP
//!   advises against CSV injection; plain numbers such as `-3` stay numbers;
//! - quoting as RFC 4180 (commas, quotes, line breaks), lines ending in `\n`
//!   as before.

use std::borrow::Cow;
use std::io::{self, Write};

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    /// Start with a UTF-8 byte order mark (Excel then reads UTF-8).
    pub bom: bool,
}

impl Default for CsvStyle {
    fn default() -> Self {
        CsvStyle { bom: true }
    }
}

impl CsvStyle {
    /// Without the byte order mark (for scripts that do not expect one).
    pub fn without_bom() -> Self {
        CsvStyle { bom: false }
    }
}

/// Would a spreadsheet read this cell as a formula?
pub fn is_formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(cell)
}

/// `-3`, `+4.5`: a signed decimal number, which a spreadsheet reads as a
/// number and never runs.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty())
}

/// The cell as it is safe to write: formula-like cells get a leading `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV writer for files people open in a spreadsheet.
pub struct SheetCsv<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> SheetCsv<W> {
    /// Starts the file: the byte order mark when the style asks for it.
    pub fn new(mut out: W, style: CsvStyle) -> io::Result<Self> {
        if style.bom {
            out.write_all(BOM)?;
        }
        Ok(SheetCsv {
            out,
            line: Vec::with_capacity(256),
        })
    }

    /// Writes one row.
    pub fn write_row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.line.clear();
        let mut count = 0;
        for cell in cells {
            if count > 0 {
                self.line.push(b',');
            }
            count += 1;
            let cell = cell.as_ref();
            let formula = is_formula_like(cell);
            if formula || cell.contains([',', '"', '\n', '\r']) {
                self.line.push(b'"');
                if formula {
                    self.line.push(b'\'');
                }
                for b in cell.bytes() {
                    if b == b'"' {
                        self.line.push(b'"');
                    }
                    self.line.push(b);
                }
                self.line.push(b'"');
            } else {
                self.line.extend_from_slice(cell.as_bytes());
            }
        }
        if count == 1 && self.line.is_empty() {
            // One empty cell: quoted, so the row is not a blank line.
            self.line.extend_from_slice(b"\"\"");
        }
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The writer, flushed.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(rows: &[&[&str]], style: CsvStyle) -> Vec<u8> {
        let mut w = SheetCsv::new(Vec::new(), style).unwrap();
        for r in rows {
            w.write_row(r.iter()).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn formula_like_cells_are_neutralised_and_quoted() {
        let out = write(
            &[
                &["a", "b"],
                &["=SUM(A1)", "+44 7700", "-- not this", "@cmd", "\tx", "\ry"],
                &["-3", "+4.5", "12", "-", "1-2", "say \"hi\", then"],
            ],
            CsvStyle::without_bom(),
        );
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(
            lines[1],
            "\"'=SUM(A1)\",\"'+44 7700\",\"'-- not this\",\"'@cmd\",\"'\tx\",\"'\ry\""
        );
        assert_eq!(lines[2], "-3,+4.5,12,\"'-\",1-2,\"say \"\"hi\"\", then\"");
        // A CSV reader gets the neutralised cells back whole.
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'=SUM(A1)");
        assert_eq!(&rows[0][5], "'\ry");
        assert_eq!(&rows[1][5], "say \"hi\", then");
    }

    #[test]
    fn the_bom_comes_first_by_default_and_readers_skip_it() {
        let out = write(&[&["name"], &["Zélie 🙂"], &[""]], CsvStyle::default());
        assert!(out.starts_with(BOM));
        assert!(out.ends_with(b"\"\"\n"), "an empty row stays a row");
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(r.headers().unwrap().get(0), Some("name"));
        let no_bom = write(&[&["name"]], CsvStyle::without_bom());
        assert_eq!(no_bom, b"name\n");
    }

    #[test]
    fn plain_numbers_are_not_formulas() {
        for n in ["-3", "+4", "-0.5", "10"] {
            assert!(!is_formula_like(n), "{n}");
        }
        for f in ["-", "-.5", "-3.", "+1+1", "-A1", "=1"] {
            assert!(is_formula_like(f), "{f}");
        }
        assert_eq!(neutralise("=1"), "'=1");
        assert_eq!(neutralise("ok"), "ok");
    }
}
