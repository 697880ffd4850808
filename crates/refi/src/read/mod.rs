//! Reading a `.qdpx` or `.qdc` into plain data: the project tree, every
//! text source parsed by the normal importer, every selection mapped from
//! the producer's way of counting to chars of the parsed text, and the
//! report of what could not be read. Nothing here touches a project: the
//! facade looks up what the project already has and applies the result in
//! one change (`storyloom-project`, `project/refi_import`).

mod describe;
mod select;
mod source;

pub use describe::{
    all_codes, case_ident, clean_code_name, description_line, short_guid, speaks_as,
    split_theme_description, variable_kind,
};
pub use select::{MISMATCH_EXAMPLES, PlannedCoding};
pub use source::{Source, source_name};

use crate::offsets::Units;
use crate::qde::{self, QCoding, Qde};
use crate::{RefiImportReport, dom};
use source::{Skip, prepare_source, read_source_entry};
use std::collections::HashMap;
use storyloom_import::{self as import, ImportError};

/// The format named in errors.
pub const FORMAT: &str = "REFI-QDA project";

fn corrupt(reason: String) -> ImportError {
    ImportError::Corrupt {
        format: FORMAT,
        reason,
    }
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
    // The tree and its XML are read into `q`; a big file's are hundreds of MB.
    drop(root);
    drop(xml);
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

    let planned = select::plan(&q, &sources, &mut report, &coder_of);

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
