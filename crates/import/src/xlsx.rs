//! An Excel workbook (.xlsx) as rows of cells, for transcript tables: the
//! first sheet, in tab order, whose header names a transcript's columns (a
//! cover or notes sheet before it is passed over). Read through the same
//! guarded zip and XML readers as .docx (zip bombs, climbing names and
//! DOCTYPEs refused; a part cut short is refused whole). Shared strings,
//! inline strings, formula results and numbers are read; a number whose
//! cell style shows a time becomes that time ([`crate::xlsx_styles`]).

use crate::error::ImportError;
use crate::table::{Cell, Columns, EXPECTED};
use crate::xlsx_styles::Styles;
use crate::xml;
use crate::zipread::read_entry;
use quick_xml::events::Event;

const FORMAT: &str = "Excel (.xlsx)";

/// Header and records of the workbook's transcript sheet: the first whose
/// header fits a transcript table (a coded-segments sheet only when nothing
/// else has a text column). A workbook where no sheet fits is refused with
/// every sheet's header.
pub fn records(bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<Cell>>), ImportError> {
    let sheets = sheets(bytes)?;
    let strings = match read_entry(bytes, "xl/sharedStrings.xml", FORMAT) {
        Ok(xml) => shared_strings(&xml)?,
        // A workbook of numbers and inline strings has none.
        Err(ImportError::Corrupt { reason, .. }) if reason.starts_with("no ") => Vec::new(),
        Err(e) => return Err(e),
    };
    let styles = Styles::read(bytes)?;
    let mut seen: Vec<String> = Vec::new();
    let mut fallback: Option<(Vec<String>, Vec<Vec<Cell>>)> = None;
    for (name, path) in &sheets {
        let sheet = match read_entry(bytes, path, FORMAT) {
            Ok(sheet) => sheet,
            // A listed sheet that is missing cannot be read; another may fit.
            Err(ImportError::Corrupt { reason, .. })
                if reason.starts_with("no ") && sheets.len() > 1 =>
            {
                seen.push(format!("'{name}' (missing from the file)"));
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut rows = cells(&sheet, &strings, &styles)?;
        if rows.is_empty() {
            seen.push(format!("'{name}' (empty)"));
            continue;
        }
        let header: Vec<String> = rows.remove(0).iter().map(Cell::text).collect();
        if Columns::fits(&header) {
            return Ok((header, rows));
        }
        if fallback.is_none() && Columns::find(&header).is_ok() {
            fallback = Some((header, rows));
            continue;
        }
        let found: Vec<&str> = header
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
            .collect();
        seen.push(format!("'{name}' has {}", found.join(", ")));
    }
    match fallback {
        Some(found) => Ok(found),
        None if seen.iter().all(|s| s.ends_with("(empty)")) => Err(ImportError::NoText),
        None => Err(ImportError::Sheets {
            found: seen.join("; "),
            expected: EXPECTED,
        }),
    }
}

/// The sheets' names and paths in tab order, from the workbook and its
/// relationships (`xl/worksheets/sheetN.xml` when they do not say).
fn sheets(bytes: &[u8]) -> Result<Vec<(String, String)>, ImportError> {
    let workbook = read_entry(bytes, "xl/workbook.xml", FORMAT)?;
    let mut reader = xml::reader(&workbook);
    // (name, relationship id)
    let mut listed: Vec<(String, Option<String>)> = Vec::new();
    loop {
        match xml::next(&mut reader, FORMAT)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheet" => {
                let name = xml::attr(&reader, &e, b"name", FORMAT)?
                    .unwrap_or_else(|| format!("Sheet{}", listed.len() + 1));
                listed.push((name, xml::attr(&reader, &e, b"r:id", FORMAT)?));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if listed.is_empty() {
        listed.push(("Sheet1".into(), None));
    }
    let rels = read_entry(bytes, "xl/_rels/workbook.xml.rels", FORMAT).ok();
    let mut targets: Vec<(String, String)> = Vec::new();
    if let Some(rels) = &rels {
        let mut reader = xml::reader(rels);
        loop {
            match xml::next(&mut reader, FORMAT)? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                    let id = xml::attr(&reader, &e, b"Id", FORMAT)?.unwrap_or_default();
                    let target = xml::attr(&reader, &e, b"Target", FORMAT)?.unwrap_or_default();
                    let path = match target.strip_prefix('/') {
                        Some(abs) => abs.to_owned(),
                        None => format!("xl/{target}"),
                    };
                    targets.push((id, path));
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    Ok(listed
        .into_iter()
        .enumerate()
        .map(|(i, (name, rel))| {
            let path = rel
                .and_then(|r| targets.iter().find(|(id, _)| *id == r).map(|t| t.1.clone()))
                .unwrap_or_else(|| format!("xl/worksheets/sheet{}.xml", i + 1));
            (name, path)
        })
        .collect())
}

/// The shared string table: each `si`'s text runs joined (phonetic hints dropped).
fn shared_strings(xml_bytes: &[u8]) -> Result<Vec<String>, ImportError> {
    let mut reader = xml::reader(xml_bytes);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_t = false;
    let mut skip = 0usize;
    let mut depth = 0usize;
    loop {
        match xml::next(&mut reader, FORMAT)? {
            Event::Start(e) => {
                depth += 1;
                match e.local_name().as_ref() {
                    _ if skip > 0 => skip += 1,
                    b"rPh" => skip = 1,
                    b"si" => current = Some(String::new()),
                    b"t" => in_t = true,
                    _ => {}
                }
            }
            Event::Empty(e) if skip == 0 && e.local_name().as_ref() == b"si" => {
                out.push(String::new())
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"si" => out.push(current.take().unwrap_or_default()),
                    b"t" => in_t = false,
                    _ => {}
                }
            }
            Event::Text(t) if in_t && skip == 0 => {
                if let Some(c) = &mut current {
                    c.push_str(&xml::text(&reader, &t, FORMAT)?);
                }
            }
            Event::Eof if depth > 0 => {
                return Err(xml::cut_short(FORMAT, "xl/sharedStrings.xml", depth));
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// The sheet's rows, cells placed by their reference (`C7`) so empty cells
/// Excel leaves out do not shift the columns.
fn cells(
    xml_bytes: &[u8],
    strings: &[String],
    styles: &Styles,
) -> Result<Vec<Vec<Cell>>, ImportError> {
    let mut reader = xml::reader(xml_bytes);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut in_row = false;
    // The cell being read: column, type, style, value text.
    let mut cell: Option<(usize, String, usize, String)> = None;
    let mut in_value = false;
    let mut depth = 0usize;
    loop {
        match xml::next(&mut reader, FORMAT)? {
            Event::Start(e) => {
                depth += 1;
                match e.local_name().as_ref() {
                    b"row" => {
                        in_row = true;
                        row.clear();
                    }
                    b"c" if in_row => {
                        let col = xml::attr(&reader, &e, b"r", FORMAT)?
                            .and_then(|r| column(&r))
                            .unwrap_or(row.len());
                        let kind = xml::attr(&reader, &e, b"t", FORMAT)?.unwrap_or_default();
                        let style = xml::attr(&reader, &e, b"s", FORMAT)?
                            .and_then(|s| s.trim().parse().ok())
                            .unwrap_or(0);
                        cell = Some((col, kind, style, String::new()));
                    }
                    b"v" | b"t" if cell.is_some() => in_value = true,
                    _ => {}
                }
            }
            Event::Text(t) if in_value => {
                if let Some((_, _, _, v)) = &mut cell {
                    v.push_str(&xml::text(&reader, &t, FORMAT)?);
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().as_ref() {
                    b"v" | b"t" => in_value = false,
                    b"c" => {
                        if let Some((col, kind, style, value)) = cell.take() {
                            let value = match typed(&kind, value, strings)? {
                                Cell::Number(n) => match styles.millis(style, n) {
                                    Some(ms) => Cell::Time(ms),
                                    None => Cell::Number(n),
                                },
                                other => other,
                            };
                            // A sheet wider than any transcript is not one.
                            if col > 1_000 {
                                return Err(ImportError::Corrupt {
                                    format: FORMAT,
                                    reason: format!("a cell in column {} (too wide)", col + 1),
                                });
                            }
                            if row.len() <= col {
                                row.resize(col + 1, Cell::Text(String::new()));
                            }
                            row[col] = value;
                        }
                    }
                    b"row" => {
                        in_row = false;
                        rows.push(std::mem::take(&mut row));
                    }
                    _ => {}
                }
            }
            Event::Eof if depth > 0 => {
                return Err(xml::cut_short(FORMAT, "the sheet", depth));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Leading rows left blank above the header are not the header.
    let first = rows
        .iter()
        .position(|r| r.iter().any(|c| !c.text().trim().is_empty()))
        .unwrap_or(rows.len());
    Ok(rows.split_off(first))
}

/// A cell's value by its type: `s` shared string, `inlineStr`, `str`
/// (formula text), `b` boolean, `e` error, or a number.
fn typed(kind: &str, value: String, strings: &[String]) -> Result<Cell, ImportError> {
    Ok(match kind {
        "s" => {
            let i: usize = value.trim().parse().map_err(|_| ImportError::Corrupt {
                format: FORMAT,
                reason: format!("a shared string index '{value}' is not a number"),
            })?;
            Cell::Text(
                strings
                    .get(i)
                    .cloned()
                    .ok_or_else(|| ImportError::Corrupt {
                        format: FORMAT,
                        reason: format!("shared string {i} is missing"),
                    })?,
            )
        }
        "inlineStr" | "str" | "e" => Cell::Text(value),
        "b" => Cell::Text(if value.trim() == "1" { "TRUE" } else { "FALSE" }.into()),
        _ => match value.trim().parse::<f64>() {
            Ok(n) if !value.trim().is_empty() => Cell::Number(n),
            _ => Cell::Text(value),
        },
    })
}

/// The zero-based column of a reference such as `C7` or `AB12`.
fn column(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters {
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
    }
    Some(n - 1)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::zipread::tests::build_zip;

    /// A workbook whose first sheet holds `rows`; strings are shared, except
    /// cells written `=inline:…`, and numbers are numbers.
    pub fn workbook(rows: &[Vec<&str>]) -> Vec<u8> {
        let parts = workbook_parts(rows);
        let refs: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        build_zip(&refs)
    }

    fn workbook_parts(rows: &[Vec<&str>]) -> Vec<(String, Vec<u8>)> {
        let mut strings: Vec<String> = Vec::new();
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let reference = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                let esc = v.replace('&', "&amp;").replace('<', "&lt;");
                if let Some(inline) = esc.strip_prefix("=inline:") {
                    sheet.push_str(&format!(
                        r#"<c r="{reference}" t="inlineStr"><is><t>{inline}</t></is></c>"#
                    ));
                } else if v.parse::<f64>().is_ok() {
                    sheet.push_str(&format!(r#"<c r="{reference}"><v>{v}</v></c>"#));
                } else {
                    strings.push(esc);
                    sheet.push_str(&format!(
                        r#"<c r="{reference}" t="s"><v>{}</v></c>"#,
                        strings.len() - 1
                    ));
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let shared: String = strings
            .iter()
            .map(|s| format!(r#"<si><t xml:space="preserve">{s}</t></si>"#))
            .collect();
        let shared = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{shared}</sst>"#,
            strings.len()
        );
        let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Transcript" sheetId="1" r:id="rId7"/></sheets></workbook>"#;
        let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/></Relationships>"#;
        [
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/sharedStrings.xml", shared.as_str()),
            ("xl/worksheets/data.xml", sheet.as_str()),
        ]
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.as_bytes().to_vec()))
        .collect()
    }

    #[test]
    fn reads_the_first_sheet_by_its_relationship() {
        let book = workbook(&[
            vec!["Start", "Speaker", "Text", "Tags"],
            vec!["0.000856", "Ann", "Welcome & hello", ""],
            vec!["", "", "=inline:carried on", "a; b"],
        ]);
        let (header, rows) = records(&book).expect("read");
        assert_eq!(header, vec!["Start", "Speaker", "Text", "Tags"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], Cell::Number(0.000856));
        assert_eq!(rows[0][2], Cell::Text("Welcome & hello".into()));
        // Column C even though A and B are absent.
        assert_eq!(rows[1][2], Cell::Text("carried on".into()));
        assert_eq!(rows[1][3], Cell::Text("a; b".into()));
        assert_eq!(column("AB12"), Some(27));
    }

    #[test]
    fn a_cut_short_sheet_is_refused() {
        let mut parts = workbook_parts(&[vec!["Speaker", "Text"], vec!["Ann", "Hello"]]);
        for (name, bytes) in &mut parts {
            if name.ends_with("data.xml") {
                bytes.truncate(bytes.len() - 30);
            }
        }
        let refs: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let e = records(&build_zip(&refs)).expect_err("cut short");
        assert!(e.to_string().contains("cut short"), "{e}");
    }
}
