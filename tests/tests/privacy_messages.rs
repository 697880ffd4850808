//! Messages that are true (issue 11, parts 5 and 6): what a pack and a story
//! for checking say about names follows what was done to them, and the
//! research team's copy is marked as such on its cover, in its file name
//! and in its document properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Read;
use storyloom_e2e::*;
use storyloom_exports::gate;
use storyloom_exports::pack::{self, PackVariant};
use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::project::pack_ops::StoryCheckSettings;
use storyloom_project::store::pseudonyms::Verdict;
use storyloom_project::stories::PseudonymKind;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};
use storyloom_project::{ImportOutcome, Project};

/// A storyteller with no one named: her garden, the bus, the weather.
const NO_NAMES: &str = "Interviewer: Can you tell me how the last year has been?\n\
Margaret: It has been a slow year, to be honest. I get up early and see to the garden before the heat comes. The tomatoes did well this summer, better than they ever have, and I gave most of them away to whoever knocked.\n\
Interviewer: And getting out and about?\n\
Margaret: The bus comes twice a day now, which is not much. If I miss the morning one I stay in, and some weeks that is most days. I do not mind the quiet, but I notice it more than I did.\n\
Interviewer: What helps on the quiet days?\n\
Margaret: The radio helps. And the group on a Thursday, when I can get there, because you can sit with a cup of tea and nobody asks you to be cheerful.\n";

/// A storyteller who names her friend and her street.
const NAMES: &str = "Interviewer: Who do you see in a week?\n\
Margaret: Mostly my friend Jean. Jean comes round on a Tuesday and we walk down to the shops together, slowly, because of my hip.\n\
Interviewer: Where do you walk?\n\
Margaret: Along Moss Lane and back. I have lived on Moss Lane for forty years, so everybody stops to talk, and that is half the reason I go.\n\
Interviewer: What would you miss if it stopped?\n\
Margaret: I would miss Jean more than anything. She notices when I am low before I do, and she just puts the kettle on and stays.\n";

fn storyteller(p: &mut Project, id: &str, file: &str, text: &str) -> String {
    let doc = match p.import_bytes(file, text.as_bytes()).expect("import") {
        ImportOutcome::Imported { document, .. } => document,
        other => panic!("not imported: {other:?}"),
    };
    p.create_participant(id, Some("Margaret Holt"), Some("Maud"))
        .expect("participant");
    p.link_speaker(&doc, "Margaret", Some(id)).expect("link");
    p.confirm_speakers(&doc, true).expect("confirm");
    let story = p.draft_story(id).expect("draft");
    p.record_story_sent(&story, SendMethod::ReadAloud, Some("2026-03-01"), None)
        .expect("sent");
    p.approve_story_with(
        &story,
        &ApprovalInput {
            how: "phone",
            date: Some("2026-03-02"),
            revision: None,
            scopes: Some(&[ConsentScope::Workshop, ConsentScope::Report]),
        },
        None,
    )
    .expect("approve");
    story
}

/// The text of every part of a docx, tags as spaces.
fn docx_text(path: &std::path::Path) -> String {
    gate::file_texts(path)
        .expect("read back")
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn core_xml(path: &std::path::Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn a_pack_with_no_name_changed_does_not_say_names_were_changed() {
    let (dir, mut p) = temp_project();
    let story = storyteller(&mut p, "T01", "T01-garden.txt", NO_NAMES);
    settle_names(&mut p);
    let mut s = p.pack_settings().unwrap();
    s.stories = vec![story];
    let out = dir.path().join("pack.docx");
    let report =
        pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None).expect("pack");
    let text = docx_text(&out);
    assert!(!text.contains("have been changed"), "{text}");
    assert!(
        text.contains(
            "No names needed changing: the research team checked every name in these stories."
        ),
        "{text}"
    );
    // The default ground rule no longer claims it either.
    assert!(
        text.contains("Do not try to work out who told a story. "),
        "{text}"
    );
    assert_eq!(
        report.names_statement.split(':').next(),
        Some("No names needed changing")
    );
    // A stakeholder pack carries no research marking.
    assert!(!core_xml(&out).contains("Research team only"));
    assert!(!text.contains("Research team only"));
}

#[test]
fn a_pack_says_which_names_were_changed_and_which_were_kept_with_consent() {
    let (dir, mut p) = temp_project();
    let story = storyteller(&mut p, "T02", "T02-moss-lane.txt", NAMES);
    p.set_pseudonym("Jean", "Sue", PseudonymKind::Person, true)
        .expect("Jean");
    // Before anything else is settled, the refusal names Moss Lane.
    let mut s = p.pack_settings().unwrap();
    s.stories = vec![story.clone()];
    let out = dir.path().join("pack.docx");
    let refused = pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None)
        .expect_err("Moss Lane is not reviewed");
    assert!(refused.to_string().contains("Moss Lane"), "{refused}");
    p.review_name("Moss Lane", Verdict::KeptWithConsent, None, "she asked")
        .expect("review");
    settle_names(&mut p);
    let report =
        pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None).expect("pack");
    let text = docx_text(&out);
    assert!(
        !text.contains("Names and places have been changed"),
        "{text}"
    );
    assert!(
        text.contains(
            "Names have been changed, except ‘Moss Lane’, kept with the agreement of those concerned."
        ),
        "{text}"
    );
    assert!(
        text.contains("Do not try to work out who told a story; names have been changed."),
        "{text}"
    );
    assert!(text.contains("[Sue]"), "{text}");
    assert!(!text.contains("Jean"), "{text}");
    let checked = report.checked.expect("gated").to_string();
    assert!(checked.contains("reviewed, 0 left"), "{checked}");

    // The story for checking says the same to the storyteller.
    p.save_story_check_settings(&StoryCheckSettings {
        researcher: "the research team".into(),
        contact: "01234 567890".into(),
        return_days: 14,
    })
    .expect("settings");
    let check = dir.path().join("check.docx");
    let d = storyloom_exports::story_check::export_story_check(&p, &story, &check, None)
        .expect("story check");
    let text = docx_text(&check);
    assert!(
        text.contains("Names have been changed, except ‘Moss Lane’"),
        "{text}"
    );
    assert!(d.names_statement.starts_with("Names have been changed"));
}

#[test]
fn the_research_copy_is_marked_on_its_cover_its_file_name_and_its_properties() {
    let (dir, mut p) = temp_project();
    let story = storyteller(&mut p, "T02", "T02-moss-lane.txt", NAMES);
    let mut s = p.pack_settings().unwrap();
    s.stories = vec![story];
    let out = dir.path().join("workshop.docx");
    // Nothing is settled: the research copy is still made (it is not for
    // stakeholders), says which names are not reviewed, and is marked.
    let report =
        pack::export_pack_with(&p, &s, &out, PackVariant::Research, None).expect("research pack");
    assert!(
        !out.exists(),
        "the research copy never takes the plain name"
    );
    let marked = dir.path().join("workshop-research-team-only.docx");
    assert_eq!(report.docx, marked);
    assert!(report.checked.is_none());
    assert!(
        report
            .csv
            .to_string_lossy()
            .ends_with("workshop-research-team-only-recording-sheet.csv")
    );
    let core = core_xml(&marked);
    for tag in ["dc:subject", "cp:keywords", "cp:category"] {
        assert!(
            core.contains(&format!("<{tag}>Research team only</{tag}>")),
            "{core}"
        );
    }
    let text = docx_text(&marked);
    assert!(text.contains("Research team only"), "{text}");
    assert!(
        text.contains("Not reviewed yet, so printed as said:") && text.contains("‘Moss Lane’"),
        "{text}"
    );
    // A name that already says so is not marked twice.
    assert_eq!(pack::research_path(&marked), marked);
}

#[test]
fn refi_qda_is_for_the_research_team_only_and_no_stakeholder_export_writes_one() {
    let (dir, mut p) = temp_project();
    let story = storyteller(&mut p, "T03", "T03-moss-lane.txt", NAMES);
    // The file name: marked unless it says so already, however written.
    for (given, written) in [
        ("study.qdpx", "study-research-team-only.qdpx"),
        (
            "study-research-team-only.qdpx",
            "study-research-team-only.qdpx",
        ),
        (
            "Study Research Team Only.qdpx",
            "Study Research Team Only.qdpx",
        ),
        (
            "study_research_team_only.qdpx",
            "study_research_team_only.qdpx",
        ),
    ] {
        assert_eq!(
            storyloom_exports::research_team_path(&dir.path().join(given)),
            dir.path().join(written),
            "{given}"
        );
    }
    let (path, report) =
        storyloom_exports::refi::export_research_qdpx(&p, &dir.path().join("study.qdpx"))
            .expect("qdpx");
    assert_eq!(path, dir.path().join("study-research-team-only.qdpx"));
    assert!(!dir.path().join("study.qdpx").exists());
    assert!(
        report
            .remarks
            .iter()
            .any(|r| r.starts_with("research team only")),
        "{:?}",
        report.remarks
    );
    // The project's description says so first.
    let mut qde = String::new();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    zip.by_name("project.qde")
        .unwrap()
        .read_to_string(&mut qde)
        .unwrap();
    let description = qde
        .split("<Description>")
        .last()
        .and_then(|d| d.split("</Description>").next())
        .unwrap_or_default();
    assert!(
        description.starts_with("Research team only: this project holds the transcripts"),
        "{description}"
    );
    // Our own file read back does not turn the marking into a memo.
    let (_d2, mut q) = temp_project();
    q.import_refi(&path).expect("import our own qdpx");
    assert!(
        q.memos(None)
            .unwrap()
            .iter()
            .all(|m| !m.body.contains("Research team only")),
        "the marking came back as a memo"
    );

    // Every stakeholder export refuses a .qdpx target, writing nothing.
    settle_names(&mut p);
    let target = dir.path().join("out.qdpx");
    let opts = storyloom_exports::reports::ReportOptions::default();
    let mut s = p.pack_settings().unwrap();
    s.stories = vec![story.clone()];
    p.save_story_check_settings(&StoryCheckSettings {
        researcher: "the research team".into(),
        contact: "01234 567890".into(),
        return_days: 14,
    })
    .unwrap();
    use storyloom_exports::reports as r;
    let refusals: Vec<(&str, String)> = vec![
        (
            "pack",
            pack::export_pack_with(&p, &s, &target, PackVariant::Stakeholder, None)
                .unwrap_err()
                .to_string(),
        ),
        (
            "story check",
            storyloom_exports::story_check::export_story_check(&p, &story, &target, None)
                .unwrap_err()
                .to_string(),
        ),
        (
            "theme report",
            r::export_theme_report(&p, &target, &opts)
                .unwrap_err()
                .to_string(),
        ),
        (
            "codebook docx",
            r::export_codebook_docx(&p, &target, &opts)
                .unwrap_err()
                .to_string(),
        ),
        (
            "codebook csv",
            r::export_codebook_csv(&p, &target, &opts)
                .unwrap_err()
                .to_string(),
        ),
        (
            "segments csv",
            r::export_segments_csv(&p, &target, &opts)
                .unwrap_err()
                .to_string(),
        ),
        (
            "segments xlsx",
            r::export_segments_xlsx(&p, &target, &opts)
                .unwrap_err()
                .to_string(),
        ),
    ];
    for (what, msg) in &refusals {
        assert!(
            msg.contains("REFI-QDA project (.qdpx)")
                && msg.contains("research team only")
                && msg.contains("storyloom export qdpx"),
            "{what}: {msg}"
        );
        assert!(!target.exists(), "{what} wrote {}", target.display());
    }
    let tmp: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(tmp.is_empty(), "{tmp:?}");
}

#[test]
fn the_refusal_lists_each_unreviewed_name_once_per_story_with_a_count_and_the_commands() {
    let (dir, mut p) = temp_project();
    let a = storyteller(&mut p, "T04", "T04-moss-lane.txt", NAMES);
    let b = storyteller(
        &mut p,
        "T05",
        "T05-moss-lane.txt",
        &NAMES.replace("forty", "thirty"),
    );
    let mut s = p.pack_settings().unwrap();
    s.stories = vec![a.clone(), b.clone()];
    let out = dir.path().join("pack.docx");
    let msg = pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None)
        .unwrap_err()
        .to_string();
    assert!(!out.exists());
    let lines: Vec<&str> = msg.lines().collect();
    let found = p.unreviewed_names(None).unwrap();
    // The headline counts the names, not the lines.
    let in_stories: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("  - "))
        .collect();
    let names_listed: std::collections::BTreeSet<&str> = in_stories
        .iter()
        .filter_map(|l| l.rsplit_once("' ×").and_then(|(h, _)| h.rsplit_once(": '")))
        .map(|(_, name)| name)
        .collect();
    assert!(
        lines[0].starts_with(&format!(
            "{} name{} found in the transcripts",
            names_listed.len(),
            if names_listed.len() == 1 { "" } else { "s" }
        )),
        "{msg}"
    );
    // Once per story: both storytellers say Jean and Moss Lane.
    for name in ["Jean", "Moss Lane"] {
        let per_story: Vec<&&str> = in_stories
            .iter()
            .filter(|l| l.contains(&format!(": '{name}' ×")))
            .collect();
        assert_eq!(per_story.len(), 2, "{name}: {msg}");
        for story in [&a, &b] {
            let title = p.story(story).unwrap().title;
            assert!(
                per_story
                    .iter()
                    .any(|l| l.starts_with(&format!("  - the story '{title}'"))),
                "{name} in '{title}': {msg}"
            );
        }
        // The count is how often the story says it; a few words around it.
        let rendered = p.render_story(&a, None).unwrap().plain_text();
        let said = rendered.matches(name).count();
        assert!(
            per_story
                .iter()
                .any(|l| l.contains(&format!("'{name}' ×{said}: …"))),
            "{name} ×{said}: {msg}"
        );
    }
    assert!(
        names_listed
            .iter()
            .all(|n| found.iter().any(|f| f.name == *n))
    );
    // It ends with the exact commands, with this project's path.
    let project = p.path().display().to_string();
    assert!(
        msg.contains(&format!("storyloom pseudonym add {project} ")),
        "{msg}"
    );
    assert!(
        msg.contains("--as not-identifying") && msg.contains("--as kept-with-consent"),
        "{msg}"
    );
    assert!(msg.contains(&format!("storyloom names {project}")), "{msg}");
}
