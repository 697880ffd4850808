//! The codebook (codes and themes) as QDA-XML: on its own as a `.qdc`, and
//! the codes inside a project's `project.qde`.

use super::xml::{Attrs, XmlOut};
use super::{CODEBOOK_NS, RefiExportReport, WriteError, valid_color};
use crate::{ORIGIN, markers};
use std::collections::{BTreeMap, HashMap, HashSet};
use storyloom_text::model::{Code, Theme, ThemeStatus};

/// What a codebook export carries.
pub struct CodebookData {
    pub codes: Vec<Code>,
    pub themes: Vec<Theme>,
    /// Uuids of codes that are categories only (`isCodable="false"`).
    pub non_codable: HashSet<String>,
}

/// Codes as a tree: children of each parent uuid ("" for roots), in codebook order.
pub(super) fn children_of(codes: &[Code]) -> BTreeMap<String, Vec<&Code>> {
    let mut map: BTreeMap<String, Vec<&Code>> = BTreeMap::new();
    for c in codes {
        map.entry(c.parent.clone().unwrap_or_default())
            .or_default()
            .push(c);
    }
    map
}

/// Memo texts by memo uuid (title, body), for descriptions.
pub(super) type MemoTexts<'a> = HashMap<&'a str, (&'a str, &'a str)>;

/// Memos as description text: each one's title (when it has one) and body.
pub(super) fn memo_text(uuids: &[String], memos: &MemoTexts) -> String {
    uuids
        .iter()
        .filter_map(|u| memos.get(u.as_str()))
        .map(|(title, body)| {
            if title.trim().is_empty() {
                body.trim().to_owned()
            } else {
                format!("{}\n{}", title.trim(), body.trim())
            }
        })
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub(super) fn write_code(
    w: &mut XmlOut,
    code: &Code,
    tree: &BTreeMap<String, Vec<&Code>>,
    notes: &HashMap<String, Vec<String>>,
    memos: &MemoTexts,
    project_schema: bool,
    non_codable: &HashSet<String>,
) -> Result<(), WriteError> {
    let codable = !non_codable.contains(&code.uuid);
    let mut attrs: Attrs = vec![
        ("guid", code.uuid.clone()),
        ("name", code.name().to_owned()),
        ("isCodable", codable.to_string()),
    ];
    if valid_color(&code.color) {
        attrs.push(("color", code.color.clone()));
    }
    let mut description =
        markers::code_description(&code.definition, &code.when_to_use, &code.when_not);
    let kids = tree.get(&code.uuid).map(Vec::as_slice).unwrap_or(&[]);
    let code_notes = if project_schema {
        notes.get(&code.uuid).map(Vec::as_slice).unwrap_or(&[])
    } else {
        &[]
    };
    // The code's memos also in its description, where QualCoder and NVivo read them.
    let memo = memo_text(code_notes, memos);
    if !memo.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(markers::CODE_MEMOS);
        description.push_str("\n\n");
        description.push_str(&memo);
    }
    if description.is_empty() && kids.is_empty() && code_notes.is_empty() {
        return w.empty("Code", &attrs);
    }
    w.start("Code", &attrs)?;
    if !description.is_empty() {
        w.text_element("Description", &description)?;
    }
    for n in code_notes {
        w.empty("NoteRef", &[("targetGUID", n.clone())])?;
    }
    for k in kids {
        write_code(w, k, tree, notes, memos, project_schema, non_codable)?;
    }
    w.end("Code")
}

pub(super) fn theme_description(definition: &str, status: ThemeStatus) -> String {
    let mut d = definition.trim().to_owned();
    if status != ThemeStatus::Candidate {
        if !d.is_empty() {
            d.push_str("\n\n");
        }
        d.push_str(markers::THEME_STATUS);
        d.push_str(status.as_str());
    }
    d
}

/// The codebook as a `.qdc` document.
pub fn codebook_qdc(data: &CodebookData) -> Result<(Vec<u8>, RefiExportReport), WriteError> {
    let codes = &data.codes;
    if codes.is_empty() {
        return Err(WriteError::Nothing(
            "the project has no codes: a REFI-QDA codebook needs at least one".into(),
        ));
    }
    let themes = &data.themes;
    let tree = children_of(codes);
    let mut report = RefiExportReport {
        codes: codes.len(),
        ..Default::default()
    };
    let mut w = XmlOut::new();
    w.start(
        "CodeBook",
        &[("xmlns", CODEBOOK_NS.into()), ("origin", ORIGIN.into())],
    )?;
    w.start("Codes", &[])?;
    for root in tree.get("").map(Vec::as_slice).unwrap_or(&[]) {
        write_code(
            &mut w,
            root,
            &tree,
            &HashMap::new(),
            &HashMap::new(),
            false,
            &data.non_codable,
        )?;
    }
    w.end("Codes")?;
    if !themes.is_empty() {
        w.start("Sets", &[])?;
        for t in themes {
            w.start("Set", &[("guid", t.uuid.clone()), ("name", t.name.clone())])?;
            let d = theme_description(&t.definition, t.status);
            if !d.is_empty() {
                w.text_element("Description", &d)?;
            }
            for c in &t.codes {
                w.empty("MemberCode", &[("guid", c.clone())])?;
            }
            w.end("Set")?;
            report.sets += 1;
        }
        w.end("Sets")?;
    }
    w.end("CodeBook")?;
    Ok((w.finish(), report))
}
