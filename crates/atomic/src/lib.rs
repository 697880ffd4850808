//! Every file Storyloom writes goes through here: the bytes go to a temporary
//! file in the target's folder (so the rename never crosses a file system) and
//! are renamed over the target only when whole, flushed and synced. A kill,
//! an error or a refusal at any point leaves the previous target byte for byte
//! and, once [`clean_stale_temps`] has run, no temporary file.
//!
//! The lowest layer: no dependencies on other workspace crates.

use std::fs::{self, File};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What every temporary file name carries after the target's name:
/// `.<name>.storyloom-tmp-<pid>-<rand>`.
const MARK: &str = ".storyloom-tmp-";

/// A file being written that replaces `target` only on [`AtomicFile::commit`].
/// Dropped without commit (an error, a refused check, a panic) it removes its
/// temporary file and the target is untouched.
pub struct AtomicFile {
    file: Option<File>,
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl AtomicFile {
    /// Creates the temporary file beside `target`. The target itself is not
    /// touched (it need not exist yet).
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let name = target.file_name().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} names no file", target.display()),
            )
        })?;
        let folder = folder_of(target);
        // What a killed writer left in this folder goes now ("on the next run").
        let _ = clean_stale_temps(&folder);
        let pid = std::process::id();
        // A fresh name per attempt: create_new refuses an existing file, so two
        // writers (or a leftover) never share a temp file.
        let mut last_err = None;
        for _ in 0..16 {
            let temp = folder.join(format!(
                ".{}{MARK}{pid}-{:016x}",
                name.to_string_lossy(),
                random()
            ));
            match File::options()
                .write(true)
                .read(true)
                .create_new(true)
                .open(&temp)
            {
                Ok(file) => {
                    // Keep the permissions of the file being replaced.
                    if let Ok(meta) = fs::metadata(target) {
                        let _ = file.set_permissions(meta.permissions());
                    }
                    return Ok(AtomicFile {
                        file: Some(file),
                        temp,
                        target: target.to_owned(),
                        committed: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("no free temporary name")))
    }

    /// The temporary file, for a checker that reads the whole file back before
    /// it is kept. Writes are unbuffered, so what was written is on the path.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// The file this one will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes, syncs, renames over the target and syncs the folder, so the
    /// new content survives a power cut once this returns.
    pub fn commit(mut self) -> io::Result<()> {
        let mut file = self.file.take().ok_or_else(closed)?;
        file.flush()?;
        file.sync_all()?;
        drop(file);
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        sync_folder(&folder_of(&self.target));
        Ok(())
    }

    fn file(&mut self) -> io::Result<&mut File> {
        self.file.as_mut().ok_or_else(closed)
    }
}

fn closed() -> io::Error {
    io::Error::other("the temporary file is already closed")
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file()?.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file()?.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file()?.flush()
    }
}

impl Seek for AtomicFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file()?.seek(pos)
    }
}

impl io::Read for AtomicFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file()?.read(buf)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        drop(self.file.take());
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Writes `target` through an [`AtomicFile`]: `write` gets the open temp file;
/// if it fails, nothing is renamed and the temp file is removed.
pub fn write_atomic<E, F>(target: &Path, write: F) -> Result<(), E>
where
    E: From<io::Error>,
    F: FnOnce(&mut AtomicFile) -> Result<(), E>,
{
    let mut file = AtomicFile::create(target)?;
    write(&mut file)?;
    file.commit()?;
    Ok(())
}

/// Removes temporary files in `folder` left by a process that was killed
/// (its pid no longer runs, or, where that cannot be told, after an hour).
/// Returns what it removed. Never touches a file without the temp mark.
pub fn clean_stale_temps(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let mut removed = Vec::new();
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(pid) = temp_pid(&name.to_string_lossy()) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let stale = match process_alive(pid) {
            Some(alive) => !alive,
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    Ok(removed)
}

/// The writer's pid, if `name` is one of our temporary file names.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let at = rest.rfind(MARK)?;
    let (pid, rand) = rest[at + MARK.len()..].split_once('-')?;
    if rand.is_empty() || !rand.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` runs; `None` where that cannot be told.
fn process_alive(pid: u32) -> Option<bool> {
    if pid == std::process::id() {
        return Some(true);
    }
    #[cfg(unix)]
    {
        let pid = libc::pid_t::try_from(pid).ok()?;
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        if r == 0 {
            return Some(true);
        }
        let err = io::Error::last_os_error().raw_os_error();
        if err == Some(libc::ESRCH) {
            Some(false)
        } else {
            // EPERM: it exists but belongs to someone else.
            Some(true)
        }
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Makes the rename durable; folders cannot be opened for syncing everywhere,
/// so a failure here is not an error.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

fn random() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.finish()
}

#[cfg(test)]
mod tests;
