//! Conflicts a merge leaves for a person: both versions and who made each.
//! A conflict's uuid is derived from what conflicts (kind, row, column and
//! the two values, in either order), so the same conflict found again, or
//! found merging the other way round, is the same entry.

use crate::store::merge_trace::Author;
use crate::store::{ConflictRow, Record, Spec};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// One version in a conflict.
#[derive(Debug, Clone)]
pub struct Side {
    pub value: Option<Json>,
    /// Who made it, in words ("ana on laptop-3, 2026-12-05 08:40 UTC").
    pub by: String,
}

/// A conflict found by a merge, before it is listed.
#[derive(Debug, Clone)]
pub struct Conflict(pub ConflictRow);

impl Conflict {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: &str,
        spec: &Spec,
        key: &str,
        field: &str,
        row: &Record,
        kept: Side,
        other: Side,
    ) -> Conflict {
        let text = |v: &Option<Json>| v.as_ref().map(Json::to_string);
        let (k, o) = (text(&kept.value), text(&other.value));
        let mut pair = [k.clone().unwrap_or_default(), o.clone().unwrap_or_default()];
        pair.sort();
        // A code in use kept back from deletion: its words change with the
        // codings counted, the conflict does not.
        if kind == "deleted-used" {
            pair = Default::default();
        }
        let uuid = derived_uuid(&[kind, spec.table, key, field, &pair[0], &pair[1]]);
        Conflict(ConflictRow {
            uuid,
            kind: kind.to_owned(),
            entity: spec.table.to_owned(),
            entity_uuid: key.to_owned(),
            field: field.to_owned(),
            label: label(spec.table, row, field),
            kept: k,
            kept_by: kept.by,
            other: o,
            other_by: other.by,
            resolved: false,
        })
    }
}

/// Who made a change, in words.
pub fn by_words(a: Option<&Author>) -> String {
    match a {
        None => "unknown (no record of the change)".into(),
        Some(a) => {
            let when = a.at.get(..16).unwrap_or(&a.at).replace('T', " ");
            match &a.machine {
                Some(m) => format!("{} on {m}, {when} UTC", a.actor),
                None => format!("{}, {when} UTC", a.actor),
            }
        }
    }
}

/// "code 'Loneliness': colour" and the like.
fn label(table: &str, row: &Record, field: &str) -> String {
    let noun = match table {
        "documents" => "document",
        "document_versions" => "transcript version",
        "participants" => "participant",
        "attributes" => "attribute",
        "attribute_values" => "attribute value",
        "speakers" => "speaker",
        "turns" => "turn",
        "marks" => "mark",
        "codes" => "code",
        "themes" => "theme",
        "theme_codes" => "theme's code",
        "codings" => "coding",
        "memos" => "memo",
        "stories" => "story",
        "story_blocks" => "story block",
        "story_spans" => "story excerpt span",
        "story_revisions" => "story revision",
        "story_themes" => "story's theme",
        "story_sendings" => "story sending",
        "story_feedback" => "storyteller's feedback",
        "pseudonyms" => "pseudonym",
        "name_reviews" => "name review",
        "review_items" => "review item",
        "pack_settings" => "discussion pack",
        "workshop_notes" => "workshop note",
        "merge_conflicts" => "merge conflict",
        other => other,
    };
    let name = ["name", "title", "ident", "original", "label", "quote"]
        .iter()
        .find_map(|c| row.get(*c).and_then(Json::as_str))
        .filter(|s| !s.is_empty())
        .map(|s| {
            let short: String = s.chars().take(40).collect();
            format!(" '{short}'")
        })
        .unwrap_or_default();
    let what = match field {
        "" => String::new(),
        "deleted" => ": deleted on one side, changed on the other".into(),
        "current_version" => ": transcript corrected on both sides".into(),
        f => format!(": {}", f.replace('_', " ")),
    };
    format!("{noun}{name}{what}")
}

/// A uuid-shaped name derived from the parts (the same parts, the same name).
pub fn derived_uuid(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-5{}-8{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}
