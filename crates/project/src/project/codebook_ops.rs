//! Codebook and themes: every change one transaction and one history entry.

use super::{CODE_PALETTE, Project};
use crate::error::{Error, Result};
use crate::ids::{CodeId, ThemeId};
use crate::model::{Code, CodeDescription, Theme, ThemeStatus};
use crate::store::{ChangeRecord, Store};
use serde_json::json;

/// What a merge did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergeReport {
    pub source: String,
    pub target: String,
    pub codings_moved: usize,
    pub duplicates_dropped: usize,
}

/// Trims a code or theme name and refuses what cannot be one.
fn clean_name(name: &str, what: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::Invalid(format!("a {what} needs a name")));
    }
    if name.contains('>') {
        return Err(Error::Invalid(format!(
            "a {what} name cannot contain '>' (it separates levels of the codebook)"
        )));
    }
    if name.chars().count() > 200 {
        return Err(Error::Invalid(format!(
            "a {what} name is limited to 200 characters"
        )));
    }
    Ok(name)
}

/// Accepts `#rrggbb` (or `rrggbb`), returns it lowercased with the `#`.
pub fn clean_color(color: &str) -> Result<String> {
    if let Some(hex) = storyloom_text::text::hex_colour(color) {
        Ok(format!("#{}", hex.to_lowercase()))
    } else {
        Err(Error::Invalid(format!(
            "'{color}' is not a colour; write it as #rrggbb, e.g. #3cb44b"
        )))
    }
}

impl Project {
    /// The codebook, parents before children.
    pub fn codes(&self) -> Result<Vec<Code>> {
        Ok(self.store.codes()?)
    }

    /// One code by uuid, path or unique name.
    pub fn code(&self, key: &str) -> Result<Code> {
        let id = self.store.find_code(key)?;
        let uuid = self.store.code_row(id)?.uuid;
        self.codes()?
            .into_iter()
            .find(|c| c.uuid == uuid)
            .ok_or_else(|| Error::UnknownCode(key.to_owned()))
    }

    /// Creates a code (under `parent` when given); returns its uuid.
    pub fn create_code(
        &mut self,
        name: &str,
        parent: Option<&str>,
        color: Option<&str>,
    ) -> Result<String> {
        let name = clean_name(name, "code")?;
        let parent_id = parent.map(|p| self.store.find_code(p)).transpose()?;
        let color = match color {
            Some(c) => clean_color(c)?,
            None => {
                let n = self.store.codes()?.len();
                CODE_PALETTE[n % CODE_PALETTE.len()].to_owned()
            }
        };
        let actor = self.actor.clone();
        let where_ = parent.map(|p| format!(" under {p}")).unwrap_or_default();
        let (_, uuid) = self.store.change(
            |(_, uuid): &(CodeId, String)| ChangeRecord {
                actor,
                command: "create_code",
                summary: format!("created code '{name}'{where_}"),
                forward: json!({ "code": uuid, "name": name, "parent": parent_id }),
            },
            |tx| Store::insert_code(tx, parent_id, &name, &color),
        )?;
        Ok(uuid)
    }

    pub fn rename_code(&mut self, key: &str, new_name: &str) -> Result<()> {
        let id = self.store.find_code(key)?;
        let old = self.store.code_row(id)?.name;
        let name = clean_name(new_name, "code")?;
        self.simple_change(
            "rename_code",
            format!("renamed code '{old}' to '{name}'"),
            json!({ "code": id, "name": name }),
            |tx| Ok(Store::rename_code(tx, id, &name)?),
        )
    }

    pub fn set_code_color(&mut self, key: &str, color: &str) -> Result<()> {
        let id = self.store.find_code(key)?;
        let row = self.store.code_row(id)?;
        let color = clean_color(color)?;
        self.simple_change(
            "recolour_code",
            format!("code '{}' colour {} → {color}", row.name, row.color),
            json!({ "code": id, "color": color }),
            |tx| Ok(Store::set_code_color(tx, id, &color)?),
        )
    }

    /// Sets what a code means: definition, when to use, when not to.
    pub fn describe_code(&mut self, key: &str, description: &CodeDescription) -> Result<()> {
        let id = self.store.find_code(key)?;
        let row = self.store.code_row(id)?;
        let d = CodeDescription {
            definition: description.definition.trim().to_owned(),
            when_to_use: description.when_to_use.trim().to_owned(),
            when_not: description.when_not.trim().to_owned(),
        };
        self.simple_change(
            "describe_code",
            format!("described code '{}'", row.name),
            json!({ "code": id, "description": d }),
            |tx| Ok(Store::describe_code(tx, id, &d)?),
        )
    }

    /// Sets only the parts of a code's description that are given (`None`
    /// keeps that part): read and written inside the change, so another
    /// process setting another part meanwhile keeps its change.
    pub fn describe_code_fields(
        &mut self,
        key: &str,
        definition: Option<&str>,
        when_to_use: Option<&str>,
        when_not: Option<&str>,
    ) -> Result<()> {
        let id = self.store.find_code(key)?;
        let name = self.store.code_row(id)?.name;
        let (d, u, n) = (
            definition.map(str::trim),
            when_to_use.map(str::trim),
            when_not.map(str::trim),
        );
        if d.is_none() && u.is_none() && n.is_none() {
            return Ok(());
        }
        self.simple_change(
            "describe_code",
            format!("described code '{name}'"),
            json!({ "code": id, "definition": d, "when_to_use": u, "when_not": n }),
            |tx| Ok(Store::describe_code_fields(tx, id, d, u, n)?),
        )
    }

    /// Moves a code under another (or to the top level with `None`).
    pub fn move_code(&mut self, key: &str, new_parent: Option<&str>) -> Result<()> {
        let id = self.store.find_code(key)?;
        let row = self.store.code_row(id)?;
        let parent = new_parent.map(|p| self.store.find_code(p)).transpose()?;
        let to = new_parent.unwrap_or("the top level").to_owned();
        self.simple_change(
            "move_code",
            format!("moved code '{}' under {to}", row.name),
            json!({ "code": id, "parent": parent }),
            |tx| Ok(Store::move_code(tx, id, parent)?),
        )
    }

    /// Merges `source` into `target`; nothing coded is lost.
    pub fn merge_codes(&mut self, source: &str, target: &str) -> Result<MergeReport> {
        let s = self.store.find_code(source)?;
        let t = self.store.find_code(target)?;
        if s == t {
            return Err(Error::Refused("a code cannot be merged into itself".into()));
        }
        if self.store.code_and_descendants(s)?.contains(&t) {
            return Err(Error::Invalid(
                "a code cannot be merged into one of its own sub-codes".into(),
            ));
        }
        let (s_name, t_name) = (self.store.code_row(s)?.name, self.store.code_row(t)?.name);
        let target_codable = self.store.code_codable(t)?;
        let actor = self.actor.clone();
        let (moved, dropped) = self.store.change(
            |(moved, dropped): &(usize, usize)| ChangeRecord {
                actor,
                command: "merge_codes",
                summary: format!(
                    "merged code '{s_name}' into '{t_name}' ({moved} codings moved, {dropped} duplicates dropped)"
                ),
                forward: json!({ "source": s, "target": t }),
            },
            |tx| {
                // A category takes no coding, so none may be moved onto it.
                if !target_codable && Store::live_codings_of_code(tx, s)? > 0 {
                    return Err(Error::Refused(format!(
                        "'{t_name}' is a category (not codable), so the codings of '{s_name}' cannot move onto it: make it codable first, or merge into one of the codes under it"
                    )));
                }
                Ok(Store::merge_codes(tx, s, t)?)
            },
        )?;
        Ok(MergeReport {
            source: s_name,
            target: t_name,
            codings_moved: moved,
            duplicates_dropped: dropped,
        })
    }

    /// Marks a code as a category that groups codes and takes no coding
    /// itself (`category`), or as codable again. One change, undoable.
    /// Refused, with the count, when the code has codings: they would sit
    /// on a code nobody can apply. Returns false when it already was so
    /// (nothing is recorded).
    pub fn set_code_category(&mut self, key: &str, category: bool) -> Result<bool> {
        let id = self.store.find_code(key)?;
        let row = self.store.code_row(id)?;
        if self.store.code_codable(id)? != category {
            return Ok(false);
        }
        let name = row.name.clone();
        let (command, summary) = if category {
            (
                "code_category",
                format!("made code '{name}' a category (not codable)"),
            )
        } else {
            ("code_codable", format!("made category '{name}' codable"))
        };
        self.simple_change(
            command,
            summary,
            json!({ "code": id, "codable": !category }),
            |tx| {
                if category {
                    let n = Store::live_codings_of_code(tx, id)?;
                    if n > 0 {
                        return Err(Error::Invalid(format!(
                            "'{name}' has {n} coding{} and cannot become a category (a category takes no coding): move {} to another code first (merge it, or remove the codings), then try again",
                            if n == 1 { "" } else { "s" },
                            if n == 1 { "it" } else { "them" },
                        )));
                    }
                }
                Ok(Store::set_code_codable(tx, id, !category)?)
            },
        )?;
        Ok(true)
    }

    /// Deletes a code and its sub-codes; their codings are kept and come back with undo.
    pub fn delete_code(&mut self, key: &str) -> Result<usize> {
        let id = self.store.find_code(key)?;
        let row = self.store.code_row(id)?;
        let ids = self.store.code_and_descendants(id)?;
        let n = ids.len();
        let sub = if n > 1 {
            format!(" and {} sub-codes", n - 1)
        } else {
            String::new()
        };
        self.simple_change(
            "delete_code",
            format!("deleted code '{}'{sub}", row.name),
            json!({ "codes": ids }),
            |tx| Ok(Store::delete_codes(tx, &ids)?),
        )?;
        Ok(n)
    }

    // ---- themes ----

    pub fn themes(&self) -> Result<Vec<Theme>> {
        Ok(self.store.themes()?)
    }

    pub fn create_theme(&mut self, name: &str, definition: &str) -> Result<String> {
        let name = clean_name(name, "theme")?;
        let definition = definition.trim().to_owned();
        let actor = self.actor.clone();
        let (_, uuid) = self.store.change(
            |(_, uuid): &(ThemeId, String)| ChangeRecord {
                actor,
                command: "create_theme",
                summary: format!("created candidate theme '{name}'"),
                forward: json!({ "theme": uuid, "name": name }),
            },
            |tx| Store::insert_theme(tx, &name, &definition),
        )?;
        Ok(uuid)
    }

    pub fn rename_theme(&mut self, key: &str, new_name: &str) -> Result<()> {
        let (id, old) = self.store.find_theme(key)?;
        let name = clean_name(new_name, "theme")?;
        self.simple_change(
            "rename_theme",
            format!("renamed theme '{old}' to '{name}'"),
            json!({ "theme": id, "name": name }),
            |tx| Ok(Store::rename_theme(tx, id, &name)?),
        )
    }

    pub fn define_theme(&mut self, key: &str, definition: &str) -> Result<()> {
        let (id, name) = self.store.find_theme(key)?;
        let definition = definition.trim().to_owned();
        self.simple_change(
            "define_theme",
            format!("defined theme '{name}'"),
            json!({ "theme": id, "definition": definition }),
            |tx| Ok(Store::set_theme_definition(tx, id, &definition)?),
        )
    }

    pub fn set_theme_status(&mut self, key: &str, status: ThemeStatus) -> Result<()> {
        let (id, name) = self.store.find_theme(key)?;
        self.simple_change(
            "theme_status",
            format!("theme '{name}' is now {}", status.as_str()),
            json!({ "theme": id, "status": status }),
            |tx| Ok(Store::set_theme_status(tx, id, status)?),
        )
    }

    pub fn delete_theme(&mut self, key: &str) -> Result<()> {
        let (id, name) = self.store.find_theme(key)?;
        self.simple_change(
            "delete_theme",
            format!("deleted theme '{name}'"),
            json!({ "theme": id }),
            |tx| Ok(Store::delete_theme(tx, id)?),
        )
    }

    /// Puts a code in a theme (a code may be in several themes).
    pub fn add_code_to_theme(&mut self, theme: &str, code: &str) -> Result<bool> {
        let (tid, tname) = self.store.find_theme(theme)?;
        let cid = self.store.find_code(code)?;
        let cname = self.store.code_row(cid)?.name;
        if self.theme_has(tid, cid)? {
            return Ok(false);
        }
        self.simple_change(
            "theme_add_code",
            format!("put code '{cname}' in theme '{tname}'"),
            json!({ "theme": tid, "code": cid }),
            |tx| Ok(Store::add_theme_code(tx, tid, cid).map(|_| ())?),
        )?;
        Ok(true)
    }

    pub fn remove_code_from_theme(&mut self, theme: &str, code: &str) -> Result<bool> {
        let (tid, tname) = self.store.find_theme(theme)?;
        let cid = self.store.find_code(code)?;
        let cname = self.store.code_row(cid)?.name;
        if !self.theme_has(tid, cid)? {
            return Ok(false);
        }
        self.simple_change(
            "theme_remove_code",
            format!("took code '{cname}' out of theme '{tname}'"),
            json!({ "theme": tid, "remove_code": cid }),
            |tx| Ok(Store::remove_theme_code(tx, tid, cid).map(|_| ())?),
        )?;
        Ok(true)
    }

    fn theme_has(&self, theme: ThemeId, code: CodeId) -> Result<bool> {
        let uuid = self.store.code_row(code)?.uuid;
        Ok(self.store.themes()?.iter().any(|t| {
            self.store
                .find_theme(&t.uuid)
                .is_ok_and(|(id, _)| id == theme)
                && t.codes.contains(&uuid)
        }))
    }

    /// One change with a fixed summary: the common shape of small edits.
    /// A change whose deciding reads are made through this project's
    /// ordinary read functions inside the write transaction: `work` gets the
    /// project (shared) while the write lock is held, so no other process
    /// writes between what it reads and what it writes. `record` gives the
    /// summary and forward from the work's result. `Ok(None)` from
    /// the work (nothing to do) writes nothing, not even a history entry.
    pub(crate) fn change_reading<T>(
        &self,
        command: &'static str,
        record: impl FnOnce(&T) -> Entry,
        work: impl FnOnce(&crate::store::Tx, &Project) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let actor = self.actor.clone();
        self.store.change_reading(
            |out| {
                let (summary, forward) = record(out);
                ChangeRecord {
                    actor,
                    command,
                    summary,
                    forward,
                }
            },
            |tx, _| work(tx, self),
        )
    }

    /// [`Project::change_reading`] for work that also says what it did:
    /// it returns its result with the summary and forward.
    pub(crate) fn change_within<T>(
        &self,
        command: &'static str,
        work: impl FnOnce(&crate::store::Tx, &Project) -> Result<Option<(T, Entry)>>,
    ) -> Result<Option<T>> {
        Ok(self
            .change_reading(command, |(_, e): &(T, Entry)| e.clone(), work)?
            .map(|(t, _)| t))
    }

    pub(crate) fn simple_change(
        &mut self,
        command: &'static str,
        summary: String,
        forward: serde_json::Value,
        work: impl FnOnce(&crate::store::Tx) -> Result<()>,
    ) -> Result<()> {
        let actor = self.actor.clone();
        self.store.change(
            |_| ChangeRecord {
                actor,
                command,
                summary,
                forward,
            },
            work,
        )
    }
}

/// A history entry's summary and forward (the change's arguments).
pub(crate) type Entry = (String, serde_json::Value);
