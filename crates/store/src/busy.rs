//! Who holds the write lock. A long operation leaves a note in the project
//! (its process id, command, user, what it does and since when), so that a
//! writer kept waiting past the busy timeout can say who is writing and
//! what. Without a note (a short change, an older Storyloom), the message
//! names the other processes that have the project open, where the system
//! says (Linux: `/proc`).

use super::{Error, Store};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// A long operation's note of who is writing. Cleared when it ends.
#[derive(serde::Serialize, serde::Deserialize)]
struct Writer {
    pid: u32,
    /// The Storyloom user (`--user`, `$STORYLOOM_USER`).
    actor: String,
    what: String,
    since: String,
    /// The command that runs it: `storyloom import`, `storyloom` (the window).
    #[serde(default)]
    command: String,
}

/// This process's command: the program's name and its subcommand.
fn this_command() -> String {
    let mut args = std::env::args_os();
    let program = args
        .next()
        .map(|a| {
            Path::new(&a).file_name().map_or_else(
                || a.to_string_lossy().into_owned(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .unwrap_or_else(|| "storyloom".into());
    match args.next().map(|a| a.to_string_lossy().into_owned()) {
        Some(sub) if !sub.starts_with('-') && !sub.contains(['/', '\\', '.']) => {
            format!("{program} {sub}")
        }
        _ => program,
    }
}

impl Store {
    /// Records that this process is about to hold the write lock for a
    /// while (`what`: "importing 48 files"), so another writer that times
    /// out can say who and what. Best effort.
    pub fn announce_writer(&mut self, actor: &str, what: &str) {
        if self.read_only.is_some() {
            return;
        }
        let w = Writer {
            pid: std::process::id(),
            actor: actor.to_owned(),
            what: what.to_owned(),
            since: super::now(),
            command: this_command(),
        };
        if let Ok(j) = serde_json::to_string(&w) {
            let _ = self.conn.execute(
                "INSERT INTO meta(key, value) VALUES ('writer', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [j],
            );
        }
    }

    /// Clears this process's note (see [`Store::announce_writer`]).
    pub fn clear_writer(&mut self) {
        if self.read_only.is_some() {
            return;
        }
        let _ = self.conn.execute(
            "DELETE FROM meta WHERE key = 'writer' AND json_extract(value, '$.pid') = ?1",
            [std::process::id()],
        );
    }
}

/// The error for a write lock held longer than the busy timeout: names the
/// other Storyloom (read on a connection of its own: in WAL mode a reader
/// is never kept waiting by a writer).
pub(crate) fn busy_error(path: &Path) -> Error {
    Error::Busy(format!(
        "{}: another Storyloom is writing to this project{} and held it for more than {} s. \
         Nothing was changed; try again when it has finished.",
        path.display(),
        who_writes(path),
        super::BUSY_TIMEOUT.as_secs()
    ))
}

/// " (process 4242, `storyloom import`, user bob: importing 48 files, since
/// 10:02:11 UTC)", or the other processes that have the file open, or "".
pub fn who_writes(path: &Path) -> String {
    let note: Option<Writer> = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()
        .and_then(|c| {
            c.query_row("SELECT value FROM meta WHERE key = 'writer'", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .ok()
            .flatten()
        })
        .and_then(|n| serde_json::from_str(&n).ok())
        .filter(|w: &Writer| w.pid != std::process::id() && process_may_run(w.pid));
    if let Some(w) = note {
        let command = if w.command.is_empty() {
            command_of(w.pid).unwrap_or_else(|| "storyloom".into())
        } else {
            w.command
        };
        return format!(
            " (process {}, `{command}`, user {}: {}, since {} UTC)",
            w.pid,
            w.actor,
            w.what,
            w.since.get(11..19).unwrap_or(&w.since)
        );
    }
    let others = openers(path);
    if others.is_empty() {
        return String::new();
    }
    let list: Vec<String> = others
        .iter()
        .take(3)
        .map(|(pid, command, user)| format!("process {pid}, `{command}`, user {user}"))
        .collect();
    format!(" ({}; it did not say what it is doing)", list.join("; "))
}

/// Whether process `pid` may still run (Linux: /proc; elsewhere assume so).
pub(crate) fn process_may_run(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// A process's command line (Linux), its program shown by file name.
fn command_of(pid: u32) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let mut parts = raw
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let program = parts.next()?;
    let program = Path::new(&program)
        .file_name()
        .map_or(program.clone(), |n| n.to_string_lossy().into_owned());
    let rest: Vec<String> = parts.take(4).collect();
    Some(if rest.is_empty() {
        program
    } else {
        format!("{program} {}", rest.join(" "))
    })
}

/// The login name of the owner of process `pid` (Linux), or its uid.
fn user_of(pid: u32) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let name = std::fs::read_to_string("/etc/passwd").ok().and_then(|p| {
        p.lines().find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 2 && f[2] == uid).then(|| f[0].to_owned())
        })
    });
    Some(name.unwrap_or(uid))
}

/// Other processes that have the project file open (Linux: their open
/// files in /proc), as (pid, command, user). Only processes this user may
/// look into are seen.
fn openers(path: &Path) -> Vec<(u32, String, String)> {
    let Ok(target) = path.canonicalize() else {
        return Vec::new();
    };
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id();
    let mut out = Vec::new();
    for e in procs.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(e.path().join("fd")) else {
            continue;
        };
        let open = fds
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == target));
        if open {
            out.push((
                pid,
                command_of(pid).unwrap_or_else(|| "?".into()),
                user_of(pid).unwrap_or_else(|| "?".into()),
            ));
        }
    }
    out
}

/// The error for a chunked change that could not take the lock back.
pub(crate) fn busy_between_chunks(conn: &Connection) -> Error {
    let who = conn
        .path()
        .map(|p| who_writes(Path::new(p)))
        .unwrap_or_default();
    Error::Busy(format!(
        "another Storyloom{who} held the project too long between two parts of this change"
    ))
}
