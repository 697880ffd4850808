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
        }
    }
}

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
}
