//! What Storyloom keeps of REFI names and descriptions: code and case
//! names cleaned, and the marker lines Storyloom writes into descriptions
//! (choices, theme status, speakers of a case) read back.

use crate::markers;
use crate::qde::{self, QCode};
use storyloom_text::model::{AttributeKind, ThemeStatus};

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
