//! Undo and redo through the project history (they survive reopening the file).

use super::Project;
use crate::error::Result;
use crate::store::Reversal;

impl Project {
    /// Reverses your (the actor's) newest action not yet undone. `None`:
    /// nothing of yours to undo. Refuses, naming them, when another user has
    /// changed the same rows since.
    pub fn undo(&mut self) -> Result<Option<Reversal>> {
        let actor = self.actor.clone();
        Ok(self.store.undo(&actor)?)
    }

    /// Repeats the action undone last. `None`: nothing to redo.
    pub fn redo(&mut self) -> Result<Option<Reversal>> {
        let actor = self.actor.clone();
        Ok(self.store.redo(&actor)?)
    }

    /// What undo would reverse (for a menu label such as "Undo alice's
    /// rename code"), with `blocked_by` set when it would be refused.
    pub fn can_undo(&self) -> Result<Option<Reversal>> {
        Ok(self.store.undoable(&self.actor)?)
    }

    /// What redo would repeat.
    pub fn can_redo(&self) -> Result<Option<Reversal>> {
        Ok(self.store.redoable(&self.actor)?)
    }
}
