//! Shared by the merge tests: the sample study as a common ancestor, copies
//! of it, a canonical dump to compare projects whatever their row ids, and
//! a seeded generator of coders' random actions.

#![allow(dead_code)]

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use storyloom_project::{CodingRequest, ImportOptions, Project};

/// Two transcripts of our own, which the random coders correct.
pub const OWN: &[(&str, &str)] = &[
    (
        "T01-river-walk.txt",
        "Interviewer: How did the walking group start for you?\n\
         Participant: My neighbour knocked on the door one Tuesday and said come along, \
         the river path is lovely in the morning. I had not been out properly since the winter.\n\
         Interviewer: What was the first walk like?\n\
         Participant: Slow. I was worried about my knee and about the people, to be honest. \
         But the leader waited at every gate and nobody made a fuss about the pace.\n\
         Interviewer: And now?\n\
         Participant: Now I go twice a week and I bring the flask. The walk is the reason I get up on those days.\n",
    ),
    (
        "T02-lunch-club.txt",
        "Interviewer: Tell me about the lunch club.\n\
         Participant: It is in the church hall on a Thursday. The soup is nothing special but the company is. \
         After my husband died the house was so quiet that I kept the radio on all night.\n\
         Interviewer: How did you hear about it?\n\
         Participant: The practice nurse gave me a leaflet. I kept it on the fridge for a month before I went.\n\
         Interviewer: What changed?\n\
         Participant: People ask where I was if I miss a week. That matters more than the food, I think.\n",
    ),
];

pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample-data")
}

/// The sample study plus our own transcripts, at `dir/base.storyloom`.
pub fn base_project(dir: &Path) -> PathBuf {
    let path = dir.join("base.storyloom");
    let (mut p, _) = Project::create_from_folder(&path, &sample_dir(), &mut |_, _, _| {}).unwrap();
    p.set_actor("lead");
    let mut files = Vec::new();
    for (name, text) in OWN {
        let f = dir.join(name);
        std::fs::write(&f, text).unwrap();
        files.push(f);
    }
    p.import_files(
        &files,
        &ImportOptions::default(),
        &AtomicBool::new(false),
        &mut |_, _, _| {},
    )
    .unwrap();
    path
}

/// A copy of a project file (as a colleague would get it), opened as `actor`.
pub fn copy_as(from: &Path, to: &Path, actor: &str) -> Project {
    let src = Project::open(from).unwrap();
    src.backup_to(to).unwrap();
    drop(src);
    let mut p = Project::open(to).unwrap();
    p.set_actor(actor);
    p
}

/// Every merged row by table and key, without what only says when a
/// conflict was listed.
pub fn dump(p: &Project) -> BTreeMap<String, BTreeMap<String, BTreeMap<String, Json>>> {
    let mut d = p.merge_dump().unwrap();
    if let Some(conflicts) = d.get_mut("merge_conflicts") {
        for row in conflicts.values_mut() {
            row.remove("created_at");
        }
    }
    d
}

/// Where two dumps differ, in words (empty when they are the same).
pub fn differences(
    a: &BTreeMap<String, BTreeMap<String, BTreeMap<String, Json>>>,
    b: &BTreeMap<String, BTreeMap<String, BTreeMap<String, Json>>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in a {
        let other = &b[table];
        for (k, r) in rows {
            match other.get(k) {
                None => out.push(format!("{table} {k}: only in the first")),
                Some(o) if o != r => {
                    for (c, v) in r {
                        if o.get(c) != Some(v) {
                            out.push(format!("{table} {k} {c}: {v} vs {:?}", o.get(c)));
                        }
                    }
                }
                _ => {}
            }
        }
        for k in other.keys().filter(|k| !rows.contains_key(*k)) {
            out.push(format!("{table} {k}: only in the second"));
        }
    }
    out
}

/// A small seeded generator (splitmix64): the same seed, the same actions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

const COLOURS: &[&str] = &[
    "#aa3355", "#3355aa", "#55aa33", "#886600", "#006688", "#660088",
];
const WORDS: &[(&str, &str)] = &[
    ("the ", "the very "),
    ("I ", "I really "),
    ("was ", "had been "),
    ("and ", "and then "),
    ("my ", "my own "),
];

/// One random action of `coder` on `p`; `i` makes names unique. Returns
/// what it did (for failure messages), or `None` when the action did not
/// apply (nothing to act on, or the project refused it).
pub fn random_action(p: &mut Project, rng: &mut Rng, coder: &str, i: usize) -> Option<String> {
    let roll = rng.below(100);
    let codes = p.codes().ok()?;
    let code = rng.pick(&codes).map(|c| c.uuid.clone());
    let docs = p.documents().ok()?;
    let doc = rng.pick(&docs).map(|d| d.uuid.clone());
    match roll {
        0..=29 => {
            let (code, doc) = (code?, doc?);
            let text = p.document(&doc).ok()?.text;
            let chars = text.chars().count();
            if chars < 10 {
                return None;
            }
            let start = rng.below(chars - 5);
            let end = (start + 5 + rng.below(80)).min(chars);
            let req = CodingRequest {
                code: &code,
                document: &doc,
                start,
                end,
                version: None,
            };
            p.add_coding(&req).ok().map(|u| format!("coded {u}"))
        }
        30..=36 => {
            let list = p.codings(None, None, None).ok()?;
            let c = rng.pick(&list)?.uuid.clone();
            p.remove_coding(&c)
                .ok()
                .map(|_| format!("removed coding {c}"))
        }
        37..=40 => {
            let list = p.codings(None, None, None).ok()?;
            let c = rng.pick(&list)?.clone();
            let end = c.end + rng.below(10) + 1;
            p.resize_coding(&c.uuid, c.start, end)
                .ok()
                .map(|_| format!("resized {}", c.uuid))
        }
        41..=46 => {
            let parent = if rng.below(3) == 0 { code } else { None };
            p.create_code(&format!("{coder} code {i}"), parent.as_deref(), None)
                .ok()
                .map(|u| format!("created code {u}"))
        }
        47..=52 => {
            let code = code?;
            p.rename_code(&code, &format!("{coder} renamed {i}"))
                .ok()
                .map(|_| format!("renamed {code}"))
        }
        53..=58 => {
            let code = code?;
            let colour = rng.pick(COLOURS)?;
            p.set_code_color(&code, colour)
                .ok()
                .map(|_| format!("recoloured {code}"))
        }
        59..=60 => {
            let a = code?;
            let b = rng.pick(&codes)?.uuid.clone();
            p.merge_codes(&a, &b)
                .ok()
                .map(|_| format!("merged {a} into {b}"))
        }
        61..=62 => {
            let code = code?;
            p.delete_code(&code)
                .ok()
                .map(|_| format!("deleted code {code}"))
        }
        63..=68 => {
            let target = match code {
                Some(c) if rng.below(2) == 0 => p.memo_target("code", Some(&c)).ok()?,
                _ => p.memo_target("project", None).ok()?,
            };
            p.add_memo(&target, &format!("{coder} memo {i}"), "a thought")
                .ok()
                .map(|u| format!("memo {u}"))
        }
        69..=72 => {
            let memos = p.memos(None).ok()?;
            let m = rng.pick(&memos)?.uuid.clone();
            p.edit_memo(&m, &format!("{coder} edited {i}"), &format!("body {i}"))
                .ok()
                .map(|_| format!("edited memo {m}"))
        }
        73..=74 => {
            let memos = p.memos(None).ok()?;
            let m = rng.pick(&memos)?.uuid.clone();
            p.delete_memo(&m).ok().map(|_| format!("deleted memo {m}"))
        }
        75..=79 => {
            let (name, _) = rng.pick(OWN)?;
            let stem = name.trim_end_matches(".txt");
            let current = p.document(stem).ok()?;
            let (from, to) = rng.pick(WORDS)?;
            // Rebuild the transcript as a .txt file from its turns, one word changed.
            let mut text = String::new();
            for t in &current.turns {
                text.push_str(&format!("{}: {}\n", t.speaker, t.text));
            }
            let n = text.matches(from).count();
            if n == 0 {
                return None;
            }
            let k = rng.below(n);
            let at = text.match_indices(from).nth(k)?.0;
            text.replace_range(at..at + from.len(), to);
            p.correct_document_text(stem, &text)
                .ok()
                .map(|_| format!("corrected {stem}"))
        }
        80..=84 => {
            let stories = p.stories().ok()?;
            if stories.is_empty() || rng.below(3) == 0 {
                let parts = p.participants().ok()?;
                let who = rng.pick(&parts)?.id.clone();
                p.draft_story(&who)
                    .ok()
                    .map(|u| format!("drafted story {u}"))
            } else {
                let s = rng.pick(&stories)?.uuid.clone();
                p.set_story_title(&s, &format!("{coder} title {i}"))
                    .ok()
                    .map(|_| format!("titled story {s}"))
            }
        }
        85..=89 => {
            let themes = p.themes().ok()?;
            if themes.is_empty() || rng.below(2) == 0 {
                p.create_theme(&format!("{coder} theme {i}"), "")
                    .ok()
                    .map(|u| format!("theme {u}"))
            } else {
                let t = rng.pick(&themes)?.uuid.clone();
                let code = code?;
                p.add_code_to_theme(&t, &code)
                    .ok()
                    .map(|_| format!("linked {code} to {t}"))
            }
        }
        90..=94 => {
            let list = p.codings(None, None, None).ok()?;
            let c = rng.pick(&list)?.clone();
            p.set_key_quote(&c.uuid, !c.key_quote)
                .ok()
                .map(|_| format!("key quote {}", c.uuid))
        }
        _ => p
            .undo()
            .ok()
            .flatten()
            .map(|r| format!("undid {}", r.summary)),
    }
}
