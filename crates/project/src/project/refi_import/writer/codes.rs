//! The codebook section of a REFI-QDA import, linear in the number of
//! codes: the project's codes are read once into an index by place (parent,
//! name), every new code goes into it, and sort numbers are counted on from
//! one read (100,000 codes import in seconds, not hours).

use super::Writer;
use crate::error::Result;
use crate::ids::CodeId;
use crate::model::CodeDescription;
use crate::project::CODE_PALETTE;
use crate::refi::markers;
use crate::refi::qde::QCode;
use crate::refi::read::clean_code_name;
use crate::store::Store;
use std::collections::{HashMap, HashSet};

/// Where a code sits: its parent and its name as the codebook compares them.
fn place(parent: Option<CodeId>, name: &str) -> (Option<CodeId>, String) {
    (parent, name.to_ascii_lowercase())
}

impl Writer<'_> {
    /// Creates the codes (level by level, so parents exist first); a code
    /// whose path is already in the project is kept as it is.
    pub(super) fn codes(&mut self) -> Result<()> {
        let (tx, read) = (self.tx, self.read);
        let q = &read.qde;
        let rows = Store::code_rows_in(tx)?;
        let mut palette_n = rows.len();
        let mut at: HashMap<(Option<CodeId>, String), (CodeId, String)> = rows
            .into_iter()
            .map(|r| (place(r.parent_id, &r.name), (r.id, r.uuid)))
            .collect();
        // Existing codes this import has already matched to one of its own.
        let mut matched: HashSet<CodeId> = HashSet::new();
        let mut sort = Store::next_code_sort(tx)?;
        let mut level: Vec<(&QCode, Option<CodeId>)> = q.codes.iter().map(|c| (c, None)).collect();
        while !level.is_empty() {
            let mut next = Vec::new();
            for (c, parent) in level {
                self.tx.breathe()?;
                let name = clean_code_name(&c.name);
                let (id, uuid) = match at.get(&place(parent, &name)) {
                    Some((id, uuid)) if !matched.contains(id) => {
                        self.report.codes_existing += 1;
                        (*id, uuid.clone())
                    }
                    taken => {
                        let mut name = name.clone();
                        if taken.is_some() {
                            let mut n = 2;
                            while at.contains_key(&place(parent, &format!("{name} ({n})"))) {
                                n += 1;
                            }
                            self.report.notes.push(format!(
                                "two codes named '{name}' at the same place: the second is '{name} ({n})'"
                            ));
                            name = format!("{name} ({n})");
                        }
                        let color = c
                            .color
                            .as_deref()
                            .and_then(super::expand_color)
                            .unwrap_or_else(|| {
                                CODE_PALETTE[palette_n % CODE_PALETTE.len()].to_owned()
                            });
                        palette_n += 1;
                        let (id, uuid) =
                            Store::insert_code_as(tx, Some(&c.guid), parent, &name, &color, sort)?;
                        sort += 1;
                        at.insert(place(parent, &name), (id, uuid.clone()));
                        let (definition, when_to_use, when_not) =
                            markers::split_code_description(&c.description);
                        if !(definition.is_empty() && when_to_use.is_empty() && when_not.is_empty())
                        {
                            Store::describe_code(
                                tx,
                                id,
                                &CodeDescription {
                                    definition,
                                    when_to_use,
                                    when_not,
                                },
                            )?;
                        }
                        if !c.codable {
                            Store::set_code_codable(tx, id, false)?;
                        }
                        self.report.codes_created += 1;
                        (id, uuid)
                    }
                };
                matched.insert(id);
                self.code_ids.insert(c.guid.clone(), (id, uuid));
                for child in &c.children {
                    next.push((child, Some(id)));
                }
            }
            level = next;
        }
        Ok(())
    }
}
