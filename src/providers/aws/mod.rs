//! The `aws` provider: [`provider::AwsProvider`] implements the `Provider` trait over the AWS API
//! client in `crate::aws`, one file per resource kind (`rds` with its `secret` and `rds_restore`,
//! `ecr`, `iam`, `security_group`), and `survey` reads each service in bulk before a plan.

mod ecr;
mod iam;
pub mod provider;
mod rds;
mod rds_restore;
mod secret;
mod security_group;
mod survey;

#[cfg(test)]
mod provider_tests;
#[cfg(test)]
mod restore_and_settings_tests;
