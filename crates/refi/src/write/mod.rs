//! REFI-QDA writing: a project as QDA-XML `project.qde` plus every
//! document's current text for `sources/<GUID>.txt`, the codebook as `.qdc`,
//! from plain data the facade gathers ([`ProjectData`], [`CodebookData`]).
//! `storyloom-exports` puts them into files.
//!
//! GUIDs are the entities' uuids. Positions are chars of the stored text
//! (Unicode code points, end exclusive), which is the text written to
//! `sources/`, so they are exact. What the standard has no field for (when to
//! use a code, a theme's status, choice attributes, journal dates, the
//! speaker a case is) goes into descriptions with the markers of
//! [`crate::markers`], which the importer reads back.
//! Participants' real names are not exported (only id and pseudonym).

mod codebook;
mod sources;
mod xml;

pub use codebook::{CodebookData, codebook_qdc};
use codebook::{MemoTexts, children_of, memo_text, theme_description, write_code};

use crate::{ORIGIN, ParticipantSource, markers};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use storyloom_text::model::{
    Attribute, AttributeKind, Code, Coding, DocumentSummary, DocumentText, Memo, MemoTarget,
    Participant, Theme,
};
use xml::{Attrs, XmlOut};

/// What a project export carries, read from the project by the facade.
pub struct ProjectData {
    /// The project's name (its file name without extension).
    pub name: String,
    /// Who exports.
    pub actor: String,
    /// Every coder of a live coding.
    pub coders: Vec<String>,
    pub codes: Vec<Code>,
    pub themes: Vec<Theme>,
    pub attributes: Vec<Attribute>,
    pub participants: Vec<Participant>,
    /// Live documents with their current text and turns.
    pub documents: Vec<(DocumentSummary, DocumentText)>,
    pub codings: Vec<Coding>,
    pub memos: Vec<Memo>,
    /// Speakers linked to participants.
    pub speakers: Vec<ParticipantSource>,
    /// Who imported each document (by document uuid), where the history says.
    pub importers: HashMap<String, String>,
    /// Uuids of codes that are categories only (`isCodable="false"`).
    pub non_codable: std::collections::HashSet<String>,
    /// Participants (study id) who withdrew, with what is on record: their
    /// case says so, so the research team leaves them out of what it shares.
    pub withdrawn: HashMap<String, String>,
}

pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

/// Why the XML could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("writing the XML: {0}")]
    Xml(String),
    #[error("{0}")]
    Nothing(String),
}

/// What an export wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RefiExportReport {
    pub users: usize,
    pub codes: usize,
    pub variables: usize,
    pub cases: usize,
    pub sources: usize,
    pub selections: usize,
    pub codings: usize,
    pub notes: usize,
    pub sets: usize,
    /// What did not fit the standard and how it was written instead.
    pub remarks: Vec<String>,
}

/// A GUID derived from a name, the same on every export (users, variables,
/// selections have no uuid of their own in Storyloom).
pub fn derived_guid(kind: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("storyloom/{kind}/{key}").as_bytes());
    let h: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-5{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `project.qde` and the texts to put in `sources/` as (file name, text).
pub struct QdeExport {
    pub xml: Vec<u8>,
    pub sources: Vec<(String, String)>,
    pub report: RefiExportReport,
}

/// Users: every coder and memo author, and whoever exports.
fn users(data: &ProjectData) -> Vec<String> {
    let mut names: Vec<String> = data.coders.clone();
    let importers = data.importers.values();
    for who in data.memos.iter().map(|m| &m.author).chain(importers) {
        if !names.contains(who) {
            names.push(who.clone());
        }
    }
    let me = data.actor.clone();
    if !me.is_empty() && !names.contains(&me) {
        names.push(me);
    }
    names.retain(|n| !n.trim().is_empty());
    names
}

fn user_guid(name: &str) -> String {
    derived_guid("user", name)
}

fn valid_color(c: &str) -> bool {
    storyloom_import::codebook::valid_colour(c)
}

/// A `xsd:dateTime` from a stored RFC 3339 timestamp, or `None`.
fn date_time(s: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// How a REFI-QDA project marks itself, first in the project's description:
/// it carries the transcripts as said, with real names, so it is for the
/// research team only (issue 11). Storyloom reads its own description back
/// as nothing (the memos travel as notes), so the marking never piles up.
pub const RESEARCH_TEAM_ONLY: &str = "Research team only: this project holds the transcripts as said, with the real names of the people in them. Do not share it outside the research team.";

/// What the export report says of every `.qdpx` it writes.
pub const RESEARCH_TEAM_REMARK: &str = "research team only (so marked in the project's description and the file name): it holds the transcripts as said, with real names; never share it outside the research team";

/// The project as `project.qde` plus its sources.
pub fn project_qde(data: &ProjectData) -> Result<QdeExport, WriteError> {
    let mut report = RefiExportReport::default();
    let user_names = users(data);
    let ProjectData {
        codes,
        themes,
        attributes,
        participants,
        documents,
        codings,
        memos,
        speakers,
        ..
    } = data;
    let tree = children_of(codes);

    // Where each memo is referenced from.
    let coding_uuids: std::collections::HashSet<&str> =
        codings.iter().map(|c| c.uuid.as_str()).collect();
    let doc_uuids: std::collections::HashSet<&str> =
        documents.iter().map(|(d, _)| d.uuid.as_str()).collect();
    let case_uuids: std::collections::HashSet<&str> =
        participants.iter().map(|p| p.uuid.as_str()).collect();
    let mut notes_on: HashMap<String, Vec<String>> = HashMap::new();
    let mut project_notes: Vec<String> = Vec::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for m in memos {
        match &m.target {
            MemoTarget::Project => project_notes.push(m.uuid.clone()),
            MemoTarget::Code(u) | MemoTarget::Theme(u) => {
                notes_on.entry(u.clone()).or_default().push(m.uuid.clone())
            }
            MemoTarget::Document(u) if doc_uuids.contains(u.as_str()) => {
                notes_on.entry(u.clone()).or_default().push(m.uuid.clone())
            }
            MemoTarget::Coding(u) if coding_uuids.contains(u.as_str()) => {
                notes_on.entry(u.clone()).or_default().push(m.uuid.clone())
            }
            MemoTarget::Participant(u) if case_uuids.contains(u.as_str()) => {
                links.push((m.uuid.clone(), u.clone()))
            }
            MemoTarget::Journal => {}
            other => report.remarks.push(format!(
                "memo '{}' is about a {} the export does not carry; written as a project note",
                m.title,
                other.kind()
            )),
        }
    }

    let memo_texts: MemoTexts = memos
        .iter()
        .map(|m| (m.uuid.as_str(), (m.title.as_str(), m.body.as_str())))
        .collect();
    let mut w = XmlOut::new();
    let mut root: Attrs = vec![
        ("xmlns", PROJECT_NS.into()),
        ("name", data.name.clone()),
        ("origin", ORIGIN.into()),
    ];
    let me = data.actor.as_str();
    if user_names.iter().any(|u| u == me) {
        root.push(("creatingUserGUID", user_guid(me)));
    }
    root.push(("creationDateTime", now()));
    w.start("Project", &root)?;

    // Users
    if !user_names.is_empty() {
        w.start("Users", &[])?;
        for u in &user_names {
            w.empty("User", &[("guid", user_guid(u)), ("name", u.clone())])?;
        }
        w.end("Users")?;
        report.users = user_names.len();
    }
    let user_attr = |name: &str| -> Option<String> {
        user_names
            .iter()
            .any(|u| u == name)
            .then(|| user_guid(name))
    };

    // CodeBook
    if !codes.is_empty() {
        w.start("CodeBook", &[])?;
        w.start("Codes", &[])?;
        for root in tree.get("").map(Vec::as_slice).unwrap_or(&[]) {
            write_code(
                &mut w,
                root,
                &tree,
                &notes_on,
                &memo_texts,
                true,
                &data.non_codable,
            )?;
        }
        w.end("Codes")?;
        w.end("CodeBook")?;
        report.codes = codes.len();
    }

    // Variables (participant attributes), typed.
    let mut var_types: HashMap<String, (String, &'static str)> = HashMap::new();
    if !attributes.is_empty() {
        w.start("Variables", &[])?;
        for a in attributes {
            let values: Vec<&str> = participants
                .iter()
                .flat_map(|p| p.attributes.iter())
                .filter(|(n, _)| n == &a.name)
                .map(|(_, v)| v.as_str())
                .collect();
            let ty: &'static str = match a.kind {
                AttributeKind::Text | AttributeKind::Choice => "Text",
                AttributeKind::Date => "Date",
                AttributeKind::Number => {
                    if values.iter().all(|v| v.trim().parse::<i64>().is_ok()) {
                        "Integer"
                    } else {
                        "Float"
                    }
                }
            };
            let guid = derived_guid("attribute", &a.name.to_lowercase());
            let attrs: Attrs = vec![
                ("guid", guid.clone()),
                ("name", a.name.clone()),
                ("typeOfVariable", ty.into()),
            ];
            if a.kind == AttributeKind::Choice {
                w.start("Variable", &attrs)?;
                w.text_element(
                    "Description",
                    &format!("{}{}", markers::CHOICES, a.choices.join(" | ")),
                )?;
                w.end("Variable")?;
            } else {
                w.empty("Variable", &attrs)?;
            }
            var_types.insert(a.name.clone(), (guid, ty));
        }
        w.end("Variables")?;
        report.variables = attributes.len();
    }

    // Cases (participants)
    if !participants.is_empty() {
        w.start("Cases", &[])?;
        for p in participants {
            w.start("Case", &[("guid", p.uuid.clone()), ("name", p.id.clone())])?;
            let mut lines = Vec::new();
            if let Some(ps) = p.pseudonym.as_deref().filter(|s| !s.trim().is_empty()) {
                lines.push(format!("{}{ps}", markers::PSEUDONYM));
            }
            if let Some(why) = data.withdrawn.get(&p.id) {
                lines.push(format!("{}{why}", markers::WITHDRAWN));
            }
            let mine: Vec<_> = speakers.iter().filter(|s| s.participant == p.id).collect();
            for s in &mine {
                lines.push(format!(
                    "{}{}” in {}",
                    markers::SPEAKS_AS,
                    s.speaker,
                    s.document_name
                ));
            }
            if !lines.is_empty() {
                w.text_element("Description", &lines.join("\n"))?;
            }
            for (name, value) in &p.attributes {
                let Some((guid, ty)) = var_types.get(name) else {
                    continue;
                };
                let (element, value) = match *ty {
                    "Integer" => ("IntegerValue", value.trim().to_owned()),
                    "Float" => ("FloatValue", decimal(value)),
                    "Date" => ("DateValue", value.trim().to_owned()),
                    _ => ("TextValue", value.clone()),
                };
                w.start("VariableValue", &[])?;
                w.empty("VariableRef", &[("targetGUID", guid.clone())])?;
                w.text_element(element, &value)?;
                w.end("VariableValue")?;
            }
            let mut seen = Vec::new();
            for s in &mine {
                if !seen.contains(&s.document_uuid) {
                    w.empty("SourceRef", &[("targetGUID", s.document_uuid.clone())])?;
                    seen.push(s.document_uuid.clone());
                }
            }
            w.end("Case")?;
        }
        w.end("Cases")?;
        report.cases = participants.len();
    }

    // Sources, then Notes (memos; journal entries as text files in sources/).
    let mut sources = sources::write_sources(
        &mut w,
        data,
        &notes_on,
        &memo_texts,
        &user_attr,
        &mut report,
    )?;
    sources.extend(sources::write_notes(
        &mut w,
        memos,
        &user_attr,
        &mut report,
    )?);

    report.remarks.push(personal_data(data, &user_names));

    // Links: memos about participants (a case has no NoteRef).
    if !links.is_empty() {
        w.start("Links", &[])?;
        for (note, case) in &links {
            w.empty(
                "Link",
                &[
                    ("guid", derived_guid("link", note)),
                    ("name", markers::MEMO_LINK.into()),
                    ("direction", "OneWay".into()),
                    ("originGUID", note.clone()),
                    ("targetGUID", case.clone()),
                ],
            )?;
        }
        w.end("Links")?;
    }

    // Sets: themes.
    if !themes.is_empty() {
        w.start("Sets", &[])?;
        for t in themes {
            w.start("Set", &[("guid", t.uuid.clone()), ("name", t.name.clone())])?;
            let d = theme_description(&t.definition, t.status);
            if !d.is_empty() {
                w.text_element("Description", &d)?;
            }
            for c in &t.codes {
                w.empty("MemberCode", &[("targetGUID", c.clone())])?;
            }
            for n in notes_on.get(&t.uuid).map(Vec::as_slice).unwrap_or(&[]) {
                w.empty("MemberNote", &[("targetGUID", n.clone())])?;
            }
            w.end("Set")?;
        }
        w.end("Sets")?;
        report.sets = themes.len();
    }

    // The project's description says who the file is for (issue 11), then
    // the project memo (QualCoder reads it there).
    let project_memo = memo_text(&project_notes, &memo_texts);
    let mut description = RESEARCH_TEAM_ONLY.to_owned();
    if !project_memo.is_empty() {
        description.push_str("\n\n");
        description.push_str(&project_memo);
    }
    w.text_element("Description", &description)?;
    report.remarks.push(RESEARCH_TEAM_REMARK.to_owned());
    for n in &project_notes {
        w.empty("NoteRef", &[("targetGUID", n.clone())])?;
    }
    w.end("Project")?;
    Ok(QdeExport {
        xml: w.finish(),
        sources,
        report,
    })
}

/// What personal data the file holds, said plainly: the export is for the
/// research team, not pseudonymised.
fn personal_data(data: &ProjectData, users: &[String]) -> String {
    let mut held = vec![];
    if !data.documents.is_empty() {
        held.push(
            "the full text of every document as stored, not pseudonymised (names said in interviews are in it), the document names, and the speaker labels as the project shows them (often real names) at the start of every turn and in each source's description".to_owned(),
        );
    }
    let names: Vec<String> = data
        .participants
        .iter()
        .filter_map(|p| p.name.as_deref())
        .flat_map(|n| n.split_whitespace().filter(|w| w.chars().count() > 2))
        .map(str::to_lowercase)
        .collect();
    let named_labels = data
        .speakers
        .iter()
        .filter(|s| {
            s.speaker
                .split_whitespace()
                .any(|w| names.contains(&w.to_lowercase()))
        })
        .count();
    if !data.speakers.is_empty() {
        held.push(format!(
            "speaker labels in the case descriptions ({} of {} are participants' names)",
            named_labels,
            data.speakers.len()
        ));
    }
    if !data.participants.is_empty() {
        held.push(
            "participants' ids, pseudonyms and attributes (their names as entered are not written)"
                .into(),
        );
    }
    if !users.is_empty() {
        held.push(format!(
            "the user names of {} coders and memo authors",
            users.len()
        ));
    }
    if !data.memos.is_empty() {
        held.push("memos and journal entries as written".into());
    }
    if held.is_empty() {
        return "personal data: none beyond the codebook".into();
    }
    format!("personal data in this file: {}", held.join("; "))
}

/// A selection's name: its text, cut with `…` when long (as ATLAS.ti does).
fn selection_name(quote: &str) -> String {
    let flat = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 100 {
        flat
    } else {
        format!("{}…", flat.chars().take(99).collect::<String>())
    }
}

/// A number as `xsd:decimal` (no exponent).
fn decimal(v: &str) -> String {
    let v = v.trim();
    let plain = {
        let body = v.strip_prefix(['+', '-']).unwrap_or(v);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        !body.is_empty()
            && body != "."
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    if plain {
        v.to_owned()
    } else {
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| f.to_string())
            .unwrap_or_else(|| "0".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_guids_are_stable_and_valid() {
        let a = derived_guid("user", "ana");
        assert_eq!(a, derived_guid("user", "ana"));
        assert_ne!(a, derived_guid("user", "ben"));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            vec![8, 4, 4, 4, 12]
        );
    }

    #[test]
    fn decimals_have_no_exponent() {
        assert_eq!(decimal("3.5"), "3.5");
        assert_eq!(decimal("-2"), "-2");
        assert_eq!(decimal("1e3"), "1000");
        assert_eq!(decimal(".5"), ".5");
    }

    #[test]
    fn long_selection_names_are_cut() {
        assert_eq!(selection_name("a  b\nc"), "a b c");
        let long = "word ".repeat(50);
        let n = selection_name(&long);
        assert!(n.ends_with('…') && n.chars().count() == 100);
    }
}
