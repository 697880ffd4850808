//! Guessing who interviews and who is interviewed. Label words decide first
//! ("Interviewer", "Researcher 1", "Q", "I"); otherwise the speaker who asks
//! the most questions per word is the interviewer. The user can correct it.

use crate::model::Role;

/// What a speaker did in one document.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpeakerStats {
    pub turns: usize,
    pub words: usize,
    pub questions: usize,
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
        .split(|c: char| !c.is_alphanumeric())
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
pub fn guess(labels: &[String], stats: &[SpeakerStats]) -> Vec<Role> {
    let by_label: Vec<Option<Role>> = labels.iter().map(|l| role_from_label(l)).collect();
    let any_interviewer = by_label.contains(&Some(Role::Interviewer));
    if any_interviewer || labels.len() < 2 {
        return by_label
            .into_iter()
            .map(|r| r.unwrap_or(Role::Participant))
            .collect();
    }
    // Questions per word: interviewers ask, participants tell.
    let density = |s: &SpeakerStats| s.questions as f64 / s.words.max(1) as f64;
    let asker = stats
        .iter()
        .enumerate()
        .filter(|(i, s)| by_label[*i].is_none() && s.questions > 0)
        .max_by(|a, b| density(a.1).total_cmp(&density(b.1)))
        .map(|(i, _)| i);
    (0..labels.len())
        .map(|i| match by_label[i] {
            Some(r) => r,
            None if Some(i) == asker => Role::Interviewer,
            None => Role::Participant,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(turns: usize, words: usize, questions: usize) -> SpeakerStats {
        SpeakerStats {
            turns,
            words,
            questions,
        }
    }

    #[test]
    fn label_words_decide() {
        let labels = vec!["Researcher 1".to_string(), "Ana".to_string()];
        assert_eq!(
            guess(&labels, &[s(1, 1, 0), s(1, 100, 9)]),
            vec![Role::Interviewer, Role::Participant]
        );
        let qa = vec!["Q".to_string(), "A".to_string()];
        assert_eq!(
            guess(&qa, &[s(1, 1, 0), s(1, 1, 0)]),
            vec![Role::Interviewer, Role::Participant]
        );
        let ir = vec!["R".to_string(), "I".to_string()];
        assert_eq!(
            guess(&ir, &[s(1, 1, 0), s(1, 1, 0)]),
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
        let roles = guess(&labels, &[s(20, 3000, 4), s(20, 400, 18), s(3, 200, 1)]);
        assert_eq!(
            roles,
            vec![Role::Participant, Role::Interviewer, Role::Participant]
        );
    }
}
