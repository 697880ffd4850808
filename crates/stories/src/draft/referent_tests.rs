//! Referents inside a block's first clause, reported speech, and titles:
//! unit tests on small hand-written sentences.

use super::opening::{Opener, opener};
use super::tests::{draft_of, interview, talk};
use super::*;

fn open(text: &str) -> Opener {
    opener(text, storyloom_text::text::word_count(text), "", &[])
}

fn open_after(text: &str, context: &str) -> Opener {
    opener(text, storyloom_text::text::word_count(text), context, &[])
}

#[test]
fn a_pronoun_inside_the_first_clause_is_a_referent_to_reach_back_for() {
    // He or she before anyone is named.
    assert!(matches!(
        open("I felt like I threw her away, after all those years."),
        Opener::Person(_, None)
    ));
    assert!(matches!(
        open("The last time I saw her iron anything was that night."),
        Opener::Person(_, None)
    ));
    // Named first: it reads.
    assert_eq!(open("Priya rang and she came to the house."), Opener::Plain);
    assert_eq!(
        open("And my daughter said she would come with me."),
        Opener::Plain
    );
    // One name just before: clarified in brackets after the pronoun.
    match open_after(
        "I felt like I let her down in the end.",
        "my wife Halina went into the home",
    ) {
        Opener::Person(off, Some(name)) => {
            assert_eq!(name, "Halina");
            assert_eq!(off, "I felt like I let her".chars().count());
        }
        o => panic!("{o:?}"),
    }
    // A thing on which a place lies, an object "it", a closing "that", a simile.
    assert_eq!(
        open("And on the side it was stamped with a number."),
        Opener::Thing
    );
    assert_eq!(
        open("Fiona put it on the table in front of me."),
        Opener::Thing
    );
    assert_eq!(
        open("And I took it home to my kitchen shelf."),
        Opener::Thing
    );
    assert_eq!(open("And, nobody had asked me that."), Opener::Thing);
    assert_eq!(
        open("Like a -- like I gave up on everything."),
        Opener::Thing
    );
    // Quoted words with no one saying them; a quote that says who spoke reads.
    assert_eq!(
        open("\"Are we alright, love?\" And you start to disappear."),
        Opener::Thing
    );
    assert_eq!(
        open("\"You must be Dot,\" Jean said, and she took my coat."),
        Opener::Plain
    );
    // A short -ing phrase with no subject goes on from the sentence before.
    assert_eq!(open("Being able to do for myself."), Opener::Thing);
    assert_eq!(
        open("Walking in that first day, I was shaking."),
        Opener::Plain
    );
    // An answer told as speech leans on the question it answers.
    assert_eq!(
        open("And I say, oh, sometimes, not often."),
        Opener::BareAnswer
    );
    assert_eq!(
        open("I said, well, my girls, and my faith."),
        Opener::BareAnswer
    );
    assert_eq!(
        open("I said I'm frightened, I don't know anybody."),
        Opener::Plain
    );
    // A subject "it" that the sentence names, or a dummy one, reads on its own.
    assert_eq!(
        open("It was a handlamp, a railway handlamp."),
        Opener::Plain
    );
    assert_eq!(open("When it rained we stayed in the hall."), Opener::Plain);
    // "They" never takes one name in brackets.
    assert!(matches!(
        open_after(
            "They saw the lady who gives them the chips.",
            "I lived in England"
        ),
        Opener::Person(_, None)
    ));
}

#[test]
fn a_question_reported_without_quote_marks_is_not_talk_to_the_interviewer() {
    let doc = interview(&[
        (true, "What happened at the surgery?"),
        (
            false,
            &format!(
                "I went for my review at the surgery on the Monday morning. And the doctor said, this is not good. And how are you feeling? And nobody had asked me that for years, not since my wife died. {}",
                talk(40, 3)
            ),
        ),
        (true, "More?"),
        (false, &talk(41, 10)),
    ]);
    let d = draft_of(doc, &["And nobody had asked me that for years"]);
    let all = d.all();
    assert!(
        all.contains("this is not good. And how are you feeling? And nobody"),
        "{all}"
    );
}

#[test]
fn a_title_names_no_one_hedges_nothing_and_leaves_nothing_behind() {
    for weak in [
        "Poor Mr Kowalski, whose wife has the dementia",
        "Fourteen month and I hadn't",
        "Every time we went anywhere near water",
        "About when I was small",
        "People say that and it's rubbish",
        "I just sort of went along",
    ] {
        assert!(!title_flags(weak).is_empty(), "{weak}");
    }
    for good in [
        "I'm the lemon drizzle",
        "Nobody argues with an invisible woman",
        "My sister in Hong Kong",
    ] {
        assert!(
            title_flags(good).is_empty(),
            "{good}: {:?}",
            title_flags(good)
        );
    }
    // Ranked: the plain striking phrase before a hedge, a stranger's "her" or a figure.
    let texts = [
        "I thought maybe the doctor forgot about me.",
        "The last time I saw her iron anything.",
        "My last blood test was fifty-four.",
        "Nobody argues with an invisible woman.",
    ];
    let ranked = rank_titles(
        texts.iter().map(|t| TitleCandidate {
            text: t,
            key: false,
            kept: true,
            weight: 1.0,
        }),
        3,
    );
    assert_eq!(ranked[0], "Nobody argues with an invisible woman");
}

#[test]
fn a_key_quote_on_a_bare_answer_says_what_it_answers_and_reads_as_a_passage() {
    let doc = interview(&[
        (true, "Tell me about the choir."),
        (false, &talk(50, 40)),
        (true, "Did you go back the next week?"),
        (
            false,
            &format!(
                "[pause] Yes, I did. I sat with the altos by the window and Jean gave me a folder with my name on it. I kept that folder on the sideboard for a month before I took it back. {}",
                talk(51, 6)
            ),
        ),
        (true, "And then?"),
        (false, &talk(52, 40)),
        (true, "More?"),
        (false, &talk(53, 40)),
    ]);
    // The researcher marked only the answer and its marks as a key quote.
    let d = draft_of(doc, &["[pause] Yes, I did."]);
    d.assert_clean();
    let all = d.all();
    // The marks the researcher chose are kept, the question's gist is added,
    // and the passage runs on to whole sentences of a readable length.
    assert!(
        all.contains("[pause] Yes, I did [go back the next week]. I sat with the altos"),
        "{all}"
    );
    assert!(
        all.contains("I kept that folder on the sideboard for a month before I took it back."),
        "{all}"
    );
}

#[test]
fn a_question_to_the_listener_inside_a_key_quote_stays_and_the_interviewers_name_goes() {
    let doc = interview(&[
        (true, "Tell me about the club."),
        (false, &talk(60, 40)),
        (true, "And the arguing?"),
        (
            false,
            &format!(
                "It was the best start I could have had there. Because when somebody argues with you, it means they see you. You understand? Nobody argues with an invisible woman. {}",
                talk(61, 4)
            ),
        ),
        (true, "More?"),
        (
            false,
            &format!(
                "Do you know what I mean? Years, Sarah, years I waited for that. {}",
                talk(62, 40)
            ),
        ),
    ]);
    let d = draft_of(
        doc,
        &[
            "Because when somebody argues with you, it means they see you. You understand? Nobody argues with an invisible woman.",
        ],
    );
    d.assert_clean();
    let all = d.all();
    assert!(
        all.contains("it means they see you. You understand? Nobody argues"),
        "{all}"
    );
    assert!(!all.contains("Sarah"), "{all}");
    assert!(!all.contains("Do you know what I mean?"), "{all}");
}

#[test]
fn an_aside_about_the_recording_inside_a_key_quote_stays_and_outside_it_goes() {
    let doc = interview(&[
        (true, "How do you choose?"),
        (
            false,
            &format!(
                "I use my discretion, every single time, with every one of them. I'm probably not supposed to say that on a recording. [laughs] Officially it's first come, first served, but I read every referral myself. {}",
                talk(70, 4)
            ),
        ),
        (true, "More?"),
        (false, &talk(71, 40)),
        (true, "And the recorder?"),
        (
            false,
            &format!(
                "Is the recording still going on that thing? {}",
                talk(72, 40)
            ),
        ),
    ]);
    let d = draft_of(
        doc,
        &[
            "I use my discretion, every single time, with every one of them. I'm probably not supposed to say that on a recording. [laughs] Officially it's first come, first served, but I read every referral myself.",
        ],
    );
    d.assert_clean();
    let all = d.all();
    assert!(
        all.contains(
            "one of them. I'm probably not supposed to say that on a recording. [laughs] Officially"
        ),
        "{all}"
    );
    assert!(!all.contains("Is the recording still going"), "{all}");
}
