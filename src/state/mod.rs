//! What idp has created, per environment: `.idp/state/<env>.json` in the project, and the lock
//! that keeps two runs from changing the same environment at once.
//!
//! State never holds a secret: credentials live in the credential store, and outputs are the
//! non-secret connection details.

mod lock;
mod store;

pub use lock::{LockError, LockHolder, StateLock};
pub use store::{RecordedResource, ResourceStatus, State, StateError, StateStore};
