//! REFI-QDA on [`Project`]: the import (one transaction, one history entry)
//! and the read-only rows the exporter in `storyloom-exports` needs beyond
//! the rest of the public API.

use super::Project;
use crate::error::Result;
use crate::refi::{ParticipantSource, RefiImportReport};
use std::path::Path;

impl Project {
    /// Imports a REFI-QDA project (`.qdpx`) or codebook (`.qdc`) into this
    /// project as one action (undo removes all of it). Sources that cannot be
    /// read and selections that do not fit are reported; a hostile or broken
    /// file is refused with the project unchanged.
    pub fn import_refi(&mut self, path: &Path) -> Result<RefiImportReport> {
        let actor = self.actor.clone();
        super::refi_import::import(&mut self.store, &actor, path)
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
}
