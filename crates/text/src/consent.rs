//! The storyteller's consent on record (DESIGN §5, storytelling notes §3):
//! which revision of a story was sent to them and how, what they said back
//! (comments and requested changes), and what they agreed their story may
//! be used for. Plain data: the store keeps it, the checker and the exports
//! read it. The approval itself stays on the story ([`crate::story::Approval`]).

use serde::{Deserialize, Serialize};

/// How a story reached its storyteller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SendMethod {
    Post,
    Email,
    InPerson,
    /// Read aloud to the storyteller (in person or by phone).
    ReadAloud,
}

impl SendMethod {
    pub const ALL: [SendMethod; 4] = [
        SendMethod::Post,
        SendMethod::Email,
        SendMethod::InPerson,
        SendMethod::ReadAloud,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SendMethod::Post => "post",
            SendMethod::Email => "email",
            SendMethod::InPerson => "in person",
            SendMethod::ReadAloud => "read aloud",
        }
    }

    pub fn parse(s: &str) -> Option<SendMethod> {
        let s: String = s
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c == '-' || c == '_' { ' ' } else { c })
            .collect();
        Some(match s.trim_start_matches("by ").trim() {
            "post" | "letter" | "mail" => SendMethod::Post,
            "email" | "e mail" => SendMethod::Email,
            "in person" | "by hand" | "hand" => SendMethod::InPerson,
            "read aloud" | "read out" | "phone" | "read aloud by phone" => SendMethod::ReadAloud,
            _ => return None,
        })
    }
}

/// What a storyteller may agree their story is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentScope {
    /// Read and discussed at a stakeholder workshop (the discussion pack).
    Workshop,
    /// Quoted in research reports (the theme report's quotes).
    Report,
    /// Published (a journal, a website, a public booklet).
    Publication,
    /// Their recorded voice played or shared.
    Audio,
    /// Quotes from their interview in other outputs (the coded segments tables).
    Quotes,
}

impl ConsentScope {
    pub const ALL: [ConsentScope; 5] = [
        ConsentScope::Workshop,
        ConsentScope::Report,
        ConsentScope::Publication,
        ConsentScope::Audio,
        ConsentScope::Quotes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentScope::Workshop => "workshop",
            ConsentScope::Report => "report",
            ConsentScope::Publication => "publication",
            ConsentScope::Audio => "audio",
            ConsentScope::Quotes => "quotes",
        }
    }

    /// What it allows, in words for messages and documents.
    pub fn describe(self) -> &'static str {
        match self {
            ConsentScope::Workshop => "workshop discussion",
            ConsentScope::Report => "research reports",
            ConsentScope::Publication => "publication",
            ConsentScope::Audio => "use of the audio recording",
            ConsentScope::Quotes => "quotes in other outputs",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentScope> {
        Some(match s.trim().to_lowercase().as_str() {
            "workshop" | "workshops" | "pack" => ConsentScope::Workshop,
            "report" | "reports" => ConsentScope::Report,
            "publication" | "publish" => ConsentScope::Publication,
            "audio" => ConsentScope::Audio,
            "quotes" | "quote" | "quotes in other outputs" => ConsentScope::Quotes,
            _ => return None,
        })
    }

    /// A comma-separated list ("workshop, report"); unknown words are an error.
    pub fn parse_list(s: &str) -> Result<Vec<ConsentScope>, String> {
        let mut out = Vec::new();
        for w in s.split([',', ';']).map(str::trim).filter(|w| !w.is_empty()) {
            match ConsentScope::parse(w) {
                Some(c) if !out.contains(&c) => out.push(c),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "'{w}' is not a consent scope (workshop, report, publication, audio, quotes)"
                    ));
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// One sending of a story to its storyteller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sending {
    pub uuid: String,
    /// The revision sent (`None`: sent before Storyloom recorded revisions).
    pub revision: Option<i64>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `None`: sent before Storyloom recorded how.
    pub how: Option<SendMethod>,
}

/// A comment, or a change the storyteller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackKind {
    Comment,
    Change,
}

impl FeedbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Comment => "comment",
            FeedbackKind::Change => "change",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackKind> {
        match s.trim().to_lowercase().as_str() {
            "comment" => Some(FeedbackKind::Comment),
            "change" | "change request" | "requested change" => Some(FeedbackKind::Change),
            _ => None,
        }
    }
}

/// What the storyteller said back about their story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub uuid: String,
    pub kind: FeedbackKind,
    /// The revision they were reading, when known.
    pub revision: Option<i64>,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub text: String,
    /// A requested change that has been made (or answered).
    pub done: bool,
}

/// Everything on record about a story's consent besides the approval.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// Oldest first.
    pub sendings: Vec<Sending>,
    /// Oldest first.
    pub feedback: Vec<Feedback>,
    /// What the storyteller agreed to; `None` until recorded.
    pub scopes: Option<Vec<ConsentScope>>,
    /// When the scope was recorded (`YYYY-MM-DD`).
    pub scopes_on: Option<String>,
}

impl ConsentRecord {
    /// The latest sending of a revision, if that revision was sent.
    pub fn sending_of(&self, revision: i64) -> Option<&Sending> {
        self.sendings
            .iter()
            .rev()
            .find(|s| s.revision == Some(revision))
    }

    /// The latest sending.
    pub fn last_sending(&self) -> Option<&Sending> {
        self.sendings.last()
    }

    /// Does the recorded scope allow this use? `Err` says why not.
    pub fn allows(&self, scope: ConsentScope) -> Result<(), String> {
        match &self.scopes {
            None => Err(format!(
                "the storyteller's consent scope is not recorded, so it is not known whether they agreed to {}",
                scope.describe()
            )),
            Some(s) if s.contains(&scope) => Ok(()),
            Some(s) if s.is_empty() => Err(format!(
                "the storyteller agreed to no use beyond checking their story, not to {}",
                scope.describe()
            )),
            Some(s) => Err(format!(
                "the storyteller agreed to {} only, not to {}",
                s.iter()
                    .map(|c| c.describe())
                    .collect::<Vec<_>>()
                    .join(", "),
                scope.describe()
            )),
        }
    }

    /// Requested changes not yet made.
    pub fn open_changes(&self) -> impl Iterator<Item = &Feedback> {
        self.feedback
            .iter()
            .filter(|f| f.kind == FeedbackKind::Change && !f.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_as_a_list_and_say_what_they_refuse() {
        assert_eq!(
            ConsentScope::parse_list("Report, workshop,report").unwrap(),
            vec![ConsentScope::Workshop, ConsentScope::Report]
        );
        assert!(ConsentScope::parse_list("workshop, radio").is_err());
        let mut r = ConsentRecord::default();
        assert!(r.allows(ConsentScope::Workshop).is_err());
        r.scopes = Some(vec![ConsentScope::Report]);
        let e = r.allows(ConsentScope::Workshop).unwrap_err();
        assert!(
            e.contains("research reports only") && e.contains("workshop"),
            "{e}"
        );
        assert!(r.allows(ConsentScope::Report).is_ok());
        assert_eq!(SendMethod::parse("by post"), Some(SendMethod::Post));
        assert_eq!(SendMethod::parse("read-aloud"), Some(SendMethod::ReadAloud));
        assert_eq!(SendMethod::parse("pigeon"), None);
    }
}
