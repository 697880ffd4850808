//! An element-order checker for WordprocessingML parts, written from the
//! `xsd:sequence` definitions of the ECMA-376 transitional schema
//! (`wml.xsd`) for the elements Storyloom writes. No registry package ships
//! the ECMA-376 schemas in a form `xmllint` can load here, so the tests
//! check every part with this instead: each child of a listed element must
//! be one the schema allows there, in the schema's order.

use quick_xml::Reader;
use quick_xml::events::Event;

/// CT_PPrBase, then CT_PPr's rPr, sectPr, pPrChange.
const PPR: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// CT_RPr / CT_ParaRPr: (ins, del, moveFrom, moveTo for a paragraph mark), EG_RPrBase, rPrChange.
const RPR: &[&str] = &[
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];

/// CT_SectPr.
const SECTPR: &[&str] = &[
    "headerReference|footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
];

/// CT_TblPr (CT_TblPrBase, then tblPrChange).
const TBLPR: &[&str] = &[
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
];

/// CT_TcPr.
const TCPR: &[&str] = &[
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
];

/// CT_TblBorders, CT_TblCellMar.
const BORDERS: &[&str] = &[
    "top",
    "left|start",
    "bottom",
    "right|end",
    "insideH",
    "insideV",
];

/// CT_Style.
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];

/// CT_Styles, CT_DocDefaults.
const STYLES: &[&str] = &["docDefaults", "latentStyles", "style"];
const DOC_DEFAULTS: &[&str] = &["rPrDefault", "pPrDefault"];

/// CT_Settings (the part of it Storyloom may write, in order).
const SETTINGS: &[&str] = &[
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
];

/// CT_Tbl; CT_Row; CT_Tc (content: paragraphs and tables in any order after tcPr).
const TBL: &[&str] = &["tblPr", "tblGrid", "tr"];
const TR: &[&str] = &["tblPrEx", "trPr", "tc"];
const TC: &[&str] = &["tcPr", "p|tbl"];
/// CT_P: pPr, then runs (and the like) in any order.
const P: &[&str] = &[
    "pPr",
    "r|hyperlink|fldSimple|bookmarkStart|bookmarkEnd|proofErr|ins|del",
];
/// CT_R: rPr, then content in any order.
const R: &[&str] = &[
    "rPr",
    "t|br|tab|fldChar|instrText|cr|noBreakHyphen|softHyphen|sym",
];
/// CT_Body: block content, then the last sectPr.
const BODY: &[&str] = &["p|tbl|bookmarkStart|bookmarkEnd|sdt", "sectPr"];
/// CT_TrPr is a choice: any of these, any order.
const TRPR_CHOICE: &[&str] = &[
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
    "ins",
    "del",
    "trPrChange",
];

/// The schema sequence of an element (by local name and its parent), if
/// this checker knows it.
fn sequence(name: &str, parent: &str) -> Option<&'static [&'static str]> {
    Some(match (name, parent) {
        ("pPr", _) => PPR,
        ("rPr", _) => RPR,
        ("sectPr", _) => SECTPR,
        ("tblPr", _) => TBLPR,
        ("tcPr", _) => TCPR,
        ("tblBorders" | "tblCellMar" | "tcBorders" | "tcMar", _) => BORDERS,
        ("style", "styles") => STYLE,
        ("styles", _) => STYLES,
        ("docDefaults", _) => DOC_DEFAULTS,
        ("settings", _) => SETTINGS,
        ("tbl", _) => TBL,
        ("tr", _) => TR,
        ("tc", _) => TC,
        ("p", _) => P,
        ("r", _) => R,
        ("body", _) => BODY,
        _ => return None,
    })
}

fn position(seq: &[&str], child: &str) -> Option<usize> {
    seq.iter()
        .position(|s| s.split('|').any(|alt| alt == child))
}

fn local(qname: &[u8]) -> String {
    let s = String::from_utf8_lossy(qname);
    match s.split_once(':') {
        Some((_, l)) => l.to_owned(),
        None => s.into_owned(),
    }
}

/// The problems in one XML part: children out of order, or not allowed
/// where they are. Empty when the part is in order.
pub fn check_part(part: &str, xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    // Per open element: (name, position of the last child seen).
    let mut stack: Vec<(String, Option<usize>)> = Vec::new();
    let mut problems = Vec::new();
    let open = |name: String,
                stack: &mut Vec<(String, Option<usize>)>,
                problems: &mut Vec<String>| {
        let grand = stack
            .len()
            .checked_sub(2)
            .map(|i| stack[i].0.clone())
            .unwrap_or_default();
        if let Some((parent, last)) = stack.last_mut() {
            if parent == "trPr" {
                if !TRPR_CHOICE.contains(&name.as_str()) {
                    problems.push(format!("{part}: <{name}> is not allowed in <trPr>"));
                }
            } else if let Some(seq) = sequence(parent, &grand) {
                match position(seq, &name) {
                    None => problems.push(format!("{part}: <{name}> is not allowed in <{parent}>")),
                    Some(i) => {
                        if last.is_some_and(|l| i < l) {
                            problems.push(format!(
                                "{part}: <{name}> comes after <{}> in <{parent}>, but the schema puts it before",
                                seq[last.unwrap_or(0)]
                            ));
                        }
                        // A repeated sequence item ("p|tbl") may repeat; a
                        // single one may not.
                        if *last == Some(i)
                            && !seq[i].contains('|')
                            && !matches!(name.as_str(), "style" | "tr" | "tc" | "ins" | "del")
                        {
                            problems.push(format!("{part}: <{name}> twice in <{parent}>"));
                        }
                        *last = Some(last.map_or(i, |l| l.max(i)));
                    }
                }
            }
        }
        stack.push((name, None));
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => open(local(e.name().as_ref()), &mut stack, &mut problems),
            Ok(Event::Empty(e)) => {
                open(local(e.name().as_ref()), &mut stack, &mut problems);
                stack.pop();
            }
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                problems.push(format!("{part}: not well-formed XML: {e}"));
                break;
            }
            _ => {}
        }
    }
    problems
}

/// Checks every WordprocessingML part of a docx file (its bytes).
pub fn check_docx(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| e.to_string())?;
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        if !(name.starts_with("word/") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut f, &mut xml).map_err(|e| e.to_string())?;
        problems.extend(check_part(&name, &xml));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_properties_out_of_schema_order() {
        // docx-rs 0.4 wrote w:sz before w:rFonts and w:b: Word may drop them.
        let bad = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:rPr><w:sz w:val="22"/><w:rFonts w:ascii="Arial"/><w:b/></w:rPr><w:t>x</w:t></w:r></w:p></w:body></w:document>"#;
        let p = check_part("word/document.xml", bad);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("<rFonts> comes after <sz>"), "{p:?}");
        let bad_p = r#"<w:p xmlns:w="x"><w:pPr><w:spacing/><w:keepNext/><w:jc/></w:pPr></w:p>"#;
        assert_eq!(check_part("x", bad_p).len(), 1);
        let unknown = r#"<w:p xmlns:w="x"><w:pPr><w:bogus/></w:pPr></w:p>"#;
        assert!(check_part("x", unknown)[0].contains("not allowed"));
        let good = r#"<w:tbl xmlns:w="x"><w:tblPr><w:tblW/><w:tblBorders><w:top/><w:left/></w:tblBorders><w:tblLook/><w:tblCaption/></w:tblPr><w:tblGrid/><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#;
        assert!(
            check_part("x", good).is_empty(),
            "{:?}",
            check_part("x", good)
        );
    }
}
