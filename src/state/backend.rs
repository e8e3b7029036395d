//! Where an environment's state is kept: the local file (the default) or an S3 object shared by
//! a team, with the same `load`/`save`.
//!
//! The S3 object is the whole state JSON, written with server-side encryption into a versioned
//! bucket, so every earlier state can be recovered. State never holds a secret.

use std::path::Path;
use std::sync::Arc;

use crate::aws::client::Client;
use crate::aws::error::AwsError;

use super::bucket::{self, BucketError};
use super::remote_lock::LockSite;
use super::store::{self, State, StateError, StateStore};
use super::url::StateUrl;

/// The state storage of one environment.
pub enum StateBackend {
    File(StateStore),
    S3 {
        client: Arc<Client>,
        url: StateUrl,
        /// The state object's key: `<prefix>/<environment>.json`.
        key: String,
        /// Where the environment's team lock is.
        lock: LockSite,
    },
}

impl StateBackend {
    /// Reads an environment's state; an environment never provisioned has an empty one.
    pub fn load(&self, project: &str, environment: &str) -> Result<State, StateError> {
        match self {
            StateBackend::File(store) => store.load(project, environment),
            StateBackend::S3 {
                client, url, key, ..
            } => {
                let location = format!("s3://{}/{key}", url.bucket);
                match client.get_object(&url.bucket, key) {
                    Ok(Some(body)) => {
                        let text = String::from_utf8_lossy(&body);
                        store::parse(&text, Path::new(&location))
                    }
                    Ok(None) => Ok(store::empty(project, environment)),
                    Err(e) if e.code() == Some("NoSuchBucket") => {
                        Ok(store::empty(project, environment))
                    }
                    Err(e) => Err(remote("read", &location, &e)),
                }
            }
        }
    }

    /// Readies the storage for writing, under the environment's lock and before anything is made:
    /// in S3, the bucket is created (versioned, encrypted) when missing and refused when its
    /// versioning was suspended.
    pub fn make_ready(&self) -> Result<(), StateError> {
        let StateBackend::S3 { client, url, .. } = self else {
            return Ok(());
        };
        bucket::ensure_ready(client, &url.bucket).map_err(|error| match error {
            BucketError::Aws(e) => remote(
                "prepare the bucket of",
                &format!("s3://{}/{}", url.bucket, url.prefix),
                &e,
            ),
            BucketError::VersioningSuspended => StateError::Unversioned {
                bucket: url.bucket.clone(),
            },
        })
    }

    /// Writes an environment's state whole, into a bucket [`StateBackend::make_ready`] readied;
    /// refused once the team lock it was taken under is lost.
    pub fn save(&self, state: &State) -> Result<(), StateError> {
        match self {
            StateBackend::File(store) => store.save(state),
            StateBackend::S3 {
                client,
                url,
                key,
                lock,
            } => {
                // The idp that took the lock over owns the state now.
                if lock.is_lost() {
                    return Err(StateError::LockLost {
                        table: lock.table.clone(),
                        key: lock.key.clone(),
                    });
                }
                let location = format!("s3://{}/{key}", url.bucket);
                let body = store::render(state).into_bytes();
                let headers = [
                    ("content-type", "application/json"),
                    ("x-amz-server-side-encryption", "AES256"),
                ];
                client
                    .put_object(&url.bucket, key, body, &headers)
                    .map(|_| ())
                    .map_err(|e| remote("write", &location, &e))
            }
        }
    }
}

fn remote(action: &'static str, location: &str, error: &AwsError) -> StateError {
    StateError::Remote {
        action,
        location: location.to_string(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::aws::test_moto::Moto;
    use crate::state::remote_lock::tests::{put_others_item, site, take};

    #[test]
    fn a_holder_whose_lock_was_taken_over_stops_writing_state_and_leaves_the_new_holders_lock() {
        let moto = Moto::start();
        let lock = site(&moto, Duration::from_millis(900));
        let client = lock.client.clone();
        let url = StateUrl::parse("s3://team-state/shop").unwrap();
        let backend = StateBackend::S3 {
            client: client.clone(),
            key: url.object_key("prod"),
            url,
            lock: lock.clone(),
        };
        let held = take(&lock, Duration::ZERO).unwrap();
        backend.make_ready().unwrap();
        let mut state = store::empty("shop", "prod");
        backend.save(&state).unwrap();
        let saved = client.get_object("team-state", "shop/prod.json").unwrap();

        // Another idp takes the item over, as one does after watching a silent holder's lease.
        put_others_item(&lock, "77@teammate", 1, 45, 0);

        // The next renewal (a third of the lease on) finds it and the lock is lost.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !lock.is_lost() {
            assert!(Instant::now() < deadline, "the takeover went unnoticed");
            std::thread::sleep(Duration::from_millis(50));
        }
        state.project = "overwritten".into();
        let Err(StateError::LockLost { table, key }) = backend.save(&state) else {
            panic!("wrote state under a lock another idp holds");
        };
        assert_eq!(
            (table.as_str(), key.as_str()),
            ("idp-locks", lock.key.as_str())
        );
        assert_eq!(
            client.get_object("team-state", "shop/prod.json").unwrap(),
            saved
        );

        // Releasing leaves the new holder's lock in place.
        drop(held);
        let holder = crate::state::read_lock(&lock).unwrap().unwrap();
        assert_eq!((holder.pid, holder.host.as_deref()), (77, Some("teammate")));
    }
}
