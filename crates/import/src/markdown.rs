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
        .map(Line::plain)
        .collect()
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
    }
}
