//! The parts of a REFI-QDA project (`project.qde`) or codebook (`.qdc`) that
//! Storyloom keeps, read from the element tree.

use super::dom::Element;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct User {
    pub guid: String,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct QCode {
    pub guid: String,
    pub name: String,
    pub color: Option<String>,
    pub description: String,
    pub note_refs: Vec<String>,
    pub children: Vec<QCode>,
    /// `isCodable` (required by the schema; a missing one reads as true).
    pub codable: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Variable {
    pub guid: String,
    pub name: String,
    pub kind: String,
    pub description: String,
}

#[derive(Debug, Clone, Default)]
pub struct Case {
    pub guid: String,
    pub name: String,
    pub description: String,
    /// (variable guid, value as written).
    pub values: Vec<(String, String)>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct QCoding {
    pub guid: String,
    pub code: Option<String>,
    pub creating_user: Option<String>,
    pub note_refs: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub guid: String,
    pub name: String,
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub creating_user: Option<String>,
    pub description: String,
    pub codings: Vec<QCoding>,
    pub note_refs: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TextSource {
    pub guid: String,
    pub name: Option<String>,
    pub plain_text_path: Option<String>,
    pub rich_text_path: Option<String>,
    pub content: Option<String>,
    pub description: String,
    pub selections: Vec<Selection>,
    /// Codings of the whole source.
    pub codings: Vec<QCoding>,
    pub note_refs: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Note {
    pub guid: String,
    pub name: String,
    pub description: String,
    pub content: String,
    /// Some tools keep a note's text in a file instead.
    pub plain_text_path: Option<String>,
    pub creating_user: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Link {
    pub origin: String,
    pub target: String,
}

#[derive(Debug, Clone, Default)]
pub struct Set {
    pub guid: String,
    pub name: String,
    pub description: String,
    pub codes: Vec<String>,
    pub sources: Vec<String>,
    pub notes: Vec<String>,
}

/// A project or codebook as read.
#[derive(Debug, Clone, Default)]
pub struct Qde {
    /// True for a `.qdc` codebook.
    pub codebook_only: bool,
    pub name: String,
    pub origin: String,
    pub creating_user: Option<String>,
    pub users: Vec<User>,
    pub codes: Vec<QCode>,
    pub variables: Vec<Variable>,
    pub cases: Vec<Case>,
    pub sources: Vec<TextSource>,
    pub notes: Vec<Note>,
    pub links: Vec<Link>,
    pub sets: Vec<Set>,
    pub project_note_refs: Vec<String>,
    pub description: String,
    /// Elements Storyloom does not import, counted (`PictureSource` → 1).
    pub not_imported: BTreeMap<String, usize>,
}

/// Reads the tree of a `project.qde` (root `Project`) or a `.qdc` (root `CodeBook`).
pub fn read(root: &Element) -> Result<Qde, String> {
    let mut q = Qde::default();
    match root.name.as_str() {
        "Project" => {}
        "CodeBook" => {
            q.codebook_only = true;
            q.origin = root.attr("origin").unwrap_or_default().to_owned();
            if let Some(codes) = root.child("Codes") {
                q.codes = codes.children_named("Code").map(code).collect();
            }
            q.sets = root.child("Sets").map(sets).unwrap_or_default();
            return Ok(q);
        }
        other => {
            return Err(format!(
                "the root element is <{other}>, not a REFI-QDA <Project> or <CodeBook>"
            ));
        }
    }
    q.name = root.attr("name").unwrap_or_default().to_owned();
    q.origin = root.attr("origin").unwrap_or_default().to_owned();
    q.creating_user = root.attr_nonempty("creatingUserGUID");
    q.description = root.child_text("Description").unwrap_or_default();
    q.project_note_refs = root.refs("NoteRef");
    if let Some(users) = root.child("Users") {
        q.users = users
            .children_named("User")
            .filter_map(|u| {
                let guid = u.attr_nonempty("guid")?;
                let name = u
                    .attr_nonempty("name")
                    .or_else(|| u.attr_nonempty("id"))
                    .unwrap_or_else(|| guid.clone());
                Some(User { guid, name })
            })
            .collect();
    }
    if let Some(cb) = root.child("CodeBook")
        && let Some(codes) = cb.child("Codes")
    {
        q.codes = codes.children_named("Code").map(code).collect();
    }
    if let Some(vars) = root.child("Variables") {
        q.variables = vars
            .children_named("Variable")
            .map(|v| Variable {
                guid: v.attr("guid").unwrap_or_default().to_owned(),
                name: v.attr("name").unwrap_or_default().trim().to_owned(),
                kind: v.attr("typeOfVariable").unwrap_or("Text").to_owned(),
                description: v.child_text("Description").unwrap_or_default(),
            })
            .collect();
    }
    if let Some(cases) = root.child("Cases") {
        q.cases = cases
            .children_named("Case")
            .map(|c| Case {
                guid: c.attr("guid").unwrap_or_default().to_owned(),
                name: c.attr("name").unwrap_or_default().trim().to_owned(),
                description: c.child_text("Description").unwrap_or_default(),
                values: c
                    .children_named("VariableValue")
                    .filter_map(variable_value)
                    .collect(),
                sources: c.refs("SourceRef"),
            })
            .collect();
        for c in root
            .child("Cases")
            .into_iter()
            .flat_map(|c| c.children_named("Case"))
        {
            let selections = c.children_named("SelectionRef").count();
            if selections > 0 {
                *q.not_imported
                    .entry("Case SelectionRef".into())
                    .or_default() += selections;
            }
        }
    }
    if let Some(sources) = root.child("Sources") {
        for s in &sources.children {
            match s.name.as_str() {
                "TextSource" => q.sources.push(text_source(s)),
                other => *q.not_imported.entry(other.to_owned()).or_default() += 1,
            }
        }
    }
    if let Some(notes) = root.child("Notes") {
        q.notes = notes
            .children_named("Note")
            .map(|n| Note {
                guid: n.attr("guid").unwrap_or_default().to_owned(),
                name: n.attr("name").unwrap_or_default().to_owned(),
                description: n.child_text("Description").unwrap_or_default(),
                content: n.child_text("PlainTextContent").unwrap_or_default(),
                plain_text_path: n.attr_nonempty("plainTextPath"),
                creating_user: n.attr_nonempty("creatingUser"),
            })
            .collect();
    }
    if let Some(links) = root.child("Links") {
        q.links = links
            .children_named("Link")
            .filter_map(|l| {
                Some(Link {
                    origin: l.attr_nonempty("originGUID")?,
                    target: l.attr_nonempty("targetGUID")?,
                })
            })
            .collect();
    }
    q.sets = root.child("Sets").map(sets).unwrap_or_default();
    if let Some(graphs) = root.child("Graphs") {
        let n = graphs.children_named("Graph").count();
        if n > 0 {
            q.not_imported.insert("Graph".into(), n);
        }
    }
    Ok(q)
}

fn code(e: &Element) -> QCode {
    QCode {
        guid: e.attr("guid").unwrap_or_default().to_owned(),
        name: e.attr("name").unwrap_or_default().to_owned(),
        color: e.attr_nonempty("color"),
        description: e.child_text("Description").unwrap_or_default(),
        note_refs: e.refs("NoteRef"),
        children: e.children_named("Code").map(code).collect(),
        codable: !e
            .attr("isCodable")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("false") || v.trim() == "0"),
    }
}

fn sets(e: &Element) -> Vec<Set> {
    e.children_named("Set")
        .map(|s| Set {
            guid: s.attr("guid").unwrap_or_default().to_owned(),
            name: s.attr("name").unwrap_or_default().to_owned(),
            description: s.child_text("Description").unwrap_or_default(),
            codes: s.refs("MemberCode"),
            sources: s.refs("MemberSource"),
            notes: s.refs("MemberNote"),
        })
        .collect()
}

fn variable_value(v: &Element) -> Option<(String, String)> {
    let var = v.child("VariableRef")?.attr_nonempty("targetGUID")?;
    let value = v
        .children
        .iter()
        .find(|c| c.name.ends_with("Value"))
        .map(|c| c.text.trim().to_owned())?;
    Some((var, value))
}

fn coding(e: &Element) -> QCoding {
    QCoding {
        guid: e.attr("guid").unwrap_or_default().to_owned(),
        code: e
            .child("CodeRef")
            .and_then(|c| c.attr_nonempty("targetGUID")),
        creating_user: e.attr_nonempty("creatingUser"),
        note_refs: e.refs("NoteRef"),
    }
}

fn text_source(s: &Element) -> TextSource {
    TextSource {
        guid: s.attr("guid").unwrap_or_default().to_owned(),
        name: s.attr_nonempty("name"),
        plain_text_path: s.attr_nonempty("plainTextPath"),
        rich_text_path: s.attr_nonempty("richTextPath"),
        content: s.child_text("PlainTextContent"),
        description: s.child_text("Description").unwrap_or_default(),
        selections: s
            .children_named("PlainTextSelection")
            .map(|p| Selection {
                guid: p.attr("guid").unwrap_or_default().to_owned(),
                name: p.attr("name").unwrap_or_default().to_owned(),
                start: p.attr("startPosition").and_then(|v| v.trim().parse().ok()),
                end: p.attr("endPosition").and_then(|v| v.trim().parse().ok()),
                creating_user: p.attr_nonempty("creatingUser"),
                description: p.child_text("Description").unwrap_or_default(),
                codings: p.children_named("Coding").map(coding).collect(),
                note_refs: p.refs("NoteRef"),
            })
            .collect(),
        codings: s.children_named("Coding").map(coding).collect(),
        note_refs: s.refs("NoteRef"),
    }
}
