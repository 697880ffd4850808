//! What every panel of the window shares: the open project, notices, the
//! revision counter that tells panels to refresh, and navigation requests
//! (open a document, jump to a range). Panels change the project only
//! through [`Shared::act`], so every error is shown and every change is seen.

use std::path::PathBuf;
use storyloom_project::stories::PseudonymMap;
use storyloom_project::{Applied, Command, Project, Result};

/// The pseudonym key file the researcher gave for this session, when the
/// map is kept apart from the project (where the command line takes
/// `--key`). It is read from its file and never written into the project.
#[derive(Debug, Clone)]
pub struct KeyFile {
    pub path: PathBuf,
    pub map: PseudonymMap,
}

/// A message in the notification area.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    /// The file a finished job wrote (its toast offers to open it).
    pub file: Option<std::path::PathBuf>,
    /// For an error: what kind of refusal it is (its advice, its button).
    pub kind: super::refusal::Refusal,
}

/// A place in a document to show and select: a search hit, a query row, a
/// coding, a review item.
#[derive(Debug, Clone, PartialEq)]
pub struct Jump {
    pub document: String,
    pub start: usize,
    pub end: usize,
}

/// Text selected in the document view (char offsets in the current text).
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub document: String,
    pub version: i64,
    pub start: usize,
    pub end: usize,
}

/// The tabs of the centre area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum CenterTab {
    #[default]
    Document,
    Stories,
    Themes,
    Search,
    Queries,
    Memos,
    Participants,
    Review,
    Pseudonyms,
    Agreement,
    History,
}

impl CenterTab {
    pub const ALL: [CenterTab; 11] = [
        CenterTab::Document,
        CenterTab::Stories,
        CenterTab::Themes,
        CenterTab::Search,
        CenterTab::Queries,
        CenterTab::Memos,
        CenterTab::Participants,
        CenterTab::Review,
        CenterTab::Pseudonyms,
        CenterTab::Agreement,
        CenterTab::History,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CenterTab::Document => "Document",
            CenterTab::Stories => "Stories",
            CenterTab::Themes => "Themes",
            CenterTab::Search => "Search",
            CenterTab::Queries => "Queries",
            CenterTab::Memos => "Memos & journal",
            CenterTab::Participants => "Participants",
            CenterTab::Review => "Review",
            CenterTab::Pseudonyms => "Pseudonyms",
            CenterTab::Agreement => "Agreement",
            CenterTab::History => "History",
        }
    }
}

/// State shared by the panels.
#[derive(Default)]
pub struct Shared {
    pub project: Option<Project>,
    pub notices: Vec<Notice>,
    /// Bumped after every change to the project: panels keep the revision
    /// their cached data was read at and reload when it differs.
    pub revision: u64,
    /// Revisions `(from, to)` between which every change touched only
    /// codings ([`Command::changes_only_codings`]): the document view's text
    /// and the speakers need not be read again. See [`Shared::codings_only_since`].
    codings_only: Option<(u64, u64)>,
    /// The document shown in the document view (uuid).
    pub open_document: Option<String>,
    /// A request for the document view: show and select this range.
    pub jump: Option<Jump>,
    pub center: CenterTab,
    /// The current text selection in the document view.
    pub selection: Option<Selection>,
    /// The char position of the cursor in the open document (for the inspector).
    pub cursor: Option<usize>,
    /// The coding chosen in the document view or a list (uuid).
    pub selected_coding: Option<String>,
    /// The code chosen in the codebook tree (uuid).
    pub selected_code: Option<String>,
    /// Codes applied most recently, newest first (number keys 1–9 apply them).
    pub recent_codes: Vec<String>,
    /// A code being dragged from the tree (uuid), to drop on a selection or a theme.
    pub dragged_code: Option<String>,
    /// Text typed in fields that save as you type, until it is saved.
    pub edits: super::debounce::Edits,
    /// The key file given for this session (see [`KeyFile`]).
    pub key_file: Option<KeyFile>,
    /// A request for the Pseudonyms panel: show this found name (its key).
    pub show_name: Option<String>,
    /// Whose codings the window shows (see [`super::coder_filter`]).
    pub coders: super::coder_filter::CoderFilter,
    /// Changes asked for while drawing, applied in order once the frame is
    /// drawn ([`Shared::drain`]): panels never change the project mid-draw.
    pub queue: Vec<Command>,
    /// Code names beside the coding stripes (the workbench copies its
    /// preference here each frame).
    pub margin_names: bool,
    /// Two coders' codings of a passage, drawn side by side in the
    /// transcript's margin (a disagreement opened from the agreement panel).
    pub compare: Option<Compare>,
}

/// Two coders' codings of one code over a passage, for the transcript's
/// margin: coder A's column and coder B's, with their names.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// Document uuid.
    pub document: String,
    /// The code's name and colour.
    pub code: String,
    pub color: egui::Color32,
    /// Coder A and coder B.
    pub coders: [String; 2],
    /// Each coder's coded char ranges there.
    pub ranges: [Vec<(usize, usize)>; 2],
}

impl Shared {
    pub fn info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            error: false,
            file: None,
            kind: Default::default(),
        });
    }

    /// A job finished and wrote `file`.
    pub fn done(&mut self, text: impl Into<String>, file: std::path::PathBuf) {
        self.notices.push(Notice {
            text: text.into(),
            error: false,
            file: Some(file),
            kind: Default::default(),
        });
    }

    /// A refusal known by its message (its kind is read from the words).
    pub fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        let kind = super::refusal::Refusal::of_text(&text);
        self.notices.push(Notice {
            text,
            error: true,
            file: None,
            kind,
        });
    }

    /// A refusal from the domain: its kind comes from the error's variant.
    pub fn refuse(&mut self, e: &storyloom_project::Error) {
        self.notices.push(Notice {
            text: e.to_string(),
            error: true,
            file: None,
            kind: super::refusal::Refusal::of_error(e),
        });
    }

    /// Runs a change on the project. An error goes to the notification area
    /// (and `None` comes back); success bumps the revision.
    pub fn act<T>(&mut self, f: impl FnOnce(&mut Project) -> Result<T>) -> Option<T> {
        let Some(p) = self.project.as_mut() else {
            self.error("Open or create a project first (File menu).");
            return None;
        };
        match f(p) {
            Ok(v) => {
                self.revision += 1;
                Some(v)
            }
            Err(e) => {
                self.refuse(&e);
                None
            }
        }
    }

    /// Whether every change since `revision` (up to now) touched only
    /// codings (and the codes an in-vivo coding made).
    pub fn codings_only_since(&self, revision: u64) -> bool {
        self.codings_only
            .is_some_and(|(from, to)| from <= revision && to == self.revision)
    }

    /// Says the change made since `before` touched only codings, when it
    /// was the one change since then.
    fn changed_only_codings(&mut self, before: u64) {
        if self.revision != before + 1 {
            return;
        }
        self.codings_only = match self.codings_only {
            Some((from, to)) if to == before => Some((from, self.revision)),
            _ => Some((before, self.revision)),
        };
    }

    /// Queues a change; it is applied after this frame is drawn.
    pub fn push(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Applies a change now, for the few actions whose result the panel
    /// needs in the same frame (the uuid of what it made, to select it).
    /// Errors go to the notification area.
    pub fn apply(&mut self, command: Command) -> Option<Applied> {
        let before = self.revision;
        let codings_only = command.changes_only_codings();
        let applied = self.act(|p| p.apply(command));
        if codings_only {
            self.changed_only_codings(before);
        }
        applied
    }

    /// Applies the queued changes in order (each one change and one history
    /// entry), once per frame after drawing; asks for another frame when
    /// any ran, so the panels show their effect at once.
    pub fn drain(&mut self, ctx: &egui::Context) {
        if self.queue.is_empty() {
            return;
        }
        for command in std::mem::take(&mut self.queue) {
            self.apply(command);
        }
        ctx.request_repaint();
    }

    /// Reads from the project; an error goes to the notification area.
    pub fn read<T>(&mut self, f: impl FnOnce(&Project) -> Result<T>) -> Option<T> {
        let p = self.project.as_ref()?;
        match f(p) {
            Ok(v) => Some(v),
            Err(e) => {
                self.refuse(&e);
                None
            }
        }
    }

    /// Shows a document in the centre.
    pub fn open(&mut self, document: &str) {
        self.open_document = Some(document.to_owned());
        self.center = CenterTab::Document;
    }

    /// Shows a document and selects a range in it.
    pub fn jump_to(&mut self, document: &str, start: usize, end: usize) {
        self.open(document);
        self.jump = Some(Jump {
            document: document.to_owned(),
            start,
            end,
        });
    }

    /// The key file's map, for the calls that take one.
    pub fn key_map(&self) -> Option<&PseudonymMap> {
        self.key_file.as_ref().map(|k| &k.map)
    }

    /// Opens the Pseudonyms panel at a found name (its key).
    pub fn show_found_name(&mut self, key: &str) {
        self.show_name = Some(key.to_owned());
        self.center = CenterTab::Pseudonyms;
    }

    /// Remembers a code as recently applied (for the number keys).
    pub fn used_code(&mut self, code: &str) {
        self.recent_codes.retain(|c| c != code);
        self.recent_codes.insert(0, code.to_owned());
        self.recent_codes.truncate(9);
    }
}

#[cfg(test)]
mod tests {
    use super::Shared;
    use storyloom_project::{Command, Project};

    /// Queued commands change nothing until the frame's drain, which applies
    /// them in order, one history entry each, and bumps the revision.
    #[test]
    fn queued_commands_wait_for_the_drain_and_run_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut sh = Shared {
            project: Some(Project::create(&dir.path().join("q.storyloom")).unwrap()),
            ..Default::default()
        };
        let code = |name: &str| Command::CreateCode {
            name: name.to_owned(),
            parent: None,
            color: None,
        };
        sh.push(code("Belonging"));
        sh.push(Command::RenameCode {
            code: "Belonging".to_owned(),
            new_name: "Company".to_owned(),
        });
        let p = sh.project.as_ref().unwrap();
        assert!(p.codes().unwrap().is_empty());
        let before = sh.revision;
        sh.drain(&egui::Context::default());
        let p = sh.project.as_ref().unwrap();
        let names: Vec<String> = p
            .codes()
            .unwrap()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        assert_eq!(names, ["Company"]);
        assert_eq!(p.history().unwrap().len(), 2);
        assert_eq!(sh.revision, before + 2);
        assert!(sh.queue.is_empty());
    }

    /// Changes applied through `Shared::apply` say themselves whether they
    /// touched only codings.
    #[test]
    fn applied_codings_start_a_run_and_other_changes_end_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Project::create(&dir.path().join("r.storyloom")).unwrap();
        p.import_bytes(
            "t.txt",
            b"Interviewer: How was it?\nParticipant: Lovely, really.\n",
        )
        .unwrap();
        let doc = p.documents().unwrap()[0].uuid.clone();
        let mut sh = Shared {
            project: Some(p),
            ..Default::default()
        };
        sh.apply(Command::CreateCode {
            name: "Joy".to_owned(),
            parent: None,
            color: None,
        })
        .unwrap();
        let start = sh.revision;
        assert!(
            !sh.codings_only_since(start - 1),
            "a new code is not a coding"
        );
        let coding = sh
            .apply(Command::AddCoding(storyloom_project::CodingSpec {
                code: "Joy".to_owned(),
                document: doc,
                start: 0,
                end: 10,
                version: None,
            }))
            .unwrap()
            .id()
            .unwrap();
        sh.apply(Command::SetKeyQuote {
            coding,
            key_quote: true,
        })
        .unwrap();
        assert!(sh.codings_only_since(start));
        sh.apply(Command::RenameCode {
            code: "Joy".to_owned(),
            new_name: "Delight".to_owned(),
        })
        .unwrap();
        assert!(!sh.codings_only_since(start));
    }

    #[test]
    fn codings_only_holds_for_a_run_of_codings_and_ends_with_any_other_change() {
        let mut sh = Shared {
            revision: 7,
            ..Default::default()
        };
        assert!(!sh.codings_only_since(7), "nothing recorded");
        // Two codings in a row: 7 -> 8 -> 9.
        sh.revision = 8;
        sh.changed_only_codings(7);
        sh.revision = 9;
        sh.changed_only_codings(8);
        assert!(sh.codings_only_since(7));
        assert!(sh.codings_only_since(8));
        assert!(!sh.codings_only_since(6), "a change before the run");
        // Another change (undo, a rename, another process): the run ends.
        sh.revision = 10;
        assert!(!sh.codings_only_since(9));
        assert!(!sh.codings_only_since(7));
        // Two changes at once are not one coding.
        sh.revision = 12;
        sh.changed_only_codings(10);
        assert!(!sh.codings_only_since(10));
        // A new run starts after them.
        sh.revision = 13;
        sh.changed_only_codings(12);
        assert!(sh.codings_only_since(12));
        assert!(!sh.codings_only_since(11));
    }
}
