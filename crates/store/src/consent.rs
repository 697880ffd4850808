//! The rows of the storyteller's consent: sendings, feedback, the consent
//! scope on the story row, and the name a participant goes by.

use super::{ParticipantId, Store, StoryId, Tx, new_uuid, now};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, params};
use storyloom_text::consent::{
    ConsentRecord, ConsentScope, Feedback, FeedbackKind, SendMethod, Sending,
};

fn method_key(m: SendMethod) -> &'static str {
    match m {
        SendMethod::Post => "post",
        SendMethod::Email => "email",
        SendMethod::InPerson => "in-person",
        SendMethod::ReadAloud => "read-aloud",
    }
}

fn method_of(s: &str) -> Option<SendMethod> {
    SendMethod::parse(s)
}

impl Store {
    /// Everything on record about a story's consent.
    pub fn consent_record(&self, story_id: StoryId) -> Result<ConsentRecord> {
        let mut stmt = self.conn().prepare(
            "SELECT uuid, revision, sent_on, how FROM story_sendings WHERE story_id = ?1 ORDER BY sent_on, id",
        )?;
        let sendings = stmt
            .query_map([story_id.get()], |r| {
                Ok(Sending {
                    uuid: r.get(0)?,
                    revision: r.get(1)?,
                    date: r.get(2)?,
                    how: r.get::<_, Option<String>>(3)?.and_then(|h| method_of(&h)),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT uuid, kind, revision, given_on, text, done FROM story_feedback WHERE story_id = ?1 ORDER BY given_on, id",
        )?;
        let feedback = stmt
            .query_map([story_id.get()], |r| {
                Ok(Feedback {
                    uuid: r.get(0)?,
                    kind: FeedbackKind::parse(&r.get::<_, String>(1)?)
                        .unwrap_or(FeedbackKind::Comment),
                    revision: r.get(2)?,
                    date: r.get(3)?,
                    text: r.get(4)?,
                    done: r.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let (scopes, scopes_on): (Option<String>, Option<String>) = self.conn().query_row(
            "SELECT consent_scopes, consent_on FROM stories WHERE id = ?1",
            [story_id.get()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let scopes = match scopes {
            Some(s) => Some(serde_json::from_str::<Vec<ConsentScope>>(&s).map_err(|e| {
                Error::Invalid(format!("the story's consent scope is unreadable: {e}"))
            })?),
            None => None,
        };
        Ok(ConsentRecord {
            sendings,
            feedback,
            scopes,
            scopes_on,
        })
    }

    /// Records a sending; also keeps `stories.sent_on` (the latest date).
    pub fn insert_sending(
        tx: &Tx,
        story_id: StoryId,
        revision: i64,
        date: &str,
        how: SendMethod,
        by: &str,
    ) -> Result<String> {
        let uuid = new_uuid();
        tx.execute(
            "INSERT INTO story_sendings(uuid, story_id, revision, sent_on, how, recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![uuid, story_id.get(), revision, date, method_key(how), now(), by],
        )?;
        Ok(uuid)
    }

    pub fn insert_feedback(
        tx: &Tx,
        story_id: StoryId,
        kind: FeedbackKind,
        revision: Option<i64>,
        date: &str,
        text: &str,
        by: &str,
    ) -> Result<String> {
        let uuid = new_uuid();
        tx.execute(
            "INSERT INTO story_feedback(uuid, story_id, kind, revision, given_on, text, recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![uuid, story_id.get(), kind.as_str(), revision, date, text, now(), by],
        )?;
        Ok(uuid)
    }

    /// Marks a requested change made (or not); false when no such row.
    pub fn set_feedback_done(tx: &Tx, story_id: StoryId, uuid: &str, done: bool) -> Result<bool> {
        Ok(tx.execute(
            "UPDATE story_feedback SET done = ?3 WHERE story_id = ?1 AND uuid = ?2",
            params![story_id.get(), uuid, done],
        )? > 0)
    }

    /// Records what the storyteller agreed to (`None` clears it).
    pub fn set_consent_scopes(
        tx: &Tx,
        story_id: StoryId,
        scopes: Option<&[ConsentScope]>,
        on: Option<&str>,
    ) -> Result<()> {
        let json = match scopes {
            Some(s) => Some(serde_json::to_string(s).map_err(|e| Error::Invalid(e.to_string()))?),
            None => None,
        };
        tx.execute(
            "UPDATE stories SET consent_scopes = ?2, consent_on = ?3 WHERE id = ?1",
            params![story_id.get(), json, on],
        )?;
        Ok(())
    }

    /// The name a participant goes by, if recorded.
    pub fn participant_known_as(&self, participant_id: ParticipantId) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT known_as FROM participants WHERE id = ?1",
                [participant_id.get()],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten()
            .filter(|s| !s.trim().is_empty()))
    }

    pub fn set_participant_known_as(
        tx: &Tx,
        participant_id: ParticipantId,
        name: Option<&str>,
    ) -> Result<()> {
        tx.execute(
            "UPDATE participants SET known_as = ?2 WHERE id = ?1",
            params![participant_id.get(), name],
        )?;
        Ok(())
    }
}
