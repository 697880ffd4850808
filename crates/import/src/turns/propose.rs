//! Files that name no speaker at all: when their paragraphs read as an
//! interview (short questions, each followed by a longer answer), the asker
//! and the answerer are proposed as `Speaker 1` and `Speaker 2`. It is a
//! guess, said so in the confidence and the notes, for a person to check and
//! correct. A text that does not alternate so (a memoir, an essay with a few
//! rhetorical questions) stays one speaker's.

use super::timed::{ANSWERER, ASKER};
use crate::parsed::{Confidence, Line};
use std::collections::HashMap;

/// Speaker of each line (0 asks, 1 answers) and the confidence to show.
pub struct Proposal {
    pub by_line: HashMap<usize, usize>,
    pub confidence: Confidence,
}

pub const LABELS: [&str; 2] = [ASKER, ANSWERER];

/// Proposes speakers by alternation and question shape, or `None`.
pub fn propose(lines: &[Line], annotation: &[bool]) -> Option<Proposal> {
    // Paragraphs: runs of non-blank lines; a file without blank lines has one per line.
    let has_blank = lines.iter().any(|l| l.text.trim().is_empty());
    let mut paragraphs: Vec<Vec<usize>> = Vec::new();
    let mut open = false;
    for (i, l) in lines.iter().enumerate() {
        if l.text.trim().is_empty() || annotation[i] {
            open = false;
            continue;
        }
        if !open || !has_blank {
            paragraphs.push(Vec::new());
        }
        if let Some(p) = paragraphs.last_mut() {
            p.push(i);
        }
        open = true;
    }
    let shape: Vec<(bool, usize)> = paragraphs
        .iter()
        .map(|p| {
            let text: Vec<&str> = p.iter().map(|&i| lines[i].text.as_str()).collect();
            let text = text.join(" ");
            let words = crate::text::word_count(&text);
            (is_question(&text) && words <= 60, words)
        })
        .collect();
    let questions = shape.iter().filter(|(q, _)| *q).count();
    let answers = shape.len() - questions;
    if questions < 3 || answers < 3 {
        return None;
    }
    // A question is followed by an answer, mostly.
    let followed = shape.windows(2).filter(|w| w[0].0 && !w[1].0).count();
    let avg = |q: bool| {
        let (n, w) = shape
            .iter()
            .filter(|(is_q, _)| *is_q == q)
            .fold((0, 0), |(n, w), (_, words)| (n + 1, w + words));
        w as f64 / n.max(1) as f64
    };
    if followed * 10 < questions * 7 || avg(true) * 1.5 > avg(false) {
        return None;
    }
    let mut by_line = HashMap::new();
    for (p, (q, _)) in paragraphs.iter().zip(&shape) {
        for &i in p {
            by_line.insert(i, if *q { 0 } else { 1 });
        }
    }
    Some(Proposal {
        by_line,
        confidence: Confidence {
            score: 25,
            reason: format!(
                "no speaker labels: '{ASKER}' (asks: {questions} question paragraphs) and '{ANSWERER}' \
                 (answers: {answers} paragraphs) proposed by alternation and question shape (a guess)"
            ),
            guessed: true,
        },
    })
}

/// Ends on a question mark (quotes and brackets aside), or a line that opens
/// with `Q.`/`Question` style.
fn is_question(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', ' '])
        .ends_with(['?', '？', '؟'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Role};
    use crate::turns::from_lines;

    fn lines(s: &str) -> Vec<Line> {
        s.lines().map(Line::plain).collect()
    }

    const INTERVIEW: &str = "Thank you for agreeing to talk to me. Can you tell me how you came to the choir?

My neighbour took me along one Tuesday after my husband died. I did not want to go, I sat at the back and cried through the first song, but they made me a cup of tea and nobody asked me anything.

And what kept you going back?

The people, really. There was one woman, she had lost her son, and we would walk home together. It gave the week a shape again, something to get dressed for.

How did it change things for you at home?

I started cooking again. Not much, but for two days after choir I had the energy. My daughter noticed before I did.

Is there anything you would want other people to know?

That it is never too late to sing badly with strangers. That is what I would tell them.";

    #[test]
    fn an_unlabelled_interview_gets_two_proposed_speakers() {
        let d = from_lines(Format::Txt, lines(INTERVIEW), vec![]);
        let labels: Vec<&str> = d.speakers.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec![ASKER, ANSWERER]);
        assert_eq!(d.speakers[0].role, Role::Interviewer);
        assert_eq!(d.speakers[1].role, Role::Participant);
        assert_eq!(d.turns.len(), 8);
        assert!(d.confidence.guessed);
        assert!(d.confidence.score < 50);
        assert!(
            d.confidence.reason.contains("a guess"),
            "{}",
            d.confidence.reason
        );
        let ix = crate::text::CharIndex::new(&d.text);
        let t = &d.turns[2];
        assert_eq!(
            ix.slice(t.start, t.end),
            Some("And what kept you going back?")
        );
        assert_eq!(d.coverage().speech_percent(), 100);
    }

    #[test]
    fn a_memoir_with_rhetorical_questions_stays_one_speaker() {
        let memoir = "I was born in Leith in 1948. My father worked the docks and my mother took in sewing.\n\n\
            Who would have thought I would end up in a choir?\n\n\
            We moved to Glasgow when I was nine. The school was huge and I hated it for a year.\n\n\
            Then I met Margaret, who sang in the kirk. She dragged me along and that was that.\n\n\
            Was I any good? Not really.\n\nBut I kept going, every week, for sixty years.";
        let d = from_lines(Format::Txt, lines(memoir), vec![]);
        assert_eq!(d.speakers.len(), 1);
        assert!(d.confidence.guessed);
    }
}
