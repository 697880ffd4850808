//! The caret and the selection from the keyboard: Left/Right move the caret
//! a character, Ctrl+Left/Right a word, Ctrl+Shift+Down/Up a sentence; with
//! Shift held the selection grows or shrinks instead (the anchor stays). The
//! selection is then coded with C or 1–9 like a dragged one.

use egui::{Key, Modifiers};

/// How far a key moves the caret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Motion {
    Char(bool),
    Word(bool),
    Sentence(bool),
}

/// A caret key from this frame's input: the motion and whether it extends
/// the selection. Keys with more modifiers are taken first (egui ignores an
/// extra Shift when matching).
pub(super) fn caret_key(i: &mut egui::InputState) -> Option<(Motion, bool)> {
    let shift = Modifiers::SHIFT;
    let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    let table = [
        (ctrl_shift, Key::ArrowDown, Motion::Sentence(true), true),
        (ctrl_shift, Key::ArrowUp, Motion::Sentence(false), true),
        (ctrl_shift, Key::ArrowRight, Motion::Word(true), true),
        (ctrl_shift, Key::ArrowLeft, Motion::Word(false), true),
        (
            Modifiers::COMMAND,
            Key::ArrowRight,
            Motion::Word(true),
            false,
        ),
        (
            Modifiers::COMMAND,
            Key::ArrowLeft,
            Motion::Word(false),
            false,
        ),
        (shift, Key::ArrowRight, Motion::Char(true), true),
        (shift, Key::ArrowLeft, Motion::Char(false), true),
        (Modifiers::NONE, Key::ArrowRight, Motion::Char(true), false),
        (Modifiers::NONE, Key::ArrowLeft, Motion::Char(false), false),
    ];
    table
        .into_iter()
        .find(|(m, k, _, _)| i.consume_key(*m, *k))
        .map(|(_, _, motion, extend)| (motion, extend))
}

/// Letters, digits and apostrophes make words (as when snapping).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn closing(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']')
}

/// Where `motion` takes the caret at `at` in `chars` (a window of the text;
/// the result is clamped to it).
pub(super) fn step(chars: &[char], at: usize, motion: Motion) -> usize {
    let n = chars.len();
    let at = at.min(n);
    match motion {
        Motion::Char(true) => (at + 1).min(n),
        Motion::Char(false) => at.saturating_sub(1),
        Motion::Word(true) => {
            // Past what is not a word, then to the word's end.
            let mut k = at;
            while k < n && !is_word(chars[k]) {
                k += 1;
            }
            while k < n && is_word(chars[k]) {
                k += 1;
            }
            k
        }
        Motion::Word(false) => {
            let mut k = at;
            while k > 0 && !is_word(chars[k - 1]) {
                k -= 1;
            }
            while k > 0 && is_word(chars[k - 1]) {
                k -= 1;
            }
            k
        }
        Motion::Sentence(true) => {
            // To just after the next sentence end (and its closing quotes),
            // or the end of the paragraph.
            let mut k = at;
            while k < n && chars[k].is_whitespace() {
                k += 1;
            }
            while k < n {
                let c = chars[k];
                if c == '\n' {
                    return k;
                }
                k += 1;
                if ends_sentence(c) && (k == n || chars[k].is_whitespace() || closing(chars[k])) {
                    while k < n && (ends_sentence(chars[k]) || closing(chars[k])) {
                        k += 1;
                    }
                    return k;
                }
            }
            n
        }
        Motion::Sentence(false) => {
            // To the start of this sentence, or of the one before when the
            // caret is at a start already.
            let mut k = at;
            while k > 0 && (chars[k - 1].is_whitespace() || closing(chars[k - 1])) {
                k -= 1;
            }
            while k > 0 && ends_sentence(chars[k - 1]) {
                k -= 1;
            }
            while k > 0 {
                let c = chars[k - 1];
                if c == '\n' {
                    break;
                }
                if c.is_whitespace() && k >= 2 {
                    let mut p = k - 1;
                    while p > 0 && closing(chars[p - 1]) {
                        p -= 1;
                    }
                    if p > 0 && ends_sentence(chars[p - 1]) {
                        break;
                    }
                }
                k -= 1;
            }
            while k < at && chars[k].is_whitespace() {
                k += 1;
            }
            k
        }
    }
}

impl super::DocumentView {
    /// Moves the caret (or the selection's moving end, with `extend`) by
    /// `motion`, from the caret or, without one, from the turn at the top.
    pub(super) fn move_caret(&mut self, motion: Motion, extend: bool) {
        /// How much text either side of the caret a motion looks at.
        const WINDOW: usize = 4000;
        let Some(model) = &self.model else { return };
        // Left or Right on a selection puts the caret at its start or end.
        if !extend && let (Some((a, b)), Motion::Char(forward)) = (self.selected_range(), motion) {
            let to = if forward { b } else { a };
            self.anchor = to;
            self.head = to;
            return;
        }
        let from = if self.has_cursor {
            self.head
        } else {
            model.blocks.get(self.top_block).map_or(0, |b| b.start)
        };
        let lo = from.saturating_sub(WINDOW);
        let hi = (from + WINDOW).min(model.chars);
        let chars: Vec<char> = model.slice(lo, hi).chars().collect();
        let to = lo + step(&chars, from - lo, motion);
        if !self.has_cursor || !extend {
            self.anchor = to;
        }
        self.head = to;
        self.has_cursor = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn words_forward_and_back() {
        let t = chars("I didn't do very well, after Ron.");
        assert_eq!(step(&t, 0, Motion::Word(true)), 1);
        assert_eq!(step(&t, 1, Motion::Word(true)), 8); // "didn't"
        assert_eq!(step(&t, 8, Motion::Word(false)), 2);
        assert_eq!(step(&t, 21, Motion::Word(true)), 28); // over ", "
        assert_eq!(step(&t, 0, Motion::Word(false)), 0);
        assert_eq!(step(&t, t.len(), Motion::Word(true)), t.len());
    }

    #[test]
    fn sentences_forward_and_back() {
        let t = chars("It was. I'm not one for a fuss! \"You?\" she said. Then\nNext line.");
        let s1 = step(&t, 0, Motion::Sentence(true));
        assert_eq!(t[..s1].iter().collect::<String>(), "It was.");
        let s2 = step(&t, s1, Motion::Sentence(true));
        assert!(t[..s2].iter().collect::<String>().ends_with("fuss!"));
        let s3 = step(&t, s2, Motion::Sentence(true));
        assert!(t[..s3].iter().collect::<String>().ends_with("\"You?\""));
        // A line break ends a paragraph's last words.
        let s5 = step(
            &t,
            step(&t, s3, Motion::Sentence(true)),
            Motion::Sentence(true),
        );
        assert_eq!(t[s5], '\n');
        // Back: from inside a sentence to its start, then to the one before.
        let inside = s1 + 5;
        let b = step(&t, inside, Motion::Sentence(false));
        assert_eq!(b, s1 + 1);
        assert_eq!(step(&t, b, Motion::Sentence(false)), 0);
    }
}
