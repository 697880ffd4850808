//! Markdown transcripts: YAML front matter is skipped (it is metadata, often
//! malformed, never speech); the rest is read line by line like plain text.
//! `**Name:**` labels are left in the text and recognised by the turn finder.

use crate::parsed::Line;

pub fn lines(text: &str, notes: &mut Vec<String>) -> Vec<Line> {
    let text = crate::text::normalize(text);
    let body = skip_front_matter(&text);
    if body.len() != text.len() {
        notes.push("front matter skipped".into());
    }
    body.trim_end()
        .trim_start_matches('\n')
        .split('\n')
        .map(bold_line)
        .collect()
}

/// A line wholly in `**bold**` that is not a `**Name:**` label: a question
/// the interviewer asked (answers follow unlabelled), read like a bold
/// paragraph of a docx.
fn bold_line(text: &str) -> Line {
    let t = text.trim();
    let inner = t
        .strip_prefix("**")
        .and_then(|r| r.strip_suffix("**"))
        .filter(|i| !i.is_empty() && !i.contains("**"));
    match inner {
        Some(i) if !i.trim_end().ends_with(':') => Line {
            text: text.to_owned(),
            bold_prefix_chars: text.chars().count(),
            all_bold: true,
        },
        _ => Line::plain(text),
    }
}

/// Returns the text after a leading `---` … `---` block, or all of it.
fn skip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return &text[offset..];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_front_matter_even_when_malformed() {
        let mut notes = vec![];
        let l = lines(
            "---\ntitle: “broken: yaml\nspeakers: [a\n---\n**Tom:** Aye.\n",
            &mut notes,
        );
        assert_eq!(l, vec![Line::plain("**Tom:** Aye.")]);
        let l = lines("No front matter\n---\nrule", &mut notes);
        assert_eq!(l.len(), 3);
        let l = lines(
            "**How did it start?**\nWith a letter.\n**Ana:** Hi",
            &mut notes,
        );
        assert!(l[0].all_bold && !l[1].all_bold && !l[2].all_bold);
    }
}
