//! Stories end to end inside the domain: every checker rule with a passing
//! and a failing case, the render → reverse → compare round trip for every
//! edit kind, re-anchoring after a correction, undo, approval and the key file.

use crate::Project;
use crate::stories::*;

const TRANSCRIPT: &str = "Interviewer: How did you first get involved?
Doreen: Well, um, I first heard about the choir from Priya at the surgery. I didn't want to go at first. But she said I should try it, and I I went along on a Tuesday.
Interviewer: And what has changed for you?
Doreen: Now I sing every week with the Hallbrook choir. It means I am not on my own all the time. Priya helped me because she came with me the first time. I would never have gone without her.
Interviewer: Why does that matter?
Doreen: Because before, I used to sit in all day. Now I have friends. Er, that is the important thing for me.
";

struct Fixture {
    _dir: tempfile::TempDir,
    p: Project,
    doc: String,
    story: String,
}

/// Char offset of the `n`th occurrence (0-based) of `needle`.
fn at(text: &str, needle: &str, n: usize) -> usize {
    let b = text.match_indices(needle).nth(n).expect(needle).0;
    text[..b].chars().count()
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("s.storyloom")).unwrap();
    p.create_participant("P01", Some("Doreen Walsh"), Some("Dot"))
        .unwrap();
    let doc = match p
        .import_bytes("P01-doreen.txt", TRANSCRIPT.as_bytes())
        .unwrap()
    {
        crate::ImportOutcome::Imported { document, .. } => document,
        other => panic!("{other:?}"),
    };
    // The test's author checked who speaks in each turn of the transcript above.
    p.confirm_speakers(&doc, true).unwrap();
    let story = p.create_story("P01", "Now I have friends").unwrap();
    Fixture {
        _dir: dir,
        p,
        doc,
        story,
    }
}

impl Fixture {
    fn text(&self) -> String {
        self.p.document(&self.doc).unwrap().text
    }
    /// Adds the words from the `n`th `from` to the end of the `n`th `to`.
    fn excerpt(&mut self, from: &str, to: &str) -> String {
        let t = self.text();
        let s = at(&t, from, 0);
        let e = at(&t, to, 0) + to.chars().count();
        self.p
            .add_excerpt(&self.story, &self.doc, s, e, None)
            .unwrap()
    }
    fn report(&self) -> CheckReport {
        self.p.check_story(&self.story, None).unwrap()
    }
    fn rules_hit(&self) -> Vec<(u8, Severity)> {
        self.report()
            .findings
            .iter()
            .map(|f| (f.rule, f.severity))
            .collect()
    }
    fn paragraph(&self, i: usize) -> String {
        self.p.render_story(&self.story, None).unwrap().paragraphs[i].text()
    }
    /// Checks an edited copy of the story (for cases the commands refuse to make).
    fn check_edited(&self, edit: impl FnOnce(&mut Story)) -> CheckReport {
        let mut s = self.p.story(&self.story).unwrap();
        edit(&mut s);
        let sources = self.p.story_sources(&s).unwrap();
        let map = self.p.pseudonym_map(None).unwrap();
        let r = render(&s, &sources, Some(&map));
        check(&s, &sources, &r, &map, &StoryRules::default())
    }
}

fn errors(r: &CheckReport) -> Vec<String> {
    r.errors()
        .map(|f| format!("rule {}: {}", f.rule, f.message))
        .collect()
}

#[test]
fn a_plain_excerpt_renders_verbatim_and_checks_clean() {
    let mut f = fixture();
    f.excerpt("Now I sing", "all the time.");
    assert_eq!(
        f.paragraph(0),
        "Now I sing every week with the Hallbrook choir. It means I am not on my own all the time."
    );
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
}

#[test]
fn rule_1_interviewer_words_are_refused_and_caught() {
    let mut f = fixture();
    let t = f.text();
    let s = at(&t, "How did you", 0);
    let err =
        f.p.add_excerpt(&f.story, &f.doc, s, s + 10, None)
            .unwrap_err();
    assert!(err.to_string().contains("Interviewer"), "{err}");
    f.excerpt("Now I sing", "every week");
    // Pass: the storyteller's words.
    assert!(f.rules_hit().is_empty());
    // Fail: a span moved onto the interviewer's question.
    let r = f.check_edited(|s| {
        if let BlockContent::Excerpt { pieces } = &mut s.blocks[0].content {
            pieces[0].span.start = s_at(&t, "And what");
            pieces[0].span.end = s_at(&t, "And what") + 8;
        }
    });
    assert!(r.errors().any(|f| f.rule == 1), "{r:?}");
}

fn s_at(t: &str, needle: &str) -> usize {
    at(t, needle, 0)
}

#[test]
fn rule_2_words_that_differ_from_the_transcript_are_errors() {
    let mut f = fixture();
    f.excerpt("Now I have friends", "for me.");
    let story = f.p.story(&f.story).unwrap();
    let sources = f.p.story_sources(&story).unwrap();
    let map = PseudonymMap::default();
    let mut r = render(&story, &sources, Some(&map));
    assert!(
        check(&story, &sources, &r, &map, &StoryRules::default())
            .findings
            .is_empty()
    );
    // Fail: a word changed in the rendered text.
    let run = r.paragraphs[0]
        .runs
        .iter_mut()
        .find(|r| r.kind == RunKind::Source && r.text.contains("friends"))
        .unwrap();
    run.text = run.text.replace("friends", "pals");
    let rep = check(&story, &sources, &r, &map, &StoryRules::default());
    let e = errors(&rep);
    assert!(
        e.iter().any(|m| m.contains("rule 2") && m.contains("pals")),
        "{e:?}"
    );
    let f2 = rep.errors().find(|f| f.rule == 2).unwrap();
    let text = r.paragraphs[0].text();
    assert_eq!(
        text.chars()
            .skip(f2.start)
            .take(f2.end - f2.start)
            .collect::<String>(),
        "pals"
    );
}

#[test]
fn rule_3_unmarked_cuts_only_for_fillers_and_repeats() {
    let mut f = fixture();
    let b = f.excerpt("Well, um, I first", "on a Tuesday.");
    let t = f.text();
    // Pass: "um" and the repeated "I" drop unmarked.
    let um = at(&t, "um,", 0);
    f.p.drop_filler(&f.story, &b, um, um + 2).unwrap();
    let ii = at(&t, "I I went", 0);
    f.p.drop_filler(&f.story, &b, ii, ii + 1).unwrap();
    assert_eq!(
        f.paragraph(0),
        "Well, I first heard about the choir from Priya at the surgery. I didn't want to go at first. But she said I should try it, and I went along on a Tuesday."
    );
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
    // The command refuses a word that is no filler...
    let w = at(&t, "surgery", 0);
    assert!(f.p.drop_filler(&f.story, &b, w, w + 7).is_err());
    // ...and the checker catches one dropped anyway.
    let r = f.check_edited(|s| {
        if let BlockContent::Excerpt { pieces } = &mut s.blocks[0].content {
            let k = pieces.iter().position(|p| p.span.start > w).unwrap_or(1);
            let split = pieces[k - 1].clone();
            pieces[k - 1].span.end = w;
            let mut right = split;
            right.span.start = w + 7;
            right.gap = Gap::Unmarked;
            pieces.insert(k, right);
        }
    });
    assert!(
        r.errors()
            .any(|f| f.rule == 3 && f.message.contains("surgery")),
        "{r:?}"
    );
}

#[test]
fn rule_4_originals_of_the_map_never_show() {
    let mut f = fixture();
    f.excerpt("Priya helped me", "the first time.");
    // Fail: an unconfirmed entry is not applied, so the name shows.
    f.p.set_pseudonym("Priya", "Sita", PseudonymKind::Person, false)
        .unwrap();
    assert!(f.rules_hit().contains(&(4, Severity::Error)));
    // Pass: confirmed, it is replaced visibly.
    f.p.confirm_pseudonym("priya").unwrap();
    assert!(f.paragraph(0).starts_with("[Sita] helped me"));
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
    // Researcher text is covered too.
    f.p.set_story_role_line(&f.story, "a woman Priya referred")
        .unwrap();
    let r = f.p.render_story(&f.story, None).unwrap();
    assert_eq!(r.role_line, "a woman Sita referred");
    // The research view keeps the originals (and the checker would flag them).
    let research = f.p.render_story_research(&f.story).unwrap();
    assert!(research.paragraphs[0].text().starts_with("Priya helped"));
}

#[test]
fn rule_5_length_cap_and_target() {
    let f = fixture();
    let long = |n: usize| {
        f.check_edited(|s| {
            s.blocks.push(Block {
                uuid: "x".into(),
                content: BlockContent::Framing {
                    text: "word ".repeat(n),
                },
                lost_pieces: 0,
            })
        })
    };
    assert!(!long(900).findings.iter().any(|f| f.rule == 5));
    assert!(
        long(1050)
            .findings
            .iter()
            .any(|f| f.rule == 5 && f.severity == Severity::Warning)
    );
    assert!(long(1200).errors().any(|f| f.rule == 5));
}

#[test]
fn rule_6_clarifications_short_and_few() {
    let mut f = fixture();
    let b = f.excerpt("Priya helped me", "the first time.");
    let t = f.text();
    let she = at(&t, "she came", 0) + 3;
    f.p.add_clarification(&f.story, &b, she, "the link worker")
        .unwrap();
    assert_eq!(
        f.paragraph(0),
        "Priya helped me because she [the link worker] came with me the first time."
    );
    // One clarification in 14 words: more than one per 100 words.
    assert!(f.rules_hit().contains(&(6, Severity::Warning)));
    f.excerpt("Now I sing", "all the time.");
    f.excerpt("Because before", "for me.");
    f.excerpt("Well, um", "on a Tuesday.");
    f.excerpt("I would never", "without her.");
    f.p.add_framing(
        &f.story,
        "Dot joined a community choir in her seventies after a long illness.",
        None,
    )
    .unwrap();
    let hits = f.rules_hit();
    assert!(!hits.contains(&(6, Severity::Warning)), "{hits:?}");
    assert!(!f.report().has_errors(), "{:?}", f.report());
    // Too long.
    f.p.remove_clarification(&f.story, &b, she).unwrap();
    f.p.add_clarification(
        &f.story,
        &b,
        she,
        "the link worker from the surgery on the corner",
    )
    .unwrap();
    assert!(f.rules_hit().contains(&(6, Severity::Warning)));
    assert!(f.p.add_clarification(&f.story, &b, she, "[x]").is_err());
}

#[test]
fn rule_7_elisions_next_to_negations_warn() {
    let mut f = fixture();
    let b = f.excerpt("Now I sing", "all the time.");
    let t = f.text();
    // Pass: cutting "with the Hallbrook choir" is not next to a risky word.
    let s = at(&t, "with the Hallbrook", 0);
    f.p.cut_words(&f.story, &b, s, s + "with the Hallbrook choir".len())
        .unwrap();
    assert_eq!(
        f.paragraph(0),
        "Now I sing every week … It means I am not on my own all the time."
    );
    assert!(!f.rules_hit().iter().any(|r| r.0 == 7), "{:?}", f.report());
    assert!(!f.report().has_errors());
    // Fail: a cut right after "not".
    let s = at(&t, "on my own", 0);
    f.p.cut_words(&f.story, &b, s, s + "on my own".len())
        .unwrap();
    assert!(f.rules_hit().contains(&(7, Severity::Warning)));
    assert!(!f.report().has_errors(), "{:?}", f.report());
}

#[test]
fn rule_8_framing_length_and_joins_across_turns() {
    let mut f = fixture();
    f.p.add_framing(&f.story, "Dot joined a choir in her seventies.", None)
        .unwrap();
    let b = f.excerpt("I would never", "without her.");
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
    let t = f.text();
    let next = at(&t, "Because before", 0);
    let joined = |gap: Gap| {
        f.check_edited(|s| {
            if let BlockContent::Excerpt { pieces } = &mut s.blocks[1].content {
                let mut p = pieces[0].clone();
                p.span.id = None;
                p.span.start = next;
                p.span.end = next + "Because before".len();
                p.gap = gap;
                pieces.push(p);
            }
        })
    };
    // Fail: joined without a break (the interviewer's words are cut unmarked too).
    let r = joined(Gap::Join);
    assert!(r.warnings().any(|f| f.rule == 8), "{r:?}");
    // Pass: an ellipsis marks the break.
    let r = joined(Gap::Elision);
    assert!(!r.findings.iter().any(|f| f.rule == 8), "{r:?}");
    let _ = b;
    // Framing over 60 words.
    f.p.add_framing(&f.story, &"context ".repeat(61), None)
        .unwrap();
    assert!(f.rules_hit().contains(&(8, Severity::Warning)));
}

#[test]
fn rule_9_export_needs_an_unchanged_approval_and_edits_reopen() {
    let mut f = fixture();
    let b = f.excerpt("Now I have friends", "for me.");
    let blocked = f.p.check_story_for_export(&f.story, None).unwrap();
    assert!(blocked.errors().any(|x| x.rule == 9));
    f.p.record_story_sent(
        &f.story,
        consent::SendMethod::Post,
        Some("2026-03-01"),
        None,
    )
    .unwrap();
    f.p.approve_story(&f.story, "by phone", Some("2026-03-04"), None)
        .unwrap();
    let s = f.p.story(&f.story).unwrap();
    assert_eq!(s.status, StoryStatus::Approved);
    assert_eq!(s.approval.as_ref().unwrap().how, "by phone");
    assert_eq!(s.sent_on.as_deref(), Some("2026-03-01"));
    assert!(
        f.p.check_story_for_export(&f.story, None)
            .unwrap()
            .findings
            .is_empty()
    );
    // Any edit after approval: changes requested, export blocked.
    let t = f.text();
    let e = at(&t, "Er,", 0);
    f.p.drop_filler(&f.story, &b, e, e + 2).unwrap();
    let s = f.p.story(&f.story).unwrap();
    assert_eq!(s.status, StoryStatus::Changes);
    let r = f.p.check_story_for_export(&f.story, None).unwrap();
    assert!(r.errors().any(|x| x.rule == 9), "{r:?}");
    assert!(f.p.approve_story(&f.story, "", None, None).is_err());
    assert!(
        f.p.approve_story(&f.story, "email", Some("4 March"), None)
            .is_err()
    );
}

#[test]
fn every_edit_kind_round_trips_through_render_reverse_compare() {
    let mut f = fixture();
    let t = f.text();
    f.p.set_pseudonym("Hallbrook", "Northtown", PseudonymKind::Place, true)
        .unwrap();
    let b = f.excerpt("Now I sing", "without her.");
    // Elision, clarification, replacement, filler drop, map pseudonym.
    let s = at(&t, "It means", 0);
    f.p.cut_words(
        &f.story,
        &b,
        s,
        s + "It means I am not on my own all the time.".len(),
    )
    .unwrap();
    let she = at(&t, "she came", 0) + 3;
    f.p.add_clarification(&f.story, &b, she, "the link worker")
        .unwrap();
    let pr = at(&t, "Priya helped", 0);
    f.p.replace_with_pseudonym(&f.story, &b, pr, pr + 5, "her link worker")
        .unwrap();
    let b2 = f.excerpt("Because before", "for me.");
    let er = at(&t, "Er,", 0);
    f.p.drop_filler(&f.story, &b2, er, er + 2).unwrap();
    let r = f.p.render_story(&f.story, None).unwrap();
    assert_eq!(
        r.paragraphs[0].text(),
        "Now I sing every week with the [Northtown] choir. … [her link worker] helped me because she [the link worker] came with me the first time. I would never have gone without her."
    );
    assert_eq!(
        r.paragraphs[1].text(),
        "Because before, I used to sit in all day. Now I have friends. that is the important thing for me."
    );
    let kinds: Vec<RunKind> = r.paragraphs[0].runs.iter().map(|r| r.kind).collect();
    for k in [
        RunKind::Source,
        RunKind::Elision,
        RunKind::Insertion,
        RunKind::Replacement,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    let rep = f.report();
    assert!(!rep.has_errors(), "{rep:?}");
    // The editor maps a rendered position back to the transcript.
    let p0 = &r.paragraphs[0];
    let pos = p0.text().find("every").unwrap();
    assert_eq!(
        p0.to_source(pos).map(|x| x.1),
        Some(at(&t, "every week", 0))
    );
}

#[test]
fn undo_reverses_a_story_edit() {
    let mut f = fixture();
    let b = f.excerpt("Now I have friends", "for me.");
    let before = f.paragraph(0);
    let t = f.text();
    let s = at(&t, "that is", 0);
    f.p.cut_words(&f.story, &b, s, s + 7).unwrap();
    assert_ne!(f.paragraph(0), before);
    let rev = f.p.story(&f.story).unwrap().revision;
    f.p.undo().unwrap().unwrap();
    assert_eq!(f.paragraph(0), before);
    assert_eq!(f.p.story(&f.story).unwrap().revision, rev - 1);
    f.p.redo().unwrap().unwrap();
    assert_ne!(f.paragraph(0), before);
    f.p.move_block(&f.story, "1", 0).unwrap();
    f.p.delete_block(&f.story, &b).unwrap();
    assert!(f.p.story(&f.story).unwrap().blocks.is_empty());
    f.p.undo().unwrap();
    assert_eq!(f.p.story(&f.story).unwrap().blocks.len(), 1);
}

#[test]
fn a_correction_moves_the_spans_and_the_story_still_checks_clean() {
    let mut f = fixture();
    f.p.set_pseudonym("Priya", "Sita", PseudonymKind::Person, true)
        .unwrap();
    let b = f.excerpt("Now I sing", "without her.");
    let t = f.text();
    let s = at(&t, "It means", 0);
    f.p.cut_words(&f.story, &b, s, s + "It means".len())
        .unwrap();
    let before = f.paragraph(0);
    // A correction earlier in the text shifts every offset.
    let corrected = t.replace(
        "How did you first get involved?",
        "How did you first get involved with the choir?",
    );
    let rep = f.p.correct_document_text(&f.doc, &corrected).unwrap();
    assert!(rep.spans_placed >= 2, "{rep:?}");
    assert_eq!(f.paragraph(0), before);
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
    // A correction inside an excerpt: placed or in the review list, never lost.
    let corrected2 = corrected.replace("I would never have gone", "I would never ever have gone");
    let rep = f.p.correct_document_text(&f.doc, &corrected2).unwrap();
    let s = f.p.story(&f.story).unwrap();
    let n = match &s.blocks[0].content {
        BlockContent::Excerpt { pieces } => pieces.len(),
        _ => 0,
    };
    assert_eq!(n, 2);
    if rep.spans_to_review > 0 {
        assert!(
            f.p.review_items(false)
                .unwrap()
                .iter()
                .any(|r| r.kind == "story_span")
        );
        assert!(
            f.report()
                .errors()
                .any(|w| w.message.contains("review list"))
        );
    } else {
        assert!(!f.report().has_errors(), "{:?}", f.report());
    }
}

#[test]
fn a_key_kept_apart_is_needed_for_stakeholder_output() {
    let mut f = fixture();
    f.excerpt("Priya helped me", "the first time.");
    f.p.set_pseudonym("Priya", "Sita", PseudonymKind::Person, true)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.json");
    assert_eq!(f.p.export_pseudonym_key(&key, true).unwrap(), 1);
    assert!(f.p.pseudonyms().unwrap().is_empty());
    let err = f.p.render_story(&f.story, None).unwrap_err();
    assert!(err.to_string().contains("kept apart"), "{err}");
    assert!(f.report().has_errors());
    let k = PseudonymMap::read_file(&key).unwrap();
    let r = f.p.render_story(&f.story, Some(&k)).unwrap();
    assert!(r.paragraphs[0].text().starts_with("[Sita]"));
    // A different key is refused.
    let other = PseudonymMap::new(vec![]);
    assert!(f.p.render_story(&f.story, Some(&other)).is_err());
    // Loading the key brings the map back inside.
    let csv = dir.path().join("key.csv");
    k.write_file(&csv).unwrap();
    f.p.import_pseudonym_key(&csv).unwrap();
    assert!(f.p.render_story(&f.story, None).is_ok());
}

#[test]
fn suggestions_name_participants_and_recurring_names() {
    let f = fixture();
    let s = f.p.pseudonym_suggestions().unwrap();
    let names: Vec<&str> = s.iter().map(|s| s.original.as_str()).collect();
    assert!(names.contains(&"Doreen Walsh"), "{names:?}");
    assert!(names.contains(&"Doreen"), "{names:?}");
    assert!(names.contains(&"Priya"), "{names:?}");
    let d = s.iter().find(|s| s.original == "Doreen").unwrap();
    assert_eq!(d.replacement.as_deref(), Some("Dot"));
}

#[test]
fn the_draft_of_a_short_interview_is_all_of_it_and_checks_clean() {
    let mut f = fixture();
    let id = f.p.draft_story("P01").unwrap();
    let r = f.p.render_story_research(&id).unwrap();
    let rep = f.p.check_story(&id, None).unwrap();
    assert!(!rep.has_errors(), "{rep:?}");
    // Fillers are gone, unmarked; nothing else is.
    let all: String = r
        .paragraphs
        .iter()
        .map(|p| p.text())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!all.contains(" um") && !all.contains("Er,"), "{all}");
    assert!(all.contains("I I went"), "{all}");
    assert!(!all.contains("How did you"));
    assert_eq!(r.paragraphs.len(), 3);
}

#[test]
fn split_and_merge_keep_the_words_and_mark_the_join() {
    let mut f = fixture();
    let b = f.excerpt("Now I sing", "without her.");
    let t = f.text();
    let whole = f.paragraph(0);
    let at_priya = at(&t, "Priya helped", 0);
    let second = f.p.split_block(&f.story, &b, at_priya).unwrap();
    assert!(f.paragraph(1).starts_with("Priya helped"));
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
    f.p.merge_with_next(&f.story, &b).unwrap();
    // Merged back: nothing was cut, so the story reads as before.
    assert_eq!(f.paragraph(0), whole);
    assert!(f.report().findings.is_empty(), "{:?}", f.report());
    assert!(f.p.story(&f.story).unwrap().blocks.len() == 1);
    let _ = second;
    // A framing block cannot be cut like the storyteller's words.
    let fr = f.p.add_framing(&f.story, "Context.", None).unwrap();
    assert!(f.p.cut_words(&f.story, &fr, 0, 3).is_err());
    assert!(f.p.edit_framing(&f.story, &b, "rewrite").is_err());
}

#[test]
fn rule_3_an_edit_shown_without_its_mark_is_an_error() {
    let mut f = fixture();
    let b = f.excerpt("Priya helped me", "the first time.");
    let t = f.text();
    let she = at(&t, "she came", 0) + 3;
    f.p.add_clarification(&f.story, &b, she, "the link worker")
        .unwrap();
    let s = at(&t, "because", 0);
    f.p.cut_words(&f.story, &b, s, s + "because".len()).unwrap();
    let story = f.p.story(&f.story).unwrap();
    let sources = f.p.story_sources(&story).unwrap();
    let map = PseudonymMap::default();
    let rules = StoryRules::default();
    let clean = render(&story, &sources, Some(&map));
    assert!(!check(&story, &sources, &clean, &map, &rules).has_errors());
    for (kind, text) in [
        (RunKind::Insertion, " the link worker"),
        (RunKind::Elision, " "),
    ] {
        let mut r = clean.clone();
        let run = r.paragraphs[0]
            .runs
            .iter_mut()
            .find(|x| x.kind == kind)
            .unwrap();
        run.text = text.into();
        let rep = check(&story, &sources, &r, &map, &rules);
        assert!(rep.errors().any(|x| x.rule == 3), "{kind:?}: {rep:?}");
    }
}

#[test]
fn a_correction_that_changes_approved_words_blocks_export_and_undo_removes_a_draft() {
    let mut f = fixture();
    f.excerpt("Now I sing", "all the time.");
    f.p.record_story_sent(
        &f.story,
        consent::SendMethod::ReadAloud,
        Some("2026-03-04"),
        None,
    )
    .unwrap();
    f.p.approve_story(&f.story, "in person", Some("2026-03-04"), None)
        .unwrap();
    assert!(
        !f.p.check_story_for_export(&f.story, None)
            .unwrap()
            .has_errors()
    );
    // A correction far from the excerpt keeps the approval valid.
    let t = f.text();
    let t2 = t.replace("Why does that matter?", "Why does that matter to you?");
    f.p.correct_document_text(&f.doc, &t2).unwrap();
    assert!(
        !f.p.check_story_for_export(&f.story, None)
            .unwrap()
            .has_errors()
    );
    // One inside the approved words does not.
    let t3 = t2.replace("every week with", "each week with");
    f.p.correct_document_text(&f.doc, &t3).unwrap();
    let r = f.p.check_story_for_export(&f.story, None).unwrap();
    assert!(r.errors().any(|x| x.rule == 9 || x.rule == 2), "{r:?}");
    // Undo of an auto-draft removes the story.
    let n = f.p.stories().unwrap().len();
    f.p.draft_story("P01").unwrap();
    assert_eq!(f.p.stories().unwrap().len(), n + 1);
    f.p.undo().unwrap();
    assert_eq!(f.p.stories().unwrap().len(), n);
}
