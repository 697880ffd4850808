//! Withdrawal (issue 11, item 7), audited end to end on the sample study:
//! a participant withdraws, then every stakeholder export is made and
//! every part of every file (docx and xlsx unzipped; runs joined and tags
//! as spaces; after NFC and full case folding) is searched for their name,
//! their pseudonym, their quotes and their story. The history records the
//! withdrawal and the research team's outputs mark them as withdrawn.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;
use storyloom_e2e::*;
use storyloom_exports::gate;
use storyloom_exports::pack::{self, PackOptions, PackVariant};
use storyloom_exports::reports::{self, ReportOptions};
use storyloom_project::Project;
use storyloom_project::privacy::fold;
use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::project::pack_ops::StoryCheckSettings;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};
use storyloom_project::stories::{PseudonymKind, StoryStatus};

const GONE: &str = "P04";

fn sample(dir: &Path) -> Project {
    Project::create_from_folder(
        &dir.join("sample.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .expect("build the sample project")
    .0
}

/// Sends and approves a story for every use; false when the checker
/// stops its approval.
fn approve(p: &mut Project, id: &str) -> bool {
    p.record_story_sent(id, SendMethod::ReadAloud, Some("2026-03-01"), None)
        .expect("sent");
    p.approve_story_with(
        id,
        &ApprovalInput {
            how: "in person",
            date: Some("2026-03-02"),
            revision: None,
            scopes: Some(&[
                ConsentScope::Workshop,
                ConsentScope::Report,
                ConsentScope::Quotes,
            ]),
        },
        None,
    )
    .is_ok()
}

/// Every text of a written file, folded: a zip's part names and parts
/// (each with runs joined and with tags as spaces), or a file's text.
fn folded_parts(path: &Path) -> Vec<(String, String)> {
    gate::file_texts(path)
        .expect("read the file back")
        .into_iter()
        .map(|(part, text)| (part, fold(&text)))
        .collect()
}

/// Runs of `n` words of `text` with no capital letter in them (so no name
/// a replacement could have changed), folded, that no other document says.
fn telltales(text: &str, n: usize, others: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for w in words.windows(n) {
        if w.iter().any(|x| x.chars().any(char::is_uppercase)) {
            continue;
        }
        let run = fold(&w.join(" "));
        let bare = run.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
        if bare.len() > 25 && !others.contains(&bare) && !out.contains(&bare) {
            out.push(bare);
        }
    }
    out
}

#[test]
fn a_withdrawn_participant_is_in_no_stakeholder_export_and_marked_in_the_research_team_s() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    settle_names(&mut p);
    // Two themes over the whole codebook, so every coding can be quoted.
    let codes = p.codes().unwrap();
    for (i, c) in codes.iter().filter(|c| c.parent.is_none()).enumerate() {
        let t = p
            .create_theme(&format!("Theme {i}"), "Everything said about it.")
            .unwrap();
        p.add_code_to_theme(&t, &c.uuid).unwrap();
    }
    let mut approved = Vec::new();
    for part in p.participants().unwrap() {
        if let Ok(id) = p.draft_story(&part.id)
            && approve(&mut p, &id)
        {
            approved.push((part.id.clone(), id));
        }
    }
    let gone_story = approved
        .iter()
        .find(|(pid, _)| pid == GONE)
        .map(|(_, id)| id.clone())
        .expect("P04's story is approved");
    assert!(approved.len() >= 4, "{approved:?}");
    let gone = p
        .participants()
        .unwrap()
        .into_iter()
        .find(|x| x.id == GONE)
        .unwrap();
    let pseudonym = gone.pseudonym.clone().expect("P04 has a pseudonym");
    let name = gone.name.clone().expect("P04 has a name");

    // What would give them away: name, pseudonym, words of their story and quotes.
    let story = p.render_story(&gone_story, None).unwrap();
    let story_text = story.plain_text();
    let mut others = String::new();
    let mut theirs = String::new();
    for d in p.documents().unwrap() {
        let text = p.document(&d.uuid).unwrap().text;
        if d.name.starts_with(GONE) {
            theirs.push_str(&text);
        } else {
            others.push_str(&fold(&text));
            others.push(' ');
        }
    }
    let mut look_for: Vec<(String, String)> = vec![
        (fold(&name), "their name".into()),
        (fold(&pseudonym), "their pseudonym".into()),
    ];
    for w in name.split_whitespace() {
        look_for.push((fold(w), "their name".into()));
    }
    // The framing paragraph is written from attributes another storyteller
    // may share ("a woman in her sixties who joined a cooking club"): only
    // the words no other story says count.
    let mut other_stories = others.clone();
    for (pid, id) in &approved {
        if pid != GONE {
            other_stories.push_str(&fold(&p.render_story(id, None).unwrap().plain_text()));
            other_stories.push(' ');
        }
    }
    let story_runs = telltales(&story_text, 7, &other_stories);
    assert!(story_runs.len() > 5, "{story_runs:?}");
    look_for.extend(story_runs.into_iter().map(|r| (r, "their story".into())));
    let mut quote_runs = Vec::new();
    for c in p.codings(None, None, None).unwrap() {
        let doc = p.document(&c.document).unwrap();
        if !p
            .documents()
            .unwrap()
            .iter()
            .any(|d| d.uuid == c.document && d.name.starts_with(GONE))
        {
            continue;
        }
        let quote: String = doc
            .text
            .chars()
            .skip(c.start)
            .take(c.end - c.start)
            .collect();
        quote_runs.extend(telltales(&quote, 6, &others));
    }
    assert!(
        quote_runs.len() > 5,
        "P04 is quoted in the sample: {quote_runs:?}"
    );
    look_for.extend(quote_runs.into_iter().map(|r| (r, "their quotes".into())));
    assert!(!theirs.is_empty());

    // Before they withdraw, the scan finds them (so it can find them after).
    let before = dir.path().join("before.csv");
    reports::export_segments_csv(&p, &before, &ReportOptions::default()).expect("segments");
    let text: String = folded_parts(&before).into_iter().map(|(_, t)| t).collect();
    assert!(
        look_for
            .iter()
            .any(|(w, why)| why == "their quotes" && text.contains(w.as_str())),
        "the scan would not see P04's quotes"
    );

    // They withdraw; the history says so.
    p.set_story_status(&gone_story, StoryStatus::Withdrawn)
        .unwrap();
    let history = p.history().unwrap();
    let last = history.last().unwrap();
    assert!(
        last.summary.contains("withdrawn") && !last.undone,
        "{last:?}"
    );

    // Another storyteller talks about them: their pseudonym, the
    // replacement of their name there, would point to them. The gate
    // refuses it until the researcher changes what replaces their name.
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let opts = ReportOptions {
        quotes_per_theme: 10_000,
        ..ReportOptions::default()
    };
    let gate = gate::Gate::for_project(&p, None).unwrap();
    let refused = gate
        .check_text(
            "a quote",
            &format!("I sat next to [{pseudonym}] at the club."),
        )
        .expect_err("the pseudonym of a withdrawn participant in someone's quote")
        .to_string();
    assert!(
        refused.contains(&pseudonym) && refused.contains(&format!("{GONE}, who withdrew")),
        "{refused}"
    );
    assert!(
        gate.report()
            .to_string()
            .contains("nor the pseudonym of the 1 participant who withdrew")
    );
    // The researcher changes what replaces their name in others' words.
    for n in name.split_whitespace().chain([name.as_str()]) {
        p.set_pseudonym(n, "a friend", PseudonymKind::Person, true)
            .unwrap();
    }

    // Every stakeholder export.
    let mut files = Vec::new();
    let settings = p.pack_settings().unwrap();
    let r = pack::export_pack_options(
        &p,
        &settings,
        &out.join("pack.docx"),
        PackOptions {
            variant: PackVariant::Stakeholder,
            large_print: true,
        },
        None,
    )
    .expect("the stakeholder pack");
    assert!(
        r.stories
            .iter()
            .all(|s| !fold(s).contains(&fold(&pseudonym))),
        "{:?}",
        r.stories
    );
    assert_eq!(r.stories.len(), approved.len() - 1);
    files.extend([
        r.docx.clone(),
        r.csv.clone(),
        r.large_print.clone().unwrap(),
    ]);
    p.save_story_check_settings(&StoryCheckSettings {
        researcher: "the research team".into(),
        contact: "01234 567890".into(),
        return_days: 14,
    })
    .unwrap();
    let refused = storyloom_exports::story_check::export_story_check(
        &p,
        &gone_story,
        &out.join("gone-check.docx"),
        None,
    )
    .expect_err("a withdrawn story is not sent again")
    .to_string();
    assert!(refused.contains("withdrawn"), "{refused}");
    assert!(!out.join("gone-check.docx").exists());
    let (_, other_story) = approved.iter().find(|(pid, _)| pid != GONE).unwrap();
    storyloom_exports::story_check::export_story_check(
        &p,
        other_story,
        &out.join("check.docx"),
        None,
    )
    .expect("another story for checking");
    files.push(out.join("check.docx"));
    let themes =
        reports::export_theme_report(&p, &out.join("themes.docx"), &opts).expect("theme report");
    assert!(themes.quotes > 0);
    assert!(
        themes
            .left_out
            .iter()
            .any(|(who, why)| who.contains(GONE) && why.contains("withdrew")),
        "{:?}",
        themes.left_out
    );
    files.push(out.join("themes.docx"));
    reports::export_codebook_docx(&p, &out.join("codebook.docx"), &opts).expect("codebook");
    reports::export_codebook_csv(&p, &out.join("codebook.csv"), &opts).expect("codebook csv");
    let rows =
        reports::export_segments_csv(&p, &out.join("segments.csv"), &opts).expect("segments csv");
    reports::export_segments_xlsx(&p, &out.join("segments.xlsx"), &opts).expect("segments xlsx");
    assert!(rows > 0);
    files.extend(
        [
            "codebook.docx",
            "codebook.csv",
            "segments.csv",
            "segments.xlsx",
        ]
        .map(|f| out.join(f)),
    );

    let mut found = Vec::new();
    for f in &files {
        for (part, text) in folded_parts(f) {
            for (what, why) in &look_for {
                if text.contains(what.as_str()) {
                    found.push(format!("{} {part}: {why} “{what}”", f.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the withdrawn participant is still there:\n{}",
        found.join("\n")
    );

    // The research team's outputs mark them.
    let research = pack::export_pack_options(
        &p,
        &settings,
        &out.join("pack.docx"),
        PackOptions {
            variant: PackVariant::Research,
            large_print: false,
        },
        None,
    )
    .expect("the research pack");
    let text: String = folded_parts(&research.docx)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(
        text.contains(&fold(&format!(
            "Withdrawn: {GONE} ({pseudonym}) withdrew their story"
        ))),
        "the research pack does not mark {GONE} as withdrawn"
    );
    let (qdpx, report) =
        storyloom_exports::refi::export_research_qdpx(&p, &out.join("project.qdpx")).unwrap();
    assert!(
        report
            .remarks
            .iter()
            .any(|r| r.contains("research team only"))
    );
    let mut qde = String::new();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&qdpx).unwrap()).unwrap();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    assert!(
        qde.contains("Research team only"),
        "the project's description"
    );
    let case: String = qde
        .split(&format!("name=\"{GONE}\""))
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take(600)
        .collect();
    assert!(
        case.contains("Withdrawn: they withdrew their story"),
        "{GONE}'s case does not say withdrawn: {case}"
    );
}
