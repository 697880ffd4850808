//! Codings from a spreadsheet: `document,code,quote[,coder][,key_quote]`
//! (the sample study's `codings.csv`) or our own coded-segments export
//! (`document, …, code, text, start, end, …, coder, …, key_quote`). Each
//! quote is found in the document's current text (at `start`..`end` when the
//! text there is the quote, else where it occurs nearest). Rows that do not
//! fit are reported with their row number and reason; the rest go in as one
//! transaction and one history entry, so an error leaves nothing half done.

use super::{CODE_PALETTE, Project};
use crate::error::{Error, Result};
use crate::import::codebook::CodeSpec;
use crate::store::codebook::find_code_in;
use crate::store::codings::NewCoding;
use crate::store::{ChangeRecord, Store};
use crate::text::CharIndex;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What importing a codings CSV did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CodingsImport {
    pub applied: usize,
    /// Rows already coded so (same code, coder and range): not doubled.
    pub already: usize,
    /// Codes created because a row named one that did not exist (`--create-codes`).
    pub codes_created: Vec<String>,
    /// Rows that did not fit, with the reason: "row 7: the quote is not in P03".
    pub rejected: Vec<String>,
}

/// How a codings CSV is imported.
#[derive(Debug, Clone, Copy, Default)]
pub struct CodingsCsvOptions {
    /// Create the codes a row names that the codebook does not have.
    pub create_codes: bool,
}

struct Row {
    line: usize,
    document: String,
    code: String,
    quote: String,
    range: Option<(usize, usize)>,
    coder: Option<String>,
    key_quote: bool,
}

/// A planned coding: code path, document uuid, range, coder, key quote.
struct Planned {
    code: String,
    document: String,
    start: usize,
    end: usize,
    coder: String,
    key_quote: bool,
}

/// A cell as written, without the `'` a spreadsheet export puts before a
/// formula-like value (`'=x` was `=x`).
pub(crate) fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn is_yes(v: &str) -> bool {
    matches!(
        v.trim().to_lowercase().as_str(),
        "yes" | "y" | "true" | "1" | "x"
    )
}

fn read_rows(path: &Path) -> Result<Vec<Row>> {
    let csv_err = |reason: String| Error::Csv {
        path: path.display().to_string(),
        reason,
    };
    let text = super::csv_import::read_csv_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_err(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(doc_col), Some(code_col), Some(quote_col)) = (
        col(&["document"]),
        col(&["code", "path"]),
        col(&["quote", "text"]),
    ) else {
        return Err(csv_err(
            "the header must name the columns document, code and quote (or text); coder, key_quote, start and end are optional".into(),
        ));
    };
    let (coder_col, key_col) = (col(&["coder"]), col(&["key_quote", "key quote"]));
    let (start_col, end_col) = (col(&["start"]), col(&["end"]));
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| csv_err(format!("row {}: {e}", i + 2)))?;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(|v| unneutralise(v.trim()).to_owned())
                .unwrap_or_default()
        };
        if rec.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let num = |c| get(c).parse::<usize>().ok();
        rows.push(Row {
            line: i + 2,
            document: get(Some(doc_col)),
            code: get(Some(code_col)),
            quote: crate::text::normalize(&get(Some(quote_col))),
            range: num(start_col).zip(num(end_col)).filter(|(s, e)| s < e),
            coder: Some(get(coder_col)).filter(|c| !c.is_empty()),
            key_quote: is_yes(&get(key_col)),
        });
    }
    Ok(rows)
}

/// Where the quote is: at the given range when the text there is the quote,
/// else its occurrence nearest the range (or the first).
fn place(text: &str, ix: &CharIndex, quote: &str, range: Option<(usize, usize)>) -> Option<usize> {
    if let Some((s, e)) = range
        && ix.slice(s, e) == Some(quote)
    {
        return Some(s);
    }
    let near = range.map(|r| r.0).unwrap_or(0);
    text.match_indices(quote)
        .map(|(b, _)| text[..b].chars().count())
        .min_by_key(|s| s.abs_diff(near))
}

impl Project {
    /// Applies the codings of a CSV; rows whose document, code or quote
    /// cannot be found are reported, not applied.
    pub fn import_codings_csv(&mut self, path: &Path) -> Result<CodingsImport> {
        self.import_codings_csv_with(path, CodingsCsvOptions::default())
    }

    /// [`Project::import_codings_csv`], creating missing codes when asked.
    pub fn import_codings_csv_with(
        &mut self,
        path: &Path,
        options: CodingsCsvOptions,
    ) -> Result<CodingsImport> {
        let rows = read_rows(path)?;
        let mut report = CodingsImport::default();
        let mut texts: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut missing_codes: BTreeSet<String> = BTreeSet::new();
        let mut planned = Vec::new();
        for r in &rows {
            let reject = |why: String| format!("row {}: {why}", r.line);
            if r.quote.is_empty() {
                report.rejected.push(reject("the quote is empty".into()));
                continue;
            }
            if r.code.is_empty() {
                report.rejected.push(reject("no code named".into()));
                continue;
            }
            if !texts.contains_key(&r.document) {
                match self.document(&r.document) {
                    Ok(d) => {
                        texts.insert(r.document.clone(), (d.uuid, d.text));
                    }
                    Err(e) => {
                        report.rejected.push(reject(e.to_string()));
                        continue;
                    }
                }
            }
            let (uuid, text) = &texts[&r.document];
            if let Err(e) = self.code(&r.code) {
                if options.create_codes && matches!(e, Error::UnknownCode(_)) {
                    missing_codes.insert(r.code.clone());
                } else {
                    report.rejected.push(reject(format!(
                        "{e} (create the code first, or import with --create-codes)"
                    )));
                    continue;
                }
            }
            let ix = CharIndex::new(text);
            let Some(start) = place(text, &ix, &r.quote, r.range) else {
                report.rejected.push(reject(format!(
                    "the quote is not in {}: “{}”",
                    r.document,
                    r.quote.chars().take(60).collect::<String>()
                )));
                continue;
            };
            planned.push(Planned {
                code: r.code.clone(),
                document: uuid.clone(),
                start,
                end: start + r.quote.chars().count(),
                coder: r.coder.clone().unwrap_or_else(|| self.actor.clone()),
                key_quote: r.key_quote,
            });
        }
        if planned.is_empty() {
            return Ok(report);
        }
        let specs: Vec<CodeSpec> = missing_codes
            .iter()
            .map(|c| CodeSpec {
                path: c
                    .split('>')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect(),
                color: None,
                definition: String::new(),
                when_to_use: String::new(),
                when_not: String::new(),
            })
            .collect();
        let mut versions = BTreeMap::new();
        for doc in planned.iter().map(|p| &p.document) {
            if !versions.contains_key(doc) {
                let (id, _, _) = self.store.find_document(doc)?;
                versions.insert(doc.clone(), self.store.current_version(id)?);
            }
        }
        let actor = self.actor.clone();
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (applied, already, created) = self.store.change(
            |(applied, _, created): &(usize, usize, Vec<String>)| ChangeRecord {
                actor: actor.clone(),
                command: "import_codings",
                summary: format!(
                    "{applied} codings from {file}{}",
                    if created.is_empty() {
                        String::new()
                    } else {
                        format!(", {} codes created", created.len())
                    }
                ),
                forward: json!({ "file": file, "codings": applied, "codes": created }),
            },
            |tx| -> Result<(usize, usize, Vec<String>)> {
                let created = Store::write_codes(tx, &specs, CODE_PALETTE)?;
                let code_rows = Store::code_rows_in(tx)?;
                let indexes: BTreeMap<&str, CharIndex> = versions
                    .iter()
                    .map(|(k, v)| (k.as_str(), CharIndex::new(&v.text)))
                    .collect();
                let (mut applied, mut already) = (0, 0);
                for p in &planned {
                    let code_id = find_code_in(&code_rows, &p.code)?;
                    let cv = &versions[&p.document];
                    let ix = &indexes[p.document.as_str()];
                    let quote = ix.slice(p.start, p.end).unwrap_or_default();
                    let (before, after) = super::codings::context_in(ix, p.start, p.end);
                    let (id, _, new) = Store::insert_coding(
                        tx,
                        &NewCoding {
                            code_id,
                            version_id: cv.version_id,
                            start: p.start,
                            end: p.end,
                            coder: &p.coder,
                            quote,
                            context_before: &before,
                            context_after: &after,
                            key_quote: p.key_quote,
                        },
                    )?;
                    if new {
                        applied += 1;
                    } else {
                        already += 1;
                        if p.key_quote {
                            Store::set_key_quote(tx, id, true)?;
                        }
                    }
                }
                Ok((applied, already, created))
            },
        )?;
        report.applied = applied;
        report.already = already;
        report.codes_created = created;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralised_cells_are_read_as_written() {
        assert_eq!(unneutralise("'=SUM(1)"), "=SUM(1)");
        assert_eq!(unneutralise("'-- then"), "-- then");
        assert_eq!(unneutralise("'tis"), "'tis");
    }

    #[test]
    fn the_quote_is_placed_at_its_range_or_nearest() {
        let text = "yes and yes and yes";
        let ix = CharIndex::new(text);
        assert_eq!(place(text, &ix, "yes", Some((8, 11))), Some(8));
        assert_eq!(place(text, &ix, "yes", Some((15, 17))), Some(16));
        assert_eq!(place(text, &ix, "yes", None), Some(0));
        assert_eq!(place(text, &ix, "no", None), None);
    }
}
