//! `idp schema`: the JSON Schema of `idp.toml`, generated from the manifest's Rust types.

use clap::Args;

use crate::error::{Error, ExitStatus};
use crate::manifest::Manifest;
use crate::output::Output;

/// Print the JSON Schema of idp.toml, for editor validation and completion
///
/// Point your editor at it, e.g. with Even Better TOML: `#:schema ./idp.schema.json` as the first
/// line of idp.toml, after `idp schema > idp.schema.json`.
#[derive(Debug, Args)]
pub struct SchemaArgs {}

pub fn run(_args: &SchemaArgs, output: &Output) -> Result<ExitStatus, Error> {
    output.json(&Manifest::json_schema())?;
    Ok(ExitStatus::Success)
}
