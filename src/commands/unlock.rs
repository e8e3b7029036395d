//! `idp unlock`: remove the team lock an idp that died left on an environment whose state is in
//! S3, after confirmation.

use clap::Args;

use crate::error::{Error, ExitStatus};
use crate::output::Output;
use crate::session::Session;
use crate::settings::Settings;
use crate::state::{LockError, StateBackend, force_release, read_lock};
use crate::workspace::Workspace;

use super::guard::confirm;

/// Remove the lock of an environment whose state is in S3, left by an idp that is gone
///
/// Shows who holds the lock, then asks for confirmation on a terminal; elsewhere it refuses
/// unless `--yes` is given. Only for a holder that is really gone: a running idp loses its lock.
/// A local file lock needs no unlocking: it is released when its process exits.
#[derive(Debug, Args)]
pub struct UnlockArgs {}

pub fn run(_args: &UnlockArgs, settings: &Settings, output: &Output) -> Result<ExitStatus, Error> {
    let workspace = Workspace::load(settings)?;
    let (Some(manifest), Some(platform)) = (workspace.manifest.value.clone(), workspace.platform())
    else {
        output.findings(
            &workspace.check(None, crate::policy::Date::today()),
            &workspace.sources(),
        );
        return Ok(ExitStatus::Failure);
    };
    let session = Session::open(settings, &workspace, &manifest, &platform)?;
    let environment = &session.environment_name;
    let StateBackend::S3 { lock, .. } = &session.store else {
        output.status(&format!(
            "`{environment}` keeps its state in a local file, whose lock is released when its holder exits; nothing to unlock."
        ));
        return Ok(ExitStatus::Success);
    };
    let remote = |e: crate::aws::error::AwsError| {
        Error::Lock(LockError::Remote {
            table: lock.table.clone(),
            message: e.to_string(),
        })
    };
    let Some(holder) = read_lock(lock).map_err(remote)? else {
        output.status(&format!("`{environment}` is not locked."));
        return Ok(ExitStatus::Success);
    };
    output.status(&format!(
        "`{environment}` is locked by idp ({}, `{}`), held for {}s.",
        holder.who(),
        holder.operation,
        holder.age_seconds()
    ));
    let action = format!("remove the lock of `{environment}`");
    let prompt = format!(
        "Remove the lock of `{environment}`? Only if that idp is gone. Type `yes` to confirm"
    );
    if !confirm(settings, &action, prompt, "yes")? {
        output.status("Not confirmed; the lock was left in place.");
        return Ok(ExitStatus::Failure);
    }
    force_release(lock).map_err(remote)?;
    output.status(&format!("Removed the lock of `{environment}`."));
    Ok(ExitStatus::Success)
}
