//! The last sections of a REFI-QDA import: notes, selection comments and
//! the project description become memos on what they are about.

use super::Writer;
use crate::error::Result;
use crate::model::MemoTarget;
use crate::refi::read::all_codes;
use crate::refi::{markers, qde};
use crate::store::Store;
use std::collections::HashMap;

impl Writer<'_> {
    /// Notes become memos on what they are about.
    pub(super) fn memos(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        let notes: HashMap<&str, &qde::Note> =
            q.notes.iter().map(|n| (n.guid.as_str(), n)).collect();
        let mut targets: HashMap<String, MemoTarget> = HashMap::new();
        let mut put = |note: &str, t: MemoTarget| {
            targets.entry(note.to_owned()).or_insert(t);
        };
        for c in all_codes(&q.codes) {
            if let Some((_, uuid)) = self.code_ids.get(&c.guid) {
                for n in &c.note_refs {
                    put(n, MemoTarget::Code(uuid.clone()));
                }
            }
        }
        for (refs, uuid) in &self.coding_notes {
            for n in refs {
                put(n, MemoTarget::Coding(uuid.clone()));
            }
        }
        let mut sel_index = 0usize;
        for (si, s) in q.sources.iter().enumerate() {
            for sel in &s.selections {
                let target = self
                    .coding_of_selection
                    .get(&sel_index)
                    .map(|u| MemoTarget::Coding(u.clone()))
                    .or_else(|| {
                        self.stored
                            .get(&si)
                            .map(|d| MemoTarget::Document(d.uuid.clone()))
                    });
                if let Some(t) = target {
                    for n in &sel.note_refs {
                        put(n, t.clone());
                    }
                }
                sel_index += 1;
            }
            if let Some(d) = self.stored.get(&si) {
                for n in &s.note_refs {
                    put(n, MemoTarget::Document(d.uuid.clone()));
                }
            }
        }
        for s in &q.sets {
            if let Some((_, uuid)) = self.theme_ids.get(&s.guid) {
                for n in &s.notes {
                    put(n, MemoTarget::Theme(uuid.clone()));
                }
            }
        }
        for l in &q.links {
            if !notes.contains_key(l.origin.as_str()) {
                continue;
            }
            if let Some((_, uuid, _)) = self.cases.get(&l.target) {
                put(&l.origin, MemoTarget::Participant(uuid.clone()));
            } else if let Some((_, uuid)) = self.code_ids.get(&l.target) {
                put(&l.origin, MemoTarget::Code(uuid.clone()));
            } else if let Some((_, uuid)) = self.theme_ids.get(&l.target) {
                put(&l.origin, MemoTarget::Theme(uuid.clone()));
            } else if let Some(uuid) = self.coding_uuid.get(&l.target) {
                put(&l.origin, MemoTarget::Coding(uuid.clone()));
            }
        }
        for n in &q.project_note_refs {
            put(n, MemoTarget::Project);
        }
        let mut memos_already = 0;
        for n in &q.notes {
            self.tx.breathe()?;
            if self
                .existing
                .memos
                .contains(&n.guid.trim_matches(['{', '}']).to_lowercase())
            {
                memos_already += 1;
                continue;
            }
            let author = n
                .creating_user
                .as_deref()
                .and_then(|g| read.users.get(g).map(String::as_str))
                .unwrap_or(&read.default_coder)
                .to_owned();
            let journal = n
                .description
                .trim()
                .strip_prefix(markers::JOURNAL)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                .map(|d| d.to_string());
            let target = if journal.is_some() {
                MemoTarget::Journal
            } else {
                targets.get(&n.guid).cloned().unwrap_or(MemoTarget::Project)
            };
            let mut body = read
                .note_files
                .get(&n.guid)
                .cloned()
                .filter(|_| n.content.trim().is_empty())
                .unwrap_or_else(|| n.content.clone());
            if journal.is_none() && !n.description.trim().is_empty() {
                body = if body.trim().is_empty() {
                    n.description.clone()
                } else {
                    format!("{}\n\n{body}", n.description.trim())
                };
            }
            let title = if n.name.trim().is_empty() {
                "Note"
            } else {
                n.name.trim()
            };
            Store::insert_memo(tx, &target, title, &body, &author, journal.as_deref())?;
            self.report.memos += 1;
        }
        if memos_already > 0 {
            self.report.notes.push(format!(
                "{memos_already} notes are already in the project as memos (same GUID): not added again"
            ));
        }
        Ok(())
    }

    /// Selection descriptions (ATLAS.ti comments) become memos on the
    /// coding; the project description a memo on the project.
    pub(super) fn comments(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        // Storyloom writes these descriptions as copies of memos that also
        // travel as Notes (for QualCoder and NVivo): read once, as Notes.
        if q.origin.starts_with("Storyloom") {
            return Ok(());
        }
        let mut sel_index = 0usize;
        for (si, s) in q.sources.iter().enumerate() {
            for sel in &s.selections {
                self.tx.breathe()?;
                if !sel.description.trim().is_empty() {
                    let target = self
                        .coding_of_selection
                        .get(&sel_index)
                        .map(|u| MemoTarget::Coding(u.clone()))
                        .or_else(|| {
                            self.stored
                                .get(&si)
                                .map(|d| MemoTarget::Document(d.uuid.clone()))
                        });
                    if let Some(t) = target {
                        let author = sel
                            .creating_user
                            .as_deref()
                            .and_then(|g| read.users.get(g).map(String::as_str))
                            .unwrap_or(&read.default_coder)
                            .to_owned();
                        Store::insert_memo(
                            tx,
                            &t,
                            "Comment",
                            sel.description.trim(),
                            &author,
                            None,
                        )?;
                        self.report.memos += 1;
                    }
                }
                sel_index += 1;
            }
        }
        if !q.description.trim().is_empty() {
            Store::insert_memo(
                tx,
                &MemoTarget::Project,
                &format!(
                    "About {}",
                    if q.name.is_empty() {
                        "the imported project"
                    } else {
                        &q.name
                    }
                ),
                q.description.trim(),
                &read.default_coder,
                None,
            )?;
            self.report.memos += 1;
        }
        Ok(())
    }
}
