//! `idp env`: the connection settings of an environment, for the app.

use clap::{Args, ValueEnum};

use crate::error::{Error, ExitStatus};
use crate::output::Output;
use crate::settings::Settings;

use super::guard::{app_variables, checked_session};

/// Print the connection settings of an environment (`DATABASE_URL`, `REGISTRY_URL`, …)
///
/// Secrets are masked as `****` unless `--show-secrets` is given; `idp run -- CMD` hands them to a
/// program without printing them at all.
#[derive(Debug, Args)]
pub struct EnvArgs {
    /// How to print them
    #[arg(long, value_enum, default_value_t = EnvFormat::Dotenv)]
    pub format: EnvFormat,

    /// Print secrets in clear instead of `****`
    #[arg(long)]
    pub show_secrets: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EnvFormat {
    /// `NAME=value` lines, as `.env` files have them
    Dotenv,
    /// `export NAME='value'` lines, for `eval "$(idp env --format shell --show-secrets)"`
    Shell,
    /// One JSON object
    Json,
}

pub fn run(args: &EnvArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(status),
    };
    let variables = app_variables(&session, settings)?;
    if variables.is_empty() {
        output.status(&format!(
            "`{}` has nothing provisioned yet: run `idp provision`",
            session.environment_name
        ));
    }
    let value = |v: &crate::connection::Variable| {
        if args.show_secrets {
            v.value.expose().to_string()
        } else {
            v.masked.clone()
        }
    };
    let text = match args.format {
        EnvFormat::Dotenv => variables
            .iter()
            .map(|v| format!("{}={}\n", v.name, value(v)))
            .collect(),
        EnvFormat::Shell => variables
            .iter()
            .map(|v| format!("export {}='{}'\n", v.name, value(v).replace('\'', "'\\''")))
            .collect(),
        EnvFormat::Json => {
            let map: serde_json::Map<String, serde_json::Value> = variables
                .iter()
                .map(|v| (v.name.clone(), value(v).into()))
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&map).expect("strings serialize")
            )
        }
    };
    output.data(&text)?;
    Ok(ExitStatus::Success)
}
