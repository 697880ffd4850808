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
use crate::docx::{self, Document, Para, Run, Section, StyleId};
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
        /// Line height: exact, or at least this (which lays out the same
        /// while the font's own height is smaller, and grows when a reader
        /// enlarges the text instead of clipping it).
        pub line: u32,
        pub exact: bool,
        /// Space after the paragraph (none before).
        pub after: u32,
        /// Left indent, twips.
        pub indent: u32,
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
        exact: true,
        after: 240,
        indent: 0,
    };
    /// The title when a role line follows it: closer to it.
    pub const TITLE_ABOVE_ROLE: Style = Style { after: 60, ..TITLE };
    /// The role line under the title: 11 pt italic, 14 pt before the body.
    pub const ROLE: Style = Style {
        half_points: 22,
        bold: false,
        italic: true,
        line: 300,
        exact: true,
        after: 280,
        indent: 0,
    };
    /// The storyteller's words: 11 pt on 15 pt, 8 pt after. About 1,000
    /// words fill two pages.
    pub const BODY: Style = Style {
        half_points: 22,
        bold: false,
        italic: false,
        line: 300,
        exact: true,
        after: 160,
        indent: 0,
    };
    /// Researcher framing: like the body, in italics.
    pub const FRAMING: Style = Style {
        italic: true,
        ..BODY
    };
    /// A heading inside a page (pack sections): 12 pt bold.
    pub const HEADING: Style = Style {
        half_points: 24,
        bold: true,
        line: 320,
        after: 80,
        ..BODY
    };
    /// Small print: labels, sources.
    pub const SMALL: Style = Style {
        half_points: 18,
        line: 240,
        after: 120,
        italic: true,
        ..BODY
    };
    /// A document's title (the pack's cover, the story for checking).
    pub const DOC_TITLE: Style = Style {
        half_points: 44,
        line: 560,
        after: 360,
        ..TITLE
    };

    /// Large print (RNIB and UKAAF practice): at least 16 pt, line height
    /// 1.5 times the size, no italics (framing is set apart by an indent),
    /// every line "at least" so that a reader may enlarge it further.
    pub const LARGE_BODY: Style = Style {
        half_points: 32,
        bold: false,
        italic: false,
        line: 480,
        exact: false,
        after: 240,
        indent: 0,
    };
    pub const LARGE_TITLE: Style = Style {
        half_points: 44,
        bold: true,
        line: 660,
        after: 360,
        ..LARGE_BODY
    };
    pub const LARGE_ROLE: Style = Style {
        after: 360,
        ..LARGE_BODY
    };
    pub const LARGE_FRAMING: Style = Style {
        indent: 720,
        ..LARGE_BODY
    };
    pub const LARGE_HEADING: Style = Style {
        half_points: 36,
        bold: true,
        line: 540,
        after: 160,
        ..LARGE_BODY
    };
    pub const LARGE_SMALL: Style = Style {
        after: 160,
        ..LARGE_BODY
    };
    pub const LARGE_DOC_TITLE: Style = Style {
        half_points: 56,
        line: 840,
        ..LARGE_TITLE
    };

    /// How a whole document is set: standard or large print.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Look {
        pub large_print: bool,
        pub doc_title: Style,
        /// A story's title (Heading 1) and page headings.
        pub title: Style,
        /// The title when the pseudonym and role line follow it.
        pub title_above_role: Style,
        pub role: Style,
        pub body: Style,
        pub framing: Style,
        /// Heading 2.
        pub heading: Style,
        pub small: Style,
    }

    pub const STANDARD: Look = Look {
        large_print: false,
        doc_title: DOC_TITLE,
        title: TITLE,
        title_above_role: TITLE_ABOVE_ROLE,
        role: ROLE,
        body: BODY,
        framing: FRAMING,
        heading: HEADING,
        small: SMALL,
    };

    pub const LARGE_PRINT: Look = Look {
        large_print: true,
        doc_title: LARGE_DOC_TITLE,
        title: LARGE_TITLE,
        title_above_role: Style {
            after: 120,
            ..LARGE_TITLE
        },
        role: LARGE_ROLE,
        body: LARGE_BODY,
        framing: LARGE_FRAMING,
        heading: LARGE_HEADING,
        small: LARGE_SMALL,
    };
}

use layout::{Look, Style};

/// One paragraph as it is set: its style and its runs (text, italic).
/// The docx writer and the page gauge both read this, so they cannot
/// disagree about what is on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct SetParagraph {
    /// The named style the paragraph is written with.
    pub id: StyleId,
    /// Its geometry (the named style's, or an override).
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

/// The line under a story's title: the pseudonym and the role line
/// ("Doreen – a woman in her seventies who joined a choir"), either alone
/// when the other is empty.
pub fn byline(story: &RenderedStory) -> String {
    let p = clean(story.pseudonym.trim());
    let r = clean(story.role_line.trim());
    match (p.trim().is_empty(), r.trim().is_empty()) {
        (false, false) => format!("{} – {}", p.trim(), r.trim()),
        (false, true) => p.trim().to_owned(),
        (true, false) => r.trim().to_owned(),
        (true, true) => String::new(),
    }
}

/// The paragraphs of a story in page order, standard print.
pub fn set_paragraphs(story: &RenderedStory) -> Vec<SetParagraph> {
    set_paragraphs_with(story, &layout::STANDARD)
}

/// The paragraphs of a story in page order: title, the pseudonym and role
/// line (if any), then one paragraph per block. Empty paragraphs are left out.
pub fn set_paragraphs_with(story: &RenderedStory, look: &Look) -> Vec<SetParagraph> {
    let mut out = Vec::with_capacity(story.paragraphs.len() + 2);
    let mut push = |id: StyleId, style: Style, runs: Vec<(String, bool)>, block: Option<usize>| {
        let runs: Vec<(String, bool)> = runs
            .into_iter()
            .map(|(t, i)| (clean(&t), i && !look.large_print))
            .filter(|(t, _)| !t.is_empty())
            .collect();
        if runs.iter().any(|(t, _)| !t.trim().is_empty()) {
            out.push(SetParagraph {
                id,
                style,
                runs,
                block,
            });
        }
    };
    let title = story.title.trim();
    let by = byline(story);
    push(
        StyleId::Heading1,
        if by.is_empty() {
            look.title
        } else {
            look.title_above_role
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
    push(
        StyleId::RoleLine,
        look.role,
        vec![(by, look.role.italic)],
        None,
    );
    for p in &story.paragraphs {
        let (id, style, runs) = match p.kind {
            ParagraphKind::Framing => (
                StyleId::Framing,
                look.framing,
                p.runs.iter().map(|r| (r.text.clone(), true)).collect(),
            ),
            ParagraphKind::Excerpt => (
                StyleId::Normal,
                look.body,
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
        push(id, style, runs, Some(p.block));
    }
    out
}

/// Line breaks and tabs become spaces, control characters go: a story
/// paragraph is one flowing paragraph.
pub(crate) fn clean(s: &str) -> String {
    docx::clean(s)
}

/// The style a named paragraph style has in a look.
pub fn named(look: &Look, id: StyleId) -> Style {
    match id {
        StyleId::Normal => look.body,
        StyleId::Title => look.doc_title,
        StyleId::Heading1 => look.title,
        StyleId::Heading2 => look.heading,
        StyleId::RoleLine => look.role,
        StyleId::Framing => look.framing,
        StyleId::Small | StyleId::Footer => look.small,
    }
}

/// A set paragraph as a docx paragraph: its named style, with the spacing
/// written out where it differs from the style's, and runs marked where
/// they differ from it.
pub fn docx_paragraph(look: &Look, p: &SetParagraph) -> Para {
    let base = named(look, p.id);
    let mut para = Para::empty(p.id);
    if (p.style.line, p.style.exact, p.style.after, p.style.indent)
        != (base.line, base.exact, base.after, base.indent)
    {
        para.spacing = Some(docx::Spacing {
            before: 0,
            after: p.style.after,
            line: p.style.line,
            exact: p.style.exact,
        });
        if p.style.indent != base.indent {
            para.indent = Some((p.style.indent, 0));
        }
    }
    for (text, italic) in &p.runs {
        let mut run = Run::text(text);
        run.props.bold = p.style.bold && !base.bold;
        run.props.italic = (*italic || p.style.italic) && !base.italic;
        if p.style.half_points != base.half_points {
            run.props.size = Some(p.style.half_points);
        }
        para.runs.push(run);
    }
    para
}

/// The story as a Word document, in a look: one A4 section.
pub fn story_document_with(story: &RenderedStory, look: &Look, lang: &str) -> Document {
    let mut doc = Document::new(lang, *look);
    let mut section = Section::new(docx::Page::A4, docx::Start::NextPage);
    for p in set_paragraphs_with(story, look) {
        section.push(docx_paragraph(look, &p));
    }
    doc.sections.push(section);
    doc
}

/// The story as a Word document, standard print.
pub fn story_document(story: &RenderedStory) -> Document {
    story_document_with(story, &layout::STANDARD, "en-GB")
}

/// Writes one story as a Word file.
pub fn write_story_docx(
    story: &RenderedStory,
    out: &mut (impl Write + Seek),
) -> Result<(), ExportError> {
    docx::package::write(&story_document(story), out)
}

/// Writes one story as a Word file in a look (standard or large print).
pub fn write_story_docx_with(
    story: &RenderedStory,
    look: &Look,
    out: &mut (impl Write + Seek),
) -> Result<(), ExportError> {
    docx::package::write(&story_document_with(story, look, "en-GB"), out)
}

/// Saves one story as a Word file at `path`.
pub fn save_story_docx(story: &RenderedStory, path: &Path) -> Result<(), ExportError> {
    docx::package::save(&story_document(story), path)
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

    fn part(story: &RenderedStory, name: &str) -> String {
        let mut buf = std::io::Cursor::new(Vec::new());
        write_story_docx(story, &mut buf).expect("docx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(buf.into_inner())).expect("zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut xml).expect("read");
        xml
    }

    fn document_xml(story: &RenderedStory) -> String {
        part(story, "word/document.xml")
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
        let styles = part(&sample_story(), "word/styles.xml");
        assert!(styles.contains(r#"w:lineRule="exact""#));
        assert!(styles.contains(r#"w:line="300""#));
        assert!(styles.contains("<w:widowControl/>"), "{styles}");
        assert!(!xml.contains(r#"w:widowControl w:val="0""#));
    }

    #[test]
    fn runs_keep_their_text_and_framing_is_italic() {
        let story = sample_story();
        let ps = set_paragraphs(&story);
        assert_eq!(ps.len(), 4);
        assert_eq!(ps[0].style, layout::TITLE_ABOVE_ROLE);
        assert_eq!(ps[1].style, layout::ROLE);
        assert_eq!(
            ps[1].text(),
            "Doreen – a woman in her seventies who joined a community choir"
        );
        assert_eq!(ps[2].text(), "I went along because … [Sita] said I should.");
        assert!(ps[2].runs.iter().all(|(_, i)| !i));
        assert_eq!(ps[3].style, layout::FRAMING);
        let xml = document_xml(&story);
        assert!(xml.contains("[Sita]"));
        assert!(xml.contains(" … "));
        // Framing is italic through its style; the story's title is Heading 1.
        assert!(xml.contains(r#"<w:pStyle w:val="Framing"/>"#), "{xml}");
        assert!(xml.contains(r#"<w:pStyle w:val="Heading1"/>"#));
        let styles = part(&story, "word/styles.xml");
        assert!(styles.contains("<w:i/>"));
    }

    #[test]
    fn empty_role_line_and_blocks_are_left_out_but_the_pseudonym_stays() {
        let mut story = sample_story();
        story.role_line = "  ".into();
        story.paragraphs[1].runs[0].text = String::new();
        let ps = set_paragraphs(&story);
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[1].text(), "Doreen");
        story.pseudonym = String::new();
        let ps = set_paragraphs(&story);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].style, layout::TITLE);
    }

    #[test]
    fn large_print_is_16_pt_on_one_and_a_half_lines_without_italics() {
        let ps = set_paragraphs_with(&sample_story(), &layout::LARGE_PRINT);
        for p in &ps {
            assert!(p.style.half_points >= 32, "{p:?}");
            assert!(p.style.line * 2 >= p.style.half_points * 10 * 3, "{p:?}");
            assert!(!p.style.exact && !p.style.italic);
            assert!(p.runs.iter().all(|(_, i)| !i));
        }
        assert!(ps[3].style.indent > 0, "framing is indented");
    }
}
