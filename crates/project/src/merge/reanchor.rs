//! Codings a merge leaves on a transcript version that is no longer
//! current: a coder coded the text the colleague then corrected (or both
//! corrected it and the colleague's correction is now current). They are
//! carried onto the current text as a correction carries codings: placed
//! where the diff and their quote and context agree, otherwise put on the
//! review list (with a proposal where there is one), never dropped.

use super::conflicts::derived_uuid;
use crate::anchor::{Anchor, Placement, Reanchorer, context_of};
use crate::error::Result;
use crate::store::{Store, Tx};
use crate::text::CharIndex;
use std::collections::HashMap;

/// How many codings were placed, and how many went to the review list.
pub fn carry_stranded(tx: &Tx) -> Result<(usize, usize)> {
    let stranded = Store::stranded_codings(tx)?;
    let mut texts: HashMap<i64, String> = HashMap::new();
    let mut diffs: HashMap<(i64, i64), Reanchorer> = HashMap::new();
    let (mut placed, mut review) = (0, 0);
    for c in stranded {
        for v in [c.version_id, c.current_version_id] {
            if let std::collections::hash_map::Entry::Vacant(e) = texts.entry(v) {
                e.insert(Store::version_text_in(tx, v)?);
            }
        }
        let (old, new) = (&texts[&c.version_id], &texts[&c.current_version_id]);
        let r = diffs
            .entry((c.version_id, c.current_version_id))
            .or_insert_with(|| Reanchorer::new(old, new));
        let anchor = Anchor {
            start: c.start,
            end: c.end,
            quote: c.quote.clone(),
            context_before: c.context_before.clone(),
            context_after: c.context_after.clone(),
        };
        match r.place(&anchor) {
            Placement::Certain { start, end } => {
                let quote = CharIndex::new(new)
                    .slice(start, end)
                    .unwrap_or_default()
                    .to_owned();
                let ctx = context_of(new, start, end);
                Store::place_coding(
                    tx,
                    c.id,
                    c.current_version_id,
                    start,
                    end,
                    &quote,
                    (&ctx.0, &ctx.1),
                )?;
                placed += 1;
            }
            Placement::Uncertain { proposal, reason } => {
                // From uuids only: the same item whichever copy merges which.
                let uuid = derived_uuid(&["merge-review", &c.uuid, &c.current_version_uuid]);
                Store::insert_review_item_as(
                    tx,
                    &uuid,
                    c.document_id,
                    "coding",
                    &c.uuid,
                    &format!("merged from a copy where it was coded on an earlier text: {reason}"),
                    proposal,
                    &c.current_since,
                )?;
                review += 1;
            }
        }
    }
    Ok((placed, review))
}
