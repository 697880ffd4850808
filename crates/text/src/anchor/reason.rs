//! The words of an uncertain placement's reason: short quotes of what
//! changed, cut between words.

use super::*;

/// Whether two passages have a word in common (ignoring case).
pub(super) fn shares_a_word(a: &[char], b: &[char]) -> bool {
    let words = |t: &[char]| -> std::collections::HashSet<String> {
        t.split(|c| !is_word(*c))
            .filter(|w| !w.is_empty())
            .map(|w| w.iter().flat_map(|c| c.to_lowercase()).collect())
            .collect()
    };
    !words(a).is_disjoint(&words(b))
}

/// Shortens an excerpt for a reason (cutting between words), shows line
/// breaks, and quotes it.
pub(super) fn quoted(chars: &[char]) -> String {
    let shown: String = if chars.len() <= REASON_CHARS {
        chars.iter().collect()
    } else {
        let half = REASON_CHARS / 2;
        let mut h = half;
        while h > half / 2 && !chars[h].is_whitespace() {
            h -= 1;
        }
        let mut t = chars.len() - half;
        while t < chars.len() - half / 2 && !chars[t - 1].is_whitespace() {
            t += 1;
        }
        let head: String = chars[..h].iter().collect();
        let tail: String = chars[t..].iter().collect();
        format!("{} … {}", head.trim_end(), tail.trim_start())
    };
    format!("'{}'", shown.replace('\n', "↵"))
}

/// Start of the word `n` words left of `pos` (counting the one `pos` is in).
pub(super) fn back_words(chars: &[char], mut pos: usize, n: usize) -> usize {
    while pos > 0 && is_word(chars[pos - 1]) {
        pos -= 1;
    }
    for _ in 0..n {
        while pos > 0 && !is_word(chars[pos - 1]) {
            pos -= 1;
        }
        while pos > 0 && is_word(chars[pos - 1]) {
            pos -= 1;
        }
    }
    pos
}

/// End of the word `n` words right of `pos` (counting the one `pos` is in).
pub(super) fn fwd_words(chars: &[char], mut pos: usize, n: usize) -> usize {
    while pos < chars.len() && is_word(chars[pos]) {
        pos += 1;
    }
    for _ in 0..n {
        while pos < chars.len() && !is_word(chars[pos]) {
            pos += 1;
        }
        while pos < chars.len() && is_word(chars[pos]) {
            pos += 1;
        }
    }
    pos
}

/// "'old' is now 'new'", showing both in full when short, else the changed
/// words with one word either side.
pub(super) fn describe_change(old: &[char], new: &[char]) -> String {
    if old.len() <= REASON_CHARS && new.len() <= REASON_CHARS {
        return format!("{} is now {}", quoted(old), quoted(new));
    }
    let p = common_prefix(old, new);
    let q = common_suffix(&old[p..], &new[p..]);
    let a = back_words(old, p, 1);
    let old_end = old.len() - q;
    let tail = fwd_words(old, old_end, 1) - old_end;
    let excerpt = |text: &[char], end: usize| {
        let mut v = Vec::new();
        if a > 0 {
            v.push('…');
        }
        v.extend_from_slice(&text[a..end + tail]);
        if end + tail < text.len() {
            v.push('…');
        }
        quoted(&v)
    };
    format!(
        "{} is now {}",
        excerpt(old, old_end),
        excerpt(new, new.len() - q)
    )
}
