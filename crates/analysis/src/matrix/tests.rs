use super::*;
use crate::TurnSpan;
use storyloom_text::ids::{DocumentId, ParticipantId};

fn seg(
    coding_id: i64,
    code_id: i64,
    doc_id: i64,
    start: usize,
    end: usize,
    coder: &str,
) -> Segment {
    crate::test_segment(coding_id, code_id, doc_id, (start, end), coder)
}

fn turn(turn_id: i64, doc_id: i64, start: usize, end: usize, p: Option<i64>) -> TurnSpan {
    TurnSpan {
        turn_id,
        doc_id: DocumentId(doc_id),
        start,
        end,
        speaker_id: turn_id,
        participant_id: p.map(ParticipantId),
    }
}

// Document 1 (chars):
//   I: How is choir?\nD: I love the choir. We sing every week.\n
//   0         1         2         3         4         5
//   0123456789012345678901234567890123456789012345678901234567
// Turn 1 (interviewer) content "How is choir?" = [3,16).
// Turn 2 (participant 7) content "I love the choir. We sing every week."
//   = [20,57).
const DOC1: &str = "I: How is choir?\nD: I love the choir. We sing every week.\n";
// Document 2: one turn by participant 8: "Choir saved me." = [3,18).
const DOC2: &str = "R: Choir saved me.";

fn fixture() -> (Vec<Segment>, TurnIndex, WordIndex) {
    let turns = TurnIndex::new(&[
        turn(1, 1, 3, 16, None),
        turn(2, 1, 20, 57, Some(7)),
        turn(3, 2, 3, 18, Some(8)),
    ]);
    let mut words = WordIndex::new();
    words.insert(DocumentId(1), DOC1);
    words.insert(DocumentId(2), DOC2);
    let segments = vec![
        // Code 1 (Choir), by ana:
        //  a) "choir?\nD: I love" [10,26): starts in turn 1 (interviewer).
        //     Words: "choir" in turn 1; "D" in the gap [16,20);
        //     "I love" in turn 2.
        seg(1, 1, 1, 10, 26, "ana"),
        //  b) "love the choir" [22,36) overlaps a): the union with a) is
        //     [10,36): "the choir" adds 2 words, "love" is not counted
        //     again.
        seg(2, 1, 1, 22, 36, "ana"),
        //  c) doc 2 "Choir saved me." [3,18): 3 words, participant 8.
        seg(3, 1, 2, 3, 18, "ben"),
        // Code 2 (Routine), by ben: "We sing every week." [38,57):
        // 4 words, participant 7.
        seg(4, 2, 1, 38, 57, "ben"),
    ];
    (segments, turns, words)
}

#[test]
fn fixture_offsets_are_what_the_comments_say() {
    let s = |a: usize, b: usize| DOC1.chars().skip(a).take(b - a).collect::<String>();
    assert_eq!(s(3, 16), "How is choir?");
    assert_eq!(s(20, 57), "I love the choir. We sing every week.");
    assert_eq!(s(10, 26), "choir?\nD: I love");
    assert_eq!(s(22, 36), "love the choir");
    assert_eq!(s(38, 57), "We sing every week.");
}

#[test]
fn code_by_participant_attributes_segments_by_start_and_words_by_speaker() {
    let (segments, turns, words) = fixture();
    let m = code_by_participant(&[CodeId(1), CodeId(2)], &segments, &turns, &words).unwrap();
    use ColumnKey::*;
    assert_eq!(
        m.columns,
        vec![
            Participant(ParticipantId(7)),
            Participant(ParticipantId(8)),
            NoParticipant
        ]
    );
    // Code 1:
    //   P7: segments: b) starts at 22 in turn 2 → 1. Words in turn 2 of
    //       the union [10,36): [20,36) "I love the choir" = 4.
    //   P8: c) → 1 segment, 3 words.
    //   No participant: a) starts in turn 1 → 1 segment; words: "choir"
    //       (turn 1) + "D" (gap) = 2.
    assert_eq!(
        m.cells[0][0],
        Cell {
            segments: 1,
            words: 4
        }
    );
    assert_eq!(
        m.cells[0][1],
        Cell {
            segments: 1,
            words: 3
        }
    );
    assert_eq!(
        m.cells[0][2],
        Cell {
            segments: 1,
            words: 2
        }
    );
    // Code 2: P7 1 segment, 4 words.
    assert_eq!(
        m.cells[1],
        vec![
            Cell {
                segments: 1,
                words: 4
            },
            Cell::default(),
            Cell::default()
        ]
    );
    // Row total of code 1: 3 segments, 4 + 3 + 2 = 9 words.
    assert_eq!(
        m.row_totals[0],
        Cell {
            segments: 3,
            words: 9
        }
    );
    // Column P7: 1 + 1 segments, 4 + 4 words.
    assert_eq!(
        m.column_totals[0],
        Cell {
            segments: 2,
            words: 8
        }
    );
    assert_eq!(
        m.total,
        Cell {
            segments: 4,
            words: 13
        }
    );
    assert_eq!(
        m.get(CodeId(2), &Participant(ParticipantId(7))),
        Some(Cell {
            segments: 1,
            words: 4
        })
    );
}

#[test]
fn code_by_attribute_groups_participants_by_value() {
    let (segments, turns, words) = fixture();
    // P7 is 70, P8 has a blank value, P9 (no documents) is 9.
    let values: HashMap<ParticipantId, String> = [
        (ParticipantId(7), "70".to_string()),
        (ParticipantId(8), " ".to_string()),
        (ParticipantId(9), "9".to_string()),
    ]
    .into();
    let m = code_by_attribute(&[CodeId(1), CodeId(2)], &segments, &turns, &words, &values).unwrap();
    use ColumnKey::*;
    // Numeric order: 9 before 70.
    assert_eq!(
        m.columns,
        vec![
            Value("9".into()),
            Value("70".into()),
            NoValue,
            NoParticipant
        ]
    );
    assert_eq!(
        m.cells[0],
        vec![
            Cell::default(),
            Cell {
                segments: 1,
                words: 4
            },
            Cell {
                segments: 1,
                words: 3
            },
            Cell {
                segments: 1,
                words: 2
            },
        ]
    );
    assert_eq!(
        m.row_totals[0],
        Cell {
            segments: 3,
            words: 9
        }
    );
    assert_eq!(ColumnKey::NoValue.label(), Some("(no value)"));
    let mut v = vec!["b", "A", "c"];
    sort_values(&mut v);
    assert_eq!(v, vec!["A", "b", "c"]);
}

#[test]
fn frequencies_per_code() {
    let (segments, turns, words) = fixture();
    let f = code_frequencies(
        &[CodeId(1), CodeId(2), CodeId(3)],
        &segments,
        &turns,
        &words,
    )
    .unwrap();
    // Code 1: 3 codings in 2 documents; participants 8 (c) and 7 (b);
    // a) is the interviewer's. Coders ana, ben. Words 9 (see above).
    assert_eq!(
        f[0],
        CodeFrequency {
            code_id: CodeId(1),
            codings: 3,
            documents: 2,
            participants: 2,
            coders: vec!["ana".into(), "ben".into()],
            words: 9,
        }
    );
    assert_eq!(f[1].words, 4);
    assert_eq!(
        f[2],
        CodeFrequency {
            code_id: CodeId(3),
            codings: 0,
            documents: 0,
            participants: 0,
            coders: vec![],
            words: 0,
        }
    );
}

#[test]
fn stale_offsets_and_missing_texts_are_reported() {
    let (mut segments, turns, words) = fixture();
    segments.push(seg(9, 1, 2, 3, 40, "ana"));
    assert_eq!(
        code_frequencies(&[CodeId(1)], &segments, &turns, &words),
        Err(AnalysisError::SegmentOutOfRange {
            coding_id: 9,
            doc_id: DocumentId(2),
            end: 40,
            len: 18
        })
    );
    let (mut segments, turns, words) = fixture();
    segments.push(seg(9, 1, 3, 0, 4, "ana"));
    assert_eq!(
        code_frequencies(&[CodeId(1)], &segments, &turns, &words),
        Err(AnalysisError::MissingText {
            doc_id: DocumentId(3)
        })
    );
}
