//! Settling a merge conflict by taking the version set aside (the other
//! person's) instead of the one kept, for every kind of conflict:
//!
//! - `field`: their value of the column;
//! - `deleted-used`: their deletion stands: the code or document goes, and the codings
//!   made on it go with it (the window says how many and asks first);
//! - `deleted-changed`: the row goes as they left it (deleted), with the
//!   changes made to it here; a code's codings go with it;
//! - `both-corrected`: their correction becomes the current text, and the
//!   codings on the one kept follow it as a merge carries them (placed where
//!   the diff is sure, otherwise put on the review list, never dropped);
//! - `refused`: their row is written as they have it (added, changed, or
//!   removed); if the project still refuses it, nothing changes and the
//!   error says what is in the way.
//!
//! Each is one change and one history entry; undo reopens the conflict.

use super::Project;
use crate::error::{Error, Result};
use crate::store::{ConflictRow, Record, Spec, Store, Tx, Written, spec_of};
use serde_json::{Value as Json, json};

/// What taking the other version would do, for asking first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakePreview {
    /// Who made the other version ("bob").
    pub who: String,
    /// What happens, in words.
    pub words: String,
    /// Live codings that would go with it: (coder, how many).
    pub codings_lost: Vec<(String, usize)>,
}

impl TakePreview {
    pub fn codings_lost_total(&self) -> usize {
        self.codings_lost.iter().map(|(_, n)| n).sum()
    }
}

/// How the other version is written.
enum Take {
    /// Columns set on the row (a field, a refused change).
    Set(Record),
    /// The deleted flag set (and, for a code, its codings' too).
    Flag,
    /// The row removed.
    Remove,
    /// Their row added.
    Insert(Record),
    /// Their correction made current; the codings follow.
    Current(Json),
}

impl Project {
    /// What [`Project::take_other_version`] would do to a conflict.
    pub fn take_other_preview(&self, key: &str) -> Result<TakePreview> {
        let c = self.open_conflict(key)?;
        let take = plan(&c)?;
        let who = short_by(&c.other_by).to_owned();
        let lost = match take {
            Take::Flag | Take::Remove => {
                self.store.codings_going_with(&c.entity, &c.entity_uuid)?
            }
            _ => Vec::new(),
        };
        let n: usize = lost.iter().map(|(_, n)| n).sum();
        let words = match (&take, c.kind.as_str()) {
            (Take::Current(_), _) => format!(
                "{who}'s correction becomes the current text; the codings on the text kept \
                 follow it (any the diff cannot place go to the review list)"
            ),
            (Take::Flag | Take::Remove, _) if n > 0 => format!(
                "{} is deleted as {who} left it, and {n} coding{} on it go{} with it ({})",
                c.label.split(':').next().unwrap_or(&c.label),
                if n == 1 { "" } else { "s" },
                if n == 1 { "es" } else { "" },
                lost.iter()
                    .map(|(coder, k)| format!("{k} by {coder}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (Take::Flag | Take::Remove, _) => format!(
                "{} is deleted as {who} left it",
                c.label.split(':').next().unwrap_or(&c.label)
            ),
            (Take::Insert(_), _) => format!("{who}'s row is added as {who} has it"),
            (Take::Set(_), "refused") => format!("the row is changed as {who} has it"),
            (Take::Set(_), _) => format!("{who}'s value is set"),
        };
        Ok(TakePreview {
            who,
            words,
            codings_lost: lost,
        })
    }

    /// Settles a conflict by taking the version set aside (the other
    /// person's) instead of the one kept, as one change (see the module
    /// notes for what that means for each kind).
    pub fn take_other_version(&mut self, key: &str) -> Result<()> {
        let c = self.open_conflict(key)?;
        let spec = spec_of(&c.entity)
            .ok_or_else(|| Error::Invalid(format!("unknown table '{}'", c.entity)))?;
        let take = plan(&c)?;
        let (uuid, label, by) = (c.uuid.clone(), c.label.clone(), c.other_by.clone());
        let who = short_by(&by).to_owned();
        self.simple_change(
            "settle_merge_conflict",
            format!("settled merge conflict: {label}, taking {by}'s version"),
            json!({ "conflict": uuid, "take": "other", "kind": c.kind }),
            |tx| {
                if let Some(why) = write(tx, spec, &c.entity_uuid, take)? {
                    return Err(Error::Invalid(format!(
                        "cannot take {who}'s version: {why}"
                    )));
                }
                Store::resolve_merge_conflict(tx, &uuid)?;
                Ok(())
            },
        )
    }
}

fn plan(c: &ConflictRow) -> Result<Take> {
    let parse = |v: &Option<String>| -> Result<Json> {
        match v {
            Some(v) => serde_json::from_str(v)
                .map_err(|e| Error::Invalid(format!("unreadable version: {e}"))),
            None => Ok(Json::Null),
        }
    };
    let record = |v: Json| -> Result<Record> {
        match v {
            Json::Object(m) => Ok(m.into_iter().collect()),
            _ => Err(Error::Invalid(format!(
                "'{}': the other version is not a row",
                c.label
            ))),
        }
    };
    Ok(match c.kind.as_str() {
        "field" => {
            let fields: Record = [(c.field.clone(), parse(&c.other)?)].into_iter().collect();
            Take::Set(fields)
        }
        "deleted-used" => Take::Flag,
        "deleted-changed" if c.field == "deleted" => Take::Flag,
        "deleted-changed" => Take::Remove,
        "both-corrected" => Take::Current(parse(&c.other)?),
        "refused" => {
            let theirs = record(parse(&c.other)?)?;
            match &c.kept {
                None => Take::Insert(theirs),
                // The colleague deleted it and the deletion was refused.
                Some(k)
                    if parse(&Some(k.clone()))?
                        == Json::Object(theirs.clone().into_iter().collect()) =>
                {
                    Take::Remove
                }
                Some(_) => Take::Set(theirs),
            }
        }
        other => {
            return Err(Error::Invalid(format!(
                "'{}': unknown kind of conflict '{other}'",
                c.label
            )));
        }
    })
}

/// Writes the other version; `Some(why)` when the project refuses it.
fn write(tx: &Tx, spec: &Spec, key: &str, take: Take) -> Result<Option<String>> {
    let refused = |w: Written| match w {
        Written::Done => None,
        Written::Refused(why) => Some(why),
    };
    Ok(match take {
        Take::Set(fields) => refused(Store::merge_update(tx, spec, key, &fields)?),
        Take::Insert(row) => refused(Store::merge_insert(tx, spec, &row)?),
        Take::Remove => {
            if spec.table == "codes" {
                Store::delete_codings_of_code(tx, key)?;
            }
            refused(Store::merge_delete(tx, spec, key)?)
        }
        Take::Flag => {
            if spec.table == "codes" {
                Store::delete_codings_of_code(tx, key)?;
            }
            let fields: Record = [("deleted".to_owned(), Json::from(1))]
                .into_iter()
                .collect();
            refused(Store::merge_update(tx, spec, key, &fields)?)
        }
        Take::Current(version) => {
            let fields: Record = [("current_version".to_owned(), version)]
                .into_iter()
                .collect();
            let why = refused(Store::merge_update(tx, spec, key, &fields)?);
            if why.is_none() {
                crate::merge::carry_stranded(tx)?;
            }
            why
        }
    })
}

/// "bob on bob-laptop, 2026-12-06 ..." → "bob".
pub fn short_by(by: &str) -> &str {
    by.split([' ', ',']).next().unwrap_or(by)
}
