//! Discussion pack settings, saved in the project: title, workshop, date,
//! the stories and their order, the questions and ground rules. Defaults
//! follow Storytelling and Most Significant Change practice.

use super::Project;
use crate::error::{Error, Result};
use crate::store::{ChangeRecord, Store};
use serde::{Deserialize, Serialize};

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

    /// Saves the pack settings as given, whole: one change, undoable.
    /// Stories are checked to exist and stored by uuid; dates must be YYYY-MM-DD.
    pub fn save_pack_settings(&mut self, settings: &PackSettings) -> Result<()> {
        let s = self.clean_pack_settings(settings)?;
        self.write_settings(PACK, "pack_settings", None, s, PackSettings::default())?;
        Ok(())
    }

    /// Saves only what changed between `base` (the settings as they were
    /// read) and `edited`, onto the settings as they are now, inside the
    /// write transaction: another process's change to another field is
    /// kept; on the same field the last writer wins, and the history has
    /// both. Returns the settings as saved.
    pub fn update_pack_settings(
        &mut self,
        base: &PackSettings,
        edited: &PackSettings,
    ) -> Result<PackSettings> {
        let s = self.clean_pack_settings(edited)?;
        let base = tidy_pack(base);
        self.write_settings(
            PACK,
            "pack_settings",
            Some(&base),
            s,
            PackSettings::default(),
        )
    }

    fn clean_pack_settings(&self, settings: &PackSettings) -> Result<PackSettings> {
        let mut s = tidy_pack(settings);
        if !s.date.is_empty() && chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").is_err() {
            return Err(Error::Invalid(format!(
                "'{}' is not a date (use YYYY-MM-DD)",
                s.date
            )));
        }
        let mut uuids = Vec::new();
        for key in &s.stories {
            let story = self.story(key)?;
            if !uuids.contains(&story.uuid) {
                uuids.push(story.uuid);
            }
        }
        s.stories = uuids;
        Ok(s)
    }

    /// Writes settings `name` in one change: the stored value is read inside
    /// the transaction; with a `base`, only the fields that differ between
    /// `base` and `s` are applied onto it. Nothing is written (and no history
    /// entry made) when that changes nothing. Returns what is stored.
    fn write_settings<T>(
        &mut self,
        name: &'static str,
        command: &'static str,
        base: Option<&T>,
        s: T,
        default: T,
    ) -> Result<T>
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq,
    {
        let actor = self.actor.clone();
        let mut unchanged = None;
        let saved = self.store.change_if(
            |(after, _): &(serde_json::Value, serde_json::Value)| ChangeRecord {
                actor,
                command,
                summary: match after.get("title").and_then(|t| t.as_str()) {
                    Some(t) if name == PACK => format!("saved the pack settings '{t}'"),
                    _ => format!("saved the {} settings", name.replace('_', "-")),
                },
                forward: after.clone(),
            },
            |tx| -> Result<Option<(serde_json::Value, serde_json::Value)>> {
                let current = match Store::pack_settings_json_in(tx, name)? {
                    Some(j) => serde_json::from_str(&j).map_err(|e| {
                        Error::Invalid(format!("the saved {name} settings are damaged: {e}"))
                    })?,
                    None => default,
                };
                let merged = match base {
                    None => s,
                    Some(base) => merge_changed(base, &s, &current)?,
                };
                if merged == current {
                    unchanged = Some(current);
                    return Ok(None);
                }
                let (after, before) = (json_of(&merged)?, json_of(&current)?);
                Store::write_pack_settings(tx, name, &after.to_string())?;
                Ok(Some((after, before)))
            },
        )?;
        match (saved, unchanged) {
            (Some((after, _)), _) => serde_json::from_value(after)
                .map_err(|e| Error::Invalid(format!("could not save the settings: {e}"))),
            (None, Some(current)) => Ok(current),
            (None, None) => Err(Error::Invalid(format!(
                "the {name} settings were not saved"
            ))),
        }
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

    /// Saves the covering-note settings as given: one change, undoable.
    pub fn save_story_check_settings(&mut self, settings: &StoryCheckSettings) -> Result<()> {
        let s = clean_check(settings)?;
        self.write_settings(
            STORY_CHECK,
            "story_check_settings",
            None,
            s,
            StoryCheckSettings::default(),
        )?;
        Ok(())
    }

    /// Saves only what changed between `base` and `edited` onto the stored
    /// settings, inside the write transaction (see [`Project::update_pack_settings`]).
    pub fn update_story_check_settings(
        &mut self,
        base: &StoryCheckSettings,
        edited: &StoryCheckSettings,
    ) -> Result<StoryCheckSettings> {
        let s = clean_check(edited)?;
        let mut base = base.clone();
        base.researcher = squeeze(&base.researcher);
        base.contact = base.contact.trim().to_owned();
        self.write_settings(
            STORY_CHECK,
            "story_check_settings",
            Some(&base),
            s,
            StoryCheckSettings::default(),
        )
    }
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pack settings with whitespace tidied (no lookups).
fn tidy_pack(settings: &PackSettings) -> PackSettings {
    let mut s = settings.clone();
    s.title = squeeze(&s.title);
    s.workshop = squeeze(&s.workshop);
    s.date = s.date.trim().to_owned();
    s.questions = tidy(&s.questions);
    s.ground_rules = tidy(&s.ground_rules);
    s.agenda = tidy(&s.agenda);
    s.support_contacts = tidy(&s.support_contacts);
    s.stories = tidy(&s.stories);
    s.language = s.language.trim().to_owned();
    if s.language.is_empty() {
        s.language = "en-GB".into();
    }
    s
}

fn clean_check(settings: &StoryCheckSettings) -> Result<StoryCheckSettings> {
    let mut s = settings.clone();
    s.researcher = squeeze(&s.researcher);
    s.contact = s.contact.trim().to_owned();
    if s.return_days == 0 || s.return_days > 365 {
        return Err(Error::Invalid(format!(
            "{} days is not a time to reply in (1 to 365)",
            s.return_days
        )));
    }
    Ok(s)
}

fn json_of<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| Error::Invalid(format!("could not save the settings: {e}")))
}

/// `current` with every field that differs between `base` and `edited`
/// taken from `edited`: a three-way merge, field by field.
fn merge_changed<T>(base: &T, edited: &T, current: &T) -> Result<T>
where
    T: Serialize + serde::de::DeserializeOwned,
{
    let (base, edited, mut merged) = (json_of(base)?, json_of(edited)?, json_of(current)?);
    if let (Some(b), Some(e), Some(m)) =
        (base.as_object(), edited.as_object(), merged.as_object_mut())
    {
        for (k, v) in e {
            if b.get(k) != Some(v) {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::from_value(merged)
        .map_err(|e| Error::Invalid(format!("could not merge the settings: {e}")))
}
