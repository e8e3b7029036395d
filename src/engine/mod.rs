//! The provisioning engine, provider-independent: what to do (plan), in which order (graph), and
//! doing it with bounded concurrency and a journal in the state file so a crash at any point leaves
//! a state a re-run converges from (apply). Progress is reported as events, never drawn here.

mod apply;
pub mod backups;
mod destroy;
mod events;
mod graph;
mod plan;
mod pool;

pub use apply::{ApplyError, ApplyOptions, ApplyReport, apply};
pub use destroy::{DestroyError, DestroyReport, destroy};
pub use events::{Event, Observer};
pub use graph::{dependency_levels, with_dependencies};
pub use plan::{Action, Plan, PlannedChange, plan};
