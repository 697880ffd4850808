//! Rule 9 (DESIGN §5): what stakeholders read is what the storyteller
//! approved. A story leaves for a pack only when it is approved, the
//! revision approved is one that was sent to the storyteller, the approval
//! is dated on or after that sending, and the story is unchanged since:
//! same revision and the same words (a transcript correction that changed
//! an excerpt's words counts as a change). What the storyteller agreed the
//! story may be used for is the export's to check ([`ConsentRecord::allows`]),
//! since a story outside an export's scope is left out, not an error.

use super::check::{Finding, Severity};
use super::model::{Story, StoryStatus};
use storyloom_text::consent::ConsentRecord;

fn err(message: String) -> Finding {
    Finding {
        rule: 9,
        severity: Severity::Error,
        block: None,
        start: 0,
        end: 0,
        message,
    }
}

/// Rule 9's findings (errors only) for a story about to be exported.
pub fn check_for_export(
    story: &Story,
    current_snapshot: &str,
    approved_snapshot: Option<&str>,
    consent: &ConsentRecord,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if story.status != StoryStatus::Approved {
        out.push(err(format!(
            "the story is '{}': only stories their storyteller approved go into a pack",
            story.status.as_str()
        )));
        return out;
    }
    let Some(a) = &story.approval else {
        out.push(err("no approval is recorded".into()));
        return out;
    };
    match consent.sending_of(a.revision) {
        None => out.push(err(format!(
            "revision {} was approved but its sending to the storyteller is not on record: record how and when it was sent",
            a.revision
        ))),
        Some(s) if a.date.as_str() < s.date.as_str() => out.push(err(format!(
            "the approval ({}) is dated before revision {} was sent ({})",
            a.date, a.revision, s.date
        ))),
        Some(_) => {}
    }
    match approved_snapshot {
        Some(snap) if a.revision == story.revision && snap == current_snapshot => {}
        Some(_) if a.revision == story.revision => out.push(err(
            "the story's words changed since approval (a transcript correction moved an excerpt): send it again".into(),
        )),
        _ if a.revision != story.revision => out.push(err(format!(
            "the storyteller approved revision {}, the story is now at revision {}: send it again",
            a.revision, story.revision
        ))),
        _ => out.push(err(format!(
            "the text of the approved revision {} is not kept: send the story again",
            a.revision
        ))),
    }
    out
}
