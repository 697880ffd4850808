//! The rule for one row both copies hold: a three-way merge per column
//! against the common ancestor the histories give ([`RowTrace`]).
//!
//! - changed on one side only: that side's value;
//! - changed on both sides to the same value: nothing to do;
//! - changed on both sides differently (or differing with no history to say
//!   which side changed it): a conflict. The later change stays in the
//!   project for now (so both ways round give the same project) and the
//!   other version goes on the review list with who made each;
//! - `updated_at` (bookkeeping) takes the later of the two, silently;
//! - a row one side deleted (its `deleted` flag) and the other edited comes
//!   back, and the deletion goes on the review list: nothing is lost unseen;
//! - a value of the colleague's that an earlier merge already set aside (it
//!   is the other version of a conflict listed here) is not decided again,
//!   so merging the same copy twice changes nothing.

use super::conflicts::{Conflict, Side, by_words};
use crate::store::merge_trace::{Author, RowTrace};
use crate::store::{Record, Spec};
use serde_json::Value as Json;
use std::collections::HashSet;

/// What to do with a row both copies hold.
#[derive(Debug, Default)]
pub struct FieldPlan {
    /// Columns to set here (their value).
    pub set: Record,
    pub conflicts: Vec<Conflict>,
}

/// A column both sides changed: (column, ours, who, theirs, who).
type Pending<'a> = (String, Json, Option<&'a Author>, Json, Option<&'a Author>);

const SILENT_LATEST: &[&str] = &["updated_at"];

/// Versions earlier merges set aside: (table, row key, column, the other
/// version as JSON text), from the conflicts listed here.
pub type SetAside = HashSet<(String, String, String, String)>;

/// Did an earlier merge set the colleague's value aside already?
fn set_aside(seen: &SetAside, table: &str, key: &str, column: &str, theirs: &Json) -> bool {
    let has = |v: String| seen.contains(&(table.to_owned(), key.to_owned(), column.to_owned(), v));
    // A deletion kept back for a code in use is listed as "deleted".
    has(theirs.to_string())
        || (column == "deleted" && theirs.as_i64() == Some(1) && has("\"deleted\"".to_owned()))
}

/// Decides each differing column of a row.
#[allow(clippy::too_many_arguments)]
pub fn merge_row(
    spec: &Spec,
    key: &str,
    ours: &Record,
    theirs: &Record,
    to: Option<&RowTrace>,
    tt: Option<&RowTrace>,
    current_versions: &HashSet<String>,
    seen: &SetAside,
) -> FieldPlan {
    let empty = RowTrace::default();
    let (to, tt) = (to.unwrap_or(&empty), tt.unwrap_or(&empty));
    let mut plan = FieldPlan::default();
    // A coding both copies carried onto their own correction of the text
    // follows the correction that is current; the correction itself is the
    // conflict (`both-corrected`), not each coding's new place.
    let follow = if spec.table == "codings" {
        anchored_side(ours, theirs, to, tt, current_versions)
    } else {
        None
    };
    if follow == Some(true) {
        for c in ANCHOR {
            if let Some(v) = theirs.get(*c).filter(|v| ours.get(*c) != Some(*v)) {
                plan.set.insert((*c).to_owned(), v.clone());
            }
        }
    }
    let ours = &follow_anchor(ours, theirs, follow);
    // The row as it will stand, for the conflicts' labels.
    let mut merged = ours.clone();
    let mut pending: Vec<Pending> = Vec::new();
    for (c, tv) in theirs {
        let ov = ours.get(c).unwrap_or(&Json::Null);
        // A version's number is local: both copies' corrections are numbered by `versions`.
        if ov == tv
            || (spec.table, c.as_str()) == ("document_versions", "version")
            || (spec.table, c.as_str()) == ("merge_conflicts", "created_at")
            // The anchor follows the current text (decided above).
            || (follow.is_some() && ANCHOR.contains(&c.as_str()))
            || set_aside(seen, spec.table, key, c, tv)
        {
            continue;
        }
        if SILENT_LATEST.contains(&c.as_str()) {
            if json_key(tv) > json_key(ov) {
                plan.set.insert(c.clone(), tv.clone());
                merged.insert(c.clone(), tv.clone());
            }
            continue;
        }
        let oc = to.changed(c, Some(ov));
        let tc = tt.changed(c, Some(tv));
        match (oc, tc) {
            (true, false) => {}
            (false, true) => {
                plan.set.insert(c.clone(), tv.clone());
                merged.insert(c.clone(), tv.clone());
            }
            _ => {
                let ao = to.fields.get(c).filter(|_| oc).map(|t| &t.by);
                let at = tt.fields.get(c).filter(|_| tc).map(|t| &t.by);
                let theirs_wins = (at, json_key(tv)) > (ao, json_key(ov));
                if theirs_wins {
                    plan.set.insert(c.clone(), tv.clone());
                    merged.insert(c.clone(), tv.clone());
                }
                pending.push((c.clone(), ov.clone(), ao, tv.clone(), at));
            }
        }
    }
    // A deletion (flag) on one side against edits on the other: keep the row.
    if merged.get("deleted") == Some(&Json::from(1)) && ours.get("deleted") != theirs.get("deleted")
    {
        let (deleter, editor, editor_rec) = if ours.get("deleted") == Some(&Json::from(1)) {
            (to, tt, theirs)
        } else {
            (tt, to, ours)
        };
        let edited = editor_rec.iter().any(|(c, v)| {
            c != "deleted" && !SILENT_LATEST.contains(&c.as_str()) && editor.changed(c, Some(v))
        });
        if edited {
            plan.set.insert("deleted".into(), Json::from(0));
            merged.insert("deleted".into(), Json::from(0));
            let del_by = deleter.fields.get("deleted").map(|t| &t.by);
            let ed_by = editor.last_author();
            plan.conflicts.push(Conflict::new(
                "deleted-changed",
                spec,
                key,
                "deleted",
                &merged,
                Side {
                    value: Some(Json::from(0)),
                    by: by_words(ed_by),
                },
                Side {
                    value: Some(Json::from(1)),
                    by: by_words(del_by),
                },
            ));
        }
    }
    pending.retain(|(c, ..)| c != "deleted" || merged.get("deleted") == Some(&Json::from(1)));
    for (c, ov, ao, tv, at) in pending {
        let theirs_won = merged.get(&c) == Some(&tv);
        let (kept, kept_by, other, other_by) = if theirs_won {
            (tv, at, ov, ao)
        } else {
            (ov, ao, tv, at)
        };
        let kind = if (spec.table, c.as_str()) == ("documents", "current_version") {
            "both-corrected"
        } else {
            "field"
        };
        plan.conflicts.push(Conflict::new(
            kind,
            spec,
            key,
            &c,
            &merged,
            Side {
                value: Some(kept),
                by: by_words(kept_by),
            },
            Side {
                value: Some(other),
                by: by_words(other_by),
            },
        ));
    }
    plan
}

/// The columns that place a coding in its text.
const ANCHOR: &[&str] = &[
    "version_id",
    "start_char",
    "end_char",
    "quote",
    "context_before",
    "context_after",
];

/// `Some(true)`: take the colleague's anchor; `Some(false)`: keep ours.
fn anchored_side(
    ours: &Record,
    theirs: &Record,
    to: &RowTrace,
    tt: &RowTrace,
    current: &HashSet<String>,
) -> Option<bool> {
    let (ov, tv) = (ours.get("version_id")?, theirs.get("version_id")?);
    if ov == tv || !to.changed("version_id", Some(ov)) || !tt.changed("version_id", Some(tv)) {
        return None;
    }
    let is_current = |v: &Json| v.as_str().is_some_and(|s| current.contains(s));
    match (is_current(ov), is_current(tv)) {
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    }
}

/// Ours with the anchor columns taken from the side that follows the
/// current text (their values then count as ours: nothing to decide).
fn follow_anchor(ours: &Record, theirs: &Record, follow: Option<bool>) -> Record {
    let mut out = ours.clone();
    if let Some(take_theirs) = follow {
        for c in ANCHOR {
            let v = if take_theirs {
                theirs.get(*c)
            } else {
                ours.get(*c)
            };
            if let Some(v) = v {
                out.insert((*c).to_owned(), v.clone());
            }
        }
    }
    out
}

/// A total order on values, the same in both copies.
fn json_key(v: &Json) -> String {
    v.to_string()
}

/// Did a copy change any column of the row since the divergence?
pub fn edited(trace: Option<&RowTrace>, now: &Record) -> bool {
    trace.is_some_and(|t| {
        t.inserted.is_some()
            || now
                .iter()
                .any(|(c, v)| !SILENT_LATEST.contains(&c.as_str()) && t.changed(c, Some(v)))
    })
}
