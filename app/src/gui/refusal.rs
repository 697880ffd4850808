//! What to do after a refusal: each kind of refusal (names that would
//! leave in a pack, consent not recorded, words that are not the
//! storyteller's, another Storyloom writing, a read-only project, …) gets
//! its own advice and, where one place settles it, a button that goes
//! there. The refusal dialog (`toasts.rs`) shows them under the message.
//!
//! The kind comes from the domain's typed error where there is one
//! ([`Refusal::of_error`]), else from the message (errors of background
//! jobs reach the window as text).

use super::commands::UiCommand;
use super::shared::CenterTab;
use storyloom_project::Error;

/// Kinds of refusal with their own advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Refusal {
    /// Names found in the transcripts would have been in an export.
    NamesInExport,
    /// A story lacks its sending or approval, or is not ready for the pack.
    Consent,
    /// Words in a story that are not the storyteller's own.
    NotTheStorytellers,
    /// Another Storyloom holds the project's write lock.
    Busy,
    /// The project is open read-only.
    ReadOnly,
    /// A name that must be unique is taken.
    NameTaken,
    /// Coding with a category.
    Category,
    /// Someone else's change since blocks an undo or redo.
    Conflict,
    /// The text was corrected since the selection was made.
    StaleText,
    /// What was asked for is not there (deleted, renamed, mistyped).
    Missing,
    /// What was typed matches more than one thing.
    Ambiguous,
    /// The file is not a project this build can open.
    NotAProject,
    /// A file could not be read or written.
    File,
    #[default]
    Other,
}

/// Where a refusal's button goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Remedy {
    Tab(CenterTab),
    Command(UiCommand),
}

impl Refusal {
    /// The kind of a domain error: its variant, then its words.
    pub fn of_error(e: &Error) -> Refusal {
        match e {
            Error::Busy(_) => Refusal::Busy,
            Error::NameTaken { .. } => Refusal::NameTaken,
            Error::Conflict(_) => Refusal::Conflict,
            Error::StaleVersion { .. } => Refusal::StaleText,
            Error::Ambiguous(_) => Refusal::Ambiguous,
            Error::UnknownDocument(_)
            | Error::UnknownSpeaker { .. }
            | Error::UnknownParticipant(_)
            | Error::UnknownCode(_)
            | Error::UnknownTheme(_)
            | Error::UnknownCoding(_)
            | Error::UnknownMemo(_)
            | Error::UnknownReviewItem(_) => Refusal::Missing,
            Error::NotAProject { .. } | Error::NewerVersion { .. } | Error::NoSuchProject(_) => {
                Refusal::NotAProject
            }
            Error::Io(_) | Error::AlreadyExists(_) | Error::Import { .. } | Error::Csv { .. } => {
                Refusal::File
            }
            _ => Refusal::of_text(&e.to_string()),
        }
    }

    /// The kind of a refusal known only by its message.
    pub fn of_text(text: &str) -> Refusal {
        let t = text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["read-only"]) {
            Refusal::ReadOnly
        } else if has(&["another storyloom"]) {
            Refusal::Busy
        } else if has(&[
            "found in the transcripts",
            "must not leave",
            "names left",
            "pseudonym map",
        ]) {
            Refusal::NamesInExport
        } else if has(&["not the storyteller"]) {
            Refusal::NotTheStorytellers
        } else if has(&[
            "consent",
            "never sent",
            "approv",
            "not ready for the pack",
            "has no stories",
        ]) {
            Refusal::Consent
        } else if has(&["is a category", "a category takes"]) {
            Refusal::Category
        } else if has(&["there is already a"]) {
            Refusal::NameTaken
        } else if has(&["corrected since"]) {
            Refusal::StaleText
        } else if has(&["has changed it since", "blocked"]) {
            Refusal::Conflict
        } else if has(&[
            "not a storyloom project",
            "newer storyloom",
            "no such project",
        ]) {
            Refusal::NotAProject
        } else if has(&[
            "no such file",
            "permission denied",
            "could not import",
            "could not read",
            "could not write",
        ]) {
            Refusal::File
        } else if t.starts_with("no ") && t.contains(" matches ") {
            Refusal::Missing
        } else {
            Refusal::Other
        }
    }

    /// What to do now, in a sentence or two.
    pub fn advice(self) -> &'static str {
        match self {
            Refusal::NamesInExport => {
                "Open Pseudonyms: give each name listed a pseudonym, or mark it as not a name (or \
                 as kept), then export again. Nothing was written."
            }
            Refusal::Consent => {
                "Open the story in Stories and, under Consent, record the sending of its current \
                 revision and then the storyteller's approval (or choose other stories in the \
                 pack settings). Nothing was written."
            }
            Refusal::NotTheStorytellers => {
                "Select words from the storyteller's own turns (they are under their name in the \
                 transcript). An interviewer's question can go in as framing instead."
            }
            Refusal::Busy => {
                "Another Storyloom window or command is writing to this project. Let it finish, \
                 or close it, then do this again. Your change was not made."
            }
            Refusal::ReadOnly => {
                "This project cannot be written. Save a copy to a folder you can write to and \
                 work on the copy, or make the file and its folder writable and open it again."
            }
            Refusal::NameTaken => {
                "Choose another name, or use the one that exists: rename it, or merge into it \
                 from the codebook."
            }
            Refusal::Category => {
                "A category only groups codes. Code with one of its sub-codes, or untick \
                 \"category\" in the code's details to code with it."
            }
            Refusal::Conflict => {
                "Someone else has changed the same thing since. Open History to see who and \
                 what; undo theirs first, or change it back by hand."
            }
            Refusal::StaleText => {
                "The transcript was corrected meanwhile and the view has reloaded: select the \
                 passage again and repeat."
            }
            Refusal::Missing => {
                "It may have been deleted, renamed or undone (here or in another window). Choose \
                 it again from its list."
            }
            Refusal::Ambiguous => {
                "Give the full name, or the id shown in the list, to say which one."
            }
            Refusal::NotAProject => {
                "Choose a .storyloom project file (File menu, Open project…). A file from a newer \
                 Storyloom needs that version; transcripts go in with Import."
            }
            Refusal::File => {
                "Check that the file exists, opens in its own program and that you may read it \
                 (or write to its folder); then choose it again, or another place."
            }
            Refusal::Other => "Nothing was changed. Do what the message asks, then try again.",
        }
    }

    /// The button that takes the researcher where it is settled.
    pub fn remedy(self) -> Option<(&'static str, Remedy)> {
        match self {
            Refusal::NamesInExport => Some(("Open Pseudonyms", Remedy::Tab(CenterTab::Pseudonyms))),
            Refusal::Consent | Refusal::NotTheStorytellers => {
                Some(("Open Stories", Remedy::Tab(CenterTab::Stories)))
            }
            Refusal::Conflict => Some(("Open History", Remedy::Tab(CenterTab::History))),
            Refusal::ReadOnly => Some(("Save a copy…", Remedy::Command(UiCommand::SaveCopy))),
            Refusal::NotAProject => {
                Some(("Open project…", Remedy::Command(UiCommand::OpenProject)))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_errors_keep_their_kind() {
        let busy = Error::Busy("another Storyloom is writing".into());
        assert_eq!(Refusal::of_error(&busy), Refusal::Busy);
        let taken = Error::NameTaken {
            kind: "code",
            name: "Belonging".into(),
            place: "",
        };
        assert_eq!(Refusal::of_error(&taken), Refusal::NameTaken);
        assert_eq!(
            Refusal::of_error(&Error::UnknownCode("x".into())),
            Refusal::Missing
        );
        // Invalid says only its words.
        let ro = Error::Invalid(
            "file permissions: the project is open read-only, and nothing can be changed".into(),
        );
        assert_eq!(Refusal::of_error(&ro), Refusal::ReadOnly);
    }

    #[test]
    fn messages_of_each_kind_get_their_own_advice() {
        let cases = [
            (
                "2 names found in the transcripts are in it without review, so nothing was written:",
                Refusal::NamesInExport,
            ),
            (
                "the story 'Doreen' was never sent to its storyteller: record how and when revision 2 was sent first",
                Refusal::Consent,
            ),
            (
                "P01.docx: these are the words of Interviewer (interviewer), not the storyteller: a story holds only the storyteller's own words",
                Refusal::NotTheStorytellers,
            ),
            (
                "p.storyloom: another Storyloom is writing to this project and held it for more than 5 s.",
                Refusal::Busy,
            ),
            (
                "'Belonging' is a category: code with a sub-code",
                Refusal::Category,
            ),
            ("there is already a code 'Belonging'", Refusal::NameTaken),
            ("no code matches 'Zebra'", Refusal::Missing),
            ("something else entirely", Refusal::Other),
        ];
        let mut advice = std::collections::HashSet::new();
        for (text, kind) in cases {
            assert_eq!(Refusal::of_text(text), kind, "{text}");
            assert!(advice.insert(kind.advice()), "{kind:?} shares its advice");
        }
        assert_eq!(
            Refusal::NamesInExport.remedy().map(|r| r.1),
            Some(Remedy::Tab(CenterTab::Pseudonyms))
        );
        assert!(Refusal::Other.remedy().is_none());
    }
}
