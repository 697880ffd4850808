use super::*;
use crate::TurnSpan;

const EPS: f64 = 1e-12;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < EPS
}

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

fn t(turn_id: i64, doc_id: i64, start: usize, end: usize) -> TurnSpan {
    TurnSpan {
        turn_id,
        doc_id: DocumentId(doc_id),
        start,
        end,
        speaker_id: 1,
        participant_id: Some(storyloom_text::ids::ParticipantId(1)),
    }
}

/// Doc 1 is 20 chars, doc 2 is 10 chars.
/// Code 1: ana [2,8) and [6,9) (text [2,9)) in doc 1, [0,4) in doc 2;
///         ben [4,12) in doc 1.
/// Code 2: ana and ben both [15,20) in doc 1.
/// Code 3: nobody.
/// A third coder's codings and an unlisted document must be ignored.
fn fixture() -> (Vec<DocLen>, Vec<Segment>, TurnIndex) {
    let docs = vec![
        DocLen {
            doc_id: DocumentId(1),
            chars: 20,
        },
        DocLen {
            doc_id: DocumentId(2),
            chars: 10,
        },
    ];
    let segments = vec![
        seg(1, 1, 1, 2, 8, "ana"),
        seg(2, 1, 1, 6, 9, "ana"),
        seg(3, 1, 2, 0, 4, "ana"),
        seg(4, 1, 1, 4, 12, "ben"),
        seg(5, 2, 1, 15, 20, "ana"),
        seg(6, 2, 1, 15, 20, "ben"),
        seg(7, 1, 1, 0, 20, "cai"),
        seg(8, 1, 9, 0, 500, "ben"),
    ];
    // Doc 1 turns t1 [0,5) t2 [5,10) t3 [10,15) t4 [15,20);
    // doc 2 turns t5 [0,5) t6 [5,10).
    let turns = TurnIndex::new(&[
        t(1, 1, 0, 5),
        t(2, 1, 5, 10),
        t(3, 1, 10, 15),
        t(4, 1, 15, 20),
        t(5, 2, 0, 5),
        t(6, 2, 5, 10),
    ]);
    (docs, segments, turns)
}

#[test]
fn kappa_and_percent_on_a_tiny_document_by_hand() {
    // 20 chars: both 5, only A 2, only B 3, neither 10.
    // Po = 15/20 = 0.75 → 75 %.
    // A_yes = 7, B_yes = 8, A_no = 13, B_no = 12:
    // Pe = (7·8 + 13·12) / 400 = 212/400 = 0.53.
    // κ = (0.75 − 0.53) / (1 − 0.53) = 0.22 / 0.47 = 0.4680851063829787.
    let c = CharAgreement::from_counts(5, 2, 3, 10);
    assert_eq!(c.total, 20);
    assert!(close(c.percent, 75.0));
    assert!(close(c.kappa, 0.22 / 0.47), "{}", c.kappa);
    // A coded 4 of 10 chars, B nothing: Po = 0.6, Pe = (0 + 6·10)/100
    // = 0.6, κ = 0.
    let c = CharAgreement::from_counts(0, 4, 0, 6);
    assert!(close(c.percent, 60.0) && close(c.kappa, 0.0));
    // Complete disagreement: A all, B none: Po = 0, Pe = 0, κ = 0.
    let c = CharAgreement::from_counts(0, 10, 0, 0);
    assert!(close(c.percent, 0.0) && close(c.kappa, 0.0));
    // Opposite halves: Po = 0, Pe = (5·5 + 5·5)/100 = 0.5, κ = −1.
    let c = CharAgreement::from_counts(0, 5, 5, 0);
    assert!(close(c.kappa, -1.0));
}

#[test]
fn kappa_is_one_when_chance_agreement_is_certain() {
    // Neither coded anything: Pe = (0 + 10·10)/100 = 1 → κ := 1.
    let c = CharAgreement::from_counts(0, 0, 0, 10);
    assert_eq!((c.percent, c.kappa), (100.0, 1.0));
    // Both coded everything: Pe = (10·10 + 0)/100 = 1 → κ := 1.
    let c = CharAgreement::from_counts(10, 0, 0, 0);
    assert_eq!((c.percent, c.kappa), (100.0, 1.0));
    // No chars at all.
    let c = CharAgreement::from_counts(0, 0, 0, 0);
    assert_eq!((c.percent, c.kappa), (100.0, 1.0));
}

#[test]
fn char_agreement_per_document_pooled_and_means() {
    let (docs, segments, _) = fixture();
    let r = char_agreement(
        &docs,
        &segments,
        "ana",
        "ben",
        &[CodeId(1), CodeId(2), CodeId(3)],
    )
    .unwrap();
    let c1 = &r[0];
    // Doc 1: A [2,9) (7 chars), B [4,12) (8): both [4,9) = 5,
    // only A [2,4) = 2, only B [9,12) = 3, neither 20 − 10 = 10:
    // the tiny document above: 75 %, κ = 0.22/0.47.
    let d1 = c1.documents[0].chars;
    assert_eq!((d1.both, d1.only_a, d1.only_b, d1.neither), (5, 2, 3, 10));
    assert!(close(d1.kappa, 0.22 / 0.47));
    // Doc 2: A [0,4), B nothing: 60 %, κ = 0 (see above).
    let d2 = c1.documents[1].chars;
    assert_eq!((d2.both, d2.only_a, d2.only_b, d2.neither), (0, 4, 0, 6));
    // Pooled: both 5, only A 6, only B 3, neither 16, N = 30.
    // Po = 21/30 = 0.7; A_yes 11, B_yes 8, A_no 19, B_no 22:
    // E = 11·8 + 19·22 = 88 + 418 = 506; κ = (30·21 − 506)/(900 − 506)
    // = 124/394 = 0.31472081218274112.
    let p = c1.pooled;
    assert_eq!((p.both, p.only_a, p.only_b, p.neither), (5, 6, 3, 16));
    assert!(close(p.percent, 70.0));
    assert!(close(p.kappa, 124.0 / 394.0));
    // Means over the two documents: (75 + 60)/2 = 67.5 %;
    // κ (0.468085… + 0)/2 = 0.2340425531914894.
    assert!(close(c1.mean_percent.unwrap(), 67.5));
    assert!(close(c1.mean_kappa.unwrap(), 0.22 / 0.47 / 2.0));
    assert!(close(c1.mean_kappa_coded.unwrap(), 0.22 / 0.47 / 2.0));

    // Code 2: doc 1 both [15,20) = 5, neither 15: Po = 1,
    // Pe = (25 + 225)/400 = 0.625, κ = 0.375/0.375 = 1. Doc 2: nobody
    // coded: κ = 1 by the Pe = 1 rule.
    let c2 = &r[1];
    assert_eq!(c2.documents[0].chars.kappa, 1.0);
    assert_eq!(c2.documents[1].chars.kappa, 1.0);
    assert_eq!(c2.mean_kappa_coded, Some(1.0));
    // Code 3: nobody anywhere: all 100 %, κ 1, no coded documents.
    let c3 = &r[2];
    assert_eq!(c3.pooled.neither, 30);
    assert_eq!(c3.mean_kappa, Some(1.0));
    assert_eq!(c3.mean_kappa_coded, None);
}

#[test]
fn disagreements_are_maximal_one_coder_ranges() {
    let (docs, segments, _) = fixture();
    let d = disagreements(
        &docs,
        &segments,
        "ana",
        "ben",
        &[CodeId(1), CodeId(2), CodeId(3)],
    )
    .unwrap();
    let got: Vec<(i64, i64, &str, usize, usize)> = d
        .iter()
        .map(|x| {
            (
                x.doc_id.get(),
                x.code_id.get(),
                x.coder.as_str(),
                x.start,
                x.end,
            )
        })
        .collect();
    // Code 1, doc 1: A [2,9) − B [4,12) = [2,4) (ana);
    //                B − A = [9,12) (ben).
    // Code 1, doc 2: [0,4) (ana). Code 2 agrees everywhere.
    assert_eq!(
        got,
        vec![
            (1, 1, "ana", 2, 4),
            (1, 1, "ben", 9, 12),
            (2, 1, "ana", 0, 4),
        ]
    );
}

#[test]
fn alpha_with_turns_as_units_matches_python() {
    let (docs, segments, turns) = fixture();
    let r = turn_alpha(
        &docs,
        &turns,
        &segments,
        "ana",
        "ben",
        &[CodeId(1), CodeId(2), CodeId(3)],
    )
    .unwrap();
    assert_eq!(r.turns, 6);
    // Code 1: ana's text [2,9) touches t1, t2; [0,4) in doc 2 t5:
    //   ana = [1,1,0,0,1,0]; ben [4,12) touches t1 t2 t3:
    //   ben = [1,1,1,0,0,0].
    // Units (1,1) (1,1) (0,1) (0,0) (1,0) (0,0): o_11 = 4, o_00 = 4,
    // o_01 = o_10 = 2; n_0 = n_1 = 6, n = 12.
    // α = 1 − 11·4 / (2·6·6) = 1 − 44/72 = 0.3888…
    // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,1,0,0,1,0],[1,1,1,0,0,0]], level_of_measurement='nominal')))"
    // → 0.38888888888888895
    let c1 = &r.codes[0];
    assert_eq!((c1.both, c1.only_a, c1.only_b, c1.neither), (2, 1, 1, 2));
    assert!(close(c1.alpha.alpha.unwrap(), 0.38888888888888895));
    // The same through the general function.
    let general = krippendorff_alpha_nominal(&[
        vec![1, 1, 0, 0, 1, 0].into_iter().map(Some).collect(),
        vec![1, 1, 1, 0, 0, 0].into_iter().map(Some).collect(),
    ])
    .unwrap();
    assert!(close(general.alpha.unwrap(), c1.alpha.alpha.unwrap()));
    assert_eq!(general.pairable_values, 12);
    // Code 2: both coders mark t4 only: perfect agreement with variation.
    // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[0,0,0,1,0,0],[0,0,0,1,0,0]], level_of_measurement='nominal')))"
    // → 1.0
    assert_eq!(r.codes[1].alpha.alpha, Some(1.0));
    // Code 3: all zeros, no variation: undefined (the package divides
    // 0 by 0).
    assert_eq!(r.codes[2].alpha.alpha, None);
    // Overall: 18 (turn, code) units; o_11 = 4 + 2 = 6,
    // o_00 = 4 + 10 + 12 = 26, o_01 = o_10 = 2; n_1 = 8, n_0 = 28,
    // n = 36: α = 1 − 35·4 / (2·8·28) = 1 − 140/448 = 0.6875.
    // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,1,0,0,1,0, 0,0,0,1,0,0, 0,0,0,0,0,0],[1,1,1,0,0,0, 0,0,0,1,0,0, 0,0,0,0,0,0]], level_of_measurement='nominal')))"
    // → 0.6875
    assert!(close(r.overall.alpha.unwrap(), 0.6875));
    assert_eq!(r.overall.pairable_units, 18);
}

#[test]
fn alpha_two_coders_with_missing_values_matches_python() {
    // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,2,3,3,2,1,4,1,2,np.nan,np.nan,np.nan],[1,2,3,3,2,2,4,1,2,5,np.nan,3]], level_of_measurement='nominal')))"
    // → 0.8521739130434782
    let n = None;
    let data = vec![
        vec![
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(1),
            Some(4),
            Some(1),
            Some(2),
            n,
            n,
            n,
        ],
        vec![
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(2),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            n,
            Some(3),
        ],
    ];
    let a = krippendorff_alpha_nominal(&data).unwrap();
    assert!(close(a.alpha.unwrap(), 0.8521739130434782), "{a:?}");
    // Units 10, 11 and 12 have fewer than two values.
    assert_eq!(a.pairable_units, 9);
    assert_eq!(a.pairable_values, 18);
}

#[test]
fn alpha_three_coders_matches_python() {
    // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[1,1,2,2,3,3,1,2],[1,2,2,2,3,1,1,2],[1,1,2,3,3,3,2,2]], level_of_measurement='nominal')))"
    // → 0.5106382978723404
    let rows = [
        [1, 1, 2, 2, 3, 3, 1, 2],
        [1, 2, 2, 2, 3, 1, 1, 2],
        [1, 1, 2, 3, 3, 3, 2, 2],
    ];
    let data: Vec<Vec<Option<u32>>> = rows
        .iter()
        .map(|r| r.iter().map(|&v| Some(v)).collect())
        .collect();
    let a = krippendorff_alpha_nominal(&data).unwrap();
    assert!(close(a.alpha.unwrap(), 0.5106382978723404), "{a:?}");
}

#[test]
fn alpha_three_coders_with_missing_values_matches_python() {
    // Krippendorff's own example (also the package's doctest):
    // python3 -c "import krippendorff, numpy as np; print(repr(krippendorff.alpha(reliability_data=[[np.nan,np.nan,np.nan,np.nan,np.nan,3,4,1,2,1,1,3,3,np.nan,3],[1,np.nan,2,1,3,3,4,3,np.nan,np.nan,np.nan,np.nan,np.nan,np.nan,np.nan],[np.nan,np.nan,2,1,3,4,4,np.nan,2,1,1,3,3,np.nan,4]], level_of_measurement='nominal')))"
    // → 0.691358024691358
    let n = None;
    let s = Some;
    let data = vec![
        vec![
            n,
            n,
            n,
            n,
            n,
            s(3),
            s(4),
            s(1),
            s(2),
            s(1),
            s(1),
            s(3),
            s(3),
            n,
            s(3),
        ],
        vec![
            s(1),
            n,
            s(2),
            s(1),
            s(3),
            s(3),
            s(4),
            s(3),
            n,
            n,
            n,
            n,
            n,
            n,
            n,
        ],
        vec![
            n,
            n,
            s(2),
            s(1),
            s(3),
            s(4),
            s(4),
            n,
            s(2),
            s(1),
            s(1),
            s(3),
            s(3),
            n,
            s(4),
        ],
    ];
    let a = krippendorff_alpha_nominal(&data).unwrap();
    assert!(close(a.alpha.unwrap(), 0.691358024691358), "{a:?}");
}

#[test]
fn alpha_edge_cases() {
    // No variation: undefined.
    let a = krippendorff_alpha_nominal(&[vec![Some(1), Some(1)], vec![Some(1), Some(1)]]).unwrap();
    assert_eq!(a.alpha, None);
    // Nothing pairable.
    let a = krippendorff_alpha_nominal(&[vec![Some(1), None], vec![None, Some(2)]]).unwrap();
    assert_eq!((a.alpha, a.pairable_units), (None, 0));
    assert_eq!(krippendorff_alpha_nominal(&[]).unwrap().alpha, None);
    assert_eq!(
        krippendorff_alpha_nominal(&[vec![Some(1), Some(2)], vec![Some(1)]]),
        Err(AnalysisError::RaggedReliabilityData {
            coder: 2,
            expected: 2,
            found: 1
        })
    );
}

#[test]
fn compare_coders_bundles_and_checks_inputs() {
    let (docs, segments, turns) = fixture();
    let r = compare_coders(
        &docs,
        &turns,
        &segments,
        "ana",
        "ben",
        &[CodeId(1), CodeId(2)],
    )
    .unwrap();
    assert_eq!(r.codes.len(), 2);
    assert_eq!(r.disagreements.len(), 3);
    assert_eq!(r.alpha.codes.len(), 2);
    assert_eq!(
        compare_coders(&docs, &turns, &segments, "ana", "ana", &[CodeId(1)]).unwrap_err(),
        AnalysisError::SameCoder("ana".into())
    );
    let mut bad = segments.clone();
    bad.push(seg(9, 1, 2, 5, 11, "ben"));
    assert_eq!(
        char_agreement(&docs, &bad, "ana", "ben", &[CodeId(1)]).unwrap_err(),
        AnalysisError::SegmentOutOfRange {
            coding_id: 9,
            doc_id: DocumentId(2),
            end: 11,
            len: 10
        }
    );
}
