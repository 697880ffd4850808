//! The document as the view shows it: blocks (speaker turns, plus any text
//! before the first turn), the coded spans and marks of each block, and the
//! per-block `LayoutJob`s. Everything here is rebuilt once per project
//! revision (and only where something changed), never per frame.

use egui::text::LayoutJob;
use egui::{Color32, FontId, TextFormat};
use std::collections::HashMap;
use std::sync::Arc;
use storyloom_coding::{Code, Coding, DocumentText, Mark, Role};

/// A run of the document shown as one unit: a speaker turn, or the text
/// before the first turn (a title, a header).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Char range in the document text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Byte range of the same text.
    pub byte_start: usize,
    pub byte_end: usize,
    pub speaker: Option<String>,
    pub role: Role,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

impl Block {
    pub fn chars(&self) -> usize {
        self.end - self.start
    }

    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.byte_start..self.byte_end]
    }
}

/// Byte offsets of the given char offsets (sorted ascending) in `text`;
/// offsets past the end give `text.len()`.
pub fn byte_offsets(text: &str, sorted_chars: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_chars.len());
    let mut bytes = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut cur = bytes.next().unwrap_or(0);
    let mut at = 0usize;
    for &want in sorted_chars {
        while at < want {
            match bytes.next() {
                Some(b) => {
                    cur = b;
                    at += 1;
                }
                None => break,
            }
        }
        out.push(cur);
    }
    out
}

/// The char range of `text[start..end]` without its leading and trailing whitespace.
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice: Vec<char> = text.chars().skip(start).take(end - start).collect();
    let lead = slice.iter().take_while(|c| c.is_whitespace()).count();
    let trail = slice.iter().rev().take_while(|c| c.is_whitespace()).count();
    if lead == slice.len() {
        (start, start)
    } else {
        (start + lead, end - trail)
    }
}

/// The blocks of a document: an untitled block for text before the first
/// turn (when there is any), then one per turn. A document without turns
/// is one block.
pub fn blocks(doc: &DocumentText) -> Vec<Block> {
    let total = storyloom_coding::text::char_len(&doc.text);
    let mut ranges: Vec<(usize, usize, Option<&storyloom_coding::Turn>)> = Vec::new();
    match doc.turns.first() {
        None => {
            let (s, e) = trimmed(&doc.text, 0, total);
            if e > s {
                ranges.push((s, e, None));
            }
        }
        Some(first) => {
            let before = first.label_start.unwrap_or(first.start).min(first.start);
            if before > 0 {
                let (s, e) = trimmed(&doc.text, 0, before);
                if e > s {
                    ranges.push((s, e, None));
                }
            }
            for t in &doc.turns {
                let end = t.end.min(total);
                let start = t.start.min(end);
                ranges.push((start, end, Some(t)));
            }
        }
    }
    let mut wanted: Vec<usize> = ranges.iter().flat_map(|r| [r.0, r.1]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let bytes = byte_offsets(&doc.text, &wanted);
    let byte_of: HashMap<usize, usize> = wanted.into_iter().zip(bytes).collect();
    ranges
        .into_iter()
        .map(|(start, end, t)| Block {
            start,
            end,
            byte_start: byte_of[&start],
            byte_end: byte_of[&end],
            speaker: t.map(|t| t.speaker.clone()),
            role: t.map_or(Role::Other, |t| t.role),
            start_ms: t.and_then(|t| t.start_ms),
            end_ms: t.and_then(|t| t.end_ms),
        })
        .collect()
}

/// The block holding a char offset (the nearest one when it falls between blocks).
pub fn block_at(blocks: &[Block], pos: usize) -> Option<usize> {
    if blocks.is_empty() {
        return None;
    }
    let i = blocks.partition_point(|b| b.end <= pos);
    Some(i.min(blocks.len() - 1))
}

/// A coding's part inside one block (char offsets local to the block).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Index into [`Model::codings`].
    pub coding: usize,
    pub start: usize,
    pub end: usize,
    /// The margin lane: one per code in the block, in order of first use.
    pub lane: usize,
    pub color: Color32,
}

/// A stretch of a block's text with one look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub background: Color32,
    pub codes: u16,
    pub mark: bool,
}

/// How a block should look: enough to tell whether its job must be rebuilt.
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub role: Role,
    pub segments: Vec<Segment>,
}

/// What the text is drawn with; a change rebuilds every job.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub font: FontId,
    pub text: Color32,
    pub quiet: Color32,
    pub mark: Color32,
    pub dark: bool,
}

impl Style {
    pub fn from_ui(ui: &egui::Ui) -> Style {
        let v = ui.visuals();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let font = FontId::new(font.size + 1.0, font.family);
        Style {
            font,
            text: v.text_color(),
            quiet: if v.dark_mode {
                Color32::from_gray(150)
            } else {
                Color32::from_gray(95)
            },
            mark: if v.dark_mode {
                Color32::from_gray(125)
            } else {
                Color32::from_gray(130)
            },
            dark: v.dark_mode,
        }
    }
}

/// `#rrggbb` to a colour (grey when it does not parse).
pub fn parse_color(hex: &str) -> Color32 {
    let h = hex.trim().trim_start_matches('#');
    if h.len() == 6
        && let Ok(v) = u32::from_str_radix(h, 16)
    {
        return Color32::from_rgb((v >> 16) as u8, (v >> 8) as u8, v as u8);
    }
    Color32::from_gray(128)
}

/// The background of text carrying these code colours: their mean, more
/// opaque the more codes overlap, so overlaps show as deeper tints.
pub fn blend(colors: &[Color32], dark: bool) -> Color32 {
    if colors.is_empty() {
        return Color32::TRANSPARENT;
    }
    let n = colors.len() as u32;
    let (mut r, mut g, mut b) = (0u32, 0u32, 0u32);
    for c in colors {
        r += c.r() as u32;
        g += c.g() as u32;
        b += c.b() as u32;
    }
    let base = if dark { 70 } else { 55 };
    let alpha = (base + 40 * (n - 1)).min(170) as u8;
    Color32::from_rgba_unmultiplied((r / n) as u8, (g / n) as u8, (b / n) as u8, alpha)
}

/// The coded spans of every block, with margin lanes.
pub fn spans(
    blocks: &[Block],
    codings: &[Coding],
    colors: &HashMap<String, Color32>,
) -> Vec<Vec<Span>> {
    let mut out: Vec<Vec<Span>> = vec![Vec::new(); blocks.len()];
    let mut order: Vec<usize> = (0..codings.len()).collect();
    order.sort_by_key(|&i| (codings[i].start, codings[i].end));
    for i in order {
        let c = &codings[i];
        if c.end <= c.start {
            continue;
        }
        let color = colors
            .get(&c.code)
            .copied()
            .unwrap_or(Color32::from_gray(128));
        let mut b = blocks.partition_point(|b| b.end <= c.start);
        while b < blocks.len() && blocks[b].start < c.end {
            let bl = &blocks[b];
            let s = c.start.max(bl.start);
            let e = c.end.min(bl.end);
            if s < e {
                out[b].push(Span {
                    coding: i,
                    start: s - bl.start,
                    end: e - bl.start,
                    lane: 0,
                    color,
                });
            }
            b += 1;
        }
    }
    for list in &mut out {
        let mut lanes: Vec<&str> = Vec::new();
        for s in list.iter_mut() {
            let code = codings[s.coding].code.as_str();
            s.lane = match lanes.iter().position(|l| *l == code) {
                Some(p) => p,
                None => {
                    lanes.push(code);
                    lanes.len() - 1
                }
            };
        }
    }
    out
}

/// Marks clipped to each block (local char ranges).
pub fn block_marks(blocks: &[Block], marks: &[Mark]) -> Vec<Vec<(usize, usize)>> {
    let mut out = vec![Vec::new(); blocks.len()];
    for m in marks {
        let mut b = blocks.partition_point(|b| b.end <= m.start);
        while b < blocks.len() && blocks[b].start < m.end {
            let bl = &blocks[b];
            let s = m.start.max(bl.start);
            let e = m.end.min(bl.end);
            if s < e {
                out[b].push((s - bl.start, e - bl.start));
            }
            b += 1;
        }
    }
    out
}

/// The look of one block: a sweep over the boundaries of its spans and marks.
pub fn look(block: &Block, spans: &[Span], marks: &[(usize, usize)], dark: bool) -> Look {
    let n = block.chars();
    let mut cuts: Vec<usize> = vec![0, n];
    for s in spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    for m in marks {
        cuts.push(m.0);
        cuts.push(m.1);
    }
    cuts.retain(|&c| c <= n);
    cuts.sort_unstable();
    cuts.dedup();
    let mut segments: Vec<Segment> = Vec::with_capacity(cuts.len());
    let mut colors = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        colors.clear();
        for s in spans {
            if s.start <= a && b <= s.end {
                colors.push(s.color);
            }
        }
        let mark = marks.iter().any(|m| m.0 <= a && b <= m.1);
        let seg = Segment {
            start: a,
            end: b,
            background: blend(&colors, dark),
            codes: colors.len() as u16,
            mark,
        };
        match segments.last_mut() {
            Some(last)
                if last.background == seg.background
                    && last.mark == seg.mark
                    && last.codes == seg.codes =>
            {
                last.end = b;
            }
            _ => segments.push(seg),
        }
    }
    Look {
        role: block.role,
        segments,
    }
}

/// The layout job of one block (no wrap width: set it when laying out).
pub fn job(text: &str, look: &Look, style: &Style) -> LayoutJob {
    let mut job = LayoutJob::default();
    let base = if look.role == Role::Interviewer {
        style.quiet
    } else {
        style.text
    };
    let cuts: Vec<usize> = look
        .segments
        .iter()
        .flat_map(|s| [s.start, s.end])
        .collect();
    let bytes = byte_offsets(text, &cuts);
    for (k, seg) in look.segments.iter().enumerate() {
        let (a, b) = (bytes[2 * k], bytes[2 * k + 1]);
        let format = TextFormat {
            font_id: style.font.clone(),
            color: if seg.mark { style.mark } else { base },
            italics: seg.mark,
            background: seg.background,
            ..Default::default()
        };
        job.append(&text[a..b], 0.0, format);
    }
    if job.sections.is_empty() {
        job.append(
            "",
            0.0,
            TextFormat {
                font_id: style.font.clone(),
                color: base,
                ..Default::default()
            },
        );
    }
    job
}

/// Everything the view needs about the open document.
pub struct Model {
    pub uuid: String,
    pub name: String,
    pub version: i64,
    pub text: String,
    pub chars: usize,
    pub blocks: Vec<Block>,
    pub codings: Arc<Vec<Coding>>,
    pub codes: Arc<Vec<Code>>,
    pub colors: HashMap<String, Color32>,
    pub spans: Vec<Vec<Span>>,
    marks: Vec<Vec<(usize, usize)>>,
    pub looks: Vec<Look>,
    /// One job per block, built for [`Model::style`]; empty until a style is set.
    pub jobs: Vec<Arc<LayoutJob>>,
    pub style: Option<Style>,
    /// Jobs rebuilt by the last update (the tests check that only changed blocks are).
    pub rebuilt: usize,
}

impl Model {
    pub fn new(doc: DocumentText, codings: Arc<Vec<Coding>>, codes: Arc<Vec<Code>>) -> Model {
        let blocks = blocks(&doc);
        let chars = storyloom_coding::text::char_len(&doc.text);
        let marks = block_marks(&blocks, &doc.marks);
        let mut m = Model {
            uuid: doc.uuid,
            name: doc.name,
            version: doc.version,
            text: doc.text,
            chars,
            blocks,
            codings: Arc::default(),
            codes: Arc::default(),
            colors: HashMap::new(),
            spans: Vec::new(),
            marks,
            looks: Vec::new(),
            jobs: Vec::new(),
            style: None,
            rebuilt: 0,
        };
        m.set_codings(codings, codes);
        m
    }

    /// Is this the same text (so cached heights and jobs can stay)?
    pub fn same_text(&self, doc: &DocumentText) -> bool {
        self.uuid == doc.uuid && self.version == doc.version && self.text == doc.text
    }

    /// Takes a reloaded document with the same text: roles, codings and
    /// codes may differ. Only the jobs of blocks that look different are rebuilt.
    pub fn refresh(&mut self, doc: DocumentText, codings: Arc<Vec<Coding>>, codes: Arc<Vec<Code>>) {
        self.name = doc.name.clone();
        let blocks = blocks(&doc);
        if blocks.len() == self.blocks.len() {
            // Same turns: keep ranges, take roles and speaker names.
            self.blocks = blocks;
        } else {
            self.blocks = blocks;
            self.jobs.clear();
            self.looks.clear();
        }
        self.marks = block_marks(&self.blocks, &doc.marks);
        self.set_codings(codings, codes);
    }

    fn set_codings(&mut self, codings: Arc<Vec<Coding>>, codes: Arc<Vec<Code>>) {
        self.colors = codes
            .iter()
            .map(|c| (c.uuid.clone(), parse_color(&c.color)))
            .collect();
        self.codes = codes;
        self.codings = codings;
        self.spans = spans(&self.blocks, &self.codings, &self.colors);
        self.update_looks();
    }

    /// Sets the style; a different one rebuilds every job.
    pub fn set_style(&mut self, style: Style) {
        if self.style.as_ref() != Some(&style) {
            self.style = Some(style);
            self.jobs.clear();
            self.looks.clear();
            self.update_looks();
        }
    }

    /// Recomputes how blocks look and rebuilds the jobs of those that changed.
    fn update_looks(&mut self) {
        let dark = self.style.as_ref().is_some_and(|s| s.dark);
        let looks: Vec<Look> = self
            .blocks
            .iter()
            .zip(&self.spans)
            .zip(&self.marks)
            .map(|((b, s), m)| look(b, s, m, dark))
            .collect();
        self.rebuilt = 0;
        if let Some(style) = &self.style {
            if self.jobs.len() != looks.len() {
                self.jobs.clear();
                self.looks.clear();
            }
            for (i, l) in looks.iter().enumerate() {
                if self.looks.get(i) != Some(l) || self.jobs.len() <= i {
                    let j = Arc::new(job(self.blocks[i].text(&self.text), l, style));
                    if i < self.jobs.len() {
                        self.jobs[i] = j;
                    } else {
                        self.jobs.push(j);
                    }
                    self.rebuilt += 1;
                }
            }
        }
        self.looks = looks;
    }

    /// The text of a char range of the document.
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, turns: &[(usize, usize, &str, Role)]) -> DocumentText {
        DocumentText {
            uuid: "d".into(),
            name: "d".into(),
            version: 1,
            text: text.into(),
            turns: turns
                .iter()
                .enumerate()
                .map(|(i, (s, e, sp, r))| storyloom_coding::Turn {
                    uuid: format!("t{i}"),
                    seq: i,
                    speaker: (*sp).into(),
                    role: *r,
                    label_start: Some(
                        text.chars()
                            .take(*s)
                            .collect::<Vec<_>>()
                            .iter()
                            .rposition(|&c| c == '\n')
                            .map_or(0, |p| p + 1),
                    ),
                    start: *s,
                    end: *e,
                    start_ms: None,
                    end_ms: None,
                    text: text.chars().skip(*s).take(e - s).collect(),
                })
                .collect(),
            marks: vec![],
        }
    }

    #[test]
    fn blocks_keep_char_offsets_and_byte_ranges_with_non_ascii_text() {
        let text = "Título\n\nA: Zoë café — naïve 😀 ok\nB: Ünïcödé";
        let chars: Vec<char> = text.chars().collect();
        let a = chars.iter().position(|&c| c == 'Z').unwrap();
        let a_end = a + "Zoë café — naïve 😀 ok".chars().count();
        let b = chars.iter().rposition(|&c| c == 'Ü').unwrap();
        let d = doc(
            text,
            &[
                (a, a_end, "A", Role::Interviewer),
                (b, chars.len(), "B", Role::Participant),
            ],
        );
        let bl = blocks(&d);
        assert_eq!(bl.len(), 3);
        assert_eq!(bl[0].text(text), "Título");
        assert_eq!(bl[1].text(text), "Zoë café — naïve 😀 ok");
        assert_eq!(bl[2].text(text), "Ünïcödé");
        assert_eq!(bl[1].start, a);
        assert_eq!(block_at(&bl, a + 3), Some(1));
    }

    #[test]
    fn overlapping_codings_deepen_the_background_and_get_lanes() {
        let text = "one two three four";
        let d = doc(text, &[(0, 18, "P", Role::Participant)]);
        let bl = blocks(&d);
        let coding = |u: &str, code: &str, s, e| Coding {
            uuid: u.into(),
            code: code.into(),
            code_path: code.into(),
            document: "d".into(),
            document_name: "d".into(),
            version: 1,
            start: s,
            end: e,
            quote: String::new(),
            coder: "me".into(),
            created_at: String::new(),
            key_quote: false,
        };
        let codings = vec![coding("1", "red", 0, 7), coding("2", "blue", 4, 13)];
        let colors: HashMap<String, Color32> = [
            ("red".to_string(), Color32::RED),
            ("blue".to_string(), Color32::BLUE),
        ]
        .into();
        let sp = spans(&bl, &codings, &colors);
        assert_eq!(sp[0].len(), 2);
        assert_eq!((sp[0][0].lane, sp[0][1].lane), (0, 1));
        let l = look(&bl[0], &sp[0], &[], false);
        let counts: Vec<(usize, usize, u16)> = l
            .segments
            .iter()
            .map(|s| (s.start, s.end, s.codes))
            .collect();
        assert_eq!(counts, vec![(0, 4, 1), (4, 7, 2), (7, 13, 1), (13, 18, 0)]);
        assert!(l.segments[1].background.a() > l.segments[0].background.a());
        let style = Style {
            font: FontId::proportional(14.0),
            text: Color32::BLACK,
            quiet: Color32::GRAY,
            mark: Color32::GRAY,
            dark: false,
        };
        let j = job(bl[0].text(text), &l, &style);
        assert_eq!(j.text, text);
        assert_eq!(j.sections.len(), 4);
    }
}
