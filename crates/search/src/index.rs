//! The tantivy index: schema, opening (or rebuilding), stamping, incremental
//! sync, and running a prepared query. See the crate docs of [`crate`].

use super::filters::Resolver;
use super::highlight::{self, Analyzers, EXACT, Pattern, STEM};
use super::query::{self, Expr};
use super::{
    BuildReason, IndexAction, IndexLocation, IndexStatus, SearchError, SearchOptions, SearchOrder,
    SearchResults, index_dir, regex_mode,
};
use crate::error::{Error, Result};
use crate::plan::{Node, prepare, to_tantivy};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;
use storyloom_store::Store;
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument,
    TantivyError,
};

/// Bump when the schema or what is indexed changes: older indexes are rebuilt.
const SCHEMA_VERSION: u32 = 1;
/// Heap of the writer while syncing (split between its threads, at least 15 MB each).
const WRITER_HEAP: usize = 64 * 1024 * 1024;

/// The fields of the index (see the table in the module docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) turn_id: Field,
    pub(crate) doc_id: Field,
    pub(crate) version_id: Field,
    pub(crate) speaker_id: Field,
    pub(crate) start_char: Field,
    pub(crate) order: Field,
    pub(crate) text: Field,
    pub(crate) exact: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = NumericOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored();
    let words = |tokenizer: &str| {
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
    };
    let fields = Fields {
        turn_id: b.add_u64_field("turn_id", id.clone()),
        doc_id: b.add_u64_field("doc_id", id.clone()),
        version_id: b.add_u64_field("version_id", id.clone()),
        speaker_id: b.add_u64_field("speaker_id", id),
        start_char: b.add_u64_field(
            "start_char",
            NumericOptions::default().set_fast().set_stored(),
        ),
        order: b.add_u64_field("order", FAST),
        text: b.add_text_field(
            "text",
            TextOptions::default()
                .set_indexing_options(words(STEM))
                .set_stored(),
        ),
        exact: b.add_text_field(
            "exact",
            TextOptions::default().set_indexing_options(words(EXACT)),
        ),
    };
    (b.build(), fields)
}

/// The stamp committed with every commit, as its payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    schema: u32,
    project: String,
    /// The project's change counter when this was synced; -1 before the first sync.
    counter: i64,
    /// Indexed documents: `doc_id -> version`.
    documents: BTreeMap<i64, DocStamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct DocStamp {
    version: i64,
    /// Of the version's turns: see `Store::search_live_versions`.
    fingerprint: u64,
}

impl Manifest {
    fn empty(project: &str) -> Self {
        Manifest {
            schema: SCHEMA_VERSION,
            project: project.to_owned(),
            counter: -1,
            documents: BTreeMap::new(),
        }
    }
}

/// An open index.
struct Open {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    location: IndexLocation,
    /// What is indexed, as of the last sync (its counter may run ahead of the last commit).
    manifest: Manifest,
}

/// The search index of an open project, opened lazily on the first search.
/// One `Index` and `IndexReader` stay open across searches; a writer exists
/// only while syncing.
#[derive(Default)]
pub struct SearchState {
    open: Option<Open>,
}

/// Why a sync failed.
enum Fail {
    /// Another writer holds the index folder.
    Lock(String),
    /// The index could not be read or written.
    Index(String),
    /// The project could not be read: not the index's fault.
    Db(Error),
}

impl From<TantivyError> for Fail {
    fn from(e: TantivyError) -> Self {
        match e {
            TantivyError::LockFailure(..) => Fail::Lock(e.to_string()),
            e => Fail::Index(e.to_string()),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Db(e)
    }
}

impl From<storyloom_store::Error> for Fail {
    fn from(e: storyloom_store::Error) -> Self {
        Fail::Db(e.into())
    }
}

fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(STEM, highlight::stem_analyzer());
    index
        .tokenizers()
        .register(EXACT, highlight::exact_analyzer());
}

fn reader(index: &Index) -> tantivy::Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
}

fn in_memory(project: &str, reason: String) -> Result<Open> {
    let (schema, fields) = schema();
    let index = Index::create_in_ram(schema);
    register_tokenizers(&index);
    let reader = reader(&index).map_err(SearchError::from)?;
    Ok(Open {
        index,
        reader,
        fields,
        location: IndexLocation::Memory { reason },
        manifest: Manifest::empty(project),
    })
}

/// Opens a valid index in `dir`, or says why it must be rebuilt.
fn open_disk(dir: &Path, project: &str) -> std::result::Result<Open, BuildReason> {
    if !dir.join("meta.json").is_file() {
        return Err(BuildReason::Missing);
    }
    let corrupt = |e: &dyn std::fmt::Display| BuildReason::Corrupt {
        detail: e.to_string(),
    };
    let index = Index::open_in_dir(dir).map_err(|e| corrupt(&e))?;
    let (schema, fields) = schema();
    if index.schema() != schema {
        return Err(BuildReason::SchemaChanged);
    }
    register_tokenizers(&index);
    let metas = index.load_metas().map_err(|e| corrupt(&e))?;
    let manifest: Manifest = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or_else(|| corrupt(&"the index has no stamp (an earlier build was interrupted)"))?;
    if manifest.schema != SCHEMA_VERSION {
        return Err(BuildReason::SchemaChanged);
    }
    if manifest.project != project {
        return Err(BuildReason::OtherProject);
    }
    let damaged = index.validate_checksum().map_err(|e| corrupt(&e))?;
    if !damaged.is_empty() {
        let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
        names.sort();
        return Err(corrupt(&format!("damaged files: {}", names.join(", "))));
    }
    let reader = reader(&index).map_err(|e| corrupt(&e))?;
    Ok(Open {
        index,
        reader,
        fields,
        location: IndexLocation::Disk {
            path: dir.to_owned(),
        },
        manifest,
    })
}

/// Opens the project's index, or deletes and recreates it (empty, to be
/// synced), or falls back to memory. Says why it was (re)created.
fn open_or_create(store: &Store) -> Result<(Open, Option<BuildReason>)> {
    let project = store.project_uuid()?;
    let dir = index_dir(store.path());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        let why = format!("cannot create {}: {e}", dir.display());
        return Ok((in_memory(&project, why)?, Some(BuildReason::InMemory)));
    }
    let reason = match open_disk(&dir, &project) {
        Ok(open) => return Ok((open, None)),
        Err(reason) => reason,
    };
    let created = (|| -> std::result::Result<Open, String> {
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.to_string()),
            _ => {}
        }
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(&dir, schema).map_err(|e| e.to_string())?;
        register_tokenizers(&index);
        let reader = reader(&index).map_err(|e| e.to_string())?;
        Ok(Open {
            index,
            reader,
            fields,
            location: IndexLocation::Disk { path: dir.clone() },
            manifest: Manifest::empty(&project),
        })
    })();
    Ok(match created {
        Ok(open) => (open, Some(reason)),
        Err(e) => {
            let why = format!("cannot write {}: {e}", dir.display());
            (in_memory(&project, why)?, Some(BuildReason::InMemory))
        }
    })
}

/// Brings an open index up to date with the project. Returns `None` when
/// the stamp already matched, else the documents added and removed.
fn sync(open: &mut Open, store: &Store) -> std::result::Result<Option<(usize, usize)>, Fail> {
    let counter = store.change_counter()?;
    if open.manifest.counter == counter {
        return Ok(None);
    }
    // On disk, the last commit is the truth (another window may have committed since).
    let base = match open.location {
        IndexLocation::Disk { .. } => open
            .index
            .load_metas()?
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Manifest>(p).ok())
            .map(|m| m.documents)
            .unwrap_or_default(),
        IndexLocation::Memory { .. } => open.manifest.documents.clone(),
    };
    // The counter is read before the documents, so a change racing with this
    // sync leaves a stale counter behind and is picked up next time.
    let live = store.search_live_versions(true)?;
    let documents: BTreeMap<i64, DocStamp> = live
        .iter()
        .map(|v| {
            (
                v.doc_id.get(),
                DocStamp {
                    version: v.version_id,
                    fingerprint: v.fingerprint,
                },
            )
        })
        .collect();
    let removed: Vec<i64> = base
        .iter()
        .filter(|(doc, stamp)| documents.get(doc) != Some(stamp))
        .map(|(doc, _)| *doc)
        .collect();
    let added: Vec<_> = live
        .iter()
        .filter(|v| base.get(&v.doc_id.get()) != documents.get(&v.doc_id.get()))
        .collect();
    let manifest = Manifest {
        counter,
        documents,
        ..open.manifest.clone()
    };
    if removed.is_empty() && added.is_empty() {
        // Nothing indexed changed (a coding, a link, an attribute): move the stamp in memory only.
        open.reader.reload()?;
        open.manifest = manifest;
        return Ok(Some((0, 0)));
    }
    let f = open.fields;
    let mut writer: IndexWriter<TantivyDocument> = open.index.writer(WRITER_HEAP)?;
    for doc in removed
        .iter()
        .copied()
        .chain(added.iter().map(|v| v.doc_id.get()))
    {
        writer.delete_term(tantivy::Term::from_field_u64(f.doc_id, doc as u64));
    }
    for v in &added {
        let (text, turns) = store.search_version_turns(v.version_id)?;
        let ix = storyloom_text::text::CharIndex::new(&text);
        for t in turns {
            let speech = ix.slice(t.start, t.end).unwrap_or("");
            let mut doc = TantivyDocument::new();
            doc.add_u64(f.turn_id, t.turn_id as u64);
            doc.add_u64(f.doc_id, v.doc_id.get() as u64);
            doc.add_u64(f.version_id, v.version_id as u64);
            doc.add_u64(f.speaker_id, t.speaker_id as u64);
            doc.add_u64(f.start_char, t.start as u64);
            doc.add_u64(
                f.order,
                ((v.doc_id.get() as u64) << 32) | (t.seq as u64 & 0xFFFF_FFFF),
            );
            doc.add_text(f.text, speech);
            doc.add_text(f.exact, speech);
            writer.add_document(doc)?;
        }
    }
    let payload = serde_json::to_string(&manifest).map_err(|e| Fail::Index(e.to_string()))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    writer.wait_merging_threads()?;
    open.reader.reload()?;
    open.manifest = manifest;
    Ok(Some((added.len(), removed.len())))
}

impl SearchState {
    /// Parses, prepares, syncs the index, and runs a search.
    pub fn search(
        &mut self,
        store: &Store,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchResults> {
        let query = storyloom_text::text::normalize(query);
        let filter = match options.filter.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => Some(query::parse(&storyloom_text::text::normalize(f))?),
            _ => None,
        };
        if options.regex {
            return regex_mode::search(store, &query, filter.as_ref(), options);
        }
        let expr = query::parse(&query)?;
        let expr = match filter {
            Some(filter) => Expr::And(vec![expr, filter]),
            None => expr,
        };
        let mut analyzers = Analyzers::new();
        let node = prepare(
            &expr,
            &mut Resolver::new(store, options.coder.as_deref()),
            &mut analyzers,
        )?;
        let patterns: Vec<Pattern> = expr
            .positive_terms()
            .into_iter()
            .map(|t| analyzers.compile(t))
            .collect::<std::result::Result<_, _>>()?;
        let by_document = options.order == SearchOrder::Document || !expr.has_terms();
        let mut status = self.ensure(store, None)?;
        let found = match self.run(&node, by_document, options.limit) {
            Ok(found) => found,
            Err(e) => {
                // The index failed under the query: rebuild it once and retry.
                status = self.ensure(store, Some(BuildReason::Corrupt { detail: e }))?;
                self.run(&node, by_document, options.limit)
                    .map_err(SearchError::Index)?
            }
        };
        let (total, top) = found;
        let ids: Vec<i64> = top.iter().map(|(id, _)| *id).collect();
        let mut rows: HashMap<i64, _> = store
            .search_hit_rows(&ids, true)?
            .into_iter()
            .map(|r| (r.turn_id, r))
            .collect();
        let hits = top
            .into_iter()
            .filter_map(|(id, score)| {
                let row = rows.remove(&id)?;
                let matches = highlight::find(&mut analyzers, &patterns, &row.text);
                Some(highlight::hit(row, &matches, score))
            })
            .collect();
        Ok(SearchResults {
            hits,
            total,
            took_ms: 0,
            index_status: Some(status),
        })
    }

    /// Runs a prepared query: the total and the top `(turn_id, score)`s.
    fn run(
        &self,
        node: &Node,
        by_document: bool,
        limit: usize,
    ) -> std::result::Result<(usize, Vec<(i64, f32)>), String> {
        let open = self.open.as_ref().ok_or("the index is not open")?;
        let query = to_tantivy(node, &open.fields);
        let searcher = open.reader.searcher();
        if limit == 0 {
            let total = searcher.search(&query, &Count).map_err(|e| e.to_string())?;
            return Ok((total, vec![]));
        }
        // Sort key: (primary, document order, score, turn id); the highest key comes first.
        let top = TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
            let column = |name: &str| {
                segment
                    .fast_fields()
                    .u64(name)
                    .ok()
                    .map(|c| c.first_or_default_col(0))
            };
            let (order, turn) = (column("order"), column("turn_id"));
            move |doc: DocId, score: Score| {
                let order = order.as_ref().map_or(0, |c| c.get_val(doc));
                let turn = turn.as_ref().map_or(0, |c| c.get_val(doc));
                let primary = if by_document { 0.0 } else { score };
                (primary, Reverse(order), score, turn)
            }
        });
        let (total, top) = searcher
            .search(&query, &(Count, top))
            .map_err(|e| e.to_string())?;
        Ok((
            total,
            top.into_iter()
                .map(|((_, _, score, turn), _)| (turn as i64, score))
                .collect(),
        ))
    }

    /// Deletes the index and builds it again.
    pub fn rebuild(&mut self, store: &Store) -> Result<IndexStatus> {
        self.ensure(store, Some(BuildReason::Requested))
    }

    /// Opens the index if needed (rebuilding it when `rebuild` says why),
    /// then syncs it. Falls back to memory when the folder cannot be used.
    fn ensure(&mut self, store: &Store, rebuild: Option<BuildReason>) -> Result<IndexStatus> {
        let started = Instant::now();
        let dir = index_dir(store.path());
        let mut built: Option<BuildReason> = None;
        let mut memory_only: Option<String> = None;
        if let Some(reason) = rebuild {
            let was_memory = matches!(
                self.open.as_ref().map(|o| &o.location),
                Some(IndexLocation::Memory { .. })
            );
            self.open = None;
            if !was_memory || reason == BuildReason::Requested {
                let _ = std::fs::remove_dir_all(&dir);
            }
            built = Some(reason);
        }
        for attempt in 0..3 {
            let mut open = match self.open.take() {
                Some(open) => open,
                None => {
                    let (open, why) = match &memory_only {
                        Some(reason) => (
                            in_memory(&store.project_uuid()?, reason.clone())?,
                            Some(BuildReason::InMemory),
                        ),
                        None => open_or_create(store)?,
                    };
                    built = match (built, why) {
                        // Keep the reason that made us rebuild, unless we ended up in memory.
                        (_, Some(BuildReason::InMemory)) => Some(BuildReason::InMemory),
                        (Some(first), _) => Some(first),
                        (None, why) => why,
                    };
                    open
                }
            };
            let on_disk = matches!(open.location, IndexLocation::Disk { .. });
            match sync(&mut open, store) {
                Ok(synced) => {
                    let action = match (built, synced) {
                        (Some(reason), _) => IndexAction::Built { reason },
                        (None, Some((added, removed))) if added + removed > 0 => {
                            IndexAction::Synced { added, removed }
                        }
                        (None, _) => IndexAction::UpToDate,
                    };
                    let status = IndexStatus {
                        location: open.location.clone(),
                        action,
                        documents: open.manifest.documents.len(),
                        turns: open.reader.searcher().num_docs(),
                        took_ms: started.elapsed().as_millis() as u64,
                    };
                    self.open = Some(open);
                    return Ok(status);
                }
                Err(Fail::Db(e)) => {
                    self.open = Some(open);
                    return Err(e);
                }
                Err(Fail::Lock(e)) if on_disk => {
                    // Another window is writing this index: leave it alone, work in memory.
                    self.open = None;
                    memory_only = Some(format!(
                        "the index folder {} is in use by another Storyloom window ({e})",
                        dir.display()
                    ));
                }
                Err(Fail::Index(e)) if on_disk => {
                    self.open = None;
                    if attempt == 0 {
                        let _ = std::fs::remove_dir_all(&dir);
                        built = Some(BuildReason::Corrupt { detail: e });
                    } else {
                        memory_only = Some(format!("cannot write {}: {e}", dir.display()));
                    }
                }
                Err(Fail::Lock(e) | Fail::Index(e)) => {
                    self.open = None;
                    return Err(SearchError::Index(e).into());
                }
            }
        }
        self.open = None;
        Err(SearchError::Index("the index could not be built".into()).into())
    }
}
