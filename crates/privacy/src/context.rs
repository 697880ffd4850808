//! A few words either side of a place in a text, on one line: how a found
//! name, a detail or a leak is shown to the researcher.

/// A few words either side of chars `start..end` of `text`, on one line.
pub fn context(text: &str, start: usize, end: usize, words_each_side: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    context_in(&chars, start, end, words_each_side)
}

/// [`context`] over a text's chars (for many contexts of one text).
pub fn context_in(chars: &[char], start: usize, end: usize, words_each_side: usize) -> String {
    let end = end.min(chars.len());
    let start = start.min(end);
    // Enough of the text either side for the words wanted.
    let reach = 24 * (words_each_side + 1);
    let before: String = chars[start.saturating_sub(reach)..start].iter().collect();
    let after: String = chars[end..(end + reach).min(chars.len())].iter().collect();
    let mut b: Vec<&str> = before
        .split_whitespace()
        .rev()
        .take(words_each_side + 1)
        .collect();
    // The word the name is glued to (no space before it) is not counted.
    if !before.ends_with(char::is_whitespace) && b.len() > words_each_side {
        b.truncate(words_each_side + 1);
    } else {
        b.truncate(words_each_side);
    }
    b.reverse();
    let mut a: Vec<&str> = after.split_whitespace().take(words_each_side + 1).collect();
    if after.starts_with(char::is_whitespace) || a.len() <= words_each_side {
        a.truncate(words_each_side);
    }
    let name: String = chars[start..end].iter().collect();
    let mut out = b.join(" ");
    if !out.is_empty() && before.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(&name);
    if after.starts_with(char::is_whitespace) && !a.is_empty() {
        out.push(' ');
    }
    out.push_str(&a.join(" "));
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
