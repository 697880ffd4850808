//! The project as one file: when it can only be read (the file or its
//! folder is read-only), a journal beside it that does not belong to it, the
//! checkpoint that
//! folds the journal back into the file, and a consistent copy through
//! SQLite's online backup. Who holds the write lock is in [`crate::busy`].

use super::{Error, Result, Store};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

/// `study.storyloom-wal` / `-shm` beside `path`.
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Why the project cannot be written, if it cannot: the file is read-only,
/// or its folder is (SQLite writes its journal beside the file).
pub(crate) fn write_blocker(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().readonly() {
        return Some(format!(
            "{} is read-only (file permissions)",
            path.display()
        ));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let folder_ro = std::fs::metadata(&folder).is_ok_and(|m| m.permissions().readonly());
    let probe = folder.join(format!(".storyloom-probe-{}", std::process::id()));
    let cannot_create = match std::fs::File::create_new(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            false
        }
        Err(e) => e.kind() != std::io::ErrorKind::AlreadyExists,
    };
    (folder_ro || cannot_create).then(|| {
        format!(
            "the folder {} is read-only, and Storyloom writes its journal (the -wal and -shm files) beside the project",
            folder.display()
        )
    })
}

/// Opens a project that cannot be written, without creating or changing
/// anything beside it (no `-shm` left behind that would block later writes).
pub(crate) fn open_read_only(path: &Path, why: &str) -> Result<Connection> {
    let wal = sidecar(path, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(Error::Invalid(format!(
            "{why}, and its last changes are still in {} beside it, which cannot be read without writing. \
             Make the project and its folder writable, open it once (that folds the changes into the file), \
             then make it read-only again.",
            wal.display()
        )));
    }
    // immutable: no locks, no journal, no -shm. Safe because nobody can
    // write a file nobody may write.
    let uri = format!("file:{}?immutable=1", uri_path(path));
    Ok(Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )?)
}

/// A path as the path part of an SQLite URI.
pub(crate) fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = String::new();
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether an error is SQLite saying the file reads as damaged.
pub(crate) fn is_damaged(e: &Error) -> bool {
    matches!(e, Error::Sql(d) if matches!(
        d.code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    ))
}

/// Whether a journal with content lay beside the project before we opened
/// it: opening creates an empty one, which says nothing about the file.
pub(crate) fn journal_was_there(path: &Path) -> bool {
    std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() > 0)
}

/// Turns "malformed" into a message that says what to do. With a journal
/// that was already beside the file, the usual cause is a project restored
/// or copied over another without its `-wal`; with none, the file itself was
/// copied while a Storyloom was writing it (or after a crash) without the
/// journal that completes it.
pub(crate) fn explain_damage(path: &Path, e: Error, journal_before: bool) -> Error {
    if !is_damaged(&e) {
        return e;
    }
    let (wal, shm) = (sidecar(path, "-wal"), sidecar(path, "-shm"));
    if journal_before {
        return Error::Invalid(format!(
            "{}: the project reads as damaged together with the journal {} beside it, which does not \
             belong to this copy of the file (it happens when a project is restored or copied over another \
             without its -wal). Close every Storyloom, move {} and {} out of the folder (keep them until the \
             project opens correctly) and open the project again. ({e})",
            path.display(),
            wal.display(),
            wal.display(),
            shm.display()
        ));
    }
    Error::Invalid(format!(
        "{}: the project file reads as damaged and there is no journal beside it. This happens when the \
         file was copied while a Storyloom was writing it, or after a crash, without its {} file. Copy it \
         again together with the file ending in -wal from the same folder, or use a copy made with \
         `storyloom backup` (or File → Save a copy), which is always whole. ({e})",
        path.display(),
        wal.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "-wal".into()),
    ))
}

impl Store {
    /// Why this project is open read-only, if it is.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    pub(crate) fn refuse_if_read_only(&self) -> Result<()> {
        match &self.read_only {
            Some(why) => Err(Error::Invalid(format!(
                "{why}: the project is open read-only, and nothing can be changed. \
                 Save a copy to a writable folder to work on it."
            ))),
            None => Ok(()),
        }
    }

    /// Folds the journal into the project file (PASSIVE: never waits for
    /// readers), so a copy of the file alone holds every committed change.
    pub(crate) fn checkpoint(&self) {
        if self.read_only.is_none() {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
    }

    /// A consistent copy of the project at `out`, made with SQLite's online
    /// backup while others may keep writing, checked, and written through a
    /// temporary file beside `out`: one file, no journal beside it.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        let same = std::fs::canonicalize(out)
            .ok()
            .zip(std::fs::canonicalize(&self.path).ok())
            .is_some_and(|(a, b)| a == b);
        if same {
            return Err(Error::Refused(format!(
                "{}: that is the project itself; choose another file for the copy",
                out.display()
            )));
        }
        let temp = storyloom_atomic::AtomicFile::create(out)?;
        {
            let mut copy = Connection::open(temp.path())?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
                backup.run_to_completion(4096, std::time::Duration::from_millis(5), None)?;
            }
            // One file: the copy is not left in WAL mode with a journal.
            copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if check != "ok" {
                return Err(Error::Invalid(format!(
                    "the copy did not pass SQLite's check ({check}); {} was not written",
                    out.display()
                )));
            }
        }
        temp.commit()?;
        Ok(())
    }
}

impl Drop for Store {
    /// Closing folds the journal into the file (TRUNCATE leaves an empty
    /// `-wal`, which SQLite then removes), so the `.storyloom` file alone is
    /// the whole project.
    fn drop(&mut self) {
        if self.read_only.is_none() {
            // Never wait on closing: if another process is busy with the
            // file, its own close folds the journal in.
            let _ = self.conn.busy_timeout(std::time::Duration::ZERO);
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
