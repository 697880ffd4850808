//! Where the researcher was reading: the last document of each project and
//! the turn at the top of the view, kept in a small per-user file (not in the
//! project, so reading never becomes a change in the project's history).
//! The file is replaced whole through `storyloom_atomic`, so a crash never
//! leaves half of it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// How many projects the file remembers (most recently read kept).
const KEEP: usize = 32;

/// A place in a project: the document and the char offset of the turn at the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub document: String,
    pub offset: usize,
    /// Bumped on each save, to forget the least recently read projects.
    #[serde(default)]
    pub stamp: u64,
}

/// The per-user reading state file and what it holds.
#[derive(Debug, Default)]
pub struct ReadingState {
    /// Where the file lives; `None` keeps the state in memory only (tests).
    file: Option<PathBuf>,
    /// Project path → place.
    places: BTreeMap<String, Place>,
    /// What was last written, to skip writing the same again.
    written: BTreeMap<String, Place>,
}

impl ReadingState {
    /// Reads the state file (a missing or unreadable file is an empty state).
    pub fn load(file: PathBuf) -> ReadingState {
        let places: BTreeMap<String, Place> = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        ReadingState {
            file: Some(file),
            written: places.clone(),
            places,
        }
    }

    /// The default file in the user's data folder.
    pub fn default_file() -> Option<PathBuf> {
        crate::sample::data_dir()
            .ok()
            .map(|d| d.join("reading-state.json"))
    }

    fn key(project: &Path) -> String {
        project.display().to_string()
    }

    /// The place last read in a project.
    pub fn place(&self, project: &Path) -> Option<&Place> {
        self.places.get(&Self::key(project))
    }

    /// Remembers a place (in memory; [`ReadingState::save`] writes it).
    pub fn remember(&mut self, project: &Path, document: &str, offset: usize) {
        let key = Self::key(project);
        if let Some(p) = self.places.get(&key)
            && p.document == document
            && p.offset == offset
        {
            return;
        }
        let stamp = self.places.values().map(|p| p.stamp).max().unwrap_or(0) + 1;
        self.places.insert(
            key,
            Place {
                document: document.to_owned(),
                offset,
                stamp,
            },
        );
        while self.places.len() > KEEP {
            let oldest = self
                .places
                .iter()
                .min_by_key(|(_, p)| p.stamp)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.places.remove(&k),
                None => break,
            };
        }
    }

    /// Writes the file if anything changed since it was last written.
    pub fn save(&mut self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if self.places == self.written {
            return Ok(());
        }
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&self.places).map_err(std::io::Error::other)?;
        storyloom_atomic::write_atomic(file, |f| f.write_all(&json))?;
        self.written = self.places.clone();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_survives_a_save_and_a_load_and_the_file_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state").join("reading-state.json");
        let mut s = ReadingState::load(file.clone());
        assert!(s.place(Path::new("/a.storyloom")).is_none());
        s.remember(Path::new("/a.storyloom"), "doc-1", 120);
        s.remember(Path::new("/b.storyloom"), "doc-2", 0);
        s.remember(Path::new("/a.storyloom"), "doc-3", 40);
        s.save().unwrap();
        let again = ReadingState::load(file.clone());
        let a = again.place(Path::new("/a.storyloom")).unwrap();
        assert_eq!((a.document.as_str(), a.offset), ("doc-3", 40));
        // Nothing but the file itself is left in the folder (no temp files).
        let names: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("reading-state.json")]);
    }

    #[test]
    fn a_damaged_file_reads_as_empty_and_only_recent_projects_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reading-state.json");
        std::fs::write(&file, b"{ not json").unwrap();
        let mut s = ReadingState::load(file.clone());
        assert!(s.place(Path::new("/a")).is_none());
        for k in 0..(KEEP + 5) {
            s.remember(Path::new(&format!("/p{k}")), "d", k);
        }
        s.save().unwrap();
        let again = ReadingState::load(file);
        assert!(again.place(Path::new("/p0")).is_none());
        assert!(again.place(Path::new(&format!("/p{}", KEEP + 4))).is_some());
    }
}
