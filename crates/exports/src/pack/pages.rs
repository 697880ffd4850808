//! The pack's pages as a [`Document`]: the opening section (cover without a
//! page number, purpose, how to read, ground rules, questions, overview,
//! facilitator's page), one section per story (its footer names the story's
//! id, pseudonym and approved revision; it starts on an odd page when the
//! pack is printed on both sides), the themes, and the landscape recording
//! sheet. Every heading uses a heading style.

use super::names_note::NamesNote;
use super::notes;
use super::sheet::{self, SheetRow};
use super::{PackStory, PackVariant, approval_statement, story_ref};
use crate::docx::{
    Cell, Document, FooterPiece, Page, Para, Row, Section, Spacing, Start, StyleId, Table,
};
use crate::story_docx::layout::Look;
use crate::story_docx::{SetParagraph, byline, docx_paragraph, set_paragraphs_with};
use std::collections::HashMap;
use storyloom_project::project::pack_ops::PackSettings;
use storyloom_project::stories::{ParagraphKind, RunKind};
use storyloom_project::{DocumentText, Project, Theme};

fn h1(s: &str) -> Para {
    Para::styled(StyleId::Heading1, &crate::docx::clean(s))
}

fn h2(s: &str) -> Para {
    Para::styled(StyleId::Heading2, &crate::docx::clean(s))
}

fn body(s: &str) -> Para {
    Para::styled(StyleId::Normal, &crate::docx::clean(s))
}

fn bullet(look: &Look, mark: &str, s: &str) -> Para {
    let hang = if look.large_print { 600 } else { 360 };
    body(&format!("{mark}  {s}")).indent(hang, hang)
}

fn page_footer() -> Vec<FooterPiece> {
    vec![FooterPiece::Text("Page ".into()), FooterPiece::Page]
}

/// Where an excerpt came from, for the research-team variant.
fn source_line(
    project: &Project,
    docs: &mut HashMap<String, Option<DocumentText>>,
    p: &storyloom_project::stories::Paragraph,
) -> Option<String> {
    let mut src = p.runs.iter().find_map(|r| r.source.clone())?;
    for r in p.runs.iter().filter_map(|r| r.source.as_ref()) {
        if r.document == src.document {
            src.start = src.start.min(r.start);
            src.end = src.end.max(r.end);
        }
    }
    let doc = docs
        .entry(src.document.clone())
        .or_insert_with(|| project.document(&src.document).ok());
    let Some(doc) = doc else {
        return Some(format!("Source: {}", src.document));
    };
    let mut line = format!("Source: {}", doc.name);
    let turn_at = |at: usize| {
        doc.turns
            .iter()
            .find(|t| t.start <= at && at < t.end.max(t.start + 1))
    };
    if let Some(t) = turn_at(src.start) {
        match turn_at(src.end.saturating_sub(1)) {
            Some(last) if last.seq != t.seq => {
                line.push_str(&format!(", turns {}–{}", t.seq, last.seq))
            }
            _ => line.push_str(&format!(", turn {}", t.seq)),
        }
        if let Some(ms) = t.start_ms {
            let s = ms / 1000;
            line.push_str(&format!(
                ", {:02}:{:02}:{:02}",
                s / 3600,
                s / 60 % 60,
                s % 60
            ));
        }
    }
    line.push_str(&format!(", characters {}–{}", src.start, src.end));
    Some(line)
}

/// The paragraphs of one story as the pack sets them (with sources under
/// excerpts in the research copy).
fn story_paragraphs(
    project: &Project,
    docs: &mut HashMap<String, Option<DocumentText>>,
    s: &PackStory,
    variant: PackVariant,
    look: &Look,
) -> Vec<SetParagraph> {
    let mut out = Vec::new();
    for p in set_paragraphs_with(&s.rendered, look) {
        let block = p.block;
        out.push(p);
        if variant == PackVariant::Research
            && let Some(b) = block
            && let Some(sp) = s
                .rendered
                .paragraphs
                .iter()
                .find(|sp| sp.block == b && sp.kind == ParagraphKind::Excerpt)
            && let Some(line) = source_line(project, docs, sp)
        {
            out.push(SetParagraph {
                id: StyleId::Small,
                style: look.small,
                runs: vec![(line, look.small.italic)],
                block: None,
            });
        }
    }
    out
}

fn cover(doc: &mut Section, settings: &PackSettings, variant: PackVariant) {
    doc.push(Para::empty(StyleId::Normal).spacing(Spacing {
        before: 2400,
        after: 0,
        line: 240,
        exact: true,
    }));
    doc.push(Para::styled(
        StyleId::Title,
        &crate::docx::clean(&settings.title),
    ));
    doc.push(h2(&settings.workshop));
    if !settings.date.trim().is_empty() {
        let date = chrono::NaiveDate::parse_from_str(settings.date.trim(), "%Y-%m-%d")
            .map(|d| d.format("%-d %B %Y").to_string())
            .unwrap_or_else(|_| settings.date.clone());
        doc.push(body(&date));
    }
    if variant == PackVariant::Research {
        let mut r = body(super::RESEARCH_MARK);
        r.runs[0].props.bold = true;
        doc.push(r);
        doc.push(body(
            "With the source of each excerpt: do not share it outside the research team.",
        ));
    }
    let mut c = body("Confidential — for workshop use only");
    c.runs[0].props.bold = true;
    c.spacing = Some(Spacing {
        before: 1200,
        ..Default::default()
    });
    doc.push(c);
}

/// On the research copy's cover: each participant who withdrew, marked so
/// (issue 11), with a reminder that nothing of theirs is in the pack.
fn withdrawn_lines(project: &Project) -> Vec<String> {
    let pseudonyms: HashMap<String, String> = project
        .participants()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.pseudonym.map(|ps| (p.id, ps)))
        .collect();
    project
        .consent_exclusions(storyloom_project::stories::consent::ConsentScope::Workshop)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, why)| why.starts_with("withdrew"))
        .map(|(id, _)| {
            let known = pseudonyms
                .get(&id)
                .map(|ps| format!(" ({ps})"))
                .unwrap_or_default();
            format!(
                "Withdrawn: {id}{known} withdrew their story; nothing of theirs is in this pack or in any stakeholder output."
            )
        })
        .collect()
}

/// "How to read the stories": each statement true of these stories.
fn how_to_read(stories: &[PackStory], look: &Look, names: &NamesNote) -> Vec<String> {
    let mut out = vec![
        "The words are the storyteller's own, taken from what they said in an interview and put in order so that they read as a story.".to_owned(),
        "… marks a place where words were cut.".to_owned(),
        "[ ] marks words added for clarity, or changed to protect someone's identity.".to_owned(),
    ];
    // Drafts keep the storyteller's pauses and laughter as the transcriber marked them.
    let marked = stories.iter().any(|s| {
        s.rendered.paragraphs.iter().any(|p| {
            p.runs
                .iter()
                .any(|r| r.kind == RunKind::Source && r.text.contains('['))
        })
    });
    if marked {
        out.push(
            "[laughs], [pause] and the like are the transcriber's notes of how something was said."
                .into(),
        );
    }
    out.push(names.statement());
    let framed = stories.iter().any(|s| {
        s.rendered
            .paragraphs
            .iter()
            .any(|p| p.kind == ParagraphKind::Framing)
    });
    if framed {
        out.push(if look.large_print {
            "Indented paragraphs are the researcher's words, giving context; they are not the storyteller's.".into()
        } else {
            "Words in italics are the researcher's, giving context; they are not the storyteller's.".into()
        });
    }
    out.push(approval_statement(stories));
    out
}

/// A timed plan from the number of stories, when none is given.
fn default_agenda(n: usize) -> Vec<String> {
    let per = 15;
    vec![
        "10 minutes: welcome, the purpose of the workshop and the ground rules".into(),
        format!(
            "{} minutes: read and discuss the stories, about {per} minutes each",
            per * n
        ),
        "20 minutes: which stories matter most to the group, and why (record the reasons)".into(),
        "10 minutes: what we learn, what we do next, and thanks".into(),
    ]
}

fn overview(sec: &mut Section, stories: &[PackStory], text_width: u32) {
    sec.push(h1("The stories in this pack").page_break_before());
    let w0 = 1200;
    let w1 = (text_width - w0) / 2;
    let widths = vec![w0, w1, text_width - w0 - w1];
    let head = |s: &str| {
        let mut p = Para::styled(StyleId::Normal, s);
        p.runs[0].props.bold = true;
        let mut c = Cell::new(vec![p]);
        c.shade = Some("E7E6E6");
        c
    };
    let mut rows = vec![Row {
        header: true,
        cant_split: true,
        min_height: None,
        cells: vec![head("Story id"), head("Title"), head("Storyteller")],
    }];
    for s in stories {
        let r = &s.rendered;
        rows.push(Row {
            header: false,
            cant_split: true,
            min_height: None,
            cells: vec![
                Cell::new(vec![body(&story_ref(&r.uuid))]),
                Cell::new(vec![body(&super::story_name(r))]),
                Cell::new(vec![body(&byline(r))]),
            ],
        });
    }
    sec.push(Table {
        widths,
        rows,
        caption: "The stories".into(),
        description: "Each story's id, title, and its storyteller's pseudonym and role.".into(),
    });
}

fn facilitator(sec: &mut Section, settings: &PackSettings, n: usize, look: &Look) {
    sec.push(h1("For the facilitator").page_break_before());
    sec.push(h2("Agenda"));
    let agenda = if settings.agenda.is_empty() {
        default_agenda(n)
    } else {
        settings.agenda.clone()
    };
    for a in &agenda {
        sec.push(bullet(look, "•", a));
    }
    sec.push(h2("If a story upsets someone"));
    sec.push(body(
        "Stories can bring up strong feelings. Let people step out, and make sure they know where to find support.",
    ));
    for c in &settings.support_contacts {
        sec.push(bullet(look, "•", c));
    }
    if settings.support_contacts.is_empty() {
        sec.push(body("Support contacts: ________________________________"));
    }
}

/// The whole pack in one look (standard or large print).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    project: &Project,
    settings: &PackSettings,
    stories: &[PackStory],
    themes: &[Theme],
    rows: &[SheetRow],
    variant: PackVariant,
    look: &Look,
    names: &NamesNote,
) -> Document {
    let mut doc = Document::new(&settings.language, *look);
    doc.double_sided = settings.double_sided;
    let start = if settings.double_sided {
        Start::OddPage
    } else {
        Start::NextPage
    };
    // The opening section.
    let mut open = Section::new(Page::A4, Start::NextPage);
    open.footer = Some(page_footer());
    open.plain_first_page = true;
    cover(&mut open, settings, variant);
    if variant == PackVariant::Research {
        for line in withdrawn_lines(project) {
            open.push(body(&line));
        }
    }
    open.push(h1("Purpose of the workshop").page_break_before());
    open.push(body(&settings.purpose));
    open.push(h2("How to read the stories"));
    for line in how_to_read(stories, look, names) {
        open.push(bullet(look, "•", &line));
    }
    if !settings.ground_rules.is_empty() {
        open.push(h2("Ground rules"));
        for r in &settings.ground_rules {
            open.push(bullet(look, "•", &names.true_rule(r)));
        }
    }
    if !settings.questions.is_empty() {
        open.push(h2("Questions for discussion"));
        open.push(body("Read each story, then talk about it together:"));
        for (i, q) in settings.questions.iter().enumerate() {
            open.push(bullet(look, &format!("{}.", i + 1), q));
        }
    }
    overview(&mut open, stories, Page::A4.text_width());
    if settings.facilitator_page {
        facilitator(&mut open, settings, stories.len(), look);
    }
    doc.sections.push(open);
    // The stories.
    let mut docs = HashMap::new();
    for s in stories {
        let mut sec = Section::new(Page::A4, start);
        let r = &s.rendered;
        let mut footer = vec![FooterPiece::Text(format!("Story {}", story_ref(&r.uuid)))];
        if !r.pseudonym.trim().is_empty() {
            footer.push(FooterPiece::Text(format!(" · {}", r.pseudonym.trim())));
        }
        footer.push(FooterPiece::Text(format!(
            " · approved revision {} · Page ",
            s.approved_revision
        )));
        footer.push(FooterPiece::Page);
        sec.footer = Some(footer);
        let mut paras = story_paragraphs(project, &mut docs, s, variant, look);
        let plan = notes::place(&paras, look);
        let mut breaks_before = None;
        if let Some((pi, offset)) = plan.break_at {
            if offset == 0 {
                breaks_before = Some(pi);
            } else {
                let (a, b) = notes::split(&paras[pi], offset);
                paras.splice(pi..=pi, [a, b]);
                breaks_before = Some(pi + 1);
            }
        }
        for (i, p) in paras.iter().enumerate() {
            let mut para = docx_paragraph(look, p);
            if breaks_before == Some(i) {
                para.page_break_before = true;
            }
            sec.push(para);
        }
        let label = if look.large_print {
            "Notes"
        } else {
            "Notes: what stands out for you?"
        };
        sec.push(Table {
            widths: vec![Page::A4.text_width()],
            rows: vec![Row {
                header: false,
                cant_split: true,
                min_height: Some(plan.height),
                cells: vec![Cell::new(vec![Para::styled(StyleId::Small, label)])],
            }],
            caption: "Notes".into(),
            description: "Room to write notes about the story.".into(),
        });
        doc.sections.push(sec);
    }
    // Themes, after the stories so they do not steer the reading.
    if !themes.is_empty() {
        let mut sec = Section::new(Page::A4, start);
        sec.footer = Some(page_footer());
        sec.push(h1("The researchers' emerging themes"));
        sec.push(body(
            "These are the themes the research team sees so far. They are not conclusions: tell us what they miss.",
        ));
        for t in themes {
            sec.push(h2(&t.name));
            sec.push(body(&t.definition));
        }
        doc.sections.push(sec);
    }
    // The recording sheet, landscape.
    let mut sec = Section::new(Page::A4_LANDSCAPE, start);
    sec.footer = Some(page_footer());
    sec.push(h1("Recording sheet"));
    sec.push(body(
        "One row per story; the story id links your notes back to it. Priority: how much this story matters for what we do next (high, medium, low).",
    ));
    sec.push(sheet::table(rows, Page::A4_LANDSCAPE.text_width()));
    doc.sections.push(sec);
    doc
}
