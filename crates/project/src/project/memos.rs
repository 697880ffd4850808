//! Memos and the reflexive journal.

use super::Project;
use crate::error::{Error, Result};
use crate::model::{Memo, MemoTarget};
use crate::store::{ChangeRecord, Store};
use serde_json::json;

impl Project {
    /// Writes a memo about a target; returns its uuid.
    pub fn add_memo(&mut self, target: &MemoTarget, title: &str, body: &str) -> Result<String> {
        if matches!(target, MemoTarget::Journal) {
            return Err(Error::Invalid(
                "journal entries are dated: use add_journal_entry".into(),
            ));
        }
        if !self.store.target_exists(target)? {
            return Err(Error::Invalid(format!(
                "there is no {} '{}' to write a memo about",
                target.kind(),
                target.uuid().unwrap_or_default()
            )));
        }
        self.insert_memo(target, title, body, None)
    }

    /// Adds an entry to the reflexive journal, dated `date` (YYYY-MM-DD; today when `None`).
    pub fn add_journal_entry(
        &mut self,
        date: Option<&str>,
        title: &str,
        body: &str,
    ) -> Result<String> {
        let date = match date {
            Some(d) => chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| Error::Invalid(format!("'{d}' is not a date; write YYYY-MM-DD")))?
                .to_string(),
            None => chrono::Local::now().date_naive().to_string(),
        };
        self.insert_memo(&MemoTarget::Journal, title, body, Some(&date))
    }

    fn insert_memo(
        &mut self,
        target: &MemoTarget,
        title: &str,
        body: &str,
        date: Option<&str>,
    ) -> Result<String> {
        let (title, body) = (title.trim().to_owned(), body.trim_end().to_owned());
        if title.is_empty() && body.trim().is_empty() {
            return Err(Error::Invalid("the memo is empty".into()));
        }
        let author = self.actor.clone();
        let kind = target.kind();
        let (_, uuid) = self.store.change(
            |(_, uuid): &(crate::store::MemoId, String)| ChangeRecord {
                actor: author.clone(),
                command: if date.is_some() { "journal" } else { "memo" },
                summary: match date {
                    Some(d) => format!("journal entry for {d}: {title}"),
                    None => format!("memo on the {kind}: {title}"),
                },
                forward: json!({ "memo": uuid }),
            },
            |tx| Store::insert_memo(tx, target, &title, &body, &author, date),
        )?;
        Ok(uuid)
    }

    pub fn edit_memo(&mut self, key: &str, title: &str, body: &str) -> Result<()> {
        let (id, old) = self.store.find_memo(key)?;
        let (title, body) = (title.trim().to_owned(), body.trim_end().to_owned());
        if old.title == title && old.body == body {
            return Ok(());
        }
        self.simple_change(
            "edit_memo",
            format!(
                "edited memo '{}'",
                if title.is_empty() { &old.title } else { &title }
            ),
            json!({ "memo": old.uuid }),
            |tx| Ok(Store::update_memo(tx, id, &title, &body)?),
        )
    }

    /// Sets only the given fields of a memo (`None` keeps it), inside the
    /// change: another process's change to the other field is kept.
    pub fn edit_memo_fields(
        &mut self,
        key: &str,
        title: Option<&str>,
        body: Option<&str>,
    ) -> Result<()> {
        let (id, old) = self.store.find_memo(key)?;
        let (title, body) = (title.map(str::trim), body.map(str::trim_end));
        if title.is_none() && body.is_none() {
            return Ok(());
        }
        self.simple_change(
            "edit_memo",
            format!("edited memo '{}'", title.unwrap_or(&old.title)),
            json!({ "memo": old.uuid }),
            |tx| Ok(Store::update_memo_fields(tx, id, title, body)?),
        )
    }

    /// Sets the text of the memo about `target` (its newest, when it has
    /// several), or writes one titled `title` when it has none; found and
    /// written in one change, so two windows typing a first memo on one
    /// coding make one memo. Returns the memo's uuid; nothing is written
    /// when the text is already that.
    pub fn set_memo_text(
        &mut self,
        target: &MemoTarget,
        title: &str,
        body: &str,
    ) -> Result<String> {
        if matches!(target, MemoTarget::Journal) || !self.store.target_exists(target)? {
            return Err(Error::Invalid(format!(
                "there is no {} '{}' to write a memo about",
                target.kind(),
                target.uuid().unwrap_or_default()
            )));
        }
        let (title, body) = (title.trim().to_owned(), body.trim_end().to_owned());
        let author = self.actor.clone();
        let kind = target.kind();
        let done = self.store.change_if(
            |(uuid, new): &(String, bool)| ChangeRecord {
                actor: author.clone(),
                command: if *new { "memo" } else { "edit_memo" },
                summary: if *new {
                    format!("memo on the {kind}: {title}")
                } else {
                    format!("edited the memo on the {kind}")
                },
                forward: json!({ "memo": uuid }),
            },
            |tx| match Store::memo_on(tx, target)? {
                Some((_, _, old)) if old == body => Ok::<_, Error>(None),
                Some((id, uuid, _)) => {
                    Store::update_memo_fields(tx, id, None, Some(&body))?;
                    Ok(Some((uuid, false)))
                }
                None if body.trim().is_empty() => Ok(None),
                None => {
                    let (_, uuid) = Store::insert_memo(tx, target, &title, &body, &author, None)?;
                    Ok(Some((uuid, true)))
                }
            },
        )?;
        match done {
            Some((uuid, _)) => Ok(uuid),
            None => Ok(self
                .store
                .memos(Some(target))?
                .into_iter()
                .next()
                .map(|m| m.uuid)
                .unwrap_or_default()),
        }
    }

    pub fn delete_memo(&mut self, key: &str) -> Result<()> {
        let (id, old) = self.store.find_memo(key)?;
        self.simple_change(
            "delete_memo",
            format!("deleted memo '{}'", old.title),
            json!({ "memo": old.uuid }),
            |tx| Ok(Store::delete_memo(tx, id)?),
        )
    }

    /// Memos (of one target when given), newest first.
    pub fn memos(&self, target: Option<&MemoTarget>) -> Result<Vec<Memo>> {
        Ok(self.store.memos(target)?)
    }

    /// The reflexive journal, newest date first.
    pub fn journal(&self) -> Result<Vec<Memo>> {
        Ok(self.store.memos(Some(&MemoTarget::Journal))?)
    }

    /// Resolves what a user typed (`code:Loneliness`, `document:P01`, ...) to a memo target.
    pub fn memo_target(&self, kind: &str, key: Option<&str>) -> Result<MemoTarget> {
        let need =
            || key.ok_or_else(|| Error::Invalid(format!("a memo on a {kind} needs to say which")));
        Ok(match kind.trim().to_lowercase().as_str() {
            "project" => MemoTarget::Project,
            "journal" => MemoTarget::Journal,
            "document" | "doc" => {
                let (id, _, _) = self.store.find_document(need()?)?;
                MemoTarget::Document(self.store.document_uuid_name(id)?.0)
            }
            "participant" => {
                let k = need()?;
                let (_, ident) = self
                    .store
                    .find_participant(k)?
                    .ok_or_else(|| Error::UnknownParticipant(k.to_owned()))?;
                let uuid = self
                    .participants()?
                    .into_iter()
                    .find(|p| p.id == ident)
                    .map(|p| p.uuid)
                    .ok_or_else(|| Error::UnknownParticipant(k.to_owned()))?;
                MemoTarget::Participant(uuid)
            }
            "code" => MemoTarget::Code(self.code(need()?)?.uuid),
            "theme" => {
                let (id, _) = self.store.find_theme(need()?)?;
                let uuid = self
                    .themes()?
                    .into_iter()
                    .find(|t| self.store.find_theme(&t.uuid).is_ok_and(|(i, _)| i == id))
                    .map(|t| t.uuid)
                    .unwrap_or_default();
                MemoTarget::Theme(uuid)
            }
            "coding" => MemoTarget::Coding(self.coding(need()?)?.uuid),
            other => {
                return Err(Error::Invalid(format!(
                    "'{other}' is not something a memo can be on (project, journal, document, participant, code, theme, coding)"
                )));
            }
        })
    }
}
