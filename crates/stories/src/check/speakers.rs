//! Rule 1, the people half: detection is a proposal, not a fact. A story
//! drawn from a document whose speakers no person confirmed cannot be
//! approved; a confirmed participant turn that reads like the interviewer's
//! (mostly questions, or addressing the participant by name) is flagged.

use super::{Finding, Severity};
use crate::model::{BlockContent, SourceDoc, SourceTurn, Sources, Story};
use storyloom_text::model::Role;

/// One error per source document nobody confirmed, naming it and the fix.
pub fn unconfirmed_speakers(documents: &[String]) -> Vec<Finding> {
    documents
        .iter()
        .map(|name| Finding {
            rule: 1,
            severity: Severity::Error,
            block: None,
            start: 0,
            end: 0,
            message: format!(
                "nobody has checked who speaks in “{name}” (the import only proposed it): check its turns and correct them, then mark its speakers checked (`storyloom speakers PROJECT \"{name}\" --confirm`, or “Speakers checked” in the document view)"
            ),
        })
        .collect()
}

/// Warnings for participant turns the story draws on that read like the
/// interviewer's, in documents a person confirmed (`unconfirmed` lists the
/// version ids of the others, which have an error already).
pub fn interviewer_like_turns(
    story: &Story,
    sources: &Sources,
    unconfirmed: &[i64],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: Vec<(i64, usize)> = Vec::new();
    for (bi, block) in story.blocks.iter().enumerate() {
        let BlockContent::Excerpt { pieces } = &block.content else {
            continue;
        };
        for p in pieces {
            let vid = p.span.version_id;
            if unconfirmed.contains(&vid) {
                continue;
            }
            let Some(doc) = sources.get(&vid) else {
                continue;
            };
            for t in doc.turns.iter().filter(|t| {
                t.role == Role::Participant && t.start < p.span.end && p.span.start < t.end
            }) {
                if seen.contains(&(vid, t.seq)) {
                    continue;
                }
                seen.push((vid, t.seq));
                if let Some(why) = reads_like_interviewer(doc, t) {
                    out.push(Finding {
                        rule: 1,
                        severity: Severity::Warning,
                        block: Some(bi),
                        start: 0,
                        end: 0,
                        message: format!(
                            "turn #{} of “{}”, given to {} (participant), reads like the interviewer's: {why}; check who spoke",
                            t.seq, doc.name, t.speaker
                        ),
                    });
                }
            }
        }
    }
    out
}

fn reads_like_interviewer(doc: &SourceDoc, t: &SourceTurn) -> Option<String> {
    let text = doc.slice(t.start, t.end);
    let questions = text.matches('?').count();
    let sentences = text.matches(['.', '!', '?', '…']).count().max(1);
    if questions >= 2 && questions * 2 > sentences && text.trim_end().ends_with('?') {
        return Some(format!(
            "{questions} of its {sentences} sentences are questions"
        ));
    }
    // Speaking to oneself by name ("Rosa, how did…") is the interviewer's habit.
    let first = t.speaker.split_whitespace().next().unwrap_or("");
    if first.chars().count() >= 2 {
        let lower = text.to_lowercase();
        let name = first.to_lowercase();
        for (i, _) in lower.match_indices(&name) {
            let after = lower[i + name.len()..].chars().next();
            let before = lower[..i].chars().next_back();
            let word_start = before.is_none_or(|c| !c.is_alphanumeric());
            if word_start && matches!(after, Some(',') | Some('?')) {
                return Some(format!("it addresses “{first}” by name"));
            }
        }
    }
    None
}
