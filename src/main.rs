//! The `idp` binary: parse, resolve settings, run the command, render any error, exit.

use std::process::ExitCode;

use idp::cli::Cli;
use idp::output::Output;
use idp::settings::Settings;

fn main() -> ExitCode {
    let (cli, options) = Cli::parse_with_options();
    let verbose = options.verbose > 0;
    let fallback = Output::new(options.output, false, options.quiet);
    let settings = match Settings::resolve(options) {
        Ok(settings) => settings,
        Err(error) => {
            fallback.error(&error, verbose);
            return ExitCode::from(error.exit_status().code());
        }
    };
    let output = Output::new(settings.output, settings.color, settings.quiet)
        .with_live_progress(settings.stderr_is_terminal && settings.verbose == 0);
    match idp::commands::run(&cli, &settings, &output) {
        Ok(status) => ExitCode::from(status.code()),
        Err(error) => {
            output.error(&error, verbose);
            ExitCode::from(error.exit_status().code())
        }
    }
}
