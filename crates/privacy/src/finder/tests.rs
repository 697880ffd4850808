use super::*;
use crate::context::context;
use crate::cover::{core_name, covered_by};

fn keys(text: &str) -> Vec<String> {
    find_names(&[text]).into_iter().map(|c| c.name).collect()
}

#[test]
fn dialect_words_are_not_names() {
    let text = "Meself, I never went. Yerself? Summat were up, and Nowt came of it. \
        Aye, she said. Och, dinnae fash. Our Jean said Owt would do, but Eeh, \
        Gannin up the Bank wi' Wor Kev was Summat else. Innit.";
    let got = keys(text);
    for not in [
        "Meself", "Yerself", "Summat", "Nowt", "Aye", "Och", "Owt", "Gannin", "Wor", "Innit",
    ] {
        assert!(
            !got.iter().any(|n| n.split(' ').any(|w| w == not)),
            "{not}: {got:?}"
        );
    }
    assert!(got.iter().any(|n| n == "Jean"), "{got:?}");
    assert!(got.iter().any(|n| n.contains("Kev")), "{got:?}");
}

#[test]
fn finds_every_kind_of_name_and_not_sentence_starts() {
    let text = "Doreen: Because it was hard. You know, Mrs Chen came round on a Monday \
        with Sister Adeyemi. We walked up Moss Lane to St Aidan's and then to \
        Riverside Medical Centre. My granddaughter Lily is six. It was Margaret's idea. \
        Father Michael said a dog called bobo lived at Age Concern Calder. \
        Bridge Street was shut. I met Zoë and José from Hallbrook, and 李伟 too. \
        Frank Okafor rang. God knows. Rose rang as well.";
    let got = keys(text);
    for want in [
        "Doreen",
        "Mrs Chen",
        "Sister Adeyemi",
        "Moss Lane",
        "St Aidan",
        "Riverside Medical Centre",
        "Lily",
        "Margaret",
        "Father Michael",
        "bobo",
        "Age Concern Calder",
        "Bridge Street",
        "Zoë",
        "José",
        "Hallbrook",
        "李伟",
        "Frank Okafor",
        "Rose",
    ] {
        assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
    }
    for junk in ["Because", "You", "It", "Monday", "God", "We", "My", "I"] {
        assert!(!got.iter().any(|g| g == junk), "{junk} in {got:?}");
    }
}

#[test]
fn titles_are_not_part_of_what_a_replacement_covers() {
    assert_eq!(core_name("Mrs Chen"), "Chen");
    assert_eq!(core_name("Sister Grace Adeyemi"), "Grace Adeyemi");
    assert_eq!(core_name("St Aidan"), "St Aidan");
    assert_eq!(core_name("Doctor"), "Doctor");
    // "Mrs [Lee]": Chen covered; "Moss Lane" with "Moss" covered.
    assert!(covered_by("Mrs Chen", &[(4, 8)]));
    assert!(covered_by("Moss Lane", &[(0, 4)]));
    assert!(!covered_by("Grace Adeyemi", &[(0, 5)]));
}

#[test]
fn counts_and_places() {
    let text = "I told Priya. Then Priya laughed, and PRIYA's mum came.";
    let c = find_names(&[text]);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].count, 3);
    assert_eq!(
        c[0].occurrences[0],
        Occurrence {
            source: 0,
            start: 7,
            end: 12
        }
    );
    assert_eq!(context(text, 7, 12, 2), "I told Priya. Then Priya");
}

#[test]
fn the_places_kept_come_from_as_many_texts_as_they_can() {
    let many = "I told Priya. ".repeat(10);
    let texts = [many.as_str(), "Then Priya came.", "And Priya left."];
    let c = find_names(&texts);
    let priya = c.iter().find(|c| c.name == "Priya").unwrap();
    assert_eq!(priya.count, 12);
    assert_eq!(priya.occurrences.len(), KEPT_OCCURRENCES);
    for s in 0..3 {
        assert!(priya.occurrences.iter().any(|o| o.source == s), "{priya:?}");
    }
}
