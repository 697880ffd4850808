//! Reads one entry out of a zip archive held in memory (.docx and .odt are
//! zip archives), refusing what a hostile file could use against us: zip
//! bombs, lying sizes, entry names that climb out, absurd entry counts.

use super::MAX_XML_BYTES;
use crate::error::ImportError;
use std::io::{Cursor, Read};

/// More entries than any real office document has (a large .docx holds a few
/// dozen); past this the archive is refused before anything is inflated.
pub const MAX_ENTRIES: usize = 10_000;

/// Returns the inflated bytes of the entry named `wanted`, found
/// case-insensitively (some tools write `Word/Document.xml`).
pub fn read_entry(
    archive_bytes: &[u8],
    wanted: &str,
    format: &'static str,
) -> Result<Vec<u8>, ImportError> {
    read_entry_limited(archive_bytes, wanted, format, MAX_XML_BYTES)
}

/// [`read_entry`] with the size limit as a parameter, so tests can exercise
/// the limits without inflating hundreds of megabytes.
pub fn read_entry_limited(
    archive_bytes: &[u8],
    wanted: &str,
    format: &'static str,
    limit: u64,
) -> Result<Vec<u8>, ImportError> {
    let corrupt = |reason: String| ImportError::Corrupt { format, reason };
    if !is_safe_name(wanted) {
        return Err(corrupt(format!(
            "the entry name '{wanted}' climbs out of the archive"
        )));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(archive_bytes))
        .map_err(|e| corrupt(format!("not a zip archive ({e})")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(corrupt(format!(
            "the archive has {} entries; more than {MAX_ENTRIES} are refused",
            archive.len()
        )));
    }

    let wanted_key = normalize(wanted).to_lowercase();
    let mut found: Option<(usize, String)> = None;
    let mut climbing: Option<String> = None;
    for index in 0..archive.len() {
        // A name that is not valid text cannot be the one we want.
        let Some(Ok(name)) = archive.name_for_index(index) else {
            continue;
        };
        let norm = normalize(&name);
        if !is_safe_name(&norm) {
            // `/word/document.xml` or `../word/document.xml`: refuse rather
            // than guess what the producer meant.
            if strip_climbing(&norm).to_lowercase() == wanted_key {
                climbing.get_or_insert_with(|| name.to_string());
            }
            continue;
        }
        if norm == wanted {
            found = Some((index, name.to_string()));
            break;
        }
        if found.is_none() && norm.to_lowercase() == wanted_key {
            found = Some((index, name.to_string()));
        }
    }
    let Some((index, name)) = found else {
        return Err(corrupt(match climbing {
            Some(bad) => format!("the entry name '{bad}' climbs out of the archive"),
            None => format!("no {wanted} in the archive"),
        }));
    };

    let file = archive
        .by_index(index)
        .map_err(|e| corrupt(format!("cannot open '{name}' in the archive ({e})")))?;
    if file.is_dir() {
        return Err(corrupt(format!("'{name}' is a folder, not a file")));
    }
    // The declared size is checked before inflating anything; the read
    // below is capped as well because declared sizes can lie.
    if file.size() > limit {
        return Err(ImportError::ZipBomb { entry: name, limit });
    }
    // Start small: an honest small entry may still declare a large size.
    let mut out = Vec::with_capacity(file.size().min(16 * 1024 * 1024) as usize);
    let read = file.take(limit.saturating_add(1)).read_to_end(&mut out);
    match read {
        Ok(_) if out.len() as u64 > limit => Err(ImportError::ZipBomb { entry: name, limit }),
        Ok(_) => Ok(out),
        // The zip crate stops an entry that inflates past its declared size.
        Err(e) if e.to_string().contains("declared uncompressed size") => {
            Err(ImportError::ZipBomb { entry: name, limit })
        }
        Err(e) => Err(corrupt(format!("cannot inflate '{name}' ({e})"))),
    }
}

/// Zip names use `/`, but some Windows tools write `\`.
fn normalize(name: &str) -> String {
    name.replace('\\', "/")
}

/// False for names that are absolute or climb with `..`: they never name a
/// part of an office document.
fn is_safe_name(name: &str) -> bool {
    let name = normalize(name);
    if name.is_empty() || name.starts_with('/') || name.contains('\0') {
        return false;
    }
    // `C:/...` drive letters.
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return false;
    }
    !name.split('/').any(|part| part == "..")
}

/// What an unsafe name would resolve to once its climbing is removed, used
/// only to say why the wanted entry was refused.
fn strip_climbing(name: &str) -> String {
    name.split('/')
        .filter(|p| !p.is_empty() && *p != ".." && *p != "." && !p.ends_with(':'))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// Builds a deflated archive from `(name, bytes)` pairs.
    pub(crate) fn build_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default();
        for (name, data) in entries {
            w.start_file(*name, opts).expect("start entry");
            w.write_all(data).expect("write entry");
        }
        w.finish().expect("finish zip").into_inner()
    }

    /// Rewrites the declared uncompressed size of every entry (local header
    /// and central directory), to make an archive that lies.
    fn patch_declared_size(zip: &mut [u8], size: u32) {
        let mut i = 0;
        while i + 30 <= zip.len() {
            let sig = &zip[i..i + 4];
            if sig == b"PK\x03\x04" {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            } else if sig == b"PK\x01\x02" && i + 28 <= zip.len() {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            }
            i += 1;
        }
    }

    #[test]
    fn reads_an_entry_case_insensitively() {
        let zip = build_zip(&[("Word/Document.XML", b"<a/>"), ("other.xml", b"x")]);
        let got = read_entry(&zip, "word/document.xml", "test").expect("read");
        assert_eq!(got, b"<a/>");
    }

    #[test]
    fn exact_case_wins_over_other_case() {
        let zip = build_zip(&[
            ("WORD/DOCUMENT.XML", b"upper"),
            ("word/document.xml", b"exact"),
        ]);
        let got = read_entry(&zip, "word/document.xml", "test").expect("read");
        assert_eq!(got, b"exact");
    }

    #[test]
    fn missing_entry_names_it() {
        let zip = build_zip(&[("content.xml", b"<a/>")]);
        match read_entry(&zip, "word/document.xml", "test") {
            Err(ImportError::Corrupt { reason, .. }) => {
                assert_eq!(reason, "no word/document.xml in the archive")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn not_a_zip() {
        match read_entry(b"hello, I am plain text", "word/document.xml", "test") {
            Err(ImportError::Corrupt { reason, .. }) => {
                assert!(reason.starts_with("not a zip archive ("), "{reason}")
            }
            other => panic!("unexpected {other:?}"),
        }
        // A truncated archive is damaged, not a panic.
        let zip = build_zip(&[("word/document.xml", b"<a/>")]);
        assert!(matches!(
            read_entry(&zip[..zip.len() / 2], "word/document.xml", "test"),
            Err(ImportError::Corrupt { .. })
        ));
    }

    #[test]
    fn climbing_names_are_refused() {
        let zip = build_zip(&[("../evil.xml", b"<a/>")]);
        for wanted in ["../evil.xml", "evil.xml", "/evil.xml"] {
            match read_entry(&zip, wanted, "test") {
                Err(ImportError::Corrupt { reason, .. }) => {
                    assert!(reason.contains("climbs out"), "{wanted}: {reason}")
                }
                other => panic!("{wanted}: unexpected {other:?}"),
            }
        }
        let zip = build_zip(&[("/word/document.xml", b"<a/>")]);
        assert!(matches!(
            read_entry(&zip, "word/document.xml", "test"),
            Err(ImportError::Corrupt { reason, .. }) if reason.contains("climbs out")
        ));
    }

    #[test]
    fn declared_size_over_the_limit_is_refused_before_inflating() {
        let zip = build_zip(&[("word/document.xml", &[b'a'; 2000])]);
        assert!(matches!(
            read_entry_limited(&zip, "word/document.xml", "test", 1000),
            Err(ImportError::ZipBomb { limit: 1000, .. })
        ));
        assert!(read_entry_limited(&zip, "word/document.xml", "test", 2000).is_ok());
    }

    #[test]
    fn huge_declared_size_is_refused() {
        let mut zip = build_zip(&[("word/document.xml", b"<a/>")]);
        patch_declared_size(&mut zip, 0xF000_0000);
        match read_entry(&zip, "word/document.xml", "test") {
            Err(ImportError::ZipBomb { entry, limit }) => {
                assert_eq!(entry, "word/document.xml");
                assert_eq!(limit, MAX_XML_BYTES);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn lying_small_declared_size_is_caught_while_inflating() {
        let mut zip = build_zip(&[("word/document.xml", &[0u8; 100_000])]);
        patch_declared_size(&mut zip, 100);
        let got = read_entry_limited(&zip, "word/document.xml", "test", 1000);
        assert!(matches!(got, Err(ImportError::ZipBomb { .. })), "{got:?}");
    }

    /// A real bomb: 300 MB of zeros deflated to well under 1 MB, written in
    /// chunks so the test never holds the inflated data.
    #[test]
    fn real_zip_bomb_is_refused() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("word/document.xml", SimpleFileOptions::default())
            .expect("start");
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..300 {
            w.write_all(&chunk).expect("write");
        }
        let mut zip = w.finish().expect("finish").into_inner();
        assert!(zip.len() < 1 << 20, "bomb is {} bytes", zip.len());
        // Honest header: refused on the declared size.
        assert!(matches!(
            read_entry(&zip, "word/document.xml", "test"),
            Err(ImportError::ZipBomb { .. })
        ));
        // Lying header: refused while inflating, long before 300 MB.
        patch_declared_size(&mut zip, 1000);
        assert!(matches!(
            read_entry(&zip, "word/document.xml", "test"),
            Err(ImportError::ZipBomb { .. })
        ));
    }

    #[test]
    fn too_many_entries() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..=MAX_ENTRIES {
            w.start_file(format!("f{i}"), opts).expect("start");
        }
        let zip = w.finish().expect("finish").into_inner();
        assert!(matches!(
            read_entry(&zip, "f1", "test"),
            Err(ImportError::Corrupt { reason, .. }) if reason.contains("entries")
        ));
    }
}
