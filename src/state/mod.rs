//! What idp has created, per environment, and the lock that keeps two runs from changing the
//! same environment at once: by default `.idp/state/<env>.json` in the project with a file lock;
//! with `state = "s3://…"`, an S3 object shared by a team with a lock in DynamoDB.
//!
//! State never holds a secret: credentials live in the credential store, and outputs are the
//! non-secret connection details.

mod backend;
mod bucket;
mod lock;
mod remote_lock;
mod store;
mod url;

pub use backend::StateBackend;
pub use lock::{LockError, LockHolder, StateLock};
pub use remote_lock::{DynamoLock, LEASE, LockSite, force_release, read as read_lock};
pub use store::{RecordedResource, ResourceStatus, State, StateError, StateStore};
pub use url::StateUrl;

/// A held lock of either kind; dropping it releases it.
pub enum EnvironmentLock {
    File(StateLock),
    Dynamo(DynamoLock),
}
