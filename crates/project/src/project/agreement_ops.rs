//! Inter-coder agreement on [`Project`]: two coders compared on the
//! documents both coded, per code (kappa, alpha) and passage by passage.

use super::Project;
use crate::analysis::{self, CharAgreement, Segment, TurnIndex};
use crate::error::{Error, Result};
use crate::ids::{CodeId, DocumentId};
use crate::text::CharIndex;
use serde::Serialize;
use std::collections::BTreeSet;

/// Agreement of one code between two coders.
#[derive(Debug, Clone, Serialize)]
pub struct CodeAgreementRow {
    pub code: String,
    /// Chars pooled over the compared documents.
    pub pooled: CharAgreement,
    /// Mean of the per-document kappas (as NVivo reports per source).
    pub mean_kappa: Option<f64>,
    /// Per document: (name, agreement).
    pub documents: Vec<(String, CharAgreement)>,
    /// Krippendorff's alpha over turns.
    pub alpha: Option<f64>,
}

/// A passage one coder coded and the other did not.
#[derive(Debug, Clone, Serialize)]
pub struct DisagreementRow {
    pub document: String,
    pub document_name: String,
    pub code: String,
    /// The coder who applied the code.
    pub coded_by: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Agreement between two coders on the documents both coded.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementSummary {
    pub coder_a: String,
    pub coder_b: String,
    pub documents: Vec<String>,
    pub codes: Vec<CodeAgreementRow>,
    /// Percent agreement and Cohen's kappa over every code: the four cells
    /// summed over codes and documents.
    pub overall: CharAgreement,
    /// Krippendorff's alpha with every (turn, code) pair as a unit.
    pub overall_alpha: Option<f64>,
    pub turns: usize,
    pub disagreements: Vec<DisagreementRow>,
}

impl Project {
    /// Agreement between two coders on the documents both coded (or those named).
    pub fn agreement(
        &self,
        coder_a: &str,
        coder_b: &str,
        documents: &[String],
    ) -> Result<AgreementSummary> {
        let coders = self.store.coders()?;
        for c in [coder_a, coder_b] {
            if !coders.iter().any(|x| x == c) {
                return Err(Error::Invalid(format!(
                    "'{c}' has no codings in this project (coders: {})",
                    coders.join(", ")
                )));
            }
        }
        let all = self.store.segments(None, None)?;
        let doc_ids: Vec<DocumentId> = if documents.is_empty() {
            let by = |c: &str| -> BTreeSet<DocumentId> {
                all.iter()
                    .filter(|s| s.coder == c)
                    .map(|s| s.doc_id)
                    .collect()
            };
            by(coder_a).intersection(&by(coder_b)).copied().collect()
        } else {
            documents
                .iter()
                .map(|d| Ok(self.store.find_document(d)?.0))
                .collect::<Result<_>>()?
        };
        if doc_ids.is_empty() {
            return Err(Error::Invalid(format!(
                "{coder_a} and {coder_b} have not coded any document in common"
            )));
        }
        let segments: Vec<Segment> = all
            .into_iter()
            .filter(|s| doc_ids.contains(&s.doc_id))
            .collect();
        let codes: Vec<CodeId> = {
            let used: BTreeSet<CodeId> = segments.iter().map(|s| s.code_id).collect();
            self.matrix_codes(&[])?
                .into_iter()
                .filter(|c| used.contains(c))
                .collect()
        };
        let lens = self.store.document_lengths(Some(&doc_ids))?;
        let turns = TurnIndex::new(&self.store.turn_spans(Some(&doc_ids))?);
        let report = analysis::compare_coders(&lens, &turns, &segments, coder_a, coder_b, &codes)?;
        let cx = self.context()?;
        let texts = self.store.current_texts(Some(&doc_ids))?;
        let path = |c: &CodeId| {
            cx.code_paths
                .get(c)
                .map(|x| x.1.clone())
                .unwrap_or_default()
        };
        let doc_name = |d: &DocumentId| cx.docs.get(d).map(|x| x.1.clone()).unwrap_or_default();
        let cells = report.codes.iter().fold([0; 4], |t, c| {
            let p = &c.pooled;
            [
                t[0] + p.both,
                t[1] + p.only_a,
                t[2] + p.only_b,
                t[3] + p.neither,
            ]
        });
        Ok(AgreementSummary {
            overall: CharAgreement::from_counts(cells[0], cells[1], cells[2], cells[3]),
            coder_a: coder_a.to_owned(),
            coder_b: coder_b.to_owned(),
            documents: doc_ids.iter().map(doc_name).collect(),
            codes: report
                .codes
                .iter()
                .map(|c| CodeAgreementRow {
                    code: path(&c.code_id),
                    pooled: c.pooled,
                    mean_kappa: c.mean_kappa,
                    documents: c
                        .documents
                        .iter()
                        .map(|d| (doc_name(&d.doc_id), d.chars))
                        .collect(),
                    alpha: report
                        .alpha
                        .codes
                        .iter()
                        .find(|a| a.code_id == c.code_id)
                        .and_then(|a| a.alpha.alpha),
                })
                .collect(),
            overall_alpha: report.alpha.overall.alpha,
            turns: report.alpha.turns,
            disagreements: report
                .disagreements
                .iter()
                .map(|d| DisagreementRow {
                    document: cx
                        .docs
                        .get(&d.doc_id)
                        .map(|x| x.0.clone())
                        .unwrap_or_default(),
                    document_name: doc_name(&d.doc_id),
                    code: path(&d.code_id),
                    coded_by: d.coder.clone(),
                    start: d.start,
                    end: d.end,
                    text: texts
                        .get(&d.doc_id)
                        .and_then(|t| CharIndex::new(t).slice(d.start, d.end).map(str::to_owned))
                        .unwrap_or_default(),
                })
                .collect(),
        })
    }
}
