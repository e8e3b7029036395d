//! The AWS API client shared by the `aws` provider and the team state in S3: credentials from
//! the AWS CLI's chain, SigV4 signing, and one HTTP client that speaks the three protocols idp's
//! services use (query: EC2, IAM, RDS, STS; JSON: ECR, Secrets Manager, DynamoDB; REST: S3), with
//! timeouts and bounded, jittered retries. It knows requests and errors, not resources: those are
//! `providers::aws`, and the state's bucket and lock are `state`.
//!
//! - [`credentials`]: where the credentials come from (variables, profiles, roles to assume).
//! - [`client`]: the client, its retry policy and its requests.
//! - [`service`]: the services, their protocols and endpoints (`endpoint_url` or AWS's).
//! - [`error`]: [`error::AwsError`], naming the service, action, AWS's code and message.
//! - [`sigv4`], [`xml`], [`time`]: the signature, a small XML reader, the two time formats.

pub mod client;
pub mod credentials;
pub mod error;
pub mod service;
pub mod sigv4;
pub mod time;
pub mod xml;

#[cfg(test)]
pub(crate) mod test_moto;
#[cfg(test)]
pub(crate) mod test_stub;
#[cfg(test)]
mod tests;
