//! The name finder (DESIGN §7: names are found, not only looked up). It
//! reads transcripts and proposes people, places and organisations: runs of
//! capitalised words that are not sentence starts and not words written
//! with a capital by convention; sentence starts that are not common
//! English words (or are names that are also words, "Rose"); titles with
//! the name after them ("Mrs Chen", "Sister Adeyemi", "St Aidan's"); places
//! and organisations of several words ("Moss Lane", "Riverside Medical
//! Centre"); names after "called" or "named"; possessives ("Margaret's" is
//! "Margaret"); surnames after first names (one run); and words in scripts
//! without capitals. A name said once is found like one said twenty times.
//! Recall comes first: the researcher settles each candidate once.
//!
//! The work is split by job: [`tokens`] splits a text into words, [`roles`]
//! gives each word its verdict, [`runs`] groups words into names, and this
//! module counts the names over many texts and guesses their kind.

mod roles;
mod runs;
#[cfg(test)]
mod tests;
mod tokens;

pub use crate::context::{context, context_in};
pub use crate::cover::{core_name, covered_by};
use crate::fold::fold;
use crate::words;
use roles::{Role, place_like, role};
use runs::runs;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tokens::{Case, Token, tokens};

/// What a candidate probably is (a guess, shown to help the researcher).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    Person,
    Place,
    Organisation,
    Unknown,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Person => "person",
            NameKind::Place => "place",
            NameKind::Organisation => "organisation",
            NameKind::Unknown => "unknown",
        }
    }
}

/// Where a candidate was said: chars `start..end` of source `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    pub source: usize,
    pub start: usize,
    pub end: usize,
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// As first written (possessive removed).
    pub name: String,
    /// The fold of `name`: the key candidates and reviews are matched on.
    pub key: String,
    pub kind: NameKind,
    /// How many times it was found.
    pub count: usize,
    /// The first few places it was found.
    pub occurrences: Vec<Occurrence>,
    /// Every source it was found in (ascending).
    pub sources: Vec<usize>,
}

impl Candidate {
    /// The name without a person's title before it: "Mrs Chen" is "Chen"
    /// (what a replacement must cover and what the export gate looks for);
    /// "St Aidan" stays whole.
    pub fn core(&self) -> &str {
        core_name(&self.name)
    }
}

/// Places kept per candidate (for contexts).
pub const KEPT_OCCURRENCES: usize = 6;

/// Accumulates candidates over several texts.
#[derive(Default)]
pub struct NameFinder {
    found: HashMap<String, (Candidate, HashMap<NameKind, usize>)>,
}

impl NameFinder {
    pub fn new() -> NameFinder {
        NameFinder::default()
    }

    /// Reads one text (source number `source`, for the occurrences).
    pub fn add(&mut self, source: usize, text: &str) {
        let toks = tokens(text);
        let mut roles: Vec<(Role, Option<String>)> = Vec::with_capacity(toks.len());
        let mut prev_naming = false;
        for t in &toks {
            let (r, f) = role(t, prev_naming);
            prev_naming = f.as_deref().is_some_and(words::is_naming_word);
            roles.push((r, f));
        }
        for (i, j) in runs(&toks, &roles) {
            self.push(
                source,
                text,
                &toks[i..j],
                &roles[i..j],
                i.checked_sub(1).and_then(|p| roles[p].1.as_deref()),
            );
        }
    }

    fn push(
        &mut self,
        source: usize,
        text: &str,
        toks: &[Token<'_>],
        roles: &[(Role, Option<String>)],
        before: Option<&str>,
    ) {
        let (start, end) = (toks[0].start, toks[toks.len() - 1].end);
        let name = &text[toks[0].byte_start..toks[toks.len() - 1].byte_end];
        let key = fold(name).trim().to_owned();
        if key.chars().filter(|c| c.is_alphabetic()).count() < 2 && toks[0].case != Case::Uncased {
            return;
        }
        let last = roles[roles.len() - 1].1.as_deref().unwrap_or("");
        let first = roles[0].1.as_deref().unwrap_or("");
        let kind = if words::is_place_title(first) || words::is_org_head(last) {
            NameKind::Organisation
        } else if words::is_place_head(last)
            || place_like(last)
            || before.is_some_and(|b| {
                matches!(
                    b,
                    "in" | "at" | "from" | "near" | "around" | "outside" | "towards" | "via"
                )
            })
        {
            NameKind::Place
        } else if roles[0].0 == Role::Title || toks.len() <= 3 {
            NameKind::Person
        } else {
            NameKind::Unknown
        };
        let entry = self.found.entry(key.clone()).or_insert_with(|| {
            (
                Candidate {
                    name: name.to_owned(),
                    key,
                    kind,
                    count: 0,
                    occurrences: Vec::new(),
                    sources: Vec::new(),
                },
                HashMap::new(),
            )
        });
        entry.0.count += 1;
        *entry.1.entry(kind).or_default() += 1;
        if entry.0.sources.last() != Some(&source) && !entry.0.sources.contains(&source) {
            entry.0.sources.push(source);
        }
        let kept = &mut entry.0.occurrences;
        if kept.len() < KEPT_OCCURRENCES {
            kept.push(Occurrence { source, start, end });
        } else if !kept.iter().any(|o| o.source == source) {
            // The places shown come from as many texts as they can: a new
            // text takes the last place of the text with the most.
            let most = kept
                .iter()
                .map(|o| {
                    (
                        kept.iter().filter(|k| k.source == o.source).count(),
                        o.source,
                    )
                })
                .max()
                .map(|(n, s)| (n > 1).then_some(s));
            if let Some(Some(s)) = most
                && let Some(i) = kept.iter().rposition(|o| o.source == s)
            {
                kept.remove(i);
                kept.push(Occurrence { source, start, end });
            }
        }
    }

    /// The candidates, most often said first, then by name.
    pub fn finish(self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self
            .found
            .into_values()
            .map(|(mut c, kinds)| {
                if let Some((k, _)) = kinds
                    .into_iter()
                    .filter(|(k, _)| *k != NameKind::Unknown)
                    .max_by_key(|(k, n)| (*n, *k as u8))
                {
                    c.kind = k;
                }
                c.sources.sort_unstable();
                c
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        out
    }
}

/// Candidates in several texts (their index is the occurrence's source).
pub fn find_names<S: AsRef<str>>(texts: &[S]) -> Vec<Candidate> {
    let mut f = NameFinder::new();
    for (i, t) in texts.iter().enumerate() {
        f.add(i, t.as_ref());
    }
    f.finish()
}
