use super::*;

fn kinds(text: &str) -> Vec<(DetailKind, String)> {
    find_details(text)
        .into_iter()
        .map(|d| (d.kind, d.text))
        .collect()
}

#[test]
fn flags_what_identifies_someone_in_a_small_town() {
    use DetailKind::*;
    for (text, kind, words) in [
        (
            "I was born on 12 March 1941, in the front room.",
            ExactDate,
            "12 March 1941",
        ),
        (
            "We married on the 3rd of May, it poured.",
            ExactDate,
            "3rd of May",
        ),
        (
            "It was May 3rd and we had the street party.",
            ExactDate,
            "May 3rd",
        ),
        (
            "The letter came on 12/03/2019 and I cried.",
            ExactDate,
            "12/03/2019",
        ),
        (
            "She retired in February 2020, just before it all.",
            MonthAndYear,
            "February 2020",
        ),
        (
            "I was a ward sister on Ward 7 for years.",
            JobWithPlace,
            "sister on Ward 7",
        ),
        (
            "They put him on ward seven with his chest.",
            WardNumber,
            "ward seven",
        ),
        (
            "Mum was in Jubilee Ward at the end.",
            WardNumber,
            "Jubilee Ward",
        ),
        (
            "I worked at Boots for thirty years.",
            Employer,
            "worked at Boots",
        ),
        (
            "He was employed by Calder Council till he was sixty.",
            Employer,
            "employed by Calder Council",
        ),
        (
            "I was a teacher at St Mary's before the children.",
            JobWithPlace,
            "teacher at St Mary's",
        ),
        (
            "I'm 82 years old and I've lived on Moss Lane all my life.",
            AgeWithPlace,
            "82 years old and I've lived on Moss Lane",
        ),
        (
            "An 82-year-old from Hallbrook, that's me.",
            AgeWithPlace,
            "82-year-old from Hallbrook",
        ),
        (
            "I came here aged nine from Mirpur.",
            AgeWithPlace,
            "aged nine from Mirpur",
        ),
        (
            "My dad was the caretaker at Hallbrook Primary School.",
            JobWithPlace,
            "caretaker at Hallbrook Primary School",
        ),
    ] {
        let got = kinds(text);
        assert!(
            got.iter().any(|(k, w)| *k == kind && w == words),
            "{text}: wanted {kind:?} '{words}', got {got:?}"
        );
    }
}

#[test]
fn leaves_what_is_not_specific() {
    for text in [
        "Back in 2019 things were different.",
        "Two weeks later she rang again.",
        "In March we went to Blackpool for the day.",
        "I'm 82 and I still go to choir every week.",
        "The nurse was kind to me, she really was.",
        "May I say something about that?",
        "I worked hard at it, you know.",
        "She works for herself now.",
        "Mrs Ward said hello at the door.",
        "I was twelve when we moved house.",
        "It's five minutes from the shops.",
        "We had a year of it, more or less.",
        "They march on the first Sunday.",
        "He was 12 at the time and we lived in the flats.",
        "The bus at 10.30 was late again.",
        "I've been going for three years now.",
    ] {
        let got = kinds(text);
        // An age with a place needs a place's name.
        assert!(got.is_empty(), "{text}: {got:?}");
    }
}
