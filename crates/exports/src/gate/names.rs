//! The gate with the names found in the text: a stakeholder file is
//! refused while any name the finder found in the transcripts appears in it
//! unreviewed (even with an empty pseudonym map), or any original of the
//! map appears in it. Its report says what was checked against what.

use super::{GateError, Leak, file_texts, originals, scan_text};
use std::collections::HashMap;
use std::path::Path;
use storyloom_privacy::{Matcher, NameFinder, context_in, fold, words};
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
    /// Where it is in what was to be written: a story ("the story
    /// 'Dot'"), or a part of the file (`word/document.xml`).
    pub part: String,
    /// How many times it is there.
    pub count: usize,
    /// A few words around its first place there.
    pub context: String,
}

/// A word or path as the shell reads it: quoted when it must be.
pub fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '+' | ','));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The refusal of a file with unreviewed names: one line per name and
/// story (or part), with how often and a few words around it, then the
/// exact commands that settle a name.
pub fn refusal(names: &[NameLeft], project: &str) -> String {
    let mut distinct: Vec<&str> = names.iter().map(|n| n.key.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut out = format!(
        "{} name{} found in the transcripts {} in it without review, so nothing was written:",
        distinct.len(),
        if distinct.len() == 1 { "" } else { "s" },
        if distinct.len() == 1 { "is" } else { "are" },
    );
    for n in names {
        out.push_str(&format!(
            "\n  - {}: '{}' ×{}: …{}…",
            n.part, n.name, n.count, n.context
        ));
    }
    let project = if project.is_empty() {
        "PROJECT".to_owned()
    } else {
        shell_word(project)
    };
    let example = names
        .first()
        .map_or("NAME".to_owned(), |n| shell_word(&n.name));
    out.push_str(&format!(
        "\nSettle each name once (in the window: the Pseudonyms panel), then export again. For {example}:\n  \
         replace it:              storyloom pseudonym add {project} {example} REPLACEMENT --kind person\n  \
         or, if it identifies no one: storyloom pseudonym review {project} {example} --as not-identifying\n  \
         or, if they agreed:      storyloom pseudonym review {project} {example} --as kept-with-consent\n\
         (`storyloom names {project}` lists every name found, with where it is said.)"
    ));
    out
}

/// What a file passed: the names found and settled, and the originals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GateReport {
    pub names: NamesSummary,
    /// How many originals of the pseudonym map were looked for.
    pub originals: usize,
    /// How many participants who withdrew were looked for (their pseudonyms).
    pub withdrawn: usize,
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
        if self.withdrawn > 0 {
            write!(
                f,
                ", nor the pseudonym of the {} participant{} who withdrew",
                self.withdrawn,
                if self.withdrawn == 1 { "" } else { "s" }
            )?;
        }
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
    /// The project file, for the commands a refusal gives.
    project: String,
    /// What stands for participants who withdrew (their pseudonyms), with
    /// how a refusal names it: nothing that points to them may leave, not
    /// even as the replacement of their name in someone else's words.
    withdrawn: Vec<String>,
    withdrawn_labels: Vec<String>,
}

/// The pseudonyms of participants who withdrew their story, each with how
/// a refusal names it.
fn withdrawn_pseudonyms(
    project: &Project,
) -> Result<Vec<(String, String)>, storyloom_project::Error> {
    let gone: Vec<String> = project
        .consent_exclusions(storyloom_project::stories::consent::ConsentScope::Workshop)?
        .into_iter()
        .filter(|(_, why)| why.starts_with("withdrew"))
        .map(|(id, _)| id)
        .collect();
    if gone.is_empty() {
        return Ok(Vec::new());
    }
    Ok(project
        .participants()?
        .into_iter()
        .filter(|p| gone.contains(&p.id))
        .filter_map(|p| {
            let ps = p.pseudonym?.trim().to_owned();
            (!ps.is_empty()).then(|| {
                let label = format!(
                    "{ps} (the pseudonym of {}, who withdrew: change what replaces their name in others' words)",
                    p.id
                );
                (ps, label)
            })
        })
        .collect())
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
        let found = project.found_names_shared(key_file)?;
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
        let details = project.identifying_details_shared()?;
        let mut gate = Gate::from_found(originals, &found);
        gate.project = project.path().display().to_string();
        let (words, labels) = withdrawn_pseudonyms(project)?.into_iter().unzip();
        gate.withdrawn = words;
        gate.withdrawn_labels = labels;
        Ok(gate.with_kept(kept).with_details(
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
            withdrawn: self.withdrawn.len(),
            details: Vec::new(),
        }
    }

    pub fn new(originals: Vec<String>, found: Vec<FoundName>) -> Gate {
        Gate::from_found(originals, &found)
    }

    /// [`Gate::new`] over borrowed names (only the unreviewed are copied).
    pub fn from_found(originals: Vec<String>, found: &[FoundName]) -> Gate {
        let summary = NamesSummary::of(found);
        let unreviewed: Vec<FoundName> = found
            .iter()
            .filter(|n| !n.state.is_reviewed())
            .cloned()
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
            project: String::new(),
            withdrawn: Vec::new(),
            withdrawn_labels: Vec::new(),
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
        self.project = other.project.clone();
        self.withdrawn = other.withdrawn.clone();
        self.withdrawn_labels = other.withdrawn_labels.clone();
        self
    }

    /// What in a text stands for a participant who withdrew.
    fn withdrawn_in(&self, part: &str, text: &str) -> Vec<Leak> {
        if self.withdrawn.is_empty() {
            return Vec::new();
        }
        scan_text(part, text, &self.withdrawn)
            .into_iter()
            .map(|mut l| {
                if let Some(i) = self.withdrawn.iter().position(|w| *w == l.original) {
                    l.original = self.withdrawn_labels[i].clone();
                }
                l
            })
            .collect()
    }

    /// The refusal of these unreviewed names.
    pub fn refuse(&self, names: Vec<NameLeft>) -> GateError {
        GateError::Unreviewed {
            names,
            project: self.project.clone(),
        }
    }

    /// Checks stories before they are laid out, `(the story's name, its
    /// text)`: an original of the map or an unreviewed name in any is
    /// refused, each listed once per story with how often it says it.
    pub fn check_stories(&self, stories: &[(String, String)]) -> Result<(), GateError> {
        let mut leaks: Vec<Leak> = Vec::new();
        let mut names: Vec<NameLeft> = Vec::new();
        for (name, text) in stories {
            let part = format!("the story '{name}'");
            leaks.extend(scan_text(&part, text, &self.originals));
            leaks.extend(self.withdrawn_in(&part, text));
            names.extend(self.names_in(&part, text));
        }
        self.verdict(leaks, names)
    }

    /// The refusal for what was found, if anything: originals first, with
    /// the unreviewed names listed among them, so that one refusal says
    /// everything to settle.
    fn verdict(&self, mut leaks: Vec<Leak>, names: Vec<NameLeft>) -> Result<(), GateError> {
        if !leaks.is_empty() {
            leaks.extend(names.into_iter().map(|n| Leak {
                original: format!("{} (found in the transcripts, not reviewed)", n.name),
                part: n.part,
                context: n.context,
            }));
            return Err(GateError::Leaked(leaks));
        }
        if !names.is_empty() {
            return Err(self.refuse(names));
        }
        Ok(())
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
                if let Some(&i) = self.word_names.get(&core).or(self.word_names.get(&key)) {
                    // Every place it is said as a name counts; the first few are known.
                    let first = c.occurrences.first().map_or((0, 0), |o| (o.start, o.end));
                    hits.extend(std::iter::repeat_n((i, first.0, first.1), c.count));
                }
            }
        }
        hits.sort_by_key(|h| (h.1, h.2));
        let mut out: Vec<NameLeft> = Vec::new();
        for (i, s, e) in hits {
            let n = &self.unreviewed[i];
            if let Some(l) = out.iter_mut().find(|l| l.name == n.name) {
                l.count += 1;
                continue;
            }
            let s = s.min(chars.len());
            let e = e.min(chars.len()).max(s);
            out.push(NameLeft {
                name: n.name.clone(),
                key: n.key.clone(),
                said_in: n.documents.iter().take(3).cloned().collect(),
                part: part.to_owned(),
                count: 1,
                context: context_in(&chars, s, e, 5),
            });
        }
        out
    }

    /// Originals and unreviewed names in a text (before it is written).
    pub fn check_text(&self, part: &str, text: &str) -> Result<(), GateError> {
        let mut leaks = scan_text(part, text, &self.originals);
        leaks.extend(self.withdrawn_in(part, text));
        if !leaks.is_empty() {
            return Err(GateError::Leaked(leaks));
        }
        let names = self.names_in(part, text);
        if !names.is_empty() {
            return Err(self.refuse(names));
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
            let mut found = scan_text(&part, &text, &self.originals);
            found.extend(self.withdrawn_in(&part, &text));
            for l in found {
                if !leaks.iter().any(|k| k.original == l.original) {
                    leaks.push(l);
                }
            }
            // Each part is read twice (runs joined; tags as spaces): a name
            // counts as often as the reading that finds it most.
            // Listed once per part of the file.
            for n in self.names_in(&part, &text) {
                match names
                    .iter_mut()
                    .find(|k| k.name == n.name && k.part == n.part)
                {
                    Some(k) => k.count = k.count.max(n.count),
                    None => names.push(n),
                }
            }
        }
        self.verdict(leaks, names)?;
        let mut report = self.report();
        report.details = details;
        Ok(report)
    }
}
