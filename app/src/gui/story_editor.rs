//! The story editor: the participant's transcript on the left (their turns
//! emphasised, interviewer turns quiet), the story on the right. Selections
//! in the transcript become excerpts, cuts (an ellipsis), clarifications and
//! pseudonym replacements; the fidelity checker and the page gauge are live.

use super::document_view::DocumentView;
use super::shared::{Jump, Shared};
use egui::{Color32, RichText, text::LayoutJob};
use storyloom_coding::stories::check::{CheckReport, Severity};
use storyloom_coding::stories::model::{BlockContent, Story, StoryStatus, StorySummary};
use storyloom_coding::stories::render::{ParagraphKind, RenderedStory, RunKind};
use storyloom_exports::page_gauge::{self, PageEstimate};

/// What the editor shows of the open story, read once per revision.
struct Loaded {
    story: Story,
    rendered: RenderedStory,
    check: CheckReport,
    gauge: PageEstimate,
    /// The participant's documents: (uuid, name).
    documents: Vec<(String, String)>,
    /// What workshops said about the story (imported recording sheets).
    notes: Vec<storyloom_coding::store::pack::WorkshopNote>,
}

#[derive(Default)]
pub struct StoryEditor {
    /// The open story (uuid).
    pub story: Option<String>,
    list: Vec<StorySummary>,
    participants: Vec<(String, String)>,
    loaded: Option<Loaded>,
    loaded_at: Option<(String, u64)>,
    list_at: Option<u64>,
    transcript: DocumentView,
    /// Participant chosen for a new story.
    new_for: Option<String>,
    clarification: String,
    replacement: String,
    framing: String,
    approved_how: String,
    title: String,
    role_line: String,
    pseudonym: String,
}

impl StoryEditor {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        self.reload(sh);
        self.header_ui(ui, sh);
        ui.separator();
        if self.loaded.is_none() {
            ui.label("Choose a story above, or draft one for a participant.");
            return;
        }
        let width = ui.available_width();
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2(width * 0.5 - 8.0, ui.available_height()),
                egui::Layout::top_down(egui::Align::LEFT),
                |ui| self.transcript_ui(ui, sh),
            );
            ui.separator();
            ui.allocate_ui_with_layout(
                egui::vec2(ui.available_width(), ui.available_height()),
                egui::Layout::top_down(egui::Align::LEFT),
                |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("story-side")
                        .auto_shrink(false)
                        .show(ui, |ui| self.story_ui(ui, sh));
                },
            );
        });
    }

    fn reload(&mut self, sh: &mut Shared) {
        if self.list_at != Some(sh.revision) {
            self.list_at = Some(sh.revision);
            self.list = sh.read(|p| p.stories()).unwrap_or_default();
            self.participants = sh
                .read(|p| p.participants())
                .unwrap_or_default()
                .into_iter()
                .map(|p| {
                    let label = match &p.pseudonym {
                        Some(ps) => format!("{} ({ps})", p.id),
                        None => p.id.clone(),
                    };
                    (p.id, label)
                })
                .collect();
            if let Some(s) = &self.story
                && !self.list.iter().any(|x| &x.uuid == s)
            {
                self.story = None;
            }
        }
        let Some(uuid) = self.story.clone() else {
            self.loaded = None;
            return;
        };
        if self.loaded_at == Some((uuid.clone(), sh.revision)) {
            return;
        }
        self.loaded_at = Some((uuid.clone(), sh.revision));
        let loaded = sh.read(|p| {
            let story = p.story(&uuid)?;
            // The research view: the original words, so the editor shows what
            // the storyteller said; pseudonyms show as [Replacement] edits.
            let rendered = p.render_story_research(&uuid)?;
            let check = p.check_story(&uuid, None)?;
            let documents = match &story.participant {
                Some(id) => p
                    .documents()?
                    .into_iter()
                    .filter(|d| d.participants.iter().any(|x| x == id))
                    .map(|d| (d.uuid, d.name))
                    .collect(),
                None => vec![],
            };
            let notes = p.workshop_notes(&uuid)?;
            Ok((story, rendered, check, documents, notes))
        });
        self.loaded = loaded.map(|(story, rendered, check, documents, notes)| {
            self.title = story.title.clone();
            self.role_line = story.role_line.clone();
            self.pseudonym = story.pseudonym.clone();
            Loaded {
                gauge: page_gauge::pages(&rendered),
                story,
                rendered,
                check,
                documents,
                notes,
            }
        });
        // Show the story's first source document on the left.
        if let Some(l) = &self.loaded {
            let current = sh.open_document.clone();
            let belongs = current
                .as_ref()
                .is_some_and(|c| l.documents.iter().any(|(u, _)| u == c));
            if !belongs && let Some((u, _)) = l.documents.first() {
                sh.open_document = Some(u.clone());
            }
        }
    }

    fn header_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Story:");
            let shown = self
                .story
                .as_ref()
                .and_then(|u| self.list.iter().find(|s| &s.uuid == u))
                .map(summary_label)
                .unwrap_or_else(|| "(none)".into());
            let mut chosen = self.story.clone();
            egui::ComboBox::from_id_salt("story-choice")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for s in &self.list {
                        ui.selectable_value(&mut chosen, Some(s.uuid.clone()), summary_label(s));
                    }
                })
                .response
                .labelled_by(label.id);
            if chosen != self.story {
                self.story = chosen;
                self.loaded_at = None;
            }
            ui.separator();
            let label = ui.label("Participant:");
            let shown = self
                .new_for
                .as_ref()
                .and_then(|id| self.participants.iter().find(|p| &p.0 == id))
                .map(|p| p.1.clone())
                .unwrap_or_else(|| "choose".into());
            egui::ComboBox::from_id_salt("story-participant")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (id, label) in &self.participants {
                        ui.selectable_value(&mut self.new_for, Some(id.clone()), label);
                    }
                })
                .response
                .labelled_by(label.id);
            let who = self.new_for.clone();
            if ui
                .add_enabled(who.is_some(), egui::Button::new("Auto-draft story"))
                .on_hover_text(
                    "A first draft from the participant's own words, fitted to two pages",
                )
                .clicked()
                && let Some(who) = &who
                && let Some(uuid) = sh.act(|p| p.draft_story(who))
            {
                self.open(uuid);
            }
            if ui
                .add_enabled(who.is_some(), egui::Button::new("Empty story"))
                .clicked()
                && let Some(who) = &who
                && let Some(uuid) = sh.act(|p| p.create_story(who, ""))
            {
                self.open(uuid);
            }
        });
    }

    fn open(&mut self, uuid: String) {
        self.story = Some(uuid);
        self.loaded_at = None;
    }

    fn transcript_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(l) = &self.loaded else { return };
        let story = l.story.uuid.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Transcript:");
            let current = sh.open_document.clone();
            let shown = l
                .documents
                .iter()
                .find(|(u, _)| Some(u) == current.as_ref())
                .map(|d| d.1.clone())
                .unwrap_or_else(|| "(none linked)".into());
            let mut chosen = current.clone();
            egui::ComboBox::from_id_salt("story-transcript")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (u, n) in &l.documents {
                        ui.selectable_value(&mut chosen, Some(u.clone()), n);
                    }
                })
                .response
                .labelled_by(label.id);
            if chosen != current {
                sh.open_document = chosen;
            }
        });
        let selection = sh
            .selection
            .clone()
            .filter(|s| Some(&s.document) == sh.open_document.as_ref());
        let block = selection
            .as_ref()
            .and_then(|s| block_holding(&l.story, &s.document, s.start, s.end));
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    selection.is_some(),
                    egui::Button::new("Add selection as excerpt"),
                )
                .clicked()
                && let Some(s) = &selection
            {
                sh.act(|p| p.add_excerpt(&story, &s.document, s.start, s.end, None));
            }
            if ui
                .add_enabled(block.is_some(), egui::Button::new("Cut selected words"))
                .on_hover_text(
                    "Within an excerpt: the words become … ; at its edge, the excerpt is shortened",
                )
                .clicked()
                && let (Some(s), Some(b)) = (&selection, &block)
            {
                sh.act(|p| p.cut_words(&story, b, s.start, s.end));
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Clarification:");
            ui.add(egui::TextEdit::singleline(&mut self.clarification).desired_width(160.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    block.is_some() && !self.clarification.trim().is_empty(),
                    egui::Button::new("Insert after selection"),
                )
                .clicked()
                && let (Some(s), Some(b)) = (&selection, &block)
                && sh
                    .act(|p| p.add_clarification(&story, b, s.end, &self.clarification))
                    .is_some()
            {
                self.clarification.clear();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Replace with:");
            ui.add(egui::TextEdit::singleline(&mut self.replacement).desired_width(160.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    block.is_some() && !self.replacement.trim().is_empty(),
                    egui::Button::new("Replace selection"),
                )
                .clicked()
                && let (Some(s), Some(b)) = (&selection, &block)
                && sh
                    .act(|p| p.replace_with_pseudonym(&story, b, s.start, s.end, &self.replacement))
                    .is_some()
            {
                self.replacement.clear();
            }
        });
        ui.separator();
        self.transcript.ui(ui, sh);
    }

    fn story_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
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
            let mut job = LayoutJob::default();
            let body = ui.visuals().text_color();
            let quiet = ui.visuals().weak_text_color();
            let edit = Color32::from_rgb(0x2a, 0x6f, 0xb0);
            for r in &para.runs {
                let (color, italics) = match r.kind {
                    RunKind::Source => (body, r.italic),
                    RunKind::Elision => (quiet, false),
                    RunKind::Insertion | RunKind::Replacement => (edit, r.italic),
                };
                job.append(
                    &r.text,
                    0.0,
                    egui::TextFormat {
                        color,
                        italics: italics || para.kind == ParagraphKind::Framing,
                        font_id: egui::FontId::proportional(14.0),
                        ..Default::default()
                    },
                );
            }
            ui.group(|ui| {
                ui.add(egui::Label::new(job).wrap())
                    .on_hover_text(format!("Block {}", i + 1));
                ui.horizontal(|ui| {
                    let tag = format!("block {}", i + 1);
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
                    if para.kind == ParagraphKind::Excerpt
                        && let Some(src) = para.runs.iter().find_map(|r| r.source.clone())
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
                                .find_map(|r| r.source.as_ref().map(|s| s.end))
                                .unwrap_or(src.end),
                        }));
                    }
                });
            });
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
                .act(|p| p.add_framing(&story, &self.framing, None))
                .is_some()
        {
            self.framing.clear();
        }
        match action {
            Some(BlockAction::Move(b, to)) => {
                sh.act(|p| p.move_block(&story, &b, to));
            }
            Some(BlockAction::Delete(b)) => {
                sh.act(|p| p.delete_block(&story, &b));
            }
            Some(BlockAction::Show(j)) => {
                sh.open_document = Some(j.document.clone());
                sh.jump = Some(j);
            }
            None => {}
        }
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &str) {
        egui::Grid::new("story-fields")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Title");
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.title).desired_width(320.0))
                    .labelled_by(label.id);
                if r.lost_focus()
                    && self
                        .loaded
                        .as_ref()
                        .is_some_and(|l| l.story.title != self.title)
                {
                    sh.act(|p| p.set_story_title(story, &self.title));
                }
                ui.end_row();
                let label = ui.label("Pseudonym");
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.pseudonym).desired_width(320.0))
                    .labelled_by(label.id);
                if r.lost_focus()
                    && self
                        .loaded
                        .as_ref()
                        .is_some_and(|l| l.story.pseudonym != self.pseudonym)
                {
                    sh.act(|p| p.set_story_pseudonym(story, &self.pseudonym));
                }
                ui.end_row();
                let label = ui.label("Role line");
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.role_line).desired_width(320.0))
                    .labelled_by(label.id);
                if r.lost_focus()
                    && self
                        .loaded
                        .as_ref()
                        .is_some_and(|l| l.story.role_line != self.role_line)
                {
                    sh.act(|p| p.set_story_role_line(story, &self.role_line));
                }
                ui.end_row();
            });
    }

    fn status_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, story: &str) {
        let Some(l) = &self.loaded else { return };
        let status = l.story.status;
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    status == StoryStatus::Draft || status == StoryStatus::Changes,
                    egui::Button::new("Ready for check"),
                )
                .clicked()
            {
                sh.act(|p| p.set_story_status(story, StoryStatus::Ready));
            }
            if ui
                .add_enabled(
                    status != StoryStatus::Withdrawn,
                    egui::Button::new("Sent to storyteller"),
                )
                .clicked()
            {
                sh.act(|p| p.record_story_sent(story, None));
            }
            let label = ui.label("Approved how:");
            ui.add(egui::TextEdit::singleline(&mut self.approved_how).desired_width(100.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    !self.approved_how.trim().is_empty(),
                    egui::Button::new("Record approval"),
                )
                .clicked()
                && sh
                    .act(|p| p.approve_story(story, &self.approved_how, None, None))
                    .is_some()
            {
                self.approved_how.clear();
            }
            if ui
                .add_enabled(
                    status != StoryStatus::Withdrawn,
                    egui::Button::new("Withdraw"),
                )
                .clicked()
            {
                sh.act(|p| p.set_story_status(story, StoryStatus::Withdrawn));
            }
        });
        if let Some(a) = &l.story.approval {
            ui.label(
                RichText::new(format!(
                    "Approved {} ({}), revision {}",
                    a.date, a.how, a.revision
                ))
                .weak(),
            );
        }
    }

    /// What workshop groups recorded about this story, beside it.
    fn workshop_notes_ui(&self, ui: &mut egui::Ui) {
        let Some(l) = &self.loaded else { return };
        if l.notes.is_empty() {
            return;
        }
        ui.separator();
        ui.label(RichText::new("Workshop notes").strong());
        for n in &l.notes {
            ui.group(|ui| {
                ui.label(RichText::new(&n.workshop).italics());
                for (field, answer) in &n.fields {
                    if !answer.trim().is_empty() {
                        ui.label(format!("{field}: {answer}"));
                    }
                }
            });
        }
    }

    fn findings_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        let Some(l) = &self.loaded else { return };
        let errors = l.check.errors().count();
        let warnings = l.check.warnings().count();
        ui.label(if errors == 0 {
            RichText::new(format!("Checker: no errors, {warnings} warning(s)"))
        } else {
            RichText::new(format!("Checker: {errors} error(s), {warnings} warning(s)"))
                .color(Color32::from_rgb(0xc0, 0x30, 0x30))
        });
        let mut jump = None;
        for f in &l.check.findings {
            let text = format!(
                "{} (rule {}){}: {}",
                match f.severity {
                    Severity::Error => "Error",
                    Severity::Warning => "Warning",
                },
                f.rule,
                f.block
                    .map(|b| format!(", block {}", b + 1))
                    .unwrap_or_default(),
                f.message
            );
            let color = match f.severity {
                Severity::Error => Color32::from_rgb(0xc0, 0x30, 0x30),
                Severity::Warning => Color32::from_rgb(0xa0, 0x70, 0x10),
            };
            if ui
                .add(egui::Label::new(RichText::new(text).color(color)).sense(egui::Sense::click()))
                .on_hover_text("Show the place in the transcript")
                .clicked()
                && let Some(b) = f.block
                && let Some(p) = l.rendered.paragraphs.get(b)
                && let Some(src) = p.runs.iter().find_map(|r| r.source.clone())
            {
                jump = Some(Jump {
                    document: src.document,
                    start: src.start,
                    end: src.end,
                });
            }
        }
        if let Some(j) = jump {
            sh.open_document = Some(j.document.clone());
            sh.jump = Some(j);
        }
    }
}

enum BlockAction {
    Move(String, usize),
    Delete(String),
    Show(Jump),
}

fn summary_label(s: &StorySummary) -> String {
    let title = if s.title.is_empty() {
        "(untitled)"
    } else {
        &s.title
    };
    format!(
        "{} – {title} [{}]",
        s.participant.as_deref().unwrap_or("?"),
        status_label(s.status)
    )
}

fn status_label(s: StoryStatus) -> &'static str {
    match s {
        StoryStatus::Draft => "draft",
        StoryStatus::Ready => "ready for check",
        StoryStatus::Sent => "sent to storyteller",
        StoryStatus::Changes => "changes requested",
        StoryStatus::Approved => "approved",
        StoryStatus::Withdrawn => "withdrawn",
    }
}

/// The excerpt block whose spans hold a selection (document uuid, chars).
fn block_holding(story: &Story, document: &str, start: usize, end: usize) -> Option<String> {
    story.blocks.iter().find_map(|b| match &b.content {
        BlockContent::Excerpt { pieces } => {
            let first = pieces.first()?;
            let last = pieces.last()?;
            (first.span.document == document && first.span.start <= start && end <= last.span.end)
                .then(|| b.uuid.clone())
        }
        BlockContent::Framing { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::gui::shared::{CenterTab, Selection};
    use crate::gui::tests::{bench_on_sample, harness};
    use egui_kittest::kittest::Queryable as _;

    /// Char range of `needle` in the participant turns of P01.
    fn range(text: &str, needle: &str) -> (usize, usize) {
        let b = text.find(needle).expect(needle);
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    }

    #[test]
    fn a_story_from_two_selections_with_a_cut_stays_clean() {
        let (_dir, mut bench) = bench_on_sample();
        let story = bench
            .shared
            .act(|p| p.create_story("P01", "A reason to get up"))
            .expect("story");
        bench.stories.story = Some(story.clone());
        bench.shared.center = CenterTab::Stories;
        let doc = bench.shared.read(|p| p.document("P01")).expect("P01");
        let mut h = harness(bench);
        let first = "I've lived on Moss Lane — on the estate, you know, the Moss Lane estate — for, ooh, forty-one years now.";
        let second = "I stopped going out. I'd go to the Co-op and back and that was me.";
        for quote in [first, second] {
            let (start, end) = range(&doc.text, quote);
            h.state_mut().shared.selection = Some(Selection {
                document: doc.uuid.clone(),
                version: doc.version,
                start,
                end,
            });
            h.run();
            h.get_by_label("Add selection as excerpt").click();
            h.run();
        }
        // Cut a phrase from the middle of the first excerpt.
        let cut = range(
            &doc.text,
            " — on the estate, you know, the Moss Lane estate —",
        );
        h.state_mut().shared.selection = Some(Selection {
            document: doc.uuid.clone(),
            version: doc.version,
            start: cut.0 + 3,
            end: cut.1 - 2,
        });
        h.run();
        h.get_by_label("Cut selected words").click();
        h.run();
        let p = h.state().shared.project.as_ref().unwrap();
        let rendered = p.render_story_research(&story).unwrap();
        assert_eq!(rendered.paragraphs.len(), 2);
        let text = rendered.paragraphs[0].text();
        assert!(text.contains('…'), "{text}");
        assert!(!text.contains("you know"), "{text}");
        let check = p.check_story(&story, None).unwrap();
        assert!(!check.has_errors(), "{:?}", check.findings);
        assert!(h.query_by_label_contains("Checker: no errors").is_some());
        assert!(h.query_by_label_contains("of 2 pages").is_some());
        // Undo takes the cut back.
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.run();
        let p = h.state().shared.project.as_ref().unwrap();
        let text = p.render_story_research(&story).unwrap().paragraphs[0].text();
        assert!(text.contains("you know"), "{text}");
    }

    #[test]
    fn auto_draft_from_the_header_opens_a_clean_story() {
        let (_dir, mut bench) = bench_on_sample();
        let p03 = bench
            .shared
            .read(|p| p.participants())
            .expect("participants")
            .into_iter()
            .find(|p| p.id == "P03")
            .expect("P03");
        let label = format!("P03 ({})", p03.pseudonym.unwrap_or_default());
        let mut h = harness(bench);
        h.get_by_label("Stories").click();
        h.run();
        h.get_by_label("Participant:").click();
        h.run();
        h.get_by_label(&label).click();
        h.run();
        h.get_by_label("Auto-draft story").click();
        h.run();
        let s = h.state().stories.story.clone().expect("a story is open");
        let p = h.state().shared.project.as_ref().unwrap();
        assert!(!p.check_story(&s, None).unwrap().has_errors());
        assert!(h.query_by_label_contains("of 2 pages").is_some());
        h.get_by_label("Ready for check").click();
        h.run();
        let p = h.state().shared.project.as_ref().unwrap();
        assert_eq!(
            p.story(&s).unwrap().status,
            storyloom_coding::stories::model::StoryStatus::Ready
        );
    }

    #[test]
    fn workshop_notes_show_beside_the_story() {
        let (dir, mut bench) = bench_on_sample();
        let story = bench.shared.act(|p| p.draft_story("P03")).expect("draft");
        let title = bench.shared.read(|p| p.story(&story)).expect("story").title;
        let csv = dir.path().join("sheet.csv");
        let mut w = csv::Writer::from_path(&csv).unwrap();
        w.write_record([
            "Story",
            "What stood out",
            "What we learn",
            "Reasons",
            "Priority",
        ])
        .unwrap();
        w.write_record([
            title.as_str(),
            "The railway timetable",
            "Routine matters",
            "",
            "high",
        ])
        .unwrap();
        w.flush().unwrap();
        bench
            .shared
            .act(|p| p.import_workshop_notes(&csv))
            .expect("notes");
        bench.stories.story = Some(story);
        bench.shared.center = CenterTab::Stories;
        let h = harness(bench);
        assert!(h.query_by_label("Workshop notes").is_some());
        assert!(h.query_by_label_contains("The railway timetable").is_some());
    }
}
