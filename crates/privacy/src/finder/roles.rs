//! The finder's verdict on one word: part of a name, a title ("Mrs"), a
//! connector inside a name ("of", "upon"), the head of a place or
//! organisation name ("Lane", "Centre"), or nothing. Also the typical
//! endings of English place names.

use super::tokens::{Case, Token};
use crate::fold::fold;
use crate::words;

/// Typical endings of English place names ("Hallbrook", "Ashton").
pub(super) fn place_like(folded: &str) -> bool {
    [
        "brook", "ton", "ham", "ford", "field", "ley", "bury", "borough", "worth", "chester",
        "wick", "mouth", "thorpe", "stead", "combe", "minster", "pool", "well", "dale", "bridge",
        "ington", "by", "hurst", "wood", "gate", "shaw", "den",
    ]
    .iter()
    .any(|e| folded.len() > e.len() + 2 && folded.ends_with(e))
}

/// The finder's verdict on one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Name,
    Title,
    Connector,
    Head,
    None,
}

pub(super) fn role(t: &Token<'_>, prev_naming: bool) -> (Role, Option<String>) {
    match t.case {
        Case::Uncased => (Role::Name, None),
        Case::Other => (Role::None, None),
        Case::Lower => {
            // Lower-case words are names only after "called" / "named".
            let f = fold(t.word);
            if words::is_connector(&f) {
                (Role::Connector, Some(f))
            } else if prev_naming && !words::is_common(&f) && !words::is_function_word(&f) {
                (Role::Name, Some(f))
            } else {
                (Role::None, Some(f))
            }
        }
        Case::Upper => {
            let f = fold(t.word);
            if words::is_title(&f) {
                return (Role::Title, Some(f));
            }
            if words::is_function_word(&f)
                || words::is_conventional_capital(t.word)
                || words::is_dialect(&f)
            {
                return (Role::None, Some(f));
            }
            // Contractions: "She'd", "We've", "You'll".
            if let Some((base, end)) = f.split_once('\'')
                && matches!(end, "d" | "ll" | "ve" | "re" | "m" | "t" | "s")
                && (words::is_function_word(base) || words::is_common(&f))
            {
                return (Role::None, Some(f));
            }
            let all_caps = t.word.chars().filter(|c| c.is_alphabetic()).count() > 1
                && !t.word.chars().any(char::is_lowercase);
            if all_caps && words::is_common(&f) {
                return (Role::None, Some(f));
            }
            let head = words::is_place_head(&f) || words::is_org_head(&f);
            let name = !t.sentence_start
                || prev_naming
                || !words::is_common(&f)
                || words::is_name_that_is_a_word(t.word);
            if name {
                (Role::Name, Some(f))
            } else if head {
                (Role::Head, Some(f))
            } else {
                (Role::None, Some(f))
            }
        }
    }
}
