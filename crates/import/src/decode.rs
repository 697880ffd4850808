//! Bytes to text: BOMs (UTF-8, UTF-16 LE/BE), UTF-8, then a Windows-1252
//! fallback for the "ANSI" files older Word and Notepad still write. Binary
//! data is refused rather than decoded into garbage.

use crate::error::ImportError;

/// Decodes a text file, noting any decision in `notes`.
pub fn decode_text(bytes: &[u8], notes: &mut Vec<String>) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        notes.push("decoded as UTF-16 (little-endian)".into());
        return utf16(rest, encoding_rs::UTF_16LE);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        notes.push("decoded as UTF-16 (big-endian)".into());
        return utf16(rest, encoding_rs::UTF_16BE);
    }
    if let Some(enc) = bomless_utf16(bytes).or_else(|| bomless_utf16_any_script(bytes)) {
        notes.push(format!("decoded as {} (no byte order mark)", enc.name()));
        return utf16(bytes, enc);
    }
    if looks_binary(bytes) {
        return Err(ImportError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            notes.push("not valid UTF-8: decoded as Windows-1252".into());
            Ok(text.into_owned())
        }
    }
}

/// Decodes a format that must be UTF-8 (WebVTT): a BOM is allowed, anything
/// else that is not UTF-8 is an error naming the byte.
pub fn decode_utf8_strict(bytes: &[u8]) -> Result<String, ImportError> {
    let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(rest) {
        return Err(ImportError::Binary);
    }
    utf8(rest)
}

fn utf8(bytes: &[u8]) -> Result<String, ImportError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| ImportError::InvalidUtf8(e.valid_up_to()))
}

fn utf16(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> Result<String, ImportError> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ImportError::Corrupt {
            format: "UTF-16 text",
            reason: "the text has invalid UTF-16 sequences".into(),
        });
    }
    Ok(text.into_owned())
}

/// UTF-16 without a BOM in a script with no ASCII (Chinese, Arabic): its
/// line breaks are still `0A 00` (or `00 0A`), a pair no 8-bit text has, and
/// the whole sample decodes to text without control characters.
fn bomless_utf16_any_script(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    // (Arabic in UTF-16 LE is all bytes below 0x80: valid UTF-8 with NULs, so no UTF-8 test here.)
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192) & !1];
    let pairs = || sample.chunks_exact(2);
    for (enc, newline) in [
        (encoding_rs::UTF_16LE, [0x0A, 0x00]),
        (encoding_rs::UTF_16BE, [0x00, 0x0A]),
    ] {
        if !pairs().any(|p| p == newline) {
            continue;
        }
        let (text, had_errors) = enc.decode_without_bom_handling(sample);
        let controls = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            .count();
        let unassigned = text
            .chars()
            .filter(|c| ('\u{E000}'..='\u{F8FF}').contains(c) || *c == '\u{FFFD}')
            .count();
        if !had_errors && controls == 0 && unassigned == 0 {
            return Some(enc);
        }
    }
    None
}

/// UTF-16 without a BOM shows as a NUL in every other byte of ASCII text.
fn bomless_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nuls * 10 >= pairs * 9 && even_nuls == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if even_nuls * 10 >= pairs * 9 && odd_nuls == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Binary data: a NUL byte, or more than 1 in 20 control characters other than
/// tab, newline, carriage return and form feed, in the first 8 KB.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    controls * 20 > sample.len()
}

#[cfg(test)]
mod tests {

    #[test]
    fn utf16_without_bom_in_any_script() {
        for text in [
            "采访者：你好吗？\n受访者：我很好，谢谢。\n",
            "المحاور: كيف حالك؟\nالمشارك: أنا بخير، شكرا.\n",
        ] {
            let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
            for bytes in [le, be] {
                let mut notes = vec![];
                assert_eq!(super::decode_text(&bytes, &mut notes).unwrap(), text);
                assert!(notes[0].contains("no byte order mark"), "{notes:?}");
            }
        }
        // An 8-bit file never has the NUL of a UTF-16 line break: still Windows-1252.
        let mut notes = vec![];
        let cp1252 = b"caf\xe9 ok\nna\xefve\n";
        assert_eq!(
            super::decode_text(cp1252, &mut notes).unwrap(),
            "café ok\nnaïve\n"
        );
    }
    use super::*;

    #[test]
    fn decodes_boms_and_fallbacks() {
        let mut notes = vec![];
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi", &mut notes).unwrap(), "hi");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&le, &mut notes).unwrap(), "Zoë");
        let be: Vec<u8> = "hello there"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(decode_text(&be, &mut notes).unwrap(), "hello there");
        assert_eq!(
            decode_text(b"It\x92s \x96 fine\x85", &mut notes).unwrap(),
            "It’s – fine…"
        );
        assert!(notes.iter().any(|n| n.contains("Windows-1252")));
    }

    #[test]
    fn refuses_binary_and_strict_invalid_utf8() {
        let mut notes = vec![];
        assert!(matches!(
            decode_text(b"PK\x03\x04\x00\x00binary", &mut notes),
            Err(ImportError::Binary)
        ));
        assert!(matches!(
            decode_utf8_strict(b"WEBVTT\n\nbad \xff byte"),
            Err(ImportError::InvalidUtf8(12))
        ));
    }
}
