//! The tags a transcript table gives its rows, applied as codings inside the
//! document's own import transaction: a tag names a code by name or path
//! (`Why it matters > Belonging`); a code the codebook lacks is created. Undoing
//! the import hides the document and takes these codings and new codes back too.

use super::CODE_PALETTE;
use crate::error::Result;
use crate::ids::{CodeId, DocumentId};
use crate::import::ParsedDocument;
use crate::import::codebook::CodeSpec;
use crate::store::codebook::find_code_in;
use crate::store::codings::NewCoding;
use crate::store::{RowChange, Store, Tx};
use crate::text::CharIndex;
use serde_json::json;
use std::collections::BTreeMap;

/// What the tags of one document did.
#[derive(Debug, Default)]
pub(super) struct TagsApplied {
    pub codings: Vec<i64>,
    /// Row id and path of each code created.
    pub codes_created: Vec<(CodeId, String)>,
    /// Tags that could not be applied, and why.
    pub notes: Vec<String>,
}

impl TagsApplied {
    /// How undo takes these back: codings and new codes hidden.
    pub fn undo_rows(&self) -> Vec<RowChange> {
        let hide = |t: &str, id: i64| {
            RowChange::update(t, id, json!({"deleted": 1}), json!({"deleted": 0}))
        };
        self.codings
            .iter()
            .map(|id| hide("codings", *id))
            .chain(
                self.codes_created
                    .iter()
                    .map(|(id, _)| hide("codes", id.get())),
            )
            .collect()
    }

    /// One line for the import report.
    pub fn summary(&self) -> Option<String> {
        if self.codings.is_empty() && self.codes_created.is_empty() {
            return None;
        }
        let mut s = format!("{} codings from the file's tags", self.codings.len());
        if !self.codes_created.is_empty() {
            let names: Vec<&str> = self.codes_created.iter().map(|(_, p)| p.as_str()).collect();
            s.push_str(&format!(
                "; {} codes created: {}",
                names.len(),
                names.join(", ")
            ));
        }
        Some(s)
    }
}

/// Applies `parsed.tags` to the document just inserted, as `coder`.
pub(super) fn apply(
    tx: &Tx,
    document_id: DocumentId,
    parsed: &ParsedDocument,
    coder: &str,
) -> Result<TagsApplied> {
    let mut out = TagsApplied::default();
    if parsed.tags.is_empty() {
        return Ok(out);
    }
    let version = Store::current_version_in(tx, document_id)?;
    let ix = CharIndex::new(&version.text);
    let mut rows = Store::code_rows_in(tx)?;
    let mut ids: BTreeMap<String, Option<CodeId>> = BTreeMap::new();
    for tag in &parsed.tags {
        for name in &tag.codes {
            let code_id = match ids.entry(name.to_lowercase()) {
                std::collections::btree_map::Entry::Occupied(e) => *e.get(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    *e.insert(resolve(tx, &mut rows, name, &mut out)?)
                }
            };
            let Some(code_id) = code_id else {
                continue;
            };
            let quote = ix.slice(tag.start, tag.end).unwrap_or_default();
            let (before, after) = super::codings::context_in(&ix, tag.start, tag.end);
            let (id, _, new) = Store::insert_coding(
                tx,
                &NewCoding {
                    code_id,
                    version_id: version.version_id,
                    start: tag.start,
                    end: tag.end,
                    coder,
                    quote,
                    context_before: &before,
                    context_after: &after,
                    key_quote: false,
                },
            )?;
            if new {
                out.codings.push(id);
            }
        }
    }
    Ok(out)
}

/// The code a tag names, created when no code has that name or path. A
/// name several codes share is reported and not applied (which one was meant
/// is the researcher's call).
fn resolve(
    tx: &Tx,
    rows: &mut Vec<crate::store::codebook::CodeRow>,
    name: &str,
    out: &mut TagsApplied,
) -> Result<Option<CodeId>> {
    match find_code_in(rows, name) {
        Ok(id) => return Ok(Some(id)),
        Err(crate::store::Error::UnknownCode(_)) => {}
        Err(e) => {
            out.notes.push(format!("tag '{name}' not applied: {e}"));
            return Ok(None);
        }
    }
    let path: Vec<String> = name
        .split('>')
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    if path.is_empty() {
        return Ok(None);
    }
    let created = Store::write_codes(
        tx,
        &[CodeSpec {
            path: path.clone(),
            color: None,
            definition: String::new(),
            when_to_use: String::new(),
            when_not: String::new(),
        }],
        CODE_PALETTE,
    )?;
    *rows = Store::code_rows_in(tx)?;
    for p in created {
        let id = find_code_in(rows, &p)?;
        out.codes_created.push((id, p));
    }
    Ok(Some(find_code_in(rows, &path.join(" > "))?))
}

#[cfg(test)]
mod tests {
    use crate::Project;
    use crate::project::ImportOutcome;

    const TABLE: &str = "timestamp,speaker,words,tags
00:00:04,Ann,Can you tell me where you grew up?,
00:00:09,Rosa,\"In Leith, by the docks.\",\"Place; Family\"
00:00:31,,We had one room and I thought we were rich.,Why it matters > Belonging
00:01:02,Ann,What did you do after school?,
";

    #[test]
    fn tags_become_codings_in_the_import_and_leave_with_its_undo() {
        let dir = tempfile::tempdir().expect("dir");
        let mut p = Project::create(&dir.path().join("s.storyloom")).expect("project");
        p.create_code("Family", None, None).expect("code");
        p.create_code("Why it matters", None, None).expect("code");
        p.create_code("Belonging", Some("Why it matters"), None)
            .expect("code");
        let out = p
            .import_bytes("rosa.csv", TABLE.as_bytes())
            .expect("import");
        let ImportOutcome::Imported { notes, turns, .. } = out else {
            panic!("{out:?}")
        };
        assert_eq!(turns, 3);
        assert!(
            notes
                .iter()
                .any(|n| n == "3 codings from the file's tags; 1 codes created: Place"),
            "{notes:?}"
        );
        let codings = p.codings(None, None, None).expect("codings");
        let mut got: Vec<(String, String)> = codings
            .iter()
            .map(|c| (c.code_path.clone(), c.quote.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("Family".into(), "In Leith, by the docks.".into()),
                ("Place".into(), "In Leith, by the docks.".into()),
                (
                    "Why it matters > Belonging".into(),
                    "We had one room and I thought we were rich.".into()
                ),
            ]
        );
        assert_eq!(p.codes().expect("codes").len(), 4);
        // One undo takes the document, its codings and the code it made.
        p.undo().expect("undo");
        assert!(p.codings(None, None, None).expect("codings").is_empty());
        assert_eq!(p.codes().expect("codes").len(), 3);
        assert!(p.code("Place").is_err());
        p.redo().expect("redo");
        assert_eq!(p.codings(None, None, None).expect("codings").len(), 3);
        assert!(p.code("Place").is_ok());
    }
}
