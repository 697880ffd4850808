use super::*;

fn p(o: &str, r: &str) -> Pseudonym {
    Pseudonym {
        original: o.into(),
        replacement: r.into(),
        kind: PseudonymKind::Person,
        confirmed: true,
        scope: None,
    }
}

#[test]
fn finds_whole_words_case_insensitively_longest_first() {
    let m = PseudonymMap::new(vec![p("Ash", "Sita"), p("Ash Lane", "a street")]);
    let found = m.find_all("I live on ash lane; Ash said. Ashworth no.");
    let got: Vec<(usize, usize, &str)> = found
        .iter()
        .map(|(s, e, p)| (*s, *e, p.original.as_str()))
        .collect();
    assert_eq!(got, vec![(10, 18, "Ash Lane"), (20, 23, "Ash")]);
    assert_eq!(m.apply_plain("ASH and Ash"), "SITA and Sita");
}

#[test]
fn unicode_cannot_hide_a_name_from_replacement() {
    // The entry typed in NFD, the text in NFC; capitals; a soft hyphen
    // and a zero-width joiner inside the name: all replaced, and the
    // words around it kept as they were.
    let m = PseudonymMap::new(vec![p("Zoe\u{308}", "Mei")]);
    assert_eq!(m.apply_plain("I told Zoë."), "I told Mei.");
    assert_eq!(m.apply_plain("I told ZOË!"), "I told MEI!");
    assert_eq!(m.apply_plain("ask Zo\u{ad}ë’s mum"), "ask Mei’s mum");
    assert_eq!(m.apply_plain("ask Z\u{200d}oë, then"), "ask Mei, then");
    let found = m.find_all("x ZOE\u{308} y");
    assert_eq!((found[0].0, found[0].1), (2, 6));
    assert_eq!(m.apply_plain("Zoëtrope"), "Zoëtrope");
}

#[test]
fn key_files_round_trip_as_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let m = PseudonymMap::new(vec![p("Doreen", "Dot"), p("Hallbrook", "[a town]")]);
    for name in ["k.json", "k.csv"] {
        let path = dir.path().join(name);
        m.write_file(&path).unwrap();
        let back = PseudonymMap::read_file(&path).unwrap();
        assert_eq!(back.fingerprint(), m.fingerprint(), "{name}");
    }
    assert_eq!(bare("[a town]"), "a town");
}

#[test]
fn replacements_take_the_case_of_their_sentence() {
    assert_eq!(
        sentence_case("Blackbird Leys", "the estate", false),
        "the estate"
    );
    assert_eq!(
        sentence_case("Blackbird Leys", "the estate", true),
        "The estate"
    );
    assert_eq!(sentence_case("DOREEN", "Sita", false), "SITA");
    assert_eq!(sentence_case("doreen", "Sita", false), "Sita");
    assert!(starts_sentence(""));
    assert!(starts_sentence("I went. "));
    assert!(starts_sentence("she said \"no.\" "));
    assert!(!starts_sentence("the bus from "));
    let map = PseudonymMap::new(vec![Pseudonym {
        original: "Blackbird Leys".into(),
        replacement: "the estate".into(),
        kind: PseudonymKind::Place,
        confirmed: true,
        scope: None,
    }]);
    assert_eq!(
        map.apply_plain("Blackbird Leys changed. The bus from Blackbird Leys"),
        "The estate changed. The bus from the estate"
    );
}

#[test]
fn suggests_recurring_capitalised_words_not_at_sentence_start() {
    let texts = [
        "Then Priya came. I told Priya and Priya laughed. The choir met at Hallbrook, in Hallbrook.",
    ];
    let names = capitalised_names(&texts, 2);
    assert_eq!(names[0].0, "Priya");
    assert!(names.iter().any(|n| n.0 == "Hallbrook"));
    assert!(!names.iter().any(|n| n.0 == "Then" || n.0 == "I"));
}

#[test]
fn csv_key_files_open_in_excel_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let map = PseudonymMap::new(vec![
        Pseudonym {
            original: "Zélie".into(),
            replacement: "=Mina".into(),
            kind: PseudonymKind::Person,
            confirmed: true,
            scope: None,
        },
        Pseudonym {
            original: "-Ann".into(),
            replacement: "-3".into(),
            kind: PseudonymKind::Person,
            confirmed: false,
            scope: Some("@P01".into()),
        },
    ]);
    let with = dir.path().join("key.csv");
    map.write_file(&with).unwrap();
    let bytes = std::fs::read(&with).unwrap();
    assert!(bytes.starts_with("\u{feff}original,".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("Zélie,'=Mina,"), "{text}");
    assert!(text.contains("'-Ann,-3,"), "{text}");
    assert!(text.contains(",'@P01"), "{text}");
    let back = PseudonymMap::read_file(&with).unwrap();
    assert_eq!(back.entries(), map.entries());
    let without = dir.path().join("plain.csv");
    map.write_file_with(&without, false).unwrap();
    assert!(std::fs::read(&without).unwrap().starts_with(b"original,"));
    assert_eq!(
        PseudonymMap::read_file(&without).unwrap().entries(),
        map.entries()
    );
}
