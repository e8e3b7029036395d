//! Where an environment's state is kept: the local file (the default) or an S3 object shared by
//! a team, with the same `load`/`save`.
//!
//! The S3 object is the whole state JSON, written with server-side encryption into a versioned
//! bucket, so every earlier state can be recovered. State never holds a secret.

use std::path::Path;
use std::sync::Arc;

use crate::providers::aws::client::{Client, RestRequest};
use crate::providers::aws::error::AwsError;

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

    /// Writes an environment's state whole; in S3, the bucket is created (versioned, encrypted)
    /// on first use.
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
                match client.put_object(&url.bucket, key, body.clone(), &headers) {
                    Ok(_) => Ok(()),
                    Err(e) if e.code() == Some("NoSuchBucket") => {
                        create_bucket(client, &url.bucket)
                            .map_err(|e| remote("create the bucket of", &location, &e))?;
                        client
                            .put_object(&url.bucket, key, body, &headers)
                            .map(|_| ())
                            .map_err(|e| remote("write", &location, &e))
                    }
                    Err(e) => Err(remote("write", &location, &e)),
                }
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

/// Creates the state bucket with versioning and default encryption (AES256).
fn create_bucket(client: &Client, bucket: &str) -> Result<(), AwsError> {
    let configuration = if client.region() == "us-east-1" {
        Vec::new()
    } else {
        format!(
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <LocationConstraint>{}</LocationConstraint></CreateBucketConfiguration>",
            client.region()
        )
        .into_bytes()
    };
    let bucket_request = |method, query: &str, body: Vec<u8>| RestRequest {
        method,
        bucket: bucket.to_string(),
        query: if query.is_empty() {
            Vec::new()
        } else {
            vec![(query.to_string(), String::new())]
        },
        body,
        ..RestRequest::default()
    };
    match client.rest("CreateBucket", &bucket_request("PUT", "", configuration)) {
        Ok(_) => {}
        Err(e) if e.code() == Some("BucketAlreadyOwnedByYou") => {}
        Err(e) => return Err(e),
    }
    client.rest(
        "PutBucketVersioning",
        &bucket_request(
            "PUT",
            "versioning",
            b"<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
              <Status>Enabled</Status></VersioningConfiguration>"
                .to_vec(),
        ),
    )?;
    client.rest(
        "PutBucketEncryption",
        &bucket_request(
            "PUT",
            "encryption",
            b"<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
              <Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>\
              </ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"
                .to_vec(),
        ),
    )?;
    Ok(())
}
