//! The pseudonymisation gate: after a stakeholder export is written, every
//! textual part of the file is read back and searched for every original
//! of the pseudonym map, and (with [`Gate`]) for every name found in the
//! transcripts that the researcher has not reviewed. Anything found fails
//! the export and the file is deleted.

pub mod names;

pub use names::{Gate, GateReport, NameLeft};
use std::io::Read;
use std::path::Path;
use storyloom_privacy::{Matcher, disguised_names, fold_map};
use storyloom_project::stories::PseudonymMap;

/// An original found in an exported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    /// The original from the map.
    pub original: String,
    /// The file part (`word/document.xml`, `docProps/core.xml`, …) or the file name.
    pub part: String,
    /// A few words around it.
    pub context: String,
}

impl std::fmt::Display for Leak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "'{}' in {}: …{}…",
            self.original, self.part, self.context
        )
    }
}

/// Why the gate stopped an export.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error("{} name(s) that must not leave would have been in the file, so it was not kept:\n{}", .0.len(), list(.0))]
    Leaked(Vec<Leak>),
    #[error("could not read the written file back to check it: {0}")]
    Unreadable(String),
    /// Names found in the transcripts, not reviewed, in what was to be
    /// written: each listed once per story (or file part) with how often
    /// and a few words around it, then the commands that settle them
    /// (`project`: the project file, for those commands).
    #[error("{}", names::refusal(.names, .project))]
    Unreviewed {
        names: Vec<names::NameLeft>,
        project: String,
    },
}

fn list(leaks: &[Leak]) -> String {
    leaks
        .iter()
        .map(|l| format!("  - {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The originals to look for: every entry of the map, confirmed or not.
pub fn originals(map: &PseudonymMap) -> Vec<String> {
    let mut out: Vec<String> = map
        .entries()
        .iter()
        .map(|e| e.original.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Decodes the five XML entities and numeric character references.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(end) = after.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let ent = &after[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of an XML part with its tags removed. `joined`: tags inside a
/// paragraph vanish (so a word split over runs reads whole) and paragraph,
/// cell, break and tab tags become spaces; otherwise every tag becomes a
/// space. Attribute values are kept as text too (a name could hide there).
fn strip_tags(xml: &str, joined: bool) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut attrs = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('>') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = &rest[i + 1..i + end];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let inline = matches!(name, "w:r" | "w:t" | "w:rPr" | "w:proofErr")
            || (name.starts_with("w:") && !tag.starts_with('/') && is_run_property(name));
        if !joined || !inline {
            out.push(' ');
        }
        // Attribute values: kept, space-separated, after the text.
        for (k, v) in tag.split(['"', '\'']).enumerate() {
            if k % 2 == 1 && !v.is_empty() {
                attrs.push(' ');
                attrs.push_str(v);
                attrs.push(' ');
            }
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    out.push(' ');
    out.push_str(&attrs);
    decode_entities(&out)
}

fn is_run_property(name: &str) -> bool {
    matches!(
        name,
        "w:rFonts" | "w:b" | "w:bCs" | "w:i" | "w:iCs" | "w:sz" | "w:szCs" | "w:color" | "w:u"
    )
}

/// A few words either side of chars `s..e` of `chars`.
fn context(chars: &[char], s: usize, e: usize) -> String {
    let cs = s.saturating_sub(30);
    let ce = (e + 30).min(chars.len());
    chars[cs..ce]
        .iter()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Searches plain text (already free of markup) for the originals, after
/// the privacy fold (NFKC, full case folding, invisible characters
/// removed), and for words that only look like one (other scripts' letters).
pub fn scan_text(part: &str, text: &str, originals: &[String]) -> Vec<Leak> {
    let matcher = Matcher::new(originals);
    if matcher.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut leaks: Vec<Leak> = Vec::new();
    for h in matcher.find_folded(&fold_map(text)) {
        let original = &originals[h.id];
        if !leaks.iter().any(|l| &l.original == original) {
            leaks.push(Leak {
                original: original.clone(),
                part: part.to_owned(),
                context: context(&chars, h.start, h.end),
            });
        }
    }
    for d in disguised_names(text, originals) {
        let original = format!(
            "{} (written with look-alike letters as '{}')",
            d.looks_like, d.word
        );
        if !leaks.iter().any(|l| l.original == original) {
            leaks.push(Leak {
                original,
                part: part.to_owned(),
                context: context(&chars, d.start, d.end),
            });
        }
    }
    leaks
}

/// Searches an XML part (both with runs joined and with every tag a space).
pub fn scan_xml(part: &str, xml: &str, originals: &[String]) -> Vec<Leak> {
    let mut leaks = scan_text(part, &strip_tags(xml, true), originals);
    for l in scan_text(part, &strip_tags(xml, false), originals) {
        if !leaks.iter().any(|k| k.original == l.original) {
            leaks.push(l);
        }
    }
    leaks
}

/// The texts of a written file to search: for a zip (docx, xlsx) every
/// part's name and every textual part, twice (runs joined; every tag a
/// space); for anything else the file name and its text.
pub fn file_texts(path: &Path) -> Result<Vec<(String, String)>, GateError> {
    let unreadable = |e: &dyn std::fmt::Display| GateError::Unreadable(e.to_string());
    let mut out = Vec::new();
    if !is_zip(path) {
        let b = std::fs::read(path).map_err(|e| unreadable(&e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((name.clone(), String::from_utf8_lossy(&b).into_owned()));
        return Ok(out);
    }
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| unreadable(&e))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| unreadable(&e))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        out.push((format!("the part name {name}"), name.clone()));
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| unreadable(&e))?;
        let lower = name.to_ascii_lowercase();
        let textual = lower.ends_with(".xml")
            || lower.ends_with(".rels")
            || lower.ends_with(".txt")
            || std::str::from_utf8(&bytes).is_ok();
        if textual {
            let text = String::from_utf8_lossy(&bytes);
            out.push((name.clone(), strip_tags(&text, true)));
            out.push((name, strip_tags(&text, false)));
        }
    }
    Ok(out)
}

/// Reads every textual part of a docx (or any zip) and searches it.
pub fn scan_docx(path: &Path, originals: &[String]) -> Result<Vec<Leak>, GateError> {
    let mut leaks: Vec<Leak> = Vec::new();
    for (part, text) in file_texts(path)? {
        for l in scan_text(&part, &text, originals) {
            if !leaks
                .iter()
                .any(|k| k.original == l.original && k.part == l.part)
            {
                leaks.push(l);
            }
        }
    }
    Ok(leaks)
}

/// Checks a written stakeholder file; on any leak (or if it cannot be read
/// back) deletes it and fails. `.docx` files are read as zips, anything else
/// as text.
pub fn check_file(path: &Path, map: &PseudonymMap) -> Result<(), GateError> {
    match scan_docx(path, &originals(map)) {
        Ok(leaks) if leaks.is_empty() => Ok(()),
        Ok(leaks) => {
            let _ = std::fs::remove_file(path);
            Err(GateError::Leaked(leaks))
        }
        Err(e) => {
            let _ = std::fs::remove_file(path);
            Err(e)
        }
    }
}

fn is_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"PK\x03\x04"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_over_runs_and_entities_are_found() {
        let o = vec!["Siân O'Neill".to_owned(), "Ann".to_owned()];
        let xml = "<w:p><w:r><w:t>met Si</w:t></w:r><w:r><w:t>ân O&apos;Neill</w:t></w:r></w:p>";
        let leaks = scan_xml("word/document.xml", xml, &o);
        assert_eq!(leaks.len(), 1, "{leaks:?}");
        assert_eq!(leaks[0].original, "Siân O'Neill");
        // Whole words only: Anna is not Ann.
        assert!(scan_xml("x", "<w:t>Anna and annex</w:t>", &o).is_empty());
        // Paragraph ends separate words.
        let two = "<w:p><w:r><w:t>so</w:t></w:r></w:p><w:p><w:r><w:t>ANN said</w:t></w:r></w:p>";
        assert_eq!(scan_xml("x", two, &o).len(), 1);
        assert_eq!(decode_entities("a &amp; &#65;&#x42;"), "a & AB");
    }

    #[test]
    fn unicode_cannot_hide_a_name_from_the_gate() {
        // An NFD original; the file has it in capitals, with a soft hyphen
        // (entity and character), a zero-width joiner, split over runs.
        let o = vec!["Zoe\u{308}".to_owned(), "David".to_owned()];
        for xml in [
            "<w:t>met ZOË</w:t>",
            "<w:t>met Zo&#173;ë there</w:t>",
            "<w:t>met Z\u{200d}o</w:t></w:r><w:r><w:t>ë there</w:t>",
            "<w:t>met zoe\u{308}</w:t>",
        ] {
            let leaks = scan_xml("word/document.xml", xml, &o);
            assert_eq!(leaks.len(), 1, "{xml}: {leaks:?}");
            assert_eq!(leaks[0].original, o[0]);
        }
        let leaks = scan_text("x", "and D\u{430}vid said", &o);
        assert_eq!(leaks.len(), 1, "{leaks:?}");
        assert!(leaks[0].original.contains("look-alike"), "{leaks:?}");
    }
}
