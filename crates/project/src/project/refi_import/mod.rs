//! Importing a `.qdpx` or `.qdc` into the project: `storyloom_refi::read`
//! reads the file as plain data, [`Existing`] is what the project already
//! has, and [`writer::Writer`] applies the rest in one change (one history
//! entry: undo removes all of it). The change is written in chunks of the
//! write lock (the writer calls `Tx::breathe` between items): another
//! process's small change gets in within seconds, and a failed or killed
//! import is taken back whole (the store's `chunked` module says how).

#[cfg(test)]
mod tests;
mod writer;

use crate::error::{Error, ImportError, Result};
use crate::ids::{DocumentId, ParticipantId, ThemeId};
use crate::import;
use crate::model::AttributeKind;
use crate::project::sha256_hex;
use crate::refi::RefiImportReport;
use crate::refi::labels::{LabelledText, label_turns};
use crate::refi::read::{self, Read, case_ident};
use crate::store::{ChangeRecord, Store};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A text source of the file as the project knows it.
struct KnownSource {
    sha: String,
    /// The same bytes as an earlier source of this file.
    alias_of: Option<usize>,
    /// Already in the project: (document id, name, hidden).
    document: Option<(DocumentId, String, bool)>,
    /// The document's text in the project, when the file's text is that
    /// text with speaker labels written in (Storyloom's export): the map
    /// takes the file's positions back to the stored text.
    labels: Option<(String, LabelledText)>,
}

/// What the project already has that the file names.
struct Existing {
    /// One per source of the file (empty for sources that could not be read).
    sources: Vec<KnownSource>,
    /// (name, id, uuid)
    themes: Vec<(String, ThemeId, String)>,
    /// Memo uuids, lower case.
    memos: HashSet<String>,
    /// Case ident, lower case → (participant id, uuid).
    participants: HashMap<String, (ParticipantId, String)>,
    /// Attribute name, lower case → (id, kind, choices).
    attributes: HashMap<String, (i64, AttributeKind, Vec<String>)>,
}

impl Existing {
    fn look_up(store: &Store, read: &Read) -> Result<Existing> {
        let q = &read.qde;
        let mut sources = Vec::with_capacity(read.sources.len());
        let mut by_sha: HashMap<String, usize> = HashMap::new();
        for (i, (s, p)) in q.sources.iter().zip(&read.sources).enumerate() {
            let Some(p) = p else {
                sources.push(KnownSource {
                    sha: String::new(),
                    alias_of: None,
                    document: None,
                    labels: None,
                });
                continue;
            };
            let sha = sha256_hex(&p.bytes);
            let alias_of = by_sha.get(&sha).copied();
            if alias_of.is_none() {
                by_sha.insert(sha.clone(), i);
            }
            let mut existing = store.document_with_sha(&sha)?;
            // A document this file was exported from (Storyloom writes
            // document uuids as GUIDs): a teammate's copy merges back.
            let guid = s.guid.trim_matches(['{', '}']);
            if existing.is_none()
                && !guid.is_empty()
                && let Ok((id, uuid, name)) = store.find_document(guid)
                && uuid.eq_ignore_ascii_case(guid)
            {
                existing = Some((id, name, false));
            }
            let mut labels = None;
            if let Some((id, _, _)) = &existing {
                let stored = store.document_text(*id)?;
                if stored.text != p.parsed.text {
                    let l = label_turns(&stored.text, &stored.turns);
                    if l.text == p.parsed.text {
                        labels = Some((stored.text, l));
                    }
                }
            }
            sources.push(KnownSource {
                sha,
                alias_of,
                document: existing,
                labels,
            });
        }
        let mut existing_themes: Vec<(String, ThemeId, String)> = Vec::new();
        for t in store.themes()? {
            let (id, _) = store.find_theme(&t.uuid)?;
            existing_themes.push((t.name, id, t.uuid));
        }
        let known_memos: HashSet<String> = store
            .memos(None)?
            .into_iter()
            .map(|m| m.uuid.to_lowercase())
            .collect();
        let mut existing_participants: HashMap<String, (ParticipantId, String)> = HashMap::new();
        // Read once, not once per case (an import stays linear in its cases).
        let uuids: HashMap<String, String> = store
            .participants()?
            .into_iter()
            .map(|p| (p.id.to_ascii_lowercase(), p.uuid))
            .collect();
        for (ci, c) in q.cases.iter().enumerate() {
            let ident = case_ident(c, ci);
            if let Some((id, found)) = store.find_participant(&ident)?
                && found.eq_ignore_ascii_case(&ident)
            {
                let uuid = uuids
                    .get(&ident.to_ascii_lowercase())
                    .cloned()
                    .unwrap_or_default();
                existing_participants.insert(ident.to_lowercase(), (id, uuid));
            }
        }
        let mut existing_attributes: HashMap<String, (i64, AttributeKind, Vec<String>)> =
            HashMap::new();
        for v in &q.variables {
            if let Some(a) = store.find_attribute(&v.name)? {
                existing_attributes.insert(v.name.to_lowercase(), a);
            }
        }

        Ok(Existing {
            sources,
            themes: existing_themes,
            memos: known_memos,
            participants: existing_participants,
            attributes: existing_attributes,
        })
    }
}

fn import_error(file: &str, source: ImportError) -> Error {
    Error::Import {
        file: file.to_owned(),
        problem: source,
    }
}

/// Reads `path` and stores what it holds in one transaction.
pub(crate) fn import(store: &mut Store, actor: &str, path: &Path) -> Result<RefiImportReport> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let size = std::fs::metadata(path)
        .map_err(|e| import_error(&file, ImportError::Io(e)))?
        .len();
    let is_qdc = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdc"));
    let limit = if is_qdc {
        import::MAX_XML_BYTES
    } else {
        crate::refi::MAX_ARCHIVE_BYTES
    };
    if size > limit {
        return Err(import_error(&file, ImportError::TooLarge { size, limit }));
    }
    let bytes = std::fs::read(path).map_err(|e| import_error(&file, ImportError::Io(e)))?;
    import_bytes(store, actor, &file, &bytes, is_qdc)
}

pub(crate) fn import_bytes(
    store: &mut Store,
    actor: &str,
    file: &str,
    bytes: &[u8],
    is_qdc: bool,
) -> Result<RefiImportReport> {
    let read = read::read(file, bytes, is_qdc, actor).map_err(|e| import_error(file, e))?;
    let existing = Existing::look_up(store, &read)?;
    let q = &read.qde;
    let summary_file = file.to_owned();
    let origin = q.origin.clone();
    let actor_owned = actor.to_owned();
    // In chunks of the write lock, so another writer is not kept out for
    // the whole import; still one change (see `Store::change_chunked`).
    let report = store.change_chunked(
        actor,
        &format!("importing {summary_file}"),
        |r: &RefiImportReport| ChangeRecord {
            actor: actor_owned.clone(),
            command: "import_refi",
            summary: format!(
                "imported {summary_file}{}: {} codes, {} documents, {} codings, {} participants, {} memos, {} themes",
                if origin.is_empty() { String::new() } else { format!(" ({origin})") },
                r.codes_created,
                r.documents_created.len(),
                r.codings_imported,
                r.participants_created.len() + r.participants_updated.len(),
                r.memos,
                r.themes.len()
            ),
            forward: json!({ "import_refi": summary_file }),
        },
        |tx| writer::Writer::write(tx, &read, &existing),
    )?;
    Ok(report)
}
