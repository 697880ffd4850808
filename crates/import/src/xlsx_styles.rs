//! Which cell styles of an Excel workbook show a number as a time. Excel
//! keeps a time as a fraction of a day (`0.000856` is 00:01:14) and only the
//! cell's number format, in `xl/styles.xml`, says so: a cell's `s` attribute
//! indexes `cellXfs`, whose `numFmtId` is a built-in format or one of the
//! workbook's `numFmts`.

use crate::error::ImportError;
use crate::xml;
use crate::zipread::read_entry;
use quick_xml::events::Event;

const FORMAT: &str = "Excel (.xlsx)";

/// How a style shows a number that is a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// A clock (`hh:mm:ss`) or a date with a clock: the time of day (the
    /// fraction of the number; Excel shows 1.5 as 12:00:00).
    Clock,
    /// Elapsed time (`[h]:mm:ss`): the whole number of days counts.
    Elapsed,
}

/// The time style of each `cellXfs` entry, by index (None: not a time).
#[derive(Debug, Default)]
pub struct Styles(Vec<Option<TimeStyle>>);

impl Styles {
    /// The styles of a workbook; none when it has no `xl/styles.xml`.
    pub fn read(workbook: &[u8]) -> Result<Styles, ImportError> {
        match read_entry(workbook, "xl/styles.xml", FORMAT) {
            Ok(xml) => parse(&xml),
            Err(ImportError::Corrupt { reason, .. }) if reason.starts_with("no ") => {
                Ok(Styles::default())
            }
            Err(e) => Err(e),
        }
    }

    /// The time style of the cell style `index` (a cell's `s` attribute).
    pub fn time(&self, index: usize) -> Option<TimeStyle> {
        self.0.get(index).copied().flatten()
    }

    /// A cell's number in milliseconds when its style shows it as a time.
    pub fn millis(&self, index: usize, value: f64) -> Option<u64> {
        let style = self.time(index)?;
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        let days = match style {
            TimeStyle::Clock => value.fract(),
            TimeStyle::Elapsed => value,
        };
        Some((days * 86_400_000.0).round() as u64)
    }
}

fn parse(xml_bytes: &[u8]) -> Result<Styles, ImportError> {
    let mut reader = xml::reader(xml_bytes);
    let mut custom: Vec<(u32, Option<TimeStyle>)> = Vec::new();
    let mut xf_ids: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut depth = 0usize;
    loop {
        let event = xml::next(&mut reader, FORMAT)?;
        let (e, empty) = match &event {
            Event::Start(e) => {
                depth += 1;
                (Some(e), false)
            }
            Event::Empty(e) => (Some(e), true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if e.local_name().as_ref() == b"cellXfs" {
                    in_cell_xfs = false;
                }
                (None, false)
            }
            Event::Eof if depth > 0 => return Err(xml::cut_short(FORMAT, "xl/styles.xml", depth)),
            Event::Eof => break,
            _ => (None, false),
        };
        let Some(e) = e else { continue };
        match e.local_name().as_ref() {
            b"cellXfs" if !empty => in_cell_xfs = true,
            b"numFmt" => {
                let id = xml::attr(&reader, e, b"numFmtId", FORMAT)?;
                let code = xml::attr(&reader, e, b"formatCode", FORMAT)?.unwrap_or_default();
                if let Some(id) = id.and_then(|i| i.trim().parse().ok()) {
                    custom.push((id, time_style(&code)));
                }
            }
            b"xf" if in_cell_xfs => {
                let id = xml::attr(&reader, e, b"numFmtId", FORMAT)?
                    .and_then(|i| i.trim().parse().ok())
                    .unwrap_or(0);
                xf_ids.push(id);
            }
            _ => {}
        }
    }
    Ok(Styles(
        xf_ids
            .into_iter()
            .map(|id| match custom.iter().find(|(c, _)| *c == id) {
                Some((_, style)) => *style,
                None => builtin(id),
            })
            .collect(),
    ))
}

/// Excel's built-in number formats that show a time.
fn builtin(id: u32) -> Option<TimeStyle> {
    match id {
        // h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss, m/d/yy h:mm, mm:ss, mmss.0.
        18..=22 | 45 | 47 => Some(TimeStyle::Clock),
        // [h]:mm:ss
        46 => Some(TimeStyle::Elapsed),
        _ => None,
    }
}

/// Reads a custom format code: a time when it has hours or seconds (minutes
/// alone are months); elapsed when a unit is in brackets (`[h]`, `[mm]`).
/// Quoted text, escaped chars and colour or locale brackets are not codes.
fn time_style(code: &str) -> Option<TimeStyle> {
    // Only the first section counts (positive numbers).
    let mut plain = String::new();
    let mut elapsed = false;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inside = String::new();
                for b in chars.by_ref() {
                    if b == ']' {
                        break;
                    }
                    inside.push(b);
                }
                let l = inside.to_ascii_lowercase();
                if !l.is_empty() && l.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    elapsed = true;
                    plain.push_str(&l);
                }
            }
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    let clock = plain.contains('h') || plain.contains('s');
    match (clock, elapsed) {
        (_, true) => Some(TimeStyle::Elapsed),
        (true, false) => Some(TimeStyle::Clock),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_codes() {
        assert_eq!(time_style("hh:mm:ss"), Some(TimeStyle::Clock));
        assert_eq!(time_style("h:mm:ss.000"), Some(TimeStyle::Clock));
        assert_eq!(time_style("yyyy-mm-dd hh:mm"), Some(TimeStyle::Clock));
        assert_eq!(time_style("[h]:mm:ss"), Some(TimeStyle::Elapsed));
        assert_eq!(time_style("[mm]:ss"), Some(TimeStyle::Elapsed));
        assert_eq!(time_style("[Red][h]:mm;@"), Some(TimeStyle::Elapsed));
        assert_eq!(time_style("yyyy-mm-dd"), None);
        assert_eq!(time_style("mmm yyyy"), None);
        assert_eq!(time_style("0.00"), None);
        assert_eq!(time_style("[$-409]General"), None);
        assert_eq!(time_style("\"hours\" 0"), None);
        assert_eq!(builtin(21), Some(TimeStyle::Clock));
        assert_eq!(builtin(14), None);
    }

    #[test]
    fn cell_xfs_index_the_formats() {
        let xml = br#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="hh:mm:ss"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts><cellStyleXfs count="1"><xf numFmtId="21"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="21"><alignment/></xf></cellXfs></styleSheet>"#;
        let s = parse(xml).expect("styles");
        assert_eq!(s.time(0), None);
        assert_eq!(s.time(1), Some(TimeStyle::Clock));
        assert_eq!(s.time(2), Some(TimeStyle::Elapsed));
        assert_eq!(s.time(3), Some(TimeStyle::Clock));
        assert_eq!(s.time(4), None);
        assert_eq!(s.millis(1, 74.0 / 86_400.0), Some(74_000));
        // A date with a clock: the time of day.
        assert_eq!(s.millis(1, 45_321.0 + 74.0 / 86_400.0), Some(74_000));
        assert_eq!(s.millis(2, 1.5), Some(36 * 3_600_000));
        assert!(parse(&xml[..xml.len() - 20]).is_err(), "cut short");
    }
}
