//! A small WordprocessingML writer for Storyloom's Word files.
//!
//! Why not docx-rs (which the exports used before): docx-rs 0.4 writes the
//! children of `w:rPr` out of the order ECMA-376 requires (`w:sz` before
//! `w:rFonts`, `w:color` before `w:b`), which Word may drop silently; it
//! writes no `Normal` default style, no document language, cannot mark a
//! table row as a repeated header, and cannot give each section its own
//! footer with fields. The model here is only what the exports need, and
//! every element is written in its schema sequence by construction
//! ([`xml`], checked in tests by [`order`] against the sequences of the
//! ECMA-376 transitional schema).
//!
//! The parts: [`Document`] holds sections of [`Block`]s; [`styles`] writes
//! the named styles from a [`Look`](crate::story_docx::layout::Look) (Normal
//! as default, Title, Heading 1–2 with outline levels, so the navigation
//! pane and screen readers see the structure); [`package`] zips the parts.

pub mod order;
pub mod package;
pub mod styles;
pub mod xml;

use crate::story_docx::layout::{self, Look};

/// Page setup of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub landscape: bool,
    pub margin: u32,
}

impl Page {
    pub const A4: Page = Page {
        width: layout::PAGE_WIDTH,
        height: layout::PAGE_HEIGHT,
        landscape: false,
        margin: layout::MARGIN,
    };
    pub const A4_LANDSCAPE: Page = Page {
        width: layout::PAGE_HEIGHT,
        height: layout::PAGE_WIDTH,
        landscape: true,
        margin: layout::MARGIN,
    };

    /// The width between the margins.
    pub fn text_width(&self) -> u32 {
        self.width - 2 * self.margin
    }
}

/// Where a section begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    NextPage,
    /// On the next odd (right-hand) page: a blank page is left when needed.
    OddPage,
}

/// The text of a footer line; fields are filled in by Word and LibreOffice.
#[derive(Debug, Clone, PartialEq)]
pub enum FooterPiece {
    Text(String),
    /// The page number.
    Page,
    /// The number of pages.
    Pages,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub page: Page,
    pub start: Start,
    /// The footer of every page of the section (`None`: no footer).
    pub footer: Option<Vec<FooterPiece>>,
    /// No footer on the section's first page (a cover).
    pub plain_first_page: bool,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(page: Page, start: Start) -> Section {
        Section {
            page,
            start,
            footer: None,
            plain_first_page: false,
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, b: impl Into<Block>) -> &mut Self {
        self.blocks.push(b.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    P(Para),
    Table(Table),
}

impl From<Para> for Block {
    fn from(p: Para) -> Block {
        Block::P(p)
    }
}

impl From<Table> for Block {
    fn from(t: Table) -> Block {
        Block::Table(t)
    }
}

/// Named paragraph styles (see [`styles`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StyleId {
    Normal,
    Title,
    Heading1,
    Heading2,
    /// The pseudonym and role line under a story's title.
    RoleLine,
    /// Researcher framing inside a story.
    Framing,
    /// Small print: labels, sources, notes.
    Small,
    Footer,
}

impl StyleId {
    pub fn id(self) -> &'static str {
        match self {
            StyleId::Normal => "Normal",
            StyleId::Title => "Title",
            StyleId::Heading1 => "Heading1",
            StyleId::Heading2 => "Heading2",
            StyleId::RoleLine => "RoleLine",
            StyleId::Framing => "Framing",
            StyleId::Small => "Small",
            StyleId::Footer => "Footer",
        }
    }
}

/// Line spacing and space after (none before, unless given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spacing {
    pub before: u32,
    pub after: u32,
    /// Line height in twips, `exact` or at least.
    pub line: u32,
    pub exact: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Para {
    pub style: Option<StyleId>,
    pub keep_next: bool,
    pub page_break_before: bool,
    /// Overrides the style's spacing.
    pub spacing: Option<Spacing>,
    /// Left indent and hanging indent, twips.
    pub indent: Option<(u32, u32)>,
    pub runs: Vec<Run>,
}

impl Para {
    pub fn styled(style: StyleId, text: &str) -> Para {
        Para {
            style: Some(style),
            runs: vec![Run::text(text)],
            ..Default::default()
        }
    }

    pub fn empty(style: StyleId) -> Para {
        Para {
            style: Some(style),
            ..Default::default()
        }
    }

    pub fn keep_next(mut self) -> Para {
        self.keep_next = true;
        self
    }

    pub fn page_break_before(mut self) -> Para {
        self.page_break_before = true;
        self
    }

    pub fn spacing(mut self, s: Spacing) -> Para {
        self.spacing = Some(s);
        self
    }

    pub fn indent(mut self, left: u32, hanging: u32) -> Para {
        self.indent = Some((left, hanging));
        self
    }

    pub fn text(&self) -> String {
        self.runs
            .iter()
            .filter_map(|r| match &r.content {
                RunContent::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunProps {
    pub bold: bool,
    pub italic: bool,
    /// Half-points; the style's when `None`.
    pub size: Option<u32>,
    /// `RRGGBB`.
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunContent {
    Text(String),
    PageBreak,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub props: RunProps,
    pub content: RunContent,
}

impl Run {
    pub fn text(s: &str) -> Run {
        Run {
            props: RunProps::default(),
            content: RunContent::Text(s.to_owned()),
        }
    }

    pub fn bold(mut self) -> Run {
        self.props.bold = true;
        self
    }

    pub fn italic(mut self) -> Run {
        self.props.italic = true;
        self
    }

    pub fn page_break() -> Run {
        Run {
            props: RunProps::default(),
            content: RunContent::PageBreak,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub paras: Vec<Para>,
    /// Background `RRGGBB`.
    pub shade: Option<&'static str>,
}

impl Cell {
    pub fn new(paras: Vec<Para>) -> Cell {
        Cell { paras, shade: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// A header row: repeated at the top of each page the table runs onto,
    /// and announced as column headers by screen readers.
    pub header: bool,
    pub cant_split: bool,
    /// Minimum height, twips.
    pub min_height: Option<u32>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column widths, twips.
    pub widths: Vec<u32>,
    pub rows: Vec<Row>,
    /// Alternative text: a short title and a description.
    pub caption: String,
    pub description: String,
}

/// A whole Word document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// BCP 47 language of the text (`en-GB`).
    pub lang: String,
    pub look: Look,
    pub sections: Vec<Section>,
    /// Mirror the margins for double-sided printing (same margins here, but
    /// it tells Word the document is printed on both sides).
    pub double_sided: bool,
    /// A marking written into the document properties (subject, tags,
    /// category), as "Research team only" on the forms that may hold real names.
    pub marking: Option<String>,
}

impl Document {
    pub fn new(lang: &str, look: Look) -> Document {
        Document {
            lang: if lang.trim().is_empty() {
                "en-GB".into()
            } else {
                lang.trim().into()
            },
            look,
            sections: Vec::new(),
            double_sided: false,
            marking: None,
        }
    }

    /// The section being filled (a new A4 one when there is none).
    pub fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::new(Page::A4, Start::NextPage));
        }
        let n = self.sections.len() - 1;
        &mut self.sections[n]
    }
}

/// Line breaks and tabs become spaces, control characters go: each
/// paragraph is one flowing paragraph, and the XML stays well-formed.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            c if c.is_control() => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}
