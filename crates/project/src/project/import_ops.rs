//! Importing transcripts on [`Project`]: files read and parsed in parallel,
//! each stored in its own transaction as soon as it is ready, speakers linked
//! to the participants they match.

use super::import_gate::{Gate, IN_FLIGHT_BYTES};
use super::import_tags::{self, TagsApplied};
use super::{Project, file_name, sha256_hex};
use crate::error::{ImportError, Result};
use crate::ids::DocumentId;
use crate::import::{self, ParsedDocument, parsed::Confidence};
use crate::model::Role;
use crate::store::{ChangeRecord, NewDocument, RowChange, Store};
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Options of a batch import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Threads for parsing; 0: one per core.
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
        /// Percent of the words (labels aside) that are in speaker turns.
        speech_percent: u8,
        /// Words kept as non-speech turns (introductions, headings, notes).
        non_speech_words: usize,
        /// How sure the import is of the speakers, and why.
        confidence: Confidence,
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

/// A file read and parsed, waiting to be stored.
struct Loaded {
    index: usize,
    name: String,
    source: Option<String>,
    result: std::result::Result<(Vec<u8>, String, ParsedDocument), ImportError>,
}

impl Project {
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
        let actor = self.actor.clone();
        self.store
            .announce_writer(&actor, &format!("importing {total} files"));
        let result = self.import_files_inner(paths, options, cancel, progress);
        self.store.clear_writer();
        result
    }

    fn import_files_inner(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<ImportReport> {
        let total = paths.len();
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        }
        .clamp(1, total.max(1));
        // Only as many readers as files of the largest size fit in the
        // budget: more would only wait, and each thread keeps its own heap
        // (memory the allocator does not hand from one thread to another).
        let largest = paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .max()
            .unwrap_or(0);
        let fit = usize::try_from(IN_FLIGHT_BYTES / largest.max(1)).unwrap_or(usize::MAX);
        let threads = threads.min(fit.max(1));
        let (tx, rx) = mpsc::channel::<(u64, Loaded)>();
        let gate = Gate::default();
        let claimed = AtomicUsize::new(0);
        let mut outcomes: Vec<Option<ImportOutcome>> = vec![None; total];
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..threads {
                let (tx, gate, claimed) = (tx.clone(), &gate, &claimed);
                scope.spawn(move || {
                    loop {
                        // Claimed in order, let in in order (see `import_gate`).
                        let index = claimed.fetch_add(1, Ordering::SeqCst);
                        let Some(path) = paths.get(index) else { break };
                        let size = std::fs::metadata(path).map_or(0, |m| m.len());
                        if !gate.enter(index, size) {
                            break;
                        }
                        let name = file_name(path);
                        let result = if cancel.load(Ordering::Relaxed) {
                            Err(ImportError::Io(std::io::Error::other("cancelled")))
                        } else {
                            load_and_parse(path, &name)
                        };
                        let loaded = Loaded {
                            index,
                            name,
                            source: Some(path.display().to_string()),
                            result,
                        };
                        if tx.send((size, loaded)).is_err() {
                            gate.leave(size);
                            break;
                        }
                    }
                });
            }
            drop(tx);
            // Whatever ends the loop (an error included), no reader stays waiting.
            struct StopOnExit<'g>(&'g Gate);
            impl Drop for StopOnExit<'_> {
                fn drop(&mut self) {
                    self.0.stop();
                }
            }
            let _stop = StopOnExit(&gate);
            let candidates = self.store.participant_keys()?;
            // Commit in the order given, so a project is the same whichever file parses first.
            let mut waiting: std::collections::BTreeMap<usize, (u64, Loaded)> = Default::default();
            let mut next = 0;
            for (size, loaded) in rx {
                waiting.insert(loaded.index, (size, loaded));
                while let Some((size, loaded)) = waiting.remove(&next) {
                    let name = loaded.name.clone();
                    let outcome = if cancel.load(Ordering::Relaxed) {
                        ImportOutcome::Cancelled { file: name.clone() }
                    } else {
                        self.store_loaded(loaded, &candidates)?
                    };
                    gate.leave(size);
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
        let coverage = parsed.coverage();
        let speaker_count = speaker_count(&parsed);
        let actor = self.actor.clone();
        let (_, uuid, linked, tags) = self.store.change_bulk(
            |(_, uuid, _, _): &(DocumentId, String, Vec<String>, TagsApplied)| ChangeRecord {
                actor: actor.clone(),
                command: "import",
                summary: format!(
                    "imported {name} ({}, {} speakers, {} turns, {words} words)",
                    parsed.format.as_str(),
                    speaker_count,
                    parsed.turns.len()
                ),
                forward: json!({ "import": uuid }),
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
                // A transcript table's tags: codings in this same transaction.
                let tags = import_tags::apply(tx, inserted.id, &parsed, &actor)?;
                Ok::<_, crate::Error>((inserted.id, inserted.uuid, linked, tags))
            },
            // Undo hides the document (its bytes stay) and what its tags made;
            // redo shows them again.
            |(id, _, _, tags)| {
                let mut rows = vec![RowChange::update(
                    "documents",
                    id.get(),
                    json!({"deleted": 1}),
                    json!({"deleted": 0}),
                )];
                rows.extend(tags.undo_rows());
                rows
            },
        )?;
        let mut notes = parsed.notes;
        notes.extend(tags.summary());
        notes.extend(tags.notes);
        Ok(ImportOutcome::Imported {
            file: loaded.name,
            document: uuid,
            format: parsed.format.as_str().to_owned(),
            speakers: speaker_count,
            turns: parsed.turns.len(),
            words,
            speech_percent: coverage.speech_percent(),
            non_speech_words: coverage.non_speech_words,
            confidence: parsed.confidence,
            notes,
            linked,
        })
    }

    /// Importing a file whose import was undone brings that document back.
    fn restore_document(
        &mut self,
        id: DocumentId,
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
            },
            |tx| Store::set_document_hidden(tx, id, false),
        )?;
        Ok(ImportOutcome::Imported {
            file,
            document: uuid,
            format: parsed.format.as_str().to_owned(),
            speakers: speaker_count(parsed),
            turns: parsed.turns.len(),
            words: crate::text::word_count(&parsed.text),
            speech_percent: parsed.coverage().speech_percent(),
            non_speech_words: parsed.coverage().non_speech_words,
            confidence: parsed.confidence.clone(),
            notes: vec!["this file had been imported before and its import undone: the document and its codings are back".into()],
            linked: vec![],
        })
    }
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

type Candidate = crate::store::ParticipantKey;

/// Speakers who speak (the non-speech pseudo-speaker aside).
fn speaker_count(parsed: &ParsedDocument) -> usize {
    parsed.speakers.iter().filter(|s| !s.non_speech).count()
}

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
        .filter(|(_, s)| !s.non_speech)
        .filter_map(|(i, s)| match_participant(file, &s.label, s.role, candidates).map(|c| (i, c)))
        .collect()
}

/// A speaker matches a participant when its label is the participant's id,
/// name, first name or pseudonym; or, for the participant-role speaker, when
/// the file name starts with the participant's id (`P01-doreen.docx`).
pub(super) fn match_participant<'a>(
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
