//! idp: a self-service internal developer platform in one binary.
//!
//! Data flows one way: command line → settings → manifest + platform → policy → plan → providers →
//! state → output.
//!
//! - [`cli`] and [`commands`]: the command line and one thin module per command.
//! - [`settings`] and [`env_vars`]: every input resolved once, the environment read in one place.
//! - [`document`]: TOML files with spans, and the shape check that collects every error at once.
//! - [`manifest`]: `idp.toml`, its types, loading, validation and in-place edits; [`platform`]:
//!   `platform.toml`.
//! - [`policy`]: the guardrails, one rule family per file, and waivers.
//! - [`workspace`]: a project's manifest and platform policy, read and checked together.
//! - [`scaffold`]: `idp init`: templates (idp, cookiecutter, copier) from every source, rendered safely.
//! - [`engine`]: plan, dependency order, apply with a journal, destroy; provider-independent.
//! - [`providers`]: the `Provider` trait, the `local` provider (PostgreSQL cluster, registry) and
//!   the `aws` provider (RDS, ECR, IAM, security groups, Secrets Manager); [`aws`]: the AWS API
//!   client they and the S3 team state share.
//! - [`state`]: the per-environment state file and its lock; [`credentials`]: the keyring or the
//!   0600 file, the only code that stores secrets; [`connection`]: the app's settings built from both.
//! - [`session`]: one environment of a checked project, ready for the provisioning commands.
//! - [`finding`], [`error`] and [`output`]: what the user reads, and the one channel it goes through.

pub mod aws;
pub mod cidr;
pub mod cli;
pub mod commands;
pub mod connection;
pub mod credentials;
pub mod document;
pub mod engine;
pub mod env_vars;
pub mod error;
pub mod finding;
pub mod fs;
pub mod manifest;
pub mod output;
pub mod platform;
pub mod policy;
pub mod providers;
pub mod scaffold;
pub mod session;
pub mod settings;
pub mod state;
pub mod text;
pub mod workspace;
