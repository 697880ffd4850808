//! Reading a `.qdpx` or `.qdc` into plain data: the project tree, every
//! text source parsed by the normal importer, every selection mapped from
//! the producer's way of counting to chars of the parsed text, and the
//! report of what could not be read. Nothing here touches a project: the
//! facade looks up what the project already has and applies the result in
//! one change (`storyloom-project`, `project/refi_import`).

use crate::names::{clip, name_fits, name_holds_text};
use crate::offsets::{OffsetMap, Units, map_range};
use crate::qde::{self, QCode, QCoding, Qde};
use crate::{RefiImportReport, SelectionOutcome, dom, markers};
use std::collections::{HashMap, HashSet};
use storyloom_import::{self as import, ImportError, ParsedDocument};
use storyloom_text::model::{AttributeKind, ThemeStatus};
use storyloom_text::text::CharIndex;

/// The format named in errors.
pub const FORMAT: &str = "REFI-QDA project";

fn corrupt(reason: String) -> ImportError {
    ImportError::Corrupt {
        format: FORMAT,
        reason,
    }
}

/// A text source read and parsed.
pub struct Source {
    /// Selection positions can be mapped (false when the text came from a .docx).
    pub positions: bool,
    pub name: String,
    pub bytes: Vec<u8>,
    pub parsed: ParsedDocument,
    pub map: OffsetMap,
    /// The same text counted in UTF-16 units, when the producer is taken to
    /// count code points and the text has characters where the two differ:
    /// QualCoder stores codings made in its window in UTF-16 units and its
    /// imported ones in code points, so each selection whose name holds its
    /// text is checked against both.
    pub alt: Option<OffsetMap>,
}

/// One coding to make: a code on a char range of a source's parsed text.
pub struct PlannedCoding {
    /// Index into [`Read::sources`].
    pub source: usize,
    pub start: usize,
    pub end: usize,
    pub code_guid: String,
    pub coder: String,
    /// Index into the report's selections (`usize::MAX` for a coding of a whole source).
    pub selection: usize,
    pub note_refs: Vec<String>,
    pub guid: String,
}

/// What a REFI-QDA file holds, read and planned.
pub struct Read {
    pub qde: Qde,
    /// What reading found: sources skipped, selections mapped or skipped.
    pub report: RefiImportReport,
    /// One per text source of [`Qde::sources`]; `None` when it could not be read.
    pub sources: Vec<Option<Source>>,
    pub planned: Vec<PlannedCoding>,
    /// Note guid → the text of its plain-text file.
    pub note_files: HashMap<String, String>,
    /// User guid → name.
    pub users: HashMap<String, String>,
    /// Who made what names no user: the file's creating user, or the importer.
    pub default_coder: String,
}

impl Read {
    /// The name of the user a guid names, or the default coder.
    pub fn user_or_default(&self, guid: Option<&str>) -> String {
        guid.and_then(|g| self.users.get(g))
            .map_or(self.default_coder.as_str(), |n| n.as_str())
            .to_owned()
    }
}

/// Reads a `.qdpx` archive (or a `.qdc` codebook when `is_qdc`) as plain
/// data. `actor` codes what the file says nobody made. A broken or hostile
/// file is refused whole; a source that cannot be read is reported.
pub fn read(file: &str, bytes: &[u8], is_qdc: bool, actor: &str) -> Result<Read, ImportError> {
    let xml = if is_qdc {
        bytes.to_vec()
    } else {
        import::zipread::read_entry_limited(bytes, "project.qde", FORMAT, import::MAX_XML_BYTES)?
    };
    let root = dom::parse(&xml).map_err(|e| match e {
        ImportError::XmlDoctype => corrupt(
            "the XML declares a DOCTYPE (entities); refused for safety: REFI-QDA files never need one"
                .into(),
        ),
        e => e,
    })?;
    let q = qde::read(&root).map_err(corrupt)?;
    if is_qdc && !q.codebook_only {
        return Err(corrupt(
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
    let mut sources: Vec<Option<Source>> = Vec::with_capacity(q.sources.len());
    for s in &q.sources {
        let shown = source_name(s);
        match prepare_source(bytes, s, units, is_qdc) {
            Ok(source) => {
                if !source.positions {
                    report.notes.push(format!(
                        "{}: the plain text is missing, so the text was taken from its .docx; its selections count the missing plain text and are skipped",
                        source.name
                    ));
                }
                sources.push(Some(source));
            }
            Err(Skip::Hostile(e)) => return Err(e),
            Err(Skip::Source(why)) => {
                let n = s.selections.len();
                report.sources_skipped.push(if n > 0 {
                    format!("{shown}: {why}; its {n} selections are skipped")
                } else {
                    format!("{shown}: {why}")
                });
                sources.push(None);
            }
        }
    }
    let users: HashMap<String, String> = q
        .users
        .iter()
        .map(|u| (u.guid.clone(), u.name.clone()))
        .collect();
    let default_coder = q
        .creating_user
        .as_deref()
        .and_then(|g| users.get(g))
        .map_or(actor, |n| n.as_str())
        .to_owned();
    let coder_of = |coding: &QCoding, sel_user: Option<&str>| -> String {
        coding
            .creating_user
            .as_deref()
            .or(sel_user)
            .and_then(|g| users.get(g))
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| default_coder.clone())
    };

    // Plan the selections: char ranges into each source's parsed text.
    let mut planned: Vec<PlannedCoding> = Vec::new();
    let code_guids: HashSet<&str> = all_codes(&q.codes).map(|c| c.guid.as_str()).collect();
    for (si, s) in q.sources.iter().enumerate() {
        let shown = source_name(s);
        // One char index per source (texts run to megabytes).
        let index = sources[si].as_ref().map(|p| CharIndex::new(&p.parsed.text));
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
            let (Some(p), Some(ix)) = (sources[si].as_ref(), index.as_ref()) else {
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
                (Some(a), Some(b)) => map_range(&p.map, ix, a, b, &sel.name),
                _ => Err("no startPosition/endPosition".to_owned()),
            };
            // Where the name holds the text, it decides the unit: the
            // producer's, else UTF-16 units; a selection fitting neither is reported.
            let mut range = range;
            if let (Some(expected), true) = (name_holds_text(&sel.name), p.positions)
                && Some(expected.chars().count() as i64)
                    == sel.end.zip(sel.start).map(|(b, a)| b - a)
            {
                report.names_checked += 1;
                let fits = |r: &(usize, usize)| {
                    ix.slice(r.0, r.1).is_some_and(|q| name_fits(&expected, q))
                };
                if !range.as_ref().is_ok_and(fits) {
                    let alt = p
                        .alt
                        .as_ref()
                        .zip(sel.start.zip(sel.end))
                        .and_then(|(m, (a, b))| map_range(m, ix, a, b, &sel.name).ok())
                        .filter(fits);
                    if let Some(r) = alt {
                        range = Ok(r);
                        report.selections_utf16 += 1;
                    } else if let Ok((start, end)) = range {
                        report.name_mismatches.push(format!(
                            "{} in {shown}: name “{}” but the text at {start}..{end} is “{}”{}",
                            short_guid(&sel.guid),
                            clip(&expected),
                            clip(ix.slice(start, end).unwrap_or_default()),
                            if p.alt.is_some() {
                                " (nor in UTF-16 units)"
                            } else {
                                ""
                            }
                        ));
                    }
                }
            }
            let (start, end) = match range {
                Ok(r) => r,
                Err(why) => {
                    skip(&mut outcome, &mut report, why);
                    report.selections.push(outcome);
                    continue;
                }
            };
            let quote = ix.slice(start, end).unwrap_or_default().to_owned();
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
        if let Some(p) = sources[si].as_ref() {
            let len = storyloom_text::text::char_len(&p.parsed.text);
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

    if report.selections_utf16 > 0 {
        report.notes.push(format!(
            "{} selections were counted in UTF-16 units, not code points as the rest (their names matched the text there); placed accordingly",
            report.selections_utf16
        ));
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
                            note_files.insert(
                                n.guid.clone(),
                                storyloom_text::text::normalize(t.trim_end()),
                            );
                        }
                        Err(e) => report.notes.push(format!("note '{}': {e}", n.name)),
                    }
                }
                Err(Skip::Hostile(e)) => return Err(e),
                Err(Skip::Source(why)) => report.notes.push(format!("note '{}': {why}", n.name)),
            }
        }
    }
    Ok(Read {
        qde: q,
        report,
        sources,
        planned,
        note_files,
        users,
        default_coder,
    })
}

/// The name a text source is shown and stored by.
pub fn source_name(s: &qde::TextSource) -> String {
    let name = s
        .name
        .clone()
        .or_else(|| {
            s.plain_text_path
                .as_deref()
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_owned())
        })
        .unwrap_or_else(|| s.guid.clone());
    storyloom_text::text::normalize(&name)
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
) -> std::result::Result<Source, Skip> {
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
            return Ok(Source {
                positions: false,
                name,
                bytes: docx,
                parsed,
                map,
                alt: None,
            });
        }
        Err(hostile) => return Err(hostile),
    };
    let mut notes = Vec::new();
    let raw =
        import::decode::decode_text(&bytes, &mut notes).map_err(|e| Skip::Source(e.to_string()))?;
    let map = OffsetMap::new(&raw, units);
    let alt = (units == Units::CodePoints && raw.chars().any(|c| c.len_utf16() > 1))
        .then(|| OffsetMap::new(&raw, Units::Utf16));
    // The normal importer: speakers and turns, text normalised as always.
    let parsed = import::parse("source.txt", &bytes).map_err(|e| Skip::Source(e.to_string()))?;
    if !map.normalized.starts_with(&parsed.text) {
        return Err(Skip::Source(
            "its text could not be matched to the imported text".into(),
        ));
    }
    Ok(Source {
        positions: true,
        name,
        bytes,
        parsed,
        map,
        alt,
    })
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

/// The text a selection's name may hold (ATLAS.ti writes the quote there,
/// cut with `…` when long); `None` for names that are labels. Only names as
/// long as the selection are compared: users rename quotations too.
/// The first 8 characters of a GUID, for messages.
pub fn short_guid(g: &str) -> &str {
    g.get(..8).unwrap_or(g)
}

/// Every code of the tree, parents before children.
pub fn all_codes(codes: &[QCode]) -> Box<dyn Iterator<Item = &QCode> + '_> {
    Box::new(
        codes
            .iter()
            .flat_map(|c| std::iter::once(c).chain(all_codes(&c.children))),
    )
}

/// A code or theme name as Storyloom keeps it: whitespace collapsed, no `>`
/// (it separates levels of a path), at most 200 characters.
pub fn clean_code_name(name: &str) -> String {
    let n = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('>', "›");
    let n: String = n.chars().take(200).collect();
    if n.is_empty() { "(unnamed)".into() } else { n }
}

/// The participant id a case becomes: its name, or `Case N`.
pub fn case_ident(c: &qde::Case, index: usize) -> String {
    let n = c.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() {
        format!("Case {}", index + 1)
    } else {
        n
    }
}

/// The value of a `Marker: value` line of a description.
pub fn description_line(d: &str, marker: &str) -> Option<String> {
    d.lines()
        .find_map(|l| l.trim().strip_prefix(marker))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `Speaks as “LABEL” in DOCUMENT` lines: (label, document name).
pub fn speaks_as(d: &str) -> Vec<(String, String)> {
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

/// The attribute kind (and choices) of a REFI variable.
pub fn variable_kind(v: &qde::Variable) -> (AttributeKind, Vec<String>) {
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

/// A set's description as a theme definition and the status it records.
pub fn split_theme_description(d: &str) -> (String, ThemeStatus) {
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

    #[test]
    fn line_selections_lose_their_newline() {
        let map = OffsetMap::new("one\ntwo\n", Units::CodePoints);
        let parsed = import::parse("x.txt", b"one\ntwo\n").unwrap();
        let ix = CharIndex::new(&parsed.text);
        assert_eq!(map_range(&map, &ix, 4, 8, "line:1"), Ok((4, 7)));
        assert_eq!(map_range(&map, &ix, 0, 4, "line:0"), Ok((0, 3)));
        assert!(map_range(&map, &ix, 3, 4, "line:0").is_err());
        assert!(map_range(&map, &ix, 5, 2, "").is_err());
        assert!(map_range(&map, &ix, 0, 99, "").is_err());
    }
}
