//! Transcript corrections: a new text version, with every coding and story
//! excerpt re-anchored through a diff and verified against its quote and
//! context. What cannot be placed with certainty stays on the version it was
//! made on and goes to the review list; nothing is dropped silently.

use super::Project;
use crate::anchor::{Anchor, Placement, Reanchorer, context_of};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::import::{self, ParsedDocument};
use crate::model::ReviewItem;
use crate::store::{ChangeRecord, Store};
use crate::text::CharIndex;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// What a correction did.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionReport {
    pub document: String,
    pub old_version: i64,
    pub new_version: i64,
    /// Codings placed with certainty in the new text.
    pub codings_placed: usize,
    /// Codings sent to the review list.
    pub codings_to_review: usize,
    pub spans_placed: usize,
    pub spans_to_review: usize,
    /// Items waiting from earlier corrections that this one could place.
    pub earlier_items_placed: usize,
    pub turns: usize,
    /// Speaker labels the corrected text introduced.
    pub new_speakers: Vec<String>,
    /// A line about the size of the change.
    pub diff: String,
}

/// How a person settles a review item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Take the proposed place.
    Accept,
    /// Place it at this char range of the current text.
    Place { start: usize, end: usize },
    /// Remove the coding (or drop the excerpt span); undo brings it back.
    Remove,
}

/// One anchored thing to carry over: a coding or a story span.
struct Carried {
    kind: &'static str,
    /// Coding uuid, or the span's row id.
    item: String,
    row_id: i64,
    anchor: Anchor,
    /// The open review item it already has, if any.
    review_id: Option<i64>,
}

/// Where each carried thing goes.
enum Outcome {
    Place(usize, usize, String, (String, String)),
    Review(String, Option<(usize, usize)>),
}

impl Project {
    /// Replaces a document's text with the corrected file (any importable
    /// format); see the module documentation.
    pub fn correct_document(&mut self, document: &str, file: &Path) -> Result<CorrectionReport> {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string());
        let size = std::fs::metadata(file)
            .map_err(|e| Error::Import {
                file: name.clone(),
                problem: e.into(),
            })?
            .len();
        if size > import::MAX_FILE_BYTES {
            return Err(Error::Import {
                file: name,
                problem: crate::ImportError::TooLarge {
                    size,
                    limit: import::MAX_FILE_BYTES,
                },
            });
        }
        let bytes = std::fs::read(file).map_err(|e| Error::Import {
            file: name.clone(),
            problem: e.into(),
        })?;
        self.correct_document_bytes(document, &name, &bytes)
    }

    /// Like [`Project::correct_document`] for bytes named `name` (its extension picks the format).
    pub fn correct_document_bytes(
        &mut self,
        document: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<CorrectionReport> {
        let parsed = import::parse(name, bytes).map_err(|problem| Error::Import {
            file: name.to_owned(),
            problem,
        })?;
        self.apply_correction(document, name, parsed)
    }

    /// Corrects a document from plain text (speaker labels as in a .txt file).
    pub fn correct_document_text(
        &mut self,
        document: &str,
        text: &str,
    ) -> Result<CorrectionReport> {
        self.correct_document_bytes(document, "correction.txt", text.as_bytes())
    }

    fn apply_correction(
        &mut self,
        document: &str,
        source: &str,
        parsed: ParsedDocument,
    ) -> Result<CorrectionReport> {
        let (doc_id, _, doc_name) = self.store.find_document(document)?;
        let cv = self.store.current_version(doc_id)?;
        if cv.text == parsed.text {
            return Err(Error::Invalid(format!(
                "{source}: the text is the same as the current text of {doc_name}; nothing to correct"
            )));
        }
        let carried = self.carried_anchors(doc_id, cv.version_id)?;
        let outcomes = place_all(&self.store, &carried, cv.version_id, &cv.text, &parsed.text)?;
        let diff = Reanchorer::new(&cv.text, &parsed.text).stats().to_string();
        let new_version = cv.version + 1;
        let actor = self.actor.clone();
        let mut report = CorrectionReport {
            document: doc_name.clone(),
            old_version: cv.version,
            new_version,
            codings_placed: 0,
            codings_to_review: 0,
            spans_placed: 0,
            spans_to_review: 0,
            earlier_items_placed: 0,
            turns: parsed.turns.len(),
            new_speakers: vec![],
            diff,
        };
        for (c, o) in carried.iter().zip(&outcomes) {
            let placed = matches!(o, Outcome::Place(..));
            match (c.kind, placed, c.review_id.is_some()) {
                (_, true, true) => report.earlier_items_placed += 1,
                ("coding", true, false) => report.codings_placed += 1,
                ("coding", false, false) => report.codings_to_review += 1,
                (_, true, false) => report.spans_placed += 1,
                (_, false, false) => report.spans_to_review += 1,
                _ => {}
            }
        }
        let summary = format!(
            "corrected {doc_name} (version {} → {new_version}): {} codings re-anchored, {} to review",
            cv.version, report.codings_placed, report.codings_to_review
        );
        let new_speakers = self.store.change(
            |_: &Vec<String>| ChangeRecord {
                actor: actor.clone(),
                command: "correct",
                summary,
                forward: json!({ "document": cv.document_uuid, "version": new_version, "source": source }),
            },
            |tx| {
                // Speakers are kept by label, so roles and participant links survive.
                let known: HashMap<String, i64> = Store::speaker_ids(tx, doc_id)?
                    .into_iter()
                    .map(|(id, label)| (label, id))
                    .collect();
                let mut speaker_ids = Vec::new();
                let mut added = Vec::new();
                for s in &parsed.speakers {
                    match known.get(&s.label) {
                        Some(id) => speaker_ids.push(*id),
                        None => {
                            speaker_ids.push(Store::insert_speaker(tx, doc_id, &s.label, s.role)?);
                            added.push(s.label.clone());
                        }
                    }
                }
                let note = format!("corrected from {source}");
                let version_id =
                    Store::insert_version(tx, doc_id, new_version, &note, &parsed, &speaker_ids)?;
                Store::set_current_version(tx, doc_id, new_version)?;
                for (c, o) in carried.iter().zip(&outcomes) {
                    match o {
                        Outcome::Place(s, e, quote, ctx) => {
                            if c.kind == "coding" {
                                Store::place_coding(tx, c.row_id, version_id, *s, *e, quote, (&ctx.0, &ctx.1))?;
                            } else {
                                Store::place_span(tx, c.row_id, version_id, *s, *e, quote)?;
                            }
                            if let Some(r) = c.review_id {
                                Store::resolve_review_item(tx, r)?;
                            }
                        }
                        Outcome::Review(reason, proposal) => match c.review_id {
                            Some(r) => Store::update_review_item(tx, r, reason, *proposal)?,
                            None => Store::insert_review_item(
                                tx, doc_id, c.kind, &c.item, reason, *proposal,
                            )?,
                        },
                    }
                }
                Ok::<_, crate::Error>(added)
            },
        )?;
        report.new_speakers = new_speakers;
        Ok(report)
    }

    /// Codings and story spans on the current version, plus those still
    /// waiting in the review list from earlier corrections.
    fn carried_anchors(&self, doc_id: DocumentId, version_id: i64) -> Result<Vec<Carried>> {
        let mut out = Vec::new();
        for c in self.store.coding_anchors(version_id)? {
            out.push(Carried {
                kind: "coding",
                item: c.uuid,
                row_id: c.id,
                anchor: Anchor {
                    start: c.start,
                    end: c.end,
                    quote: c.quote,
                    context_before: c.context_before,
                    context_after: c.context_after,
                },
                review_id: None,
            });
        }
        let text = self.store.version_text(version_id)?;
        for s in self.store.span_anchors(version_id)? {
            let (before, after) = context_of(&text, s.start, s.end);
            out.push(Carried {
                kind: "story_span",
                item: s.id.to_string(),
                row_id: s.id,
                anchor: Anchor {
                    start: s.start,
                    end: s.end,
                    quote: s.quote,
                    context_before: before,
                    context_after: after,
                },
                review_id: None,
            });
        }
        for r in self.store.review_rows(Some(doc_id), false)? {
            if let Some(c) = self.waiting_anchor(&r)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The anchor of an open review item, on the version it was made on.
    fn waiting_anchor(&self, r: &crate::store::review::ReviewRow) -> Result<Option<Carried>> {
        let found = if r.kind == "coding" {
            let Some((id, version_id, _, _)) = self.store.coding_brief(&r.item_uuid)? else {
                return Ok(None);
            };
            self.store
                .coding_anchors(version_id)?
                .into_iter()
                .find(|a| a.id == id)
                .map(|a| {
                    (
                        id,
                        "coding",
                        Anchor {
                            start: a.start,
                            end: a.end,
                            quote: a.quote,
                            context_before: a.context_before,
                            context_after: a.context_after,
                        },
                    )
                })
        } else {
            let Ok(id) = r.item_uuid.parse::<i64>() else {
                return Ok(None);
            };
            let Some((version_id, _)) = self.store.span_brief(id)? else {
                return Ok(None);
            };
            self.store
                .span_anchors(version_id)?
                .into_iter()
                .find(|a| a.id == id)
                .map(|a| {
                    (
                        id,
                        "story_span",
                        Anchor {
                            start: a.start,
                            end: a.end,
                            quote: a.quote,
                            context_before: String::new(),
                            context_after: String::new(),
                        },
                    )
                })
        };
        Ok(found.map(|(row_id, kind, anchor)| Carried {
            kind,
            item: r.item_uuid.clone(),
            row_id,
            anchor,
            review_id: Some(r.id),
        }))
    }

    /// The review list: anchors waiting for a person (open ones unless `all`).
    pub fn review_items(&self, all: bool) -> Result<Vec<ReviewItem>> {
        let mut texts: HashMap<DocumentId, (String, String, String)> = HashMap::new();
        let mut out = Vec::new();
        for r in self.store.review_rows(None, all)? {
            if let std::collections::hash_map::Entry::Vacant(e) = texts.entry(r.document_id) {
                let cv = self.store.current_version(r.document_id)?;
                e.insert((cv.document_uuid, cv.document_name, cv.text));
            }
            let (doc_uuid, doc_name, text) = &texts[&r.document_id];
            let (label, quote) = match r.kind.as_str() {
                "coding" => match self.store.coding_brief(&r.item_uuid)? {
                    Some((_, _, code, quote)) => (format!("coding '{code}'"), quote),
                    None => ("coding (gone)".into(), String::new()),
                },
                _ => {
                    let quote = r
                        .item_uuid
                        .parse::<i64>()
                        .ok()
                        .and_then(|id| self.store.span_brief(id).ok().flatten())
                        .map(|(_, q)| q)
                        .unwrap_or_default();
                    ("story excerpt".into(), quote)
                }
            };
            let ix = CharIndex::new(text);
            out.push(ReviewItem {
                uuid: r.uuid,
                document: doc_uuid.clone(),
                document_name: doc_name.clone(),
                kind: r.kind,
                item: r.item_uuid,
                label,
                quote,
                reason: r.reason,
                proposal: r.proposal,
                proposal_text: r
                    .proposal
                    .and_then(|(s, e)| ix.slice(s, e).map(str::to_owned)),
                resolved: r.resolved,
            });
        }
        Ok(out)
    }

    /// Settles a review item: accept its proposal, place it, or remove it.
    pub fn resolve_review(&mut self, key: &str, resolution: Resolution) -> Result<()> {
        let r = self.store.find_review_item(key)?;
        let cv = self.store.current_version(r.document_id)?;
        let chars = crate::text::char_len(&cv.text);
        let target = match resolution {
            Resolution::Accept => Some(r.proposal.ok_or_else(|| {
                Error::Invalid("this item has no proposed place: place it or remove it".into())
            })?),
            Resolution::Place { start, end } => Some((start, end)),
            Resolution::Remove => None,
        };
        if let Some((s, e)) = target
            && (s >= e || e > chars)
        {
            return Err(Error::OutOfRange {
                document: cv.document_name,
                start: s,
                end: e,
                chars,
            });
        }
        let ix = CharIndex::new(&cv.text);
        let row_id = match r.kind.as_str() {
            "coding" => self
                .store
                .coding_brief(&r.item_uuid)?
                .map(|c| c.0)
                .ok_or_else(|| Error::UnknownCoding(r.item_uuid.clone()))?,
            _ => r
                .item_uuid
                .parse::<i64>()
                .map_err(|_| Error::Invalid(format!("review item {} is malformed", r.uuid)))?,
        };
        let what = match target {
            Some((s, e)) => format!("placed at {s}..{e}"),
            None => "removed".to_owned(),
        };
        let doc_name = cv.document_name.clone();
        self.simple_change(
            "review",
            format!(
                "review item in {doc_name}: {} {what}",
                r.kind.replace('_', " ")
            ),
            json!({ "item": r.uuid, "resolution": what }),
            |tx| {
                match (target, r.kind.as_str()) {
                    (Some((s, e)), kind) => {
                        let quote = ix.slice(s, e).unwrap_or_default();
                        if kind == "coding" {
                            let (before, after) = context_of(&cv.text, s, e);
                            Store::place_coding(
                                tx,
                                row_id,
                                cv.version_id,
                                s,
                                e,
                                quote,
                                (&before, &after),
                            )?;
                        } else {
                            Store::place_span(tx, row_id, cv.version_id, s, e, quote)?;
                        }
                    }
                    (None, "coding") => Store::delete_coding(tx, row_id)?,
                    (None, _) => Store::delete_story_span(tx, row_id)?,
                }
                Ok(Store::resolve_review_item(tx, r.id)?)
            },
        )
    }
}

/// Places every carried anchor in the new text. Anchors on older versions
/// (waiting review items) get a diff of their own version.
fn place_all(
    store: &Store,
    carried: &[Carried],
    current_version: i64,
    current_text: &str,
    new_text: &str,
) -> Result<Vec<Outcome>> {
    let current = Reanchorer::new(current_text, new_text);
    let mut older: HashMap<i64, Reanchorer> = HashMap::new();
    let ix = CharIndex::new(new_text);
    let mut out = Vec::with_capacity(carried.len());
    for c in carried {
        let version = if c.review_id.is_some() {
            waiting_version(store, c)?
        } else {
            current_version
        };
        let placement = if version == current_version {
            current.place(&c.anchor)
        } else {
            if let std::collections::hash_map::Entry::Vacant(e) = older.entry(version) {
                let text = store.version_text(version)?;
                e.insert(Reanchorer::new(&text, new_text));
            }
            older[&version].place(&c.anchor)
        };
        out.push(match placement {
            Placement::Certain { start, end } => Outcome::Place(
                start,
                end,
                ix.slice(start, end).unwrap_or_default().to_owned(),
                context_of(new_text, start, end),
            ),
            Placement::Uncertain { proposal, reason } => Outcome::Review(reason, proposal),
        });
    }
    Ok(out)
}

fn waiting_version(store: &Store, c: &Carried) -> Result<i64> {
    Ok(if c.kind == "coding" {
        store.coding_brief(&c.item)?.map_or(-1, |b| b.1)
    } else {
        store.span_brief(c.row_id)?.map_or(-1, |b| b.0)
    })
}
