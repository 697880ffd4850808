//! Answers that have a verb but lean on the question for their meaning:
//! "Yes, I did." "No, it wasn't." "I have, yeah." "I think so." "Not
//! really." Read without the question, a workshop hears "I did" and asks
//! "did what?". [`elliptic_answer`] finds one at the start of a sentence
//! (after any answer words) and says where the words that stand on their
//! own begin; [`question_gist`] turns the question before it into the short
//! bracketed clarification a researcher could add ("I did [go back the next
//! week]").

use crate::tokens::tokens;

/// Answer words that may lead an elliptic answer ("Yes, I did").
const LEADS: &[&str] = &[
    "yes", "yeah", "yep", "no", "nope", "nah", "aye", "oh", "mm", "mhm", "hmm", "well", "erm",
    "um", "er", "ah", "oh", "ooh",
];

/// Words that turn the answer into a "no": never cut away from what follows.
const NEGATIVE: &[&str] = &["no", "nope", "nah", "not", "t", "never", "cannot", "dunno"];

/// Subjects of an elliptic answer.
const SUBJECTS: &[&str] = &["i", "you", "he", "she", "we", "they", "it", "that", "there"];

/// Auxiliaries (and the first part of their contracted negatives) that can
/// end a clause when the rest is understood from the question.
const AUX: &[&str] = &[
    "do", "does", "did", "have", "has", "had", "was", "were", "am", "is", "are", "will", "would",
    "could", "can", "should", "might", "must", "shall", "may", "didn", "don", "doesn", "wasn",
    "weren", "haven", "hasn", "hadn", "isn", "aren", "wouldn", "couldn", "won", "shouldn", "ain",
    "cannot",
];

/// Contracted auxiliaries ("I'm", "it's"): elliptic only with "not" after ("I'm not").
const CONTRACTED: &[&str] = &["m", "s", "re", "ve", "ll", "d"];

/// Words that may follow the auxiliary in an elliptic answer ("I did, yeah").
const AFTER: &[&str] = &[
    "t",
    "not",
    "too",
    "yes",
    "yeah",
    "no",
    "really",
    "actually",
    "though",
    "once",
    "twice",
    "always",
    "sometimes",
    "still",
    "then",
    "aye",
    "definitely",
    "honestly",
    "mind",
    "now",
    "anyway",
    "indeed",
    "again",
];

/// Short answers that are whole phrases (lower-case tokens).
const PHRASES: &[&[&str]] = &[
    &["i", "think", "so"],
    &["i", "don", "t", "think", "so"],
    &["i", "suppose", "so"],
    &["i", "hope", "so"],
    &["i", "guess", "so"],
    &["i", "believe", "so"],
    &["i", "expect", "so"],
    &["i", "imagine", "so"],
    &["i", "would", "say", "so"],
    &["i", "d", "say", "so"],
    &["i", "don", "t", "know"],
    &["i", "dunno"],
    &["don", "t", "know"],
    &["not", "really"],
    &["not", "at", "all"],
    &["not", "much"],
    &["not", "yet"],
    &["not", "always"],
    &["not", "often"],
    &["not", "very"],
    &["not", "now"],
    &["of", "course"],
    &["that", "s", "right"],
    &["that", "s", "true"],
    &["that", "s", "correct"],
    &["that", "s", "it"],
    &["me", "too"],
    &["me", "neither"],
    &["me", "either"],
];

/// Words after a comma that show the clause goes on ("I was, you know,
/// seventeen"): the words before are not an answer of their own.
const GOES_ON: &[&str] = &["you", "like", "sort", "kind", "erm", "um", "er", "mean"];

/// An elliptic answer at the start of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Elliptic {
    /// Char offset of the first word after the answer (the text's length when none).
    pub rest: usize,
    /// Words after the answer.
    pub rest_words: usize,
    /// Char offset just after the answer's last word (where a clarification goes).
    pub answer_end: usize,
    /// The answer says no ("No, I didn't", "Not really"): never cut away.
    pub negative: bool,
}

/// The text with bracketed marks blanked (same char offsets).
fn blank_marks(text: &str) -> String {
    let mut depth = 0;
    text.chars()
        .map(|c| match c {
            '[' => {
                depth += 1;
                ' '
            }
            ']' => {
                depth = (depth - 1).max(0);
                ' '
            }
            _ if depth > 0 => ' ',
            c => c,
        })
        .collect()
}

/// The elliptic answer the text opens with, if any (see the module documentation).
pub(crate) fn elliptic_answer(text: &str) -> Option<Elliptic> {
    let spoken = blank_marks(text);
    let chars: Vec<char> = spoken.chars().collect();
    let toks = tokens(&spoken, 0);
    let low: Vec<String> = toks.iter().map(|t| t.text.to_lowercase()).collect();
    let mut i = 0;
    let mut negative = false;
    let mut found = false;
    let mut answer_end = 0;
    // Answers may repeat: "I did, I did, I went every week".
    loop {
        let mut k = i;
        while k < low.len() && LEADS.contains(&low[k].as_str()) {
            negative |= NEGATIVE.contains(&low[k].as_str());
            k += 1;
        }
        let Some(end) = clause_at(&low, k) else {
            break;
        };
        // The answer must end there: the text ends, or punctuation follows.
        let last_end = toks[end - 1].end;
        let between: String = match toks.get(end) {
            Some(n) => chars[last_end..n.start].iter().collect(),
            None => chars[last_end..].iter().collect(),
        };
        let punct = between.trim();
        if toks.get(end).is_some() && punct.is_empty() {
            break;
        }
        if toks.get(end).is_some() && punct.contains(',') {
            // "I was, you know, seventeen": the clause goes on.
            if GOES_ON.contains(&low[end].as_str()) {
                break;
            }
        }
        negative |= low[k..end].iter().any(|w| NEGATIVE.contains(&w.as_str()));
        found = true;
        answer_end = last_end;
        i = end;
        if i >= low.len() {
            break;
        }
    }
    if !found {
        return None;
    }
    let rest = toks.get(i).map_or(chars.len(), |t| t.start);
    Some(Elliptic {
        rest,
        rest_words: toks.len() - i,
        answer_end,
        negative,
    })
}

/// The end (token index) of an elliptic clause starting at token `k`.
fn clause_at(low: &[String], k: usize) -> Option<usize> {
    for p in PHRASES {
        if low.len() >= k + p.len()
            && low[k..k + p.len()]
                .iter()
                .zip(p.iter())
                .all(|(a, b)| a == b)
        {
            return Some(k + p.len());
        }
    }
    let subject = low.get(k)?;
    if !SUBJECTS.contains(&subject.as_str()) {
        return None;
    }
    let aux = low.get(k + 1)?;
    let mut end = k + 2;
    if CONTRACTED.contains(&aux.as_str()) {
        if low.get(end).is_none_or(|w| w != "not") {
            return None;
        }
        end += 1;
    } else if !AUX.contains(&aux.as_str()) {
        return None;
    }
    while low.get(end).is_some_and(|w| AFTER.contains(&w.as_str())) {
        end += 1;
    }
    Some(end)
}

/// Question words that start a yes/no question ("Did you…?", "Was it…?").
const ASKING: &[&str] = &[
    "do", "does", "did", "have", "has", "had", "was", "were", "am", "is", "are", "will", "would",
    "could", "can", "should",
];

/// The longest gist offered as a clarification (words).
const GIST_WORDS: usize = 8;

/// What a yes/no question asks, in the storyteller's voice, for a bracketed
/// clarification: "Did you go back the next week?" gives "go back the next
/// week"; "Were you nervous?" gives "nervous". `None` for other questions or
/// a gist too long to bracket.
pub(crate) fn question_gist(question: &str) -> Option<String> {
    let last = question
        .split_inclusive(['?', '.', '!'])
        .map(str::trim)
        .rfind(|s| s.ends_with('?'))?;
    let toks = tokens(last, 0);
    let mut k = 0;
    // "And did you…", "So were you…".
    while toks.get(k).is_some_and(|t| {
        ["and", "so", "but", "then", "oh", "okay", "right"]
            .contains(&t.text.to_lowercase().as_str())
    }) {
        k += 1;
    }
    let ask = toks.get(k)?.text.to_lowercase();
    if !ASKING.contains(&ask.as_str()) {
        return None;
    }
    let subject = toks.get(k + 1)?.text.to_lowercase();
    if !SUBJECTS.contains(&subject.as_str()) {
        return None;
    }
    let rest = &toks[k + 2..];
    if rest.is_empty() || rest.len() > GIST_WORDS {
        return None;
    }
    let chars: Vec<char> = last.chars().collect();
    let text: String = chars[rest[0].start..rest[rest.len() - 1].end]
        .iter()
        .collect();
    // The interviewer's "you" is the storyteller's "I".
    let words: Vec<String> = text
        .split(' ')
        .map(|w| match w.to_lowercase().as_str() {
            "you" => "me".to_owned(),
            "your" => "my".to_owned(),
            "yours" => "mine".to_owned(),
            "yourself" => "myself".to_owned(),
            _ => w.to_owned(),
        })
        .collect();
    Some(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest_of(text: &str) -> Option<(String, bool)> {
        elliptic_answer(text).map(|e| (text.chars().skip(e.rest).collect(), e.negative))
    }

    #[test]
    fn answers_that_need_their_question_are_found() {
        for t in [
            "Yes, I did.",
            "No, it wasn't.",
            "I have, yeah.",
            "I did.",
            "Oh, I do.",
            "She was, bless her.",
            "I think so.",
            "Not really.",
            "Yes [laughs] I did.",
            "I'm not, no.",
            "That's right.",
            "Yeah, yeah, we were.",
        ] {
            assert!(elliptic_answer(t).is_some(), "{t}");
        }
        for t in [
            "I did the flowers every Sunday.",
            "I was, you know, seventeen when I married him.",
            "It was the best day of my life.",
            "Yes, the choir saved me.",
            "We went every Thursday.",
            "I'm daft.",
            "About two years.",
        ] {
            assert_eq!(elliptic_answer(t), None, "{t}");
        }
    }

    #[test]
    fn what_follows_the_answer_and_whether_it_says_no() {
        assert_eq!(
            rest_of("Yes, I did, I went back the next week with my sister."),
            Some(("I went back the next week with my sister.".into(), false))
        );
        assert_eq!(
            rest_of("I did, I did, I went every week after that."),
            Some(("I went every week after that.".into(), false))
        );
        assert_eq!(
            rest_of("No, I didn't, I stayed in all that winter."),
            Some(("I stayed in all that winter.".into(), true))
        );
        assert_eq!(rest_of("I wasn't."), Some((String::new(), true)));
        let e = elliptic_answer("Yes, I did.").expect("elliptic");
        assert_eq!(e.answer_end, 10);
        assert_eq!(e.rest_words, 0);
    }

    #[test]
    fn the_gist_of_a_yes_no_question() {
        assert_eq!(
            question_gist("That's lovely. Did you go back the next week?").as_deref(),
            Some("go back the next week")
        );
        assert_eq!(
            question_gist("Were you nervous?").as_deref(),
            Some("nervous")
        );
        assert_eq!(
            question_gist("And have you made friends there?").as_deref(),
            Some("made friends there")
        );
        assert_eq!(
            question_gist("Did your daughter drive you?").as_deref(),
            None,
            "the subject is not a pronoun"
        );
        assert_eq!(question_gist("What was it like?"), None);
        assert_eq!(
            question_gist(
                "Did you ever think, when you were on your own in that flat all winter, of going?"
            ),
            None,
            "too long to bracket"
        );
    }
}
