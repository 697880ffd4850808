//! Text helpers shared by the window and the command line.

/// The text on one line (runs of white space become one space), cut to
/// `max` chars with an ellipsis after them when it is longer.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>())
    }
}

/// The text with its first letter in upper case ("link worker" → "Link worker").
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_flattens_white_space_and_cuts_on_chars() {
        assert_eq!(one_line("  a\n\tb  c ", 10), "a b c");
        assert_eq!(one_line("Zoë café naïve", 8), "Zoë café…");
        assert_eq!(one_line("", 3), "");
    }

    #[test]
    fn capitalised_upper_cases_the_first_letter_only() {
        assert_eq!(capitalised("link worker"), "Link worker");
        assert_eq!(capitalised("ßig"), "SSig");
        assert_eq!(capitalised(""), "");
    }
}
