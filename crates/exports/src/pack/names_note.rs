//! What a pack or a story for checking may say about names (issue 11,
//! part 6): "names and places have been changed" only when the stories
//! carry replacements of those kinds, the names kept with consent owned by
//! name, and in a research copy the names not reviewed yet. A stakeholder
//! file is only kept when the gate passes, so its statement is made true
//! by the gate too.

use crate::gate::Gate;
use storyloom_privacy::fold;
use storyloom_project::stories::pseudonyms::bare;
use storyloom_project::stories::{PseudonymKind, PseudonymMap, RenderedStory, RunKind};

/// What was done to the names in some stories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamesNote {
    /// Replacements of people's and organisations' names.
    pub names: bool,
    /// Replacements of places.
    pub places: bool,
    /// Replacements of dates and other details.
    pub details: bool,
    /// Names reviewed as kept with consent that the stories say.
    pub kept: Vec<String>,
    /// Names found in the transcripts, not reviewed, that the stories say
    /// (a stakeholder file with any is refused by the gate).
    pub unreviewed: Vec<String>,
}

impl NamesNote {
    /// The note for `stories`, from their replacement runs (their kinds
    /// looked up in `map`) and what the gate knows.
    pub fn of(stories: &[&RenderedStory], map: &PseudonymMap, gate: &Gate) -> NamesNote {
        let mut note = NamesNote::default();
        for s in stories {
            let mut text = String::new();
            for p in &s.paragraphs {
                for r in &p.runs {
                    if r.kind == RunKind::Replacement {
                        match kind_of(map, &r.text) {
                            PseudonymKind::Place => note.places = true,
                            PseudonymKind::Date | PseudonymKind::Other => note.details = true,
                            PseudonymKind::Person | PseudonymKind::Organisation => {
                                note.names = true
                            }
                        }
                    } else {
                        text.push_str(&r.text);
                    }
                }
                text.push('\n');
            }
            for k in gate.kept_in(&text) {
                if !note.kept.contains(&k) {
                    note.kept.push(k);
                }
            }
            for u in gate.unreviewed_in(&text) {
                if !note.unreviewed.contains(&u) {
                    note.unreviewed.push(u);
                }
            }
        }
        note
    }

    /// Were any names, places or details replaced?
    pub fn changed(&self) -> bool {
        self.names || self.places || self.details
    }

    /// "Names and places have been changed", as far as it is true.
    fn what_changed(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.names {
            parts.push("names");
        }
        if self.places {
            parts.push("places");
        }
        if self.details {
            parts.push("some details");
        }
        let list = match parts.as_slice() {
            [] => return None,
            [a] => (*a).to_owned(),
            [a, b] => format!("{a} and {b}"),
            [a, b, c] => format!("{a}, {b} and {c}"),
            _ => parts.join(", "),
        };
        let mut s = format!("{list} have been changed");
        if let Some(f) = s.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        Some(s)
    }

    /// The sentence(s) for the "How to read" page (and the storyteller's note).
    pub fn statement(&self) -> String {
        let mut out = match self.what_changed() {
            Some(w) if self.kept.is_empty() => format!("{w}."),
            Some(w) => format!(
                "{w}, except {}, kept with the agreement of those concerned.",
                quoted(&self.kept)
            ),
            None if self.kept.is_empty() && self.unreviewed.is_empty() => {
                "No names needed changing: the research team checked every name in these stories."
                    .to_owned()
            }
            None if self.kept.is_empty() => "No names have been changed.".to_owned(),
            None => format!(
                "No names have been changed: {} {} kept with the agreement of those concerned.",
                quoted(&self.kept),
                if self.kept.len() == 1 { "is" } else { "are" }
            ),
        };
        if !self.unreviewed.is_empty() {
            out.push_str(&format!(
                " Not reviewed yet, so printed as said: {}.",
                quoted(&self.unreviewed)
            ));
        }
        out
    }

    /// A ground rule made true of these stories: the default rule's "names
    /// and places have been changed" follows what was done.
    pub fn true_rule(&self, rule: &str) -> String {
        const CLAIM: &str = "names and places have been changed";
        let Some(at) = rule.to_ascii_lowercase().find(CLAIM) else {
            return rule.to_owned();
        };
        let end = at + CLAIM.len();
        match self.what_changed() {
            Some(w) => format!("{}{}{}", &rule[..at], w.to_lowercase(), &rule[end..]),
            None => {
                // Drop the clause with its separator ("…a story; names and …").
                let head = rule[..at].trim_end_matches([';', ',', ' ', ':']);
                format!("{head}{}", &rule[end..])
            }
        }
    }
}

/// The kind of the map entry whose replacement a run shows.
fn kind_of(map: &PseudonymMap, run: &str) -> PseudonymKind {
    let shown = fold(bare(run));
    map.entries()
        .iter()
        .find(|e| fold(bare(&e.replacement)) == shown)
        .map(|e| e.kind)
        .unwrap_or(PseudonymKind::Person)
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("‘{n}’"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_says_what_was_done() {
        let mut n = NamesNote::default();
        assert!(n.statement().starts_with("No names needed changing"));
        n.names = true;
        assert_eq!(n.statement(), "Names have been changed.");
        n.places = true;
        assert_eq!(n.statement(), "Names and places have been changed.");
        n.kept.push("Hallbrook".into());
        assert_eq!(
            n.statement(),
            "Names and places have been changed, except ‘Hallbrook’, kept with the agreement of those concerned."
        );
        let rule = "Do not try to work out who told a story; names and places have been changed.";
        assert_eq!(n.true_rule(rule), rule);
        n.places = false;
        assert_eq!(
            n.true_rule(rule),
            "Do not try to work out who told a story; names have been changed."
        );
        let none = NamesNote::default();
        assert_eq!(
            none.true_rule(rule),
            "Do not try to work out who told a story."
        );
        assert_eq!(none.true_rule("Be kind."), "Be kind.");
    }
}
