//! `storyloom-bench pack`: a discussion pack of 30 stories drafted from
//! generated interviews with its large-print copy (target: under 500 ms, DESIGN §10).

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::time::Instant;
use storyloom_exports::pack::{self, PackVariant};
use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::store::pseudonyms::Verdict;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};
use storyloom_project::{CodingRequest, ImportOutcome, Project, Role, synth};

pub fn run(stories: usize, words: usize) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("storyloom-bench-pack-{}", std::process::id()));
    let t = Instant::now();
    let (p, reviewed) = pack_project(&dir, stories, words, false)?;
    let setup = t.elapsed();
    let out = dir.join("pack.docx");
    let t = Instant::now();
    let settings = p.pack_settings()?;
    let report = pack::export_pack_options(
        &p,
        &settings,
        &out,
        pack::PackOptions {
            variant: PackVariant::Stakeholder,
            large_print: true,
        },
        None,
    )?;
    let took = t.elapsed();
    let size = std::fs::metadata(&out)?.len();
    println!(
        "set-up: {stories} interviews of {words} words imported, drafted and approved, {reviewed} generated names reviewed, in {:.1} s",
        setup.as_secs_f64()
    );
    println!(
        "discussion pack of {} stories with its large-print copy (checked, rendered, laid out, written, gate-scanned, CSV): {:.0} ms  [target < 500 ms], {} KB",
        report.stories.len(),
        took.as_secs_f64() * 1000.0,
        size / 1024
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A project in `dir` (made afresh) with `stories` generated interviews of
/// `words` words, each drafted into a story, sent and approved for
/// workshops, and every name found reviewed: ready for a stakeholder pack.
/// With `planted`, the interviews name many people and places
/// ([`super::names::planted_transcript`]) and the first few of them are
/// replaced by the pseudonym map before the stories are drafted.
/// Returns it with the number of names reviewed.
pub(crate) fn pack_project(
    dir: &Path,
    stories: usize,
    words: usize,
    planted: bool,
) -> Result<(Project, usize)> {
    if stories == 0 {
        bail!("--stories must be positive");
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let mut p = Project::create(&dir.join("bench.storyloom"))?;
    let code = p.create_code("Bench code", None, None)?;
    let mut participants = Vec::new();
    for i in 0..stories {
        let text = if planted {
            super::names::planted_transcript(100 + i as u64, words)
        } else {
            synth::transcript_txt(100 + i as u64, words)
        };
        let ImportOutcome::Imported { document, .. } =
            p.import_bytes(&format!("interview-{i:02}.txt"), text.as_bytes())?
        else {
            bail!("a generated interview did not import");
        };
        // Generated with known speakers: the bench stands in for the person who checks them.
        p.confirm_speakers(&document, true)?;
        let pid = format!("B{i:02}");
        p.create_participant(&pid, Some("Bench"), None)?;
        let speakers = p.speakers(&document)?;
        let main = speakers
            .iter()
            .filter(|s| s.role == Role::Participant)
            .max_by_key(|s| s.words)
            .context("no participant speaker")?;
        p.link_speaker(&document, &main.label, Some(&pid))?;
        let doc = p.document(&document)?;
        let requests: Vec<CodingRequest> = doc
            .turns
            .iter()
            .filter(|t| t.role == Role::Participant && t.end > t.start + 40)
            .step_by(3)
            .map(|t| CodingRequest {
                code: &code,
                document: &document,
                start: t.start,
                end: t.start + 40,
                version: None,
            })
            .collect();
        let uuids = p.add_codings(&requests, "bench")?;
        for u in uuids.iter().step_by(3) {
            p.set_key_quote(u, true)?;
        }
        participants.push(pid);
    }
    if planted {
        // The names said most often get replacements, as a researcher does first.
        let found = p.unreviewed_names(None)?;
        for (i, n) in found.iter().take(12).enumerate() {
            p.set_pseudonym(
                &n.core,
                &format!("Pseudonym {}", i + 1),
                n.pseudonym_kind(),
                true,
            )?;
        }
    }
    for pid in &participants {
        let id = p.draft_story(pid)?;
        p.record_story_sent(&id, SendMethod::Post, None, None)?;
        p.approve_story_with(
            &id,
            &ApprovalInput {
                how: "by phone",
                scopes: Some(&[ConsentScope::Workshop]),
                ..Default::default()
            },
            None,
        )?;
    }
    // The generated interviews name fictional people: the bench stands in
    // for the researcher who reviews every name found before a stakeholder
    // export (the gate refuses a pack with unreviewed names).
    let names: Vec<String> = p
        .unreviewed_names(None)?
        .into_iter()
        .map(|n| n.name)
        .collect();
    let reviewed = p.review_names(&names, Verdict::NotIdentifying, "bench: generated names")?;
    Ok((p, reviewed))
}
