//! Reading a `.qdpx` or `.qdc` and storing it in one transaction.

use crate::error::{Error, ImportError, Result};
use crate::import::{self, ParsedDocument};
use crate::model::{AttributeKind, CodeDescription, MemoTarget, Role, ThemeStatus};
use crate::project::{CODE_PALETTE, check_attribute_value, clean_color, sha256_hex};
use crate::refi::offsets::{OffsetMap, Units};
use crate::refi::qde::{self, QCode, QCoding};
use crate::refi::{RefiImportReport, SelectionOutcome, markers};
use crate::store::codings::NewCoding;
use crate::store::{ChangeRecord, NewDocument, Store};
use crate::text::CharIndex;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const FORMAT: &str = "REFI-QDA project";

/// A text source read and parsed, ready to store.
struct Prepared {
    /// Selection positions can be mapped (false when the text came from a .docx).
    positions: bool,
    name: String,
    bytes: Vec<u8>,
    sha: String,
    parsed: ParsedDocument,
    map: OffsetMap,
    /// Already in the project: (document id, name, hidden).
    existing: Option<(i64, String, bool)>,
    /// The same bytes as an earlier source of this file.
    alias_of: Option<usize>,
}

fn import_error(file: &str, source: ImportError) -> Error {
    Error::Import {
        file: file.to_owned(),
        problem: source,
    }
}

fn corrupt(file: &str, reason: String) -> Error {
    import_error(
        file,
        ImportError::Corrupt {
            format: FORMAT,
            reason,
        },
    )
}

/// Reads `path` and stores what it holds in one transaction.
pub(crate) fn import(store: &mut Store, actor: &str, path: &Path) -> Result<RefiImportReport> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let size = std::fs::metadata(path)
        .map_err(|e| import_error(&file, ImportError::Io(e)))?
        .len();
    let is_qdc = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdc"));
    let limit = if is_qdc {
        import::MAX_XML_BYTES
    } else {
        crate::refi::MAX_ARCHIVE_BYTES
    };
    if size > limit {
        return Err(import_error(&file, ImportError::TooLarge { size, limit }));
    }
    let bytes = std::fs::read(path).map_err(|e| import_error(&file, ImportError::Io(e)))?;
    import_bytes(store, actor, &file, &bytes, is_qdc)
}

pub(crate) fn import_bytes(
    store: &mut Store,
    actor: &str,
    file: &str,
    bytes: &[u8],
    is_qdc: bool,
) -> Result<RefiImportReport> {
    let xml = if is_qdc {
        bytes.to_vec()
    } else {
        import::zipread::read_entry_limited(bytes, "project.qde", FORMAT, import::MAX_XML_BYTES)
            .map_err(|e| import_error(file, e))?
    };
    let root = crate::refi::dom::parse(&xml).map_err(|e| match e {
        ImportError::XmlDoctype => corrupt(
            file,
            "the XML declares a DOCTYPE (entities); refused for safety: REFI-QDA files never need one"
                .into(),
        ),
        e => import_error(file, e),
    })?;
    let q = qde::read(&root).map_err(|r| corrupt(file, r))?;
    if is_qdc && !q.codebook_only {
        return Err(corrupt(
            file,
            "a .qdc holds a <CodeBook>; this is a <Project> (rename it .qdpx?)".into(),
        ));
    }
    let units = Units::for_origin(&q.origin);
    let mut report = RefiImportReport {
        file: file.to_owned(),
        origin: q.origin.clone(),
        project_name: q.name.clone(),
        units: units.describe().to_owned(),
        ..Default::default()
    };
    for (what, n) in &q.not_imported {
        report.notes.push(format!(
            "{n} × {what} not imported (Storyloom keeps text sources only)"
        ));
    }
    // Read every text source (sources that fail are reported, the rest import).
    let mut prepared: Vec<Option<Prepared>> = Vec::with_capacity(q.sources.len());
    let mut by_sha: HashMap<String, usize> = HashMap::new();
    for (i, s) in q.sources.iter().enumerate() {
        let shown = source_name(s);
        match prepare_source(bytes, s, units, is_qdc) {
            Ok((name, raw_bytes, parsed, map, positions)) => {
                let sha = sha256_hex(&raw_bytes);
                let alias_of = by_sha.get(&sha).copied();
                if alias_of.is_none() {
                    by_sha.insert(sha.clone(), i);
                }
                let mut existing = store.document_with_sha(&sha)?;
                // A document this file was exported from (Storyloom writes
                // document uuids as GUIDs): a teammate's copy merges back.
                let guid = s.guid.trim_matches(['{', '}']);
                if existing.is_none()
                    && !guid.is_empty()
                    && let Ok((id, uuid, name)) = store.find_document(guid)
                    && uuid.eq_ignore_ascii_case(guid)
                {
                    existing = Some((id, name, false));
                }
                if !positions {
                    report.notes.push(format!(
                        "{name}: the plain text is missing, so the text was taken from its .docx; its selections count the missing plain text and are skipped"
                    ));
                }
                prepared.push(Some(Prepared {
                    positions,
                    name,
                    bytes: raw_bytes,
                    sha,
                    parsed,
                    map,
                    existing,
                    alias_of,
                }));
            }
            Err(Skip::Hostile(e)) => return Err(import_error(file, e)),
            Err(Skip::Source(why)) => {
                let n = s.selections.len();
                report.sources_skipped.push(if n > 0 {
                    format!("{shown}: {why}; its {n} selections are skipped")
                } else {
                    format!("{shown}: {why}")
                });
                prepared.push(None);
            }
        }
    }
    let users: HashMap<&str, &str> = q
        .users
        .iter()
        .map(|u| (u.guid.as_str(), u.name.as_str()))
        .collect();
    let default_coder = q
        .creating_user
        .as_deref()
        .and_then(|g| users.get(g).copied())
        .unwrap_or(actor)
        .to_owned();
    let coder_of = |coding: &QCoding, sel_user: Option<&str>| -> String {
        coding
            .creating_user
            .as_deref()
            .or(sel_user)
            .and_then(|g| users.get(g).copied())
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| default_coder.clone())
    };

    // Plan the selections: char ranges into each source's parsed text.
    struct PlannedCoding {
        source: usize,
        start: usize,
        end: usize,
        code_guid: String,
        coder: String,
        selection: usize,
        note_refs: Vec<String>,
        guid: String,
    }
    let mut planned: Vec<PlannedCoding> = Vec::new();
    let code_guids: HashSet<&str> = all_codes(&q.codes).map(|c| c.guid.as_str()).collect();
    for (si, s) in q.sources.iter().enumerate() {
        let shown = source_name(s);
        // One char index per source (texts run to megabytes).
        let index = prepared[si]
            .as_ref()
            .map(|p| CharIndex::new(&p.parsed.text));
        for sel in &s.selections {
            report.selections_total += 1;
            let mut outcome = SelectionOutcome {
                guid: sel.guid.clone(),
                source: shown.clone(),
                name: sel.name.clone(),
                start: sel.start,
                end: sel.end,
                ..Default::default()
            };
            let skip =
                |outcome: &mut SelectionOutcome, report: &mut RefiImportReport, why: String| {
                    report.skipped.push(format!(
                        "selection {} in {} ({}..{}): {why}",
                        short_guid(&outcome.guid),
                        outcome.source,
                        outcome.start.map_or("?".into(), |v| v.to_string()),
                        outcome.end.map_or("?".into(), |v| v.to_string()),
                    ));
                    outcome.skipped = Some(why);
                };
            let (Some(p), Some(ix)) = (prepared[si].as_ref(), index.as_ref()) else {
                skip(
                    &mut outcome,
                    &mut report,
                    "its source was not imported".into(),
                );
                report.selections.push(outcome);
                continue;
            };
            let range = match (sel.start, sel.end) {
                _ if !p.positions => {
                    Err("it counts positions in a plain text the archive does not have".to_owned())
                }
                (Some(a), Some(b)) => map_range(p, ix, a, b, &sel.name),
                _ => Err("no startPosition/endPosition".to_owned()),
            };
            let (start, end) = match range {
                Ok(r) => r,
                Err(why) => {
                    skip(&mut outcome, &mut report, why);
                    report.selections.push(outcome);
                    continue;
                }
            };
            let quote = ix.slice(start, end).unwrap_or_default().to_owned();
            if let Some(expected) = name_holds_text(&sel.name)
                && Some(expected.chars().count() as i64)
                    == sel.end.zip(sel.start).map(|(b, a)| b - a)
            {
                report.names_checked += 1;
                if squash(&expected) != squash(&quote) {
                    report.name_mismatches.push(format!(
                        "{} in {shown}: name “{}” but the text at {start}..{end} is “{}”",
                        short_guid(&sel.guid),
                        clip(&expected),
                        clip(&quote)
                    ));
                }
            }
            if sel.codings.is_empty() {
                skip(&mut outcome, &mut report, "it has no coding".into());
                outcome.range = Some((start, end));
                outcome.quote = Some(quote);
                report.selections.push(outcome);
                continue;
            }
            let index = report.selections.len();
            for c in &sel.codings {
                match &c.code {
                    Some(g) if code_guids.contains(g.as_str()) => {
                        planned.push(PlannedCoding {
                            source: si,
                            start,
                            end,
                            code_guid: g.clone(),
                            coder: coder_of(c, sel.creating_user.as_deref()),
                            selection: index,
                            note_refs: c.note_refs.clone(),
                            guid: c.guid.clone(),
                        });
                        outcome.codings += 1;
                    }
                    other => report.skipped.push(format!(
                        "coding {} of selection {} in {shown}: its code {} is not in the codebook",
                        short_guid(&c.guid),
                        short_guid(&sel.guid),
                        other.as_deref().unwrap_or("(none)")
                    )),
                }
            }
            outcome.range = Some((start, end));
            outcome.quote = Some(quote);
            report.selections.push(outcome);
        }
        // Codings of a whole source.
        if let Some(p) = prepared[si].as_ref() {
            let len = crate::text::char_len(&p.parsed.text);
            for c in &s.codings {
                match &c.code {
                    Some(g) if code_guids.contains(g.as_str()) && len > 0 => {
                        planned.push(PlannedCoding {
                            source: si,
                            start: 0,
                            end: len,
                            code_guid: g.clone(),
                            coder: coder_of(c, None),
                            selection: usize::MAX,
                            note_refs: c.note_refs.clone(),
                            guid: c.guid.clone(),
                        });
                    }
                    _ => report.skipped.push(format!(
                        "coding {} of the whole of {shown}: its code is not in the codebook",
                        short_guid(&c.guid)
                    )),
                }
            }
        }
    }

    // Notes whose text is a file in the archive.
    let mut note_files: HashMap<String, String> = HashMap::new();
    for n in &q.notes {
        if let (Some(path), false) = (&n.plain_text_path, is_qdc) {
            match read_source_entry(bytes, path) {
                Ok(b) => {
                    let mut ignored = Vec::new();
                    match import::decode::decode_text(&b, &mut ignored) {
                        Ok(t) => {
                            note_files.insert(n.guid.clone(), crate::text::normalize(t.trim_end()));
                        }
                        Err(e) => report.notes.push(format!("note '{}': {e}", n.name)),
                    }
                }
                Err(Skip::Hostile(e)) => return Err(import_error(file, e)),
                Err(Skip::Source(why)) => report.notes.push(format!("note '{}': {why}", n.name)),
            }
        }
    }

    // What the project already has.
    let mut existing_themes: Vec<(String, i64, String)> = Vec::new();
    for t in store.themes()? {
        let (id, _) = store.find_theme(&t.uuid)?;
        existing_themes.push((t.name, id, t.uuid));
    }
    let known_memos: HashSet<String> = store
        .memos(None)?
        .into_iter()
        .map(|m| m.uuid.to_lowercase())
        .collect();
    let mut existing_participants: HashMap<String, (i64, String)> = HashMap::new();
    for (ci, c) in q.cases.iter().enumerate() {
        let ident = case_ident(c, ci);
        if let Some((id, found)) = store.find_participant(&ident)?
            && found.eq_ignore_ascii_case(&ident)
        {
            let uuid = store
                .participants()?
                .into_iter()
                .find(|p| p.id.eq_ignore_ascii_case(&ident))
                .map(|p| p.uuid)
                .unwrap_or_default();
            existing_participants.insert(ident.to_lowercase(), (id, uuid));
        }
    }
    let mut existing_attributes: HashMap<String, (i64, AttributeKind, Vec<String>)> =
        HashMap::new();
    for v in &q.variables {
        if let Some(a) = store.find_attribute(&v.name)? {
            existing_attributes.insert(v.name.to_lowercase(), a);
        }
    }

    let summary_file = file.to_owned();
    let origin = q.origin.clone();
    let actor_owned = actor.to_owned();
    let report = store.change(
        |r: &RefiImportReport| ChangeRecord {
            actor: actor_owned.clone(),
            command: "import_refi",
            summary: format!(
                "imported {summary_file}{}: {} codes, {} documents, {} codings, {} participants, {} memos, {} themes",
                if origin.is_empty() { String::new() } else { format!(" ({origin})") },
                r.codes_created,
                r.documents_created.len(),
                r.codings_imported,
                r.participants_created.len() + r.participants_updated.len(),
                r.memos,
                r.themes.len()
            ),
            forward: json!({ "import_refi": summary_file }),
            inverse: json!({ "undo_import_refi": summary_file }),
        },
        |tx| {
            let mut report = report;
            // ---- codes ----
            let mut code_ids: HashMap<String, (i64, String)> = HashMap::new();
            let mut palette_n = Store::code_rows_in(tx)?.len();
            // Level by level, so that parents exist before their children.
            let mut level: Vec<(&QCode, Option<i64>)> = q.codes.iter().map(|c| (c, None)).collect();
            while !level.is_empty() {
                let mut next = Vec::new();
                for (c, parent) in level {
                    let rows = Store::code_rows_in(tx)?;
                    let name = clean_code_name(&c.name);
                    let found = rows.iter().find(|r| {
                        r.parent_id == parent && r.name.eq_ignore_ascii_case(&name)
                    });
                    let (id, uuid) = match found {
                        Some(r) if !code_ids.values().any(|(id, _)| *id == r.id) => {
                            report.codes_existing += 1;
                            (r.id, r.uuid.clone())
                        }
                        taken => {
                            let mut name = name.clone();
                            if taken.is_some() {
                                let mut n = 2;
                                while rows.iter().any(|r| {
                                    r.parent_id == parent
                                        && r.name.eq_ignore_ascii_case(&format!("{name} ({n})"))
                                }) {
                                    n += 1;
                                }
                                report.notes.push(format!(
                                    "two codes named '{name}' at the same place: the second is '{name} ({n})'"
                                ));
                                name = format!("{name} ({n})");
                            }
                            let color = c
                                .color
                                .as_deref()
                                .and_then(expand_color)
                                .unwrap_or_else(|| {
                                    CODE_PALETTE[palette_n % CODE_PALETTE.len()].to_owned()
                                });
                            palette_n += 1;
                            let (id, uuid) = Store::insert_code(tx, parent, &name, &color)?;
                            let (definition, when_to_use, when_not) =
                                markers::split_code_description(&c.description);
                            if !(definition.is_empty() && when_to_use.is_empty() && when_not.is_empty())
                            {
                                Store::describe_code(
                                    tx,
                                    id,
                                    &CodeDescription {
                                        definition,
                                        when_to_use,
                                        when_not,
                                    },
                                )?;
                            }
                            report.codes_created += 1;
                            (id, uuid)
                        }
                    };
                    code_ids.insert(c.guid.clone(), (id, uuid));
                    for child in &c.children {
                        next.push((child, Some(id)));
                    }
                }
                level = next;
            }

            // ---- attributes (variables) ----
            let mut attr_ids: HashMap<String, (i64, String, AttributeKind, Vec<String>)> =
                HashMap::new();
            for v in &q.variables {
                if v.name.is_empty() || v.guid.is_empty() {
                    continue;
                }
                if let Some((id, kind, choices)) = existing_attributes.get(&v.name.to_lowercase()) {
                    attr_ids.insert(v.guid.clone(), (*id, v.name.clone(), *kind, choices.clone()));
                    continue;
                }
                // Two variables of one name in the file: the second shares the first.
                if let Some(first) = attr_ids
                    .values()
                    .find(|(_, n, _, _)| n.eq_ignore_ascii_case(&v.name))
                    .cloned()
                {
                    attr_ids.insert(v.guid.clone(), first);
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
                report.attributes.push(v.name.clone());
                attr_ids.insert(v.guid.clone(), (id, v.name.clone(), kind, choices));
            }

            // ---- participants (cases) ----
            // case guid → (participant row id, uuid, ident)
            let mut cases: HashMap<String, (i64, String, String)> = HashMap::new();
            for (ci, c) in q.cases.iter().enumerate() {
                let ident = case_ident(c, ci);
                let pseudonym = description_line(&c.description, markers::PSEUDONYM);
                let (pid, uuid) = match existing_participants.get(&ident.to_lowercase()) {
                    Some((id, uuid)) => {
                        report.participants_updated.push(ident.clone());
                        (*id, uuid.clone())
                    }
                    None => {
                        if cases.values().any(|(_, _, i)| i.eq_ignore_ascii_case(&ident)) {
                            report
                                .notes
                                .push(format!("two cases named '{ident}': the second merged into the first"));
                            let (id, uuid, _) = cases
                                .values()
                                .find(|(_, _, i)| i.eq_ignore_ascii_case(&ident))
                                .cloned()
                                .unwrap_or_default();
                            cases.insert(c.guid.clone(), (id, uuid, ident.clone()));
                            continue;
                        }
                        let (id, uuid) = Store::insert_participant(tx, &ident, None, pseudonym.as_deref())?;
                        report.participants_created.push(ident.clone());
                        (id, uuid)
                    }
                };
                for (var, value) in &c.values {
                    let Some((aid, aname, kind, choices)) = attr_ids.get(var) else {
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
                        Err(e) => report.notes.push(format!("{ident}: {e}; value not set")),
                    }
                }
                cases.insert(c.guid.clone(), (pid, uuid, ident));
            }

            // ---- documents ----
            // source index → (document id, uuid, version id, text, speakers: (id, label, role))
            struct Stored {
                uuid: String,
                version_id: i64,
                text: String,
                speakers: Vec<(i64, String, Option<Role>)>,
                usable: bool,
            }
            let mut stored: HashMap<usize, Stored> = HashMap::new();
            for (si, p) in prepared.iter().enumerate() {
                let Some(p) = p else { continue };
                if let Some(first) = p.alias_of {
                    if let Some(s) = stored.get(&first) {
                        let again = Stored {
                            uuid: s.uuid.clone(),
                            version_id: s.version_id,
                            text: s.text.clone(),
                            speakers: s.speakers.clone(),
                            usable: s.usable,
                        };
                        report.notes.push(format!(
                            "{} has the same text as an earlier source; its selections go to that document",
                            p.name
                        ));
                        stored.insert(si, again);
                    }
                    continue;
                }
                let (doc_id, speakers) = match &p.existing {
                    Some((id, name, hidden)) => {
                        if *hidden {
                            Store::set_document_hidden(tx, *id, false)?;
                        }
                        report.documents_existing.push(name.clone());
                        let speakers = Store::speaker_ids(tx, *id)?
                            .into_iter()
                            .map(|(id, label)| (id, label, None))
                            .collect();
                        (*id, speakers)
                    }
                    None => {
                        let inserted = Store::insert_document(
                            tx,
                            &NewDocument {
                                name: &p.name,
                                source_path: None,
                                sha256: &p.sha,
                                bytes: &p.bytes,
                                parsed: &p.parsed,
                            },
                        )?;
                        report.documents_created.push(p.name.clone());
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
                let usable = cv.text == p.parsed.text;
                if !usable {
                    report.notes.push(format!(
                        "{}: the document in the project was corrected since this file was imported; its selections are skipped",
                        cv.document_name
                    ));
                }
                stored.insert(
                    si,
                    Stored {
                        uuid: cv.document_uuid,
                        version_id: cv.version_id,
                        text: cv.text,
                        speakers,
                        usable,
                    },
                );
            }
            let source_doc: HashMap<&str, usize> = q
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.guid.as_str(), i))
                .collect();

            // ---- speakers of each case ----
            let mut linked_speakers: HashSet<i64> = HashSet::new();
            for c in &q.cases {
                let Some((pid, _, ident)) = cases.get(&c.guid).cloned() else {
                    continue;
                };
                let hints = speaks_as(&c.description);
                for src in &c.sources {
                    let Some(si) = source_doc.get(src.as_str()) else { continue };
                    let Some(doc) = stored.get(si) else { continue };
                    let doc_name = prepared[*si].as_ref().map(|p| p.name.clone()).unwrap_or_default();
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
                    let first = c.name.split_whitespace().next().unwrap_or("").to_lowercase();
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
                        report.notes.push(format!(
                            "case {ident}: could not tell which speaker of {doc_name} it is; link it by hand"
                        ));
                    }
                    for (sid, label, _) in chosen {
                        Store::set_speaker_participant(tx, *sid, Some(pid))?;
                        linked_speakers.insert(*sid);
                        report.speakers_linked.push(format!("{label} ({doc_name}) → {ident}"));
                    }
                }
            }

            // ---- codings ----
            let mut coders: Vec<String> = Vec::new();
            // selection index → first coding uuid (for notes on the selection)
            let mut coding_of_selection: HashMap<usize, String> = HashMap::new();
            let mut coding_uuid: HashMap<String, String> = HashMap::new();
            let mut coding_notes: Vec<(Vec<String>, String)> = Vec::new();
            let mut imported_selections: HashSet<usize> = HashSet::new();
            let indexes: HashMap<usize, CharIndex> = stored
                .iter()
                .map(|(si, d)| (*si, CharIndex::new(&d.text)))
                .collect();
            for pc in &planned {
                let Some(doc) = stored.get(&pc.source) else { continue };
                let sel_outcome = report.selections.get_mut(pc.selection);
                if !doc.usable {
                    if let Some(o) = sel_outcome {
                        o.skipped = Some("the document was corrected since".into());
                    }
                    continue;
                }
                let Some((code_id, _)) = code_ids.get(&pc.code_guid) else { continue };
                let Some(ix) = indexes.get(&pc.source) else { continue };
                let quote = ix.slice(pc.start, pc.end).unwrap_or_default();
                let n = ix.len_chars();
                let context = crate::anchor::CONTEXT_CHARS;
                let before = ix
                    .slice(pc.start.saturating_sub(context), pc.start)
                    .unwrap_or_default();
                let after = ix
                    .slice(pc.end.min(n), (pc.end + context).min(n))
                    .unwrap_or_default();
                let (_, uuid, _) = Store::insert_coding(
                    tx,
                    &NewCoding {
                        code_id: *code_id,
                        version_id: doc.version_id,
                        start: pc.start,
                        end: pc.end,
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
                report.codings_imported += 1;
                if pc.selection != usize::MAX {
                    imported_selections.insert(pc.selection);
                    coding_of_selection
                        .entry(pc.selection)
                        .or_insert_with(|| uuid.clone());
                }
                if !pc.guid.is_empty() {
                    coding_uuid.insert(pc.guid.clone(), uuid.clone());
                }
                if !pc.note_refs.is_empty() {
                    coding_notes.push((pc.note_refs.clone(), uuid.clone()));
                }
                if !coders.contains(&pc.coder) {
                    coders.push(pc.coder.clone());
                }
            }
            report.selections_imported = imported_selections.len();
            report.coders = coders;

            // ---- themes (sets of codes) ----
            let mut theme_ids: HashMap<String, (i64, String)> = HashMap::new();
            let mut themes_by_name: HashMap<String, (i64, String)> = HashMap::new();
            for s in &q.sets {
                if s.codes.is_empty() && !(s.sources.is_empty() && s.notes.is_empty()) {
                    if !s.sources.is_empty() {
                        report.notes.push(format!(
                            "set '{}' groups documents; Storyloom has no document sets, so it was not imported",
                            s.name
                        ));
                    }
                    continue;
                }
                let name = clean_code_name(&s.name);
                let (definition, status) = split_theme_description(&s.description);
                let existing = existing_themes
                    .iter()
                    .find(|(n, _, _)| n.eq_ignore_ascii_case(&name))
                    .map(|(_, id, uuid)| (*id, uuid.clone()));
                let (tid, tuuid) = if let Some(t) = themes_by_name.get(&name.to_lowercase()) {
                    t.clone()
                } else if let Some(found) = existing {
                    // Merged into the theme of the same name (its codes added).
                    report.notes.push(format!("set '{name}' merged into the existing theme"));
                    found
                } else {
                    let (id, uuid) = Store::insert_theme(tx, &name, &definition)?;
                    if status != ThemeStatus::Candidate {
                        Store::set_theme_status(tx, id, status)?;
                    }
                    report.themes.push(name.clone());
                    (id, uuid)
                };
                themes_by_name.insert(name.to_lowercase(), (tid, tuuid.clone()));
                theme_ids.insert(s.guid.clone(), (tid, tuuid));
                for g in &s.codes {
                    if let Some((cid, _)) = code_ids.get(g) {
                        Store::add_theme_code(tx, tid, *cid)?;
                    }
                }
            }

            // ---- memos (notes) ----
            let notes: HashMap<&str, &qde::Note> =
                q.notes.iter().map(|n| (n.guid.as_str(), n)).collect();
            let mut targets: HashMap<String, MemoTarget> = HashMap::new();
            let mut put = |note: &str, t: MemoTarget| {
                targets.entry(note.to_owned()).or_insert(t);
            };
            for c in all_codes(&q.codes) {
                if let Some((_, uuid)) = code_ids.get(&c.guid) {
                    for n in &c.note_refs {
                        put(n, MemoTarget::Code(uuid.clone()));
                    }
                }
            }
            for (refs, uuid) in &coding_notes {
                for n in refs {
                    put(n, MemoTarget::Coding(uuid.clone()));
                }
            }
            let mut sel_index = 0usize;
            for (si, s) in q.sources.iter().enumerate() {
                for sel in &s.selections {
                    let target = coding_of_selection
                        .get(&sel_index)
                        .map(|u| MemoTarget::Coding(u.clone()))
                        .or_else(|| stored.get(&si).map(|d| MemoTarget::Document(d.uuid.clone())));
                    if let Some(t) = target {
                        for n in &sel.note_refs {
                            put(n, t.clone());
                        }
                    }
                    sel_index += 1;
                }
                if let Some(d) = stored.get(&si) {
                    for n in &s.note_refs {
                        put(n, MemoTarget::Document(d.uuid.clone()));
                    }
                }
            }
            for s in &q.sets {
                if let Some((_, uuid)) = theme_ids.get(&s.guid) {
                    for n in &s.notes {
                        put(n, MemoTarget::Theme(uuid.clone()));
                    }
                }
            }
            for l in &q.links {
                if !notes.contains_key(l.origin.as_str()) {
                    continue;
                }
                if let Some((_, uuid, _)) = cases.get(&l.target) {
                    put(&l.origin, MemoTarget::Participant(uuid.clone()));
                } else if let Some((_, uuid)) = code_ids.get(&l.target) {
                    put(&l.origin, MemoTarget::Code(uuid.clone()));
                } else if let Some((_, uuid)) = theme_ids.get(&l.target) {
                    put(&l.origin, MemoTarget::Theme(uuid.clone()));
                } else if let Some(uuid) = coding_uuid.get(&l.target) {
                    put(&l.origin, MemoTarget::Coding(uuid.clone()));
                }
            }
            for n in &q.project_note_refs {
                put(n, MemoTarget::Project);
            }
            let mut memos_already = 0;
            for n in &q.notes {
                if known_memos.contains(&n.guid.trim_matches(['{', '}']).to_lowercase()) {
                    memos_already += 1;
                    continue;
                }
                let author = n
                    .creating_user
                    .as_deref()
                    .and_then(|g| users.get(g).copied())
                    .unwrap_or(&default_coder)
                    .to_owned();
                let journal = n
                    .description
                    .trim()
                    .strip_prefix(markers::JOURNAL)
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                    .map(|d| d.to_string());
                let target = if journal.is_some() {
                    MemoTarget::Journal
                } else {
                    targets.get(&n.guid).cloned().unwrap_or(MemoTarget::Project)
                };
                let mut body = note_files
                    .get(&n.guid)
                    .cloned()
                    .filter(|_| n.content.trim().is_empty())
                    .unwrap_or_else(|| n.content.clone());
                if journal.is_none() && !n.description.trim().is_empty() {
                    body = if body.trim().is_empty() {
                        n.description.clone()
                    } else {
                        format!("{}\n\n{body}", n.description.trim())
                    };
                }
                let title = if n.name.trim().is_empty() { "Note" } else { n.name.trim() };
                Store::insert_memo(tx, &target, title, &body, &author, journal.as_deref())?;
                report.memos += 1;
            }
            if memos_already > 0 {
                report.notes.push(format!(
                    "{memos_already} notes are already in the project as memos (same GUID): not added again"
                ));
            }
            // Selection descriptions (ATLAS.ti comments) become memos on the coding.
            let mut sel_index = 0usize;
            for (si, s) in q.sources.iter().enumerate() {
                for sel in &s.selections {
                    if !sel.description.trim().is_empty() {
                        let target = coding_of_selection
                            .get(&sel_index)
                            .map(|u| MemoTarget::Coding(u.clone()))
                            .or_else(|| stored.get(&si).map(|d| MemoTarget::Document(d.uuid.clone())));
                        if let Some(t) = target {
                            let author = sel
                                .creating_user
                                .as_deref()
                                .and_then(|g| users.get(g).copied())
                                .unwrap_or(&default_coder)
                                .to_owned();
                            Store::insert_memo(tx, &t, "Comment", sel.description.trim(), &author, None)?;
                            report.memos += 1;
                        }
                    }
                    sel_index += 1;
                }
            }
            if !q.description.trim().is_empty() {
                Store::insert_memo(
                    tx,
                    &MemoTarget::Project,
                    &format!("About {}", if q.name.is_empty() { "the imported project" } else { &q.name }),
                    q.description.trim(),
                    &default_coder,
                    None,
                )?;
                report.memos += 1;
            }
            Ok::<_, crate::Error>(report)
        },
    )?;
    Ok(report)
}

fn source_name(s: &qde::TextSource) -> String {
    let name = s
        .name
        .clone()
        .or_else(|| {
            s.plain_text_path
                .as_deref()
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_owned())
        })
        .unwrap_or_else(|| s.guid.clone());
    crate::text::normalize(&name)
}

/// Why a source was not read: reported (the rest imports), or hostile
/// (the whole file is refused).
enum Skip {
    Source(String),
    Hostile(ImportError),
}

/// Reads one text source: its bytes (from the archive or inline), parsed by
/// the `.txt` importer, with the offset map of the producer's units.
fn prepare_source(
    archive: &[u8],
    s: &qde::TextSource,
    units: Units,
    is_qdc: bool,
) -> std::result::Result<(String, Vec<u8>, ParsedDocument, OffsetMap, bool), Skip> {
    let name = source_name(s);
    let plain: std::result::Result<Vec<u8>, Skip> = match (&s.plain_text_path, &s.content) {
        (Some(path), _) if !is_qdc => read_source_entry(archive, path),
        (_, Some(content)) => Ok(content.as_bytes().to_vec()),
        _ => Err(Skip::Source(
            "it has neither a plain-text file nor PlainTextContent".into(),
        )),
    };
    let bytes = match plain {
        Ok(b) => b,
        Err(Skip::Source(why)) => {
            // Styled text only: the document comes from the .docx, but the
            // selections count a plain text we do not have.
            let Some(rich) = s
                .rich_text_path
                .as_deref()
                .filter(|r| !is_qdc && r.to_lowercase().ends_with(".docx"))
            else {
                return Err(Skip::Source(why));
            };
            let docx = match read_source_entry(archive, rich) {
                Ok(b) => b,
                Err(Skip::Source(_)) => return Err(Skip::Source(why)),
                Err(hostile) => return Err(hostile),
            };
            let parsed = import::parse("source.docx", &docx)
                .map_err(|e| Skip::Source(format!("{why}; its .docx: {e}")))?;
            let map = OffsetMap::new(&parsed.text, Units::CodePoints);
            return Ok((name, docx, parsed, map, false));
        }
        Err(hostile) => return Err(hostile),
    };
    let mut notes = Vec::new();
    let raw =
        import::decode::decode_text(&bytes, &mut notes).map_err(|e| Skip::Source(e.to_string()))?;
    let map = OffsetMap::new(&raw, units);
    // The normal importer: speakers and turns, text normalised as always.
    let parsed = import::parse("source.txt", &bytes).map_err(|e| Skip::Source(e.to_string()))?;
    if !map.normalized.starts_with(&parsed.text) {
        return Err(Skip::Source(
            "its text could not be matched to the imported text".into(),
        ));
    }
    Ok((name, bytes, parsed, map, true))
}

/// The bytes of a source file named by a `plainTextPath` or `richTextPath`.
fn read_source_entry(archive: &[u8], path: &str) -> std::result::Result<Vec<u8>, Skip> {
    let entry = if let Some(rest) = path.strip_prefix("internal://") {
        rest.to_owned()
    } else if path.starts_with("relative://") || path.starts_with("absolute://") {
        return Err(Skip::Source(format!(
            "its text is an external file ({path}), not inside the archive"
        )));
    } else {
        // qc writes a plain file name.
        path.trim_start_matches("./").to_owned()
    };
    let wanted = format!("sources/{entry}");
    match import::zipread::read_entry_limited(archive, &wanted, FORMAT, import::MAX_FILE_BYTES) {
        Ok(b) => Ok(b),
        Err(ImportError::Corrupt { reason, .. }) if reason.starts_with("no ") => Err(Skip::Source(
            format!("{wanted} is missing from the archive"),
        )),
        // A zip bomb or a name climbing out of the archive: the whole file is refused.
        Err(e @ (ImportError::ZipBomb { .. } | ImportError::TooLarge { .. })) => {
            Err(Skip::Hostile(e))
        }
        Err(ImportError::Corrupt { reason, format }) if reason.contains("climbs out") => {
            Err(Skip::Hostile(ImportError::Corrupt { reason, format }))
        }
        Err(e) => Err(Skip::Source(e.to_string())),
    }
}

/// Maps a selection to a char range of the parsed text.
fn map_range(
    p: &Prepared,
    ix: &CharIndex,
    start: i64,
    end: i64,
    name: &str,
) -> std::result::Result<(usize, usize), String> {
    let units = p.map.len_units();
    if start < 0 || end < 0 || start as u64 > units as u64 || end as u64 > units as u64 {
        return Err(format!("outside the text ({units} positions)"));
    }
    if start >= end {
        return Err("empty or reversed range".into());
    }
    let (Some(mut a), Some(mut b)) = (p.map.char_of(start), p.map.char_of(end)) else {
        return Err(format!("outside the text ({units} positions)"));
    };
    let len = ix.len_chars();
    // The importer drops trailing whitespace; a selection reaching into it ends at the text's end.
    b = b.min(len);
    a = a.min(len);
    // qc's `line:N` selections include the line's newline.
    if name.starts_with("line:") {
        while b > a && ix.slice(b - 1, b).is_some_and(|c| c == "\n" || c == "\r") {
            b -= 1;
        }
    }
    if a >= b {
        return Err("nothing left of it in the text".into());
    }
    if ix.slice(a, b).is_some_and(|s| s.trim().is_empty()) {
        return Err("it holds only whitespace".into());
    }
    Ok((a, b))
}

/// The text a selection's name may hold (ATLAS.ti writes the quote there,
/// cut with `…` when long); `None` for names that are labels. Only names as
/// long as the selection are compared: users rename quotations too.
fn name_holds_text(name: &str) -> Option<String> {
    let n = name.trim();
    if n.is_empty() || n.ends_with('…') || n.starts_with("line:") || n.starts_with("Quotation ") {
        return None;
    }
    Some(n.to_owned())
}

fn squash(s: &str) -> String {
    crate::text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn clip(s: &str) -> String {
    let flat = squash(s);
    if flat.chars().count() <= 60 {
        flat
    } else {
        format!("{}…", flat.chars().take(57).collect::<String>())
    }
}

fn short_guid(g: &str) -> &str {
    g.get(..8).unwrap_or(g)
}

fn all_codes(codes: &[QCode]) -> Box<dyn Iterator<Item = &QCode> + '_> {
    Box::new(
        codes
            .iter()
            .flat_map(|c| std::iter::once(c).chain(all_codes(&c.children))),
    )
}

/// A code or theme name as Storyloom keeps it: whitespace collapsed, no `>`
/// (it separates levels of a path), at most 200 characters.
fn clean_code_name(name: &str) -> String {
    let n = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('>', "›");
    let n: String = n.chars().take(200).collect();
    if n.is_empty() { "(unnamed)".into() } else { n }
}

/// `#rgb` or `#rrggbb` as `#rrggbb`.
fn expand_color(c: &str) -> Option<String> {
    let hex = c.trim().trim_start_matches('#');
    if hex.len() == 3 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        let long: String = hex.chars().flat_map(|c| [c, c]).collect();
        return clean_color(&long).ok();
    }
    clean_color(hex).ok()
}

fn case_ident(c: &qde::Case, index: usize) -> String {
    let n = c.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() {
        format!("Case {}", index + 1)
    } else {
        n
    }
}

/// The value of a `Marker: value` line of a description.
fn description_line(d: &str, marker: &str) -> Option<String> {
    d.lines()
        .find_map(|l| l.trim().strip_prefix(marker))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `Speaks as “LABEL” in DOCUMENT` lines: (label, document name).
fn speaks_as(d: &str) -> Vec<(String, String)> {
    d.lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix(markers::SPEAKS_AS)?;
            let (label, rest) = rest.split_once('”')?;
            let doc = rest
                .trim()
                .strip_prefix("in ")
                .unwrap_or("")
                .trim()
                .to_owned();
            Some((label.to_owned(), doc))
        })
        .collect()
}

fn variable_kind(v: &qde::Variable) -> (AttributeKind, Vec<String>) {
    match v.kind.as_str() {
        "Integer" | "Float" => (AttributeKind::Number, vec![]),
        "Date" | "DateTime" => (AttributeKind::Date, vec![]),
        "Boolean" => (AttributeKind::Choice, vec!["true".into(), "false".into()]),
        _ => match description_line(&v.description, markers::CHOICES) {
            Some(list) => (
                AttributeKind::Choice,
                list.split(" | ")
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect(),
            ),
            None => (AttributeKind::Text, vec![]),
        },
    }
}

fn split_theme_description(d: &str) -> (String, ThemeStatus) {
    let mut status = ThemeStatus::Candidate;
    let mut keep = Vec::new();
    for para in d.split("\n\n") {
        match para
            .trim()
            .strip_prefix(markers::THEME_STATUS)
            .and_then(ThemeStatus::parse)
        {
            Some(s) => status = s,
            None => keep.push(para),
        }
    }
    (keep.join("\n\n").trim().to_owned(), status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codings::CodingFilter;
    use std::io::Write;

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    const G: &str = "-0000-4000-8000-000000000000";

    fn g(n: u32) -> String {
        format!("{n:08x}{G}")
    }

    /// NVivo-style counting (UTF-16, CRLF as two), cases with typed
    /// variables, a memo linked to a case, a set with a note, twin code names.
    fn project_xml() -> String {
        format!(
            r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="NVivo for Windows 14" creatingUserGUID="{u}">
  <Users><User guid="{u}" name="Zoë"/></Users>
  <CodeBook><Codes>
    <Code guid="{c1}" name="Music" isCodable="true" color="#0A0">
      <Description>Singing and playing&#10;&#10;When to use: any music&#10;&#10;When not to use: noise</Description>
      <Code guid="{c2}" name="Choir" isCodable="true"/>
      <Code guid="{c3}" name="choir" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{v1}" name="Age" typeOfVariable="Integer"/>
    <Variable guid="{v2}" name="Consent" typeOfVariable="Boolean"/>
    <Variable guid="{v3}" name="Interviewed" typeOfVariable="DateTime"/>
    <Variable guid="{v4}" name="Site" typeOfVariable="Text"><Description>Choices: Leeds | York</Description></Variable>
  </Variables>
  <Cases>
    <Case guid="{k1}" name="P01">
      <Description>Pseudonym: Dot
Speaks as “Ana” in talk.txt</Description>
      <VariableValue><VariableRef targetGUID="{v1}"/><IntegerValue>74</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{v2}"/><BooleanValue>true</BooleanValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{v3}"/><DateTimeValue>2024-03-01T10:00:00Z</DateTimeValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{v4}"/><TextValue>York</TextValue></VariableValue>
      <SourceRef targetGUID="{s1}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{s1}" name="talk.txt" plainTextPath="internal://{s1}.txt">
      <PlainTextSelection guid="{p1}" startPosition="37" endPosition="42">
        <Coding guid="{d1}" creatingUser="{u}"><CodeRef targetGUID="{c2}"/><NoteRef targetGUID="{n2}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{p2}" startPosition="30" endPosition="300">
        <Coding guid="{d2}"><CodeRef targetGUID="{c2}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{n1}" name="About Ana" creatingUser="{u}"><PlainTextContent>Met at the hall</PlainTextContent></Note>
    <Note guid="{n2}" name="Why"><PlainTextContent>Key moment</PlainTextContent></Note>
    <Note guid="{n3}" name="Theme note"><PlainTextContent>Central</PlainTextContent></Note>
    <Note guid="{n4}" name="Diary"><Description>Journal entry 2026-05-01</Description><PlainTextContent>Mine</PlainTextContent></Note>
    <Note guid="{n5}" name="Filed" plainTextPath="internal://note.txt"/>
  </Notes>
  <Links><Link guid="{l1}" name="Memo" originGUID="{n1}" targetGUID="{k1}"/></Links>
  <Sets><Set guid="{t1}" name="Belonging"><Description>Being part

Status: reviewed</Description><MemberCode targetGUID="{c2}"/><MemberNote targetGUID="{n3}"/></Set></Sets>
</Project>"##,
            u = g(1),
            c1 = g(2),
            c2 = g(3),
            c3 = g(4),
            v1 = g(5),
            v2 = g(6),
            v3 = g(7),
            v4 = g(8),
            k1 = g(9),
            s1 = g(10),
            p1 = g(11),
            p2 = g(12),
            d1 = g(13),
            d2 = g(14),
            n1 = g(15),
            n2 = g(16),
            n3 = g(17),
            n4 = g(18),
            n5 = g(21),
            l1 = g(19),
            t1 = g(20),
        )
    }

    const TEXT: &str = "Researcher: Hi 😀 there\r\nAna: I love choir\r\n";

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("dir");
        let s = Store::create(&dir.path().join("t.storyloom")).expect("create");
        (dir, s)
    }

    #[test]
    fn imports_everything_in_one_undoable_action() {
        let start = TEXT[..TEXT.find("choir").unwrap()].encode_utf16().count();
        // 36 in code points, 37 in UTF-16 units (the emoji counts two).
        assert_eq!(
            start, 37,
            "the selection in the XML is written for this text"
        );
        let xml = project_xml();
        let bytes = zip(&[
            ("Project.qde", xml.as_bytes()),
            (&format!("Sources/{}.txt", g(10)), TEXT.as_bytes()),
            ("Sources/note.txt", "From a file\r\n".as_bytes()),
        ]);
        let (_d, mut s) = store();
        let r = import_bytes(&mut s, "me", "t.qdpx", &bytes, false).expect("import");
        // Codes: hierarchy, colour #rgb expanded, description split, twin renamed.
        let codes = s.codes().unwrap();
        let music = codes.iter().find(|c| c.path_string() == "Music").unwrap();
        assert_eq!(music.color, "#00aa00");
        assert_eq!(
            (
                music.definition.as_str(),
                music.when_to_use.as_str(),
                music.when_not.as_str()
            ),
            ("Singing and playing", "any music", "noise")
        );
        assert!(codes.iter().any(|c| c.path_string() == "Music > choir (2)"));
        // The selection counted in UTF-16 units lands on "choir"; the one past the end is reported.
        let codings = s.codings(&CodingFilter::default()).unwrap();
        assert_eq!(codings.len(), 1);
        assert_eq!(
            (codings[0].quote.as_str(), codings[0].coder.as_str()),
            ("choir", "Zoë")
        );
        assert_eq!(r.skipped.len(), 1, "{:?}", r.skipped);
        assert!(r.skipped[0].contains("outside the text"));
        // Cases → participants with typed attributes, linked to the speaker named in the description.
        let p = &s.participants().unwrap()[0];
        assert_eq!(
            (p.id.as_str(), p.pseudonym.as_deref()),
            ("P01", Some("Dot"))
        );
        let attrs: std::collections::HashMap<_, _> = p.attributes.iter().cloned().collect();
        assert_eq!(attrs["Age"], "74");
        assert_eq!(attrs["Consent"], "true");
        assert_eq!(attrs["Interviewed"], "2024-03-01");
        assert_eq!(attrs["Site"], "York");
        let kinds: Vec<(String, AttributeKind)> = s
            .attributes()
            .unwrap()
            .into_iter()
            .map(|a| (a.name, a.kind))
            .collect();
        assert!(kinds.contains(&("Site".into(), AttributeKind::Choice)));
        assert!(kinds.contains(&("Age".into(), AttributeKind::Number)));
        assert_eq!(p.documents, vec!["talk.txt".to_string()]);
        assert_eq!(r.speakers_linked, vec!["Ana (talk.txt) → P01".to_string()]);
        // Notes → memos on the participant (Link), the coding (NoteRef), the theme (MemberNote), the journal.
        let memos = s.memos(None).unwrap();
        let kind_of = |title: &str| {
            memos
                .iter()
                .find(|m| m.title == title)
                .unwrap()
                .target
                .kind()
        };
        assert_eq!(kind_of("About Ana"), "participant");
        assert_eq!(kind_of("Why"), "coding");
        assert_eq!(kind_of("Theme note"), "theme");
        assert_eq!(kind_of("Diary"), "journal");
        assert_eq!(
            memos.iter().find(|m| m.title == "Filed").unwrap().body,
            "From a file"
        );
        let theme = &s.themes().unwrap()[0];
        assert_eq!(
            (theme.definition.as_str(), theme.status),
            ("Being part", ThemeStatus::Reviewed)
        );
        // One action: one history entry, one undo.
        assert_eq!(s.history().unwrap().len(), 1);
        s.undo("me").unwrap();
        assert!(s.codes().unwrap().is_empty());
        assert!(s.participants().unwrap().is_empty());
        assert!(s.memos(None).unwrap().is_empty());
        assert!(s.documents().unwrap().is_empty());
        // Redo brings it all back.
        s.redo("me").unwrap();
        assert_eq!(s.documents().unwrap().len(), 1);
        assert_eq!(s.codings(&CodingFilter::default()).unwrap().len(), 1);
        assert_eq!(s.participants().unwrap().len(), 1);
    }

    #[test]
    fn a_failure_inside_leaves_the_store_unchanged() {
        let xml = project_xml();
        // The source is a zip bomb by its declared size: refused as a whole.
        let mut bytes = zip(&[
            ("project.qde", xml.as_bytes()),
            (&format!("sources/{}.txt", g(10)), TEXT.as_bytes()),
        ]);
        let mut i = 0;
        while i + 30 <= bytes.len() {
            if &bytes[i..i + 4] == b"PK\x01\x02" {
                let name_len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
                if bytes[i + 46..i + 46 + name_len].starts_with(b"sources/") {
                    bytes[i + 24..i + 28].copy_from_slice(&u32::MAX.to_le_bytes());
                }
            }
            i += 1;
        }
        let (_d, mut s) = store();
        let err = import_bytes(&mut s, "me", "t.qdpx", &bytes, false).unwrap_err();
        assert!(err.to_string().starts_with("t.qdpx: "), "{err}");
        assert!(err.to_string().contains("zip bomb"), "{err}");
        assert_eq!(s.change_counter().unwrap(), 0);
        assert!(s.codes().unwrap().is_empty());
    }

    #[test]
    fn line_selections_lose_their_newline() {
        let map = OffsetMap::new("one\ntwo\n", Units::CodePoints);
        let parsed = import::parse("x.txt", b"one\ntwo\n").unwrap();
        let ix = CharIndex::new(&parsed.text);
        let p = Prepared {
            positions: true,
            name: "x".into(),
            bytes: vec![],
            sha: String::new(),
            parsed: parsed.clone(),
            map,
            existing: None,
            alias_of: None,
        };
        assert_eq!(map_range(&p, &ix, 4, 8, "line:1"), Ok((4, 7)));
        assert_eq!(map_range(&p, &ix, 0, 4, "line:0"), Ok((0, 3)));
        assert!(map_range(&p, &ix, 3, 4, "line:0").is_err());
        assert!(map_range(&p, &ix, 5, 2, "").is_err());
        assert!(map_range(&p, &ix, 0, 99, "").is_err());
    }
}
