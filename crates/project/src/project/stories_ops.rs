//! A story's life on [`Project`]: creating and drafting it, its title and
//! pseudonym, its themes, its status, sending and approval. Every edit is one
//! [`Store::change`] (one transaction, one history entry, undoable) through
//! [`Project::edit_story`], which bumps the story's revision and keeps its
//! snapshot; an edit to an approved story sets it to `changes`. The excerpt
//! edits are in `story_edits.rs`, rendering and checking in
//! `story_checks.rs`, the pseudonym map in `pseudonym_ops.rs`.

use super::Project;
use crate::error::{Error, Result};
use crate::ids::{ParticipantId, ThemeId};
use crate::model::Role;
use crate::store::{ChangeRecord, Store, new_uuid};
use crate::stories::{
    self, Block, BlockContent, DraftCoding, DraftInput, Sources, Story, StoryRevision, StoryRules,
    StoryStatus, StorySummary,
};
use serde_json::json;

pub(super) fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

pub(super) fn check_date(date: &str) -> Result<String> {
    let d = date.trim();
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|_| d.to_owned())
        .map_err(|_| Error::Invalid(format!("'{date}' is not a date (use YYYY-MM-DD)")))
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

    fn participant_row(&self, key: &str) -> Result<(ParticipantId, String)> {
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

    fn new_story_value(
        &self,
        pid: ParticipantId,
        ident: &str,
        title: &str,
        pseudonym: &str,
    ) -> Story {
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
        story.role_line = self.drafted_role_line(&ident)?;
        let framing = self.drafted_framing(&ident, &story.pseudonym)?;
        story.blocks = (!framing.is_empty())
            .then_some(BlockContent::Framing { text: framing })
            .into_iter()
            .chain(draft.blocks)
            .map(|content| Block {
                uuid: new_uuid(),
                content,
                lost_pieces: 0,
            })
            .collect();
        let mut words = stories::render(&story, &sources, None).words;
        // The framing shares the draft's word budget: left out when it would
        // take the story over it (the researcher can add it in the editor).
        if words > self.story_rules().draft_max_words
            && story
                .blocks
                .first()
                .is_some_and(|b| matches!(b.content, BlockContent::Framing { .. }))
        {
            story.blocks.remove(0);
            words = stories::render(&story, &sources, None).words;
        }
        self.insert_story_value(
            &mut story,
            "draft_story",
            format!("auto-drafted a story for {ident} ({words} words)"),
        )
    }

    /// A role line from the participant's attributes (gender, age band,
    /// activity, role): "a woman in her seventies who joined a choir". Never
    /// a name or a place.
    pub fn drafted_role_line(&self, participant: &str) -> Result<String> {
        Ok(self
            .role_attributes(participant)?
            .map(|a| stories::role_line(&a))
            .unwrap_or_default())
    }

    /// A framing paragraph in the researcher's voice from the participant's
    /// attributes ("Dot's GP referred her to a link worker, and she joined a
    /// choir. …"), or empty when they say too little. Third person, roles
    /// only, never a name or a place (see [`crate::stories::draft::framing`]).
    pub fn drafted_framing(&self, participant: &str, pseudonym: &str) -> Result<String> {
        Ok(self
            .role_attributes(participant)?
            .map(|a| stories::framing(&a, pseudonym))
            .unwrap_or_default())
    }

    /// What the role line and framing are drafted from.
    fn role_attributes(&self, participant: &str) -> Result<Option<stories::RoleAttributes>> {
        let Some(p) = self
            .store
            .participants()?
            .into_iter()
            .find(|p| p.id == participant)
        else {
            return Ok(None);
        };
        let get = |names: &[&str]| {
            p.attributes
                .iter()
                .find(|(k, _)| {
                    let k = k.to_lowercase().replace([' ', '-'], "_");
                    names.contains(&k.as_str())
                })
                .map(|(_, v)| v.clone())
        };
        Ok(Some(stories::RoleAttributes {
            gender: get(&["gender", "sex"]),
            age_band: get(&["age_band", "age", "age_group", "ageband"]),
            activity: get(&["activity", "activities", "group"]),
            role: get(&["role"]),
            referred_by: get(&["referred_by", "referral", "referred", "referrer"]),
            has_link_worker: get(&["link_worker", "linkworker"])
                .is_some_and(|v| !v.trim().is_empty()),
        }))
    }

    /// The draft of a participant's story without storing it (a preview; the benchmark).
    pub fn draft_preview(&self, participant: &str) -> Result<(stories::Draft, Sources)> {
        let (pid, _) = self.participant_row(participant)?;
        self.draft_of(pid)
    }

    fn draft_of(&self, participant_id: ParticipantId) -> Result<(stories::Draft, Sources)> {
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

    /// Loads, edits and stores a story as one change. The story is read
    /// inside the write transaction, so an edit made meanwhile by another
    /// process (another field, another block) is kept, never written over.
    pub(super) fn edit_story(
        &mut self,
        key: &str,
        command: &'static str,
        summary: impl FnOnce(&Story) -> String,
        edit: impl FnOnce(&mut Story) -> Result<()>,
    ) -> Result<()> {
        let id = self.store.find_story(key)?;
        let actor = self.actor.clone();
        let author = actor.clone();
        self.store.change_if(
            |(uuid, revision, text): &(String, i64, String)| ChangeRecord {
                actor,
                command,
                summary: text.clone(),
                forward: json!({ "story": uuid, "revision": revision }),
            },
            |tx| -> Result<Option<(String, i64, String)>> {
                let mut story = Store::load_story_in(tx, id)?;
                let before = stories::snapshot(&story);
                edit(&mut story)?;
                let snap = stories::snapshot(&story);
                if snap == before {
                    return Ok(None);
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
                Store::write_story(tx, id, &mut story, &author, &snap)?;
                Ok(Some((story.uuid.clone(), story.revision, text)))
            },
        )?;
        Ok(())
    }

    pub fn set_story_title(&mut self, key: &str, title: &str) -> Result<()> {
        self.set_story_fields(key, Some(title), None, None)
    }

    pub fn set_story_pseudonym(&mut self, key: &str, pseudonym: &str) -> Result<()> {
        self.set_story_fields(key, None, Some(pseudonym), None)
    }

    pub fn set_story_role_line(&mut self, key: &str, role_line: &str) -> Result<()> {
        self.set_story_fields(key, None, None, Some(role_line))
    }

    /// Sets the fields given (title, pseudonym, role line) as one change
    /// and one history entry, read and written inside its transaction.
    pub fn set_story_fields(
        &mut self,
        key: &str,
        title: Option<&str>,
        pseudonym: Option<&str>,
        role_line: Option<&str>,
    ) -> Result<()> {
        let one_line = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = title.map(one_line);
        let pseudonym = pseudonym.map(|p| p.trim().to_owned());
        let role_line = role_line.map(one_line);
        let mut said = Vec::new();
        if let Some(t) = &title {
            said.push(format!("story title: {t}"));
        }
        if let Some(p) = &pseudonym {
            said.push(format!("story pseudonym: {p}"));
        }
        if let Some(r) = &role_line {
            said.push(format!("story role line: {r}"));
        }
        let kind = match (&title, &pseudonym, &role_line) {
            (Some(_), None, None) => "story_title",
            (None, Some(_), None) => "story_pseudonym",
            (None, None, Some(_)) => "story_role_line",
            (None, None, None) => return Ok(()),
            _ => "story_fields",
        };
        let said = said.join("; ");
        self.edit_story(
            key,
            kind,
            |_| said.clone(),
            |s| {
                if let Some(t) = &title {
                    s.title = t.clone();
                }
                if let Some(p) = &pseudonym {
                    s.pseudonym = p.clone();
                }
                if let Some(r) = &role_line {
                    s.role_line = r.clone();
                }
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
            |tx| Ok(Store::delete_story(tx, id)?),
        )
    }

    /// Links (or unlinks) a theme to a story. The story is read inside the
    /// change (it is written back whole).
    pub fn link_story_theme(&mut self, key: &str, theme: &str, linked: bool) -> Result<()> {
        let verb = if linked { "linked" } else { "unlinked" };
        let actor = self.actor.clone();
        self.change_reading(
            "story_theme",
            |(uuid, title, tid, tname): &(String, String, ThemeId, String)| {
                (
                    format!("{verb} theme '{tname}' and story '{title}'"),
                    json!({ "story": uuid, "theme": tid, "linked": linked }),
                )
            },
            |tx, this| {
                let id = this.store.find_story(key)?;
                let (tid, tname) = this.store.find_theme(theme)?;
                let story = this.store.load_story(id)?;
                if story.themes.contains(&tname) == linked {
                    return Ok(None);
                }
                let mut after = story.clone();
                if linked {
                    after.themes.push(tname.clone());
                } else {
                    after.themes.retain(|t| *t != tname);
                }
                after.revision += 1;
                if story.status == StoryStatus::Approved {
                    after.status = StoryStatus::Changes;
                }
                let snap = stories::snapshot(&after);
                Store::link_story_theme(tx, id, tid, linked)?;
                Store::write_story(tx, id, &mut after, &actor, &snap)?;
                Ok(Some((story.uuid, story.title, tid, tname)))
            },
        )
        .map(drop)
    }

    /// Sets the status (draft, ready, sent, changes, withdrawn). Approval goes
    /// through [`Project::approve_story`], which records how.
    pub fn set_story_status(&mut self, key: &str, status: StoryStatus) -> Result<()> {
        if status == StoryStatus::Approved {
            return Err(Error::Invalid(
                "record an approval with the date and how it was given (story approve)".into(),
            ));
        }
        if status == StoryStatus::Sent {
            return Err(Error::Invalid(
                "record the sending with the date and how the story went to the storyteller (story sent)".into(),
            ));
        }
        self.change_reading(
            "story_status",
            |(uuid, title, was): &(String, String, StoryStatus)| {
                (
                    format!("story '{title}': {} → {}", was.as_str(), status.as_str()),
                    json!({ "story": uuid, "status": status.as_str() }),
                )
            },
            |tx, this| {
                let id = this.store.find_story(key)?;
                let s = this.store.load_story(id)?;
                if s.status == status {
                    return Ok(None);
                }
                Store::set_story_state(tx, id, status, s.sent_on.as_deref(), s.approval.as_ref())?;
                Ok(Some((s.uuid, s.title, s.status)))
            },
        )
        .map(drop)
    }
}
