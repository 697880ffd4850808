//! The storyteller's consent on [`Project`] (issue 14): sending a revision
//! (and how), the approval of the revision that was sent, the storyteller's
//! comments and requested changes, what they agreed the story may be used
//! for, and the name they go by. Each is one change, undoable. Dates are
//! checked: none in the future, no approval before the sending it answers.

use super::Project;
use super::stories_ops::{check_date, today};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::stories::consent::{ConsentRecord, ConsentScope, FeedbackKind, SendMethod};
use crate::stories::{Approval, PseudonymMap, StoryStatus};
use serde_json::json;

/// An approval as the researcher records it.
#[derive(Debug, Clone, Default)]
pub struct ApprovalInput<'a> {
    /// How it was given: "in person", "by phone", "email", "letter"…
    pub how: &'a str,
    /// `YYYY-MM-DD`; today when `None`.
    pub date: Option<&'a str>,
    /// The revision the storyteller approved; the current one when `None`
    /// (it must be the current one, and it must have been sent).
    pub revision: Option<i64>,
    /// What they agreed the story may be used for, when given with the approval.
    pub scopes: Option<&'a [ConsentScope]>,
}

/// A date that is a date and not in the future.
fn past_date(date: Option<&str>) -> Result<String> {
    let d = match date {
        Some(d) => check_date(d)?,
        None => today(),
    };
    if d > today() {
        return Err(Error::Invalid(format!("{d} is in the future")));
    }
    Ok(d)
}

impl Project {
    /// What is on record about a story's consent (sendings, feedback, scope).
    pub fn story_consent(&self, key: &str) -> Result<ConsentRecord> {
        let id = self.store.find_story(key)?;
        Ok(self.store.consent_record(id)?)
    }

    /// Records that a revision of the story (the current one when `None`)
    /// went to the storyteller, when and how. Returns the revision sent.
    pub fn record_story_sent(
        &mut self,
        key: &str,
        how: SendMethod,
        date: Option<&str>,
        revision: Option<i64>,
    ) -> Result<i64> {
        let date = past_date(date)?;
        let actor = self.actor.clone();
        // Every read that decides what is written is made inside the change.
        let sent = self.change_within("story_sent", |tx, this| {
            let id = this.store.find_story(key)?;
            let s = this.store.load_story(id)?;
            if s.status == StoryStatus::Withdrawn {
                return Err(Error::Invalid(format!(
                    "the story '{}' was withdrawn",
                    s.title
                )));
            }
            let revision = revision.unwrap_or(s.revision);
            if revision < 1 || revision > s.revision {
                return Err(Error::Invalid(format!(
                    "the story has no revision {revision} (it is at revision {})",
                    s.revision
                )));
            }
            if this.store.story_revision_snapshot(id, revision)?.is_none() {
                return Err(Error::Invalid(format!(
                    "revision {revision} of the story is not kept, so what was sent cannot be named"
                )));
            }
            let current = revision == s.revision;
            let status = if current { StoryStatus::Sent } else { s.status };
            Store::insert_sending(tx, id, revision, &date, how, &actor)?;
            let latest = match &s.sent_on {
                Some(d) if d.as_str() > date.as_str() => d.clone(),
                _ => date.clone(),
            };
            Store::set_story_state(tx, id, status, Some(&latest), s.approval.as_ref())?;
            Ok(Some((
                revision,
                (
                    format!(
                        "story '{}': revision {revision} sent to the storyteller ({}) on {date}",
                        s.title,
                        how.as_str()
                    ),
                    json!({ "story": s.uuid, "revision": revision, "sent_on": date, "how": how }),
                ),
            )))
        })?;
        sent.ok_or_else(|| Error::Invalid("the sending was not recorded".into()))
    }

    /// Records the storyteller's approval of the current revision, which
    /// must be the one they were sent. See [`Project::approve_story_with`].
    pub fn approve_story(
        &mut self,
        key: &str,
        how: &str,
        date: Option<&str>,
        key_file: Option<&PseudonymMap>,
    ) -> Result<()> {
        self.approve_story_with(
            key,
            &ApprovalInput {
                how,
                date,
                ..Default::default()
            },
            key_file,
        )
    }

    /// Records an approval: refused while the checker finds errors, for a
    /// revision that is not the current one or was never sent, when dated
    /// before its sending or in the future, and while requested changes are
    /// open.
    pub fn approve_story_with(
        &mut self,
        key: &str,
        input: &ApprovalInput,
        key_file: Option<&PseudonymMap>,
    ) -> Result<()> {
        let how = input.how.split_whitespace().collect::<Vec<_>>().join(" ");
        if how.is_empty() {
            return Err(Error::Invalid(
                "say how the storyteller approved (e.g. \"in person\")".into(),
            ));
        }
        let date = past_date(input.date)?;
        // Every check that decides the approval reads inside the change: a
        // story edited, withdrawn or given feedback by another process
        // meanwhile is not approved from what this process read before.
        self.change_within("story_approved", |tx, this| {
            let id = this.store.find_story(key)?;
            let s = this.store.load_story(id)?;
            if s.status == StoryStatus::Withdrawn {
                return Err(Error::Invalid(format!(
                    "the story '{}' was withdrawn",
                    s.title
                )));
            }
            let revision = input.revision.unwrap_or(s.revision);
            if revision != s.revision {
                return Err(Error::Invalid(format!(
                    "revision {revision} is not the story's current revision ({}): the storyteller must approve the words that will be shared; send revision {} and record its approval",
                    s.revision, s.revision
                )));
            }
            let consent = this.store.consent_record(id)?;
            let Some(sent) = consent.sending_of(revision).cloned() else {
                return Err(Error::Invalid(match consent.last_sending() {
                    None => format!(
                        "the story '{}' was never sent to its storyteller: record how and when revision {revision} was sent first",
                        s.title
                    ),
                    Some(last) => format!(
                        "the storyteller was sent {} on {}, but the story is now at revision {revision} (edited since): send revision {revision} and record it first",
                        last.revision
                            .map(|r| format!("revision {r}"))
                            .unwrap_or_else(|| "an unrecorded revision".into()),
                        last.date
                    ),
                }));
            };
            if date < sent.date {
                return Err(Error::Invalid(format!(
                    "the approval date {date} is before revision {revision} was sent ({})",
                    sent.date
                )));
            }
            let open = consent.open_changes().count();
            if open > 0 {
                return Err(Error::Invalid(format!(
                    "the storyteller asked for {open} change(s) not yet marked as made: make them (and send the story again) or mark them done"
                )));
            }
            let report = this.check_story(key, key_file)?;
            if let Some(f) = report.errors().next() {
                return Err(Error::Invalid(format!(
                    "the checker finds {} error(s) (first: rule {}: {}); fix them before recording approval",
                    report.errors().count(),
                    f.rule,
                    f.message
                )));
            }
            let approval = Approval {
                date: date.clone(),
                how: how.clone(),
                revision,
            };
            let scopes = input.scopes.map(|s| {
                let mut v = s.to_vec();
                v.sort();
                v.dedup();
                v
            });
            Store::set_story_state(
                tx,
                id,
                StoryStatus::Approved,
                s.sent_on.as_deref(),
                Some(&approval),
            )?;
            if let Some(sc) = &scopes {
                Store::set_consent_scopes(tx, id, Some(sc), Some(&date))?;
            }
            Ok(Some((
                (),
                (
                    format!(
                        "story '{}' approved {how} on {date} (revision {revision}, sent {})",
                        s.title, sent.date
                    ),
                    json!({ "story": s.uuid, "approved_revision": revision, "date": date, "how": how, "scopes": scopes }),
                ),
            )))
        })
        .map(drop)
    }

    /// Records a comment, or a change the storyteller asked for (which puts
    /// a sent or approved story into "changes requested"). Returns its id.
    pub fn record_story_feedback(
        &mut self,
        key: &str,
        kind: FeedbackKind,
        text: &str,
        date: Option<&str>,
    ) -> Result<String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::Invalid("the storyteller's words are empty".into()));
        }
        let date = past_date(date)?;
        let actor = self.actor.clone();
        let uuid = self.change_within("story_feedback", |tx, this| {
            let id = this.store.find_story(key)?;
            let s = this.store.load_story(id)?;
            let consent = this.store.consent_record(id)?;
            let revision = consent.last_sending().and_then(|x| x.revision);
            let reopen = kind == FeedbackKind::Change
                && matches!(s.status, StoryStatus::Sent | StoryStatus::Approved);
            let uuid = Store::insert_feedback(tx, id, kind, revision, &date, text, &actor)?;
            if reopen {
                Store::set_story_state(
                    tx,
                    id,
                    StoryStatus::Changes,
                    s.sent_on.as_deref(),
                    s.approval.as_ref(),
                )?;
            }
            let summary = format!(
                "story '{}': the storyteller's {} of {date} recorded",
                s.title,
                match kind {
                    FeedbackKind::Comment => "comment",
                    FeedbackKind::Change => "requested change",
                }
            );
            Ok(Some((
                uuid,
                (
                    summary,
                    json!({ "story": s.uuid, "kind": kind, "date": date }),
                ),
            )))
        })?;
        uuid.ok_or_else(|| Error::Invalid("the storyteller's words were not recorded".into()))
    }

    /// Marks a requested change as made (or not). `feedback` is its id or a
    /// prefix of 4+ characters.
    pub fn set_story_feedback_done(&mut self, key: &str, feedback: &str, done: bool) -> Result<()> {
        let f = feedback.trim().to_lowercase();
        self.change_within("story_feedback_done", |tx, this| {
            let id = this.store.find_story(key)?;
            let consent = this.store.consent_record(id)?;
            let found: Vec<_> = consent
                .feedback
                .iter()
                .filter(|x| x.uuid == f || (f.len() >= 4 && x.uuid.starts_with(&f)))
                .collect();
            let item = match found.as_slice() {
                [one] => (*one).clone(),
                [] => {
                    return Err(Error::Invalid(format!(
                        "the story has no comment or requested change '{feedback}'"
                    )));
                }
                _ => {
                    return Err(Error::Invalid(format!(
                        "'{feedback}' matches {} entries: give more of the id",
                        found.len()
                    )));
                }
            };
            if item.done == done {
                return Ok(None);
            }
            Store::set_feedback_done(tx, id, &item.uuid, done)?;
            Ok(Some((
                (),
                (
                    format!(
                        "requested change of {} marked {}",
                        item.date,
                        if done { "made" } else { "open" }
                    ),
                    json!({ "feedback": item.uuid, "done": done }),
                ),
            )))
        })
        .map(drop)
    }

    /// Records what the storyteller agreed their story may be used for.
    pub fn set_story_consent(
        &mut self,
        key: &str,
        scopes: &[ConsentScope],
        date: Option<&str>,
    ) -> Result<()> {
        let date = past_date(date)?;
        let mut v = scopes.to_vec();
        v.sort();
        v.dedup();
        let words = if v.is_empty() {
            "no use beyond checking".to_owned()
        } else {
            v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
        };
        self.change_within("story_consent", |tx, this| {
            let id = this.store.find_story(key)?;
            let s = this.store.load_story(id)?;
            let before = this.store.consent_record(id)?;
            if before.scopes.as_ref() == Some(&v) {
                return Ok(None);
            }
            Store::set_consent_scopes(tx, id, Some(&v), Some(&date))?;
            Ok(Some((
                (),
                (
                    format!("story '{}': consent to {words} recorded on {date}", s.title),
                    json!({ "story": s.uuid, "scopes": v, "on": date }),
                ),
            )))
        })
        .map(drop)
    }

    /// The name a participant goes by, for the covering note of their story.
    pub fn set_participant_known_as(&mut self, participant: &str, name: &str) -> Result<()> {
        let (pid, ident) = self
            .store
            .find_participant(participant)?
            .ok_or_else(|| Error::UnknownParticipant(participant.to_owned()))?;
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let before = self.store.participant_known_as(pid)?;
        if before.as_deref().unwrap_or("") == name {
            return Ok(());
        }
        self.simple_change(
            "participant_known_as",
            format!("{ident} goes by a recorded name"),
            json!({ "participant": ident }),
            |tx| {
                Ok(Store::set_participant_known_as(
                    tx,
                    pid,
                    (!name.is_empty()).then_some(name.as_str()),
                )?)
            },
        )
    }

    /// How the storyteller of a story is addressed: the name they go by,
    /// else the participant's recorded name. `None` when neither is known.
    pub fn storyteller_address(&self, key: &str) -> Result<Option<String>> {
        let story = self.story(key)?;
        let Some(pid) = story.participant_id else {
            return Ok(None);
        };
        if let Some(k) = self.store.participant_known_as(pid)? {
            return Ok(Some(k));
        }
        let (_, name, _) = self.store.participant_brief(pid)?;
        Ok(name.filter(|n| !n.trim().is_empty()))
    }

    /// Participants whose quotes an output of this scope must leave out, with
    /// the reason: a storyteller who withdrew their story, or whose recorded
    /// consent does not cover it. Participants with no story, or whose story
    /// has no scope on record, are covered by the study's own consent.
    pub fn consent_exclusions(&self, scope: ConsentScope) -> Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::HashMap::<String, (bool, Vec<ConsentScope>, bool)>::new();
        for s in self.stories()? {
            let Some(p) = s.participant.clone() else {
                continue;
            };
            let consent = self.story_consent(&s.uuid)?;
            let e = seen.entry(p).or_default();
            if s.status == StoryStatus::Withdrawn {
                e.0 = true;
            }
            if let Some(sc) = consent.scopes {
                e.2 = true;
                e.1.extend(sc);
            }
        }
        let mut keys: Vec<_> = seen.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (p, (withdrawn, scopes, recorded)) in keys {
            if withdrawn {
                out.push((p, "withdrew their story".into()));
            } else if recorded && !scopes.contains(&scope) {
                out.push((p, format!("did not agree to {}", scope.describe())));
            }
        }
        Ok(out)
    }
}
