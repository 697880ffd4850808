//! OpenDocument text (.odt) import: the text of `content.xml`, laid out like
//! .docx (one [`Line`] per paragraph, heading or table row), with bold taken
//! from the document's automatic styles.
//!
//! Whitespace follows the ODF rule (§6.1.2): in paragraphs, runs of literal
//! spaces, tabs and newlines collapse to one space and are dropped at the
//! paragraph's edges; real spaces, tabs and breaks are `text:s`, `text:tab`
//! and `text:line-break`. LibreOffice writes exactly that way, so collapsing
//! gives back what the author typed.

use super::xml::{self, Assembler};
use super::zipread::read_entry;
use crate::error::ImportError;
use crate::parsed::Line;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

const FORMAT: &str = "OpenDocument (.odt)";

/// Most spaces one `text:s` may stand for: a few bytes of XML must not
/// become megabytes of text.
const MAX_SPACES: usize = 1024;

/// Elements whose content is not part of the running text.
fn dropped(name: &[u8]) -> bool {
    matches!(
        name,
        // Footnotes and endnotes, deleted text of tracked changes, comments,
        // ruby annotations.
        b"text:note" | b"text:tracked-changes" | b"office:annotation" | b"text:ruby-text"
        // Scripts, forms, declarations.
        | b"office:scripts" | b"office:forms" | b"office:font-face-decls"
        | b"text:sequence-decls" | b"text:variable-decls" | b"text:user-field-decls"
    ) || name.starts_with(b"draw:") // frames, shapes, text boxes, images
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tag {
    Paragraph,
    Span,
    Table,
    Row,
    /// An automatic style being read.
    Style,
    Other,
}

/// One automatic style: its own font weight (if it sets one) and parent.
#[derive(Debug, Default)]
struct Style {
    bold: Option<bool>,
    parent: Option<String>,
}

/// State of one paragraph: its style's boldness, the bold setting of each
/// open span, and the ODF whitespace collapse.
#[derive(Debug, Default)]
struct Para {
    bold: bool,
    spans: Vec<Option<bool>>,
    /// A collapsible space seen and not yet written (and whether it was bold);
    /// written only if more text follows, so trailing spaces vanish.
    pending_space: Option<bool>,
}

impl Para {
    fn bold(&self) -> bool {
        self.spans
            .iter()
            .rev()
            .find_map(|b| *b)
            .unwrap_or(self.bold)
    }
}

/// The lines of an .odt file's body text (headers and footers live in
/// `styles.xml` and are not read).
pub fn lines(bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    let xml = read_entry(bytes, "content.xml", FORMAT)?;
    lines_from_xml(&xml)
}

fn lines_from_xml(xml_bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    let mut reader = xml::reader(xml_bytes);
    let mut out = Assembler::new(FORMAT);
    let mut styles: HashMap<String, Style> = HashMap::new();
    let mut current_style: Option<String> = None;
    let mut stack: Vec<Tag> = Vec::new();
    let mut dropped_element = xml::Dropped::default();
    let mut para = Para::default();
    loop {
        let event = xml::next(&mut reader, FORMAT)?;
        if dropped_element.swallow(&event, FORMAT, "content.xml", stack.len())? {
            continue;
        }
        match event {
            Event::Start(e) => {
                if dropped(e.name().as_ref()) {
                    dropped_element.start();
                    continue;
                }
                let t = open(&mut Ctx {
                    out: &mut out,
                    styles: &mut styles,
                    current_style: &mut current_style,
                    para: &mut para,
                    reader: &reader,
                    e: &e,
                })?;
                stack.push(t);
            }
            Event::Empty(e) => {
                if dropped(e.name().as_ref()) {
                    continue;
                }
                let t = open(&mut Ctx {
                    out: &mut out,
                    styles: &mut styles,
                    current_style: &mut current_style,
                    para: &mut para,
                    reader: &reader,
                    e: &e,
                })?;
                close(&mut out, &mut para, &mut current_style, t)?;
            }
            Event::End(_) => {
                if let Some(t) = stack.pop() {
                    close(&mut out, &mut para, &mut current_style, t)?;
                }
            }
            Event::Text(t) if out.in_paragraph() => {
                let text = xml::text(&reader, &t, FORMAT)?;
                push_collapsing(&mut out, &mut para, &text)?;
            }
            Event::CData(c) if out.in_paragraph() => {
                let text = xml::cdata(&reader, &c, FORMAT)?;
                push_collapsing(&mut out, &mut para, &text)?;
            }
            Event::Eof if !stack.is_empty() => {
                return Err(xml::cut_short(FORMAT, "content.xml", stack.len()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.finish()
}

struct Ctx<'c, 'r> {
    out: &'c mut Assembler,
    styles: &'c mut HashMap<String, Style>,
    current_style: &'c mut Option<String>,
    para: &'c mut Para,
    reader: &'c Reader<&'r [u8]>,
    e: &'c BytesStart<'c>,
}

impl Ctx<'_, '_> {
    fn attr(&self, name: &[u8]) -> Result<Option<String>, ImportError> {
        xml::attr(self.reader, self.e, name, FORMAT)
    }
}

/// Handles an opening (or empty) element and says what it is.
fn open(c: &mut Ctx<'_, '_>) -> Result<Tag, ImportError> {
    let name = c.e.name();
    Ok(match name.as_ref() {
        b"text:p" | b"text:h" => {
            let outermost = !c.out.in_paragraph();
            c.out.start_paragraph();
            if outermost {
                let style = c.attr(b"text:style-name")?;
                *c.para = Para {
                    bold: style.is_some_and(|s| resolve_bold(c.styles, &s).unwrap_or(false)),
                    ..Para::default()
                };
            }
            Tag::Paragraph
        }
        b"text:span" => {
            let style = c.attr(b"text:style-name")?;
            let bold = style.and_then(|s| resolve_bold(c.styles, &s));
            c.para.spans.push(bold);
            Tag::Span
        }
        b"text:s" => {
            let count = c
                .attr(b"text:c")?
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .min(MAX_SPACES);
            push_literal(c.out, c.para, &" ".repeat(count))?;
            Tag::Other
        }
        b"text:tab" => {
            push_literal(c.out, c.para, "\t")?;
            Tag::Other
        }
        b"text:line-break" => {
            push_literal(c.out, c.para, "\n")?;
            Tag::Other
        }
        b"table:table" => {
            c.out.start_table();
            Tag::Table
        }
        b"table:table-row" => {
            c.out.start_row();
            Tag::Row
        }
        // Covered cells are the hidden part of a merged cell: no column.
        b"table:table-cell" => {
            c.out.start_cell();
            Tag::Other
        }
        b"style:style" => {
            let name = c.attr(b"style:name")?;
            let family = c.attr(b"style:family")?;
            let parent = c.attr(b"style:parent-style-name")?;
            match (name, family.as_deref()) {
                (Some(name), Some("text" | "paragraph")) => {
                    c.styles.insert(name.clone(), Style { bold: None, parent });
                    *c.current_style = Some(name);
                }
                _ => *c.current_style = None,
            }
            Tag::Style
        }
        b"style:text-properties" => {
            if let Some(name) = c.current_style.as_ref()
                && let Some(weight) = c.attr(b"fo:font-weight")?
                && let Some(style) = c.styles.get_mut(name)
            {
                style.bold = Some(is_bold_weight(&weight));
            }
            Tag::Other
        }
        _ => Tag::Other,
    })
}

fn close(
    out: &mut Assembler,
    para: &mut Para,
    current_style: &mut Option<String>,
    t: Tag,
) -> Result<(), ImportError> {
    match t {
        Tag::Paragraph => {
            // A collapsible space at the end of a paragraph is not text.
            para.pending_space = None;
            out.end_paragraph()
        }
        Tag::Span => {
            para.spans.pop();
            Ok(())
        }
        Tag::Table => {
            out.end_table();
            Ok(())
        }
        Tag::Row => out.end_row(),
        Tag::Style => {
            *current_style = None;
            Ok(())
        }
        Tag::Other => Ok(()),
    }
}

/// `bold`, or a numeric weight of 600 and up (semibold counts as bold).
fn is_bold_weight(weight: &str) -> bool {
    let w = weight.trim();
    w.eq_ignore_ascii_case("bold") || w.parse::<u32>().is_ok_and(|n| n >= 600)
}

/// The weight a style sets, directly or through automatic parents (parents
/// in `styles.xml` are not read). Bounded so a cycle cannot hang.
fn resolve_bold(styles: &HashMap<String, Style>, name: &str) -> Option<bool> {
    let mut name = name;
    for _ in 0..16 {
        let style = styles.get(name)?;
        if let Some(bold) = style.bold {
            return Some(bold);
        }
        name = style.parent.as_deref()?;
    }
    None
}

/// Writes a space held back by the collapse rule, now that text follows.
fn flush_space(out: &mut Assembler, para: &mut Para) -> Result<(), ImportError> {
    if let Some(bold) = para.pending_space.take() {
        out.push(" ", bold)?;
    }
    Ok(())
}

/// Text from `text:s`, `text:tab`, `text:line-break`: never collapsed.
fn push_literal(out: &mut Assembler, para: &mut Para, s: &str) -> Result<(), ImportError> {
    if !out.in_paragraph() {
        return Ok(());
    }
    flush_space(out, para)?;
    out.push(s, para.bold())
}

/// Character data under the ODF collapse rule: each run of spaces, tabs and
/// newlines is one space, dropped at the paragraph's start and end.
fn push_collapsing(out: &mut Assembler, para: &mut Para, text: &str) -> Result<(), ImportError> {
    let bold = para.bold();
    let mut word = String::new();
    for ch in text.chars() {
        if matches!(ch, ' ' | '\t' | '\n' | '\r') {
            if !word.is_empty() {
                flush_space(out, para)?;
                out.push(&word, bold)?;
                word.clear();
                para.pending_space = Some(bold);
            } else if para.pending_space.is_none() && !out.paragraph_is_empty() {
                para.pending_space = Some(bold);
            }
        } else {
            word.push(ch);
        }
    }
    if !word.is_empty() {
        flush_space(out, para)?;
        out.push(&word, bold)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zipread::tests::build_zip;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/""#;

    const STYLES: &str = r#"<office:automatic-styles>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="T3" style:family="text"><style:text-properties fo:font-weight="normal"/></style:style>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="P2" style:family="paragraph" style:parent-style-name="P1"/>
</office:automatic-styles>"#;

    fn odt(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3"><office:scripts/><office:font-face-decls/>{STYLES}<office:body><office:text><text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>{body}</office:text></office:body></office:document-content>"#
        );
        build_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", xml.as_bytes()),
        ])
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn paragraphs_spaces_tabs_breaks_links_lists() {
        let body = r#"<text:h text:outline-level="1">Title</text:h>
<text:p>a<text:s text:c="3"/>b <text:s/>c<text:tab/>d<text:line-break/>e <text:a xlink:href="http://x" xmlns:xlink="x">link</text:a></text:p>
<text:p>
   spread   over
   lines  <text:span text:style-name="T2"> and span </text:span>
</text:p>
<text:list><text:list-item><text:p>item one</text:p></text:list-item><text:list-item><text:p>item two</text:p></text:list-item></text:list>
<text:p><text:s/>lead</text:p>"#;
        let lines = lines(&odt(body)).expect("parse");
        assert_eq!(
            texts(&lines),
            vec![
                "Title",
                "",
                "a   b  c\td\ne link",
                "",
                "spread over lines and span",
                "",
                "item one",
                "",
                "item two",
                "",
                " lead",
            ]
        );
    }

    #[test]
    fn notes_changes_annotations_frames_dropped() {
        let body = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>A</dc:creator></office:change-info><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p>kept<text:change text:change-id="c1"/> text<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>a footnote</text:p></text:note-body></text:note> here<office:annotation><dc:creator>B</dc:creator><text:p>a comment</text:p></office:annotation><draw:frame draw:name="f"><draw:text-box><text:p>boxed</text:p></draw:text-box></draw:frame>.</text:p>"#;
        let lines = lines(&odt(body)).expect("parse");
        assert_eq!(texts(&lines), vec!["kept text here."]);
    }

    #[test]
    fn bold_from_automatic_styles() {
        let body = r#"<text:p><text:span text:style-name="T1">Doreen:</text:span> Well, I</text:p>
<text:p text:style-name="P1">All bold <text:span text:style-name="T2">still</text:span></text:p>
<text:p text:style-name="P2">Inherited <text:span text:style-name="T3">normal</text:span></text:p>
<text:p text:style-name="Unknown">plain</text:p>"#;
        let lines = lines(&odt(body)).expect("parse");
        assert_eq!(lines[0].text, "Doreen: Well, I");
        assert_eq!(lines[0].bold_prefix_chars, 7);
        assert!(!lines[0].all_bold);
        assert_eq!(lines[2].text, "All bold still");
        assert!(lines[2].all_bold);
        assert_eq!(lines[2].bold_prefix_chars, 14);
        assert_eq!(lines[4].text, "Inherited normal");
        assert_eq!(lines[4].bold_prefix_chars, 10);
        assert!(!lines[4].all_bold);
        assert_eq!(lines[6].bold_prefix_chars, 0);
    }

    #[test]
    fn tables() {
        let body = r#"<text:p>Before</text:p>
<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>
<table:table-header-rows><table:table-row><table:table-cell><text:p><text:span text:style-name="T1">Q:</text:span></text:p></table:table-cell><table:table-cell><text:p>one</text:p><text:p/><text:p>two</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell><text:p/></table:table-cell><table:table-cell/></table:table-row>
<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>wide</text:p><table:table><table:table-row><table:table-cell><text:p>in1</text:p></table:table-cell><table:table-cell><text:p>in2</text:p></table:table-cell></table:table-row></table:table></table:table-cell><table:covered-table-cell/></table:table-row>
</table:table><text:p>After</text:p>"#;
        let lines = lines(&odt(body)).expect("parse");
        assert_eq!(
            texts(&lines),
            vec!["Before", "", "Q:\tone two", "", "wide in1 in2", "", "After"]
        );
        assert_eq!(lines[2].bold_prefix_chars, 2);
    }

    #[test]
    fn empty_and_hostile() {
        assert!(matches!(lines(&odt("")), Err(ImportError::NoText)));
        assert!(matches!(
            lines(&odt("<text:p/><text:p>   </text:p>")),
            Err(ImportError::NoText)
        ));
        assert!(matches!(
            lines(b"not a zip at all"),
            Err(ImportError::Corrupt { .. })
        ));
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://example.com/x">]><office:document-content><office:body><office:text><text:p>&e;</text:p></office:text></office:body></office:document-content>"#;
        let zip = build_zip(&[("content.xml", xxe)]);
        assert!(matches!(lines(&zip), Err(ImportError::XmlDoctype)));
        let lol = br#"<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><office:document-content><office:body><office:text><text:p>&b;</text:p></office:text></office:body></office:document-content>"#;
        let zip = build_zip(&[("content.xml", lol)]);
        assert!(matches!(lines(&zip), Err(ImportError::XmlDoctype)));
        let zip = build_zip(&[("../evil.xml", b"<x/>"), ("mimetype", b"x")]);
        assert!(matches!(
            lines(&zip),
            Err(ImportError::Corrupt { reason, .. }) if reason == "no content.xml in the archive"
        ));
        let zip = build_zip(&[("../content.xml", b"<x/>")]);
        assert!(matches!(
            lines(&zip),
            Err(ImportError::Corrupt { reason, .. }) if reason.contains("climbs out")
        ));
        // A huge space count is capped, not allocated.
        let lines =
            lines(&odt(r#"<text:p>a<text:s text:c="4000000000"/>b</text:p>"#)).expect("parse");
        assert_eq!(lines[0].text.len(), MAX_SPACES + 2);
    }

    #[test]
    fn a_cut_short_content_part_is_refused_whole() {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3"><office:body><office:text><text:p>Q: How did it start?</text:p><text:p>A: It sta"#
        );
        let zip = build_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", xml.as_bytes()),
        ]);
        let e = lines(&zip).expect_err("cut short");
        assert!(e.to_string().contains("cut short"), "{e}");
        let whole = odt("<text:p>Q: How did it start?</text:p><text:p>A: It started</text:p>");
        assert_eq!(lines(&whole).expect("whole").len(), 3);
    }
}
