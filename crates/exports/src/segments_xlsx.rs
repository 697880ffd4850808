//! The coded segments as an XLSX workbook with typed cells: the char range
//! as numbers, the turn's time as a duration, the coding date as a date,
//! key quotes as booleans, and participant attributes by their declared
//! kind (numbers as numbers, dates as dates). Text is always written as a
//! string cell, so nothing in it can run as a formula. The header row is
//! frozen.

use crate::ExportError;
use crate::reports::ReportOptions;
use crate::segments::{Anonymiser, LEADING, Segments, header, rows};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::io::Write;
use std::path::Path;
use storyloom_project::Project;
use storyloom_project::model::AttributeKind;

fn xlsx(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

/// Days since 1899-12-30: how a spreadsheet stores a date and time.
fn serial(t: chrono::NaiveDateTime) -> Option<f64> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    Some((t - epoch).num_milliseconds() as f64 / 86_400_000.0)
}

/// A cell by its column's kind: a number or a date when the value reads as
/// one, else the text.
fn write_typed(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    kind: Option<AttributeKind>,
    value: &str,
    date: &Format,
) -> Result<(), XlsxError> {
    let v = value.trim();
    match kind {
        Some(AttributeKind::Number) => {
            if let Some(n) = v.parse::<f64>().ok().filter(|n| n.is_finite()) {
                sheet.write_number(row, col, n)?;
                return Ok(());
            }
        }
        Some(AttributeKind::Date) => {
            if let Some(n) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(serial)
            {
                sheet.write_number_with_format(row, col, n, date)?;
                return Ok(());
            }
        }
        _ => {}
    }
    sheet.write_string(row, col, value)?;
    Ok(())
}

/// Saves the coded segments as an XLSX workbook at `path` (one sheet,
/// written row by row in constant memory). Returns the number of rows.
pub fn export_segments_xlsx(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<usize, ExportError> {
    Ok(export_segments_xlsx_checked(project, path, options)?.0)
}

/// [`export_segments_xlsx`] with what the privacy gate checked the file against.
pub fn export_segments_xlsx_checked(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<(usize, crate::gate::GateReport), ExportError> {
    crate::stakeholder_target(path, "the coded segments")?;
    let names = Anonymiser::new(project, options.key_file.as_ref())?;
    let segments = Segments::load_consented(project)?;
    let attributes = segments.attribute_names();
    let declared = project.attributes()?;
    let kinds: Vec<Option<AttributeKind>> = attributes
        .iter()
        .map(|a| declared.iter().find(|d| &d.name == a).map(|d| d.kind))
        .collect();
    let head = header(&attributes);
    let first_attr = LEADING.len();
    let start_col = first_attr + attributes.len() + 2;
    let (end_col, time_col) = (start_col + 1, start_col + 2);
    let (date_col, key_col) = (start_col + 4, start_col + 5);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
    sheet.set_name("Coded segments").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let duration = Format::new().set_num_format("[h]:mm:ss");
    for (i, h) in head.iter().enumerate() {
        let col = i as u16;
        let width = match h.as_str() {
            "text" => 80,
            "code" => 36,
            "coding_date" => 17,
            _ => 14,
        };
        sheet.set_column_width(col, width).map_err(xlsx)?;
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let mut n: u32 = 0;
    for row in rows(&segments, &attributes, &names) {
        n += 1;
        for (i, cell) in row.cells.iter().enumerate() {
            let col = i as u16;
            let written = if i == start_col {
                sheet.write_number(n, col, row.start as f64).map(|_| ())
            } else if i == end_col {
                sheet.write_number(n, col, row.end as f64).map(|_| ())
            } else if i == time_col {
                match row.start_ms {
                    Some(ms) => sheet
                        .write_number_with_format(n, col, ms as f64 / 86_400_000.0, &duration)
                        .map(|_| ()),
                    None => Ok(()),
                }
            } else if i == date_col {
                match row.coded.and_then(serial) {
                    Some(d) => sheet
                        .write_number_with_format(n, col, d, &date_time)
                        .map(|_| ()),
                    None => Ok(()),
                }
            } else if i == key_col {
                sheet.write_boolean(n, col, row.key_quote).map(|_| ())
            } else if cell.is_empty() {
                Ok(())
            } else if i >= first_attr && i < first_attr + attributes.len() {
                write_typed(sheet, n, col, kinds[i - first_attr], cell, &date)
            } else {
                sheet.write_string(n, col, cell).map(|_| ())
            };
            written.map_err(xlsx)?;
        }
    }
    let mut file = storyloom_atomic::AtomicFile::create(path)?;
    let mut buffered = std::io::BufWriter::new(&mut file);
    book.save_to_writer(&mut buffered).map_err(xlsx)?;
    buffered.flush()?;
    drop(buffered);
    let checked = crate::reports::gate_temp(&file, project, options)?;
    file.commit()?;
    Ok((n as usize, checked))
}
