//! The pseudonym map on [`Project`]: its entries, suggestions of names to
//! replace, and the key file (exported, kept apart, imported back).

use super::Project;
use super::stories_ops::today;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::pseudonyms::DetachedKey;
use crate::stories::pseudonyms::capitalised_names;
use crate::stories::{self, Pseudonym, PseudonymKind, PseudonymMap, PseudonymSuggestion};
use serde_json::json;
use std::ops::Not;
use std::path::Path;
use storyloom_privacy::fold;
use storyloom_text::text::normalize;

impl Project {
    pub fn pseudonyms(&self) -> Result<Vec<Pseudonym>> {
        Ok(self.store.pseudonyms()?)
    }

    /// Adds or changes a project-wide entry of the map.
    pub fn set_pseudonym(
        &mut self,
        original: &str,
        replacement: &str,
        kind: PseudonymKind,
        confirmed: bool,
    ) -> Result<()> {
        self.set_pseudonym_scoped(original, replacement, kind, confirmed, None)
    }

    /// Adds or changes an entry, project-wide or (with `scope`, a study id)
    /// only in one participant's documents. A replacement that is itself a
    /// real name in the data is refused, saying where it is.
    pub fn set_pseudonym_scoped(
        &mut self,
        original: &str,
        replacement: &str,
        kind: PseudonymKind,
        confirmed: bool,
        scope: Option<&str>,
    ) -> Result<()> {
        // NFC, as every text in the project (a name typed in NFD from a
        // macOS file name is the same name).
        let o = normalize(original)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let r = normalize(stories::pseudonyms::bare(replacement));
        if o.is_empty() || r.is_empty() {
            return Err(Error::Invalid(
                "a pseudonym needs an original and a replacement".into(),
            ));
        }
        if PseudonymMap::new(vec![Pseudonym {
            original: o.clone(),
            replacement: String::new(),
            kind,
            confirmed,
            scope: None,
        }])
        .find_all(&r)
        .is_empty()
        .not()
        {
            return Err(Error::Invalid(format!(
                "the replacement '{r}' contains the original '{o}'"
            )));
        }
        // The transcripts are searched before the change (the name finder
        // reads every text; the write lock is not held that long). What
        // decides against the map and the participants is read again inside it.
        if let Some(why) = self.real_name_in_map(&r, &o)? {
            return Err(refused_replacement(&r, &why));
        }
        if let Some(why) = self.real_name_in_texts(&r, &o)? {
            return Err(refused_replacement(&r, &why));
        }
        self.change_reading(
            "pseudonym",
            |scope: &Option<String>| {
                (
                    format!(
                        "pseudonym for a {}: [{r}]{}{}",
                        kind.as_str(),
                        if confirmed { "" } else { " (to confirm)" },
                        scope
                            .as_deref()
                            .map(|s| format!(" in {s}'s documents"))
                            .unwrap_or_default()
                    ),
                    json!({ "kind": kind.as_str(), "replacement": r, "scope": scope }),
                )
            },
            |tx, this| {
                let scope = this.participant_scope(scope)?;
                if let Some(why) = this.real_name_in_map(&r, &o)? {
                    return Err(refused_replacement(&r, &why));
                }
                let p = Pseudonym {
                    original: o.clone(),
                    replacement: r.clone(),
                    kind,
                    confirmed,
                    scope: scope.clone(),
                };
                Store::upsert_pseudonym(tx, &p)?;
                Ok(Some(scope))
            },
        )
        .map(drop)
    }

    pub fn confirm_pseudonym(&mut self, original: &str) -> Result<()> {
        self.change_reading(
            "pseudonym_confirm",
            |r: &String| {
                (
                    format!("confirmed the pseudonym [{r}]"),
                    json!({ "confirm": r }),
                )
            },
            |tx, this| {
                let mut p = this
                    .store
                    .pseudonyms()?
                    .into_iter()
                    .find(|p| fold(p.original.trim()) == fold(original.trim()))
                    .ok_or_else(|| {
                        Error::Invalid(format!("'{original}' is not in the pseudonym map"))
                    })?;
                p.confirmed = true;
                Store::upsert_pseudonym(tx, &p)?;
                Ok(Some(p.replacement))
            },
        )
        .map(drop)
    }

    pub fn remove_pseudonym(&mut self, original: &str) -> Result<()> {
        self.remove_pseudonym_scoped(original, None)
    }

    /// Removes the entry for `original` in `scope` (a study id; `None`: the
    /// project-wide entry).
    pub fn remove_pseudonym_scoped(&mut self, original: &str, scope: Option<&str>) -> Result<()> {
        self.change_reading(
            "pseudonym_remove",
            |_| {
                (
                    "removed a pseudonym".into(),
                    json!({ "remove_pseudonym": true }),
                )
            },
            |tx, this| {
                let scope = this.participant_scope(scope)?;
                // The stored spelling of the entry with the same fold.
                let o = this
                    .store
                    .pseudonyms()?
                    .into_iter()
                    .find(|p| fold(p.original.trim()) == fold(original.trim()) && p.scope == scope)
                    .map_or_else(|| original.trim().to_owned(), |p| p.original);
                if Store::delete_pseudonym(tx, &o, scope.as_deref())? {
                    Ok(Some(()))
                } else {
                    Err(Error::Invalid(format!("'{o}' is not in the pseudonym map")))
                }
            },
        )
        .map(drop)
    }

    /// Names the researcher may want to pseudonymise: participants' names
    /// (replacement: their pseudonym), speaker labels that look like names,
    /// names from participant attributes, and capitalised words that recur
    /// in the transcripts but not at sentence starts. Entries already in the
    /// map are left out.
    pub fn pseudonym_suggestions(&self) -> Result<Vec<PseudonymSuggestion>> {
        let have: Vec<String> = self
            .store
            .pseudonyms()?
            .iter()
            .map(|p| p.original.to_lowercase())
            .collect();
        let texts = self.store.current_texts_all()?;
        let count = |w: &str| -> usize {
            PseudonymMap::new(vec![Pseudonym {
                original: w.to_owned(),
                replacement: String::new(),
                kind: PseudonymKind::Other,
                confirmed: false,
                scope: None,
            }])
            .find_all_count(&texts)
        };
        let mut out: Vec<PseudonymSuggestion> = Vec::new();
        let push = |out: &mut Vec<PseudonymSuggestion>,
                    original: &str,
                    kind,
                    replacement: Option<String>,
                    reason: String,
                    n: usize| {
            let o = original.trim();
            if o.chars().count() < 2
                || have.contains(&o.to_lowercase())
                || out.iter().any(|s| s.original.eq_ignore_ascii_case(o))
            {
                return;
            }
            out.push(PseudonymSuggestion {
                original: o.to_owned(),
                kind,
                replacement,
                reason,
                occurrences: n,
            });
        };
        let (labels, names, values) = self.store.name_sources()?;
        for (name, pseudonym) in &names {
            push(
                &mut out,
                name,
                PseudonymKind::Person,
                pseudonym.clone(),
                "a participant's name".into(),
                count(name),
            );
            for part in name.split_whitespace().filter(|p| p.chars().count() > 2) {
                let first = name.split_whitespace().next() == Some(part);
                push(
                    &mut out,
                    part,
                    PseudonymKind::Person,
                    if first { pseudonym.clone() } else { None },
                    format!("part of the participant name '{name}'"),
                    count(part),
                );
            }
        }
        for l in &labels {
            if looks_like_name(l) {
                push(
                    &mut out,
                    l,
                    PseudonymKind::Person,
                    None,
                    "a speaker label".into(),
                    count(l),
                );
            }
        }
        for (attr, v) in &values {
            if looks_like_name(v) && v.split_whitespace().count() <= 4 {
                let a = attr.to_lowercase();
                let kind = if ["site", "place", "town", "venue", "area", "location"]
                    .iter()
                    .any(|k| a.contains(k))
                {
                    PseudonymKind::Place
                } else if ["worker", "name", "contact", "carer", "staff"]
                    .iter()
                    .any(|k| a.contains(k))
                {
                    PseudonymKind::Person
                } else {
                    continue;
                };
                push(
                    &mut out,
                    v,
                    kind,
                    None,
                    format!("a value of the attribute '{attr}'"),
                    count(v),
                );
            }
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for (w, n) in capitalised_names(&refs, 2).into_iter().take(200) {
            push(
                &mut out,
                &w,
                PseudonymKind::Other,
                None,
                "a capitalised word that recurs, not at a sentence start".into(),
                n,
            );
        }
        Ok(out)
    }

    /// Where `replacement` is a real name in the map: an original of it
    /// (other than `original`, the entry being set), participants' own
    /// names included while the key is inside.
    fn real_name_in_map(&self, replacement: &str, original: &str) -> Result<Option<String>> {
        let r = fold(replacement).trim().to_owned();
        let o = fold(original).trim().to_owned();
        let mut map = PseudonymMap::new(self.store.pseudonyms()?);
        if self.key_apart()?.is_none() {
            map = self.own_names_map()?.merged(&map);
        }
        if let Some(e) = map
            .entries()
            .iter()
            .find(|e| fold(e.original.trim()) == r && fold(e.original.trim()) != o)
        {
            return Ok(Some(format!(
                "it is in the pseudonym map as an original, replaced by [{}]{}",
                e.replacement,
                e.scope
                    .as_deref()
                    .map(|s| format!(" in {s}'s documents"))
                    .unwrap_or_default()
            )));
        }
        Ok(None)
    }

    /// Where `replacement` is a name found in the transcripts (other than
    /// `original`).
    fn real_name_in_texts(&self, replacement: &str, original: &str) -> Result<Option<String>> {
        let r = fold(replacement).trim().to_owned();
        let o = fold(original).trim().to_owned();
        let texts = self.store.named_texts()?;
        let mut finder = storyloom_privacy::NameFinder::new();
        for (i, t) in texts.iter().enumerate() {
            finder.add(i, &t.text);
        }
        Ok(finder
            .finish()
            .into_iter()
            .find(|c| c.key != o && (c.key == r || fold(c.core()).trim() == r))
            .map(|c| {
                let docs: Vec<&str> = c
                    .sources
                    .iter()
                    .take(3)
                    .map(|&s| texts[s].document.as_str())
                    .collect();
                format!(
                    "'{}' is said {} time{} in {}",
                    c.name,
                    c.count,
                    if c.count == 1 { "" } else { "s" },
                    docs.join(", ")
                )
            }))
    }

    /// The entries every map starts with: each participant's full name, its
    /// parts, the name they go by and their speaker labels, replaced by
    /// their pseudonym (or their study id when they have none).
    pub fn own_names_map(&self) -> Result<PseudonymMap> {
        let mut out: Vec<Pseudonym> = Vec::new();
        for p in self.store.participant_names()? {
            let replacement = p
                .pseudonym
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or(&p.ident)
                .to_owned();
            // The full name applies everywhere; its parts, the name they go
            // by and their labels only in their own documents (another
            // participant's granddaughter may share a first name).
            let mut names: Vec<String> = Vec::new();
            if let Some(n) = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                if fold(n) != fold(&replacement) {
                    out.push(Pseudonym {
                        original: n.to_owned(),
                        replacement: replacement.clone(),
                        kind: PseudonymKind::Person,
                        confirmed: true,
                        scope: None,
                    });
                }
                names.extend(
                    n.split_whitespace()
                        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() > 1)
                        .map(str::to_owned),
                );
            }
            names.extend(p.known_as.iter().map(|k| k.trim().to_owned()));
            names.extend(p.labels.iter().filter(|l| looks_like_name(l)).cloned());
            for n in names {
                if n.is_empty() || fold(&n) == fold(&replacement) {
                    continue;
                }
                out.push(Pseudonym {
                    original: n,
                    replacement: replacement.clone(),
                    kind: PseudonymKind::Person,
                    confirmed: true,
                    scope: Some(p.ident.clone()),
                });
            }
        }
        Ok(PseudonymMap::new(out))
    }

    /// Writes the map to a key file (JSON, or CSV by extension). With
    /// `detach`, the entries are then removed from the project, which keeps
    /// only the key's fingerprint: stakeholder output then needs the file.
    pub fn export_pseudonym_key(&mut self, path: &Path, detach: bool) -> Result<usize> {
        self.export_pseudonym_key_with(path, detach, true)
    }

    /// [`Project::export_pseudonym_key`]; a `.csv` key starts with a UTF-8
    /// BOM (as every CSV Storyloom writes) unless `bom` is false.
    pub fn export_pseudonym_key_with(
        &mut self,
        path: &Path,
        detach: bool,
        bom: bool,
    ) -> Result<usize> {
        // The researcher's entries only: the participants' own names are
        // added from the project whenever the map is used.
        let map = match self.key_apart()? {
            None => PseudonymMap::new(self.store.pseudonyms()?),
            Some(_) => self.pseudonym_map(None)?,
        };
        map.write_file_with(path, bom)?;
        let n = map.entries().len();
        if detach {
            let record = DetachedKey {
                fingerprint: map.fingerprint(),
                entries: n,
                file: path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                at: today(),
            };
            self.simple_change(
                "pseudonym_detach",
                format!(
                    "pseudonym key ({n} entries) exported to {} and kept apart from the project",
                    record.file
                ),
                json!({ "detach": record.fingerprint }),
                |tx| {
                    Store::clear_pseudonyms(tx)?;
                    Ok(Store::set_detached_key(tx, Some(&record))?)
                },
            )?;
        }
        Ok(n)
    }

    /// Loads a key file into the project (entries merged; the map is inside again).
    pub fn import_pseudonym_key(&mut self, path: &Path) -> Result<usize> {
        let map = PseudonymMap::read_file(path)?;
        let n = map.entries().len();
        let file = path.display().to_string();
        self.simple_change(
            "pseudonym_import",
            format!("{n} pseudonyms loaded from {file}"),
            json!({ "file": file, "entries": n }),
            |tx| {
                for p in map.entries() {
                    Store::upsert_pseudonym(tx, p)?;
                }
                Ok(Store::set_detached_key(tx, None)?)
            },
        )?;
        Ok(n)
    }
}

/// A label or value made of capitalised words (not "Speaker 1", not "P01").
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(|c| c.is_uppercase())
                && cs.clone().count() >= 1
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
        })
        && ![
            "Interviewer",
            "Researcher",
            "Respondent",
            "Participant",
            "Speaker",
            "Facilitator",
            "Moderator",
            "Unknown",
        ]
        .iter()
        .any(|g| s.starts_with(g))
}

fn refused_replacement(r: &str, why: &str) -> Error {
    Error::Invalid(format!(
        "the replacement '{r}' is itself a real name in this project ({why}): a reader could take it for that person; choose another"
    ))
}
