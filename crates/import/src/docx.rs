//! Word (.docx) import: the text of `word/document.xml`, one [`Line`] per
//! paragraph or table row, with bold runs tracked for speaker labels.
//!
//! Hand-written over quick-xml because the docx crates lose text that
//! matters here (hyperlinks, tracked insertions, tabs, soft breaks); see the
//! research notes. What Word shows as the current text is kept; deleted
//! revisions, field codes, drawings and fallback copies are dropped.

use super::xml::{self, Assembler};
use super::zipread::read_entry;
use crate::error::ImportError;
use crate::parsed::Line;
use quick_xml::events::{BytesStart, Event};

const FORMAT: &str = "Word (.docx)";

/// Elements whose whole content is not part of the visible current text.
fn dropped(name: &[u8]) -> bool {
    matches!(
        name,
        // Deleted and moved-away revisions, deleted field codes.
        b"w:del" | b"w:delText" | b"w:delInstrText" | b"w:moveFrom"
        // Field codes (`PAGE`, `HYPERLINK "..."`); their results are kept.
        | b"w:instrText"
        // Images, shapes and text boxes, embedded objects.
        | b"w:drawing" | b"w:pict" | b"w:object"
        // A second copy of the `mc:Choice` content for old readers.
        | b"mc:Fallback"
        // Properties: the paragraph mark's bold, previous formatting of a
        // tracked change, tab stops; never text.
        | b"w:pPr" | b"w:rPrChange" | b"w:sectPr" | b"w:tblPr" | b"w:trPr"
        | b"w:tcPr" | b"w:tblGrid" | b"w:sdtPr" | b"w:sdtEndPr"
        // Note references are numbers Word draws; ruby annotation text.
        | b"w:footnoteReference" | b"w:endnoteReference" | b"w:rt"
    )
}

/// What an element means to the reader; everything else is transparent
/// (hyperlinks, insertions, smart tags, fields, content controls).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tag {
    Paragraph,
    Run,
    RunProps,
    Text,
    Table,
    Row,
    Cell,
    Other,
}

fn tag(name: &[u8]) -> Tag {
    match name {
        b"w:p" => Tag::Paragraph,
        b"w:r" => Tag::Run,
        b"w:rPr" => Tag::RunProps,
        b"w:t" => Tag::Text,
        b"w:tbl" => Tag::Table,
        b"w:tr" => Tag::Row,
        b"w:tc" => Tag::Cell,
        _ => Tag::Other,
    }
}

/// The lines of a .docx file's main text (headers, footers, notes and
/// comments live in other parts and are not read).
pub fn lines(bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    let xml = read_entry(bytes, "word/document.xml", FORMAT)?;
    lines_from_xml(&xml)
}

fn lines_from_xml(xml_bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    let mut reader = xml::reader(xml_bytes);
    let mut out = Assembler::new(FORMAT);
    let mut stack: Vec<Tag> = Vec::new();
    let mut dropped_element = xml::Dropped::default();
    let mut run_bold = false;
    // The content control being read shows its placeholder.
    let mut placeholder = false;
    loop {
        let event = xml::next(&mut reader, FORMAT)?;
        if dropped_element.swallow(&event, FORMAT, "word/document.xml", stack.len())? {
            continue;
        }
        match event {
            // A content control's properties say whether it shows Word's
            // placeholder ("Click here to enter text", or a run of spaces)
            // instead of anything typed: that content is not the transcript.
            Event::Start(e) if e.name().as_ref() == b"w:sdtPr" => {
                placeholder = shows_placeholder(&mut reader)?;
            }
            Event::Start(e) if e.name().as_ref() == b"w:sdtContent" && placeholder => {
                placeholder = false;
                dropped_element.start();
            }
            Event::Start(e) => {
                let name = e.name();
                if dropped(name.as_ref()) {
                    dropped_element.start();
                    continue;
                }
                let t = tag(name.as_ref());
                open(&mut out, &stack, t, &e, &reader, &mut run_bold)?;
                stack.push(t);
            }
            Event::Empty(e) => {
                let name = e.name();
                if dropped(name.as_ref()) {
                    continue;
                }
                let t = tag(name.as_ref());
                open(&mut out, &stack, t, &e, &reader, &mut run_bold)?;
                close(&mut out, t)?;
            }
            Event::End(_) => {
                // End names are checked by the reader, so the stack matches.
                if let Some(t) = stack.pop() {
                    close(&mut out, t)?;
                }
            }
            Event::Text(t) if stack.last() == Some(&Tag::Text) => {
                out.push(&xml::text(&reader, &t, FORMAT)?, run_bold)?;
            }
            Event::CData(c) if stack.last() == Some(&Tag::Text) => {
                out.push(&xml::cdata(&reader, &c, FORMAT)?, run_bold)?;
            }
            Event::Eof if !stack.is_empty() => {
                return Err(xml::cut_short(FORMAT, "word/document.xml", stack.len()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.finish()
}

/// Reads a content control's `w:sdtPr` to its end; true when it says the
/// control shows its placeholder (`w:showingPlcHdr`).
fn shows_placeholder(reader: &mut quick_xml::Reader<&[u8]>) -> Result<bool, ImportError> {
    let mut depth = 1usize;
    let mut found = false;
    while depth > 0 {
        match xml::next(reader, FORMAT)? {
            Event::Start(e) => {
                depth += 1;
                found |= e.name().as_ref() == b"w:showingPlcHdr";
            }
            Event::Empty(e) if e.name().as_ref() == b"w:showingPlcHdr" => {
                found |= on_off(xml::attr(reader, &e, b"w:val", FORMAT)?.as_deref());
            }
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(xml::cut_short(FORMAT, "word/document.xml", depth)),
            _ => {}
        }
    }
    Ok(found)
}

/// Handles an opening (or empty) element whose parent chain is `stack`.
fn open(
    out: &mut Assembler,
    stack: &[Tag],
    t: Tag,
    e: &BytesStart<'_>,
    reader: &quick_xml::Reader<&[u8]>,
    run_bold: &mut bool,
) -> Result<(), ImportError> {
    let parent = stack.last().copied();
    match t {
        Tag::Paragraph => out.start_paragraph(),
        Tag::Table => out.start_table(),
        Tag::Row => out.start_row(),
        Tag::Cell => out.start_cell(),
        Tag::Run => *run_bold = false,
        Tag::RunProps | Tag::Text => {}
        Tag::Other if parent == Some(Tag::Run) => {
            let piece = match e.name().as_ref() {
                b"w:tab" | b"w:ptab" => "\t",
                // Soft line break, page and column breaks, carriage return.
                b"w:br" | b"w:cr" => "\n",
                b"w:noBreakHyphen" => "-",
                // `w:sym` is a glyph of a symbol font: no reliable char.
                _ => "",
            };
            out.push(piece, *run_bold)?;
        }
        Tag::Other => {
            let in_run_props = parent == Some(Tag::RunProps)
                && stack.len() >= 2
                && stack[stack.len() - 2] == Tag::Run;
            if in_run_props && e.name().as_ref() == b"w:b" {
                *run_bold = on_off(xml::attr(reader, e, b"w:val", FORMAT)?.as_deref());
            }
        }
    }
    Ok(())
}

fn close(out: &mut Assembler, t: Tag) -> Result<(), ImportError> {
    match t {
        Tag::Paragraph => out.end_paragraph(),
        Tag::Table => {
            out.end_table();
            Ok(())
        }
        Tag::Row => out.end_row(),
        _ => Ok(()),
    }
}

/// An OOXML on/off value: absent means on.
fn on_off(val: Option<&str>) -> bool {
    !matches!(
        val.map(|v| v.trim().to_ascii_lowercase()).as_deref(),
        Some("0" | "false" | "off")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zipread::tests::build_zip;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn docx(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr><w:pgSz w:w="11906"/></w:sectPr></w:body></w:document>"#
        );
        build_zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", xml.as_bytes()),
        ])
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    fn joined(lines: &[Line]) -> String {
        texts(lines).join("\n")
    }

    #[test]
    fn paragraphs_runs_tabs_breaks_links_revisions() {
        let body = r#"
<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">Hello </w:t></w:r><w:hyperlink r:id="rId1" xmlns:r="r"><w:r><w:t>link</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t>after tab</w:t><w:br/><w:t>soft</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">kept </w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>inserted</w:t></w:r></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>deleted</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> end</w:t></w:r></w:p>
<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>-</w:t><w:noBreakHyphen/><w:sym w:char="F04A"/><w:footnoteReference w:id="1"/></w:r><w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent><w:r><w:t>sdt</w:t></w:r></w:sdtContent></w:sdt><w:smartTag w:element="x"><w:r><w:t>smart</w:t></w:r></w:smartTag><w:fldSimple w:instr="DATE"><w:r><w:t>today</w:t></w:r></w:fldSimple></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>choice</w:t></mc:Choice><mc:Fallback><w:t>fallback</w:t></mc:Fallback></mc:AlternateContent><w:drawing><w:t>in drawing</w:t></w:drawing></w:r><w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>moved here</w:t></w:r></w:moveTo></w:p>"#;
        let lines = lines(&docx(body)).expect("parse");
        assert_eq!(
            texts(&lines),
            vec![
                "Hello link\tafter tab\nsoft",
                "",
                "kept inserted end",
                "",
                "7--sdtsmarttoday",
                "",
                "choicemoved here",
            ]
        );
        // The paragraph mark's bold is not the text's.
        assert!(!lines[0].all_bold);
        assert_eq!(lines[0].bold_prefix_chars, 0);
    }

    #[test]
    fn bold_label_and_all_bold_paragraph() {
        let body = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Doreen:</w:t></w:r><w:r><w:t xml:space="preserve"> Well, I</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:b w:val="1"/><w:rPrChange w:id="3"><w:rPr><w:b w:val="0"/></w:rPr></w:rPrChange></w:rPr><w:t>ALL BOLD</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> too </w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>Not: bold</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:bCs/></w:rPr><w:t>Cs: only</w:t></w:r></w:p>"#;
        let lines = lines(&docx(body)).expect("parse");
        assert_eq!(lines[0].text, "Doreen: Well, I");
        assert_eq!(lines[0].bold_prefix_chars, 7);
        assert!(!lines[0].all_bold);
        assert_eq!(lines[2].text, "ALL BOLD too ");
        assert!(lines[2].all_bold);
        assert_eq!(lines[2].bold_prefix_chars, 13);
        assert_eq!(lines[4].bold_prefix_chars, 0);
        assert!(!lines[4].all_bold);
        assert_eq!(lines[6].bold_prefix_chars, 0);
    }

    #[test]
    fn tables_rows_cells_and_nesting() {
        let body = r#"<w:p><w:r><w:t>Before</w:t></w:r></w:p>
<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>
<w:tr><w:tc><w:tcPr/><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Q:</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>one</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>two</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>in1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>in2</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>last</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl><w:p><w:r><w:t>After</w:t></w:r></w:p>"#;
        let lines = lines(&docx(body)).expect("parse");
        assert_eq!(
            texts(&lines),
            vec![
                "Before",
                "",
                "Q:\tone two",
                "",
                "outer in1 in2\tlast",
                "",
                "After"
            ]
        );
        assert_eq!(lines[2].bold_prefix_chars, 2);
    }

    #[test]
    fn empty_paragraphs_collapse_and_edges_are_dropped() {
        let body = r#"<w:p/><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p/><w:p></w:p><w:p><w:r><w:t xml:space="preserve">  b  </w:t></w:r></w:p><w:p/>"#;
        let lines = lines(&docx(body)).expect("parse");
        assert_eq!(joined(&lines), "a\n\n  b  ");
    }

    #[test]
    fn empty_docx_has_no_text() {
        assert!(matches!(lines(&docx("")), Err(ImportError::NoText)));
        assert!(matches!(
            lines(&docx("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>")),
            Err(ImportError::NoText)
        ));
    }

    #[test]
    fn hostile_inputs() {
        assert!(matches!(
            lines(b"PK\x03\x04 not really"),
            Err(ImportError::Corrupt { .. })
        ));
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#;
        let zip = build_zip(&[("word/document.xml", xxe)]);
        assert!(matches!(lines(&zip), Err(ImportError::XmlDoctype)));
        let lol = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><w:document><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
        let zip = build_zip(&[("word/document.xml", lol)]);
        assert!(matches!(lines(&zip), Err(ImportError::XmlDoctype)));
        let undeclared =
            br#"<w:document><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>"#;
        let zip = build_zip(&[("word/document.xml", undeclared)]);
        assert!(matches!(lines(&zip), Err(ImportError::Corrupt { .. })));
        let zip = build_zip(&[("../word/document.xml", b"<w:document/>")]);
        assert!(matches!(
            lines(&zip),
            Err(ImportError::Corrupt { reason, .. }) if reason.contains("climbs out")
        ));
        let zip = build_zip(&[("content.xml", b"<x/>")]);
        assert!(matches!(
            lines(&zip),
            Err(ImportError::Corrupt { reason, .. }) if reason == "no word/document.xml in the archive"
        ));
    }

    /// `../shared/external` from the repository root, or None (with a message)
    /// when the shared corpus is not checked out.
    fn external() -> Option<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/external");
        if dir.is_dir() {
            Some(dir)
        } else {
            println!("skipped: {} is absent", dir.display());
            None
        }
    }

    #[test]
    fn real_files() {
        let Some(ext) = external() else { return };
        let orda = ext.join("transcripts/sheffield-orda-open-qual");
        let mut paths: Vec<_> = std::fs::read_dir(&orda)
            .expect("read dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "docx"))
            .collect();
        paths.sort();
        assert!(!paths.is_empty());
        for path in &paths {
            let bytes = std::fs::read(path).expect("read file");
            let lines = lines(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                lines.iter().any(|l| !l.text.trim().is_empty()),
                "{}",
                path.display()
            );
            if path.file_name().is_some_and(|n| n == "Ana.docx") {
                assert!(lines[0].text.starts_with("12-May-2023"), "{:?}", lines[0]);
            }
        }
        let id1 = std::fs::read(ext.join("transcripts/qualcoder-examples/ID1.docx"))
            .expect("read ID1.docx");
        let lines = lines(&id1).expect("parse ID1.docx");
        assert!(joined(&lines).contains('€'));
    }

    #[test]
    fn placeholders_of_empty_content_controls_are_not_text() {
        // An inline control left empty shows a run of spaces (or Word's
        // "Click or tap here") between the halves of a word.
        let body = r#"<w:p><w:r><w:t>ye</w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t xml:space="preserve">     </w:t></w:r></w:sdtContent></w:sdt><w:r><w:t>s, it was</w:t></w:r></w:p>
<w:sdt><w:sdtPr><w:showingPlcHdr w:val="true"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:sdt><w:sdtPr><w:showingPlcHdr w:val="0"/></w:sdtPr><w:sdtContent><w:r><w:t>typed</w:t></w:r></w:sdtContent></w:sdt><w:sdt><w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve"> in</w:t></w:r></w:sdtContent></w:sdt></w:p>"#;
        let lines = lines(&docx(body)).expect("parse");
        assert_eq!(texts(&lines), vec!["yes, it was", "", "typed in"]);
    }

    #[test]
    fn a_cut_short_document_is_refused_whole() {
        let body = r#"<w:p><w:r><w:t>Q: How did it start?</w:t></w:r></w:p><w:p><w:r><w:t>A: It started</w:t></w:r></w:p>"#;
        let whole = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        );
        for cut in [
            whole.len() - 20,
            whole.len() / 2,
            whole.find("<w:body>").unwrap_or(0) + 8,
        ] {
            let zip = build_zip(&[("word/document.xml", &whole.as_bytes()[..cut])]);
            let e = lines(&zip).expect_err("a cut-short part must be refused");
            assert!(e.to_string().contains("cut short"), "{cut}: {e}");
        }
        let zip = build_zip(&[("word/document.xml", whole.as_bytes())]);
        assert_eq!(lines(&zip).expect("whole").len(), 3);
    }
}
