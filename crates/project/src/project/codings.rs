//! Applying codes to text: codings, in-vivo codes, key quotes.

use super::{CODE_PALETTE, Project};
use crate::anchor::context_of;
use crate::error::{Error, Result};
use crate::ids::CodeId;
use crate::model::Coding;
use crate::store::codings::{CodingCount, CodingFilter, CurrentVersion, NewCoding};
use crate::store::{ChangeRecord, Store};
use crate::text::CharIndex;
use serde_json::json;

/// A request to code a range of a document.
#[derive(Debug, Clone)]
pub struct CodingRequest<'a> {
    /// Code uuid, path or unique name.
    pub code: &'a str,
    /// Document uuid, name or stem.
    pub document: &'a str,
    /// Char range in the document's current text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// The text version the range was taken from; a newer text refuses the request.
    pub version: Option<i64>,
}

/// Longest name an in-vivo code gets from the selected words.
const IN_VIVO_MAX_CHARS: usize = 60;

impl Project {
    /// Applies a code to a range. The same coder coding the same range with
    /// the same code again changes nothing and returns the existing coding.
    pub fn add_coding(&mut self, req: &CodingRequest) -> Result<String> {
        let code_id = self.store.find_code(req.code)?;
        let code_name = self.store.code_row(code_id)?.name;
        self.refuse_category(code_id, &code_name)?;
        let cv = self.checked_version(req.document, req.version, req.start, req.end)?;
        let coder = self.actor.clone();
        let ix = CharIndex::new(&cv.text);
        let quote = ix.slice(req.start, req.end).unwrap_or_default().to_owned();
        let (before, after) = context_of(&cv.text, req.start, req.end);
        let new = NewCoding {
            code_id,
            version_id: cv.version_id,
            start: req.start,
            end: req.end,
            coder: &coder,
            quote: &quote,
            context_before: &before,
            context_after: &after,
            key_quote: false,
        };
        if let Some(existing) = self.existing_coding(&new)? {
            return Ok(existing);
        }
        let shown = short(&quote);
        let doc_name = cv.document_name.clone();
        let (_, uuid, _) = self.store.change(
            |(_, uuid, _): &(i64, String, bool)| ChangeRecord {
                actor: coder.clone(),
                command: "code",
                summary: format!("coded “{shown}” in {doc_name} as '{code_name}'"),
                forward: json!({ "coding": uuid, "code": code_id, "start": req.start, "end": req.end }),
            },
            |tx| Store::insert_coding(tx, &new),
        )?;
        Ok(uuid)
    }

    /// A category (made so by a user, or imported as `isCodable="false"`)
    /// takes no coding: the message says what to do instead.
    pub(crate) fn refuse_category(&self, code_id: CodeId, name: &str) -> Result<()> {
        if self.store.code_codable(code_id)? {
            return Ok(());
        }
        Err(crate::error::Error::Refused(format!(
            "'{name}' is a category, not a code you can apply: code with one of the codes under it (or make it codable again: `storyloom code set PROJECT '{name}' --codable`, or untick Category in the code's details)"
        )))
    }

    /// Applies many codings as one action (auto-coding search hits, an
    /// import from another tool): all are checked first, then stored in one
    /// transaction with one history entry. Duplicates are skipped. Returns
    /// the uuids, in request order.
    pub fn add_codings(&mut self, requests: &[CodingRequest], why: &str) -> Result<Vec<String>> {
        let mut versions: std::collections::HashMap<String, CurrentVersion> =
            std::collections::HashMap::new();
        let mut code_ids: std::collections::HashMap<&str, CodeId> =
            std::collections::HashMap::new();
        let mut rows = Vec::with_capacity(requests.len());
        for (i, req) in requests.iter().enumerate() {
            let code_id = match code_ids.get(req.code) {
                Some(id) => *id,
                None => {
                    let id = self.store.find_code(req.code)?;
                    self.refuse_category(id, &self.store.code_row(id)?.name)?;
                    code_ids.insert(req.code, id);
                    id
                }
            };
            if !versions.contains_key(req.document) {
                let (doc_id, _, _) = self.store.find_document(req.document)?;
                versions.insert(req.document.to_owned(), self.store.current_version(doc_id)?);
            }
            let cv = &versions[req.document];
            let chars = crate::text::char_len(&cv.text);
            if req.start >= req.end || req.end > chars {
                return Err(Error::Invalid(format!(
                    "coding {} of {}: {}",
                    i + 1,
                    requests.len(),
                    Error::OutOfRange {
                        document: cv.document_name.clone(),
                        start: req.start,
                        end: req.end,
                        chars
                    }
                )));
            }
            if let Some(v) = req.version
                && v != cv.version
            {
                return Err(Error::StaleVersion {
                    document: cv.document_name.clone(),
                    given: v,
                    current: cv.version,
                });
            }
            rows.push((code_id, req.document, req.start, req.end));
        }
        let coder = self.actor.clone();
        let n = rows.len();
        let why = why.to_owned();
        self.store.change(
            |uuids: &Vec<String>| ChangeRecord {
                actor: coder.clone(),
                command: "code_many",
                summary: format!("{} codings ({why})", uuids.len()),
                forward: json!({ "codings": n }),
            },
            |tx| {
                let indexes: std::collections::HashMap<&str, CharIndex> = versions
                    .iter()
                    .map(|(k, v)| (k.as_str(), CharIndex::new(&v.text)))
                    .collect();
                let mut out = Vec::with_capacity(n);
                for (code_id, doc, start, end) in &rows {
                    let cv = &versions[*doc];
                    let ix = &indexes[*doc];
                    let quote = ix.slice(*start, *end).unwrap_or_default();
                    let (before, after) = context_in(ix, *start, *end);
                    let (_, uuid, _) = Store::insert_coding(
                        tx,
                        &NewCoding {
                            code_id: *code_id,
                            version_id: cv.version_id,
                            start: *start,
                            end: *end,
                            coder: &coder,
                            quote,
                            context_before: &before,
                            context_after: &after,
                            key_quote: false,
                        },
                    )?;
                    out.push(uuid);
                }
                Ok(out)
            },
        )
    }

    /// In-vivo coding: a new code named from the selected words (under
    /// `parent` when given), applied to them, as one action. Returns (code uuid, coding uuid).
    pub fn code_in_vivo(
        &mut self,
        document: &str,
        start: usize,
        end: usize,
        parent: Option<&str>,
    ) -> Result<(String, String)> {
        let cv = self.checked_version(document, None, start, end)?;
        let ix = CharIndex::new(&cv.text);
        let quote = ix.slice(start, end).unwrap_or_default().to_owned();
        let name = in_vivo_name(&quote).ok_or_else(|| {
            Error::Invalid("the selection has no words to name a code after".into())
        })?;
        let parent_id = parent.map(|p| self.store.find_code(p)).transpose()?;
        let color = CODE_PALETTE[self.store.codes()?.len() % CODE_PALETTE.len()];
        let coder = self.actor.clone();
        let (before, after) = context_of(&cv.text, start, end);
        let doc_name = cv.document_name.clone();
        let (code_uuid, coding_uuid) = self.store.change(
            |(code, coding): &(String, String)| ChangeRecord {
                actor: coder.clone(),
                command: "code_in_vivo",
                summary: format!("in-vivo code '{name}' from {doc_name}"),
                forward: json!({ "code": code, "coding": coding }),
            },
            |tx| {
                let (code_id, code_uuid) = Store::insert_code(tx, parent_id, &name, color)?;
                let (_, coding_uuid, _) = Store::insert_coding(
                    tx,
                    &NewCoding {
                        code_id,
                        version_id: cv.version_id,
                        start,
                        end,
                        coder: &coder,
                        quote: &quote,
                        context_before: &before,
                        context_after: &after,
                        key_quote: false,
                    },
                )?;
                Ok::<_, crate::Error>((code_uuid, coding_uuid))
            },
        )?;
        Ok((code_uuid, coding_uuid))
    }

    /// Removes a coding (undo brings it back).
    pub fn remove_coding(&mut self, key: &str) -> Result<()> {
        let (id, _) = self.store.find_coding(key)?;
        let c = self.store.coding(id)?;
        self.simple_change(
            "uncode",
            format!(
                "removed '{}' from “{}” in {}",
                c.code_path,
                short(&c.quote),
                c.document_name
            ),
            json!({ "remove_coding": c.uuid }),
            |tx| Ok(Store::delete_coding(tx, id)?),
        )
    }

    /// Moves a coding to another code: same text, range and coder. When
    /// that coder already has the other code on exactly that range, this
    /// coding is removed instead (the two become one).
    pub fn recode_coding(&mut self, key: &str, code: &str) -> Result<()> {
        let (id, version_id) = self.store.find_coding(key)?;
        let c = self.store.coding(id)?;
        let code_id = self.store.find_code(code)?;
        let target = self.store.code_row(code_id)?;
        self.refuse_category(code_id, &target.name)?;
        if target.uuid == c.code {
            return Ok(());
        }
        let duplicate = self
            .store
            .duplicate_of(&NewCoding {
                code_id,
                version_id,
                start: c.start,
                end: c.end,
                coder: &c.coder,
                quote: "",
                context_before: "",
                context_after: "",
                key_quote: false,
            })?
            .is_some();
        self.simple_change(
            "recode",
            format!(
                "moved “{}” in {} from '{}' to '{}'",
                short(&c.quote),
                c.document_name,
                c.code_path,
                target.name
            ),
            json!({ "coding": c.uuid, "code": target.uuid }),
            |tx| {
                if duplicate {
                    Store::delete_coding(tx, id)?;
                } else {
                    Store::set_coding_code(tx, id, code_id)?;
                }
                Ok(())
            },
        )
    }

    /// Moves a coding's edges to a new range of the same document.
    pub fn resize_coding(&mut self, key: &str, start: usize, end: usize) -> Result<()> {
        // The coding, its text and the duplicate check are read inside the change.
        self.change_within("resize_coding", |tx, this| {
            let (id, version_id) = this.store.find_coding(key)?;
            let c = this.store.coding(id)?;
            let cv = this.checked_version(&c.document, Some(c.version), start, end)?;
            if cv.version_id != version_id {
                return Err(Error::Invalid(
                    "this coding waits in the review list since a correction; place it there first"
                        .into(),
                ));
            }
            if this.store.coding_duplicate(id, version_id, start, end)? {
                return Err(Error::Invalid(format!(
                    "{} already has this code on exactly that range",
                    c.coder
                )));
            }
            let ix = CharIndex::new(&cv.text);
            let quote = ix.slice(start, end).unwrap_or_default().to_owned();
            let (before, after) = context_of(&cv.text, start, end);
            Store::place_coding(tx, id, version_id, start, end, &quote, (&before, &after))?;
            Ok(Some((
                (),
                (
                    format!(
                        "resized '{}' in {}: {}..{} → {start}..{end}",
                        c.code_path, c.document_name, c.start, c.end
                    ),
                    json!({ "coding": c.uuid, "start": start, "end": end }),
                ),
            )))
        })
        .map(drop)
    }

    /// Flags (or unflags) a coding as a key quote, for stories and reports.
    pub fn set_key_quote(&mut self, key: &str, key_quote: bool) -> Result<()> {
        let (id, _) = self.store.find_coding(key)?;
        let c = self.store.coding(id)?;
        if c.key_quote == key_quote {
            return Ok(());
        }
        let verb = if key_quote { "marked" } else { "unmarked" };
        self.simple_change(
            "key_quote",
            format!("{verb} “{}” as a key quote", short(&c.quote)),
            json!({ "coding": c.uuid, "key_quote": key_quote }),
            |tx| Ok(Store::set_key_quote(tx, id, key_quote)?),
        )
    }

    /// One coding by uuid (or 8+ character prefix).
    pub fn coding(&self, key: &str) -> Result<Coding> {
        let (id, _) = self.store.find_coding(key)?;
        Ok(self.store.coding(id)?)
    }

    /// Codings on current texts, optionally of one code (with its sub-codes),
    /// one document, one coder.
    pub fn codings(
        &self,
        code: Option<&str>,
        document: Option<&str>,
        coder: Option<&str>,
    ) -> Result<Vec<Coding>> {
        let code_ids = code
            .map(|c| {
                let id = self.store.find_code(c)?;
                self.store.code_and_descendants(id)
            })
            .transpose()?;
        let document_id = document
            .map(|d| self.store.find_document(d).map(|(id, _, _)| id))
            .transpose()?;
        Ok(self.store.codings(&CodingFilter {
            code_ids,
            document_id,
            coder: coder.map(str::to_owned),
        })?)
    }

    /// How many codings each used code has, and in how many documents; of
    /// one document when given. Codes without codings are left out. A
    /// grouped count in the database: cheap to call after every change
    /// (the codebook's counts); [`Project::code_counts`] adds participants.
    pub fn coding_counts(&self, document: Option<&str>) -> Result<Vec<CodingCount>> {
        self.coding_counts_by(document, None)
    }

    /// Like [`Project::coding_counts`], counting only one coder's codings
    /// when given (blind mode: the codebook counts only your own).
    pub fn coding_counts_by(
        &self,
        document: Option<&str>,
        coder: Option<&str>,
    ) -> Result<Vec<CodingCount>> {
        let document_id = document
            .map(|d| self.store.find_document(d).map(|(id, _, _)| id))
            .transpose()?;
        Ok(self.store.coding_counts(document_id, coder)?)
    }

    /// Codings of a document that cover a char position (the inspector's list).
    pub fn codings_at(&self, document: &str, position: usize) -> Result<Vec<Coding>> {
        Ok(self
            .codings(None, Some(document), None)?
            .into_iter()
            .filter(|c| c.start <= position && position < c.end)
            .collect())
    }

    /// The coders with codings in the project.
    pub fn coders(&self) -> Result<Vec<String>> {
        Ok(self.store.coders()?)
    }

    /// The document's current version, after checking the range and version.
    fn checked_version(
        &self,
        document: &str,
        version: Option<i64>,
        start: usize,
        end: usize,
    ) -> Result<CurrentVersion> {
        let (doc_id, _, name) = self.store.find_document(document)?;
        let cv = self.store.current_version(doc_id)?;
        if let Some(v) = version
            && v != cv.version
        {
            return Err(Error::StaleVersion {
                document: name,
                given: v,
                current: cv.version,
            });
        }
        let chars = crate::text::char_len(&cv.text);
        if start >= end || end > chars {
            return Err(Error::OutOfRange {
                document: name,
                start,
                end,
                chars,
            });
        }
        let ix = CharIndex::new(&cv.text);
        if ix.slice(start, end).is_some_and(|s| s.trim().is_empty()) {
            return Err(Error::Invalid(format!(
                "{name}: the range {start}..{end} holds only spaces; select some words"
            )));
        }
        Ok(cv)
    }

    fn existing_coding(&self, new: &NewCoding) -> Result<Option<String>> {
        Ok(self.store.duplicate_of(new)?)
    }
}

/// A code name made from selected words: trimmed of punctuation at the
/// edges, whitespace collapsed, cut at a word boundary.
pub fn in_vivo_name(quote: &str) -> Option<String> {
    let words: Vec<&str> = quote.split_whitespace().collect();
    let mut name = String::new();
    for w in words {
        let next = if name.is_empty() {
            w.to_owned()
        } else {
            format!("{name} {w}")
        };
        if next.chars().count() > IN_VIVO_MAX_CHARS && !name.is_empty() {
            break;
        }
        name = next;
    }
    let name = name
        .trim_matches(|c: char| !c.is_alphanumeric())
        .replace('>', "-");
    let name: String = name.chars().take(IN_VIVO_MAX_CHARS).collect();
    if name.is_empty() { None } else { Some(name) }
}

/// The stored context of a range, through a prebuilt index (fast for batches).
pub(super) fn context_in(ix: &CharIndex, start: usize, end: usize) -> (String, String) {
    let n = ix.len_chars();
    let before = ix
        .slice(start.saturating_sub(crate::anchor::CONTEXT_CHARS), start)
        .unwrap_or_default();
    let after = ix
        .slice(end.min(n), (end + crate::anchor::CONTEXT_CHARS).min(n))
        .unwrap_or_default();
    (before.to_owned(), after.to_owned())
}

/// A quote shortened for a history line.
/// A quote short enough for a message.
fn short(quote: &str) -> String {
    storyloom_text::text::one_line(quote, 57)
}

#[cfg(test)]
mod tests {
    use super::in_vivo_name;

    #[test]
    fn in_vivo_names_come_from_the_words() {
        assert_eq!(
            in_vivo_name("  “a reason to get up”, she said").as_deref(),
            Some("a reason to get up”, she said")
        );
        assert_eq!(in_vivo_name("...").as_deref(), None);
        let long = "word ".repeat(40);
        assert!(in_vivo_name(&long).unwrap().chars().count() <= 60);
    }
}
