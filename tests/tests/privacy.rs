//! Privacy that holds (issue 11): names are found, matched whatever their
//! Unicode, and no stakeholder export carries one.

use std::path::Path;
use storyloom_e2e::*;
use storyloom_exports::gate;
use storyloom_exports::pack::{self, PackVariant};
use storyloom_project::Project;
use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::stories::PseudonymKind;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};

fn sample(dir: &Path) -> Project {
    Project::create_from_folder(
        &dir.join("sample.storyloom"),
        &sample_dir(),
        &mut |_, _, _| {},
    )
    .expect("build the sample project")
    .0
}

fn approve(p: &mut Project, id: &str) {
    p.record_story_sent(id, SendMethod::ReadAloud, Some("2026-03-01"), None)
        .expect("sent");
    p.approve_story_with(
        id,
        &ApprovalInput {
            how: "phone",
            date: Some("2026-03-02"),
            revision: None,
            scopes: Some(&[ConsentScope::Workshop, ConsentScope::Report]),
        },
        None,
    )
    .expect("approve");
}

/// Every participant's name and its parts.
fn real_names(p: &Project) -> Vec<String> {
    let mut out = Vec::new();
    for part in p.participants().unwrap() {
        if let Some(n) = part.name {
            out.push(n.clone());
            out.extend(n.split_whitespace().map(str::to_owned));
        }
    }
    out
}

#[test]
fn the_sample_pack_holds_no_participant_name_with_an_empty_map() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    assert!(p.pseudonyms().unwrap().is_empty(), "the map starts empty");
    let id = p.draft_story("P01").expect("draft P01");
    approve(&mut p, &id);
    let mut s = p.pack_settings().unwrap();
    s.stories = vec![id.clone()];
    let out = dir.path().join("pack.docx");
    // The storyteller's own names are in the map from the start.
    let map = p.pseudonym_map(None).unwrap();
    assert!(
        map.entries().iter().any(|e| e.original == "Doreen"),
        "{:?}",
        map.entries()
    );
    let rendered = p.render_story(&id, None).unwrap().plain_text();
    assert!(!rendered.contains("Doreen"), "{rendered}");
    // Names found in the text but not reviewed stop the pack, listed.
    match pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None) {
        Err(pack::PackError::Gate(e)) => {
            let msg = e.to_string();
            // Another participant's first name said in this story, and a
            // doctor's name nobody put in the map.
            assert!(msg.contains("'Priya'"), "{msg}");
            assert!(
                msg.contains("Dr Hussain (found in the transcripts, not reviewed)"),
                "{msg}"
            );
        }
        other => panic!("expected the unreviewed names to stop the pack: {other:?}"),
    }
    assert!(!out.exists());
    settle_names(&mut p);
    let report =
        pack::export_pack_with(&p, &s, &out, PackVariant::Stakeholder, None).expect("pack");
    let checked = report.checked.expect("checked").to_string();
    assert!(
        checked.contains("reviewed, 0 left; none of the"),
        "{checked}"
    );
    let leaks = gate::scan_docx(&out, &real_names(&p)).unwrap();
    assert!(leaks.is_empty(), "{leaks:?}");
}

#[test]
fn an_nfd_entry_in_capitals_with_invisible_characters_is_still_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample(dir.path());
    let id = p.draft_story("P01").expect("draft P01");
    let text = p.render_story_research(&id).unwrap().plain_text();
    // A word of the story that the map does not replace yet: its first
    // capitalised word that is not a sentence start.
    let word = storyloom_project::privacy::find_names(&[text.as_str()])
        .into_iter()
        .map(|c| c.name)
        .find(|n| {
            !n.contains(' ')
                && n.chars().count() > 3
                && !p
                    .pseudonym_map(None)
                    .unwrap()
                    .entries()
                    .iter()
                    .any(|e| e.original == *n)
        })
        .expect("a name in the story");
    // The entry typed in NFD capitals with a soft hyphen and a ZWJ inside.
    let mut typed: String = word.to_uppercase();
    typed.insert(1, '\u{ad}');
    typed.insert(3, '\u{200d}');
    p.set_pseudonym(&typed, "Zoe\u{308}", PseudonymKind::Person, true)
        .unwrap();
    let out = p.render_story(&id, None).unwrap().plain_text();
    assert!(out.contains("[Zoë]"), "{out}");
    let leaks = gate::scan_text("story", &out, std::slice::from_ref(&word));
    assert!(leaks.is_empty(), "{word}: {leaks:?}");
}
