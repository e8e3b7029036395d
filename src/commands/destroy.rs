//! `idp destroy`: delete an environment's resources (or the named ones), after confirmation.

use clap::Args;

use crate::engine::destroy;
use crate::error::{Error, ExitStatus};
use crate::output::{Format, Output};
use crate::providers::DeleteOptions;
use crate::settings::Settings;

use super::guard::{checked_session, confirm, lock};

/// Delete the resources of an environment (or the named ones), taking a final backup of databases
///
/// Asks for confirmation on a terminal (the project name, in prod-like environments); elsewhere it
/// refuses unless `--yes` is given. Databases with `deletion_protection` are never deleted.
#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// Resources to delete (default: every resource of the environment)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Do not back up databases before dropping them
    #[arg(long)]
    pub skip_final_backup: bool,

    /// How long to wait for another idp working on the same environment, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
}

pub fn run(args: &DestroyArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let session = match checked_session(settings, output)? {
        Ok(session) => session,
        Err(status) => return Ok(status),
    };
    let _lock = lock(&session, "idp destroy", args.lock_timeout, output)?;
    let state = session.load_state()?;
    if state.resources.is_empty() {
        output.status(&format!(
            "`{}` has nothing to destroy.",
            session.environment_name
        ));
        return Ok(ExitStatus::Success);
    }
    let what = if args.names.is_empty() {
        "every resource".to_string()
    } else {
        crate::text::list_all(args.names.iter().cloned())
    };
    let project = session.manifest.project.name.clone();
    let prod_like = session.platform.is_prod_like(&session.environment_name);
    let (prompt, expected) = if prod_like {
        let prompt = format!(
            "Destroy {what} of the prod-like `{}`? Type the project name, `{project}`, to confirm",
            session.environment_name
        );
        (prompt, project.as_str())
    } else {
        (
            format!(
                "Destroy {what} of `{}`? Type `yes` to confirm",
                session.environment_name
            ),
            "yes",
        )
    };
    let action = format!("destroy {what} of `{}`", session.environment_name);
    if !confirm(settings, &action, prompt, expected)? {
        output.status("Not confirmed; nothing was deleted.");
        return Ok(ExitStatus::Failure);
    }
    let options = DeleteOptions {
        final_backup: !args.skip_final_backup,
        backup_dir: session.backup_dir(),
    };
    let progress = output.progress();
    let report = destroy(
        &session.scope(),
        session.provider.as_ref(),
        &args.names,
        &session.store,
        state,
        &options,
        &progress,
    )?;
    drop(progress);
    match output.format() {
        Format::Json => output.json(&report)?,
        Format::Text => {
            let text: String = report
                .backups
                .iter()
                .map(|(name, path)| format!("{name}  final backup: {}\n", path.display()))
                .collect();
            output.data(&text)?;
            output.status(&format!(
                "Deleted {} from `{}`.",
                crate::text::list_all(report.deleted.iter().cloned()),
                session.environment_name
            ));
        }
    }
    Ok(ExitStatus::Success)
}
