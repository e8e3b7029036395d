//! The S3 bucket that holds team state: versioned, so every earlier state can be recovered, with
//! default encryption. Made on first use; made ready again when a crash cut its making short.

use crate::aws::client::{Client, RestRequest};
use crate::aws::error::AwsError;
use crate::aws::xml;

const S3_XMLNS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Why the state bucket is not fit to hold state.
#[derive(Debug)]
pub enum BucketError {
    Aws(AwsError),
    /// Someone suspended versioning: turning it back on is theirs to decide, not idp's.
    VersioningSuspended,
}

impl From<AwsError> for BucketError {
    fn from(error: AwsError) -> BucketError {
        BucketError::Aws(error)
    }
}

/// Makes sure `bucket` exists and is versioned: creates it (versioned, encrypted) when missing,
/// and turns versioning on when it was never set, which is where a crash between creating the
/// bucket and configuring it leaves one.
pub fn ensure_ready(client: &Client, bucket: &str) -> Result<(), BucketError> {
    let answer = match client.rest(
        "GetBucketVersioning",
        &request(bucket, "GET", "versioning", ""),
    ) {
        Ok(answer) => answer,
        Err(e) if e.code() == Some("NoSuchBucket") => return Ok(create(client, bucket)?),
        Err(e) => return Err(e.into()),
    };
    let text = String::from_utf8_lossy(&answer.body);
    let status = xml::parse(&text)
        .ok()
        .and_then(|root| root.text_at(&["Status"]).map(str::to_string));
    match status.as_deref() {
        Some("Enabled") => Ok(()),
        Some("Suspended") => Err(BucketError::VersioningSuspended),
        _ => Ok(configure(client, bucket)?),
    }
}

/// Creates the bucket in the client's region, then configures it.
fn create(client: &Client, bucket: &str) -> Result<(), AwsError> {
    let location = if client.region() == "us-east-1" {
        String::new()
    } else {
        format!(
            "<CreateBucketConfiguration xmlns=\"{S3_XMLNS}\">\
             <LocationConstraint>{}</LocationConstraint></CreateBucketConfiguration>",
            xml::escape(client.region())
        )
    };
    match client.rest("CreateBucket", &request(bucket, "PUT", "", &location)) {
        Ok(_) => {}
        Err(e) if e.code() == Some("BucketAlreadyOwnedByYou") => {}
        Err(e) => return Err(e),
    }
    configure(client, bucket)
}

/// Turns on versioning and default encryption (AES256); both calls are idempotent.
fn configure(client: &Client, bucket: &str) -> Result<(), AwsError> {
    let versioning = format!(
        "<VersioningConfiguration xmlns=\"{S3_XMLNS}\"><Status>Enabled</Status></VersioningConfiguration>"
    );
    client.rest(
        "PutBucketVersioning",
        &request(bucket, "PUT", "versioning", &versioning),
    )?;
    let encryption = format!(
        "<ServerSideEncryptionConfiguration xmlns=\"{S3_XMLNS}\"><Rule>\
         <ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>\
         </ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>"
    );
    client.rest(
        "PutBucketEncryption",
        &request(bucket, "PUT", "encryption", &encryption),
    )?;
    Ok(())
}

/// A request on the bucket itself; `subresource` is the query (`versioning`), empty for none.
fn request(bucket: &str, method: &'static str, subresource: &str, body: &str) -> RestRequest {
    RestRequest {
        method,
        bucket: bucket.to_string(),
        query: if subresource.is_empty() {
            Vec::new()
        } else {
            vec![(subresource.to_string(), String::new())]
        },
        body: body.as_bytes().to_vec(),
        ..RestRequest::default()
    }
}
