//! The page gauge: how many pages a story takes in its docx
//! ([`crate::story_docx`]) as LibreOffice (and Word) lay it out.
//!
//! It is a small layout engine for the one fixed layout the story docx
//! uses, not an estimate from word counts:
//!
//! 1. Each paragraph is set from the same [`SetParagraph`]s the docx writer
//!    writes (title, role line, excerpts, framing).
//! 2. Lines are broken greedily, as LibreOffice does: at the last break
//!    opportunity (after spaces but not before closing punctuation, after
//!    a hyphen inside a word, around dashes, after a slash) whose text,
//!    trailing spaces excluded, fits in the 15.92 cm line. A word longer than a line is broken between
//!    characters. Widths are the real advance widths of Liberation Sans,
//!    Arial's metric twin, for each character in its style (regular,
//!    italic, bold), from an embedded table ([`widths`]). Italic text
//!    leaves room for its overhang at the margin, as LibreOffice does.
//! 3. Lines stack at their exact height; a paragraph adds its fixed space
//!    after. A line that does not fit in the 24.62 cm of the page starts
//!    the next page (the space after a paragraph need not fit: it is
//!    dropped at the foot of a page). Widow and orphan control: a
//!    paragraph split across pages leaves at least two lines on each, or
//!    moves to the next page whole.
//!
//! Widths are rounded per glyph to LibreOffice's reference device (1/6
//! twip) and all arithmetic is in integers, so the gauge is
//! deterministic. `tests/tests/page_gauge.rs` checks it, page and line,
//! against LibreOffice's PDF of every sample story, of stories built to
//! end a word either side of a page boundary, and of whole transcripts.

#[rustfmt::skip]
pub mod widths;

use crate::story_docx::{SetParagraph, layout, set_paragraphs, set_paragraphs_with};
use storyloom_project::stories::RenderedStory;

/// How much paper a story takes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PageEstimate {
    /// Pages of the exported docx.
    pub pages: usize,
    /// Pages as a decimal: the full pages before the last, plus how far
    /// down the last page the text reaches (1.86: 86% of page two).
    pub fraction: f32,
    /// Lines of text, title and role line included.
    pub lines: usize,
    /// Words in the story's paragraphs (title and role line excluded).
    pub words: usize,
}

/// One laid-out line, for the editor (where pages break) and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaugeLine {
    /// 1-based page.
    pub page: usize,
    /// Index into the set paragraphs (0 = title).
    pub paragraph: usize,
    /// The story block the line belongs to (`None`: title or role line).
    pub block: Option<usize>,
    /// The line's text, trailing spaces included.
    pub text: String,
    /// Distance from the top of the text area to the line's bottom, twips.
    pub bottom: u32,
}

/// The pages a story takes in its docx.
pub fn pages(story: &RenderedStory) -> PageEstimate {
    let lines = lay_out(story);
    estimate(&lines, story.words)
}

/// The story's lines as they fall on the pages.
pub fn lay_out(story: &RenderedStory) -> Vec<GaugeLine> {
    lay_out_paragraphs(&set_paragraphs(story))
}

/// The pages a story takes in a look (standard or large print).
pub fn pages_with(story: &RenderedStory, look: &layout::Look) -> PageEstimate {
    let lines = lay_out_paragraphs(&set_paragraphs_with(story, look));
    estimate(&lines, story.words)
}

fn estimate(lines: &[GaugeLine], words: usize) -> PageEstimate {
    let Some(last) = lines.last() else {
        return PageEstimate {
            pages: 1,
            fraction: 0.0,
            lines: 0,
            words,
        };
    };
    PageEstimate {
        pages: last.page,
        fraction: (last.page - 1) as f32 + last.bottom as f32 / layout::TEXT_HEIGHT as f32,
        lines: lines.len(),
        words,
    }
}

/// Lays out set paragraphs: line breaks, then pages.
pub fn lay_out_paragraphs(paragraphs: &[SetParagraph]) -> Vec<GaugeLine> {
    let keep = layout::WIDOW_ORPHAN_LINES;
    let mut out = Vec::new();
    let mut page = 1;
    let mut y: u32 = 0;
    for (pi, p) in paragraphs.iter().enumerate() {
        let lines = break_lines(p);
        let n = lines.len();
        let h = p.style.line;
        let mut lines = lines.into_iter();
        let mut placed = 0;
        while placed < n {
            let rest = n - placed;
            // Lines that fit below `y` (at least one on an empty page).
            let room = if y == 0 {
                (layout::TEXT_HEIGHT / h).max(1) as usize
            } else {
                (layout::TEXT_HEIGHT.saturating_sub(y) / h) as usize
            };
            let mut take = rest.min(room);
            if take < rest && y > 0 && keep > 0 {
                // Widows: at least `keep` lines go to the next page.
                if rest - take < keep {
                    take = rest.saturating_sub(keep).min(take);
                }
                // Orphans: a paragraph starts with at least `keep` lines.
                if placed == 0 && take < keep {
                    take = 0;
                }
            }
            for _ in 0..take {
                y += h;
                out.push(GaugeLine {
                    page,
                    paragraph: pi,
                    block: p.block,
                    text: lines.next().unwrap_or_default(),
                    bottom: y,
                });
            }
            placed += take;
            if placed < n {
                page += 1;
                y = 0;
            }
        }
        y += p.style.after;
    }
    out
}

/// LibreOffice measures text on a reference device of 6 × 1440 dpi: each
/// glyph's advance is rounded to whole device pixels of 1/6 twip.
const PX_PER_TWIP: u64 = 6;

/// A font-unit length at a font size, in device pixels (rounded).
fn px(units: u32, size_twips: u32) -> u64 {
    let num = u64::from(units) * u64::from(size_twips) * PX_PER_TWIP;
    let em = u64::from(widths::UNITS_PER_EM);
    (2 * num + em) / (2 * em)
}

/// A character as set: what it is and how wide it is.
#[derive(Clone, Copy)]
struct Glyph {
    c: char,
    /// Advance in device pixels.
    width: u64,
    /// Room an italic glyph must leave at the right margin, device pixels.
    reserve: u64,
}

/// LibreOffice keeps room for the overhang of slanted letters: a text
/// portion in italics may only fill the line up to a twelfth of the
/// portion's height (the font's ascent, descent and line gap) from the
/// margin (`SwTextGuess::Guess`): 21 twips at 11 pt.
fn italic_reserve(size_twips: u32) -> u64 {
    let height_twips = px(widths::HEIGHT, size_twips) / PX_PER_TWIP;
    height_twips / 12 * PX_PER_TWIP
}

/// The advance of `c` in font units for a style.
pub fn advance_units(c: char, bold: bool, italic: bool) -> u32 {
    let (table, extra): (&[u16], &[(u32, u16)]) = match (bold, italic) {
        (false, false) => (&widths::REGULAR, &widths::REGULAR_EXTRA),
        (false, true) => (&widths::ITALIC, &widths::ITALIC_EXTRA),
        (true, false) => (&widths::BOLD, &widths::BOLD_EXTRA),
        (true, true) => (&widths::BOLD_ITALIC, &widths::BOLD_ITALIC_EXTRA),
    };
    let cp = c as u32;
    let w = if (widths::FIRST..=widths::LAST).contains(&cp) {
        table[(cp - widths::FIRST) as usize]
    } else {
        extra
            .binary_search_by_key(&cp, |&(k, _)| k)
            .map(|i| extra[i].1)
            .unwrap_or(0)
    };
    if w > 0 {
        return u32::from(w);
    }
    // Not in the table (or no glyph): combining marks take no room, wide
    // scripts about an em, anything else the width of a digit.
    if is_combining(c) || c == '\u{feff}' || c == '\u{200b}' {
        0
    } else if is_wide(c) {
        widths::UNITS_PER_EM
    } else {
        1139
    }
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x3FFFD)
}

fn glyphs(p: &SetParagraph) -> Vec<Glyph> {
    let size = p.style.size_twips();
    let mut out = Vec::new();
    for (text, italic) in &p.runs {
        let italic = *italic || p.style.italic;
        let reserve = if italic {
            italic_reserve(p.style.size_twips())
        } else {
            0
        };
        for c in text.chars() {
            out.push(Glyph {
                c,
                width: px(advance_units(c, p.style.bold, italic), size),
                reserve,
            });
        }
    }
    out
}

fn is_space(c: char) -> bool {
    c == ' ' || (c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' && c != '\u{2007}')
}

/// Closing punctuation, infix separators and exclamations (UAX #14 CL,
/// CP, IS, EX, SY): never at the start of a line, even after a space
/// ("were ..." stays together).
fn no_break_before(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | ',' | '.' | ';' | ':' | '!' | '?' | '/' | '\u{3001}' | '\u{3002}'
    )
}

/// Opening brackets (OP): never at the end of a line, even before a space.
fn no_break_after(c: char) -> bool {
    matches!(c, '(' | '[' | '{')
}

/// May a line break fall before `chars[i]`? The part of UAX #14 that
/// LibreOffice's line breaking applies to the text of stories.
fn can_break_before(chars: &[char], i: usize) -> bool {
    let (Some(&next), Some(&prev)) = (chars.get(i), i.checked_sub(1).and_then(|j| chars.get(j)))
    else {
        return false;
    };
    if is_space(next) || no_break_before(next) {
        return false;
    }
    if is_space(prev) {
        // After spaces, unless they follow an opening bracket.
        let before_spaces = chars[..i].iter().rev().find(|c| !is_space(**c));
        return !before_spaces.is_some_and(|c| no_break_after(*c));
    }
    let before_prev = i.checked_sub(2).map(|j| chars[j]);
    match prev {
        // A hyphen inside a word: "well-|known", "COVID-|19" (not "-5").
        '-' | '\u{2010}' => {
            before_prev.is_some_and(char::is_alphanumeric) && next.is_alphanumeric()
        }
        // En dash breaks after; em dash before and after.
        '–' | '—' => next != prev && !matches!(next, '’' | '”' | '"' | '\'' | '…'),
        '/' => before_prev.is_some_and(char::is_alphabetic) && next.is_alphabetic(),
        '…' => next.is_alphanumeric(),
        _ => next == '—' && !no_break_after(prev) && !matches!(prev, '“' | '‘'),
    }
}

/// Breaks a paragraph into lines (each keeps its trailing spaces).
fn break_lines(p: &SetParagraph) -> Vec<String> {
    let gs = glyphs(p);
    let chars: Vec<char> = gs.iter().map(|g| g.c).collect();
    let max = u64::from(layout::TEXT_WIDTH.saturating_sub(p.style.indent)) * PX_PER_TWIP;
    let mut lines = Vec::new();
    let mut start = 0;
    while start < gs.len() {
        // Widest end (exclusive) at a break opportunity that fits.
        let mut width: u64 = 0; // start..i, all chars
        let mut fit_end: Option<usize> = None;
        let mut i = start;
        let mut overflow_at = gs.len();
        while i < gs.len() {
            width += gs[i].width;
            let end = i + 1;
            let at_break = end == gs.len() || can_break_before(&chars, end);
            if !is_space(gs[i].c) && width + gs[i].reserve > max {
                overflow_at = i;
                break;
            }
            if at_break {
                fit_end = Some(end);
            }
            i = end;
        }
        let end = if overflow_at == gs.len() {
            gs.len()
        } else if let Some(e) = fit_end {
            e
        } else {
            // One word wider than the line: break between characters.
            overflow_at.max(start + 1)
        };
        lines.push(gs[start..end].iter().map(|g| g.c).collect());
        start = end;
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story_docx::layout::BODY;

    fn body(text: &str) -> SetParagraph {
        SetParagraph {
            id: crate::docx::StyleId::Normal,
            style: BODY,
            runs: vec![(text.to_owned(), false)],
            block: Some(0),
        }
    }

    fn line_width_twips(s: &str) -> f64 {
        s.trim_end()
            .chars()
            .map(|c| f64::from(advance_units(c, false, false)) * 220.0 / 2048.0)
            .sum()
    }

    #[test]
    fn widths_are_arial_metrics() {
        assert_eq!(advance_units(' ', false, false), 569);
        assert_eq!(advance_units('a', false, false), 1139);
        assert_eq!(advance_units('m', false, false), 1706);
        assert_eq!(advance_units('W', true, false), 1933);
        assert_eq!(advance_units('…', false, false), 2048);
        assert_eq!(advance_units('’', false, true), 455);
        assert_eq!(advance_units('\u{301}', false, false), 0);
    }

    #[test]
    fn widths_are_rounded_like_libreoffice_and_italics_keep_21_twips() {
        // 11 pt = 220 twips = 1320 device pixels per em.
        assert_eq!(px(1139, 220), 734);
        assert_eq!(px(569, 220), 367);
        assert_eq!(italic_reserve(220), 21 * PX_PER_TWIP);
        // The same words break earlier in italics when they end within
        // 21 twips of the margin.
        let sentence = "so I went along to the choir on the Thursday, and it was just lovely, \
            everybody made me feel welcome and I have not looked back since then";
        let words: Vec<&str> = sentence.split(' ').collect();
        let mut found = false;
        for n in 0..words.len() {
            // Shift the words so that line ends fall everywhere.
            let text = words
                .iter()
                .cycle()
                .skip(n)
                .take(60)
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let regular = break_lines(&body(&text));
            let italic = break_lines(&SetParagraph {
                id: crate::docx::StyleId::Framing,
                style: layout::FRAMING,
                runs: vec![(text.clone(), true)],
                block: Some(0),
            });
            if let Some(k) = (0..regular.len()).find(|&k| regular.get(k) != italic.get(k)) {
                assert!(
                    italic[k].len() < regular[k].len(),
                    "{:?} {:?}",
                    italic[k],
                    regular[k]
                );
                found = true;
            }
        }
        assert!(found, "no line end fell within 21 twips of the margin");
    }

    #[test]
    fn lines_fill_the_measure_and_never_exceed_it() {
        let text = "and I said to her, well, I never thought I would be singing in front of anyone, let alone the whole of the town hall on a Saturday night. ".repeat(12);
        let lines = break_lines(&body(&text));
        assert!(lines.len() > 10);
        for (i, l) in lines.iter().enumerate() {
            let w = line_width_twips(l);
            assert!(w <= f64::from(layout::TEXT_WIDTH), "{l}");
            if i + 1 < lines.len() {
                // The next word would not have fitted.
                let next_word: String = lines[i + 1].split(' ').next().unwrap_or("").to_owned();
                let with = line_width_twips(&format!("{l}{next_word}"));
                assert!(with > f64::from(layout::TEXT_WIDTH), "{l} + {next_word}");
            }
        }
        assert_eq!(lines.concat(), text.trim_end().to_owned() + " ");
    }

    #[test]
    fn a_word_longer_than_a_line_breaks_between_characters() {
        // "x" is 1024 units: 110 twips at 11 pt, so 82 to the line.
        let lines = break_lines(&body(&"x".repeat(150)));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), 82);
    }

    #[test]
    fn break_opportunities_follow_libreoffice() {
        let at = |s: &str, i: usize| can_break_before(&s.chars().collect::<Vec<_>>(), i);
        assert!(at("well-known", 5));
        assert!(at("COVID-19", 6));
        assert!(!at("a -5", 3));
        assert!(!at("abc", 2));
        assert!(at("a c", 2));
        assert!(!at("ab ", 2));
        // Not before closing punctuation, even after a space; not after "(".
        assert!(!at("were ...", 5));
        assert!(!at("so ?", 3));
        assert!(!at("( a", 2));
        assert!(at("well — so", 7));
    }

    #[test]
    fn a_paragraph_that_does_not_fit_splits_line_by_line() {
        // 60 one-line paragraphs of 300 + 160 twips: 30 fit on a page
        // (29 × 460 + 300 = 13640 ≤ 13958 < 30 × 460 + 300).
        let ps: Vec<SetParagraph> = (0..60).map(|_| body("A line.")).collect();
        let lines = lay_out_paragraphs(&ps);
        assert_eq!(lines.iter().filter(|l| l.page == 1).count(), 30);
        assert_eq!(lines.last().map(|l| l.page), Some(2));
        // One long paragraph: 46 lines of 300 fit in 13958.
        let long = body(&"word ".repeat(2000));
        let lines = lay_out_paragraphs(&[long]);
        assert_eq!(lines.iter().filter(|l| l.page == 1).count(), 46);
    }

    #[test]
    fn split_paragraphs_keep_two_lines_on_each_page() {
        let lines_of = |n: usize| {
            let mut p = body(&"word ".repeat(2000));
            p.runs[0].0 = break_lines(&p)[..n].concat();
            p
        };
        // After k one-line paragraphs (460 twips each), a paragraph of n lines:
        // the pages its lines fall on.
        let pages = |k: usize, n: usize| -> Vec<usize> {
            let mut ps: Vec<SetParagraph> = (0..k).map(|_| body("A line.")).collect();
            ps.push(lines_of(n));
            let out = lay_out_paragraphs(&ps);
            out.iter()
                .filter(|l| l.paragraph == k)
                .map(|l| l.page)
                .collect()
        };
        // 29 × 460 = 13340 leaves room for 2 lines of 300 (13958 − 13340 = 618).
        assert_eq!(pages(29, 5), vec![1, 1, 2, 2, 2]);
        // Two here would leave a widow, one an orphan: the paragraph moves.
        assert_eq!(pages(29, 3), vec![2, 2, 2]);
        // 28 × 460 = 12880 leaves room for 3: of 4 lines, 2 stay so 2 go.
        assert_eq!(pages(28, 4), vec![1, 1, 2, 2]);
        assert_eq!(pages(28, 3), vec![1, 1, 1]);
        // 30 × 460 = 13800 leaves room for none.
        assert_eq!(pages(30, 2), vec![2, 2]);
    }

    #[test]
    fn the_estimate_counts_pages_lines_and_words() {
        let story = crate::story_docx::tests::sample_story();
        let e = pages(&story);
        assert_eq!(e.pages, 1);
        assert_eq!(e.lines, 4);
        assert_eq!(e.words, story.words);
        assert!(e.fraction > 0.0 && e.fraction < 0.2, "{e:?}");
        let blocks: Vec<Option<usize>> = lay_out(&story).iter().map(|l| l.block).collect();
        assert_eq!(blocks, vec![None, None, Some(0), Some(1)]);
    }
}
