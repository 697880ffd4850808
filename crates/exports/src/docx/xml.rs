//! `word/document.xml` and the footers, each element's children written in
//! the sequence ECMA-376 Part 1 gives them (CT_PPr, CT_RPr, CT_SectPr,
//! CT_TblPr, CT_TrPr, CT_TcPr), so that Word keeps every property.

use super::{
    Block, Cell, Document, FooterPiece, Para, Row, RunContent, RunProps, Section, Start, Table,
};

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Escapes text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// `w:spacing` and the line rule (CT_Spacing).
pub fn spacing(out: &mut String, before: u32, after: u32, line: u32, exact: bool) {
    out.push_str(&format!(
        r#"<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{}"/>"#,
        if exact { "exact" } else { "atLeast" }
    ));
}

/// The children of `w:rPr` in the order of EG_RPrBase.
pub fn run_props(out: &mut String, p: &RunProps) {
    if *p == RunProps::default() {
        return;
    }
    out.push_str("<w:rPr>");
    if p.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if p.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    if let Some(c) = &p.color {
        out.push_str(&format!(r#"<w:color w:val="{}"/>"#, esc(c)));
    }
    if let Some(s) = p.size {
        out.push_str(&format!(r#"<w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#));
    }
    out.push_str("</w:rPr>");
}

fn text(out: &mut String, t: &str) {
    out.push_str(r#"<w:t xml:space="preserve">"#);
    out.push_str(&esc(t));
    out.push_str("</w:t>");
}

/// A paragraph; `sect` is the section properties it ends (CT_PPr puts
/// `w:sectPr` after `w:rPr`, last but one).
pub fn paragraph(out: &mut String, p: &Para, sect: Option<&str>) {
    out.push_str("<w:p>");
    let mut ppr = String::new();
    if let Some(s) = p.style {
        ppr.push_str(&format!(r#"<w:pStyle w:val="{}"/>"#, s.id()));
    }
    if p.keep_next {
        ppr.push_str("<w:keepNext/>");
    }
    if p.page_break_before {
        ppr.push_str("<w:pageBreakBefore/>");
    }
    if let Some(s) = p.spacing {
        spacing(&mut ppr, s.before, s.after, s.line, s.exact);
    }
    if let Some((left, hanging)) = p.indent {
        if hanging > 0 {
            ppr.push_str(&format!(
                r#"<w:ind w:left="{left}" w:hanging="{hanging}"/>"#
            ));
        } else {
            ppr.push_str(&format!(r#"<w:ind w:left="{left}"/>"#));
        }
    }
    if let Some(s) = sect {
        ppr.push_str(s);
    }
    if !ppr.is_empty() {
        out.push_str("<w:pPr>");
        out.push_str(&ppr);
        out.push_str("</w:pPr>");
    }
    for r in &p.runs {
        out.push_str("<w:r>");
        run_props(out, &r.props);
        match &r.content {
            RunContent::Text(t) => text(out, t),
            RunContent::PageBreak => out.push_str(r#"<w:br w:type="page"/>"#),
        }
        out.push_str("</w:r>");
    }
    out.push_str("</w:p>");
}

fn cell(out: &mut String, c: &Cell, width: u32) {
    out.push_str("<w:tc><w:tcPr>");
    out.push_str(&format!(r#"<w:tcW w:w="{width}" w:type="dxa"/>"#));
    if let Some(s) = c.shade {
        out.push_str(&format!(
            r#"<w:shd w:val="clear" w:color="auto" w:fill="{s}"/>"#
        ));
    }
    out.push_str("</w:tcPr>");
    if c.paras.is_empty() {
        out.push_str("<w:p/>");
    }
    for p in &c.paras {
        paragraph(out, p, None);
    }
    out.push_str("</w:tc>");
}

fn row(out: &mut String, r: &Row, widths: &[u32]) {
    out.push_str("<w:tr>");
    if r.cant_split || r.min_height.is_some() || r.header {
        // CT_TrPr is a choice of its children; written in schema order.
        out.push_str("<w:trPr>");
        if r.cant_split {
            out.push_str("<w:cantSplit/>");
        }
        if let Some(h) = r.min_height {
            out.push_str(&format!(r#"<w:trHeight w:val="{h}" w:hRule="atLeast"/>"#));
        }
        if r.header {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
    }
    for (i, c) in r.cells.iter().enumerate() {
        cell(out, c, widths.get(i).copied().unwrap_or(1000));
    }
    out.push_str("</w:tr>");
}

/// A table with single borders and its alternative text (CT_TblPr order:
/// tblStyle, tblW, tblBorders, tblLayout, tblCellMar, tblLook, tblCaption,
/// tblDescription).
pub fn table(out: &mut String, t: &Table) {
    let total: u32 = t.widths.iter().sum();
    out.push_str("<w:tbl><w:tblPr>");
    out.push_str(&format!(r#"<w:tblW w:w="{total}" w:type="dxa"/>"#));
    out.push_str("<w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!(
            r#"<w:{side} w:val="single" w:sz="6" w:space="0" w:color="404040"/>"#
        ));
    }
    out.push_str("</w:tblBorders>");
    out.push_str(r#"<w:tblLayout w:type="fixed"/>"#);
    out.push_str(r#"<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>"#);
    let header = t.rows.first().is_some_and(|r| r.header);
    out.push_str(&format!(
        r#"<w:tblLook w:val="{}" w:firstRow="{}" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>"#,
        if header { "0420" } else { "0400" },
        u8::from(header)
    ));
    if !t.caption.is_empty() {
        out.push_str(&format!(r#"<w:tblCaption w:val="{}"/>"#, esc(&t.caption)));
    }
    if !t.description.is_empty() {
        out.push_str(&format!(
            r#"<w:tblDescription w:val="{}"/>"#,
            esc(&t.description)
        ));
    }
    out.push_str("</w:tblPr><w:tblGrid>");
    for w in &t.widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    for r in &t.rows {
        row(out, r, &t.widths);
    }
    out.push_str("</w:tbl>");
}

/// CT_SectPr: footer references, type, pgSz, pgMar, pgNumType, titlePg, docGrid.
pub fn section_props(s: &Section, footer: Option<&str>, first: Option<&str>) -> String {
    let mut out = String::from("<w:sectPr>");
    if let Some(id) = footer {
        out.push_str(&format!(
            r#"<w:footerReference w:type="default" r:id="{id}"/>"#
        ));
    }
    if let Some(id) = first {
        out.push_str(&format!(
            r#"<w:footerReference w:type="first" r:id="{id}"/>"#
        ));
    }
    out.push_str(&format!(
        r#"<w:type w:val="{}"/>"#,
        match s.start {
            Start::NextPage => "nextPage",
            Start::OddPage => "oddPage",
        }
    ));
    out.push_str(&format!(
        r#"<w:pgSz w:w="{}" w:h="{}"{}/>"#,
        s.page.width,
        s.page.height,
        if s.page.landscape {
            r#" w:orient="landscape""#
        } else {
            ""
        }
    ));
    let m = s.page.margin;
    out.push_str(&format!(
        r#"<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="708" w:footer="708" w:gutter="0"/>"#
    ));
    if s.plain_first_page {
        out.push_str("<w:titlePg/>");
    }
    // No line grid: LibreOffice would snap lines to one.
    out.push_str("</w:sectPr>");
    out
}

/// The relationship ids of a section's footers: (default, first page).
pub type FooterIds = (Option<String>, Option<String>);

/// The body of `word/document.xml`.
pub fn document(doc: &Document, footers: &[FooterIds]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    out.push_str(&format!(
        r#"<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>"#
    ));
    let n = doc.sections.len();
    for (si, s) in doc.sections.iter().enumerate() {
        let (f, first) = footers.get(si).cloned().unwrap_or_default();
        let sect = section_props(s, f.as_deref(), first.as_deref());
        let last_section = si + 1 == n;
        let blocks = &s.blocks;
        for (bi, b) in blocks.iter().enumerate() {
            let last_block = bi + 1 == blocks.len();
            match b {
                Block::P(p) => {
                    let carry = (!last_section && last_block).then_some(sect.as_str());
                    paragraph(&mut out, p, carry);
                }
                Block::Table(t) => table(&mut out, t),
            }
        }
        if !last_section && !matches!(blocks.last(), Some(Block::P(_))) {
            // A section ending in a table (or empty) ends with a paragraph
            // that carries its properties: 1 pt high, so it takes no room.
            // CT_PPr: spacing, then rPr, then sectPr.
            out.push_str(r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>"#);
            out.push_str(&sect);
            out.push_str("</w:pPr></w:p>");
        }
        if last_section {
            out.push_str(&sect);
        }
    }
    out.push_str("</w:body></w:document>");
    out
}

/// A footer part: one centred line, fields for the page numbers.
pub fn footer(pieces: &[FooterPiece]) -> String {
    let mut out = String::new();
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    out.push_str(&format!(r#"<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">"#));
    out.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>"#);
    for p in pieces {
        match p {
            FooterPiece::Text(t) => {
                out.push_str("<w:r>");
                text(&mut out, t);
                out.push_str("</w:r>");
            }
            FooterPiece::Page | FooterPiece::Pages => {
                let instr = if *p == FooterPiece::Page {
                    "PAGE"
                } else {
                    "NUMPAGES"
                };
                out.push_str(r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#);
                out.push_str(&format!(
                    r#"<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>"#
                ));
                out.push_str(r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#);
                out.push_str(r#"<w:r><w:t>1</w:t></w:r>"#);
                out.push_str(r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#);
            }
        }
    }
    out.push_str("</w:p></w:ftr>");
    out
}

/// An empty footer (a cover page's).
pub fn empty_footer() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p></w:ftr>"#
    )
}
