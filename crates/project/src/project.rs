//! [`Project`]: the one API the window and the command line call.
//!
//! Every change is one transaction with one history entry (see
//! [`crate::store::Store::change`]). Import parses files in parallel and
//! commits them one by one, so a crash keeps every file that had committed.

mod agreement_ops;
pub mod agreement_settle;
mod codebook_ops;
mod codings;
mod codings_csv;
pub mod consent_ops;
mod correct;
mod csv_import;
pub mod details_ops;
mod import_gate;
mod import_ops;
mod import_tags;
mod memos;
mod merge_ops;
mod merge_take;
pub mod names_ops;
pub mod pack_ops;
mod people;
mod pseudonym_ops;
mod queries;
mod refi_import;
mod refi_rows;
mod search_ops;
mod share_ops;
mod speakers;
mod stories_ops;
mod story_checks;
mod story_edits;
mod turn_cuts;
mod turn_ops;
mod undo;
pub mod workshop_ops;

pub use agreement_ops::{AgreementSummary, CodeAgreementRow, DisagreementRow};
pub use agreement_settle::{CONSENSUS_CODER, Passage, PassageCodings, Settle};
pub use codebook_ops::{MergeReport, clean_color};
pub use codings::CodingRequest;
pub use codings_csv::{CodingsCsvOptions, CodingsImport};
pub use correct::{CorrectionReport, Resolution};
pub use csv_import::{CsvImport, CsvKind, RowProblem, csv_header, csv_kind};
pub use import_ops::{ImportOptions, ImportOutcome, ImportReport};
pub use merge_take::TakePreview;
pub use people::check_attribute_value;
pub use queries::{CodeFrequencyRow, CodeMatrix, Cooccurrence, QueryHit, Scope};
pub use speakers::ParticipantImport;
pub use story_edits::CutToSentenceEnd;
pub use turn_ops::TurnEdit;

use crate::codebook;
use crate::command::Command;
use crate::error::{Error, Result};
use crate::import;
use crate::model::*;
use crate::store::{ChangeRecord, Store};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Colours given to codes that do not name one: distinct, readable on light and dark.
pub const CODE_PALETTE: &[&str] = &[
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#469990", "#9a6324", "#800000", "#808000", "#000075", "#fabed4", "#dcbeff", "#aaffc3",
];

/// An open project.
pub struct Project {
    store: Store,
    actor: String,
    /// The full-text index, opened on first search (derived data, see [`crate::search`]).
    pub(crate) search: crate::search::SearchState,
    /// The name finder's last results, stamped with the change counter.
    pub(crate) names_cache: names_ops::NamesCache,
}

impl Project {
    /// Creates a new project file.
    pub fn create(path: &Path) -> Result<Project> {
        Ok(Project {
            store: Store::create(path)?,
            actor: default_actor(),
            search: Default::default(),
            names_cache: Default::default(),
        })
    }

    /// Opens a project file (migrating an older one; refusing foreign or newer files).
    pub fn open(path: &Path) -> Result<Project> {
        Ok(Project {
            store: Store::open(path)?,
            actor: default_actor(),
            search: Default::default(),
            names_cache: Default::default(),
        })
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Why the project is open read-only (the file or its folder cannot be
    /// written), if it is: every change is then refused with that reason.
    pub fn read_only(&self) -> Option<&str> {
        self.store.read_only()
    }

    /// What opening did about a long change (an import) that a crash or a
    /// kill cut short: taken back, or kept and recorded when someone had
    /// changed its rows since. The window and the command line say it.
    pub fn recovered(&self) -> Option<&str> {
        self.store.recovered()
    }

    /// A consistent copy of the whole project at `out` (SQLite's online
    /// backup, checked, written through a temporary file): one file.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        Ok(self.store.backup_to(out)?)
    }

    /// The store, for the domain modules that read through it.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Who is making changes: recorded in the history and on codings.
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = actor.trim().to_owned();
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// What SQLite's integrity and foreign-key checks find wrong with the
    /// project file; empty when it is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        Ok(self.store.integrity_problems()?)
    }

    pub fn change_counter(&self) -> Result<i64> {
        Ok(self.store.change_counter()?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.store.schema_version()?)
    }

    /// Live documents, in import order.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        Ok(self.store.documents()?)
    }

    /// A document's current text, turns and marks, by id, id prefix or name.
    pub fn document(&self, key: &str) -> Result<DocumentText> {
        let (id, _, _) = self.store.find_document(key)?;
        Ok(self.store.document_text(id)?)
    }

    /// What the importer noted about a document.
    pub fn import_notes(&self, key: &str) -> Result<Vec<String>> {
        let (id, _, _) = self.store.find_document(key)?;
        Ok(self.store.import_notes(id)?)
    }

    pub fn speakers(&self, document: &str) -> Result<Vec<Speaker>> {
        let (id, _, _) = self.store.find_document(document)?;
        Ok(self.store.speakers(id)?)
    }

    pub fn participants(&self) -> Result<Vec<Participant>> {
        Ok(self.store.participants()?)
    }

    pub fn attributes(&self) -> Result<Vec<Attribute>> {
        Ok(self.store.attributes()?)
    }

    /// Creates the codes of a starting codebook CSV (existing codes are kept).
    pub fn import_codebook_csv(&mut self, path: &Path) -> Result<Vec<String>> {
        let bytes = std::fs::read(path)?;
        let specs = codebook::read_csv(&bytes).map_err(|reason| Error::Csv {
            path: path.display().to_string(),
            reason,
        })?;
        let actor = self.actor.clone();
        let file = file_name(path);
        Ok(self.store.change(
            |created: &Vec<String>| ChangeRecord {
                actor: actor.clone(),
                command: "import_codebook",
                summary: format!("{} codes from {file}", created.len()),
                forward: json!({ "file": file, "created": created }),
            },
            |tx| Store::write_codes(tx, &specs, CODE_PALETTE),
        )?)
    }

    /// The audit trail, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        Ok(self.store.history()?)
    }

    /// Builds a project from a study folder, each step a [`Command`]: `participants.csv`,
    /// `codebook.csv`, every transcript under `interviews/`, then `codings.csv`;
    /// `speakers-checked.txt` names the transcripts whose speakers the study's
    /// author checked (and in whose name), which are then confirmed.
    pub fn create_from_folder(
        project_path: &Path,
        folder: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<(Project, ImportReport)> {
        let mut project = Project::create(project_path)?;
        let participants = folder.join("participants.csv");
        if participants.is_file() {
            project.apply(Command::ImportParticipantsCsv { path: participants })?;
        }
        let codebook = folder.join("codebook.csv");
        if codebook.is_file() {
            project.apply(Command::ImportCodebookCsv { path: codebook })?;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder.join("interviews"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && import::detect_format(&file_name(p)).is_ok())
            .collect();
        files.sort();
        let report = project
            .apply_watched(
                Command::ImportFiles {
                    paths: files,
                    threads: ImportOptions::default().threads,
                },
                &AtomicBool::new(false),
                progress,
            )?
            .imported()?;
        // The study's coding, if it has some (rows that do not fit are
        // skipped here; `import_codings_csv` reports them).
        let codings = folder.join("codings.csv");
        if codings.is_file() {
            project.apply(Command::ImportCodingsCsv {
                path: codings,
                create_codes: false,
            })?;
        }
        let checked = folder.join("speakers-checked.txt");
        if checked.is_file() {
            project.confirm_listed_speakers(&checked)?;
        }
        Ok((project, report))
    }
}

fn default_actor() -> String {
    std::env::var("STORYLOOM_USER")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "researcher".to_owned())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
