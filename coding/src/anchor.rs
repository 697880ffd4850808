//! Re-anchoring char ranges from one text version to a corrected one.

/// How many chars of context are stored on each side of an anchor.
pub const CONTEXT_CHARS: usize = 40;

/// Context stored with an anchor when it is created: up to CONTEXT_CHARS chars each side.
pub fn context_of(text: &str, start: usize, end: usize) -> (String, String) {
    let before: String = text
        .chars()
        .take(start)
        .collect::<Vec<_>>()
        .iter()
        .rev()
        .take(CONTEXT_CHARS)
        .rev()
        .collect();
    let after: String = text.chars().skip(end).take(CONTEXT_CHARS).collect();
    (before, after)
}
