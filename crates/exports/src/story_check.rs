//! One story for its storyteller to check: a short covering note, a box
//! for their comments, then the story as it will be shared (pseudonymised).
//! Like every stakeholder export it passes the gate ([`crate::gate`]).

use crate::ExportError;
use crate::gate;
use crate::pack::PackError;
use crate::story_docx::story_document;
use docx_rs::{
    BreakType, HeightRule, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts, Table,
    TableCell, TableRow, WidthType,
};
use std::io::Write;
use std::path::Path;
use storyloom_project::Project;
use storyloom_project::stories::PseudonymMap;

fn run(s: &str, bold: bool, italic: bool) -> Run {
    let f = crate::story_docx::layout::FONT;
    let mut r = Run::new()
        .add_text(s)
        .fonts(RunFonts::new().ascii(f).hi_ansi(f).cs(f).east_asia(f))
        .size(22);
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    r
}

fn para(s: &str, bold: bool) -> Paragraph {
    Paragraph::new()
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(300)
                .before(0)
                .after(160),
        )
        .add_run(run(s, bold, false))
}

/// The covering note, paragraph by paragraph.
pub const NOTE: [&str; 6] = [
    "Thank you for talking with us. This is your story, made from the words you used in your interview.",
    "We chose parts of what you said and put them in an order so that they read as a story. The words are your own. Where we cut words you will see …, and words in [square brackets] were added by us to make the meaning clear, or changed so that no one can tell who you are or who you talk about. Names and places have been changed.",
    "Please read it and tell us whether it is right. You can change anything, ask us to take anything out, or withdraw the whole story: it will only be shared with your agreement.",
    "To reply, write in the box below or mark the story, and send it back to the researcher who interviewed you, by post or email, or tell them by phone.",
    "Your comments:",
    "",
];

/// Writes the story for checking to `path` (the gate runs on it).
pub fn export_story_check(
    project: &Project,
    key: &str,
    path: &Path,
    key_file: Option<&PseudonymMap>,
) -> Result<(), PackError> {
    let story = project.render_story(key, key_file)?;
    let map = project.pseudonym_map(key_file)?;
    let story_doc = story_document(&story);
    let mut docx = crate::story_docx::story_document(&storyloom_project::stories::RenderedStory {
        paragraphs: Vec::new(),
        title: "Your story, for you to check".into(),
        role_line: String::new(),
        ..story.clone()
    });
    for (i, line) in NOTE.iter().enumerate().take(4) {
        docx = docx.add_paragraph(para(line, i == 0));
    }
    docx = docx.add_paragraph(para(NOTE[4], true));
    let width = crate::story_docx::layout::TEXT_WIDTH as usize;
    docx = docx.add_table(
        Table::new(vec![
            TableRow::new(vec![
                TableCell::new()
                    .add_paragraph(Paragraph::new())
                    .width(width, WidthType::Dxa),
            ])
            .row_height(4800.0)
            .height_rule(HeightRule::AtLeast),
        ])
        .set_grid(vec![width])
        .width(width, WidthType::Dxa),
    );
    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    for child in story_doc.document.children {
        if let docx_rs::DocumentChild::Paragraph(p) = child {
            docx = docx.add_paragraph(*p);
        }
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    docx.build()
        .pack(&mut file)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    file.flush()?;
    drop(file);
    gate::check_file(path, &map)?;
    Ok(())
}
