//! The page gauge agrees with LibreOffice: every sample story, and stories
//! built to end a word before and a word after a page boundary, are
//! exported as docx, converted to PDF with `soffice`, and their pages
//! counted with `pdfinfo`; their lines (`pdftotext -layout`) must be the
//! gauge's lines, page for page.
//!
//! Without `soffice`/`pdfinfo` the test prints a notice and passes, unless
//! `STORYLOOM_REQUIRE_TOOLS` is set (CI), when it fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use storyloom_e2e::sample_dir;
use storyloom_exports::page_gauge::{self, PageEstimate};
use storyloom_exports::save_story_docx;
use storyloom_project::Project;
use storyloom_project::stories::{Paragraph, ParagraphKind, RenderedStory, Run, RunKind};

/// Are `soffice`, `pdfinfo` and Liberation Sans (which LibreOffice sets
/// Arial in) here? With `STORYLOOM_REQUIRE_TOOLS` set, a missing one fails
/// the test.
fn tools() -> bool {
    // Another stand-in for Arial (DejaVu Sans, say) has other widths.
    let mut font = Vec::new();
    if let Ok(out) = Command::new("fc-match").arg("Arial").output()
        && !String::from_utf8_lossy(&out.stdout).contains("Liberation Sans")
    {
        font.push("Liberation Sans for Arial (fonts-liberation2)".to_owned());
    }
    storyloom_e2e::outside_tools(
        &["soffice", "pdfinfo", "pdftotext"],
        font,
        "the page gauge was not checked against LibreOffice \
         (apt-get install libreoffice-writer poppler-utils fonts-liberation2)",
    )
}

/// Converts docx files to PDF in one `soffice` run (its own profile, so it
/// does not collide with a running LibreOffice), with a time limit.
fn convert(docx: &[PathBuf], out: &Path, profile: &Path) {
    let limit = Duration::from_secs(30 + 5 * docx.len() as u64);
    storyloom_e2e::soffice_to_pdf(docx, out, profile, limit);
}

fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("run pdfinfo");
    assert!(out.status.success(), "pdfinfo {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count from pdfinfo {}", pdf.display()))
}

/// The PDF's text lines per page (whitespace collapsed), for diagnostics.
fn pdf_lines(pdf: &Path) -> Option<Vec<Vec<String>>> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(
        text.split('\u{c}')
            .map(|page| {
                page.lines()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .collect(),
    )
}

/// Where the gauge's lines and LibreOffice's first differ, if they do.
fn first_difference(story: &RenderedStory, pdf: &Path) -> Option<String> {
    let pages = pdf_lines(pdf)?;
    let ours = page_gauge::lay_out(story);
    let mut theirs = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        for l in p {
            theirs.push((i + 1, l.clone()));
        }
    }
    for (k, line) in ours.iter().enumerate() {
        let mine = (
            line.page,
            line.text.split_whitespace().collect::<Vec<_>>().join(" "),
        );
        match theirs.get(k) {
            Some(t) if *t == mine => {}
            t => {
                return Some(format!(
                    "line {k}: gauge {mine:?}, LibreOffice {t:?}; previous {:?}",
                    k.checked_sub(1).and_then(|j| theirs.get(j))
                ));
            }
        }
    }
    (theirs.len() != ours.len()).then(|| {
        format!(
            "the gauge has {} lines, LibreOffice {}",
            ours.len(),
            theirs.len()
        )
    })
}

struct Case {
    name: String,
    story: RenderedStory,
    estimate: PageEstimate,
}

fn case(name: impl Into<String>, story: RenderedStory) -> Case {
    let estimate = page_gauge::pages(&story);
    Case {
        name: name.into(),
        story,
        estimate,
    }
}

/// The words of a story's paragraphs, to build stories of any length from.
fn all_words(story: &RenderedStory) -> Vec<String> {
    story
        .paragraphs
        .iter()
        .flat_map(|p| {
            p.text()
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn paragraph(i: usize, kind: ParagraphKind, text: String) -> Paragraph {
    Paragraph {
        block: i,
        block_uuid: format!("b{i}"),
        kind,
        runs: vec![Run {
            text,
            italic: kind == ParagraphKind::Framing,
            kind: if kind == ParagraphKind::Framing {
                RunKind::Insertion
            } else {
                RunKind::Source
            },
            source: None,
        }],
    }
}

/// `base` with its first `keep` paragraphs and then `extra` words of its
/// text (cycled) as one more paragraph of `kind`.
fn grown(base: &RenderedStory, keep: usize, kind: ParagraphKind, extra: usize) -> RenderedStory {
    let words = all_words(base);
    let mut s = base.clone();
    s.paragraphs.truncate(keep);
    if extra > 0 {
        let text: Vec<&str> = words
            .iter()
            .cycle()
            .take(extra)
            .map(String::as_str)
            .collect();
        s.paragraphs.push(paragraph(keep, kind, text.join(" ")));
    }
    s.words = recount(&s);
    s
}

fn recount(s: &RenderedStory) -> usize {
    s.paragraphs
        .iter()
        .map(|p| storyloom_project::text::word_count(&p.text()))
        .sum()
}

/// The pair of stories, one word apart, where the gauge goes from `pages`
/// to `pages + 1` pages by growing a last paragraph of `kind` after the
/// first `keep` paragraphs of `base`.
fn boundary_pair(
    base: &RenderedStory,
    keep: usize,
    kind: ParagraphKind,
    pages: usize,
) -> Option<(RenderedStory, RenderedStory)> {
    let at = |n: usize| page_gauge::pages(&grown(base, keep, kind, n)).pages;
    if at(0) > pages {
        return None;
    }
    // The page count only grows with words: bisect for the first n with more pages.
    let (mut lo, mut hi) = (0usize, 64usize);
    while at(hi) <= pages {
        hi *= 2;
        if hi > 20_000 {
            return None;
        }
    }
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if at(mid) <= pages {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some((grown(base, keep, kind, lo), grown(base, keep, kind, hi)))
}

/// Every turn of every sample transcript as a paragraph (every other one in
/// italics): many pages of real speech, punctuation and all, so that line
/// breaking is checked far beyond what the drafts happen to contain.
fn whole_transcripts(project: &Project) -> Vec<(String, RenderedStory)> {
    let mut out = Vec::new();
    for d in project.documents().expect("documents") {
        let doc = project.document(&d.uuid).expect("document");
        let paragraphs: Vec<Paragraph> = doc
            .turns
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let kind = if i % 2 == 0 {
                    ParagraphKind::Excerpt
                } else {
                    ParagraphKind::Framing
                };
                paragraph(
                    i,
                    kind,
                    t.text.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            })
            .collect();
        let mut story = RenderedStory {
            uuid: d.uuid.clone(),
            title: d.name.clone(),
            role_line: format!("every turn of {}", d.name),
            pseudonym: String::new(),
            status: storyloom_project::stories::StoryStatus::Draft,
            revision: 1,
            paragraphs,
            words: 0,
            pseudonymised: false,
        };
        story.words = recount(&story);
        out.push((d.name.clone(), story));
    }
    out
}

fn sample_project(dir: &Path) -> Project {
    Project::create_from_folder(
        &dir.join("sample.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .expect("build the sample project")
    .0
}

fn sample_stories(project: &mut Project) -> Vec<(String, RenderedStory)> {
    let mut out = Vec::new();
    for p in project.participants().expect("participants") {
        match project.draft_story(&p.id) {
            Ok(uuid) => {
                let story = project
                    .render_story(&uuid, None)
                    .expect("render the drafted story");
                out.push((p.id.clone(), story));
            }
            Err(e) => eprintln!("{}: no draft ({e})", p.id),
        }
    }
    out
}

#[test]
fn the_page_gauge_agrees_with_libreoffice() {
    if !tools() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut project = sample_project(tmp.path());
    let stories = sample_stories(&mut project);
    assert!(
        stories.len() >= 7,
        "only {} sample participants could be drafted",
        stories.len()
    );

    let mut cases: Vec<Case> = stories
        .iter()
        .map(|(id, s)| case(format!("{id} draft"), s.clone()))
        .collect();

    // Near the boundaries: a word before and a word after the gauge's page
    // break, once by growing an excerpt (a paragraph splits across the
    // page) and once by growing a framing paragraph (italic widths), at
    // the end of page one and of page two; from a draft as it is, one with
    // a role line, and one whose title and role line wrap.
    let mut bases: Vec<(String, RenderedStory)> = stories.iter().take(3).cloned().collect();
    if let Some((_, b)) = bases.get_mut(1) {
        b.role_line = "a link worker in her thirties who used to be a housing officer".into();
    }
    if let Some((_, b)) = bases.get_mut(2) {
        b.title = format!("{}, and then everything changed for the better", b.title);
        b.role_line = "a woman in her seventies who lost her husband, stopped going out, \
            and found her way back through a choir, a cake rota and a link worker who listened"
            .into();
    }
    for (id, base) in &bases {
        for (pages, keep) in [(1, 1), (2, base.paragraphs.len())] {
            for kind in [ParagraphKind::Excerpt, ParagraphKind::Framing] {
                let Some((before, after)) = boundary_pair(base, keep, kind, pages) else {
                    continue;
                };
                let k = if kind == ParagraphKind::Excerpt {
                    "excerpt"
                } else {
                    "framing"
                };
                cases.push(case(format!("{id} {k} ends page {pages}"), before));
                cases.push(case(
                    format!("{id} {k} spills onto page {}", pages + 1),
                    after,
                ));
            }
        }
    }
    // And paragraph ends near the foot of a page: short paragraphs, one more
    // at a time, until the gauge needs another page.
    if let Some((id, base)) = stories.first() {
        let words = all_words(base);
        let mut s = base.clone();
        s.paragraphs.truncate(1);
        let pages_at_start = page_gauge::pages(&s).pages;
        for i in 0..200 {
            let mut next = s.clone();
            let n = 3 + (i * 7) % 23;
            let text = words
                .iter()
                .cycle()
                .skip(i * 5)
                .take(n)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            next.paragraphs
                .push(paragraph(i + 1, ParagraphKind::Excerpt, text));
            next.words = recount(&next);
            if page_gauge::pages(&next).pages > pages_at_start {
                cases.push(case(
                    format!("{id} short paragraphs fill page {pages_at_start}"),
                    s,
                ));
                cases.push(case(format!("{id} short paragraphs spill"), next));
                break;
            }
            s = next;
        }
    }

    // Widows and orphans: k one-line paragraphs, then one of n lines, so
    // that 0 to 5 of its lines fit at the foot of page one.
    if let Some((id, base)) = stories.first() {
        let words = all_words(base);
        for k in 24..=28 {
            for n in 2..=5 {
                let mut s = base.clone();
                s.paragraphs = (0..k)
                    .map(|i| paragraph(i, ParagraphKind::Excerpt, words[i % words.len()].clone()))
                    .collect();
                // The fewest words that make n lines.
                let lines = |s: &RenderedStory| {
                    page_gauge::lay_out(s)
                        .iter()
                        .filter(|l| l.block == Some(k))
                        .count()
                };
                let mut w = 1;
                loop {
                    let mut t = s.clone();
                    let text = words
                        .iter()
                        .cycle()
                        .take(w)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ");
                    t.paragraphs
                        .push(paragraph(k, ParagraphKind::Excerpt, text));
                    if lines(&t) >= n {
                        t.words = recount(&t);
                        cases.push(case(format!("{id} {k} short then {n} lines"), t));
                        break;
                    }
                    w += 1;
                }
            }
        }
    }
    for (name, s) in whole_transcripts(&project) {
        cases.push(case(format!("all of {name}"), s));
    }
    // And the public transcripts in ../shared/external, when they are here.
    if let Some(ext) = storyloom_e2e::external_dir() {
        let mut other = Project::create(&tmp.path().join("external.storyloom")).expect("project");
        let mut files: Vec<PathBuf> = std::fs::read_dir(ext.join("transcripts"))
            .expect("read transcripts")
            .filter_map(|e| e.ok())
            .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten())
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt") && !p.ends_with("NOTES.txt"))
            .collect();
        files.sort();
        for f in &files {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(f).expect("read transcript");
            other
                .import_bytes(&name, &bytes)
                .expect("import transcript");
        }
        for (name, s) in whole_transcripts(&other) {
            cases.push(case(format!("all of {name}"), s));
        }
    }

    let docx_dir = tmp.path().join("docx");
    let pdf_dir = tmp.path().join("pdf");
    std::fs::create_dir_all(&docx_dir).expect("mkdir");
    std::fs::create_dir_all(&pdf_dir).expect("mkdir");
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = docx_dir.join(format!("story-{i:02}.docx"));
            save_story_docx(&c.story, &path).expect("write the docx");
            path
        })
        .collect();
    convert(&files, &pdf_dir, &tmp.path().join("lo-profile"));

    let mut failures = Vec::new();
    let mut lines_differ = Vec::new();
    println!(
        "{:<44} {:>6} {:>6} {:>5} {:>8} {:>6}",
        "story", "words", "lines", "gauge", "fraction", "LO"
    );
    for (i, c) in cases.iter().enumerate() {
        let pdf = pdf_dir.join(format!("story-{i:02}.pdf"));
        let lo = pdf_pages(&pdf);
        println!(
            "{:<44} {:>6} {:>6} {:>5} {:>8.3} {:>6}",
            c.name, c.estimate.words, c.estimate.lines, c.estimate.pages, c.estimate.fraction, lo
        );
        let why = first_difference(&c.story, &pdf);
        if lo != c.estimate.pages {
            failures.push(format!(
                "{}: gauge {} pages ({:.3}), LibreOffice {lo}. {}",
                c.name,
                c.estimate.pages,
                c.estimate.fraction,
                why.unwrap_or_default()
            ));
        } else if let Some(why) = why {
            lines_differ.push(format!("{}: {why}", c.name));
        }
    }
    // The gauge breaks lines where LibreOffice does, too (it is how it
    // gets the pages right; pdftotext shows LibreOffice's lines).
    failures.extend(lines_differ);
    println!("{} stories in {:.1?}", cases.len(), started.elapsed());
    // To look at the files: STORYLOOM_KEEP_GAUGE_FILES=/some/dir
    if let Some(keep) = std::env::var_os("STORYLOOM_KEEP_GAUGE_FILES") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).expect("mkdir");
        for (i, c) in cases.iter().enumerate() {
            let stem = format!("story-{i:02}");
            for (dir, ext) in [(&docx_dir, "docx"), (&pdf_dir, "pdf")] {
                let _ = std::fs::copy(
                    dir.join(format!("{stem}.{ext}")),
                    keep.join(format!("{stem}.{ext}")),
                );
            }
            println!("{stem}: {}", c.name);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The large-print story (16 pt on 24 pt lines, the story for checking and
/// the pack's large-print copy): the gauge predicts LibreOffice's page count
/// for every sample story.
#[test]
fn the_large_print_page_count_agrees_with_libreoffice() {
    if !tools() {
        return;
    }
    let look = storyloom_exports::story_docx::layout::LARGE_PRINT;
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut project = sample_project(tmp.path());
    let stories = sample_stories(&mut project);
    assert!(stories.len() >= 7, "only {} sample stories", stories.len());
    let mut files = Vec::new();
    for (id, story) in &stories {
        let path = tmp.path().join(format!("lp-{id}.docx"));
        let mut f = std::fs::File::create(&path).expect("create");
        storyloom_exports::story_docx::write_story_docx_with(story, &look, &mut f)
            .expect("write large print");
        files.push(path);
    }
    let out = tmp.path().join("pdf");
    std::fs::create_dir_all(&out).unwrap();
    convert(&files, &out, &tmp.path().join("profile"));
    let mut wrong = Vec::new();
    for ((id, story), docx) in stories.iter().zip(&files) {
        let pdf = out.join(format!(
            "{}.pdf",
            docx.file_stem().unwrap().to_string_lossy()
        ));
        let lo = pdf_pages(&pdf);
        let gauge = page_gauge::pages_with(story, &look);
        eprintln!(
            "{id}: large print {} pages (gauge {:.2})",
            lo, gauge.fraction
        );
        if gauge.pages != lo {
            wrong.push(format!(
                "{id}: gauge {} pages, LibreOffice {lo}",
                gauge.pages
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
