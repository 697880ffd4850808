//! Story commands on [`Project`]. Every edit is one [`Store::change`] (one
//! transaction, one history entry, undoable), bumps the story's revision and
//! keeps its snapshot; an edit to an approved story sets it to `changes`.
//! Excerpt edits take char offsets into the span's document version (the
//! editor maps rendered positions with [`crate::stories::Paragraph::to_source`]).

use super::Project;
use crate::error::{Error, Result};
use crate::model::Role;
use crate::store::stories::DetachedKey;
use crate::store::{ChangeRecord, Store, new_uuid};
use crate::stories::pseudonyms::{capitalised_names, fingerprint};
use crate::stories::tokens::tokens;
use crate::stories::{
    self, Approval, Block, BlockContent, CheckReport, DraftCoding, DraftInput, Finding, Gap,
    KeyState, Piece, Pseudonym, PseudonymKind, PseudonymMap, PseudonymSuggestion, RenderedStory,
    Severity, SourceSpan, Sources, Story, StoryRevision, StoryRules, StoryStatus, StorySummary,
};
use serde_json::json;
use std::ops::Not;
use std::path::Path;

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

fn check_date(date: &str) -> Result<String> {
    let d = date.trim();
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|_| d.to_owned())
        .map_err(|_| Error::Invalid(format!("'{date}' is not a date (use YYYY-MM-DD)")))
}

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
    /// The rules stories are checked and drafted by.
    pub fn story_rules(&self) -> StoryRules {
        StoryRules::default()
    }

    pub fn stories(&self) -> Result<Vec<StorySummary>> {
        Ok(self.store.story_summaries()?)
    }

    /// A story by id (or prefix), its participant's id, or its title.
    pub fn story(&self, key: &str) -> Result<Story> {
        let id = self.store.find_story(key)?;
        Ok(self.store.load_story(id)?)
    }

    pub fn story_revisions(&self, key: &str) -> Result<Vec<StoryRevision>> {
        let id = self.store.find_story(key)?;
        Ok(self.store.story_revisions(id)?)
    }

    /// The text versions a story's spans point into.
    pub fn story_sources(&self, story: &Story) -> Result<Sources> {
        let ids: Vec<i64> = story
            .blocks
            .iter()
            .flat_map(|b| match &b.content {
                BlockContent::Excerpt { pieces } => {
                    pieces.iter().map(|p| p.span.version_id).collect()
                }
                BlockContent::Framing { .. } => vec![],
            })
            .collect();
        Ok(self.store.story_sources(&ids)?)
    }

    fn participant_row(&self, key: &str) -> Result<(i64, String)> {
        self.store
            .find_participant(key)?
            .ok_or_else(|| Error::UnknownParticipant(key.to_owned()))
    }

    /// Creates an empty story for a participant; returns its uuid.
    pub fn create_story(&mut self, participant: &str, title: &str) -> Result<String> {
        let (pid, ident) = self.participant_row(participant)?;
        let (_, _, pseudonym) = self.store.participant_brief(pid)?;
        let pseudonym = pseudonym.unwrap_or_default();
        let mut story = self.new_story_value(pid, &ident, title.trim(), &pseudonym);
        self.insert_story_value(&mut story, "create_story", format!("new story for {ident}"))
    }

    fn new_story_value(&self, pid: i64, ident: &str, title: &str, pseudonym: &str) -> Story {
        Story {
            uuid: String::new(),
            participant: Some(ident.to_owned()),
            participant_id: Some(pid),
            title: title.to_owned(),
            pseudonym: pseudonym.to_owned(),
            role_line: String::new(),
            status: StoryStatus::Draft,
            revision: 1,
            approval: None,
            sent_on: None,
            blocks: vec![],
            themes: vec![],
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn insert_story_value(
        &mut self,
        story: &mut Story,
        command: &'static str,
        summary: String,
    ) -> Result<String> {
        let actor = self.actor.clone();
        let pid = story
            .participant_id
            .ok_or_else(|| Error::Invalid("a story needs a participant".into()))?;
        let snap = stories::snapshot(story);
        let (title, pseudonym) = (story.title.clone(), story.pseudonym.clone());
        self.store.change(
            |uuid: &String| ChangeRecord {
                actor: actor.clone(),
                command,
                summary,
                forward: json!({ "story": uuid }),
                inverse: json!({ "delete_story": uuid }),
            },
            |tx| {
                let (id, uuid) = Store::insert_story(tx, pid, &title, &pseudonym)?;
                story.uuid = uuid.clone();
                Store::write_story(tx, id, story, &actor, &snap)?;
                Ok(uuid)
            },
        )
    }

    /// Drafts a story for a participant from their own turns (see
    /// [`crate::stories::draft`]); returns the new story's uuid.
    pub fn draft_story(&mut self, participant: &str) -> Result<String> {
        let (pid, ident) = self.participant_row(participant)?;
        let (_, _, pseudonym) = self.store.participant_brief(pid)?;
        let (draft, sources) = self.draft_of(pid)?;
        if draft.blocks.is_empty() {
            return Err(Error::Invalid(format!(
                "{ident} has no turns of their own in any transcript: link their speaker first"
            )));
        }
        let mut story =
            self.new_story_value(pid, &ident, &draft.title, &pseudonym.unwrap_or_default());
        story.blocks = draft
            .blocks
            .into_iter()
            .map(|content| Block {
                uuid: new_uuid(),
                content,
                lost_pieces: 0,
            })
            .collect();
        let words = stories::render(&story, &sources, None).words;
        self.insert_story_value(
            &mut story,
            "draft_story",
            format!("auto-drafted a story for {ident} ({words} words)"),
        )
    }

    /// The draft of a participant's story without storing it (a preview; the benchmark).
    pub fn draft_preview(&self, participant: &str) -> Result<(stories::Draft, Sources)> {
        let (pid, _) = self.participant_row(participant)?;
        self.draft_of(pid)
    }

    fn draft_of(&self, participant_id: i64) -> Result<(stories::Draft, Sources)> {
        let versions = self.store.participant_versions(participant_id)?;
        let sources = self.store.story_sources(&versions)?;
        let mut turns = Vec::new();
        for vid in &versions {
            if let Some(doc) = sources.get(vid) {
                for (i, t) in doc.turns.iter().enumerate() {
                    if t.role == Role::Participant && t.participant_id == Some(participant_id) {
                        turns.push((*vid, i));
                    }
                }
            }
        }
        let codings = self
            .store
            .draft_codings(&versions)?
            .into_iter()
            .map(|(version_id, start, end, key_quote, themed)| DraftCoding {
                version_id,
                start,
                end,
                key_quote,
                themed,
            })
            .collect();
        let rules = self.story_rules();
        let draft = stories::draft(&DraftInput {
            sources: &sources,
            turns,
            codings,
            rules: &rules,
        });
        Ok((draft, sources))
    }

    /// Loads, edits and stores a story as one change.
    fn edit_story(
        &mut self,
        key: &str,
        command: &'static str,
        summary: impl FnOnce(&Story) -> String,
        edit: impl FnOnce(&mut Story) -> Result<()>,
    ) -> Result<()> {
        let id = self.store.find_story(key)?;
        let mut story = self.store.load_story(id)?;
        let before = stories::snapshot(&story);
        edit(&mut story)?;
        let snap = stories::snapshot(&story);
        if snap == before {
            return Ok(());
        }
        story.revision += 1;
        let reopened = story.status == StoryStatus::Approved;
        if reopened {
            story.status = StoryStatus::Changes;
        }
        let mut text = summary(&story);
        if reopened {
            text.push_str(" (the story was approved: now changes requested)");
        }
        let actor = self.actor.clone();
        let uuid = story.uuid.clone();
        let revision = story.revision;
        Ok(self.store.change(
            |_| ChangeRecord {
                actor: actor.clone(),
                command,
                summary: text,
                forward: json!({ "story": uuid, "revision": revision }),
                inverse: json!({ "story": uuid, "revision": revision - 1 }),
            },
            |tx| Store::write_story(tx, id, &mut story, &actor, &snap),
        )?)
    }

    pub fn set_story_title(&mut self, key: &str, title: &str) -> Result<()> {
        let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
        self.edit_story(
            key,
            "story_title",
            |_| format!("story title: {t}"),
            |s| {
                s.title = t.clone();
                Ok(())
            },
        )
    }

    pub fn set_story_pseudonym(&mut self, key: &str, pseudonym: &str) -> Result<()> {
        let p = pseudonym.trim().to_owned();
        self.edit_story(
            key,
            "story_pseudonym",
            |_| format!("story pseudonym: {p}"),
            |s| {
                s.pseudonym = p.clone();
                Ok(())
            },
        )
    }

    pub fn set_story_role_line(&mut self, key: &str, role_line: &str) -> Result<()> {
        let r = role_line.split_whitespace().collect::<Vec<_>>().join(" ");
        self.edit_story(
            key,
            "story_role_line",
            |_| format!("story role line: {r}"),
            |s| {
                s.role_line = r.clone();
                Ok(())
            },
        )
    }

    /// Removes a story from every list (undo brings it back).
    pub fn delete_story(&mut self, key: &str) -> Result<()> {
        let id = self.store.find_story(key)?;
        let s = self.store.load_story(id)?;
        self.simple_change(
            "delete_story",
            format!("deleted the story '{}'", s.title),
            json!({ "delete_story": s.uuid }),
            json!({ "restore_story": s.uuid }),
            |tx| Ok(Store::delete_story(tx, id)?),
        )
    }

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
        // Trim spaces at the edges.
        let text = doc.slice(start, end);
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
        let (s, e) = (start + lead, end.saturating_sub(trail).max(start + lead));
        if tokens(doc.slice(s, e), 0).is_empty() {
            return Err(Error::Invalid(format!(
                "{doc_name}: the range {start}..{end} holds no words"
            )));
        }
        let turn = doc.turn_holding(s, e).ok_or_else(|| {
            Error::Invalid(format!(
                "{doc_name}: {start}..{end} is not inside one turn: select the storyteller's words within one turn (add another excerpt for the next turn)"
            ))
        })?;
        if turn.role != Role::Participant || turn.participant_id != story.participant_id {
            return Err(Error::Invalid(format!(
                "{doc_name}: these are the words of {} ({}), not the storyteller{}: a story holds only the storyteller's own words",
                turn.speaker,
                turn.role.as_str(),
                story
                    .participant
                    .as_deref()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default()
            )));
        }
        let block = Block {
            uuid: new_uuid(),
            content: BlockContent::Excerpt {
                pieces: vec![Piece {
                    span: SourceSpan {
                        id: None,
                        document: doc.document.clone(),
                        version_id: cv.version_id,
                        start: s,
                        end: e,
                        quote: doc.slice(s, e).to_owned(),
                    },
                    gap: Gap::Join,
                    replace: None,
                    clarification: None,
                }],
            },
            lost_pieces: 0,
        };
        let uuid = block.uuid.clone();
        let shown = short(doc.slice(s, e));
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
        self.edit_story(key, "story_edit_framing", |_| "edited framing".into(), |st| {
            let i = block_index(st, block)?;
            match &mut st.blocks[i].content {
                BlockContent::Framing { text } => {
                    *text = t;
                    Ok(())
                }
                BlockContent::Excerpt { .. } => Err(Error::Invalid(
                    "this block is the storyteller's words, not framing: its words cannot be rewritten".into(),
                )),
            }
        })
    }

    /// Moves a block to a new index (reordering is allowed and recorded).
    pub fn move_block(&mut self, key: &str, block: &str, to: usize) -> Result<()> {
        self.edit_story(
            key,
            "story_move_block",
            |_| format!("moved a block to place {}", to + 1),
            |st| {
                let i = block_index(st, block)?;
                let b = st.blocks.remove(i);
                let to = to.min(st.blocks.len());
                st.blocks.insert(to, b);
                Ok(())
            },
        )
    }

    pub fn delete_block(&mut self, key: &str, block: &str) -> Result<()> {
        self.edit_story(
            key,
            "story_delete_block",
            |_| "deleted a block".into(),
            |st| {
                let i = block_index(st, block)?;
                st.blocks.remove(i);
                Ok(())
            },
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
            |st| {
                let i = block_index(st, block)?;
                let pieces = excerpt_mut(st, i)?;
                split_at(pieces, at_char)?;
                let k = pieces
                    .iter()
                    .position(|p| p.span.start >= at_char)
                    .filter(|k| *k > 0)
                    .ok_or_else(|| {
                        Error::Invalid("split inside the excerpt, not at its edge".into())
                    })?;
                let mut rest = pieces.split_off(k);
                rest[0].gap = Gap::Join;
                st.blocks.insert(
                    i + 1,
                    Block {
                        uuid: new_c,
                        content: BlockContent::Excerpt { pieces: rest },
                        lost_pieces: 0,
                    },
                );
                Ok(())
            },
        )?;
        Ok(new)
    }

    /// Merges an excerpt with the next block (same transcript, later words);
    /// the words between become an elision.
    pub fn merge_with_next(&mut self, key: &str, block: &str) -> Result<()> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        self.edit_story(key, "story_merge_blocks", |_| "merged two excerpts".into(), |st| {
            let i = block_index(st, block)?;
            if i + 1 >= st.blocks.len() {
                return Err(Error::Invalid("there is no block after this one".into()));
            }
            let next = match &st.blocks[i + 1].content {
                BlockContent::Excerpt { pieces } => pieces.clone(),
                BlockContent::Framing { .. } => {
                    return Err(Error::Invalid("framing is never merged into an excerpt".into()));
                }
            };
            let pieces = excerpt_mut(st, i)?;
            let (Some(last), Some(first)) = (pieces.last(), next.first()) else {
                return Err(Error::Invalid("an empty excerpt".into()));
            };
            if last.span.version_id != first.span.version_id || first.span.start < last.span.end {
                return Err(Error::Invalid(
                    "only an excerpt followed by later words of the same transcript can be merged".into(),
                ));
            }
            let words_between = sources
                .get(&last.span.version_id)
                .is_some_and(|d| !tokens(d.slice(last.span.end, first.span.start), 0).is_empty());
            let mut next = next;
            next[0].gap = if words_between { Gap::Elision } else { Gap::Join };
            pieces.extend(next);
            st.blocks.remove(i + 1);
            Ok(())
        })
    }

    /// Cuts words of an excerpt (chars of its transcript version, widened to
    /// whole words): inside, they become an elision (` … `); at an edge,
    /// the excerpt is shortened.
    pub fn cut_words(&mut self, key: &str, block: &str, start: usize, end: usize) -> Result<()> {
        self.cut(key, block, start, end, Gap::Elision)
    }

    /// Drops a listed filler or an immediate repeat without a mark.
    pub fn drop_filler(&mut self, key: &str, block: &str, start: usize, end: usize) -> Result<()> {
        self.cut(key, block, start, end, Gap::Unmarked)
    }

    fn cut(&mut self, key: &str, block: &str, start: usize, end: usize, gap: Gap) -> Result<()> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let rules = self.story_rules();
        let i = block_index(&story, block)?;
        let BlockContent::Excerpt { pieces } = &story.blocks[i].content else {
            return Err(Error::Invalid(
                "framing is the researcher's text: edit it instead".into(),
            ));
        };
        let Some(doc) = pieces.first().and_then(|p| sources.get(&p.span.version_id)) else {
            return Err(Error::Invalid("an empty excerpt".into()));
        };
        let (s, e) = widen_to_words(doc, start, end);
        let words: Vec<String> = tokens(doc.slice(s, e), 0)
            .iter()
            .map(|t| t.text.to_owned())
            .collect();
        if words.is_empty() {
            return Err(Error::Invalid("select some words to cut".into()));
        }
        if gap == Gap::Unmarked {
            let all = tokens(
                doc.slice(pieces[0].span.start, pieces[pieces.len() - 1].span.end),
                0,
            );
            let before = tokens(doc.slice(pieces[0].span.start, s), 0);
            let prev = before.last().map(|t| t.text.to_lowercase());
            let after = tokens(doc.slice(e, pieces[pieces.len() - 1].span.end), 0);
            let next = after.first().map(|t| t.text.to_lowercase());
            let _ = all;
            let fillers = rules.allow_unmarked_fillers && words.iter().all(|w| rules.is_filler(w));
            let repeat = rules.allow_unmarked_repeats
                && words.len() == 1
                && (prev.as_deref() == Some(&words[0].to_lowercase())
                    || next.as_deref() == Some(&words[0].to_lowercase()));
            if !fillers && !repeat {
                return Err(Error::Invalid(format!(
                    "“{}” is not a listed filler ({}) or an immediate repeat: cut it with an ellipsis instead",
                    words.join(" "),
                    rules.fillers.join(", ")
                )));
            }
        }
        let shown = short(doc.slice(s, e));
        let doc_text_quote = |p: &mut Piece| {
            p.span.quote = doc.slice(p.span.start, p.span.end).to_owned();
        };
        let verb = if gap == Gap::Elision {
            "cut"
        } else {
            "dropped"
        };
        self.edit_story(
            key,
            "story_cut",
            |_| format!("{verb} “{shown}” from an excerpt"),
            |st| {
                let pieces = excerpt_mut(st, i)?;
                let first = pieces[0].span.start;
                let last = pieces[pieces.len() - 1].span.end;
                if s <= first && e >= last {
                    return Err(Error::Invalid(
                        "that would cut the whole excerpt: delete the block instead".into(),
                    ));
                }
                let mut out: Vec<Piece> = Vec::new();
                let mut cut_before = false;
                for p in pieces.drain(..) {
                    let (ps, pe) = (p.span.start, p.span.end);
                    if pe <= s || ps >= e {
                        // Untouched; the words before it may have been cut.
                        let mut p = p;
                        p.gap = if out.is_empty() {
                            Gap::Join
                        } else if cut_before {
                            merge_gap(p.gap, gap)
                        } else {
                            p.gap
                        };
                        cut_before = false;
                        out.push(p);
                        continue;
                    }
                    let mut left_kept = false;
                    if ps < s && p.replace.is_none() {
                        let mut left = p.clone();
                        left.span.end = trim_end(doc, ps, s);
                        left.clarification = None;
                        doc_text_quote(&mut left);
                        if !tokens(&left.span.quote, 0).is_empty() {
                            if out.is_empty() {
                                left.gap = Gap::Join;
                            } else if cut_before {
                                left.gap = merge_gap(left.gap, gap);
                            }
                            out.push(left);
                            left_kept = true;
                        }
                    }
                    if pe > e && p.replace.is_none() {
                        let mut right = p.clone();
                        if left_kept {
                            right.span.id = None;
                        }
                        right.span.start = trim_start(doc, e, pe);
                        doc_text_quote(&mut right);
                        if !tokens(&right.span.quote, 0).is_empty() {
                            right.gap = if out.is_empty() {
                                Gap::Join
                            } else if left_kept {
                                gap
                            } else {
                                merge_gap(p.gap, gap)
                            };
                            out.push(right);
                            cut_before = false;
                            continue;
                        }
                    }
                    cut_before = true;
                }
                *pieces = out;
                Ok(())
            },
        )
    }

    /// Inserts a bracketed clarification at a word edge of an excerpt (`at`:
    /// a char of the transcript version, inside or at the end of the excerpt).
    pub fn add_clarification(
        &mut self,
        key: &str,
        block: &str,
        at: usize,
        text: &str,
    ) -> Result<()> {
        let t = bracket_free("clarification", text)?;
        let shown = t.clone();
        self.edit_story(
            key,
            "story_clarify",
            |_| format!("added the clarification [{shown}]"),
            |st| {
                let i = block_index(st, block)?;
                let pieces = excerpt_mut(st, i)?;
                let k = match pieces.iter().position(|p| p.span.end == at) {
                    Some(k) => k,
                    None => {
                        split_at(pieces, at)?;
                        pieces
                            .iter()
                            .position(|p| p.span.end == at)
                            .ok_or_else(|| {
                                Error::Invalid("put a clarification inside the excerpt".into())
                            })?
                    }
                };
                pieces[k].clarification = Some(t);
                Ok(())
            },
        )
    }

    /// Removes the clarification after the piece ending at `at`.
    pub fn remove_clarification(&mut self, key: &str, block: &str, at: usize) -> Result<()> {
        self.edit_story(
            key,
            "story_unclarify",
            |_| "removed a clarification".into(),
            |st| {
                let i = block_index(st, block)?;
                let pieces = excerpt_mut(st, i)?;
                let p = pieces
                    .iter_mut()
                    .find(|p| p.span.end == at && p.clarification.is_some())
                    .ok_or_else(|| Error::Invalid("no clarification there".into()))?;
                p.clarification = None;
                Ok(())
            },
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
        let i = block_index(&story, block)?;
        let doc = match &story.blocks[i].content {
            BlockContent::Excerpt { pieces } => {
                pieces.first().and_then(|p| sources.get(&p.span.version_id))
            }
            BlockContent::Framing { .. } => None,
        }
        .ok_or_else(|| Error::Invalid("replace words inside an excerpt".into()))?;
        let (s, e) = widen_to_words(doc, start, end);
        let shown = short(doc.slice(s, e));
        let quote_of =
            |p: &mut Piece| p.span.quote = doc.slice(p.span.start, p.span.end).to_owned();
        let summary = format!("replaced “{shown}” with [{r}]");
        self.edit_story(key, "story_replace", |_| summary, |st| {
            let pieces = excerpt_mut(st, i)?;
            split_at(pieces, s)?;
            split_at(pieces, e)?;
            let inside: Vec<usize> = (0..pieces.len())
                .filter(|&k| pieces[k].span.start >= s && pieces[k].span.end <= e)
                .collect();
            let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
                return Err(Error::Invalid("those words are not in this excerpt".into()));
            };
            if inside[1..].iter().any(|&k| pieces[k].gap != Gap::Join) {
                return Err(Error::Invalid(
                    "the words to replace cross a cut: replace the words on each side separately".into(),
                ));
            }
            pieces[first].span.end = pieces[last].span.end;
            pieces[first].clarification = pieces[last].clarification.take();
            pieces[first].replace = Some(r);
            pieces.drain(first + 1..=last);
            quote_of(&mut pieces[first]);
            Ok(())
        })
    }

    /// Links (or unlinks) a theme to a story.
    pub fn link_story_theme(&mut self, key: &str, theme: &str, linked: bool) -> Result<()> {
        let id = self.store.find_story(key)?;
        let (tid, tname) = self.store.find_theme(theme)?;
        let story = self.store.load_story(id)?;
        if story.themes.contains(&tname) == linked {
            return Ok(());
        }
        let mut after = story.clone();
        if linked {
            after.themes.push(tname.clone());
        } else {
            after.themes.retain(|t| *t != tname);
        }
        let reopen = story.status == StoryStatus::Approved;
        after.revision += 1;
        if reopen {
            after.status = StoryStatus::Changes;
        }
        let snap = stories::snapshot(&after);
        let actor = self.actor.clone();
        let verb = if linked { "linked" } else { "unlinked" };
        Ok(self.store.change(
            |_| ChangeRecord {
                actor: actor.clone(),
                command: "story_theme",
                summary: format!("{verb} theme '{tname}' and story '{}'", story.title),
                forward: json!({ "story": story.uuid, "theme": tid, "linked": linked }),
                inverse: json!({ "story": story.uuid, "theme": tid, "linked": !linked }),
            },
            |tx| {
                Store::link_story_theme(tx, id, tid, linked)?;
                Store::write_story(tx, id, &mut after, &actor, &snap)
            },
        )?)
    }

    /// Sets the status (draft, ready, sent, changes, withdrawn). Approval goes
    /// through [`Project::approve_story`], which records how.
    pub fn set_story_status(&mut self, key: &str, status: StoryStatus) -> Result<()> {
        if status == StoryStatus::Approved {
            return Err(Error::Invalid(
                "record an approval with the date and how it was given (story approve)".into(),
            ));
        }
        let id = self.store.find_story(key)?;
        let s = self.store.load_story(id)?;
        if s.status == status {
            return Ok(());
        }
        let sent = if status == StoryStatus::Sent && s.sent_on.is_none() {
            Some(today())
        } else {
            s.sent_on.clone()
        };
        self.simple_change(
            "story_status",
            format!(
                "story '{}': {} → {}",
                s.title,
                s.status.as_str(),
                status.as_str()
            ),
            json!({ "story": s.uuid, "status": status.as_str() }),
            json!({ "story": s.uuid, "status": s.status.as_str() }),
            |tx| {
                Ok(Store::set_story_state(
                    tx,
                    id,
                    status,
                    sent.as_deref(),
                    s.approval.as_ref(),
                )?)
            },
        )
    }

    /// Records that the story was sent to the storyteller (date: today if `None`).
    pub fn record_story_sent(&mut self, key: &str, date: Option<&str>) -> Result<()> {
        let date = match date {
            Some(d) => check_date(d)?,
            None => today(),
        };
        let id = self.store.find_story(key)?;
        let s = self.store.load_story(id)?;
        if s.status == StoryStatus::Withdrawn {
            return Err(Error::Invalid("the story was withdrawn".into()));
        }
        self.simple_change(
            "story_sent",
            format!("story '{}' sent to the storyteller on {date}", s.title),
            json!({ "story": s.uuid, "sent_on": date }),
            json!({ "story": s.uuid, "status": s.status.as_str() }),
            |tx| {
                Ok(Store::set_story_state(
                    tx,
                    id,
                    StoryStatus::Sent,
                    Some(&date),
                    s.approval.as_ref(),
                )?)
            },
        )
    }

    /// Records the storyteller's approval of the current revision: when and
    /// how ("by phone", "email"). Refused while the checker finds errors.
    pub fn approve_story(
        &mut self,
        key: &str,
        how: &str,
        date: Option<&str>,
        key_file: Option<&PseudonymMap>,
    ) -> Result<()> {
        let how = how.split_whitespace().collect::<Vec<_>>().join(" ");
        if how.is_empty() {
            return Err(Error::Invalid(
                "say how the storyteller approved (e.g. \"by phone\")".into(),
            ));
        }
        let date = match date {
            Some(d) => check_date(d)?,
            None => today(),
        };
        let report = self.check_story(key, key_file)?;
        if let Some(f) = report.errors().next() {
            return Err(Error::Invalid(format!(
                "the checker finds {} error(s) (first: rule {}: {}); fix them before recording approval",
                report.errors().count(),
                f.rule,
                f.message
            )));
        }
        let id = self.store.find_story(key)?;
        let s = self.store.load_story(id)?;
        if s.status == StoryStatus::Withdrawn {
            return Err(Error::Invalid("the story was withdrawn".into()));
        }
        let approval = Approval {
            date: date.clone(),
            how: how.clone(),
            revision: s.revision,
        };
        self.simple_change(
            "story_approved",
            format!(
                "story '{}' approved {how} on {date} (revision {})",
                s.title, s.revision
            ),
            json!({ "story": s.uuid, "approved_revision": s.revision, "date": date, "how": how }),
            json!({ "story": s.uuid, "status": s.status.as_str() }),
            |tx| {
                Ok(Store::set_story_state(
                    tx,
                    id,
                    StoryStatus::Approved,
                    s.sent_on.as_deref(),
                    Some(&approval),
                )?)
            },
        )
    }

    // ---- rendering and checking ----

    /// The pseudonym map to apply: the project's entries, plus a key file
    /// when the map is kept apart. Errors when the map is apart and no key
    /// file (or the wrong one) is given.
    pub fn pseudonym_map(&self, key_file: Option<&PseudonymMap>) -> Result<PseudonymMap> {
        let inside = self.store.pseudonyms()?;
        let map = PseudonymMap::new(inside.clone());
        match (self.key_apart()?, key_file) {
            (None, None) => Ok(map),
            (None, Some(k)) => Ok(map.merged(k)),
            (Some(d), Some(k)) => {
                if k.fingerprint() != d.fingerprint {
                    return Err(Error::Invalid(format!(
                        "this key file (fingerprint {}) is not the pseudonym key kept apart from this project (fingerprint {}, {})",
                        k.fingerprint(),
                        d.fingerprint,
                        d.file
                    )));
                }
                Ok(map.merged(k))
            }
            (Some(d), None) => Err(Error::Invalid(format!(
                "the pseudonym key is kept apart from this project ({} entries, exported to {} on {}): give the key file to produce pseudonymised output",
                d.entries, d.file, d.at
            ))),
        }
    }

    /// The detached key record, when the map is really apart (an undone
    /// detach brings the entries back, and then the map is inside again).
    fn key_apart(&self) -> Result<Option<DetachedKey>> {
        let Some(d) = self.store.detached_key()? else {
            return Ok(None);
        };
        let inside = self.store.pseudonyms()?;
        if !inside.is_empty() && fingerprint(&inside) == d.fingerprint {
            return Ok(None);
        }
        Ok(Some(d))
    }

    pub fn pseudonym_key_state(&self) -> Result<KeyState> {
        Ok(match self.key_apart()? {
            Some(d) => KeyState::Apart {
                file: d.file,
                fingerprint: d.fingerprint,
                entries: d.entries,
            },
            None => KeyState::Inside {
                entries: self.store.pseudonyms()?.len(),
            },
        })
    }

    /// The story as stakeholders will read it: pseudonyms applied. Refuses
    /// when the pseudonym key is kept apart and not given.
    pub fn render_story(
        &self,
        key: &str,
        key_file: Option<&PseudonymMap>,
    ) -> Result<RenderedStory> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let map = self.pseudonym_map(key_file)?;
        Ok(stories::render(&story, &sources, Some(&map)))
    }

    /// The story with the original words (research team only).
    pub fn render_story_research(&self, key: &str) -> Result<RenderedStory> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        Ok(stories::render(&story, &sources, None))
    }

    /// The fidelity checker's findings (rules 1–8).
    pub fn check_story(&self, key: &str, key_file: Option<&PseudonymMap>) -> Result<CheckReport> {
        let story = self.story(key)?;
        let sources = self.story_sources(&story)?;
        let rules = self.story_rules();
        match self.pseudonym_map(key_file) {
            Ok(map) => {
                let rendered = stories::render(&story, &sources, Some(&map));
                Ok(stories::check(&story, &sources, &rendered, &map, &rules))
            }
            Err(e) => {
                let rendered = stories::render(&story, &sources, None);
                let mut report = stories::check(
                    &story,
                    &sources,
                    &rendered,
                    &PseudonymMap::default(),
                    &rules,
                );
                report.findings.insert(
                    0,
                    Finding {
                        rule: 4,
                        severity: Severity::Error,
                        block: None,
                        start: 0,
                        end: 0,
                        message: e.to_string(),
                    },
                );
                Ok(report)
            }
        }
    }

    /// Everything an export to a stakeholder pack needs (rules 1–9).
    pub fn check_story_for_export(
        &self,
        key: &str,
        key_file: Option<&PseudonymMap>,
    ) -> Result<CheckReport> {
        let mut report = self.check_story(key, key_file)?;
        let id = self.store.find_story(key)?;
        let story = self.store.load_story(id)?;
        let current = stories::snapshot_hash(&stories::snapshot(&story));
        let approved = match &story.approval {
            Some(a) => self
                .store
                .story_revision_snapshot(id, a.revision)?
                .map(|s| stories::snapshot_hash(&s)),
            None => None,
        };
        report.findings.extend(stories::check_for_export(
            &story,
            &current,
            approved.as_deref(),
        ));
        Ok(report)
    }

    // ---- the pseudonym map ----

    pub fn pseudonyms(&self) -> Result<Vec<Pseudonym>> {
        Ok(self.store.pseudonyms()?)
    }

    /// Adds or changes an entry of the map.
    pub fn set_pseudonym(
        &mut self,
        original: &str,
        replacement: &str,
        kind: PseudonymKind,
        confirmed: bool,
    ) -> Result<()> {
        let o = original.split_whitespace().collect::<Vec<_>>().join(" ");
        let r = stories::pseudonyms::bare(replacement).to_owned();
        if o.is_empty() || r.is_empty() {
            return Err(Error::Invalid(
                "a pseudonym needs an original and a replacement".into(),
            ));
        }
        if PseudonymMap::new(vec![Pseudonym {
            original: o.clone(),
            replacement: String::new(),
            kind,
            confirmed,
        }])
        .find_all(&r)
        .is_empty()
        .not()
        {
            return Err(Error::Invalid(format!(
                "the replacement '{r}' contains the original '{o}'"
            )));
        }
        let p = Pseudonym {
            original: o.clone(),
            replacement: r.clone(),
            kind,
            confirmed,
        };
        self.simple_change(
            "pseudonym",
            format!(
                "pseudonym for a {}: [{r}]{}",
                kind.as_str(),
                if confirmed { "" } else { " (to confirm)" }
            ),
            json!({ "kind": kind.as_str(), "replacement": r }),
            json!({ "remove_pseudonym": true }),
            |tx| Ok(Store::upsert_pseudonym(tx, &p)?),
        )
    }

    pub fn confirm_pseudonym(&mut self, original: &str) -> Result<()> {
        let mut p = self
            .store
            .pseudonyms()?
            .into_iter()
            .find(|p| p.original.eq_ignore_ascii_case(original.trim()))
            .ok_or_else(|| Error::Invalid(format!("'{original}' is not in the pseudonym map")))?;
        p.confirmed = true;
        self.simple_change(
            "pseudonym_confirm",
            format!("confirmed the pseudonym [{}]", p.replacement),
            json!({ "confirm": p.replacement }),
            json!({ "unconfirm": p.replacement }),
            |tx| Ok(Store::upsert_pseudonym(tx, &p)?),
        )
    }

    pub fn remove_pseudonym(&mut self, original: &str) -> Result<()> {
        let o = original.trim().to_owned();
        let mut removed = false;
        self.simple_change(
            "pseudonym_remove",
            "removed a pseudonym".into(),
            json!({ "remove_pseudonym": true }),
            json!({ "restore_pseudonym": true }),
            |tx| {
                removed = Store::delete_pseudonym(tx, &o)?;
                if removed {
                    Ok(())
                } else {
                    Err(Error::Invalid(format!("'{o}' is not in the pseudonym map")))
                }
            },
        )
    }

    /// Names the researcher may want to pseudonymise: participants' names
    /// (replacement: their pseudonym), speaker labels that look like names,
    /// names from participant attributes, and capitalised words that recur
    /// in the transcripts but not at sentence starts. Entries already in the
    /// map are left out.
    pub fn pseudonym_suggestions(&self) -> Result<Vec<PseudonymSuggestion>> {
        let have: Vec<String> = self
            .store
            .pseudonyms()?
            .iter()
            .map(|p| p.original.to_lowercase())
            .collect();
        let texts = self.store.current_texts_all()?;
        let count = |w: &str| -> usize {
            PseudonymMap::new(vec![Pseudonym {
                original: w.to_owned(),
                replacement: String::new(),
                kind: PseudonymKind::Other,
                confirmed: false,
            }])
            .find_all_count(&texts)
        };
        let mut out: Vec<PseudonymSuggestion> = Vec::new();
        let push = |out: &mut Vec<PseudonymSuggestion>,
                    original: &str,
                    kind,
                    replacement: Option<String>,
                    reason: String,
                    n: usize| {
            let o = original.trim();
            if o.chars().count() < 2
                || have.contains(&o.to_lowercase())
                || out.iter().any(|s| s.original.eq_ignore_ascii_case(o))
            {
                return;
            }
            out.push(PseudonymSuggestion {
                original: o.to_owned(),
                kind,
                replacement,
                reason,
                occurrences: n,
            });
        };
        let (labels, names, values) = self.store.name_sources()?;
        for (name, pseudonym) in &names {
            push(
                &mut out,
                name,
                PseudonymKind::Person,
                pseudonym.clone(),
                "a participant's name".into(),
                count(name),
            );
            for part in name.split_whitespace().filter(|p| p.chars().count() > 2) {
                let first = name.split_whitespace().next() == Some(part);
                push(
                    &mut out,
                    part,
                    PseudonymKind::Person,
                    if first { pseudonym.clone() } else { None },
                    format!("part of the participant name '{name}'"),
                    count(part),
                );
            }
        }
        for l in &labels {
            if looks_like_name(l) {
                push(
                    &mut out,
                    l,
                    PseudonymKind::Person,
                    None,
                    "a speaker label".into(),
                    count(l),
                );
            }
        }
        for (attr, v) in &values {
            if looks_like_name(v) && v.split_whitespace().count() <= 4 {
                let a = attr.to_lowercase();
                let kind = if ["site", "place", "town", "venue", "area", "location"]
                    .iter()
                    .any(|k| a.contains(k))
                {
                    PseudonymKind::Place
                } else if ["worker", "name", "contact", "carer", "staff"]
                    .iter()
                    .any(|k| a.contains(k))
                {
                    PseudonymKind::Person
                } else {
                    continue;
                };
                push(
                    &mut out,
                    v,
                    kind,
                    None,
                    format!("a value of the attribute '{attr}'"),
                    count(v),
                );
            }
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for (w, n) in capitalised_names(&refs, 2).into_iter().take(200) {
            push(
                &mut out,
                &w,
                PseudonymKind::Other,
                None,
                "a capitalised word that recurs, not at a sentence start".into(),
                n,
            );
        }
        Ok(out)
    }

    /// Writes the map to a key file (JSON, or CSV by extension). With
    /// `detach`, the entries are then removed from the project, which keeps
    /// only the key's fingerprint: stakeholder output then needs the file.
    pub fn export_pseudonym_key(&mut self, path: &Path, detach: bool) -> Result<usize> {
        let map = self.pseudonym_map(None)?;
        map.write_file(path)?;
        let n = map.entries().len();
        if detach {
            let record = DetachedKey {
                fingerprint: map.fingerprint(),
                entries: n,
                file: path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                at: today(),
            };
            self.simple_change(
                "pseudonym_detach",
                format!(
                    "pseudonym key ({n} entries) exported to {} and kept apart from the project",
                    record.file
                ),
                json!({ "detach": record.fingerprint }),
                json!({ "attach": record.fingerprint }),
                |tx| {
                    Store::clear_pseudonyms(tx)?;
                    Ok(Store::set_detached_key(tx, Some(&record))?)
                },
            )?;
        }
        Ok(n)
    }

    /// Loads a key file into the project (entries merged; the map is inside again).
    pub fn import_pseudonym_key(&mut self, path: &Path) -> Result<usize> {
        let map = PseudonymMap::read_file(path)?;
        let n = map.entries().len();
        let file = path.display().to_string();
        self.simple_change(
            "pseudonym_import",
            format!("{n} pseudonyms loaded from {file}"),
            json!({ "file": file, "entries": n }),
            json!({ "entries": n }),
            |tx| {
                for p in map.entries() {
                    Store::upsert_pseudonym(tx, p)?;
                }
                Ok(Store::set_detached_key(tx, None)?)
            },
        )?;
        Ok(n)
    }
}

/// A label or value made of capitalised words (not "Speaker 1", not "P01").
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(|c| c.is_uppercase())
                && cs.clone().count() >= 1
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
        })
        && ![
            "Interviewer",
            "Researcher",
            "Respondent",
            "Participant",
            "Speaker",
            "Facilitator",
            "Moderator",
            "Unknown",
        ]
        .iter()
        .any(|g| s.starts_with(g))
}

fn block_index(story: &Story, block: &str) -> Result<usize> {
    let b = block.trim();
    if let Ok(n) = b.parse::<usize>()
        && n >= 1
        && n <= story.blocks.len()
    {
        return Ok(n - 1);
    }
    story
        .blocks
        .iter()
        .position(|x| x.uuid == b || (b.len() >= 4 && x.uuid.starts_with(b)))
        .ok_or_else(|| Error::Invalid(format!("the story has no block '{block}'")))
}

fn excerpt_mut(story: &mut Story, i: usize) -> Result<&mut Vec<Piece>> {
    match &mut story.blocks[i].content {
        BlockContent::Excerpt { pieces } if !pieces.is_empty() => Ok(pieces),
        BlockContent::Excerpt { .. } => Err(Error::Invalid("an empty excerpt".into())),
        BlockContent::Framing { .. } => Err(Error::Invalid(
            "framing is the researcher's text, not the storyteller's: edit it instead".into(),
        )),
    }
}

/// Splits the piece holding `at` (strictly inside it) in two, joined.
fn split_at(pieces: &mut Vec<Piece>, at: usize) -> Result<()> {
    if let Some(k) = pieces
        .iter()
        .position(|p| p.span.start < at && at < p.span.end)
    {
        if pieces[k].replace.is_some() {
            return Err(Error::Invalid(
                "that place is inside a replaced name".into(),
            ));
        }
        let mut right = pieces[k].clone();
        right.span.id = None;
        let left = &mut pieces[k];
        let whole = left.span.quote.clone();
        let cut = at - left.span.start;
        left.span.quote = whole.chars().take(cut).collect();
        left.span.end = at;
        left.clarification = None;
        right.span.quote = whole.chars().skip(cut).collect();
        right.span.start = at;
        right.gap = Gap::Join;
        pieces.insert(k + 1, right);
    }
    Ok(())
}

/// What a cut next to an existing gap leaves: an elision wins over an unmarked drop.
fn merge_gap(existing: Gap, cut: Gap) -> Gap {
    if existing == Gap::Elision || cut == Gap::Elision {
        Gap::Elision
    } else {
        Gap::Unmarked
    }
}

/// Widens a range to whole words.
fn widen_to_words(doc: &stories::SourceDoc, start: usize, end: usize) -> (usize, usize) {
    let toks = tokens(&doc.text, 0);
    let s = toks
        .iter()
        .find(|t| t.start <= start && start < t.end)
        .map_or(start, |t| t.start);
    let e = toks
        .iter()
        .find(|t| t.start < end && end <= t.end)
        .map_or(end, |t| t.end);
    (s, e.max(s))
}

fn trim_end(doc: &stories::SourceDoc, start: usize, end: usize) -> usize {
    let t: Vec<char> = doc.slice(start, end).chars().collect();
    let mut e = t.len();
    while e > 0 && t[e - 1].is_whitespace() {
        e -= 1;
    }
    start + e
}

fn trim_start(doc: &stories::SourceDoc, start: usize, end: usize) -> usize {
    let t: Vec<char> = doc.slice(start, end).chars().collect();
    // Punctuation right after a cut word goes with it (", and" → "and";
    // "week … . It" reads "week … It"): the ellipsis marks the cut.
    let mut i = 0;
    while i < t.len()
        && (t[i].is_whitespace()
            || matches!(t[i], ',' | ';' | ':')
            || (matches!(t[i], '.' | '!' | '?') && t.get(i + 1).is_some_and(|c| c.is_whitespace())))
    {
        i += 1;
    }
    start + i
}

fn short(quote: &str) -> String {
    let flat = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 60 {
        flat
    } else {
        format!("{}…", flat.chars().take(57).collect::<String>())
    }
}
