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

    /// Writes an environment's state whole, into a bucket [`StateBackend::make_ready`] readied.
    pub fn save(&self, state: &State) -> Result<(), StateError> {
        match self {
            StateBackend::File(store) => store.save(state),
            StateBackend::S3 {
                client, url, key, ..
            } => {
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
