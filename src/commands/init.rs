//! `idp init`: a new project from a golden-path template.

use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, ExitStatus};
use crate::output::prompt::{TerminalAsker, pick};
use crate::output::{Format, Output};
use crate::scaffold::source::TemplateSource;
use crate::scaffold::{Ask, InitOptions, InitReport, init};
use crate::settings::Settings;

use super::templates::load_catalog;

/// Create a project from a template: code, tests, Dockerfile, CI workflow and idp.toml
///
/// Without `--template` on a terminal, pick one from the catalog (`idp templates list`); then each
/// question is asked with its default. Without a terminal (or with `--no-input`) nothing is asked:
/// `--set` and `--defaults` give the answers.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to create the project in (default: the current directory)
    #[arg(value_name = "DIR")]
    pub directory: Option<PathBuf>,

    /// The template: a catalog name, a local folder, or a git URL with an optional `#REF`
    #[arg(long, short = 't', value_name = "NAME|PATH|GIT-URL[#REF]")]
    pub template: Option<String>,

    /// Answer a template question (can be repeated)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub set: Vec<(String, String)>,

    /// Take the default answer of every question not given with `--set`
    #[arg(long)]
    pub defaults: bool,

    /// Write into a non-empty directory, replacing the files the template makes (each is listed)
    #[arg(long)]
    pub force: bool,

    /// Make the directory a git repository with a first commit (default: when git is installed
    /// and the directory is not inside a repository)
    #[arg(long, overrides_with = "no_git")]
    pub git: bool,

    /// Do not create a git repository
    #[arg(long, overrides_with = "git")]
    pub no_git: bool,
}

pub(crate) fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

pub fn run(args: &InitArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let Some(catalog) = load_catalog(settings, output)? else {
        return Ok(ExitStatus::Failure);
    };
    let spec = match &args.template {
        Some(spec) => spec.clone(),
        None if settings.can_prompt => {
            let items: Vec<(String, String)> = catalog
                .entries
                .iter()
                .map(|e| (e.name.clone(), e.description.clone()))
                .collect();
            let index = pick("Template", &items)?;
            items[index].0.clone()
        }
        None => {
            let names: Vec<String> = catalog.entries.iter().map(|e| e.name.clone()).collect();
            return Err(Error::TemplateNotChosen { names });
        }
    };
    let mut terminal = TerminalAsker::default();
    let asker: Option<&mut dyn Ask> =
        (settings.can_prompt && !args.defaults).then_some(&mut terminal as &mut dyn Ask);
    let directory = match &args.directory {
        Some(directory) => directory.clone(),
        None => PathBuf::from("."),
    };
    let report = init(InitOptions {
        directory: directory.clone(),
        source: TemplateSource::parse(&spec, &catalog),
        set: args.set.clone(),
        use_defaults: args.defaults,
        force: args.force,
        git: if args.git {
            Some(true)
        } else if args.no_git {
            Some(false)
        } else {
            None
        },
        asker,
        cache_dir: settings.cache_home.clone(),
    })?;
    for warning in &report.warnings {
        output.warning(warning);
    }
    match output.format() {
        Format::Json => output.json(&report)?,
        Format::Text => print_summary(&report, &directory, output),
    }
    Ok(ExitStatus::Success)
}

fn print_summary(report: &InitReport, directory: &std::path::Path, output: &Output) {
    for file in &report.overwritten {
        output.warning(&format!("replaced `{file}`"));
    }
    let version = report
        .version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    output.status(&format!(
        "Created `{}` from the `{}`{version} template ({} files{}).",
        directory.display(),
        report.template,
        report.files.len(),
        if report.git_initialized {
            ", git repository with a first commit"
        } else {
            ""
        }
    ));
    let cd = if directory == std::path::Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", directory.display())
    };
    output.status(&format!("Next: {cd}idp provision"));
}
