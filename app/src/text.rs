//! Text helpers shared by the window and the command line.

pub(crate) use storyloom_project::text::one_line;

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
