//! Guessing who interviews and who is interviewed. Label words decide first
//! ("Interviewer", "Researcher 1", "Q", "I"); otherwise each speaker is
//! scored on the share of their turns that are questions, how short their
//! turns are against the others', and whether they open and close the
//! conversation. One rhetorical question in a long account is not enough.
//! The user can correct it.

use crate::model::Role;

/// What a speaker did in one document.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpeakerStats {
    pub turns: usize,
    pub words: usize,
    pub questions: usize,
    /// Turns that are questions: ending on one, or mostly made of them.
    pub question_turns: usize,
    /// Spoke the first turn.
    pub opens: bool,
    /// Spoke the last turn.
    pub closes: bool,
}

impl SpeakerStats {
    /// Adds one turn's speech.
    pub fn add_turn(&mut self, speech: &str) {
        self.turns += 1;
        self.words += crate::text::word_count(speech);
        // One pass over the bytes: `?`, `.`, `!` and `…` (E2 80 A6) are all
        // found by their last byte, which no other char of UTF-8 ends in as
        // an ASCII byte; A6 also ends other chars, so its lead is checked.
        let b = speech.as_bytes();
        let (mut questions, mut sentences) = (0usize, 0usize);
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'?' => {
                    questions += 1;
                    sentences += 1;
                }
                b'.' | b'!' => sentences += 1,
                0xA6 if i >= 2 && b[i - 2] == 0xE2 && b[i - 1] == 0x80 => sentences += 1,
                _ => {}
            }
        }
        self.questions += questions;
        let sentences = sentences.max(1);
        let ends_on_question = speech
            .trim_end()
            .trim_end_matches(['"', '\'', '”', '’', ')', ']', '*'])
            .ends_with('?');
        if ends_on_question || questions * 2 >= sentences && questions > 0 {
            self.question_turns += 1;
        }
    }

    fn question_share(&self) -> f64 {
        self.question_turns as f64 / self.turns.max(1) as f64
    }
}

/// The roles, and a note when the guess rests on a small difference.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleGuess {
    pub roles: Vec<Role>,
    /// Why, in a few words (empty when label words decided).
    pub reason: String,
    /// The guess is weak: the best and second asker are close.
    pub weak: bool,
}

const INTERVIEWER_WORDS: &[&str] = &[
    "interviewer",
    "researcher",
    "moderator",
    "facilitator",
    "host",
    "q",
    "i",
    "int",
    "iv",
    "question",
    "evaluator",
];
const PARTICIPANT_WORDS: &[&str] = &[
    "participant",
    "respondent",
    "interviewee",
    "r",
    "a",
    "answer",
    "resp",
    "patient",
    "client",
];

/// The role a label's words give, if any (`Interviewer`, `Q`, `P1`, ...).
pub fn label_role(label: &str) -> Option<Role> {
    role_from_label(label)
}

fn role_from_label(label: &str) -> Option<Role> {
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| INTERVIEWER_WORDS.contains(w)) {
        return Some(Role::Interviewer);
    }
    let numbered_participant =
        |w: &&str| w.len() >= 2 && w.starts_with('p') && w[1..].bytes().all(|b| b.is_ascii_digit());
    if words
        .iter()
        .any(|w| PARTICIPANT_WORDS.contains(w) || numbered_participant(w))
    {
        return Some(Role::Participant);
    }
    None
}

/// One role per speaker, in the order given.
pub fn guess(labels: &[String], stats: &[SpeakerStats]) -> RoleGuess {
    let by_label: Vec<Option<Role>> = labels.iter().map(|l| role_from_label(l)).collect();
    let any_interviewer = by_label.contains(&Some(Role::Interviewer));
    if any_interviewer || labels.len() < 2 {
        return RoleGuess {
            roles: by_label
                .into_iter()
                .map(|r| r.unwrap_or(Role::Participant))
                .collect(),
            reason: if any_interviewer {
                "roles from label words".into()
            } else {
                String::new()
            },
            weak: false,
        };
    }
    let max_avg = stats
        .iter()
        .map(|s| s.words as f64 / s.turns.max(1) as f64)
        .fold(1.0, f64::max);
    let score = |s: &SpeakerStats| {
        let avg = s.words as f64 / s.turns.max(1) as f64;
        2.0 * s.question_share()
            + (1.0 - avg / max_avg)
            + if s.opens { 0.4 } else { 0.0 }
            + if s.closes { 0.2 } else { 0.0 }
    };
    let mut ranked: Vec<(usize, f64)> = stats
        .iter()
        .enumerate()
        .filter(|(i, s)| by_label[*i].is_none() && s.turns > 0)
        .map(|(i, s)| (i, score(s)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    // The asker must ask: a quarter of their turns are questions.
    let asker = ranked
        .first()
        .filter(|(i, _)| stats[*i].question_share() >= 0.25)
        .map(|(i, _)| *i);
    let margin = match (ranked.first(), ranked.get(1)) {
        (Some(a), Some(b)) => a.1 - b.1,
        _ => 1.0,
    };
    let roles = (0..labels.len())
        .map(|i| match by_label[i] {
            Some(r) => r,
            None if Some(i) == asker => Role::Interviewer,
            None => Role::Participant,
        })
        .collect();
    let reason = match asker {
        Some(i) => format!(
            "'{}' taken for the interviewer: {}% of their turns are questions",
            labels[i],
            (stats[i].question_share() * 100.0).round() as u32
        ),
        None => {
            "nobody asks in a quarter of their turns: every speaker read as a participant".into()
        }
    };
    RoleGuess {
        roles,
        reason,
        weak: asker.is_none() || margin < 0.6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(turns: usize, words: usize, questions: usize) -> SpeakerStats {
        SpeakerStats {
            turns,
            words,
            questions,
            question_turns: questions.min(turns),
            ..SpeakerStats::default()
        }
    }

    #[test]
    fn label_words_decide() {
        let labels = vec!["Researcher 1".to_string(), "Ana".to_string()];
        assert_eq!(
            guess(&labels, &[s(1, 1, 0), s(1, 100, 9)]).roles,
            vec![Role::Interviewer, Role::Participant]
        );
        let qa = vec!["Q".to_string(), "A".to_string()];
        assert_eq!(
            guess(&qa, &[s(1, 1, 0), s(1, 1, 0)]).roles,
            vec![Role::Interviewer, Role::Participant]
        );
        let ir = vec!["R".to_string(), "I".to_string()];
        assert_eq!(
            guess(&ir, &[s(1, 1, 0), s(1, 1, 0)]).roles,
            vec![Role::Participant, Role::Interviewer]
        );
    }

    #[test]
    fn the_asker_interviews() {
        let labels = vec![
            "Doreen".to_string(),
            "Sarah".to_string(),
            "Jean".to_string(),
        ];
        let roles = guess(&labels, &[s(20, 3000, 4), s(20, 400, 18), s(3, 200, 1)]).roles;
        assert_eq!(
            roles,
            vec![Role::Participant, Role::Interviewer, Role::Participant]
        );
    }

    #[test]
    fn one_rhetorical_question_does_not_make_an_interviewer() {
        let mut host = SpeakerStats::default();
        let mut guest = SpeakerStats::default();
        let long = "I worked there for years and it was hard. ".repeat(40);
        host.opens = true;
        for q in [
            "Welcome. How did it start?",
            "And then?",
            "Why?",
            "Thanks, that was great.",
        ] {
            host.add_turn(q);
        }
        for i in 0..4 {
            let speech = if i == 0 {
                format!("{long} Who would not be scared? {long}")
            } else {
                long.clone()
            };
            guest.add_turn(&speech);
        }
        let labels = vec!["Rosa".to_string(), "Ann".to_string()];
        let g = guess(&labels, &[guest, host]);
        assert_eq!(g.roles, vec![Role::Participant, Role::Interviewer]);
        assert!(!g.weak, "{g:?}");
        // "I'm" is not the label word "I".
        assert_eq!(label_role("I'm"), None);
        assert_eq!(label_role("I"), Some(Role::Interviewer));
    }
}
