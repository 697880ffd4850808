//! Applying what `storyloom_refi::read` read, inside the one change of a
//! REFI-QDA import: one method per section of the file, in the order the
//! sections depend on each other (codes before codings, documents before
//! speakers and codings, everything before the memos that point at it).

use super::Existing;
use crate::error::Result;
use crate::ids::{CodeId, ParticipantId, ThemeId};
use crate::model::{AttributeKind, Role, ThemeStatus};
use crate::project::{check_attribute_value, clean_color};
use crate::refi::read::{
    Read, case_ident, clean_code_name, description_line, speaks_as, split_theme_description,
    variable_kind,
};
use crate::refi::{RefiImportReport, markers};
use crate::store::codings::NewCoding;
use crate::store::{NewDocument, Store, Tx};
use crate::text::CharIndex;
use std::collections::{HashMap, HashSet};

mod codes;
mod memos;

/// A source as stored: the document its selections land on.
struct Stored {
    uuid: String,
    version_id: i64,
    text: String,
    /// (speaker id, label, role when the import guessed it now)
    speakers: Vec<(i64, String, Option<Role>)>,
    /// False when the document was corrected since: its selections are skipped.
    usable: bool,
    /// The file's text is the stored text with speaker labels written in:
    /// positions are mapped back through this.
    labels: Option<crate::refi::labels::LabelledText>,
}

/// The state of one import as it writes: what each section made, for the
/// sections after it.
pub(super) struct Writer<'a> {
    tx: &'a Tx<'a>,
    read: &'a Read,
    existing: &'a Existing,
    report: RefiImportReport,
    /// Code guid → (code id, uuid).
    code_ids: HashMap<String, (CodeId, String)>,
    /// Variable guid → (attribute id, name, kind, choices).
    attr_ids: HashMap<String, (i64, String, AttributeKind, Vec<String>)>,
    /// Case guid → (participant id, uuid, ident).
    cases: HashMap<String, (ParticipantId, String, String)>,
    /// Source index → the document it is stored as.
    stored: HashMap<usize, Stored>,
    /// Selection index → its first coding's uuid (for notes on the selection).
    coding_of_selection: HashMap<usize, String>,
    /// Coding guid → coding uuid.
    coding_uuid: HashMap<String, String>,
    /// Note guids of each coding (by coding uuid).
    coding_notes: Vec<(Vec<String>, String)>,
    /// Set guid → (theme id, uuid).
    theme_ids: HashMap<String, (ThemeId, String)>,
}

impl<'a> Writer<'a> {
    /// Writes everything `read` holds and returns the report.
    pub(super) fn write(
        tx: &'a Tx<'a>,
        read: &'a Read,
        existing: &'a Existing,
    ) -> Result<RefiImportReport> {
        let mut w = Writer {
            tx,
            read,
            existing,
            report: read.report.clone(),
            code_ids: HashMap::new(),
            attr_ids: HashMap::new(),
            cases: HashMap::new(),
            stored: HashMap::new(),
            coding_of_selection: HashMap::new(),
            coding_uuid: HashMap::new(),
            coding_notes: Vec::new(),
            theme_ids: HashMap::new(),
        };
        w.codes()?;
        w.attributes()?;
        w.participants()?;
        w.documents()?;
        w.speakers()?;
        w.codings()?;
        w.themes()?;
        w.memos()?;
        w.comments()?;
        Ok(w.report)
    }

    /// Defines the variables as attributes (choices gathered from the cases).
    fn attributes(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        for v in &q.variables {
            if v.name.is_empty() || v.guid.is_empty() {
                continue;
            }
            if let Some((id, kind, choices)) = self.existing.attributes.get(&v.name.to_lowercase())
            {
                self.attr_ids.insert(
                    v.guid.clone(),
                    (*id, v.name.clone(), *kind, choices.clone()),
                );
                continue;
            }
            // Two variables of one name in the file: the second shares the first.
            if let Some(first) = self
                .attr_ids
                .values()
                .find(|(_, n, _, _)| n.eq_ignore_ascii_case(&v.name))
                .cloned()
            {
                self.attr_ids.insert(v.guid.clone(), first);
                continue;
            }
            let (kind, mut choices) = variable_kind(v);
            if kind == AttributeKind::Choice {
                for c in &q.cases {
                    for (g, val) in &c.values {
                        if g == &v.guid
                            && !val.is_empty()
                            && !choices.iter().any(|x| x.eq_ignore_ascii_case(val))
                        {
                            choices.push(val.clone());
                        }
                    }
                }
            }
            let id = Store::define_attribute(tx, &v.name, kind, &choices)?;
            self.report.attributes.push(v.name.clone());
            self.attr_ids
                .insert(v.guid.clone(), (id, v.name.clone(), kind, choices));
        }
        Ok(())
    }

    /// Creates or updates a participant per case, with its attribute values.
    fn participants(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        // case guid → (participant row id, uuid, ident)
        for (ci, c) in q.cases.iter().enumerate() {
            tx.breathe()?;
            let ident = case_ident(c, ci);
            let pseudonym = description_line(&c.description, markers::PSEUDONYM);
            let (pid, uuid) = match self.existing.participants.get(&ident.to_lowercase()) {
                Some((id, uuid)) => {
                    self.report.participants_updated.push(ident.clone());
                    (*id, uuid.clone())
                }
                None => {
                    if let Some((id, uuid, _)) = self
                        .cases
                        .values()
                        .find(|(_, _, i)| i.eq_ignore_ascii_case(&ident))
                        .cloned()
                    {
                        self.report.notes.push(format!(
                            "two cases named '{ident}': the second merged into the first"
                        ));
                        self.cases.insert(c.guid.clone(), (id, uuid, ident.clone()));
                        continue;
                    }
                    let (id, uuid) =
                        Store::insert_participant(tx, &ident, None, pseudonym.as_deref())?;
                    self.report.participants_created.push(ident.clone());
                    (id, uuid)
                }
            };
            for (var, value) in &c.values {
                let Some((aid, aname, kind, choices)) = self.attr_ids.get(var) else {
                    continue;
                };
                if value.is_empty() {
                    continue;
                }
                // A DateTime value keeps its date.
                let value = if *kind == AttributeKind::Date {
                    value.chars().take(10).collect()
                } else {
                    value.clone()
                };
                match check_attribute_value(aname, *kind, choices, &value) {
                    Ok(v) => Store::set_attribute_value(tx, pid, *aid, Some(&v))?,
                    Err(e) => self
                        .report
                        .notes
                        .push(format!("{ident}: {e}; value not set")),
                }
            }
            self.cases.insert(c.guid.clone(), (pid, uuid, ident));
        }
        Ok(())
    }

    /// Stores each text source as a document, or finds it already there.
    fn documents(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        for (si, p) in read.sources.iter().enumerate() {
            tx.breathe()?;
            let Some(p) = p else { continue };
            let known = &self.existing.sources[si];
            if let Some(first) = known.alias_of {
                if let Some(s) = self.stored.get(&first) {
                    let again = Stored {
                        uuid: s.uuid.clone(),
                        version_id: s.version_id,
                        text: s.text.clone(),
                        speakers: s.speakers.clone(),
                        usable: s.usable,
                        labels: s.labels.clone(),
                    };
                    self.report.notes.push(format!(
                        "{} has the same text as an earlier source; its selections go to that document",
                        p.name
                    ));
                    self.stored.insert(si, again);
                }
                continue;
            }
            let (doc_id, speakers) = match &known.document {
                Some((id, name, hidden)) => {
                    if *hidden {
                        Store::set_document_hidden(tx, *id, false)?;
                    }
                    self.report.documents_existing.push(name.clone());
                    let speakers = Store::speaker_ids(tx, *id)?
                        .into_iter()
                        .map(|(id, label)| (id, label, None))
                        .collect();
                    (*id, speakers)
                }
                None => {
                    // The source's GUID is kept: a later export names it alike.
                    let inserted = Store::insert_document_as(
                        tx,
                        &NewDocument {
                            name: &p.name,
                            source_path: None,
                            sha256: &known.sha,
                            bytes: &p.bytes,
                            parsed: &p.parsed,
                        },
                        Some(&read.qde.sources[si].guid),
                    )?;
                    self.report.documents_created.push(p.name.clone());
                    let speakers = inserted
                        .speaker_ids
                        .iter()
                        .zip(&p.parsed.speakers)
                        .map(|(id, s)| (*id, s.label.clone(), Some(s.role)))
                        .collect();
                    (inserted.id, speakers)
                }
            };
            let cv = Store::current_version_in(tx, doc_id)?;
            let labels = known
                .labels
                .as_ref()
                .filter(|(stored, _)| *stored == cv.text && cv.text != p.parsed.text)
                .map(|(_, l)| l.clone());
            if labels.is_some() {
                self.report.notes.push(format!(
                    "{}: its text is the document's with speaker labels written in; its selections were placed on the document's text without them",
                    cv.document_name
                ));
            }
            let usable = cv.text == p.parsed.text || labels.is_some();
            if !usable {
                self.report.notes.push(format!(
                    "{}: the document in the project was corrected since this file was imported; its selections are skipped",
                    cv.document_name
                ));
            }
            self.stored.insert(
                si,
                Stored {
                    uuid: cv.document_uuid,
                    version_id: cv.version_id,
                    text: cv.text,
                    speakers,
                    usable,
                    labels,
                },
            );
        }
        Ok(())
    }

    /// Links the speakers each case speaks as to its participant.
    fn speakers(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        let source_doc: HashMap<&str, usize> = q
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.guid.as_str(), i))
            .collect();
        let mut linked_speakers: HashSet<i64> = HashSet::new();
        for c in &q.cases {
            let Some((pid, _, ident)) = self.cases.get(&c.guid).cloned() else {
                continue;
            };
            let hints = speaks_as(&c.description);
            for src in &c.sources {
                let Some(si) = source_doc.get(src.as_str()) else {
                    continue;
                };
                let Some(doc) = self.stored.get(si) else {
                    continue;
                };
                let doc_name = read.sources[*si]
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let labels: Vec<&str> = hints
                    .iter()
                    .filter(|(_, d)| d.is_empty() || *d == doc_name)
                    .map(|(l, _)| l.as_str())
                    .collect();
                let free: Vec<&(i64, String, Option<Role>)> = doc
                    .speakers
                    .iter()
                    .filter(|(id, _, _)| !linked_speakers.contains(id))
                    .collect();
                let first = c
                    .name
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                let mut chosen: Vec<&(i64, String, Option<Role>)> = free
                    .iter()
                    .filter(|(_, l, _)| labels.iter().any(|h| h.eq_ignore_ascii_case(l)))
                    .copied()
                    .collect();
                if chosen.is_empty() {
                    chosen = free
                        .iter()
                        .filter(|(_, l, _)| {
                            let l = l.to_lowercase();
                            l == ident.to_lowercase() || (!first.is_empty() && l == first)
                        })
                        .copied()
                        .collect();
                }
                if chosen.is_empty() && labels.is_empty() {
                    let participants: Vec<_> = free
                        .iter()
                        .filter(|(_, _, r)| *r == Some(Role::Participant))
                        .copied()
                        .collect();
                    if participants.len() == 1 {
                        chosen = participants;
                    }
                }
                if chosen.is_empty() {
                    self.report.notes.push(format!(
                        "case {ident}: could not tell which speaker of {doc_name} it is; link it by hand"
                    ));
                }
                for (sid, label, _) in chosen {
                    Store::set_speaker_participant(tx, *sid, Some(pid))?;
                    linked_speakers.insert(*sid);
                    self.report
                        .speakers_linked
                        .push(format!("{label} ({doc_name}) → {ident}"));
                }
            }
        }
        Ok(())
    }

    /// Applies the planned codings to the stored documents.
    fn codings(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let mut coders: Vec<String> = Vec::new();
        // selection index → first coding uuid (for notes on the selection)
        let mut imported_selections: HashSet<usize> = HashSet::new();
        let indexes: HashMap<usize, CharIndex> = self
            .stored
            .iter()
            .map(|(si, d)| (*si, CharIndex::new(&d.text)))
            .collect();
        for pc in &read.planned {
            self.tx.breathe()?;
            let Some(doc) = self.stored.get(&pc.source) else {
                continue;
            };
            let sel_outcome = self.report.selections.get_mut(pc.selection);
            if !doc.usable {
                if let Some(o) = sel_outcome {
                    o.skipped = Some("the document was corrected since".into());
                }
                continue;
            }
            let Some((code_id, _)) = self.code_ids.get(&pc.code_guid) else {
                continue;
            };
            let Some(ix) = indexes.get(&pc.source) else {
                continue;
            };
            let (start, end) = match &doc.labels {
                Some(l) => (l.to_stored(pc.start, false), l.to_stored(pc.end, true)),
                None => (pc.start, pc.end),
            };
            if start >= end {
                if let Some(o) = sel_outcome {
                    o.skipped = Some("it holds only a speaker label".into());
                }
                continue;
            }
            let quote = ix.slice(start, end).unwrap_or_default();
            let n = ix.len_chars();
            let context = crate::anchor::CONTEXT_CHARS;
            let before = ix
                .slice(start.saturating_sub(context), start)
                .unwrap_or_default();
            let after = ix
                .slice(end.min(n), (end + context).min(n))
                .unwrap_or_default();
            let (_, uuid, _) = Store::insert_coding(
                tx,
                &NewCoding {
                    code_id: *code_id,
                    version_id: doc.version_id,
                    start,
                    end,
                    coder: &pc.coder,
                    quote,
                    context_before: before,
                    context_after: after,
                    key_quote: false,
                },
            )?;
            if let Some(o) = sel_outcome {
                o.document = Some(doc.uuid.clone());
            }
            self.report.codings_imported += 1;
            if pc.selection != usize::MAX {
                imported_selections.insert(pc.selection);
                self.coding_of_selection
                    .entry(pc.selection)
                    .or_insert_with(|| uuid.clone());
            }
            if !pc.guid.is_empty() {
                self.coding_uuid.insert(pc.guid.clone(), uuid.clone());
            }
            if !pc.note_refs.is_empty() {
                self.coding_notes.push((pc.note_refs.clone(), uuid.clone()));
            }
            if !coders.contains(&pc.coder) {
                coders.push(pc.coder.clone());
            }
        }
        self.report.selections_imported = imported_selections.len();
        self.report.coders = coders;
        Ok(())
    }

    /// Sets of codes become themes (merged into a theme of the same name).
    fn themes(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        let mut themes_by_name: HashMap<String, (ThemeId, String)> = HashMap::new();
        for s in &q.sets {
            if s.codes.is_empty() && !(s.sources.is_empty() && s.notes.is_empty()) {
                if !s.sources.is_empty() {
                    self.report.notes.push(format!(
                        "set '{}' groups documents; Storyloom has no document sets, so it was not imported",
                        s.name
                    ));
                }
                continue;
            }
            let name = clean_code_name(&s.name);
            let (definition, status) = split_theme_description(&s.description);
            let existing = self
                .existing
                .themes
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(&name))
                .map(|(_, id, uuid)| (*id, uuid.clone()));
            let (tid, tuuid) = if let Some(t) = themes_by_name.get(&name.to_lowercase()) {
                t.clone()
            } else if let Some(found) = existing {
                // Merged into the theme of the same name (its codes added).
                self.report
                    .notes
                    .push(format!("set '{name}' merged into the existing theme"));
                found
            } else {
                let (id, uuid) = Store::insert_theme(tx, &name, &definition)?;
                if status != ThemeStatus::Candidate {
                    Store::set_theme_status(tx, id, status)?;
                }
                self.report.themes.push(name.clone());
                (id, uuid)
            };
            themes_by_name.insert(name.to_lowercase(), (tid, tuuid.clone()));
            self.theme_ids.insert(s.guid.clone(), (tid, tuuid));
            for g in &s.codes {
                if let Some((cid, _)) = self.code_ids.get(g) {
                    Store::add_theme_code(tx, tid, *cid)?;
                }
            }
        }
        Ok(())
    }
}

/// `#rgb` or `#rrggbb` as `#rrggbb`.
pub(super) fn expand_color(c: &str) -> Option<String> {
    let hex = c.trim().trim_start_matches('#');
    if hex.len() == 3 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        let long: String = hex.chars().flat_map(|c| [c, c]).collect();
        return clean_color(&long).ok();
    }
    clean_color(hex).ok()
}
