//! `idp completions`: shell completion scripts, generated from the command line definition.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::{Error, ExitStatus};
use crate::output::Output;

/// Print the completion script for a shell
///
/// bash: `idp completions bash > ~/.local/share/bash-completion/completions/idp`;
/// zsh: `idp completions zsh > ~/.local/share/zsh/site-functions/_idp` (a directory on `fpath`);
/// fish: `idp completions fish > ~/.config/fish/completions/idp.fish`. `install.sh` does this for you.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs, output: &Output) -> Result<ExitStatus, Error> {
    output.data(&script(args.shell))?;
    Ok(ExitStatus::Success)
}

/// Returns the completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "idp", &mut buffer);
    String::from_utf8(buffer).expect("completion scripts are UTF-8")
}
