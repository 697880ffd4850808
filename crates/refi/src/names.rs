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

/// Does a selection's name fit its text? Whitespace squashed; a name cut
/// with `…` (ATLAS.ti, Storyloom past 100 chars) fits the text it begins.
pub(crate) fn name_fits(name: &str, text: &str) -> bool {
    let text = squash(text);
    match name.strip_suffix('…') {
        Some(cut) => {
            let cut = squash(cut);
            !cut.is_empty() && text.starts_with(&cut)
        }
        None => squash(name) == text,
    }
}

pub(crate) fn squash(s: &str) -> String {
    storyloom_text::text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn clip(s: &str) -> String {
    let flat = squash(s);
    if flat.chars().count() <= 60 {
        flat
    } else {
        format!("{}…", flat.chars().take(57).collect::<String>())
    }
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
        assert_eq!(name_holds_text("line:3"), None);
    }
}
