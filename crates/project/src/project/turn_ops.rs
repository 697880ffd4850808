//! A person corrects and confirms who spoke: split a turn, give a turn to
//! another (or a new) speaker, merge a turn with the previous one, mark a turn
//! as not speech, rename a speaker, and say the speakers are checked. Each is
//! one undoable change; the text never changes, so no coding or excerpt moves.

use super::Project;
use crate::error::{Error, Result};
use crate::import::parsed::{Confidence, CueTime};
use crate::model::Role;
use crate::store::{Confirmation, Store, TurnRow};
use serde_json::json;

/// One correction of a document's turns; turns are named by their number
/// (`seq`, as `storyloom turns` lists them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnEdit {
    /// Split the turn at a char offset of the document: the words from there on are a new turn of the same speaker.
    Split { turn: usize, at: usize },
    /// The turn was said by this speaker (made when the document has none of that name).
    Assign { turn: usize, speaker: String },
    /// Merge the turn into the one before it (which keeps its speaker).
    Merge { turn: usize },
    /// The turn is not speech (a note, a heading, a stage direction).
    NonSpeech { turn: usize },
}

impl Project {
    /// Applies one correction of a document's turns; returns what was done.
    pub fn edit_turns(&mut self, document: &str, edit: &TurnEdit) -> Result<String> {
        let (doc_id, doc_uuid, doc_name) = self.store.find_document(document)?;
        let text = self.store.document_text(doc_id)?.text;
        let ix = crate::text::CharIndex::new(&text);
        let target_speaker = match edit {
            TurnEdit::Assign { speaker, .. } => Some(self.store.find_speaker(doc_id, speaker)?),
            _ => None,
        };
        let summary = describe(edit, &doc_name);
        let actor = self.actor.clone();
        let edit_json = format!("{edit:?}");
        self.store.change(
            |_| crate::store::ChangeRecord {
                actor,
                command: "edit_turns",
                summary: summary.clone(),
                forward: json!({ "document": doc_uuid, "edit": edit_json }),
                inverse: json!({ "document": doc_uuid, "undo": edit_json }),
            },
            |tx| {
                let (version_id, mut rows) = Store::turn_rows(tx, doc_id)?;
                let find = |turn: usize, rows: &[TurnRow]| {
                    rows.iter()
                        .position(|r| r.seq == turn as i64)
                        .ok_or_else(|| {
                            Error::Invalid(format!(
                                "{doc_name} has no turn #{turn} (it has {} turns, #0 to #{})",
                                rows.len(),
                                rows.len().saturating_sub(1)
                            ))
                        })
                };
                match edit {
                    TurnEdit::Split { turn, at } => {
                        let i = find(*turn, &rows)?;
                        let (first, second) = split_row(&rows[i], *at, &ix)?;
                        rows[i] = first;
                        rows.insert(i + 1, second);
                    }
                    TurnEdit::Assign { turn, speaker } => {
                        let i = find(*turn, &rows)?;
                        rows[i].speaker_id = match target_speaker {
                            Some(Some((id, _, _))) => id,
                            _ => Store::insert_speaker(tx, doc_id, speaker.trim(), Role::Participant)?,
                        };
                    }
                    TurnEdit::Merge { turn } => {
                        let i = find(*turn, &rows)?;
                        if i == 0 {
                            return Err(Error::Invalid(format!(
                                "turn #{turn} is the first of {doc_name}: there is no turn before it to merge with"
                            )));
                        }
                        let next = rows.remove(i);
                        merge_into(&mut rows[i - 1], &next)?;
                    }
                    TurnEdit::NonSpeech { turn } => {
                        let i = find(*turn, &rows)?;
                        rows[i].speaker_id = Store::non_speech_speaker(tx, doc_id)?;
                    }
                }
                Ok::<_, Error>(Store::rewrite_turns(tx, version_id, &rows)?)
            },
        )?;
        Ok(summary)
    }

    /// Renames a speaker's display label (the text keeps its labels).
    pub fn rename_speaker(&mut self, document: &str, label: &str, new_label: &str) -> Result<()> {
        let (doc_id, _, doc_name) = self.store.find_document(document)?;
        let new_label = crate::text::normalize(new_label.trim());
        if new_label.is_empty() || new_label == crate::import::parsed::NON_SPEECH_LABEL {
            return Err(Error::Invalid(format!(
                "'{new_label}' cannot name a speaker"
            )));
        }
        let (speaker_id, _, _) =
            self.store
                .find_speaker(doc_id, label)?
                .ok_or_else(|| Error::UnknownSpeaker {
                    document: doc_name.clone(),
                    label: label.to_owned(),
                })?;
        if let Some((other, _, _)) = self.store.find_speaker(doc_id, &new_label)?
            && other != speaker_id
        {
            return Err(Error::Invalid(format!(
                "{doc_name} already has a speaker '{new_label}': give this speaker's turns to it (turns --assign) instead"
            )));
        }
        self.simple_change(
            "rename_speaker",
            format!("{label} in {doc_name} renamed {new_label}"),
            json!({ "speaker": speaker_id, "label": new_label }),
            json!({ "speaker": speaker_id, "label": label }),
            |tx| Ok(Store::rename_speaker(tx, speaker_id, &new_label)?),
        )
    }

    /// Records that the current user checked who speaks in every turn of the
    /// document (or, with `confirmed = false`, withdraws it). Stories drawn
    /// from a document nobody confirmed cannot be approved.
    pub fn confirm_speakers(&mut self, document: &str, confirmed: bool) -> Result<()> {
        let (doc_id, doc_uuid, doc_name) = self.store.find_document(document)?;
        let by = self.actor.clone();
        self.simple_change(
            "confirm_speakers",
            if confirmed {
                format!("speakers of {doc_name} checked by {by}")
            } else {
                format!("speakers of {doc_name} no longer marked checked")
            },
            json!({ "document": doc_uuid, "confirmed": confirmed }),
            json!({ "document": doc_uuid, "confirmed": !confirmed }),
            |tx| {
                Ok(Store::set_speakers_confirmed(
                    tx,
                    doc_id,
                    confirmed.then_some(by.as_str()),
                )?)
            },
        )
    }

    /// Confirms the speakers of the documents a study folder's
    /// `speakers-checked.txt` lists, in the name its `checked-by:` line gives
    /// (the history says so); `#` lines are comments.
    pub(crate) fn confirm_listed_speakers(&mut self, list: &std::path::Path) -> Result<()> {
        let text = std::fs::read_to_string(list)?;
        let mut by = None;
        let mut names = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_prefix("checked-by:") {
                Some(who) => by = Some(who.trim().to_owned()),
                None => names.push(line.to_owned()),
            }
        }
        let Some(by) = by.filter(|b| !b.is_empty()) else {
            return Err(Error::Invalid(format!(
                "{} names no 'checked-by:' person: a confirmation must say who checked",
                list.display()
            )));
        };
        let me = self.actor.clone();
        self.actor = by;
        let result = names
            .iter()
            .try_for_each(|n| self.confirm_speakers(n, true));
        self.actor = me;
        result
    }

    /// Who confirmed the document's speakers, and when.
    pub fn speakers_confirmed(&self, document: &str) -> Result<Option<Confirmation>> {
        let (doc_id, _, _) = self.store.find_document(document)?;
        Ok(self.store.speakers_confirmed(doc_id)?)
    }

    /// How sure the import was of the document's speakers, and why.
    pub fn speaker_detection(&self, document: &str) -> Result<Option<Confidence>> {
        let (doc_id, _, _) = self.store.find_document(document)?;
        Ok(self.store.detection(doc_id)?)
    }
}

fn describe(edit: &TurnEdit, doc: &str) -> String {
    match edit {
        TurnEdit::Split { turn, at } => format!("turn #{turn} of {doc} split at {at}"),
        TurnEdit::Assign { turn, speaker } => format!("turn #{turn} of {doc} given to {speaker}"),
        TurnEdit::Merge { turn } => format!("turn #{turn} of {doc} merged with the one before"),
        TurnEdit::NonSpeech { turn } => format!("turn #{turn} of {doc} marked as not speech"),
    }
}

fn cues_of(row: &TurnRow) -> Vec<CueTime> {
    let parsed: Vec<CueTime> = row
        .cues
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default();
    if !parsed.is_empty() {
        return parsed;
    }
    row.start_ms
        .map(|s| CueTime {
            at: row.start as usize,
            start_ms: s as u64,
            end_ms: row.end_ms.map(|e| e as u64),
        })
        .into_iter()
        .collect()
}

fn cues_json(cues: &[CueTime]) -> Option<String> {
    (cues.len() > 1)
        .then(|| serde_json::to_string(cues).ok())
        .flatten()
}

/// Two turns from one, at a char offset strictly inside its words.
fn split_row(row: &TurnRow, at: usize, ix: &crate::text::CharIndex) -> Result<(TurnRow, TurnRow)> {
    let (start, end) = (row.start as usize, row.end as usize);
    let inside = |a: usize, b: usize| ix.slice(a, b).unwrap_or("");
    let first_end = start + inside(start, at.min(end)).trim_end().chars().count();
    let rest = inside(at.max(start), end);
    let second_start = at + (rest.chars().count() - rest.trim_start().chars().count());
    if at <= start || at >= end || first_end <= start || second_start >= end {
        return Err(Error::Invalid(format!(
            "split at {at} leaves no words on one side: turn #{} runs from {start} to {end}",
            row.seq
        )));
    }
    let cues = cues_of(row);
    let (before, after): (Vec<CueTime>, Vec<CueTime>) =
        cues.into_iter().partition(|c| c.at < second_start);
    let mut first = row.clone();
    first.end = first_end as i64;
    first.cues = cues_json(&before);
    first.end_ms = before
        .last()
        .and_then(|c| c.end_ms)
        .map(|e| e as i64)
        .or(row.end_ms.filter(|_| after.is_empty()));
    let second = TurnRow {
        id: 0,
        seq: row.seq + 1,
        speaker_id: row.speaker_id,
        label_start: None,
        start: second_start as i64,
        end: row.end,
        start_ms: after.first().map(|c| c.start_ms as i64),
        end_ms: after.last().and_then(|c| c.end_ms).map(|e| e as i64),
        cues: cues_json(&after),
    };
    if after.is_empty() {
        first.end_ms = row.end_ms;
    }
    Ok((first, second))
}

/// The previous turn takes in the next one; each keeps its times as parts.
fn merge_into(prev: &mut TurnRow, next: &TurnRow) -> Result<()> {
    let mut cues = cues_of(prev);
    cues.extend(cues_of(next));
    prev.end = prev.end.max(next.end);
    prev.start_ms = prev.start_ms.or(next.start_ms);
    prev.end_ms = next.end_ms.or(prev.end_ms);
    prev.cues = cues_json(&cues);
    Ok(())
}
