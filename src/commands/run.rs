//! `idp run -- CMD`: a program with the environment's connection settings in its environment, as
//! `op run` and `doppler run` do. Secrets go through the environment, never argv or output.

use std::process::Command;

use clap::Args;

use crate::error::{Error, ExitStatus};
use crate::output::Output;
use crate::settings::Settings;

use super::guard::{app_variables, checked_session};

/// Run a program with the environment's connection settings (`DATABASE_URL`, …) in its environment
///
/// The program's exit code is passed through.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The program and its arguments, after `--`
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    pub command: Vec<String>,
}

pub fn run(args: &RunArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(status),
    };
    let variables = app_variables(&session, settings)?;
    let (program, arguments) = args.command.split_first().expect("clap requires a command");
    let mut command = Command::new(program);
    command.args(arguments);
    for variable in &variables {
        command.env(&variable.name, variable.value.expose());
    }
    let status = command.status().map_err(|source| Error::Spawn {
        program: program.clone(),
        source,
    })?;
    Ok(ExitStatus::Child(status.code().unwrap_or(1)))
}
