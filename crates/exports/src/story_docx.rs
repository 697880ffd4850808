//! One story as a Word file: the minimal story docx the page gauge is
//! checked against, and the page the discussion pack builds on.
//!
//! The layout is fixed so that it is deterministic and can be predicted
//! by [`crate::page_gauge`]: A4, 2.54 cm margins, Arial 11 pt (LibreOffice
//! uses the metric-compatible Liberation Sans) on 15 pt *exact* line
//! heights, a fixed space after each paragraph and none before, widow and
//! orphan control of two lines, no hyphenation, no document grid. Every
//! number lives in [`layout`], which the gauge reads too.

use crate::ExportError;
use docx_rs::{
    AlignmentType, DocGrid, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts,
};
use std::io::{Seek, Write};
use std::path::Path;
use storyloom_project::stories::{ParagraphKind, RenderedStory, RunKind};

/// The page and paragraph geometry of a story docx, in twips (1/20 pt),
/// the unit Word and LibreOffice lay text out in.
pub mod layout {
    /// A4 width, 210 mm.
    pub const PAGE_WIDTH: u32 = 11906;
    /// A4 height, 297 mm.
    pub const PAGE_HEIGHT: u32 = 16838;
    /// 2.54 cm = 1 inch, on all four sides.
    pub const MARGIN: u32 = 1440;
    /// 15.92 cm.
    pub const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
    /// 24.62 cm.
    pub const TEXT_HEIGHT: u32 = PAGE_HEIGHT - 2 * MARGIN;
    /// The font every paragraph is set in.
    pub const FONT: &str = "Arial";
    /// Widow and orphan control: a paragraph split across pages keeps at
    /// least this many lines on each (Word's and LibreOffice's 2); 0 = off.
    pub const WIDOW_ORPHAN_LINES: usize = 2;

    /// How one kind of paragraph is set.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Style {
        /// Font size in half-points (Word's `w:sz`).
        pub half_points: u32,
        pub bold: bool,
        pub italic: bool,
        /// Exact line height.
        pub line: u32,
        /// Space after the paragraph (none before).
        pub after: u32,
    }

    impl Style {
        /// Font size in twips.
        pub fn size_twips(&self) -> u32 {
            self.half_points * 10
        }
    }

    /// The title: 16 pt bold on 20 pt, 12 pt before the body.
    pub const TITLE: Style = Style {
        half_points: 32,
        bold: true,
        italic: false,
        line: 400,
        after: 240,
    };
    /// The title when a role line follows it: closer to it.
    pub const TITLE_ABOVE_ROLE: Style = Style { after: 60, ..TITLE };
    /// The role line under the title: 11 pt italic, 14 pt before the body.
    pub const ROLE: Style = Style {
        half_points: 22,
        bold: false,
        italic: true,
        line: 300,
        after: 280,
    };
    /// The storyteller's words: 11 pt on 15 pt, 8 pt after. About 1,000
    /// words fill two pages.
    pub const BODY: Style = Style {
        half_points: 22,
        bold: false,
        italic: false,
        line: 300,
        after: 160,
    };
    /// Researcher framing: like the body, in italics.
    pub const FRAMING: Style = Style {
        italic: true,
        ..BODY
    };
}

use layout::Style;

/// One paragraph as it is set: its style and its runs (text, italic).
/// The docx writer and the page gauge both read this, so they cannot
/// disagree about what is on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct SetParagraph {
    pub style: Style,
    pub runs: Vec<(String, bool)>,
    /// The story block it shows (`Paragraph::block`); `None` for the
    /// title and the role line.
    pub block: Option<usize>,
}

impl SetParagraph {
    pub fn text(&self) -> String {
        self.runs.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// The paragraphs of a story in page order: title, role line (if any),
/// then one paragraph per block. Empty paragraphs are left out.
pub fn set_paragraphs(story: &RenderedStory) -> Vec<SetParagraph> {
    let mut out = Vec::with_capacity(story.paragraphs.len() + 2);
    let mut push = |style: Style, runs: Vec<(String, bool)>, block: Option<usize>| {
        let runs: Vec<(String, bool)> = runs
            .into_iter()
            .map(|(t, i)| (clean(&t), i))
            .filter(|(t, _)| !t.is_empty())
            .collect();
        if runs.iter().any(|(t, _)| !t.trim().is_empty()) {
            out.push(SetParagraph { style, runs, block });
        }
    };
    let title = story.title.trim();
    let role = story.role_line.trim();
    push(
        if clean(role).trim().is_empty() {
            layout::TITLE
        } else {
            layout::TITLE_ABOVE_ROLE
        },
        vec![(
            if title.is_empty() {
                story.pseudonym.trim().to_owned()
            } else {
                title.to_owned()
            },
            false,
        )],
        None,
    );
    push(layout::ROLE, vec![(role.to_owned(), true)], None);
    for p in &story.paragraphs {
        let (style, runs) = match p.kind {
            ParagraphKind::Framing => (
                layout::FRAMING,
                p.runs.iter().map(|r| (r.text.clone(), true)).collect(),
            ),
            ParagraphKind::Excerpt => (
                layout::BODY,
                p.runs
                    .iter()
                    .map(|r| {
                        // Elisions and bracketed edits are the researcher's marks:
                        // upright, as rendered. Only framing is italic.
                        let italic = r.italic && r.kind == RunKind::Source;
                        (r.text.clone(), italic)
                    })
                    .collect(),
            ),
        };
        push(style, runs, Some(p.block));
    }
    out
}

/// Line breaks and tabs become spaces, control characters go: a story
/// paragraph is one flowing paragraph.
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The story font on every script slot.
pub(crate) fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(layout::FONT)
        .hi_ansi(layout::FONT)
        .cs(layout::FONT)
        .east_asia(layout::FONT)
}

/// Exact line spacing: the layout the page gauge measures.
pub(crate) fn spacing(style: &Style) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(style.line as i32)
        .before(0)
        .after(style.after)
}

/// A story paragraph, set exactly as the page gauge lays it out.
pub(crate) fn docx_paragraph(p: &SetParagraph) -> Paragraph {
    let mut para = Paragraph::new()
        .align(AlignmentType::Left)
        .line_spacing(spacing(&p.style))
        .widow_control(layout::WIDOW_ORPHAN_LINES > 0)
        .snap_to_grid(false);
    for (text, italic) in &p.runs {
        let mut run = Run::new()
            .add_text(text.as_str())
            .fonts(fonts())
            .size(p.style.half_points as usize);
        if p.style.bold {
            run = run.bold();
        }
        if *italic || p.style.italic {
            run = run.italic();
        }
        para = para.add_run(run);
    }
    para
}

/// The story as a docx document (not yet packed).
pub fn story_document(story: &RenderedStory) -> Docx {
    let mut docx = Docx::new()
        .page_size(layout::PAGE_WIDTH, layout::PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(layout::MARGIN as i32)
                .bottom(layout::MARGIN as i32)
                .left(layout::MARGIN as i32)
                .right(layout::MARGIN as i32)
                .header(708)
                .footer(708)
                .gutter(0),
        )
        .default_fonts(fonts())
        .default_size(layout::BODY.half_points as usize)
        .default_line_spacing(spacing(&layout::BODY));
    // No line grid: docx-rs defaults to one (`w:type="lines"`), which
    // LibreOffice would snap lines to.
    docx.document = docx.document.doc_grid(DocGrid::with_empty());
    for p in set_paragraphs(story) {
        docx = docx.add_paragraph(docx_paragraph(&p));
    }
    docx
}

/// Writes one story as a Word file.
pub fn write_story_docx(
    story: &RenderedStory,
    out: &mut (impl Write + Seek),
) -> Result<(), ExportError> {
    story_document(story)
        .build()
        .pack(out)
        .map_err(|e| ExportError::Docx(e.to_string()))
}

/// Saves one story as a Word file at `path`.
pub fn save_story_docx(story: &RenderedStory, path: &Path) -> Result<(), ExportError> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    write_story_docx(story, &mut file)?;
    file.flush()?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use storyloom_project::stories::{Paragraph as StoryParagraph, Run as StoryRun, StoryStatus};

    pub(crate) fn sample_story() -> RenderedStory {
        let run = |text: &str, kind: RunKind, italic: bool| StoryRun {
            text: text.to_owned(),
            italic,
            kind,
            source: None,
        };
        RenderedStory {
            uuid: "u".into(),
            title: "It was the choir that saved me".into(),
            role_line: "a woman in her seventies who joined a community choir".into(),
            pseudonym: "Doreen".into(),
            status: StoryStatus::Draft,
            revision: 1,
            paragraphs: vec![
                StoryParagraph {
                    block: 0,
                    block_uuid: "b0".into(),
                    kind: ParagraphKind::Excerpt,
                    runs: vec![
                        run("I went along because", RunKind::Source, false),
                        run(" … ", RunKind::Elision, false),
                        run("[Sita]", RunKind::Replacement, false),
                        run(" said I should.", RunKind::Source, false),
                    ],
                },
                StoryParagraph {
                    block: 1,
                    block_uuid: "b1".into(),
                    kind: ParagraphKind::Framing,
                    runs: vec![run(
                        "Two years later she leads it.",
                        RunKind::Insertion,
                        true,
                    )],
                },
            ],
            words: 12,
            pseudonymised: true,
        }
    }

    fn document_xml(story: &RenderedStory) -> String {
        let mut buf = std::io::Cursor::new(Vec::new());
        write_story_docx(story, &mut buf).expect("docx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(buf.into_inner())).expect("zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("word/document.xml").expect("document.xml"),
            &mut xml,
        )
        .expect("read");
        xml
    }

    #[test]
    fn the_page_is_a4_with_inch_margins_and_no_grid() {
        let xml = document_xml(&sample_story());
        assert!(xml.contains(r#"w:w="11906""#) && xml.contains(r#"w:h="16838""#));
        assert!(xml.contains(r#"w:top="1440""#) && xml.contains(r#"w:left="1440""#));
        assert!(xml.contains(r#"w:right="1440""#) && xml.contains(r#"w:bottom="1440""#));
        assert!(!xml.contains(r#"w:type="lines""#), "{xml}");
    }

    #[test]
    fn spacing_is_exact_and_widow_control_is_on() {
        let xml = document_xml(&sample_story());
        assert!(xml.contains(r#"w:lineRule="exact""#));
        assert!(xml.contains(r#"w:line="300""#));
        assert!(xml.contains(r#"w:widowControl w:val="1""#), "{xml}");
        assert!(!xml.contains(r#"w:widowControl w:val="0""#));
    }

    #[test]
    fn runs_keep_their_text_and_framing_is_italic() {
        let story = sample_story();
        let ps = set_paragraphs(&story);
        assert_eq!(ps.len(), 4);
        assert_eq!(ps[0].style, layout::TITLE_ABOVE_ROLE);
        assert_eq!(ps[1].style, layout::ROLE);
        assert_eq!(ps[2].text(), "I went along because … [Sita] said I should.");
        assert!(ps[2].runs.iter().all(|(_, i)| !i));
        assert_eq!(ps[3].style, layout::FRAMING);
        let xml = document_xml(&story);
        assert!(xml.contains("[Sita]"));
        assert!(xml.contains(" … "));
        assert!(xml.contains("<w:i />") || xml.contains("<w:i/>"));
    }

    #[test]
    fn empty_role_line_and_blocks_are_left_out() {
        let mut story = sample_story();
        story.role_line = "  ".into();
        story.paragraphs[1].runs[0].text = String::new();
        let ps = set_paragraphs(&story);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].style, layout::TITLE);
    }
}
