//! The correction menus: one on a turn's header (the speaker's name opens
//! it, and so does a right-click anywhere on the header), one on the
//! selected text (right-click). Each item is one [`Fix`].

use super::Fix;
use storyloom_project::TurnEdit;

/// What a turn's menu needs to know of the turn.
pub(in super::super) struct TurnMenu<'a> {
    /// The turn's number (`seq`).
    pub turn: usize,
    /// Where the turn starts (document chars).
    pub start: usize,
    pub speaker: &'a str,
    pub non_speech: bool,
    /// Is there a turn before it to merge with?
    pub has_previous: bool,
    /// The cursor, when it sits inside this turn's words (a split point).
    pub cursor: Option<usize>,
    /// The document's speakers.
    pub names: &'a [String],
}

impl TurnMenu<'_> {
    pub fn ui(&self, ui: &mut egui::Ui, new_name: &mut String) -> Option<Fix> {
        let mut fix = None;
        let turn = self.turn;
        // Numbered as history and `storyloom turns` number it.
        let who = if self.non_speech {
            "not speech"
        } else {
            self.speaker
        };
        ui.label(egui::RichText::new(format!("Turn #{turn} ({who})")).weak());
        ui.menu_button("Give this turn to", |ui| {
            let others = self
                .names
                .iter()
                .filter(|n| self.non_speech || n.as_str() != self.speaker);
            if let Some(name) = pick_speaker(ui, others, new_name) {
                fix = Some(TurnEdit::Assign {
                    turn,
                    speaker: name,
                });
            }
        });
        if ui
            .add_enabled(
                self.cursor.is_some(),
                egui::Button::new("Split this turn at the cursor"),
            )
            .on_disabled_hover_text("Click in this turn's text where the next speaker starts")
            .clicked()
            && let Some(at) = self.cursor
        {
            fix = Some(TurnEdit::Split { turn, at });
        }
        if ui
            .add_enabled(
                self.has_previous,
                egui::Button::new("Merge with the turn before"),
            )
            .clicked()
        {
            fix = Some(TurnEdit::Merge { turn });
        }
        if ui
            .add_enabled(
                !self.non_speech,
                egui::Button::new("Mark this turn as not speech"),
            )
            .on_hover_text(
                "A heading, a note or a stage direction: kept and searchable, never in a story",
            )
            .clicked()
        {
            fix = Some(TurnEdit::NonSpeech { turn });
        }
        ui.separator();
        if let Some((first, second)) = alternate_menu(ui, self.speaker, self.non_speech, self.names)
        {
            fix = Some(TurnEdit::Alternate {
                from: self.start,
                first,
                second,
            });
        }
        if fix.is_some() {
            ui.close();
        }
        fix.map(Fix::Turns)
    }
}

/// What the menu on selected text needs to know.
pub(in super::super) struct SelectionMenu<'a> {
    /// The selection (document chars); empty for a bare cursor.
    pub range: (usize, usize),
    /// The turn holding the selection's start: (number, speaker, not speech).
    pub turn: Option<(usize, &'a str, bool)>,
    /// Where the turn would split (the selection's start inside its words).
    pub split: Option<(usize, usize)>,
    pub names: &'a [String],
}

impl SelectionMenu<'_> {
    pub fn ui(&self, ui: &mut egui::Ui, new_name: &mut String) -> Option<Fix> {
        let mut fix = None;
        let (start, end) = self.range;
        let what = if end > start {
            "Give the selected paragraphs to"
        } else {
            "Give this paragraph to"
        };
        ui.menu_button(what, |ui| {
            if let Some(name) = pick_speaker(ui, self.names.iter(), new_name) {
                fix = Some(TurnEdit::AssignParagraphs {
                    start,
                    end,
                    speaker: name,
                });
            }
        })
        .response
        .on_hover_text("The whole lines under the selection become turns of their own, said by the speaker you choose");
        if ui
            .add_enabled(
                self.split.is_some(),
                egui::Button::new("Split the turn here"),
            )
            .on_hover_text("The words from the selection's start on become a new turn")
            .clicked()
            && let Some((turn, at)) = self.split
        {
            fix = Some(TurnEdit::Split { turn, at });
        }
        if ui
            .add_enabled(
                end > start,
                egui::Button::new("Mark the selection as not speech"),
            )
            .on_hover_text("Cut the selected words from their turn as a note nobody said")
            .clicked()
        {
            fix = Some(TurnEdit::NonSpeechText { start, end });
        }
        if let Some((_, speaker, non_speech)) = self.turn {
            ui.separator();
            if let Some((first, second)) = alternate_menu(ui, speaker, non_speech, self.names) {
                fix = Some(TurnEdit::Alternate {
                    from: start,
                    first,
                    second,
                });
            }
        }
        if fix.is_some() {
            ui.close();
        }
        fix.map(Fix::Turns)
    }
}

/// A speaker from the list, or a new one typed in.
fn pick_speaker<'n>(
    ui: &mut egui::Ui,
    names: impl Iterator<Item = &'n String>,
    new_name: &mut String,
) -> Option<String> {
    let mut chosen = None;
    for name in names {
        if ui.button(name).clicked() {
            chosen = Some(name.clone());
        }
    }
    ui.separator();
    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(new_name)
                .hint_text("new speaker")
                .desired_width(120.0),
        );
        r.widget_info(|| {
            let mut info = egui::WidgetInfo::text_edit(true, "", new_name.as_str(), "");
            info.label = Some("New speaker's name".into());
            info
        });
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let ok = !new_name.trim().is_empty();
        if (ui
            .add_enabled(ok, egui::Button::new("Give to new speaker"))
            .clicked()
            || enter)
            && ok
        {
            chosen = Some(new_name.trim().to_owned());
            new_name.clear();
        }
    });
    chosen
}

/// "Alternate speakers from here": this turn's speaker and each other
/// speaker in both orders, or a new speaker when there is no other.
fn alternate_menu(
    ui: &mut egui::Ui,
    speaker: &str,
    non_speech: bool,
    names: &[String],
) -> Option<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let here = (!non_speech).then(|| speaker.to_owned());
    let others: Vec<&String> = names
        .iter()
        .filter(|n| here.as_deref() != Some(n.as_str()))
        .collect();
    match &here {
        Some(h) => {
            for o in &others {
                pairs.push((h.clone(), (*o).clone()));
                pairs.push(((*o).clone(), h.clone()));
            }
            let new = new_speaker_name(names);
            pairs.push((h.clone(), new.clone()));
            pairs.push((new, h.clone()));
        }
        None => {
            for (i, a) in others.iter().enumerate() {
                for (j, b) in others.iter().enumerate() {
                    if i != j {
                        pairs.push(((*a).clone(), (*b).clone()));
                    }
                }
            }
        }
    }
    let mut chosen = None;
    ui.add_enabled_ui(!pairs.is_empty(), |ui| {
        ui.menu_button("Alternate speakers from here", |ui| {
            ui.label(
                egui::RichText::new("One turn per paragraph from here on, taking turns:")
                    .weak(),
            );
            for (a, b) in &pairs {
                if ui.button(format!("{a}, then {b}")).clicked() {
                    chosen = Some((a.clone(), b.clone()));
                }
            }
        })
        .response
        .on_hover_text("For files that name no speakers: the paragraphs from here on alternate between two speakers");
    });
    chosen
}

/// "Speaker N" for the smallest N no speaker of the document has.
fn new_speaker_name(names: &[String]) -> String {
    (2..)
        .map(|n| format!("Speaker {n}"))
        .find(|c| !names.iter().any(|n| n.eq_ignore_ascii_case(c)))
        .unwrap_or_else(|| "Another speaker".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_new_speaker_gets_a_free_number() {
        let names = vec!["Speaker 1".to_owned(), "speaker 2".to_owned()];
        assert_eq!(super::new_speaker_name(&names), "Speaker 3");
        assert_eq!(super::new_speaker_name(&[]), "Speaker 2");
    }
}
