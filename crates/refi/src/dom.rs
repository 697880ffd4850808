//! A small element tree read from REFI-QDA XML with the safe reader of
//! [`storyloom_import::xml`]: any DOCTYPE (external entities, billion laughs) is
//! refused, unknown entities are errors, depth and element count are capped.

use quick_xml::events::{BytesStart, Event};
use storyloom_import::{ImportError, xml};

/// Deeper than any real codebook (NVivo nests codes a dozen levels at most).
const MAX_DEPTH: usize = 256;
/// More elements than any real project exchange file holds.
const MAX_ELEMENTS: usize = 5_000_000;

/// One element: local name (namespace prefix dropped), attributes, children, text.
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A non-empty attribute, trimmed.
    pub fn attr_nonempty(&self, name: &str) -> Option<String> {
        self.attr(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of a child element (`Description`, `PlainTextContent`).
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.clone())
    }

    /// The `targetGUID` of every child with this name (`NoteRef`, `MemberCode`).
    pub fn refs(&self, name: &str) -> Vec<String> {
        self.children_named(name)
            .filter_map(|c| {
                c.attr_nonempty("targetGUID")
                    .or_else(|| c.attr_nonempty("guid"))
            })
            .collect()
    }
}

const FORMAT: &str = "REFI-QDA XML";

/// Attributes that hold a GUID (or refer to one).
const GUID_ATTRIBUTES: &[&str] = &[
    "guid",
    "targetGUID",
    "originGUID",
    "representedGUID",
    "creatingUser",
    "modifyingUser",
    "creatingUserGUID",
    "modifyingUserGUID",
    "sourceVertex",
    "targetVertex",
    "fromSyncPoint",
    "toSyncPoint",
];

fn local(name: &[u8]) -> String {
    let local = match name.iter().rposition(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(local).into_owned()
}

fn element(reader: &quick_xml::Reader<&[u8]>, e: &BytesStart<'_>) -> Result<Element, ImportError> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| corrupt(reader, err))?;
        let key = a.key.as_ref();
        // Namespace declarations are not data.
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        let value = a.unescape_value().map_err(|err| corrupt(reader, err))?;
        let name = local(key);
        // GUIDs are compared case-insensitively and with or without braces
        // (ATLAS.ti writes upper case, NVivo lower case).
        let value = if GUID_ATTRIBUTES.contains(&name.as_str()) {
            value.trim().trim_matches(['{', '}']).to_lowercase()
        } else {
            value.into_owned()
        };
        attrs.push((name, value));
    }
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        children: Vec::new(),
        text: String::new(),
    })
}

fn corrupt(reader: &quick_xml::Reader<&[u8]>, e: impl std::fmt::Display) -> ImportError {
    ImportError::Corrupt {
        format: FORMAT,
        reason: format!("XML error at byte {}: {e}", reader.buffer_position()),
    }
}

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = xml::reader(bytes);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let event = xml::next(&mut reader, FORMAT)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(corrupt(&reader, "too many elements"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(corrupt(&reader, "elements nested too deeply"));
                }
                if root.is_some() && stack.is_empty() {
                    return Err(corrupt(&reader, "more than one root element"));
                }
                let el = element(&reader, e)?;
                if matches!(event, Event::Start(_)) {
                    stack.push(el);
                } else {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(corrupt(&reader, "unexpected end tag"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(ref t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&xml::text(&reader, t, FORMAT)?);
                }
            }
            Event::CData(ref c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&xml::cdata(&reader, c, FORMAT)?);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(corrupt(&reader, "the document ends inside an element"));
    }
    root.ok_or_else(|| corrupt(&reader, "no root element"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_tree_without_prefixes() {
        let root = parse(
            br#"<?xml version="1.0"?><p:Project xmlns:p="urn:x" name="a &amp; b"><p:Users><p:User guid="g"/><p:User guid=" {ABCDEF}"/></p:Users><Description>x &lt; y</Description></p:Project>"#,
        )
        .unwrap();
        assert_eq!(root.name, "Project");
        assert_eq!(root.attr("name"), Some("a & b"));
        let users = root.child("Users").unwrap();
        assert_eq!(users.children[1].attr("guid"), Some("abcdef"));
        assert_eq!(
            root.child("Users").unwrap().children[0].attr("guid"),
            Some("g")
        );
        assert_eq!(root.child_text("Description").as_deref(), Some("x < y"));
    }

    #[test]
    fn refuses_doctype_entities_and_garbage() {
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="&x;"/>"#;
        assert!(matches!(parse(xxe), Err(ImportError::XmlDoctype)));
        let lol = br#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Project>&lol2;</Project>"#;
        assert!(matches!(parse(lol), Err(ImportError::XmlDoctype)));
        assert!(parse(b"<Project><Description>&unknown;</Description></Project>").is_err());
        assert!(parse(b"<Project><a></b></Project>").is_err());
        assert!(parse(b"<Project>").is_err());
        assert!(parse(b"not xml at all").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
