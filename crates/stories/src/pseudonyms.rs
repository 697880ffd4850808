//! The pseudonym map (DESIGN §7): originals to replacements, applied when a
//! story is rendered, never to the transcripts. The map can live in the
//! project or in a separate key file (JSON or CSV), as UK Data Service
//! guidance advises; a project whose key is kept apart renders stakeholder
//! output only when the key file is given.

use super::model::{Pseudonym, PseudonymKind};
use crate::error::{Error, Result};
use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use storyloom_privacy::{Matcher, fold};

/// A set of pseudonym entries with a whole-word matcher that compares
/// after the privacy fold (NFKC, full case folding, invisible characters
/// removed), so "Zoë" typed in NFD, "ZOË" and "Zo\u{ad}ë" are one name.
#[derive(Debug, Clone, Default)]
pub struct PseudonymMap {
    entries: Vec<Pseudonym>,
    /// Matches any original of `entries` as whole words; ids index `entries`.
    matcher: Matcher,
}

/// The key file as written to disk.
#[derive(Debug, Serialize, Deserialize)]
struct KeyFile {
    storyloom_pseudonym_key: u32,
    fingerprint: String,
    entries: Vec<Pseudonym>,
}

impl PseudonymMap {
    pub fn new(mut entries: Vec<Pseudonym>) -> PseudonymMap {
        entries.retain(|e| !e.original.trim().is_empty());
        // Longest first; on the same original, the scoped entry first (the
        // matcher keeps the first entry of each fold).
        entries.sort_by(|a, b| {
            b.original
                .chars()
                .count()
                .cmp(&a.original.chars().count())
                .then_with(|| a.original.cmp(&b.original))
                .then_with(|| b.scope.is_some().cmp(&a.scope.is_some()))
        });
        let matcher = Matcher::new(entries.iter().map(|e| e.original.as_str()));
        PseudonymMap { entries, matcher }
    }

    pub fn entries(&self) -> &[Pseudonym] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Only the confirmed entries (those rendering applies).
    pub fn confirmed(&self) -> PseudonymMap {
        PseudonymMap::new(
            self.entries
                .iter()
                .filter(|e| e.confirmed)
                .cloned()
                .collect(),
        )
    }

    /// The entries that apply to one participant's documents: those scoped
    /// to them and the project-wide ones (a scoped entry wins over a
    /// project-wide one for the same original). `None`: project-wide only.
    pub fn scoped(&self, participant: Option<&str>) -> PseudonymMap {
        PseudonymMap::new(
            self.entries
                .iter()
                .filter(|e| match (&e.scope, participant) {
                    (None, _) => true,
                    (Some(s), Some(p)) => s.eq_ignore_ascii_case(p),
                    (Some(_), None) => false,
                })
                .cloned()
                .collect(),
        )
    }

    /// Merges another map in (its entries win on the same original and scope).
    pub fn merged(&self, other: &PseudonymMap) -> PseudonymMap {
        let mut all: Vec<Pseudonym> = other.entries.clone();
        for e in &self.entries {
            let f = fold(e.original.trim());
            if !all
                .iter()
                .any(|o| fold(o.original.trim()) == f && o.scope == e.scope)
            {
                all.push(e.clone());
            }
        }
        PseudonymMap::new(all)
    }

    /// Whole-word occurrences in several texts.
    pub fn find_all_count(&self, texts: &[String]) -> usize {
        texts.iter().map(|t| self.find_all(t).len()).sum()
    }

    /// Whole-word matches of any original in `text`: (char start, char end, entry).
    /// Chars `start..end` of `text` cover exactly the original as written
    /// (with any invisible characters inside it), so replacing that range
    /// leaves the words around it intact.
    pub fn find_all<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a Pseudonym)> {
        self.matcher
            .find(text)
            .into_iter()
            .filter_map(|h| Some((h.start, h.end, self.entries.get(h.id)?)))
            .collect()
    }

    /// The matcher over the originals (ids index [`PseudonymMap::entries`]).
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Replaces originals in researcher text (title, role line, framing), unbracketed.
    pub fn apply_plain(&self, text: &str) -> String {
        self.apply_with(text, |found, before, e| {
            sentence_case(found, bare(&e.replacement), starts_sentence(before))
        })
    }

    /// Replaces every original found in `text` by what `with(found, text
    /// before it, entry)` gives; the rest of the text is kept as it is.
    pub fn apply_with(
        &self,
        text: &str,
        with: impl Fn(&str, &str, &Pseudonym) -> String,
    ) -> String {
        let hits = self.find_all(text);
        if hits.is_empty() {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (s, e, entry) in hits {
            if s < at || e > chars.len() {
                continue;
            }
            out.extend(&chars[at..s]);
            let found: String = chars[s..e].iter().collect();
            let before: String = chars[..s].iter().collect();
            out.push_str(&with(&found, &before, entry));
            at = e;
        }
        out.extend(&chars[at..]);
        out
    }

    /// A stable fingerprint of the entries: says whether a key file is the one detached.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.entries)
    }

    /// Writes the map as a key file: `.csv` by extension (with a UTF-8 BOM,
    /// so that Excel on Windows shows "Zélie", not "ZÃ©lie"), else JSON.
    pub fn write_file(&self, path: &Path) -> Result<()> {
        self.write_file_with(path, true)
    }

    /// [`PseudonymMap::write_file`], the CSV with or without its BOM. Cells a
    /// spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
    /// get a leading `'`, which [`PseudonymMap::read_file`] takes off again.
    pub fn write_file_with(&self, path: &Path, bom: bool) -> Result<()> {
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let bytes = if is_csv {
            let start = if bom {
                "\u{feff}".as_bytes().to_vec()
            } else {
                Vec::new()
            };
            let mut w = csv::Writer::from_writer(start);
            let io = |e: csv::Error| Error::Csv {
                path: path.display().to_string(),
                reason: e.to_string(),
            };
            w.write_record(["original", "replacement", "kind", "confirmed", "scope"])
                .map_err(io)?;
            for e in &self.entries {
                w.write_record([
                    defuse(&e.original).as_ref(),
                    defuse(&e.replacement).as_ref(),
                    e.kind.as_str(),
                    if e.confirmed { "yes" } else { "no" },
                    defuse(e.scope.as_deref().unwrap_or("")).as_ref(),
                ])
                .map_err(io)?;
            }
            w.into_inner()
                .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        } else {
            let file = KeyFile {
                storyloom_pseudonym_key: 1,
                fingerprint: self.fingerprint(),
                entries: self.entries.clone(),
            };
            serde_json::to_vec_pretty(&file)
                .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?
        };
        // Through a temp file: a kill never leaves half a key file.
        storyloom_atomic::write_atomic::<std::io::Error, _>(path, |w| {
            std::io::Write::write_all(w, &bytes)
        })?;
        Ok(())
    }

    /// Reads a key file written by [`PseudonymMap::write_file`] (or a CSV
    /// with the columns original, replacement, kind, confirmed).
    pub fn read_file(path: &Path) -> Result<PseudonymMap> {
        let bytes = std::fs::read(path).map_err(|e| Error::Csv {
            path: path.display().to_string(),
            reason: format!("cannot read the pseudonym key file: {e}"),
        })?;
        let bad = |reason: String| Error::Csv {
            path: path.display().to_string(),
            reason,
        };
        let trimmed = String::from_utf8_lossy(&bytes);
        let trimmed = trimmed.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('{') {
            let file: KeyFile = serde_json::from_str(trimmed)
                .map_err(|e| bad(format!("not a Storyloom pseudonym key: {e}")))?;
            return Ok(PseudonymMap::new(file.entries));
        }
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(trimmed.as_bytes());
        let headers: Vec<String> = r
            .headers()
            .map_err(|e| bad(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(o), Some(rp)) = (col("original"), col("replacement")) else {
            return Err(bad(
                "a pseudonym key CSV needs the columns original and replacement".into(),
            ));
        };
        let (k, c, sc) = (col("kind"), col("confirmed"), col("scope"));
        let mut entries = Vec::new();
        for (i, row) in r.records().enumerate() {
            let row = row.map_err(|e| bad(e.to_string()))?;
            let get = |j: Option<usize>| {
                let cell = j.and_then(|j| row.get(j)).unwrap_or("");
                undefuse(cell).trim()
            };
            let original = get(Some(o));
            if original.is_empty() {
                continue;
            }
            let kind_s = get(k);
            let kind = if kind_s.is_empty() {
                PseudonymKind::Other
            } else {
                PseudonymKind::parse(kind_s)
                    .ok_or_else(|| bad(format!("row {}: unknown kind '{kind_s}'", i + 2)))?
            };
            let confirmed = !matches!(get(c).to_lowercase().as_str(), "no" | "false" | "0");
            entries.push(Pseudonym {
                original: original.to_owned(),
                replacement: get(Some(rp)).to_owned(),
                kind,
                confirmed,
                scope: Some(get(sc).to_owned()).filter(|s| !s.is_empty()),
            });
        }
        Ok(PseudonymMap::new(entries))
    }
}

/// Would a spreadsheet run this key-file cell as a formula? (A leading
/// `=`, `+`, `-`, `@`, tab or CR; a plain number such as `-3` is not.)
fn formula_like(cell: &str) -> bool {
    let number = {
        let d = cell.strip_prefix(['-', '+']).unwrap_or(cell);
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    };
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number
}

/// A key-file cell as written: formula-like cells get a leading `'`.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A key-file cell as read: the `'` [`defuse`] added taken off.
fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// Fingerprint of entries, independent of their order.
pub fn fingerprint(entries: &[Pseudonym]) -> String {
    let mut lines: Vec<String> = entries
        .iter()
        .map(|e| {
            let line = format!(
                "{}\t{}\t{}\t{}",
                e.original.trim().to_lowercase(),
                e.replacement,
                e.kind.as_str(),
                e.confirmed
            );
            // Unscoped entries keep the fingerprint they had before scopes.
            match &e.scope {
                Some(s) => format!("{line}\t{s}"),
                None => line,
            }
        })
        .collect();
    lines.sort();
    let digest = Sha256::digest(lines.join("\n").as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// A replacement without the brackets someone may have typed around it.
pub fn bare(replacement: &str) -> &str {
    let r = replacement.trim();
    r.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(r)
        .trim()
}

/// The replacement in the case of the words it replaces: `DOREEN` → `SITA`,
/// `Doreen` → `Sita`; otherwise as written.
pub fn preserve_case(found: &str, replacement: &str) -> String {
    let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut cs = replacement.chars();
        return match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect(),
            None => String::new(),
        };
    }
    replacement.to_owned()
}

/// Does a sentence start after `before` (the text that precedes a word)?
/// At the start, or after `.`, `!` or `?` (and any closing quotes or
/// brackets and spaces after them).
pub fn starts_sentence(before: &str) -> bool {
    let t = before.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '’' | '”' | '(' | '[' | '“' | '‘')
    });
    match t.chars().next_back() {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | '\n'),
    }
}

/// The replacement in the case its sentence needs: all capitals when the
/// original was written in capitals; a capital first letter at the start of
/// a sentence; otherwise as the researcher wrote it, so that "the estate"
/// replacing a place name stays "the bus from [the estate]".
pub fn sentence_case(found: &str, replacement: &str, sentence_start: bool) -> String {
    let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if sentence_start {
        let mut cs = replacement.chars();
        return match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect(),
            None => String::new(),
        };
    }
    replacement.to_owned()
}

/// Capitalised words that are not sentence starts and recur: candidate names.
/// Returns (word, occurrences), most frequent first.
pub fn capitalised_names(texts: &[&str], min_count: usize) -> Vec<(String, usize)> {
    use std::collections::HashMap;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut starts: HashMap<String, usize> = HashMap::new();
    for text in texts {
        let mut sentence_start = true;
        let mut prev_end_byte = 0usize;
        for m in WORD.find_iter(text) {
            let between = &text[prev_end_byte..m.start()];
            if between.contains(['.', '!', '?', ':', '\n', '"', '“']) {
                sentence_start = true;
            }
            prev_end_byte = m.end();
            let w = m.as_str();
            let first_upper = w.chars().next().is_some_and(|c| c.is_uppercase());
            let rest_lower = w.chars().skip(1).all(|c| !c.is_uppercase());
            if first_upper && rest_lower && w.chars().count() > 1 && !COMMON.contains(&w) {
                if sentence_start {
                    *starts.entry(w.to_owned()).or_default() += 1;
                } else {
                    *counts.entry(w.to_owned()).or_default() += 1;
                }
            }
            sentence_start = false;
        }
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(w, n)| {
            let s = starts.get(&w).copied().unwrap_or(0);
            (w, n + s)
        })
        .filter(|(_, n)| *n >= min_count)
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

static WORD: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| storyloom_text::pattern::compiled(r"[\p{L}][\p{L}'’-]*"));

/// Capitalised words that are rarely names: days, months, the pronoun, titles, greetings.
const COMMON: &[&str] = &[
    "I",
    "I'm",
    "I've",
    "I'd",
    "I'll",
    "I’m",
    "I’ve",
    "I’d",
    "I’ll",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Miss",
    "OK",
    "Okay",
    "God",
    "English",
    "British",
    "Christmas",
    "Covid",
    "COVID",
    "Yeah",
    "Yes",
    "No",
    "Oh",
    "Well",
    "So",
    "And",
    "But",
    "The",
];

#[cfg(test)]
#[path = "pseudonyms_tests.rs"]
mod tests;
