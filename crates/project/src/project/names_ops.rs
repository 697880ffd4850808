//! Names found in the text (issue 11): the name finder over every live
//! transcript, each candidate's review state (replaced by the map, not
//! identifying, kept with consent, or unreviewed), and the reviews, each
//! one undoable change with who and when.

use super::Project;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::pseudonyms::{NameReview, NamedText, Verdict};
use crate::stories::PseudonymMap;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use storyloom_privacy::{NameFinder, NameKind, context_in, core_name, covered_by, fold};

/// How many places are kept per found name or detail (for contexts).
pub const KEPT_CONTEXTS: usize = storyloom_privacy::finder::KEPT_OCCURRENCES;

/// Where a found name was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameContext {
    pub document: String,
    pub participant: Option<String>,
    /// Char range in the document's current text.
    pub start: usize,
    pub end: usize,
    /// A few words either side.
    pub snippet: String,
}

/// How a found name is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum NameState {
    /// The pseudonym map replaces it wherever it was said.
    Replaced {
        replacement: String,
    },
    NotIdentifying {
        by: String,
        at: String,
    },
    KeptWithConsent {
        by: String,
        at: String,
    },
    /// Not settled: stakeholder exports that would carry it are refused.
    Unreviewed,
}

impl NameState {
    pub fn is_reviewed(&self) -> bool {
        !matches!(self, NameState::Unreviewed)
    }

    pub fn label(&self) -> String {
        match self {
            NameState::Replaced { replacement } => format!("replaced by [{replacement}]"),
            NameState::NotIdentifying { by, .. } => format!("not identifying ({by})"),
            NameState::KeptWithConsent { by, .. } => format!("kept with consent ({by})"),
            NameState::Unreviewed => "unreviewed".into(),
        }
    }
}

/// A name the finder found in the transcripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundName {
    pub name: String,
    /// The fold of the name: what reviews match on.
    pub key: String,
    /// What must be replaced or reviewed ("Chen" of "Mrs Chen").
    pub core: String,
    pub kind: NameKind,
    pub count: usize,
    /// The participants whose documents it was said in (study ids).
    pub participants: Vec<String>,
    pub documents: Vec<String>,
    pub contexts: Vec<NameContext>,
    pub state: NameState,
}

/// Found names and how many are settled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamesSummary {
    pub found: usize,
    pub reviewed: usize,
    pub left: usize,
}

impl NamesSummary {
    pub fn of(names: &[FoundName]) -> NamesSummary {
        let reviewed = names.iter().filter(|n| n.state.is_reviewed()).count();
        NamesSummary {
            found: names.len(),
            reviewed,
            left: names.len() - reviewed,
        }
    }
}

impl std::fmt::Display for NamesSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} name{} found in the text, {} reviewed, {} left",
            self.found,
            if self.found == 1 { "" } else { "s" },
            self.reviewed,
            self.left
        )
    }
}

/// Does `map`, scoped to each participant the name was said by, replace it?
/// (`scoped` keeps the scoped maps already made.)
fn replaced_by(
    map: &PseudonymMap,
    scoped: &mut HashMap<Option<String>, PseudonymMap>,
    core: &str,
    participants: &[Option<String>],
) -> Option<String> {
    let mut replacement = None;
    for p in participants {
        let scoped = scoped
            .entry(p.clone())
            .or_insert_with(|| map.scoped(p.as_deref()));
        let hits = scoped.find_all(core);
        let ranges: Vec<(usize, usize)> = hits.iter().map(|h| (h.0, h.1)).collect();
        if hits.is_empty() || !covered_by(core, &ranges) {
            return None;
        }
        replacement.get_or_insert_with(|| {
            hits.iter()
                .map(|h| storyloom_stories::pseudonyms::bare(&h.2.replacement).to_owned())
                .collect::<Vec<_>>()
                .join(" ")
        });
    }
    replacement
}

/// The review that settles a name said by these participants: a
/// project-wide one, or one for each of them.
fn review_for<'a>(
    reviews: &'a [NameReview],
    key: &str,
    participants: &[Option<String>],
) -> Option<&'a NameReview> {
    let of_key: Vec<&NameReview> = reviews.iter().filter(|r| r.key == key).collect();
    if let Some(r) = of_key.iter().find(|r| r.scope.is_none()) {
        return Some(r);
    }
    let all = participants.iter().all(|p| {
        p.as_deref().is_some_and(|p| {
            of_key.iter().any(|r| {
                r.scope
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(p))
            })
        })
    });
    if all { of_key.first().copied() } else { None }
}

/// The finder's last results, so that the window's panels and the gate of
/// several exports in a row do not read every transcript again. Stamped
/// with the project's change counter (which every change, in this process
/// or another, bumps) and the key file's fingerprint: a stale entry is never
/// used.
#[derive(Default)]
pub struct NamesCache {
    names: Mutex<Option<CachedNames>>,
    /// The identifying details, stamped with the change counter
    /// (see `details_ops`).
    pub(super) details: Mutex<Option<(i64, Arc<Vec<super::details_ops::FoundDetail>>)>>,
}

struct CachedNames {
    counter: i64,
    key: Option<String>,
    names: Arc<Vec<FoundName>>,
}

impl FoundName {
    /// The kind of map entry that would replace it.
    pub fn pseudonym_kind(&self) -> crate::stories::PseudonymKind {
        use crate::stories::PseudonymKind;
        match self.kind {
            NameKind::Person => PseudonymKind::Person,
            NameKind::Place => PseudonymKind::Place,
            NameKind::Organisation => PseudonymKind::Organisation,
            NameKind::Unknown => PseudonymKind::Other,
        }
    }
}

impl Project {
    /// Every name the finder finds in the live transcripts, with its state
    /// against the pseudonym map (with a key file when the map is kept
    /// apart) and the reviews. Most often said first.
    pub fn found_names(&self, key_file: Option<&PseudonymMap>) -> Result<Vec<FoundName>> {
        Ok(self.found_names_shared(key_file)?.as_ref().clone())
    }

    /// [`Project::found_names`] without copying: the cached results while
    /// the project has not changed since they were made.
    pub fn found_names_shared(
        &self,
        key_file: Option<&PseudonymMap>,
    ) -> Result<Arc<Vec<FoundName>>> {
        // The counter is read first: a change landing while the names are
        // made leaves them stamped older than they are, never newer.
        let counter = self.store.change_counter()?;
        let key = key_file.map(PseudonymMap::fingerprint);
        if let Ok(cache) = self.names_cache.names.lock()
            && let Some(c) = cache.as_ref()
            && c.counter == counter
            && c.key == key
        {
            return Ok(c.names.clone());
        }
        let texts = self.store.named_texts()?;
        let map = self.pseudonym_map(key_file)?;
        let reviews = self.store.name_reviews()?;
        let names = Arc::new(found_in(&texts, &map, &reviews));
        if let Ok(mut cache) = self.names_cache.names.lock() {
            *cache = Some(CachedNames {
                counter,
                key,
                names: names.clone(),
            });
        }
        Ok(names)
    }

    /// The found names that are not settled yet.
    pub fn unreviewed_names(&self, key_file: Option<&PseudonymMap>) -> Result<Vec<FoundName>> {
        Ok(self
            .found_names(key_file)?
            .into_iter()
            .filter(|n| !n.state.is_reviewed())
            .collect())
    }

    /// Records that a found name is not identifying or kept with the
    /// person's consent, project-wide or for one participant's documents.
    pub fn review_name(
        &mut self,
        name: &str,
        verdict: Verdict,
        scope: Option<&str>,
        note: &str,
    ) -> Result<()> {
        let name = storyloom_text::text::normalize(name.trim());
        let key = fold(&name).trim().to_owned();
        if key.is_empty() {
            return Err(Error::Invalid("which name? give the name as found".into()));
        }
        let scope = self.participant_scope(scope)?;
        let review = NameReview {
            key,
            name: name.clone(),
            verdict,
            scope: scope.clone(),
            note: note.trim().to_owned(),
            by: self.actor.clone(),
            at: crate::store::now(),
        };
        let verdict_s = verdict.as_str().replace('-', " ");
        self.simple_change(
            "name_review",
            format!(
                "'{name}' reviewed: {verdict_s}{}",
                scope
                    .as_deref()
                    .map(|s| format!(" (in {s}'s documents)"))
                    .unwrap_or_default()
            ),
            json!({ "name": name, "verdict": verdict.as_str(), "scope": scope }),
            |tx| Ok(Store::set_name_review(tx, &review)?),
        )
    }

    /// Records several reviews as one change (one history entry).
    pub fn review_names(
        &mut self,
        names: &[String],
        verdict: Verdict,
        note: &str,
    ) -> Result<usize> {
        let at = crate::store::now();
        let reviews: Vec<NameReview> = names
            .iter()
            .map(|n| storyloom_text::text::normalize(n.trim()))
            .filter(|n| !fold(n).trim().is_empty())
            .map(|name| NameReview {
                key: fold(&name).trim().to_owned(),
                name,
                verdict,
                scope: None,
                note: note.trim().to_owned(),
                by: self.actor.clone(),
                at: at.clone(),
            })
            .collect();
        let n = reviews.len();
        self.simple_change(
            "name_review",
            format!("{n} names reviewed: {}", verdict.as_str().replace('-', " ")),
            json!({ "names": n, "verdict": verdict.as_str() }),
            |tx| {
                for r in &reviews {
                    Store::set_name_review(tx, r)?;
                }
                Ok(())
            },
        )?;
        Ok(n)
    }

    /// Takes back a review: the name is unreviewed again.
    pub fn unreview_name(&mut self, name: &str, scope: Option<&str>) -> Result<()> {
        let key = fold(name.trim()).trim().to_owned();
        let scope = self.participant_scope(scope)?;
        self.simple_change(
            "name_unreview",
            format!("'{}' is unreviewed again", name.trim()),
            json!({ "unreview": name.trim(), "scope": scope }),
            |tx| {
                if Store::delete_name_review(tx, &key, scope.as_deref())? {
                    Ok(())
                } else {
                    Err(Error::Invalid(format!(
                        "'{}' has no review to take back",
                        name.trim()
                    )))
                }
            },
        )
    }

    pub fn name_reviews(&self) -> Result<Vec<NameReview>> {
        Ok(self.store.name_reviews()?)
    }

    /// A scope given by the user: a participant's study id, checked.
    pub(crate) fn participant_scope(&self, scope: Option<&str>) -> Result<Option<String>> {
        let Some(s) = scope.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let known = self
            .participants()?
            .into_iter()
            .find(|p| p.id.eq_ignore_ascii_case(s))
            .ok_or_else(|| Error::Invalid(format!("no participant '{s}' to scope to")))?;
        Ok(Some(known.id))
    }
}

/// The finder's candidates over `texts`, with their states.
pub fn found_in(texts: &[NamedText], map: &PseudonymMap, reviews: &[NameReview]) -> Vec<FoundName> {
    let mut finder = NameFinder::new();
    for (i, t) in texts.iter().enumerate() {
        finder.add(i, &t.text);
    }
    let mut scoped = HashMap::new();
    let mut chars: HashMap<usize, Vec<char>> = HashMap::new();
    finder
        .finish()
        .into_iter()
        .map(|c| {
            let mut participants: Vec<Option<String>> = c
                .sources
                .iter()
                .map(|&s| texts[s].participant.clone())
                .collect();
            participants.sort();
            participants.dedup();
            let core = core_name(&c.name).to_owned();
            let state = if let Some(replacement) =
                replaced_by(map, &mut scoped, &core, &participants)
            {
                NameState::Replaced { replacement }
            } else {
                match review_for(reviews, &c.key, &participants) {
                    Some(r) if r.verdict == Verdict::NotIdentifying => NameState::NotIdentifying {
                        by: r.by.clone(),
                        at: r.at.clone(),
                    },
                    Some(r) => NameState::KeptWithConsent {
                        by: r.by.clone(),
                        at: r.at.clone(),
                    },
                    None => NameState::Unreviewed,
                }
            };
            let contexts = c
                .occurrences
                .iter()
                .map(|o| {
                    let t = &texts[o.source];
                    let cs = chars
                        .entry(o.source)
                        .or_insert_with(|| t.text.chars().collect());
                    NameContext {
                        document: t.document.clone(),
                        participant: t.participant.clone(),
                        start: o.start,
                        end: o.end,
                        snippet: context_in(cs, o.start, o.end, 5),
                    }
                })
                .collect();
            FoundName {
                core,
                kind: c.kind,
                count: c.count,
                participants: participants.into_iter().flatten().collect(),
                documents: c
                    .sources
                    .iter()
                    .map(|&s| texts[s].document.clone())
                    .collect(),
                contexts,
                state,
                name: c.name,
                key: c.key,
            }
        })
        .collect()
}
