//! [`Project`]: the one API the window and the command line call.
//!
//! Every change is one transaction with one history entry (see
//! [`crate::store::Store::change`]). Import parses files in parallel and
//! commits them one by one, so a crash keeps every file that had committed.

mod codebook_ops;
mod codings;
mod codings_csv;
mod correct;
mod memos;
pub mod pack_ops;
mod people;
mod pseudonym_ops;
mod queries;
mod refi_import;
mod refi_rows;
mod search_ops;
mod stories_ops;
mod story_checks;
mod story_edits;
mod undo;
pub mod workshop_ops;

pub use codebook_ops::{MergeReport, clean_color};
pub use codings::CodingRequest;
pub use codings_csv::CodingsImport;
pub use correct::{CorrectionReport, Resolution};
pub use people::check_attribute_value;
pub use queries::{
    AgreementSummary, CodeAgreementRow, CodeFrequencyRow, CodeMatrix, Cooccurrence,
    DisagreementRow, QueryHit, Scope,
};

use crate::codebook;
use crate::error::{Error, ImportError, Result};
use crate::import::{self, ParsedDocument};
use crate::model::*;
use crate::participants;
use crate::store::{ChangeRecord, NewDocument, RowChange, Store};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

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
}

/// Options of a batch import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Threads for parsing; 0 lets rayon decide.
    pub threads: usize,
}

/// What happened to one file of a batch.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum ImportOutcome {
    Imported {
        file: String,
        document: String,
        format: String,
        speakers: usize,
        turns: usize,
        words: usize,
        notes: Vec<String>,
        linked: Vec<String>,
    },
    Duplicate {
        file: String,
        existing: String,
    },
    Failed {
        file: String,
        error: String,
    },
    Cancelled {
        file: String,
    },
}

impl ImportOutcome {
    pub fn file(&self) -> &str {
        match self {
            ImportOutcome::Imported { file, .. }
            | ImportOutcome::Duplicate { file, .. }
            | ImportOutcome::Failed { file, .. }
            | ImportOutcome::Cancelled { file } => file,
        }
    }
}

/// The outcome of every file, in the order they were given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub outcomes: Vec<ImportOutcome>,
}

impl ImportReport {
    pub fn imported(&self) -> usize {
        self.count(|o| matches!(o, ImportOutcome::Imported { .. }))
    }
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, ImportOutcome::Failed { .. }))
    }
    pub fn duplicates(&self) -> usize {
        self.count(|o| matches!(o, ImportOutcome::Duplicate { .. }))
    }
    fn count(&self, f: impl Fn(&ImportOutcome) -> bool) -> usize {
        self.outcomes.iter().filter(|o| f(o)).count()
    }
}

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

/// A file read and parsed, waiting to be stored.
struct Loaded {
    index: usize,
    name: String,
    source: Option<String>,
    result: std::result::Result<(Vec<u8>, String, ParsedDocument), ImportError>,
}

impl Project {
    /// Creates a new project file.
    pub fn create(path: &Path) -> Result<Project> {
        Ok(Project {
            store: Store::create(path)?,
            actor: default_actor(),
            search: Default::default(),
        })
    }

    /// Opens a project file (migrating an older one; refusing foreign or newer files).
    pub fn open(path: &Path) -> Result<Project> {
        Ok(Project {
            store: Store::open(path)?,
            actor: default_actor(),
            search: Default::default(),
        })
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The store, for the domain modules that read through it.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Who is making changes: recorded in the history and on codings.
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = actor.trim().to_owned();
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn change_counter(&self) -> Result<i64> {
        Ok(self.store.change_counter()?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.store.schema_version()?)
    }

    /// Imports files: read and parsed in parallel, each stored in its own
    /// transaction as soon as it is ready. A bad file is reported and the
    /// others still import; the same bytes twice are reported, not duplicated.
    /// `progress(done, total, file)` is called after each file.
    pub fn import_files(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<ImportReport> {
        let total = paths.len();
        let (tx, rx) = mpsc::sync_channel::<Loaded>(16);
        let jobs: Vec<(usize, PathBuf)> = paths.iter().cloned().enumerate().collect();
        let threads = options.threads;
        let mut outcomes: Vec<Option<ImportOutcome>> = vec![None; total];
        std::thread::scope(|scope| -> Result<()> {
            scope.spawn(move || {
                let run = |jobs: Vec<(usize, PathBuf)>| {
                    jobs.into_par_iter().for_each_with(tx, |tx, (index, path)| {
                        let name = file_name(&path);
                        let result = if cancel.load(Ordering::Relaxed) {
                            Err(ImportError::Io(std::io::Error::other("cancelled")))
                        } else {
                            load_and_parse(&path, &name)
                        };
                        let _ = tx.send(Loaded {
                            index,
                            name,
                            source: Some(path.display().to_string()),
                            result,
                        });
                    })
                };
                match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
                    Ok(pool) => pool.install(|| run(jobs)),
                    Err(_) => run(jobs),
                }
            });
            let candidates = self.store.participant_keys()?;
            // Commit in the order given, so a project is the same whichever file parses first.
            let mut waiting: std::collections::BTreeMap<usize, Loaded> = Default::default();
            let mut next = 0;
            for loaded in rx {
                waiting.insert(loaded.index, loaded);
                while let Some(loaded) = waiting.remove(&next) {
                    let name = loaded.name.clone();
                    let outcome = if cancel.load(Ordering::Relaxed) {
                        ImportOutcome::Cancelled { file: name.clone() }
                    } else {
                        self.store_loaded(loaded, &candidates)?
                    };
                    outcomes[next] = Some(outcome);
                    next += 1;
                    progress(next, total, &name);
                }
            }
            Ok(())
        })?;
        Ok(ImportReport {
            outcomes: outcomes
                .into_iter()
                .zip(paths)
                .map(|(o, p)| o.unwrap_or(ImportOutcome::Cancelled { file: file_name(p) }))
                .collect(),
        })
    }

    /// Imports one file given as bytes (a file dropped on the window, a test).
    pub fn import_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<ImportOutcome> {
        let result = parse_checked(name, bytes).map(|(sha, parsed)| (bytes.to_vec(), sha, parsed));
        let candidates = self.store.participant_keys()?;
        self.store_loaded(
            Loaded {
                index: 0,
                name: name.to_owned(),
                source: None,
                result,
            },
            &candidates,
        )
    }

    fn store_loaded(&mut self, loaded: Loaded, candidates: &[Candidate]) -> Result<ImportOutcome> {
        let (bytes, sha, parsed) = match loaded.result {
            Ok(ok) => ok,
            Err(e) => {
                return Ok(ImportOutcome::Failed {
                    file: loaded.name,
                    error: e.to_string(),
                });
            }
        };
        match self.store.document_with_sha(&sha)? {
            Some((_, existing, false)) => {
                return Ok(ImportOutcome::Duplicate {
                    file: loaded.name,
                    existing,
                });
            }
            Some((id, _, true)) => return self.restore_document(id, loaded.name, &parsed),
            None => {}
        }
        let name = loaded.name.clone();
        let words = crate::text::word_count(&parsed.text);
        let actor = self.actor.clone();
        let (_, uuid, linked) = self.store.change_bulk(
            |(_, uuid, _): &(i64, String, Vec<String>)| ChangeRecord {
                actor: actor.clone(),
                command: "import",
                summary: format!(
                    "imported {name} ({}, {} speakers, {} turns, {words} words)",
                    parsed.format.as_str(),
                    parsed.speakers.len(),
                    parsed.turns.len()
                ),
                forward: json!({ "import": uuid }),
                inverse: json!({ "hide_document": uuid }),
            },
            |tx| {
                let inserted = Store::insert_document(
                    tx,
                    &NewDocument {
                        name: &loaded.name,
                        source_path: loaded.source.as_deref(),
                        sha256: &sha,
                        bytes: &bytes,
                        parsed: &parsed,
                    },
                )?;
                let mut linked = Vec::new();
                for (speaker, participant) in auto_links(&loaded.name, &parsed, candidates) {
                    Store::set_speaker_participant(
                        tx,
                        inserted.speaker_ids[speaker],
                        Some(participant.0),
                    )?;
                    linked.push(format!(
                        "{} → {}",
                        parsed.speakers[speaker].label, participant.1
                    ));
                }
                Ok::<_, crate::Error>((inserted.id, inserted.uuid, linked))
            },
            // Undo hides the document (its bytes and codings stay); redo shows it again.
            |(id, _, _)| {
                vec![RowChange::update(
                    "documents",
                    *id,
                    json!({"deleted": 1}),
                    json!({"deleted": 0}),
                )]
            },
        )?;
        Ok(ImportOutcome::Imported {
            file: loaded.name,
            document: uuid,
            format: parsed.format.as_str().to_owned(),
            speakers: parsed.speakers.len(),
            turns: parsed.turns.len(),
            words,
            notes: parsed.notes,
            linked,
        })
    }

    /// Importing a file whose import was undone brings that document back.
    fn restore_document(
        &mut self,
        id: i64,
        file: String,
        parsed: &ParsedDocument,
    ) -> Result<ImportOutcome> {
        let actor = self.actor.clone();
        let (uuid, name) = self.store.document_uuid_name(id)?;
        self.store.change(
            |_| ChangeRecord {
                actor: actor.clone(),
                command: "import",
                summary: format!("imported {file} again: {name} restored"),
                forward: json!({ "restore_document": uuid }),
                inverse: json!({ "hide_document": uuid }),
            },
            |tx| Store::set_document_hidden(tx, id, false),
        )?;
        Ok(ImportOutcome::Imported {
            file,
            document: uuid,
            format: parsed.format.as_str().to_owned(),
            speakers: parsed.speakers.len(),
            turns: parsed.turns.len(),
            words: crate::text::word_count(&parsed.text),
            notes: vec!["this file had been imported before and its import undone: the document and its codings are back".into()],
            linked: vec![],
        })
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

    /// Corrects a speaker's role (the import only guessed it).
    pub fn set_speaker_role(&mut self, document: &str, label: &str, role: Role) -> Result<()> {
        let (doc_id, _, doc_name) = self.store.find_document(document)?;
        let (speaker_id, old, _) =
            self.store
                .find_speaker(doc_id, label)?
                .ok_or_else(|| Error::UnknownSpeaker {
                    document: doc_name.clone(),
                    label: label.to_owned(),
                })?;
        let actor = self.actor.clone();
        Ok(self.store.change(
            |_| ChangeRecord {
                actor: actor.clone(),
                command: "set_speaker_role",
                summary: format!(
                    "{label} in {doc_name}: {} → {}",
                    old.as_str(),
                    role.as_str()
                ),
                forward: json!({ "speaker": speaker_id, "role": role.as_str() }),
                inverse: json!({ "speaker": speaker_id, "role": old.as_str() }),
            },
            |tx| Store::set_speaker_role(tx, speaker_id, role, true),
        )?)
    }

    /// Links a speaker of a document to a participant (or unlinks with `None`).
    pub fn link_speaker(
        &mut self,
        document: &str,
        label: &str,
        participant: Option<&str>,
    ) -> Result<()> {
        let (doc_id, _, doc_name) = self.store.find_document(document)?;
        let (speaker_id, _, old) =
            self.store
                .find_speaker(doc_id, label)?
                .ok_or_else(|| Error::UnknownSpeaker {
                    document: doc_name.clone(),
                    label: label.to_owned(),
                })?;
        let target = match participant {
            Some(key) => Some(
                self.store
                    .find_participant(key)?
                    .ok_or_else(|| Error::UnknownParticipant(key.to_owned()))?,
            ),
            None => None,
        };
        let actor = self.actor.clone();
        let shown = target.as_ref().map_or("nobody".to_owned(), |t| t.1.clone());
        Ok(self.store.change(
            |_| ChangeRecord {
                actor: actor.clone(),
                command: "link_speaker",
                summary: format!("{label} in {doc_name} linked to {shown}"),
                forward: json!({ "speaker": speaker_id, "participant": target.as_ref().map(|t| t.0) }),
                inverse: json!({ "speaker": speaker_id, "participant": old }),
            },
            |tx| Store::set_speaker_participant(tx, speaker_id, target.as_ref().map(|t| t.0)),
        )?)
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
                inverse: json!({ "delete_participants": w.created }),
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
                forward: json!(links.iter().map(|l| [l.0, l.1]).collect::<Vec<_>>()),
                inverse: json!(links.iter().map(|l| [l.0]).collect::<Vec<_>>()),
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
                inverse: json!({ "delete_codes": created }),
            },
            |tx| Store::write_codes(tx, &specs, CODE_PALETTE),
        )?)
    }

    /// The audit trail, oldest first.
    pub fn history(&self) -> Result<Vec<HistoryEntry>> {
        Ok(self.store.history()?)
    }

    /// Builds a project from a study folder: `participants.csv`,
    /// `codebook.csv`, every transcript under `interviews/`, then `codings.csv`.
    pub fn create_from_folder(
        project_path: &Path,
        folder: &Path,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<(Project, ImportReport)> {
        let mut project = Project::create(project_path)?;
        let participants = folder.join("participants.csv");
        if participants.is_file() {
            project.import_participants_csv(&participants)?;
        }
        let codebook = folder.join("codebook.csv");
        if codebook.is_file() {
            project.import_codebook_csv(&codebook)?;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(folder.join("interviews"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && import::detect_format(&file_name(p)).is_ok())
            .collect();
        files.sort();
        let report = project.import_files(
            &files,
            &ImportOptions::default(),
            &AtomicBool::new(false),
            progress,
        )?;
        // The study's coding, if it has some (rows that do not fit are
        // skipped here; `import_codings_csv` reports them).
        let codings = folder.join("codings.csv");
        if codings.is_file() {
            project.import_codings_csv(&codings)?;
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

/// Reads a file (refusing oversized files before reading) and parses it.
fn load_and_parse(
    path: &Path,
    name: &str,
) -> std::result::Result<(Vec<u8>, String, ParsedDocument), ImportError> {
    let size = std::fs::metadata(path)?.len();
    if size > import::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            size,
            limit: import::MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path)?;
    let (sha, parsed) = parse_checked(name, &bytes)?;
    Ok((bytes, sha, parsed))
}

fn parse_checked(
    name: &str,
    bytes: &[u8],
) -> std::result::Result<(String, ParsedDocument), ImportError> {
    let parsed = import::parse(name, bytes)?;
    Ok((sha256_hex(bytes), parsed))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

type Candidate = crate::store::ParticipantKey;

/// Which speakers of a new document belong to known participants.
fn auto_links<'a>(
    file: &str,
    parsed: &ParsedDocument,
    candidates: &'a [Candidate],
) -> Vec<(usize, &'a Candidate)> {
    parsed
        .speakers
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match_participant(file, &s.label, s.role, candidates).map(|c| (i, c)))
        .collect()
}

/// A speaker matches a participant when its label is the participant's id,
/// name, first name or pseudonym; or, for the participant-role speaker, when
/// the file name starts with the participant's id (`P01-doreen.docx`).
fn match_participant<'a>(
    file: &str,
    label: &str,
    role: Role,
    candidates: &'a [Candidate],
) -> Option<&'a Candidate> {
    let label_l = label.trim().to_lowercase();
    let by_label: Vec<&Candidate> = candidates
        .iter()
        .filter(|(_, ident, name, pseudonym)| {
            ident.to_lowercase() == label_l
                || name.as_ref().is_some_and(|n| {
                    let n = n.to_lowercase();
                    n == label_l || n.split_whitespace().next() == Some(label_l.as_str())
                })
                || pseudonym
                    .as_ref()
                    .is_some_and(|p| p.to_lowercase() == label_l)
        })
        .collect();
    if let [one] = by_label.as_slice() {
        return Some(one);
    }
    if role != Role::Participant {
        return None;
    }
    let file_l = file.to_lowercase();
    candidates.iter().find(|(_, ident, _, _)| {
        let ident = ident.to_lowercase();
        file_l.starts_with(&ident)
            && file_l[ident.len()..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_alphanumeric())
    })
}
