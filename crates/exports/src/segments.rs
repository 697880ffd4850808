//! Coded segments as CSV and XLSX: one row per coding with its document,
//! the participant's pseudonym (never the name), the participant's
//! attributes, the code path, the pseudonymised text, the char range, the
//! turn's start time, the coder and when the coding was made. The CSV goes
//! through [`crate::SheetCsv`] (byte order mark, formulas neutralised); the
//! XLSX types its cells: numbers, dates and booleans as such, attributes by
//! their declared kind.
//!
//! Names are replaced through the project's pseudonym map (all entries,
//! confirmed or not) plus the participants' own names, so a name that the
//! researcher has not yet put in the map still never leaves the project.

use crate::ExportError;
use crate::reports::ReportOptions;
pub use crate::segments_xlsx::export_segments_xlsx;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use storyloom_project::stories::consent::ConsentScope;
use storyloom_project::stories::pseudonyms::{bare, sentence_case, starts_sentence};
use storyloom_project::stories::{Pseudonym, PseudonymKind, PseudonymMap};
use storyloom_project::{Coding, Participant, Project};

/// The fixed columns before and after the attribute columns.
pub const LEADING: [&str; 2] = ["document", "participant"];
pub const TRAILING: [&str; 9] = [
    "code",
    "text",
    "start",
    "end",
    "timestamp",
    "coder",
    "coding_date",
    "key_quote",
    "coding",
];

/// Participant fields that identify a person and are never exported as attributes.
const NEVER_EXPORTED: [&str; 3] = ["name", "pseudonym", "id"];

/// Replaces names: the project's pseudonym map plus participants' names.
pub struct Anonymiser {
    map: PseudonymMap,
}

impl Anonymiser {
    pub fn new(project: &Project, key_file: Option<&PseudonymMap>) -> Result<Self, ExportError> {
        let project_map = project.pseudonym_map(key_file)?;
        let mut extra: Vec<Pseudonym> = Vec::new();
        for p in project.participants()? {
            let Some(name) = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            let replacement = public_name(&p);
            let mut push = |original: &str| {
                if !extra
                    .iter()
                    .any(|e| e.original.eq_ignore_ascii_case(original))
                {
                    extra.push(Pseudonym {
                        original: original.to_owned(),
                        replacement: replacement.clone(),
                        kind: PseudonymKind::Person,
                        confirmed: false,
                        scope: None,
                    });
                }
            };
            push(name);
            for part in name.split_whitespace().filter(|w| w.chars().count() > 2) {
                push(part);
            }
        }
        // The project's own entries win over the ones made from names.
        Ok(Anonymiser {
            map: PseudonymMap::new(extra).merged(&project_map),
        })
    }

    /// Names replaced by `[Replacement]`: for quotes.
    pub fn bracketed(&self, text: &str) -> String {
        let hits = self.map.find_all(text);
        if hits.is_empty() {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (s, e, entry) in hits {
            if s < at || e > chars.len() {
                continue;
            }
            out.extend(&chars[at..s]);
            let found: String = chars[s..e].iter().collect();
            let before: String = chars[..s].iter().collect();
            out.push('[');
            out.push_str(&sentence_case(
                &found,
                bare(&entry.replacement),
                starts_sentence(&before),
            ));
            out.push(']');
            at = e;
        }
        out.extend(&chars[at..]);
        out
    }

    /// Names replaced without brackets: for labels, document names, attribute values.
    pub fn plain(&self, text: &str) -> String {
        self.map.apply_plain(text)
    }
}

/// How a participant is shown: the pseudonym, else the study id; never the name.
pub fn public_name(p: &Participant) -> String {
    p.pseudonym
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| p.id.clone())
}

/// `hh:mm:ss` of a time in milliseconds.
pub fn hms(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// One coding with what a row shows.
#[derive(Debug, Clone)]
pub struct Segment {
    pub coding: Coding,
    /// Index into [`Segments::participants`].
    pub participant: Option<usize>,
    pub start_ms: Option<u64>,
}

/// Every coding of the project, each with its participant and turn time.
pub struct Segments {
    pub participants: Vec<Participant>,
    pub rows: Vec<Segment>,
}

impl Segments {
    /// The segments an export of quotes may carry: those of storytellers who
    /// withdrew their story, or whose consent does not cover quotes in other
    /// outputs, are left out (see `Project::consent_exclusions`).
    pub fn load_consented(project: &Project) -> Result<Segments, ExportError> {
        let mut s = Segments::load(project)?;
        let out = project.consent_exclusions(ConsentScope::Quotes)?;
        if !out.is_empty() {
            let excluded: Vec<Option<usize>> = s
                .participants
                .iter()
                .enumerate()
                .filter(|(_, p)| out.iter().any(|(id, _)| *id == p.id))
                .map(|(i, _)| Some(i))
                .collect();
            s.rows.retain(|r| !excluded.contains(&r.participant));
        }
        Ok(s)
    }

    /// Reads every coding once and every document once (turns and speakers),
    /// attributing each coding to the turn where it starts in one pass.
    pub fn load(project: &Project) -> Result<Segments, ExportError> {
        let participants = project.participants()?;
        let by_id: HashMap<&str, usize> = participants
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut by_doc: BTreeMap<String, Vec<Coding>> = BTreeMap::new();
        for c in project.codings(None, None, None)? {
            by_doc.entry(c.document.clone()).or_default().push(c);
        }
        let mut rows = Vec::new();
        for (doc, mut codings) in by_doc {
            let text = project.document(&doc)?;
            let speakers: HashMap<String, Option<usize>> = project
                .speakers(&doc)?
                .into_iter()
                .map(|s| {
                    let p = s
                        .participant
                        .as_deref()
                        .and_then(|id| by_id.get(id).copied());
                    (s.label, p)
                })
                .collect();
            codings.sort_by_key(|c| (c.start, c.end));
            let mut turns: Vec<&storyloom_project::Turn> = text.turns.iter().collect();
            turns.sort_by_key(|t| t.start);
            let mut i = 0;
            for c in codings {
                while i < turns.len() && turns[i].end <= c.start {
                    i += 1;
                }
                let turn = turns.get(i).filter(|t| t.start < c.end.max(c.start + 1));
                rows.push(Segment {
                    participant: turn.and_then(|t| speakers.get(&t.speaker).copied().flatten()),
                    start_ms: turn.and_then(|t| t.start_ms),
                    coding: c,
                });
            }
        }
        rows.sort_by(|a, b| {
            (&a.coding.document_name, a.coding.start, &a.coding.code_path).cmp(&(
                &b.coding.document_name,
                b.coding.start,
                &b.coding.code_path,
            ))
        });
        Ok(Segments { participants, rows })
    }

    /// The attribute names that get a column, in first-seen order.
    pub fn attribute_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.participants {
            for (k, _) in &p.attributes {
                if !NEVER_EXPORTED.contains(&k.to_lowercase().as_str()) && !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
        out
    }

    pub fn participant(&self, s: &Segment) -> Option<&Participant> {
        s.participant.and_then(|i| self.participants.get(i))
    }
}

/// The header of a segments table.
pub fn header(attributes: &[String]) -> Vec<String> {
    LEADING
        .iter()
        .map(|s| s.to_string())
        .chain(attributes.iter().cloned())
        .chain(TRAILING.iter().map(|s| s.to_string()))
        .collect()
}

/// One row's cells as text, with the typed values the XLSX writes.
pub(crate) struct Row {
    pub(crate) cells: Vec<String>,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) start_ms: Option<u64>,
    pub(crate) coded: Option<chrono::NaiveDateTime>,
    pub(crate) key_quote: bool,
}

/// When a coding was made, in UTC, from the stored RFC 3339 time.
fn coded_at(created: &str) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(created)
        .ok()
        .map(|t| t.naive_utc())
}

pub(crate) fn rows<'a>(
    segments: &'a Segments,
    attributes: &'a [String],
    names: &'a Anonymiser,
) -> impl Iterator<Item = Row> + 'a {
    let mut doc_cache: HashMap<String, String> = HashMap::new();
    let mut part_cache: HashMap<usize, (String, Vec<String>)> = HashMap::new();
    segments.rows.iter().map(move |s| {
        let c = &s.coding;
        let document = doc_cache
            .entry(c.document.clone())
            .or_insert_with(|| names.plain(&c.document_name))
            .clone();
        let (participant, values) = match s.participant {
            Some(i) => part_cache
                .entry(i)
                .or_insert_with(|| {
                    let p = &segments.participants[i];
                    (
                        public_name(p),
                        attributes
                            .iter()
                            .map(|a| {
                                p.attributes
                                    .iter()
                                    .find(|(k, _)| k == a)
                                    .map(|(_, v)| names.plain(v))
                                    .unwrap_or_default()
                            })
                            .collect(),
                    )
                })
                .clone(),
            None => (String::new(), vec![String::new(); attributes.len()]),
        };
        let mut cells = Vec::with_capacity(attributes.len() + 10);
        cells.push(document);
        cells.push(participant);
        cells.extend(values);
        cells.push(c.code_path.clone());
        cells.push(names.bracketed(&c.quote));
        cells.push(c.start.to_string());
        cells.push(c.end.to_string());
        cells.push(s.start_ms.map(hms).unwrap_or_default());
        cells.push(c.coder.clone());
        let coded = coded_at(&c.created_at);
        cells.push(
            coded
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
        );
        cells.push(if c.key_quote { "yes" } else { "" }.to_owned());
        cells.push(c.uuid.clone());
        Row {
            cells,
            start: c.start,
            end: c.end,
            start_ms: s.start_ms,
            coded,
            key_quote: c.key_quote,
        }
    })
}

/// Writes the coded segments as CSV. Returns the number of rows.
pub fn write_segments_csv(
    project: &Project,
    options: &ReportOptions,
    out: impl Write,
) -> Result<usize, ExportError> {
    let names = Anonymiser::new(project, options.key_file.as_ref())?;
    let segments = Segments::load_consented(project)?;
    let attributes = segments.attribute_names();
    let mut w = crate::SheetCsv::new(out, options.csv)?;
    w.write_row(header(&attributes))?;
    let mut n = 0;
    for row in rows(&segments, &attributes, &names) {
        w.write_row(&row.cells)?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// Saves the coded segments as CSV at `path`. Returns the number of rows.
pub fn export_segments_csv(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<usize, ExportError> {
    Ok(export_segments_csv_checked(project, path, options)?.0)
}

/// [`export_segments_csv`] with what the privacy gate checked the file against.
pub fn export_segments_csv_checked(
    project: &Project,
    path: &Path,
    options: &ReportOptions,
) -> Result<(usize, crate::gate::GateReport), ExportError> {
    crate::stakeholder_target(path, "the coded segments")?;
    let mut file = storyloom_atomic::AtomicFile::create(path)?;
    let mut buffered = std::io::BufWriter::new(&mut file);
    let n = write_segments_csv(project, options, &mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    let checked = crate::reports::gate_temp(&file, project, options)?;
    file.commit()?;
    Ok((n, checked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_hours_minutes_seconds() {
        assert_eq!(hms(0), "00:00:00");
        assert_eq!(hms(3_723_999), "01:02:03");
    }

    #[test]
    fn names_are_bracketed_in_quotes_and_plain_in_labels() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Project::create(&dir.path().join("p.storyloom")).unwrap();
        p.create_participant("P01", Some("Doreen Walsh"), Some("Dot"))
            .unwrap();
        let names = Anonymiser::new(&p, None).unwrap();
        assert_eq!(
            names.bracketed("How are you, Doreen? Mrs WALSH said."),
            "How are you, [Dot]? Mrs [DOT] said."
        );
        assert_eq!(names.plain("P01-doreen-walsh.docx"), "P01-Dot-Dot.docx");
    }
}
