//! The command line: global flags, each with its `IDP_*` variable, and the commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{
    backup::{BackupArgs, RestoreArgs},
    check::CheckArgs,
    completions::CompletionsArgs,
    destroy::DestroyArgs,
    env::EnvArgs,
    init::InitArgs,
    plan::PlanArgs,
    provision::ProvisionArgs,
    run::RunArgs,
    schema::SchemaArgs,
    status::StatusArgs,
    templates::TemplatesArgs,
    unlock::UnlockArgs,
    update::UpdateArgs,
};
use crate::env_vars;
use crate::output::Format;
use crate::settings::{ColorChoice, GlobalOptions};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error, including a malformed manifest
  2  usage error (bad flags or arguments)
  3  refused by a guardrail
  4  `idp update --check`: the project is behind its template's newest version";

/// A self-service internal developer platform: start a service from a golden-path template, declare
/// what it needs in `idp.toml`, and have idp check it against the platform's guardrails
#[derive(Debug, Parser)]
#[command(name = "idp", version, after_help = EXIT_CODES, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use this manifest instead of the nearest `idp.toml` in this directory or its parents
    #[arg(long, global = true, value_name = "PATH", env = env_vars::IDP_MANIFEST)]
    pub manifest: Option<PathBuf>,

    /// Act on this environment only (default: every environment the command concerns)
    #[arg(long = "env", global = true, value_name = "NAME", env = env_vars::IDP_ENV)]
    pub environment: Option<String>,

    /// Use this platform policy file (default: the manifest's `platform`, then
    /// `$XDG_CONFIG_HOME/idp/platform.toml`, then the built-in policy)
    #[arg(long, global = true, value_name = "PATH", env = env_vars::IDP_PLATFORM)]
    pub platform: Option<PathBuf>,

    /// How to print results: `text` for people, `json` for programs
    #[arg(long, global = true, value_enum, default_value_t = OutputArg::Text, env = env_vars::IDP_OUTPUT)]
    pub output: OutputArg,

    /// When to colour output (default: when stderr is a terminal and `NO_COLOR` is unset)
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Print more detail, such as the causes of an error (can be repeated)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print nothing but data and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Answer yes to confirmations
    #[arg(long, global = true)]
    pub yes: bool,

    /// Never prompt; fail where an answer is missing
    #[arg(long, global = true, env = env_vars::IDP_NO_INPUT)]
    pub no_input: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputArg {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    Update(UpdateArgs),
    Templates(TemplatesArgs),
    Check(CheckArgs),
    Plan(PlanArgs),
    #[command(visible_alias = "up")]
    Provision(ProvisionArgs),
    Status(StatusArgs),
    Env(EnvArgs),
    Run(RunArgs),
    Destroy(DestroyArgs),
    Backup(BackupArgs),
    Restore(RestoreArgs),
    Unlock(UnlockArgs),

    Schema(SchemaArgs),
    Completions(CompletionsArgs),
}

impl Cli {
    /// Parses the command line (exiting with code 2 on a usage error) and returns the global
    /// options in the library's terms, knowing which came from the environment.
    pub fn parse_with_options() -> (Cli, GlobalOptions) {
        use clap::{CommandFactory, FromArgMatches, parser::ValueSource};
        let matches = Cli::command().get_matches();
        let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
        let mut options = cli.global.options();
        options.platform_from_env =
            matches.value_source("platform") == Some(ValueSource::EnvVariable);
        (cli, options)
    }
}

impl GlobalArgs {
    /// Returns the flags in the library's terms.
    pub fn options(&self) -> GlobalOptions {
        GlobalOptions {
            manifest: self.manifest.clone(),
            environment: self.environment.clone(),
            platform: self.platform.clone(),
            platform_from_env: false,
            output: match self.output {
                OutputArg::Text => Format::Text,
                OutputArg::Json => Format::Json,
            },
            color: match self.color {
                ColorArg::Auto => ColorChoice::Auto,
                ColorArg::Always => ColorChoice::Always,
                ColorArg::Never => ColorChoice::Never,
            },
            verbose: self.verbose,
            quiet: self.quiet,
            yes: self.yes,
            no_input: self.no_input,
        }
    }
}
