//! Tests of the drafting rules on small hand-written turns.

use super::*;

#[test]
fn splitter_keeps_titles_initials_and_abbreviations() {
    let text = "I saw Dr. Patel and Mrs. Jones. We met at St. Aidan's, e.g. on Fridays! J. R. came too. Then it rained… And so on";
    let got: Vec<String> = sentences(text, 0)
        .into_iter()
        .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
        .collect();
    assert_eq!(
        got,
        [
            "I saw Dr. Patel and Mrs. Jones.",
            "We met at St. Aidan's, e.g. on Fridays!",
            "J. R. came too.",
            "Then it rained…",
            "And so on"
        ]
    );
}

fn doc_of(text: &str) -> crate::SourceDoc {
    let n = text.chars().count();
    crate::SourceDoc {
        document: "d".into(),
        name: "d.txt".into(),
        version: 1,
        current: true,
        text: text.to_owned(),
        turns: vec![crate::SourceTurn {
            seq: 0,
            start: 0,
            end: n,
            role: storyloom_text::model::Role::Participant,
            speaker: "P".into(),
            participant_id: Some(storyloom_text::ids::ParticipantId(1)),
        }],
        index: Default::default(),
    }
}

#[test]
fn the_draft_favours_key_quotes_and_cues_fits_the_budget_and_repeats_itself() {
    // 150 plain sentences of 12 words, one key quote, one with cues.
    let mut text = String::new();
    for i in 0..150 {
        text.push_str(&format!(
            "Sentence {i} tells of weather and gardens and buses and tea together. "
        ));
    }
    let key = "The choir gave me back my voice after years of silence at home. ";
    let cue = "Now I feel it matters because the link worker helped me first. ";
    let k0 = text.chars().count();
    text.push_str(key);
    let c0 = text.chars().count();
    text.push_str(cue);
    for i in 150..200 {
        text.push_str(&format!(
            "Sentence {i} tells of weather and gardens and buses and tea together. "
        ));
    }
    let mut sources = Sources::new();
    sources.insert(1, doc_of(&text));
    let rules = StoryRules::default();
    let input = DraftInput {
        sources: &sources,
        turns: vec![(1, 0)],
        codings: vec![DraftCoding {
            version_id: 1,
            start: k0,
            end: k0 + 20,
            key_quote: true,
            themed: true,
        }],
        rules: &rules,
    };
    let d = draft(&input);
    assert!(
        (rules.draft_min_words..=rules.draft_max_words).contains(&d.words),
        "{}",
        d.words
    );
    let picked: Vec<(usize, usize)> = d
        .blocks
        .iter()
        .flat_map(|b| match b {
            BlockContent::Excerpt { pieces } => {
                pieces.iter().map(|p| (p.span.start, p.span.end)).collect()
            }
            BlockContent::Framing { .. } => vec![],
        })
        .collect();
    assert!(
        picked.iter().any(|(s, e)| *s <= k0 && k0 < *e),
        "the key quote was left out"
    );
    assert!(
        picked.iter().any(|(s, e)| *s <= c0 && c0 < *e),
        "the cue sentence was left out"
    );
    // Interview order, and the same draft twice.
    assert!(picked.windows(2).all(|w| w[0].1 <= w[1].0));
    let again = draft(&input);
    assert_eq!(format!("{:?}", again.blocks), format!("{:?}", d.blocks));
}

#[test]
fn run_on_sentences_split_after_commas() {
    let long = format!(
        "{}, {}, {}",
        "word ".repeat(60).trim(),
        "more ".repeat(60).trim(),
        "end ".repeat(40).trim()
    );
    let parts = split::clauses(&long, 10);
    assert_eq!(parts.len(), 3, "{parts:?}");
    assert_eq!(parts[0], (10, 10 + 300));
    let short = "A short one, with a comma.";
    assert_eq!(split::clauses(short, 0), vec![(0, 26)]);
}

#[test]
fn splitter_breaks_at_line_ends() {
    let text = "first line\nsecond. Third";
    assert_eq!(sentences(text, 5), vec![(5, 15), (16, 23), (24, 29)]);
}

// ---- the drafting rules on small hand-written interviews ----

use crate::model::{Block, Story, StoryStatus};
use storyloom_text::model::Role;

/// An interview: (interviewer?, words) turns, labelled "Sarah Kendall" and "Dot".
pub(super) fn interview(turns: &[(bool, &str)]) -> crate::SourceDoc {
    let mut text = String::new();
    let mut out = Vec::new();
    for (seq, (asks, words)) in turns.iter().enumerate() {
        let label = if *asks { "Sarah Kendall: " } else { "Dot: " };
        text.push_str(label);
        let start = text.chars().count();
        text.push_str(words);
        let end = text.chars().count();
        text.push_str("\n\n");
        out.push(crate::SourceTurn {
            seq,
            start,
            end,
            role: if *asks {
                Role::Interviewer
            } else {
                Role::Participant
            },
            speaker: if *asks { "Sarah Kendall" } else { "Dot" }.into(),
            participant_id: if *asks {
                None
            } else {
                Some(storyloom_text::ids::ParticipantId(1))
            },
        });
    }
    crate::SourceDoc {
        document: "d".into(),
        name: "d.txt".into(),
        version: 1,
        current: true,
        text,
        turns: out,
        index: Default::default(),
    }
}

/// Plain talk of `n` varied sentences, so that budgets are tested.
pub(super) fn talk(seed: usize, n: usize) -> String {
    const THINGS: [&str; 8] = [
        "garden",
        "market",
        "allotment",
        "library",
        "bakery",
        "canal",
        "bus",
        "park",
    ];
    const DONE: [&str; 6] = [
        "weeded the beds",
        "bought some apples",
        "watched the ducks",
        "read the paper",
        "waited in the rain",
        "counted the boats",
    ];
    (0..n)
        .map(|i| {
            let k = seed * 31 + i * 7;
            format!(
                "On day {k} I went along to the {} and {} for a while.",
                THINGS[k % THINGS.len()],
                DONE[(k / 3) % DONE.len()]
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) struct Drafted {
    pub draft: Draft,
    pub paragraphs: Vec<String>,
    pub report: crate::CheckReport,
}

pub(super) fn draft_of(doc: crate::SourceDoc, keys: &[&str]) -> Drafted {
    let mut codings = Vec::new();
    for k in keys {
        let at = doc.text.find(k).expect("key quote in the text");
        let start = doc.text[..at].chars().count();
        codings.push(DraftCoding {
            version_id: 1,
            start,
            end: start + k.chars().count(),
            key_quote: true,
            themed: true,
        });
    }
    let turns: Vec<(i64, usize)> = doc
        .turns
        .iter()
        .enumerate()
        .filter(|(_, t)| t.role == Role::Participant)
        .map(|(i, _)| (1, i))
        .collect();
    let mut sources = Sources::new();
    sources.insert(1, doc);
    let rules = StoryRules::default();
    let draft = draft(&DraftInput {
        sources: &sources,
        turns,
        codings,
        rules: &rules,
    });
    let story = Story {
        uuid: "s".into(),
        participant: Some("P01".into()),
        participant_id: Some(storyloom_text::ids::ParticipantId(1)),
        title: draft.title.clone(),
        pseudonym: String::new(),
        role_line: String::new(),
        status: StoryStatus::Draft,
        revision: 1,
        approval: None,
        sent_on: None,
        blocks: draft
            .blocks
            .iter()
            .enumerate()
            .map(|(i, c)| Block {
                uuid: format!("b{i}"),
                content: c.clone(),
                lost_pieces: 0,
            })
            .collect(),
        themes: vec![],
        created_at: String::new(),
        updated_at: String::new(),
    };
    let rendered = crate::render(&story, &sources, None);
    let map = crate::PseudonymMap::default();
    let report = crate::check(&story, &sources, &rendered, &map, &rules);
    Drafted {
        paragraphs: rendered.paragraphs.iter().map(|p| p.text()).collect(),
        draft,
        report,
    }
}

impl Drafted {
    pub(super) fn all(&self) -> String {
        self.paragraphs.join("\n")
    }
    pub(super) fn assert_clean(&self) {
        let errors: Vec<String> = self.report.errors().map(|f| f.message.clone()).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{}", self.all());
    }
}

#[test]
fn a_pronoun_whose_name_was_asked_about_is_clarified_in_brackets() {
    let doc = interview(&[
        (true, "Could you tell me about Jean?"),
        (
            false,
            "She runs the choir every Thursday at the hall and she has done for years, ever since the old vicar asked her to take it on when nobody else would. She made me feel welcome from the very first week, and she still rings me if I miss a Thursday, which is not often now. She is the reason I kept going when I wanted to give up.",
        ),
        (true, "And the bus?"),
        (false, &talk(1, 6)),
    ]);
    let d = draft_of(doc, &["She is the reason I kept going"]);
    d.assert_clean();
    assert!(d.all().contains("She [Jean] runs the choir"), "{}", d.all());
}

#[test]
fn a_pronoun_with_no_single_name_reaches_back_or_is_skipped() {
    let doc = interview(&[
        (true, "What happened next?"),
        (
            false,
            &format!(
                "{} My neighbour Alan and his brother Ken came round that winter with a box of logs for the fire. He said the choir needed tenors and he would drive me there himself on the Thursday night if I would only give it a go. He was as good as his word and I have not missed a week since that night.",
                talk(2, 3)
            ),
        ),
        (true, "Anything else?"),
        (false, &talk(3, 8)),
    ]);
    let d = draft_of(doc, &["He was as good as his word"]);
    d.assert_clean();
    for p in &d.paragraphs {
        let p = p.trim_start_matches("… ");
        assert!(!p.starts_with("He "), "an unresolved pronoun opens: {p}");
    }
    assert!(
        d.all().contains("He was as good as his word"),
        "{}",
        d.all()
    );
    assert!(d.all().contains("Alan and his brother Ken"), "{}", d.all());
}

#[test]
fn bare_answers_housekeeping_and_talk_to_the_interviewer_are_left_out() {
    let doc = interview(&[
        (
            true,
            "Is the recorder okay there? And is it alright to record?",
        ),
        (
            false,
            "As long as you don't play it on the radio. [laughs] Yes, go on, it's fine by me, I signed the consent form.",
        ),
        (true, "How long have you lived here?"),
        (false, "Years, Sarah. Years."),
        (true, "Were you alright after the fall?"),
        (
            false,
            &format!(
                "No, I'm alright. I'm daft. {} You know, Sarah, I never thought I'd sing again after Ron passed, not in front of people, not ever. Would you like another cup of tea?",
                talk(4, 5)
            ),
        ),
        (true, "Tell me more."),
        (false, &talk(5, 8)),
    ]);
    let d = draft_of(doc, &[]);
    d.assert_clean();
    let all = d.all();
    for gone in [
        "radio",
        "consent",
        "Years",
        "Sarah",
        "I'm daft",
        "cup of tea",
    ] {
        assert!(!all.contains(gone), "“{gone}” was drafted:\n{all}");
    }
}

#[test]
fn a_key_quote_with_transcription_marks_is_kept_whole() {
    let key = "And she said, \"You must be Doreen. We've been waiting for you.\" [pause] Now I know she says that to everybody. [laughs] But at the time, I thought, somebody's been waiting for me.";
    let doc = interview(&[
        (true, "What was the first night like?"),
        (false, &talk(6, 12)),
        (true, "And when you walked in, Jean was there?"),
        (
            false,
            &format!("I was shaking at the door of the hall. {key}"),
        ),
        (true, "Go on."),
        (false, &talk(7, 12)),
    ]);
    let d = draft_of(doc, &[key]);
    d.assert_clean();
    assert!(
        d.all().contains(key),
        "the key quote was not kept whole:\n{}",
        d.all()
    );
}

#[test]
fn every_gap_between_blocks_is_visible_and_no_block_ends_mid_sentence() {
    let mut turns: Vec<(bool, String)> = vec![];
    for i in 0..12 {
        turns.push((true, "And then?".to_owned()));
        turns.push((false, talk(10 + i, 9)));
    }
    let turns: Vec<(bool, &str)> = turns.iter().map(|(a, t)| (*a, t.as_str())).collect();
    let doc = interview(&turns);
    let d = draft_of(doc, &[]);
    d.assert_clean();
    eprintln!("{}", d.all());
    assert!(
        d.draft.words >= StoryRules::default().draft_min_words,
        "{}",
        d.draft.words
    );
    assert!(
        (2..=12).contains(&d.paragraphs.len()),
        "{}",
        d.paragraphs.len()
    );
    for p in &d.paragraphs {
        assert!(
            p.ends_with('.') || p.ends_with(" …"),
            "a block ends mid-sentence: {p}"
        );
    }
    // Every turn is 9 sentences: a paragraph after the first starts with an
    // ellipsis unless the previous one ended its turn and this one starts the next.
    let marked = d.paragraphs[1..]
        .iter()
        .filter(|p| p.starts_with("… "))
        .count();
    assert!(marked > 0, "{}", d.all());
}

#[test]
fn the_title_is_a_short_phrase_of_the_storyteller_not_a_fragment() {
    let doc = interview(&[
        (true, "Why does it matter?"),
        (
            false,
            &format!(
                "Because when it was finished I'd be going home to nobody. {} The choir gave me back my voice. And that's why it matters.",
                talk(20, 4)
            ),
        ),
        (true, "More?"),
        (false, &talk(21, 10)),
    ]);
    let d = draft_of(doc, &["The choir gave me back my voice."]);
    assert_eq!(d.draft.title, "The choir gave me back my voice");
    assert!(d.draft.title_alternatives.len() <= 2);
    for t in std::iter::once(&d.draft.title).chain(&d.draft.title_alternatives) {
        assert!(title_flags(t).is_empty(), "{t}: {:?}", title_flags(t));
    }
    assert!(!title_flags("Because when it was finished I'd be going").is_empty());
    assert!(!title_flags("That's why it matters").is_empty());
    assert!(!title_flags("My name is Winston Clarke").is_empty());
    assert!(!title_flags("Everyone calls me Win, I'm called Win").is_empty());
    assert!(title_flags("A friendly face at the door").is_empty());
}

#[test]
fn the_role_line_comes_from_the_participant_attributes() {
    let a = RoleAttributes {
        gender: Some("woman".into()),
        age_band: Some("75-84".into()),
        activity: Some("Choir".into()),
        role: Some("participant".into()),
        ..Default::default()
    };
    assert_eq!(role_line(&a), "a woman in her seventies who joined a choir");
    let b = RoleAttributes {
        gender: Some("man".into()),
        age_band: Some("65-74".into()),
        activity: Some("Museum object handling".into()),
        role: None,
        ..Default::default()
    };
    assert_eq!(
        role_line(&b),
        "a man in his sixties who took part in museum object handling"
    );
    assert_eq!(role_line(&RoleAttributes::default()), "");
}

#[test]
fn a_short_answer_without_an_answer_word_never_opens_a_passage() {
    use super::opening::verbless_answer;
    assert!(verbless_answer("About two years."));
    assert!(verbless_answer("Three weeks before the first lockdown."));
    assert!(verbless_answer("Type 2, same as me."));
    assert!(!verbless_answer("I went every week."));
    assert!(!verbless_answer("It was raining."));
    assert!(!verbless_answer(
        "Thirty-one years, and I leave three weeks before the biggest thing."
    ));
}

#[test]
fn a_short_phrase_without_a_verb_that_names_something_said_before_never_opens_a_passage() {
    use super::opening::leaning_phrase;
    assert!(leaning_phrase(
        "The old kind, paraffin, with the tall chimney and the handle on top."
    ));
    assert!(leaning_phrase("The link worker, that's it."));
    assert!(leaning_phrase("Not the people, the people were fine."));
    assert!(!leaning_phrase("The next week, I went back."));
    assert!(!leaning_phrase("The link worker, they call her."));
    assert!(!leaning_phrase("The bass is -- how can I say it."));
    assert!(!leaning_phrase("The choir gave me back my voice."));
    assert!(!leaning_phrase(
        "Thursday night especially, I sleep like a baby."
    ));
}
