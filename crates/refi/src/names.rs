//! Selection names that hold their text (ATLAS.ti, QualCoder, Storyloom):
//! compared with the text a selection lands on, to check the positions and
//! to tell which unit a producer counted in.

pub(crate) fn name_holds_text(name: &str) -> Option<String> {
    let n = name.trim();
    if n.is_empty() || n.starts_with("line:") || n.starts_with("Quotation ") {
        return None;
    }
    Some(n.to_owned())
}

/// A name cut short by its producer: the part kept (ATLAS.ti and
/// Storyloom cut with `…`, some tools with `...`).
fn cut(name: &str) -> Option<&str> {
    name.strip_suffix('…').or_else(|| name.strip_suffix("..."))
}

/// Does a selection's name fit its text? Whitespace squashed; a name cut
/// with `…` (ATLAS.ti, Storyloom past 100 chars) fits the text it begins.
pub(crate) fn name_fits(name: &str, text: &str) -> bool {
    let text = squash(text);
    if squash(name) == text {
        return true;
    }
    match cut(name) {
        Some(cut) => {
            let cut = squash(cut);
            !cut.is_empty() && text.starts_with(&cut)
        }
        None => false,
    }
}

/// The shortest name taken for a quote on the evidence that the source
/// holds it somewhere: shorter ones ("granola", "Food") are as often labels
/// that happen to be words of the text.
const QUOTE_EVIDENCE_CHARS: usize = 12;

/// Does a name that fits nowhere read as the selection's text (so the
/// mismatch is worth reporting) rather than as a label a user gave it?
/// It does when it was cut short by its producer, when it is as long as
/// the selection in code points or UTF-16 units, or when the source's
/// text (`squashed_text`, whitespace squashed) holds it somewhere.
pub(crate) fn reads_as_quote(name: &str, length: Option<i64>, squashed_text: &str) -> bool {
    if cut(name).is_some_and(|c| !c.trim().is_empty()) {
        return true;
    }
    let cp = name.chars().count() as i64;
    let u16 = name.encode_utf16().count() as i64;
    if length.is_some_and(|l| l == cp || l == u16) {
        return true;
    }
    let flat = squash(name);
    flat.chars().count() >= QUOTE_EVIDENCE_CHARS && squashed_text.contains(&flat)
}

pub(crate) fn squash(s: &str) -> String {
    storyloom_text::text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn clip(s: &str) -> String {
    storyloom_text::text::one_line(&storyloom_text::text::normalize(s), 57)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_whatever_the_lengths() {
        assert!(name_fits("a  b\nc", "a b c"));
        assert!(name_fits("the canal was…", "the canal was lovely"));
        assert!(!name_fits("the canal", "the canal was lovely"));
        assert!(!name_fits("…", "anything"));
        assert!(name_fits("and then...", "and then... we left"));
        assert!(name_fits("and then...", "and then..."));
        assert_eq!(name_holds_text("line:3"), None);
    }

    #[test]
    fn quotes_are_told_from_labels() {
        let text = "we walked by the canal every single morning";
        // Cut by the producer.
        assert!(reads_as_quote("the river was…", Some(200), text));
        // As long as the selection, in code points or UTF-16 units.
        assert!(reads_as_quote("the sea", Some(7), text));
        assert!(reads_as_quote("hi 🙂", Some(5), text));
        // Somewhere in the text (whitespace squashed).
        assert!(reads_as_quote("the  canal every\nsingle", Some(3), text));
        // Labels: not in the text, or too short to tell.
        assert!(!reads_as_quote(
            "damage done by fatty foods",
            Some(219),
            text
        ));
        assert!(!reads_as_quote("canal", Some(40), text));
        assert!(!reads_as_quote("…", Some(40), text));
    }
}
