//! Transcript corrections through the `Project` API: codings are re-anchored
//! and verified; what cannot be placed with certainty goes to the review
//! list; nothing is lost; the whole correction is one undoable action.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use storyloom_project::*;

const ORIGINAL: &str = "Interviewer: How did you come to the choir?
Margaret: My link worker, Priya, suggested it. I was lonely after Frank died, and I didn't go out much. The house was so quiet.
Interviewer: What was the first week like?
Margaret: Terrifying! But Jean said hello and saved me a seat. Now I have a reason to get up on Tuesdays.
Interviewer: And what changed for you?
Margaret: I sing in the car now. My daughter says I'm a different woman. I laugh more, I think.
Interviewer: Is there anything that made it hard?
Margaret: The bus, mostly. The number twelve stopped running in the evenings, so Jean drives me.
";

/// (code, quote) pairs coded before each correction.
const CODED: &[(&str, &str)] = &[
    ("Referral", "My link worker, Priya, suggested it."),
    ("Loneliness", "I was lonely after Frank died"),
    ("Welcome", "Jean said hello and saved me a seat"),
    ("Routine", "a reason to get up on Tuesdays"),
    ("Change", "I sing in the car now."),
    ("Change", "I laugh more, I think."),
    ("Transport", "The bus, mostly."),
    ("Friendship", "so Jean drives me"),
];

fn chars_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    let b = text.find(needle)?;
    let s = text[..b].chars().count();
    Some((s, s + needle.chars().count()))
}

/// A project with the transcript imported and every `CODED` quote coded.
fn coded_project() -> (tempfile::TempDir, Project, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("c.storyloom")).unwrap();
    p.set_actor("ana");
    p.import_bytes("P01-margaret.txt", ORIGINAL.as_bytes())
        .unwrap();
    let mut uuids = Vec::new();
    for (code, quote) in CODED {
        if p.code(code).is_err() {
            p.create_code(code, None, None).unwrap();
        }
        let (start, end) = chars_of(ORIGINAL, quote).unwrap();
        uuids.push(
            p.add_coding(&CodingRequest {
                code,
                document: "P01",
                start,
                end,
                version: None,
            })
            .unwrap(),
        );
    }
    (dir, p, uuids)
}

/// Every coding is either on the current text with its quote exactly there,
/// or in the review list: none is lost.
fn assert_nothing_lost(p: &Project, uuids: &[String]) -> (usize, usize) {
    let doc = p.document("P01").unwrap();
    let review = p.review_items(false).unwrap();
    let (mut placed, mut waiting) = (0, 0);
    for u in uuids {
        let c = p.coding(u).unwrap();
        if c.version == doc.version {
            let text: String = doc
                .text
                .chars()
                .skip(c.start)
                .take(c.end - c.start)
                .collect();
            assert_eq!(text, c.quote, "coding {u} is not on its quote");
            placed += 1;
        } else {
            assert!(
                review.iter().any(|r| &r.item == u),
                "coding {u} ('{}') is neither placed nor in review",
                c.quote
            );
            waiting += 1;
        }
    }
    (placed, waiting)
}

fn quote_of(p: &Project, uuid: &str) -> String {
    p.coding(uuid).unwrap().quote
}

#[test]
fn edits_around_codings_keep_them_exact() {
    let (_d, mut p, uuids) = coded_project();
    let corrected = ORIGINAL
        // insert before a coding, in another turn
        .replace("How did you come", "So, how did you first come")
        // delete before a coding in the same turn
        .replace("Terrifying! But ", "But ")
        // an edit touching a coding's start and end from outside
        .replace("Now I have", "Honestly, now I have")
        .replace("on Tuesdays.", "on Tuesdays, you know.")
        // a typo fix far from any coding
        .replace("daughter says", "daughter said");
    let r = p.correct_document_text("P01", &corrected).unwrap();
    assert_eq!((r.old_version, r.new_version), (1, 2));
    assert_eq!(r.codings_to_review, 0, "{r:?}");
    assert_eq!(r.codings_placed, CODED.len());
    let (placed, waiting) = assert_nothing_lost(&p, &uuids);
    assert_eq!((placed, waiting), (CODED.len(), 0));
    // Adjacent insertions are not pulled into the coding.
    assert_eq!(quote_of(&p, &uuids[3]), "a reason to get up on Tuesdays");
    assert!(p.review_items(false).unwrap().is_empty());
    // Turns come from the corrected text; speakers keep their roles.
    let doc = p.document("P01").unwrap();
    assert_eq!(doc.version, 2);
    assert_eq!(doc.turns.len(), 8);
    assert_eq!(doc.turns[0].role, Role::Interviewer);
}

#[test]
fn edits_inside_and_across_codings_go_to_review_with_proposals() {
    let (_d, mut p, uuids) = coded_project();
    let corrected = ORIGINAL
        // inside a coding
        .replace(
            "I was lonely after Frank died",
            "I was very lonely after Frank died",
        )
        // across the end of a coding
        .replace("saved me a seat. Now", "kept me a place. Now")
        // a coding's text deleted altogether
        .replace("The bus, mostly. ", "");
    let r = p.correct_document_text("P01", &corrected).unwrap();
    assert_eq!(r.codings_to_review, 3, "{r:?}");
    let (placed, waiting) = assert_nothing_lost(&p, &uuids);
    assert_eq!((placed, waiting), (CODED.len() - 3, 3));
    let review = p.review_items(false).unwrap();
    let lonely = review.iter().find(|r| r.item == uuids[1]).unwrap();
    assert_eq!(
        lonely.proposal_text.as_deref(),
        Some("I was very lonely after Frank died")
    );
    assert!(!lonely.reason.is_empty());
    let bus = review.iter().find(|r| r.item == uuids[6]).unwrap();
    assert!(bus.quote.contains("The bus"));

    // Accept the proposal, place one by hand, remove the deleted one.
    p.resolve_review(&lonely.uuid, Resolution::Accept).unwrap();
    assert_eq!(
        quote_of(&p, &uuids[1]),
        "I was very lonely after Frank died"
    );
    let welcome = review.iter().find(|r| r.item == uuids[2]).unwrap();
    let (s, e) = chars_of(&corrected, "Jean said hello and kept me a place").unwrap();
    p.resolve_review(&welcome.uuid, Resolution::Place { start: s, end: e })
        .unwrap();
    assert_eq!(
        quote_of(&p, &uuids[2]),
        "Jean said hello and kept me a place"
    );
    p.resolve_review(&bus.uuid, Resolution::Remove).unwrap();
    assert!(p.coding(&uuids[6]).is_err());
    assert!(p.review_items(false).unwrap().is_empty());
    assert_eq!(p.review_items(true).unwrap().len(), 3);
    // Settling is undoable like everything else.
    p.undo().unwrap();
    assert_eq!(p.review_items(false).unwrap().len(), 1);
    assert_eq!(quote_of(&p, &uuids[6]), "The bus, mostly.");
}

#[test]
fn a_rewritten_paragraph_sends_only_its_codings_to_review() {
    let (_d, mut p, uuids) = coded_project();
    let corrected = ORIGINAL.replace(
        "I sing in the car now. My daughter says I'm a different woman. I laugh more, I think.",
        "Well, my daughter tells everyone I'm a changed woman, and I suppose I am happier.",
    );
    let r = p.correct_document_text("P01", &corrected).unwrap();
    assert_eq!(r.codings_to_review, 2, "{r:?}");
    let review = p.review_items(false).unwrap();
    let items: Vec<&str> = review.iter().map(|r| r.item.as_str()).collect();
    assert!(items.contains(&uuids[4].as_str()) && items.contains(&uuids[5].as_str()));
    assert_nothing_lost(&p, &uuids);
}

#[test]
fn a_retyped_transcript_keeps_unchanged_words_exact() {
    let (_d, mut p, uuids) = coded_project();
    // Re-typed: curly apostrophes, a blank line between turns, two typos fixed, one new typo.
    let corrected = ORIGINAL
        .replace('\'', "’")
        .replace("\nInterviewer:", "\n\nInterviewer:")
        .replace("twelve", "12")
        .replace("Jean said hello", "Jean said hallo");
    let r = p.correct_document_text("P01", &corrected).unwrap();
    let (placed, waiting) = assert_nothing_lost(&p, &uuids);
    assert_eq!(placed + waiting, CODED.len());
    // Codings whose words did not change are exact.
    for i in [0usize, 1, 3, 4, 5, 6, 7] {
        assert_eq!(quote_of(&p, &uuids[i]), CODED[i].1, "coding {i}");
    }
    assert_eq!(r.codings_to_review, 1, "{r:?}");
    let review = p.review_items(false).unwrap();
    assert_eq!(
        review[0].proposal_text.as_deref(),
        Some("Jean said hallo and saved me a seat")
    );
}

#[test]
fn a_later_correction_places_what_an_earlier_one_could_not() {
    let (_d, mut p, uuids) = coded_project();
    let broken = ORIGINAL.replace("I laugh more, I think.", "I lagh more, I thnk.");
    p.correct_document_text("P01", &broken).unwrap();
    assert_eq!(p.review_items(false).unwrap().len(), 1);
    // The typo is fixed again: the waiting coding finds its words.
    let fixed = broken.replace("I lagh more, I thnk.", "I laugh more, I think.");
    let r = p.correct_document_text("P01", &fixed).unwrap();
    assert_eq!(r.earlier_items_placed, 1, "{r:?}");
    assert!(p.review_items(false).unwrap().is_empty());
    assert_eq!(p.coding(&uuids[5]).unwrap().version, 3);
    assert_nothing_lost(&p, &uuids);
}

#[test]
fn a_correction_is_one_undoable_action_and_bad_input_changes_nothing() {
    let (dir, mut p, uuids) = coded_project();
    let before = p.change_counter().unwrap();
    // The same text, an unknown document, a corrupt file: clear errors, no change.
    assert!(p.correct_document_text("P01", ORIGINAL).is_err());
    assert!(matches!(
        p.correct_document_text("P99", "x: y"),
        Err(Error::UnknownDocument(_))
    ));
    let err = p
        .correct_document_bytes("P01", "fixed.docx", b"PK\x03\x04 not really")
        .unwrap_err();
    assert!(err.to_string().contains("fixed.docx"), "{err}");
    let missing = dir.path().join("nowhere.txt");
    let err = p.correct_document("P01", &missing).unwrap_err();
    assert!(err.to_string().contains("nowhere.txt"), "{err}");
    assert_eq!(p.change_counter().unwrap(), before);

    let corrected = ORIGINAL.replace("I was lonely", "I was very lonely");
    p.correct_document_text("P01", &corrected).unwrap();
    assert_eq!(p.document("P01").unwrap().version, 2);
    p.undo().unwrap();
    let doc = p.document("P01").unwrap();
    assert_eq!((doc.version, doc.text.as_str()), (1, ORIGINAL.trim_end()));
    assert!(p.review_items(false).unwrap().is_empty());
    assert_nothing_lost(&p, &uuids);
    p.redo().unwrap();
    assert_eq!(p.document("P01").unwrap().version, 2);
    assert_eq!(p.review_items(false).unwrap().len(), 1);
}

#[test]
fn corrections_keep_speaker_roles_and_links_and_add_new_speakers() {
    let (_d, mut p, _) = coded_project();
    p.create_participant("P01", Some("Margaret"), None).unwrap();
    p.link_speaker("P01", "Margaret", Some("P01")).unwrap();
    let corrected = format!("{ORIGINAL}Jean: Can I add something? She is the life of the choir.\n");
    let r = p.correct_document_text("P01", &corrected).unwrap();
    assert_eq!(r.new_speakers, ["Jean"]);
    let speakers = p.speakers("P01").unwrap();
    let margaret = speakers.iter().find(|s| s.label == "Margaret").unwrap();
    assert_eq!(margaret.participant.as_deref(), Some("P01"));
    assert!(speakers.iter().any(|s| s.label == "Jean"));
}
