//! `idp templates`: the template catalog.

use clap::{Args, Subcommand};

use crate::error::{Error, ExitStatus};
use crate::output::{Format, Output};
use crate::platform::{Platform, load_platform};
use crate::scaffold::catalog::Catalog;
use crate::settings::Settings;

/// List the templates `idp init` can use: built in and from the platform's `[catalog]`
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub command: TemplatesCommand,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the catalog: name, description and source of each template
    List,
}

pub fn run(
    args: &TemplatesArgs,
    settings: &Settings,
    output: &Output,
) -> Result<ExitStatus, Error> {
    match args.command {
        TemplatesCommand::List => {
            let Some(catalog) = load_catalog(settings, output)? else {
                return Ok(ExitStatus::Failure);
            };
            let listing = catalog.listing();
            match output.format() {
                Format::Json => output.json(&listing)?,
                Format::Text => {
                    let width = listing
                        .iter()
                        .map(|entry| entry.name.len())
                        .max()
                        .unwrap_or(0);
                    let mut text = String::new();
                    for entry in &listing {
                        text.push_str(&format!(
                            "{:width$}  {}  ({}: {})\n",
                            entry.name, entry.description, entry.kind, entry.source
                        ));
                    }
                    output.data(&text)?;
                }
            }
            Ok(ExitStatus::Success)
        }
    }
}

/// Returns the catalog: built-in templates and the platform file's, if one is in force. A
/// malformed platform file is reported and gives `None`.
pub fn load_catalog(settings: &Settings, output: &Output) -> Result<Option<Catalog>, Error> {
    let source = settings.platform_source(None, None);
    let Some(path) = source.path() else {
        return Ok(Some(Catalog::with_platform(&Platform::default(), None)));
    };
    if !path.is_file() {
        return Err(Error::PlatformMissing {
            path: path.to_path_buf(),
            origin: source.origin(),
        });
    }
    let parsed = load_platform(path).map_err(|source| Error::Io {
        action: "read the platform file".into(),
        path: path.to_path_buf(),
        source,
    })?;
    match &parsed.value {
        Some(platform) => Ok(Some(Catalog::with_platform(platform, Some(path)))),
        None => {
            output.findings(
                &parsed.findings,
                &[crate::output::Source {
                    path,
                    text: &parsed.text,
                }],
            );
            Ok(None)
        }
    }
}
