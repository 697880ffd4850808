//! Bare answers that have a verb ("Yes, I did." "No, it was fine." "I think
//! so."): the draft never opens a passage with one (it starts after it,
//! visibly, when what follows stands on its own), and the story-quality
//! report flags a block that does, with a fix. Hand-written turns only.

use super::tests::{draft_of, interview, talk};
use crate::model::{Block, BlockContent, Gap, Piece, SourceSpan, Story, StoryRules, StoryStatus};
use crate::quality::{QualityInput, QualityReport, quality};
use crate::render::{SourceDoc, Sources};

#[test]
fn the_draft_never_opens_a_passage_with_an_answer_that_needs_its_question() {
    let doc = interview(&[
        (true, "Did you go back the next week?"),
        (false, &format!("Yes, I did. {}", talk(30, 6))),
        (true, "Was it hard, the first time?"),
        (false, &format!("It was, yeah. {}", talk(31, 6))),
        (true, "Do you still sing at home?"),
        (false, &format!("I do, I do. {}", talk(32, 6))),
        (true, "Did you make friends there?"),
        (
            false,
            "Yes, I did, I made friends with the whole alto section and we go for a coffee after, every week, rain or shine, and they ring me when I'm poorly.",
        ),
        (true, "Were you lonely before?"),
        (
            false,
            &format!("No, I wasn't, I had the dog. {}", talk(33, 6)),
        ),
        (true, "Tell me more."),
        (false, &talk(34, 8)),
    ]);
    let d = draft_of(
        doc,
        &["I made friends with the whole alto section and we go for a coffee after"],
    );
    d.assert_clean();
    let all = d.all();
    for p in &d.paragraphs {
        let p = p.trim_start_matches("… ");
        for bare in [
            "Yes, I did",
            "I did.",
            "It was, yeah",
            "I do, I do",
            "No, I wasn't",
        ] {
            assert!(
                !p.starts_with(bare),
                "a passage opens with “{bare}”:\n{all}"
            );
        }
    }
    // The answer is cut visibly and the words that stand on their own kept.
    assert!(
        all.contains("… I made friends with the whole alto section"),
        "{all}"
    );
    assert!(!all.contains("I did, I made friends"), "{all}");
}

fn piece(doc: &SourceDoc, needle: &str, clarification: Option<&str>) -> Piece {
    let at = doc.text.find(needle).expect(needle);
    let start = doc.text[..at].chars().count();
    let end = start + needle.chars().count();
    Piece {
        span: SourceSpan {
            id: None,
            document: doc.document.clone(),
            version_id: 1,
            start,
            end,
            quote: needle.to_owned(),
        },
        gap: Gap::Join,
        replace: None,
        clarification: clarification.map(str::to_owned),
    }
}

/// The quality report of a story whose blocks are the given pieces (one block each).
fn report_of(doc: SourceDoc, blocks: &[(&str, Option<&str>)]) -> QualityReport {
    let story = Story {
        uuid: "s".into(),
        participant: Some("P01".into()),
        participant_id: Some(storyloom_text::ids::ParticipantId(1)),
        title: String::new(),
        pseudonym: String::new(),
        role_line: String::new(),
        status: StoryStatus::Draft,
        revision: 1,
        approval: None,
        sent_on: None,
        blocks: blocks
            .iter()
            .enumerate()
            .map(|(i, (needle, clar))| Block {
                uuid: format!("b{i}"),
                content: BlockContent::Excerpt {
                    pieces: vec![piece(&doc, needle, *clar)],
                },
                lost_pieces: 0,
            })
            .collect(),
        themes: vec![],
        created_at: String::new(),
        updated_at: String::new(),
    };
    let mut sources = Sources::new();
    sources.insert(1, doc);
    let rendered = crate::render(&story, &sources, None);
    quality(&QualityInput {
        story: &story,
        sources: &sources,
        rendered: &rendered,
        key_quotes: &[],
        rules: &StoryRules::default(),
    })
}

#[test]
fn the_quality_report_flags_an_answer_with_a_verb_and_suggests_a_fix() {
    let doc = interview(&[
        (true, "Did you go back the next week?"),
        (
            false,
            "Yes, I did. I had me hand on the door and Jean was there with the kettle on.",
        ),
        (true, "Did you make friends?"),
        (
            false,
            "Yes, I did, I made friends with the whole alto section straight away.",
        ),
        (true, "Were you nervous?"),
        (false, "I was."),
        (true, "And the bus?"),
        (false, "I went on the number nine bus every Thursday."),
    ]);
    let r = report_of(
        doc.clone(),
        &[
            (
                "Yes, I did. I had me hand on the door and Jean was there with the kettle on.",
                None,
            ),
            (
                "Yes, I did, I made friends with the whole alto section straight away.",
                None,
            ),
            ("I was.", None),
            ("I went on the number nine bus every Thursday.", None),
        ],
    );
    let fixes: Vec<(usize, String)> = r
        .unresolved_starts
        .iter()
        .map(|s| (s.block, s.fix.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        fixes.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![0, 1, 2],
        "{fixes:#?}"
    );
    assert!(
        fixes[0].1.contains("“Yes, I did [go back the next week]”")
            && fixes[0]
                .1
                .contains("start the block at “I had me hand on the door and …”"),
        "{}",
        fixes[0].1
    );
    assert_eq!(
        fixes[1].1,
        "cut “Yes, I did”, so that the block starts “I made friends with the whole alto section …”"
    );
    assert!(fixes[2].1.contains("“I was [nervous]”"), "{}", fixes[2].1);
    // Once the researcher says in brackets what it answers, it reads.
    let r = report_of(doc, &[("I was", Some("nervous"))]);
    assert!(r.unresolved_starts.is_empty(), "{:?}", r.unresolved_starts);
}
