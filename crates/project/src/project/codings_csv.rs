//! Codings from a spreadsheet: `document,code,quote[,coder][,key_quote]`,
//! each quote found in the document's current text. How a team brings in
//! coding done elsewhere, and how the sample study gets its coding.

use super::{CodingRequest, Project};
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What importing a codings CSV did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CodingsImport {
    pub applied: usize,
    /// Rows that did not fit, with the reason: "row 7: the quote is not in P03".
    pub rejected: Vec<String>,
}

struct Row {
    line: usize,
    document: String,
    code: String,
    quote: String,
    coder: Option<String>,
    key_quote: bool,
}

impl Project {
    /// Applies the codings of a CSV, one action per coder. Rows whose
    /// document, code or quote cannot be found are reported, not applied.
    pub fn import_codings_csv(&mut self, path: &Path) -> Result<CodingsImport> {
        let csv_err = |reason: String| Error::Csv {
            path: path.display().to_string(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| csv_err(e.to_string()))?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(bytes.as_slice());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| csv_err(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(doc_col), Some(code_col), Some(quote_col)) =
            (col("document"), col("code"), col("quote"))
        else {
            return Err(csv_err(
                "the header must name the columns document, code and quote (coder and key_quote are optional)".into(),
            ));
        };
        let (coder_col, key_col) = (col("coder"), col("key_quote"));
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| csv_err(e.to_string()))?;
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_owned();
            rows.push(Row {
                line: i + 2,
                document: get(Some(doc_col)),
                code: get(Some(code_col)),
                quote: crate::text::normalize(&get(Some(quote_col))),
                coder: Some(get(coder_col)).filter(|c| !c.is_empty()),
                key_quote: matches!(
                    get(key_col).to_lowercase().as_str(),
                    "yes" | "y" | "true" | "1"
                ),
            });
        }
        let mut report = CodingsImport::default();
        // coder → (code, document uuid, start, end, key quote)
        type Planned = (String, String, usize, usize, bool);
        let mut by_coder: BTreeMap<String, Vec<Planned>> = BTreeMap::new();
        let mut texts: BTreeMap<String, (String, String)> = BTreeMap::new();
        for r in &rows {
            let reject = |why: String| format!("row {}: {why}", r.line);
            if r.quote.is_empty() {
                report.rejected.push(reject("the quote is empty".into()));
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
                report.rejected.push(reject(e.to_string()));
                continue;
            }
            let Some(b) = text.find(&r.quote) else {
                report.rejected.push(reject(format!(
                    "the quote is not in {}: “{}”",
                    r.document,
                    r.quote.chars().take(60).collect::<String>()
                )));
                continue;
            };
            let start = text[..b].chars().count();
            let end = start + r.quote.chars().count();
            let coder = r.coder.clone().unwrap_or_else(|| self.actor.clone());
            by_coder.entry(coder).or_default().push((
                r.code.clone(),
                uuid.clone(),
                start,
                end,
                r.key_quote,
            ));
        }
        let me = self.actor.clone();
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (coder, reqs) in &by_coder {
            self.set_actor(coder);
            let requests: Vec<CodingRequest> = reqs
                .iter()
                .map(|(code, document, start, end, _)| CodingRequest {
                    code,
                    document,
                    start: *start,
                    end: *end,
                    version: None,
                })
                .collect();
            let result = self.add_codings(&requests, &format!("from {file}"));
            let uuids = match result {
                Ok(u) => u,
                Err(e) => {
                    self.set_actor(&me);
                    return Err(e);
                }
            };
            report.applied += uuids.len();
            for (uuid, (.., key)) in uuids.iter().zip(reqs) {
                if *key {
                    self.set_key_quote(uuid, true)?;
                }
            }
        }
        self.set_actor(&me);
        Ok(report)
    }
}
