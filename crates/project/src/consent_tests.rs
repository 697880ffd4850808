//! The storyteller's consent on record: only the revision sent can be
//! approved, dates in order, feedback listed, the scope kept; and rule 9
//! refuses an approval whose sending is not on record.

use crate::Project;
use crate::project::consent_ops::ApprovalInput;
use crate::stories::consent::{ConsentScope, FeedbackKind, SendMethod};
use crate::stories::*;

const TRANSCRIPT: &str = "Interviewer: What happened when the bus route changed?
Marlon: I stopped going to the day centre, simple as that. The bus from the estate went twice a day and then it went to none. My son drives me now on a Thursday, and I look forward to it all week.
Interviewer: What matters to you now?
Marlon: Seeing people. You need people, don't you, at my age.
";

fn fixture() -> (tempfile::TempDir, Project, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Project::create(&dir.path().join("c.storyloom")).unwrap();
    p.create_participant("P09", Some("Marlon Okafor"), Some("Len"))
        .unwrap();
    let doc = match p
        .import_bytes("P09-marlon.txt", TRANSCRIPT.as_bytes())
        .unwrap()
    {
        crate::ImportOutcome::Imported { document, .. } => document,
        other => panic!("{other:?}"),
    };
    // The test's author checked who speaks in each turn of the transcript above.
    p.confirm_speakers(&doc, true).unwrap();
    let story = p.create_story("P09", "The bus from the estate").unwrap();
    let t = p.document(&doc).unwrap().text;
    let s = t[..t.find("I stopped").unwrap()].chars().count();
    let e = t[..t.find("all week.").unwrap() + 9].chars().count();
    p.add_excerpt(&story, &doc, s, e, None).unwrap();
    (dir, p, story)
}

fn err<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
    r.expect_err("refused").to_string()
}

#[test]
fn approval_must_name_the_revision_that_was_sent_and_follow_its_date() {
    let (_d, mut p, story) = fixture();
    // Never sent: refused.
    let e = err(p.approve_story(&story, "in person", Some("2026-03-04"), None));
    assert!(e.contains("never sent"), "{e}");
    let rev = p
        .record_story_sent(&story, SendMethod::Post, Some("2026-03-01"), None)
        .unwrap();
    assert_eq!(p.story(&story).unwrap().status, StoryStatus::Sent);
    // Edited after sending (the title): the revision approved would not be the one sent.
    p.set_story_title(&story, "No bus to the centre").unwrap();
    assert_eq!(p.story(&story).unwrap().revision, rev + 1);
    let e = err(p.approve_story(&story, "in person", Some("2026-03-04"), None));
    assert!(
        e.contains(&format!("revision {rev}")) && e.contains("edited since"),
        "{e}"
    );
    // Naming the old revision is refused too.
    let e = err(p.approve_story_with(
        &story,
        &ApprovalInput {
            how: "in person",
            date: Some("2026-03-04"),
            revision: Some(rev),
            scopes: None,
        },
        None,
    ));
    assert!(e.contains("not the story's current revision"), "{e}");
    // Send the new revision; an approval dated before that sending is refused.
    p.record_story_sent(&story, SendMethod::ReadAloud, Some("2026-03-05"), None)
        .unwrap();
    let e = err(p.approve_story(&story, "in person", Some("2026-03-04"), None));
    assert!(e.contains("before revision"), "{e}");
    let e = err(p.approve_story(&story, "in person", Some("2999-01-01"), None));
    assert!(e.contains("future"), "{e}");
    p.approve_story_with(
        &story,
        &ApprovalInput {
            how: "in person",
            date: Some("2026-03-06"),
            revision: None,
            scopes: Some(&[ConsentScope::Workshop, ConsentScope::Quotes]),
        },
        None,
    )
    .unwrap();
    let s = p.story(&story).unwrap();
    assert_eq!(s.status, StoryStatus::Approved);
    assert_eq!(s.approval.as_ref().unwrap().revision, rev + 1);
    let c = p.story_consent(&story).unwrap();
    assert_eq!(c.sendings.len(), 2);
    assert_eq!(c.sendings[1].how, Some(SendMethod::ReadAloud));
    assert_eq!(
        c.scopes,
        Some(vec![ConsentScope::Workshop, ConsentScope::Quotes])
    );
    assert!(!p.check_story_for_export(&story, None).unwrap().has_errors());
    // Each step is one undoable change.
    p.undo().unwrap();
    assert_eq!(p.story(&story).unwrap().status, StoryStatus::Sent);
    assert!(p.story_consent(&story).unwrap().scopes.is_none());
}

#[test]
fn requested_changes_reopen_the_story_and_block_approval_until_made() {
    let (_d, mut p, story) = fixture();
    p.record_story_sent(&story, SendMethod::Email, Some("2026-03-01"), None)
        .unwrap();
    p.record_story_feedback(
        &story,
        FeedbackKind::Comment,
        "It reads like me talking.",
        Some("2026-03-02"),
    )
    .unwrap();
    assert_eq!(p.story(&story).unwrap().status, StoryStatus::Sent);
    let id = p
        .record_story_feedback(
            &story,
            FeedbackKind::Change,
            "Take out the part about my son.",
            Some("2026-03-02"),
        )
        .unwrap();
    assert_eq!(p.story(&story).unwrap().status, StoryStatus::Changes);
    let c = p.story_consent(&story).unwrap();
    assert_eq!(c.feedback.len(), 2);
    assert_eq!(c.feedback[1].revision, c.sendings[0].revision);
    let e = err(p.approve_story(&story, "email", Some("2026-03-03"), None));
    assert!(e.contains("change(s) not yet marked"), "{e}");
    p.set_story_feedback_done(&story, &id[..8], true).unwrap();
    assert!(
        p.story_consent(&story)
            .unwrap()
            .open_changes()
            .next()
            .is_none()
    );
    p.approve_story(&story, "email", Some("2026-03-03"), None)
        .unwrap();
    assert!(
        err(p.record_story_feedback(&story, FeedbackKind::Comment, " ", None)).contains("empty")
    );
}

#[test]
fn rule_9_refuses_an_approval_whose_sending_is_not_on_record() {
    let (_d, mut p, story) = fixture();
    p.record_story_sent(&story, SendMethod::Post, Some("2026-03-01"), None)
        .unwrap();
    p.approve_story(&story, "by phone", Some("2026-03-02"), None)
        .unwrap();
    assert!(!p.check_story_for_export(&story, None).unwrap().has_errors());
    // Undo the sending under the approval (as a project from before
    // version 3 would have it): export is refused with the reason.
    let s = p.story(&story).unwrap();
    let sources = p.story_sources(&s).unwrap();
    let _ = sources;
    let mut consent = p.story_consent(&story).unwrap();
    consent.sendings.clear();
    let snap = snapshot_hash(&snapshot(&s));
    let f = check_for_export(&s, &snap, Some(&snap), &consent);
    assert!(
        f.iter().any(|x| x.message.contains("not on record")),
        "{f:?}"
    );
    // An approval dated before its sending.
    let mut consent = p.story_consent(&story).unwrap();
    consent.sendings[0].date = "2026-03-05".into();
    let f = check_for_export(&s, &snap, Some(&snap), &consent);
    assert!(
        f.iter().any(|x| x.message.contains("dated before")),
        "{f:?}"
    );
}

#[test]
fn consent_scope_and_the_name_the_storyteller_goes_by_are_kept() {
    let (_d, mut p, story) = fixture();
    assert!(p.story_consent(&story).unwrap().scopes.is_none());
    p.set_story_consent(
        &story,
        &[ConsentScope::Report, ConsentScope::Report],
        Some("2026-03-02"),
    )
    .unwrap();
    let c = p.story_consent(&story).unwrap();
    assert_eq!(c.scopes, Some(vec![ConsentScope::Report]));
    assert!(c.allows(ConsentScope::Workshop).is_err());
    assert_eq!(
        p.storyteller_address(&story).unwrap().as_deref(),
        Some("Marlon Okafor")
    );
    p.set_participant_known_as("P09", "  Marl ").unwrap();
    assert_eq!(
        p.storyteller_address(&story).unwrap().as_deref(),
        Some("Marl")
    );
    p.undo().unwrap();
    assert_eq!(
        p.storyteller_address(&story).unwrap().as_deref(),
        Some("Marlon Okafor")
    );
    // The sending of a withdrawn story is refused.
    p.set_story_status(&story, StoryStatus::Withdrawn).unwrap();
    assert!(
        p.record_story_sent(&story, SendMethod::Post, None, None)
            .is_err()
    );
    // Status "sent" only through a recorded sending.
    assert!(p.set_story_status(&story, StoryStatus::Sent).is_err());
}
