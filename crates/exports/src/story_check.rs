//! One story for its storyteller to check: a covering note addressed to
//! them by the name they go by, with the researcher's contact and the date
//! to reply by (from the story-check settings), a box for their comments,
//! then the story as it will be shared (pseudonymised), in standard or large
//! print. Refused for a withdrawn story and for one the checker finds errors
//! in. Like every stakeholder export it passes the gate ([`crate::gate`]);
//! the storyteller's and the researcher's names may appear in the note only.

use crate::docx::{self, Cell, FooterPiece, Page, Para, Row, Section, Start, StyleId, Table};
use crate::gate;
use crate::pack::names_note::NamesNote;
use crate::pack::{PackError, story_ref};
use crate::story_docx::layout::{self, Look};
use crate::story_docx::{docx_paragraph, set_paragraphs_with};
use std::path::Path;
use storyloom_project::Project;
use storyloom_project::stories::{PseudonymMap, StoryStatus};

/// The covering note, paragraph by paragraph (after the greeting); the
/// second ends with what was done to the names ([`note`]).
pub const NOTE: [&str; 3] = [
    "Thank you for talking with us. This is your story, made from the words you used in your interview.",
    "We chose parts of what you said and put them in an order so that they read as a story. The words are your own. Where we cut words you will see …, and words in [square brackets] were added by us to make the meaning clear, or changed so that no one can tell who you are or who you talk about.",
    "Please read it and tell us whether it is right. You can change anything, ask us to take anything out, or withdraw the whole story: it will only be shared with your agreement.",
];

/// The covering note for a story whose names were treated as `names` says.
pub fn note(names: &NamesNote) -> [String; 3] {
    let said = names.statement().replace("these stories", "your story");
    [
        NOTE[0].to_owned(),
        format!("{} {said}", NOTE[1]),
        NOTE[2].to_owned(),
    ]
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDocument {
    /// The name the note greets the storyteller by.
    pub addressed_to: String,
    /// The date the storyteller is asked to reply by (`YYYY-MM-DD`).
    pub reply_by: String,
    /// The revision the document shows.
    pub revision: i64,
    /// What the gate checked the file against.
    pub checked: gate::GateReport,
    /// What the note says about names.
    pub names_statement: String,
}

/// Writes the story for checking to `path` in standard print.
pub fn export_story_check(
    project: &Project,
    key: &str,
    path: &Path,
    key_file: Option<&PseudonymMap>,
) -> Result<CheckDocument, PackError> {
    export_story_check_with(project, key, path, key_file, &layout::STANDARD)
}

/// Writes the story for checking to `path` in a look (standard or large print).
pub fn export_story_check_with(
    project: &Project,
    key: &str,
    path: &Path,
    key_file: Option<&PseudonymMap>,
    look: &Look,
) -> Result<CheckDocument, PackError> {
    crate::stakeholder_target(path, "the story for checking")?;
    let story = project.story(key)?;
    if story.status == StoryStatus::Withdrawn {
        return Err(PackError::Refused(format!(
            "the story '{}' was withdrawn by its storyteller: it is not sent to them again",
            story.title
        )));
    }
    let report = project.check_story(key, key_file)?;
    if report.has_errors() {
        let list: Vec<String> = report
            .errors()
            .map(|f| format!("  - rule {}: {}", f.rule, f.message))
            .collect();
        return Err(PackError::Refused(format!(
            "the checker finds {} error(s) in '{}'; fix them before the storyteller sees it:\n{}",
            list.len(),
            story.title,
            list.join("\n")
        )));
    }
    let settings = project.story_check_settings()?;
    if settings.researcher.trim().is_empty() || settings.contact.trim().is_empty() {
        return Err(PackError::Refused(
            "the covering note needs the researcher's name and contact: set them in the story-check settings".into(),
        ));
    }
    let Some(addressed_to) = project.storyteller_address(key)? else {
        return Err(PackError::Refused(format!(
            "the covering note greets the storyteller by the name they go by, and none is recorded for {}: record it first",
            story
                .participant
                .as_deref()
                .unwrap_or("this story's participant")
        )));
    };
    let reply =
        chrono::Local::now().date_naive() + chrono::Days::new(u64::from(settings.return_days));
    let rendered = project.render_story(key, key_file)?;

    // The names the note may carry are checked in the story itself; the
    // whole file is checked for everything else (originals of the map and
    // unreviewed names found in the transcripts).
    let note_names = [addressed_to.as_str(), settings.researcher.as_str()];
    let gate = gate::Gate::for_project(project, key_file)?;
    let story_paras = set_paragraphs_with(&rendered, look);
    let story_text: String = story_paras
        .iter()
        .map(|p| p.text())
        .collect::<Vec<_>>()
        .join("\n");
    gate.check_text(
        &format!("the story '{}'", crate::pack::story_name(&rendered)),
        &story_text,
    )?;
    let names = NamesNote::of(&[&rendered], &project.pseudonym_map(key_file)?, &gate);
    let file_gate = gate.without(&note_names);

    let mut doc = docx::Document::new("en-GB", *look);
    let mut sec = Section::new(Page::A4, Start::NextPage);
    sec.footer = Some(vec![
        FooterPiece::Text(format!(
            "Story {} · revision {} · Page ",
            story_ref(&story.uuid),
            story.revision
        )),
        FooterPiece::Page,
    ]);
    let clean = docx::clean;
    sec.push(Para::styled(StyleId::Title, "Your story, for you to check"));
    sec.push(Para::styled(
        StyleId::Normal,
        &clean(&format!("Dear {},", addressed_to.trim())),
    ));
    for line in note(&names) {
        sec.push(Para::styled(StyleId::Normal, &line));
    }
    let mut by = Para::styled(
        StyleId::Normal,
        &format!("Please reply by {}.", reply.format("%-d %B %Y")),
    );
    by.runs[0].props.bold = true;
    sec.push(by);
    sec.push(Para::styled(
        StyleId::Normal,
        &clean(&format!(
            "To reply, write in the box below or mark the story, and send it back to {}, or tell them by phone or in person: {}.",
            settings.researcher.trim(),
            settings.contact.trim().trim_end_matches('.')
        )),
    ));
    sec.push(Para::styled(StyleId::Heading2, "Your comments"));
    let width = Page::A4.text_width();
    sec.push(Table {
        widths: vec![width],
        rows: vec![Row {
            header: false,
            cant_split: false,
            min_height: Some(if look.large_print { 6000 } else { 4800 }),
            cells: vec![Cell::new(vec![Para::empty(StyleId::Normal)])],
        }],
        caption: "Your comments".into(),
        description: "Room for your comments on your story.".into(),
    });
    for (i, p) in story_paras.iter().enumerate() {
        let mut para = docx_paragraph(look, p);
        if i == 0 {
            para.page_break_before = true;
        }
        sec.push(para);
    }
    doc.sections.push(sec);
    // The gate reads the whole temporary file; only a clean one replaces the target.
    let file = docx::package::write_temp(&doc, path)?;
    let checked = file_gate.check(file.path())?;
    file.commit()?;
    Ok(CheckDocument {
        addressed_to,
        reply_by: reply.format("%Y-%m-%d").to_string(),
        revision: story.revision,
        checked,
        names_statement: names.statement(),
    })
}
