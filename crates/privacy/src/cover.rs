//! What a replacement must cover: a found name without the person's titles
//! before it ("Mrs Chen" is "Chen"), and whether the hits of a pseudonym
//! map cover every word of a name that could identify someone.

use crate::fold::{fold, is_ignorable};
use crate::words;
use unicode_normalization::char::is_combining_mark;

/// `name` without the person's titles it starts with ("Sister Grace Adeyemi"
/// is "Grace Adeyemi"); the whole name when nothing would be left.
pub fn core_name(name: &str) -> &str {
    let mut rest = name.trim();
    loop {
        let Some((first, after)) = rest.split_once(char::is_whitespace) else {
            return rest;
        };
        let f = fold(first);
        if words::is_title(&f) && !words::is_place_title(&f) && !after.trim().is_empty() {
            rest = after.trim_start();
        } else {
            return rest;
        }
    }
}

/// Is every word of `name` that could identify someone inside one of the
/// char ranges `covered` (the hits of a pseudonym map)? Titles, connectors,
/// function words and the heads of place names ("Lane") may stay.
pub fn covered_by(name: &str, covered: &[(usize, usize)]) -> bool {
    let mut word = String::new();
    let mut start = 0;
    let mut ok = true;
    let mut check = |w: &str, s: usize, e: usize| {
        if w.is_empty() || covered.iter().any(|&(cs, ce)| cs <= s && e <= ce) {
            return;
        }
        let f = fold(w);
        let harmless = words::is_title(&f)
            || words::is_connector(&f)
            || words::is_function_word(&f)
            || words::is_place_head(&f)
            || words::is_org_head(&f);
        if !harmless {
            ok = false;
        }
    };
    let mut n = 0;
    for c in name.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) || is_ignorable(c) {
            if word.is_empty() {
                start = n;
            }
            word.push(c);
        } else {
            check(&word, start, n);
            word.clear();
        }
        n += 1;
    }
    check(&word, start, n);
    ok
}
