//! A shared project on PostgreSQL (issue 16), as the window and the
//! command line call it; the work is in `storyloom-share`.
//!
//! - [`Project::share`]: `storyloom share PROJECT postgres://…/database/name`;
//! - [`Project::open_shared`]: `storyloom open postgres://…/database/name [--into FILE]`;
//! - [`Project::sync`]: one round (`storyloom sync PROJECT --once`);
//! - [`Project::start_sync`]: the sync running beside the open project
//!   (`storyloom sync PROJECT --watch`, and the window), with its status.
//!
//! Passwords come from the URL given, `PGPASSWORD` or `~/.pgpass`, and are
//! never written to the project file or its history.

use super::Project;
use crate::error::Result;
use crate::share::{Locator, SyncHandle, SyncReport};
use crate::store::sync::SyncServer;
use std::path::{Path, PathBuf};

impl Project {
    /// Shares this project at `url` (a new name on the server): uploads it
    /// and makes this file its first replica.
    pub fn share(&mut self, url: &str) -> Result<SyncServer> {
        let locator = Locator::parse(url)?;
        let actor = self.actor.clone();
        Ok(crate::share::share(self.store_mut(), &locator, &actor)?)
    }

    /// Makes a replica of the shared project at `url` in `into` (default:
    /// `NAME.storyloom` in the current folder), or, when `into` is a
    /// replica of it already, brings it up to date. Returns the file.
    pub fn open_shared(url: &str, into: Option<&Path>, actor: &str) -> Result<PathBuf> {
        let locator = Locator::parse(url)?;
        let path = into
            .map(Path::to_owned)
            .unwrap_or_else(|| PathBuf::from(format!("{}.storyloom", locator.schema)));
        if path.exists() {
            let mut p = Project::open(&path)?;
            p.set_actor(actor);
            let same = p
                .shared_server()?
                .is_some_and(|s| s.locator == locator.display());
            if !same {
                return Err(crate::Error::AlreadyExists(path));
            }
            p.sync_with(&locator)?;
            return Ok(path);
        }
        drop(crate::share::open(&locator, &path, actor)?);
        Ok(path)
    }

    /// Who works here when nobody said (`STORYLOOM_USER`, then `USER`).
    pub fn default_actor_name() -> String {
        super::default_actor()
    }

    /// Local changes not on the server yet (0 for a project not shared).
    pub fn pending_changes(&self) -> Result<usize> {
        if self.store().sync_server()?.is_none() {
            return Ok(0);
        }
        Ok(self.store().pending_entries()?.len())
    }

    /// The server this project is a replica of, if it is one.
    pub fn shared_server(&self) -> Result<Option<SyncServer>> {
        Ok(self.store().sync_server()?)
    }

    /// One round of sync: pulls colleagues' changes, pushes this replica's.
    pub fn sync(&mut self, password: Option<String>) -> Result<SyncReport> {
        let locator = crate::share::locator_of(self.store(), password)?;
        self.sync_with(&locator)
    }

    fn sync_with(&mut self, locator: &Locator) -> Result<SyncReport> {
        let mut server = crate::share::Server::connect(locator)?;
        Ok(crate::share::sync_once(self.store_mut(), &mut server)?)
    }

    /// Starts the sync beside this open project (its own thread and
    /// connections); `on_round` runs after each round that moved something.
    pub fn start_sync(
        &self,
        password: Option<String>,
        on_round: impl Fn(&SyncReport) + Send + 'static,
    ) -> Result<SyncHandle> {
        Ok(SyncHandle::start(self.path(), password, on_round)?)
    }
}
