//! A thin quick-xml writer: indented, with text made safe for XML 1.0.

use super::WriteError;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

pub type Attrs = Vec<(&'static str, String)>;

pub struct XmlOut {
    w: Writer<Vec<u8>>,
}

/// Drops what XML 1.0 cannot carry (control characters other than tab,
/// newline and carriage return; U+FFFE and U+FFFF).
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !matches!(*c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

/// Attribute values: also no line breaks (parsers turn them into spaces anyway).
fn attr_safe(s: &str) -> String {
    xml_safe(s).replace(['\n', '\r', '\t'], " ")
}

fn err(e: impl std::fmt::Display) -> WriteError {
    WriteError::Xml(e.to_string())
}

impl XmlOut {
    pub fn new() -> XmlOut {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        // Writing to a Vec cannot fail.
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        XmlOut { w }
    }

    fn open(name: &str, attrs: &[(&'static str, String)]) -> BytesStart<'static> {
        let mut e = BytesStart::new(name.to_owned());
        for (k, v) in attrs {
            e.push_attribute((*k, attr_safe(v).as_str()));
        }
        e
    }

    pub fn start(
        &mut self,
        name: &str,
        attrs: &[(&'static str, String)],
    ) -> Result<(), WriteError> {
        self.w
            .write_event(Event::Start(Self::open(name, attrs)))
            .map_err(err)
    }

    pub fn empty(
        &mut self,
        name: &str,
        attrs: &[(&'static str, String)],
    ) -> Result<(), WriteError> {
        self.w
            .write_event(Event::Empty(Self::open(name, attrs)))
            .map_err(err)
    }

    pub fn end(&mut self, name: &str) -> Result<(), WriteError> {
        self.w
            .write_event(Event::End(BytesEnd::new(name.to_owned())))
            .map_err(err)
    }

    /// `<name>text</name>`, the text escaped and kept exactly (no indentation inside).
    pub fn text_element(&mut self, name: &str, text: &str) -> Result<(), WriteError> {
        let safe = xml_safe(text);
        self.w
            .create_element(name)
            .write_text_content(BytesText::new(&safe))
            .map(|_| ())
            .map_err(err)
    }

    pub fn finish(self) -> Vec<u8> {
        let mut out = self.w.into_inner();
        out.push(b'\n');
        out
    }
}
