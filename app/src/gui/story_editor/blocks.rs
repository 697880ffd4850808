//! The story side: the page gauge, the blocks as they will read (select
//! words in them; move by dragging its "drag" handle onto another block, with
//! Up/Down, or Alt+Up/Alt+Down in the block's text; merge with the next
//! block; delete; show the source) and the story's fields. (A block is split
//! before the words selected in it, from the edit bar: see `word_edits`.)

use super::StoryEditor;
use super::block_text::block_text_ui;
use super::status::status_label;
use crate::gui::debounce::TextField;
use crate::gui::shared::{Jump, Shared};
use egui::{Color32, RichText};
use storyloom_project::Command;
use storyloom_project::stories::render::{ParagraphKind, RunKind};

impl StoryEditor {
    pub(super) fn story_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(l) = &self.loaded else { return };
        let story = l.story.uuid.clone();
        // The page gauge, always in view.
        let g = &l.gauge;
        let over = g.pages > 2;
        ui.label(
            RichText::new(format!(
                "{:.2} of 2 pages · {} words · revision {} · {}",
                g.fraction,
                l.rendered.words,
                l.story.revision,
                status_label(l.story.status)
            ))
            .color(if over {
                Color32::from_rgb(0xc0, 0x30, 0x30)
            } else {
                ui.visuals().text_color()
            }),
        );
        self.fields_ui(ui, sh, &story);
        self.status_ui(ui, sh, &story);
        ui.separator();
        self.findings_ui(ui, sh);
        self.quality_ui(ui);
        self.names_ui(ui, sh);
        self.workshop_notes_ui(ui);
        ui.separator();
        let Some(l) = &self.loaded else { return };
        let n = l.rendered.paragraphs.len();
        let mut action: Option<BlockAction> = None;
        ui.label(RichText::new(&l.rendered.title).heading());
        if !l.rendered.role_line.is_empty() {
            ui.label(RichText::new(&l.rendered.role_line).italics());
        }
        for (i, para) in l.rendered.paragraphs.iter().enumerate() {
            let frame = egui::Frame::group(ui.style());
            let (_, dropped) = ui.dnd_drop_zone::<usize, _>(frame, |ui| {
                let bt = block_text_ui(ui, para, i);
                self.words.note_block(&l.story, para, i, &bt);
                if bt.focused
                    && let Some(to) = move_key(ui, i, n)
                {
                    action = Some(BlockAction::Move(para.block_uuid.clone(), to));
                }
                // Wrapped, so that the block never grows past the story's side.
                ui.horizontal_wrapped(|ui| {
                    let tag = format!("block {}", i + 1);
                    let handle = egui::Id::unique(("story-block-drag", &para.block_uuid));
                    ui.dnd_drag_source(handle, i, |ui| {
                        ui.label(RichText::new("drag").weak())
                            .on_hover_text("Drag onto another block to move it there")
                    })
                    .response
                    .accessible_name(format!("Drag block {}", i + 1));
                    if ui
                        .add_enabled(i > 0, egui::Button::new("Up"))
                        .on_hover_text(&tag)
                        .clicked()
                    {
                        action = Some(BlockAction::Move(para.block_uuid.clone(), i - 1));
                    }
                    if ui
                        .add_enabled(i + 1 < n, egui::Button::new("Down"))
                        .on_hover_text(&tag)
                        .clicked()
                    {
                        action = Some(BlockAction::Move(para.block_uuid.clone(), i + 1));
                    }
                    if ui.button("Delete").on_hover_text(&tag).clicked() {
                        action = Some(BlockAction::Delete(para.block_uuid.clone()));
                    }
                    let next_is_excerpt = l
                        .rendered
                        .paragraphs
                        .get(i + 1)
                        .is_some_and(|n| n.kind == ParagraphKind::Excerpt);
                    if para.kind == ParagraphKind::Excerpt
                        && next_is_excerpt
                        && ui
                            .button("Merge with next")
                            .on_hover_text(
                                "One paragraph of this block and the next (later words of the same transcript); the words between become …",
                            )
                            .accessible_name(format!("Merge block {} with block {}", i + 1, i + 2))
                            .clicked()
                    {
                        action = Some(BlockAction::Merge(para.block_uuid.clone()));
                    }
                    if para.kind == ParagraphKind::Excerpt
                        && let Some(src) = para
                            .runs
                            .iter()
                            .filter(|r| matches!(r.kind, RunKind::Source | RunKind::Replacement))
                            .find_map(|r| r.source.clone())
                        && ui
                            .button("Show in transcript")
                            .on_hover_text(&tag)
                            .clicked()
                    {
                        action = Some(BlockAction::Show(Jump {
                            document: src.document,
                            start: src.start,
                            end: para
                                .runs
                                .iter()
                                .rev()
                                .filter(|r| {
                                    matches!(r.kind, RunKind::Source | RunKind::Replacement)
                                })
                                .find_map(|r| r.source.as_ref().map(|s| s.end))
                                .unwrap_or(src.end),
                        }));
                    }
                });
            });
            // A block dragged here takes this place.
            if let Some(from) = dropped
                && *from != i
                && let Some(p) = l.rendered.paragraphs.get(*from)
            {
                action = Some(BlockAction::Move(p.block_uuid.clone(), i));
            }
        }
        ui.horizontal(|ui| {
            let label = ui.label("Framing:");
            ui.add(egui::TextEdit::multiline(&mut self.framing).desired_rows(2))
                .labelled_by(label.id);
        });
        if ui
            .add_enabled(
                !self.framing.trim().is_empty(),
                egui::Button::new("Add framing"),
            )
            .clicked()
            && sh
                .apply(Command::AddFraming {
                    story: story.to_owned(),
                    text: self.framing.to_owned(),
                    position: None,
                })
                .and_then(|a| a.id().ok())
                .is_some()
        {
            self.framing.clear();
        }
        // The storyteller's consent after the story: the story's own words
        // are what the editor is for, and come first on the screen.
        ui.separator();
        self.consent_ui(ui, sh, &story);
        match action {
            Some(BlockAction::Move(b, to)) => {
                sh.push(Command::MoveBlock {
                    story: story.to_owned(),
                    block: b.to_owned(),
                    to,
                });
            }
            Some(BlockAction::Delete(b)) => {
                sh.push(Command::DeleteBlock {
                    story: story.to_owned(),
                    block: b.to_owned(),
                });
            }
            Some(BlockAction::Merge(b)) => {
                sh.push(Command::MergeWithNext {
                    story: story.to_owned(),
                    block: b.to_owned(),
                });
            }
            Some(BlockAction::Show(j)) => {
                sh.open_document = Some(j.document.clone());
                sh.jump = Some(j);
                // A narrow editor shows the transcript side to see it.
                self.side = super::Side::Transcript;
            }
            None => {}
        }
    }

    /// Title, pseudonym and role line: saved as you type (one change per
    /// edit session, see [`crate::gui::debounce`]).
    fn fields_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &str) {
        let Some(l) = &self.loaded else { return };
        let (title, pseudonym, role_line) = (
            l.story.title.clone(),
            l.story.pseudonym.clone(),
            l.story.role_line.clone(),
        );
        egui::Grid::new("story-fields")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Title");
                let key = story.to_owned();
                TextField::singleline(("story-title", story))
                    .show(ui, sh, &title, move |_, t| {
                        Ok(Command::SetStoryTitle {
                            story: key.clone(),
                            title: t.to_owned(),
                        })
                    })
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Pseudonym");
                let key = story.to_owned();
                TextField::singleline(("story-pseudonym", story))
                    .show(ui, sh, &pseudonym, move |_, t| {
                        Ok(Command::SetStoryPseudonym {
                            story: key.clone(),
                            pseudonym: t.to_owned(),
                        })
                    })
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Role line");
                let key = story.to_owned();
                TextField::singleline(("story-role-line", story))
                    .show(ui, sh, &role_line, move |_, t| {
                        Ok(Command::SetStoryRoleLine {
                            story: key.clone(),
                            role_line: t.to_owned(),
                        })
                    })
                    .labelled_by(label.id);
                ui.end_row();
            });
    }
}

/// Alt+Up / Alt+Down in a block's text: the place block `i` of `n` moves to.
fn move_key(ui: &egui::Ui, i: usize, n: usize) -> Option<usize> {
    ui.input_mut(|inp| {
        if inp.consume_key(egui::Modifiers::ALT, egui::Key::ArrowUp) && i > 0 {
            Some(i - 1)
        } else if inp.consume_key(egui::Modifiers::ALT, egui::Key::ArrowDown) && i + 1 < n {
            Some(i + 1)
        } else {
            None
        }
    })
}

enum BlockAction {
    Move(String, usize),
    Delete(String),
    /// Merge the block with the next one.
    Merge(String),
    Show(Jump),
}
