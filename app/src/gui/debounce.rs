//! Text fields that save as you type, without one history entry per key.
//!
//! A field shown through [`TextField::show`] keeps its typed text in an *edit
//! session* held by [`Shared`] (not by the panel), together with how to save
//! it. The session is committed, as one change and one history entry, when
//! the first of these happens:
//! - Enter in a one-line field, or the field loses the keyboard;
//! - about a second passes without typing ([`IDLE_SECS`]);
//! - the field is no longer drawn (another panel, another story or code);
//! - the window closes, the project is switched, or undo/redo is asked for
//!   ([`flush`]).
//!
//! Keeping the session outside the panel is what makes the last two work: a
//! panel that is not drawn any more cannot save its own buffer, but the
//! workbench can flush every session it holds. A session that is refused
//! (read-only project, a clashing name) keeps the typed text, shows the
//! error once, and is tried again only when the text changes.
//!
//! A value changed elsewhere (undo, another process) replaces the field's
//! text only while nothing typed is unsaved; typed text is never thrown away.

use super::shared::Shared;
use egui::Id;
use std::collections::HashMap;
use storyloom_project::{Command, Error, Project, Result};

/// Seconds without typing after which a field's text is saved.
pub const IDLE_SECS: f64 = 1.0;

/// Builds the command that saves a text (reading the project if it must,
/// never changing it): the save goes through `Project::apply`.
type Commit = Box<dyn FnMut(&Project, &str) -> Result<Command>>;

/// One field's edit session.
struct Session {
    text: String,
    /// The text as last saved (or as last read from the project).
    saved: String,
    /// The project's value as last passed in by the panel.
    stored_seen: String,
    /// When the text last changed, if it has unsaved changes.
    changed_at: Option<f64>,
    /// Text a save refused; not tried again until the text changes.
    refused: Option<String>,
    /// Save after [`IDLE_SECS`] without typing (off for names, where a
    /// half-typed name would clash or mislead).
    idle: bool,
    /// The pass in which the field was last drawn.
    seen_pass: u64,
    commit: Commit,
}

impl Session {
    fn dirty(&self) -> bool {
        self.text != self.saved
    }

    fn wants_commit(&self) -> bool {
        self.dirty() && self.refused.as_deref() != Some(self.text.as_str())
    }
}

/// The open edit sessions of the window (one per field with a session).
#[derive(Default)]
pub struct Edits {
    sessions: HashMap<Id, Session>,
}

impl Edits {
    /// Whether a field has typed text that is not saved yet.
    pub fn unsaved(&self, id: Id) -> bool {
        self.sessions.get(&id).is_some_and(Session::dirty)
    }

    /// The text a field shows, while it has a session.
    #[cfg(test)]
    pub fn text(&self, id: Id) -> Option<&str> {
        self.sessions.get(&id).map(|s| s.text.as_str())
    }

    /// Whether any field has typed text that is not saved yet.
    pub fn any_unsaved(&self) -> bool {
        self.sessions.values().any(Session::dirty)
    }
}

/// A one-line or multi-line text field saved through an edit session.
pub struct TextField {
    id: Id,
    multiline: bool,
    width: f32,
    rows: usize,
    hint: String,
    idle: bool,
    font: Option<egui::TextStyle>,
}

impl TextField {
    /// A one-line field; `id` must name the entity and the field (for
    /// example `("story-title", uuid)`), so that another story gets its own
    /// session.
    pub fn singleline(id: impl std::hash::Hash + std::fmt::Debug) -> TextField {
        TextField {
            id: Id::unique(id),
            multiline: false,
            width: 320.0,
            rows: 1,
            hint: String::new(),
            idle: true,
            font: None,
        }
    }

    pub fn multiline(id: impl std::hash::Hash + std::fmt::Debug) -> TextField {
        TextField {
            multiline: true,
            rows: 3,
            width: f32::INFINITY,
            ..TextField::singleline(id)
        }
    }

    pub fn desired_width(mut self, width: f32) -> TextField {
        self.width = width;
        self
    }

    pub fn desired_rows(mut self, rows: usize) -> TextField {
        self.rows = rows;
        self
    }

    pub fn hint_text(mut self, hint: impl Into<String>) -> TextField {
        self.hint = hint.into();
        self
    }

    pub fn font(mut self, style: egui::TextStyle) -> TextField {
        self.font = Some(style);
        self
    }

    /// Saves only on Enter, leaving the field, and the flushes (not after
    /// a pause): for names, where a half-typed value would be wrong.
    pub fn no_idle_save(mut self) -> TextField {
        self.idle = false;
        self
    }

    pub fn id(&self) -> Id {
        self.id
    }

    /// Draws the field over the project's current value `stored`; `commit`
    /// saves a text (it is called with the whole text, once per session).
    pub fn show(
        self,
        ui: &mut egui::Ui,
        sh: &mut Shared,
        stored: &str,
        commit: impl FnMut(&Project, &str) -> Result<Command> + 'static,
    ) -> egui::Response {
        let pass = ui.ctx().cumulative_pass_nr();
        let now = ui.input(|i| i.time);
        let s = sh.edits.sessions.entry(self.id).or_insert_with(|| Session {
            text: stored.to_owned(),
            saved: stored.to_owned(),
            stored_seen: stored.to_owned(),
            changed_at: None,
            refused: None,
            idle: self.idle,
            seen_pass: pass,
            // Replaced just below; a field drawn without one saves nothing.
            commit: Box::new(|_, _| Err(Error::Invalid("nothing saves this field".into()))),
        });
        s.commit = Box::new(commit);
        s.seen_pass = pass;
        s.idle = self.idle;
        if s.stored_seen != stored {
            s.stored_seen = stored.to_owned();
            // Our own save coming back (perhaps with its spaces tidied)
            // changes nothing, not even the spaces being typed; a change
            // made elsewhere is shown unless typed text is unsaved.
            if !same_words(stored, &s.saved) && !s.dirty() {
                s.text = stored.to_owned();
                s.saved = stored.to_owned();
            }
        }
        let refused = s.refused.as_deref() == Some(s.text.as_str());
        let mut edit = if self.multiline {
            egui::TextEdit::multiline(&mut s.text).desired_rows(self.rows)
        } else {
            egui::TextEdit::singleline(&mut s.text)
        };
        if let Some(font) = self.font {
            edit = edit.font(font);
        }
        if refused {
            // Marked until it is corrected.
            edit = edit.text_color(ui.visuals().error_fg_color);
        }
        let r = ui.add(
            edit.id(self.id)
                .desired_width(self.width)
                .hint_text(self.hint.as_str()),
        );
        if r.changed() {
            s.changed_at = Some(now);
        }
        if r.lost_focus() {
            commit_one(sh, self.id);
        }
        r
    }
}

/// Whether two texts differ only in spacing (what saving may tidy).
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Saves one session's text if it has unsaved changes.
fn commit_one(sh: &mut Shared, id: Id) {
    let Some(mut s) = sh.edits.sessions.remove(&id) else {
        return;
    };
    if s.wants_commit() {
        let text = s.text.clone();
        let commit = &mut s.commit;
        let saved = sh
            .read(|p| commit(p, &text))
            .and_then(|command| sh.apply(command));
        if saved.is_some() {
            s.saved = text;
            s.changed_at = None;
            s.refused = None;
        } else {
            s.refused = Some(text);
        }
    }
    sh.edits.sessions.insert(id, s);
}

/// Saves every session with unsaved text: called when the window closes,
/// the project is switched, and before undo or redo.
pub fn flush(sh: &mut Shared) {
    let ids: Vec<Id> = sh.edits.sessions.keys().copied().collect();
    for id in ids {
        commit_one(sh, id);
    }
}

/// Called once at the end of every pass of the window: saves the sessions
/// idle for [`IDLE_SECS`] and those whose field was not drawn in this pass
/// (the user moved on), forgets saved sessions no longer drawn, and asks
/// for a repaint when a pending save falls due.
pub fn end_pass(ctx: &egui::Context, sh: &mut Shared) {
    let pass = ctx.cumulative_pass_nr();
    let now = ctx.input(|i| i.time);
    if ctx.input(|i| i.viewport().close_requested()) {
        flush(sh);
    }
    let due: Vec<Id> = sh
        .edits
        .sessions
        .iter()
        .filter(|(_, s)| {
            s.wants_commit()
                && (s.seen_pass != pass
                    || (s.idle && s.changed_at.is_some_and(|t| now - t >= IDLE_SECS)))
        })
        .map(|(id, _)| *id)
        .collect();
    for id in due {
        commit_one(sh, id);
    }
    sh.edits
        .sessions
        .retain(|_, s| s.seen_pass == pass || s.dirty());
    let wait = sh
        .edits
        .sessions
        .values()
        .filter(|s| s.idle && s.wants_commit())
        .filter_map(|s| s.changed_at)
        .map(|t| (t + IDLE_SECS - now).max(0.0))
        .fold(None, |a: Option<f64>, w| Some(a.map_or(w, |a| a.min(w))));
    if let Some(w) = wait {
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(w + 0.01));
    }
}

#[cfg(test)]
mod kinds_tests;
#[cfg(test)]
mod tests;
