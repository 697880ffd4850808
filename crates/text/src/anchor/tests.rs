//! Acceptance tests for re-anchoring (the cases of the issue).

use super::*;

const TRANSCRIPT: &str = "\
Interviewer: Thank you for talking with me today. Could you start by telling me where you grew up?

Margaret: I grew up in a fishing village outside Whitby. My father worked the boats and my mother took in washing.  There were seven of us, so the house was never quiet.

Interviewer: What do you remember about school?

Margaret: I loved school. Miss Abbott taught us to read from old newspapers because there were never enough books. I don't know how she managed it, honestly.

Interviewer: And when did you leave the village?

Margaret: In 1962, when I married Tom. We moved to Leeds for his work at the mill. I was so lonely in those first months. I didn't know a soul, and the city was so loud after the sea.

Interviewer: How did you cope with that?

Margaret: I started going to the chapel on Sunday. The women there took me under their wing. Mrs Okafor brought me soup when I was ill, and we had nothing but each other in those years.

Interviewer: Did you ever think of going back?

Margaret: Every single day. I don't know why we stayed, really. Tom used to say \"mustn't grumble\" and he
was right about the money, I suppose.

Interviewer: What changed for you later on?

Margaret: When the children came, everything changed. I had no time to be lonely any more. We recieved a letter from my sister every week, and the house was full again, like when I was a girl.

Interviewer: Looking back, what are you most proud of?

Margaret: That I kept going.  People think a quiet life is an easy one, but it isn't. You have to choose it every morning.

Interviewer: Is there anything you'd like to add?

Margaret: Only that I miss Tom. I don't know what he'd make of all this fuss.
";

const VILLAGE: &str = "I grew up in a fishing village outside Whitby";
const SCHOOL: &str = "I don't know how she managed it";
const LONELY: &str = "I was so lonely in those first months";
const SOUL: &str = "I didn't know a soul, and the city was so loud after the sea.";
const WING: &str = "The women there took me under their wing.";
const NOTHING: &str = "we had nothing but each other";
const STAYED: &str = "I don't know why we stayed, really.";
const GRUMBLE: &str = "Tom used to say \"mustn't grumble\" and he\nwas right about the money";
const CHILDREN: &str = "When the children came, everything changed.";
const LETTER: &str = "We recieved a letter from my sister every week";
const PROUD: &str = "That I kept going.  People think a quiet life is an easy one";
const MISS: &str = "Only that I miss Tom.";
const IDK: &str = "I don't know";

/// Every coding of the transcript, as (quote, occurrence).
const CODINGS: &[(&str, usize)] = &[
    (VILLAGE, 0),
    (SCHOOL, 0),
    (LONELY, 0),
    (SOUL, 0),
    (WING, 0),
    (NOTHING, 0),
    (STAYED, 0),
    (GRUMBLE, 0),
    (CHILDREN, 0),
    (LETTER, 0),
    (PROUD, 0),
    (MISS, 0),
    (IDK, 2),
];

/// Char offset of the `nth` occurrence of `needle`.
fn at(text: &str, needle: &str, nth: usize) -> usize {
    let b = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
        .0;
    text[..b].chars().count()
}

fn anchor_nth(text: &str, quote: &str, nth: usize) -> Anchor {
    let s = at(text, quote, nth);
    let a = Anchor::capture(text, s, s + quote.chars().count());
    assert_eq!(a.quote, quote);
    a
}

fn anchor(text: &str, quote: &str) -> Anchor {
    anchor_nth(text, quote, 0)
}

fn chars(text: &str, s: usize, e: usize) -> String {
    text.chars().skip(s).take(e.saturating_sub(s)).collect()
}

/// Replaces the single occurrence of `from`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

fn certain(r: &Reanchorer, new: &str, a: &Anchor) -> (usize, usize) {
    match r.place(a) {
        Placement::Certain { start, end } => {
            assert_eq!(chars(new, start, end), a.quote);
            (start, end)
        }
        other => panic!("{:?} should be certain, got {other:?}", a.quote),
    }
}

/// Asserts the anchor is certain at the `nth` occurrence of its quote.
fn certain_at(r: &Reanchorer, new: &str, a: &Anchor, nth: usize) {
    let s = at(new, &a.quote, nth);
    assert_eq!(
        certain(r, new, a),
        (s, s + a.quote.chars().count()),
        "{:?}",
        a.quote
    );
}

fn uncertain(r: &Reanchorer, a: &Anchor) -> (Option<(usize, usize)>, String) {
    match r.place(a) {
        Placement::Uncertain { proposal, reason } => (proposal, reason),
        other => panic!("{:?} should be uncertain, got {other:?}", a.quote),
    }
}

/// The proposal's text.
fn proposed(r: &Reanchorer, new: &str, a: &Anchor) -> (String, String) {
    let (p, reason) = uncertain(r, a);
    let (s, e) = p.unwrap_or_else(|| panic!("{:?}: no proposal ({reason})", a.quote));
    (chars(new, s, e), reason)
}

/// Asserts every coding except `except` is certain at the same occurrence.
fn others_certain(r: &Reanchorer, old: &str, new: &str, except: &[&str]) {
    for &(q, nth) in CODINGS {
        if !except.contains(&q) {
            certain_at(r, new, &anchor_nth(old, q, nth), nth);
        }
    }
}

#[test]
fn identical_texts_keep_every_anchor() {
    let r = Reanchorer::new(TRANSCRIPT, TRANSCRIPT);
    for &(q, nth) in CODINGS {
        let a = anchor_nth(TRANSCRIPT, q, nth);
        assert_eq!(
            r.place(&a),
            Placement::Certain {
                start: a.start,
                end: a.end
            }
        );
    }
    let stats = r.stats();
    assert_eq!(stats.changed_regions, 0);
    assert_eq!(stats.unchanged_chars, TRANSCRIPT.chars().count());
    assert_eq!(stats.unchanged_fraction(), 1.0);
    for p in [0, 1, 100, TRANSCRIPT.chars().count()] {
        assert_eq!(r.map_point(p), Some(p));
    }
}

#[test]
fn insert_before_a_coding() {
    let new = edit(
        TRANSCRIPT,
        "when I married Tom.",
        "when I married Tom, the eldest of the Hartley boys.",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    others_certain(&r, TRANSCRIPT, &new, &[]);
    let a = anchor(TRANSCRIPT, LONELY);
    let shift = ", the eldest of the Hartley boys".len();
    assert_eq!(
        r.place(&a),
        Placement::Certain {
            start: a.start + shift,
            end: a.end + shift
        }
    );
    let v = anchor(TRANSCRIPT, VILLAGE);
    assert_eq!(certain(&r, &new, &v), (v.start, v.end));
}

#[test]
fn insert_inside_a_coding_proposes_the_edited_passage() {
    let new = edit(TRANSCRIPT, "I was so lonely in", "I was so very lonely in");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, LONELY));
    assert_eq!(text, "I was so very lonely in those first months");
    assert!(reason.contains("edited"), "{reason}");
    assert!(
        reason.contains("'I was so very lonely in those first months'"),
        "{reason}"
    );
    others_certain(&r, TRANSCRIPT, &new, &[LONELY]);
}

#[test]
fn delete_before_a_coding() {
    let cut = "My father worked the boats and my mother took in washing.  ";
    let new = edit(TRANSCRIPT, cut, "");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    others_certain(&r, TRANSCRIPT, &new, &[]);
    let a = anchor(TRANSCRIPT, SOUL);
    let n = cut.chars().count();
    assert_eq!(certain(&r, &new, &a), (a.start - n, a.end - n));
}

#[test]
fn delete_inside_a_coding() {
    let new = edit(TRANSCRIPT, "the city was so loud", "the city was loud");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, SOUL));
    assert_eq!(
        text,
        "I didn't know a soul, and the city was loud after the sea."
    );
    assert!(reason.contains("edited"), "{reason}");
    others_certain(&r, TRANSCRIPT, &new, &[SOUL]);
}

#[test]
fn edit_across_the_start_boundary() {
    // ". I was" straddles the start of the coding.
    let new = edit(
        TRANSCRIPT,
        "at the mill. I was so lonely",
        "at the mill, where we were so lonely",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, LONELY));
    assert_eq!(text, "we were so lonely in those first months");
    assert!(reason.contains("edited"), "{reason}");
    others_certain(&r, TRANSCRIPT, &new, &[LONELY]);
}

#[test]
fn edit_across_the_end_boundary() {
    // "each other in" straddles the end of the coding.
    let new = edit(
        TRANSCRIPT,
        "but each other in those years",
        "but one another through those years",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, NOTHING));
    assert_eq!(text, "we had nothing but one another");
    assert!(reason.contains("edited"), "{reason}");
    others_certain(&r, TRANSCRIPT, &new, &[NOTHING]);
}

#[test]
fn insertion_adjacent_at_the_start_stays_out_of_the_coding() {
    let new = edit(TRANSCRIPT, "mill. I was so", "mill. Honestly, I was so");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    certain_at(&r, &new, &anchor(TRANSCRIPT, LONELY), 0);
    others_certain(&r, TRANSCRIPT, &new, &[]);
    // Also when the inserted text directly precedes the first coded char.
    let new = edit(TRANSCRIPT, "Tom. We moved", "Tom.We moved");
    let new = edit(&new, "mill. I was so", "mill.(sighs) I was so");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    certain_at(&r, &new, &anchor(TRANSCRIPT, LONELY), 0);
}

#[test]
fn insertion_adjacent_at_the_end_stays_out_of_the_coding() {
    let new = edit(
        TRANSCRIPT,
        "first months. I didn't",
        "first months and frightened. I didn't",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    certain_at(&r, &new, &anchor(TRANSCRIPT, LONELY), 0);
    others_certain(&r, TRANSCRIPT, &new, &[]);
    // The coding ends with "." and the new text continues right after it.
    let new = edit(
        TRANSCRIPT,
        "under their wing. Mrs",
        "under their wing.\" Mrs",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    certain_at(&r, &new, &anchor(TRANSCRIPT, WING), 0);
}

#[test]
fn a_word_glued_onto_a_coding_is_not_certain() {
    let new = edit(TRANSCRIPT, "each other in", "each others in");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, NOTHING));
    assert_eq!(text, "we had nothing but each others");
    assert!(reason.contains("edited"), "{reason}");
}

#[test]
fn coding_around_an_edit() {
    let new = edit(TRANSCRIPT, "a fishing village", "a mining village");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, VILLAGE));
    assert_eq!(text, "I grew up in a mining village outside Whitby");
    assert_eq!(
        reason,
        "the coded words were edited: 'I grew up in a fishing village outside Whitby' is now 'I grew up in a mining village outside Whitby'"
    );
    others_certain(&r, TRANSCRIPT, &new, &[VILLAGE]);
}

#[test]
fn typo_fixed_inside_a_coding() {
    let new = edit(TRANSCRIPT, "recieved", "received");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, LETTER));
    assert_eq!(text, "We received a letter from my sister every week");
    assert!(
        reason.contains("recieved") && reason.contains("received"),
        "{reason}"
    );
    others_certain(&r, TRANSCRIPT, &new, &[LETTER]);
}

#[test]
fn rewritten_paragraph() {
    let old_par = "I started going to the chapel on Sunday. The women there took me under their wing. Mrs Okafor brought me soup when I was ill, and we had nothing but each other in those years.";
    let new_par = "Chapel saved me, if I'm honest. Those ladies looked after me like family, and Mrs Okafor came round with soup whenever I was poorly.";
    let new = edit(TRANSCRIPT, old_par, new_par);
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let lo = at(&new, new_par, 0);
    let hi = lo + new_par.chars().count();
    for q in [WING, NOTHING] {
        let (proposal, reason) = uncertain(&r, &anchor(TRANSCRIPT, q));
        assert!(!reason.is_empty());
        if let Some((s, e)) = proposal {
            assert!(
                lo <= s && s < e && e <= hi,
                "{q:?} proposed {s}..{e} outside {lo}..{hi}"
            );
        }
    }
    others_certain(&r, TRANSCRIPT, &new, &[WING, NOTHING]);
}

#[test]
fn deleted_passage_has_no_proposal() {
    let turn = "Interviewer: Looking back, what are you most proud of?\n\nMargaret: That I kept going.  People think a quiet life is an easy one, but it isn't. You have to choose it every morning.\n\n";
    let new = edit(TRANSCRIPT, turn, "");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (proposal, reason) = uncertain(&r, &anchor(TRANSCRIPT, PROUD));
    assert_eq!(proposal, None);
    assert!(
        reason.starts_with("the coded passage was deleted"),
        "{reason}"
    );
    others_certain(&r, TRANSCRIPT, &new, &[PROUD]);
}

#[test]
fn deleted_quote_does_not_jump_to_the_same_words_elsewhere() {
    let new = edit(
        TRANSCRIPT,
        " I don't know what he'd make of all this fuss.",
        "",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    let (proposal, reason) = uncertain(&r, &anchor_nth(TRANSCRIPT, IDK, 2));
    assert_eq!(proposal, None);
    assert!(reason.contains("deleted"), "{reason}");
    assert!(reason.contains("2 times elsewhere"), "{reason}");
    // The other two are where they were.
    for nth in 0..2 {
        certain_at(&r, &new, &anchor_nth(TRANSCRIPT, IDK, nth), nth);
    }
}

#[test]
fn duplicate_quote_with_stale_offsets_is_decided_by_context() {
    let mut a = anchor_nth(TRANSCRIPT, IDK, 1);
    a.start += 7;
    a.end += 7;
    let new = edit(TRANSCRIPT, "Every single day.", "Every single day, love.");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    certain_at(&r, &new, &a, 1);
    // Without context nothing decides between the three.
    a.context_before.clear();
    a.context_after.clear();
    let (proposal, reason) = uncertain(&r, &a);
    assert_eq!(
        reason,
        "the quote occurs 3 times and the context does not decide"
    );
    let (s, e) = proposal.unwrap();
    assert_eq!(chars(&new, s, e), IDK);
}

#[test]
fn moved_turn_keeps_its_codings_despite_duplicates() {
    let turn = "Interviewer: Did you ever think of going back?\n\nMargaret: Every single day. I don't know why we stayed, really. Tom used to say \"mustn't grumble\" and he\nwas right about the money, I suppose.\n\n";
    let mut new = edit(TRANSCRIPT, turn, "");
    new.push('\n');
    new.push_str(turn.trim_end());
    new.push('\n');
    // And a new "I don't know" with other surroundings.
    let new = edit(
        &new,
        "Is there anything you'd like to add?",
        "Is there anything you'd like to add? I don't know if we covered it all.",
    );
    let r = Reanchorer::new(TRANSCRIPT, &new);
    // In the new text: school, the added question, the last turn, the moved turn.
    certain_at(&r, &new, &anchor_nth(TRANSCRIPT, IDK, 1), 3);
    certain_at(&r, &new, &anchor_nth(TRANSCRIPT, IDK, 0), 0);
    certain_at(&r, &new, &anchor_nth(TRANSCRIPT, IDK, 2), 2);
    certain_at(&r, &new, &anchor(TRANSCRIPT, STAYED), 0);
    certain_at(&r, &new, &anchor(TRANSCRIPT, GRUMBLE), 0);
}

#[test]
fn speaker_labels_renamed() {
    let new = TRANSCRIPT
        .replace("Interviewer:", "Q:")
        .replace("Margaret:", "MARGARET HILL:");
    let r = Reanchorer::new(TRANSCRIPT, &new);
    others_certain(&r, TRANSCRIPT, &new, &[]);
    let (text, reason) = proposed(
        &r,
        &new,
        &anchor(TRANSCRIPT, "Margaret: Only that I miss Tom."),
    );
    assert_eq!(text, "MARGARET HILL: Only that I miss Tom.");
    assert!(reason.contains("edited"), "{reason}");
}

/// The transcript as a second typist would enter it.
fn retype(text: &str) -> String {
    let mut out = String::new();
    let mut open = true;
    for c in text.replace("  ", " ").chars() {
        match c {
            '"' => {
                out.push(if open { '“' } else { '”' });
                open = !open;
            }
            '\'' => out.push('’'),
            _ => out.push(c),
        }
    }
    out.replace("\n\n", "\n")
        .replace("and he\nwas", "and he was")
        .replace("recieved", "received")
        .replace("old newspapers", "old newspaper")
}

#[test]
fn retyped_transcript() {
    let new = retype(TRANSCRIPT);
    let r = Reanchorer::new(TRANSCRIPT, &new);
    for q in [VILLAGE, LONELY, WING, NOTHING, CHILDREN, MISS] {
        certain_at(&r, &new, &anchor(TRANSCRIPT, q), 0);
    }
    let only_format = [
        (SCHOOL, "I don’t know how she managed it"),
        (
            SOUL,
            "I didn’t know a soul, and the city was so loud after the sea.",
        ),
        (STAYED, "I don’t know why we stayed, really."),
        (
            GRUMBLE,
            "Tom used to say “mustn’t grumble” and he was right about the money",
        ),
        (
            PROUD,
            "That I kept going. People think a quiet life is an easy one",
        ),
    ];
    for (q, now) in only_format {
        let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, q));
        assert_eq!(text, now);
        assert!(
            reason.starts_with("only spacing, punctuation or capitals"),
            "{reason}"
        );
    }
    let (text, reason) = proposed(&r, &new, &anchor(TRANSCRIPT, LETTER));
    assert_eq!(text, "We received a letter from my sister every week");
    assert!(reason.contains("edited"), "{reason}");
    let (text, _) = proposed(&r, &new, &anchor_nth(TRANSCRIPT, IDK, 2));
    assert_eq!(text, "I don’t know");
    let stats = r.stats();
    assert!(!stats.timed_out);
    assert!(stats.unchanged_fraction() > 0.9, "{stats}");
}

const ZOE: &str = "Interviewer: Zoë, tell me about the café.\n\nZoë: Oh, “Le Petit Château” 🙂 was everything to me. We served crème brûlée every day — Renée made it.\n\nInterviewer: And after it closed?\n\nZoë: I cried for a week 😢. Then I opened my own place in Montréal.";

#[test]
fn non_ascii_offsets_are_chars() {
    let new = format!("🎉🎉 {ZOE}")
        .replace("Oh, “Le", "Ah, oui — “Le")
        .replace("crème brûlée", "crèmes brûlées")
        .replace("a week 😢.", "a week 😢 (sniffs).");
    let r = Reanchorer::new(ZOE, &new);
    for q in [
        "“Le Petit Château” 🙂 was everything to me",
        "Renée made it.",
        "I cried for a week 😢",
        "Montréal",
        "Zoë",
    ] {
        certain_at(&r, &new, &anchor(ZOE, q), 0);
    }
    let (text, reason) = proposed(&r, &new, &anchor(ZOE, "We served crème brûlée every day"));
    assert_eq!(text, "We served crèmes brûlées every day");
    assert!(reason.contains("crèmes brûlées"), "{reason}");
    // A coding that is just the emoji, with text typed right after it.
    certain_at(&r, &new, &anchor(ZOE, "😢"), 0);
    assert_eq!(r.map_point(0), Some(3));
    assert_eq!(r.map_point(ZOE.chars().count()), Some(new.chars().count()));
}

#[test]
fn context_of_clamps_and_counts_chars() {
    let (b, a) = context_of(ZOE, 0, 12);
    assert_eq!(b, "");
    assert_eq!(a, " Zoë, tell me about the café.\n\nZoë: Oh, ");
    assert_eq!(a.chars().count(), CONTEXT_CHARS);
    let n = ZOE.chars().count();
    let (b, a) = context_of(ZOE, n - 9, n);
    assert_eq!(a, "");
    assert_eq!(b.chars().count(), CONTEXT_CHARS);
    assert!(b.ends_with("own place in "));
    assert_eq!(context_of(ZOE, 5, 2), context_of(ZOE, 2, 5));
    assert_eq!(context_of("", 3, 9), (String::new(), String::new()));
    assert_eq!(
        context_of("abc", usize::MAX, usize::MAX),
        ("abc".into(), String::new())
    );
    let cap = Anchor::capture("héllo wörld", 6, 99);
    assert_eq!((cap.start, cap.end, cap.quote.as_str()), (6, 11, "wörld"));
    assert_eq!(cap.context_before, "héllo ");
}

#[test]
fn reanchorer_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Reanchorer>();
}

#[test]
fn map_point_and_stats() {
    let r = Reanchorer::new("abc def ghi", "abc XYZ def gh!");
    assert_eq!(r.map_point(0), Some(0));
    assert_eq!(
        r.map_point(4),
        Some(8),
        "an insertion before 'def' stays before it"
    );
    assert_eq!(r.map_point(3), Some(3));
    assert_eq!(r.map_point(9), None, "inside the changed word");
    assert_eq!(r.map_point(8), Some(12), "edge of unchanged text");
    assert_eq!(r.map_point(12), None);
    let s = r.stats();
    assert_eq!((s.old_chars, s.new_chars), (11, 15));
    assert_eq!(s.changed_regions, 2);
    assert_eq!(s.unchanged_chars, 8);
    assert_eq!((s.deleted_chars, s.inserted_chars), (3, 7));
    assert_eq!(
        s.to_string(),
        "3 chars deleted and 7 inserted in 2 places; 53.3% unchanged"
    );
}

#[test]
fn malformed_anchors_and_empty_texts_never_panic() {
    let n = TRANSCRIPT.chars().count();
    let good = anchor(TRANSCRIPT, LONELY);
    let mut anchors = vec![
        Anchor::capture(TRANSCRIPT, 0, 0),
        Anchor::capture(TRANSCRIPT, n, n),
        Anchor::capture(TRANSCRIPT, 0, n),
        Anchor {
            start: usize::MAX,
            end: usize::MAX,
            ..good.clone()
        },
        Anchor {
            start: good.end,
            end: good.start,
            ..good.clone()
        },
        Anchor {
            start: 3,
            end: 2,
            quote: String::new(),
            context_before: "x".repeat(500),
            context_after: String::new(),
        },
        Anchor {
            quote: "words that were never there".into(),
            ..good.clone()
        },
        Anchor {
            start: usize::MAX - 1,
            end: 0,
            quote: "🙂é".into(),
            context_before: "é".into(),
            context_after: "🙂".into(),
        },
    ];
    anchors.push(Anchor {
        start: 2,
        end: usize::MAX,
        ..good.clone()
    });
    let texts = ["", "a", "é🙂", TRANSCRIPT, ZOE];
    for old in texts {
        for new in texts {
            let r = Reanchorer::new(old, new);
            let _ = r.stats().to_string();
            for p in [0, 1, 2, n, usize::MAX] {
                if let Some(q) = r.map_point(p) {
                    assert!(q <= new.chars().count());
                }
            }
            for a in &anchors {
                check_sound(&r, new, a);
            }
        }
    }
    // Stale offsets with a quote that occurs once: the quote wins.
    let r = Reanchorer::new(TRANSCRIPT, TRANSCRIPT);
    for (s, e) in [(usize::MAX, usize::MAX), (good.end, good.start), (0, 3)] {
        let a = Anchor {
            start: s,
            end: e,
            ..good.clone()
        };
        assert_eq!(
            r.place(&a),
            Placement::Certain {
                start: good.start,
                end: good.end
            }
        );
    }
    // Everything deleted.
    let r = Reanchorer::new(TRANSCRIPT, "");
    let (proposal, reason) = uncertain(&r, &good);
    assert_eq!(proposal, None);
    assert!(reason.contains("deleted"), "{reason}");
}

/// A certain placement reads as the quote; a proposal lies in the text.
fn check_sound(r: &Reanchorer, new: &str, a: &Anchor) -> Placement {
    let placement = r.place(a);
    let n = new.chars().count();
    match &placement {
        Placement::Certain { start, end } => {
            assert!(start <= end && *end <= n, "{a:?} -> {placement:?}");
            assert_eq!(chars(new, *start, *end), a.quote, "{a:?}");
        }
        Placement::Uncertain { proposal, reason } => {
            assert!(!reason.is_empty());
            if let Some((s, e)) = proposal {
                assert!(s <= e && *e <= n, "{a:?} -> {placement:?}");
            }
        }
    }
    placement
}

/// xorshift64*: small, deterministic, no crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Random edits at random places (a deterministic PRNG) on random anchors.
///
/// * Nothing panics; a certain placement always reads as the quote; a
///   proposal always lies inside the new text.
/// * An anchor whose own words were not touched (nor the word it begins or
///   ends inside) and whose ends still fall at the same kind of word boundary
///   is never lost: it is certain, or uncertain with a proposal at exactly
///   its new place.
/// * When, in addition, the text within [`NEAR`] chars of it is untouched, it
///   is always certain. (With its neighbourhood edited, a two-letter word the
///   diff gave to a deleted twin is honestly only a proposal.)
#[test]
fn random_edits_never_lose_untouched_anchors() {
    const SNIPPETS: &[&str] = &[
        "very ",
        "é",
        "🙂",
        " ",
        "\n",
        "ha",
        ", well,",
        "“",
        "Tom ",
        "I don't know ",
        "x",
        "—",
        "  ",
        "Margaret: ",
        ".",
    ];
    const NEAR: usize = 12;
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut untouched, mut certain, mut strict) = (0, 0, 0);
    for round in 0..ROUNDS {
        let base = if round % 3 == 0 { ZOE } else { TRANSCRIPT };
        let old: Vec<char> = base.chars().collect();
        let n = old.len();
        // Anchors: whole words mostly, arbitrary char ranges sometimes.
        let word_starts: Vec<usize> = (0..n)
            .filter(|&i| is_word(old[i]) && (i == 0 || !is_word(old[i - 1])))
            .collect();
        let mut ranges = Vec::new();
        for _ in 0..25 {
            if rng.below(4) == 0 {
                let s = rng.below(n);
                ranges.push((s, (s + 1 + rng.below(30)).min(n)));
            } else {
                let w = rng.below(word_starts.len());
                let last = (w + rng.below(8)).min(word_starts.len() - 1);
                let mut e = word_starts[last];
                while e < n && is_word(old[e]) {
                    e += 1;
                }
                ranges.push((word_starts[w], e));
            }
        }
        // Track where each range goes and whether an edit touched it. A range
        // that begins or ends inside a word codes part of that word, so an
        // edit anywhere in that word touches it too.
        let mut tracked: Vec<[usize; 4]> = ranges
            .iter()
            .map(|&(s, e)| {
                let (mut ws, mut we) = (s, e);
                while ws > 0 && ws < n && is_word(old[ws - 1]) && is_word(old[ws]) {
                    ws -= 1;
                }
                while we > 0 && we < n && is_word(old[we - 1]) && is_word(old[we]) {
                    we += 1;
                }
                [s, e, ws, we]
            })
            .collect();
        let mut touched = vec![false; ranges.len()];
        let mut near = vec![false; ranges.len()];
        let mut text = old.clone();
        for _ in 0..1 + rng.below(6) {
            let pos = rng.below(text.len() + 1);
            let del = match rng.below(3) {
                0 => 0,
                _ => rng.below(12).min(text.len() - pos),
            };
            let ins: Vec<char> = if del > 0 && rng.below(2) == 0 {
                Vec::new()
            } else {
                SNIPPETS[rng.below(SNIPPETS.len())].chars().collect()
            };
            text.splice(pos..pos + del, ins.iter().copied());
            for ((t, hit), close) in tracked.iter_mut().zip(&mut touched).zip(&mut near) {
                let [s, e, ws, we] = *t;
                let touch_del = del > 0
                    && ((pos < we && pos + del > ws)
                        || (ws < s && pos + del == ws)
                        || (we > e && pos == we));
                let touch_ins = !ins.is_empty()
                    && ((ws < pos && pos < we) || (ws < s && pos == ws) || (we > e && pos == we));
                if pos <= we + NEAR && pos + del + NEAR >= ws {
                    *close = true;
                }
                if touch_del || touch_ins {
                    *hit = true;
                } else if pos + del <= ws {
                    for x in t.iter_mut() {
                        *x = *x + ins.len() - del;
                    }
                }
            }
        }
        let new: String = text.iter().collect();
        let new_text = Text::new(&new);
        let old_text = Text::new(base);
        let r = Reanchorer::new(base, &new);
        for (i, &(s, e)) in ranges.iter().enumerate() {
            let a = Anchor::capture(base, s, e);
            let placement = check_sound(&r, &new, &a);
            // A "coding" of nothing but spaces or punctuation has no words to follow.
            if touched[i] || !a.quote.chars().any(is_word) {
                continue;
            }
            let [ns, ne, ..] = tracked[i];
            assert_eq!(text[ns..ne], old[s..e], "tracking is wrong");
            if old_text.mid_word(s) != new_text.mid_word(ns)
                || old_text.mid_word(e) != new_text.mid_word(ne)
            {
                continue;
            }
            untouched += 1;
            let context = || {
                format!(
                    "round {round}: {:?} at {s}..{e} -> {ns}..{ne}: {placement:?}\n{new}",
                    a.quote
                )
            };
            match &placement {
                Placement::Certain { start, .. } => {
                    certain += 1;
                    // Elsewhere only within a run of repeated words.
                    assert!(start.abs_diff(ns) <= CONTEXT_CHARS, "{}", context());
                }
                Placement::Uncertain { proposal, .. } => {
                    assert_eq!(*proposal, Some((ns, ne)), "{}", context());
                    assert!(near[i], "{}", context());
                }
            }
            strict += usize::from(!near[i]);
        }
    }
    assert!(
        strict > 1000 && untouched > 2000,
        "only {strict}/{untouched} anchors checked"
    );
    assert!(
        certain * 100 >= untouched * 97,
        "only {certain} of {untouched} untouched anchors certain"
    );
}

/// Rounds of the random-edit test.
const ROUNDS: usize = 1500;

/// Sentence boundaries (char offsets after ". " / "? " / line breaks).
fn sentence_starts(text: &[char]) -> Vec<usize> {
    let mut v = vec![0];
    for i in 1..text.len() {
        let p = text[i - 1];
        let after_stop = p == ' ' && i >= 2 && matches!(text[i - 2], '.' | '?' | '!');
        if (after_stop || p == '\n') && !text[i].is_whitespace() {
            v.push(i);
        }
    }
    v
}

/// Sentences moved, duplicated and deleted, words replaced: placements stay
/// sound, and anchors away from every edit stay certain at their place.
/// Anchors inside a moved sentence, away from its ends, are never lost.
#[test]
fn random_structural_edits() {
    const WORDS: &[&str] = &["lonely", "Tom", "the", "I", "sea", "Leeds", "very", "know"];
    let mut rng = Rng(0xFEED_FACE_0000_0042);
    let (mut far, mut moved, mut moved_certain) = (0, 0, 0);
    for round in 0..ROUNDS / 3 {
        let base = if round % 4 == 0 { ZOE } else { TRANSCRIPT };
        let old: Vec<char> = base.chars().collect();
        let n = old.len();
        let starts = sentence_starts(&old);
        let word_starts: Vec<usize> = (0..n)
            .filter(|&i| is_word(old[i]) && (i == 0 || !is_word(old[i - 1])))
            .collect();
        let ranges: Vec<(usize, usize)> = (0..25)
            .map(|_| {
                let w = rng.below(word_starts.len());
                let last = (w + rng.below(6)).min(word_starts.len() - 1);
                let mut e = word_starts[last];
                while e < n && is_word(old[e]) {
                    e += 1;
                }
                (word_starts[w], e)
            })
            .collect();
        // One structural edit on the old text, described as: old text with
        // `cut` removed and `ins` inserted at old position `at`.
        let k = rng.below(starts.len() - 1);
        let (a, b) = (starts[k], starts[k + 1]);
        let kind = rng.below(4);
        let (cut, at, ins): (Range<usize>, usize, Vec<char>) = match kind {
            // move sentence k before another sentence
            0 => {
                let mut c = starts[rng.below(starts.len())];
                if (a..=b).contains(&c) {
                    c = if a > 0 { 0 } else { n };
                }
                (a..b, c, old[a..b].to_vec())
            }
            // duplicate it elsewhere
            1 => (0..0, starts[rng.below(starts.len())], old[a..b].to_vec()),
            // delete it
            2 => (a..b, a, Vec::new()),
            // replace one word
            _ => {
                let w = word_starts[rng.below(word_starts.len())];
                let mut e = w;
                while e < n && is_word(old[e]) {
                    e += 1;
                }
                (w..e, w, WORDS[rng.below(WORDS.len())].chars().collect())
            }
        };
        let mut text: Vec<char> = Vec::new();
        let map_kept = |p: usize| -> usize {
            // new position of an old char outside `cut`
            let shift_cut = if p >= cut.end { cut.len() } else { 0 };
            let shift_ins = if p >= at { ins.len() } else { 0 };
            p - shift_cut + shift_ins
        };
        for (p, &c) in old.iter().enumerate() {
            if p == at {
                text.extend_from_slice(&ins);
            }
            if !cut.contains(&p) {
                text.push(c);
            }
        }
        if at == n {
            text.extend_from_slice(&ins);
        }
        let new: String = text.iter().collect();
        let r = Reanchorer::new(base, &new);
        let ins_at = map_kept(at) - ins.len();
        for &(s, e) in &ranges {
            let anchor = Anchor::capture(base, s, e);
            let placement = check_sound(&r, &new, &anchor);
            let inside_cut = cut.start <= s && e <= cut.end;
            let clear_of = |lo: usize, hi: usize| e + 12 <= lo || s >= hi + 12;
            if kind == 0 && inside_cut && s >= a + 12 && e + 12 <= b {
                // Moved with its sentence.
                moved += 1;
                let ns = ins_at + (s - a);
                let want = (ns, ns + (e - s));
                match placement {
                    Placement::Certain { start, end } => {
                        moved_certain += 1;
                        assert!(start.abs_diff(ns) <= CONTEXT_CHARS || (start, end) == want);
                    }
                    Placement::Uncertain {
                        proposal,
                        ref reason,
                    } => {
                        assert_eq!(
                            proposal,
                            Some(want),
                            "round {round}: {:?}: {reason}\n{new}",
                            anchor.quote
                        );
                    }
                }
            } else if clear_of(cut.start, cut.end)
                && clear_of(at, at)
                && !(cut.start < e && s < cut.end)
            {
                far += 1;
                let ns = map_kept(s);
                // A duplicated sentence: the copy cannot be told from the
                // original when it lands right next to it.
                let copy = (kind == 1 && a <= s && e <= b).then(|| ins_at + (s - a));
                match placement {
                    Placement::Certain { start, .. } => assert!(
                        start.abs_diff(ns) <= CONTEXT_CHARS || Some(start) == copy,
                        "round {round}: {:?} {placement:?} kind {kind} cut {cut:?} at {at} s {s} ns {ns} ins {:?}\n{new}",
                        anchor.quote,
                        ins.iter().collect::<String>()
                    ),
                    _ => panic!(
                        "round {round}: {:?} {s}..{e} -> {ns}: {placement:?}\n{new}",
                        anchor.quote
                    ),
                }
            }
        }
    }
    assert!(
        far > 1000 && moved > 20,
        "only {far} far and {moved} moved anchors checked"
    );
    assert!(
        moved_certain * 10 >= moved * 9,
        "only {moved_certain} of {moved} moved anchors certain"
    );
}
