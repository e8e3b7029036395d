//! One file per command: its arguments (their doc comments are `--help`) beside a thin `run`.

pub mod backup;
pub mod check;
pub mod completions;
pub mod destroy;
pub mod env;
mod guard;
pub mod init;
pub mod plan;
pub mod provision;
pub mod run;
pub mod schema;
pub mod status;
pub mod templates;
pub mod unlock;
pub mod update;

use crate::cli::{Cli, Command};
use crate::error::{Error, ExitStatus};
use crate::output::Output;
use crate::settings::Settings;

/// Runs the parsed command.
pub fn run(cli: &Cli, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    match &cli.command {
        Command::Init(args) => init::run(args, settings, output),
        Command::Update(args) => update::run(args, settings, output),
        Command::Templates(args) => templates::run(args, settings, output),
        Command::Check(args) => check::run(args, settings, output),
        Command::Plan(args) => plan::run(args, settings, output),
        Command::Provision(args) => provision::run(args, settings, output),
        Command::Status(args) => status::run(args, settings, output),
        Command::Env(args) => env::run(args, settings, output),
        Command::Run(args) => run::run(args, settings, output),
        Command::Destroy(args) => destroy::run(args, settings, output),
        Command::Backup(args) => backup::backup(args, settings, output),
        Command::Restore(args) => backup::restore(args, settings, output),
        Command::Unlock(args) => unlock::run(args, settings, output),

        Command::Schema(args) => schema::run(args, output),
        Command::Completions(args) => completions::run(args, output),
    }
}
