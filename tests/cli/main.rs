//! The command-line tests: one binary, one module per area (link time matters on two cores).

mod support;

mod aws;
mod aws_more;
mod aws_state;
mod backup;
mod check;
mod completions;
mod golden_paths;
mod help;
mod init;
mod install;
mod platform;
mod provision;
mod provision_more;
mod scaffold_formats;
mod schema;
mod update;
mod update_copier;
