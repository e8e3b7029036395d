//! What the engine reports while it works, for `output/progress.rs` to render (as uv's `Reporter`
//! and Terraform's `Hook`): the engine never touches the terminal.

use std::time::Duration;

/// One thing that happened to one resource.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Work on a resource started (`creating`, `updating`, `deleting`).
    Started {
        resource: String,
        verb: &'static str,
    },
    /// A step within that work, or something being waited for ("waiting for PostgreSQL to accept connections").
    Progress {
        resource: String,
        message: String,
    },
    Finished {
        resource: String,
        verb: &'static str,
        elapsed: Duration,
    },
    Failed {
        resource: String,
        message: String,
    },
}

/// Receives events; called from the threads that do the work.
pub trait Observer: Sync {
    fn event(&self, event: Event);
}

/// Ignores events, for callers that want none.
impl Observer for () {
    fn event(&self, _event: Event) {}
}
