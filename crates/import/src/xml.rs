//! Safe XML reading shared by the .docx and .odt readers, and the layout of
//! paragraphs into [`Line`]s that both formats share.
//!
//! Safety: quick-xml never fetches or expands entities itself; on top of
//! that any DOCTYPE is refused (Word and LibreOffice never write one, so one
//! means a crafted file: external entities, billion laughs), and an unknown
//! entity reference is an error rather than being left or guessed.

use super::MAX_XML_BYTES;
use crate::error::ImportError;
use crate::parsed::Line;
use quick_xml::Reader;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesCData, BytesStart, BytesText, Event};
use std::borrow::Cow;

/// A reader over an XML part that keeps every whitespace char: spaces at the
/// edges of a `w:t` are part of the text.
pub fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.trim_text(false);
    config.expand_empty_elements = false;
    config.check_end_names = true;
    config.allow_unmatched_ends = false;
    reader
}

/// Next event, with a DOCTYPE refused and syntax errors reported in the
/// format's name. Borrows the input, not the reader, so the reader stays
/// usable for positions while the event is alive.
pub fn next<'a>(
    reader: &mut Reader<&'a [u8]>,
    format: &'static str,
) -> Result<Event<'a>, ImportError> {
    match reader.read_event() {
        Ok(Event::DocType(_)) => Err(ImportError::XmlDoctype),
        Ok(event) => Ok(event),
        // The input ended inside a tag, comment or CDATA: cut short.
        Err(quick_xml::Error::Syntax(e))
            if !matches!(e, quick_xml::errors::SyntaxError::InvalidBangMarkup) =>
        {
            Err(cut_short(format, "the XML", 1))
        }
        Err(e) => Err(corrupt_at(format, reader.error_position(), e)),
    }
}

/// The text of a text node with the five XML entities and char references
/// resolved; any other entity is an error.
pub fn text<'a>(
    reader: &Reader<&[u8]>,
    t: &BytesText<'a>,
    format: &'static str,
) -> Result<Cow<'a, str>, ImportError> {
    t.unescape()
        .map_err(|e| corrupt_at(format, reader.buffer_position(), e))
}

/// The text of a CDATA section (taken literally, as XML says).
pub fn cdata<'a>(
    reader: &Reader<&[u8]>,
    c: &BytesCData<'a>,
    format: &'static str,
) -> Result<Cow<'a, str>, ImportError> {
    c.decode()
        .map_err(|e| corrupt_at(format, reader.buffer_position(), e))
}

/// The value of attribute `name` (qualified, e.g. `w:val`), unescaped.
pub fn attr(
    reader: &Reader<&[u8]>,
    e: &BytesStart<'_>,
    name: &[u8],
    format: &'static str,
) -> Result<Option<String>, ImportError> {
    let pos = reader.buffer_position();
    let found: Option<Attribute<'_>> = e
        .try_get_attribute(name)
        .map_err(|err| corrupt_at(format, pos, err))?;
    match found {
        None => Ok(None),
        Some(a) => a
            .unescape_value()
            .map(|v| Some(v.into_owned()))
            .map_err(|err| corrupt_at(format, pos, err)),
    }
}

/// Passes over an element that is not read (with everything inside it):
/// docx and odt both drop whole elements (deleted text, notes, frames).
#[derive(Debug, Default)]
pub struct Dropped {
    /// Depth inside the dropped element; 0 while reading.
    depth: usize,
}

impl Dropped {
    /// Starts dropping the element whose start was just read.
    pub fn start(&mut self) {
        self.depth = 1;
    }

    /// Takes `event` when it is inside a dropped element (true), or leaves it
    /// to the caller (false). `open` counts the elements open around it, for
    /// the message when the part ends inside.
    #[inline]
    pub fn swallow(
        &mut self,
        event: &Event<'_>,
        format: &'static str,
        part: &str,
        open: usize,
    ) -> Result<bool, ImportError> {
        if self.depth == 0 {
            return Ok(false);
        }
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth -= 1,
            Event::Eof => return Err(cut_short(format, part, open + self.depth)),
            _ => {}
        }
        Ok(true)
    }
}

/// The XML part ends with elements still open: the file was cut short (a
/// failed download or copy, a crash while saving). Refused whole, so half a
/// transcript is never stored as if it were all of it.
pub fn cut_short(format: &'static str, part: &str, open: usize) -> ImportError {
    ImportError::Corrupt {
        format,
        reason: format!(
            "{part} ends in the middle ({open} element(s) left open): the file was cut short; nothing was imported from it"
        ),
    }
}

fn corrupt_at(format: &'static str, pos: u64, e: impl std::fmt::Display) -> ImportError {
    ImportError::Corrupt {
        format,
        reason: format!("XML error at byte {pos}: {e}"),
    }
}

/// One line being built, tracking which chars came from bold runs.
#[derive(Debug)]
pub struct LineBuilder {
    text: String,
    /// Bold prefix so far, in chars.
    bold_prefix: usize,
    /// Plain whitespace chars seen since the prefix last grew; they join the
    /// prefix if bold text follows (`Dr` bold, space plain, `Smith:` bold).
    pending_ws: usize,
    /// No plain non-whitespace char has been seen yet.
    prefix_open: bool,
    /// A non-whitespace char has been seen (bold or not).
    any_nonblank: bool,
}

impl Default for LineBuilder {
    fn default() -> Self {
        LineBuilder {
            text: String::new(),
            bold_prefix: 0,
            pending_ws: 0,
            prefix_open: true,
            any_nonblank: false,
        }
    }
}

impl LineBuilder {
    /// Appends text from a run that is bold or not.
    ///
    /// The bold prefix is the longest start of the line that ends in a bold
    /// char and has no plain non-whitespace char: plain whitespace does not
    /// break a bold label, only plain words do.
    pub fn push(&mut self, s: &str, bold: bool) {
        self.text.push_str(s);
        // Once a plain word has closed the prefix, the line is not all bold
        // and only "has it any word" is left to learn: no walk over the chars.
        if !self.prefix_open {
            if !self.any_nonblank {
                self.any_nonblank = s.chars().any(|c| !c.is_whitespace());
            }
            return;
        }
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.prefix_open {
                    continue;
                }
                if bold {
                    self.bold_prefix += self.pending_ws + 1;
                    self.pending_ws = 0;
                } else {
                    self.pending_ws += 1;
                }
            } else {
                self.any_nonblank = true;
                if bold {
                    if self.prefix_open {
                        self.bold_prefix += self.pending_ws + 1;
                        self.pending_ws = 0;
                    }
                } else {
                    // A plain word: the prefix ends, and the line is not all bold.
                    self.prefix_open = false;
                    return;
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn len_bytes(&self) -> usize {
        self.text.len()
    }

    pub fn finish(self) -> Line {
        Line {
            // Every word bold: no plain word closed the prefix.
            all_bold: self.any_nonblank && self.prefix_open,
            bold_prefix_chars: self.bold_prefix,
            text: self.text,
        }
    }
}

/// Turns paragraphs and table rows into [`Line`]s: one line per paragraph or
/// row, an empty line between them, never two empty lines in a row and none
/// at either end. Table rows are their cells joined by `\t`; a cell's own
/// paragraphs (and any nested table) are joined by a space.
#[derive(Debug)]
pub struct Assembler {
    format: &'static str,
    lines: Vec<Line>,
    /// Bytes of text in `lines`, to bound what a small file can expand to.
    bytes: usize,
    para: LineBuilder,
    para_depth: usize,
    table_depth: usize,
    row: LineBuilder,
    row_has_text: bool,
    cells_in_row: usize,
    cell_has_text: bool,
    /// A paragraph started in a cell that already has text: put a space
    /// before its first text.
    cell_needs_space: bool,
}

impl Assembler {
    pub fn new(format: &'static str) -> Assembler {
        Assembler {
            format,
            lines: Vec::new(),
            bytes: 0,
            para: LineBuilder::default(),
            para_depth: 0,
            table_depth: 0,
            row: LineBuilder::default(),
            row_has_text: false,
            cells_in_row: 0,
            cell_has_text: false,
            cell_needs_space: false,
        }
    }

    /// Inside a paragraph: text events count only here.
    pub fn in_paragraph(&self) -> bool {
        self.para_depth > 0
    }

    /// Nothing written yet in the current paragraph (or cell paragraph).
    pub fn paragraph_is_empty(&self) -> bool {
        if self.table_depth > 0 {
            !self.cell_has_text || self.cell_needs_space
        } else {
            self.para.is_empty()
        }
    }

    pub fn start_paragraph(&mut self) {
        self.para_depth += 1;
        if self.para_depth > 1 {
            // A paragraph inside a paragraph (a stray text box): same line.
            return;
        }
        if self.table_depth > 0 {
            self.cell_needs_space = self.cell_has_text;
        } else {
            self.para = LineBuilder::default();
        }
    }

    pub fn end_paragraph(&mut self) -> Result<(), ImportError> {
        self.para_depth = self.para_depth.saturating_sub(1);
        if self.para_depth == 0 && self.table_depth == 0 {
            let line = std::mem::take(&mut self.para).finish();
            self.emit(line)?;
        }
        Ok(())
    }

    pub fn start_table(&mut self) {
        self.table_depth += 1;
    }

    pub fn end_table(&mut self) {
        self.table_depth = self.table_depth.saturating_sub(1);
    }

    pub fn start_row(&mut self) {
        if self.table_depth == 1 {
            self.row = LineBuilder::default();
            self.row_has_text = false;
            self.cells_in_row = 0;
        }
    }

    pub fn end_row(&mut self) -> Result<(), ImportError> {
        if self.table_depth == 1 {
            let row = std::mem::take(&mut self.row);
            // A row of empty cells is an empty line, not a line of tabs.
            let line = if self.row_has_text {
                row.finish()
            } else {
                Line::default()
            };
            self.emit(line)?;
        }
        Ok(())
    }

    pub fn start_cell(&mut self) {
        if self.table_depth == 1 {
            if self.cells_in_row > 0 {
                self.row.push("\t", false);
            }
            self.cells_in_row += 1;
            self.cell_has_text = false;
            self.cell_needs_space = false;
        }
    }

    /// Adds text to the current paragraph or table cell. Text outside any
    /// paragraph is ignored (it is layout whitespace).
    pub fn push(&mut self, s: &str, bold: bool) -> Result<(), ImportError> {
        if s.is_empty() || self.para_depth == 0 {
            return Ok(());
        }
        let current = self.para.len_bytes() + self.row.len_bytes();
        if (self.bytes + current + s.len()) as u64 > MAX_XML_BYTES {
            return Err(ImportError::Corrupt {
                format: self.format,
                reason: format!("the text would expand past {MAX_XML_BYTES} bytes"),
            });
        }
        if self.table_depth > 0 {
            if self.cell_needs_space {
                self.row.push(" ", false);
                self.cell_needs_space = false;
            }
            self.row.push(s, bold);
            self.cell_has_text = true;
            self.row_has_text = true;
        } else {
            self.para.push(s, bold);
        }
        Ok(())
    }

    fn emit(&mut self, line: Line) -> Result<(), ImportError> {
        if !self.lines.is_empty() {
            self.push_line(Line::default());
        }
        self.push_line(line);
        Ok(())
    }

    fn push_line(&mut self, line: Line) {
        let empty = line.text.is_empty();
        if empty && self.lines.last().is_some_and(|l| l.text.is_empty()) {
            return;
        }
        self.bytes += line.text.len() + 1;
        self.lines.push(line);
    }

    /// The lines, or [`ImportError::NoText`] if there is no visible text.
    pub fn finish(mut self) -> Result<Vec<Line>, ImportError> {
        while self.lines.last().is_some_and(|l| l.text.is_empty()) {
            self.lines.pop();
        }
        let leading = self.lines.iter().take_while(|l| l.text.is_empty()).count();
        self.lines.drain(..leading);
        if self.lines.iter().all(|l| l.text.trim().is_empty()) {
            return Err(ImportError::NoText);
        }
        Ok(self.lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_events(xml: &str) -> Result<Vec<String>, ImportError> {
        let mut r = reader(xml.as_bytes());
        let mut out = Vec::new();
        loop {
            match next(&mut r, "test")? {
                Event::Eof => return Ok(out),
                Event::Text(t) => out.push(text(&r, &t, "test")?.into_owned()),
                _ => {}
            }
        }
    }

    #[test]
    fn keeps_whitespace_and_known_entities() {
        let got = all_events("<a><t>  a &amp; b&#x20AC; </t></a>").expect("parse");
        assert_eq!(got, vec!["  a & b€ "]);
    }

    #[test]
    fn doctype_is_refused() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        assert!(matches!(all_events(xxe), Err(ImportError::XmlDoctype)));
        let lol = r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><a>&lol2;</a>"#;
        assert!(matches!(all_events(lol), Err(ImportError::XmlDoctype)));
    }

    #[test]
    fn unknown_entity_is_an_error() {
        match all_events("<a>&nbsp;</a>") {
            Err(ImportError::Corrupt { reason, .. }) => {
                assert!(reason.starts_with("XML error at byte"), "{reason}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn mismatched_tags_are_an_error() {
        assert!(matches!(
            all_events("<a><b></a>"),
            Err(ImportError::Corrupt { .. })
        ));
    }

    #[test]
    fn bold_prefix_rules() {
        let mut b = LineBuilder::default();
        b.push(" ", false);
        b.push("Dr", true);
        b.push(" ", false);
        b.push("Smith: ", true);
        b.push("well", false);
        b.push(" x", true);
        let line = b.finish();
        assert_eq!(line.bold_prefix_chars, 11);
        assert!(!line.all_bold);

        let mut b = LineBuilder::default();
        b.push("Q: ", true);
        b.push("é ", true);
        b.push("  ", false);
        let line = b.finish();
        assert_eq!(line.bold_prefix_chars, 5);
        assert!(line.all_bold);
    }

    #[test]
    fn layout_collapses_empty_lines() {
        let mut a = Assembler::new("test");
        for text in ["", "one", "", "", "two", ""] {
            a.start_paragraph();
            a.push(text, false).expect("push");
            a.end_paragraph().expect("end");
        }
        let texts: Vec<String> = a
            .finish()
            .expect("lines")
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(texts, vec!["one", "", "two"]);
    }
}
