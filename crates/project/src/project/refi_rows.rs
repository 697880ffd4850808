//! REFI-QDA on [`Project`]: the import (one transaction, one history entry)
//! and the plain data the writer (`storyloom_refi::write`) is fed.

use super::Project;
use crate::error::Result;
use crate::refi::write::{CodebookData, ProjectData};
use crate::refi::{ParticipantSource, RefiImportReport};
use std::path::Path;

impl Project {
    /// Imports a REFI-QDA project (`.qdpx`) or codebook (`.qdc`) into this
    /// project as one action (undo removes all of it). Sources that cannot be
    /// read and selections that do not fit are reported; a hostile or broken
    /// file is refused with the project unchanged.
    pub fn import_refi(&mut self, path: &Path) -> Result<RefiImportReport> {
        let actor = self.actor.clone();
        // A note in the project, so a writer kept waiting can say who and what.
        let what = format!("importing {}", path.display());
        self.store.announce_writer(&actor, &what);
        let result = super::refi_import::import(&mut self.store, &actor, path);
        self.store.clear_writer();
        result
    }

    /// Every speaker linked to a participant, by document, in document order.
    pub fn participant_sources(&self) -> Result<Vec<ParticipantSource>> {
        let mut out = Vec::new();
        for d in self.documents()? {
            let (id, _, _) = self.store.find_document(&d.uuid)?;
            for s in self.store.speakers(id)? {
                if let Some(p) = s.participant {
                    out.push(ParticipantSource {
                        participant: p,
                        document_uuid: d.uuid.clone(),
                        document_name: d.name.clone(),
                        speaker: s.label,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The project's own uuid (stable across renames), for the exchange file.
    pub fn project_uuid(&self) -> Result<String> {
        Ok(self.store.project_uuid()?)
    }

    /// Everything a REFI-QDA project export writes.
    pub fn refi_project_data(&self) -> Result<ProjectData> {
        let mut documents = Vec::new();
        for d in self.documents()? {
            let text = self.document(&d.uuid)?;
            documents.push((d, text));
        }
        Ok(ProjectData {
            name: self
                .path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Storyloom project".into()),
            actor: self.actor().to_owned(),
            coders: self.coders()?,
            codes: self.codes()?,
            themes: self.themes()?,
            attributes: self.attributes()?,
            participants: self.participants()?,
            documents,
            codings: self.codings(None, None, None)?,
            memos: self.memos(None)?,
            speakers: self.participant_sources()?,
            importers: self.importers()?,
            non_codable: self.store.non_codable_codes()?,
            withdrawn: self
                .consent_exclusions(crate::stories::consent::ConsentScope::Workshop)?
                .into_iter()
                .filter(|(_, why)| why.starts_with("withdrew"))
                .map(|(id, why)| {
                    (
                        id,
                        format!("they {why}; leave their words out of anything shared outside the research team"),
                    )
                })
                .collect(),
        })
    }

    /// Who imported each live document (uuid → user), read from the history's
    /// import entries ("imported NAME (…)"); a document renamed since, or
    /// brought in from a REFI-QDA file, has none.
    fn importers(&self) -> Result<std::collections::HashMap<String, String>> {
        let by_name: std::collections::HashMap<String, String> = self
            .documents()?
            .into_iter()
            .map(|d| (d.name, d.uuid))
            .collect();
        let mut out = std::collections::HashMap::new();
        for h in self.history()? {
            if h.command != "import" || h.kind != "action" {
                continue;
            }
            let Some(rest) = h.summary.strip_prefix("imported ") else {
                continue;
            };
            let Some((name, _)) = rest.rsplit_once(" (") else {
                continue;
            };
            if let Some(uuid) = by_name.get(name) {
                out.entry(uuid.clone()).or_insert(h.actor);
            }
        }
        Ok(out)
    }

    /// Everything a REFI-QDA codebook export writes.
    pub fn refi_codebook_data(&self) -> Result<CodebookData> {
        Ok(CodebookData {
            codes: self.codes()?,
            themes: self.themes()?,
            non_codable: self.store.non_codable_codes()?,
        })
    }
}
