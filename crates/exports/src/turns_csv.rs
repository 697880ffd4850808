//! Speaker turns as CSV: one row per turn with its document, speaker, role,
//! linked participant, char range, times and text.

use crate::ExportError;
use std::io::Write;
use storyloom_project::Project;

pub const HEADER: [&str; 10] = [
    "document",
    "turn",
    "speaker",
    "role",
    "participant",
    "start_char",
    "end_char",
    "start_ms",
    "end_ms",
    "text",
];

/// Writes the turns of the given documents (all when `documents` is empty).
/// Returns the number of rows written.
pub fn write_turns_csv(
    project: &Project,
    documents: &[String],
    style: crate::CsvStyle,
    out: impl Write,
) -> Result<usize, ExportError> {
    let keys: Vec<String> = if documents.is_empty() {
        project.documents()?.into_iter().map(|d| d.uuid).collect()
    } else {
        documents.to_vec()
    };
    let mut w = crate::SheetCsv::new(out, style)?;
    w.write_row(HEADER)?;
    let mut rows = 0;
    for key in keys {
        let doc = project.document(&key)?;
        let speakers = project.speakers(&key)?;
        for t in &doc.turns {
            let participant = speakers
                .iter()
                .find(|s| s.label == t.speaker)
                .and_then(|s| s.participant.clone())
                .unwrap_or_default();
            let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
            w.write_row([
                doc.name.as_str(),
                &t.seq.to_string(),
                &t.speaker,
                t.role.as_str(),
                &participant,
                &t.start.to_string(),
                &t.end.to_string(),
                &opt(t.start_ms),
                &opt(t.end_ms),
                &t.text,
            ])?;
            rows += 1;
        }
    }
    w.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_row_per_turn_with_quoted_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Project::create(&dir.path().join("p.storyloom")).unwrap();
        p.import_bytes(
            "a.txt",
            b"Q: Well, hello?\n\nA: \"Fine\", thanks.\n\nQ: Good?\n\nA: Yes.\n",
        )
        .unwrap();
        let mut out = Vec::new();
        assert_eq!(
            write_turns_csv(&p, &[], crate::CsvStyle::default(), &mut out).unwrap(),
            4
        );
        let text = String::from_utf8(out).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&rows[1][9], "\"Fine\", thanks.");
        assert_eq!(&rows[0][3], "interviewer");
        assert!(write_turns_csv(&p, &["missing".into()], Default::default(), Vec::new()).is_err());
    }
}
