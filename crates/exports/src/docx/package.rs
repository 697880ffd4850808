//! The zip package of a [`Document`]: content types, relationships, the
//! main document, styles, settings, one footer part per footer, and the
//! document properties (language; no author, no title, so no name can hide
//! there).

use super::xml::{self, FooterIds, esc};
use super::{Document, styles};
use crate::ExportError;
use std::io::{Seek, Write};
use std::path::Path;
use storyloom_atomic::AtomicFile;
use zip::write::SimpleFileOptions;

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// Every part of the package: (name, content).
pub fn parts(doc: &Document) -> Vec<(String, String)> {
    let mut footers: Vec<String> = Vec::new();
    let mut ids: Vec<FooterIds> = Vec::new();
    let mut rels = String::new();
    let mut next_rel = 3;
    let mut add_footer = |xml: String, footers: &mut Vec<String>, rels: &mut String| {
        footers.push(xml);
        let id = format!("rId{next_rel}");
        next_rel += 1;
        rels.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{REL}/footer" Target="footer{}.xml"/>"#,
            footers.len()
        ));
        id
    };
    for s in &doc.sections {
        let default = s
            .footer
            .as_ref()
            .map(|f| add_footer(xml::footer(f), &mut footers, &mut rels));
        let first = s
            .plain_first_page
            .then(|| add_footer(xml::empty_footer(), &mut footers, &mut rels));
        ids.push((default, first));
    }
    let mut out = Vec::with_capacity(8 + footers.len());
    let mut types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{WML}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{WML}.settings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
    );
    for i in 1..=footers.len() {
        types.push_str(&format!(
            r#"<Override PartName="/word/footer{i}.xml" ContentType="{WML}.footer+xml"/>"#
        ));
    }
    types.push_str("</Types>");
    out.push(("[Content_Types].xml".to_owned(), types));
    out.push((
        "_rels/.rels".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
        ),
    ));
    out.push((
        "docProps/core.xml".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Storyloom</dc:creator><dc:language>{}</dc:language>{}</cp:coreProperties>"#,
            esc(&doc.lang),
            doc.marking
                .as_deref()
                .map(|m| {
                    let m = esc(m);
                    format!("<dc:subject>{m}</dc:subject><cp:keywords>{m}</cp:keywords><cp:category>{m}</cp:category>")
                })
                .unwrap_or_default()
        ),
    ));
    out.push((
        "docProps/app.xml".to_owned(),
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Storyloom</Application></Properties>"#.to_owned(),
    ));
    out.push((
        "word/_rels/document.xml.rels".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{REL}/settings" Target="settings.xml"/>{rels}</Relationships>"#
        ),
    ));
    out.push(("word/document.xml".to_owned(), xml::document(doc, &ids)));
    out.push((
        "word/styles.xml".to_owned(),
        styles::styles(&doc.look, &doc.lang),
    ));
    out.push(("word/settings.xml".to_owned(), styles::settings(&doc.lang)));
    for (i, f) in footers.into_iter().enumerate() {
        out.push((format!("word/footer{}.xml", i + 1), f));
    }
    out
}

/// Writes the package.
pub fn write(doc: &Document, out: &mut (impl Write + Seek)) -> Result<(), ExportError> {
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts(doc) {
        zip.start_file(name, options)
            .map_err(|e| ExportError::Docx(e.to_string()))?;
        zip.write_all(content.as_bytes())?;
    }
    zip.finish().map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(())
}

/// Writes the package to `path`: to a temporary file beside it, renamed over
/// it only when whole (a kill or an error leaves the previous file).
pub fn save(doc: &Document, path: &Path) -> Result<(), ExportError> {
    write_temp(doc, path)?.commit()?;
    Ok(())
}

/// Writes the whole package to a temporary file beside `path` and hands it
/// back uncommitted, so a check can read it before it replaces anything.
pub fn write_temp(doc: &Document, path: &Path) -> Result<AtomicFile, ExportError> {
    let mut file = AtomicFile::create(path)?;
    let mut buffered = std::io::BufWriter::new(&mut file);
    write(doc, &mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    Ok(file)
}
