//! The notes box after each story, placed with the page gauge so that it
//! never stands alone on a page: it takes the room left under the story's
//! last line (shrunk down to a minimum); when even that does not fit, the
//! story's last lines move to the next page with it.

use crate::page_gauge::lay_out_paragraphs;
use crate::story_docx::SetParagraph;
use crate::story_docx::layout::{Look, TEXT_HEIGHT};

/// What the notes box needs besides its row height: the space after the
/// story's last paragraph is part of the gauge's `after`; the box's borders
/// (2 × 0.75 pt), the paragraph that ends the section (1 pt) and a margin
/// for rounding in the layout engines.
const BOX_EXTRA: u32 = 30 + 20 + 140;

/// The box's usual and smallest heights, twips (4.6 cm and 2.5 cm; large print 3.5 cm minimum).
pub(crate) fn heights(look: &Look) -> (u32, u32) {
    if look.large_print {
        (2600, 2000)
    } else {
        (2600, 1400)
    }
}

/// Where the box goes: its height, and where (if anywhere) the story's
/// paragraphs must break so that its last lines go with the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    pub height: u32,
    /// (paragraph index, char offset): a page break before that char of that
    /// paragraph (offset 0: before the paragraph).
    pub break_at: Option<(usize, usize)>,
}

/// Plans the box after `paragraphs` (laid out from the top of a page).
pub(crate) fn place(paragraphs: &[SetParagraph], look: &Look) -> Placement {
    let (usual, least) = heights(look);
    let lines = lay_out_paragraphs(paragraphs);
    let Some(last) = lines.last() else {
        return Placement {
            height: usual,
            break_at: None,
        };
    };
    let after = paragraphs
        .get(last.paragraph)
        .map(|p| p.style.after)
        .unwrap_or(0);
    let room = TEXT_HEIGHT.saturating_sub(last.bottom + after + BOX_EXTRA);
    if room >= least {
        return Placement {
            height: room.min(usual),
            break_at: None,
        };
    }
    // Move the last paragraph's last lines (all of it when short) over.
    let pi = last.paragraph;
    let own: Vec<&crate::page_gauge::GaugeLine> =
        lines.iter().filter(|l| l.paragraph == pi).collect();
    let keep = if own.len() <= 4 { 0 } else { own.len() - 3 };
    let offset: usize = own[..keep].iter().map(|l| l.text.chars().count()).sum();
    Placement {
        height: usual,
        break_at: Some((pi, offset)),
    }
}

/// Splits paragraph `pi` at char `offset` into two set paragraphs (the
/// second to start a page).
pub(crate) fn split(p: &SetParagraph, offset: usize) -> (SetParagraph, SetParagraph) {
    let mut first = Vec::new();
    let mut second = Vec::new();
    let mut seen = 0;
    for (text, italic) in &p.runs {
        let n = text.chars().count();
        if seen + n <= offset {
            first.push((text.clone(), *italic));
        } else if seen >= offset {
            second.push((text.clone(), *italic));
        } else {
            let k = offset - seen;
            first.push((text.chars().take(k).collect(), *italic));
            second.push((text.chars().skip(k).collect(), *italic));
        }
        seen += n;
    }
    (
        SetParagraph {
            runs: first,
            ..p.clone()
        },
        SetParagraph {
            runs: second,
            ..p.clone()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::StyleId;
    use crate::story_docx::layout::{self, BODY};

    fn body(text: &str) -> SetParagraph {
        SetParagraph {
            id: StyleId::Normal,
            style: BODY,
            runs: vec![(text.to_owned(), false)],
            block: Some(0),
        }
    }

    #[test]
    fn the_box_shrinks_into_the_room_left_or_takes_the_last_lines_along() {
        let look = layout::STANDARD;
        // A short story: the usual box fits under it.
        let p = place(&[body("A few words.")], &look);
        assert_eq!(
            p,
            Placement {
                height: 2600,
                break_at: None
            }
        );
        // Fill the page down to various depths with one-line paragraphs (460 twips each).
        let mut shrunk = false;
        let mut moved = false;
        for n in 20..31 {
            let mut ps: Vec<SetParagraph> = (0..n).map(|_| body("A line.")).collect();
            ps.push(body(&"word ".repeat(90)));
            let plan = place(&ps, &look);
            match plan.break_at {
                None => {
                    assert!(plan.height >= 1400 && plan.height <= 2600);
                    shrunk |= plan.height < 2600;
                    // It fits: the last line's bottom plus the box is within the page.
                    let lines = lay_out_paragraphs(&ps);
                    let last = lines.last().unwrap();
                    if last.page == lines[0].page {
                        assert!(last.bottom + 160 + plan.height + BOX_EXTRA <= TEXT_HEIGHT);
                    }
                }
                Some((pi, off)) => {
                    moved = true;
                    assert_eq!(pi, n);
                    let (a, b) = split(&ps[pi], off);
                    assert_eq!(a.text() + &b.text(), ps[pi].text());
                }
            }
        }
        assert!(shrunk && moved);
    }
}
