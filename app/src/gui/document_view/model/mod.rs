//! The document as the view shows it: blocks (speaker turns, plus any text
//! before the first turn), the coded spans and marks of each block, and the
//! per-block `LayoutJob`s. Everything here is rebuilt once per project
//! revision (and only where something changed), never per frame.
//!
//! [`blocks`] cuts the document into blocks; [`look`] works out the coded
//! spans, marks and colours of each block and builds its `LayoutJob`.

mod blocks;
mod look;
#[cfg(test)]
mod tests;

pub use blocks::{Block, block_at};
pub use look::{Look, Span, Style};

use crate::gui::color::hex_color;
use blocks::blocks;
use egui::Color32;
use egui::text::LayoutJob;
use look::{block_marks, job, look, spans};
use std::collections::HashMap;
use std::sync::Arc;
use storyloom_project::{Code, Coding, DocumentText};

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
        let chars = storyloom_project::text::char_len(&doc.text);
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
    /// codes may differ, and so may the turns (a person split, merged or
    /// reassigned them). Only the jobs of blocks that look different are
    /// rebuilt; returns whether the blocks' ranges changed (turn heights
    /// measured before no longer hold).
    pub fn refresh(
        &mut self,
        doc: DocumentText,
        codings: Arc<Vec<Coding>>,
        codes: Arc<Vec<Code>>,
    ) -> bool {
        self.name = doc.name.clone();
        let blocks = blocks(&doc);
        let same_ranges = blocks.len() == self.blocks.len()
            && blocks
                .iter()
                .zip(&self.blocks)
                .all(|(a, b)| (a.start, a.end) == (b.start, b.end));
        // Same ranges: keep the jobs, take roles and speaker names.
        self.blocks = blocks;
        if !same_ranges {
            self.jobs.clear();
            self.looks.clear();
        }
        self.marks = block_marks(&self.blocks, &doc.marks);
        self.set_codings(codings, codes);
        !same_ranges
    }

    /// Takes new codings and codes for the same text and turns.
    pub fn set_codings(&mut self, codings: Arc<Vec<Coding>>, codes: Arc<Vec<Code>>) {
        self.colors = codes
            .iter()
            .map(|c| {
                let color = hex_color(&c.color).unwrap_or(Color32::from_gray(128));
                (c.uuid.clone(), color)
            })
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
