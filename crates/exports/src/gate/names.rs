//! The gate with the names found in the text: a stakeholder file is
//! refused while any name the finder found in the transcripts appears in it
//! unreviewed (even with an empty pseudonym map), or any original of the
//! map appears in it. Its report says what was checked against what.

use super::{GateError, Leak, file_texts, originals, scan_text};
use std::collections::HashMap;
use std::path::Path;
use storyloom_privacy::{Matcher, NameFinder, context, fold, words};
use storyloom_project::Project;
use storyloom_project::project::names_ops::{FoundName, NamesSummary};
use storyloom_project::store::pseudonyms::Verdict;
use storyloom_project::stories::PseudonymMap;

/// An unreviewed name found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameLeft {
    pub name: String,
    /// The found name's key (its fold), as `storyloom names` and the
    /// Pseudonyms panel know it.
    pub key: String,
    /// Where the transcripts say it (documents).
    pub said_in: Vec<String>,
    pub part: String,
    /// A few words around it in the file.
    pub context: String,
}

pub(super) fn list(names: &[NameLeft]) -> String {
    names
        .iter()
        .map(|n| {
            format!(
                "  - '{}' in {}: …{}… (said in {})",
                n.name,
                n.part,
                n.context,
                n.said_in.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a file passed: the names found and settled, and the originals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GateReport {
    pub names: NamesSummary,
    /// How many originals of the pseudonym map were looked for.
    pub originals: usize,
    /// Identifying details said in the transcripts that the file carries
    /// ("an exact date “12 March 1941”"): warnings, not refusals.
    pub details: Vec<String>,
}

impl std::fmt::Display for GateReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.names)?;
        if self.names.left > 0 {
            write!(f, " (none of them in this file)")?;
        }
        write!(
            f,
            "; none of the {} originals of the pseudonym map appears in the file",
            self.originals
        )?;
        if !self.details.is_empty() {
            write!(
                f,
                ". To review (a warning, not a refusal): {} detail{} that could identify someone {} in the file: {}",
                self.details.len(),
                if self.details.len() == 1 { "" } else { "s" },
                if self.details.len() == 1 { "is" } else { "are" },
                self.details.join(", ")
            )?;
        }
        Ok(())
    }
}

/// The checks for one project's stakeholder exports.
#[derive(Debug, Clone)]
pub struct Gate {
    originals: Vec<String>,
    unreviewed: Vec<FoundName>,
    /// Unreviewed names that are not common words: matched after folding.
    matcher: Matcher,
    /// Unreviewed names that are also common words ("Rose", "Share"):
    /// matched only where the file says them as a name.
    word_names: HashMap<String, usize>,
    summary: NamesSummary,
    /// Names reviewed as kept with the consent of those concerned: they
    /// pass the gate, and what the pack says about names must own them.
    kept: Vec<String>,
    /// Identifying details said in the transcripts ("an exact date
    /// “12 March 1941”") and a matcher of their words: a file that carries
    /// one passes with a warning.
    details: Vec<String>,
    details_matcher: Matcher,
}

/// The unreviewed names a story would carry into a stakeholder export:
/// its text with the pseudonym map applied (with the key file when the map
/// is kept apart), checked as the gate checks a file. The story editor
/// lists them.
pub fn unreviewed_in_story(
    project: &Project,
    story: &str,
    key_file: Option<&PseudonymMap>,
) -> Result<Vec<NameLeft>, storyloom_project::Error> {
    let gate = Gate::for_project(project, key_file)?;
    let rendered = project.render_story(story, key_file)?;
    Ok(gate.names_in("the story", &rendered.plain_text()))
}

/// Is a name (folded) made only of common words?
fn common_words(folded: &str) -> bool {
    folded
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| !w.is_empty())
        .all(words::is_common)
}

impl Gate {
    /// The gate for `project`: the map's originals (less names reviewed as
    /// not identifying or kept with consent) and the unreviewed names.
    pub fn for_project(
        project: &Project,
        key_file: Option<&PseudonymMap>,
    ) -> Result<Gate, storyloom_project::Error> {
        let map = project.pseudonym_map(key_file)?;
        let found = project.found_names(key_file)?;
        let reviews = project.name_reviews()?;
        let reviewed: Vec<&str> = reviews.iter().map(|r| r.key.as_str()).collect();
        let originals: Vec<String> = originals(&map)
            .into_iter()
            .filter(|o| !reviewed.contains(&fold(o).trim()))
            .collect();
        let mut kept: Vec<String> = reviews
            .into_iter()
            .filter(|r| r.verdict == Verdict::KeptWithConsent)
            .map(|r| r.name)
            .collect();
        kept.sort();
        kept.dedup();
        let details = project.identifying_details()?;
        Ok(Gate::new(originals, found).with_kept(kept).with_details(
            details
                .iter()
                .map(|d| (d.text.clone(), d.describe()))
                .collect(),
        ))
    }

    /// The gate that also warns of these details: (words, description).
    pub fn with_details(mut self, details: Vec<(String, String)>) -> Gate {
        let words: Vec<String> = details.iter().map(|d| d.0.clone()).collect();
        self.details_matcher = Matcher::new(&words);
        self.details = details.into_iter().map(|d| d.1).collect();
        self
    }

    /// The details of [`Gate::with_details`] a text carries.
    pub fn details_in(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for h in self.details_matcher.find(text) {
            let d = &self.details[h.id];
            if !out.contains(d) {
                out.push(d.clone());
            }
        }
        out
    }

    /// The gate that also knows the names kept with consent.
    pub fn with_kept(mut self, kept: Vec<String>) -> Gate {
        self.kept = kept;
        self
    }

    /// The names kept with consent that a text says.
    pub fn kept_in(&self, text: &str) -> Vec<String> {
        let m = Matcher::new(&self.kept);
        let mut out: Vec<String> = Vec::new();
        for h in m.find(text) {
            let n = &self.kept[h.id];
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
        out
    }

    /// The unreviewed names a text says (by name, once each).
    pub fn unreviewed_in(&self, text: &str) -> Vec<String> {
        self.names_in("", text)
            .into_iter()
            .map(|n| n.name)
            .collect()
    }

    /// What this gate checks against, as the report of a file it passed.
    pub fn report(&self) -> GateReport {
        GateReport {
            names: self.summary.clone(),
            originals: self.originals.len(),
            details: Vec::new(),
        }
    }

    pub fn new(originals: Vec<String>, found: Vec<FoundName>) -> Gate {
        let summary = NamesSummary::of(&found);
        let unreviewed: Vec<FoundName> = found
            .into_iter()
            .filter(|n| !n.state.is_reviewed())
            .collect();
        let mut word_names = HashMap::new();
        let mut matched: Vec<String> = Vec::new();
        for (i, n) in unreviewed.iter().enumerate() {
            let core = fold(&n.core).trim().to_owned();
            if common_words(&core) {
                word_names.insert(core, i);
                matched.push(String::new());
            } else {
                matched.push(n.core.clone());
            }
        }
        Gate {
            originals,
            matcher: Matcher::new(&matched),
            unreviewed,
            word_names,
            summary,
            kept: Vec::new(),
            details: Vec::new(),
            details_matcher: Matcher::default(),
        }
    }

    /// The same gate without some names: those the covering note of a story
    /// for checking may carry (the storyteller's own name, the researcher's).
    pub fn without(&self, names: &[&str]) -> Gate {
        let within = |o: &str| {
            let o = fold(o);
            names.iter().any(|n| {
                let n = fold(n);
                n.split_whitespace().any(|w| w == o.trim()) || n.trim() == o.trim()
            })
        };
        Gate::new(
            self.originals
                .iter()
                .filter(|o| !within(o))
                .cloned()
                .collect(),
            self.unreviewed
                .iter()
                .filter(|n| !within(&n.core) && !within(&n.name))
                .cloned()
                .collect(),
        )
        .with_kept(self.kept.clone())
        .with_details_of(self)
    }

    fn with_details_of(mut self, other: &Gate) -> Gate {
        self.details = other.details.clone();
        self.details_matcher = other.details_matcher.clone();
        self
    }

    pub fn summary(&self) -> &NamesSummary {
        &self.summary
    }

    /// Unreviewed names in a text.
    pub fn names_in(&self, part: &str, text: &str) -> Vec<NameLeft> {
        let chars: Vec<char> = text.chars().collect();
        let mut hits: Vec<(usize, usize, usize)> = self
            .matcher
            .find(text)
            .into_iter()
            .map(|h| (h.id, h.start, h.end))
            .collect();
        if !self.word_names.is_empty() {
            let mut f = NameFinder::new();
            f.add(0, text);
            for c in f.finish() {
                let core = fold(c.core()).trim().to_owned();
                let key = c.key.clone();
                if let Some(&i) = self.word_names.get(&core).or(self.word_names.get(&key))
                    && let Some(o) = c.occurrences.first()
                {
                    hits.push((i, o.start, o.end));
                }
            }
        }
        let mut out: Vec<NameLeft> = Vec::new();
        for (i, s, e) in hits {
            let n = &self.unreviewed[i];
            if out.iter().any(|l| l.name == n.name) {
                continue;
            }
            let s = s.min(chars.len());
            let e = e.min(chars.len()).max(s);
            out.push(NameLeft {
                name: n.name.clone(),
                key: n.key.clone(),
                said_in: n.documents.iter().take(3).cloned().collect(),
                part: part.to_owned(),
                context: context(text, s, e, 5),
            });
        }
        out
    }

    /// Originals and unreviewed names in a text (before it is written).
    pub fn check_text(&self, part: &str, text: &str) -> Result<(), GateError> {
        let leaks = scan_text(part, text, &self.originals);
        if !leaks.is_empty() {
            return Err(GateError::Leaked(leaks));
        }
        let names = self.names_in(part, text);
        if !names.is_empty() {
            return Err(GateError::Unreviewed(names));
        }
        Ok(())
    }

    /// Reads every part of a written file back and checks it; a file that
    /// fails (or cannot be read) is deleted.
    pub fn check_file(&self, path: &Path) -> Result<GateReport, GateError> {
        let result = self.check(path);
        if result.is_err() {
            let _ = std::fs::remove_file(path);
        }
        result
    }

    /// Reads every part of a written file (an export's temporary file,
    /// before it is renamed over the target) back and checks it.
    pub fn check(&self, path: &Path) -> Result<GateReport, GateError> {
        let mut leaks: Vec<Leak> = Vec::new();
        let mut names: Vec<NameLeft> = Vec::new();
        let mut details: Vec<String> = Vec::new();
        for (part, text) in file_texts(path)? {
            for d in self.details_in(&text) {
                if !details.contains(&d) {
                    details.push(d);
                }
            }
            for l in scan_text(&part, &text, &self.originals) {
                if !leaks.iter().any(|k| k.original == l.original) {
                    leaks.push(l);
                }
            }
            for n in self.names_in(&part, &text) {
                if !names.iter().any(|k| k.name == n.name) {
                    names.push(n);
                }
            }
        }
        if !leaks.is_empty() {
            // Both kinds are listed, so one refusal says everything to settle.
            leaks.extend(names.into_iter().map(|n| Leak {
                original: format!("{} (found in the transcripts, not reviewed)", n.name),
                part: n.part,
                context: n.context,
            }));
            return Err(GateError::Leaked(leaks));
        }
        if !names.is_empty() {
            return Err(GateError::Unreviewed(names));
        }
        let mut report = self.report();
        report.details = details;
        Ok(report)
    }
}
