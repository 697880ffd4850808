//! `field:value` filters, resolved at query time from SQLite into sets of
//! speaker, document or turn ids (see the crate docs of [`crate`]).

use super::SearchError;
use super::query::{Expr, Filter};
use crate::error::Result;
use std::collections::{HashMap, HashSet};
use storyloom_store::{CodeId, Store};
use storyloom_text::model::Role;

/// Filter fields every project has. Attributes come after them.
pub(crate) const BUILT_IN: &[&str] = &["code", "doc", "participant", "role", "speaker"];

/// What a filter matches: the index field it applies to and the ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdSet {
    Speakers(HashSet<i64>),
    Docs(HashSet<i64>),
    Turns(HashSet<i64>),
}

impl IdSet {
    pub(crate) fn contains(&self, turn: i64, doc: i64, speaker: i64) -> bool {
        match self {
            IdSet::Speakers(s) => s.contains(&speaker),
            IdSet::Docs(s) => s.contains(&doc),
            IdSet::Turns(s) => s.contains(&turn),
        }
    }
}

/// A filter-only expression with its sets resolved (regex mode).
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Set(IdSet),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

impl Cond {
    pub(crate) fn matches(&self, turn: i64, doc: i64, speaker: i64) -> bool {
        match self {
            Cond::Set(s) => s.contains(turn, doc, speaker),
            Cond::Not(c) => !c.matches(turn, doc, speaker),
            Cond::And(v) => v.iter().all(|c| c.matches(turn, doc, speaker)),
            Cond::Or(v) => v.iter().any(|c| c.matches(turn, doc, speaker)),
        }
    }
}

/// A field name as users type it: lowercase, spaces and hyphens as `_`.
fn field_key(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The fields a query may use.
pub fn fields(store: &Store) -> Result<Vec<String>> {
    let mut out: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
    for (_, name) in store.search_attributes()? {
        let key = field_key(&name);
        if !out.contains(&key) {
            out.push(key);
        }
    }
    Ok(out)
}

/// Resolves filters against one store, reading each table at most once per query.
pub(crate) struct Resolver<'a> {
    store: &'a Store,
    codes: Option<Vec<(CodeId, Option<CodeId>, String)>>,
    /// `code:` counts only this coder's codings (blind mode).
    coder: Option<&'a str>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(store: &'a Store, coder: Option<&'a str>) -> Self {
        Resolver {
            store,
            codes: None,
            coder,
        }
    }

    pub(crate) fn resolve(&mut self, f: &Filter) -> Result<IdSet> {
        let unknown = |reason: &str| SearchError::UnknownValue {
            field: f.field.clone(),
            value: f.value.clone(),
            position: f.position,
            reason: reason.to_owned(),
        };
        let set = |v: Vec<i64>| v.into_iter().collect::<HashSet<i64>>();
        let key = field_key(&f.field);
        Ok(match key.as_str() {
            "role" => {
                let role = Role::parse(&f.value)
                    .ok_or_else(|| unknown("the roles are interviewer, participant and other"))?;
                IdSet::Speakers(set(self.store.search_speakers_by_role(role)?))
            }
            "speaker" => {
                let ids = self.store.search_speakers_by_label(&f.value)?;
                if ids.is_empty() {
                    return Err(unknown("no speaker has that label").into());
                }
                IdSet::Speakers(set(ids))
            }
            "participant" => {
                let people = self.store.search_participants_matching(&f.value)?;
                if people.is_empty() {
                    return Err(unknown("no participant has that id, name or pseudonym").into());
                }
                IdSet::Speakers(set(self.store.search_speakers_of_participants(&people)?))
            }
            "doc" => {
                let ids = self.documents(&f.value)?;
                if ids.is_empty() {
                    return Err(unknown("no document has that name").into());
                }
                IdSet::Docs(set(ids))
            }
            "code" => {
                let codes = self.codes_with_descendants(&f.value)?;
                if codes.is_empty() {
                    return Err(unknown("no code has that name or path").into());
                }
                IdSet::Turns(set(self.store.search_coded_turns(&codes, self.coder)?))
            }
            _ => {
                let attribute = self
                    .store
                    .search_attributes()?
                    .into_iter()
                    .find(|(_, name)| field_key(name) == key);
                match attribute {
                    Some((id, _)) => IdSet::Speakers(set(self
                        .store
                        .search_speakers_by_attribute(id, &f.value)?)),
                    None => {
                        return Err(SearchError::UnknownField {
                            field: f.field.clone(),
                            position: f.position,
                            valid: fields(self.store)?,
                        }
                        .into());
                    }
                }
            }
        })
    }

    /// Documents whose name, name without extension, or UUID (or a prefix of 4+ chars) is `key`.
    fn documents(&self, key: &str) -> Result<Vec<i64>> {
        let key = key.trim().to_lowercase();
        let stem = |n: &str| {
            std::path::Path::new(n)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(n)
                .to_lowercase()
        };
        Ok(self
            .store
            .search_documents()?
            .into_iter()
            .filter(|(_, uuid, name)| {
                name.to_lowercase() == key
                    || stem(name) == key
                    || *uuid == key
                    || (key.len() >= 4 && uuid.starts_with(&key))
            })
            .map(|d| d.0.get())
            .collect())
    }

    /// Codes named `value` (case-insensitively) or at the path `A > B`, with all their descendants.
    fn codes_with_descendants(&mut self, value: &str) -> Result<Vec<CodeId>> {
        let codes = match self.codes.take() {
            Some(codes) => codes,
            None => self.store.search_codes()?,
        };
        let codes = &*self.codes.insert(codes);
        let by_id: HashMap<CodeId, (Option<CodeId>, &str)> = codes
            .iter()
            .map(|(id, parent, name)| (*id, (*parent, name.as_str())))
            .collect();
        let path_of = |mut id: CodeId| {
            let mut path = Vec::new();
            while let Some((parent, name)) = by_id.get(&id) {
                path.push(name.to_lowercase());
                match parent {
                    Some(p) if path.len() <= by_id.len() => id = *p,
                    _ => break,
                }
            }
            path.reverse();
            path
        };
        let split = |sep: char| -> Vec<String> {
            value
                .split(sep)
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let wanted = value.trim().to_lowercase();
        let mut roots: Vec<CodeId> = if value.contains('>') {
            let path = split('>');
            codes
                .iter()
                .filter(|c| path_of(c.0) == path)
                .map(|c| c.0)
                .collect()
        } else {
            codes
                .iter()
                .filter(|c| c.2.trim().to_lowercase() == wanted)
                .map(|c| c.0)
                .collect()
        };
        if roots.is_empty() && value.contains('/') {
            let path = split('/');
            roots = codes
                .iter()
                .filter(|c| path_of(c.0) == path)
                .map(|c| c.0)
                .collect();
        }
        let mut children: HashMap<CodeId, Vec<CodeId>> = HashMap::new();
        for (id, parent, _) in codes {
            if let Some(p) = parent {
                children.entry(*p).or_default().push(*id);
            }
        }
        let mut seen: HashSet<CodeId> = HashSet::new();
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(children.get(&id).into_iter().flatten());
            }
        }
        let mut out: Vec<CodeId> = seen.into_iter().collect();
        out.sort_unstable();
        Ok(out)
    }

    /// Resolves a filter-only expression (regex mode); a search term is an error.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<Cond> {
        Ok(match e {
            Expr::Term(t) => {
                return Err(SearchError::TermInFilter {
                    text: t.text.clone(),
                    position: t.position,
                }
                .into());
            }
            Expr::Filter(f) => Cond::Set(self.resolve(f)?),
            Expr::Not(e) => Cond::Not(Box::new(self.condition(e)?)),
            Expr::And(v) => Cond::And(v.iter().map(|e| self.condition(e)).collect::<Result<_>>()?),
            Expr::Or(v) => Cond::Or(v.iter().map(|e| self.condition(e)).collect::<Result<_>>()?),
        })
    }
}
