//! The stakeholder discussion pack (DESIGN §6): cover, purpose, how to
//! read the stories (its statements made from the consent on record), ground
//! rules, questions, an overview of the stories, optionally a facilitator's
//! page, each story in its own section (on an odd page when printed on both
//! sides) with a notes box that never stands alone on a page, optionally the
//! emerging themes, and a landscape recording sheet whose story ids come back
//! with the workshop's notes. Also the recording sheet as a CSV template and,
//! on request, a large-print copy. The stakeholder variant passes the
//! pseudonymisation gate ([`crate::gate`]).
//!
//! Only stories whose storyteller agreed to workshop use go in; the others
//! are left out and the report says which and why.

pub mod names_note;
mod notes;
mod pages;
pub mod sheet;

pub use sheet::{RECORDING_COLUMNS, story_ref};

use crate::ExportError;
use crate::docx;
use crate::gate::{self, GateError};
use crate::story_docx::layout;
use std::path::{Path, PathBuf};
use storyloom_project::project::pack_ops::PackSettings;
use storyloom_project::stories::consent::{ConsentRecord, ConsentScope, FeedbackKind};
use storyloom_project::stories::{PseudonymMap, RenderedStory, StoryStatus};
use storyloom_project::{Project, ThemeStatus};

/// Who the pack is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackVariant {
    /// Pseudonymised, no sources; checked by the gate.
    Stakeholder,
    /// Pseudonymised, with each excerpt's source under it.
    Research,
}

/// How to make a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackOptions {
    pub variant: PackVariant,
    /// Also write a large-print copy beside the pack ([`large_print_path`]).
    pub large_print: bool,
}

/// A story that keeps the pack from being made, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub story: String,
    pub reasons: Vec<String>,
}

/// A story left out of the pack, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    pub story: String,
    pub reason: String,
}

/// Why a pack (or a story for checking) was not written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("the pack has no stories: approve stories or choose them in the pack settings{}", left(.0))]
    NoStories(Vec<LeftOut>),
    #[error("these stories are not ready for the pack:\n{}", blockers(.0))]
    Blocked(Vec<Blocker>),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl From<storyloom_project::Error> for PackError {
    fn from(e: storyloom_project::Error) -> Self {
        PackError::Export(ExportError::Domain(e))
    }
}

impl From<std::io::Error> for PackError {
    fn from(e: std::io::Error) -> Self {
        PackError::Export(ExportError::Io(e))
    }
}

fn blockers(list: &[Blocker]) -> String {
    list.iter()
        .map(|b| format!("  - {}: {}", b.story, b.reasons.join("; ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn left(list: &[LeftOut]) -> String {
    list.iter()
        .map(|l| format!("\n  - left out {}: {}", l.story, l.reason))
        .collect()
}

/// What was written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PackReport {
    pub docx: PathBuf,
    pub csv: PathBuf,
    /// The large-print copy, when asked for.
    pub large_print: Option<PathBuf>,
    /// The stories in the pack, by title (or pseudonym).
    pub stories: Vec<String>,
    /// Their ids on the recording sheet.
    pub story_ids: Vec<String>,
    pub left_out: Vec<LeftOut>,
    pub themes: usize,
    /// What the gate checked every file against (stakeholder packs).
    pub checked: Option<gate::GateReport>,
    /// What the "How to read" page says about names.
    pub names_statement: String,
}

/// The marking of a research-team copy: on its cover, in its document
/// properties, and (as `research-team-only`) in its file name.
pub const RESEARCH_MARK: &str = "Research team only";

/// The file name a research-team copy is written under: `path` with
/// `-research-team-only` before the extension, unless it says so already.
pub fn research_path(path: &Path) -> PathBuf {
    crate::research_team_path(path)
}

/// The recording sheet template's path beside `docx`: `<name>-recording-sheet.csv`.
pub fn csv_path(docx: &Path) -> PathBuf {
    sibling(docx, "recording-sheet.csv")
}

/// The large-print copy's path beside `docx`: `<name>-large-print.docx`.
pub fn large_print_path(docx: &Path) -> PathBuf {
    sibling(docx, "large-print.docx")
}

fn sibling(docx: &Path, suffix: &str) -> PathBuf {
    let stem = docx
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pack".into());
    docx.with_file_name(format!("{stem}-{suffix}"))
}

/// A story in the pack with what is on record about it.
pub(crate) struct PackStory {
    pub rendered: RenderedStory,
    pub consent: ConsentRecord,
    pub approved_revision: i64,
}

pub(crate) fn story_name(s: &RenderedStory) -> String {
    if s.title.trim().is_empty() {
        s.pseudonym.clone()
    } else {
        s.title.clone()
    }
}

/// The stories the settings choose (every approved one when none is chosen).
fn chosen(project: &Project, settings: &PackSettings) -> Result<Vec<String>, PackError> {
    Ok(if settings.stories.is_empty() {
        project
            .stories()?
            .into_iter()
            .filter(|s| s.status == StoryStatus::Approved)
            .map(|s| s.uuid)
            .collect()
    } else {
        settings.stories.clone()
    })
}

/// The stories that go in: approved and checker-clean (else the pack is
/// refused), withdrawn ones and those outside their storyteller's consent
/// left out with the reason.
fn gather(
    project: &Project,
    settings: &PackSettings,
    key_file: Option<&PseudonymMap>,
) -> Result<(Vec<PackStory>, Vec<LeftOut>), PackError> {
    let mut blocked = Vec::new();
    let mut left_out = Vec::new();
    let mut stories = Vec::new();
    for key in chosen(project, settings)? {
        let story = project.story(&key)?;
        let rendered = project.render_story(&key, key_file)?;
        let name = story_name(&rendered);
        if story.status == StoryStatus::Withdrawn {
            left_out.push(LeftOut {
                story: name,
                reason: "the storyteller withdrew it".into(),
            });
            continue;
        }
        let consent = project.story_consent(&key)?;
        if let Err(reason) = consent.allows(ConsentScope::Workshop) {
            left_out.push(LeftOut {
                story: name,
                reason,
            });
            continue;
        }
        let report = project.check_story_for_export(&key, key_file)?;
        if report.has_errors() {
            blocked.push(Blocker {
                story: name,
                reasons: report.errors().map(|f| f.message.clone()).collect(),
            });
            continue;
        }
        let approved_revision = story
            .approval
            .as_ref()
            .map(|a| a.revision)
            .unwrap_or(story.revision);
        stories.push(PackStory {
            rendered,
            consent,
            approved_revision,
        });
    }
    if !blocked.is_empty() {
        return Err(PackError::Blocked(blocked));
    }
    if stories.is_empty() {
        return Err(PackError::NoStories(left_out));
    }
    Ok((stories, left_out))
}

/// What the "how to read" page may say about approval: made from the
/// sendings and feedback on record, not assumed.
pub(crate) fn approval_statement(stories: &[PackStory]) -> String {
    let mut how: Vec<(&str, usize)> = Vec::new();
    let mut asked = 0;
    for s in stories {
        let sent = s
            .consent
            .sending_of(s.approved_revision)
            .and_then(|x| x.how)
            .map(|h| match h.as_str() {
                "post" => "by post",
                "email" => "by email",
                "in person" => "in person",
                _ => "read aloud to them",
            })
            .unwrap_or("in a way not recorded");
        match how.iter_mut().find(|(k, _)| *k == sent) {
            Some(e) => e.1 += 1,
            None => how.push((sent, 1)),
        }
        if s.consent
            .feedback
            .iter()
            .any(|f| f.kind == FeedbackKind::Change)
        {
            asked += 1;
        }
    }
    let n = stories.len();
    let ways = how
        .iter()
        .map(|(k, c)| format!("{c} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = if n == 1 {
        format!(
            "The storyteller was given their story ({ways}), approved the version printed here, and agreed to its use in workshops."
        )
    } else {
        format!(
            "Each of the {n} storytellers was given their story ({ways}), approved the version printed here, and agreed to its use in workshops."
        )
    };
    if asked > 0 {
        out.push_str(&format!(
            " {asked} of them asked for changes, which were made before they approved."
        ));
    }
    out
}

/// Writes the discussion pack to `path` and the recording sheet template
/// beside it. Refuses, writing nothing, when a chosen story is not approved
/// or not checker-clean. A stakeholder pack that would carry an original
/// name is deleted and the export fails.
pub fn export_pack(
    project: &Project,
    path: &Path,
    variant: PackVariant,
    key_file: Option<&PseudonymMap>,
) -> Result<PackReport, PackError> {
    let settings = project.pack_settings()?;
    export_pack_with(project, &settings, path, variant, key_file)
}

/// [`export_pack`] with the given settings (not necessarily saved).
pub fn export_pack_with(
    project: &Project,
    settings: &PackSettings,
    path: &Path,
    variant: PackVariant,
    key_file: Option<&PseudonymMap>,
) -> Result<PackReport, PackError> {
    export_pack_options(
        project,
        settings,
        path,
        PackOptions {
            variant,
            large_print: false,
        },
        key_file,
    )
}

/// The pack with every option.
pub fn export_pack_options(
    project: &Project,
    settings: &PackSettings,
    path: &Path,
    options: PackOptions,
    key_file: Option<&PseudonymMap>,
) -> Result<PackReport, PackError> {
    if options.variant == PackVariant::Stakeholder {
        crate::stakeholder_target(path, "the discussion pack")?;
    }
    let (stories, left_out) = gather(project, settings, key_file)?;
    let gate = gate::Gate::for_project(project, key_file)?;
    if options.variant == PackVariant::Stakeholder {
        // Story by story first, so the refusal says which story says what;
        // the written files are read back in full after.
        let texts: Vec<(String, String)> = stories
            .iter()
            .map(|s| (story_name(&s.rendered), s.rendered.plain_text()))
            .collect();
        gate.check_stories(&texts)?;
    }
    let research_copy;
    let path = if options.variant == PackVariant::Research {
        research_copy = research_path(path);
        research_copy.as_path()
    } else {
        path
    };
    let names = names_note::NamesNote::of(
        &stories.iter().map(|s| &s.rendered).collect::<Vec<_>>(),
        &project.pseudonym_map(key_file)?,
        &gate,
    );
    let themes: Vec<_> = if settings.include_themes {
        project
            .themes()?
            .into_iter()
            .filter(|t| matches!(t.status, ThemeStatus::Defined | ThemeStatus::Reviewed))
            .collect()
    } else {
        Vec::new()
    };
    let rows = sheet::rows(&stories, &themes);
    // Every file goes to a temporary file first; the gate reads them there and
    // only when all are whole and clean do they replace the previous pack.
    // A refusal or a kill leaves the previous files as they were.
    let mut written: Vec<storyloom_atomic::AtomicFile> = Vec::new();
    let mut looks = vec![(path.to_owned(), layout::STANDARD)];
    if options.large_print {
        looks.push((large_print_path(path), layout::LARGE_PRINT));
    }
    for (out, look) in &looks {
        let mut doc = pages::build(
            project,
            settings,
            &stories,
            &themes,
            &rows,
            options.variant,
            look,
            &names,
        );
        if options.variant == PackVariant::Research {
            doc.marking = Some(RESEARCH_MARK.to_owned());
        }
        written.push(docx::package::write_temp(&doc, out)?);
    }
    let csv = csv_path(path);
    written.push(sheet::write_csv(&csv, &rows)?);
    let mut checked = None;
    if options.variant == PackVariant::Stakeholder {
        for w in &written {
            checked = Some(gate.check(w.path())?);
        }
    }
    for w in written {
        w.commit().map_err(ExportError::Io)?;
    }
    Ok(PackReport {
        docx: path.to_owned(),
        csv,
        large_print: options.large_print.then(|| large_print_path(path)),
        stories: stories.iter().map(|s| story_name(&s.rendered)).collect(),
        story_ids: stories
            .iter()
            .map(|s| story_ref(&s.rendered.uuid))
            .collect(),
        left_out,
        themes: themes.len(),
        checked,
        names_statement: names.statement(),
    })
}
