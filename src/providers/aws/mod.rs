//! The `aws` provider's foundation: credentials from the AWS CLI's chain, SigV4 signing, and one
//! HTTP client that speaks the three protocols idp's services use (query: EC2, IAM, RDS, STS;
//! JSON: ECR, Secrets Manager, DynamoDB; REST: S3), with timeouts and bounded, jittered retries.
//! The resources themselves build on [`client::Client`]: [`provider::AwsProvider`] implements the
//! `Provider` trait, one file per resource kind (`rds` with its `secret` and `rds_restore`, `ecr`, `iam`, `security_group`).
//!
//! - [`credentials`]: where the credentials come from (variables, profiles, roles to assume).
//! - [`client`]: the client, its retry policy and its requests.
//! - [`service`]: the services, their protocols and endpoints (`endpoint_url` or AWS's).
//! - [`error`]: [`error::AwsError`], naming the service, action, AWS's code and message.
//! - [`sigv4`], [`xml`], [`time`]: the signature, a small XML reader, the two time formats.

pub mod client;
pub mod credentials;
mod ecr;
pub mod error;
mod iam;
pub mod provider;
mod rds;
mod rds_restore;
mod secret;
mod security_group;
pub mod service;
pub mod sigv4;
mod survey;
pub mod time;
pub mod xml;

#[cfg(test)]
mod provider_tests;
#[cfg(test)]
mod restore_and_settings_tests;
#[cfg(test)]
pub(crate) mod test_moto;
#[cfg(test)]
mod test_stub;
#[cfg(test)]
mod tests;
