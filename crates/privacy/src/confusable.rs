//! Look-alikes: a name written with letters of another script that look the
//! same ("Dаvid" with a Cyrillic "а") reads as the name to a person but is
//! not the same text. Such words are flagged, with the original they look
//! like (UTS #39 skeletons, script sets).

use crate::fold::fold;
use std::collections::HashMap;
use unicode_security::{MixedScript, skeleton};

/// A word of the text that looks like an original but is written otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disguise {
    /// Char range in the text.
    pub start: usize,
    pub end: usize,
    /// The word as written.
    pub word: String,
    /// The original it looks like.
    pub looks_like: String,
}

fn skel(s: &str) -> String {
    skeleton(&fold(s)).collect()
}

/// Words of `text` that look like a word of one of `originals` but are in
/// another script or in mixed scripts.
pub fn disguised_names<S: AsRef<str>>(text: &str, originals: &[S]) -> Vec<Disguise> {
    let mut by_skeleton: HashMap<String, (String, String)> = HashMap::new();
    for o in originals {
        for w in o.as_ref().split(|c: char| !c.is_alphanumeric()) {
            if w.chars().count() > 1 {
                by_skeleton
                    .entry(skel(w))
                    .or_insert_with(|| (w.to_owned(), fold(w)));
            }
        }
    }
    if by_skeleton.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut word = String::new();
    let check = |word: &str, start: usize, end: usize, out: &mut Vec<Disguise>| {
        // Only words with a letter outside ASCII can be disguised ASCII
        // names; names in other scripts are compared by script below.
        if word.chars().count() < 2 {
            return;
        }
        if let Some((orig, folded)) = by_skeleton.get(&skel(word)) {
            let mut scripts = word.resolve_script_set();
            scripts.intersect_with(orig.as_str().resolve_script_set());
            if fold(word) != *folded && scripts.is_empty() {
                out.push(Disguise {
                    start,
                    end,
                    word: word.to_owned(),
                    looks_like: orig.clone(),
                });
            }
        }
    };
    let mut n = 0;
    for c in text.chars() {
        if c.is_alphanumeric() || crate::fold::is_ignorable(c) {
            if word.is_empty() {
                start = n;
            }
            word.push(c);
        } else if !word.is_empty() {
            check(&word, start, n, &mut out);
            word.clear();
        }
        n += 1;
    }
    if !word.is_empty() {
        check(&word, start, n, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_look_alikes_are_flagged() {
        let d = disguised_names("then D\u{430}vid came, and David", &["David"]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].looks_like, "David");
        assert_eq!((d[0].start, d[0].end), (5, 10));
        assert!(disguised_names("AI and Al", &["Al"]).is_empty());
    }
}
