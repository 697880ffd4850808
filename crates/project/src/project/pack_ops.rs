//! Discussion pack settings, saved in the project: title, workshop, date,
//! the stories and their order, the questions and ground rules. Defaults
//! follow Storytelling and Most Significant Change practice.

use super::Project;
use crate::error::{Error, Result};
use crate::store::{ChangeRecord, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The name the project's one pack is saved under.
const PACK: &str = "default";

/// What a discussion pack holds besides the stories themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackSettings {
    /// The pack's title, on the cover.
    pub title: String,
    pub workshop: String,
    /// YYYY-MM-DD, or empty.
    pub date: String,
    /// Why the workshop is held (the "purpose" page).
    pub purpose: String,
    /// Stories (uuid, participant id or title) in pack order; empty = every
    /// approved story in list order.
    pub stories: Vec<String>,
    pub questions: Vec<String>,
    pub ground_rules: Vec<String>,
    /// Add the researchers' emerging themes after the stories.
    pub include_themes: bool,
    /// Printed on both sides: each story (and its notes box) starts on a
    /// right-hand (odd) page, so no story starts on the back of another.
    pub double_sided: bool,
    /// The language of the pack's text (BCP 47, e.g. `en-GB`), for spell
    /// checkers and screen readers.
    pub language: String,
    /// Add a page for the facilitator: agenda with timings, support contacts.
    pub facilitator_page: bool,
    /// Agenda lines ("10:00 Welcome and ground rules"); empty = a plan
    /// timed from the number of stories.
    pub agenda: Vec<String>,
    /// Where participants can find support if a story upsets them.
    pub support_contacts: Vec<String>,
}

impl Default for PackSettings {
    fn default() -> Self {
        PackSettings {
            title: "Stories for discussion".into(),
            workshop: "Workshop".into(),
            date: String::new(),
            purpose: default_purpose().into(),
            stories: Vec::new(),
            questions: default_questions(),
            ground_rules: default_ground_rules(),
            include_themes: false,
            double_sided: true,
            language: "en-GB".into(),
            facilitator_page: false,
            agenda: Vec::new(),
            support_contacts: Vec::new(),
        }
    }
}

/// What the story for checking says about who to reply to, and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoryCheckSettings {
    /// The researcher the storyteller replies to (as the storyteller knows them).
    pub researcher: String,
    /// How to reach them: phone, email, postal address.
    pub contact: String,
    /// The storyteller is asked to reply within this many days of the day
    /// the story is made.
    pub return_days: u32,
}

impl Default for StoryCheckSettings {
    fn default() -> Self {
        StoryCheckSettings {
            researcher: String::new(),
            contact: String::new(),
            return_days: 14,
        }
    }
}

const STORY_CHECK: &str = "story_check";

pub fn default_purpose() -> &'static str {
    "This workshop is a chance to read and talk about stories told by people who took part in \
     the study. We want to hear what you make of them: what stands out, what they tell us about \
     what matters to people, and what we should learn or do differently. Your discussion will \
     help the research team understand the stories and decide what to do next."
}

/// Discussion questions drawn from Storytelling and Most Significant Change practice.
pub fn default_questions() -> Vec<String> {
    [
        "What stood out for you in this story?",
        "What does it tell us about what matters to people?",
        "What helped or got in the way?",
        "What should we learn or do differently?",
        "Which story is most significant to you, and why?",
    ]
    .map(String::from)
    .to_vec()
}

pub fn default_ground_rules() -> Vec<String> {
    [
        "Treat the stories with respect: they are real people's experiences, told in their own words.",
        "Do not try to work out who told a story; names and places have been changed.",
        "What is said in the room stays in the room.",
        "Listen to each other; there are no right or wrong readings.",
        "Leave the packs behind at the end of the workshop.",
    ]
    .map(String::from)
    .to_vec()
}

fn tidy(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

impl Project {
    /// The pack settings (defaults until saved).
    pub fn pack_settings(&self) -> Result<PackSettings> {
        match self.store.pack_settings_json(PACK)? {
            Some(s) => serde_json::from_str(&s)
                .map_err(|e| Error::Invalid(format!("the saved pack settings are damaged: {e}"))),
            None => Ok(PackSettings::default()),
        }
    }

    /// Saves the pack settings: one change, undoable. Stories are checked
    /// to exist and stored by uuid; dates must be YYYY-MM-DD.
    pub fn save_pack_settings(&mut self, settings: &PackSettings) -> Result<()> {
        let mut s = settings.clone();
        s.title = s.title.split_whitespace().collect::<Vec<_>>().join(" ");
        s.workshop = s.workshop.split_whitespace().collect::<Vec<_>>().join(" ");
        s.date = s.date.trim().to_owned();
        if !s.date.is_empty() && chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").is_err() {
            return Err(Error::Invalid(format!(
                "'{}' is not a date (use YYYY-MM-DD)",
                s.date
            )));
        }
        s.questions = tidy(&s.questions);
        s.ground_rules = tidy(&s.ground_rules);
        s.agenda = tidy(&s.agenda);
        s.support_contacts = tidy(&s.support_contacts);
        s.language = s.language.trim().to_owned();
        if s.language.is_empty() {
            s.language = "en-GB".into();
        }
        let mut uuids = Vec::new();
        for key in tidy(&s.stories) {
            let story = self.story(&key)?;
            if !uuids.contains(&story.uuid) {
                uuids.push(story.uuid);
            }
        }
        s.stories = uuids;
        let before = self.pack_settings()?;
        if before == s {
            return Ok(());
        }
        let text = serde_json::to_string(&s)
            .map_err(|e| Error::Invalid(format!("could not save the pack settings: {e}")))?;
        let actor = self.actor.clone();
        let summary = format!("saved the pack settings '{}'", s.title);
        Ok(self.store.change(
            |_| ChangeRecord {
                actor,
                command: "pack_settings",
                summary,
                forward: json!(s),
                inverse: json!(before),
            },
            |tx| Store::write_pack_settings(tx, PACK, &text),
        )?)
    }

    /// The covering-note settings of the story for checking (defaults until saved).
    pub fn story_check_settings(&self) -> Result<StoryCheckSettings> {
        match self.store.pack_settings_json(STORY_CHECK)? {
            Some(s) => serde_json::from_str(&s).map_err(|e| {
                Error::Invalid(format!("the saved story-check settings are damaged: {e}"))
            }),
            None => Ok(StoryCheckSettings::default()),
        }
    }

    /// Saves the covering-note settings: one change, undoable.
    pub fn save_story_check_settings(&mut self, settings: &StoryCheckSettings) -> Result<()> {
        let mut s = settings.clone();
        s.researcher = s
            .researcher
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        s.contact = s.contact.trim().to_owned();
        if s.return_days == 0 || s.return_days > 365 {
            return Err(Error::Invalid(format!(
                "{} days is not a time to reply in (1 to 365)",
                s.return_days
            )));
        }
        let before = self.story_check_settings()?;
        if before == s {
            return Ok(());
        }
        let text = serde_json::to_string(&s)
            .map_err(|e| Error::Invalid(format!("could not save the settings: {e}")))?;
        let actor = self.actor.clone();
        Ok(self.store.change(
            |_| ChangeRecord {
                actor,
                command: "story_check_settings",
                summary: "saved the story-check settings".into(),
                forward: json!(s),
                inverse: json!(before),
            },
            |tx| Store::write_pack_settings(tx, STORY_CHECK, &text),
        )?)
    }
}
