//! idp: a self-service internal developer platform in one binary.
//!
//! Data flows one way: command line → settings → manifest + platform → policy → output.
//!
//! - [`cli`] and [`commands`]: the command line and one thin module per command.
//! - [`settings`] and [`env_vars`]: every input resolved once, the environment read in one place.
//! - [`document`]: TOML files with spans, and the shape check that collects every error at once.
//! - [`manifest`]: `idp.toml`, its types, loading and validation; [`platform`]: `platform.toml`.
//! - [`policy`]: the guardrails, one rule family per file, and waivers.
//! - [`workspace`]: a project's manifest and platform policy, read and checked together.
//! - [`finding`], [`error`] and [`output`]: what the user reads, and the one channel it goes through.

pub mod cidr;
pub mod cli;
pub mod commands;
pub mod document;
pub mod env_vars;
pub mod error;
pub mod finding;
pub mod manifest;
pub mod output;
pub mod platform;
pub mod policy;
pub mod scaffold;
pub mod settings;
pub mod text;
pub mod workspace;
