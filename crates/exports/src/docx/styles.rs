//! `word/styles.xml` and `word/settings.xml` from a
//! [`Look`]: "Normal" is the default paragraph style and carries the body's
//! font, size, spacing and widow control; Title, Heading 1 and Heading 2 use
//! Word's built-in names and outline levels, so Word's navigation pane and
//! screen readers see the document's structure; the document language is
//! set on the defaults (and in `settings.xml` for the theme fonts).

use super::StyleId;
use super::xml::{W_NS, esc, spacing};
use crate::story_docx::layout::{FONT, Look, Style};
use crate::story_docx::named;

/// The pPr children a style sets, in CT_PPrBase order.
fn ppr(out: &mut String, s: &Style, keep_next: bool, outline: Option<u8>, centred: bool) {
    out.push_str("<w:pPr>");
    if keep_next {
        out.push_str("<w:keepNext/><w:keepLines/>");
    }
    spacing(out, 0, s.after, s.line, s.exact);
    if s.indent > 0 {
        out.push_str(&format!(r#"<w:ind w:left="{}"/>"#, s.indent));
    }
    if centred {
        out.push_str(r#"<w:jc w:val="center"/>"#);
    }
    if let Some(l) = outline {
        out.push_str(&format!(r#"<w:outlineLvl w:val="{l}"/>"#));
    }
    out.push_str("</w:pPr>");
}

/// The rPr children a style sets, in EG_RPrBase order.
fn rpr(out: &mut String, s: &Style) {
    out.push_str("<w:rPr>");
    if s.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if s.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    out.push_str(&format!(
        r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
        s.half_points
    ));
    out.push_str("</w:rPr>");
}

/// (style, Word's name for it, outline level, keep with next).
fn paragraph_styles() -> [(StyleId, &'static str, Option<u8>, bool); 7] {
    [
        (StyleId::Title, "Title", None, true),
        (StyleId::Heading1, "heading 1", Some(0), true),
        (StyleId::Heading2, "heading 2", Some(1), true),
        (StyleId::RoleLine, "Role line", None, true),
        (StyleId::Framing, "Framing", None, false),
        (StyleId::Small, "Small print", None, false),
        (StyleId::Footer, "footer", None, false),
    ]
}

/// The footer's geometry: small print on one line that fits the footer area.
pub fn footer_style(look: &Look) -> Style {
    Style {
        italic: false,
        after: 0,
        line: if look.large_print { 320 } else { 240 },
        exact: true,
        indent: 0,
        half_points: if look.large_print { 24 } else { 18 },
        bold: false,
    }
}

pub fn styles(look: &Look, lang: &str) -> String {
    let body = named(look, StyleId::Normal);
    let mut out = String::with_capacity(8 * 1024);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    out.push_str(&format!(r#"<w:styles xmlns:w="{W_NS}">"#));
    // Defaults: font on every script slot, size, language; widow control.
    let lang = esc(lang);
    out.push_str(&format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/><w:sz w:val="{0}"/><w:szCs w:val="{0}"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>"#,
        body.half_points
    ));
    spacing(&mut out, 0, body.after, body.line, body.exact);
    out.push_str("</w:pPr></w:pPrDefault></w:docDefaults>");
    // Normal: the default paragraph style.
    out.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl/><w:snapToGrid w:val="0"/>"#);
    spacing(&mut out, 0, body.after, body.line, body.exact);
    out.push_str(r#"<w:jc w:val="left"/></w:pPr>"#);
    out.push_str(&format!(
        r#"<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/><w:sz w:val="{0}"/><w:szCs w:val="{0}"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:style>"#,
        body.half_points
    ));
    out.push_str(r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#);
    out.push_str(r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#);
    for (id, name, outline, keep) in paragraph_styles() {
        let s = if id == StyleId::Footer {
            footer_style(look)
        } else {
            named(look, id)
        };
        out.push_str(&format!(
            r#"<w:style w:type="paragraph" w:styleId="{}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>"#,
            id.id()
        ));
        if outline.is_some() {
            out.push_str(r#"<w:uiPriority w:val="9"/>"#);
        }
        out.push_str("<w:qFormat/>");
        ppr(&mut out, &s, keep, outline, id == StyleId::Footer);
        rpr(&mut out, &s);
        out.push_str("</w:style>");
    }
    out.push_str("</w:styles>");
    out
}

/// `word/settings.xml`, in CT_Settings order.
pub fn settings(lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:autoHyphenation w:val="0"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="{}"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>"#,
        esc(lang)
    )
}
