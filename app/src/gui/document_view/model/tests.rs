use super::*;
use egui::FontId;
use storyloom_project::Role;

fn doc(text: &str, turns: &[(usize, usize, &str, Role)]) -> DocumentText {
    DocumentText {
        uuid: "d".into(),
        name: "d".into(),
        version: 1,
        text: text.into(),
        turns: turns
            .iter()
            .enumerate()
            .map(|(i, (s, e, sp, r))| storyloom_project::Turn {
                uuid: format!("t{i}"),
                seq: i,
                speaker: (*sp).into(),
                role: *r,
                label_start: Some(
                    text.chars()
                        .take(*s)
                        .collect::<Vec<_>>()
                        .iter()
                        .rposition(|&c| c == '\n')
                        .map_or(0, |p| p + 1),
                ),
                start: *s,
                end: *e,
                start_ms: None,
                end_ms: None,
                text: text.chars().skip(*s).take(e - s).collect(),
                non_speech: false,
            })
            .collect(),
        marks: vec![],
    }
}

#[test]
fn blocks_keep_char_offsets_and_byte_ranges_with_non_ascii_text() {
    let text = "Título\n\nA: Zoë café — naïve 😀 ok\nB: Ünïcödé";
    let chars: Vec<char> = text.chars().collect();
    let a = chars.iter().position(|&c| c == 'Z').unwrap();
    let a_end = a + "Zoë café — naïve 😀 ok".chars().count();
    let b = chars.iter().rposition(|&c| c == 'Ü').unwrap();
    let d = doc(
        text,
        &[
            (a, a_end, "A", Role::Interviewer),
            (b, chars.len(), "B", Role::Participant),
        ],
    );
    let bl = blocks(&d);
    assert_eq!(bl.len(), 3);
    assert_eq!(bl[0].text(text), "Título");
    assert_eq!(bl[1].text(text), "Zoë café — naïve 😀 ok");
    assert_eq!(bl[2].text(text), "Ünïcödé");
    assert_eq!(bl[1].start, a);
    assert_eq!(block_at(&bl, a + 3), Some(1));
}

#[test]
fn overlapping_codings_deepen_the_background_and_get_lanes() {
    let text = "one two three four";
    let d = doc(text, &[(0, 18, "P", Role::Participant)]);
    let bl = blocks(&d);
    let coding = |u: &str, code: &str, s, e| Coding {
        uuid: u.into(),
        code: code.into(),
        code_path: code.into(),
        document: "d".into(),
        document_name: "d".into(),
        version: 1,
        start: s,
        end: e,
        quote: String::new(),
        coder: "me".into(),
        created_at: String::new(),
        key_quote: false,
    };
    let codings = vec![coding("1", "red", 0, 7), coding("2", "blue", 4, 13)];
    let colors: HashMap<String, Color32> = [
        ("red".to_string(), Color32::RED),
        ("blue".to_string(), Color32::BLUE),
    ]
    .into();
    let sp = spans(&bl, &codings, &colors);
    assert_eq!(sp[0].len(), 2);
    assert_eq!((sp[0][0].lane, sp[0][1].lane), (0, 1));
    let l = look(&bl[0], &sp[0], &[], false);
    let counts: Vec<(usize, usize, u16)> = l
        .segments
        .iter()
        .map(|s| (s.start, s.end, s.codes))
        .collect();
    assert_eq!(counts, vec![(0, 4, 1), (4, 7, 2), (7, 13, 1), (13, 18, 0)]);
    assert!(l.segments[1].background.a() > l.segments[0].background.a());
    let style = Style {
        font: FontId::proportional(14.0),
        text: Color32::BLACK,
        quiet: Color32::GRAY,
        mark: Color32::GRAY,
        dark: false,
    };
    let j = job(bl[0].text(text), &l, &style);
    assert_eq!(j.text, text);
    assert_eq!(j.sections.len(), 4);
}
