//! Speakers on [`Project`]: their roles, their links to participants, and
//! the participants CSV that creates participants and links their speakers.

use super::import_ops::match_participant;
use super::turn_ops::{with_withdrawal, withdrawn_json};
use super::{Project, file_name};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::Role;
use crate::participants;
use crate::store::{ChangeRecord, Store};
use serde::Serialize;
use serde_json::json;
use std::path::Path;

/// Result of importing a participants CSV.
#[derive(Debug, Clone, Serialize)]
pub struct ParticipantImport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub attributes: Vec<String>,
    /// Rows that did not fit, with the reason.
    pub rejected: Vec<String>,
    /// Speakers linked to participants as a result.
    pub linked: Vec<String>,
}

impl Project {
    /// Corrects a speaker's role (the import only guessed it); returns what
    /// was done. Like every correction of who spoke, it withdraws an earlier
    /// "Speakers checked".
    pub fn set_speaker_role(&mut self, document: &str, label: &str, role: Role) -> Result<String> {
        // The role it had (for the history) is read inside the change.
        let said = self.change_within("set_speaker_role", |tx, this| {
            let (doc_id, doc_uuid, doc_name) = this.store.find_document(document)?;
            let (speaker_id, old, _) = this.speaker_in(doc_id, &doc_name, label)?;
            Store::set_speaker_role(tx, speaker_id, role, true)?;
            let withdrew = Store::withdraw_speakers_confirmation(tx, doc_id)?;
            let summary = format!(
                "{label} in {doc_name}: {} → {}",
                old.as_str(),
                role.as_str()
            );
            let said = with_withdrawal(&summary, withdrew.as_ref());
            let forward = json!({ "document": doc_uuid, "speaker": speaker_id, "role": role.as_str(),
                "withdrew_check": withdrawn_json(&summary, withdrew.as_ref()) });
            Ok(Some((said.clone(), (said, forward))))
        })?;
        Ok(said.unwrap_or_default())
    }

    /// A document's speaker by label (row id, role, linked participant), or
    /// the error that names the document and the label.
    pub(crate) fn speaker_in(
        &self,
        doc_id: DocumentId,
        doc_name: &str,
        label: &str,
    ) -> Result<(i64, Role, Option<i64>)> {
        self.store
            .find_speaker(doc_id, label)?
            .ok_or_else(|| Error::UnknownSpeaker {
                document: doc_name.to_owned(),
                label: label.to_owned(),
            })
    }

    /// Links a speaker of a document to a participant (or unlinks with `None`).
    pub fn link_speaker(
        &mut self,
        document: &str,
        label: &str,
        participant: Option<&str>,
    ) -> Result<()> {
        // The speaker and the participant are found inside the change, so
        // neither can be renamed or deleted between finding and linking.
        self.change_within("link_speaker", |tx, this| {
            let (doc_id, _, doc_name) = this.store.find_document(document)?;
            let (speaker_id, _, _) = this.speaker_in(doc_id, &doc_name, label)?;
            let target = match participant {
                Some(key) => Some(
                    this.store
                        .find_participant(key)?
                        .ok_or_else(|| Error::UnknownParticipant(key.to_owned()))?,
                ),
                None => None,
            };
            Store::set_speaker_participant(tx, speaker_id, target.as_ref().map(|t| t.0))?;
            let shown = target.as_ref().map_or("nobody".to_owned(), |t| t.1.clone());
            Ok(Some((
                (),
                (
                    format!("{label} in {doc_name} linked to {shown}"),
                    json!({ "speaker": speaker_id, "participant": target.as_ref().map(|t| t.0) }),
                ),
            )))
        })
        .map(drop)
    }

    /// Imports participants and their attributes from a CSV file. Rows that do
    /// not fit are reported; the rest are stored in one transaction. Speakers
    /// whose label or file name matches a new participant are linked.
    pub fn import_participants_csv(&mut self, path: &Path) -> Result<ParticipantImport> {
        let bytes = std::fs::read(path).map_err(|e| Error::Csv {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let table = participants::read_csv(&bytes).map_err(|reason| Error::Csv {
            path: path.display().to_string(),
            reason,
        })?;
        let actor = self.actor.clone();
        let file = file_name(path);
        let written = self.store.change(
            |w: &crate::store::ParticipantsWritten| ChangeRecord {
                actor: actor.clone(),
                command: "import_participants",
                summary: format!(
                    "participants from {file}: {} new, {} updated",
                    w.created.len(),
                    w.updated.len()
                ),
                forward: json!({ "file": file, "created": w.created, "updated": w.updated }),
            },
            |tx| Store::write_participants(tx, &table),
        )?;
        let linked = self.link_unlinked_speakers()?;
        Ok(ParticipantImport {
            created: written.created,
            updated: written.updated,
            attributes: table.attributes.iter().map(|a| a.0.clone()).collect(),
            rejected: table.rejected,
            linked,
        })
    }

    /// Links every unlinked speaker that matches a participant, as import does.
    fn link_unlinked_speakers(&mut self) -> Result<Vec<String>> {
        let candidates = self.store.participant_keys()?;
        let mut links = Vec::new();
        for (speaker_id, label, doc_name, role) in self.store.unlinked_speakers()? {
            if let Some(p) = match_participant(&doc_name, &label, role, &candidates) {
                links.push((speaker_id, p.0, format!("{label} ({doc_name}) → {}", p.1)));
            }
        }
        if links.is_empty() {
            return Ok(vec![]);
        }
        let actor = self.actor.clone();
        let summary: Vec<String> = links.iter().map(|l| l.2.clone()).collect();
        self.store.change(
            |_| ChangeRecord {
                actor: actor.clone(),
                command: "link_speakers",
                summary: format!("linked {} speakers to participants", links.len()),
                forward: json!(links.iter().map(|l| (l.0, l.1)).collect::<Vec<_>>()),
            },
            |tx| {
                for (speaker, participant, _) in &links {
                    Store::set_speaker_participant(tx, *speaker, Some(*participant))?;
                }
                Ok::<_, crate::Error>(())
            },
        )?;
        Ok(summary)
    }
}
