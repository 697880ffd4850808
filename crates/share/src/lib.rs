//! A shared project on PostgreSQL (issue 16): several researchers work on
//! one project at once, each in a local replica (an ordinary project file:
//! search, exports and undo work as ever) that a sync keeps in step with
//! the server.
//!
//! - [`share`]: uploads a project under a new name on the server; the file
//!   becomes a replica;
//! - [`open`]: makes a new replica of a shared project;
//! - [`sync_once`]: pulls colleagues' changes (applied with the merge's
//!   rules on top of local changes not pushed yet, see [`rebase`]) and
//!   pushes local ones, one server transaction per history entry;
//! - [`SyncHandle`]: the same, running in a thread, woken by the server's
//!   NOTIFY, offline-tolerant.
//!
//! Addresses: `postgres://user@host:port/database/project` (see
//! [`Locator`]); the password is never stored in the project file.
//! This crate speaks SQL to PostgreSQL only; the project file is written
//! through `storyloom-store`.

mod error;
mod locator;
pub mod rebase;
mod replica;
mod runner;
pub mod server;
mod tls;

pub use error::{Error, Result};
pub use locator::{Locator, check_identifier, redact};
pub use replica::{SyncReport, locator_of, open, share, sync_once};
pub use runner::{SyncHandle, SyncStatus};
pub use server::Server;
