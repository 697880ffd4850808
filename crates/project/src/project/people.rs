//! Participants (cases) and their typed attributes.

use super::Project;
use crate::error::{Error, Result};
use crate::model::AttributeKind;
use crate::store::Store;
use serde_json::json;

/// Checks a value against an attribute's type; returns it as stored
/// (numbers and dates in a canonical form).
pub fn check_attribute_value(
    attribute: &str,
    kind: AttributeKind,
    choices: &[String],
    value: &str,
) -> Result<String> {
    let v = value.trim();
    match kind {
        AttributeKind::Text => Ok(v.to_owned()),
        AttributeKind::Number => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|_| v.to_owned())
            .ok_or_else(|| Error::Invalid(format!("{attribute} is a number; '{v}' is not one"))),
        AttributeKind::Date => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| Error::Invalid(format!("{attribute} is a date (YYYY-MM-DD); '{v}' is not one"))),
        AttributeKind::Choice => choices
            .iter()
            .find(|c| c.eq_ignore_ascii_case(v))
            .cloned()
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{attribute} is one of: {}; '{v}' is not among them (add it to the choices first)",
                    choices.join(", ")
                ))
            }),
    }
}

impl Project {
    /// Adds a participant by the study's id (`P10`), with optional name and pseudonym.
    pub fn create_participant(
        &mut self,
        ident: &str,
        name: Option<&str>,
        pseudonym: Option<&str>,
    ) -> Result<String> {
        let ident = ident.trim().to_owned();
        if ident.is_empty() {
            return Err(Error::Invalid(
                "a participant needs an id, such as P10".into(),
            ));
        }
        let clean = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let (name, pseudonym) = (clean(name), clean(pseudonym));
        let uuid = self.store.change(
            |uuid: &String| crate::store::ChangeRecord {
                actor: self.actor.clone(),
                command: "create_participant",
                summary: format!("added participant {ident}"),
                forward: json!({ "participant": uuid }),
            },
            |tx| {
                Store::insert_participant(tx, &ident, name.as_deref(), pseudonym.as_deref())
                    .map(|(_, uuid)| uuid)
            },
        )?;
        Ok(uuid)
    }

    /// Changes a participant's name and pseudonym (`None` clears).
    pub fn edit_participant(
        &mut self,
        key: &str,
        name: Option<&str>,
        pseudonym: Option<&str>,
    ) -> Result<()> {
        let (id, ident) = self
            .store
            .find_participant(key)?
            .ok_or_else(|| Error::UnknownParticipant(key.to_owned()))?;
        let clean = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let (name, pseudonym) = (clean(name), clean(pseudonym));
        self.simple_change(
            "edit_participant",
            format!("edited participant {ident}"),
            json!({ "participant": ident }),
            |tx| {
                Ok(Store::update_participant(
                    tx,
                    id,
                    name.as_deref(),
                    pseudonym.as_deref(),
                )?)
            },
        )
    }

    /// Sets only the fields given (`None` keeps it; an empty text clears it),
    /// inside the change: another process's change to the other field is kept.
    pub fn edit_participant_fields(
        &mut self,
        key: &str,
        name: Option<&str>,
        pseudonym: Option<&str>,
    ) -> Result<()> {
        let (id, ident) = self
            .store
            .find_participant(key)?
            .ok_or_else(|| Error::UnknownParticipant(key.to_owned()))?;
        fn clean(s: Option<&str>) -> Option<Option<&str>> {
            s.map(|s| Some(s.trim()).filter(|s| !s.is_empty()))
        }
        let (name, pseudonym) = (clean(name), clean(pseudonym));
        if name.is_none() && pseudonym.is_none() {
            return Ok(());
        }
        self.simple_change(
            "edit_participant",
            format!("edited participant {ident}"),
            json!({ "participant": ident, "name": name, "pseudonym": pseudonym }),
            |tx| Ok(Store::update_participant_fields(tx, id, name, pseudonym)?),
        )
    }

    /// Defines (or redefines) a participant attribute. Redefining checks
    /// that every value already given still fits the new type.
    pub fn define_attribute(
        &mut self,
        name: &str,
        kind: AttributeKind,
        choices: &[String],
    ) -> Result<()> {
        let name = name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::Invalid("an attribute needs a name".into()));
        }
        let mut choices: Vec<String> = choices
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        choices.dedup();
        if kind == AttributeKind::Choice && choices.is_empty() {
            return Err(Error::Invalid(format!(
                "{name} is a choice: list the choices"
            )));
        }
        // The values participants already have are checked inside the change.
        self.change_reading(
            "define_attribute",
            |_| {
                (
                    format!("attribute {name} is a {}", kind.as_str()),
                    json!({ "attribute": name, "kind": kind, "choices": choices }),
                )
            },
            |tx, this| {
                for p in this.participants()? {
                    if let Some((_, v)) = p
                        .attributes
                        .iter()
                        .find(|(a, _)| a.eq_ignore_ascii_case(&name))
                    {
                        check_attribute_value(&name, kind, &choices, v).map_err(|e| {
                            Error::Invalid(format!("{e} (participant {} already has it)", p.id))
                        })?;
                    }
                }
                Store::define_attribute(tx, &name, kind, &choices)?;
                Ok(Some(()))
            },
        )
        .map(drop)
    }

    /// Sets one attribute of a participant, checked against its type;
    /// an empty value clears it.
    pub fn set_attribute(&mut self, participant: &str, attribute: &str, value: &str) -> Result<()> {
        // The attribute's type and choices are read inside the change.
        self.change_within("set_attribute", |tx, this| {
            let (pid, ident) = this
                .store
                .find_participant(participant)?
                .ok_or_else(|| Error::UnknownParticipant(participant.to_owned()))?;
            let (aid, kind, choices) = this.store.find_attribute(attribute)?.ok_or_else(|| {
                Error::Invalid(format!(
                    "there is no attribute '{attribute}'; define it first"
                ))
            })?;
            let value = if value.trim().is_empty() {
                None
            } else {
                Some(check_attribute_value(attribute, kind, &choices, value)?)
            };
            Store::set_attribute_value(tx, pid, aid, value.as_deref())?;
            Ok(Some((
                (),
                (
                    format!(
                        "{ident}: {attribute} = {}",
                        value.as_deref().unwrap_or("(cleared)")
                    ),
                    json!({ "participant": ident, "attribute": attribute, "value": value }),
                ),
            )))
        })
        .map(drop)
    }
}
