//! A transcript kept as CSV (`timestamp,speaker,words,tags`, one row per
//! paragraph), decoded like every text file (BOM, UTF-16, Windows-1252) and
//! read with the columns [`crate::table`] finds. Excel in many locales
//! writes `;` between cells, and some tools tabs: the separator is the one
//! the header row uses.

use crate::error::ImportError;
use crate::table::{self, Cell};
use crate::{ParsedDocument, model::Format};

/// The cells of a CSV text: header, then records.
pub fn records(text: &str) -> Result<(Vec<String>, Vec<Vec<Cell>>), ImportError> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let corrupt = |e: csv::Error| ImportError::Corrupt {
        format: "CSV",
        reason: e.to_string(),
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(corrupt)?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(corrupt)?;
        out.push(record.iter().map(|c| Cell::Text(c.to_owned())).collect());
    }
    Ok((header, out))
}

/// Parses a transcript table given as CSV text.
pub fn parse(text: &str, notes: Vec<String>) -> Result<ParsedDocument, ImportError> {
    let (header, records) = records(text)?;
    table::document(Format::Csv, &header, &records, notes)
}
