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
