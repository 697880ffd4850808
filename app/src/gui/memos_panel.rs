//! Memos and the reflexive journal (a centre tab). On the left the journal:
//! dated entries, newest first, and a form to add one (the date defaults to
//! today). On the right every memo, grouped by what it is about, and a form
//! to write one about the project, the open document, the selected code or
//! coding, a theme or a participant. Entries and memos are edited in place,
//! saved as you type (see [`super::debounce`]), and deleted with one click
//! (Undo brings them back).

use super::debounce::TextField;
use super::shared::Shared;
use egui::RichText;
use std::collections::HashMap;
use storyloom_project::Command;
use storyloom_project::{Memo, MemoTarget};

#[cfg(test)]
mod tests;

/// Today's date as YYYY-MM-DD, in local time where the system says what that is.
pub(super) fn today() -> String {
    #[cfg(unix)]
    {
        // SAFETY: `time` with a null pointer only returns the time, and
        // `localtime_r` writes into the `tm` we own.
        let tm = unsafe {
            let t = libc::time(std::ptr::null_mut());
            let mut tm: libc::tm = std::mem::zeroed();
            (!libc::localtime_r(&t, &mut tm).is_null()).then_some(tm)
        };
        if let Some(tm) = tm {
            return format!(
                "{:04}-{:02}-{:02}",
                tm.tm_year + 1900,
                tm.tm_mon + 1,
                tm.tm_mday
            );
        }
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[derive(Default)]
pub struct MemosPanel {
    loaded: Option<u64>,
    journal: Vec<Memo>,
    memos: Vec<Memo>,
    /// Names of what memos can be about, by uuid.
    names: HashMap<String, String>,
    themes: Vec<(String, String)>,
    participants: Vec<(String, String)>,
    /// New journal entry: date (YYYY-MM-DD), title, body.
    pub entry_date: String,
    pub entry_title: String,
    pub entry_body: String,
    /// New memo: what it is about, title, body.
    pub memo_target: Option<MemoTarget>,
    pub memo_title: String,
    pub memo_body: String,
    /// The memo or entry being edited in place.
    editing: Option<String>,
}

impl MemosPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        if sh.project.is_none() {
            ui.label("No project open.");
            return;
        }
        self.reload(sh);
        // A coding chosen since the last reload: name it for the "New memo on" list.
        if let Some(u) = sh.selected_coding.clone()
            && !self.names.contains_key(&u)
            && let Some(c) = sh.read(|p| p.coding(&u))
        {
            self.names
                .insert(u, format!("'{}' in {}", c.code_path, c.document_name));
        }
        if self.entry_date.is_empty() {
            self.entry_date = today();
        }
        if let Some(c) = sh.shown_coder() {
            ui.label(format!(
                "Showing only {c}'s memos and journal entries (the filter is in the inspector)."
            ));
        }
        ui.columns(2, |cols| {
            egui::ScrollArea::vertical()
                .id_salt("journal")
                .auto_shrink(false)
                .show(&mut cols[0], |ui| self.journal_ui(ui, sh));
            egui::ScrollArea::vertical()
                .id_salt("memos")
                .auto_shrink(false)
                .show(&mut cols[1], |ui| self.memos_ui(ui, sh));
        });
    }

    fn reload(&mut self, sh: &mut Shared) {
        if self.loaded == Some(sh.revision) {
            return;
        }
        self.loaded = Some(sh.revision);
        // The coder filter (or blind mode) shows one person's memos.
        let by = sh.shown_coder();
        let mine = |m: &Memo| by.as_ref().is_none_or(|c| &m.author == c);
        self.journal = sh.read(|p| p.journal()).unwrap_or_default();
        self.journal.retain(mine);
        self.memos = sh
            .read(|p| p.memos(None))
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.target != MemoTarget::Journal && mine(m))
            .collect();
        self.names.clear();
        for d in sh.read(|p| p.documents()).unwrap_or_default() {
            self.names.insert(d.uuid, d.name);
        }
        for c in sh.read(|p| p.codes()).unwrap_or_default() {
            self.names.insert(c.uuid.clone(), c.path_string());
        }
        self.themes = sh
            .read(|p| p.themes())
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.uuid, t.name))
            .collect();
        self.participants = sh
            .read(|p| p.participants())
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let shown = match &p.name {
                    Some(n) => format!("{} ({n})", p.id),
                    None => p.id.clone(),
                };
                (p.uuid, shown)
            })
            .collect();
        for (u, n) in self.themes.iter().chain(&self.participants) {
            self.names.insert(u.clone(), n.clone());
        }
        let codings: Vec<String> = self
            .memos
            .iter()
            .filter_map(|m| match &m.target {
                MemoTarget::Coding(u) => Some(u.clone()),
                _ => None,
            })
            .chain(sh.selected_coding.clone())
            .collect();
        for u in codings {
            if let Some(project) = &sh.project
                && let Ok(c) = project.coding(&u)
            {
                self.names
                    .insert(u, format!("'{}' in {}", c.code_path, c.document_name));
            }
        }
    }

    /// How a memo target is shown: "Document P01.docx", "Code Belonging > …".
    fn target_label(&self, t: &MemoTarget) -> String {
        let name = |u: &str| self.names.get(u).cloned().unwrap_or_else(|| u.to_owned());
        match t {
            MemoTarget::Project => "The project".to_owned(),
            MemoTarget::Journal => "Journal".to_owned(),
            MemoTarget::Document(u) => format!("Document {}", name(u)),
            MemoTarget::Participant(u) => format!("Participant {}", name(u)),
            MemoTarget::Code(u) => format!("Code {}", name(u)),
            MemoTarget::Theme(u) => format!("Theme {}", name(u)),
            MemoTarget::Coding(u) => format!("Coding {}", name(u)),
            MemoTarget::Story(_) => "Story excerpt".to_owned(),
        }
    }

    fn journal_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.heading("Reflexive journal");
        let date = ui.label("Date");
        ui.add(egui::TextEdit::singleline(&mut self.entry_date).hint_text("YYYY-MM-DD"))
            .labelled_by(date.id);
        let title = ui.label("Entry title");
        ui.add(egui::TextEdit::singleline(&mut self.entry_title).desired_width(f32::INFINITY))
            .labelled_by(title.id);
        let body = ui.label("Entry text");
        ui.add(
            egui::TextEdit::multiline(&mut self.entry_body)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(body.id);
        if ui.horizontal(|ui| ui.button("Add entry")).inner.clicked() {
            let (d, t, b) = (
                self.entry_date.trim().to_owned(),
                self.entry_title.clone(),
                self.entry_body.clone(),
            );
            let date = (!d.is_empty()).then_some(d);
            if sh
                .apply(Command::AddJournalEntry {
                    date: date.clone(),
                    title: t.to_owned(),
                    body: b.to_owned(),
                })
                .and_then(|a| a.id().ok())
                .is_some()
            {
                self.entry_title.clear();
                self.entry_body.clear();
                self.entry_date = today();
            }
        }
        ui.separator();
        if self.journal.is_empty() {
            ui.label(RichText::new("No entries yet.").weak());
        }
        let entries = self.journal.clone();
        for m in &entries {
            let heading = format!(
                "{} {}",
                m.date.as_deref().unwrap_or_default(),
                m.title.as_str()
            );
            self.memo_ui(ui, sh, m, &heading, "entry");
        }
    }

    fn memos_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared) {
        ui.heading("Memos");
        // What a new memo can be about.
        let mut options = vec![MemoTarget::Project];
        if let Some(d) = &sh.open_document {
            options.push(MemoTarget::Document(d.clone()));
        }
        if let Some(c) = &sh.selected_code {
            options.push(MemoTarget::Code(c.clone()));
        }
        if let Some(c) = &sh.selected_coding {
            options.push(MemoTarget::Coding(c.clone()));
        }
        options.extend(
            self.themes
                .iter()
                .map(|(u, _)| MemoTarget::Theme(u.clone())),
        );
        options.extend(
            self.participants
                .iter()
                .map(|(u, _)| MemoTarget::Participant(u.clone())),
        );
        let target = self.memo_target.clone().unwrap_or(MemoTarget::Project);
        let mut chosen = target.clone();
        ui.horizontal(|ui| {
            let l = ui.label("New memo on");
            egui::ComboBox::from_id_salt("memo-target")
                .selected_text(self.target_label(&target))
                .width((ui.available_width() - 8.0).clamp(120.0, 320.0))
                .truncate()
                .show_ui(ui, |ui| {
                    for o in options {
                        let label = self.target_label(&o);
                        ui.selectable_value(&mut chosen, o, label);
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if chosen != target {
            self.memo_target = Some(chosen);
        }
        let title = ui.label("Memo title");
        ui.add(egui::TextEdit::singleline(&mut self.memo_title).desired_width(f32::INFINITY))
            .labelled_by(title.id);
        let body = ui.label("Memo text");
        ui.add(
            egui::TextEdit::multiline(&mut self.memo_body)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(body.id);
        if ui.horizontal(|ui| ui.button("Add memo")).inner.clicked() {
            let (t, b) = (self.memo_title.clone(), self.memo_body.clone());
            if sh
                .apply(Command::AddMemo {
                    target: target.clone(),
                    title: t.to_owned(),
                    body: b.to_owned(),
                })
                .and_then(|a| a.id().ok())
                .is_some()
            {
                self.memo_title.clear();
                self.memo_body.clear();
            }
        }
        ui.separator();
        if self.memos.is_empty() {
            ui.label(RichText::new("No memos yet.").weak());
        }
        // Grouped by target: the project first, then by kind and name.
        let mut groups: Vec<(String, Vec<Memo>)> = Vec::new();
        let mut memos = self.memos.clone();
        let rank = |t: &MemoTarget| match t {
            MemoTarget::Project => 0,
            MemoTarget::Document(_) => 1,
            MemoTarget::Participant(_) => 2,
            MemoTarget::Code(_) => 3,
            MemoTarget::Theme(_) => 4,
            MemoTarget::Coding(_) => 5,
            MemoTarget::Story(_) => 6,
            MemoTarget::Journal => 7,
        };
        memos.sort_by_cached_key(|m| (rank(&m.target), self.target_label(&m.target)));
        for m in memos {
            let label = self.target_label(&m.target);
            match groups.last_mut() {
                Some((l, v)) if *l == label => v.push(m),
                _ => groups.push((label, vec![m])),
            }
        }
        for (label, memos) in groups {
            ui.add_space(6.0);
            ui.label(RichText::new(label).strong());
            for m in &memos {
                let heading = if m.title.is_empty() {
                    "(untitled)".to_owned()
                } else {
                    m.title.clone()
                };
                self.memo_ui(ui, sh, m, &heading, "memo");
            }
        }
    }

    /// One memo or entry: read, or edited in place.
    fn memo_ui(&mut self, ui: &mut egui::Ui, sh: &mut Shared, m: &Memo, heading: &str, what: &str) {
        let frame = egui::Frame::group(ui.style()).inner_margin(6.0);
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            if self.editing.as_deref() == Some(m.uuid.as_str()) {
                // Saved as typed (one change per field and edit session)
                // and on leaving a field, the panel or the window.
                let tl = ui.label("Title");
                let key = m.uuid.clone();
                let title = TextField::singleline(("memo-title", &m.uuid));
                let ids = [
                    title.id(),
                    TextField::multiline(("memo-body", &m.uuid)).id(),
                ];
                title
                    .desired_width(f32::INFINITY)
                    .show(ui, sh, &m.title, move |_, t| {
                        Ok(Command::EditMemoFields {
                            memo: key.clone(),
                            title: Some(t.to_owned()),
                            body: None,
                        })
                    })
                    .labelled_by(tl.id);
                let bl = ui.label("Text");
                let key = m.uuid.clone();
                TextField::multiline(("memo-body", &m.uuid))
                    .desired_rows(4)
                    .show(ui, sh, &m.body, move |_, b| {
                        Ok(Command::EditMemoFields {
                            memo: key.clone(),
                            title: None,
                            body: Some(b.to_owned()),
                        })
                    })
                    .labelled_by(bl.id);
                ui.horizontal(|ui| {
                    if ui
                        .button("Done")
                        .on_hover_text(format!(
                            "Stop editing this {what} (it is saved as you type)"
                        ))
                        .clicked()
                    {
                        self.editing = None;
                    }
                    if ids.iter().any(|id| sh.edits.unsaved(*id)) {
                        ui.label(RichText::new("saving…").small().weak());
                    }
                });
                return;
            }
            ui.horizontal(|ui| {
                ui.label(RichText::new(heading).strong());
                ui.label(
                    RichText::new(format!(
                        "{} · {}",
                        m.author,
                        m.updated_at.get(..10).unwrap_or(&m.updated_at)
                    ))
                    .weak(),
                );
            });
            if !m.body.is_empty() {
                ui.label(&m.body);
            }
            ui.horizontal(|ui| {
                if ui
                    .small_button("Edit")
                    .accessible_name(format!("Edit {what} {heading}"))
                    .clicked()
                {
                    self.editing = Some(m.uuid.clone());
                }
                if ui
                    .small_button("Delete")
                    .accessible_name(format!("Delete {what} {heading}"))
                    .clicked()
                    && sh
                        .apply(Command::DeleteMemo {
                            memo: m.uuid.to_owned(),
                        })
                        .is_some()
                {
                    sh.info(format!(
                        "Deleted {what} '{heading}' (Undo, Ctrl+Z, brings it back)"
                    ));
                }
            });
        });
    }
}
