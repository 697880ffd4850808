//! The Sources and Notes of `project.qde`.
//!
//! Each document's codings go into one PlainTextSelection per range and
//! coder, each with its own creatingUser: readers that take the coder from
//! the selection (QualCoder) otherwise drop or misattribute a second coder's
//! codings of the same words, which breaks agreement work. NVivo and
//! QualCoder write it so too. A coding memo is also the selection's
//! description, where QualCoder reads it.
//!
//! Every transcript's text carries its speakers' labels (`Label: ` at the
//! start of each turn, see [`crate::labels`]) and its description lists the
//! speakers, so a re-import finds the same speakers and turns.
//!
//! Journal entries are Notes whose text is a `.txt` in `sources/` (QualCoder
//! reads journals so; the schema allows a text path or inline content, not
//! both); other memos keep their text inline.

use super::codebook::{MemoTexts, memo_text};
use super::xml::{Attrs, XmlOut};
use super::{ProjectData, RefiExportReport, WriteError, date_time, derived_guid, selection_name};
use crate::labels::{label_turns, speakers_description};
use crate::markers;
use std::collections::{BTreeMap, HashMap};
use storyloom_text::model::{Coding, Memo, MemoTarget};
use storyloom_text::text::CharIndex;

/// Writes `<Sources>`; returns the texts for `sources/` as (file name, text).
pub(super) fn write_sources(
    w: &mut XmlOut,
    data: &ProjectData,
    notes_on: &HashMap<String, Vec<String>>,
    memos: &MemoTexts,
    user_attr: &dyn Fn(&str) -> Option<String>,
    report: &mut RefiExportReport,
) -> Result<Vec<(String, String)>, WriteError> {
    let (documents, codings) = (&data.documents, &data.codings);
    let mut sources = Vec::new();
    if documents.is_empty() {
        return Ok(sources);
    }
    let mut by_doc: HashMap<&str, Vec<&Coding>> = HashMap::new();
    for c in codings {
        by_doc.entry(c.document.as_str()).or_default().push(c);
    }
    if codings.iter().any(|c| c.key_quote) {
        report
            .remarks
            .push("key-quote flags have no place in REFI-QDA and are not exported".into());
    }
    w.start("Sources", &[])?;
    let (mut labelled_docs, mut labelled_turns) = (0usize, 0usize);
    for (d, doc) in documents {
        // Every turn starts with its speaker's label in the exported text;
        // positions are counted in that text.
        let labelled = label_turns(&doc.text, &doc.turns);
        if labelled.changed() {
            labelled_docs += 1;
            labelled_turns += labelled.labelled;
        }
        let ix = CharIndex::new(&labelled.text);
        let file = format!("{}.txt", d.uuid);
        let mut attrs: Attrs = vec![
            ("guid", d.uuid.clone()),
            ("name", d.name.clone()),
            ("plainTextPath", format!("internal://{file}")),
        ];
        if let Some(u) = data.importers.get(&d.uuid).and_then(|u| user_attr(u)) {
            attrs.push(("creatingUser", u));
        }
        if let Some(t) = date_time(&d.imported_at) {
            attrs.push(("creationDateTime", t));
        }
        w.start("TextSource", &attrs)?;
        let speakers = speakers_description(&doc.turns);
        if !speakers.is_empty() {
            w.text_element("Description", &speakers)?;
        }
        // One selection per range and coder, in text order.
        let mut ranges: BTreeMap<(usize, usize, &str), Vec<&Coding>> = BTreeMap::new();
        for c in by_doc
            .get(d.uuid.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let (start, end) = (
                labelled.to_exported(c.start, false),
                labelled.to_exported(c.end, true),
            );
            ranges
                .entry((start, end, c.coder.as_str()))
                .or_default()
                .push(c);
        }
        for ((start, end, coder), cs) in &ranges {
            let first = cs[0];
            let mut attrs: Attrs = vec![
                (
                    "guid",
                    derived_guid("selection", &format!("{}/{start}/{end}/{coder}", d.uuid)),
                ),
                (
                    "name",
                    selection_name(ix.slice(*start, *end).unwrap_or(&first.quote)),
                ),
                ("startPosition", start.to_string()),
                ("endPosition", end.to_string()),
            ];
            if let Some(u) = user_attr(coder) {
                attrs.push(("creatingUser", u));
            }
            if let Some(t) = cs.iter().filter_map(|c| date_time(&c.created_at)).min() {
                attrs.push(("creationDateTime", t));
            }
            w.start("PlainTextSelection", &attrs)?;
            let memo_uuids: Vec<String> = cs
                .iter()
                .flat_map(|c| notes_on.get(&c.uuid).cloned().unwrap_or_default())
                .collect();
            let memo = memo_text(&memo_uuids, memos);
            if !memo.is_empty() {
                w.text_element("Description", &memo)?;
            }
            for c in cs {
                let mut attrs: Attrs = vec![("guid", c.uuid.clone())];
                if let Some(u) = user_attr(&c.coder) {
                    attrs.push(("creatingUser", u));
                }
                if let Some(t) = date_time(&c.created_at) {
                    attrs.push(("creationDateTime", t));
                }
                w.start("Coding", &attrs)?;
                w.empty("CodeRef", &[("targetGUID", c.code.clone())])?;
                for n in notes_on.get(&c.uuid).map(Vec::as_slice).unwrap_or(&[]) {
                    w.empty("NoteRef", &[("targetGUID", n.clone())])?;
                }
                w.end("Coding")?;
                report.codings += 1;
            }
            w.end("PlainTextSelection")?;
            report.selections += 1;
        }
        for n in notes_on.get(&d.uuid).map(Vec::as_slice).unwrap_or(&[]) {
            w.empty("NoteRef", &[("targetGUID", n.clone())])?;
        }
        w.end("TextSource")?;
        sources.push((file, labelled.text));
    }
    w.end("Sources")?;
    if labelled_docs > 0 {
        report.remarks.push(format!(
            "speaker labels written into the text: 'Label: ' at the start of {labelled_turns} turns in {labelled_docs} documents that had none in that form (bold paragraphs, captions, corrected or renamed speakers); selections count that text, and each source's description lists its speakers with their roles"
        ));
    }
    report.sources = documents.len();
    Ok(sources)
}

/// Writes `<Notes>`; returns the journal entries' texts for `sources/`.
pub(super) fn write_notes(
    w: &mut XmlOut,
    memos: &[Memo],
    user_attr: &dyn Fn(&str) -> Option<String>,
    report: &mut RefiExportReport,
) -> Result<Vec<(String, String)>, WriteError> {
    let mut files = Vec::new();
    if memos.is_empty() {
        return Ok(files);
    }
    w.start("Notes", &[])?;
    for m in memos {
        let journal = m.target == MemoTarget::Journal;
        let mut attrs: Attrs = vec![
            ("guid", m.uuid.clone()),
            (
                "name",
                if m.title.trim().is_empty() {
                    "Memo".into()
                } else {
                    m.title.clone()
                },
            ),
        ];
        let file = format!("{}.txt", m.uuid);
        if journal {
            attrs.push(("plainTextPath", format!("internal://{file}")));
        }
        if let Some(u) = user_attr(&m.author) {
            attrs.push(("creatingUser", u));
        }
        if let Some(t) = date_time(&m.created_at) {
            attrs.push(("creationDateTime", t));
        }
        if let Some(t) = date_time(&m.updated_at) {
            attrs.push(("modifiedDateTime", t));
        }
        w.start("Note", &attrs)?;
        if let (true, Some(date)) = (journal, &m.date) {
            w.text_element("Description", &format!("{}{date}", markers::JOURNAL))?;
        }
        if journal {
            files.push((file, m.body.clone()));
        } else {
            w.text_element("PlainTextContent", &m.body)?;
        }
        w.end("Note")?;
    }
    w.end("Notes")?;
    report.notes = memos.len();
    Ok(files)
}
