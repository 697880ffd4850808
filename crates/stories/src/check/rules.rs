//! Edits that could change what was said without anyone seeing: a
//! replacement may stand only for a name or identifying detail (an original
//! of the pseudonym map) or, with a warning, for at most a few words; a
//! replacement of a clause or sentence is an error. Framing is the
//! researcher's voice: written in the first person it reads as the
//! storyteller speaking, which is an error.

use super::*;

/// Most words a replacement outside the pseudonym map may stand for (with a warning).
pub const REPLACE_MAX_WORDS: usize = 3;

/// First-person words: the storyteller's voice, never the researcher's framing.
const FIRST_PERSON: &[&str] = &[
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
];

/// Does the map name all of these words (a name or identifying detail)?
pub fn covered_by_map(quote: &str, map: &PseudonymMap) -> bool {
    let words = tokens(quote, 0);
    if words.is_empty() {
        return false;
    }
    let hits = map.find_all(quote);
    words
        .iter()
        .all(|t| hits.iter().any(|(s, e, _)| *s <= t.start && t.end <= *e))
}

/// Why a replacement of `quote` would change meaning unseen: `Err` for an
/// error, `Ok(Some)` for a warning, `Ok(None)` when it stands for a map original.
pub fn replacement_risk(quote: &str, map: &PseudonymMap) -> Result<Option<String>, String> {
    if covered_by_map(quote, map) {
        return Ok(None);
    }
    let n = tokens(quote, 0).len();
    let shown = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if n > REPLACE_MAX_WORDS {
        Err(format!(
            "a replacement stands for {n} words (“{shown}”): it may stand only for a name or identifying detail in the pseudonym map, or a few words; cut the words visibly or add the detail to the map"
        ))
    } else {
        Ok(Some(format!(
            "“{shown}” is replaced but is not in the pseudonym map: check that the replacement keeps the meaning"
        )))
    }
}

/// The first-person words of a text, outside quotation marks.
pub fn first_person_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut word = String::new();
    let flush = |w: &mut String, quoted: bool, out: &mut Vec<String>| {
        let lw = w.to_lowercase().replace('’', "'");
        let base = lw.split('\'').next().unwrap_or("").to_owned();
        if !quoted && FIRST_PERSON.contains(&base.as_str()) && !out.contains(w) {
            out.push(w.clone());
        }
        w.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' {
            word.push(c);
            continue;
        }
        flush(&mut word, quoted, &mut out);
        match c {
            '"' => quoted = !quoted,
            '“' => quoted = true,
            '”' => quoted = false,
            _ => {}
        }
    }
    flush(&mut word, quoted, &mut out);
    out
}

/// Checks the replacements of an excerpt and the person of framing.
pub(super) fn check_meaning(
    story: &Story,
    rendered: &RenderedStory,
    map: &PseudonymMap,
    out: &mut Out,
) {
    for (bi, b) in story.blocks.iter().enumerate() {
        let Some(para) = rendered.paragraphs.get(bi) else {
            continue;
        };
        let ranges = run_ranges(para);
        let whole = (0, ranges.last().map_or(0, |r| r.1));
        match &b.content {
            BlockContent::Framing { text } => {
                let words = first_person_words(text);
                if !words.is_empty() {
                    out.push(8, Severity::Error, Some(bi), whole, format!(
                        "framing in the first person (“{}”) reads as the storyteller speaking: write it in the third person (“She joined the choir…”)",
                        words.join("”, “")
                    ));
                }
            }
            BlockContent::Excerpt { pieces } => {
                for p in pieces.iter().filter(|p| p.replace.is_some()) {
                    let at = para
                        .runs
                        .iter()
                        .zip(&ranges)
                        .find(|(r, _)| {
                            r.kind == RunKind::Replacement
                                && r.source.as_ref().is_some_and(|s| {
                                    s.version_id == p.span.version_id && s.start == p.span.start
                                })
                        })
                        .map_or(whole, |(_, range)| *range);
                    match replacement_risk(&p.span.quote, map) {
                        Ok(None) => {}
                        Ok(Some(w)) => out.push(2, Severity::Warning, Some(bi), at, w),
                        Err(e) => out.push(2, Severity::Error, Some(bi), at, e),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Gap, Piece, Pseudonym, PseudonymKind, SourceSpan, StoryStatus};

    fn map() -> PseudonymMap {
        PseudonymMap::new(vec![Pseudonym {
            original: "Moss Lane Community Centre".into(),
            replacement: "a community centre".into(),
            kind: PseudonymKind::Place,
            confirmed: true,
            scope: None,
        }])
    }

    #[test]
    fn a_replacement_stands_for_a_map_original_or_a_few_words_never_a_clause() {
        let m = map();
        assert_eq!(replacement_risk("Moss Lane Community Centre", &m), Ok(None));
        assert!(matches!(replacement_risk("Karen", &m), Ok(Some(_))));
        assert!(matches!(
            replacement_risk("my daughter Karen", &m),
            Ok(Some(_))
        ));
        assert!(replacement_risk("I stopped going out.", &m).is_err());
        assert!(replacement_risk("at the Moss Lane Community Centre", &m).is_err());
    }

    #[test]
    fn framing_in_the_first_person_is_found_outside_quotes_only() {
        assert_eq!(first_person_words("I joined the choir in 2019."), ["I"]);
        assert_eq!(
            first_person_words("We met Dot at our office."),
            ["We", "our"]
        );
        assert!(first_person_words("Dot joined the choir after her husband died.").is_empty());
        assert!(first_person_words("She calls it “my Thursday”.").is_empty());
        assert_eq!(first_person_words("I'm told she sings."), ["I'm"]);
    }

    fn story_with(text: &str, blocks: Vec<BlockContent>) -> (Story, Sources) {
        let n = text.chars().count();
        let doc = SourceDoc {
            document: "d".into(),
            name: "d.txt".into(),
            version: 1,
            current: true,
            text: text.to_owned(),
            turns: vec![crate::SourceTurn {
                seq: 0,
                start: 0,
                end: n,
                role: Role::Participant,
                speaker: "Dot".into(),
                participant_id: Some(storyloom_text::ids::ParticipantId(1)),
            }],
            index: Default::default(),
        };
        let mut sources = Sources::new();
        sources.insert(1, doc);
        let story = Story {
            uuid: "s".into(),
            participant: Some("P01".into()),
            participant_id: Some(storyloom_text::ids::ParticipantId(1)),
            title: "t".into(),
            pseudonym: String::new(),
            role_line: String::new(),
            status: StoryStatus::Draft,
            revision: 1,
            approval: None,
            sent_on: None,
            blocks: blocks
                .into_iter()
                .enumerate()
                .map(|(i, content)| Block {
                    uuid: format!("b{i}"),
                    content,
                    lost_pieces: 0,
                })
                .collect(),
            themes: vec![],
            created_at: String::new(),
            updated_at: String::new(),
        };
        (story, sources)
    }

    fn piece(text: &str, s: usize, e: usize, replace: Option<&str>, gap: Gap) -> Piece {
        Piece {
            span: SourceSpan {
                id: None,
                document: "d".into(),
                version_id: 1,
                start: s,
                end: e,
                quote: text.chars().skip(s).take(e - s).collect(),
            },
            gap,
            replace: replace.map(str::to_owned),
            clarification: None,
        }
    }

    fn findings(story: &Story, sources: &Sources) -> Vec<(u8, Severity, String)> {
        let m = map();
        let rendered = crate::render(story, sources, Some(&m));
        check(story, sources, &rendered, &m, &StoryRules::default())
            .findings
            .into_iter()
            .map(|f| (f.rule, f.severity, f.message))
            .collect()
    }

    #[test]
    fn the_checker_refuses_a_sentence_replaced_and_first_person_framing() {
        let text = "After the fall I stopped going out. Then I went to the choir.";
        let (story, sources) = story_with(
            text,
            vec![
                BlockContent::Framing {
                    text: "I met Dot at the surgery.".into(),
                },
                BlockContent::Excerpt {
                    pieces: vec![
                        piece(text, 0, 14, None, Gap::Join),
                        piece(text, 15, 35, Some("I was doing fine"), Gap::Join),
                        piece(text, 36, text.chars().count(), None, Gap::Join),
                    ],
                },
            ],
        );
        let f = findings(&story, &sources);
        assert!(
            f.iter()
                .any(|x| x.1 == Severity::Error && x.2.contains("first person")),
            "{f:#?}"
        );
        assert!(
            f.iter()
                .any(|x| x.1 == Severity::Error && x.2.contains("stands for 4 words")),
            "{f:#?}"
        );
        // Third-person framing and a one-word replacement pass, the second with a warning.
        let (story, sources) = story_with(
            text,
            vec![
                BlockContent::Framing {
                    text: "Dot joined the choir after a fall.".into(),
                },
                BlockContent::Excerpt {
                    pieces: vec![
                        piece(text, 0, 15, None, Gap::Join),
                        piece(text, 15, 16, Some("she"), Gap::Join),
                        piece(text, 16, text.chars().count(), None, Gap::Join),
                    ],
                },
            ],
        );
        let f = findings(&story, &sources);
        assert!(!f.iter().any(|x| x.1 == Severity::Error), "{f:#?}");
        assert!(
            f.iter()
                .any(|x| x.1 == Severity::Warning && x.2.contains("not in the pseudonym map")),
            "{f:#?}"
        );
    }
}
