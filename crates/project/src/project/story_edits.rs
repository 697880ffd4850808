//! Excerpt edits on [`Project`]: each loads the story, applies one function
//! of the excerpt algebra (`storyloom_stories::edit`) and stores the result
//! as one change through [`Project::edit_story`].

use super::Project;
use crate::error::{Error, Result};
use crate::store::new_uuid;
use crate::stories::edit;
use crate::stories::{Block, BlockContent, Gap};

fn bracket_free(what: &str, text: &str) -> Result<String> {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(Error::Invalid(format!("the {what} is empty")));
    }
    if t.contains(['[', ']']) {
        return Err(Error::Invalid(format!(
            "write the {what} without square brackets: Storyloom adds them"
        )));
    }
    Ok(t)
}

impl Project {
    /// Adds the words of `document` from `start` to `end` (chars of its current
    /// text) as an excerpt block at `position` (default: the end). The range
    /// must lie in one turn of the story's participant. Returns the block uuid.
    pub fn add_excerpt(
        &mut self,
        key: &str,
        document: &str,
        start: usize,
        end: usize,
        position: Option<usize>,
    ) -> Result<String> {
        let id = self.store.find_story(key)?;
        let story = self.store.load_story(id)?;
        let (doc_id, _, doc_name) = self.store.find_document(document)?;
        let cv = self.store.current_version(doc_id)?;
        let sources = self.store.story_sources(&[cv.version_id])?;
        let doc = sources
            .get(&cv.version_id)
            .ok_or_else(|| Error::UnknownDocument(document.to_owned()))?;
        let chars = doc.len_chars();
        if start >= end || end > chars {
            return Err(Error::OutOfRange {
                document: doc_name,
                start,
                end,
                chars,
            });
        }
        let block = edit::new_excerpt(
            &story,
            doc,
            cv.version_id,
            &doc_name,
            (start, end),
            new_uuid(),
        )?;
        let uuid = block.uuid.clone();
        let shown = match &block.content {
            BlockContent::Excerpt { pieces } => short(&pieces[0].span.quote),
            BlockContent::Framing { text } => short(text),
        };
        self.edit_story(
            key,
            "story_add_excerpt",
            |_| format!("added “{shown}” to a story"),
            |st| {
                let at = position.unwrap_or(st.blocks.len()).min(st.blocks.len());
                st.blocks.insert(at, block);
                Ok(())
            },
        )?;
        Ok(uuid)
    }

    /// Adds researcher framing (shown in italics) at `position` (default: the start).
    pub fn add_framing(
        &mut self,
        key: &str,
        text: &str,
        position: Option<usize>,
    ) -> Result<String> {
        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err(Error::Invalid("the framing text is empty".into()));
        }
        let uuid = new_uuid();
        let block = Block {
            uuid: uuid.clone(),
            content: BlockContent::Framing { text: t },
            lost_pieces: 0,
        };
        self.edit_story(
            key,
            "story_add_framing",
            |_| "added framing to a story".into(),
            |st| {
                let at = position.unwrap_or(0).min(st.blocks.len());
                st.blocks.insert(at, block);
                Ok(())
            },
        )?;
        Ok(uuid)
    }

    pub fn edit_framing(&mut self, key: &str, block: &str, text: &str) -> Result<()> {
        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err(Error::Invalid(
                "the framing text is empty: delete the block instead".into(),
            ));
        }
        self.edit_story(
            key,
            "story_edit_framing",
            |_| "edited framing".into(),
            |st| Ok(edit::edit_framing(st, block, t)?),
        )
    }

    /// Moves a block to a new index (reordering is allowed and recorded).
    pub fn move_block(&mut self, key: &str, block: &str, to: usize) -> Result<()> {
        self.edit_story(
            key,
            "story_move_block",
            |_| format!("moved a block to place {}", to + 1),
            |st| Ok(edit::move_block(st, block, to)?),
        )
    }

    pub fn delete_block(&mut self, key: &str, block: &str) -> Result<()> {
        self.edit_story(
            key,
            "story_delete_block",
            |_| "deleted a block".into(),
            |st| Ok(edit::delete_block(st, block)?),
        )
    }

    /// Splits an excerpt before its piece `at`, making two blocks (two paragraphs).
    pub fn split_block(&mut self, key: &str, block: &str, at_char: usize) -> Result<String> {
        let new = new_uuid();
        let new_c = new.clone();
        self.edit_story(
            key,
            "story_split_block",
            |_| "split an excerpt in two".into(),
            |st| Ok(edit::split_block(st, block, at_char, new_c)?),
        )?;
        Ok(new)
    }

    /// Merges an excerpt with the next block (same transcript, later words);
    /// the words between become an elision.
    pub fn merge_with_next(&mut self, key: &str, block: &str) -> Result<()> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        self.edit_story(
            key,
            "story_merge_blocks",
            |_| "merged two excerpts".into(),
            |st| Ok(edit::merge_with_next(st, block, &sources)?),
        )
    }

    /// Cuts words of an excerpt (chars of its transcript version, widened to
    /// whole words): inside, they become an elision (` … `); at an edge,
    /// the excerpt is shortened.
    pub fn cut_words(&mut self, key: &str, block: &str, start: usize, end: usize) -> Result<()> {
        self.cut(key, block, start, end, Gap::Elision)
    }

    /// Would cutting `start..end` from an excerpt leave a fragment (the start
    /// of a sentence cut, a dependent tail of it kept)? Returns the cut
    /// extended to that sentence's end and the words it would add, so the
    /// window can offer it; `None` when the cut leaves whole sentences.
    /// Reads only; the cut itself is [`Project::cut_words`].
    pub fn cut_leaves_fragment(
        &self,
        key: &str,
        block: &str,
        start: usize,
        end: usize,
    ) -> Result<Option<CutToSentenceEnd>> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let i = edit::block_index(&story, block)?;
        let BlockContent::Excerpt { pieces } = &story.blocks[i].content else {
            return Ok(None);
        };
        let Some(doc) = pieces.first().and_then(|p| sources.get(&p.span.version_id)) else {
            return Ok(None);
        };
        let (s, e) = edit::widen_to_words(doc, start, end);
        Ok(
            crate::stories::words::fragment_after_cut(doc, pieces, (s, e)).map(|to| {
                CutToSentenceEnd {
                    start: s,
                    end: to,
                    tail: doc.slice(e, to).trim().to_owned(),
                }
            }),
        )
    }

    /// Drops a listed filler or an immediate repeat without a mark.
    pub fn drop_filler(&mut self, key: &str, block: &str, start: usize, end: usize) -> Result<()> {
        self.cut(key, block, start, end, Gap::Unmarked)
    }

    fn cut(&mut self, key: &str, block: &str, start: usize, end: usize, gap: Gap) -> Result<()> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let rules = self.story_rules();
        let i = edit::block_index(&story, block)?;
        let BlockContent::Excerpt { pieces } = &story.blocks[i].content else {
            return Err(Error::Invalid(
                "framing is the researcher's text: edit it instead".into(),
            ));
        };
        let Some(doc) = pieces.first().and_then(|p| sources.get(&p.span.version_id)) else {
            return Err(Error::Invalid("an empty excerpt".into()));
        };
        let range = edit::cut_range(doc, pieces, (start, end), gap, &rules)?;
        let shown = short(doc.slice(range.0, range.1));
        let verb = if gap == Gap::Elision {
            "cut"
        } else {
            "dropped"
        };
        self.edit_story(
            key,
            "story_cut",
            |_| format!("{verb} “{shown}” from an excerpt"),
            |st| Ok(edit::cut(st, i, doc, range, gap)?),
        )
    }

    /// Inserts a bracketed clarification at a word edge of an excerpt (`at`:
    /// a char of the transcript version, inside or at the end of the excerpt;
    /// inside a word it moves to the word's end, so a selection that stops
    /// mid-word never splits it).
    pub fn add_clarification(
        &mut self,
        key: &str,
        block: &str,
        at: usize,
        text: &str,
    ) -> Result<()> {
        let t = bracket_free("clarification", text)?;
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let i = edit::block_index(&story, block)?;
        let at = match edit::excerpt_source(&story, i, &sources) {
            Some(doc) => edit::widen_to_words(doc, at, at).1,
            None => at,
        };
        let shown = t.clone();
        self.edit_story(
            key,
            "story_clarify",
            |_| format!("added the clarification [{shown}]"),
            |st| Ok(edit::add_clarification(st, block, at, t)?),
        )
    }

    /// Removes the clarification after the piece ending at `at`.
    pub fn remove_clarification(&mut self, key: &str, block: &str, at: usize) -> Result<()> {
        self.edit_story(
            key,
            "story_unclarify",
            |_| "removed a clarification".into(),
            |st| Ok(edit::remove_clarification(st, block, at)?),
        )
    }

    /// Shows the words from `start` to `end` (widened to whole words) as
    /// `[replacement]`: a pseudonym or a description ("[her daughter]").
    pub fn replace_with_pseudonym(
        &mut self,
        key: &str,
        block: &str,
        start: usize,
        end: usize,
        replacement: &str,
    ) -> Result<()> {
        let r = bracket_free("replacement", replacement)?;
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let i = edit::block_index(&story, block)?;
        let doc = edit::excerpt_source(&story, i, &sources)
            .ok_or_else(|| Error::Invalid("replace words inside an excerpt".into()))?;
        let (s, e) = edit::widen_to_words(doc, start, end);
        // A replacement stands for a name or identifying detail, or a few
        // words (the checker warns): never a clause or a sentence.
        let map = match self.pseudonym_map(None) {
            Ok(m) => m,
            Err(_) => crate::stories::PseudonymMap::new(self.store.pseudonyms()?),
        };
        if let Err(why) = crate::stories::check::rules::replacement_risk(doc.slice(s, e), &map) {
            return Err(Error::Invalid(why));
        }
        let shown = short(doc.slice(s, e));
        let summary = format!("replaced “{shown}” with [{r}]");
        self.edit_story(
            key,
            "story_replace",
            |_| summary,
            |st| Ok(edit::replace_words(st, i, doc, (s, e), r)?),
        )
    }
}

/// A cut extended to the end of the sentence it would leave as a fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutToSentenceEnd {
    /// The extended cut: chars of the transcript version.
    pub start: usize,
    pub end: usize,
    /// The words the fragment would have kept ("and I nearly turned round.").
    pub tail: String,
}

/// A quote shortened for a history summary.
/// A quote short enough for a message.
fn short(quote: &str) -> String {
    storyloom_text::text::one_line(quote, 57)
}
