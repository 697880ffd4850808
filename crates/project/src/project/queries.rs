//! Queries over codings (retrieval by code expression, co-occurrence, code
//! matrices, frequencies) and inter-coder agreement: the store loads rows,
//! [`crate::analysis`] computes, and this file puts names back on ids.

use super::Project;
use crate::analysis::{
    self, AnalysisError, ColumnKey, CooccurrenceMode, Segment, TurnFilter, TurnIndex, TurnSpan,
    WordIndex,
};
use crate::error::{Error, Result};
use crate::ids::{CodeId, DocumentId, ParticipantId};
use crate::model::Role;
use crate::store::codebook::{codes_from_rows, descendants, find_code_in};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

impl From<AnalysisError> for Error {
    fn from(e: AnalysisError) -> Error {
        Error::Invalid(e.to_string())
    }
}

/// Which speakers' text a query looks at.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Only turns of speakers with this role.
    pub role: Option<Role>,
    /// Only turns of participants with these attribute values (name, value), all must hold.
    pub attributes: Vec<(String, String)>,
    /// Only these participants (ids, names or pseudonyms).
    pub participants: Vec<String>,
    /// Only these documents.
    pub documents: Vec<String>,
    /// Only codings by these coders (retrieval; all coders when empty).
    pub coders: Vec<String>,
}

impl Scope {
    fn is_everything(&self) -> bool {
        self.role.is_none() && self.attributes.is_empty() && self.participants.is_empty()
    }
}

/// One retrieved passage, with what a reader needs to jump to it.
#[derive(Debug, Clone, Serialize)]
pub struct QueryHit {
    pub document: String,
    pub document_name: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Paths of the codes that made the passage.
    pub codes: Vec<String>,
    pub coders: Vec<String>,
    pub speaker: Option<String>,
    pub role: Option<Role>,
    /// The participant's study id.
    pub participant: Option<String>,
}

/// How often and how widely a code is used.
#[derive(Debug, Clone, Serialize)]
pub struct CodeFrequencyRow {
    pub code: String,
    pub path: String,
    pub codings: usize,
    pub documents: usize,
    pub participants: usize,
    pub words: usize,
    pub coders: Vec<String>,
}

/// A code × something matrix with labels, ready for a table or a CSV.
#[derive(Debug, Clone, Serialize)]
pub struct CodeMatrix {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// (segments, words) per cell.
    pub cells: Vec<Vec<(usize, usize)>>,
    pub row_totals: Vec<(usize, usize)>,
    pub column_totals: Vec<(usize, usize)>,
}

/// A square co-occurrence matrix over codes.
#[derive(Debug, Clone, Serialize)]
pub struct Cooccurrence {
    pub mode: CooccurrenceMode,
    pub codes: Vec<String>,
    pub cells: Vec<Vec<usize>>,
}

/// What the analysis functions need besides segments.
pub(super) struct Context {
    pub(super) code_paths: HashMap<CodeId, (String, String)>,
    pub(super) docs: HashMap<DocumentId, (String, String)>,
    speakers: HashMap<i64, crate::store::analysis_rows::SpeakerInfo>,
    participants: HashMap<ParticipantId, (String, HashMap<String, String>)>,
}

impl Project {
    pub(super) fn context(&self) -> Result<Context> {
        let rows = self.store.code_rows()?;
        Ok(Context {
            code_paths: codes_from_rows(&rows)
                .into_iter()
                .map(|(id, c)| (id, (c.uuid.clone(), c.path_string())))
                .collect(),
            docs: self.store.document_names()?,
            speakers: self.store.speaker_infos()?,
            participants: self.store.participant_values()?,
        })
    }

    fn scope_documents(&self, scope: &Scope) -> Result<Option<Vec<DocumentId>>> {
        if scope.documents.is_empty() {
            return Ok(None);
        }
        scope
            .documents
            .iter()
            .map(|d| Ok(self.store.find_document(d)?.0))
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    /// The turn test a scope stands for.
    fn scope_test(&self, scope: &Scope, cx: &Context) -> Result<impl Fn(&TurnSpan) -> bool> {
        let mut allowed: Option<BTreeSet<ParticipantId>> = None;
        if !scope.participants.is_empty() {
            let mut set = BTreeSet::new();
            for p in &scope.participants {
                let (id, _) = self
                    .store
                    .find_participant(p)?
                    .ok_or_else(|| Error::UnknownParticipant(p.clone()))?;
                set.insert(id);
            }
            allowed = Some(set);
        }
        let attributes: Vec<(String, String)> = scope
            .attributes
            .iter()
            .map(|(a, v)| (a.trim().to_lowercase(), v.trim().to_lowercase()))
            .collect();
        let known: BTreeSet<String> = cx
            .participants
            .values()
            .flat_map(|(_, vals)| vals.keys().cloned())
            .chain(
                self.store
                    .attributes()?
                    .into_iter()
                    .map(|a| a.name.to_lowercase()),
            )
            .collect();
        for (a, _) in &attributes {
            if !known.contains(a) {
                return Err(Error::Invalid(format!(
                    "there is no participant attribute '{a}' (there are: {})",
                    known.iter().cloned().collect::<Vec<_>>().join(", ")
                )));
            }
        }
        let role = scope.role;
        let speakers: HashMap<i64, (Role, Option<ParticipantId>)> = cx
            .speakers
            .iter()
            .map(|(id, s)| (*id, (s.role, s.participant_id)))
            .collect();
        let values: HashMap<ParticipantId, HashMap<String, String>> = cx
            .participants
            .iter()
            .map(|(id, (_, v))| {
                (
                    *id,
                    v.iter()
                        .map(|(k, v)| (k.clone(), v.to_lowercase()))
                        .collect(),
                )
            })
            .collect();
        Ok(move |t: &TurnSpan| {
            let Some((r, participant)) = speakers.get(&t.speaker_id) else {
                return false;
            };
            if role.is_some_and(|role| role != *r) {
                return false;
            }
            if let Some(allowed) = &allowed
                && !participant.is_some_and(|p| allowed.contains(&p))
            {
                return false;
            }
            if !attributes.is_empty() {
                let Some(vals) = participant.and_then(|p| values.get(&p)) else {
                    return false;
                };
                return attributes
                    .iter()
                    .all(|(a, v)| vals.get(a).is_some_and(|x| x == v));
            }
            true
        })
    }

    /// Coding retrieval: the passages a code expression selects (`Trust AND
    /// Loneliness` = text coded with both; `OR`; `NOT`), within a scope.
    /// `each_coding` lists every coding whole instead of merged passages.
    pub fn query_codings(
        &self,
        expression: &str,
        scope: &Scope,
        each_coding: bool,
    ) -> Result<Vec<QueryHit>> {
        let rows = self.store.code_rows()?;
        let expr = analysis::parse(expression, |name| {
            find_code_in(&rows, name)
                .map(|id| descendants(&rows, id))
                .map_err(|e| e.to_string())
        })?;
        let documents = self.scope_documents(scope)?;
        let mut segments = self
            .store
            .segments(Some(&expr.code_ids()), documents.as_deref())?;
        if !scope.coders.is_empty() {
            segments.retain(|s| scope.coders.contains(&s.coder));
        }
        let doc_ids: Vec<DocumentId> = segments
            .iter()
            .map(|s| s.doc_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let turns = TurnIndex::new(&self.store.turn_spans(Some(&doc_ids))?);
        let cx = self.context()?;
        let test = self.scope_test(scope, &cx)?;
        let filter = TurnFilter {
            turns: &turns,
            keep: &test,
        };
        let filter = (!scope.is_everything()).then_some(&filter);
        let passages = if each_coding {
            analysis::retrieve_codings(&expr, &segments, filter)?
        } else {
            analysis::retrieve(&expr, &segments, filter)?
        };
        // Passage text comes from the stored quotes of the codings that make
        // it, so no transcript has to be read whole.
        let quotes = self.store.coding_quotes(
            &passages
                .iter()
                .flat_map(|p| p.coding_ids.iter().copied())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>(),
        )?;
        let span_of: HashMap<i64, (usize, usize)> = segments
            .iter()
            .map(|s| (s.coding_id, (s.start, s.end)))
            .collect();
        let coder_of: HashMap<i64, &str> = segments
            .iter()
            .map(|s| (s.coding_id, s.coder.as_str()))
            .collect();
        let mut texts = Vec::with_capacity(passages.len());
        for p in &passages {
            let text = match passage_text(p, &span_of, &quotes) {
                Some(t) => t,
                None => self.store.current_text_slice(p.doc_id, p.start, p.end)?,
            };
            texts.push(text);
        }
        Ok(passages
            .into_iter()
            .zip(texts)
            .map(|(p, text)| {
                let turn = turns.attributed(p.doc_id, p.start, p.end);
                let speaker = turn.and_then(|t| cx.speakers.get(&t.speaker_id));
                let (uuid, name) = cx.docs.get(&p.doc_id).cloned().unwrap_or_default();
                let coders: BTreeSet<String> = p
                    .coding_ids
                    .iter()
                    .filter_map(|c| coder_of.get(c).map(|s| s.to_string()))
                    .collect();
                QueryHit {
                    document: uuid,
                    document_name: name,
                    start: p.start,
                    end: p.end,
                    text,
                    codes: p
                        .codes
                        .iter()
                        .filter_map(|c| cx.code_paths.get(c).map(|x| x.1.clone()))
                        .collect(),
                    coders: coders.into_iter().collect(),
                    speaker: speaker.map(|s| s.label.clone()),
                    role: speaker.map(|s| s.role),
                    participant: speaker
                        .and_then(|s| s.participant_id)
                        .and_then(|id| cx.participants.get(&id).map(|p| p.0.clone())),
                }
            })
            .collect())
    }

    /// The codes a matrix covers: those named, or the whole codebook.
    pub(super) fn matrix_codes(&self, codes: &[String]) -> Result<Vec<CodeId>> {
        let rows = self.store.code_rows()?;
        if codes.is_empty() {
            return Ok(codes_from_rows(&rows)
                .into_iter()
                .map(|(id, _)| id)
                .collect());
        }
        codes.iter().map(|c| Ok(find_code_in(&rows, c)?)).collect()
    }

    /// Segments of the scope, with the turns and texts matrices need.
    fn scoped_segments(
        &self,
        codes: &[CodeId],
        scope: &Scope,
        with_texts: bool,
        with_turns: bool,
    ) -> Result<(Vec<Segment>, TurnIndex, WordIndex, Context)> {
        let documents = self.scope_documents(scope)?;
        let all_codes = self.store.code_rows()?.len() == codes.len();
        let mut segments = self
            .store
            .segments((!all_codes).then_some(codes), documents.as_deref())?;
        let turns = if with_turns || !scope.is_everything() {
            TurnIndex::new(&self.store.turn_spans(documents.as_deref())?)
        } else {
            TurnIndex::new(&[])
        };
        let cx = self.context()?;
        if !scope.is_everything() {
            let test = self.scope_test(scope, &cx)?;
            segments.retain(|s| {
                turns
                    .attributed(s.doc_id, s.start, s.end)
                    .is_some_and(&test)
            });
        }
        let words = if with_texts {
            WordIndex::from_texts(&self.store.current_texts(documents.as_deref())?)
        } else {
            WordIndex::new()
        };
        Ok((segments, turns, words, cx))
    }

    /// Codings, documents, participants, words and coders of every code.
    pub fn code_frequencies(&self) -> Result<Vec<CodeFrequencyRow>> {
        self.frequencies(true)
    }

    /// Like [`Project::code_frequencies`] without the words, so no
    /// transcript is read: fast enough to refresh after every change.
    pub fn code_counts(&self) -> Result<Vec<CodeFrequencyRow>> {
        self.frequencies(false)
    }

    fn frequencies(&self, with_words: bool) -> Result<Vec<CodeFrequencyRow>> {
        let codes = self.matrix_codes(&[])?;
        let (segments, turns, mut words, cx) =
            self.scoped_segments(&codes, &Scope::default(), with_words, true)?;
        if !with_words {
            for d in self.store.document_lengths(None)? {
                words.insert_length_only(d.doc_id, d.chars);
            }
        }
        Ok(
            analysis::code_frequencies(&codes, &segments, &turns, &words)?
                .into_iter()
                .map(|f| {
                    let (uuid, path) = cx.code_paths.get(&f.code_id).cloned().unwrap_or_default();
                    CodeFrequencyRow {
                        code: uuid,
                        path,
                        codings: f.codings,
                        documents: f.documents,
                        participants: f.participants,
                        words: f.words,
                        coders: f.coders,
                    }
                })
                .collect(),
        )
    }

    /// Co-occurrence of codes (all, or those named): overlapping text or the same turn.
    pub fn cooccurrence(
        &self,
        codes: &[String],
        mode: CooccurrenceMode,
        scope: &Scope,
    ) -> Result<Cooccurrence> {
        let ids = self.matrix_codes(codes)?;
        let (segments, turns, _, cx) =
            self.scoped_segments(&ids, scope, false, mode == CooccurrenceMode::SameTurn)?;
        let m = analysis::cooccurrence(&ids, &segments, &turns, mode)?;
        Ok(Cooccurrence {
            mode,
            codes: m
                .codes
                .iter()
                .map(|c| {
                    cx.code_paths
                        .get(c)
                        .map(|x| x.1.clone())
                        .unwrap_or_default()
                })
                .collect(),
            cells: m.cells,
        })
    }

    /// Codes × participants: coded segments and words per participant.
    pub fn code_by_participant(&self, codes: &[String], scope: &Scope) -> Result<CodeMatrix> {
        let ids = self.matrix_codes(codes)?;
        let (segments, turns, words, cx) = self.scoped_segments(&ids, scope, true, true)?;
        let m = analysis::code_by_participant(&ids, &segments, &turns, &words)?;
        Ok(label_matrix(m, &cx))
    }

    /// Codes × the values of one participant attribute.
    pub fn code_by_attribute(
        &self,
        attribute: &str,
        codes: &[String],
        scope: &Scope,
    ) -> Result<CodeMatrix> {
        let ids = self.matrix_codes(codes)?;
        let (segments, turns, words, cx) = self.scoped_segments(&ids, scope, true, true)?;
        let key = attribute.trim().to_lowercase();
        if !self
            .store
            .attributes()?
            .iter()
            .any(|a| a.name.to_lowercase() == key)
        {
            return Err(Error::Invalid(format!(
                "there is no participant attribute '{attribute}'"
            )));
        }
        let values: HashMap<ParticipantId, String> = cx
            .participants
            .iter()
            .filter_map(|(id, (_, v))| v.get(&key).map(|v| (*id, v.clone())))
            .collect();
        let m = analysis::code_by_attribute(&ids, &segments, &turns, &words, &values)?;
        Ok(label_matrix(m, &cx))
    }
}

fn label_matrix(m: analysis::Matrix, cx: &Context) -> CodeMatrix {
    let cell = |c: &analysis::Cell| (c.segments, c.words);
    CodeMatrix {
        rows: m
            .codes
            .iter()
            .map(|c| {
                cx.code_paths
                    .get(c)
                    .map(|x| x.1.clone())
                    .unwrap_or_default()
            })
            .collect(),
        columns: m
            .columns
            .iter()
            .map(|k| match k {
                ColumnKey::Participant(id) => cx
                    .participants
                    .get(id)
                    .map(|p| p.0.clone())
                    .unwrap_or_else(|| format!("participant {id}")),
                other => other.label().unwrap_or_default().to_owned(),
            })
            .collect(),
        cells: m
            .cells
            .iter()
            .map(|r| r.iter().map(cell).collect())
            .collect(),
        row_totals: m.row_totals.iter().map(cell).collect(),
        column_totals: m.column_totals.iter().map(cell).collect(),
    }
}

/// A passage's text from the quotes of the codings that cover it; `None`
/// when some char is not covered by a contributing coding.
fn passage_text(
    p: &analysis::Passage,
    span_of: &HashMap<i64, (usize, usize)>,
    quotes: &HashMap<i64, String>,
) -> Option<String> {
    let mut covering: Vec<(usize, usize, &str)> = p
        .coding_ids
        .iter()
        .filter_map(|id| {
            let (s, e) = *span_of.get(id)?;
            Some((s, e, quotes.get(id)?.as_str()))
        })
        .collect();
    covering.sort_by_key(|c| c.0);
    let mut out = String::new();
    let mut pos = p.start;
    while pos < p.end {
        let (s, e, q) = covering
            .iter()
            .filter(|(s, e, _)| *s <= pos && pos < *e)
            .max_by_key(|(_, e, _)| *e)?;
        let take = e.min(&p.end) - pos;
        out.extend(q.chars().skip(pos - s).take(take));
        pos += take;
    }
    Some(out)
}
