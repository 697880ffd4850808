//! Every export replaces its file only when whole: a `storyloom export ...`
//! killed with SIGKILL at a random moment leaves the previous file byte for
//! byte (or, if the kill came after the rename, the whole new one), and the
//! next run removes the temporary file the killed one left. A refused export
//! leaves the previous file untouched.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed unwrap is a failed test"
)]
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use storyloom_exports::pack::{self, PackError, PackVariant};
use storyloom_project::Project;
use storyloom_project::project::consent_ops::ApprovalInput;
use storyloom_project::project::pack_ops::StoryCheckSettings;
use storyloom_project::stories::consent::{ConsentScope, SendMethod};

const PLANTED: &str = "Zebedee Quarrington";

fn storyloom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storyloom"))
}

/// The sample study with three approved stories and the story-check contact.
fn project(dir: &Path) -> (PathBuf, Vec<String>) {
    let path = dir.join("study.storyloom");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let mut p = Project::create_from_folder(&path, &sample, &mut |_, _, _| {})
        .expect("build the sample project")
        .0;
    p.set_pseudonym(
        PLANTED,
        "Tom Baker",
        storyloom_project::stories::PseudonymKind::Person,
        true,
    )
    .expect("pseudonym");
    let mut ids = Vec::new();
    for part in p.participants().expect("participants") {
        if ids.len() == 3 {
            break;
        }
        let Ok(id) = p.draft_story(&part.id) else {
            continue;
        };
        p.record_story_sent(&id, SendMethod::ReadAloud, Some("2026-03-01"), None)
            .expect("sent");
        p.approve_story_with(
            &id,
            &ApprovalInput {
                how: "in person",
                date: Some("2026-03-02"),
                revision: None,
                scopes: Some(&[ConsentScope::Workshop, ConsentScope::Report]),
            },
            None,
        )
        .expect("approve");
        ids.push(id);
    }
    assert!(ids.len() == 3, "the sample study drafts 3 stories");
    settle_names(&mut p);
    p.save_story_check_settings(&StoryCheckSettings {
        researcher: "Ana Researcher".into(),
        contact: "01234 567890".into(),
        return_days: 14,
    })
    .expect("contact");
    (path, ids)
}

/// Settles the names found in the text, as a researcher does before a
/// stakeholder export: participants' names replaced everywhere (the study id
/// where their pseudonym is a real name elsewhere), the rest not identifying.
fn settle_names(p: &mut Project) {
    for e in p.own_names_map().expect("own names").entries() {
        if e.scope.is_some()
            && p.set_pseudonym(&e.original, &e.replacement, e.kind, true)
                .is_err()
        {
            let id = e.scope.clone().unwrap_or_default();
            p.set_pseudonym(&e.original, &id, e.kind, true)
                .expect("own name");
        }
    }
    let originals: Vec<String> = p
        .pseudonym_map(None)
        .expect("map")
        .entries()
        .iter()
        .map(|e| storyloom_project::privacy::fold(&e.original))
        .collect();
    let names: Vec<String> = p
        .unreviewed_names(None)
        .expect("names")
        .into_iter()
        .filter(|n| !originals.contains(&n.key))
        .map(|n| n.name)
        .collect();
    p.review_names(
        &names,
        storyloom_project::store::pseudonyms::Verdict::NotIdentifying,
        "test",
    )
    .expect("review");
}

fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".storyloom-tmp-") || n.ends_with(".part"))
        .collect()
}

/// A whole file of its kind: a zip whose every entry reads, or CSV/XML
/// text that ends where a writer ends it.
fn whole(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    if bytes.starts_with(b"PK") {
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) else {
            return false;
        };
        (0..zip.len()).all(|i| {
            zip.by_index(i)
                .is_ok_and(|mut e| std::io::copy(&mut e, &mut std::io::sink()).is_ok())
        })
    } else {
        let text = String::from_utf8_lossy(&bytes);
        text.ends_with('\n') || text.trim_end().ends_with('>')
    }
}

/// xorshift: enough randomness for kill moments, with the seed printed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn exports_killed_at_random_moments_leave_the_previous_file_and_no_temp() {
    let dir = tempfile::tempdir().unwrap();
    let (proj, ids) = project(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let proj = proj.to_str().unwrap().to_owned();
    let o = |name: &str| out.join(name).to_str().unwrap().to_owned();
    let exports: Vec<(Vec<String>, Vec<String>)> = vec![
        (
            // A name that says research team only is kept as given.
            vec!["export", "qdpx", &proj, &o("p-research-team-only.qdpx")],
            vec![o("p-research-team-only.qdpx")],
        ),
        (vec!["export", "qdc", &proj, &o("c.qdc")], vec![o("c.qdc")]),
        (
            vec!["export", "pack", &proj, &o("pack.docx"), "--large-print"],
            vec![
                o("pack.docx"),
                o("pack-large-print.docx"),
                o("pack-recording-sheet.csv"),
            ],
        ),
        (
            vec!["export", "story-check", &proj, &ids[0], &o("check.docx")],
            vec![o("check.docx")],
        ),
        (
            vec!["export", "theme-report", &proj, &o("themes.docx")],
            vec![o("themes.docx")],
        ),
        (
            vec!["export", "codebook", &proj, &o("codebook.docx")],
            vec![o("codebook.docx")],
        ),
        (
            vec!["export", "codebook", &proj, &o("cb.csv"), "--format", "csv"],
            vec![o("cb.csv")],
        ),
        (
            vec!["export", "segments", &proj, &o("seg.xlsx")],
            vec![o("seg.xlsx")],
        ),
        (
            vec![
                "export",
                "segments",
                &proj,
                &o("seg.csv"),
                "--format",
                "csv",
            ],
            vec![o("seg.csv")],
        ),
        (
            vec!["export-turns", &proj, &o("turns.csv")],
            vec![o("turns.csv")],
        ),
    ]
    .into_iter()
    .map(|(a, f)| (a.into_iter().map(String::from).collect(), f))
    .collect();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill-moment seed {seed}");
    let mut rng = Rng(seed);
    let (mut killed, mut mid_write) = (0, 0);
    for (args, files) in &exports {
        // A first, whole export: the "previous file".
        let t = Instant::now();
        let first = storyloom().args(args).output().unwrap();
        assert!(
            first.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&first.stderr)
        );
        let took = t.elapsed().max(Duration::from_millis(5));
        let read = || -> Vec<Vec<u8>> { files.iter().map(|f| std::fs::read(f).unwrap()).collect() };
        let mut previous = read();
        for _ in 0..10 {
            let wait = took.mul_f64(0.3 + (rng.next() % 1000) as f64 / 1000.0);
            let mut child = storyloom()
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(wait);
            let _ = child.kill();
            let status = child.wait().unwrap();
            if !status.success() {
                killed += 1;
            }
            if !temps(&out).is_empty() {
                mid_write += 1;
            }
            for (f, before) in files.iter().zip(&previous) {
                let now = std::fs::read(f).unwrap();
                assert!(
                    &now == before || whole(Path::new(f)),
                    "{args:?} killed after {wait:?}: {f} is neither the previous file nor a whole new one"
                );
            }
            previous = read();
            // Only the temp of the run just killed may be left; each run cleans earlier ones.
            assert!(temps(&out).len() <= files.len(), "{:?}", temps(&out));
        }
    }
    // One more whole run of each: no temporary file is left anywhere.
    for (args, _) in &exports {
        let r = storyloom().args(args).output().unwrap();
        assert!(r.status.success(), "{args:?}");
    }
    assert_eq!(temps(&out), Vec::<String>::new());
    eprintln!("{killed} runs killed, {mid_write} of them while a temporary file was open");
    assert!(
        killed > 0,
        "no run was killed: the kill moments are too late"
    );
}

#[test]
fn a_refused_pack_leaves_the_previous_pack_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (proj, ids) = project(dir.path());
    let p = Project::open(&proj).unwrap();
    let out = dir.path().join("pack.docx");
    let mut s = p.pack_settings().unwrap();
    s.title = "Stories of later life".into();
    s.stories = vec![ids[0].clone()];
    let opts = pack::PackOptions {
        variant: PackVariant::Stakeholder,
        large_print: true,
    };
    pack::export_pack_options(&p, &s, &out, opts, None).expect("a clean pack");
    let files = [
        out.clone(),
        pack::large_print_path(&out),
        pack::csv_path(&out),
    ];
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    s.title = format!("Stories told to {PLANTED}");
    match pack::export_pack_options(&p, &s, &out, opts, None) {
        Err(PackError::Gate(e)) => assert!(e.to_string().contains(PLANTED), "{e}"),
        Err(e) => panic!("expected the gate to refuse, got {e}"),
        Ok(_) => panic!("the pack was written with {PLANTED} on its cover"),
    }
    for (f, b) in files.iter().zip(&before) {
        assert_eq!(&std::fs::read(f).unwrap(), b, "{} changed", f.display());
    }
    assert_eq!(temps(dir.path()), Vec::<String>::new());
}
