//! A person corrects and confirms who spoke: split a turn, give a turn to
//! another (or a new) speaker, merge a turn with the previous one, mark a turn
//! as not speech, rename a speaker, and say the speakers are checked. Each is
//! one undoable change; the text never changes, so no coding or excerpt moves.

use super::Project;
use super::turn_cuts::{self as cuts, merge_into, split_row};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::import::parsed::Confidence;
use crate::model::Role;
use crate::store::{Confirmation, Store, TurnRow, Tx, Withdrawal};
use serde_json::json;

/// One correction of a document's turns; turns are named by their number
/// (`seq`, as `storyloom turns` lists them).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum TurnEdit {
    /// Split the turn at a char offset of the document: the words from there on are a new turn of the same speaker.
    Split { turn: usize, at: usize },
    /// The turn was said by this speaker (made when the document has none of that name).
    Assign { turn: usize, speaker: String },
    /// Merge the turn into the one before it (which keeps its speaker).
    Merge { turn: usize },
    /// The turn is not speech (a note, a heading, a stage direction).
    NonSpeech { turn: usize },
    /// The paragraphs holding chars `start..end` of the document were said by
    /// this speaker (made when the document has none of that name): they
    /// become turns of their own, cut from the turns around them. An empty
    /// range names the paragraph it sits in.
    AssignParagraphs {
        start: usize,
        end: usize,
        speaker: String,
    },
    /// Chars `start..end` of the document (without the spaces at either end)
    /// are not speech: cut from their turns and marked.
    NonSpeechText { start: usize, end: usize },
    /// From the paragraph holding char `from` on, every paragraph is a turn
    /// of its own and the speech turns alternate between two speakers,
    /// `first` first (each made when missing); non-speech turns stay as they
    /// are. For files that name no speakers.
    Alternate {
        from: usize,
        first: String,
        second: String,
    },
}

impl Project {
    /// Applies one correction of a document's turns; returns what was done.
    pub fn edit_turns(&mut self, document: &str, edit: &TurnEdit) -> Result<String> {
        // The text, the speakers and the turns are all read inside the
        // change, so a correction or a speaker added by another process
        // meanwhile is never overwritten from a stale read.
        let said = self.change_within("edit_turns", |tx, this| {
            let (doc_id, doc_uuid, doc_name) = this.store.find_document(document)?;
            let text = this.store.document_text(doc_id)?.text;
            let ix = crate::text::CharIndex::new(&text);
            let chars: Vec<char> = text.chars().collect();
            let names: Vec<&str> = match edit {
                TurnEdit::Assign { speaker, .. } | TurnEdit::AssignParagraphs { speaker, .. } => {
                    vec![speaker.as_str()]
                }
                TurnEdit::Alternate { first, second, .. } => vec![first.as_str(), second.as_str()],
                _ => vec![],
            };
            let mut known = Vec::new();
            for name in &names {
                let name = speaker_name(name)?;
                let found = this.store.find_speaker(doc_id, &name)?.map(|s| s.0);
                known.push((name, found));
            }
            if let [(a, _), (b, _)] = known.as_slice()
                && crate::privacy::fold(a) == crate::privacy::fold(b)
            {
                return Err(Error::Invalid(format!(
                    "alternating needs two different speakers, not '{a}' twice"
                )));
            }
            let summary = describe(edit, &doc_name, &chars);
            let edit_json = format!("{edit:?}");
            let withdrew: Option<Confirmation> = (|| {
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
                    TurnEdit::Assign { turn, .. } => {
                        let i = find(*turn, &rows)?;
                        rows[i].speaker_id = speaker_ids(tx, doc_id, &known)?[0];
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
                    TurnEdit::AssignParagraphs { start, end, .. } => {
                        let (s, e) = cuts::paragraphs(&chars, *start, *end);
                        cuts::cut_at(&mut rows, s, &ix);
                        cuts::cut_at(&mut rows, e, &ix);
                        let found = cuts::overlapping(&rows, s, e);
                        cuts::need_turns(&found, s, e, &doc_name)?;
                        let id = speaker_ids(tx, doc_id, &known)?[0];
                        for i in found {
                            rows[i].speaker_id = id;
                        }
                    }
                    TurnEdit::NonSpeechText { start, end } => {
                        let (s, e) = cuts::trimmed(&chars, *start, *end);
                        if s >= e {
                            return Err(Error::Invalid(
                                "select the words that are not speech first".into(),
                            ));
                        }
                        cuts::cut_at(&mut rows, s, &ix);
                        cuts::cut_at(&mut rows, e, &ix);
                        let found = cuts::overlapping(&rows, s, e);
                        cuts::need_turns(&found, s, e, &doc_name)?;
                        let id = Store::non_speech_speaker(tx, doc_id)?;
                        for i in found {
                            rows[i].speaker_id = id;
                        }
                    }
                    TurnEdit::Alternate { from, .. } => {
                        let (from, _) = cuts::paragraphs(&chars, *from, *from);
                        cuts::cut_at(&mut rows, from, &ix);
                        let i = rows.partition_point(|r| (r.end as usize) <= from);
                        if i == rows.len() {
                            return Err(Error::Invalid(format!(
                                "no turn of {doc_name} starts at or after char {from}"
                            )));
                        }
                        let from = from.min(rows[i].start as usize);
                        let skip = Store::find_non_speech_speaker(tx, doc_id)?;
                        let breaks: Vec<usize> = rows[i..]
                            .iter()
                            .filter(|r| Some(r.speaker_id) != skip)
                            .flat_map(|r| cuts::line_breaks(&chars, r))
                            .collect();
                        for at in breaks {
                            cuts::cut_at(&mut rows, at, &ix);
                        }
                        let ids = speaker_ids(tx, doc_id, &known)?;
                        let mut k = 0;
                        for r in rows.iter_mut().filter(|r| r.start as usize >= from) {
                            if Some(r.speaker_id) != skip {
                                r.speaker_id = ids[k % 2];
                                k += 1;
                            }
                        }
                        new_speaker_roles(tx, &known, &ids, &rows, &chars)?;
                    }
                }
                Store::rewrite_turns(tx, version_id, &rows)?;
                Ok::<_, Error>(Store::withdraw_speakers_confirmation(tx, doc_id)?)
            })()?;
            let said = with_withdrawal(&summary, withdrew.as_ref());
            let forward = json!({ "document": doc_uuid, "edit": edit_json,
                "withdrew_check": withdrawn_json(&summary, withdrew.as_ref()) });
            Ok(Some((said.clone(), (said, forward))))
        })?;
        Ok(said.unwrap_or_default())
    }

    /// Renames a speaker's display label (the text keeps its labels); returns
    /// what was done. Like every correction of who spoke, it withdraws an
    /// earlier "Speakers checked".
    pub fn rename_speaker(
        &mut self,
        document: &str,
        label: &str,
        new_label: &str,
    ) -> Result<String> {
        let new_label = crate::text::normalize(new_label.trim());
        if new_label.is_empty() || new_label == crate::import::parsed::NON_SPEECH_LABEL {
            return Err(Error::Invalid(format!(
                "'{new_label}' cannot name a speaker"
            )));
        }
        // The speaker and the check that the new label is free are read
        // inside the change: two processes renaming two speakers to one
        // label cannot both pass the check.
        let said = self.change_within("rename_speaker", |tx, this| {
            let (doc_id, doc_uuid, doc_name) = this.store.find_document(document)?;
            let (speaker_id, _, _) = this.speaker_in(doc_id, &doc_name, label)?;
            if let Some((other, _, _)) = this.store.find_speaker(doc_id, &new_label)?
                && other != speaker_id
            {
                return Err(Error::Invalid(format!(
                    "{doc_name} already has a speaker '{new_label}': give this speaker's turns to it (turns --assign) instead"
                )));
            }
            Store::rename_speaker(tx, speaker_id, &new_label)?;
            let withdrew: Option<Confirmation> = Store::withdraw_speakers_confirmation(tx, doc_id)?;
            let summary = format!("{label} in {doc_name} renamed {new_label}");
            let said = with_withdrawal(&summary, withdrew.as_ref());
            let forward = json!({ "document": doc_uuid, "speaker": speaker_id, "label": new_label,
                "withdrew_check": withdrawn_json(&summary, withdrew.as_ref()) });
            Ok(Some((said.clone(), (said, forward))))
        })?;
        Ok(said.unwrap_or_default())
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

    /// The documents (uuids) whose speakers no person has confirmed: the
    /// window marks them, and their stories cannot be approved.
    pub fn unconfirmed_documents(&self) -> Result<Vec<String>> {
        Ok(self.store.unconfirmed_documents()?)
    }

    /// The correction that withdrew the document's "Speakers checked", while
    /// the document is unchecked because of it (the window says why).
    pub fn speakers_check_withdrawn(&self, document: &str) -> Result<Option<Withdrawal>> {
        let (doc_id, doc_uuid, _) = self.store.find_document(document)?;
        if self.store.speakers_confirmed(doc_id)?.is_some() {
            return Ok(None);
        }
        Ok(self.store.check_withdrawn_by(&doc_uuid)?)
    }

    /// How sure the import was of the document's speakers, and why.
    pub fn speaker_detection(&self, document: &str) -> Result<Option<Confidence>> {
        let (doc_id, _, _) = self.store.find_document(document)?;
        Ok(self.store.detection(doc_id)?)
    }
}

/// A correction's summary, saying when it withdrew a confirmation.
pub(super) fn with_withdrawal(summary: &str, withdrew: Option<&Confirmation>) -> String {
    match withdrew {
        Some(c) => format!(
            "{summary}; the speakers check by {} is withdrawn (a correction means they are still being checked: confirm again when done)",
            c.by
        ),
        None => summary.to_owned(),
    }
}

/// The withdrawn confirmation as history's forward data records it.
pub(super) fn withdrawn_json(summary: &str, withdrew: Option<&Confirmation>) -> serde_json::Value {
    match withdrew {
        Some(c) => json!({ "by": c.by, "at": c.at, "correction": summary }),
        None => serde_json::Value::Null,
    }
}

/// What a correction does, quoting the words it acts on (char offsets alone
/// say nothing to a person).
fn describe(edit: &TurnEdit, doc: &str, chars: &[char]) -> String {
    match edit {
        TurnEdit::Split { turn, at } => {
            let (s, e) = cuts::paragraphs(chars, *at, *at);
            format!(
                "turn #{turn} of {doc} split before {}",
                quote(chars, (*at).max(s), e)
            )
        }
        TurnEdit::Assign { turn, speaker } => format!("turn #{turn} of {doc} given to {speaker}"),
        TurnEdit::Merge { turn } => format!("turn #{turn} of {doc} merged with the one before"),
        TurnEdit::NonSpeech { turn } => format!("turn #{turn} of {doc} marked as not speech"),
        TurnEdit::AssignParagraphs {
            start,
            end,
            speaker,
        } => {
            let (s, e) = cuts::paragraphs(chars, *start, *end);
            format!(
                "the paragraphs at chars {s}–{e} of {doc} ({}) given to {speaker}",
                quote(chars, s, e)
            )
        }
        TurnEdit::NonSpeechText { start, end } => {
            let (s, e) = cuts::trimmed(chars, *start, *end);
            format!(
                "chars {s}–{e} of {doc} ({}) marked as not speech",
                quote(chars, s, e)
            )
        }
        TurnEdit::Alternate {
            from,
            first,
            second,
        } => {
            let (s, e) = cuts::paragraphs(chars, *from, *from);
            format!(
                "turns of {doc} from the paragraph {} on alternate between {first} and {second}",
                quote(chars, s, e)
            )
        }
    }
}

/// The words at `start..end` in quotes, cut to a readable length, with line
/// breaks shown as ` / `.
fn quote(chars: &[char], start: usize, end: usize) -> String {
    const MAX: usize = 40;
    let end = end.min(chars.len());
    let start = start.min(end);
    let words: String = chars[start..end]
        .iter()
        .collect::<String>()
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    if words.chars().count() > MAX {
        let cut: String = words.chars().take(MAX).collect();
        format!("“{}…”", cut.trim_end())
    } else {
        format!("“{words}”")
    }
}

/// A speaker name as typed, trimmed and in NFC; a blank name or the
/// non-speech label names nobody.
fn speaker_name(name: &str) -> Result<String> {
    let name = crate::text::normalize(name.trim());
    if name.is_empty() || name == crate::import::parsed::NON_SPEECH_LABEL {
        return Err(Error::Invalid(format!("'{name}' cannot name a speaker")));
    }
    Ok(name)
}

/// The ids of the named speakers, making those the document lacks.
fn speaker_ids(tx: &Tx, doc_id: DocumentId, known: &[(String, Option<i64>)]) -> Result<Vec<i64>> {
    known
        .iter()
        .map(|(name, id)| match id {
            Some(id) => Ok(*id),
            None => Ok(Store::insert_speaker(tx, doc_id, name, Role::Participant)?),
        })
        .collect()
}

/// A speaker made by alternation is the interviewer when more of its turns
/// end in a question than the other's (and the other is no interviewer already).
fn new_speaker_roles(
    tx: &Tx,
    known: &[(String, Option<i64>)],
    ids: &[i64],
    rows: &[TurnRow],
    chars: &[char],
) -> Result<()> {
    let asks = |id: i64| {
        let mine: Vec<&TurnRow> = rows.iter().filter(|r| r.speaker_id == id).collect();
        let q = mine
            .iter()
            .filter(|r| {
                let (s, e) = cuts::trimmed(chars, r.start as usize, r.end as usize);
                e > s && chars[e - 1] == '?'
            })
            .count();
        q as f64 / mine.len().max(1) as f64
    };
    for k in 0..2 {
        if known[k].1.is_some() {
            continue;
        }
        let (me, other) = (ids[k], ids[1 - k]);
        let other_role = Store::speaker_role(tx, other)?;
        if other_role != Role::Interviewer && asks(me) > asks(other) {
            Store::set_speaker_role(tx, me, Role::Interviewer, false)?;
        }
    }
    Ok(())
}
